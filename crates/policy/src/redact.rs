//! Redaction: serving an object without the parts a recipient may not see (granular
//! markings whose reach falls short of the recipient, properties named by a confidentiality
//! notice). Parts are named by STIX selectors (STIX 2.1 §7.2.3.1): property names joined by
//! `.`, list positions as `[n]`, e.g. `description`, `external_references.[1].url`.
//!
//! The served copy must still be a valid STIX object, so:
//! - a property the object cannot do without (`type`, `id`, `spec_version`, `created`,
//!   `modified`, or one its type requires) is never removed: the object is withheld instead;
//! - a part inside a list element (`external_references.[1].url`) removes the whole
//!   element, which would otherwise lose a property of its own that it requires;
//! - a list or object left empty is removed with its property;
//! - the granular markings that led to a removal go with it; the others follow the list
//!   positions that moved.

use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// One step of a selector.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Step {
    Key(String),
    Index(usize),
}

/// Parses a selector; `None` if it is not one.
pub fn parse(selector: &str) -> Option<Vec<Step>> {
    let mut steps = Vec::new();
    for (i, part) in selector.split('.').enumerate() {
        let step = match part.strip_prefix('[').and_then(|p| p.strip_suffix(']')) {
            Some(n) => Step::Index(n.parse().ok()?),
            None if !part.is_empty() && !part.contains(['[', ']']) => Step::Key(part.to_owned()),
            None => return None,
        };
        // A selector starts at a property of the object.
        if i == 0 && matches!(step, Step::Index(_)) {
            return None;
        }
        steps.push(step);
    }
    (!steps.is_empty()).then_some(steps)
}

/// Top-level properties no served copy may lack.
const ALWAYS_KEPT: &[&str] = &["type", "id", "spec_version", "created", "modified"];

fn required(object_type: &str, property: &str) -> bool {
    ALWAYS_KEPT.contains(&property) || stix::required_properties(object_type).contains(&property)
}

/// What a recipient gets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Redacted {
    /// The object's text without the selected parts.
    Text(String),
    /// Nothing: a selected part is one the object cannot do without.
    Withheld(String),
}

/// The part a selector removes: itself, or the list element that contains it.
fn removal(steps: &[Step]) -> Vec<Step> {
    match steps.iter().position(|s| matches!(s, Step::Index(_))) {
        Some(i) => steps[..=i].to_vec(),
        None => steps.to_vec(),
    }
}

/// Serves `json` (an object of `object_type`) without the parts `selectors` name.
pub fn apply(json: &str, object_type: &str, selectors: &[String]) -> Redacted {
    let mut removals: Vec<Vec<Step>> = Vec::new();
    for sel in selectors {
        let Some(steps) = parse(sel) else {
            return Redacted::Withheld(format!("`{sel}` is not a STIX selector"));
        };
        if let Step::Key(top) = &steps[0]
            && steps.len() == 1
            && required(object_type, top)
        {
            return Redacted::Withheld(format!(
                "`{top}` is required of a {object_type} and cannot be left out"
            ));
        }
        removals.push(removal(&steps));
    }
    let Ok(mut value) = serde_json::from_str::<Value>(json) else {
        return Redacted::Withheld("the stored object is not JSON".into());
    };
    let granular = value
        .as_object_mut()
        .and_then(|o| o.remove("granular_markings"));
    // Deepest and highest positions first, so no removal moves another one's target.
    removals.sort();
    removals.dedup();
    let mut moved: BTreeMap<Vec<Step>, Vec<usize>> = BTreeMap::new();
    for r in removals.iter().rev() {
        if remove(&mut value, r)
            && let Some((Step::Index(i), list)) = r.split_last()
        {
            moved.entry(list.to_vec()).or_default().push(*i);
        }
    }
    let Some(obj) = value.as_object_mut() else {
        return Redacted::Withheld("the stored object is not a JSON object".into());
    };
    prune_empty(obj);
    if let Some(missing) = required_missing(obj, object_type) {
        return Redacted::Withheld(format!(
            "`{missing}` is required of a {object_type} and would be left empty"
        ));
    }
    if let Some(Value::Array(list)) = granular {
        let kept: Vec<Value> = list
            .into_iter()
            .filter_map(|g| keep_granular(g, &removals, &moved))
            .collect();
        if !kept.is_empty() {
            obj.insert("granular_markings".into(), Value::Array(kept));
        }
    }
    match serde_json::to_string(&value) {
        Ok(text) => Redacted::Text(text),
        Err(e) => Redacted::Withheld(format!("the redacted copy cannot be written: {e}")),
    }
}

fn required_missing(obj: &Map<String, Value>, object_type: &str) -> Option<String> {
    stix::required_properties(object_type)
        .iter()
        .find(|p| !obj.contains_key(**p))
        .map(|p| (*p).to_owned())
}

/// Removes the part at `path`; `true` if it was there.
fn remove(value: &mut Value, path: &[Step]) -> bool {
    let Some((last, parents)) = path.split_last() else {
        return false;
    };
    let mut at = value;
    for step in parents {
        let next = match (step, at) {
            (Step::Key(k), Value::Object(m)) => m.get_mut(k),
            (Step::Index(i), Value::Array(a)) => a.get_mut(*i),
            _ => None,
        };
        match next {
            Some(v) => at = v,
            None => return false,
        }
    }
    match (last, at) {
        (Step::Key(k), Value::Object(m)) => m.shift_remove(k).is_some(),
        (Step::Index(i), Value::Array(a)) if *i < a.len() => {
            a.remove(*i);
            true
        }
        _ => false,
    }
}

/// Drops top-level lists and objects that redaction left empty.
fn prune_empty(obj: &mut Map<String, Value>) {
    obj.retain(|_, v| match v {
        Value::Array(a) => !a.is_empty(),
        Value::Object(m) => !m.is_empty(),
        _ => true,
    });
}

/// A granular marking after redaction: gone if what it marked is gone, its list positions
/// renumbered otherwise.
fn keep_granular(
    mut g: Value,
    removals: &[Vec<Step>],
    moved: &BTreeMap<Vec<Step>, Vec<usize>>,
) -> Option<Value> {
    let selectors = g.get("selectors")?.as_array()?.clone();
    let mut kept = Vec::new();
    for s in selectors {
        let Some(steps) = s.as_str().and_then(parse) else {
            continue;
        };
        if removals.iter().any(|r| steps.starts_with(r)) {
            continue;
        }
        kept.push(Value::String(render(&renumber(steps, moved))));
    }
    if kept.is_empty() {
        return None;
    }
    g.as_object_mut()?
        .insert("selectors".into(), Value::Array(kept));
    Some(g)
}

fn renumber(mut steps: Vec<Step>, moved: &BTreeMap<Vec<Step>, Vec<usize>>) -> Vec<Step> {
    for i in 0..steps.len() {
        if let Step::Index(n) = steps[i]
            && let Some(gone) = moved.get(&steps[..i])
        {
            steps[i] = Step::Index(n - gone.iter().filter(|g| **g < n).count());
        }
    }
    steps
}

fn render(steps: &[Step]) -> String {
    steps
        .iter()
        .map(|s| match s {
            Step::Key(k) => k.clone(),
            Step::Index(i) => format!("[{i}]"),
        })
        .collect::<Vec<_>>()
        .join(".")
}

#[cfg(test)]
mod tests {
    use super::*;

    const RED: &str = "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1";
    const GREEN: &str = "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb";

    fn report() -> String {
        format!(
            r#"{{"type":"report","spec_version":"2.1","id":"report--84e4d88f-44ea-4bcd-bbf3-b2c1c320bcb3","created":"2020-01-01T00:00:00.000Z","modified":"2020-01-01T00:00:00.000Z","name":"R","description":"secret","published":"2020-01-01T00:00:00Z","object_refs":["indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f"],"external_references":[{{"source_name":"a","url":"https://a.example"}},{{"source_name":"b"}},{{"source_name":"c"}}],"granular_markings":[{{"marking_ref":"{RED}","selectors":["description","external_references.[0].url"]}},{{"marking_ref":"{GREEN}","selectors":["external_references.[2]"]}}]}}"#
        )
    }

    #[test]
    fn selectors_parse_as_the_spec_writes_them() {
        assert_eq!(
            parse("external_references.[1].url"),
            Some(vec![
                Step::Key("external_references".into()),
                Step::Index(1),
                Step::Key("url".into())
            ])
        );
        for bad in ["", "[0]", "a..b", "a.[x]", "a.[1", "a]"] {
            assert_eq!(parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn redaction_removes_the_parts_renumbers_the_rest_and_drops_their_markings() {
        let Redacted::Text(out) = apply(
            &report(),
            "report",
            &["description".into(), "external_references.[0].url".into()],
        ) else {
            panic!("withheld")
        };
        let v: Value = serde_json::from_str(&out).unwrap();
        assert!(v.get("description").is_none());
        // The element holding the url went whole; the others moved up one place.
        let refs: Vec<&str> = v["external_references"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["source_name"].as_str().unwrap())
            .collect();
        assert_eq!(refs, ["b", "c"]);
        // The RED marking went with its parts; GREEN follows its element to position 1.
        assert_eq!(
            v["granular_markings"],
            serde_json::json!([{"marking_ref": GREEN, "selectors": ["external_references.[1]"]}])
        );
        // Key order of what remains is the producer's.
        assert!(out.starts_with(r#"{"type":"report","spec_version":"2.1","id":"#));
    }

    #[test]
    fn a_required_property_withholds_the_object() {
        assert!(matches!(
            apply(&report(), "report", &["name".into()]),
            Redacted::Withheld(w) if w.contains("`name`")
        ));
        assert!(matches!(
            apply(&report(), "report", &["object_refs.[0]".into()]),
            Redacted::Withheld(w) if w.contains("object_refs")
        ));
    }
}
