//! Objects this node writes itself (sightings, incidents, tasks, notes): who authors them
//! (this authority as a STIX `identity`), how they are marked, where an object to respond
//! to is found, and how they are stored — through the one ingest path, as the user who
//! writes them, like any other write.

use crate::mistake::Mistake;
use crate::{Caller, Core, CoreError, Result, Want};
use store::{Collection, Row, VersionSel};

/// The TLP 2.0 marking definitions (STIX 2.1 / FIRST TLP 2.0, OASIS ids).
pub const TLP_CLEAR: &str = "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487";
pub const TLP_GREEN: &str = "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb";
pub const TLP_AMBER: &str = "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421";
pub const TLP_AMBER_STRICT: &str = "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003";
pub const TLP_RED: &str = "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1";

/// A marking as an operator names it: `clear`, `green`, `amber`, `amber+strict`, `red`
/// (TLP 2.0), or a marking definition's id.
pub fn marking(name: &str) -> Result<String> {
    Ok(match name.to_ascii_lowercase().as_str() {
        "clear" | "tlp:clear" | "white" => TLP_CLEAR.into(),
        "green" | "tlp:green" => TLP_GREEN.into(),
        "amber" | "tlp:amber" => TLP_AMBER.into(),
        "amber+strict" | "tlp:amber+strict" => TLP_AMBER_STRICT.into(),
        "red" | "tlp:red" => TLP_RED.into(),
        _ if stix::id::parse_typed(name, "marking-definition").is_ok() => name.to_owned(),
        _ => {
            return Err(Mistake::Marking {
                name: name.to_owned(),
            }
            .into());
        }
    })
}

/// A STIX timestamp for "now" that is later than `after` (a new version's `modified` must
/// be later than the one it replaces, STIX 2.1 §3.6, whatever the clock says).
pub fn now_after(after: Option<&str>) -> String {
    let now = store::now_micros();
    let floor = after
        .and_then(|a| stix::timestamp::parse(a, false).ok())
        .map_or(i64::MIN, |t| t + 1000);
    stix::timestamp::format(now.max(floor))
}

/// A new object id of `ty`.
pub fn new_id(ty: &str) -> String {
    format!("{ty}--{}", uuid::Uuid::new_v4())
}

/// The newest version of an object a caller receives, and where.
#[derive(Debug, Clone)]
pub struct Located {
    pub collection: Collection,
    pub row: Row,
}

impl Located {
    /// The object's JSON.
    pub fn json(&self) -> Result<serde_json::Value> {
        serde_json::from_str(&self.row.json).map_err(|e| {
            CoreError::Failed(format!("stored object {} is not JSON: {e}", self.row.id))
        })
    }
}

impl Core {
    /// The name this node authors under: its competent authority (or the name set with
    /// `symbolon peer whoami --set`); a node with neither is named by its key.
    pub fn author_name(&self) -> Result<String> {
        match self.identity() {
            Ok(i) => Ok(i.authority),
            Err(CoreError::Invalid(_)) => Ok(format!(
                "node-{}",
                &hex::encode(self.key().verifying_key().as_bytes())[..12]
            )),
            Err(e) => Err(e),
        }
    }

    /// This node's authority as a STIX `identity`: its id is derived from the authority's
    /// name, so every node names the same authority by the same identity; its text is
    /// fixed, so writing it again is an idempotent re-post.
    pub fn own_identity(&self) -> Result<(String, String)> {
        let authority = self.author_name()?;
        let id = format!(
            "identity--{}",
            uuid::Uuid::new_v5(
                &uuid::Uuid::NAMESPACE_URL,
                format!("symbolon:authority:{authority}").as_bytes()
            )
        );
        let json = serde_json::json!({
            "type": "identity",
            "spec_version": "2.1",
            "id": id,
            "created": "2020-01-01T00:00:00.000Z",
            "modified": "2020-01-01T00:00:00.000Z",
            "name": authority,
            "identity_class": "organization",
            "description": format!("Competent authority `{authority}` (its Symbolon node)"),
        });
        Ok((id, json.to_string()))
    }

    /// Where `caller` receives object `id`: the newest receivable version in each collection
    /// it may read that holds one (each read recorded like any other). None: no such object
    /// for this caller, exactly as for one that does not exist.
    pub fn locate(&self, caller: &Caller, id: &str) -> Result<Vec<Located>> {
        stix::id::parse(id).map_err(|e| CoreError::Invalid(format!("`{id}`: {e}")))?;
        let policy = self.policy()?;
        let mut found = Vec::new();
        for c in self.store().collections()? {
            if !policy.rights(caller.principal, c.key).can_read {
                continue;
            }
            let want = Want {
                versions: vec![VersionSel::Last],
                limit: Some(1),
                with_body: true,
                ..Want::default()
            };
            let row = self.read(caller, "object", &c, Some(id), &want, |page| {
                page.rows.first().cloned()
            });
            match row {
                Ok(Some(row)) => found.push(Located { collection: c, row }),
                Ok(None) | Err(CoreError::Refused(_)) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(found)
    }

    /// The one place `caller` receives `id` from, preferring `collection` when given and a
    /// collection where it is this node's own.
    pub fn locate_one(
        &self,
        caller: &Caller,
        id: &str,
        collection: Option<&str>,
    ) -> Result<Located> {
        let mut all = self.locate(caller, id)?;
        if let Some(c) = collection {
            all.retain(|l| l.collection.id == c || l.collection.alias.as_deref() == Some(c));
        }
        all.sort_by_key(|l| l.row.origin.is_some());
        all.into_iter()
            .next()
            .ok_or_else(|| CoreError::NotFound(format!("no object `{id}` this user may receive")))
    }

    /// Stores objects authored here, written by `caller` into `collection` through the one
    /// ingest path: all stored (or already present), or an error naming the object refused
    /// and why (nothing of the others is undone: each is a whole object of its own).
    pub fn author(
        &self,
        caller: &Caller,
        collection: &Collection,
        objects: &[String],
    ) -> Result<()> {
        let raws = objects
            .iter()
            .map(|o| {
                serde_json::value::RawValue::from_string(o.clone())
                    .map_err(|e| CoreError::Failed(format!("an authored object is not JSON: {e}")))
            })
            .collect::<Result<Vec<_>>>()?;
        // Each is checked before any is stored: what one call authors goes in together or
        // not at all (a relationship never outlives the object it links).
        for raw in &raws {
            stix::validate(raw).map_err(|r| {
                CoreError::Invalid(format!("an authored object is not valid STIX: {r}"))
            })?;
        }
        let refs: Vec<&serde_json::value::RawValue> = raws.iter().map(|r| r.as_ref()).collect();
        for v in self.ingest(caller, "author", collection, &refs, None)? {
            if let Some(r) = v.refusal() {
                return Err(CoreError::Invalid(format!(
                    "`{}` was not stored: {}",
                    r.id,
                    r.reason()
                )));
            }
        }
        Ok(())
    }
}
