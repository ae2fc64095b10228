//! Our http client against a node server (`tests/node/client_peer.js`), compared with node's
//! own client running the same cases (`tests/node/client_cases.js`): every case prints its
//! events and fields (status, headers by Node's rules, rawHeaders, body, trailers, errors
//! with message, code, errno, syscall, address, port, hostname) and both print the same
//! lines. Then keep-alive reuse seen through the server's connection count, maxSockets
//! queueing, 10 MiB up and down, and the global agent's defaults.

mod client_support;

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use client_support::{Lines, Peer, err_line, run_cases};
use nodestd_http::{
    self as http, Agent, AgentChoice, AgentOptions, ClientRequest, IncomingMessage, RequestOptions,
};
use nodestd_stream::Chunk;

type Done = Rc<dyn Fn()>;

/// One case: like `run` in client_cases.js.
#[derive(Default, Clone)]
struct Case {
    name: &'static str,
    path: &'static str,
    method: &'static str,
    host: Option<&'static str>,
    port: Option<u16>,
    headers: Vec<(&'static str, &'static str)>,
    body: Option<&'static str>,
    timeout: Option<u64>,
    destroy_on_timeout: bool,
    abort_now: bool,
    destroy_now: bool,
    /// Ends with this body on `continue`.
    continue_body: Option<&'static str>,
}

fn response_lines(out: &Lines, name: &'static str, res: &IncomingMessage) {
    out.push(format!(
        "{name} response {} {} {}",
        res.status_code(),
        res.status_message(),
        res.http_version()
    ));
    let mut map = serde_json::Map::new();
    for (n, v) in res.headers().entries() {
        if n == "date" {
            continue;
        }
        map.insert(
            n.clone(),
            match v {
                http::HeaderValue::Str(s) => serde_json::Value::String(s.clone()),
                http::HeaderValue::List(l) => {
                    serde_json::Value::Array(l.iter().cloned().map(Into::into).collect())
                }
            },
        );
    }
    out.push(format!("{name} headers {}", serde_json::Value::Object(map)));
    let raw = res.raw_headers();
    let kept: Vec<&String> = raw
        .chunks(2)
        .filter(|p| !p[0].eq_ignore_ascii_case("date"))
        .flatten()
        .collect();
    out.push(format!(
        "{name} raw {}",
        serde_json::to_string(&kept).unwrap()
    ));
}

fn run_case(out: &Lines, port: u16, case: Case, done: Done) {
    let name = case.name;
    let pending = Rc::new(Cell::new(2));
    let finish = {
        let (pending, done) = (pending.clone(), done.clone());
        Rc::new(move || {
            pending.set(pending.get() - 1);
            if pending.get() == 0 {
                done();
            }
        })
    };
    let opts = RequestOptions {
        host: Some(case.host.unwrap_or("127.0.0.1").into()),
        port: Some(case.port.unwrap_or(port)),
        path: case.path.into(),
        method: if case.method.is_empty() {
            "GET".into()
        } else {
            case.method.into()
        },
        headers: case
            .headers
            .iter()
            .map(|(a, b)| ((*a).into(), (*b).into()))
            .collect(),
        agent: AgentChoice::None,
        timeout: case.timeout,
        ..RequestOptions::default()
    };
    let (o, f) = (out.clone(), finish.clone());
    let req = http::request(opts, move |res| {
        response_lines(&o, name, res);
        let data = Rc::new(RefCell::new(Vec::new()));
        let d = data.clone();
        res.body()
            .on_data(move |c: &Chunk| d.borrow_mut().extend_from_slice(c.as_bytes()));
        let o2 = o.clone();
        res.on_aborted(move || o2.push(format!("{name} aborted")));
        let o2 = o.clone();
        res.body()
            .on_error(move |e| o2.push(format!("{name} res error {}", err_line(e))));
        let (o2, r2) = (o.clone(), res.clone());
        res.body().on_end(move || {
            o2.push(format!(
                "{name} end {} trailers {} complete {}",
                serde_json::Value::String(String::from_utf8_lossy(&data.borrow()).into()),
                r2.trailers().to_json(),
                r2.complete()
            ))
        });
        let (o2, f2) = (o.clone(), f.clone());
        res.body().on_close(move || {
            o2.push(format!("{name} res close"));
            f2();
        });
    });
    let o = out.clone();
    req.on_error(move |e| o.push(format!("{name} error {}", err_line(e))));
    let o = out.clone();
    req.on_abort(move || o.push(format!("{name} abort")));
    let (o, r) = (out.clone(), req.clone());
    let destroy_on_timeout = case.destroy_on_timeout;
    req.on_timeout(move || {
        o.push(format!("{name} timeout"));
        if destroy_on_timeout {
            r.destroy(None);
        }
    });
    let (o, p) = (out.clone(), pending.clone());
    let got_response = Rc::new(Cell::new(false));
    let g = got_response.clone();
    req.once_response(move |_| g.set(true));
    req.on_close(move || {
        o.push(format!("{name} close"));
        if !got_response.get() {
            p.set(1);
        }
        finish();
    });
    if case.abort_now {
        req.abort();
    }
    if case.destroy_now {
        req.destroy(None);
    }
    if let Some(b) = case.continue_body {
        let (o, r) = (out.clone(), req.clone());
        req.on_continue(move || {
            o.push(format!("{name} continue"));
            r.end_with(b);
        });
        return;
    }
    match case.body {
        Some(b) => req.end_with(b),
        None => req.end(),
    }
}

fn cases() -> Vec<Case> {
    let c = |name, path| Case {
        name,
        path,
        ..Case::default()
    };
    vec![
        Case {
            port: Some(1),
            ..c("refused", "/")
        },
        Case {
            host: Some("nope.invalid"),
            ..c("notfound", "/")
        },
        c("hello", "/hello"),
        Case {
            method: "HEAD",
            ..c("head", "/hello")
        },
        c("nocontent", "/204"),
        c("status", "/status"),
        Case {
            headers: vec![("X-One", "a"), ("Cookie", "c=1")],
            ..c("headers", "/headers")
        },
        c("chunked", "/chunked"),
        c("untilclose", "/untilclose"),
        Case {
            method: "POST",
            body: Some("ping"),
            ..c("echo", "/echo")
        },
        c("reset", "/reset"),
        c("bad", "/bad"),
        c("badchunk", "/badchunk"),
        c("half", "/half"),
        Case {
            timeout: Some(50),
            destroy_on_timeout: true,
            ..c("timeout", "/slow?ms=300")
        },
        Case {
            abort_now: true,
            ..c("abort", "/hello")
        },
        Case {
            destroy_now: true,
            ..c("destroy", "/hello")
        },
        c("missing", "/nope"),
        Case {
            method: "POST",
            headers: vec![("Expect", "100-continue")],
            continue_body: Some("body"),
            ..c("continue", "/continue")
        },
    ]
}

#[test]
fn client_cases_print_what_nodes_client_prints() {
    let peer = Peer::start(&[]);
    let expected = peer.node_client("client_cases.js");
    let port = peer.port;
    let got = run_cases(move |out, done| {
        let steps: Vec<Case> = cases();
        let steps = Rc::new(RefCell::new(steps.into_iter()));
        let next: Rc<RefCell<Option<Done>>> = Rc::default();
        let n2 = next.clone();
        let out = out.clone();
        *next.borrow_mut() = Some(Rc::new(move || {
            let step = steps.borrow_mut().next();
            match step {
                Some(case) => {
                    let again = n2.borrow().clone().unwrap();
                    run_case(&out, port, case, again);
                }
                None => {
                    n2.borrow_mut().take();
                    done();
                }
            }
        }));
        let first = next.borrow().clone().unwrap();
        first();
    });
    similar_lines(&got, &expected);
}

fn similar_lines(got: &str, expected: &str) {
    if got != expected {
        let g: Vec<&str> = got.lines().collect();
        let e: Vec<&str> = expected.lines().collect();
        for (i, (a, b)) in g.iter().zip(&e).enumerate() {
            if a != b {
                panic!(
                    "line {i} differs:\n ours: {a}\n node: {b}\n\nours:\n{got}\nnode:\n{expected}"
                );
            }
        }
        panic!("line counts differ:\nours:\n{got}\nnode:\n{expected}");
    }
}

/// GETs `path` on `agent`, collecting the body; `cb(status, body, reused)`.
fn fetch(
    agent: &Agent,
    port: u16,
    path: &str,
    cb: impl Fn(u16, String, bool) + 'static,
) -> ClientRequest {
    let opts = RequestOptions {
        host: Some("127.0.0.1".into()),
        port: Some(port),
        path: path.into(),
        agent: AgentChoice::Agent(agent.clone()),
        ..RequestOptions::default()
    };
    let cb = Rc::new(cb);
    let req_slot: Rc<RefCell<Option<ClientRequest>>> = Rc::default();
    let slot = req_slot.clone();
    let req = http::get(opts, move |res| {
        let data = Rc::new(RefCell::new(Vec::new()));
        let d = data.clone();
        res.body()
            .on_data(move |c: &Chunk| d.borrow_mut().extend_from_slice(c.as_bytes()));
        let (cb, code) = (cb.clone(), res.status_code());
        let reused = slot
            .borrow()
            .as_ref()
            .is_some_and(ClientRequest::reused_socket);
        res.body().on_end(move || {
            cb(
                code,
                String::from_utf8_lossy(&data.borrow()).into_owned(),
                reused,
            )
        });
    });
    req.on_error(|e| panic!("request failed: {e}"));
    *req_slot.borrow_mut() = Some(req.clone());
    req
}

#[test]
fn keep_alive_reuses_one_connection_and_max_sockets_queues() {
    let peer = Peer::start(&[]);
    let port = peer.port;
    let got = run_cases(move |out, done| {
        let agent = Agent::new(AgentOptions {
            keep_alive: true,
            max_sockets: Some(2),
            ..AgentOptions::default()
        });
        let name = Agent::get_name("127.0.0.1", port, 0);
        let (out, a) = (out.clone(), agent.clone());
        // Two serial requests on one keep-alive connection.
        fetch(&agent, port, "/conn", move |_, first, reused| {
            out.push(format!("first conn={first} reused={reused}"));
            let (out, a2) = (out.clone(), a.clone());
            let name = name.clone();
            let done = done.clone();
            nodestd_loop::set_immediate(move || {
                out.push(format!(
                    "free={} in_use={}",
                    a2.free_sockets_count(&name),
                    a2.sockets_count(&name)
                ));
                let (out, a3) = (out.clone(), a2.clone());
                let done = done.clone();
                fetch(&a2, port, "/conn", move |_, second, reused| {
                    out.push(format!("second conn={second} reused={reused}"));
                    // Five at once with maxSockets 2: two sockets, three queued.
                    let left = Rc::new(Cell::new(5));
                    let seen = Rc::new(RefCell::new(Vec::new()));
                    for _ in 0..5 {
                        let (out, left, seen, a4) =
                            (out.clone(), left.clone(), seen.clone(), a3.clone());
                        let done = done.clone();
                        fetch(&a3, port, "/slow?ms=30", move |code, _, _| {
                            seen.borrow_mut().push(code);
                            left.set(left.get() - 1);
                            if left.get() == 0 {
                                out.push(format!("parallel statuses={:?}", seen.borrow()));
                                let (out, a5) = (out.clone(), a4.clone());
                                let done = done.clone();
                                fetch(&a4, port, "/conn", move |_, conns, _| {
                                    out.push(format!("connections after={conns}"));
                                    a5.destroy();
                                    done();
                                });
                            }
                        });
                    }
                    out.push(format!(
                        "queued={} in_use={}",
                        a3.requests_count(&Agent::get_name("127.0.0.1", port, 0)),
                        a3.sockets_count(&Agent::get_name("127.0.0.1", port, 0))
                    ));
                });
            });
        });
    });
    assert_eq!(
        got,
        "first conn=1 reused=false\nfree=1 in_use=0\nsecond conn=1 reused=true\n\
         queued=4 in_use=2\nparallel statuses=[200, 200, 200, 200, 200]\nconnections after=2\n",
        "{got}"
    );
}

#[test]
fn ten_mib_up_and_down() {
    let peer = Peer::start(&[]);
    let port = peer.port;
    let got = run_cases(move |out, done| {
        // Download: 10 MiB, byte i of each MiB block is i % 251.
        let (o, d1) = (out.clone(), done.clone());
        let agent = Agent::new(AgentOptions::default());
        let count = Rc::new(Cell::new(0usize));
        let ok = Rc::new(Cell::new(true));
        let opts = RequestOptions {
            host: Some("127.0.0.1".into()),
            port: Some(port),
            path: "/big".into(),
            agent: AgentChoice::Agent(agent),
            ..RequestOptions::default()
        };
        http::get(opts, move |res| {
            let (c, k) = (count.clone(), ok.clone());
            res.body().on_data(move |chunk: &Chunk| {
                let base = c.get();
                for (i, b) in chunk.as_bytes().iter().enumerate() {
                    if *b as usize != ((base + i) % (1024 * 1024)) % 251 {
                        k.set(false);
                    }
                }
                c.set(base + chunk.as_bytes().len());
            });
            let (o, c, k, d) = (o.clone(), count.clone(), ok.clone(), d1.clone());
            res.body().on_end(move || {
                o.push(format!("download {} ok={}", c.get(), k.get()));
                upload(&o, port, d.clone());
            });
        });
    });
    assert!(got.starts_with("download 10485760 ok=true\n"), "{got}");
    let expected_sum: u64 = (0..10 * 1024 * 1024u64).map(|i| i * 7 % 256).sum::<u64>() % 65521;
    assert_eq!(
        got.lines().nth(1).unwrap(),
        format!("upload 10485760 {expected_sum} chunked -"),
        "{got}"
    );
}

/// Uploads 10 MiB in 64 KiB writes, with backpressure (`drain`).
fn upload(out: &Lines, port: u16, done: Done) {
    let opts = RequestOptions {
        host: Some("127.0.0.1".into()),
        port: Some(port),
        path: "/upload".into(),
        method: "POST".into(),
        agent: AgentChoice::None,
        ..RequestOptions::default()
    };
    let o = out.clone();
    let req = http::request(opts, move |res| {
        let data = Rc::new(RefCell::new(Vec::new()));
        let d = data.clone();
        res.body()
            .on_data(move |c: &Chunk| d.borrow_mut().extend_from_slice(c.as_bytes()));
        let (o, done) = (o.clone(), done.clone());
        res.body().on_end(move || {
            o.push(format!(
                "upload {}",
                String::from_utf8_lossy(&data.borrow())
            ));
            done();
        });
    });
    req.on_error(|e| panic!("upload failed: {e}"));
    let sent = Rc::new(Cell::new(0u64));
    let total = 10 * 1024 * 1024u64;
    let pump: Rc<RefCell<Option<Done>>> = Rc::default();
    let (p2, r2, s2) = (pump.clone(), req.clone(), sent.clone());
    *pump.borrow_mut() = Some(Rc::new(move || {
        while s2.get() < total {
            let start = s2.get();
            let block: Vec<u8> = (start..start + 65536)
                .map(|i| (i * 7 % 256) as u8)
                .collect();
            s2.set(start + 65536);
            if !r2.write(block) {
                let again = p2.borrow().clone().unwrap();
                r2.stream().once_drain(move || again());
                return;
            }
        }
        r2.end();
        p2.borrow_mut().take();
    }));
    let first = pump.borrow().clone().unwrap();
    first();
}

#[test]
fn global_agent_has_node_20s_defaults() {
    let out = run_cases(|out, done| {
        let a = http::global_agent();
        let o = a.options();
        out.push(format!(
            "{} {:?} {:?} {} {:?} {:?}",
            o.keep_alive,
            o.timeout,
            o.scheduling,
            o.max_free_sockets,
            o.max_sockets,
            o.max_total_sockets
        ));
        done();
    });
    // node -p "[a.keepAlive, a.options.timeout, a.scheduling, a.maxFreeSockets, a.maxSockets, a.maxTotalSockets]"
    // with a = http.globalAgent: [ true, 5000, 'lifo', 256, Infinity, Infinity ]
    assert_eq!(out, "true Some(5000) Lifo 256 None None\n");
}
