//! Property test: no configuration or argument list makes `parse_args` panic, and what it
//! returns keeps Node's invariants (token indices never go backwards; positional tokens are the
//! positionals; errors carry one of Node's codes). Token indices may pass the end of `args`:
//! Node gives `-=--` the tokens `-=` (0), `--` (0) and the positional `--` at index 1, and so
//! does the port.

use nodestd_process::parse_args::{
    OptionConfig, OptionType, ParseArgsConfig, Scalar, Token, Value,
};
use proptest::prelude::*;

fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("-".to_owned()),
        Just("--".to_owned()),
        Just("=".to_owned()),
        Just("no-".to_owned()),
        Just("__proto__".to_owned()),
        "[abfvx5é😀 \n'\"]{0,3}",
    ]
}

fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(piece(), 0..4).prop_map(|p| p.concat())
}

fn scalar() -> impl Strategy<Value = Scalar> {
    prop_oneof![
        any::<bool>().prop_map(Scalar::Bool),
        text().prop_map(Scalar::String)
    ]
}

fn value() -> impl Strategy<Value = Value> {
    prop_oneof![
        scalar().prop_map(Value::from),
        prop::collection::vec(scalar(), 0..3).prop_map(Value::List),
    ]
}

fn option() -> impl Strategy<Value = (String, OptionConfig)> {
    (
        text(),
        any::<bool>(),
        prop::option::of(text()),
        any::<bool>(),
        prop::option::of(value()),
    )
        .prop_map(|(name, string, short, multiple, default)| {
            let mut o = OptionConfig::new(if string {
                OptionType::String
            } else {
                OptionType::Boolean
            })
            .multiple(multiple);
            if let Some(s) = short {
                o = o.short(s);
            }
            if let Some(d) = default {
                o = o.default(d);
            }
            (name, o)
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn parse_args_never_panics(
        args in prop::collection::vec(text(), 0..8),
        options in prop::collection::vec(option(), 0..5),
        flags in any::<[Option<bool>; 4]>(),
    ) {
        let mut config = ParseArgsConfig::new().args(args);
        for (name, o) in options {
            config = config.option(name, o);
        }
        if let Some(b) = flags[0] { config = config.strict(b); }
        if let Some(b) = flags[1] { config = config.allow_positionals(b); }
        if let Some(b) = flags[2] { config = config.allow_negative(b); }
        config = config.tokens(flags[3].unwrap_or(true));
        match config.parse() {
            Ok(parsed) => {
                let mut last = 0;
                for token in parsed.tokens.iter().flatten() {
                    prop_assert!(token.index() >= last);
                    last = token.index();
                    if let Token::Positional { value, .. } = token {
                        prop_assert!(parsed.positionals.contains(value));
                    }
                }
            }
            Err(e) => {
                prop_assert!(e.code().starts_with("ERR_"));
                prop_assert!(!e.message().is_empty());
            }
        }
    }
}
