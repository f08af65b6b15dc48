//! Mutual witness of audit logs: each node keeps the last signed tree head it saw of each
//! peer's log and, at every sync, checks the peer's new head against it with an RFC 9162
//! consistency proof. A log that shrank, changed under the same size, or whose new tree
//! does not extend the old one has been rewritten or forked: sync with that peer stops.
//!
//! Heads travel as the JSON `audit::report::head` prints (`size`, `timestamp`, `root`,
//! `signature`), proofs as `audit::report::consistency` prints them.

use audit::SignedTreeHead;
use audit::merkle::{self, Hash};
use ed25519_dalek::VerifyingKey;
use serde::{Deserialize, Serialize};

/// A signed tree head as it travels (hex fields, RFC 3339 timestamp).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
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
pub struct Consistency {
    pub from: u64,
    pub to: u64,
    pub consistency_proof: Vec<String>,
}

fn hash(hex_text: &str, what: &str) -> Result<Hash, String> {
    hex::decode(hex_text)
        .ok()
        .and_then(|b| b.try_into().ok())
        .ok_or_else(|| format!("{what} is not a SHA-256 hash in hex"))
}

impl Head {
    /// The head of `log` as it travels.
    pub fn of(h: &SignedTreeHead) -> Head {
        Head {
            size: h.size,
            timestamp: Some(stix::timestamp::format(h.timestamp)),
            root: Some(hex::encode(h.root)),
            signature: Some(hex::encode(h.signature)),
        }
    }

    /// The root (the empty tree's for size 0).
    pub fn root_hash(&self) -> Result<Hash, String> {
        match (&self.root, self.size) {
            (_, 0) => Ok(merkle::empty_root()),
            (Some(r), _) => hash(r, "the head's root"),
            (None, _) => Err("a non-empty head without a root".into()),
        }
    }

    /// Is the head signed by `key`? An empty log (size 0) has nothing to sign.
    pub fn check_signature(&self, key: &VerifyingKey) -> Result<(), String> {
        if self.size == 0 {
            return Ok(());
        }
        let (Some(ts), Some(sig)) = (&self.timestamp, &self.signature) else {
            return Err("a non-empty head must carry its timestamp and signature".into());
        };
        let timestamp =
            stix::timestamp::parse(ts, false).map_err(|e| format!("the head's timestamp: {e}"))?;
        let signature: [u8; 64] = hex::decode(sig)
            .ok()
            .and_then(|b| b.try_into().ok())
            .ok_or("the head's signature is not 128 hex digits")?;
        let sth = SignedTreeHead {
            size: self.size,
            timestamp,
            root: self.root_hash()?,
            signature,
        };
        if sth.verify(key) {
            Ok(())
        } else {
            Err("the tree head is not signed by the peer's key".into())
        }
    }
}

/// Why a peer's log cannot be trusted any more.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
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
    BadHead(String),
}

/// Checks that `new` (already signature-checked) extends `seen`, the last head witnessed,
/// with `proof` (needed when both are non-empty and the size grew).
pub fn extends(seen: Option<&Head>, new: &Head, proof: Option<&Consistency>) -> Result<(), Breach> {
    let new_root = new.root_hash().map_err(Breach::BadHead)?;
    let Some(seen) = seen else {
        return Ok(());
    };
    let old_root = seen.root_hash().map_err(Breach::BadHead)?;
    if new.size < seen.size {
        return Err(Breach::Shrank {
            was: seen.size,
            now: new.size,
        });
    }
    if new.size == seen.size {
        return if new_root == old_root {
            Ok(())
        } else {
            Err(Breach::Forked { size: new.size })
        };
    }
    if seen.size == 0 {
        return Ok(());
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
        .collect::<Result<_, _>>()
        .map_err(Breach::BadHead)?;
    if merkle::verify_consistency(seen.size, new.size, &old_root, &new_root, &path) {
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
        let mut log = audit::AuditLog::open(dir.path(), SigningKey::from_bytes(&[5; 32])).unwrap();
        let entries: Vec<Vec<u8>> = (0..n).map(|i| format!("{tag}{i}").into_bytes()).collect();
        if n > 0 {
            log.append(&entries).unwrap();
        }
        (dir, log)
    }

    fn head(log: &audit::AuditLog) -> Head {
        Head::of(&log.latest_head().unwrap().unwrap())
    }

    fn proof(log: &audit::AuditLog, from: u64, to: u64) -> Consistency {
        Consistency {
            from,
            to,
            consistency_proof: log
                .consistency_proof(from, to)
                .unwrap()
                .iter()
                .map(hex::encode)
                .collect(),
        }
    }

    #[test]
    fn a_grown_log_extends_what_was_seen() {
        let (_d, mut log) = log_with(5, "e");
        let seen = head(&log);
        log.append(&[b"f".to_vec(), b"g".to_vec()]).unwrap();
        let new = head(&log);
        assert!(new.check_signature(&log.public_key()).is_ok());
        assert_eq!(extends(Some(&seen), &new, Some(&proof(&log, 5, 7))), Ok(()));
        assert_eq!(extends(Some(&new), &new, None), Ok(()));
        assert_eq!(extends(None, &new, None), Ok(()));
    }

    #[test]
    fn a_rewritten_or_forked_log_is_a_breach() {
        let (_d1, a) = log_with(6, "e");
        let (_d2, b) = log_with(6, "x");
        assert_eq!(
            extends(Some(&head(&a)), &head(&b), None),
            Err(Breach::Forked { size: 6 })
        );
        let (_d3, small) = log_with(4, "e");
        assert!(matches!(
            extends(Some(&head(&a)), &head(&small), None),
            Err(Breach::Shrank { was: 6, now: 4 })
        ));
        // A longer log that does not start with what was seen: its own proof fails.
        let (_d4, mut other) = log_with(4, "x");
        other.append(&vec![b"y".to_vec(); 4]).unwrap();
        let forged = proof(&other, 4, 8);
        assert!(matches!(
            extends(Some(&head(&small)), &head(&other), Some(&forged)),
            Err(Breach::NotAnExtension { .. })
        ));
        assert!(matches!(
            extends(Some(&head(&small)), &head(&other), None),
            Err(Breach::NotAnExtension { .. })
        ));
    }

    #[test]
    fn a_head_signed_by_another_key_is_refused() {
        let (_d, log) = log_with(3, "e");
        let other = SigningKey::from_bytes(&[6; 32]).verifying_key();
        assert!(head(&log).check_signature(&other).is_err());
        let mut bent = head(&log);
        bent.size = 2;
        assert!(bent.check_signature(&log.public_key()).is_err());
    }
}
