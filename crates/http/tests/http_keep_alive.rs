//! The keep-alive timeout as node v20.20 keeps it: an idle connection closes
//! `keepAliveTimeout` + 1 s after its last response (`HTTP_SERVER_KEEP_ALIVE_TIMEOUT_BUFFER`),
//! and the `Keep-Alive` header is sent whenever `keepAliveTimeout` is not 0, in whole seconds
//! (500 ms says `timeout=0`). Compared with node's server given the same options.

mod support;

use std::process::Command;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use nodestd_http::{ServerOptions, create_server};

/// Node's server with `keepAliveTimeout: ka`, answering `ok`.
const NODE: &str = "const http = require('http');
const ka = Number(process.argv[1]);
const s = http.createServer({ keepAliveTimeout: ka }, (req, res) => res.end('ok'));
s.listen(0, '127.0.0.1', () => console.log('listening on ' + s.address().port));";

fn ours(ka: u64) -> u16 {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        nodestd_loop::run(move || {
            let opts = ServerOptions {
                keep_alive_timeout: ka,
                ..ServerOptions::default()
            };
            let server = create_server(opts, |_, res| res.end(b"ok"));
            let s = server.clone();
            server
                .listen(0, Some("127.0.0.1"), move || {
                    tx.send(s.port().unwrap()).unwrap()
                })
                .unwrap();
            std::mem::forget(server);
        });
    });
    rx.recv_timeout(Duration::from_secs(20)).unwrap()
}

/// The reply without its `Date` line, whether the server closed, and when.
fn idle_close(port: u16) -> (String, bool, u128) {
    let start = Instant::now();
    let (raw, closed) = support::exchange(
        port,
        b"GET / HTTP/1.1\r\nHost: a\r\n\r\n",
        false,
        Duration::from_secs(5),
    );
    let text = String::from_utf8_lossy(&raw)
        .split_inclusive("\r\n")
        .filter(|l| !l.starts_with("Date: "))
        .collect();
    (text, closed, start.elapsed().as_millis())
}

#[test]
fn an_idle_connection_closes_as_nodes_does() {
    for ka in [500u64, 1000] {
        let mut cmd = Command::new("node");
        cmd.args(["-e", NODE, &ka.to_string()]);
        let node = support::started(cmd);
        let (a, b) = (idle_close(ours(ka)), idle_close(node.port));
        assert_eq!((&a.0, a.1), (&b.0, b.1), "keepAliveTimeout {ka}");
        let lo = u128::from(ka) + 1000;
        for (who, t) in [("ours", a.2), ("node", b.2)] {
            assert!(
                (lo - 100..lo + 900).contains(&t),
                "keepAliveTimeout {ka}: {who} closed after {t} ms, not about {lo}"
            );
        }
    }
}
