//! One served version as lists and panels show it: its name (or id), type, dates, markings
//! and origin, read from the text the core served (redacted where the policy said so).

use crate::i18n::{Dated, Tr};
use policy::Policy;
use policy::markings::Reach;
use store::Row;

pub struct Summary {
    pub id: String,
    pub object_type: String,
    /// The object's `name` (or `value`, `pattern`...), as written: shown escaped, `dir=auto`.
    pub name: Option<String>,
    pub description: Option<String>,
    pub version: Dated,
    pub added: Dated,
    pub markings: Vec<Marking>,
    pub origin: Option<String>,
    /// The collection's id (for links).
    pub collection: String,
}

/// A marking as people read it, and how far it lets an object go.
pub struct Marking {
    pub id: String,
    pub label: String,
    pub reach: String,
}

/// The label of a marking definition id: its TLP name, or the id.
pub fn marking_label(id: &str) -> String {
    match stix::markings::tlp(id) {
        Some(stix::markings::Tlp::Clear) => "TLP:CLEAR".into(),
        Some(stix::markings::Tlp::Green) => "TLP:GREEN".into(),
        Some(stix::markings::Tlp::Amber) => "TLP:AMBER".into(),
        Some(stix::markings::Tlp::AmberStrict) => "TLP:AMBER+STRICT".into(),
        Some(stix::markings::Tlp::Red) => "TLP:RED".into(),
        None => id.to_owned(),
    }
}

/// Who an object with this reach may go to, in words.
pub fn reach_words(tr: &Tr, reach: Reach) -> String {
    tr.t(match reach {
        Reach::Local => "reach-local",
        Reach::Parties => "reach-parties",
        Reach::Anyone => "reach-anyone",
    })
}

/// The text property that names an object best.
fn name_of(v: &serde_json::Value) -> Option<String> {
    [
        "name", "value", "pattern", "abstract", "opinion", "result", "content",
    ]
    .iter()
    .find_map(|k| v.get(*k).and_then(|x| x.as_str()))
    .map(|s| s.chars().take(300).collect())
}

pub fn summarise(tr: &Tr, policy: &Policy, row: &Row, collection: &str) -> Summary {
    let v: serde_json::Value = serde_json::from_str(&row.json).unwrap_or_default();
    Summary {
        id: row.id.clone(),
        object_type: row.object_type.clone(),
        name: name_of(&v),
        description: v
            .get("description")
            .and_then(|d| d.as_str())
            .map(|s| s.chars().take(400).collect()),
        version: tr.date(row.version_at),
        added: tr.date(row.date_added),
        markings: row
            .marking_refs
            .iter()
            .map(|m| Marking {
                id: m.clone(),
                label: marking_label(m),
                reach: reach_words(tr, policy.reach(std::slice::from_ref(m))),
            })
            .collect(),
        origin: row.origin.clone(),
        collection: collection.to_owned(),
    }
}

/// Whether the name or the description holds `needle` (lower case).
pub fn names(s: &Summary, needle: &str) -> bool {
    [&s.name, &s.description].iter().any(|t| {
        t.as_deref()
            .is_some_and(|t| t.to_lowercase().contains(needle))
    })
}

/// Whether a version's text may hold `needle` (lower case) in a property: a cheap test
/// before the text is parsed. Only a `\\u` escape can hide a character from it, so text
/// with one is always parsed.
pub fn may_hold(json: &str, needle: &str) -> bool {
    needle.is_empty() || json.contains("\\u") || json.to_lowercase().contains(needle)
}

#[cfg(test)]
mod tests {
    use super::may_hold;

    #[test]
    fn the_cheap_test_never_hides_a_match() {
        assert!(may_hold(r#"{"name":"Scanner 12"}"#, "scanner"));
        assert!(!may_hold(r#"{"name":"Scanner 12"}"#, "wiper"));
        // A producer may escape what it writes: such text is always parsed.
        let escaped = r#"{"name":"\u0633\u0631\u0648\u0631"}"#;
        let parsed: serde_json::Value = serde_json::from_str(escaped).unwrap();
        assert!(parsed["name"].as_str().unwrap().contains("سرور"));
        assert!(may_hold(escaped, "سرور"));
        assert!(may_hold("anything", ""));
    }
}
