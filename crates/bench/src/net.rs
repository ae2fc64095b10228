//! The network workloads (issue 14): `http-hello` (the release `http-hello` example under
//! `wrk`, and its RSS with 10,000 idle keep-alive connections) and `net-echo` (bytes through
//! one loopback socket and back). `bench/node/http-hello.js` and `bench/node/net-echo.js` do
//! the same to Node's twin server and Node's `net`.
//!
//! `http-hello` measures a server in another process, so the client side (wrk, and the idle
//! connections opened here with blocking std sockets) is the same instrument for both; the
//! Node script drives its twin the same way (wrk, then idle connections from `net`).

use std::cell::Cell;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::rc::Rc;
use std::time::{Duration, Instant};

use nodestd_net::{self as net, ConnectTarget, ServerOptions, SocketOptions};
use nodestd_stream::Chunk;

use crate::emit_unit;

/// wrk's connections, as issue 14 asks.
const CONNECTIONS: u32 = 64;
/// The idle keep-alive connections of the RSS case.
const IDLE: usize = 10_000;
/// The request wrk and the idle connections send.
const GET: &[u8] = b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";

/// One measurement line with its value as measured (a rate, a latency, a size).
pub(crate) fn emit_value(workload: &str, unit: &str, value: f64) {
    println!("{{\"workload\":\"{workload}\",\"unit\":\"{unit}\",\"value\":{value}}}");
}

/// A server process and its port (read from its `listening on PORT` banner).
pub(crate) struct ServerProc {
    child: Child,
    pub(crate) port: u16,
}

impl ServerProc {
    pub(crate) fn start(mut cmd: Command) -> ServerProc {
        let mut child = cmd
            .arg("--port")
            .arg("0")
            .stdout(Stdio::piped())
            .spawn()
            .expect("start the server");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("piped stdout"))
            .read_line(&mut line)
            .expect("the server's banner");
        let port = line
            .trim()
            .strip_prefix("listening on ")
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("not a banner: {line:?}"));
        ServerProc { child, port }
    }

    /// The server's resident set (`VmRSS` in /proc), in MiB.
    fn rss_mib(&self) -> f64 {
        rss_mib(self.child.id())
    }
}

impl Drop for ServerProc {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `VmRSS` of process `pid`, in MiB.
pub fn rss_mib(pid: u32) -> f64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("/proc status");
    let kb: f64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmRSS in /proc status");
    kb / 1024.0
}

/// What wrk reported: requests per second and the 99th percentile latency in ms.
pub(crate) struct WrkResult {
    pub(crate) req_per_sec: f64,
    p99_ms: f64,
}

/// `wrk -t1 -c64 -d{secs}s --latency` against `GET /` on `port` (one wrk thread: the
/// machine's other core is the server's).
pub(crate) fn wrk(port: u16, secs: u32) -> WrkResult {
    let out = Command::new("wrk")
        .args(["-t1", &format!("-c{CONNECTIONS}"), &format!("-d{secs}s")])
        .arg("--latency")
        .arg(format!("http://127.0.0.1:{port}/"))
        .output()
        .unwrap_or_else(|e| {
            panic!("cannot run wrk ({e}): the http-hello workload needs it (apt-get install wrk)")
        });
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "wrk failed: {text}");
    parse_wrk(&text).unwrap_or_else(|| panic!("cannot read wrk's report:\n{text}"))
}

/// Reads `Requests/sec:` and the `99%` latency line of wrk's `--latency` report; a report
/// with socket errors or non-2xx answers is refused (the server misbehaved).
fn parse_wrk(text: &str) -> Option<WrkResult> {
    assert!(
        !text.contains("Non-2xx") && !text.contains("Socket errors"),
        "wrk saw errors:\n{text}"
    );
    let req_per_sec = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("Requests/sec:"))?
        .trim()
        .parse()
        .ok()?;
    let p99 = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("99%"))?
        .trim();
    let split = p99.find(|c: char| c.is_ascii_alphabetic())?;
    let (num, unit) = p99.split_at(split);
    let num: f64 = num.parse().ok()?;
    let p99_ms = match unit {
        "us" => num / 1000.0,
        "ms" => num,
        "s" => num * 1000.0,
        "m" => num * 60_000.0,
        _ => return None,
    };
    Some(WrkResult {
        req_per_sec,
        p99_ms,
    })
}

/// Raises the soft limit on open files to the hard one (children inherit it); returns the
/// limit now in force.
pub fn raise_nofile() -> u64 {
    use rustix::process::{Resource, getrlimit, setrlimit};
    let mut lim = getrlimit(Resource::Nofile);
    if lim.current < lim.maximum {
        lim.current = lim.maximum;
        let _ = setrlimit(Resource::Nofile, lim);
    }
    getrlimit(Resource::Nofile).current.unwrap_or(u64::MAX)
}

/// Opens `n` connections to `port`, each with one `GET /` answered and the connection kept
/// alive; returns them (idle, open) once every answer has arrived.
fn idle_connections(port: u16, n: usize) -> Vec<TcpStream> {
    // In batches, so that the server's accept queue (backlog 511) never overflows.
    const BATCH: usize = 256;
    let mut conns = Vec::with_capacity(n);
    let mut buf = [0u8; 1024];
    while conns.len() < n {
        let batch: Vec<TcpStream> = (0..BATCH.min(n - conns.len()))
            .map(|_| {
                let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect");
                s.write_all(GET).expect("write the request");
                s
            })
            .collect();
        for mut s in batch {
            s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
            let mut got = Vec::new();
            // The answer is `hello world` (11 bytes) after the head.
            while !got.windows(4).any(|w| w == b"\r\n\r\n") || !got.ends_with(b"hello world") {
                let k = s.read(&mut buf).expect("read the answer");
                assert!(k > 0, "the server closed an idle connection");
                got.extend_from_slice(&buf[..k]);
            }
            assert!(got.starts_with(b"HTTP/1.1 200 OK\r\n"));
            conns.push(s);
        }
    }
    conns
}

/// `http-hello`: req/s and p99 under wrk (64 connections, 10 s; 2 s with `--quick`), then
/// the RSS of a fresh server holding 10,000 idle keep-alive connections.
pub fn http_hello(quick: bool) {
    let exe = crate::example("nodestd-http", "http-hello");
    let limit = raise_nofile();
    {
        let server = ServerProc::start(Command::new(&exe));
        if !quick {
            // An unmeasured second of warm-up, as the other workloads warm up.
            wrk(server.port, 1);
        }
        let r = wrk(server.port, if quick { 2 } else { 10 });
        emit_value("http-hello", "req/s", r.req_per_sec);
        emit_value("http-hello/p99", "ms", r.p99_ms);
    }
    {
        // The floor (http_floor.rs): no nodestd code, no parsing, the same wrk.
        let floor = crate::http_floor::FloorServer::start();
        if !quick {
            wrk(floor.port, 1);
        }
        let r = wrk(floor.port, if quick { 2 } else { 10 });
        emit_value("http-hello@floor", "req/s", r.req_per_sec);
    }
    let n = idle_count(limit);
    let server = ServerProc::start(Command::new(&exe));
    let conns = idle_connections(server.port, n);
    std::thread::sleep(Duration::from_millis(200));
    let rss = server.rss_mib();
    emit_value(&format!("http-hello/rss-{}k-idle", n / 1000), "MiB", rss);
    drop(conns);
}

/// 10,000, or what the open-files limit leaves room for (said on stderr).
pub fn idle_count(limit: u64) -> usize {
    let room = limit.saturating_sub(100) as usize;
    if room < IDLE {
        let n = room / 1000 * 1000;
        eprintln!(
            "http-hello: the open-files limit is {limit}: {n} idle connections, not {IDLE} \
             (raise the hard limit for the full case)"
        );
        n
    } else {
        IDLE
    }
}

/// `net-echo`: MiB/s of a client's bytes sent through one loopback connection to a server
/// that writes them back, until all have come back (256 MiB; 32 MiB with `--quick`), in
/// 64 KiB writes with backpressure on both sides.
pub fn net_echo(quick: bool) {
    let total: u64 = if quick { 32 << 20 } else { 256 << 20 };
    echo_case(total / 8);
    let secs = echo_case(total);
    emit_unit("net-echo", "MiB/s", total >> 20, secs);
}

fn echo_case(total: u64) -> f64 {
    let secs = Rc::new(Cell::new(0.0));
    let s = Rc::clone(&secs);
    let exit = nodestd_loop::run(move || {
        let server = net::create_server(ServerOptions::default(), |sock| {
            let (s, w) = (sock.clone(), sock.clone());
            sock.on_data(move |chunk| {
                if !s.write(chunk.clone()) {
                    s.pause();
                    let r = s.clone();
                    s.once_drain(move || r.resume());
                }
            });
            sock.on_end(move || w.end());
        });
        let srv = server.clone();
        server
            .listen_port(0, Some("127.0.0.1"), move || {
                let target = ConnectTarget::Tcp {
                    port: srv.port().expect("a port"),
                    host: None,
                };
                let client = net::connect(target, SocketOptions::default());
                let start = Instant::now();
                let block = Chunk::from(vec![b'x'; 64 * 1024]);
                let sent = Rc::new(Cell::new(0u64));
                let got = Rc::new(Cell::new(0u64));
                let c = client.clone();
                let pump: Rc<dyn Fn()> = Rc::new(move || {
                    while sent.get() < total {
                        sent.set(sent.get() + block.len() as u64);
                        if !c.write(block.clone()) {
                            return;
                        }
                    }
                });
                let p = Rc::clone(&pump);
                client.on_connect(move || p());
                client.on_drain(move || pump());
                let (c, srv, s) = (client.clone(), srv.clone(), Rc::clone(&s));
                client.on_data(move |chunk| {
                    got.set(got.get() + chunk.len() as u64);
                    if got.get() >= total {
                        s.set(start.elapsed().as_secs_f64());
                        c.end();
                        srv.close(None);
                    }
                });
            })
            .expect("listen");
    });
    assert_eq!(exit.code(), 0, "the loop ended with {exit:?}");
    secs.get()
}

#[cfg(test)]
mod tests {
    use super::parse_wrk;

    #[test]
    fn reads_a_wrk_report() {
        let report = "Running 2s test @ http://127.0.0.1:1/\n  1 threads and 64 connections\n\
            \x20 Thread Stats   Avg      Stdev     Max   +/- Stdev\n\
            \x20   Latency     1.93ms    1.57ms  30.16ms   94.08%\n\
            \x20 Latency Distribution\n     50%    1.45ms\n     75%    1.79ms\n\
            \x20    90%    2.49ms\n     99%  850.00us\n\
            \x20 65000 requests in 2.00s, 9.92MB read\nRequests/sec:  32500.12\n\
            Transfer/sec:      4.96MB\n";
        let r = parse_wrk(report).unwrap();
        assert_eq!(r.req_per_sec, 32500.12);
        assert_eq!(r.p99_ms, 0.85);
    }
}
