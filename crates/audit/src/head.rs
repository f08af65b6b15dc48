//! The signed tree head: what a node signs after every append and what its peers witness.

use crate::merkle::Hash;
use ed25519_dalek::{Signature, Verifier, VerifyingKey};

/// A tree head signed by the node's key (RFC 9162 §4.10 in spirit: size, time, root).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedTreeHead {
    pub size: u64,
    /// Microseconds since the epoch.
    pub timestamp: i64,
    pub root: Hash,
    pub signature: [u8; 64],
}

impl SignedTreeHead {
    /// The bytes the signature covers.
    pub fn message(size: u64, timestamp: i64, root: &Hash) -> Vec<u8> {
        let mut m = b"symbolon-audit-tree-head-v1\0".to_vec();
        m.extend_from_slice(&size.to_be_bytes());
        m.extend_from_slice(&timestamp.to_be_bytes());
        m.extend_from_slice(root);
        m
    }

    pub fn verify(&self, key: &VerifyingKey) -> bool {
        key.verify(
            &Self::message(self.size, self.timestamp, &self.root),
            &Signature::from_bytes(&self.signature),
        )
        .is_ok()
    }
}
