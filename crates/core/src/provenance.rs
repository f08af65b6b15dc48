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
        Ok(self.checked_proof(caller, collection, object, version)?.0)
    }

    /// [`Core::proof`] with how its seal checked ([`Core::check_seal`]), which the proof's
    /// `signer_key` was taken from.
    pub(crate) fn checked_proof(
        &self,
        caller: &Caller,
        collection: &Collection,
        object: &str,
        version: Option<&str>,
    ) -> Result<(Proof, SealCheck)> {
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
                policy::Reason::SealCoversWhole,
            )));
        }
        let (page, index) = self
            .store()
            .provenance(collection.key, row.date_added)?
            .ok_or_else(unknown)?;
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
        let checked = self.check_seal(&proof)?;
        proof.signer_key = checked.key.map(hex::encode).unwrap_or_default();
        Ok((proof, checked))
    }

    /// How `proof` checks against its signer's keys as this node knows them: the key it
    /// verifies with — the signer's current one, or one it held before a key rotation —
    /// else the current key and why the proof fails with it.
    pub fn check_seal(&self, proof: &Proof) -> Result<SealCheck> {
        let signer = &proof.seal.body.signer;
        let keys = self.signer_keys(signer)?;
        let check = |k: &[u8; 32]| {
            let key = ed25519_dalek::VerifyingKey::from_bytes(k)
                .map_err(|e| SealFault::BadKey(e.to_string()))?;
            // The signature is checked again only when the whole check fails, to say which
            // part did.
            proof.check(&key).map_err(|e| {
                if proof.seal.check_signature(&key).is_err() {
                    SealFault::NotSigned {
                        signer: signer.clone(),
                    }
                } else {
                    SealFault::NotCovered(e.to_string())
                }
            })
        };
        if let Some((i, k)) = keys.iter().enumerate().find(|(_, k)| check(k).is_ok()) {
            return Ok(SealCheck {
                key: Some(*k),
                retired: i > 0,
                verified: Ok(()),
            });
        }
        Ok(match keys.first() {
            Some(k) => SealCheck {
                key: Some(*k),
                retired: false,
                verified: check(k),
            },
            None => SealCheck {
                key: None,
                retired: false,
                verified: Err(SealFault::NoKey {
                    signer: signer.clone(),
                }),
            },
        })
    }
}

/// A seal checked against its signer's keys ([`Core::check_seal`]).
pub struct SealCheck {
    /// The key the seal verifies with, else the signer's current key; `None` when this
    /// node knows no key for the signer.
    pub key: Option<[u8; 32]>,
    /// `key` is one a key rotation retired.
    pub retired: bool,
    /// Whether the seal and the object's audit path verify with `key`, and why not.
    pub verified: std::result::Result<(), SealFault>,
}

/// Why a seal does not prove an object's origin, as data (a front door says it in its
/// user's language); `Display` is English, and so is its JSON (a string).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SealFault {
    /// This node knows no key for the signer.
    NoKey { signer: String },
    /// The signer's key as known here is not an Ed25519 key.
    BadKey(String),
    /// The seal is not signed with the signer's key.
    NotSigned { signer: String },
    /// The signature holds, but the proof does not show this object at its place under
    /// the seal (the verifier's words).
    NotCovered(String),
    /// The user receives the object redacted; the seal covers it whole.
    Redacted,
    /// The proof could not be put together (the node's words).
    Unchecked(String),
}

impl std::fmt::Display for SealFault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SealFault::NoKey { signer } => write!(f, "no key is known for `{signer}`"),
            SealFault::BadKey(why) => write!(f, "the signer's key is not usable: {why}"),
            SealFault::NotSigned { signer } => write!(f, "the seal is not signed by `{signer}`"),
            SealFault::NotCovered(why) => write!(f, "{why}"),
            SealFault::Redacted => f.write_str(
                "you receive this object redacted; the originator's seal covers it whole",
            ),
            SealFault::Unchecked(why) => write!(f, "the seal could not be checked: {why}"),
        }
    }
}

impl serde::Serialize for SealFault {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}
