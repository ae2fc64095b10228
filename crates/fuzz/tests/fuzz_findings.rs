//! What the fuzz targets found, kept: the inputs, and Node's answers (recorded from node v20
//! by the one-liners in each comment) where a check turned out to be wrong about Node rather
//! than nodestd wrong about Node, so the check's exception stays justified.

use nodestd_fuzz::{Scale, linear, target};
use nodestd_path::{posix, win32};
use nodestd_url::URL;

/// Found by `url_whatwg`'s time check: `domainToUnicode` of one long non-ASCII label was
/// quadratic (idna's Punycode decoder). Node: `url.domainToUnicode('é'.repeat(16384))` is
/// the same string, in about 2 ms.
#[test]
fn domain_to_unicode_of_a_long_label_is_linear() {
    let long = "é".repeat(16384);
    assert_eq!(nodestd_url::domain_to_unicode(&long), long);
    let t = target("url_whatwg").unwrap();
    linear::check(t, "é".as_bytes()).unwrap();
}

/// The two quadratic cases of issue 18, as the time check sees them: `path.win32.resolve`
/// over many arguments (`Scale::Whole` repeats the arguments) and legacy `url.resolve` over
/// many `..` segments (`Scale::EachField` lengthens each field).
#[test]
fn the_issue_18_cases_are_linear() {
    let path = target("path").unwrap();
    assert_eq!(path.scale, Scale::Whole);
    linear::check(path, b"a\\b\\..\\c").unwrap();
    linear::check(path, b"..").unwrap();
    let url = target("url_legacy").unwrap();
    assert_eq!(url.scale, Scale::EachField);
    linear::check(url, b"http://h/a/b/c/\0../").unwrap();
    linear::check(url, b"/a/\0../x/").unwrap();
}

/// `path.win32.normalize` is not idempotent in Node, so the `path` target does not check it:
/// `path.win32.normalize('\\/.//./')` is `'\\\\.\\'`, and normalizing that gives `'\\'`.
#[test]
fn win32_normalize_is_not_idempotent_in_node() {
    let once = win32::normalize("\\/.//./");
    assert_eq!(once, "\\\\.\\");
    assert_eq!(win32::normalize(&once), "\\");
}

/// `path.posix.parse('//..')` is `{ root: '/', dir: '/', base: '..', ext: '', name: '..' }`
/// but `path.posix.parse('/..')` has `ext: '.', name: '.'`: the `path` target compares root,
/// dir and base only after `format`.
#[test]
fn posix_parse_splits_dot_dot_by_position() {
    let a = posix::parse("//..");
    assert_eq!(
        (a.root.as_str(), a.dir.as_str(), a.base.as_str()),
        ("/", "/", "..")
    );
    assert_eq!((a.ext.as_str(), a.name.as_str()), ("", ".."));
    assert_eq!(posix::format(&a), "/..");
    let b = posix::parse("/..");
    assert_eq!((b.ext.as_str(), b.name.as_str()), (".", "."));
}

/// The host setter may leave credentials and a port on an empty host, which does not parse,
/// in Node too: `u = new URL('dis://foo:bar@somehost:6379/x'); u.host = ':\\'` gives
/// `dis://foo:bar@:6379/x`, and `new URL(u.href)` throws `ERR_INVALID_URL`.
#[test]
fn a_hostless_url_with_credentials_does_not_reparse() {
    let mut u = URL::parse("dis://foo:bar@somehost:6379/x", None).unwrap();
    u.set_host(":\\");
    assert_eq!(u.href(), "dis://foo:bar@:6379/x");
    assert!(URL::parse(u.href(), None).is_err());
}

/// One more parse may still change an href, in Node too, so the `url_whatwg` target asks for
/// a fixed point after one re-parse. Node: `u = new URL('C|', 'http://ww#');
/// u.protocol = 'file://st\ufffddir/file'` gives `file://ww/C|`, which parses to
/// `file://ww/C:`; `new URL('http:%zz//e.com/x', 'http:/foo/bar/.com/foo/;bar/.com/foo/bar/../ton')`
/// keeps a `..` segment that the next parse removes.
#[test]
fn an_href_reaches_its_fixed_point_after_one_more_parse() {
    let mut u = URL::parse("C|", Some("http://ww#")).unwrap();
    u.set_protocol("file://st\u{fffd}dir/file");
    assert_eq!(u.href(), "file://ww/C|");
    assert_eq!(URL::parse(u.href(), None).unwrap().href(), "file://ww/C:");
    let base = "http:/foo/bar/.com/foo/;bar/.com/foo/bar/../ton";
    let v = URL::parse("http:%zz//e.com/x", Some(base)).unwrap();
    assert_eq!(
        v.href(),
        "http://foo/bar/.com/foo/;bar/.com/foo/bar/../%zz//e.com/x"
    );
}

/// Legacy `format(parse(·))` may take three rounds to settle, in Node too (seed
/// `18eecd0232f7d090` of the `url_legacy` target, 2026-12-06). Node v20, iterating
/// `s = url.format(url.parse(s))` from `file:\f:\f:\f:\f:\f:\f:\f`, prints the four
/// strings below and then repeats the last; the target asks for a fixed point within
/// `LEGACY_ROUNDS` rounds.
#[test]
fn legacy_format_parse_settles_after_three_rounds_as_in_node() {
    let node = [
        "file://\u{c}:\u{c}:\u{c}:\u{c}:\u{c}:\u{c}:",
        "file://\u{c}/:\u{c}:\u{c}:\u{c}:\u{c}:\u{c}",
        "file://\u{c}/:\u{c}:\u{c}:\u{c}:\u{c}:",
        "file://\u{c}/:\u{c}:\u{c}:\u{c}:\u{c}:",
    ];
    let mut s = "file:\u{c}:\u{c}:\u{c}:\u{c}:\u{c}:\u{c}:\u{c}".to_string();
    for want in node {
        s = nodestd_url::format(&nodestd_url::parse(&s, false, false).unwrap());
        assert_eq!(s, want);
    }
    let input = b"file:\x0c:\x0c:\x0c:\x0c:\x0c:\x0c:\x0c";
    assert!((target("url_legacy").unwrap().run)(input).is_ok());
}

/// Two false findings of the time check while other builds loaded the machine, when it still
/// measured wall-clock time (`;` as 32,768 path arguments; a parseArgs line of `--color -fx -
/// --no-such --` repeated): with thread CPU time both are linear, as they are unloaded.
#[test]
fn the_time_check_ignores_a_busy_machine() {
    linear::check(target("path").unwrap(), b";").unwrap();
    let args = b"--color\0-fx\0-\0-\0no-such\0--";
    linear::check(target("parse_args").unwrap(), args).unwrap();
}
