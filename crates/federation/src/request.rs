//! Node-to-node authentication by signed requests and signed answers.
//!
//! A request from a node carries three headers: [`NODE_HEADER`] (the sending authority's
//! id), [`DATE_HEADER`] (seconds since the epoch and a random nonce, `SECS.NONCE`) and
//! [`SIGNATURE_HEADER`], an Ed25519 signature over [`request_message`]: method, path with
//! query, authority, date with nonce, every other `X-Symbolon-*` header (the declared
//! purpose, Art. 6.4, and a push's seal: what the serving node decides and records) and
//! the SHA-256 of the body. The server accepts it within [`MAX_SKEW_SECS`] of its own
//! clock and only once (the serving side remembers signatures it has seen for that long);
//! the nonce keeps two identical requests in the same second from looking like a replay
//! (Ed25519 signatures are deterministic).
//!
//! The answer carries [`ANSWER_SIGNATURE_HEADER`]: the serving node's signature over
//! [`answer_message`], which binds the status, the answer's own `X-Symbolon-*` headers
//! (the seal of a page) and the body digest to the request's own signature. The client
//! checks it with the key it holds for the peer, so both ends know whom they spoke to
//! without TLS certificates (plain HTTP between nodes stays authenticated; confidentiality
//! on the wire is the operators' transport, e.g. a VPN).

use crate::{FederationError, Result, invalid};
use ed25519_dalek::{Signer, SigningKey, Verifier, VerifyingKey};
use sha2::{Digest, Sha256};

pub const NODE_HEADER: &str = "x-symbolon-node";
pub const DATE_HEADER: &str = "x-symbolon-date";
pub const SIGNATURE_HEADER: &str = "x-symbolon-signature";
pub const ANSWER_SIGNATURE_HEADER: &str = "x-symbolon-answer-signature";
/// Header by which a request declares its purpose under the agreement (Art. 6.4).
pub const PURPOSE_HEADER: &str = "x-symbolon-purpose";
/// A node whose key was rotated sends its designation of itself with the new key, signed
/// with the old one (base64 of the signed record's JSON), on every request: a peer that
/// still holds the old key follows the rotation at the first such request.
pub const KEY_DESIGNATION_HEADER: &str = "x-symbolon-key-designation";
/// The [`KEY_DESIGNATION_HEADER`] value that carries a designation (its JSON).
pub fn designation_header(json: &[u8]) -> String {
    base64::Engine::encode(&base64::engine::general_purpose::STANDARD, json)
}

/// The designation's JSON a [`KEY_DESIGNATION_HEADER`] value carries, if it is one.
pub fn designation_from_header(value: &str) -> Option<Vec<u8>> {
    base64::Engine::decode(&base64::engine::general_purpose::STANDARD, value.trim()).ok()
}

/// Every header with this prefix is covered by the request's (or answer's) signature.
pub const SIGNED_PREFIX: &str = "x-symbolon-";

/// How far a request's time may be from the server's clock, either way.
pub const MAX_SKEW_SECS: u64 = 300;

/// The `X-Symbolon-*` headers a signature covers, from all of a message's headers: the
/// prefixed ones other than the three that carry the signature itself, by lower-case name,
/// sorted (values of one name keep their order). An on-path party that adds, drops or
/// changes one breaks the signature.
pub fn covered<'a>(headers: impl IntoIterator<Item = (&'a str, &'a str)>) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = headers
        .into_iter()
        .map(|(n, v)| (n.to_ascii_lowercase(), v.trim().to_owned()))
        .filter(|(n, _)| {
            n.starts_with(SIGNED_PREFIX)
                && ![
                    NODE_HEADER,
                    DATE_HEADER,
                    SIGNATURE_HEADER,
                    ANSWER_SIGNATURE_HEADER,
                ]
                .contains(&n.as_str())
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

fn push_headers(m: &mut String, headers: &[(String, String)]) {
    m.push_str(&headers.len().to_string());
    m.push('\n');
    for (name, value) in headers {
        m.push_str(name);
        m.push(':');
        m.push_str(value);
        m.push('\n');
    }
}

/// The bytes a request signature covers (`headers`: [`covered`]).
pub fn request_message(
    method: &str,
    path_and_query: &str,
    node: &str,
    date: &str,
    headers: &[(String, String)],
    body: &[u8],
) -> Vec<u8> {
    let mut m = format!("symbolon-request/2\n{method}\n{path_and_query}\n{node}\n{date}\n");
    push_headers(&mut m, headers);
    m.push_str(&hex::encode(Sha256::digest(body)));
    m.into_bytes()
}

/// The bytes an answer signature covers: the request's signature (hex), the status, the
/// answer's covered headers and the SHA-256 of its body.
pub fn answer_message(
    request_signature: &str,
    status: u16,
    headers: &[(String, String)],
    body: &[u8],
) -> Vec<u8> {
    let mut m = format!("symbolon-answer/2\n{request_signature}\n{status}\n");
    push_headers(&mut m, headers);
    m.push_str(&hex::encode(Sha256::digest(body)));
    m.into_bytes()
}

/// A node's identity when it speaks to peers: its authority id and its key.
#[derive(Clone)]
pub struct Identity {
    pub authority: String,
    pub key: SigningKey,
}

impl std::fmt::Debug for Identity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the secret key.
        f.debug_struct("Identity")
            .field("authority", &self.authority)
            .field("key", &hex::encode(self.key.verifying_key().as_bytes()))
            .finish()
    }
}

impl Identity {
    /// The three headers that authenticate a request (name, value); `headers` are the
    /// other `X-Symbolon-*` headers it carries (see [`covered`]).
    pub fn sign_request(
        &self,
        method: &str,
        path_and_query: &str,
        headers: &[(String, String)],
        body: &[u8],
        now_secs: i64,
    ) -> [(&'static str, String); 3] {
        let date = format!("{now_secs}.{:016x}", rand::random::<u64>());
        let message = request_message(
            method,
            path_and_query,
            &self.authority,
            &date,
            headers,
            body,
        );
        let signature = hex::encode(self.key.sign(&message).to_bytes());
        [
            (NODE_HEADER, self.authority.clone()),
            (DATE_HEADER, date),
            (SIGNATURE_HEADER, signature),
        ]
    }

    /// The answer signature header value for an answer to the request signed `request_sig`.
    pub fn sign_answer(
        &self,
        request_sig: &str,
        status: u16,
        headers: &[(String, String)],
        body: &[u8],
    ) -> String {
        hex::encode(
            self.key
                .sign(&answer_message(request_sig, status, headers, body))
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
    ) -> Option<Result<Claim>> {
        let node = node?;
        Some((|| {
            let Some(date_text) = date.map(|d| d.trim().to_owned()) else {
                return invalid(format!("a node-signed request needs {DATE_HEADER}"));
            };
            let Some(date) = date_text
                .split('.')
                .next()
                .and_then(|s| s.parse::<i64>().ok())
            else {
                return invalid(format!(
                    "{DATE_HEADER} must be seconds since the epoch, a dot and a nonce"
                ));
            };
            let Some(signature) = signature.map(|s| s.trim().to_owned()) else {
                return invalid(format!("a node-signed request needs {SIGNATURE_HEADER}"));
            };
            Ok(Claim {
                node: node.trim().to_owned(),
                date,
                date_text,
                signature,
            })
        })())
    }

    /// How far the claimed date is from `now_secs`, either way (never overflows, whatever
    /// the header said).
    pub fn skew(&self, now_secs: i64) -> u64 {
        now_secs.abs_diff(self.date)
    }

    /// Checks the claim against the authority's key, the request and the server's clock.
    pub fn verify(
        &self,
        key: &VerifyingKey,
        method: &str,
        path_and_query: &str,
        headers: &[(String, String)],
        body: &[u8],
        now_secs: i64,
    ) -> Result<()> {
        let skew = self.skew(now_secs);
        if skew > MAX_SKEW_SECS {
            return invalid(format!(
                "the request is dated {skew}s away from this node's clock (at most {MAX_SKEW_SECS}s)"
            ));
        }
        let sig = crate::signature(&self.signature)?;
        key.verify(
            &request_message(
                method,
                path_and_query,
                &self.node,
                &self.date_text,
                headers,
                body,
            ),
            &sig,
        )
        .map_err(|_| {
            FederationError::Invalid(format!(
                "the request signature does not verify as `{}`",
                self.node
            ))
        })
    }
}

/// Checks an answer's signature (hex) against the peer's key.
pub fn verify_answer(
    key: &VerifyingKey,
    request_sig: &str,
    status: u16,
    headers: &[(String, String)],
    body: &[u8],
    answer_sig: Option<&str>,
) -> Result<()> {
    let Some(sig) = answer_sig else {
        return invalid("the answer is not signed by the peer node");
    };
    let sig = crate::signature(sig)?;
    key.verify(&answer_message(request_sig, status, headers, body), &sig)
        .map_err(|_| {
            FederationError::Invalid(
                "the answer's signature does not verify with the peer's key".into(),
            )
        })
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
        let h = me.sign_request("GET", "/api1/collections/?x=1", &[], b"", 1000);
        let claim = claim_of(&h);
        let key = me.key.verifying_key();
        assert!(
            claim
                .verify(&key, "GET", "/api1/collections/?x=1", &[], b"", 1000)
                .is_ok()
        );
        let other = ident(2).key.verifying_key();
        assert!(
            claim
                .verify(&other, "GET", "/api1/collections/?x=1", &[], b"", 1000)
                .is_err()
        );
    }

    #[test]
    fn changing_path_method_body_or_author_breaks_the_signature() {
        let me = ident(1);
        let key = me.key.verifying_key();
        let h = me.sign_request("POST", "/a/", &[], b"body", 1000);
        let claim = claim_of(&h);
        assert!(
            claim
                .verify(&key, "POST", "/b/", &[], b"body", 1000)
                .is_err()
        );
        assert!(
            claim
                .verify(&key, "GET", "/a/", &[], b"body", 1000)
                .is_err()
        );
        assert!(
            claim
                .verify(&key, "POST", "/a/", &[], b"bodY", 1000)
                .is_err()
        );
        let mut forged = claim.clone();
        forged.node = "ru-csirt".into();
        assert!(
            forged
                .verify(&key, "POST", "/a/", &[], b"body", 1000)
                .is_err()
        );
    }

    #[test]
    fn a_request_far_from_the_servers_clock_is_refused() {
        let me = ident(1);
        let h = me.sign_request("GET", "/", &[], b"", 1000);
        let claim = claim_of(&h);
        let key = me.key.verifying_key();
        assert!(
            claim
                .verify(&key, "GET", "/", &[], b"", 1000 + MAX_SKEW_SECS as i64)
                .is_ok()
        );
        assert!(
            claim
                .verify(&key, "GET", "/", &[], b"", 1001 + MAX_SKEW_SECS as i64)
                .is_err()
        );
    }

    #[test]
    fn an_answer_is_bound_to_its_request_status_and_body() {
        let server = ident(3);
        let key = server.key.verifying_key();
        let sig = server.sign_answer("abcd", 200, &[], b"{}");
        assert!(verify_answer(&key, "abcd", 200, &[], b"{}", Some(&sig)).is_ok());
        assert!(verify_answer(&key, "abce", 200, &[], b"{}", Some(&sig)).is_err());
        assert!(verify_answer(&key, "abcd", 404, &[], b"{}", Some(&sig)).is_err());
        assert!(verify_answer(&key, "abcd", 200, &[], b"[]", Some(&sig)).is_err());
        assert!(verify_answer(&key, "abcd", 200, &[], b"{}", None).is_err());
    }

    #[test]
    fn the_same_request_twice_in_one_second_is_signed_differently() {
        let me = ident(1);
        let a = me.sign_request("GET", "/", &[], b"", 1000);
        let b = me.sign_request("GET", "/", &[], b"", 1000);
        assert_ne!(a[2].1, b[2].1);
        assert!(
            claim_of(&b)
                .verify(&me.key.verifying_key(), "GET", "/", &[], b"", 1000)
                .is_ok()
        );
    }

    #[test]
    fn the_declared_purpose_and_any_other_symbolon_header_are_signed() {
        let me = ident(1);
        let key = me.key.verifying_key();
        let sent = covered([("X-Symbolon-Purpose", "incident-response"), ("Accept", "x")]);
        assert_eq!(
            sent,
            [(
                "x-symbolon-purpose".to_owned(),
                "incident-response".to_owned()
            )]
        );
        let h = me.sign_request("GET", "/a/", &sent, b"", 1000);
        let claim = claim_of(&h);
        assert!(claim.verify(&key, "GET", "/a/", &sent, b"", 1000).is_ok());
        // An on-path party changes, drops or adds a purpose: the signature no longer holds.
        let changed = covered([("x-symbolon-purpose", "joint-threat-assessment")]);
        assert!(
            claim
                .verify(&key, "GET", "/a/", &changed, b"", 1000)
                .is_err()
        );
        assert!(claim.verify(&key, "GET", "/a/", &[], b"", 1000).is_err());
        let added = covered([
            ("x-symbolon-purpose", "incident-response"),
            ("x-symbolon-seal", "s"),
        ]);
        assert!(claim.verify(&key, "GET", "/a/", &added, b"", 1000).is_err());
        // The signature headers themselves are not part of what they sign.
        let with_sig = covered(
            h.iter()
                .map(|(n, v)| (*n, v.as_str()))
                .chain(sent.iter().map(|(n, v)| (n.as_str(), v.as_str()))),
        );
        assert_eq!(with_sig, sent);
    }

    #[test]
    fn an_answers_seal_header_is_signed_with_it() {
        let server = ident(3);
        let key = server.key.verifying_key();
        let headers = covered([("x-symbolon-seal", "abc")]);
        let sig = server.sign_answer("r", 200, &headers, b"{}");
        assert!(verify_answer(&key, "r", 200, &headers, b"{}", Some(&sig)).is_ok());
        let bent = covered([("x-symbolon-seal", "abd")]);
        assert!(verify_answer(&key, "r", 200, &bent, b"{}", Some(&sig)).is_err());
    }

    #[test]
    fn a_date_at_the_edge_of_the_integers_is_refused_without_overflow() {
        let me = ident(1);
        let h = me.sign_request("GET", "/", &[], b"", 1000);
        let mut claim = claim_of(&h);
        for date in [i64::MIN, i64::MAX] {
            claim.date = date;
            assert!(claim.skew(1000) > MAX_SKEW_SECS);
            assert!(
                claim
                    .verify(&me.key.verifying_key(), "GET", "/", &[], b"", 1000)
                    .is_err()
            );
        }
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
