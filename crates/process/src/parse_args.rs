//! `util.parseArgs`: Node's command-line argument parser.
//!
//! A port of Node v20.20.2's `lib/internal/util/parse_args/parse_args.js` and `utils.js`, in
//! the same three phases: the configuration is validated (option by option, in order), the
//! arguments become [`Token`]s, and the tokens become [`ParsedArgs::values`] and
//! [`ParsedArgs::positionals`] (strict-mode checks run token by token), after which the
//! defaults of options that were not given are filled in.
//!
//! ```
//! use nodestd_process::parse_args::{OptionConfig, ParseArgsConfig, Value};
//!
//! let parsed = ParseArgsConfig::new()
//!     .args(["-vv", "--name=x", "file.txt"])
//!     .option("verbose", OptionConfig::boolean().short("v").multiple(true))
//!     .option("name", OptionConfig::string())
//!     .option("color", OptionConfig::boolean().default(true))
//!     .allow_positionals(true)
//!     .parse()?;
//! assert_eq!(parsed.values.get("verbose"), Some(&Value::from(vec![true, true])));
//! assert_eq!(parsed.values.get("name"), Some(&Value::from("x")));
//! assert_eq!(parsed.values.get("color"), Some(&Value::Bool(true)));
//! assert_eq!(parsed.positionals, ["file.txt"]);
//! # Ok::<(), nodestd_process::parse_args::ParseArgsError>(())
//! ```

mod error;

pub use error::{ErrorKind, ParseArgsError};

use std::collections::VecDeque;

use error::{Received, utf16_len};

/// An option's `type`: what the option takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OptionType {
    /// `type: 'string'`: the option takes a value (`--name x`, `--name=x`, `-nx`).
    String,
    /// `type: 'boolean'`: the option is a flag (`--verbose`, `-v`).
    Boolean,
}

/// One entry of Node's `options`: `{ type, short, multiple, default }`.
///
/// ```
/// use nodestd_process::parse_args::{OptionConfig, OptionType};
/// let opt = OptionConfig::string().short("o").multiple(true).default(["a.out"]);
/// assert_eq!(opt.kind(), OptionType::String);
/// assert_eq!(opt.short_name(), Some("o"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OptionConfig {
    kind: OptionType,
    short: Option<String>,
    multiple: bool,
    default: Option<Value>,
}

impl OptionConfig {
    /// An option of the given type, with no `short`, not `multiple`, no `default`.
    pub fn new(kind: OptionType) -> Self {
        OptionConfig {
            kind,
            short: None,
            multiple: false,
            default: None,
        }
    }

    /// `{ type: 'string' }`.
    pub fn string() -> Self {
        Self::new(OptionType::String)
    }

    /// `{ type: 'boolean' }`.
    pub fn boolean() -> Self {
        Self::new(OptionType::Boolean)
    }

    /// `short`: the one-character alias (`-v`). As in Node it must be exactly one UTF-16 code
    /// unit, which parsing checks (`ERR_INVALID_ARG_VALUE` otherwise).
    pub fn short(mut self, short: impl Into<String>) -> Self {
        self.short = Some(short.into());
        self
    }

    /// `multiple`: collect every occurrence in a [`Value::List`] instead of keeping the last.
    pub fn multiple(mut self, multiple: bool) -> Self {
        self.multiple = multiple;
        self
    }

    /// `default`: the value when the option is absent. Parsing checks it against the type as
    /// Node does: a string, a boolean, or (for `multiple`) a list of them
    /// (`ERR_INVALID_ARG_TYPE` otherwise).
    pub fn default(mut self, default: impl Into<Value>) -> Self {
        self.default = Some(default.into());
        self
    }

    /// The option's `type`.
    pub fn kind(&self) -> OptionType {
        self.kind
    }

    /// The option's `short`, if any.
    pub fn short_name(&self) -> Option<&str> {
        self.short.as_deref()
    }

    /// Whether the option is `multiple`.
    pub fn is_multiple(&self) -> bool {
        self.multiple
    }

    /// The option's `default`, if any.
    pub fn default_value(&self) -> Option<&Value> {
        self.default.as_ref()
    }
}

/// Node's `parseArgs` config: `{ args, options, strict, allowPositionals, allowNegative,
/// tokens }`, built step by step.
///
/// ```
/// use nodestd_process::parse_args::{OptionConfig, ParseArgsConfig};
/// let config = ParseArgsConfig::new()
///     .args(["--no-color"])
///     .option("color", OptionConfig::boolean())
///     .allow_negative(true);
/// let parsed = config.parse()?;
/// assert_eq!(parsed.values.get("color").and_then(|v| v.as_bool()), Some(false));
/// # Ok::<(), nodestd_process::parse_args::ParseArgsError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseArgsConfig {
    args: Option<Vec<String>>,
    options: Vec<(String, OptionConfig)>,
    strict: bool,
    allow_positionals: Option<bool>,
    allow_negative: bool,
    tokens: bool,
}

impl Default for ParseArgsConfig {
    fn default() -> Self {
        Self::new()
    }
}

impl ParseArgsConfig {
    /// Node's defaults: the process's own arguments, no options, `strict: true`,
    /// `allowPositionals: !strict`, `allowNegative: false`, `tokens: false`.
    pub fn new() -> Self {
        ParseArgsConfig {
            args: None,
            options: Vec::new(),
            strict: true,
            allow_positionals: None,
            allow_negative: false,
            tokens: false,
        }
    }

    /// `args`: the arguments to parse. Without it, the process's arguments after the program
    /// name (`std::env::args_os().skip(1)`, converted lossily), where Node uses
    /// `process.argv` after the executable and the script.
    pub fn args<I, S>(mut self, args: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.args = Some(args.into_iter().map(Into::into).collect());
        self
    }

    /// Adds `options[name]`. Options keep the order they are added in (Node's
    /// `Object.entries` order); adding a name again replaces its configuration in place, as
    /// assigning to an object's existing key does.
    pub fn option(mut self, name: impl Into<String>, config: OptionConfig) -> Self {
        let name = name.into();
        match self.options.iter_mut().find(|(n, _)| *n == name) {
            Some(slot) => slot.1 = config,
            None => self.options.push((name, config)),
        }
        self
    }

    /// `strict` (default `true`): unknown options, a missing or unexpected option value and
    /// ambiguous values are errors.
    pub fn strict(mut self, strict: bool) -> Self {
        self.strict = strict;
        self
    }

    /// `allowPositionals` (default `!strict`): whether positional arguments are accepted.
    pub fn allow_positionals(mut self, allow: bool) -> Self {
        self.allow_positionals = Some(allow);
        self
    }

    /// `allowNegative` (default `false`): `--no-foo` sets a boolean `foo` to `false`.
    pub fn allow_negative(mut self, allow: bool) -> Self {
        self.allow_negative = allow;
        self
    }

    /// `tokens` (default `false`): also return the parsed [`Token`]s.
    pub fn tokens(mut self, tokens: bool) -> Self {
        self.tokens = tokens;
        self
    }

    /// The configured options, in order.
    pub fn options(&self) -> &[(String, OptionConfig)] {
        &self.options
    }

    /// Parses; the same as [`parse_args`]`(self)`.
    ///
    /// # Errors
    /// As [`parse_args`].
    pub fn parse(&self) -> Result<ParsedArgs, ParseArgsError> {
        parse_args(self)
    }

    fn option_config(&self, name: &str) -> Option<&OptionConfig> {
        self.options.iter().find(|(n, _)| n == name).map(|(_, c)| c)
    }

    fn option_type(&self, name: &str) -> Option<OptionType> {
        self.option_config(name).map(|c| c.kind)
    }

    /// `findLongOptionForShort`: the first option whose `short` is `short`, else `short`
    /// itself.
    fn long_for_short(&self, short: char) -> String {
        let mut buf = [0u8; 4];
        let short = &*short.encode_utf8(&mut buf);
        self.options
            .iter()
            .find(|(_, c)| c.short.as_deref() == Some(short))
            .map_or_else(|| short.to_owned(), |(n, _)| n.clone())
    }
}

/// One option value, as a string or a boolean: an element of a [`Value::List`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Scalar {
    /// A string value.
    String(String),
    /// A boolean value (`true` for a flag, `false` for `--no-flag`).
    Bool(bool),
}

impl Scalar {
    /// The string, if this is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Scalar::String(s) => Some(s),
            Scalar::Bool(_) => None,
        }
    }

    /// The boolean, if this is one.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Scalar::Bool(b) => Some(*b),
            Scalar::String(_) => None,
        }
    }
}

impl From<&str> for Scalar {
    fn from(s: &str) -> Self {
        Scalar::String(s.to_owned())
    }
}

impl From<String> for Scalar {
    fn from(s: String) -> Self {
        Scalar::String(s)
    }
}

impl From<bool> for Scalar {
    fn from(b: bool) -> Self {
        Scalar::Bool(b)
    }
}

/// A value in [`ParsedArgs::values`], or an option's `default`.
///
/// Values follow what was given, not the option's type, as in Node: outside strict mode a
/// string option given without a value is `true`, and a `multiple` list may mix strings and
/// booleans.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Value {
    /// A string.
    String(String),
    /// A boolean.
    Bool(bool),
    /// The occurrences of a `multiple` option, or an array `default`.
    List(Vec<Scalar>),
}

impl Value {
    /// The string, if this is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// The boolean, if this is one.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// The list, if this is one.
    pub fn as_list(&self) -> Option<&[Scalar]> {
        match self {
            Value::List(items) => Some(items),
            _ => None,
        }
    }
}

impl From<Scalar> for Value {
    fn from(s: Scalar) -> Self {
        match s {
            Scalar::String(s) => Value::String(s),
            Scalar::Bool(b) => Value::Bool(b),
        }
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value::String(s.to_owned())
    }
}

impl From<String> for Value {
    fn from(s: String) -> Self {
        Value::String(s)
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Self {
        Value::Bool(b)
    }
}

impl<T: Into<Scalar>> From<Vec<T>> for Value {
    fn from(items: Vec<T>) -> Self {
        Value::List(items.into_iter().map(Into::into).collect())
    }
}

impl<T: Into<Scalar>, const N: usize> From<[T; N]> for Value {
    fn from(items: [T; N]) -> Self {
        Value::List(items.into_iter().map(Into::into).collect())
    }
}

/// Node's `values` object: option name → [`Value`], in insertion order (options as they are
/// met in the arguments, then the defaults of the options that were not met, in option
/// order). Storing a name again keeps its place.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Values {
    entries: Vec<(String, Value)>,
}

impl Values {
    /// The value stored for `name`.
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.entries.iter().find(|(n, _)| n == name).map(|(_, v)| v)
    }

    /// Whether a value is stored for `name`.
    pub fn contains_key(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    /// The number of stored values.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether nothing is stored.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The names and values, in order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Value)> {
        self.entries.iter().map(|(n, v)| (n.as_str(), v))
    }

    fn get_mut(&mut self, name: &str) -> Option<&mut Value> {
        self.entries
            .iter_mut()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v)
    }

    fn set(&mut self, name: &str, value: Value) {
        match self.get_mut(name) {
            Some(slot) => *slot = value,
            None => self.entries.push((name.to_owned(), value)),
        }
    }
}

impl IntoIterator for Values {
    type Item = (String, Value);
    type IntoIter = std::vec::IntoIter<(String, Value)>;
    fn into_iter(self) -> Self::IntoIter {
        self.entries.into_iter()
    }
}

impl<'a> IntoIterator for &'a Values {
    type Item = (&'a str, &'a Value);
    type IntoIter = std::iter::Map<
        std::slice::Iter<'a, (String, Value)>,
        fn(&'a (String, Value)) -> (&'a str, &'a Value),
    >;
    fn into_iter(self) -> Self::IntoIter {
        self.entries.iter().map(|(n, v)| (n.as_str(), v))
    }
}

/// One element of Node's `tokens`: how an argument was read.
///
/// `index` is the position in `args` of the argument the token came from (all the options of
/// a short group such as `-abc` share one index).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Token {
    /// `{ kind: 'option', name, rawName, index, value, inlineValue }`.
    Option {
        /// The long option name (`verbose` for `-v` when `v` is its short; `foo` for
        /// `--no-foo` when it was stored as a negation).
        name: String,
        /// How the option was written: `-v`, `--verbose`, `--no-foo`.
        raw_name: String,
        /// Position in `args`.
        index: usize,
        /// The value, for `--foo=bar`, `-fbar`, or a string option's next argument.
        value: Option<String>,
        /// `Some(true)` when the value was in the same argument, `Some(false)` when it was the
        /// next one, `None` without a value.
        inline_value: Option<bool>,
    },
    /// `{ kind: 'positional', index, value }`.
    Positional {
        /// Position in `args`.
        index: usize,
        /// The argument.
        value: String,
    },
    /// `{ kind: 'option-terminator', index }`: the `--` after which everything is positional.
    OptionTerminator {
        /// Position in `args`.
        index: usize,
    },
}

impl Token {
    /// Node's `kind`: `option`, `positional` or `option-terminator`.
    pub fn kind(&self) -> &'static str {
        match self {
            Token::Option { .. } => "option",
            Token::Positional { .. } => "positional",
            Token::OptionTerminator { .. } => "option-terminator",
        }
    }

    /// The token's `index`.
    pub fn index(&self) -> usize {
        match self {
            Token::Option { index, .. }
            | Token::Positional { index, .. }
            | Token::OptionTerminator { index } => *index,
        }
    }
}

/// What `parseArgs` returns: `{ values, positionals, tokens }`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedArgs {
    /// The option values.
    pub values: Values,
    /// The positional arguments, in order.
    pub positionals: Vec<String>,
    /// The tokens, when the config asked for them.
    pub tokens: Option<Vec<Token>>,
}

/// Node's `util.parseArgs(config)`.
///
/// ```
/// use nodestd_process::parse_args::{parse_args, OptionConfig, ParseArgsConfig, Token};
/// let config = ParseArgsConfig::new()
///     .args(["-f", "x", "--", "-v"])
///     .option("file", OptionConfig::string().short("f"))
///     .allow_positionals(true)
///     .tokens(true);
/// let parsed = parse_args(&config)?;
/// assert_eq!(parsed.values.get("file").and_then(|v| v.as_str()), Some("x"));
/// assert_eq!(parsed.positionals, ["-v"]);
/// let tokens = parsed.tokens.unwrap();
/// assert_eq!(tokens[1], Token::OptionTerminator { index: 2 });
/// # Ok::<(), nodestd_process::parse_args::ParseArgsError>(())
/// ```
///
/// # Errors
/// Node's errors, with Node's messages:
/// - `ERR_INVALID_ARG_VALUE` when an option's `short` is not one UTF-16 code unit;
/// - `ERR_INVALID_ARG_TYPE` when an option's `default` does not fit its `type` and
///   `multiple`;
/// - `ERR_PARSE_ARGS_UNKNOWN_OPTION` (strict) for an option that is not configured;
/// - `ERR_PARSE_ARGS_INVALID_OPTION_VALUE` (strict) for a string option without a value, a
///   boolean option with one, or a value taken from the next argument that looks like an
///   option (`--name --verbose`);
/// - `ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL` for a positional when they are not allowed.
///
/// The configuration is checked first, option by option; then the arguments, in order: the
/// first problem met is the one reported.
pub fn parse_args(config: &ParseArgsConfig) -> Result<ParsedArgs, ParseArgsError> {
    validate(config)?;
    let strict = config.strict;
    let allow_positionals = config.allow_positionals.unwrap_or(!strict);

    // Phase 1: identify tokens.
    let main_args;
    let args = match &config.args {
        Some(args) => args.as_slice(),
        None => {
            main_args = std::env::args_os()
                .skip(1)
                .map(|a| a.to_string_lossy().into_owned())
                .collect::<Vec<_>>();
            main_args.as_slice()
        }
    };
    let mut tokens = args_to_tokens(args, config);

    // Phase 2: process tokens into option values and positionals.
    let mut values = Values::default();
    let mut positionals = Vec::new();
    for token in &mut tokens {
        match token {
            Token::Option { .. } => {
                if strict {
                    check_option_usage(config, allow_positionals, token)?;
                    check_option_like_value(token)?;
                }
                store_option(token, config, &mut values);
            }
            Token::Positional { value, .. } => {
                if !allow_positionals {
                    return Err(ParseArgsError::unexpected_positional(value));
                }
                positionals.push(value.clone());
            }
            Token::OptionTerminator { .. } => {}
        }
    }

    // Phase 3: fill in the defaults of options that were not given.
    for (name, option) in &config.options {
        if let Some(default) = &option.default {
            if name != "__proto__" && !values.contains_key(name) {
                values.set(name, default.clone());
            }
        }
    }

    Ok(ParsedArgs {
        values,
        positionals,
        tokens: config.tokens.then_some(tokens),
    })
}

/// Checks each option's `short` and `default`, in option order.
fn validate(config: &ParseArgsConfig) -> Result<(), ParseArgsError> {
    for (name, option) in &config.options {
        if let Some(short) = &option.short {
            if utf16_len(short) != 1 {
                return Err(ParseArgsError::invalid_arg_value(
                    &format!("options.{name}.short"),
                    short,
                    "must be a single character",
                ));
            }
        }
        if let Some(default) = &option.default {
            validate_default(name, option, default)?;
        }
    }
    Ok(())
}

/// `validateString`, `validateBoolean`, `validateStringArray` or `validateBooleanArray` of a
/// `default`, chosen by the option's type and `multiple`.
fn validate_default(
    name: &str,
    option: &OptionConfig,
    default: &Value,
) -> Result<(), ParseArgsError> {
    let property = format!("options.{name}.default");
    let expected = match option.kind {
        OptionType::String => "of type string",
        OptionType::Boolean => "of type boolean",
    };
    let fits = |s: &Scalar| {
        matches!(
            (option.kind, s),
            (OptionType::String, Scalar::String(_)) | (OptionType::Boolean, Scalar::Bool(_))
        )
    };
    if !option.multiple {
        let single_fits = matches!(
            (option.kind, default),
            (OptionType::String, Value::String(_)) | (OptionType::Boolean, Value::Bool(_))
        );
        if !single_fits {
            return Err(ParseArgsError::invalid_arg_type(
                &property,
                expected,
                Received::Value(default),
            ));
        }
        return Ok(());
    }
    let Value::List(items) = default else {
        return Err(ParseArgsError::invalid_arg_type(
            &property,
            "an instance of Array",
            Received::Value(default),
        ));
    };
    for (i, item) in items.iter().enumerate() {
        if !fits(item) {
            return Err(ParseArgsError::invalid_arg_type(
                &format!("{property}[{i}]"),
                expected,
                Received::Scalar(item),
            ));
        }
    }
    Ok(())
}

/// The `n`th character (`String.prototype.charAt`, by characters rather than UTF-16 units).
fn char_at(s: &str, n: usize) -> Option<char> {
    s.chars().nth(n)
}

/// `-f`: two characters, a dash and anything but a dash.
fn is_lone_short_option(arg: &str) -> bool {
    let mut chars = arg.chars();
    matches!((chars.next(), chars.next(), chars.next()), (Some('-'), Some(c), None) if c != '-')
}

/// `--foo` (no `=` after the first character of the name).
fn is_lone_long_option(arg: &str) -> bool {
    arg.chars().count() > 2 && arg.starts_with("--") && !has_equals_from_3(arg)
}

/// `--foo=bar`.
fn is_long_option_and_value(arg: &str) -> bool {
    arg.chars().count() > 2 && arg.starts_with("--") && has_equals_from_3(arg)
}

/// `arg.includes('=', 3)` for an argument starting with `--`.
fn has_equals_from_3(arg: &str) -> bool {
    arg.chars().skip(3).any(|c| c == '=')
}

/// `-abc` or `-fVALUE`: more than two characters, a dash, then anything but a dash. Which of
/// the two it is depends on the type of the option the first short names.
fn is_short_option_with_more(arg: &str) -> Option<char> {
    let mut chars = arg.chars();
    match (chars.next(), chars.next(), chars.next()) {
        (Some('-'), Some(c), Some(_)) if c != '-' => Some(c),
        _ => None,
    }
}

/// `isOptionLikeValue`: longer than one character and starting with a dash.
fn is_option_like_value(value: &str) -> bool {
    value.starts_with('-') && value.chars().count() > 1
}

/// A lone option (`-f` or `--foo`): a string option takes the next argument as its value, if
/// there is one. Returns how many arguments that consumed (0 or 1), for `index` bookkeeping.
fn option_with_next_value(
    name: String,
    raw_name: String,
    index: usize,
    takes_value: bool,
    remaining: &mut VecDeque<String>,
    tokens: &mut Vec<Token>,
) -> usize {
    let value = if takes_value {
        remaining.pop_front()
    } else {
        None
    };
    let consumed = usize::from(value.is_some());
    tokens.push(Token::Option {
        name,
        raw_name,
        index,
        inline_value: value.as_ref().map(|_| false),
        value,
    });
    consumed
}

/// Phase 1: Node's `argsToTokens`, step for step, including its bookkeeping of `index` while
/// a short group is expanded in place.
fn args_to_tokens(args: &[String], config: &ParseArgsConfig) -> Vec<Token> {
    let mut tokens = Vec::new();
    // Node starts at -1 and increments before use; `index` here is that value plus one.
    let mut next_index: usize = 0;
    let mut group_count: usize = 0;
    let mut remaining: VecDeque<String> = args.iter().cloned().collect();
    let is_string_option = |name: &str| config.option_type(name) == Some(OptionType::String);

    while let Some(arg) = remaining.pop_front() {
        if group_count > 0 {
            group_count -= 1;
        } else {
            next_index += 1;
        }
        let index = next_index - 1;

        if arg == "--" {
            // Everything after a bare '--' is a positional argument.
            tokens.push(Token::OptionTerminator { index });
            tokens.extend(
                remaining
                    .drain(..)
                    .enumerate()
                    .map(|(i, value)| Token::Positional {
                        index: index + 1 + i,
                        value,
                    }),
            );
            break;
        }

        if is_lone_short_option(&arg) {
            // -f
            let short = char_at(&arg, 1).unwrap_or('-');
            let name = config.long_for_short(short);
            // -f bar
            let takes = is_string_option(&name);
            next_index +=
                option_with_next_value(name, arg, index, takes, &mut remaining, &mut tokens);
            continue;
        }

        if let Some(first) = is_short_option_with_more(&arg) {
            let first_name = config.long_for_short(first);
            if !is_string_option(&first_name) {
                // A short option group: expand -fXzy to -f -X -z -y, stopping at a string
                // option that is not last (-abfFILE becomes -a -b -fFILE).
                let chars: Vec<char> = arg.chars().collect();
                let mut expanded = Vec::new();
                for i in 1..chars.len() {
                    let short = chars[i];
                    let name = config.long_for_short(short);
                    if !is_string_option(&name) || i == chars.len() - 1 {
                        expanded.push(format!("-{short}"));
                    } else {
                        expanded.push(format!("-{}", chars[i..].iter().collect::<String>()));
                        break;
                    }
                }
                group_count = expanded.len();
                for item in expanded.into_iter().rev() {
                    remaining.push_front(item);
                }
                continue;
            }
            // -fFILE
            let value: String = arg.chars().skip(2).collect();
            tokens.push(Token::Option {
                name: first_name,
                raw_name: format!("-{first}"),
                index,
                value: Some(value),
                inline_value: Some(true),
            });
            continue;
        }

        if is_lone_long_option(&arg) {
            // --foo
            let name = arg[2..].to_owned();
            // --foo bar
            let takes = is_string_option(&name);
            next_index +=
                option_with_next_value(name, arg, index, takes, &mut remaining, &mut tokens);
            continue;
        }

        if is_long_option_and_value(&arg) {
            // --foo=bar; the name ends at the first '=' (which may be the third character).
            let equals = arg.find('=').unwrap_or(arg.len());
            let name = arg[2..equals].to_owned();
            let value = arg[(equals + 1).min(arg.len())..].to_owned();
            tokens.push(Token::Option {
                raw_name: format!("--{name}"),
                name,
                index,
                value: Some(value),
                inline_value: Some(true),
            });
            continue;
        }

        tokens.push(Token::Positional { index, value: arg });
    }
    tokens
}

/// Strict mode: the option must be known (or, with `allowNegative`, be `no-` and a known
/// boolean), a string option needs a value and a boolean option takes none.
fn check_option_usage(
    config: &ParseArgsConfig,
    allow_positionals: bool,
    token: &Token,
) -> Result<(), ParseArgsError> {
    let Token::Option {
        name,
        raw_name,
        value,
        ..
    } = token
    else {
        return Ok(());
    };
    let mut token_name = name.as_str();
    if config.option_config(token_name).is_none() {
        match token_name.strip_prefix("no-") {
            Some(negated)
                if config.allow_negative
                    && config.option_type(negated) == Some(OptionType::Boolean) =>
            {
                token_name = negated;
            }
            _ => {
                return Err(ParseArgsError::unknown_option(raw_name, allow_positionals));
            }
        }
    }
    let Some(option) = config.option_config(token_name) else {
        return Ok(());
    };
    let short_and_long = match &option.short {
        Some(short) if !short.is_empty() => format!("-{short}, --{token_name}"),
        _ => format!("--{token_name}"),
    };
    match option.kind {
        OptionType::String if value.is_none() => Err(ParseArgsError::invalid_option_value(
            format!("Option '{short_and_long} <value>' argument missing"),
        )),
        OptionType::Boolean if value.is_some() => Err(ParseArgsError::invalid_option_value(
            format!("Option '{short_and_long}' does not take an argument"),
        )),
        _ => Ok(()),
    }
}

/// Strict mode: a value taken from the next argument must not look like an option.
fn check_option_like_value(token: &Token) -> Result<(), ParseArgsError> {
    let Token::Option {
        name,
        raw_name,
        value: Some(value),
        inline_value,
        ..
    } = token
    else {
        return Ok(());
    };
    if *inline_value != Some(true) && is_option_like_value(value) {
        // Only show the short example when the user wrote the short option.
        let example = if raw_name.starts_with("--") {
            format!("'{raw_name}=-XYZ'")
        } else {
            format!("'--{name}=-XYZ' or '{raw_name}-XYZ'")
        };
        return Err(ParseArgsError::invalid_option_value(format!(
            "Option '{raw_name}' argument is ambiguous.\nDid you forget to specify the option \
             argument for '{raw_name}'?\nTo specify an option argument starting with a dash use \
             {example}."
        )));
    }
    Ok(())
}

/// Node's `storeOption`: `--no-foo` (with `allowNegative`, no value) stores `false` under
/// `foo` and renames the token; `multiple` options collect a list; `__proto__` is never
/// stored.
fn store_option(token: &mut Token, config: &ParseArgsConfig, values: &mut Values) {
    let Token::Option { name, value, .. } = token else {
        return;
    };
    if name == "__proto__" {
        return;
    }
    let new_value = match value {
        None if config.allow_negative && name.starts_with("no-") => {
            *name = name[3..].to_owned();
            Scalar::Bool(false)
        }
        None => Scalar::Bool(true),
        Some(v) => Scalar::String(v.clone()),
    };
    let multiple = config.option_config(name).is_some_and(|c| c.multiple);
    if multiple {
        match values.get_mut(name) {
            Some(Value::List(items)) => items.push(new_value),
            _ => values.set(name, Value::List(vec![new_value])),
        }
    } else {
        values.set(name, new_value.into());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(args: &[&str], config: ParseArgsConfig) -> Vec<Token> {
        args_to_tokens(
            &args.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>(),
            &config,
        )
    }

    #[test]
    fn dash_inside_a_group_terminates() {
        // Node expands -t-z to -t, --, -z: the middle one is an option terminator.
        let config = ParseArgsConfig::new().option("x", OptionConfig::boolean().short("t"));
        let t = tokens(&["--x", "-t-z"], config);
        assert_eq!(t[2], Token::OptionTerminator { index: 1 });
        assert_eq!(
            t[3],
            Token::Positional {
                index: 2,
                value: "-z".into()
            }
        );
    }

    #[test]
    fn long_option_with_equals_third() {
        let t = tokens(&["--=a=b"], ParseArgsConfig::new());
        assert_eq!(
            t[0],
            Token::Option {
                name: String::new(),
                raw_name: "--".into(),
                index: 0,
                value: Some("a=b".into()),
                inline_value: Some(true),
            }
        );
    }
}
