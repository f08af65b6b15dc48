//! How Symbolon nodes speak to each other across a border (issue: federation). Protocol
//! only: no storage, no policy.
//!
//! - [`request`]: node-to-node authentication. A request carries the sending authority's id,
//!   the time and an Ed25519 signature over method, path, time, every `X-Symbolon-*`
//!   header and the body digest; the answer carries the serving node's signature bound to
//!   that request, its status, its `X-Symbolon-*` headers and its body. Both sides check
//!   the other against the key the agreement (or a signed designation) gives that
//!   authority: a user password is never a node identity.
//! - [`provenance`]: every page of objects a node sends is *sealed*: an RFC 9162 Merkle
//!   tree over the SHA-256 of each object's RFC 8785 canonical form, its root signed by the
//!   sending authority. The receiver recomputes the leaves, checks the seal, keeps it with
//!   the objects, and can later prove any one object's place under it.
//! - [`distrust`]: why a page from a peer is quarantined, as data.
//! - [`witness`]: checking a peer's signed audit tree head and the consistency proof from
//!   the last head seen, so a rewritten or forked log is caught at the next sync.
//! - [`wire`]: every JSON shape nodes exchange, defined once for the serving side and the
//!   asking side, strict (a missing or renamed field is an error, never a default).
//! - `client` (feature `client`): the blocking HTTP client a node uses to talk to one peer.
//!
//! ```
//! use ed25519_dalek::SigningKey;
//! use federation::provenance::{leaf, Seal};
//! let key = SigningKey::from_bytes(&[7; 32]);
//! let objects = [r#"{"type":"ipv4-addr","id":"ipv4-addr--ff26c055-6336-5bc5-b98d-13d6226742dd","value":"198.51.100.3"}"#];
//! let leaves: Vec<_> = objects.iter().map(|o| leaf(o).unwrap()).collect();
//! let seal = Seal::sign("ir-csirt", &key, &leaves, "2026-11-29T00:00:00Z", None, Vec::new());
//! assert!(seal.check(&key.verifying_key(), &leaves).is_ok());
//! ```

pub mod canonical;
#[cfg(feature = "client")]
pub mod client;
pub mod distrust;
pub mod provenance;
pub mod request;
pub mod wire;
pub mod witness;

/// Errors of the federation protocol; the message says what failed and with whom.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FederationError {
    /// The peer could not be reached or did not answer in time.
    #[error("peer {peer} unreachable: {reason}")]
    Unreachable { peer: String, reason: String },
    /// The peer answered, but not as the protocol says (status, body, signature).
    #[error("peer {peer} answered badly: {reason}")]
    BadAnswer { peer: String, reason: String },
    /// A key, signature, seal, head or proof that is malformed or does not verify.
    #[error("{0}")]
    Invalid(String),
}

impl From<canonical::CanonicalError> for FederationError {
    fn from(e: canonical::CanonicalError) -> Self {
        FederationError::Invalid(e.to_string())
    }
}

pub type Result<T> = std::result::Result<T, FederationError>;

fn invalid<T>(why: impl Into<String>) -> Result<T> {
    Err(FederationError::Invalid(why.into()))
}

/// Reads a 32-byte Ed25519 public key from 64 hex digits.
pub fn public_key(hex_key: &str) -> Result<ed25519_dalek::VerifyingKey> {
    let Some(bytes) = hex::decode(hex_key.trim())
        .ok()
        .and_then(|b| <[u8; 32]>::try_from(b).ok())
    else {
        return invalid(format!("`{hex_key}` is not a public key (64 hex digits)"));
    };
    ed25519_dalek::VerifyingKey::from_bytes(&bytes)
        .map_err(|_| FederationError::Invalid(format!("`{hex_key}` is not an Ed25519 public key")))
}

/// Reads a 64-byte Ed25519 signature from 128 hex digits.
pub fn signature(hex_sig: &str) -> Result<ed25519_dalek::Signature> {
    let Some(bytes) = hex::decode(hex_sig.trim())
        .ok()
        .and_then(|b| <[u8; 64]>::try_from(b).ok())
    else {
        return invalid("the signature is not 128 hex digits");
    };
    Ok(ed25519_dalek::Signature::from_bytes(&bytes))
}
