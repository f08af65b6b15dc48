//! The originator's seal over one object this node holds, with the object's audit path
//! under it (`federation::provenance::Proof`): a recipient of a forwarded object checks the
//! originator's signature itself. The object is read through the one reader like any read:
//! what the caller may not receive whole has no proof to give.

use crate::read::Want;
use crate::{Caller, Core, CoreError, Result};
use federation::provenance::Proof;
use policy::{Article, Denial};
use store::{Collection, Row, VersionSel};

impl Core {
    /// The proof for one version (`version`: its `modified`; the latest the caller may
    /// receive when `None`) of `object` in `collection`, decided for `caller` and recorded
    /// as a read (`endpoint` names the door: `provenance`).
    pub fn proof(
        &self,
        caller: &Caller,
        collection: &Collection,
        object: &str,
        version: Option<&str>,
    ) -> Result<Proof> {
        let sel = match version {
            Some(v) => VersionSel::At(
                stix::timestamp::parse(v, false)
                    .map_err(|e| CoreError::Invalid(format!("version: {e}")))?,
            ),
            None => VersionSel::Last,
        };
        let want = Want {
            versions: vec![sel],
            limit: Some(1),
            with_body: true,
            ..Want::default()
        };
        let unknown =
            || CoreError::NotFound(format!("no object `{object}` with a provenance here"));
        let found: Option<Row> = self.read(
            caller,
            "provenance",
            collection,
            Some(object),
            &want,
            |page| page.rows.first().cloned(),
        )?;
        let row = found.ok_or_else(unknown)?;
        // A redacted copy is not what the originator sealed.
        let whole = self
            .store()
            .object_text(collection.key, row.date_added)?
            .is_some_and(|t| t == row.json);
        if !whole {
            return Err(CoreError::Refused(Denial::new(
                Article::Art6_1,
                "you receive this object redacted; the originator's seal covers it whole",
            )));
        }
        let (page, index) = self
            .store()
            .provenance(collection.key, row.date_added)?
            .ok_or_else(unknown)?;
        let keys = self.signer_keys(&page.seal.body.signer)?;
        let mut proof = Proof {
            object: serde_json::value::RawValue::from_string(row.json)
                .map_err(|e| CoreError::Failed(format!("a stored object is not JSON: {e}")))?,
            index: u64::from(index),
            audit_path: federation::provenance::inclusion(&page.leaves, index as usize)
                .iter()
                .map(hex::encode)
                .collect(),
            seal: page.seal,
            signer_key: String::new(),
        };
        // The signer's key the seal was made with: its current one, or one it held before
        // a key rotation (the current one when none checks: the proof then fails for all).
        let made_with = keys
            .iter()
            .find(|k| {
                ed25519_dalek::VerifyingKey::from_bytes(k)
                    .is_ok_and(|key| proof.check(&key).is_ok())
            })
            .or(keys.first());
        proof.signer_key = made_with.map(hex::encode).unwrap_or_default();
        Ok(proof)
    }
}
