//! One incident as both parties see it: its current state (the owner's latest version the
//! asker receives) and a timeline of every version of it and of every contribution that
//! references it — tasks and impacts linked to it (each of their versions), notes,
//! refusals to contribute, opinions, links, and sightings of the indicators linked to it —
//! in time order, each with its author (the authority it came from, or this one) and
//! whether its seal verifies. Everything is read through the reader: what the asker may
//! not receive is not on it.

use super::{DECLINED, INCIDENT_EXTENSION, extension, rsit, text};
use crate::{Caller, Core, CoreError, Result};
use serde_json::Value;
use std::collections::HashSet;

/// Referrers of one incident or indicator read at most.
const MOST_REFERRERS: usize = 5_000;

/// Whether an entry's origin is proven.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "state", rename_all = "kebab-case")]
pub enum SealState {
    /// Made on this node (no seal: the audit log records it).
    Own,
    /// Received from a peer under a seal that verifies with the signer's key.
    Verified { signer: String },
    /// Received from a peer, and the seal does not verify: why.
    Failed { reason: String },
    /// Obtained without a seal (imported by an operator with `--obtained-from`).
    Unsealed,
}

/// One entry of the timeline.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Entry {
    /// The version's `modified` (or `created`).
    pub when: String,
    pub id: String,
    #[serde(rename = "type")]
    pub object_type: String,
    pub version: String,
    /// `incident`, `task`, `impact`, `note`, `declined`, `opinion`, `link`, `sighting`, or
    /// the object's type.
    pub kind: String,
    pub author: String,
    pub summary: String,
    pub seal: SealState,
}

/// An incident with its timeline.
#[derive(Debug, Clone, serde::Serialize)]
pub struct IncidentView {
    pub id: String,
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub status: String,
    pub determination: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub category: Option<rsit::Class>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub criticality: Option<u64>,
    pub owner: String,
    pub collection: String,
    pub version: String,
    pub markings: Vec<String>,
    pub timeline: Vec<Entry>,
}

fn summarise(kind: &str, v: &Value, previous: Option<&Value>) -> String {
    match kind {
        "incident" => {
            let ext = extension(v).cloned().unwrap_or(Value::Null);
            let now = (
                text(&ext, "investigation_status"),
                text(&ext, "determination"),
            );
            match previous.and_then(extension) {
                None => format!("opened: {} ({}, {})", text(v, "name"), now.0, now.1),
                Some(p) => {
                    let before = (text(p, "investigation_status"), text(p, "determination"));
                    let mut parts = Vec::new();
                    if before.0 != now.0 {
                        parts.push(format!("status {} → {}", before.0, now.0));
                    }
                    if before.1 != now.1 {
                        parts.push(format!("determination {} → {}", before.1, now.1));
                    }
                    if parts.is_empty() {
                        parts.push("details updated".into());
                    }
                    parts.join(", ")
                }
            }
        }
        "task" => {
            let outcome = text(v, "outcome");
            match previous {
                Some(p) if text(p, "outcome") != outcome => {
                    format!("{}: {} → {outcome}", text(v, "name"), text(p, "outcome"))
                }
                _ => format!("{} ({outcome})", text(v, "name")),
            }
        }
        "note" | "declined" => {
            let abs = text(v, "abstract");
            let content = text(v, "content");
            if abs.is_empty() {
                content
            } else {
                format!("{abs}: {content}")
            }
        }
        "opinion" => format!("{}: {}", text(v, "opinion"), text(v, "explanation")),
        "impact" => {
            let d = text(v, "description");
            let c = text(v, "impact_category");
            if d.is_empty() {
                format!("{c} impact")
            } else {
                format!("{c} impact: {d}")
            }
        }
        "link" => format!(
            "{} {} this incident",
            text(v, "source_ref"),
            text(v, "relationship_type")
        ),
        "sighting" => format!(
            "{} sighted {} time(s), last {}",
            text(v, "sighting_of_ref"),
            v.get("count").and_then(Value::as_u64).unwrap_or(1),
            text(v, "last_seen")
        ),
        _ => {
            let name = text(v, "name");
            if name.is_empty() { text(v, "id") } else { name }
        }
    }
}

impl Core {
    /// Whether a version's origin is proven: made here, or received under a seal that
    /// verifies with its signer's key (or does not, and why), or obtained without one.
    pub fn seal_state(
        &self,
        caller: &Caller,
        collection: &store::Collection,
        row: &store::Row,
    ) -> SealState {
        if row.origin.is_none() {
            return SealState::Own;
        }
        let proof = match self.proof(caller, collection, &row.id, Some(&row.version)) {
            Ok(p) => p,
            Err(CoreError::NotFound(_)) => return SealState::Unsealed,
            Err(e) => {
                return SealState::Failed {
                    reason: e.to_string(),
                };
            }
        };
        let signer = proof.seal.body.signer.clone();
        let keys = match self.signer_keys(&signer) {
            Ok(k) if !k.is_empty() => k,
            _ => {
                return SealState::Failed {
                    reason: format!("no key is known for `{signer}`"),
                };
            }
        };
        // The current key, else one the signer held before a key rotation.
        let mut failed = String::new();
        for key in &keys {
            match ed25519_dalek::VerifyingKey::from_bytes(key)
                .map_err(|e| e.to_string())
                .and_then(|k| proof.check(&k).map_err(|e| e.to_string()))
            {
                Ok(()) => return SealState::Verified { signer },
                Err(reason) if failed.is_empty() => failed = reason,
                Err(_) => {}
            }
        }
        SealState::Failed { reason: failed }
    }

    /// Entries for every version `caller` receives of one object.
    fn entries_of(
        &self,
        caller: &Caller,
        collection: &store::Collection,
        id: &str,
        kind_of: &dyn Fn(&str, &Value) -> String,
        own: &str,
        out: &mut Vec<Entry>,
    ) -> Result<Vec<Value>> {
        let rows = match self.versions_of(caller, collection, id) {
            Ok(r) => r,
            Err(CoreError::NotFound(_) | CoreError::Refused(_)) => return Ok(Vec::new()),
            Err(e) => return Err(e),
        };
        let mut values = Vec::new();
        let mut previous: Option<Value> = None;
        for row in rows {
            let Ok(v) = serde_json::from_str::<Value>(&row.json) else {
                continue;
            };
            let kind = kind_of(&row.object_type, &v);
            out.push(Entry {
                when: v
                    .get("modified")
                    .or_else(|| v.get("created"))
                    .and_then(Value::as_str)
                    .unwrap_or(&row.version)
                    .to_owned(),
                id: row.id.clone(),
                object_type: row.object_type.clone(),
                version: row.version.clone(),
                summary: summarise(&kind, &v, previous.as_ref()),
                kind,
                author: row.origin.clone().unwrap_or_else(|| own.to_owned()),
                seal: self.seal_state(caller, collection, &row),
            });
            previous = Some(v.clone());
            values.push(v);
        }
        Ok(values)
    }

    /// The incident `id` as `caller` receives it, with both parties' timeline.
    pub fn incident(&self, caller: &Caller, id: &str) -> Result<IncidentView> {
        let found = self.located_incident(caller, id)?;
        let own = self.own_authority().unwrap_or_else(|_| "this node".into());
        let kind_of = |ty: &str, v: &Value| -> String {
            match ty {
                "relationship" => "link".into(),
                "note"
                    if v.get("labels")
                        .and_then(Value::as_array)
                        .is_some_and(|l| l.iter().any(|x| x.as_str() == Some(DECLINED))) =>
                {
                    "declined".into()
                }
                t => t.to_owned(),
            }
        };
        let mut timeline = Vec::new();
        let versions =
            self.entries_of(caller, &found.collection, id, &kind_of, &own, &mut timeline)?;
        let current = versions.last().cloned().ok_or_else(|| {
            CoreError::NotFound(format!("no incident `{id}` this user may receive"))
        })?;
        let mut done: HashSet<String> = HashSet::from([id.to_owned()]);
        let mut linked_indicators = Vec::new();
        let (referrers, _) = self.referencing(caller, id, MOST_REFERRERS)?;
        for r in referrers {
            if !done.insert(r.id.clone()) {
                continue;
            }
            let c = self.collection(&r.collection)?;
            let values = self.entries_of(caller, &c, &r.id, &kind_of, &own, &mut timeline)?;
            if r.object_type != "relationship" {
                continue;
            }
            // What the relationship links: its own history joins the timeline.
            let Some(source) = values.last().map(|v| text(v, "source_ref")) else {
                continue;
            };
            if source.is_empty() || !done.insert(source.clone()) {
                continue;
            }
            let Ok(at) = self
                .locate_one(caller, &source, Some(&c.id))
                .or_else(|_| self.locate_one(caller, &source, None))
            else {
                continue;
            };
            if at.row.object_type == "indicator" {
                linked_indicators.push(source.clone());
            }
            self.entries_of(
                caller,
                &at.collection,
                &source,
                &kind_of,
                &own,
                &mut timeline,
            )?;
        }
        for indicator in linked_indicators {
            let (referrers, _) = self.referencing(caller, &indicator, MOST_REFERRERS)?;
            for r in referrers
                .into_iter()
                .filter(|r| r.object_type == "sighting")
            {
                if done.insert(r.id.clone()) {
                    let c = self.collection(&r.collection)?;
                    self.entries_of(caller, &c, &r.id, &kind_of, &own, &mut timeline)?;
                }
            }
        }
        timeline.sort_by(|a, b| (&a.when, &a.id, &a.version).cmp(&(&b.when, &b.id, &b.version)));
        let ext = current
            .get("extensions")
            .and_then(|e| e.get(INCIDENT_EXTENSION))
            .cloned()
            .unwrap_or(Value::Null);
        let labels: Vec<String> = current
            .get("labels")
            .and_then(|l| serde_json::from_value(l.clone()).ok())
            .unwrap_or_default();
        let last = found.row.clone();
        Ok(IncidentView {
            id: id.to_owned(),
            name: text(&current, "name"),
            description: current
                .get("description")
                .and_then(Value::as_str)
                .map(str::to_owned),
            status: text(&ext, "investigation_status"),
            determination: text(&ext, "determination"),
            category: rsit::of_labels(&labels),
            criticality: ext.get("criticality").and_then(Value::as_u64),
            owner: last.origin.clone().unwrap_or(own),
            collection: found
                .collection
                .alias
                .clone()
                .unwrap_or(found.collection.id.clone()),
            version: text(&current, "modified"),
            markings: last.marking_refs.clone(),
            timeline,
        })
    }
}
