//! `setEncoding` and Node's `StringDecoder` (issue 12): the decoder's chunk-boundary rules
//! for each encoding, object-mode decoding, strings pushed with an encoding argument, and
//! Node's errors for unknown encodings. Expected values were printed by node v20.20.2.

use std::cell::RefCell;
use std::rc::Rc;

use nodestd_loop as nd;
use nodestd_stream::{Chunk, Decoder, Encoding, ErrorKind, Options, Readable};

/// An encoding, the chunks written to its decoder, and what each `write` and the final
/// `end()` return.
type DecoderCase = (
    &'static str,
    &'static [&'static [u8]],
    &'static [&'static str],
);

/// `new StringDecoder(enc)`, each chunk `write`n, then `end()`: node's outputs.
const DECODER_CASES: &[DecoderCase] = &[
    ("utf8", &[&[0xed, 0xbf]], &["", "\u{fffd}\u{fffd}"]),
    ("utf8", &[&[0x75, 0xf7], &[0x61]], &["u", "\u{fffd}a", ""]),
    ("utf8", &[&[0xc0], &[0x80]], &["", "\u{fffd}\u{fffd}", ""]),
    ("utf8", &[&[0xe2, 0x82], &[0xac, 0x41]], &["", "€A", ""]),
    (
        "utf8",
        &[&[0xf0, 0x9f], &[0x98], &[0x80]],
        &["", "", "😀", ""],
    ),
    ("utf8", &[&[0x80, 0x80]], &["\u{fffd}\u{fffd}", ""]),
    ("utf8", &[&[0xe9], &[0xff]], &["", "\u{fffd}\u{fffd}", ""]),
    ("utf8", &[&[0xf8]], &["\u{fffd}", ""]),
    ("utf16le", &[&[0x61], &[0x00, 0x62]], &["", "a", ""]),
    ("utf16le", &[&[0x3d, 0xd8], &[0x00, 0xde]], &["", "😀", ""]),
    (
        "base64url",
        &[&[0x61, 0x62], &[0x63, 0xfb], &[0xff]],
        &["", "YWJj", "", "-_8"],
    ),
    ("base64", &[&[0x61, 0x62, 0x63, 0x64]], &["YWJj", "ZA=="]),
    // A chunk ending in a complete character plus stray continuation bytes (the held-tail
    // scan once subtracted past zero here: stream_props.proptest-regressions).
    (
        "utf8",
        &[&[0xc2, 0x80, 0x80], &[0xe2, 0x82, 0xac, 0x80, 0x80, 0x80]],
        &["\u{80}\u{fffd}", "€\u{fffd}\u{fffd}\u{fffd}", ""],
    ),
    ("hex", &[&[0x00, 0xff]], &["00ff", ""]),
    ("ascii", &[&[0xe9, 0x41]], &["iA", ""]),
    ("latin1", &[&[0xe9, 0x41]], &["éA", ""]),
];

#[test]
fn decoder_matches_node_string_decoder() {
    for (enc, writes, want) in DECODER_CASES {
        let mut d = Decoder::new(Encoding::parse(enc).unwrap());
        let mut got: Vec<String> = writes.iter().map(|w| d.write(w)).collect();
        got.push(d.end());
        assert_eq!(got, *want, "{enc} {writes:?}");
    }
}

#[test]
fn every_name_node_accepts_and_no_other() {
    let names = [
        ("utf8", "utf8"),
        ("Utf-8", "utf8"),
        ("", "utf8"),
        ("ucs2", "utf16le"),
        ("UCS-2", "utf16le"),
        ("utf-16le", "utf16le"),
        ("UTF16LE", "utf16le"),
        ("binary", "latin1"),
        ("Latin1", "latin1"),
        ("BASE64", "base64"),
        ("base64URL", "base64url"),
        ("HEX", "hex"),
        ("ascii", "ascii"),
    ];
    for (name, normal) in names {
        assert_eq!(
            Encoding::parse(name).map(Encoding::name),
            Some(normal),
            "{name}"
        );
    }
    for bad in ["bogus", "buffer", "utf16", "utf-16", "ucs"] {
        assert_eq!(Encoding::parse(bad), None, "{bad}");
    }
}

/// Runs `f` on a paused readable whose `_read` does nothing, on a loop.
fn with_readable<T: 'static>(object: bool, f: impl FnOnce(&Readable) -> T + 'static) -> T {
    let out = Rc::new(RefCell::new(None));
    let o = Rc::clone(&out);
    nd::run(move || {
        let r = Readable::new_readable(
            Options::new()
                .object_mode(object)
                .read(|_: &Readable, _| {}),
        );
        *o.borrow_mut() = Some(f(&r));
    });
    let v = out.borrow_mut().take();
    v.expect("the closure ran")
}

#[test]
fn object_mode_decodes_each_buffer_into_one_item() {
    // node: objectMode, setEncoding('base64'), push(Buffer 'ab'), push(Buffer 'c'),
    // push(null) -> data "", data "YWJj", end.
    let got = with_readable(true, |r| {
        r.set_encoding(Encoding::Base64);
        r.push(Some(Chunk::from(&b"ab"[..])));
        r.push(Some(Chunk::from(&b"c"[..])));
        r.push(Some(Chunk::from("de"))); // a string passes the decoder unchanged
        r.push(None);
        let len = r.readable_length();
        let items: Vec<_> = std::iter::from_fn(|| r.read(None)).collect();
        (len, items)
    });
    assert_eq!(
        got,
        (
            3,
            vec![Chunk::from(""), Chunk::from("YWJj"), Chunk::from("de")]
        )
    );
}

#[test]
fn object_mode_set_encoding_joins_what_is_buffered() {
    // node: push(Buffer 'ab') then setEncoding('base64') -> buffer emptied, length 0;
    // push(Buffer 'c') -> "YWJj".
    let got = with_readable(true, |r| {
        r.push(Some(Chunk::from(&b"ab"[..])));
        r.set_encoding(Encoding::Base64);
        let len = r.readable_length();
        r.push(Some(Chunk::from(&b"c"[..])));
        (len, r.read(None))
    });
    assert_eq!(got, (0, Some(Chunk::from("YWJj"))));
}

#[test]
fn strings_with_an_encoding_argument() {
    // node: setEncoding('utf8'); push(Buffer e2 82); push('x', 'utf8') (own encoding: not
    // decoded); push('y', 'utf-8') (another name: bytes, decoded after the held e2 82);
    // push('\u00ac', 'latin1') -> read() "x\ufffdy\ufffd".
    let got = with_readable(false, |r| {
        r.set_encoding(Encoding::Utf8);
        r.push(Some(Chunk::from(&[0xe2, 0x82][..])));
        r.push_string("x", "utf8").unwrap();
        r.push_string("y", "utf-8").unwrap();
        r.push_string("\u{ac}", "latin1").unwrap();
        let first = r.read(None);
        let bad = r.push_string("z", "bogus").unwrap_err();
        let unshifted = r.unshift_string("ff", "hex").unwrap();
        (
            first,
            bad.code().map(str::to_owned),
            bad.message().to_owned(),
            unshifted,
            r.read(None),
        )
    });
    assert_eq!(got.0, Some(Chunk::from("x\u{fffd}y\u{fffd}")));
    assert_eq!(got.1.as_deref(), Some("ERR_UNKNOWN_ENCODING"));
    assert_eq!(got.2, "Unknown encoding: bogus");
    assert!(got.3);
    // unshift('ff', 'hex') on a utf8 stream: Buffer.from('ff', 'hex').toString('utf8').
    assert_eq!(got.4, Some(Chunk::from("\u{fffd}")));
}

#[test]
fn unknown_encoding_names_are_node_errors() {
    let got = with_readable(false, |r| {
        r.set_encoding(Encoding::Hex);
        let e = r.set_encoding_name("utf16").unwrap_err();
        (e.kind(), e.message().to_owned(), r.readable_encoding())
    });
    assert_eq!(
        got,
        (
            ErrorKind::UnknownEncoding,
            "Unknown encoding: utf16".to_owned(),
            Some(Encoding::Hex)
        )
    );
}
