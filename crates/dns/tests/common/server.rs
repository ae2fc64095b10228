//! A small authoritative DNS server on loopback for the tests: UDP and TCP on one port, a
//! fixed zone under `test.`, and names that answer SERVFAIL, REFUSED, never answer, or need
//! TCP (truncated over UDP). Names under `all-` answer every record they have, whatever
//! the question's type (to put a broken record of another type in an answer).

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, UdpSocket};

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

/// How the server treats a question: `None` never answers.
pub fn answer(q: &[u8], tcp: bool) -> Option<Vec<u8>> {
    let id = &q[0..2];
    let mut at = 12;
    let mut labels = Vec::new();
    while q[at] != 0 {
        let l = q[at] as usize;
        labels.push(String::from_utf8_lossy(&q[at + 1..at + 1 + l]).to_lowercase());
        at += 1 + l;
    }
    let qname_end = at + 1;
    let qtype = u16::from_be_bytes([q[qname_end], q[qname_end + 1]]);
    let question = &q[12..qname_end + 4];
    let owner = labels.join(".");
    let mut rcode = 0u16;
    let mut tc = false;
    let mut rrs: Vec<(String, u16, u32, Vec<u8>)> = Vec::new();
    match owner.as_str() {
        "timeout.test" => return None,
        "servfail.test" => rcode = 2,
        "refused.test" => rcode = 5,
        "big.test" if !tcp => tc = true,
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
    let mut m = id.to_vec();
    m.extend_from_slice(&flags.to_be_bytes());
    m.extend_from_slice(&[0, 1]);
    m.extend_from_slice(&(rrs.len() as u16).to_be_bytes());
    m.extend_from_slice(&[0, 0, 0, 0]);
    m.extend_from_slice(question);
    for (o, t, ttl, d) in rrs {
        m.extend_from_slice(&name(&o));
        m.extend_from_slice(&t.to_be_bytes());
        m.extend_from_slice(&1u16.to_be_bytes());
        m.extend_from_slice(&ttl.to_be_bytes());
        m.extend_from_slice(&(d.len() as u16).to_be_bytes());
        m.extend_from_slice(&d);
    }
    Some(m)
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
    std::thread::spawn(move || {
        let mut buf = [0u8; 4096];
        while let Ok((n, from)) = udp.recv_from(&mut buf) {
            if let Some(r) = answer(&buf[..n], false) {
                let _ = udp.send_to(&r, from);
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
                    let Some(r) = answer(&q, true) else { return };
                    let mut out = (r.len() as u16).to_be_bytes().to_vec();
                    out.extend_from_slice(&r);
                    if s.write_all(&out).is_err() {
                        return;
                    }
                }
            });
        }
    });
    addr
}
