//! Mutual witness of audit logs: each node keeps the last signed tree head it saw of each
//! peer's log and, at every sync, checks the peer's new head against it with an RFC 9162
//! consistency proof. A log that shrank, changed under the same size, or whose new tree
//! does not extend the old one has been rewritten or forked: sync with that peer stops.
//!
//! Heads travel as [`Head`] (the JSON `audit::report::head` prints: `size`, `timestamp`,
//! `root`, `signature`) and are read, once and checked, into `audit::SignedTreeHead`, the
//! form a node keeps; proofs travel as [`Consistency`].

use crate::{FederationError, Result};
use audit::SignedTreeHead;
use audit::merkle::{self, Hash};
use ed25519_dalek::VerifyingKey;
use serde::{Deserialize, Serialize};

/// A signed tree head as it travels (hex fields, RFC 3339 timestamp). An empty log (size 0)
/// has nothing to sign and carries nothing but its size.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Head {
    pub size: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub root: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature: Option<String>,
}

/// A consistency proof as it travels.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Consistency {
    pub from: u64,
    pub to: u64,
    pub consistency_proof: Vec<String>,
}

fn hash(hex_text: &str, what: &str) -> Result<Hash> {
    hex::decode(hex_text)
        .ok()
        .and_then(|b| b.try_into().ok())
        .ok_or_else(|| FederationError::Invalid(format!("{what} is not a SHA-256 hash in hex")))
}

impl Head {
    /// A node's head as it travels (`None`: its log is still empty).
    pub fn of(h: Option<&SignedTreeHead>) -> Head {
        match h {
            Some(h) => Head {
                size: h.size,
                timestamp: Some(stix::timestamp::format(h.timestamp)),
                root: Some(hex::encode(h.root)),
                signature: Some(hex::encode(h.signature)),
            },
            None => Head {
                size: 0,
                timestamp: None,
                root: None,
                signature: None,
            },
        }
    }

    /// Reads the head and checks it is signed by `key`: `None` for an empty log, else the
    /// head as a node keeps it.
    pub fn read(
        &self,
        key: &VerifyingKey,
    ) -> std::result::Result<Option<SignedTreeHead>, HeadError> {
        if self.size == 0 {
            if self.root.is_some() || self.signature.is_some() {
                return Err(HeadError::EmptyCarries);
            }
            return Ok(None);
        }
        let (Some(ts), Some(root), Some(sig)) = (&self.timestamp, &self.root, &self.signature)
        else {
            return Err(HeadError::Incomplete);
        };
        let timestamp = stix::timestamp::parse(ts, false).map_err(|e| HeadError::Timestamp {
            detail: e.to_string(),
        })?;
        let signature: [u8; 64] = hex::decode(sig)
            .ok()
            .and_then(|b| b.try_into().ok())
            .ok_or(HeadError::SignatureUnreadable)?;
        let sth = SignedTreeHead {
            size: self.size,
            timestamp,
            root: hash(root, "the head's root").map_err(|_| HeadError::RootUnreadable)?,
            signature,
        };
        if !sth.verify(key) {
            return Err(HeadError::NotSigned);
        }
        Ok(Some(sth))
    }
}

impl Consistency {
    /// The proof that the tree of `from` entries is a prefix of the tree of `to`.
    pub fn of(from: u64, to: u64, proof: &[Hash]) -> Consistency {
        Consistency {
            from,
            to,
            consistency_proof: proof.iter().map(hex::encode).collect(),
        }
    }
}

/// Why a peer's log cannot be trusted any more (kept with the halted peer as JSON).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum Breach {
    #[error("the peer's audit log shrank from {was} to {now} entries (rewritten)")]
    Shrank { was: u64, now: u64 },
    #[error("the peer's audit log has another root at the same size {size} (forked)")]
    Forked { size: u64 },
    #[error(
        "the peer's audit log of {now} entries does not extend the {was} entries seen before (rewritten or forked)"
    )]
    NotAnExtension { was: u64, now: u64 },
    #[error("the peer's tree head is not valid: {0}")]
    BadHead(HeadError),
}

/// Why a signed tree head as it travelled does not read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum HeadError {
    #[error("an empty log's head carries no root or signature")]
    EmptyCarries,
    #[error("a non-empty head must carry its timestamp, root and signature")]
    Incomplete,
    /// `detail`: why the timestamp does not read.
    #[error("the head's timestamp: {detail}")]
    Timestamp { detail: String },
    #[error("the head's signature is not 128 hex digits")]
    SignatureUnreadable,
    #[error("the head's root is not a SHA-256 hash in hex")]
    RootUnreadable,
    #[error("the tree head is not signed by the peer's key")]
    NotSigned,
    #[error("a consistency proof hash is not a SHA-256 hash in hex")]
    ProofHash,
}

/// Checks that `new` (already read and signature-checked, `None`: an empty log) extends
/// `seen`, the last head witnessed, with `proof` (needed when both are non-empty and the
/// size grew).
pub fn extends(
    seen: Option<&SignedTreeHead>,
    new: Option<&SignedTreeHead>,
    proof: Option<&Consistency>,
) -> std::result::Result<(), Breach> {
    let Some(seen) = seen else {
        return Ok(());
    };
    let Some(new) = new else {
        return Err(Breach::Shrank {
            was: seen.size,
            now: 0,
        });
    };
    if new.size < seen.size {
        return Err(Breach::Shrank {
            was: seen.size,
            now: new.size,
        });
    }
    if new.size == seen.size {
        return if new.root == seen.root {
            Ok(())
        } else {
            Err(Breach::Forked { size: new.size })
        };
    }
    let breach = || Breach::NotAnExtension {
        was: seen.size,
        now: new.size,
    };
    let proof = proof.ok_or_else(breach)?;
    if proof.from != seen.size || proof.to != new.size {
        return Err(breach());
    }
    let path: Vec<Hash> = proof
        .consistency_proof
        .iter()
        .map(|h| hash(h, "a consistency proof hash"))
        .collect::<Result<_>>()
        .map_err(|_| Breach::BadHead(HeadError::ProofHash))?;
    if merkle::verify_consistency(seen.size, new.size, &seen.root, &new.root, &path) {
        Ok(())
    } else {
        Err(breach())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ed25519_dalek::SigningKey;

    fn log_with(n: usize, tag: &str) -> (tempfile::TempDir, audit::AuditLog) {
        let dir = tempfile::tempdir().unwrap();
        let mut log =
            audit::AuditLog::create(dir.path(), SigningKey::from_bytes(&[5; 32])).unwrap();
        let entries: Vec<Vec<u8>> = (0..n).map(|i| format!("{tag}{i}").into_bytes()).collect();
        if n > 0 {
            log.append(&entries).unwrap();
        }
        (dir, log)
    }

    fn head(log: &audit::AuditLog) -> SignedTreeHead {
        log.latest_head().unwrap().unwrap()
    }

    fn proof(log: &audit::AuditLog, from: u64, to: u64) -> Consistency {
        Consistency::of(from, to, &log.consistency_proof(from, to).unwrap())
    }

    #[test]
    fn a_grown_log_extends_what_was_seen() {
        let (_d, mut log) = log_with(5, "e");
        let seen = head(&log);
        log.append(&[b"f".to_vec(), b"g".to_vec()]).unwrap();
        let new = head(&log);
        let wire = Head::of(Some(&new));
        assert_eq!(wire.read(&log.public_key()).unwrap(), Some(new.clone()));
        assert_eq!(
            extends(Some(&seen), Some(&new), Some(&proof(&log, 5, 7))),
            Ok(())
        );
        assert_eq!(extends(Some(&new), Some(&new), None), Ok(()));
        assert_eq!(extends(None, Some(&new), None), Ok(()));
        assert_eq!(extends(None, None, None), Ok(()));
    }

    #[test]
    fn a_rewritten_or_forked_log_is_a_breach() {
        let (_d1, a) = log_with(6, "e");
        let (_d2, b) = log_with(6, "x");
        assert_eq!(
            extends(Some(&head(&a)), Some(&head(&b)), None),
            Err(Breach::Forked { size: 6 })
        );
        let (_d3, small) = log_with(4, "e");
        assert!(matches!(
            extends(Some(&head(&a)), Some(&head(&small)), None),
            Err(Breach::Shrank { was: 6, now: 4 })
        ));
        assert!(matches!(
            extends(Some(&head(&a)), None, None),
            Err(Breach::Shrank { was: 6, now: 0 })
        ));
        // A longer log that does not start with what was seen: its own proof fails.
        let (_d4, mut other) = log_with(4, "x");
        other.append(&vec![b"y".to_vec(); 4]).unwrap();
        let forged = proof(&other, 4, 8);
        assert!(matches!(
            extends(Some(&head(&small)), Some(&head(&other)), Some(&forged)),
            Err(Breach::NotAnExtension { .. })
        ));
        assert!(matches!(
            extends(Some(&head(&small)), Some(&head(&other)), None),
            Err(Breach::NotAnExtension { .. })
        ));
    }

    #[test]
    fn a_head_signed_by_another_key_or_bent_is_refused() {
        let (_d, log) = log_with(3, "e");
        let other = SigningKey::from_bytes(&[6; 32]).verifying_key();
        let wire = Head::of(Some(&head(&log)));
        assert!(wire.read(&other).is_err());
        let mut bent = wire.clone();
        bent.size = 2;
        assert!(bent.read(&log.public_key()).is_err());
        let mut rootless = wire.clone();
        rootless.root = None;
        assert!(rootless.read(&log.public_key()).is_err());
        assert!(serde_json::from_str::<Head>(r#"{"size":1,"sizes":2}"#).is_err());
    }
}
