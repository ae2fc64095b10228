//! Node's `toASCII` binding as `url.parse` uses it: ada's `ada::idna::to_ascii`, step by step,
//! over the Unicode data of `idna_adapter` (UTS #46 mapping and NFC, bidi classes, joining
//! types, marks, viramas).
//!
//! ada differs from a strict UTS #46 `ToASCII` (the `idna` crate) in ways that `url.parse`
//! shows, so it is ported rather than approximated:
//! - ASCII input is only lower-cased; its labels are not validated unless they start with
//!   `xn--`, and a Punycode label may end in `-` (`xn--abc-` decodes to `abc` and is kept).
//! - A disallowed code point anywhere makes the whole result empty.
//! - The bidi rule is applied per label, and only to labels holding an R, AL or AN
//!   character; such a label starting with an L character is checked loosely (its last
//!   non-NSM character is not checked), any other is checked as right-to-left.
//! - The first U+200C/U+200D of a label decides the label's validity on its own (a ZWNJ
//!   after a virama, or between a left/dual-joining and a right/dual-joining character
//!   anywhere before and after it, is valid), skipping the bidi rule.
//! - Node's binding returns a C string: the result ends at its first NUL.
//!
//! Ada's Unicode tables are older than ICU4X's; [`super::ada_tables`] holds the code points
//! where that shows (measured from node).

use idna_adapter::{
    Adapter, BidiClassMask, LAST_RTL_MASK, LEFT_OR_DUAL_JOINING_MASK, MIDDLE_LTR_MASK,
    MIDDLE_RTL_MASK, RIGHT_OR_DUAL_JOINING_MASK, RTL_MASK,
};

use super::ada_tables::{DISALLOWED, NO_BIDI_CLASS, NONSPACING_MARK, NOT_A_MARK, contains};

/// `toASCII(hostname)`: `""` on failure.
pub(super) fn to_ascii(input: &str) -> String {
    let mut out = to_ascii_unterminated(input);
    if let Some(nul) = out.find('\0') {
        out.truncate(nul);
    }
    out
}

/// ada's `ada::idna::to_ascii` itself, as the WHATWG host parser calls it: `""` on failure,
/// and the result is not cut at a NUL (the host parser rejects the NUL instead).
pub(crate) fn to_ascii_unterminated(input: &str) -> String {
    let out = if input.is_ascii() {
        ascii_to_ascii(input)
    } else {
        unicode_to_ascii(input)
    };
    out.unwrap_or_default()
}

/// [`to_ascii`] of an owned, already lower-cased hostname: the same result, reusing the
/// string when it is ASCII (which toASCII only lower-cases and checks).
pub(super) fn to_ascii_lowercased(mut input: String) -> String {
    if !input.is_ascii() {
        return to_ascii(&input);
    }
    if !xn_labels_ok(&input) {
        return String::new();
    }
    if let Some(nul) = input.bytes().position(|b| b == 0) {
        input.truncate(nul);
    }
    input
}

/// Whether every `xn--` label of a lower-case ASCII hostname passes ada's checks.
fn xn_labels_ok(mapped: &str) -> bool {
    // Without a `-` there is no `xn--` label.
    !mapped.as_bytes().contains(&b'-')
        || mapped.split('.').all(|label| {
            label
                .strip_prefix("xn--")
                .is_none_or(|puny| check_punycode_label(puny).is_some())
        })
}

/// `from_ascii_to_ascii`: lower-case, and check the `xn--` labels.
fn ascii_to_ascii(input: &str) -> Option<String> {
    let mapped = input.to_ascii_lowercase();
    xn_labels_ok(&mapped).then_some(mapped)
}

/// The checks ada makes on the Punycode part of an `xn--` label: it decodes, is unchanged by
/// mapping and normalization, is not empty, and is a valid label.
fn check_punycode_label(puny: &str) -> Option<()> {
    let decoded = punycode_decode(puny)?;
    if decoded.iter().any(|&c| contains(DISALLOWED, c)) {
        return None;
    }
    let adapter = Adapter::new();
    if !adapter
        .map_normalize(decoded.iter().copied())
        .eq(decoded.iter().copied())
    {
        return None;
    }
    (!decoded.is_empty() && is_label_valid(&adapter, &decoded)).then_some(())
}

/// The non-ASCII path: map and normalize the whole domain, then encode each label.
fn unicode_to_ascii(input: &str) -> Option<String> {
    if input.chars().any(|c| contains(DISALLOWED, c)) {
        return None;
    }
    let adapter = Adapter::new();
    let mapped: Vec<char> = adapter.map_normalize(input.chars()).collect();
    // A disallowed code point (mapped to U+FFFD) fails the whole domain.
    if mapped.contains(&'\u{FFFD}') {
        return None;
    }
    let mut out = String::with_capacity(mapped.len() + 8);
    let mut labels = mapped.split(|&c| c == '.').peekable();
    while let Some(label) = labels.next() {
        if label.starts_with(&['x', 'n', '-', '-']) {
            if !label.iter().all(char::is_ascii) {
                return None;
            }
            let ascii: String = label.iter().collect();
            out.push_str(&ascii);
            check_punycode_label(&ascii[4..])?;
        } else if label.iter().all(char::is_ascii) {
            out.extend(label);
        } else {
            if !is_label_valid(&adapter, label) {
                return None;
            }
            out.push_str("xn--");
            punycode_encode(label, &mut out)?;
        }
        if labels.peek().is_some() {
            out.push('.');
        }
    }
    // ada's loop ends when it reaches the end of the string, so a trailing dot is kept but
    // no empty label follows it; `split` gives that empty last label, which adds nothing.
    Some(out)
}

/// ada's `is_label_valid`.
fn is_label_valid(adapter: &Adapter, label: &[char]) -> bool {
    let Some(&first) = label.first() else {
        return true;
    };
    // The label must not begin with a combining mark.
    if adapter.is_mark(first) && !contains(NOT_A_MARK, first) {
        return false;
    }
    // ContextJ: the first joiner decides.
    for (i, &c) in label.iter().enumerate() {
        if c == '\u{200C}' || c == '\u{200D}' {
            if i > 0 && adapter.is_virama(label[i - 1]) {
                return true;
            }
            if c == '\u{200D}' || i == 0 || i + 1 >= label.len() {
                return false;
            }
            let joins = |c: &char, mask| adapter.joining_type(*c).to_mask().intersects(mask);
            return label[..i]
                .iter()
                .any(|c| joins(c, LEFT_OR_DUAL_JOINING_MASK))
                && label[i + 1..]
                    .iter()
                    .any(|c| joins(c, RIGHT_OR_DUAL_JOINING_MASK));
        }
    }
    // Bidi, with Ada's classes.
    let class = |c: char| ada_bidi_class(adapter, c);
    let is_in = |c: char, mask: BidiClassMask| match class(c) {
        AdaBidi::Class(bc) => bc.to_mask().intersects(mask),
        // Ada's NSM: test the mask with a code point that is NSM everywhere (U+0300).
        AdaBidi::Nsm => adapter.bidi_class('\u{300}').to_mask().intersects(mask),
        AdaBidi::None => false,
    };
    let is_nsm = |c: char| match class(c) {
        AdaBidi::Class(bc) => bc.is_nonspacing_mark(),
        AdaBidi::Nsm => true,
        AdaBidi::None => false,
    };
    let known = |c: char, test: fn(idna_adapter::BidiClass) -> bool| match class(c) {
        AdaBidi::Class(bc) => test(bc),
        AdaBidi::Nsm | AdaBidi::None => false,
    };
    let Some(last) = label.iter().rposition(|&c| !is_nsm(c)) else {
        return false;
    };
    if !label.iter().any(|&c| is_in(c, RTL_MASK)) {
        return true;
    }
    if known(first, |bc| bc.is_ltr()) {
        // Evaluated as LTR, up to (not including) the last non-NSM character.
        return label[..last].iter().all(|&c| is_in(c, MIDDLE_LTR_MASK));
    }
    let (mut has_an, mut has_en) = (false, false);
    for (i, &c) in label[..=last].iter().enumerate() {
        let en = known(c, |bc| bc.is_european_number());
        let an = known(c, |bc| bc.is_arabic_number());
        if en {
            has_en = true;
            if has_an {
                return false;
            }
        }
        if an {
            has_an = true;
            if has_en {
                return false;
            }
        }
        if !is_in(c, MIDDLE_RTL_MASK) {
            return false;
        }
        if i == last && !is_in(c, LAST_RTL_MASK) {
            return false;
        }
    }
    true
}

/// A code point's bidi class as Ada's (older) table has it.
enum AdaBidi {
    /// The class ICU4X gives.
    Class(idna_adapter::BidiClass),
    /// NSM, where newer Unicode says L.
    Nsm,
    /// No class at all (not in Ada's table).
    None,
}

fn ada_bidi_class(adapter: &Adapter, c: char) -> AdaBidi {
    if contains(NO_BIDI_CLASS, c) {
        AdaBidi::None
    } else if contains(NONSPACING_MARK, c) {
        AdaBidi::Nsm
    } else {
        AdaBidi::Class(adapter.bidi_class(c))
    }
}

const BASE: i64 = 36;
const TMIN: i64 = 1;
const TMAX: i64 = 26;
const SKEW: i64 = 38;
const DAMP: i64 = 700;
const INITIAL_BIAS: i64 = 72;
const INITIAL_N: i64 = 128;
const MAX: i64 = 0x7fff_ffff;

fn adapt(delta: i64, count: i64, first: bool) -> i64 {
    let mut d = if first { delta / DAMP } else { delta / 2 };
    d += d / count;
    let mut k = 0;
    while d > ((BASE - TMIN) * TMAX) / 2 {
        d /= BASE - TMIN;
        k += BASE;
    }
    k + ((BASE - TMIN + 1) * d) / (d + SKEW)
}

fn threshold(k: i64, bias: i64) -> i64 {
    if k <= bias {
        TMIN
    } else if k >= bias + TMAX {
        TMAX
    } else {
        k - bias
    }
}

/// ada's `punycode_to_utf32`: lower-case digits only, the basic code points before the last
/// `-` (which may end the input), 31-bit overflow checks. A decoded value that is not a
/// Unicode scalar value fails (ada's mapping would reject it).
fn punycode_decode(input: &str) -> Option<Vec<char>> {
    let mut out: Vec<char> = Vec::new();
    let mut rest = input.as_bytes();
    if let Some(dash) = input.rfind('-') {
        out.extend(input[..dash].chars());
        rest = &rest[dash + 1..];
    }
    let (mut n, mut i, mut bias) = (INITIAL_N, 0i64, INITIAL_BIAS);
    let mut bytes = rest.iter();
    while bytes.len() > 0 {
        let old_i = i;
        let mut w = 1i64;
        let mut k = BASE;
        loop {
            let digit = match *bytes.next()? {
                b @ b'a'..=b'z' => i64::from(b - b'a'),
                b @ b'0'..=b'9' => i64::from(b - b'0') + 26,
                _ => return None,
            };
            if digit > (MAX - i) / w {
                return None;
            }
            i += digit * w;
            let t = threshold(k, bias);
            if digit < t {
                break;
            }
            if w > MAX / (BASE - t) {
                return None;
            }
            w *= BASE - t;
            k += BASE;
        }
        let len = out.len() as i64 + 1;
        bias = adapt(i - old_i, len, old_i == 0);
        if i / len > MAX - n {
            return None;
        }
        n += i / len;
        i %= len;
        let c = char::from_u32(u32::try_from(n).ok()?)?;
        out.insert(i as usize, c);
        i += 1;
    }
    Some(out)
}

/// RFC 3492 Punycode encoding of `label`, appended to `out`.
fn punycode_encode(label: &[char], out: &mut String) -> Option<()> {
    let mut h = 0i64;
    for &c in label {
        if c.is_ascii() {
            out.push(c);
            h += 1;
        }
    }
    let b = h;
    if b > 0 {
        out.push('-');
    }
    let (mut n, mut delta, mut bias) = (INITIAL_N, 0i64, INITIAL_BIAS);
    let total = label.len() as i64;
    while h < total {
        let m = label
            .iter()
            .map(|&c| i64::from(u32::from(c)))
            .filter(|&c| c >= n)
            .min()?;
        if (m - n) > (MAX - delta) / (h + 1) {
            return None;
        }
        delta += (m - n) * (h + 1);
        n = m;
        for &c in label {
            let c = i64::from(u32::from(c));
            if c < n {
                delta += 1;
                if delta > MAX {
                    return None;
                }
            }
            if c == n {
                let mut q = delta;
                let mut k = BASE;
                loop {
                    let t = threshold(k, bias);
                    if q < t {
                        break;
                    }
                    out.push(digit_char(t + (q - t) % (BASE - t)));
                    q = (q - t) / (BASE - t);
                    k += BASE;
                }
                out.push(digit_char(q));
                bias = adapt(delta, h + 1, h == b);
                delta = 0;
                h += 1;
            }
        }
        delta += 1;
        n += 1;
    }
    Some(())
}

fn digit_char(d: i64) -> char {
    let d = d as u8;
    if d < 26 {
        (b'a' + d) as char
    } else {
        (b'0' + d - 26) as char
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_node_on_known_hosts() {
        for (input, expected) in [
            ("ÄÖÜ.com", "xn--4ca0bs.com"),
            ("ß.de", "xn--zca.de"),
            ("💩.la", "xn--ls8h.la"),
            ("a\u{3002}b", "a.b"),
            ("xn--a", ""),
            ("xn--", ""),
            ("xn--abc-", "xn--abc-"),
            ("xn--mnchen-3ya", "xn--mnchen-3ya"),
            ("١", "xn--9hb"),
            ("١1", ""),
            ("a١", "xn--a-bqc"),
            ("1א", "xn--1-0hc"),
            ("אa", ""),
            ("a\u{200D}b", ""),
            ("ب\u{200C}ب", "xn--ngba799q"),
            ("a\u{0}b", "a"),
            ("a💩\u{0}b", "xn--a"),
            ("\u{300}a", ""),
            ("a\u{80}b", ""),
            ("\u{200B}", ""),
            ("a\u{200B}b", "ab"),
            ("-a-.com", "-a-.com"),
            ("a..b", "a..b"),
            ("a.", "a."),
        ] {
            assert_eq!(to_ascii(input), expected, "{input:?}");
        }
    }

    #[test]
    fn punycode_round_trips() {
        let label: Vec<char> = "münchen".chars().collect();
        let mut out = String::new();
        punycode_encode(&label, &mut out).unwrap();
        assert_eq!(out, "mnchen-3ya");
        assert_eq!(punycode_decode(&out).unwrap(), label);
    }
}
