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

/// A standard recursive query for `(name, qtype, IN)` with c-ares' EDNS OPT record (UDP
/// payload 1232).
pub(crate) fn query(id: u16, name: &[u8], qtype: u16) -> Vec<u8> {
    let mut m = Vec::with_capacity(12 + name.len() + 4 + 11);
    m.extend_from_slice(&id.to_be_bytes());
    m.extend_from_slice(&[0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 1]);
    m.extend_from_slice(name);
    m.extend_from_slice(&qtype.to_be_bytes());
    m.extend_from_slice(&1u16.to_be_bytes());
    // OPT: root name, type 41, class = payload size, ttl 0, no rdata.
    m.push(0);
    m.extend_from_slice(&rtype::OPT.to_be_bytes());
    m.extend_from_slice(&1232u16.to_be_bytes());
    m.extend_from_slice(&[0, 0, 0, 0, 0, 0]);
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
    pub(crate) rcode: u8,
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

/// The id of a message that has a whole header (c-ares matches answers to queries by it).
pub(crate) fn id_of(msg: &[u8]) -> Option<u16> {
    (msg.len() >= 12).then(|| u16::from_be_bytes([msg[0], msg[1]]))
}

/// Parses a response message as c-ares 1.34's `ares_dns_parse` does: every record of every
/// section is read, and a known type whose rdata is too short for its fields (a 3-byte `A`,
/// an empty `TXT`, a `CAA` without a tag, a broken `HTTPS` ...) makes the whole message
/// malformed (`EBADRESP`, even when another type was asked for), while bytes left over at the
/// end of an rdata are skipped. A truncated message keeps the records read before the first
/// broken one.
pub(crate) fn parse(msg: Vec<u8>) -> Result<Response, BadResp> {
    let id = u16_at(&msg, 0)?;
    let flags = u16_at(&msg, 2)?;
    let qd = u16_at(&msg, 4)?;
    let counts = [u16_at(&msg, 6)?, u16_at(&msg, 8)?, u16_at(&msg, 10)?];
    let truncated = flags & 0x0200 != 0;
    let rcode = (flags & 0x000f) as u8;
    let mut at = 12;
    for _ in 0..qd {
        at = read_name(&msg, at)?.1 + 4;
        if at > msg.len() {
            return Err(BadResp);
        }
    }
    let mut answers = Vec::with_capacity(counts[0] as usize);
    'sections: for (section, &count) in counts.iter().enumerate() {
        for _ in 0..count {
            match read_rr(&msg, at) {
                Ok((rr, next)) => {
                    if section == 0 {
                        answers.push(rr);
                    }
                    at = next;
                }
                Err(_) if truncated => break 'sections,
                Err(e) => return Err(e),
            }
        }
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
