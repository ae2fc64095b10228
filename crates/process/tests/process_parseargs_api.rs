//! `parse_args` through its public API: behaviours pinned from Node v20.20.2 (each expected
//! value was printed by `node -e "util.parseArgs(...)"`), the typed config's own rules, and the
//! documented deviations.

use nodestd_process::parse_args::{
    ErrorKind, OptionConfig, ParseArgsConfig, ParsedArgs, Scalar, Token, Value,
};

fn values(parsed: &ParsedArgs) -> Vec<(String, Value)> {
    parsed
        .values
        .iter()
        .map(|(k, v)| (k.to_owned(), v.clone()))
        .collect()
}

fn kv(k: &str, v: impl Into<Value>) -> (String, Value) {
    (k.to_owned(), v.into())
}

fn opt(name: &str, raw: &str, index: usize, value: Option<&str>, inline: Option<bool>) -> Token {
    Token::Option {
        name: name.into(),
        raw_name: raw.into(),
        index,
        value: value.map(Into::into),
        inline_value: inline,
    }
}

#[test]
fn short_flag_and_string_option() {
    let parsed = ParseArgsConfig::new()
        .args(["-f", "--bar", "b"])
        .option("foo", OptionConfig::boolean().short("f"))
        .option("bar", OptionConfig::string())
        .parse()
        .unwrap();
    assert_eq!(values(&parsed), [kv("foo", true), kv("bar", "b")]);
    assert!(parsed.positionals.is_empty());
    assert_eq!(parsed.tokens, None);
}

#[test]
fn negation_renames_the_token() {
    // node: {"values":{"n":true,"color":true},"tokens":[…,{"name":"color","rawName":"--no-color",…}]}
    let parsed = ParseArgsConfig::new()
        .args(["-n", "--no-color", "--color"])
        .option("color", OptionConfig::boolean())
        .allow_negative(true)
        .strict(false)
        .tokens(true)
        .parse()
        .unwrap();
    assert_eq!(values(&parsed), [kv("n", true), kv("color", true)]);
    assert_eq!(
        parsed.tokens.unwrap(),
        [
            opt("n", "-n", 0, None, None),
            opt("color", "--no-color", 1, None, None),
            opt("color", "--color", 2, None, None),
        ]
    );
}

#[test]
fn short_group_ending_in_a_string_option() {
    let parsed = ParseArgsConfig::new()
        .args(["-abfFILE", "x"])
        .option("f", OptionConfig::string())
        .strict(false)
        .tokens(true)
        .parse()
        .unwrap();
    assert_eq!(
        values(&parsed),
        [kv("a", true), kv("b", true), kv("f", "FILE")]
    );
    assert_eq!(parsed.positionals, ["x"]);
    assert_eq!(
        parsed.tokens.unwrap(),
        [
            opt("a", "-a", 0, None, None),
            opt("b", "-b", 0, None, None),
            opt("f", "-f", 0, Some("FILE"), Some(true)),
            Token::Positional {
                index: 1,
                value: "x".into()
            },
        ]
    );
}

#[test]
fn multiple_mixes_strings_and_booleans_outside_strict_mode() {
    let parsed = ParseArgsConfig::new()
        .args(["--foo", "--foo=x", "-f"])
        .option("foo", OptionConfig::string().short("f").multiple(true))
        .strict(false)
        .parse()
        .unwrap();
    // `--foo` takes the next argument greedily; the last `-f` has none.
    assert_eq!(
        parsed.values.get("foo").and_then(Value::as_list),
        Some(&[Scalar::String("--foo=x".into()), Scalar::Bool(true)][..])
    );
}

#[test]
fn defaults_come_after_parsed_options() {
    let parsed = ParseArgsConfig::new()
        .args(["b", "--d", "a"])
        .option("a", OptionConfig::string().default("A"))
        .option("z", OptionConfig::boolean().default(false))
        .option("d", OptionConfig::boolean())
        .allow_positionals(true)
        .parse()
        .unwrap();
    assert_eq!(
        values(&parsed),
        [kv("d", true), kv("a", "A"), kv("z", false)]
    );
    assert_eq!(parsed.positionals, ["b", "a"]);
}

#[test]
fn strict_mode_messages() {
    let name = OptionConfig::string().short("n");
    let err = ParseArgsConfig::new()
        .args(["--name"])
        .option("name", name.clone())
        .parse()
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidOptionValue);
    assert_eq!(
        err.message(),
        "Option '-n, --name <value>' argument missing"
    );

    let err = ParseArgsConfig::new()
        .args(["--name", "--x"])
        .option("name", name)
        .allow_positionals(true)
        .parse()
        .unwrap_err();
    assert_eq!(
        err.message(),
        "Option '--name' argument is ambiguous.\nDid you forget to specify the option argument \
         for '--name'?\nTo specify an option argument starting with a dash use '--name=-XYZ'."
    );

    let err = ParseArgsConfig::new()
        .args(["-q"])
        .allow_positionals(true)
        .parse()
        .unwrap_err();
    assert_eq!(err.code(), "ERR_PARSE_ARGS_UNKNOWN_OPTION");
    assert_eq!(
        err.message(),
        "Unknown option '-q'. To specify a positional argument starting with a '-', place it at \
         the end of the command after '--', as in '-- \"-q\""
    );

    let err = ParseArgsConfig::new().args(["pos"]).parse().unwrap_err();
    assert_eq!(err.code(), "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL");
    assert_eq!(
        err.message(),
        "Unexpected argument 'pos'. This command does not take positional arguments"
    );
}

#[test]
fn config_checks_with_node_messages() {
    let err = ParseArgsConfig::new()
        .args(Vec::<String>::new())
        .option("x", OptionConfig::string().short("ff"))
        .parse()
        .unwrap_err();
    assert_eq!(err.code(), "ERR_INVALID_ARG_VALUE");
    assert_eq!(
        err.message(),
        "The property 'options.x.short' must be a single character. Received 'ff'"
    );
    // A short is one UTF-16 code unit, as in Node: an astral character is two.
    let err = ParseArgsConfig::new()
        .option("x", OptionConfig::boolean().short("😀"))
        .parse()
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidArgValue);

    let err = ParseArgsConfig::new()
        .option("x", OptionConfig::string().multiple(true).default(["a"]))
        .option(
            "y",
            OptionConfig::boolean()
                .multiple(true)
                .default(vec![Scalar::Bool(true), Scalar::from("z")]),
        )
        .parse()
        .unwrap_err();
    assert_eq!(err.code(), "ERR_INVALID_ARG_TYPE");
    assert_eq!(
        err.message(),
        "The \"options.y.default[1]\" property must be of type boolean. Received type string ('z')"
    );

    let err = ParseArgsConfig::new()
        .option("x", OptionConfig::string().multiple(true).default(true))
        .parse()
        .unwrap_err();
    assert_eq!(
        err.message(),
        "The \"options.x.default\" property must be an instance of Array. Received type boolean \
         (true)"
    );

    let err = ParseArgsConfig::new()
        .option("x", OptionConfig::boolean().default("it's"))
        .parse()
        .unwrap_err();
    assert_eq!(
        err.message(),
        "The \"options.x.default\" property must be of type boolean. Received type string \
         (\"it's\")"
    );
    // An empty list fits any multiple option.
    let parsed = ParseArgsConfig::new()
        .args(Vec::<String>::new())
        .option(
            "x",
            OptionConfig::boolean()
                .multiple(true)
                .default(Vec::<bool>::new()),
        )
        .parse()
        .unwrap();
    assert_eq!(parsed.values.get("x"), Some(&Value::List(vec![])));
}

#[test]
fn config_is_checked_before_the_arguments() {
    let err = ParseArgsConfig::new()
        .args(["--unknown"])
        .option("x", OptionConfig::string().default(false))
        .parse()
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidArgType);
}

#[test]
fn proto_is_not_stored_but_its_negation_is() {
    // node: parseArgs({args:['--__proto__','--no-__proto__','--constructor'], strict:false,
    // allowNegative:true}) → {"values":{"__proto__":false,"constructor":true}}
    let parsed = ParseArgsConfig::new()
        .args(["--__proto__", "--no-__proto__", "--constructor"])
        .strict(false)
        .allow_negative(true)
        .parse()
        .unwrap();
    assert_eq!(
        values(&parsed),
        [kv("__proto__", false), kv("constructor", true)]
    );
}

#[test]
fn adding_an_option_again_replaces_it_in_place() {
    let config = ParseArgsConfig::new()
        .option("a", OptionConfig::string())
        .option("b", OptionConfig::boolean())
        .option("a", OptionConfig::boolean().default(true));
    let names: Vec<&str> = config.options().iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["a", "b"]);
    let parsed = config.args(Vec::<String>::new()).parse().unwrap();
    assert_eq!(values(&parsed), [kv("a", true)]);
}

#[test]
fn values_keep_insertion_order_for_integer_like_names() {
    // Node's `values` object would enumerate "5" first; the Rust map keeps insertion order.
    let parsed = ParseArgsConfig::new()
        .args(["--x", "-5"])
        .strict(false)
        .parse()
        .unwrap();
    assert_eq!(values(&parsed), [kv("x", true), kv("5", true)]);
}

#[test]
fn astral_characters_in_short_positions_are_one_character() {
    // Documented deviation: Node splits `-😀` into two lone-surrogate options.
    let parsed = ParseArgsConfig::new()
        .args(["-😀", "-a😀"])
        .strict(false)
        .tokens(true)
        .parse()
        .unwrap();
    assert_eq!(values(&parsed), [kv("😀", true), kv("a", true)]);
    assert_eq!(parsed.tokens.unwrap().len(), 3);
    // Elsewhere they are kept as Node keeps them.
    let parsed = ParseArgsConfig::new()
        .args(["--😀=😀", "-f😀"])
        .option("f", OptionConfig::string())
        .strict(false)
        .parse()
        .unwrap();
    assert_eq!(values(&parsed), [kv("😀", "😀"), kv("f", "😀")]);
}

#[test]
fn errors_are_std_errors() {
    let err = ParseArgsConfig::new().args(["--nope"]).parse().unwrap_err();
    let boxed: Box<dyn std::error::Error> = Box::new(err);
    assert_eq!(boxed.to_string(), "Unknown option '--nope'");
}
