//! Property tests: no input panics the WHATWG half of nodestd-url (parsing, every accessor and
//! setter, `URLSearchParams`, the file and domain helpers, `url.format`).

use nodestd_url::{
    URL, URLFormatOptions, URLSearchParams, domain_to_ascii, domain_to_unicode, file_url_to_path,
    path_to_file_url_from,
};
use proptest::prelude::*;

/// Strings built from URL-ish pieces and arbitrary characters.
fn url_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("http:".to_owned()),
        Just("file:".to_owned()),
        Just("foo:".to_owned()),
        Just("//".to_owned()),
        Just("\\\\".to_owned()),
        Just("/".to_owned()),
        Just("..".to_owned()),
        Just("%2e".to_owned()),
        Just("C|".to_owned()),
        Just("@".to_owned()),
        Just(":".to_owned()),
        Just("[::1]".to_owned()),
        Just("0x7f.1".to_owned()),
        Just("xn--".to_owned()),
        Just("?".to_owned()),
        Just("#".to_owned()),
        Just("%".to_owned()),
        any::<char>().prop_map(String::from),
        "[a-z0-9]{0,4}",
    ];
    proptest::collection::vec(piece, 0..12).prop_map(|v| v.concat())
}

fn exercise(url: &mut URL, value: &str) {
    let _ = (
        url.href(),
        url.origin(),
        url.protocol(),
        url.username(),
        url.password(),
    );
    let _ = (
        url.host(),
        url.hostname(),
        url.port(),
        url.pathname(),
        url.search(),
        url.hash(),
    );
    let _ = url.search_params();
    let _ = url.to_http_options();
    let _ = url.to_file_path();
    for unicode in [false, true] {
        let _ = url.format(URLFormatOptions {
            unicode,
            auth: false,
            ..Default::default()
        });
    }
    let mut copy = url.clone();
    copy.set_protocol(value);
    copy.set_username(value);
    copy.set_password(value);
    copy.set_host(value);
    copy.set_hostname(value);
    copy.set_port(value);
    copy.set_pathname(value);
    copy.set_search(value);
    copy.set_hash(value);
    let _ = copy.set_href(value);
    {
        let mut params = copy.search_params_mut();
        params.append(value, value);
        params.sort();
    }
    let _ = copy.href();
}

proptest! {
    #[test]
    fn parsing_and_setters_never_panic(input in url_text(), base in url_text(), value in url_text()) {
        for base in [None, Some(base.as_str())] {
            if let Ok(mut url) = URL::parse(&input, base) {
                exercise(&mut url, &value);
            }
            let _ = URL::can_parse(&input, base);
        }
    }

    #[test]
    fn helpers_never_panic(input in url_text()) {
        let _ = file_url_to_path(&input);
        let _ = path_to_file_url_from("/tmp/cwdfix", &input);
        let _ = domain_to_ascii(&input);
        let _ = domain_to_unicode(&input);
    }

    #[test]
    fn search_params_never_panic(init in url_text(), name in url_text(), value in url_text()) {
        let mut params = URLSearchParams::new(&init);
        params.append(&name, &value);
        params.set(&value, &name);
        params.delete(&name, Some(&value));
        params.sort();
        let _ = (params.get(&name), params.get_all(&value), params.has(&name, None));
        let text = params.to_string();
        // Serializing and parsing again gives the same list.
        prop_assert_eq!(URLSearchParams::new(&text), params);
    }
}
