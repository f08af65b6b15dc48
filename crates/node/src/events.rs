//! Audit events written by the node, as RFC 8785 canonical JSON (`serde_jcs`), so that any
//! party can recompute an entry's hash from its meaning.
//!
//! Operator actions and bulk imports are logged here; per-request access decisions join when
//! the agreement engine defines principals, purposes and policy versions.

use serde::Serialize;
use sha2::{Digest, Sha256};

#[derive(Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum Event<'a> {
    /// A CLI import into a collection.
    Import {
        at: String,
        principal: &'a str,
        collection: &'a str,
        source: &'a str,
        added: usize,
        unchanged: usize,
        rejected: usize,
        /// SHA-256 over the sorted `id version` lines of every object added.
        added_sha256: String,
    },
    CollectionCreated {
        at: String,
        principal: &'a str,
        collection: &'a str,
        title: &'a str,
    },
    UserSaved {
        at: String,
        principal: &'a str,
        user: &'a str,
        admin: bool,
    },
    /// A lifecycle notification recorded (and signed) by this node.
    Notification {
        at: String,
        kind: &'a str,
        party: &'a str,
        received: &'a str,
    },
    GrantSet {
        at: String,
        principal: &'a str,
        user: &'a str,
        collection: &'a str,
        can_read: bool,
        can_write: bool,
    },
}

impl Event<'_> {
    pub fn canonical(&self) -> anyhow::Result<Vec<u8>> {
        Ok(serde_jcs::to_vec(self)?)
    }
}

/// The current time as a STIX timestamp.
pub fn now() -> String {
    stix::timestamp::format(store::now_micros())
}

/// Digest of a set of object versions, independent of their order.
pub fn digest_versions<'a>(versions: impl Iterator<Item = (&'a str, &'a str)>) -> String {
    let mut lines: Vec<String> = versions.map(|(id, v)| format!("{id} {v}\n")).collect();
    lines.sort_unstable();
    let mut h = Sha256::new();
    for l in &lines {
        h.update(l.as_bytes());
    }
    hex::encode(h.finalize())
}
