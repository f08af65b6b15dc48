//! Joint incident response (Art. 3; Annex, terms 7-8): an incident is a STIX `incident`
//! with the OASIS Incident Core extension, classified by RSIT ([`rsit`]), owned by the
//! authority that opened it. Only the owner versions it (STIX 2.1 §3.6): its status goes
//! new → open → closed, with a determination. Everyone else takes part with objects of
//! their own that reference it — tasks (the OASIS task extension) and impacts linked by
//! relationships, notes, and a recorded refusal to contribute (a note labelled
//! `declined`) — which travel between the parties' nodes at sync like any object and are
//! decided by the policy like any object. [`timeline`] puts both parties' entries in one
//! order, each with its author and whether its seal verifies.

pub mod rsit;
pub mod timeline;

use crate::authoring::{Located, TLP_GREEN, new_id, now_after};
use crate::mistake::Mistake;
use crate::{Caller, Core, CoreError, Result, Want};
use serde_json::{Value, json};
use store::VersionSel;

pub use timeline::{Detail, Entry, IncidentView, SealState};

/// The Incident Core extension (OASIS cti-stix-common-objects, incident-core).
pub const INCIDENT_EXTENSION: &str = "extension-definition--ef765651-680c-498d-9894-99799f2fa126";
/// The task extension (a new SDO).
pub const TASK_EXTENSION: &str = "extension-definition--2074a052-8be4-4932-849e-f5e7798e0030";
/// The impact extension (a new SDO).
pub const IMPACT_EXTENSION: &str = "extension-definition--7cc33dd6-f6a1-489b-98ea-522d351d71b9";
/// `impact_category`: each names the extension (inside the impact) that details it; the
/// validator accepts exactly these extension keys on impacts.
pub use stix::IMPACT_CATEGORIES;
/// `recoverability` of an impact (a closed vocabulary).
pub const RECOVERABILITY: [&str; 5] = [
    "not-applicable",
    "regular",
    "supplemented",
    "extended",
    "not-recoverable",
];

/// The label that marks a note as a refusal to contribute.
pub const DECLINED: &str = "declined";

/// `investigation_status` of the Incident Core extension.
pub const STATUSES: [&str; 3] = ["new", "open", "closed"];
/// `determination`: the union of the extension's text (confirmed) and its JSON schema
/// (low-value, successful-attempt), which disagree.
pub const DETERMINATIONS: [&str; 7] = [
    "blocked",
    "confirmed",
    "failed-attempt",
    "false-positive",
    "low-value",
    "successful-attempt",
    "suspected",
];
/// A task's `outcome`.
pub const OUTCOMES: [&str; 6] = [
    "cancelled",
    "failed",
    "ongoing",
    "pending",
    "successful",
    "unknown",
];

fn one_of(what: &'static str, value: &str, allowed: &[&'static str]) -> Result<String> {
    if allowed.contains(&value) {
        Ok(value.to_owned())
    } else {
        Err(Mistake::NotOneOf {
            what,
            value: value.to_owned(),
            allowed: allowed.to_vec(),
        }
        .into())
    }
}

fn criticality(n: Option<u8>) -> Result<Option<u8>> {
    match n {
        Some(c) if c > 100 => Err(Mistake::Criticality { value: c }.into()),
        c => Ok(c),
    }
}

/// A new incident.
#[derive(Debug, Clone, Default)]
pub struct NewIncident {
    /// Collection id or alias to keep it in.
    pub collection: String,
    pub name: String,
    pub description: Option<String>,
    /// RSIT `class/type`.
    pub category: Option<String>,
    pub criticality: Option<u8>,
    /// Default: TLP:GREEN (reaches the parties' competent authorities).
    pub markings: Option<Vec<String>>,
}

/// What an update changes (only the owner updates).
#[derive(Debug, Clone, Default)]
pub struct IncidentChange {
    pub status: Option<String>,
    pub determination: Option<String>,
    pub name: Option<String>,
    pub description: Option<String>,
    pub category: Option<String>,
    pub criticality: Option<u8>,
}

/// A task in response to an incident, or a change of one.
#[derive(Debug, Clone, Default)]
pub struct TaskChange {
    pub name: Option<String>,
    pub description: Option<String>,
    pub outcome: Option<String>,
    /// Open vocabulary (containment, eradication, recovery, victim-notification, ...).
    pub task_types: Vec<String>,
    pub priority: Option<u8>,
}

/// What a note says.
#[derive(Debug, Clone, Default)]
pub struct NewNote {
    pub content: String,
    pub summary: Option<String>,
    /// A refusal to contribute (recorded as such, with `content` as the reason).
    pub declined: bool,
}

/// An impact of an incident: its category and the details its category's extension
/// holds (`availability_impact=80`, `loss_type=suspected-loss`, ...; integers as numbers).
#[derive(Debug, Clone, Default)]
pub struct NewImpact {
    pub category: String,
    pub details: Vec<(String, String)>,
    pub description: Option<String>,
    pub criticality: Option<u8>,
    pub recoverability: Option<String>,
}

/// One incident as a list shows it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct IncidentSummary {
    pub id: String,
    pub name: String,
    pub status: String,
    pub determination: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// The authority that owns (versions) it.
    pub owner: String,
    pub collection: String,
    pub modified: String,
}

/// The Incident Core extension's object inside an incident.
fn extension(incident: &Value) -> Option<&Value> {
    incident.get("extensions")?.get(INCIDENT_EXTENSION)
}

fn text(v: &Value, key: &str) -> String {
    v.get(key)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned()
}

impl Core {
    fn own_authority(&self) -> Result<String> {
        self.author_name()
    }

    /// The incident `id` as `caller` receives it, refusing anything else.
    fn located_incident(&self, caller: &Caller, id: &str) -> Result<Located> {
        if !id.starts_with("incident--") {
            return Err(Mistake::NotAnIncident { id: id.to_owned() }.into());
        }
        self.locate_one(caller, id, None)
    }

    /// Opens an incident owned by this authority; returns its id.
    pub fn open_incident(&self, caller: &Caller, new: &NewIncident) -> Result<String> {
        let (c, _) = self.visible_collection(caller.principal, None, &new.collection)?;
        if new.name.trim().is_empty() {
            return Err(Mistake::IncidentUnnamed.into());
        }
        let (identity, identity_json) = self.own_identity()?;
        let now = now_after(None);
        let mut ext = json!({
            "extension_type": "property-extension",
            "investigation_status": "new",
            "determination": "suspected",
        });
        if let Some(n) = criticality(new.criticality)? {
            ext["criticality"] = n.into();
        }
        let mut obj = json!({
            "type": "incident",
            "spec_version": "2.1",
            "id": new_id("incident"),
            "created": now,
            "modified": now,
            "created_by_ref": identity,
            "name": new.name,
            "object_marking_refs": new.markings.clone().unwrap_or_else(|| vec![TLP_GREEN.into()]),
            "extensions": { INCIDENT_EXTENSION: ext },
        });
        if let Some(d) = &new.description {
            obj["description"] = d.clone().into();
        }
        if let Some(cat) = &new.category {
            obj["labels"] = json!([rsit::parse(cat)?.tag()]);
        }
        let id = text(&obj, "id");
        self.author(caller, &c, &[identity_json, obj.to_string()])?;
        Ok(id)
    }

    /// A new version of an incident this authority owns; returns the new version.
    pub fn update_incident(
        &self,
        caller: &Caller,
        id: &str,
        change: &IncidentChange,
    ) -> Result<String> {
        let found = self.located_incident(caller, id)?;
        if let Some(owner) = &found.row.origin {
            return Err(Mistake::NotIncidentOwner {
                id: id.to_owned(),
                owner: owner.clone(),
            }
            .into());
        }
        let mut obj = found.json()?;
        let previous = text(&obj, "modified");
        let ext = obj
            .get_mut("extensions")
            .and_then(|e| e.get_mut(INCIDENT_EXTENSION))
            .ok_or_else(|| Mistake::NoIncidentExtension { id: id.to_owned() })?;
        if let Some(s) = &change.status {
            // Any status may follow any (a closed incident may be reopened); the timeline
            // shows each change.
            ext["investigation_status"] = one_of("status", s, &STATUSES)?.into();
        }
        if let Some(d) = &change.determination {
            ext["determination"] = one_of("determination", d, &DETERMINATIONS)?.into();
        }
        if let Some(c) = criticality(change.criticality)? {
            ext["criticality"] = c.into();
        }
        if let Some(n) = &change.name {
            obj["name"] = n.clone().into();
        }
        if let Some(d) = &change.description {
            obj["description"] = d.clone().into();
        }
        if let Some(cat) = &change.category {
            let tag = rsit::parse(cat)?.tag();
            let mut labels: Vec<Value> = obj
                .get("labels")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default()
                .into_iter()
                .filter(|l| !l.as_str().is_some_and(|s| s.starts_with("rsit:")))
                .collect();
            labels.push(tag.into());
            obj["labels"] = labels.into();
        }
        let version = now_after(Some(&previous));
        obj["modified"] = version.clone().into();
        self.author(caller, &found.collection, &[obj.to_string()])?;
        Ok(version)
    }

    /// Closes an incident this authority owns, with its determination.
    pub fn close_incident(&self, caller: &Caller, id: &str, determination: &str) -> Result<String> {
        self.update_incident(
            caller,
            id,
            &IncidentChange {
                status: Some("closed".into()),
                determination: Some(determination.into()),
                ..Default::default()
            },
        )
    }

    /// Objects of this authority's own about `incident`, stored beside it (so that they
    /// travel back where the incident came from), with this authority's identity.
    fn contribute(&self, caller: &Caller, incident: &Located, objects: Vec<Value>) -> Result<()> {
        let (_, identity_json) = self.own_identity()?;
        let mut texts = vec![identity_json];
        texts.extend(objects.iter().map(Value::to_string));
        self.author(caller, &incident.collection, &texts)
    }

    /// The common properties of a contribution, marked as the incident is unless
    /// `markings` says otherwise.
    fn common(&self, ty: &str, incident: &Located, markings: Option<Vec<String>>) -> Result<Value> {
        let (identity, _) = self.own_identity()?;
        let now = now_after(None);
        let markings = markings.unwrap_or_else(|| incident.row.marking_refs.clone());
        let mut obj = json!({
            "type": ty,
            "spec_version": "2.1",
            "id": new_id(ty),
            "created": now,
            "modified": now,
            "created_by_ref": identity,
        });
        if !markings.is_empty() {
            obj["object_marking_refs"] = markings.into();
        }
        Ok(obj)
    }

    fn relationship(&self, incident: &Located, source: &str, kind: &str) -> Result<Value> {
        let mut rel = self.common("relationship", incident, None)?;
        rel["relationship_type"] = kind.into();
        rel["source_ref"] = source.into();
        rel["target_ref"] = incident.row.id.clone().into();
        Ok(rel)
    }

    /// A task in response to `incident` (any party), linked to it; returns the task's id.
    pub fn add_task(
        &self,
        caller: &Caller,
        incident: &str,
        task: &TaskChange,
        markings: Option<Vec<String>>,
    ) -> Result<String> {
        let found = self.located_incident(caller, incident)?;
        let name = task
            .name
            .clone()
            .filter(|n| !n.trim().is_empty())
            .ok_or(Mistake::TaskUnnamed)?;
        let mut obj = self.common("task", &found, markings)?;
        obj["name"] = name.into();
        obj["outcome"] = one_of(
            "outcome",
            task.outcome.as_deref().unwrap_or("pending"),
            &OUTCOMES,
        )?
        .into();
        obj["extensions"] = json!({ TASK_EXTENSION: { "extension_type": "new-sdo" } });
        if let Some(d) = &task.description {
            obj["description"] = d.clone().into();
        }
        if !task.task_types.is_empty() {
            obj["task_types"] = task.task_types.clone().into();
        }
        if let Some(p) = criticality(task.priority)? {
            obj["priority"] = p.into();
        }
        let id = text(&obj, "id");
        let rel = self.relationship(&found, &id, "related-to")?;
        self.contribute(caller, &found, vec![obj, rel])?;
        Ok(id)
    }

    /// A new version of a task this authority made (its outcome, mostly).
    pub fn update_task(&self, caller: &Caller, task: &str, change: &TaskChange) -> Result<String> {
        if !task.starts_with("task--") {
            return Err(Mistake::NotATask {
                id: task.to_owned(),
            }
            .into());
        }
        let found = self.locate_one(caller, task, None)?;
        if let Some(owner) = &found.row.origin {
            return Err(Mistake::NotTaskAuthor {
                id: task.to_owned(),
                owner: owner.clone(),
            }
            .into());
        }
        let mut obj = found.json()?;
        if let Some(o) = &change.outcome {
            obj["outcome"] = one_of("outcome", o, &OUTCOMES)?.into();
        }
        if let Some(n) = &change.name {
            obj["name"] = n.clone().into();
        }
        if let Some(d) = &change.description {
            obj["description"] = d.clone().into();
        }
        if !change.task_types.is_empty() {
            obj["task_types"] = change.task_types.clone().into();
        }
        if let Some(p) = criticality(change.priority)? {
            obj["priority"] = p.into();
        }
        let version = now_after(obj.get("modified").and_then(Value::as_str));
        obj["modified"] = version.clone().into();
        self.author(caller, &found.collection, &[obj.to_string()])?;
        Ok(version)
    }

    /// An impact of `incident` (any party), linked to it; returns the impact's id.
    pub fn add_impact(
        &self,
        caller: &Caller,
        incident: &str,
        impact: &NewImpact,
        markings: Option<Vec<String>>,
    ) -> Result<String> {
        let found = self.located_incident(caller, incident)?;
        let category = one_of("impact category", &impact.category, &IMPACT_CATEGORIES)?;
        let mut detail = serde_json::Map::new();
        for (k, v) in &impact.details {
            if k.is_empty() || !k.bytes().all(|b| b.is_ascii_lowercase() || b == b'_') {
                return Err(Mistake::ImpactDetail { name: k.clone() }.into());
            }
            let value = v
                .parse::<i64>()
                .map(Value::from)
                .unwrap_or_else(|_| Value::from(v.clone()));
            detail.insert(k.clone(), value);
        }
        if category == "availability" {
            match detail.get("availability_impact").and_then(Value::as_i64) {
                Some(0..=100) => {}
                _ => {
                    return Err(Mistake::AvailabilityImpact.into());
                }
            }
        }
        let mut obj = self.common("impact", &found, markings)?;
        obj["impact_category"] = category.clone().into();
        obj["extensions"] = json!({ IMPACT_EXTENSION: { "extension_type": "new-sdo" }, category: Value::Object(detail) });
        if let Some(d) = &impact.description {
            obj["description"] = d.clone().into();
        }
        if let Some(c) = criticality(impact.criticality)? {
            obj["criticality"] = c.into();
        }
        if let Some(r) = &impact.recoverability {
            obj["recoverability"] = one_of("recoverability", r, &RECOVERABILITY)?.into();
        }
        let id = text(&obj, "id");
        let rel = self.relationship(&found, &id, "related-to")?;
        self.contribute(caller, &found, vec![obj, rel])?;
        Ok(id)
    }

    /// A note on `incident` (or a recorded refusal to contribute); returns its id.
    pub fn add_note(
        &self,
        caller: &Caller,
        incident: &str,
        note: &NewNote,
        markings: Option<Vec<String>>,
    ) -> Result<String> {
        let found = self.located_incident(caller, incident)?;
        if note.content.trim().is_empty() {
            return Err(if note.declined {
                Mistake::DeclineUnexplained
            } else {
                Mistake::NoteEmpty
            }
            .into());
        }
        let mut obj = self.common("note", &found, markings)?;
        obj["content"] = note.content.clone().into();
        obj["object_refs"] = json!([found.row.id]);
        obj["authors"] = json!([self.own_authority()?]);
        match (&note.summary, note.declined) {
            (Some(s), _) => obj["abstract"] = s.clone().into(),
            (None, true) => obj["abstract"] = "Declined to contribute".into(),
            (None, false) => {}
        }
        if note.declined {
            obj["labels"] = json!([DECLINED]);
        }
        let id = text(&obj, "id");
        self.contribute(caller, &found, vec![obj])?;
        Ok(id)
    }

    /// Links an object the caller receives (an indicator, an impact, malware, ...) to
    /// `incident` by a relationship of this authority's; returns the relationship's id.
    pub fn link_to_incident(
        &self,
        caller: &Caller,
        incident: &str,
        object: &str,
        kind: Option<&str>,
    ) -> Result<String> {
        let found = self.located_incident(caller, incident)?;
        self.locate_one(caller, object, None)?;
        let kind = kind.unwrap_or("related-to");
        if kind.is_empty()
            || !kind
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        {
            return Err(Mistake::RelationshipType {
                kind: kind.to_owned(),
            }
            .into());
        }
        let rel = self.relationship(&found, object, kind)?;
        let id = text(&rel, "id");
        self.contribute(caller, &found, vec![rel])?;
        Ok(id)
    }

    /// The incidents `caller` receives, newest change first.
    pub fn incidents(&self, caller: &Caller) -> Result<Vec<IncidentSummary>> {
        let policy = self.policy()?;
        let own = self.own_authority().unwrap_or_else(|_| "this node".into());
        let mut out: Vec<IncidentSummary> = Vec::new();
        for c in self.store().collections()? {
            if !policy.rights(caller.principal, c.key).can_read {
                continue;
            }
            let want = Want {
                types: vec!["incident".into()],
                with_body: true,
                ..Want::default()
            };
            let rows = match self.read(caller, "objects", &c, None, &want, |p| p.rows.clone()) {
                Ok(rows) => rows,
                Err(CoreError::Refused(_)) => continue,
                Err(e) => return Err(e),
            };
            for row in rows {
                let Ok(v) = serde_json::from_str::<Value>(&row.json) else {
                    continue;
                };
                let ext = extension(&v).cloned().unwrap_or(Value::Null);
                let labels: Vec<String> = v
                    .get("labels")
                    .and_then(|l| serde_json::from_value(l.clone()).ok())
                    .unwrap_or_default();
                let summary = IncidentSummary {
                    id: row.id.clone(),
                    name: text(&v, "name"),
                    status: text(&ext, "investigation_status"),
                    determination: text(&ext, "determination"),
                    category: rsit::of_labels(&labels).map(|c| format!("{}/{}", c.class, c.kind)),
                    owner: row.origin.clone().unwrap_or_else(|| own.clone()),
                    collection: c.alias.clone().unwrap_or_else(|| c.id.clone()),
                    modified: row.version.clone(),
                };
                match out.iter_mut().find(|s| s.id == summary.id) {
                    Some(s) if s.modified < summary.modified => *s = summary,
                    Some(_) => {}
                    None => out.push(summary),
                }
            }
        }
        out.sort_by(|a, b| b.modified.cmp(&a.modified));
        Ok(out)
    }

    /// Every version `caller` receives of `id` in `collection` (with text), oldest first.
    pub(crate) fn versions_of(
        &self,
        caller: &Caller,
        collection: &store::Collection,
        id: &str,
    ) -> Result<Vec<store::Row>> {
        let want = Want {
            versions: vec![VersionSel::All],
            with_body: true,
            ..Want::default()
        };
        let mut rows = self.read(caller, "versions", collection, Some(id), &want, |p| {
            p.rows.clone()
        })?;
        rows.sort_by_key(|r| r.version_at);
        Ok(rows)
    }
}
