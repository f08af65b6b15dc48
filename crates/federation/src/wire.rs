//! The JSON nodes exchange, defined once: the serving side writes these types and the
//! asking side reads them, so the two cannot drift apart.
//!
//! Symbolon's own resources (under `/symbolon/peer/`) are strict: an unknown member is an
//! error, and a member that may be `null` must still be present (a renamed field is never
//! read as "nothing"). The TAXII 2.1 resources a node reads from a peer keep TAXII's own
//! rules: the members TAXII makes optional are `Option`s (absent means what TAXII says it
//! means), the required ones are required.

use crate::witness::{Consistency, Head};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use std::borrow::Cow;

// ---- Symbolon's peer resources -------------------------------------------------------

/// `GET /symbolon/peer/witness?since=N`: the serving node's head, the proof that it
/// extends the size the caller last witnessed, and the caller's head as the serving node
/// last witnessed it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WitnessView {
    pub head: Head,
    /// From `since` to `head.size`, when both are non-empty and differ.
    #[serde(deserialize_with = "Option::deserialize")]
    pub consistency: Option<Consistency>,
    #[serde(deserialize_with = "Option::deserialize")]
    pub seen: Option<Head>,
}

/// The query of `GET /symbolon/peer/witness`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Since {
    /// The size of the serving node's log the caller last witnessed; absent or 0: none
    /// (a query parameter left out asks from the start, as in TAXII's own).
    #[serde(default)]
    pub since: u64,
}

/// `POST /symbolon/peer/witness`: the caller's head and the proof that it extends the one
/// the serving node last saw (`seen` of the GET).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WitnessPost {
    pub head: Head,
    #[serde(deserialize_with = "Option::deserialize")]
    pub consistency: Option<Consistency>,
}

/// The answer to a witness POST that extends what was seen.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Witnessed {
    pub witnessed: u64,
}

/// The query of `GET /symbolon/peer/records`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct After {
    /// The serving node's position after which records are asked for; absent or 0: all.
    #[serde(default)]
    pub after: i64,
}

/// `GET /symbolon/peer/records?after=N`: the agreement's signed records the serving node
/// holds (consents, revocations, notices, consent requests, lifecycle notifications), each
/// as signed, in the order it kept them; `last` is the position of the last one.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Records {
    pub records: Vec<Box<RawValue>>,
    pub last: i64,
}

/// The query of `GET /symbolon/peer/provenance`: one object (and version) of a collection.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProvenanceQuery {
    pub collection: String,
    pub object: String,
    /// The version (`modified`); the latest when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
}

impl ProvenanceQuery {
    /// The query string of the request.
    pub fn to_query(&self) -> String {
        let mut q = format!("collection={}&object={}", self.collection, self.object);
        if let Some(v) = &self.version {
            q.push_str("&version=");
            q.push_str(v);
        }
        q
    }
}

// ---- TAXII 2.1 resources as nodes exchange them --------------------------------------

/// TAXII 2.1 §4.1.1 discovery.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Discovery {
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
    /// Absent when the server has no API root.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_roots: Option<Vec<String>>,
}

/// TAXII 2.1 §5.1.1 collections.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CollectionList {
    /// Absent when the requester may see no collection.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collections: Option<Vec<CollectionInfo>>,
}

/// TAXII 2.1 §5.2.1 collection.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct CollectionInfo {
    pub id: String,
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alias: Option<String>,
    pub can_read: bool,
    pub can_write: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub media_types: Option<Vec<String>>,
}

/// TAXII 2.1 §4.3.1 status. Borrows when written (a POST's status lists every object it
/// stored: no copy of each id and version), owns when read.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Status<'a> {
    pub id: Cow<'a, str>,
    pub status: Cow<'a, str>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_timestamp: Option<Cow<'a, str>>,
    pub total_count: u64,
    pub success_count: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub successes: Option<Vec<StatusDetail<'a>>>,
    pub failure_count: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failures: Option<Vec<StatusDetail<'a>>>,
    pub pending_count: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pendings: Option<Vec<StatusDetail<'a>>>,
}

/// TAXII 2.1 §4.3.1 status-details: one object of a write.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct StatusDetail<'a> {
    pub id: Cow<'a, str>,
    /// The object's version; absent for an object rejected before a version could be read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<Cow<'a, str>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<Cow<'a, str>>,
}

/// TAXII 2.1 §3.7 envelope, read without copying its objects.
#[derive(Debug, Deserialize)]
pub struct Envelope<'a> {
    #[serde(default)]
    pub more: Option<bool>,
    #[serde(default)]
    pub next: Option<String>,
    /// Absent on an empty page.
    #[serde(borrow, default)]
    pub objects: Option<Vec<&'a RawValue>>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_or_renamed_member_of_a_peer_resource_is_an_error() {
        let ok = r#"{"head":{"size":0},"consistency":null,"seen":null}"#;
        assert!(serde_json::from_str::<WitnessView>(ok).is_ok());
        for bad in [
            r#"{"head":{"size":0},"consistency":null}"#,
            r#"{"head":{"size":0},"consistency":null,"seen_head":null}"#,
            r#"{"head":{"size":0},"consistency":null,"seen":null,"extra":1}"#,
        ] {
            assert!(serde_json::from_str::<WitnessView>(bad).is_err(), "{bad}");
        }
        assert!(serde_json::from_str::<Records>(r#"{"records":[]}"#).is_err());
    }

    #[test]
    fn a_collection_without_its_rights_is_an_error_not_unreadable() {
        let no_rights = r#"{"collections":[{"id":"x","title":"t"}]}"#;
        assert!(serde_json::from_str::<CollectionList>(no_rights).is_err());
        let empty: CollectionList = serde_json::from_str("{}").unwrap();
        assert!(empty.collections.is_none());
    }
}
