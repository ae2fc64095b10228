//! `cluster-hello --port P --workers N [--policy rr|shared]`: issue 17's contract (twin:
//! tests/node/cluster-hello.js). The primary forks N workers sharing 127.0.0.1:P (round-robin
//! by default, or the shared handle), prints `listening on PORT` once all N listen, re-forks a
//! worker that dies (with a backoff against crash loops), and on SIGTERM disconnects the
//! workers (in-flight requests finish) and ends with 0. Workers answer `GET /` and
//! `GET /slow?ms=N` with `hello from worker ID`, anything else 404 `not found`. Beyond the
//! contract, SIGHUP restarts the workers gracefully one by one (a new one listens before an
//! old one disconnects).

use std::cell::{Cell, RefCell};
use std::io::Write;
use std::rc::Rc;

use nodestd_cluster as cluster;
use nodestd_http::{ServerOptions, create_server};

fn arg(name: &str) -> Option<String> {
    let args: Vec<String> = std::env::args().collect();
    let i = args.iter().position(|a| a == name)?;
    args.get(i + 1).cloned()
}

/// `?ms=N` as the twin reads it: digits only, 0..=60000, anything else 0.
fn slow_ms(url: &str) -> u64 {
    let query = url.split_once('?').map(|(_, q)| q).unwrap_or("");
    let ms = query
        .split('&')
        .map(|kv| kv.split_once('=').unwrap_or((kv, "")))
        .find(|(k, _)| *k == "ms")
        .map(|(_, v)| v)
        .unwrap_or("");
    if ms.is_empty() || !ms.bytes().all(|b| b.is_ascii_digit()) {
        return 0;
    }
    ms.parse::<u64>().ok().filter(|&n| n <= 60_000).unwrap_or(0)
}

fn primary(workers: usize) {
    let listening = Rc::new(Cell::new(0));
    cluster::emitter().on(cluster::ClusterListening, move |(_, addr)| {
        listening.set(listening.get() + 1);
        if listening.get() == workers {
            let mut out = std::io::stdout().lock();
            let _ = writeln!(out, "listening on {}", addr.port);
            let _ = out.flush();
        }
    });
    cluster::respawn(Vec::new(), cluster::Backoff::default());
    nodestd_process::on_signal("SIGTERM", |_| cluster::disconnect(None)).expect("SIGTERM");
    let restarting = Rc::new(Cell::new(false));
    nodestd_process::on_signal("SIGHUP", move |_| {
        if !restarting.replace(true) {
            let r = Rc::clone(&restarting);
            restart(cluster::workers(), Rc::new(move || r.set(false)));
        }
    })
    .expect("SIGHUP");
    for _ in 0..workers {
        cluster::fork(&[]);
    }
}

/// Replaces the workers in `old` one by one, oldest first: a new worker listens, then the old
/// one disconnects (its in-flight requests finish) and exits.
fn restart(mut old: Vec<cluster::Worker>, done: Rc<dyn Fn()>) {
    if old.is_empty() {
        done();
        return;
    }
    let w = old.remove(0);
    let fresh = cluster::fork(&[]);
    let next = RefCell::new(Some((w, old, done)));
    fresh.emitter().once(cluster::WorkerListening, move |_| {
        let Some((w, old, done)) = next.borrow_mut().take() else {
            return;
        };
        let rest = RefCell::new(Some((old, done)));
        w.emitter().once(cluster::WorkerExit, move |_| {
            if let Some((old, done)) = rest.borrow_mut().take() {
                restart(old, done);
            }
        });
        w.disconnect();
    });
}

fn worker(port: u16) {
    let Some(me) = cluster::worker() else {
        eprintln!("cluster-hello: no channel to the primary");
        nodestd_loop::exit(1);
        return;
    };
    let id = me.id();
    let opts = ServerOptions {
        headers_timeout: 4000,
        request_timeout: 10_000,
        keep_alive_timeout: 5000,
        connections_checking_interval: 250,
        ..ServerOptions::default()
    };
    let server = create_server(opts, move |req, res| {
        let url = req.url();
        let path = url.split('?').next().unwrap_or(url);
        let hello = move |res: nodestd_http::ServerResponse| {
            res.set_header("Content-Type", "text/plain");
            res.end(format!("hello from worker {id}").as_bytes());
        };
        match (req.method(), path) {
            ("GET", "/") => hello(res),
            ("GET", "/slow") => {
                nodestd_loop::set_timeout(slow_ms(url), move || hello(res));
            }
            _ => {
                res.set_header("Content-Type", "text/plain");
                res.set_status_code(404);
                res.end(b"not found");
            }
        }
    });
    let http = server.clone();
    cluster::set_close(server.net(), move |done| http.close(done));
    server
        .listen(port, Some("127.0.0.1"), || {})
        .expect("listen");
}

fn main() {
    let port: u16 = arg("--port").and_then(|p| p.parse().ok()).unwrap_or(0);
    let workers: usize = arg("--workers")
        .and_then(|n| n.parse().ok())
        .unwrap_or(2)
        .max(1);
    if arg("--policy").as_deref() == Some("shared") {
        cluster::set_scheduling_policy(cluster::SchedulingPolicy::None);
    }
    let exit = nodestd_loop::run(move || {
        if cluster::is_primary() {
            primary(workers);
        } else {
            worker(port);
        }
    });
    std::process::exit(exit.code());
}
