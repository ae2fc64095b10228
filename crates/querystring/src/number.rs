//! JavaScript's Number-to-String (ECMA-262 `Number::toString`, radix 10).
//!
//! `ryu` gives the shortest digit string that round-trips, and on a tie between two such
//! strings the even one, as V8 does (Rust's own `{:e}` rounds such ties up:
//! `2065017519497537.25` must print as `2065017519497537.2`). This module places the decimal
//! point the way JavaScript does: plain notation for exponents in `-7 < e < 21`, `1e+21`
//! style outside.

/// JavaScript's `String(v)` for a number: what [`stringify()`](crate::stringify()) writes for a
/// [`Primitive::Number`](crate::Primitive::Number) (shortest round-trip digits, exponent form
/// from `1e+21` up and below `1e-6`).
///
/// ```
/// use nodestd_querystring::js_number_to_string;
/// assert_eq!(js_number_to_string(1e21), "1e+21");
/// assert_eq!(js_number_to_string(1.5e-7), "1.5e-7");
/// assert_eq!(js_number_to_string(-0.0), "0");
/// assert_eq!(js_number_to_string(0.1 + 0.2), "0.30000000000000004");
/// ```
pub fn js_number_to_string(v: f64) -> String {
    if v.is_nan() {
        return "NaN".to_owned();
    }
    if v == 0.0 {
        // Both +0 and -0.
        return "0".to_owned();
    }
    if v.is_infinite() {
        return if v > 0.0 { "Infinity" } else { "-Infinity" }.to_owned();
    }
    let mut buf = ryu::Buffer::new();
    let text = buf.format_finite(v.abs());
    let (mantissa, exp) = text.split_once('e').unwrap_or((text, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    // value = 0.<int><frac> × 10^(len(int) + exp); then drop leading and trailing zeros.
    let all = format!("{int}{frac}");
    let trimmed = all.trim_start_matches('0');
    let n = int.len() as i32 + exp - (all.len() - trimmed.len()) as i32;
    let digits = trimmed.trim_end_matches('0');
    // value = 0.d1 d2 … dk × 10^n
    let k = digits.len() as i32;
    let mut out = String::with_capacity(digits.len() + 8);
    if v < 0.0 {
        out.push('-');
    }
    if k <= n && n <= 21 {
        out.push_str(digits);
        out.extend(std::iter::repeat_n('0', (n - k) as usize));
    } else if 0 < n && n <= 21 {
        out.push_str(&digits[..n as usize]);
        out.push('.');
        out.push_str(&digits[n as usize..]);
    } else if -6 < n && n <= 0 {
        out.push_str("0.");
        out.extend(std::iter::repeat_n('0', (-n) as usize));
        out.push_str(digits);
    } else {
        out.push_str(&digits[..1]);
        if k > 1 {
            out.push('.');
            out.push_str(&digits[1..]);
        }
        out.push('e');
        out.push(if n - 1 < 0 { '-' } else { '+' });
        out.push_str(&(n - 1).abs().to_string());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::js_number_to_string as s;

    #[test]
    fn matches_javascript() {
        let cases: &[(f64, &str)] = &[
            (0.0, "0"),
            (-0.0, "0"),
            (1.0, "1"),
            (-72.42, "-72.42"),
            (0.1, "0.1"),
            (1e21, "1e+21"),
            (1e20, "100000000000000000000"),
            (123456789012345680000.0, "123456789012345680000"),
            (1.5e-7, "1.5e-7"),
            (0.000001, "0.000001"),
            (1e-7, "1e-7"),
            (5e-324, "5e-324"),
            (f64::MAX, "1.7976931348623157e+308"),
            (0.30000000000000004, "0.30000000000000004"),
            (1.2345e25, "1.2345e+25"),
            (2065017519497537.2, "2065017519497537.2"),
            (164709121801190.12, "164709121801190.12"),
            (100.0, "100"),
            (0.001, "0.001"),
            (123.456, "123.456"),
            (f64::NAN, "NaN"),
            (f64::NEG_INFINITY, "-Infinity"),
        ];
        for &(v, want) in cases {
            assert_eq!(s(v), want, "{v:?}");
        }
    }
}
