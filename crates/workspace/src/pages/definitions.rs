//! Names for markings that are not TLP: the definitions a user is served, found through the
//! core reader like any object (a definition withheld leaves the marking shown by its id,
//! so its name appears nowhere).

use super::summary::{Marking, Summary};
use crate::Ws;
use crate::view::Viewer;
use serde_json::Value;
use std::collections::HashMap;
use symbolon_core::Want;

/// Each of `ids` as the first readable collection serving it serves it to this user: the
/// collection's id and (`with_body`) the served text. What the policy withholds is absent.
/// One read per collection for all of them (each recorded like any read), not one per id.
pub fn served(
    ws: &Ws,
    v: &Viewer,
    readable: &[store::Collection],
    ids: &[String],
    with_body: bool,
) -> HashMap<String, (String, String)> {
    let mut found = HashMap::new();
    for c in readable {
        let wanted: Vec<String> = ids
            .iter()
            .filter(|i| !found.contains_key(*i))
            .cloned()
            .collect();
        if wanted.is_empty() {
            break;
        }
        let want = Want {
            limit: Some(wanted.len()),
            ids: wanted,
            with_body,
            ..Want::default()
        };
        let rows = ws
            .core
            .read(&v.caller(), "ui:find", c, None, &want, |p| {
                p.rows
                    .iter()
                    .map(|r| (r.id.clone(), r.json.clone()))
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default();
        for (id, json) in rows {
            found.entry(id).or_insert_with(|| (c.id.clone(), json));
        }
    }
    found
}

/// The ids of the markings among `markings` still shown by their id (not TLP, not yet
/// named), each once.
pub fn unnamed<'a>(markings: impl IntoIterator<Item = &'a Marking>) -> Vec<String> {
    let mut ids: Vec<String> = markings
        .into_iter()
        .filter(|m| m.label == m.id)
        .map(|m| m.id.clone())
        .collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}

/// Names the markings that are not TLP by their definitions among `served` (what this
/// user is served): a definition withheld from the user leaves the marking shown by its id,
/// as if no definition were held.
pub fn name_markings(served: &HashMap<String, (String, String)>, markings: &mut [Marking]) {
    for m in markings.iter_mut().filter(|m| m.label == m.id) {
        if let Some((_, json)) = served.get(&m.id)
            && let Some(label) = definition_label(json)
        {
            m.label = label;
        }
    }
}

/// How a marking definition names itself: its `name`, else its statement, shortened.
fn definition_label(json: &str) -> Option<String> {
    let v: Value = serde_json::from_str(json).ok()?;
    let text = v.get("name").and_then(Value::as_str).or_else(|| {
        v.pointer("/definition/statement")
            .or_else(|| v.pointer("/extensions/definition/statement"))
            .and_then(Value::as_str)
    })?;
    let text = text.trim();
    (!text.is_empty()).then(|| text.chars().take(120).collect())
}

/// Names the markings of a list's items that are not TLP, when any are: one read per
/// readable collection for the definitions of all of them.
pub fn name_listed(ws: &Ws, v: &Viewer, items: &mut [Summary]) {
    let unnamed = unnamed(items.iter().flat_map(|s| s.markings.iter()));
    if unnamed.is_empty() {
        return;
    }
    let Ok(readable) = v.readable(&ws.core) else {
        return;
    };
    let found = served(ws, v, &readable, &unnamed, true);
    for s in items {
        name_markings(&found, &mut s.markings);
    }
}
