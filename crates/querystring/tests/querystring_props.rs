//! Property tests: no input panics any entry point, and the `&str` and UTF-16 entry points,
//! escape/unescape and stringify/parse agree with each other.

use std::collections::BTreeMap;

use nodestd_querystring::{
    Encoder, JsStr, ParseOptions, Primitive, QueryValue, StringifyValue, decode_uri_component,
    escape, escape_utf16, parse, parse_utf16, parse_with, stringify, stringify_utf16,
    stringify_with, unescape, unescape_buffer, unescape_buffer_utf16, unescape_utf16,
};
use proptest::prelude::*;

/// Strings rich in the characters the algorithms care about.
fn query_text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-c0-9A-Fa-f%&=+;: éé日😀\u{0}]{0,40}",
        "(%[0-9A-Fa-f]{0,2}|[&=+]|[a-z]|é|😀){0,20}",
        any::<String>(),
    ]
}

fn units() -> impl Strategy<Value = Vec<u16>> {
    prop_oneof![
        proptest::collection::vec(any::<u16>(), 0..24),
        proptest::collection::vec(
            prop_oneof![
                Just(0x25u16),
                Just(0x26),
                Just(0x3D),
                Just(0x2B),
                Just(0x41),
                Just(0x30),
                0xD800u16..0xE000,
                0u16..0x80,
            ],
            0..24
        ),
    ]
}

fn primitive() -> impl Strategy<Value = Primitive> {
    prop_oneof![
        query_text().prop_map(Primitive::Str),
        any::<f64>().prop_map(Primitive::Number),
        any::<i128>().prop_map(Primitive::BigInt),
        any::<bool>().prop_map(Primitive::Bool),
        Just(Primitive::Other),
        units().prop_map(Primitive::Utf16),
    ]
}

fn value() -> impl Strategy<Value = StringifyValue> {
    prop_oneof![
        primitive().prop_map(StringifyValue::One),
        proptest::collection::vec(primitive(), 0..4).prop_map(StringifyValue::List),
    ]
}

fn as_units(s: &str) -> Vec<u16> {
    s.encode_utf16().collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn parse_never_panics(
        input in query_text(),
        sep in "[&;=+%a]{0,3}",
        eq in "[=:&+%a]{0,3}",
        max_keys in 0usize..6,
        decoder in 0..3u8,
    ) {
        let fail = |_: &str| None;
        let upper = |s: &str| Some(s.to_uppercase());
        let options = ParseOptions {
            max_keys,
            decode_uri_component: match decoder {
                0 => None,
                1 => Some(&fail),
                _ => Some(&upper),
            },
        };
        let q = parse_with(&input, &sep, &eq, &options);
        // The UTF-16 entry point gives the same answer.
        let sep_u = as_units(&sep);
        let eq_u = as_units(&eq);
        let q16 = parse_utf16(
            &as_units(&input),
            (!sep.is_empty()).then_some(&sep_u[..]),
            (!eq.is_empty()).then_some(&eq_u[..]),
            &options,
        );
        prop_assert_eq!(q.len(), q16.len());
        for ((k, v), (k16, v16)) in q.iter().zip(q16.iter()) {
            prop_assert_eq!(as_units(k), k16.to_vec());
            let values: Vec<Vec<u16>> = v.values().iter().map(|s| as_units(s)).collect();
            prop_assert_eq!(values, v16.to_vec());
            prop_assert_eq!(matches!(v, QueryValue::Multiple(_)), v16.len() > 1);
        }
    }

    #[test]
    fn parse_utf16_never_panics(
        input in units(),
        sep in proptest::option::of(units()),
        eq in proptest::option::of(units()),
        max_keys in 0usize..4,
    ) {
        let options = ParseOptions { max_keys, ..ParseOptions::default() };
        let _ = parse_utf16(&input, sep.as_deref(), eq.as_deref(), &options);
    }

    #[test]
    fn escape_agrees_with_escape_utf16(s in query_text()) {
        let escaped = escape(&s);
        prop_assert!(escaped.is_ascii());
        prop_assert_eq!(escape_utf16(&as_units(&s)), Ok(escaped.clone()));
        // unescape undoes escape.
        prop_assert_eq!(unescape(&escaped), s);
    }

    #[test]
    fn utf16_entry_points_never_panic(u in units(), spaces in any::<bool>()) {
        if let Ok(escaped) = escape_utf16(&u) {
            prop_assert!(escaped.is_ascii());
        }
        let _ = unescape_utf16(&u);
        let bytes = unescape_buffer_utf16(&u, spaces);
        prop_assert!(bytes.len() <= u.len());
    }

    #[test]
    fn unescape_agrees_with_its_parts(s in query_text(), spaces in any::<bool>()) {
        let out = unescape(&s);
        prop_assert_eq!(as_units(&out), unescape_utf16(&as_units(&s)));
        match decode_uri_component(&s) {
            Ok(decoded) => prop_assert_eq!(&out, &decoded),
            Err(e) => {
                prop_assert_eq!(e.code(), "URIError");
                let bytes = unescape_buffer(&s, false);
                prop_assert_eq!(out, String::from_utf8_lossy(&bytes).into_owned());
            }
        }
        let _ = unescape_buffer(&s, spaces);
    }

    #[test]
    fn stringify_never_panics(
        pairs in proptest::collection::vec((query_text(), value()), 0..5),
        sep in "[&;é]{0,2}",
        eq in "[=:]{0,2}",
    ) {
        let refs: Vec<(&str, &StringifyValue)> =
            pairs.iter().map(|(k, v)| (k.as_str(), v)).collect();
        let plain = stringify(refs.iter().copied());
        let checked = stringify_with(refs.iter().copied(), "", "", Encoder::Escape);
        if let Ok(s) = &checked {
            prop_assert_eq!(s, &plain);
        }
        let mut identity = |s: &str| s.to_owned();
        let _ = stringify_with(refs.iter().copied(), &sep, &eq, Encoder::Custom(&mut identity));
        let keys: Vec<Vec<u16>> = pairs.iter().map(|(k, _)| as_units(k)).collect();
        let utf16 = stringify_utf16(
            keys.iter().zip(&pairs).map(|(k, (_, v))| (JsStr::Utf16(k), v)),
            Some(&as_units(&sep)),
            Some(&as_units(&eq)),
        );
        let with = stringify_with(refs.iter().copied(), &sep, &eq, Encoder::Escape);
        if !sep.is_empty() && !eq.is_empty() {
            prop_assert_eq!(utf16.map(|u| String::from_utf16(&u).ok()), with.map(Some));
        }
    }

    #[test]
    fn parse_undoes_stringify(entries in proptest::collection::btree_map(query_text(), query_text(), 0..6)) {
        let values: Vec<(String, StringifyValue)> = entries
            .iter()
            .map(|(k, v)| (k.clone(), StringifyValue::One(Primitive::Str(v.clone()))))
            .collect();
        let text = stringify(values.iter().map(|(k, v)| (k.as_str(), v)));
        let back: BTreeMap<String, String> = parse(&text)
            .into_iter()
            .map(|(k, v)| (k, v.as_str().unwrap_or_default().to_owned()))
            .collect();
        prop_assert_eq!(back, entries);
    }
}
