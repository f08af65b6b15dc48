//! The node's tamper-evident audit log: an append-only RFC 9162 Merkle tree over opaque
//! entries (the caller encodes events, e.g. as RFC 8785 canonical JSON), with Ed25519
//! signed tree heads, inclusion and consistency proofs, and a verifier that recomputes
//! everything from the stored entries and names the first entry that no longer matches.
//!
//! [`merkle`] and [`SignedTreeHead`] need no storage (a node checks a peer's log with
//! them); the log on disk ([`AuditLog`]) and its JSON views ([`report`]) are the default
//! feature `log`.
//!
//! ```
//! # #[cfg(feature = "log")] {
//! let dir = tempfile::tempdir().unwrap();
//! let key = ed25519_dalek::SigningKey::from_bytes(&[7; 32]);
//! let mut log = audit::AuditLog::create(dir.path(), key.clone()).unwrap();
//! let (first, head) = log.append(&[b"{\"event\":\"example\"}".to_vec()]).unwrap();
//! assert_eq!((first, head.size), (0, 1));
//! assert!(head.verify(&key.verifying_key()));
//! assert_eq!(log.verify(&key.verifying_key()).unwrap(), Ok(1));
//! # }
//! ```

#[cfg(feature = "log")]
pub mod handover;
mod head;
#[cfg(feature = "log")]
pub mod log;
pub mod merkle;
#[cfg(feature = "log")]
pub mod report;

pub use head::SignedTreeHead;
#[cfg(feature = "log")]
pub use log::{AuditError, AuditLog, Damage, Tamper};
pub use merkle::{Hash, verify_consistency, verify_inclusion};
