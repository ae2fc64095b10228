//! The legacy API's quirks, pinned with values printed by Node v20 (`url.parse`,
//! `url.format`, `url.resolve`, `url.resolveObject`).

use nodestd_querystring::QueryValue;
use nodestd_url::{
    ErrorKind, JsValue, Query, Resolved, Url, UrlObject, format_object, format_str, parse, resolve,
    resolve_object,
};

/// The twelve fields, as Node's JSON shows them (`null` as `None`).
fn fields(u: &Url) -> [Option<&str>; 11] {
    let query = match &u.query {
        Some(Query::String(q)) => Some(q.as_str()),
        Some(Query::Object(_)) => Some("<object>"),
        None => None,
    };
    [
        u.protocol.as_deref(),
        u.auth.as_deref(),
        u.host.as_deref(),
        u.port.as_deref(),
        u.hostname.as_deref(),
        u.hash.as_deref(),
        u.search.as_deref(),
        query,
        u.pathname.as_deref(),
        u.path.as_deref(),
        u.href.as_deref(),
    ]
}

#[test]
fn parse_splits_every_part() {
    let u = parse(
        "http://user:pass@sub.example.com:8080/p/a/t/h?query=string#hash",
        false,
        false,
    )
    .unwrap();
    assert!(u.slashes);
    assert_eq!(
        fields(&u),
        [
            Some("http:"),
            Some("user:pass"),
            Some("sub.example.com:8080"),
            Some("8080"),
            Some("sub.example.com"),
            Some("#hash"),
            Some("?query=string"),
            Some("query=string"),
            Some("/p/a/t/h"),
            Some("/p/a/t/h?query=string"),
            Some("http://user:pass@sub.example.com:8080/p/a/t/h?query=string#hash"),
        ]
    );
}

#[test]
fn an_upper_case_scheme_without_slashes_still_has_a_host() {
    // Node tests the scheme as written ("HTTP:") against its slashed-protocol table.
    let u = parse("HTTP:foo/bar", false, false).unwrap();
    assert!(!u.slashes);
    assert_eq!(u.host.as_deref(), Some("foo"));
    assert_eq!(u.pathname.as_deref(), Some("/bar"));
    assert_eq!(u.href.as_deref(), Some("http://foo/bar"));
}

#[test]
fn javascript_urls_keep_unsafe_characters() {
    let u = parse("javascript:alert(\"x y\")", false, false).unwrap();
    assert_eq!(u.host, None);
    assert_eq!(u.pathname.as_deref(), Some("alert(\"x y\")"));
}

#[test]
fn the_last_at_sign_before_the_path_ends_the_auth() {
    let u = parse("http://a@b@c/", false, false).unwrap();
    assert_eq!(
        (u.auth.as_deref(), u.host.as_deref()),
        (Some("a@b"), Some("c"))
    );
    assert_eq!(u.href.as_deref(), Some("http://a%40b@c/"));

    let u = parse("http://a@b?@c", false, false).unwrap();
    assert_eq!(
        (u.auth.as_deref(), u.host.as_deref()),
        (Some("a"), Some("b"))
    );
    assert_eq!(u.search.as_deref(), Some("?@c"));
    assert_eq!(u.href.as_deref(), Some("http://a@b/?@c"));
}

#[test]
fn ipv6_hosts_lose_their_brackets_in_hostname_only() {
    let u = parse("http://[::1]:8080/x", false, false).unwrap();
    assert_eq!(u.host.as_deref(), Some("[::1]:8080"));
    assert_eq!(u.hostname.as_deref(), Some("::1"));
    assert_eq!(u.href.as_deref(), Some("http://[::1]:8080/x"));
}

#[test]
fn backslashes_white_space_and_bad_ports() {
    let u = parse("http://x.com\\a\\b?c\\d", false, false).unwrap();
    assert_eq!(u.pathname.as_deref(), Some("/a/b"));
    assert_eq!(u.search.as_deref(), Some("?c%5Cd"));

    let u = parse("  \thttp://X.COM/a b\n ", false, false).unwrap();
    assert_eq!(u.href.as_deref(), Some("http://x.com/a%20b"));

    // A non-numeric port goes back into the path (Node also prints DEP0170).
    let u = parse("http://a:b/c", false, false).unwrap();
    assert_eq!(u.host.as_deref(), Some("a"));
    assert_eq!(u.pathname.as_deref(), Some("/:b/c"));
}

#[test]
fn parsed_query_objects() {
    let u = parse("/p?x=1&x=2&y", true, false).unwrap();
    let Some(Query::Object(q)) = &u.query else {
        panic!("expected a parsed query, got {:?}", u.query);
    };
    assert_eq!(
        q.get("x"),
        Some(&QueryValue::Multiple(vec!["1".into(), "2".into()]))
    );
    assert_eq!(q.get("y"), Some(&QueryValue::Single(String::new())));
    assert_eq!(u.href.as_deref(), Some("/p?x=1&x=2&y"));

    // No `?` at all: an empty object and a null search.
    let u = parse("http://a/", true, false).unwrap();
    assert!(matches!(&u.query, Some(Query::Object(q)) if q.is_empty()));
    assert_eq!(u.search, None);
}

#[test]
fn mailto_keeps_its_auth_and_host() {
    let u = parse("mailto:local@domain", false, false).unwrap();
    assert_eq!(
        (u.auth.as_deref(), u.host.as_deref(), u.pathname.as_deref()),
        (Some("local"), Some("domain"), None)
    );
}

#[test]
fn parse_errors_carry_node_codes() {
    let e = parse("http://%E0%A4%A@fail", false, false).unwrap_err();
    assert_eq!(
        (e.kind(), e.code(), e.message()),
        (ErrorKind::UriError, "URIError", "URI malformed")
    );
    let e = parse("http://a\u{200d}b/", false, false).unwrap_err();
    assert_eq!(
        (e.kind(), e.code(), e.message()),
        (ErrorKind::InvalidUrl, "ERR_INVALID_URL", "Invalid URL")
    );
    assert_eq!(
        parse("http://[a b]/", false, false).unwrap_err().code(),
        "ERR_INVALID_URL"
    );
}

#[test]
fn format_escapes_and_adds_the_missing_punctuation() {
    let obj = UrlObject {
        protocol: "http".into(),
        host: "a.com".into(),
        pathname: "x#y?z".into(),
        search: "q#1".into(),
        hash: "h".into(),
        ..UrlObject::default()
    };
    assert_eq!(
        format_object(&obj).unwrap(),
        "http://a.com/x%23y%3Fz?q%231#h"
    );

    let obj = UrlObject {
        protocol: "https:".into(),
        hostname: "::1".into(),
        port: JsValue::Number(443.0),
        ..UrlObject::default()
    };
    assert_eq!(format_object(&obj).unwrap(), "https://[::1]:443");

    let obj = UrlObject {
        protocol: "mailto".into(),
        auth: "a b".into(),
        hostname: "x".into(),
        ..UrlObject::default()
    };
    assert_eq!(format_object(&obj).unwrap(), "mailto:a%20b@x");
}

#[test]
fn format_stringifies_query_objects_in_object_key_order() {
    let obj = UrlObject {
        query: JsValue::Object(vec![
            (
                "b".into(),
                JsValue::Array(vec![JsValue::Number(1.0), JsValue::Number(2.0)]),
            ),
            ("a".into(), "x y".into()),
            ("1".into(), JsValue::Bool(true)),
        ]),
        ..UrlObject::default()
    };
    assert_eq!(format_object(&obj).unwrap(), "?1=true&b=1&b=2&a=x%20y");
}

#[test]
fn format_type_errors() {
    for obj in [
        UrlObject {
            protocol: JsValue::Number(1.0),
            ..UrlObject::default()
        },
        UrlObject {
            hostname: JsValue::Bool(true),
            ..UrlObject::default()
        },
        UrlObject {
            search: JsValue::Number(5.0),
            ..UrlObject::default()
        },
        UrlObject {
            hash: JsValue::Object(vec![]),
            ..UrlObject::default()
        },
        UrlObject {
            pathname: JsValue::Array(vec!["a".into()]),
            ..UrlObject::default()
        },
    ] {
        let e = format_object(&obj).unwrap_err();
        assert_eq!(
            (e.kind(), e.code()),
            (ErrorKind::TypeError, "TypeError"),
            "{obj:?}"
        );
    }
}

#[test]
fn format_of_a_string_parses_it_first() {
    assert_eq!(
        format_str("HTTP://A.com\\b c").unwrap(),
        "http://a.com/b%20c"
    );
    assert_eq!(format_str("").unwrap(), "");
}

#[test]
fn resolve_like_a_browser() {
    assert_eq!(
        resolve("http://a/b/c/d;p?q", "../../../g").unwrap(),
        "http://a/g"
    );
    assert_eq!(resolve("mailto:a@b", "c@d").unwrap(), "mailto:c@d");
    assert_eq!(
        resolve("http://a.com/x", "//b.com/y").unwrap(),
        "http://b.com/y"
    );
    assert_eq!(resolve("http://a.com/x", "https:z").unwrap(), "https://z/");
    assert_eq!(resolve("/a/b", "").unwrap(), "/a/b");
}

#[test]
fn resolve_object_returns_the_relative_string_for_an_empty_source() {
    assert_eq!(
        resolve_object("", "x/../y").unwrap(),
        Resolved::Relative("x/../y".into())
    );
    let Resolved::Url(u) = resolve_object("http://a.com/b/c", "../d?x").unwrap() else {
        panic!("expected a Url");
    };
    assert_eq!(u.path.as_deref(), Some("/d?x"));
}

/// `url.resolve` is linear in the number of path segments (it was quadratic: each `.`/`..`
/// was spliced out of a vector, and leading `..`s and empty segments were inserted and
/// removed at its front). The expected values were printed by Node v20.20.2.
#[test]
fn resolve_of_many_segments() {
    let resolve = |from: &str, to: &str| nodestd_url::resolve(from, to).expect("resolves");
    let deep = format!("http://a/{}", "b/".repeat(60_000));
    assert_eq!(
        resolve(&deep, &format!("{}c", "../".repeat(60_000))),
        "http://a/c"
    );
    assert_eq!(
        resolve("http://a/x/y", &format!("{}c", "../".repeat(80_000))),
        "http://a/c"
    );
    let mailto = format!("mailto:x@y/{}", "b/".repeat(1_000));
    assert_eq!(
        resolve(&mailto, &format!("{}c/./d", "../".repeat(90_000))),
        "mailto:x@c/d"
    );
    let slashes = resolve("foo:", &format!("{}h/p/../q", "/".repeat(100_000)));
    assert_eq!(slashes.len(), 100_012);
    assert!(slashes.starts_with("foo:////"));
    assert!(slashes.ends_with("////h/p/../q"));
    assert_eq!(resolve(&format!("x/{}", "./".repeat(100_000)), "y"), "x/y");
    // Node itself takes 31 s, 39 s and 1.5 s on these three (it splices too).
    let n = 100_000;
    assert_eq!(
        resolve(
            &format!("http://a/{}", "./".repeat(n)),
            &format!("{}c", "b/".repeat(n))
        ),
        format!("http://a/{}c", "b/".repeat(n))
    );
    assert_eq!(
        resolve(
            "mailto:x@y",
            &format!("{}{}", "../".repeat(n), "b/".repeat(n))
        ),
        format!("mailto:x@{}", "b/".repeat(n))
    );
    assert_eq!(
        resolve("http://a/", &format!("https:{}h/p", "/".repeat(n))),
        "https://h/p"
    );
}
