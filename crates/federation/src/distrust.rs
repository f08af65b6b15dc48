//! Why a page that came from a peer is not trusted, as data. Such a page goes to the
//! quarantine whole; the node records the English account (`Display`) in its audit log and
//! keeps this value beside it, so the workspace can say it in the operator's language.

use crate::provenance::SealError;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum Distrust {
    /// The answer's signature does not verify (`detail`: what the check found).
    #[error("{detail}")]
    NotAuthentic { detail: String },
    /// `detail`: the JSON parser's own words.
    #[error("not a TAXII envelope: {detail}")]
    NotEnvelope { detail: String },
    #[error("the page is not sealed ({})", crate::provenance::SEAL_HEADER)]
    NotSealed,
    #[error(transparent)]
    Seal(SealError),
    #[error("the page is sealed by `{signer}`, not by the peer `{peer}`")]
    WrongSigner { signer: String, peer: String },
    #[error("the key held for `{peer}` is not Ed25519")]
    PeerKey { peer: String },
    /// An object of the page has no RFC 8785 form (`detail`: why).
    #[error("{detail}")]
    Unhashable { detail: String },
    #[error("X-TAXII-Date-Added-Last is not the date_added the page was sealed with")]
    LastMismatch,
    #[error("the seal of a page of objects names no last date_added")]
    NoLast,
    #[error("the sending node is not a peer")]
    NotAPeer,
}

impl From<SealError> for Distrust {
    fn from(e: SealError) -> Self {
        Distrust::Seal(e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kept_as_json_and_read_back_whole() {
        for d in [
            Distrust::NotSealed,
            Distrust::Seal(SealError::Count { sealed: 3, held: 2 }),
            Distrust::WrongSigner {
                signer: "x".into(),
                peer: "y".into(),
            },
        ] {
            let text = serde_json::to_string(&d).unwrap();
            assert_eq!(serde_json::from_str::<Distrust>(&text).unwrap(), d);
        }
        assert_eq!(
            Distrust::Seal(SealError::NotTheObjects).to_string(),
            "the page's objects are not the ones the seal was signed over"
        );
    }
}
