//! `loop-trace FILE.json`: interprets an event-loop scenario (format:
//! `fixtures/loop-scenarios/README.md`) with nodestd-loop's public API and prints one line per
//! `log` op, exactly as `node trace.js FILE.json` does.
//!
//! `io` reads the scenario file on the worker pool (completion in the poll phase), `work` is a
//! worker-pool task, `close` closes a fresh [`Handle`] with a close callback, and `socket` runs
//! a loopback server and client of nodestd-net. With
//! `--phases`, each line is prefixed with the phase that printed it (used by the tour).

use std::cell::{Cell, RefCell};
use std::io::Write;
use std::rc::Rc;

use nodestd_loop::{self as nd, Handle};
use nodestd_net as net;
use nodestd_stream::Chunk;
use serde_json::Value;

struct Ctx {
    file: String,
    out: RefCell<std::io::BufWriter<std::io::Stdout>>,
    phases: bool,
    /// The phase of the callback running now (for `--phases`).
    phase: Cell<&'static str>,
}

type Ops = Rc<Vec<Value>>;

fn ops_of(v: &Value) -> Ops {
    Rc::new(v.as_array().cloned().unwrap_or_default())
}

/// Runs `ops` labelled as running in `phase`.
fn run_in(ctx: &Rc<Ctx>, phase: &'static str, ops: &Ops) {
    let prev = ctx.phase.replace(phase);
    run(ctx, ops);
    ctx.phase.set(prev);
}

fn run(ctx: &Rc<Ctx>, ops: &Ops) {
    for op in ops.iter() {
        run_op(ctx, op);
    }
}

fn run_op(ctx: &Rc<Ctx>, op: &Value) {
    let Some((k, v)) = op.as_object().and_then(|m| m.iter().next()) else {
        panic!("op must be an object with one key: {op}");
    };
    let c = Rc::clone(ctx);
    match k.as_str() {
        "log" => {
            let label = match v {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            let mut out = ctx.out.borrow_mut();
            if ctx.phases {
                let _ = writeln!(out, "{:<10} {label}", ctx.phase.get());
            } else {
                let _ = writeln!(out, "{label}");
            }
        }
        "tick" => {
            let ops = ops_of(v);
            nd::next_tick(move || run_in(&c, "nextTick", &ops));
        }
        "micro" | "then" => {
            let ops = ops_of(v);
            nd::queue_microtask(move || run_in(&c, "microtask", &ops));
        }
        "await" => {
            let ops = ops_of(v);
            nd::spawn_local(async move { run_in(&c, "microtask", &ops) });
        }
        "immediate" => {
            let ops = ops_of(v);
            nd::set_immediate(move || run_in(&c, "check", &ops));
        }
        "timeout" => {
            let ops = ops_of(&v["do"]);
            nd::set_timeout(ms(v), move || run_in(&c, "timers", &ops));
        }
        "cleared_timeout" => {
            let ops = ops_of(&v["do"]);
            let t = nd::set_timeout(ms(v), move || run_in(&c, "timers", &ops));
            t.clear();
        }
        "interval" => {
            let ops = ops_of(&v["do"]);
            let times = v["times"].as_u64().unwrap_or(1);
            let handle: Rc<RefCell<Option<nd::Timeout>>> = Rc::new(RefCell::new(None));
            let h2 = Rc::clone(&handle);
            let n = Cell::new(0u64);
            let t = nd::set_interval(ms(v), move || {
                n.set(n.get() + 1);
                run_in(&c, "timers", &ops);
                if n.get() >= times {
                    if let Some(t) = h2.borrow().as_ref() {
                        t.clear();
                    }
                }
            });
            *handle.borrow_mut() = Some(t);
        }
        "io" => {
            let ops = ops_of(v);
            let file = ctx.file.clone();
            nd::queue_work(
                move || std::fs::read(file),
                move |r| {
                    r.expect("worker").expect("read the scenario file");
                    run_in(&c, "poll", &ops);
                },
            );
        }
        "work" => {
            let ops = ops_of(v);
            nd::queue_work(
                || (0..1000u64).fold(0u64, |a, b| a.wrapping_mul(31).wrapping_add(b)),
                move |r| {
                    r.expect("worker");
                    run_in(&c, "poll", &ops);
                },
            );
        }
        "close" => {
            let ops = ops_of(v);
            let h = Handle::new();
            h.close(move || run_in(&c, "close", &ops));
        }
        "socket" => socket_op(ctx, v),
        other => panic!("unknown op: {other}"),
    }
}

/// The `socket` op: a loopback server and one client (the README's "Sockets"), each event
/// running its OPS, as `trace.js` does with `net`.
fn socket_op(ctx: &Rc<Ctx>, v: &Value) {
    let on = |event: &str| ops_of(&v[event]);
    let (listening, connection, connect, data, end, close, client_data, client_end) = (
        on("listening"),
        on("connection"),
        on("connect"),
        on("data"),
        on("end"),
        on("close"),
        on("client_data"),
        on("client_end"),
    );
    let (client_close, server_close) = (on("client_close"), on("server_close"));
    let destroy = v["destroy"].as_bool().unwrap_or(false);
    let c = Rc::clone(ctx);
    let server = net::create_server(net::ServerOptions::default(), move |s| {
        run_in(&c, "poll", &connection);
        s.on_error(|_| {});
        let (c1, data) = (Rc::clone(&c), Rc::clone(&data));
        s.on_data(move |_| run_in(&c1, "poll", &data));
        let (c1, end, s1) = (Rc::clone(&c), Rc::clone(&end), s.clone());
        s.on_end(move || {
            run_in(&c1, "poll", &end);
            if destroy {
                s1.end();
            } else {
                s1.end_with(Chunk::from("pong"));
            }
        });
        let (c1, close, server_close) =
            (Rc::clone(&c), Rc::clone(&close), Rc::clone(&server_close));
        let srv = SERVER.with_borrow(|s| s.clone()).expect("the server");
        s.on_close(move || {
            run_in(&c1, "close", &close);
            let (c2, server_close) = (Rc::clone(&c1), Rc::clone(&server_close));
            srv.close(Some(Box::new(move |_| run_in(&c2, "close", &server_close))));
        });
    });
    SERVER.with_borrow_mut(|s| *s = Some(server.clone()));
    let (c, srv) = (Rc::clone(ctx), server.clone());
    server
        .listen_port(0, Some("127.0.0.1"), move || {
            run_in(&c, "nextTick", &listening);
            let target = net::ConnectTarget::Tcp {
                port: srv.port().expect("a port"),
                host: Some("127.0.0.1".into()),
            };
            let client = net::connect(target, net::SocketOptions::default());
            let (c1, connect, cl) = (Rc::clone(&c), Rc::clone(&connect), client.clone());
            client.on_connect(move || {
                run_in(&c1, "poll", &connect);
                if destroy {
                    cl.destroy(None);
                } else {
                    cl.end_with(Chunk::from("ping"));
                }
            });
            client.on_error(|_| {});
            let (c1, client_data) = (Rc::clone(&c), Rc::clone(&client_data));
            client.on_data(move |_| run_in(&c1, "poll", &client_data));
            let (c1, client_end) = (Rc::clone(&c), Rc::clone(&client_end));
            client.on_end(move || run_in(&c1, "poll", &client_end));
            let (c1, client_close) = (Rc::clone(&c), Rc::clone(&client_close));
            client.on_close(move || run_in(&c1, "close", &client_close));
        })
        .expect("listen on 127.0.0.1");
}

thread_local! {
    /// The `socket` op's server (one per scenario), for its connection's `close` listener.
    static SERVER: RefCell<Option<net::Server>> = const { RefCell::new(None) };
}

fn ms(v: &Value) -> u64 {
    v["ms"]
        .as_f64()
        .map(|f| if f < 1.0 { 0 } else { f as u64 })
        .unwrap_or(0)
}

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let phases = args.iter().any(|a| a == "--phases");
    args.retain(|a| a != "--phases");
    let Some(file) = args.first().cloned() else {
        eprintln!("usage: loop-trace [--phases] FILE.json");
        std::process::exit(2);
    };
    let text = std::fs::read_to_string(&file).unwrap_or_else(|e| {
        eprintln!("loop-trace: cannot read {file}: {e}");
        std::process::exit(2);
    });
    let scenario: Value = serde_json::from_str(&text).unwrap_or_else(|e| {
        eprintln!("loop-trace: {file} is not JSON: {e}");
        std::process::exit(2);
    });
    let ctx = Rc::new(Ctx {
        file,
        out: RefCell::new(std::io::BufWriter::new(std::io::stdout())),
        phases,
        phase: Cell::new("main"),
    });
    let ops = ops_of(&scenario["ops"]);
    let c = Rc::clone(&ctx);
    let exit = nd::run(move || run_in(&c, "main", &ops));
    let _ = ctx.out.borrow_mut().flush();
    if exit.code() != 0 {
        eprintln!("loop-trace: the loop ended with {exit:?}");
    }
    std::process::exit(exit.code());
}
