//! The HTTP client a node uses to talk to one peer: every request signed as this node's
//! authority (its `X-Symbolon-*` headers included), every answer checked against the peer's
//! key before anything in it is used, and no answer read beyond [`MAX_ANSWER_BYTES`].

use crate::request::{
    ANSWER_SIGNATURE_HEADER, Identity, KEY_DESIGNATION_HEADER, PURPOSE_HEADER, covered, now_secs,
};
use crate::{FederationError, Result};
use ed25519_dalek::VerifyingKey;
use std::io::Read;
use std::time::Duration;

pub const TAXII: &str = "application/taxii+json;version=2.1";

/// The largest answer a peer may send (a page of objects is far smaller; anything larger
/// is refused rather than buffered).
pub const MAX_ANSWER_BYTES: u64 = 256 << 20;

/// A peer as the client needs it.
#[derive(Clone)]
pub struct PeerClient {
    /// The peer's authority id (for messages).
    pub peer: String,
    base: reqwest::Url,
    key: VerifyingKey,
    me: Identity,
    http: reqwest::blocking::Client,
    timeout: Duration,
    /// The purpose every request declares (Art. 6.4), if set.
    purpose: Option<String>,
    /// This node's latest key rotation, announced on every request (header value).
    rotation: Option<String>,
    /// The largest answer read.
    limit: u64,
}

/// An answer from the peer, with the outcome of checking its signature.
pub struct Answer {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub body: Vec<u8>,
    /// `Err(why)` when the answer is not signed by the peer's key over this request, status,
    /// `X-Symbolon-*` headers and body (altered on the way, or not from the peer).
    pub authentic: Result<()>,
    /// The signature of the request this answers (an answer is bound to it).
    request_signature: String,
}

impl Answer {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// Is the answer signed by `key` (over this request, status, headers and body)? What a
    /// node asks when the peer's answer is not signed by the key it holds for the peer,
    /// but the answer carries the peer's designation of a new key signed with that key.
    pub fn signed_by(&self, key: &VerifyingKey) -> Result<()> {
        let covered_headers = covered(
            self.headers
                .iter()
                .filter_map(|(n, v)| Some((n.as_str(), v.to_str().ok()?))),
        );
        crate::request::verify_answer(
            key,
            &self.request_signature,
            self.status,
            &covered_headers,
            &self.body,
            self.header(ANSWER_SIGNATURE_HEADER),
        )
    }
}

impl PeerClient {
    /// A client for the peer at `base_url` (scheme, host, port and any path prefix).
    pub fn new(
        peer: &str,
        base_url: &str,
        key: VerifyingKey,
        me: Identity,
        timeout: Duration,
    ) -> Result<PeerClient> {
        let mut base = reqwest::Url::parse(base_url).map_err(|e| {
            FederationError::Invalid(format!("peer {peer}: `{base_url}` is not a URL: {e}"))
        })?;
        if !base.path().ends_with('/') {
            let p = format!("{}/", base.path());
            base.set_path(&p);
        }
        let http = reqwest::blocking::Client::builder()
            .connect_timeout(Duration::from_secs(5))
            .timeout(timeout)
            .build()
            .map_err(|e| FederationError::Invalid(format!("building an HTTP client: {e}")))?;
        Ok(PeerClient {
            peer: peer.into(),
            base,
            key,
            me,
            http,
            timeout,
            purpose: None,
            rotation: None,
            limit: MAX_ANSWER_BYTES,
        })
    }

    /// Trusts only the certificate authorities in `pem` (one or more PEM certificates) for
    /// an `https` peer, instead of the system's: a private national PKI, or the peer's own
    /// self-signed certificate (which then pins it).
    pub fn trusting(mut self, pem: &[u8]) -> Result<PeerClient> {
        let certs = reqwest::Certificate::from_pem_bundle(pem).map_err(|e| {
            FederationError::Invalid(format!("the peers' CA file holds no PEM certificate: {e}"))
        })?;
        let mut b = reqwest::blocking::Client::builder()
            .connect_timeout(Duration::from_secs(5))
            .timeout(self.timeout)
            .tls_built_in_root_certs(false);
        for c in certs {
            b = b.add_root_certificate(c);
        }
        self.http = b
            .build()
            .map_err(|e| FederationError::Invalid(format!("building an HTTP client: {e}")))?;
        Ok(self)
    }

    /// Reads no answer larger than `bytes` (default [`MAX_ANSWER_BYTES`]).
    pub fn with_answer_limit(mut self, bytes: u64) -> PeerClient {
        self.limit = bytes;
        self
    }

    /// Announces this node's key rotation on every request ([`KEY_DESIGNATION_HEADER`]:
    /// its designation of itself with its key, signed with the key before, as JSON).
    pub fn announcing(mut self, designation: Option<&[u8]>) -> PeerClient {
        self.rotation = designation.map(crate::request::designation_header);
        self
    }

    /// Declares `purpose` (one of the agreement's) on every request (Art. 6.4).
    pub fn declaring(mut self, purpose: Option<String>) -> PeerClient {
        self.purpose = purpose;
        self
    }

    fn bad(&self, reason: impl Into<String>) -> FederationError {
        FederationError::BadAnswer {
            peer: self.peer.clone(),
            reason: reason.into(),
        }
    }

    /// Sends a signed request and returns the answer once its signature checks out.
    pub fn send(&self, method: &str, path: &str, body: Option<(&str, Vec<u8>)>) -> Result<Answer> {
        let a = self.fetch(method, path, body)?;
        if let Err(why) = &a.authentic {
            let text: String = String::from_utf8_lossy(&a.body).chars().take(300).collect();
            return Err(self.bad(format!(
                "{method} {path} answered {}: {why} ({text})",
                a.status
            )));
        }
        Ok(a)
    }

    /// Sends a signed request for `path` (relative to the base, may carry a query) and
    /// returns the answer with the outcome of its signature check, for a caller that keeps
    /// what failed (a page of objects goes to the quarantine).
    pub fn fetch(&self, method: &str, path: &str, body: Option<(&str, Vec<u8>)>) -> Result<Answer> {
        self.fetch_with(method, path, body, None)
    }

    fn fetch_with(
        &self,
        method: &str,
        path: &str,
        body: Option<(&str, Vec<u8>)>,
        seal_header: Option<&str>,
    ) -> Result<Answer> {
        let url = self
            .base
            .join(path.trim_start_matches('/'))
            .map_err(|e| FederationError::Invalid(format!("`{path}`: {e}")))?;
        let path_and_query = match url.query() {
            Some(q) => format!("{}?{q}", url.path()),
            None => url.path().to_owned(),
        };
        let mut symbolon: Vec<(&str, &str)> = Vec::new();
        if let Some(p) = &self.purpose {
            symbolon.push((PURPOSE_HEADER, p));
        }
        if let Some(r) = &self.rotation {
            symbolon.push((KEY_DESIGNATION_HEADER, r));
        }
        if let Some(seal) = seal_header {
            symbolon.push((crate::provenance::SEAL_HEADER, seal));
        }
        let signed_headers = covered(symbolon.iter().copied());
        let bytes = body.as_ref().map(|(_, b)| b.as_slice()).unwrap_or_default();
        let signed =
            self.me
                .sign_request(method, &path_and_query, &signed_headers, bytes, now_secs());
        let request_sig = signed[2].1.clone();
        let m = reqwest::Method::from_bytes(method.as_bytes())
            .map_err(|_| FederationError::Invalid(format!("method `{method}`")))?;
        let mut req = self.http.request(m, url.clone()).header("Accept", TAXII);
        for (name, value) in symbolon {
            req = req.header(name, value);
        }
        for (name, value) in signed {
            req = req.header(name, value);
        }
        if let Some((content_type, b)) = body {
            req = req.header("Content-Type", content_type).body(b);
        }
        let unreachable = |reason: String| FederationError::Unreachable {
            peer: self.peer.clone(),
            reason,
        };
        let resp = req
            .send()
            .map_err(|e| unreachable(format!("{method} {url}: {e}")))?;
        let status = resp.status().as_u16();
        let headers = resp.headers().clone();
        let limit = self.limit;
        let too_large = || {
            self.bad(format!(
                "{method} {url}: the answer is larger than {limit} bytes"
            ))
        };
        if resp.content_length().is_some_and(|n| n > limit) {
            return Err(too_large());
        }
        let mut body = Vec::new();
        resp.take(limit + 1)
            .read_to_end(&mut body)
            .map_err(|e| unreachable(format!("reading the answer to {method} {url}: {e}")))?;
        if body.len() as u64 > limit {
            return Err(too_large());
        }
        let answer_sig = headers
            .get(ANSWER_SIGNATURE_HEADER)
            .and_then(|v| v.to_str().ok());
        let answer_headers = covered(
            headers
                .iter()
                .filter_map(|(n, v)| Some((n.as_str(), v.to_str().ok()?))),
        );
        let authentic = crate::request::verify_answer(
            &self.key,
            &request_sig,
            status,
            &answer_headers,
            &body,
            answer_sig,
        );
        Ok(Answer {
            status,
            headers,
            body,
            authentic,
            request_signature: request_sig,
        })
    }

    /// POSTs a TAXII envelope with this node's seal over its objects (a push).
    pub fn send_sealed(&self, path: &str, envelope: Vec<u8>, seal_header: &str) -> Result<Answer> {
        let a = self.fetch_with("POST", path, Some((TAXII, envelope)), Some(seal_header))?;
        if let Err(why) = &a.authentic {
            return Err(self.bad(format!("POST {path}: {why}")));
        }
        Ok(a)
    }

    /// GETs `path` and reads a JSON answer; any status but 200 is an error naming it.
    pub fn get_json<T: serde::de::DeserializeOwned>(&self, path: &str) -> Result<T> {
        let a = self.send("GET", path, None)?;
        self.expect(&a, 200, path)?;
        serde_json::from_slice(&a.body).map_err(|e| {
            self.bad(format!(
                "GET {path}: the answer is not what was asked for: {e}"
            ))
        })
    }

    /// Fails unless the answer has `status`, quoting the peer's error text.
    pub fn expect(&self, a: &Answer, status: u16, path: &str) -> Result<()> {
        if a.status == status {
            return Ok(());
        }
        let text = String::from_utf8_lossy(&a.body);
        let text: String = text.chars().take(400).collect();
        Err(self.bad(format!("{path} answered {}: {text}", a.status)))
    }
}
