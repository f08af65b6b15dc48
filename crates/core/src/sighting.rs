//! Sightings and false-positive reports this node records about an object — typically
//! another authority's indicator. Each is a STIX object of this authority's own, stored
//! beside what it is about, so that at the next sync it travels back to the originator
//! (a reply push) and shows there as "sighted by …".

use crate::authoring::{Located, new_id, now_after};
use crate::mistake::Mistake;
use crate::{Caller, Core, Result};

/// What to record.
#[derive(Debug, Clone, Default)]
pub struct Sighted {
    /// The object sighted (an indicator, malware, an SCO's observed data, …).
    pub of: String,
    /// Times seen (1 by default; STIX allows 0-999,999,999).
    pub count: Option<u64>,
    /// When it was seen (last); now by default.
    pub seen_at: Option<String>,
    /// Record a false positive (an `opinion` that strongly disagrees) instead.
    pub false_positive: bool,
    /// Free text: where, how.
    pub note: Option<String>,
    /// Markings of the record; by default the sighted object's own.
    pub markings: Option<Vec<String>>,
    /// The collection to write into; by default where the object was found.
    pub collection: Option<String>,
}

impl Core {
    /// Records a sighting (or a false-positive report) of `s.of` by this authority, written
    /// by `caller`; returns the new object's id.
    pub fn record_sighting(&self, caller: &Caller, s: &Sighted) -> Result<String> {
        let found: Located = self.locate_one(caller, &s.of, s.collection.as_deref())?;
        let (identity, identity_json) = self.own_identity()?;
        let markings = match &s.markings {
            Some(m) => m.clone(),
            None => found.row.marking_refs.clone(),
        };
        let now = now_after(None);
        let seen = match &s.seen_at {
            Some(t) => {
                let at = stix::timestamp::parse(t, false).map_err(|e| Mistake::SeenAt {
                    text: t.clone(),
                    detail: e.to_string(),
                })?;
                stix::timestamp::format(at)
            }
            None => now.clone(),
        };
        if s.count.is_some_and(|c| c > 999_999_999) {
            return Err(Mistake::SightingCount.into());
        }
        let mut obj = if s.false_positive {
            serde_json::json!({
                "type": "opinion",
                "spec_version": "2.1",
                "id": new_id("opinion"),
                "created": now,
                "modified": now,
                "created_by_ref": identity,
                "opinion": "strongly-disagree",
                "explanation": s.note.clone().unwrap_or_else(|| "False positive".into()),
                "authors": [self.author_name()?],
                "object_refs": [s.of],
            })
        } else {
            let mut o = serde_json::json!({
                "type": "sighting",
                "spec_version": "2.1",
                "id": new_id("sighting"),
                "created": now,
                "modified": now,
                "created_by_ref": identity,
                "sighting_of_ref": s.of,
                "count": s.count.unwrap_or(1),
                "first_seen": seen,
                "last_seen": seen,
                "where_sighted_refs": [identity],
            });
            if let Some(n) = &s.note {
                o["description"] = n.clone().into();
            }
            o
        };
        if !markings.is_empty() {
            obj["object_marking_refs"] = markings.into();
        }
        let id = obj["id"].as_str().unwrap_or_default().to_owned();
        self.author(caller, &found.collection, &[identity_json, obj.to_string()])?;
        Ok(id)
    }
}
