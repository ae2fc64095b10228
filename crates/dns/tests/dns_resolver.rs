//! The Resolver's API beyond the command line: servers in and out, cancel, a resolver dropped
//! while its query is in flight, c-ares' tries on a silent server, and lookup's callback form
//! with Node's checks. Expected values are node's (see the comments for the node line).

#[path = "common/server.rs"]
mod server;

use std::cell::RefCell;
use std::rc::Rc;
use std::time::{Duration, Instant};

use nodestd_dns::{Lookup, LookupOptions, Records, Resolver, ResolverOptions, callback};

/// What `node -e SCRIPT ARGS...` prints (its `process.argv.slice(1)` are ARGS).
fn node(script: &str, args: &[&str]) -> String {
    let out = std::process::Command::new("node")
        .arg("-e")
        .arg(script)
        .args(args)
        .output()
        .expect("node (v20) must be installed to run this test");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// A loopback UDP port nothing listens on.
fn closed_port() -> String {
    let s = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    s.local_addr().unwrap().to_string()
}

fn resolver(server: &str, timeout: f64, tries: f64) -> Resolver {
    resolver_on(&[server], timeout, tries)
}

fn resolver_on<S: AsRef<str>>(servers: &[S], timeout: f64, tries: f64) -> Resolver {
    let r = Resolver::new(ResolverOptions { timeout, tries }).unwrap();
    r.set_servers(servers).unwrap();
    r
}

#[test]
fn servers_round_trip_as_node_prints_them() {
    nodestd_loop::run(|| {
        let r = Resolver::new(ResolverOptions::default()).unwrap();
        // node: r.setServers(['1.2.3.4', '1.2.3.4:5353', '::1', '[::1]:53', '[::1]:5353'])
        r.set_servers(&["1.2.3.4", "1.2.3.4:5353", "::1", "[::1]:53", "[::1]:5353"])
            .unwrap();
        // node: r.getServers() → [ '1.2.3.4', '1.2.3.4:5353', '::1', '[::1]:5353' ]
        assert_eq!(
            r.get_servers(),
            ["1.2.3.4", "1.2.3.4:5353", "::1", "[::1]:5353"]
        );
        let e = r.set_servers(&["localhost:53"]).unwrap_err();
        assert_eq!(e.code(), "ERR_INVALID_IP_ADDRESS");
        assert_eq!(e.message(), "Invalid IP address: localhost:53");
        assert_eq!(
            r.get_servers().len(),
            4,
            "a failed setServers keeps the old list"
        );
        let e = Resolver::new(ResolverOptions {
            timeout: f64::NAN,
            tries: 4.0,
        })
        .unwrap_err();
        assert_eq!(e.code(), "ERR_OUT_OF_RANGE");
        assert_eq!(
            e.message(),
            "The value of \"options.timeout\" is out of range. It must be an integer. Received NaN"
        );
    });
}

#[test]
fn cancel_ends_queries_with_ecancelled_at_once() {
    let addr = server::start().to_string();
    let got = Rc::new(RefCell::new(Vec::new()));
    let got2 = Rc::clone(&got);
    let t0 = Instant::now();
    nodestd_loop::run(move || {
        let r = resolver(&addr, 5000.0, 4.0);
        let q = r.resolve4("timeout.test");
        let ok = r.resolve4("a.test");
        let g = Rc::clone(&got2);
        nodestd_loop::spawn_local(async move {
            let e = q.await.unwrap_err();
            g.borrow_mut()
                .push(format!("{} {:?} {:?}", e.code(), e.syscall(), e.hostname()));
        });
        let g = Rc::clone(&got2);
        let r2 = r.clone();
        nodestd_loop::spawn_local(async move {
            let v = ok.await.unwrap();
            g.borrow_mut().push(format!("{v:?}"));
            // The answer came; the silent one is still out: cancel it.
            r2.cancel();
        });
    });
    // node: ECANCELLED with syscall 'queryA' and hostname 'timeout.test'.
    assert_eq!(
        *got.borrow(),
        [
            r#"Names(["192.0.2.1", "192.0.2.2"])"#,
            r#"ECANCELLED Some("queryA") Some("timeout.test")"#
        ]
    );
    assert!(t0.elapsed() < Duration::from_secs(2), "{:?}", t0.elapsed());
}

#[test]
fn a_dropped_resolver_still_answers() {
    let addr = server::start().to_string();
    let got = Rc::new(RefCell::new(None));
    let got2 = Rc::clone(&got);
    nodestd_loop::run(move || {
        let q = resolver(&addr, 1000.0, 1.0).resolve_mx("mx.test");
        nodestd_loop::spawn_local(async move { *got2.borrow_mut() = Some(q.await) });
    });
    assert!(matches!(got.borrow().as_ref(), Some(Ok(Records::Mx(v))) if v.len() == 2));
}

#[test]
fn a_silent_server_times_out_after_every_try() {
    let addr = server::start().to_string();
    let got = Rc::new(RefCell::new(None));
    let got2 = Rc::clone(&got);
    let t0 = Instant::now();
    nodestd_loop::run(move || {
        // Three tries: c-ares raises a timeout of 100 ms to its floor of 250 ms, then doubles
        // it per round less up to half at random (never below 250): 250, 250-500, 500-1000.
        let q = resolver(&addr, 100.0, 3.0).resolve_txt("timeout.test");
        nodestd_loop::spawn_local(async move { *got2.borrow_mut() = Some(q.await) });
    });
    let took = t0.elapsed();
    let e = got.borrow_mut().take().unwrap().unwrap_err();
    assert_eq!(e.code(), "ETIMEOUT");
    assert_eq!(e.message(), "queryTxt ETIMEOUT timeout.test");
    assert!(
        (Duration::from_millis(1000)..Duration::from_millis(2500)).contains(&took),
        "{took:?}"
    );
}

#[test]
fn lookup_callback_form_checks_at_the_call() {
    let got = Rc::new(RefCell::new(Vec::new()));
    let got2 = Rc::clone(&got);
    nodestd_loop::run(move || {
        // node: dns.lookup('x', {family: 5}, cb) throws ERR_INVALID_ARG_VALUE
        let bad = LookupOptions {
            family: 5.0,
            ..Default::default()
        };
        let e = callback::lookup("x", bad, |_| unreachable!()).unwrap_err();
        assert_eq!(
            e.message(),
            "The property 'options.family' must be one of: 0, 4, 6. Received 5"
        );
        let e = callback::lookup_service("127.0.0.1", 1.5, |_| unreachable!()).unwrap_err();
        assert_eq!(e.code(), "ERR_SOCKET_BAD_PORT");
        let g = Rc::clone(&got2);
        callback::lookup("localhost", LookupOptions::default(), move |r| {
            g.borrow_mut().push(r.unwrap())
        })
        .unwrap();
        let g = Rc::clone(&got2);
        let all = LookupOptions {
            all: true,
            family: 4.0,
            ..Default::default()
        };
        callback::lookup("127.0.0.1", all, move |r| g.borrow_mut().push(r.unwrap())).unwrap();
    });
    let got = got.borrow();
    assert!(got.contains(&Lookup::One {
        address: Some("127.0.0.1".into()),
        family: 4
    }));
    assert!(got.contains(&Lookup::All(vec![nodestd_dns::LookupAddress {
        address: "127.0.0.1".into(),
        family: 4
    }])));
    assert_eq!(nodestd_dns::get_default_result_order(), "verbatim");
    // node: dns.setDefaultResultOrder('bogus')
    let e = nodestd_dns::set_default_result_order("bogus").unwrap_err();
    assert_eq!(
        e.message(),
        "The argument 'dnsOrder' must be one of: 'verbatim', 'ipv4first', 'ipv6first'. Received 'bogus'"
    );
}

/// The callback forms, and the order node v20.20 gives for the same steps against a loopback
/// server (the `// node:` lines, with `log.push` for `push`): inside a resolve4 callback,
/// a name c-ares rejects and a cancel() of two silent queries call back after the callback
/// returns and before its ticks, in the order they were made; its immediates and timer later.
#[test]
fn callback_forms_call_back_in_nodes_order() {
    let addr = server::start().to_string();
    let log = Rc::new(RefCell::new(Vec::<String>::new()));
    let l = Rc::clone(&log);
    nodestd_loop::run(move || {
        // node: const R = new dns.Resolver({timeout: 3000, tries: 1}); R.setServers([addr]);
        let r = callback::Resolver::new(ResolverOptions {
            timeout: 3000.0,
            tries: 1.0,
        })
        .unwrap();
        r.set_servers(&[addr.as_str()]).unwrap();
        let r2 = r.clone();
        // node: R.resolve4('a.test', (e, a) => { log.push('cb ' + a); setImmediate(...);
        //   setTimeout(..., 0); R.resolve4('silent.x', ...); R.resolve4('silent.y', ...);
        //   R.resolve4('a!b', ...); setImmediate(...); R.cancel(); log.push('after cancel()');
        //   process.nextTick(...) })
        r.resolve4("a.test", move |res| {
            let push = |l: &Rc<RefCell<Vec<String>>>, s: String| l.borrow_mut().push(s);
            push(&l, format!("cb {:?}", res.unwrap()));
            let l1 = Rc::clone(&l);
            nodestd_loop::set_immediate(move || push(&l1, "imm-from-cb".into()));
            let l1 = Rc::clone(&l);
            nodestd_loop::set_timeout(0, move || push(&l1, "timeout-from-cb".into()));
            for tag in ["c1", "c2"] {
                let l1 = Rc::clone(&l);
                r2.resolve4("timeout.test", move |e| {
                    let e = e.unwrap_err();
                    push(&l1, format!("{tag} {} {:?}", e.code(), e.hostname()));
                });
            }
            let l1 = Rc::clone(&l);
            r2.resolve4("a!b", move |e| {
                push(&l1, format!("bad {}", e.unwrap_err().code()));
            });
            let l1 = Rc::clone(&l);
            nodestd_loop::set_immediate(move || push(&l1, "imm-before-cancel".into()));
            r2.cancel();
            push(&l, "after cancel()".into());
            let l1 = Rc::clone(&l);
            nodestd_loop::next_tick(move || push(&l1, "tick".into()));
        });
    });
    assert_eq!(
        *log.borrow(),
        [
            "cb Names([\"192.0.2.1\", \"192.0.2.2\"])",
            "after cancel()",
            "bad EBADNAME",
            "c1 ECANCELLED Some(\"timeout.test\")",
            "c2 ECANCELLED Some(\"timeout.test\")",
            "tick",
            "imm-from-cb",
            "imm-before-cancel",
            "timeout-from-cb",
        ]
    );
}

/// `dns.setServers` / `dns.getServers` and the module-level functions of both forms go
/// through the thread's default resolver.
#[test]
fn module_level_functions_use_the_default_resolver() {
    let addr = server::start().to_string();
    let got = Rc::new(RefCell::new(Vec::<String>::new()));
    let g = Rc::clone(&got);
    nodestd_loop::run(move || {
        nodestd_dns::set_servers(&[addr.as_str()]).unwrap();
        assert_eq!(nodestd_dns::get_servers(), [addr.as_str()]);
        let g1 = Rc::clone(&g);
        callback::resolve_mx("mx.test", move |r| match r.unwrap() {
            Records::Mx(v) => g1.borrow_mut().push(format!("mx {}", v.len())),
            other => panic!("{other:?}"),
        });
        let g1 = Rc::clone(&g);
        callback::resolve("txt.test", "TXT", move |r| {
            g1.borrow_mut().push(format!("txt {}", r.is_ok()));
        })
        .unwrap();
        assert_eq!(
            callback::resolve("a.test", "BOGUS", |_| unreachable!())
                .unwrap_err()
                .code(),
            "ERR_INVALID_ARG_VALUE"
        );
        let g1 = Rc::clone(&g);
        let q = nodestd_dns::promises::resolve_ns("ns.test");
        nodestd_loop::spawn_local(async move {
            let v = q.await.unwrap();
            g1.borrow_mut().push(format!("ns {v:?}"));
        });
    });
    let mut got = got.borrow().clone();
    got.sort();
    assert_eq!(
        got,
        ["mx 2", "ns Names([\"ns1.test\", \"ns2.test\"])", "txt true"]
    );
}

/// Node asks with `ARES_FLAG_NOCHECKRESP`: a SERVFAIL, REFUSED or NOTIMP answer from the
/// first server is the query's result, the next server is not asked and no try is repeated
/// (each name reached the server once, for node as for us).
#[test]
fn an_error_answer_from_the_first_server_is_final() {
    let addr = server::start();
    let servers = [addr.to_string(), closed_port()];
    let names = [
        "servfail.test",
        "refused.test",
        "notimp.test",
        "formerr.test",
    ];
    let script = r#"
        const dns = require('dns');
        const r = new dns.promises.Resolver({ timeout: 300, tries: 3 });
        r.setServers(process.argv.slice(1, 3));
        const names = ['servfail.test', 'refused.test', 'notimp.test', 'formerr.test'];
        Promise.allSettled(names.map((n) => r.resolve4(n)))
          .then((a) => console.log(a.map((x) => x.reason.code).join(' ')));"#;
    let from_node = node(script, &[&servers[0], &servers[1]]);
    let node_seen: Vec<_> = names.iter().map(|n| server::seen(addr, n)).collect();
    let got = Rc::new(RefCell::new(Vec::new()));
    let g = Rc::clone(&got);
    nodestd_loop::run(move || {
        let r = resolver_on(&servers, 300.0, 3.0);
        for n in names {
            let q = r.resolve4(n);
            let g = Rc::clone(&g);
            nodestd_loop::spawn_local(async move {
                let code = q.await.unwrap_err().code().to_string();
                g.borrow_mut().push((n, code));
            });
        }
    });
    let mut got = got.borrow().clone();
    got.sort_by_key(|(n, _)| names.iter().position(|m| m == n));
    let ours: Vec<String> = got.into_iter().map(|(_, c)| c).collect();
    assert_eq!(ours.join(" "), from_node);
    assert_eq!(from_node, "ESERVFAIL EREFUSED ENOTIMP EFORMERR");
    let our_seen: Vec<_> = names.iter().map(|n| server::seen(addr, n)).collect();
    assert_eq!(our_seen, node_seen);
    assert_eq!(our_seen, [(1, 0); 4]);
}

/// `setServers` while a query is outstanding throws what node's throws (c-ares' channel
/// refuses with "There are pending queries."), and the servers stay as they were.
#[test]
fn set_servers_with_a_query_outstanding_throws_as_node() {
    let addr = server::start().to_string();
    let script = r#"
        const dns = require('dns');
        const r = new dns.promises.Resolver({ timeout: 5000, tries: 1 });
        r.setServers([process.argv[1]]);
        r.resolve4('timeout.test').catch(() => {});
        try { r.setServers(['1.2.3.4', '[::1]:5353']); } catch (e) { console.log(e.code + '|' + e.message); }
        console.log(r.getServers().join(','));
        r.cancel();"#;
    let from_node = node(script, &[&addr]);
    let got = Rc::new(RefCell::new(String::new()));
    let g = Rc::clone(&got);
    nodestd_loop::run(move || {
        let r = resolver(&addr, 5000.0, 1.0);
        let q = r.resolve4("timeout.test");
        nodestd_loop::spawn_local(async move {
            let _ = q.await;
        });
        let e = r.set_servers(&["1.2.3.4", "[::1]:5353"]).unwrap_err();
        *g.borrow_mut() = format!(
            "{}|{}\n{}",
            e.code(),
            e.message(),
            r.get_servers().join(",")
        );
        r.cancel();
    });
    assert_eq!(*got.borrow(), from_node);
}

/// c-ares orders a channel's servers by consecutive failures: after the first server timed
/// out, the next queries go to the second one first, as in node (the silent server gets the
/// same number of queries from node and from us, and the second query is answered at once).
#[test]
fn a_server_that_timed_out_is_asked_after_the_others() {
    let addr = server::start();
    let silent = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    silent
        .set_read_timeout(Some(Duration::from_millis(50)))
        .unwrap();
    let servers = [silent.local_addr().unwrap().to_string(), addr.to_string()];
    let drain = || {
        let mut buf = [0u8; 512];
        std::iter::from_fn(|| silent.recv(&mut buf).ok()).count()
    };
    let script = r#"
        const dns = require('dns');
        const r = new dns.promises.Resolver({ timeout: 300, tries: 2 });
        r.setServers(process.argv.slice(1, 3));
        (async () => {
          const out = [];
          for (const n of ['a.test', 'mx.test', 'a.test']) {
            const t = Date.now();
            const v = await r.resolve4(n).then((a) => a.join(), (e) => e.code);
            out.push(`${v} ${Date.now() - t < 200 ? 'fast' : 'slow'}`);
          }
          console.log(out.join('|'));
        })();"#;
    let from_node = node(script, &[&servers[0], &servers[1]]);
    let node_silent = drain();
    let got = Rc::new(RefCell::new(Vec::new()));
    let g = Rc::clone(&got);
    nodestd_loop::run(move || {
        let r = resolver_on(&servers, 300.0, 2.0);
        nodestd_loop::spawn_local(async move {
            for n in ["a.test", "mx.test", "a.test"] {
                let t = Instant::now();
                let v = match r.resolve4(n).await {
                    Ok(Records::Names(v)) => v.join(","),
                    Ok(other) => format!("{other:?}"),
                    Err(e) => e.code().to_string(),
                };
                let speed = if t.elapsed() < Duration::from_millis(200) {
                    "fast"
                } else {
                    "slow"
                };
                g.borrow_mut().push(format!("{v} {speed}"));
            }
        });
    });
    let ours = got.borrow().join("|");
    assert_eq!(ours, from_node);
    assert_eq!(
        from_node,
        "192.0.2.1,192.0.2.2 slow|ENODATA fast|192.0.2.1,192.0.2.2 fast"
    );
    assert_eq!(drain(), node_silent);
    assert_eq!(node_silent, 1);
}
