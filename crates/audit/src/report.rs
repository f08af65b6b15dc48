//! The log's public views as JSON, shared by the CLI and the HTTP API so that both print
//! exactly the same proofs.

use crate::{AuditError, AuditLog};
use serde_json::{Value, json};

fn hexes(proof: &[crate::Hash]) -> Vec<String> {
    proof.iter().map(hex::encode).collect()
}

/// The latest signed tree head with the key that signed it.
pub fn head(log: &AuditLog) -> Result<Value, AuditError> {
    let key = hex::encode(log.public_key().as_bytes());
    Ok(match log.latest_head()? {
        Some(h) => json!({
            "size": h.size,
            "timestamp": stix::timestamp::format(h.timestamp),
            "root": hex::encode(h.root),
            "signature": hex::encode(h.signature),
            "public_key": key,
        }),
        None => json!({ "size": 0, "public_key": key }),
    })
}

/// Tree size `size`, or the latest signed head's.
fn size_or_latest(log: &AuditLog, size: Option<u64>) -> Result<u64, AuditError> {
    match size {
        Some(s) => Ok(s),
        None => Ok(log.latest_head()?.map_or(0, |h| h.size)),
    }
}

/// One entry with its inclusion proof in the tree of `size` entries (default: latest head).
pub fn inclusion(log: &AuditLog, entry: u64, size: Option<u64>) -> Result<Value, AuditError> {
    let size = size_or_latest(log, size)?;
    let proof = log.inclusion_proof(entry, size)?;
    let bytes = log
        .entry(entry)?
        .ok_or_else(|| AuditError::Invalid(format!("no entry {entry}")))?;
    Ok(json!({
        "entry": entry,
        "tree_size": size,
        "root": hex::encode(log.root(size)?),
        "leaf_hash": hex::encode(crate::merkle::leaf_hash(&bytes)),
        "entry_text": String::from_utf8_lossy(&bytes),
        "inclusion_proof": hexes(&proof),
    }))
}

/// The consistency proof between two tree sizes (default `to`: latest head).
pub fn consistency(log: &AuditLog, from: u64, to: Option<u64>) -> Result<Value, AuditError> {
    let to = size_or_latest(log, to)?;
    let proof = log.consistency_proof(from, to)?;
    Ok(json!({
        "from": from,
        "to": to,
        "from_root": hex::encode(log.root(from)?),
        "to_root": hex::encode(log.root(to)?),
        "consistency_proof": hexes(&proof),
    }))
}
