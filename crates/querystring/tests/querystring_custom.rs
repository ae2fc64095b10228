//! Custom decoders and encoders, `maxKeys`, and multi-character separators: answers recorded
//! from Node v20 (`node -e` with the same calls; JSON records cannot hold functions, so these
//! cases live here rather than in the conformance fixtures).

use nodestd_querystring::{
    Encoder, ParseOptions, Primitive, StringifyValue, parse_with, stringify, stringify_with,
};

fn entries(input: &str, sep: &str, options: &ParseOptions<'_>) -> Vec<(String, Vec<String>)> {
    parse_with(input, sep, "", options)
        .iter()
        .map(|(k, v)| (k.to_owned(), v.values().to_vec()))
        .collect()
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, Vec<String>)> {
    list.iter()
        .map(|(k, v)| ((*k).to_owned(), vec![(*v).to_owned()]))
        .collect()
}

#[test]
fn custom_decoder_sees_plus_as_percent_20() {
    // qs.parse("a+b=%41+c&x=%zz+&y&&", null, null, {decodeURIComponent: s => s.toUpperCase()})
    let upper = |s: &str| Some(s.to_uppercase());
    let options = ParseOptions {
        decode_uri_component: Some(&upper),
        ..ParseOptions::default()
    };
    assert_eq!(
        entries("a+b=%41+c&x=%zz+&y&&", "", &options),
        pairs(&[("A%20B", "%41%20C"), ("X", "%ZZ%20"), ("Y", "")])
    );
}

#[test]
fn throwing_decoder_falls_back_to_unescape_with_spaces() {
    // {decodeURIComponent: () => { throw new Error('x') }}
    let thrower = |_: &str| None;
    let options = ParseOptions {
        decode_uri_component: Some(&thrower),
        ..ParseOptions::default()
    };
    assert_eq!(
        entries("a+b=%41+c&x=%zz+&y&%E9=%", "", &options),
        pairs(&[("a b", "A c"), ("x", "%zz "), ("y", ""), ("\u{FFFD}", "%")])
    );
    // A `+` that starts a partial `sep` match is left in the piece.
    assert_eq!(
        entries("a+b+&c=d+e+&f+=+", "+&", &options),
        pairs(&[("a+b", ""), ("c", "d+e"), ("f+", "+")])
    );
    assert_eq!(
        entries("a+b+&c=d+e+&f+=+%", "+&", &ParseOptions::default()),
        pairs(&[("a+b", ""), ("c", "d+e"), ("f+", "+%")])
    );
}

#[test]
fn decoder_is_skipped_for_empty_pieces() {
    // s => { if (s.includes('%')) throw new Error('x'); return '<' + s + '>' }
    let pick = |s: &str| (!s.contains('%')).then(|| format!("<{s}>"));
    let options = ParseOptions {
        decode_uri_component: Some(&pick),
        ..ParseOptions::default()
    };
    assert_eq!(
        entries("k=v+w&%41=1&=&b", "", &options),
        pairs(&[("<k>", "v w"), ("A", "<1>"), ("", ""), ("<b>", "")])
    );
}

#[test]
fn max_keys_limits_pairs() {
    let options = ParseOptions {
        max_keys: 3,
        ..ParseOptions::default()
    };
    assert_eq!(
        entries("a=1&b=2&c=3&d=4", "", &options),
        pairs(&[("a", "1"), ("b", "2"), ("c", "3")])
    );
}

#[test]
fn custom_encoder_sees_every_primitive() {
    // qs.stringify({a: ['', 1e21, NaN, true, 5n, -0], "": null, "b c": 0.1}, null, null,
    //              {encodeURIComponent: s => '<' + s + '>'})
    let a = StringifyValue::List(vec![
        Primitive::Str(String::new()),
        Primitive::Number(1e21),
        Primitive::Number(f64::NAN),
        Primitive::Bool(true),
        Primitive::BigInt(5),
        Primitive::Number(-0.0),
    ]);
    let empty = StringifyValue::One(Primitive::Other);
    let bc = StringifyValue::One(Primitive::Number(0.1));
    let obj = [("a", &a), ("", &empty), ("b c", &bc)];
    let mut wrap = |s: &str| format!("<{s}>");
    assert_eq!(
        stringify_with(obj, "", "", Encoder::Custom(&mut wrap)).unwrap(),
        "<a>=<>&<a>=<1e+21>&<a>=<>&<a>=<true>&<a>=<5>&<a>=<0>&<>=<>&<b c>=<0.1>"
    );
    assert_eq!(stringify(obj), "a=&a=1e%2B21&a=&a=true&a=5&a=0&=&b%20c=0.1");
}
