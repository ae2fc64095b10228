//! A small authoritative DNS server on loopback for the tests: UDP and TCP on one port, a
//! fixed zone under `test.`, and names that answer SERVFAIL, REFUSED, never answer, or need
//! TCP (truncated over UDP). Names under `all-` answer every record they have, whatever
//! the question's type (to put a broken record of another type in an answer). The names of
//! [`replies`] misbehave as c-ares must survive: answers to another question or id, from
//! another port, malformed, cut, or over a TCP connection that closes or stays silent. The
//! server counts the queries it gets per name and transport ([`seen`]).

#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, UdpSocket};
use std::sync::Mutex;

const A: u16 = 1;
const NS: u16 = 2;
const CNAME: u16 = 5;
const SOA: u16 = 6;
const PTR: u16 = 12;
const MX: u16 = 15;
const TXT: u16 = 16;
const AAAA: u16 = 28;
const SRV: u16 = 33;
const NAPTR: u16 = 35;
const ANY: u16 = 255;
const CAA: u16 = 257;

fn name(n: &str) -> Vec<u8> {
    let mut v = Vec::new();
    for l in n.split('.').filter(|l| !l.is_empty()) {
        v.push(l.len() as u8);
        v.extend_from_slice(l.as_bytes());
    }
    v.push(0);
    v
}

fn strings(parts: &[&[u8]]) -> Vec<u8> {
    let mut v = Vec::new();
    for p in parts {
        v.push(p.len() as u8);
        v.extend_from_slice(p);
    }
    v
}

/// The zone: (owner, type, ttl, rdata).
fn zone() -> Vec<(String, u16, u32, Vec<u8>)> {
    let mut z: Vec<(String, u16, u32, Vec<u8>)> = Vec::new();
    let mut add = |o: &str, t: u16, ttl: u32, d: Vec<u8>| z.push((o.to_string(), t, ttl, d));
    add("a.test", A, 300, vec![192, 0, 2, 1]);
    add("a.test", A, 60, vec![192, 0, 2, 2]);
    add(
        "a.test",
        AAAA,
        120,
        "2001:db8::1"
            .parse::<std::net::Ipv6Addr>()
            .unwrap()
            .octets()
            .to_vec(),
    );
    add(
        "a.test",
        AAAA,
        120,
        "::ffff:192.0.2.9"
            .parse::<std::net::Ipv6Addr>()
            .unwrap()
            .octets()
            .to_vec(),
    );
    add("alias.test", CNAME, 30, name("a.test"));
    add("xn--bcher-kva.test", A, 300, vec![192, 0, 2, 55]);
    add("mixed_case*.test", A, 300, vec![192, 0, 2, 56]);
    add(
        "mx.test",
        MX,
        300,
        [&10u16.to_be_bytes()[..], &name("mail1.test")].concat(),
    );
    add(
        "mx.test",
        MX,
        300,
        [&20u16.to_be_bytes()[..], &name("mail2.test")].concat(),
    );
    add("txt.test", TXT, 300, strings(&[b"v=spf1", b" -all", b""]));
    add("txt.test", TXT, 300, strings(&[b"caf\xe9"]));
    add(
        "srv.test",
        SRV,
        300,
        [&[0u8, 1, 0, 5, 0x13, 0xc4][..], &name("sip.test")].concat(),
    );
    add(
        "naptr.test",
        NAPTR,
        300,
        [
            &[0u8, 100, 0, 10][..],
            &strings(&[b"S", b"SIP+D2U", b"!^.*$!sip:x@test!"]),
            &name("_sip._udp.test"),
        ]
        .concat(),
    );
    add("ns.test", NS, 300, name("ns1.test"));
    add("ns.test", NS, 300, name("ns2.test"));
    add(
        "soa.test",
        SOA,
        300,
        [
            name("ns1.test"),
            name("hostmaster.test"),
            [2024010101u32, 3600, 600, 86400, 300]
                .iter()
                .flat_map(|v| v.to_be_bytes())
                .collect(),
        ]
        .concat(),
    );
    add(
        "caa.test",
        CAA,
        300,
        [&[0u8, 5][..], b"issue", b"ca.example"].concat(),
    );
    add(
        "caa.test",
        CAA,
        300,
        [&[128u8, 5][..], b"iodef", b"mailto:x@example"].concat(),
    );
    add("ptr.test", PTR, 300, name("target.test"));
    add("1.2.0.192.in-addr.arpa", PTR, 300, name("a.test"));
    add(
        "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa",
        PTR,
        300,
        name("six.test"),
    );
    add("any.test", A, 100, vec![192, 0, 2, 7]);
    add(
        "any.test",
        MX,
        100,
        [&5u16.to_be_bytes()[..], &name("mx.any.test")].concat(),
    );
    add("any.test", TXT, 100, strings(&[b"any"]));
    for i in 0..60u8 {
        add("big.test", A, 300, vec![10, 0, 0, i]);
    }
    // Odd bytes in names, as c-ares escapes them: a dot and a 0xff inside labels, a space,
    // and each of its reserved characters.
    let raw = |labels: &[&[u8]]| {
        let mut v = Vec::new();
        for l in labels {
            v.push(l.len() as u8);
            v.extend_from_slice(l);
        }
        v.push(0);
        v
    };
    add("odd.test", PTR, 300, raw(&[b"a.b", b" \xff", b"\\\"A"]));
    add(
        "odd.test",
        PTR,
        300,
        raw(&[b";()@$", b"\x7f~\x00", b"test"]),
    );
    add(
        "odd.test",
        MX,
        300,
        [&[0u8, 1][..], &raw(&[b"m x", b"\x01"])].concat(),
    );
    // TXT chunks in order, empty chunks and Latin-1 bytes.
    add(
        "chunks.test",
        TXT,
        300,
        strings(&[b"", b"b", b"", b"\x00\xff", b"a"]),
    );
    add("chunks.test", TXT, 300, strings(&[&[b'x'; 255], b"y"]));
    // CAA tags as they come (case, '-', longer than 15 bytes), values as raw Latin-1 bytes.
    for (flags, tag, value) in [
        (0u8, &b"ISSUE"[..], &b"ca.example; account=1"[..]),
        (0, b"is-sue", b"x"),
        (1, b"abcdefghijklmnop", b"\xff%;="),
        (128, b"iodef", b"not a url"),
    ] {
        add(
            "caa-odd.test",
            CAA,
            300,
            [&[flags, tag.len() as u8][..], tag, value].concat(),
        );
    }
    // Rdata longer than its fields (c-ares skips the rest) ...
    add("long.test", A, 300, vec![192, 0, 2, 3, 99]);
    add(
        "long.test",
        AAAA,
        300,
        vec![0x20, 1, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 5, 7],
    );
    add(
        "long.test",
        MX,
        300,
        [&[0u8, 1][..], &name("m.test"), &[9, 9]].concat(),
    );
    // ... or shorter (EBADRESP for the whole answer, whichever type was asked).
    add("short-a.test", A, 300, vec![192, 0, 2]);
    add("empty-txt.test", TXT, 300, vec![]);
    add("caa-notag.test", CAA, 300, vec![0, 0, b'x']);
    add(
        "caa-novalue.test",
        CAA,
        300,
        [&[0u8, 5][..], b"issue"].concat(),
    );
    add("all-https.test", A, 300, vec![192, 0, 2, 4]);
    add("all-https.test", 65, 300, vec![0, 1, 0, 0, 1]);
    add("all-unknown.test", A, 300, vec![192, 0, 2, 5]);
    add("all-unknown.test", 99, 300, vec![3, b'a', b'b', b'c']);
    z
}

/// The question of query `q`: its name (lower case), type, and the question's bytes.
fn question(q: &[u8]) -> Option<(String, u16, &[u8])> {
    let mut at = 12;
    let mut labels = Vec::new();
    while *q.get(at)? != 0 {
        let l = q[at] as usize;
        labels.push(String::from_utf8_lossy(q.get(at + 1..at + 1 + l)?).to_lowercase());
        at += 1 + l;
    }
    let qname_end = at + 1;
    let qtype = u16::from_be_bytes([*q.get(qname_end)?, *q.get(qname_end + 1)?]);
    Some((labels.join("."), qtype, q.get(12..qname_end + 4)?))
}

/// A response: header (`id`, `flags`), `question` (none when empty), then the records.
fn message(id: &[u8], flags: u16, question: &[u8], rrs: &[(String, u16, u32, Vec<u8>)]) -> Vec<u8> {
    let mut m = id.to_vec();
    m.extend_from_slice(&flags.to_be_bytes());
    m.extend_from_slice(&[0, u8::from(!question.is_empty())]);
    m.extend_from_slice(&(rrs.len() as u16).to_be_bytes());
    m.extend_from_slice(&[0, 0, 0, 0]);
    m.extend_from_slice(question);
    for (o, t, ttl, d) in rrs {
        m.extend_from_slice(&name(o));
        m.extend_from_slice(&t.to_be_bytes());
        m.extend_from_slice(&1u16.to_be_bytes());
        m.extend_from_slice(&ttl.to_be_bytes());
        m.extend_from_slice(&(d.len() as u16).to_be_bytes());
        m.extend_from_slice(d);
    }
    m
}

/// How the server treats a question: `None` never answers.
pub fn answer(q: &[u8], tcp: bool) -> Option<Vec<u8>> {
    let id = &q[0..2];
    let (owner, qtype, question) = question(q)?;
    let mut rcode = 0u16;
    let mut tc = false;
    let mut rrs: Vec<(String, u16, u32, Vec<u8>)> = Vec::new();
    match owner.as_str() {
        "timeout.test" => return None,
        "servfail.test" => rcode = 2,
        "refused.test" => rcode = 5,
        "notimp.test" => rcode = 4,
        "formerr.test" => rcode = 1,
        "big.test" if !tcp => tc = true,
        "rcode6.test" => {
            rcode = 6;
            rrs.push((owner.clone(), A, 300, vec![192, 0, 2, 6]));
        }
        "badclass.test" => {
            let mut m = message(
                id,
                0x8180,
                question,
                &[(owner.clone(), A, 300, vec![192, 0, 2, 7])],
            );
            let class_at = m.len() - 4 - 2 - 4 - 2;
            m[class_at..class_at + 2].copy_from_slice(&2u16.to_be_bytes());
            return Some(m);
        }
        _ => {
            let z = zone();
            let mut cur = owner.clone();
            if let Some(c) = z.iter().find(|r| r.0 == cur && r.1 == CNAME) {
                rrs.push(c.clone());
                if qtype != CNAME {
                    cur = "a.test".into();
                }
            }
            rrs.extend(
                z.iter()
                    .filter(|r| {
                        r.0 == cur
                            && r.1 != CNAME
                            && (qtype == ANY || r.1 == qtype || cur.starts_with("all-"))
                    })
                    .cloned(),
            );
            if !z.iter().any(|r| r.0 == owner) {
                rcode = 3;
            }
        }
    }
    let flags: u16 = 0x8180 | rcode | if tc { 0x0200 } else { 0 };
    Some(message(id, flags, question, &rrs))
}

/// One thing the server does in reply to a query.
pub enum Reply {
    /// A message (a datagram, or a frame over TCP).
    Send(Vec<u8>),
    /// A datagram from another port of the server's address.
    OtherPort(Vec<u8>),
    /// Over TCP: close the connection without a word.
    Close,
}

/// What the server does for query `q`: the zone's [`answer`], or for the misbehaving names:
///
/// - `wrong-first.test`: four answers carrying `6.6.6.6` that c-ares must drop (another id,
///   another name, another type, class CHAOS), then the right one (`192.0.2.1`);
///   `only-wrong.test` only the four; `case.test` the right one with the question's name in
///   upper case;
/// - `other-port.test`: `6.6.6.6` from another port, then the right one; `only-other-port.test`
///   only the first; `empty-first.test`: an empty datagram, then the right one;
/// - `zero-qd.test`: an answer without its question (malformed); `tc-cut.test`: a truncated
///   answer cut in the middle of its records over UDP (the whole answer over TCP);
/// - `tc-*.test` (truncated over UDP), over TCP: `tc-wrong`: an empty frame, another id and
///   another name, then the right answer; `tc-onlywrong`: the two wrong ones, then silence;
///   `tc-bad`: a malformed frame; `tc-close`: the connection closed; `tc-silent`: silence;
///   `tc-tc`: the right answer with its TC bit set.
pub fn replies(q: &[u8], tcp: bool) -> Vec<Reply> {
    let Some((owner, qtype, question)) = question(q) else {
        return Vec::new();
    };
    let id = &q[0..2];
    let a = |addr: [u8; 4]| vec![(owner.clone(), A, 300, addr.to_vec())];
    let right = message(id, 0x8180, question, &a([192, 0, 2, 1]));
    let evil = a([6, 6, 6, 6]);
    let other_id = [id[0] ^ 0x5a, id[1]];
    let other_name = {
        let mut q2 = name("other.test");
        q2.extend_from_slice(&question[question.len() - 4..]);
        message(
            id,
            0x8180,
            &q2,
            &[("other.test".into(), A, 300, vec![6, 6, 6, 6])],
        )
    };
    let with_tail = |tail: [u8; 4]| {
        let mut q2 = question.to_vec();
        let n = q2.len();
        q2[n - 4..].copy_from_slice(&tail);
        message(id, 0x8180, &q2, &evil)
    };
    let other_type = with_tail([0, if qtype == 28 { 1 } else { 28 }, 0, 1]);
    let other_class = with_tail([(qtype >> 8) as u8, qtype as u8, 0, 3]);
    let wrong = vec![
        Reply::Send(message(&other_id, 0x8180, question, &evil)),
        Reply::Send(other_name.clone()),
        Reply::Send(other_type),
        Reply::Send(other_class),
    ];
    let tc_empty = message(id, 0x8380, question, &[]);
    let on_tcp = |r: Vec<Reply>| {
        if tcp {
            r
        } else {
            vec![Reply::Send(tc_empty.clone())]
        }
    };
    match owner.as_str() {
        "wrong-first.test" => wrong.into_iter().chain([Reply::Send(right)]).collect(),
        "only-wrong.test" => wrong,
        "case.test" => {
            let mut m = right;
            let end = 12 + question.len() - 4;
            m[12..end].make_ascii_uppercase();
            vec![Reply::Send(m)]
        }
        "other-port.test" => vec![
            Reply::OtherPort(message(id, 0x8180, question, &evil)),
            Reply::Send(right),
        ],
        "only-other-port.test" => vec![Reply::OtherPort(message(id, 0x8180, question, &evil))],
        "empty-first.test" => vec![Reply::Send(Vec::new()), Reply::Send(right)],
        "zero-qd.test" => vec![Reply::Send(message(id, 0x8180, &[], &a([192, 0, 2, 1])))],
        "tc-cut.test" if !tcp => {
            let three = [a([192, 0, 2, 1]), a([192, 0, 2, 2]), a([192, 0, 2, 3])].concat();
            let mut m = message(id, 0x8380, question, &three);
            m.truncate(m.len() - 20);
            vec![Reply::Send(m)]
        }
        "tc-cut.test" => vec![Reply::Send(right)],
        "tc-wrong.test" => on_tcp(vec![
            Reply::Send(Vec::new()),
            Reply::Send(message(&other_id, 0x8180, question, &evil)),
            Reply::Send(other_name),
            Reply::Send(right),
        ]),
        "tc-onlywrong.test" => on_tcp(vec![
            Reply::Send(message(&other_id, 0x8180, question, &evil)),
            Reply::Send(other_name),
        ]),
        "tc-bad.test" => on_tcp(vec![Reply::Send(message(id, 0x8180, &[], &[]))]),
        "tc-close.test" => on_tcp(vec![Reply::Close]),
        "tc-silent.test" => on_tcp(vec![]),
        "tc-tc.test" => on_tcp(vec![Reply::Send(message(
            id,
            0x8380,
            question,
            &a([192, 0, 2, 1]),
        ))]),
        _ => answer(q, tcp).map(Reply::Send).into_iter().collect(),
    }
}

/// The queries each server got: (port, name, over TCP).
static SEEN: Mutex<Vec<(u16, String, bool)>> = Mutex::new(Vec::new());

/// How many queries for `name` the server at `addr` got over UDP and over TCP, forgetting
/// them.
pub fn seen(addr: SocketAddr, name: &str) -> (usize, usize) {
    let mut all = SEEN.lock().unwrap();
    let mut counts = (0, 0);
    all.retain(|(port, n, tcp)| {
        if *port != addr.port() || n != name {
            return true;
        }
        if *tcp {
            counts.1 += 1;
        } else {
            counts.0 += 1;
        }
        false
    });
    counts
}

fn note(port: u16, q: &[u8], tcp: bool) {
    if let Some((n, _, _)) = question(q) {
        SEEN.lock().unwrap().push((port, n, tcp));
    }
}

/// Starts the server on an ephemeral loopback port (UDP and TCP) and returns its address.
pub fn start() -> SocketAddr {
    let (udp, tcp) = loop {
        let udp = UdpSocket::bind("127.0.0.1:0").unwrap();
        let addr = udp.local_addr().unwrap();
        if let Ok(tcp) = TcpListener::bind(addr) {
            break (udp, tcp);
        }
    };
    let addr = udp.local_addr().unwrap();
    let port = addr.port();
    let other = UdpSocket::bind("127.0.0.1:0").unwrap();
    std::thread::spawn(move || {
        let mut buf = [0u8; 4096];
        while let Ok((n, from)) = udp.recv_from(&mut buf) {
            note(port, &buf[..n], false);
            for r in replies(&buf[..n], false) {
                let _ = match r {
                    Reply::Send(m) => udp.send_to(&m, from),
                    Reply::OtherPort(m) => other.send_to(&m, from),
                    Reply::Close => Ok(0),
                };
            }
        }
    });
    std::thread::spawn(move || {
        for s in tcp.incoming() {
            let Ok(mut s) = s else { continue };
            std::thread::spawn(move || {
                let mut len = [0u8; 2];
                while s.read_exact(&mut len).is_ok() {
                    let mut q = vec![0u8; u16::from_be_bytes(len) as usize];
                    if s.read_exact(&mut q).is_err() {
                        return;
                    }
                    note(port, &q, true);
                    for r in replies(&q, true) {
                        let m = match r {
                            Reply::Send(m) | Reply::OtherPort(m) => m,
                            Reply::Close => return,
                        };
                        let mut out = (m.len() as u16).to_be_bytes().to_vec();
                        out.extend_from_slice(&m);
                        if s.write_all(&out).is_err() {
                            return;
                        }
                    }
                }
            });
        }
    });
    addr
}
