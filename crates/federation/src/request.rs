//! Node-to-node authentication by signed requests and signed answers.
//!
//! A request from a node carries three headers: [`NODE_HEADER`] (the sending authority's
//! id), [`DATE_HEADER`] (seconds since the epoch and a random nonce, `SECS.NONCE`) and
//! [`SIGNATURE_HEADER`], an Ed25519 signature over [`request_message`]: method, path with
//! query, authority, date with nonce and the SHA-256 of the body. The server accepts it
//! within [`MAX_SKEW_SECS`] of its own clock and only once (the serving side remembers
//! signatures it has seen for that long); the nonce keeps two identical requests in the
//! same second from looking like a replay (Ed25519 signatures are deterministic).
//!
//! The answer carries [`ANSWER_SIGNATURE_HEADER`]: the serving node's signature over
//! [`answer_message`], which binds the status and the body digest to the request's own
//! signature. The client checks it with the key it holds for the peer, so both ends know
//! whom they spoke to without TLS certificates (plain HTTP between nodes stays
//! authenticated; confidentiality on the wire is the operators' transport, e.g. a VPN).

use ed25519_dalek::{Signer, SigningKey, Verifier, VerifyingKey};
use sha2::{Digest, Sha256};

pub const NODE_HEADER: &str = "x-symbolon-node";
pub const DATE_HEADER: &str = "x-symbolon-date";
pub const SIGNATURE_HEADER: &str = "x-symbolon-signature";
pub const ANSWER_SIGNATURE_HEADER: &str = "x-symbolon-answer-signature";

/// How far a request's time may be from the server's clock, either way.
pub const MAX_SKEW_SECS: i64 = 300;

/// The bytes a request signature covers.
pub fn request_message(
    method: &str,
    path_and_query: &str,
    node: &str,
    date: &str,
    body: &[u8],
) -> Vec<u8> {
    format!(
        "symbolon-request/1\n{method}\n{path_and_query}\n{node}\n{date}\n{}",
        hex::encode(Sha256::digest(body))
    )
    .into_bytes()
}

/// The bytes an answer signature covers: the request's signature (hex), the status and the
/// SHA-256 of the answer's body.
pub fn answer_message(request_signature: &str, status: u16, body: &[u8]) -> Vec<u8> {
    format!(
        "symbolon-answer/1\n{request_signature}\n{status}\n{}",
        hex::encode(Sha256::digest(body))
    )
    .into_bytes()
}

/// A node's identity when it speaks to peers: its authority id and its key.
#[derive(Clone)]
pub struct Identity {
    pub authority: String,
    pub key: SigningKey,
}

impl Identity {
    /// The three headers that authenticate a request (name, value).
    pub fn sign_request(
        &self,
        method: &str,
        path_and_query: &str,
        body: &[u8],
        now_secs: i64,
    ) -> [(&'static str, String); 3] {
        let date = format!("{now_secs}.{:016x}", rand::random::<u64>());
        let message = request_message(method, path_and_query, &self.authority, &date, body);
        let signature = hex::encode(self.key.sign(&message).to_bytes());
        [
            (NODE_HEADER, self.authority.clone()),
            (DATE_HEADER, date),
            (SIGNATURE_HEADER, signature),
        ]
    }

    /// The answer signature header value for an answer to the request signed `request_sig`.
    pub fn sign_answer(&self, request_sig: &str, status: u16, body: &[u8]) -> String {
        hex::encode(
            self.key
                .sign(&answer_message(request_sig, status, body))
                .to_bytes(),
        )
    }
}

/// What a signed request claims, read from its headers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claim {
    pub node: String,
    /// Seconds since the epoch.
    pub date: i64,
    /// The header as sent (`SECS.NONCE`), which the signature covers.
    pub date_text: String,
    pub signature: String,
}

impl Claim {
    /// Reads the claim from header values; `None` when the request is not node-signed
    /// (no [`NODE_HEADER`]); an error when it is, but incompletely.
    pub fn read(
        node: Option<&str>,
        date: Option<&str>,
        signature: Option<&str>,
    ) -> Option<Result<Claim, String>> {
        let node = node?;
        Some((|| {
            let date_text = date
                .ok_or(format!("a node-signed request needs {DATE_HEADER}"))?
                .trim()
                .to_owned();
            let date = date_text
                .split('.')
                .next()
                .and_then(|s| s.parse::<i64>().ok())
                .ok_or(format!(
                    "{DATE_HEADER} must be seconds since the epoch, a dot and a nonce"
                ))?;
            let signature = signature
                .ok_or(format!("a node-signed request needs {SIGNATURE_HEADER}"))?
                .trim()
                .to_owned();
            Ok(Claim {
                node: node.trim().to_owned(),
                date,
                date_text,
                signature,
            })
        })())
    }

    /// Checks the claim against the authority's key, the request and the server's clock.
    pub fn verify(
        &self,
        key: &VerifyingKey,
        method: &str,
        path_and_query: &str,
        body: &[u8],
        now_secs: i64,
    ) -> Result<(), String> {
        if (now_secs - self.date).abs() > MAX_SKEW_SECS {
            return Err(format!(
                "the request is dated {}s away from this node's clock (at most {MAX_SKEW_SECS}s)",
                now_secs - self.date
            ));
        }
        let sig = crate::signature(&self.signature)?;
        key.verify(
            &request_message(method, path_and_query, &self.node, &self.date_text, body),
            &sig,
        )
        .map_err(|_| format!("the request signature does not verify as `{}`", self.node))
    }
}

/// Checks an answer's signature (hex) against the peer's key.
pub fn verify_answer(
    key: &VerifyingKey,
    request_sig: &str,
    status: u16,
    body: &[u8],
    answer_sig: Option<&str>,
) -> Result<(), String> {
    let sig = answer_sig.ok_or("the answer is not signed by the peer node")?;
    let sig = crate::signature(sig)?;
    key.verify(&answer_message(request_sig, status, body), &sig)
        .map_err(|_| "the answer's signature does not verify with the peer's key".to_string())
}

/// Seconds since the epoch, now.
pub fn now_secs() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ident(seed: u8) -> Identity {
        Identity {
            authority: "ir-csirt".into(),
            key: SigningKey::from_bytes(&[seed; 32]),
        }
    }

    fn claim_of(headers: &[(&'static str, String); 3]) -> Claim {
        Claim::read(
            Some(&headers[0].1),
            Some(&headers[1].1),
            Some(&headers[2].1),
        )
        .unwrap()
        .unwrap()
    }

    #[test]
    fn a_signed_request_verifies_with_the_senders_key_only() {
        let me = ident(1);
        let h = me.sign_request("GET", "/api1/collections/?x=1", b"", 1000);
        let claim = claim_of(&h);
        let key = me.key.verifying_key();
        assert!(
            claim
                .verify(&key, "GET", "/api1/collections/?x=1", b"", 1000)
                .is_ok()
        );
        let other = ident(2).key.verifying_key();
        assert!(
            claim
                .verify(&other, "GET", "/api1/collections/?x=1", b"", 1000)
                .is_err()
        );
    }

    #[test]
    fn changing_path_method_body_or_author_breaks_the_signature() {
        let me = ident(1);
        let key = me.key.verifying_key();
        let h = me.sign_request("POST", "/a/", b"body", 1000);
        let claim = claim_of(&h);
        assert!(claim.verify(&key, "POST", "/b/", b"body", 1000).is_err());
        assert!(claim.verify(&key, "GET", "/a/", b"body", 1000).is_err());
        assert!(claim.verify(&key, "POST", "/a/", b"bodY", 1000).is_err());
        let mut forged = claim.clone();
        forged.node = "ru-csirt".into();
        assert!(forged.verify(&key, "POST", "/a/", b"body", 1000).is_err());
    }

    #[test]
    fn a_request_far_from_the_servers_clock_is_refused() {
        let me = ident(1);
        let h = me.sign_request("GET", "/", b"", 1000);
        let claim = claim_of(&h);
        let key = me.key.verifying_key();
        assert!(
            claim
                .verify(&key, "GET", "/", b"", 1000 + MAX_SKEW_SECS)
                .is_ok()
        );
        assert!(
            claim
                .verify(&key, "GET", "/", b"", 1001 + MAX_SKEW_SECS)
                .is_err()
        );
    }

    #[test]
    fn an_answer_is_bound_to_its_request_status_and_body() {
        let server = ident(3);
        let key = server.key.verifying_key();
        let sig = server.sign_answer("abcd", 200, b"{}");
        assert!(verify_answer(&key, "abcd", 200, b"{}", Some(&sig)).is_ok());
        assert!(verify_answer(&key, "abce", 200, b"{}", Some(&sig)).is_err());
        assert!(verify_answer(&key, "abcd", 404, b"{}", Some(&sig)).is_err());
        assert!(verify_answer(&key, "abcd", 200, b"[]", Some(&sig)).is_err());
        assert!(verify_answer(&key, "abcd", 200, b"{}", None).is_err());
    }

    #[test]
    fn the_same_request_twice_in_one_second_is_signed_differently() {
        let me = ident(1);
        let a = me.sign_request("GET", "/", b"", 1000);
        let b = me.sign_request("GET", "/", b"", 1000);
        assert_ne!(a[2].1, b[2].1);
        assert!(
            claim_of(&b)
                .verify(&me.key.verifying_key(), "GET", "/", b"", 1000)
                .is_ok()
        );
    }

    #[test]
    fn an_incomplete_claim_is_an_error_and_no_claim_is_none() {
        assert!(Claim::read(None, None, None).is_none());
        assert!(Claim::read(Some("x"), None, Some("ab")).unwrap().is_err());
        assert!(
            Claim::read(Some("x"), Some("soon"), Some("ab"))
                .unwrap()
                .is_err()
        );
    }
}
