//! Punycode decoding (RFC 3492) for `domainToUnicode` and the `Unicode` host forms, in the
//! time Node's (ada's) decoder takes: each decoded code point is inserted into the output at
//! its place. `idna::punycode::decode_to_string`, which gives the same answers, renumbers
//! every earlier insertion on each one, which is quadratic even for a label of one repeated
//! letter: `url.domainToUnicode("é".repeat(16384))` took 170 ms where node takes 2 ms
//! (found by the `url_whatwg` fuzz target, issue 18).

const BASE: u32 = 36;
const T_MIN: u32 = 1;
const T_MAX: u32 = 26;
const SKEW: u32 = 38;
const DAMP: u32 = 700;
const INITIAL_BIAS: u32 = 72;
const INITIAL_N: u32 = 0x80;

fn adapt(mut delta: u32, num_points: u32, first_time: bool) -> u32 {
    delta /= if first_time { DAMP } else { 2 };
    delta += delta / num_points;
    let mut k = 0;
    while delta > ((BASE - T_MIN) * T_MAX) / 2 {
        delta /= BASE - T_MIN;
        k += BASE;
    }
    k + (((BASE - T_MIN + 1) * delta) / (delta + SKEW))
}

fn digit(byte: u8) -> Option<u32> {
    Some(match byte {
        b'0'..=b'9' => byte - b'0' + 26,
        b'A'..=b'Z' => byte - b'A',
        b'a'..=b'z' => byte - b'a',
        _ => return None,
    } as u32)
}

/// Decodes the Punycode of one label (without its `xn--`); `None` for malformed input or
/// overflow, exactly where `idna::punycode::decode_to_string` answers `None`.
pub(crate) fn decode(input: &str) -> Option<String> {
    let input = input.as_bytes();
    // Basic code points come as they are before the last delimiter; a delimiter in first
    // place is part of the encoded digits (and so invalid), as idna reads it.
    let (basic, encoded) = match input.iter().rposition(|&b| b == b'-') {
        Some(0) => (&input[..0], input),
        Some(p) => (&input[..p], &input[p + 1..]),
        None => (&input[..0], input),
    };
    if !basic.is_ascii() {
        return None;
    }
    let mut out: Vec<char> = basic.iter().map(|&b| char::from(b)).collect();
    let mut code_point = INITIAL_N;
    let mut bias = INITIAL_BIAS;
    let mut i = 0u32;
    let mut bytes = encoded.iter().copied();
    while let Some(mut byte) = bytes.next() {
        let previous_i = i;
        let mut weight = 1u32;
        let mut k = BASE;
        loop {
            let d = digit(byte)?;
            i = i.checked_add(d.checked_mul(weight)?)?;
            let t = if k <= bias {
                T_MIN
            } else if k >= bias + T_MAX {
                T_MAX
            } else {
                k - bias
            };
            if d < t {
                break;
            }
            weight = weight.checked_mul(BASE - t)?;
            k += BASE;
            byte = bytes.next()?;
        }
        let length = u32::try_from(out.len()).ok()? + 1;
        bias = adapt(i - previous_i, length, previous_i == 0);
        code_point = code_point.checked_add(i / length)?;
        i %= length;
        out.insert(i as usize, char::from_u32(code_point)?);
        i += 1;
    }
    Some(out.into_iter().collect())
}

#[cfg(test)]
mod tests {
    use super::decode;

    /// Agreement with the idna crate's decoder (the slow reference) on seeded random labels
    /// made of digits, letters, delimiters and a few non-ASCII characters.
    #[test]
    fn agrees_with_idna() {
        let alphabet: Vec<char> = "abcxyzABZ0189--é\u{1F600}".chars().collect();
        let mut state = 0x5EED_u64;
        for _ in 0..200_000 {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let len = (state >> 59) as usize;
            let mut s = String::new();
            let mut x = state;
            for _ in 0..len {
                x = x.wrapping_mul(6364136223846793005).wrapping_add(1);
                s.push(alphabet[(x >> 40) as usize % alphabet.len()]);
            }
            assert_eq!(decode(&s), idna::punycode::decode_to_string(&s), "{s:?}");
        }
        for s in [
            "",
            "-",
            "a-",
            "-a",
            "espaol-zwa",
            "bcher-kva",
            "ls8h",
            "zz-",
            "99999999999",
        ] {
            assert_eq!(decode(s), idna::punycode::decode_to_string(s), "{s:?}");
        }
    }

    /// The label `é` × 16384 (its Punycode): the same answer as idna, the time of a linear
    /// decoder (idna took 80 ms in a release build; the bound is loose for debug builds).
    #[test]
    fn long_label_is_fast() {
        let label = idna::punycode::encode_str(&"é".repeat(16384)).unwrap();
        let started = std::time::Instant::now();
        let ours = decode(&label);
        let took = started.elapsed();
        assert_eq!(ours.as_deref(), Some("é".repeat(16384).as_str()));
        assert!(took < std::time::Duration::from_millis(50), "took {took:?}");
    }
}
