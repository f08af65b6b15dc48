//! The node's tamper-evident audit log: an append-only RFC 9162 Merkle tree over opaque
//! entries (the caller encodes events, e.g. as RFC 8785 canonical JSON), with Ed25519
//! signed tree heads, inclusion and consistency proofs, and a verifier that recomputes
//! everything from the stored entries and names the first entry that no longer matches.

pub mod log;
pub mod merkle;
pub mod recorder;
pub mod report;

pub use log::{AuditError, AuditLog, SignedTreeHead, Tamper};
pub use merkle::{Hash, verify_consistency, verify_inclusion};
pub use recorder::Recorder;
