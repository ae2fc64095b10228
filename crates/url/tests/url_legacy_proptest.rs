//! Property tests: no input panics the legacy API (`parse` with every flag combination,
//! `format`, `format_str`, `format_object`, `resolve`, `resolve_object`), and a few
//! invariants Node's algorithm guarantees hold for every input.

use nodestd_url::{JsValue, Query, UrlObject, format_object, format_str, parse, resolve};
use proptest::prelude::*;

/// Strings built mostly from the characters the parser treats specially.
fn url_like() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("http:".to_owned()),
        Just("HTTP:".to_owned()),
        Just("javascript:".to_owned()),
        Just("file:".to_owned()),
        Just("//".to_owned()),
        Just("@".to_owned()),
        Just(":".to_owned()),
        Just("[".to_owned()),
        Just("]".to_owned()),
        Just("?".to_owned()),
        Just("#".to_owned()),
        Just("%".to_owned()),
        Just("%41".to_owned()),
        Just("%E0%A4%A".to_owned()),
        Just("\\".to_owned()),
        Just("/".to_owned()),
        Just(".".to_owned()),
        Just("..".to_owned()),
        Just("xn--".to_owned()),
        Just("\u{0}".to_owned()),
        Just("\u{200d}".to_owned()),
        Just("\u{feff}".to_owned()),
        "[a-zA-Z0-9 \t\n]{0,4}",
        any::<char>().prop_map(String::from),
    ];
    prop::collection::vec(piece, 0..16).prop_map(|p| p.concat())
}

fn js_value() -> impl Strategy<Value = JsValue> {
    let leaf = prop_oneof![
        Just(JsValue::Null),
        any::<bool>().prop_map(JsValue::Bool),
        any::<f64>().prop_map(JsValue::Number),
        url_like().prop_map(JsValue::String),
    ];
    leaf.prop_recursive(2, 8, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(JsValue::Array),
            prop::collection::vec(("[a-z0-9]{0,3}", inner), 0..4).prop_map(JsValue::Object),
        ]
    })
}

fn url_object() -> impl Strategy<Value = UrlObject> {
    (
        prop::array::uniform5(js_value()),
        prop::array::uniform5(js_value()),
    )
        .prop_map(
            |([protocol, slashes, auth, host, port], [hostname, hash, search, query, pathname])| {
                UrlObject {
                    protocol,
                    slashes,
                    auth,
                    host,
                    port,
                    hostname,
                    hash,
                    search,
                    query,
                    pathname,
                }
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn parse_never_panics(s in url_like(), q in any::<bool>(), h in any::<bool>()) {
        if let Ok(u) = parse(&s, q, h) {
            // href is always the formatted URL, and format is stable on its own output.
            let href = u.href.clone().unwrap_or_default();
            prop_assert_eq!(&href, &u.format());
            // A parsed query string is an object exactly when asked for.
            let object_query = matches!(u.query, Some(Query::Object(_)));
            prop_assert_eq!(object_query, q);
            // Hostnames are lower case.
            if let Some(h) = &u.hostname {
                prop_assert_eq!(h, &h.to_lowercase());
            }
        }
    }

    #[test]
    fn format_str_never_panics(s in url_like()) {
        let _ = format_str(&s);
    }

    #[test]
    fn format_object_never_panics(obj in url_object()) {
        let _ = format_object(&obj);
    }

    #[test]
    fn resolve_never_panics(a in url_like(), b in url_like()) {
        let _ = resolve(&a, &b);
        let _ = nodestd_url::resolve_object(&a, &b);
    }
}
