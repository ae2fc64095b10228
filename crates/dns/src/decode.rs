//! From a response's bytes to Node's result shapes: what c-ares' `ares_parse_*_reply`
//! functions and Node's `cares_wrap.cc` make of an answer, by query kind. No I/O here: the
//! resolver hands this module the messages it receives, and [`decode_answer`] is the entry
//! point for fuzzing.

use std::net::IpAddr;

use crate::wire::{self, Response, Rr, rtype};

/// An `A`/`AAAA` answer with its TTL (`{ ttl: true }`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AddressTtl {
    /// `address`.
    pub address: String,
    /// `ttl`: the smallest TTL along the CNAME chain and the address record, as c-ares gives.
    pub ttl: u32,
}

/// An MX record: `{ exchange, priority }`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mx {
    /// `exchange`.
    pub exchange: String,
    /// `priority`.
    pub priority: u16,
}

/// A SRV record: `{ name, port, priority, weight }`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Srv {
    /// `name` (the target).
    pub name: String,
    /// `port`.
    pub port: u16,
    /// `priority`.
    pub priority: u16,
    /// `weight`.
    pub weight: u16,
}

/// A NAPTR record: `{ flags, service, regexp, replacement, order, preference }`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Naptr {
    /// `flags`.
    pub flags: String,
    /// `service`.
    pub service: String,
    /// `regexp`.
    pub regexp: String,
    /// `replacement`.
    pub replacement: String,
    /// `order`.
    pub order: u16,
    /// `preference`.
    pub preference: u16,
}

/// The SOA record: `{ nsname, hostmaster, serial, refresh, retry, expire, minttl }`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Soa {
    /// `nsname`.
    pub nsname: String,
    /// `hostmaster`.
    pub hostmaster: String,
    /// `serial`.
    pub serial: u32,
    /// `refresh`.
    pub refresh: u32,
    /// `retry`.
    pub retry: u32,
    /// `expire`.
    pub expire: u32,
    /// `minttl`.
    pub minttl: u32,
}

/// A CAA record: `{ critical, [tag]: value }`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caa {
    /// `critical` (the flags byte: 0 or 128).
    pub critical: u8,
    /// The property's tag (`issue`, `issuewild`, `iodef`, ...).
    pub tag: String,
    /// Its value.
    pub value: String,
}

/// One entry of `resolveAny`: Node's object with its `type`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum AnyRecord {
    /// `{ address, ttl, type: 'A' }`.
    A(AddressTtl),
    /// `{ address, ttl, type: 'AAAA' }`.
    Aaaa(AddressTtl),
    /// `{ value, type: 'CNAME' }`.
    Cname(String),
    /// `{ exchange, priority, type: 'MX' }`.
    Mx(Mx),
    /// `{ value, type: 'NS' }`.
    Ns(String),
    /// `{ entries, type: 'TXT' }`.
    Txt(Vec<String>),
    /// `{ name, port, priority, weight, type: 'SRV' }`.
    Srv(Srv),
    /// `{ value, type: 'PTR' }`.
    Ptr(String),
    /// `{ flags, service, regexp, replacement, order, preference, type: 'NAPTR' }`.
    Naptr(Naptr),
    /// `{ nsname, ..., type: 'SOA' }`.
    Soa(Soa),
    /// `{ critical, [tag]: value, type: 'CAA' }`.
    Caa(Caa),
}

/// What a `resolve*` call resolves to, by method.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Records {
    /// Strings: `resolve4`, `resolve6`, `resolveCname`, `resolveNs`, `resolvePtr`, `reverse`.
    Names(Vec<String>),
    /// `resolve4`/`resolve6` with `{ ttl: true }`.
    AddressesTtl(Vec<AddressTtl>),
    /// `resolveAny`.
    Any(Vec<AnyRecord>),
    /// `resolveCaa`.
    Caa(Vec<Caa>),
    /// `resolveMx`.
    Mx(Vec<Mx>),
    /// `resolveNaptr`.
    Naptr(Vec<Naptr>),
    /// `resolveSoa`.
    Soa(Soa),
    /// `resolveSrv`.
    Srv(Vec<Srv>),
    /// `resolveTxt`: each record's chunks.
    Txt(Vec<Vec<String>>),
}

/// The query kinds, with Node's binding names (the errors' `syscall`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    A,
    Aaaa,
    Any,
    Caa,
    Cname,
    Mx,
    Naptr,
    Ns,
    Ptr,
    Soa,
    Srv,
    Txt,
    Reverse,
}

impl Kind {
    pub(crate) fn from_rrtype(t: &str) -> Option<Kind> {
        Some(match t {
            "A" => Kind::A,
            "AAAA" => Kind::Aaaa,
            "ANY" => Kind::Any,
            "CAA" => Kind::Caa,
            "CNAME" => Kind::Cname,
            "MX" => Kind::Mx,
            "NAPTR" => Kind::Naptr,
            "NS" => Kind::Ns,
            "PTR" => Kind::Ptr,
            "SOA" => Kind::Soa,
            "SRV" => Kind::Srv,
            "TXT" => Kind::Txt,
            _ => return None,
        })
    }

    pub(crate) fn syscall(self) -> &'static str {
        match self {
            Kind::A => "queryA",
            Kind::Aaaa => "queryAaaa",
            Kind::Any => "queryAny",
            Kind::Caa => "queryCaa",
            Kind::Cname => "queryCname",
            Kind::Mx => "queryMx",
            Kind::Naptr => "queryNaptr",
            Kind::Ns => "queryNs",
            Kind::Ptr => "queryPtr",
            Kind::Soa => "querySoa",
            Kind::Srv => "querySrv",
            Kind::Txt => "queryTxt",
            Kind::Reverse => "getHostByAddr",
        }
    }

    pub(crate) fn qtype(self) -> u16 {
        match self {
            Kind::A => rtype::A,
            Kind::Aaaa => rtype::AAAA,
            Kind::Any => rtype::ANY,
            Kind::Caa => rtype::CAA,
            Kind::Cname => rtype::CNAME,
            Kind::Mx => rtype::MX,
            Kind::Naptr => rtype::NAPTR,
            Kind::Ns => rtype::NS,
            Kind::Ptr | Kind::Reverse => rtype::PTR,
            Kind::Soa => rtype::SOA,
            Kind::Srv => rtype::SRV,
            Kind::Txt => rtype::TXT,
        }
    }
}

/// Decodes a response message as the [`Resolver`](crate::Resolver) does for `resolveAny`:
/// every section checked as c-ares checks it, then the answer's records in Node's shapes
/// (`{ ttl }` kept). The entry point for fuzzing: any bytes give a value or a code, never a
/// panic.
///
/// # Errors
/// c-ares' code: `EBADRESP` for a malformed message, `EFORMERR`, `ESERVFAIL`, `ENOTFOUND`,
/// `ENOTIMP` or `EREFUSED` for rcodes 1 to 5 (any other rcode is read as an answer),
/// `ENODATA` for an empty answer.
pub fn decode_answer(msg: &[u8]) -> Result<Vec<AnyRecord>, &'static str> {
    let r = wire::parse(msg.to_vec()).map_err(|_| "EBADRESP")?;
    match interpret(&r, Kind::Any, true)? {
        Records::Any(v) => Ok(v),
        _ => Err("EBADRESP"),
    }
}

/// Node's `OneByteString`: each byte one Latin-1 character.
fn latin1(b: &[u8]) -> String {
    b.iter().map(|&c| c as char).collect()
}

fn first_name(r: &Response, rr: &Rr) -> Result<String, wire::BadResp> {
    Ok(r.name(rr.start)?.0)
}

/// The answer's rcode and records as Node's result, or c-ares' code.
pub(crate) fn interpret(r: &Response, kind: Kind, ttl: bool) -> Result<Records, &'static str> {
    // c-ares' ares_dns_query_reply_tostatus: the rcodes it names are errors, any other is
    // read as an answer.
    match r.rcode {
        1 => return Err("EFORMERR"),
        2 => return Err("ESERVFAIL"),
        3 => return Err("ENOTFOUND"),
        4 => return Err("ENOTIMP"),
        5 => return Err("EREFUSED"),
        _ => {}
    }
    if r.answers.is_empty() {
        return Err("ENODATA");
    }
    let bad = |_| "EBADRESP";
    let of = |t: u16| r.answers.iter().filter(move |a| a.rtype == t);
    let nonempty = |n: usize| if n == 0 { Err("ENODATA") } else { Ok(()) };
    Ok(match kind {
        Kind::A | Kind::Aaaa => {
            let v = addresses(r, kind == Kind::A);
            nonempty(v.len())?;
            if ttl {
                Records::AddressesTtl(v)
            } else {
                Records::Names(v.into_iter().map(|a| a.address).collect())
            }
        }
        Kind::Cname => {
            let target = cname_target(r).map_err(bad)?.ok_or("ENODATA")?;
            Records::Names(vec![target])
        }
        Kind::Ns | Kind::Ptr | Kind::Reverse => {
            let t = if kind == Kind::Ns {
                rtype::NS
            } else {
                rtype::PTR
            };
            let v = of(t)
                .map(|a| first_name(r, a))
                .collect::<Result<Vec<_>, _>>()
                .map_err(bad)?;
            nonempty(v.len())?;
            Records::Names(v)
        }
        Kind::Mx => {
            let v = of(rtype::MX)
                .map(|a| mx(r, a))
                .collect::<Result<Vec<_>, _>>()
                .map_err(bad)?;
            nonempty(v.len())?;
            Records::Mx(v)
        }
        Kind::Txt => {
            let v = of(rtype::TXT)
                .map(|a| Ok(r.strings(a, a.start)?.iter().map(|s| latin1(s)).collect()))
                .collect::<Result<Vec<_>, wire::BadResp>>()
                .map_err(bad)?;
            nonempty(v.len())?;
            Records::Txt(v)
        }
        Kind::Srv => {
            let v = of(rtype::SRV)
                .map(|a| srv(r, a))
                .collect::<Result<Vec<_>, _>>()
                .map_err(bad)?;
            nonempty(v.len())?;
            Records::Srv(v)
        }
        Kind::Naptr => {
            let v = of(rtype::NAPTR)
                .map(|a| naptr(r, a))
                .collect::<Result<Vec<_>, _>>()
                .map_err(bad)?;
            nonempty(v.len())?;
            Records::Naptr(v)
        }
        Kind::Caa => {
            let v = of(rtype::CAA)
                .map(|a| caa(r, a))
                .collect::<Result<Vec<_>, _>>()
                .map_err(bad)?;
            nonempty(v.len())?;
            Records::Caa(v)
        }
        Kind::Soa => {
            let a = of(rtype::SOA).next().ok_or("EBADRESP")?;
            Records::Soa(soa(r, a).map_err(bad)?)
        }
        Kind::Any => Records::Any(any(r).map_err(bad)?),
    })
}

fn addresses(r: &Response, v4: bool) -> Vec<AddressTtl> {
    let cname_ttl = r
        .answers
        .iter()
        .filter(|a| a.rtype == rtype::CNAME)
        .map(|a| a.ttl)
        .min();
    let want = if v4 { rtype::A } else { rtype::AAAA };
    r.answers
        .iter()
        .filter(|a| a.rtype == want)
        .filter_map(|a| {
            let d = r.rdata(a);
            // c-ares reads the first 4 (16) bytes and skips any more.
            let address = match (v4, d.len()) {
                (true, 4..) => IpAddr::from([d[0], d[1], d[2], d[3]]).to_string(),
                (false, 16..) => {
                    let mut o = [0u8; 16];
                    o.copy_from_slice(&d[..16]);
                    IpAddr::from(o).to_string()
                }
                _ => return None,
            };
            Some(AddressTtl {
                address,
                ttl: cname_ttl.map_or(a.ttl, |c| c.min(a.ttl)),
            })
        })
        .collect()
}

fn cname_target(r: &Response) -> Result<Option<String>, wire::BadResp> {
    let mut last = None;
    for a in r.answers.iter().filter(|a| a.rtype == rtype::CNAME) {
        last = Some(first_name(r, a)?);
    }
    Ok(last)
}

fn mx(r: &Response, a: &Rr) -> Result<Mx, wire::BadResp> {
    Ok(Mx {
        priority: r.u16(a.start)?,
        exchange: r.name(a.start + 2)?.0,
    })
}

fn srv(r: &Response, a: &Rr) -> Result<Srv, wire::BadResp> {
    Ok(Srv {
        priority: r.u16(a.start)?,
        weight: r.u16(a.start + 2)?,
        port: r.u16(a.start + 4)?,
        name: r.name(a.start + 6)?.0,
    })
}

fn naptr(r: &Response, a: &Rr) -> Result<Naptr, wire::BadResp> {
    let order = r.u16(a.start)?;
    let preference = r.u16(a.start + 2)?;
    let mut at = a.start + 4;
    let mut texts = Vec::new();
    for _ in 0..3 {
        let len = *r.msg.get(at).ok_or(wire::BadResp)? as usize;
        texts.push(latin1(
            r.msg.get(at + 1..at + 1 + len).ok_or(wire::BadResp)?,
        ));
        at += 1 + len;
    }
    let replacement = r.name(at)?.0;
    let regexp = texts.pop().unwrap_or_default();
    let service = texts.pop().unwrap_or_default();
    let flags = texts.pop().unwrap_or_default();
    Ok(Naptr {
        flags,
        service,
        regexp,
        replacement,
        order,
        preference,
    })
}

fn caa(r: &Response, a: &Rr) -> Result<Caa, wire::BadResp> {
    let d = r.rdata(a);
    let critical = *d.first().ok_or(wire::BadResp)?;
    let tl = *d.get(1).ok_or(wire::BadResp)? as usize;
    let tag = d.get(2..2 + tl).ok_or(wire::BadResp)?;
    Ok(Caa {
        critical,
        tag: latin1(tag),
        value: latin1(&d[2 + tl..]),
    })
}

fn soa(r: &Response, a: &Rr) -> Result<Soa, wire::BadResp> {
    let (nsname, at) = r.name(a.start)?;
    let (hostmaster, at) = r.name(at)?;
    Ok(Soa {
        nsname,
        hostmaster,
        serial: r.u32(at)?,
        refresh: r.u32(at + 4)?,
        retry: r.u32(at + 8)?,
        expire: r.u32(at + 12)?,
        minttl: r.u32(at + 16)?,
    })
}

fn any(r: &Response) -> Result<Vec<AnyRecord>, wire::BadResp> {
    let mut out = Vec::new();
    // Node parses A "or CNAME": with a CNAME in the answer it reports only the chain's
    // target, and no A records; the AAAA records come regardless.
    match cname_target(r)? {
        Some(target) => out.push(AnyRecord::Cname(target)),
        None => out.extend(addresses(r, true).into_iter().map(AnyRecord::A)),
    }
    out.extend(addresses(r, false).into_iter().map(AnyRecord::Aaaa));
    for a in &r.answers {
        out.push(match a.rtype {
            rtype::MX => AnyRecord::Mx(mx(r, a)?),
            rtype::NS => AnyRecord::Ns(first_name(r, a)?),
            rtype::TXT => {
                AnyRecord::Txt(r.strings(a, a.start)?.iter().map(|s| latin1(s)).collect())
            }
            rtype::SRV => AnyRecord::Srv(srv(r, a)?),
            rtype::PTR => AnyRecord::Ptr(first_name(r, a)?),
            rtype::NAPTR => AnyRecord::Naptr(naptr(r, a)?),
            rtype::SOA => AnyRecord::Soa(soa(r, a)?),
            rtype::CAA => AnyRecord::Caa(caa(r, a)?),
            _ => continue,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A response with one record of each type the parsers read, names compressed.
    fn sample() -> Vec<u8> {
        let mut m = vec![0x12, 0x34, 0x81, 0x80, 0, 1, 0, 9, 0, 0, 0, 0];
        m.extend_from_slice(b"\x01a\x04test\x00\x00\xff\x00\x01");
        let rr = |m: &mut Vec<u8>, t: u16, d: &[u8]| {
            m.extend_from_slice(&[0xc0, 12]);
            m.extend_from_slice(&t.to_be_bytes());
            m.extend_from_slice(&[0, 1, 0, 0, 0, 60]);
            m.extend_from_slice(&(d.len() as u16).to_be_bytes());
            m.extend_from_slice(d);
        };
        rr(&mut m, rtype::A, &[192, 0, 2, 1]);
        rr(&mut m, rtype::MX, &[0, 10, 2, b'm', b'x', 0xc0, 12]);
        rr(&mut m, rtype::TXT, b"\x03abc\x00");
        rr(&mut m, rtype::CAA, b"\x00\x05issueca.example");
        rr(
            &mut m,
            rtype::SOA,
            b"\x02ns\xc0\x0c\x00\0\0\0\x01\0\0\0\x02\0\0\0\x03\0\0\0\x04\0\0\0\x05",
        );
        rr(&mut m, rtype::SRV, b"\0\x01\0\x02\0\x03\xc0\x0c");
        rr(&mut m, rtype::NAPTR, b"\0\x01\0\x02\x01S\x03SIP\x01!\0");
        rr(&mut m, rtype::HTTPS, b"\0\x01\0\0\x01\0\x02h2");
        rr(
            &mut m,
            rtype::AAAA,
            &[0x20, 1, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1],
        );
        m
    }

    /// Random corruptions of a response never panic any parser (the seed is printed; a
    /// failing seed goes into `SEEDS`).
    #[test]
    fn corrupt_responses_are_errors_not_panics() {
        const SEEDS: &[u64] = &[1, 2, 3];
        let base = sample();
        let seed0 = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(7)
            | 1;
        eprintln!("corrupt_responses seed {seed0}");
        for &seed in SEEDS.iter().chain([seed0].iter()) {
            let mut x = seed;
            let mut next = move || {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                x
            };
            for _ in 0..20_000 {
                let mut m = base.clone();
                for _ in 0..(next() % 4 + 1) {
                    let at = (next() as usize) % m.len();
                    m[at] = next() as u8;
                }
                let cut = (next() as usize) % (m.len() + 1);
                if next() % 4 == 0 {
                    m.truncate(cut);
                }
                let _ = decode_answer(&m);
                if let Ok(r) = wire::parse(m) {
                    for kind in [
                        Kind::A,
                        Kind::Aaaa,
                        Kind::Any,
                        Kind::Caa,
                        Kind::Cname,
                        Kind::Mx,
                        Kind::Naptr,
                        Kind::Ns,
                        Kind::Ptr,
                        Kind::Soa,
                        Kind::Srv,
                        Kind::Txt,
                    ] {
                        let _ = interpret(&r, kind, true);
                    }
                }
            }
        }
    }

    #[test]
    fn names_follow_c_ares_rules() {
        let enc = |s: &str| wire::encode_name(s).ok();
        assert_eq!(enc("a.test"), Some(b"\x01a\x04test\x00".to_vec()));
        assert_eq!(enc("a.test."), enc("a.test"));
        assert_eq!(enc(""), Some(vec![0]));
        assert_eq!(enc("."), Some(vec![0]));
        assert_eq!(enc("a\\.b"), Some(b"\x03a.b\x00".to_vec()));
        assert_eq!(enc("\\065"), Some(b"\x01A\x00".to_vec()));
        for bad in ["a..b", ".a", "a b", "a!b", "\\256", "a\\", &"x".repeat(64)] {
            assert_eq!(enc(bad), None, "{bad:?}");
        }
        let long = vec!["abcdefghi"; 26].join(".");
        assert_eq!(enc(&long), None, "over 255 bytes");
    }

    #[test]
    fn the_sample_decodes_to_nodes_shapes() {
        let v = decode_answer(&sample()).unwrap();
        assert_eq!(v.len(), 8, "{v:?}");
        assert!(v.contains(&AnyRecord::Soa(Soa {
            nsname: "ns.a.test".into(),
            hostmaster: "".into(),
            serial: 1,
            refresh: 2,
            retry: 3,
            expire: 4,
            minttl: 5,
        })));
        // A short HTTPS record breaks the whole message, as in c-ares.
        let mut m = sample();
        let n = m.len();
        m[n - 28 - 3] = 0x09; // the alpn value's length, past the rdata
        assert_eq!(decode_answer(&m), Err("EBADRESP"));
    }
}
