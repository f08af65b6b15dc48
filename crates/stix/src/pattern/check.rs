//! What a pattern must satisfy beyond the grammar (as the OASIS pattern validator,
//! `stix2-patterns`, checks it).

use super::{Comparison, Literal, Observation, Pattern, PatternError, Test};

/// The form a hash value of one algorithm has.
#[derive(Clone, Copy)]
enum Form {
    Hex(usize),
    Ssdeep,
}

impl Form {
    fn holds(self, v: &str) -> bool {
        match self {
            Form::Hex(n) => v.len() == n && v.bytes().all(|b| b.is_ascii_hexdigit()),
            Form::Ssdeep => {
                (1..=128).contains(&v.len())
                    && v.bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b"/+:.".contains(&b))
            }
        }
    }
}

/// The form of a hash value by algorithm (STIX 2.1 §10.7 hashing-algorithm-ov; the
/// algorithm name compared in upper case without hyphens).
fn hash_form(algorithm: &str) -> Option<(&'static str, Form)> {
    let name: String = algorithm
        .chars()
        .filter(|c| *c != '-')
        .collect::<String>()
        .to_ascii_uppercase();
    Some(match name.as_str() {
        "MD5" => ("MD5", Form::Hex(32)),
        "SHA1" => ("SHA-1", Form::Hex(40)),
        "RIPEMD160" => ("RIPEMD-160", Form::Hex(40)),
        "SHA224" => ("SHA-224", Form::Hex(56)),
        "SHA256" => ("SHA-256", Form::Hex(64)),
        "SHA384" => ("SHA-384", Form::Hex(96)),
        "SHA512" => ("SHA-512", Form::Hex(128)),
        "SHA3224" => ("SHA3-224", Form::Hex(56)),
        "SHA3256" => ("SHA3-256", Form::Hex(64)),
        "SHA3384" => ("SHA3-384", Form::Hex(96)),
        "SHA3512" => ("SHA3-512", Form::Hex(128)),
        "WHIRLPOOL" => ("WHIRLPOOL", Form::Hex(128)),
        "SSDEEP" => ("SSDEEP", Form::Ssdeep),
        _ => return None,
    })
}

/// Every string compared with `=`, `!=` or `IN` against `…hashes.<algorithm>` has that
/// algorithm's form.
pub(super) fn hashes(p: &Pattern) -> Result<(), PatternError> {
    let mut observations = vec![&p.root];
    let mut comparisons = Vec::new();
    while let Some(o) = observations.pop() {
        match o {
            Observation::Simple(c) => comparisons.push(c),
            Observation::And(v) | Observation::Or(v) | Observation::FollowedBy(v) => {
                observations.extend(v)
            }
            Observation::Qualified(inner, _) => observations.push(inner),
        }
    }
    while let Some(c) = comparisons.pop() {
        let (path, test) = match c {
            Comparison::And(v) | Comparison::Or(v) => {
                comparisons.extend(v);
                continue;
            }
            Comparison::Exists { .. } => continue,
            Comparison::Test { path, test, .. } => (path, test),
        };
        let keys: Vec<&str> = path.keys().collect();
        let [.., "hashes", algorithm] = keys.as_slice() else {
            continue;
        };
        let Some((name, form)) = hash_form(algorithm) else {
            continue;
        };
        let values: Vec<&str> = match test {
            Test::Compare(_, Literal::Str(s)) => vec![s],
            Test::In(members) => members
                .iter()
                .filter_map(|m| match m {
                    Literal::Str(s) => Some(s.as_str()),
                    _ => None,
                })
                .collect(),
            _ => continue,
        };
        if let Some(bad) = values.into_iter().find(|v| !form.holds(v)) {
            return Err(PatternError {
                offset: None,
                message: format!("`{path}`: '{bad}' is not a valid {name} hash"),
            });
        }
    }
    Ok(())
}
