//! The DNS wire format (RFC 1035), as much as the resolver needs: a query to send, and a
//! response read record by record with name decompression, checked as c-ares 1.34 checks it.
//! Written by hand rather than on hickory-proto so that every message c-ares accepts is
//! accepted and every field reaches Node's shapes as c-ares gives it (TXT and CAA values as
//! raw bytes, names without the root dot and escaped as c-ares escapes them, unknown rdata
//! untouched); lib.rs has the measured comparison.

/// Record types the resolver asks for.
pub(crate) mod rtype {
    pub(crate) const A: u16 = 1;
    pub(crate) const NS: u16 = 2;
    pub(crate) const CNAME: u16 = 5;
    pub(crate) const SOA: u16 = 6;
    pub(crate) const HINFO: u16 = 13;
    pub(crate) const PTR: u16 = 12;
    pub(crate) const MX: u16 = 15;
    pub(crate) const TXT: u16 = 16;
    pub(crate) const SIG: u16 = 24;
    pub(crate) const AAAA: u16 = 28;
    pub(crate) const SRV: u16 = 33;
    pub(crate) const NAPTR: u16 = 35;
    pub(crate) const OPT: u16 = 41;
    pub(crate) const TLSA: u16 = 52;
    pub(crate) const SVCB: u16 = 64;
    pub(crate) const HTTPS: u16 = 65;
    pub(crate) const URI: u16 = 256;
    pub(crate) const ANY: u16 = 255;
    pub(crate) const CAA: u16 = 257;
}

/// Why a name cannot be put in a query: c-ares' `EBADNAME`.
#[derive(Debug)]
pub(crate) struct BadName;

/// The labels of `name` in wire form (`\3www\7example\3com\0`), as c-ares 1.34 writes a
/// query name: a trailing dot is allowed and an empty name is the root; `\.`, `\\` and
/// `\DDD` are escapes; an unescaped character outside `[A-Za-z0-9-_/*]`, an empty label
/// inside, a label longer than 63 bytes or a name longer than 255 bytes is `EBADNAME`.
pub(crate) fn encode_name(name: &str) -> Result<Vec<u8>, BadName> {
    let mut out = Vec::with_capacity(name.len() + 2);
    let bytes = name.as_bytes();
    let mut label: Vec<u8> = Vec::new();
    let mut i = 0;
    let end_label = |label: &mut Vec<u8>, out: &mut Vec<u8>| {
        if label.is_empty() || label.len() > 63 {
            return Err(BadName);
        }
        out.push(label.len() as u8);
        out.append(label);
        Ok(())
    };
    if bytes == b"." {
        return Ok(vec![0]);
    }
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => {
                let digits = bytes
                    .get(i + 1..i + 4)
                    .filter(|d| d.iter().all(u8::is_ascii_digit));
                if let Some(d) = digits {
                    let v = d.iter().fold(0u32, |a, &c| a * 10 + u32::from(c - b'0'));
                    label.push(u8::try_from(v).map_err(|_| BadName)?);
                    i += 4;
                } else {
                    label.push(*bytes.get(i + 1).ok_or(BadName)?);
                    i += 2;
                }
                continue;
            }
            b'.' => {
                end_label(&mut label, &mut out)?;
                if i + 1 == bytes.len() {
                    break;
                }
            }
            c if c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'/' | b'*') => {
                label.push(c)
            }
            _ => return Err(BadName),
        }
        i += 1;
    }
    if !label.is_empty() {
        end_label(&mut label, &mut out)?;
    }
    out.push(0);
    if out.len() > 255 {
        return Err(BadName);
    }
    Ok(out)
}

/// Node's `toASCII` (UTS #46, as ada's `to_ascii`), which the dns module applies to every
/// name before the system or c-ares sees it: lower case and punycode; `""` when it fails.
pub(crate) fn to_ascii(name: &str) -> String {
    idna::domain_to_ascii(name).unwrap_or_default()
}

/// A standard recursive query for `(name, qtype, IN)`, as Node's c-ares channel sends it:
/// RD set and no EDNS OPT record (Node passes its own `ARES_OPT_FLAGS`, which leaves out
/// c-ares' default `ARES_FLAG_EDNS`; seen on node 20.20's wire), hence no DNS cookie either.
pub(crate) fn query(id: u16, name: &[u8], qtype: u16) -> Vec<u8> {
    let mut m = Vec::with_capacity(12 + name.len() + 4);
    m.extend_from_slice(&id.to_be_bytes());
    m.extend_from_slice(&[0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0]);
    m.extend_from_slice(name);
    m.extend_from_slice(&qtype.to_be_bytes());
    m.extend_from_slice(&1u16.to_be_bytes());
    m
}

/// A resource record of a response: its type, TTL and rdata (offsets into the
/// message, so that names inside the rdata can be decompressed).
#[derive(Debug, Clone)]
pub(crate) struct Rr {
    pub(crate) rtype: u16,
    pub(crate) ttl: u32,
    pub(crate) start: usize,
    pub(crate) len: usize,
}

/// A parsed response.
#[derive(Debug)]
pub(crate) struct Response {
    pub(crate) msg: Vec<u8>,
    pub(crate) id: u16,
    pub(crate) truncated: bool,
    /// The rcode as c-ares finalizes it: extended by an `OPT` record, SERVFAIL when unknown.
    pub(crate) rcode: u16,
    pub(crate) answers: Vec<Rr>,
}

/// A malformed message: c-ares' `EBADRESP`.
#[derive(Debug)]
pub(crate) struct BadResp;

fn u16_at(m: &[u8], at: usize) -> Result<u16, BadResp> {
    m.get(at..at + 2)
        .map(|b| u16::from_be_bytes([b[0], b[1]]))
        .ok_or(BadResp)
}

fn u32_at(m: &[u8], at: usize) -> Result<u32, BadResp> {
    m.get(at..at + 4)
        .map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
        .ok_or(BadResp)
}

/// Reads the (possibly compressed) name at `at`: the name without its root dot, and the
/// offset just past it.
pub(crate) fn read_name(m: &[u8], mut at: usize) -> Result<(String, usize), BadResp> {
    let mut out = String::new();
    let mut end = None;
    let mut jumps = 0;
    loop {
        let len = *m.get(at).ok_or(BadResp)? as usize;
        if len & 0xc0 == 0xc0 {
            let ptr = (u16_at(m, at)? & 0x3fff) as usize;
            end.get_or_insert(at + 2);
            jumps += 1;
            if jumps > 64 {
                return Err(BadResp);
            }
            at = ptr;
            continue;
        }
        if len == 0 {
            return Ok((out, end.unwrap_or(at + 1)));
        }
        let label = m.get(at + 1..at + 1 + len).ok_or(BadResp)?;
        if !out.is_empty() {
            out.push('.');
        }
        for &b in label {
            // c-ares 1.34 (ares_buf_fetch_dnsname_into_buf): its reserved characters get a
            // backslash, bytes outside 0x20..=0x7e are `\DDD`, the space stays as it is.
            match b {
                b'"' | b'.' | b';' | b'\\' | b'(' | b')' | b'@' | b'$' => {
                    out.push('\\');
                    out.push(b as char);
                }
                0x20..=0x7e => out.push(b as char),
                _ => {
                    out.push('\\');
                    out.push((b'0' + b / 100) as char);
                    out.push((b'0' + b / 10 % 10) as char);
                    out.push((b'0' + b % 10) as char);
                }
            }
        }
        at += 1 + len;
    }
}

/// Whether response `r` answers the question of `query` (a message [`query`] made), as
/// c-ares' `same_questions` decides without DNS 0x20 (Node does not set
/// `ARES_FLAG_DNS0x20`): the same type and class, and the same name but for ASCII case.
/// [`parse`] has checked that `r` holds exactly one question.
pub(crate) fn same_question(query: &[u8], r: &Response) -> bool {
    let (Ok((qname, qend)), Ok((aname, aend))) = (read_name(query, 12), read_name(&r.msg, 12))
    else {
        return false;
    };
    qname.eq_ignore_ascii_case(&aname) && query.get(qend..qend + 4) == r.msg.get(aend..aend + 4)
}

/// Parses a response message as c-ares 1.34's `ares_dns_parse` does: every record of every
/// section is read, and a known type whose rdata is too short for its fields (a 3-byte `A`,
/// an empty `TXT`, a `CAA` without a tag, a broken `HTTPS` ...) makes the whole message
/// malformed (`EBADRESP`, even when another type was asked for), while bytes left over at the
/// end of an rdata are skipped. A truncated message is held to the same rules (a `TC` answer
/// cut in the middle of a record is malformed, not a reason to ask over TCP). The header must
/// hold one question of a type and class c-ares knows and an opcode it knows, and a record of
/// a type it knows a class it knows.
pub(crate) fn parse(msg: Vec<u8>) -> Result<Response, BadResp> {
    let id = u16_at(&msg, 0)?;
    let flags = u16_at(&msg, 2)?;
    let qd = u16_at(&msg, 4)?;
    let counts = [u16_at(&msg, 6)?, u16_at(&msg, 8)?, u16_at(&msg, 10)?];
    let truncated = flags & 0x0200 != 0;
    let mut rcode = flags & 0x000f;
    // c-ares takes exactly one question, and an opcode it knows (QUERY, IQUERY, STATUS,
    // NOTIFY, UPDATE).
    if qd != 1 || !matches!((flags >> 11) & 0xf, 0 | 1 | 2 | 4 | 5) {
        return Err(BadResp);
    }
    let mut at = 12;
    // The question: a type other than c-ares' raw marker (65535), a class it knows.
    at = read_name(&msg, at)?.1;
    let (qtype, qclass) = (u16_at(&msg, at)?, u16_at(&msg, at + 2)?);
    if qtype == 65535 || !matches!(qclass, 1 | 3 | 4 | 254 | 255) {
        return Err(BadResp);
    }
    at += 4;
    let mut answers = Vec::with_capacity(counts[0] as usize);
    for (section, &count) in counts.iter().enumerate() {
        for _ in 0..count {
            let (rr, next) = read_rr(&msg, at)?;
            if rr.rtype == rtype::OPT {
                // The first 8 bits of OPT's TTL extend the header's rcode.
                rcode |= ((rr.ttl >> 20) & 0x0ff0) as u16;
            }
            if section == 0 {
                answers.push(rr);
            }
            at = next;
        }
    }
    // An rcode c-ares does not know reads as SERVFAIL.
    if !matches!(rcode, 0..=11 | 16..=23) {
        rcode = 2;
    }
    Ok(Response {
        msg,
        id,
        truncated,
        rcode,
        answers,
    })
}

/// The record at `at`, checked as c-ares reads its type, and the offset past it.
fn read_rr(m: &[u8], at: usize) -> Result<(Rr, usize), BadResp> {
    let next = read_name(m, at)?.1;
    let rtype = u16_at(m, next)?;
    if !class_ok(rtype, u16_at(m, next + 2)?) {
        return Err(BadResp);
    }
    let ttl = u32_at(m, next + 4)?;
    let len = u16_at(m, next + 8)? as usize;
    let start = next + 10;
    if start + len > m.len() {
        return Err(BadResp);
    }
    check_rdata(m, rtype, start, start + len)?;
    Ok((
        Rr {
            rtype,
            ttl,
            start,
            len,
        },
        start + len,
    ))
}

/// c-ares' `ares_dns_class_isvalid` for a record: a type it knows must have class IN,
/// CHAOS, HESIOD or NONE (ANY only for `SIG`); `OPT`'s class is its payload size, and a type
/// it does not know is kept raw, unchecked.
fn class_ok(t: u16, class: u16) -> bool {
    use rtype::*;
    let known = matches!(
        t,
        A | NS
            | CNAME
            | SOA
            | PTR
            | HINFO
            | MX
            | TXT
            | SIG
            | AAAA
            | SRV
            | NAPTR
            | TLSA
            | SVCB
            | HTTPS
            | ANY
            | URI
            | CAA
    );
    !known || matches!(class, 1 | 3 | 4 | 254) || (class == 255 && t == SIG)
}

/// Reads the fields c-ares reads for a record of type `t` whose rdata is `m[start..end]`.
fn check_rdata(m: &[u8], t: u16, start: usize, end: usize) -> Result<(), BadResp> {
    let mut c = Cursor { m, at: start, end };
    match t {
        rtype::A => c.skip(4)?,
        rtype::AAAA => c.skip(16)?,
        rtype::NS | rtype::CNAME | rtype::PTR => c.name()?,
        rtype::MX => {
            c.skip(2)?;
            c.name()?;
        }
        rtype::SOA => {
            c.name()?;
            c.name()?;
            c.skip(20)?;
        }
        rtype::HINFO => {
            c.string()?;
            c.string()?;
        }
        rtype::TXT => {
            // At least one <character-string>, all inside the rdata.
            c.string()?;
            while c.at < end {
                c.string()?;
            }
        }
        rtype::SRV => {
            c.skip(6)?;
            c.name()?;
        }
        rtype::NAPTR => {
            c.skip(4)?;
            for _ in 0..3 {
                c.string()?;
            }
            c.name()?;
        }
        rtype::SIG => {
            c.skip(18)?;
            c.name()?;
            c.rest()?;
        }
        rtype::OPT => c.options()?,
        rtype::TLSA => {
            c.skip(3)?;
            c.rest()?;
        }
        rtype::SVCB | rtype::HTTPS => {
            c.skip(2)?;
            c.name()?;
            c.options()?;
        }
        rtype::URI => {
            c.skip(4)?;
            c.rest()?;
        }
        rtype::CAA => {
            c.skip(1)?;
            // A tag of at least one byte, and a value of at least one.
            if c.string()? == 0 {
                return Err(BadResp);
            }
            c.rest()?;
        }
        _ => {}
    }
    Ok(())
}

/// A reader over one rdata, failing past its end.
struct Cursor<'m> {
    m: &'m [u8],
    at: usize,
    end: usize,
}

impl Cursor<'_> {
    fn skip(&mut self, n: usize) -> Result<(), BadResp> {
        if self.at + n > self.end {
            return Err(BadResp);
        }
        self.at += n;
        Ok(())
    }
    fn name(&mut self) -> Result<(), BadResp> {
        let next = read_name(self.m, self.at)?.1;
        if next > self.end {
            return Err(BadResp);
        }
        self.at = next;
        Ok(())
    }
    /// A `<character-string>`; its length.
    fn string(&mut self) -> Result<usize, BadResp> {
        let len = *self
            .m
            .get(self.at)
            .filter(|_| self.at < self.end)
            .ok_or(BadResp)? as usize;
        self.skip(1 + len)?;
        Ok(len)
    }
    /// The rest, which must not be empty.
    fn rest(&mut self) -> Result<(), BadResp> {
        if self.at >= self.end {
            return Err(BadResp);
        }
        self.at = self.end;
        Ok(())
    }
    /// `(u16 key, u16 length, value)` options up to the end.
    fn options(&mut self) -> Result<(), BadResp> {
        while self.at < self.end {
            self.skip(2)?;
            let len = u16_at(self.m, self.at)? as usize;
            self.skip(2 + len)?;
        }
        Ok(())
    }
}

impl Response {
    /// The rdata of `rr`.
    pub(crate) fn rdata(&self, rr: &Rr) -> &[u8] {
        &self.msg[rr.start..rr.start + rr.len]
    }
    pub(crate) fn u16(&self, at: usize) -> Result<u16, BadResp> {
        u16_at(&self.msg, at)
    }
    pub(crate) fn u32(&self, at: usize) -> Result<u32, BadResp> {
        u32_at(&self.msg, at)
    }
    pub(crate) fn name(&self, at: usize) -> Result<(String, usize), BadResp> {
        read_name(&self.msg, at)
    }
    /// The `<character-string>`s of `rr`'s rdata from `at` on.
    pub(crate) fn strings(&self, rr: &Rr, mut at: usize) -> Result<Vec<Vec<u8>>, BadResp> {
        let end = rr.start + rr.len;
        let mut out = Vec::new();
        while at < end {
            let len = self.msg[at] as usize;
            let s = self.msg.get(at + 1..at + 1 + len).ok_or(BadResp)?;
            if at + 1 + len > end {
                return Err(BadResp);
            }
            out.push(s.to_vec());
            at += 1 + len;
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A response to `a.test`/A with id 7, `flags`, `qd` copies of the question, and one `A`
    /// record of class `class` (plus an OPT record whose TTL's top byte is `ext`).
    fn response(flags: u16, qd: u16, class: u16, ext: Option<u8>) -> Vec<u8> {
        let mut m = vec![0, 7];
        m.extend_from_slice(&flags.to_be_bytes());
        m.extend_from_slice(&qd.to_be_bytes());
        m.extend_from_slice(&[0, 1, 0, 0, 0, u8::from(ext.is_some())]);
        for _ in 0..qd {
            m.extend_from_slice(b"\x01a\x04test\x00\x00\x01\x00\x01");
        }
        m.extend_from_slice(&[0xc0, 12, 0, 1]);
        m.extend_from_slice(&class.to_be_bytes());
        m.extend_from_slice(&[0, 0, 0, 60, 0, 4, 192, 0, 2, 1]);
        if let Some(ext) = ext {
            m.extend_from_slice(&[0, 0, 41, 4, 0xd0, ext, 0, 0, 0, 0, 0]);
        }
        m
    }

    #[test]
    fn the_header_and_classes_are_checked_as_c_ares_does() {
        assert!(parse(response(0x8180, 1, 1, None)).is_ok());
        // Exactly one question.
        assert!(parse(response(0x8180, 0, 1, None)).is_err());
        assert!(parse(response(0x8180, 2, 1, None)).is_err());
        // Opcodes 3 and 6..=15 are unknown to c-ares.
        assert!(parse(response(0x8180 | (5 << 11), 1, 1, None)).is_ok());
        assert!(parse(response(0x8180 | (3 << 11), 1, 1, None)).is_err());
        // A known type in class CHAOS is kept; CSNET or ANY breaks the message.
        assert!(parse(response(0x8180, 1, 3, None)).is_ok());
        assert!(parse(response(0x8180, 1, 2, None)).is_err());
        assert!(parse(response(0x8180, 1, 255, None)).is_err());
        // OPT extends the rcode; one c-ares does not know reads as SERVFAIL.
        let rcode = |ext, low: u16| {
            parse(response(0x8180 | low, 1, 1, Some(ext)))
                .unwrap()
                .rcode
        };
        assert_eq!(rcode(0, 3), 3);
        assert_eq!(rcode(1, 7), 23);
        assert_eq!(rcode(2, 0), 2);
        assert_eq!(rcode(0, 12), 2);
    }

    #[test]
    fn the_question_must_match_but_for_ascii_case() {
        let q = query(7, &encode_name("a.test").unwrap(), rtype::A);
        let r = |m: Vec<u8>| parse(m).unwrap();
        assert!(same_question(&q, &r(response(0x8180, 1, 1, None))));
        let mut upper = response(0x8180, 1, 1, None);
        upper[13] = b'A';
        assert!(same_question(&q, &r(upper)));
        let mut other = response(0x8180, 1, 1, None);
        other[13] = b'b';
        assert!(!same_question(&q, &r(other)));
        let aaaa = query(7, &encode_name("a.test").unwrap(), rtype::AAAA);
        assert!(!same_question(&aaaa, &r(response(0x8180, 1, 1, None))));
    }
}
