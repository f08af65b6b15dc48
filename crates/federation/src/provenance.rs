//! Provenance of objects that cross between nodes: sealed pages.
//!
//! Signing each object separately would cost an Ed25519 signature and verification per
//! object (tens of microseconds each: the 1M-object sync target leaves about ten). Instead
//! the sender builds an RFC 9162 Merkle tree whose leaves are the objects of one page, each
//! hashed over its RFC 8785 canonical form ([`leaf`]), and signs the root once ([`Seal`]).
//! The signature still covers every object's canonical form: whoever holds the seal, the
//! page's leaf hashes and one object can check that object alone ([`Seal::proves`]), which
//! is what lets a forward to a third party keep the originator's signature.

use crate::{FederationError, Result, invalid};
use audit::merkle::{self, Hash, Nodes};
use base64::Engine;
use ed25519_dalek::{Signer, SigningKey, Verifier, VerifyingKey};
use serde::{Deserialize, Serialize};

/// Header that carries a page's seal (base64 of its JSON).
pub const SEAL_HEADER: &str = "x-symbolon-seal";

/// The leaf hash of one object: RFC 9162 leaf hash of its RFC 8785 canonical form, so
/// that key order and insignificant whitespace on the way do not matter.
pub fn leaf(object_json: &str) -> Result<Hash> {
    let mut canonical = Vec::with_capacity(object_json.len() + 16);
    crate::canonical::text(object_json, &mut canonical)?;
    Ok(merkle::leaf_hash(&canonical))
}

/// A page's leaves held in memory as a Merkle tree source.
struct Leaves<'a>(&'a [Hash]);

impl Nodes for Leaves<'_> {
    type Error = std::convert::Infallible;
    fn perfect(&self, level: u32, index: u64) -> std::result::Result<Hash, Self::Error> {
        if level == 0 {
            return Ok(self.0[index as usize]);
        }
        let left = self.perfect(level - 1, index * 2)?;
        let right = self.perfect(level - 1, index * 2 + 1)?;
        Ok(merkle::node_hash(&left, &right))
    }
}

/// The Merkle root of `leaves` (RFC 9162 MTH).
pub fn root(leaves: &[Hash]) -> Hash {
    match merkle::root(&Leaves(leaves), leaves.len() as u64) {
        Ok(h) => h,
        Err(never) => match never {},
    }
}

/// The audit path of leaf `index` under [`root`] of `leaves`.
pub fn inclusion(leaves: &[Hash], index: usize) -> Vec<Hash> {
    match merkle::inclusion_proof(&Leaves(leaves), index as u64, leaves.len() as u64) {
        Ok(p) => p,
        Err(never) => match never {},
    }
}

/// Seals a page of objects (their JSON texts, each with the authority it was obtained from,
/// `None`: the sender's own) as `me`: the one way a node seals what it sends, a page of a
/// TAXII read or a push.
pub fn seal_page<'a>(
    me: &crate::request::Identity,
    objects: impl IntoIterator<Item = (&'a str, Option<&'a str>)>,
    sealed_at: &str,
    last_date_added: Option<String>,
) -> Result<Seal> {
    let (mut leaves, mut origins) = (Vec::new(), Vec::new());
    for (json, origin) in objects {
        leaves.push(leaf(json)?);
        origins.push(origin);
    }
    Ok(Seal::sign(
        &me.authority,
        &me.key,
        &leaves,
        sealed_at,
        last_date_added,
        origin_runs(origins),
    ))
}

/// What a seal's signature covers.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct SealBody {
    /// Always `symbolon-seal/1`.
    pub kind: String,
    /// The competent authority that vouches for the page's objects.
    pub signer: String,
    /// How many objects the page holds.
    pub size: u64,
    /// Hex Merkle root over the objects' leaf hashes, in page order.
    pub root: String,
    /// When the page was sealed (RFC 3339).
    pub sealed_at: String,
    /// The sender's `date_added` of the page's last object: the position the receiver
    /// resumes from, so that it too is the signer's word and not an unsigned header.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_date_added: Option<String>,
    /// Runs of the page's objects that the signer obtained from another competent
    /// authority, with that authority (Art. 6.2 follows the originator across hops); the
    /// objects in no run are the signer's own.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub origins: Vec<OriginRun>,
}

/// Objects `from..to` of a page were obtained from `origin`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct OriginRun {
    pub from: u64,
    pub to: u64,
    pub origin: String,
}

/// The runs of equal origin among a page's objects (`None`: the sender's own).
pub fn origin_runs<'a>(origins: impl IntoIterator<Item = Option<&'a str>>) -> Vec<OriginRun> {
    let mut runs: Vec<OriginRun> = Vec::new();
    for (i, o) in origins.into_iter().enumerate() {
        let i = i as u64;
        let Some(o) = o else { continue };
        match runs.last_mut() {
            Some(r) if r.to == i && r.origin == o => r.to = i + 1,
            _ => runs.push(OriginRun {
                from: i,
                to: i + 1,
                origin: o.to_owned(),
            }),
        }
    }
    runs
}

/// A page's seal: its body and the signer's Ed25519 signature over the body's RFC 8785 form.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Seal {
    pub body: SealBody,
    pub signature: String,
}

const KIND: &str = "symbolon-seal/1";

fn canonical(body: &SealBody) -> Vec<u8> {
    // A struct of strings and an integer always has an RFC 8785 form.
    serde_jcs::to_vec(body).unwrap_or_default()
}

impl Seal {
    /// Seals the page whose objects have these leaves (and, for a page read from a
    /// collection, the `date_added` of its last object).
    pub fn sign(
        signer: &str,
        key: &SigningKey,
        leaves: &[Hash],
        sealed_at: &str,
        last_date_added: Option<String>,
        origins: Vec<OriginRun>,
    ) -> Seal {
        let body = SealBody {
            kind: KIND.into(),
            signer: signer.into(),
            size: leaves.len() as u64,
            root: hex::encode(root(leaves)),
            sealed_at: sealed_at.into(),
            last_date_added,
            origins,
        };
        let signature = hex::encode(key.sign(&canonical(&body)).to_bytes());
        Seal { body, signature }
    }

    /// The authority object `index` was obtained from, as the signer says; `None`: the
    /// signer's own.
    pub fn origin_of(&self, index: u64) -> Option<&str> {
        self.body
            .origins
            .iter()
            .find(|r| r.from <= index && index < r.to)
            .map(|r| r.origin.as_str())
    }

    /// Where the receiver `me` records object `index` as obtained from: the originator the
    /// signer names (nobody when that is `me` itself: its own information came back), else
    /// `sender_default` (the signer, when it is a competent authority).
    pub fn origin_for<'a>(
        &'a self,
        index: u64,
        me: Option<&str>,
        sender_default: Option<&'a str>,
    ) -> Option<&'a str> {
        match self.origin_of(index) {
            Some(o) if Some(o) == me => None,
            Some(o) => Some(o),
            None => sender_default,
        }
    }

    /// Is this the signer's seal over exactly these leaves, in this order?
    pub fn check(&self, key: &VerifyingKey, leaves: &[Hash]) -> std::result::Result<(), SealError> {
        self.check_signature(key)?;
        if self.body.size != leaves.len() as u64 {
            return Err(SealError::Count {
                sealed: self.body.size,
                held: leaves.len() as u64,
            });
        }
        if self.body.root != hex::encode(root(leaves)) {
            return Err(SealError::NotTheObjects);
        }
        Ok(())
    }

    /// Is the signature the signer's over this body?
    pub fn check_signature(&self, key: &VerifyingKey) -> std::result::Result<(), SealError> {
        if self.body.kind != KIND {
            return Err(SealError::UnknownKind {
                kind: self.body.kind.clone(),
            });
        }
        let sig = crate::signature(&self.signature).map_err(|_| SealError::SignatureUnreadable)?;
        key.verify(&canonical(&self.body), &sig)
            .map_err(|_| SealError::NotSignedBy {
                signer: self.body.signer.clone(),
            })
    }

    /// Does `proof` show that the object with leaf hash `leaf` is object `index` under this
    /// seal? (The signature is checked separately, once.)
    pub fn proves(&self, index: u64, leaf: &Hash, proof: &[Hash]) -> bool {
        let Ok(root) = hex::decode(&self.body.root) else {
            return false;
        };
        let Ok(root) = <Hash>::try_from(root) else {
            return false;
        };
        merkle::verify_inclusion(index, self.body.size, leaf, proof, &root)
    }

    /// The header value.
    pub fn to_header(&self) -> String {
        base64::engine::general_purpose::STANDARD
            .encode(serde_json::to_vec(self).unwrap_or_default())
    }

    /// Reads a header value.
    pub fn from_header(value: &str) -> std::result::Result<Seal, SealError> {
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(value.trim())
            .map_err(|_| SealError::NotBase64)?;
        serde_json::from_slice(&bytes).map_err(|e| SealError::NotASeal {
            detail: e.to_string(),
        })
    }
}

/// Why a seal does not vouch for a page, as data: the node's logs and peers read the
/// English (`Display`), the workspace says it in the operator's language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum SealError {
    #[error("{SEAL_HEADER} is not base64")]
    NotBase64,
    /// `detail`: the JSON parser's own words.
    #[error("{SEAL_HEADER} is not a seal: {detail}")]
    NotASeal { detail: String },
    #[error("unknown seal kind `{kind}`")]
    UnknownKind { kind: String },
    #[error("the seal's signature is not 128 hex digits")]
    SignatureUnreadable,
    #[error("the seal is not signed by `{signer}`")]
    NotSignedBy { signer: String },
    #[error("the seal covers {sealed} objects, the page holds {held}")]
    Count { sealed: u64, held: u64 },
    #[error("the page's objects are not the ones the seal was signed over")]
    NotTheObjects,
}

impl From<SealError> for FederationError {
    fn from(e: SealError) -> Self {
        FederationError::Invalid(e.to_string())
    }
}

/// One object with the proof that its originator sealed it: what a holder hands on with a
/// forwarded object, so the recipient can check the originator's signature itself.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Proof {
    /// The object as stored (and sealed).
    pub object: Box<serde_json::value::RawValue>,
    /// The seal of the page the object arrived in.
    pub seal: Seal,
    /// The object's leaf index under the seal and its audit path (hex).
    pub index: u64,
    pub audit_path: Vec<String>,
    /// The signer's key as the holder knows it (hex); a recipient that knows the signer's
    /// key itself should check against that one.
    pub signer_key: String,
}

impl Proof {
    /// Checks the seal's signature with `key` and the object's place under the seal.
    pub fn check(&self, key: &VerifyingKey) -> Result<()> {
        self.seal.check_signature(key)?;
        let leaf = leaf(self.object.get())?;
        let path = self
            .audit_path
            .iter()
            .map(|h| {
                hex::decode(h)
                    .ok()
                    .and_then(|b| <Hash>::try_from(b).ok())
                    .ok_or_else(|| {
                        FederationError::Invalid(
                            "the audit path holds a hash that is not 64 hex digits".into(),
                        )
                    })
            })
            .collect::<Result<Vec<Hash>>>()?;
        if self.seal.proves(self.index, &leaf, &path) {
            Ok(())
        } else {
            invalid("the object is not the one the seal covers at that place")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: &str = r#"{"type":"ipv4-addr","id":"ipv4-addr--ff26c055-6336-5bc5-b98d-13d6226742dd","value":"198.51.100.3"}"#;
    const A_REORDERED: &str = r#"{ "value": "198.51.100.3", "id": "ipv4-addr--ff26c055-6336-5bc5-b98d-13d6226742dd", "type": "ipv4-addr" }"#;
    const B: &str = r#"{"type":"ipv4-addr","id":"ipv4-addr--ff26c055-6336-5bc5-b98d-13d6226742dd","value":"198.51.100.4"}"#;

    fn key() -> SigningKey {
        SigningKey::from_bytes(&[9; 32])
    }

    #[test]
    fn the_leaf_is_the_same_for_any_serialisation_of_the_same_object() {
        assert_eq!(leaf(A).unwrap(), leaf(A_REORDERED).unwrap());
        assert_ne!(leaf(A).unwrap(), leaf(B).unwrap());
        assert!(leaf("{").is_err());
    }

    #[test]
    fn a_seal_verifies_over_its_page_and_fails_over_a_changed_one() {
        let leaves: Vec<Hash> = [A, B].iter().map(|o| leaf(o).unwrap()).collect();
        let seal = Seal::sign(
            "ir-csirt",
            &key(),
            &leaves,
            "2026-11-29T00:00:00Z",
            None,
            Vec::new(),
        );
        let vk = key().verifying_key();
        assert!(seal.check(&vk, &leaves).is_ok());
        let swapped = [leaves[1], leaves[0]];
        assert!(seal.check(&vk, &swapped).is_err());
        assert!(seal.check(&vk, &leaves[..1]).is_err());
        let other = SigningKey::from_bytes(&[8; 32]).verifying_key();
        assert!(seal.check(&other, &leaves).is_err());
        let mut forged = seal.clone();
        forged.body.signer = "ru-csirt".into();
        assert!(forged.check(&vk, &leaves).is_err());
    }

    #[test]
    fn one_object_is_proved_under_the_seal_by_its_audit_path() {
        let leaves: Vec<Hash> = (0..37)
            .map(|i| merkle::leaf_hash(format!("object {i}").as_bytes()))
            .collect();
        let seal = Seal::sign("ir-csirt", &key(), &leaves, "t", None, Vec::new());
        for i in [0usize, 1, 17, 36] {
            let proof = inclusion(&leaves, i);
            assert!(seal.proves(i as u64, &leaves[i], &proof), "leaf {i}");
            assert!(!seal.proves(i as u64, &leaves[(i + 1) % 37], &proof));
        }
    }

    #[test]
    fn a_proof_checks_one_object_alone_and_fails_for_a_changed_one() {
        let leaves: Vec<Hash> = [A, B].iter().map(|o| leaf(o).unwrap()).collect();
        let seal = Seal::sign("ir-csirt", &key(), &leaves, "t", None, Vec::new());
        let proof = |object: &str| Proof {
            object: serde_json::value::RawValue::from_string(object.into()).unwrap(),
            seal: seal.clone(),
            index: 1,
            audit_path: inclusion(&leaves, 1).iter().map(hex::encode).collect(),
            signer_key: hex::encode(key().verifying_key().as_bytes()),
        };
        let vk = key().verifying_key();
        assert!(proof(B).check(&vk).is_ok());
        assert!(proof(A).check(&vk).is_err());
        let other = SigningKey::from_bytes(&[1; 32]).verifying_key();
        assert!(proof(B).check(&other).is_err());
    }

    #[test]
    fn origins_are_kept_as_runs_and_signed_with_the_page() {
        let runs = origin_runs([None, Some("ru"), Some("ru"), None, Some("kz"), Some("ru")]);
        let leaves = vec![leaf(A).unwrap(); 6];
        let seal = Seal::sign("ir-csirt", &key(), &leaves, "t", None, runs);
        let got: Vec<_> = (0..6).map(|i| seal.origin_of(i)).collect();
        assert_eq!(
            got,
            [None, Some("ru"), Some("ru"), None, Some("kz"), Some("ru")]
        );
        assert!(seal.check(&key().verifying_key(), &leaves).is_ok());
        let mut bent = seal.clone();
        bent.body.origins[0].origin = "ir".into();
        assert!(bent.check(&key().verifying_key(), &leaves).is_err());
    }

    #[test]
    fn a_seal_survives_its_header_form() {
        let leaves = vec![leaf(A).unwrap()];
        let seal = Seal::sign("ir-csirt", &key(), &leaves, "t", None, Vec::new());
        assert_eq!(Seal::from_header(&seal.to_header()).unwrap(), seal);
        assert!(Seal::from_header("!!").is_err());
    }
}
