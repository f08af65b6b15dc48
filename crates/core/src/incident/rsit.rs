//! Incident classification by the Reference Security Incident Taxonomy (RSIT, ENISA /
//! TF-CSIRT), shipped with the node (`data/rsit-machinetag.json`, CC0) and written on an
//! incident as MISP machine tags in `labels`: `rsit:malicious-code="c2-server"`.
//!
//! Two RSIT types classify content, not computer incidents (`abusive-content` =
//! `harmful-speech` and `violence`): this node carries information about computer
//! incidents and attacks on information infrastructure, never about speech, so they are
//! refused.

use crate::Result;
use crate::mistake::Mistake;
use std::sync::OnceLock;

#[derive(serde::Deserialize)]
struct Taxonomy {
    predicates: Vec<Entry>,
    values: Vec<Values>,
}

#[derive(serde::Deserialize)]
struct Values {
    predicate: String,
    entry: Vec<Entry>,
}

#[derive(serde::Deserialize, Clone)]
struct Entry {
    value: String,
    #[serde(default)]
    expanded: Option<String>,
}

/// One RSIT class and type, e.g. `malicious-code` / `c2-server`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Class {
    pub class: String,
    pub class_name: String,
    pub kind: String,
    pub kind_name: String,
}

impl Class {
    /// The machine tag written in `labels`.
    pub fn tag(&self) -> String {
        format!("rsit:{}=\"{}\"", self.class, self.kind)
    }
}

/// Types of the taxonomy this node does not carry (speech, not computer incidents).
const NOT_INCIDENTS: [(&str, &str); 2] = [
    ("abusive-content", "harmful-speech"),
    ("abusive-content", "violence"),
];

fn all() -> &'static [Class] {
    static CLASSES: OnceLock<Vec<Class>> = OnceLock::new();
    CLASSES.get_or_init(|| {
        let t: Taxonomy = serde_json::from_str(include_str!("../../data/rsit-machinetag.json"))
            .expect("the RSIT taxonomy shipped with the node is JSON of MISP's machine-tag form");
        let mut out = Vec::new();
        for v in &t.values {
            let class_name = t
                .predicates
                .iter()
                .find(|p| p.value == v.predicate)
                .and_then(|p| p.expanded.clone())
                .unwrap_or_else(|| v.predicate.clone());
            for e in &v.entry {
                if NOT_INCIDENTS.contains(&(v.predicate.as_str(), e.value.as_str())) {
                    continue;
                }
                out.push(Class {
                    class: v.predicate.clone(),
                    class_name: class_name.clone(),
                    kind: e.value.clone(),
                    kind_name: e.expanded.clone().unwrap_or_else(|| e.value.clone()),
                });
            }
        }
        out
    })
}

/// Every class and type this node classifies by.
pub fn classes() -> &'static [Class] {
    all()
}

/// Reads `class/type`, `class:type` or the machine tag `rsit:class="type"`.
pub fn parse(text: &str) -> Result<Class> {
    let t = text.trim();
    let t = t.strip_prefix("rsit:").unwrap_or(t);
    let (class, kind) = t
        .split_once('=')
        .or_else(|| t.split_once('/'))
        .or_else(|| t.split_once(':'))
        .ok_or_else(|| Mistake::RsitUnreadable {
            text: text.to_owned(),
        })?;
    let kind = kind.trim_matches('"');
    if NOT_INCIDENTS.contains(&(class, kind)) {
        return Err(Mistake::RsitContent {
            class: class.to_owned(),
            kind: kind.to_owned(),
        }
        .into());
    }
    all()
        .iter()
        .find(|c| c.class == class && c.kind == kind)
        .cloned()
        .ok_or_else(|| {
            let types: Vec<&str> = all()
                .iter()
                .filter(|c| c.class == class)
                .map(|c| c.kind.as_str())
                .collect();
            let class = class.to_owned();
            if types.is_empty() {
                Mistake::RsitClass {
                    class,
                    classes: class_names().iter().map(|c| c.to_string()).collect(),
                }
            } else {
                Mistake::RsitType {
                    class,
                    kind: kind.to_owned(),
                    kinds: types.iter().map(|t| t.to_string()).collect(),
                }
            }
            .into()
        })
}

fn class_names() -> Vec<&'static str> {
    let mut v: Vec<&str> = all().iter().map(|c| c.class.as_str()).collect();
    v.dedup();
    v
}

/// The RSIT class in an object's labels, if one is there.
pub fn of_labels(labels: &[String]) -> Option<Class> {
    labels
        .iter()
        .find_map(|l| l.starts_with("rsit:").then(|| parse(l).ok()).flatten())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_read_in_every_spelling_and_speech_is_not_an_incident() {
        let c = parse("malicious-code/c2-server").unwrap();
        assert_eq!(c.tag(), "rsit:malicious-code=\"c2-server\"");
        assert_eq!(parse(&c.tag()).unwrap(), c);
        assert_eq!(parse("availability:ddos").unwrap().kind, "ddos");
        assert!(parse("abusive-content/spam").is_ok());
        for speech in ["abusive-content/harmful-speech", "abusive-content/violence"] {
            assert!(
                parse(speech)
                    .unwrap_err()
                    .to_string()
                    .contains("not a computer incident")
            );
        }
        assert!(
            parse("malicious-code/nope")
                .unwrap_err()
                .to_string()
                .contains("types:")
        );
        assert!(
            parse("nope/x")
                .unwrap_err()
                .to_string()
                .contains("classes:")
        );
        assert!(classes().len() > 30);
        assert!(!classes().iter().any(|c| c.kind == "harmful-speech"));
    }
}
