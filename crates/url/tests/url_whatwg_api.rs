//! The WHATWG API's behaviours pinned with `node -e` (Node v20.20.2): accessors, setters,
//! the live `searchParams`, the helpers and their errors.

use nodestd_url::{
    URL, URLFormatOptions, URLSearchParams, domain_to_ascii, domain_to_unicode, file_url_to_path,
    path_to_file_url_from, url_to_http_options,
};

#[test]
fn invalid_urls_carry_node_code_and_message() {
    let err = URL::parse("x", None).unwrap_err();
    assert_eq!(
        (err.code(), err.message()),
        ("ERR_INVALID_URL", "Invalid URL")
    );
    assert_eq!(
        URL::parse("x", Some("y")).unwrap_err().code(),
        "ERR_INVALID_URL"
    );
    assert!(!URL::can_parse("http://[::1", None));
}

#[test]
fn file_urls_follow_node_not_the_url_crate() {
    let url = URL::parse("C|", Some("file://host/dir/file")).unwrap();
    assert_eq!(url.href(), "file://host/C:");
    assert_eq!(
        URL::parse("file:////a/b", None).unwrap().pathname(),
        "//a/b"
    );
    assert_eq!(
        URL::parse("file:///w|/m", None).unwrap().href(),
        "file:///w:/m"
    );
    assert_eq!(URL::parse("file://localhost/x", None).unwrap().host(), "");
}

#[test]
fn origins() {
    let origin = |s: &str| URL::parse(s, None).unwrap().origin();
    assert_eq!(origin("blob:https://a.com:8/x"), "https://a.com:8");
    assert_eq!(origin("blob:ftp://host/path"), "null");
    assert_eq!(origin("file:///x"), "null");
    assert_eq!(origin("foo://h/"), "null");
    assert_eq!(origin("wss://h:443/"), "wss://h");
}

#[test]
fn setters_as_node() {
    let mut url = URL::parse("http://h:21/p", None).unwrap();
    url.set_port("|80"); // Ada: a digit somewhere, none in front: the port goes
    assert_eq!(url.host(), "h");
    url.set_port("65536");
    assert_eq!(url.port(), "");
    url.set_port("8080x");
    assert_eq!(url.port(), "8080");
    url.set_host("a:x1"); // the rest goes through the port setter: the port goes too
    assert_eq!(url.host(), "a");
    url.set_protocol("foo"); // special to non-special: ignored
    assert_eq!(url.protocol(), "http:");
    url.set_port("9");
    url.set_protocol("file"); // has a port: ignored
    assert_eq!(url.protocol(), "http:");
    url.set_port("");
    url.set_protocol("file");
    assert_eq!(url.href(), "file://a/p");
    url.set_protocol("https");
    assert_eq!(url.href(), "https://a/p");
    assert_eq!(url.set_href("::").unwrap_err().code(), "ERR_INVALID_URL");
}

#[test]
fn search_params_stay_in_sync() {
    let mut url = URL::parse("http://x/?a=1&b=%7e#h", None).unwrap();
    url.search_params_mut().set("a", "x y");
    assert_eq!(url.href(), "http://x/?a=x+y&b=%7E#h");
    url.set_search("?c=%C3%A9");
    assert_eq!(url.search_params().get("c"), Some("é"));
    url.search_params_mut().delete("c", None);
    assert_eq!(url.href(), "http://x/#h");
}

#[test]
fn search_params_parse_like_node() {
    // querystring.unescape's fallback keeps one byte per UTF-16 unit.
    let params = URLSearchParams::new("k=%C3%A9%ZZ&é%ff=1&+%2B=&&");
    let pairs: Vec<_> = params.entries().collect();
    assert_eq!(
        pairs,
        [("k", "é%ZZ"), ("\u{FFFD}\u{FFFD}", "1"), (" +", "")]
    );
    let mut params = URLSearchParams::new("b=2&a=1&b=1");
    params.sort();
    assert!(params.has("b", Some("1")));
    assert_eq!(params.to_string(), "a=1&b=2&b=1");
}

#[test]
fn file_helpers() {
    assert_eq!(
        file_url_to_path("file:///a%2fb").unwrap_err().code(),
        "ERR_INVALID_FILE_URL_PATH"
    );
    assert_eq!(
        file_url_to_path("file://h/a").unwrap_err().code(),
        "ERR_INVALID_FILE_URL_HOST"
    );
    assert_eq!(
        file_url_to_path("file:///%ff").unwrap_err().code(),
        "URIError"
    );
    assert_eq!(file_url_to_path("x").unwrap_err().code(), "ERR_INVALID_URL");
    let url = path_to_file_url_from("/tmp/cwdfix", "a\tb\n%~/");
    assert_eq!(url.href(), "file:///tmp/cwdfix/a%09b%0A%25%7E/");
}

#[test]
fn domains_format_and_http_options() {
    assert_eq!(domain_to_ascii("a:b"), "");
    assert_eq!(domain_to_ascii("1.2.3"), "1.2.0.3");
    assert_eq!(domain_to_unicode("xn--nxasmq6b.com"), "βόλοσ.com");
    let url = URL::parse("http://u:p@xn--nxasmq6b.com:8080/p?q#h", None).unwrap();
    let opts = URLFormatOptions {
        auth: false,
        fragment: false,
        search: false,
        unicode: true,
    };
    assert_eq!(url.format(opts), "http://βόλοσ.com:8080/p");
    assert_eq!(url.format(URLFormatOptions::default()), url.href());
    let o = url_to_http_options(&url).unwrap();
    assert_eq!(
        (o.port, o.auth.as_deref(), o.path.as_str()),
        (Some(8080), Some("u:p"), "/p?q")
    );
    let bad = URL::parse("http://%ff@a/", None).unwrap();
    assert_eq!(bad.to_http_options().unwrap_err().code(), "URIError");
}
