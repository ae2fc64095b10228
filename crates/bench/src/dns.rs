//! The dns workloads (`bench/node/dns-*.js` are their Node twins): `dns.lookup('localhost')`
//! through getaddrinfo on the pool's slow lane, and `resolver.resolve4` against a loopback
//! DNS server, 64 in flight each. The server is this program run as `nodestd-bench
//! --dns-server` in a process of its own, for both sides alike: it prints its UDP port, answers
//! every question with two `A` records, and ends when its standard input closes.

use std::io::{BufRead, Write};
use std::net::UdpSocket;
use std::process::{Child, Command, Stdio};
use std::rc::Rc;

use nodestd_dns as dns;

use crate::pool::in_flight;
use crate::{emit, size};

/// `--dns-server`: serves until standard input closes.
pub fn server() {
    let sock = UdpSocket::bind("127.0.0.1:0").expect("bind the bench DNS server");
    let port = sock.local_addr().expect("its address").port();
    println!("{port}");
    std::io::stdout().flush().expect("print the port");
    std::thread::spawn(|| {
        let mut sink = String::new();
        while std::io::stdin()
            .lock()
            .read_line(&mut sink)
            .is_ok_and(|n| n > 0)
        {}
        std::process::exit(0);
    });
    let mut buf = [0u8; 512];
    let mut out = Vec::with_capacity(512);
    while let Ok((n, from)) = sock.recv_from(&mut buf) {
        if answer(&buf[..n], &mut out) {
            let _ = sock.send_to(&out, from);
        }
    }
}

/// The answer to query `q`: its header and question, then `192.0.2.1` and `192.0.2.2` for
/// the question's name (a compression pointer to offset 12), TTL 300. `false` for a message
/// that is not one question.
fn answer(q: &[u8], out: &mut Vec<u8>) -> bool {
    if q.len() < 12 || q[4..6] != [0, 1] {
        return false;
    }
    let mut at = 12;
    while let Some(&l) = q.get(at) {
        if l == 0 {
            break;
        }
        at += 1 + l as usize;
    }
    let end = at + 5;
    if end > q.len() {
        return false;
    }
    out.clear();
    out.extend_from_slice(&q[..2]);
    out.extend_from_slice(&[0x81, 0x80, 0, 1, 0, 2, 0, 0, 0, 0]);
    out.extend_from_slice(&q[12..end]);
    for last in [1u8, 2] {
        out.extend_from_slice(&[0xc0, 12, 0, 1, 0, 1, 0, 0, 1, 44, 0, 4, 192, 0, 2, last]);
    }
    true
}

/// The server process, and its `127.0.0.1:port`.
fn start_server() -> (Child, String) {
    let mut child = Command::new(std::env::current_exe().expect("this program"))
        .arg("--dns-server")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("start the bench DNS server");
    let mut line = String::new();
    std::io::BufReader::new(child.stdout.take().expect("its stdout"))
        .read_line(&mut line)
        .expect("read its port");
    (child, format!("127.0.0.1:{}", line.trim()))
}

/// The floors of `dns-lookup` (printed by `--floors`): what `getaddrinfo("localhost")`
/// costs on this machine (through std's `to_socket_addrs`, the same libc call), alone and as
/// the lookup workload runs it, on the two threads of the pool's slow lane (libuv's and
/// ours: at most half of the 4 threads), in wall-clock ns per lookup; the fastest of three.
pub fn floors(quick: bool) {
    use std::net::ToSocketAddrs;
    let n: u64 = if quick { 2_000 } else { 20_000 };
    let lookup = || {
        std::hint::black_box(("localhost", 0).to_socket_addrs().map(|a| a.count()).ok());
    };
    for threads in [1u64, 2] {
        for _ in 0..n / 10 {
            lookup();
        }
        let best = (0..3)
            .map(|_| {
                let start = std::time::Instant::now();
                std::thread::scope(|s| {
                    for _ in 0..threads {
                        s.spawn(|| (0..n / threads).for_each(|_| lookup()));
                    }
                });
                start.elapsed().as_secs_f64()
            })
            .fold(f64::INFINITY, f64::min);
        println!(
            "{{\"floor\":\"getaddrinfo-localhost/{threads}-thread\",\"ns\":{:.2}}}",
            best * 1e9 / n as f64
        );
    }
}

/// `dns-lookup`: 20,000 `dns.lookup('localhost', cb)`, 64 in flight.
pub fn dns_lookup(quick: bool) {
    let n = size(20_000, quick) as usize;
    let run = |n: usize| {
        in_flight(
            n,
            64,
            Rc::new(|_, done| {
                dns::callback::lookup("localhost", dns::LookupOptions::default(), move |r| {
                    r.expect("localhost resolves");
                    done();
                })
                .expect("dns.lookup takes its arguments");
            }),
        )
    };
    run(n / 10);
    emit("dns-lookup/callback", n as u64, run(n));
}

/// `dns-resolve4`: 50,000 `resolver.resolve4('a.test', cb)`, 64 in flight, against the bench's
/// loopback server.
pub fn dns_resolve4(quick: bool) {
    let n = size(50_000, quick) as usize;
    let (mut child, server) = start_server();
    let run = |n: usize| {
        let server = server.clone();
        in_flight(
            n,
            64,
            Rc::new(move |_, done| {
                thread_local! {
                    static RESOLVER: std::cell::OnceCell<dns::callback::Resolver> =
                        const { std::cell::OnceCell::new() };
                }
                RESOLVER.with(|r| {
                    r.get_or_init(|| {
                        let r = dns::callback::Resolver::new(dns::ResolverOptions::default())
                            .expect("default options");
                        r.set_servers(&[server.as_str()]).expect("the bench server");
                        r
                    })
                    .resolve4("a.test", move |r| {
                        let r = r.expect("a.test resolves");
                        assert!(matches!(r, dns::Records::Names(ref v) if v.len() == 2));
                        done();
                    })
                });
            }),
        )
    };
    run(n / 10);
    emit("dns-resolve4/callback", n as u64, run(n));
    drop(child.stdin.take());
    let _ = child.wait();
}
