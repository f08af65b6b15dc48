//! The STIX patterning language (STIX 2.1 §9): a parser for `pattern_type: stix`
//! indicator patterns, following the OASIS ANTLR grammar (`STIXPattern.g4` in
//! `shared/data/oasis/cti-stix2-json-schemas/pattern_grammar`), and the comparisons in a
//! pattern that name one value (what the observable index keeps).
//!
//! Hand-written rather than generated: the grammar is small, the only ANTLR runtime for
//! Rust is unmaintained, and the STIX crates that parse patterns are 0.1 releases. Each
//! precedence level loops instead of recursing, and nesting (brackets and parentheses) is
//! limited to [`MAX_NESTING`], so no pattern makes the parser use stack or time beyond its
//! length.
//!
//! ```
//! let p = stix::pattern::parse("[ipv4-addr:value = '198.51.100.7'] AND [domain-name:value IN ('a.example', 'b.example')]").unwrap();
//! let values: Vec<_> = p.equalities().map(|e| (e.path.to_string(), e.value.into_owned())).collect();
//! assert_eq!(values[0], ("ipv4-addr:value".to_owned(), "198.51.100.7".to_owned()));
//! assert_eq!(values.len(), 3);
//! assert!(stix::pattern::parse("[ipv4-addr:value = '1.2.3.4'").is_err());
//! ```

mod check;
mod lex;
mod parse;
#[cfg(test)]
mod tests;

pub use lex::Op;

/// How deep brackets and parentheses may nest.
pub const MAX_NESTING: usize = 100;

/// Why a pattern does not parse: what, and at which byte of the pattern (none for a value
/// that parses but cannot be what its path holds).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatternError {
    pub offset: Option<usize>,
    pub message: String,
}

impl std::fmt::Display for PatternError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.offset {
            Some(o) => write!(f, "at character {o}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for PatternError {}

/// A parsed pattern: observation expressions joined by `AND`, `OR` and `FOLLOWEDBY`.
#[derive(Debug, Clone, PartialEq)]
pub struct Pattern {
    pub root: Observation,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Observation {
    /// `[ comparison ]`
    Simple(Comparison),
    And(Vec<Observation>),
    Or(Vec<Observation>),
    FollowedBy(Vec<Observation>),
    Qualified(Box<Observation>, Qualifier),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Qualifier {
    /// `START t'…' STOP t'…'`
    StartStop(String, String),
    /// `WITHIN n SECONDS`
    Within(f64),
    /// `REPEATS n TIMES`
    Repeats(i64),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Comparison {
    And(Vec<Comparison>),
    Or(Vec<Comparison>),
    Test {
        path: ObjectPath,
        negated: bool,
        test: Test,
    },
    Exists {
        path: ObjectPath,
        negated: bool,
    },
}

/// The right-hand side of a property test.
#[derive(Debug, Clone, PartialEq)]
pub enum Test {
    Compare(Op, Literal),
    In(Vec<Literal>),
    Like(String),
    Matches(String),
    IsSubset(String),
    IsSuperset(String),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Literal {
    Int(i64),
    Float(f64),
    Str(String),
    Bool(bool),
    Binary(String),
    Hex(String),
    Timestamp(String),
}

impl Literal {
    /// The literal as the value an observable would hold: strings as they are, integers in
    /// decimal (MISP writes `autonomous-system:number = '174'` as often as `= 174`).
    pub fn as_value(&self) -> Option<std::borrow::Cow<'_, str>> {
        match self {
            Literal::Str(s) => Some(s.as_str().into()),
            Literal::Int(i) => Some(i.to_string().into()),
            _ => None,
        }
    }
}

/// `type:property.sub[0].'quoted'`
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectPath {
    pub object_type: String,
    pub steps: Vec<Step>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    Key(String),
    /// `[n]`; `None` for `[*]`.
    Index(Option<i64>),
}

impl ObjectPath {
    /// The keys of the path without list indexes: `email-message:to_refs[*].value` gives
    /// `["to_refs", "value"]`.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.steps.iter().filter_map(|s| match s {
            Step::Key(k) => Some(k.as_str()),
            Step::Index(_) => None,
        })
    }
}

impl std::fmt::Display for ObjectPath {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:", self.object_type)?;
        for (i, s) in self.steps.iter().enumerate() {
            match s {
                Step::Key(k) => {
                    let plain = k.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
                        && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
                    if i > 0 {
                        f.write_str(".")?;
                    }
                    if plain {
                        f.write_str(k)?;
                    } else {
                        write!(f, "'{}'", k.replace('\\', "\\\\").replace('\'', "\\'"))?;
                    }
                }
                Step::Index(Some(n)) => write!(f, "[{n}]")?,
                Step::Index(None) => f.write_str("[*]")?,
            }
        }
        Ok(())
    }
}

/// A comparison that names one value an object must hold: `path = 'v'`, one member of
/// `path IN (…)`, or the range of `path ISSUBSET 'cidr'` or `path ISSUPERSET 'cidr'`.
#[derive(Debug, Clone, PartialEq)]
pub struct Equality<'a> {
    pub path: &'a ObjectPath,
    pub value: std::borrow::Cow<'a, str>,
    /// `ISSUBSET`/`ISSUPERSET`: the value is a range the object's value lies within or
    /// holds (either way, an address range the value relates to).
    pub subset: bool,
}

impl Pattern {
    /// Every non-negated `=`, `IN` member, `ISSUBSET` and `ISSUPERSET` with a string or
    /// integer value, in
    /// the order written. Other tests (`!=`, `LIKE`, `MATCHES`, orderings) name no single
    /// value and are left out.
    pub fn equalities(&self) -> impl Iterator<Item = Equality<'_>> {
        let mut comparisons = Vec::new();
        let mut stack = vec![&self.root];
        while let Some(o) = stack.pop() {
            match o {
                Observation::Simple(c) => comparisons.push(c),
                Observation::And(v) | Observation::Or(v) | Observation::FollowedBy(v) => {
                    stack.extend(v.iter().rev())
                }
                Observation::Qualified(inner, _) => stack.push(inner),
            }
        }
        let mut out = Vec::new();
        let mut stack: Vec<&Comparison> = comparisons.into_iter().rev().collect();
        while let Some(c) = stack.pop() {
            let Comparison::Test {
                path,
                negated: false,
                test,
            } = c
            else {
                if let Comparison::And(v) | Comparison::Or(v) = c {
                    stack.extend(v.iter().rev());
                }
                continue;
            };
            let one = |value, subset| Equality {
                path,
                value,
                subset,
            };
            match test {
                Test::Compare(Op::Eq, lit) => out.extend(lit.as_value().map(|v| one(v, false))),
                Test::In(members) => out.extend(
                    members
                        .iter()
                        .filter_map(|m| m.as_value())
                        .map(|v| one(v, false)),
                ),
                Test::IsSubset(s) | Test::IsSuperset(s) => out.push(one(s.as_str().into(), true)),
                _ => {}
            }
        }
        out.into_iter()
    }
}

/// Parses a `pattern_type: stix` pattern and checks what the grammar cannot: hash values
/// have the form of their algorithm (`file:hashes.MD5 = 'ab'` is refused).
pub fn parse(text: &str) -> Result<Pattern, PatternError> {
    if let Some(p) = simple(text) {
        return Ok(p);
    }
    let p = parse::pattern(text)?;
    check::hashes(&p)?;
    Ok(p)
}

/// Keywords of the grammar (and the boolean literals), which are never identifiers.
const KEYWORDS: [&str; 19] = [
    "AND",
    "OR",
    "NOT",
    "FOLLOWEDBY",
    "LIKE",
    "MATCHES",
    "ISSUPERSET",
    "ISSUBSET",
    "EXISTS",
    "LAST",
    "IN",
    "START",
    "STOP",
    "SECONDS",
    "WITHIN",
    "REPEATS",
    "TIMES",
    "true",
    "false",
];

fn identifier(s: &str, hyphen: bool) -> bool {
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || (hyphen && c == '-'))
        && !KEYWORDS.contains(&s)
}

/// The object type, property and value of a plain `[type:property = 'value']` (see
/// [`simple`]), borrowed from the text.
pub(crate) fn simple_parts(text: &str) -> Option<(&str, &str, &str)> {
    let inner = text.strip_prefix('[')?.strip_suffix(']')?;
    let (ty, rest) = inner.split_once(':')?;
    let (property, rest) = rest.split_once(" = '")?;
    let value = rest.strip_suffix('\'')?;
    if value.contains(['\'', '\\']) || !identifier(ty, true) || !identifier(property, false) {
        return None;
    }
    Some((ty, property, value))
}

/// `[type:property = 'value']` written plainly — what nearly every producer writes (one
/// import in five spent its time tokenising these) — read without the tokenizer: the same
/// [`Pattern`] the parser gives (`tests::the_shortcut_agrees_with_the_parser`), or `None`
/// for anything else.
fn simple(text: &str) -> Option<Pattern> {
    let (ty, property, value) = simple_parts(text)?;
    Some(Pattern {
        root: Observation::Simple(Comparison::Test {
            path: ObjectPath {
                object_type: ty.to_owned(),
                steps: vec![Step::Key(property.to_owned())],
            },
            negated: false,
            test: Test::Compare(Op::Eq, Literal::Str(value.to_owned())),
        }),
    })
}
