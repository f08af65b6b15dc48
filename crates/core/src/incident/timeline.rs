//! One incident as both parties see it: its current state (the owner's latest version the
//! asker receives) and a timeline of every version of it and of every contribution that
//! references it — tasks and impacts linked to it (each of their versions), notes,
//! refusals to contribute, opinions, links, and sightings of the indicators linked to it —
//! in time order, each with its author (the authority it came from, or this one) and
//! whether its seal verifies. Everything is read through the reader: what the asker may
//! not receive is not on it.

use super::{DECLINED, INCIDENT_EXTENSION, extension, rsit, text};
use crate::provenance::SealFault;
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
    Failed { reason: SealFault },
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
    /// [`Detail::english`] of `detail`.
    pub summary: String,
    pub detail: Detail,
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

/// What one timeline entry says, in parts (values as written: vocabulary, names, ids and
/// people's text), for each door to put in words and in its language; [`Detail::english`]
/// is the CLI's sentence.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum Detail {
    /// The incident's first version.
    Opened {
        name: String,
        status: String,
        determination: String,
    },
    /// A later version of the incident: what changed (from, to).
    Changed {
        status: Option<(String, String)>,
        determination: Option<(String, String)>,
    },
    /// A task, with its outcome (and the one before, when this version changed it).
    Task {
        name: String,
        outcome: String,
        was: Option<String>,
    },
    /// A note, or a refusal to contribute, as its author wrote it.
    Note { title: String, content: String },
    /// An opinion on the incident.
    Opinion {
        opinion: String,
        explanation: String,
    },
    /// An impact of the incident.
    Impact {
        category: String,
        description: String,
    },
    /// An object linked to the incident by a relationship.
    Link {
        source: String,
        relationship: String,
    },
    /// A sighting of an indicator linked to the incident.
    Sighting {
        of: String,
        count: u64,
        last_seen: String,
    },
    /// Any other object: its name, or its id.
    Object { name: String },
}

impl Detail {
    /// The entry in one English sentence (what the CLI prints).
    pub fn english(&self) -> String {
        match self {
            Detail::Opened {
                name,
                status,
                determination,
            } => format!("opened: {name} ({status}, {determination})"),
            Detail::Changed {
                status,
                determination,
            } => {
                let mut parts = Vec::new();
                if let Some((a, b)) = status {
                    parts.push(format!("status {a} → {b}"));
                }
                if let Some((a, b)) = determination {
                    parts.push(format!("determination {a} → {b}"));
                }
                if parts.is_empty() {
                    parts.push("details updated".into());
                }
                parts.join(", ")
            }
            Detail::Task { name, outcome, was } => match was {
                Some(w) => format!("{name}: {w} → {outcome}"),
                None => format!("{name} ({outcome})"),
            },
            Detail::Note { title, content } if title.is_empty() => content.clone(),
            Detail::Note { title, content } => format!("{title}: {content}"),
            Detail::Opinion {
                opinion,
                explanation,
            } => format!("{opinion}: {explanation}"),
            Detail::Impact {
                category,
                description,
            } if description.is_empty() => format!("{category} impact"),
            Detail::Impact {
                category,
                description,
            } => format!("{category} impact: {description}"),
            Detail::Link {
                source,
                relationship,
            } => format!("{source} {relationship} this incident"),
            Detail::Sighting {
                of,
                count,
                last_seen,
            } => format!("{of} sighted {count} time(s), last {last_seen}"),
            Detail::Object { name } => name.clone(),
        }
    }
}

fn detail(kind: &str, v: &Value, previous: Option<&Value>) -> Detail {
    match kind {
        "incident" => {
            let ext = extension(v).cloned().unwrap_or(Value::Null);
            let now = (
                text(&ext, "investigation_status"),
                text(&ext, "determination"),
            );
            match previous.and_then(extension) {
                None => Detail::Opened {
                    name: text(v, "name"),
                    status: now.0,
                    determination: now.1,
                },
                Some(p) => {
                    let before = (text(p, "investigation_status"), text(p, "determination"));
                    Detail::Changed {
                        status: (before.0 != now.0).then_some((before.0, now.0)),
                        determination: (before.1 != now.1).then_some((before.1, now.1)),
                    }
                }
            }
        }
        "task" => {
            let outcome = text(v, "outcome");
            let was = previous
                .map(|p| text(p, "outcome"))
                .filter(|w| *w != outcome);
            Detail::Task {
                name: text(v, "name"),
                outcome,
                was,
            }
        }
        "note" | "declined" => Detail::Note {
            title: text(v, "abstract"),
            content: text(v, "content"),
        },
        "opinion" => Detail::Opinion {
            opinion: text(v, "opinion"),
            explanation: text(v, "explanation"),
        },
        "impact" => Detail::Impact {
            category: text(v, "impact_category"),
            description: text(v, "description"),
        },
        "link" => Detail::Link {
            source: text(v, "source_ref"),
            relationship: text(v, "relationship_type"),
        },
        "sighting" => Detail::Sighting {
            of: text(v, "sighting_of_ref"),
            count: v.get("count").and_then(Value::as_u64).unwrap_or(1),
            last_seen: text(v, "last_seen"),
        },
        _ => {
            let name = text(v, "name");
            Detail::Object {
                name: if name.is_empty() { text(v, "id") } else { name },
            }
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
        let (proof, checked) =
            match self.checked_proof(caller, collection, &row.id, Some(&row.version)) {
                Ok(p) => p,
                Err(CoreError::NotFound(_)) => return SealState::Unsealed,
                Err(CoreError::Refused(d)) if *d.reason == policy::Reason::SealCoversWhole => {
                    return SealState::Failed {
                        reason: SealFault::Redacted,
                    };
                }
                Err(e) => {
                    return SealState::Failed {
                        reason: SealFault::Unchecked(e.to_string()),
                    };
                }
            };
        match checked.verified {
            Ok(()) => SealState::Verified {
                signer: proof.seal.body.signer,
            },
            Err(reason) => SealState::Failed { reason },
        }
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
                summary: String::new(),
                detail: detail(&kind, &v, previous.as_ref()),
                kind,
                author: row.origin.clone().unwrap_or_else(|| own.to_owned()),
                seal: self.seal_state(caller, collection, &row),
            });
            if let Some(e) = out.last_mut() {
                e.summary = e.detail.english();
            }
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
