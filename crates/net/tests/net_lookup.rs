//! Names in `net.connect`, against node's twin `tests/node/lookup.js`: the `lookup` event,
//! a failed lookup's error (`getaddrinfo ENOTFOUND nope.invalid` with code, errno, syscall
//! and hostname), `localhost` with `family: 4`, a custom `lookup` option (the family and
//! hints it is asked with) and its bad answers (not an IP, a bad family).

mod common;

use std::cell::RefCell;
use std::rc::Rc;

use common::Log;
use nodestd_net::{self as net, ConnectTarget, LookupFn, NetError, ServerOptions, SocketOptions};
use nodestd_stream::Error;

fn message(e: &Error) -> String {
    match e.downcast_ref::<nodestd_dns::Error>() {
        Some(d) => d.message().to_owned(),
        None => NetError::from_stream_error(e).unwrap().message().to_owned(),
    }
}

fn err_line(e: &Error) -> String {
    let (code, errno, syscall, hostname, message) =
        if let Some(d) = e.downcast_ref::<nodestd_dns::Error>() {
            (
                d.code().to_owned(),
                d.errno().map(|n| n.to_string()),
                d.syscall().map(str::to_owned),
                d.hostname().map(str::to_owned),
                d.message().to_owned(),
            )
        } else {
            let n = NetError::from_stream_error(e).expect("a NetError or a dns error");
            (
                n.code().to_owned(),
                n.errno_value().map(|n| n.to_string()),
                n.syscall().map(str::to_owned),
                None,
                n.message().to_owned(),
            )
        };
    let message = match message.rsplit_once(':') {
        Some((head, tail)) if tail.chars().all(|c| c.is_ascii_digit()) && !tail.is_empty() => {
            format!("{head}:PORT")
        }
        _ => message,
    };
    let u = |o: Option<String>| o.unwrap_or_else(|| "undefined".into());
    format!(
        "error {message} code={code} errno={} syscall={} hostname={}",
        u(errno),
        u(syscall),
        u(hostname)
    )
}

type Next = Rc<dyn Fn()>;
type Step = Box<dyn FnOnce(Next)>;

fn watch(log: &Log, name: &'static str, sock: &net::Socket, next: Rc<dyn Fn()>) {
    let l = log.clone();
    sock.on_lookup(move |ev| {
        let u = |o: Option<String>| o.unwrap_or_else(|| "undefined".into());
        l.push(format!(
            "{name} lookup {} {} {} {}",
            ev.error.as_ref().map_or("null".into(), message),
            u(ev.address.clone()),
            u(ev.family.map(|f| f.to_string())),
            ev.host
        ));
    });
    let (l, s) = (log.clone(), sock.clone());
    sock.on_connect(move || {
        l.push(format!(
            "{name} connect {} {}",
            s.remote_address().unwrap(),
            s.remote_family().unwrap().as_str()
        ));
        s.end();
    });
    let l = log.clone();
    sock.on_error(move |e| l.push(format!("{name} {}", err_line(e))));
    let l = log.clone();
    sock.on_close_had_error(move |h| {
        l.push(format!("{name} close {h}"));
        next();
    });
}

fn with_lookup(f: LookupFn) -> SocketOptions {
    SocketOptions {
        lookup: Some(f),
        ..SocketOptions::default()
    }
}

fn scenario(log: &Log) {
    let server = net::create_server(ServerOptions::default(), |c| {
        c.resume();
    });
    let srv = server.clone();
    let log = log.clone();
    server
        .listen_port(0, Some("127.0.0.1"), move || {
            let port = srv.port().unwrap();
            let target = move |host: &str, port| ConnectTarget::Tcp {
                port,
                host: Some(host.into()),
            };
            let (l1, l2, l3, l4, l5, la) = (
                log.clone(),
                log.clone(),
                log.clone(),
                log.clone(),
                log.clone(),
                log.clone(),
            );
            let steps: Vec<Step> = vec![
                Box::new(move |next| {
                    let s = net::connect(target("nope.invalid", 80), SocketOptions::default());
                    watch(&l1, "nope", &s, next);
                }),
                Box::new(move |next| {
                    let opts = SocketOptions {
                        family: 4,
                        ..SocketOptions::default()
                    };
                    let s = net::connect(target("localhost", port), opts);
                    watch(&l2, "localhost", &s, next);
                }),
                Box::new(move |next| {
                    let f = LookupFn::new(move |h, o, cb| {
                        la.push(format!(
                            "custom asked {h} family={} hints={}",
                            o.family, o.hints
                        ));
                        cb(Ok(("127.0.0.1".into(), 4)));
                    });
                    let s = net::connect(target("my.test", port), with_lookup(f));
                    watch(&l3, "custom", &s, next);
                }),
                Box::new(move |next| {
                    let f = LookupFn::new(|_, _, cb| cb(Ok(("bogus".into(), 4))));
                    let s = net::connect(target("my.test", port), with_lookup(f));
                    watch(&l4, "notip", &s, next);
                }),
                Box::new(move |next| {
                    let f = LookupFn::new(|_, _, cb| cb(Ok(("127.0.0.1".into(), 5))));
                    let s = net::connect(target("my.test", port), with_lookup(f));
                    watch(&l5, "badfamily", &s, next);
                }),
            ];
            let steps = Rc::new(RefCell::new(steps.into_iter()));
            let srv = srv.clone();
            let run: Rc<RefCell<Option<Next>>> = Rc::default();
            let r2 = run.clone();
            *run.borrow_mut() = Some(Rc::new(move || {
                let step = steps.borrow_mut().next();
                match step {
                    Some(s) => s(r2.borrow().clone().unwrap()),
                    None => {
                        srv.close(None);
                        // Break the cycle so the loop can end.
                        r2.borrow_mut().take();
                    }
                }
            }));
            let first = run.borrow().clone().unwrap();
            first();
        })
        .unwrap();
}

#[test]
fn names_in_connect_behave_as_in_node() {
    common::assert_same_lines_as_node("lookup.js", scenario);
}
