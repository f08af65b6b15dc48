//! What the audit log records, as RFC 8785 canonical JSON (`serde_jcs`), so that any party
//! can recompute an entry's hash from its meaning. Every write's entry is committed in the
//! write's own transaction (the store's outbox); every read's entry is durable before the
//! answer leaves (the journal's group commit).

use serde::Serialize;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

/// Counts by the article (or cause) that decided them: `Art. 6.2`, `invalid`, ...
pub type ByArticle = BTreeMap<String, u64>;

/// Who made a request, as which kind of principal, for which purpose (Art. 6.4: the
/// purpose is recorded with the access), under which policy version.
#[derive(Serialize)]
pub struct Asker<'a> {
    pub principal: &'a str,
    pub principal_kind: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub purpose: Option<&'a str>,
    pub policy_version: u32,
}

impl<'a> Asker<'a> {
    /// The asker as `policy` sees it: the purpose declared, or the principal's default.
    pub fn of(
        policy: &'a policy::Policy,
        principal: &'a policy::Principal,
        declared: Option<&'a str>,
    ) -> Asker<'a> {
        Asker {
            principal: &principal.name,
            principal_kind: principal.kind.text(),
            purpose: policy.purpose_of(principal, declared),
            policy_version: policy.version(),
        }
    }
}

#[derive(Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum Event<'a> {
    /// A read (or a refused request) through any door: who, as what, for which purpose,
    /// under which policy version, what was served, redacted and withheld.
    Access {
        at: String,
        #[serde(flatten)]
        asker: Asker<'a>,
        endpoint: &'a str,
        collection: &'a str,
        #[serde(skip_serializing_if = "Option::is_none")]
        object: Option<&'a str>,
        decision: &'static str,
        #[serde(skip_serializing_if = "Option::is_none")]
        reason: Option<&'a str>,
        served: u64,
        redacted: u64,
        withheld: &'a ByArticle,
        /// SHA-256 over `"{id} {version}\n"` of each object served, in the order served.
        served_sha256: String,
    },
    /// A lookup of observable values (correlation) through any door: how many values were
    /// asked about, and what of the objects holding them (and of their sightings) was
    /// served or withheld. The values themselves are not recorded.
    Lookup {
        at: String,
        #[serde(flatten)]
        asker: Asker<'a>,
        values: u64,
        decision: &'static str,
        #[serde(skip_serializing_if = "Option::is_none")]
        reason: Option<&'a str>,
        served: u64,
        redacted: u64,
        withheld: &'a ByArticle,
        served_sha256: String,
    },
    /// One write transaction into a collection through any door (TAXII POST, a push from a
    /// peer, a pull, an import, a delete): who wrote, what the policy refused, and the
    /// store's account of what the transaction added or removed.
    Write {
        at: String,
        #[serde(flatten)]
        asker: Asker<'a>,
        endpoint: &'a str,
        collection: &'a str,
        #[serde(skip_serializing_if = "Option::is_none")]
        source: Option<&'a str>,
        #[serde(skip_serializing_if = "Option::is_none")]
        object: Option<&'a str>,
        /// Objects of the request stored or already present (TAXII POST and push).
        accepted: u64,
        /// Objects refused, by article (`invalid`: not valid STIX; `conflict`: STIX §3.6).
        refused: &'a ByArticle,
        stored: store::Stored,
    },
    /// A CLI import of one source into a collection (its transactions are `write` entries).
    Import {
        at: String,
        principal: &'a str,
        collection: &'a str,
        source: &'a str,
        added: usize,
        unchanged: usize,
        rejected: usize,
        /// The [`VersionDigest`] of every object version added.
        added_sha256: String,
        /// The competent authority the objects were obtained from, if not this one.
        #[serde(skip_serializing_if = "Option::is_none")]
        obtained_from: Option<&'a str>,
    },
    /// A node created in a data directory.
    NodeCreated { at: String, public_key: String },
    /// The node's key rotated: the first entry under the new key, right after the log's
    /// `key_handover` (so the latest head is always the current key's), naming the
    /// designation that tells the peers.
    KeyRotated {
        at: String,
        old_key: String,
        new_key: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        designation: Option<&'a str>,
    },
    ApiRootSaved {
        at: String,
        principal: &'a str,
        api_root: &'a str,
        title: &'a str,
        max_content_length: u64,
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
        /// `local`, `authority:<id>` or `third-party`.
        kind: &'a str,
        purposes: &'a [String],
        /// Whether the password was set (a change of purposes keeps it).
        password_changed: bool,
    },
    /// A user removed (its grants with it).
    UserRemoved {
        at: String,
        principal: &'a str,
        user: &'a str,
    },
    /// A collection deleted with everything stored in it: how many versions went and the
    /// digest of their `"{id} {version}\n"` lines, which closes the collection's accounts
    /// in `audit verify`.
    CollectionDeleted {
        at: String,
        principal: &'a str,
        collection: &'a str,
        title: &'a str,
        versions: u64,
        sha256: &'a str,
    },
    /// A peer removed (its cursors with it; its seals and quarantined pages are kept).
    PeerRemoved {
        at: String,
        principal: &'a str,
        peer: &'a str,
    },
    GrantSet {
        at: String,
        principal: &'a str,
        user: &'a str,
        collection: &'a str,
        can_read: bool,
        can_write: bool,
    },
    /// The node put under an agreement as one of its authorities.
    AgreementSet {
        at: String,
        principal: &'a str,
        agreement: &'a str,
        version: u32,
        party: &'a str,
        authority: &'a str,
        /// SHA-256 of the agreement file as given.
        sha256: String,
    },
    /// A signed record of the agreement kept (consent request, consent, revocation, notice,
    /// lifecycle notification).
    LedgerRecord {
        at: String,
        kind: &'a str,
        id: &'a str,
        /// The authority that signed it.
        signer: &'a str,
        /// SHA-256 of the record's RFC 8785 form, signature included.
        sha256: String,
    },
    /// Objects exported to a file for a recipient (a transfer outside TAXII).
    Transfer {
        at: String,
        principal: &'a str,
        recipient: &'a str,
        purpose: Option<&'a str>,
        policy_version: u32,
        collection: &'a str,
        served: u64,
        redacted: u64,
        withheld: &'a ByArticle,
        /// As for TAXII requests: SHA-256 over `"{id} {version}\n"` of each object exported.
        served_sha256: String,
    },
    /// A peer node registered or changed (federation).
    PeerSaved {
        at: String,
        principal: &'a str,
        peer: &'a str,
        url: &'a str,
        public_key: &'a str,
        /// `authority:<id>` or `third-party`.
        kind: &'a str,
        #[serde(skip_serializing_if = "Option::is_none")]
        halted: Option<&'a str>,
    },
    /// A peer's audit log does not extend what this node witnessed: exchange halted.
    WitnessBreach {
        at: String,
        peer: &'a str,
        detail: &'a str,
    },
    /// A page from a peer whose provenance failed, kept apart and never served.
    Quarantined {
        at: String,
        peer: &'a str,
        remote: &'a str,
        reason: &'a str,
        bytes: usize,
        sha256: String,
    },
    /// One sync run's pull of one of a peer's collections (its transactions are `write`
    /// entries).
    SyncPulled {
        at: String,
        peer: &'a str,
        /// The peer's collection and the local one it went into.
        remote: &'a str,
        collection: &'a str,
        added: u64,
        unchanged: u64,
        rejected: u64,
        quarantined: u64,
        /// As for imports: the [`VersionDigest`] of every object version added.
        added_sha256: String,
        /// The cursor after the run (`date_added` of the peer's last object taken).
        cursor: Option<&'a str>,
    },
    /// One sync run's push of a local collection to a peer (its pages are `access`
    /// entries, decided per object like any read).
    SyncPushed {
        at: String,
        peer: &'a str,
        collection: &'a str,
        remote: &'a str,
        purpose: Option<&'a str>,
        policy_version: u32,
        sent: u64,
        redacted: u64,
        withheld: &'a ByArticle,
        /// SHA-256 over the `served_sha256` (hex) of each page's `access` entry, in order.
        served_sha256: String,
        cursor: Option<&'a str>,
    },
}

impl Event<'_> {
    /// The entry's bytes: RFC 8785 canonical JSON.
    pub fn canonical(&self) -> crate::Result<Vec<u8>> {
        crate::metrics::observe(self);
        serde_jcs::to_vec(self)
            .map_err(|e| crate::CoreError::Failed(format!("encoding an audit entry: {e}")))
    }
}

/// The canonical bytes of an event, as the store's `Describe` wants them.
pub(crate) fn entry(e: &Event) -> store::Result<Vec<u8>> {
    crate::metrics::observe(e);
    serde_jcs::to_vec(e)
        .map_err(|e| store::StoreError::Invalid(format!("encoding an audit entry: {e}")))
}

/// Hex SHA-256 of some bytes.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// The current time as a STIX timestamp.
pub fn now() -> String {
    stix::timestamp::format(store::now_micros())
}

/// Digest of a set of object versions, independent of their order: SHA-256 over the sorted
/// SHA-256 digests of the lines `"{id} {version}\n"`. Built as versions arrive (the lines are
/// hashed then, off the store's writing thread); only fixed-size digests are sorted at the
/// end, which keeps the tail of a million-object import short.
#[derive(Default)]
pub struct VersionDigest {
    lines: Vec<[u8; 32]>,
}

impl VersionDigest {
    pub fn push(&mut self, id: &str, version: &str) {
        let mut h = Sha256::new();
        h.update(id.as_bytes());
        h.update(b" ");
        h.update(version.as_bytes());
        h.update(b"\n");
        self.lines.push(h.finalize().into());
    }

    pub fn finish(mut self) -> String {
        self.lines.sort_unstable();
        let mut h = Sha256::new();
        for l in &self.lines {
            h.update(l);
        }
        hex::encode(h.finalize())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The definition the digest promises, written out plainly.
    fn by_definition(pairs: &[(&str, &str)]) -> String {
        let mut lines: Vec<[u8; 32]> = pairs
            .iter()
            .map(|(i, v)| Sha256::digest(format!("{i} {v}\n").as_bytes()).into())
            .collect();
        lines.sort();
        hex::encode(Sha256::digest(lines.concat()))
    }

    fn digest<'a>(pairs: impl Iterator<Item = &'a (&'a str, &'a str)>) -> String {
        let mut d = VersionDigest::default();
        for (id, v) in pairs {
            d.push(id, v);
        }
        d.finish()
    }

    #[test]
    fn version_digest_is_independent_of_order_and_sensitive_to_content() {
        let a = "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f";
        let b = "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3e";
        let c = "malware--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061";
        let pairs = [
            (c, "2024-01-01T00:00:00Z"),
            (a, "2024-01-01T00:00:00.1Z"),
            (a, "2024-01-01T00:00:00Z"),
            (b, "2023-12-31T23:59:59.999Z"),
        ];
        let expected = by_definition(&pairs);
        assert_eq!(digest(pairs.iter()), expected);
        assert_eq!(digest(pairs.iter().rev()), expected);
        assert_ne!(digest(pairs[1..].iter()), expected);
        let changed = [
            (c, "2024-01-01T00:00:00.000Z"),
            pairs[1],
            pairs[2],
            pairs[3],
        ];
        assert_ne!(digest(changed.iter()), expected);
    }
}
