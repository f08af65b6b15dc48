//! Authentication of peer nodes (federation): a request signed with a node key acts as the
//! peer's user, and every answer to it is signed with this node's key.
//!
//! The key a signature is checked against is the one kept for the peer (`symbolon peer
//! add`, which for a competent authority takes it from the agreement or a signed
//! designation). The signature covers the request's `X-Symbolon-*` headers (the declared
//! purpose, a push's seal) and the answer's signature its own (a page's seal). A password
//! is never a node identity: basic credentials and node signatures are separate ways in.
//! A request signed with a key other than the one held is the peer's only when it announces
//! the peer's key rotation (its designation of itself with that key, signed with the key
//! held): the rotation is then followed first (`Core::follow_peer_key`).

use crate::AppState;
use crate::error::TaxiiError;
use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use federation::request::{
    ANSWER_SIGNATURE_HEADER, Claim, KEY_DESIGNATION_HEADER, MAX_SKEW_SECS, covered, now_secs,
};
use std::collections::HashMap;
use std::sync::Mutex;

/// Largest body a node-signed request may carry (it is read whole to check its digest).
const MAX_SIGNED_BODY: usize = 256 << 20;

/// Who called, when a peer node did; handlers of federation endpoints require it.
#[derive(Debug, Clone)]
pub struct NodeCaller {
    /// The peer's id (its authority id, or a third party's name).
    pub peer: String,
}

/// Request signatures seen within the clock window: a replayed request is refused.
#[derive(Default)]
pub struct SeenSignatures(Mutex<HashMap<String, i64>>);

impl SeenSignatures {
    /// `false` when the signature was already seen.
    fn first_time(&self, signature: &str, date: i64, now: i64) -> bool {
        let mut seen = self.0.lock().unwrap_or_else(|p| p.into_inner());
        if seen.len() > 100_000 {
            seen.retain(|_, d| now.abs_diff(*d) <= MAX_SKEW_SECS);
        }
        seen.insert(signature.to_owned(), date).is_none()
    }
}

fn refuse(description: String) -> Response {
    TaxiiError::new(
        StatusCode::UNAUTHORIZED,
        "Node authentication failed",
        description,
    )
    .into_response()
}

fn header<'a>(req: &'a Request, name: &str) -> Option<&'a str> {
    req.headers().get(name).and_then(|v| v.to_str().ok())
}

/// The `X-Symbolon-*` headers of a message, as its signature covers them.
fn signed_headers(headers: &HeaderMap) -> Vec<(String, String)> {
    covered(
        headers
            .iter()
            .filter_map(|(n, v)| Some((n.as_str(), v.to_str().ok()?))),
    )
}

/// The claim a request makes to be a peer node, if it makes one.
pub(crate) fn claim(req: &Request) -> Option<federation::Result<Claim>> {
    Claim::read(
        header(req, federation::request::NODE_HEADER),
        header(req, federation::request::DATE_HEADER),
        header(req, federation::request::SIGNATURE_HEADER),
    )
}

/// Authenticates a node-signed request, runs it as the peer's principal and signs the
/// answer.
pub(crate) async fn authenticate(
    state: AppState,
    claim: Claim,
    req: Request,
    next: Next,
    declared: crate::auth::Declared,
) -> Response {
    // Who claims to call, and when, is checked before the body is read: a stranger or a
    // stale request costs no buffering.
    let skew = claim.skew(now_secs());
    if skew > MAX_SKEW_SECS {
        return refuse(format!(
            "the request is dated {skew}s away from this node's clock"
        ));
    }
    let core = state.core.clone();
    let node = claim.node.clone();
    let known = tokio::task::spawn_blocking(move || -> Result<store::Peer, String> {
        core.peer(&node)
            .map_err(|e| e.to_string())?
            .ok_or_else(|| format!("`{node}` is not a peer of this node"))
    })
    .await;
    let peer = match known {
        Ok(Ok(p)) => p,
        Ok(Err(why)) => return refuse(why),
        Err(e) => {
            return TaxiiError::internal(format!("authentication task failed: {e}"))
                .into_response();
        }
    };
    let (parts, body) = req.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_SIGNED_BODY).await else {
        return refuse(format!(
            "the body of a node-signed request is limited to {MAX_SIGNED_BODY} bytes"
        ));
    };
    let method = parts.method.as_str().to_owned();
    let path_and_query = parts
        .uri
        .path_and_query()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_else(|| parts.uri.path().to_owned());
    let headers = signed_headers(&parts.headers);
    let path_for_log = path_and_query.clone();
    let core = state.core.clone();
    let (c2, b2) = (claim.clone(), bytes.clone());
    let rotation = parts
        .headers
        .get(KEY_DESIGNATION_HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let checked = tokio::task::spawn_blocking(move || -> Result<policy::Principal, String> {
        let key = ed25519_dalek::VerifyingKey::from_bytes(&peer.public_key)
            .map_err(|_| format!("the key held for `{}` is not Ed25519", peer.id))?;
        let verify = |key: &ed25519_dalek::VerifyingKey| {
            c2.verify(key, &method, &path_and_query, &headers, &b2, now_secs())
        };
        let peer = match verify(&key) {
            Ok(()) => peer,
            Err(e) => match rotation.as_deref().and_then(|h| rotated(h, &peer, &verify)) {
                // Signed with a new key the peer's designation (signed with the key held)
                // vouches for: the rotation is followed, the request is the peer's.
                Some(designation) => core
                    .follow_peer_key(&peer.id, &designation)
                    .map_err(|f| format!("following `{}`'s key rotation: {f}", peer.id))?,
                None => return Err(e.to_string()),
            },
        };
        if let Some(why) = &peer.halted {
            return Err(format!("exchange with `{}` is halted: {why}", peer.id));
        }
        core.principal(&peer.id)
            .map_err(|e| e.to_string())?
            .ok_or_else(|| format!("peer `{}` has no user on this node", peer.id))
    })
    .await;
    let principal = match checked {
        Ok(Ok(p)) => p,
        Ok(Err(why)) => return refuse(why),
        Err(e) => {
            return TaxiiError::internal(format!("authentication task failed: {e}"))
                .into_response();
        }
    };
    if !state
        .seen
        .first_time(&claim.signature, claim.date, now_secs())
    {
        tracing::warn!(path = %path_for_log, "replayed signed request");
        return refuse("this signed request was already received (replay)".into());
    }
    let mut req = Request::from_parts(parts, Body::from(bytes));
    let name = symbolon_core::AnsweredFor(principal.name.clone());
    req.extensions_mut().insert(principal);
    req.extensions_mut().insert(declared);
    req.extensions_mut().insert(NodeCaller {
        peer: claim.node.clone(),
    });
    let resp = next.run(req).await;
    let mut resp = sign_answer(&state, &claim.signature, resp).await;
    resp.extensions_mut().insert(name);
    resp
}

/// The designation a request announces ([`KEY_DESIGNATION_HEADER`]), when it is the peer's
/// designation of itself with a new key, signed with the key held for it, and the request
/// is signed with that new key.
fn rotated(
    header: &str,
    peer: &store::Peer,
    verify: &dyn Fn(&ed25519_dalek::VerifyingKey) -> federation::Result<()>,
) -> Option<policy::ledger::Signed> {
    let json = federation::request::designation_from_header(header)?;
    let signed: policy::ledger::Signed = serde_json::from_slice(&json).ok()?;
    let new = signed.rotation_of(&peer.id, &peer.public_key)?;
    verify(&ed25519_dalek::VerifyingKey::from_bytes(&new).ok()?).ok()?;
    Some(signed)
}

/// Signs an answer to a node with this node's key (unsigned when the node has none, which
/// a peer's client then refuses).
async fn sign_answer(state: &AppState, request_sig: &str, resp: Response) -> Response {
    let Some(me) = &state.identity else {
        return resp;
    };
    let (mut parts, body) = resp.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
        return TaxiiError::internal("could not read the answer to sign it").into_response();
    };
    let headers = signed_headers(&parts.headers);
    let sig = me.sign_answer(request_sig, parts.status.as_u16(), &headers, &bytes);
    if let Ok(v) = HeaderValue::from_str(&sig) {
        parts.headers.insert(ANSWER_SIGNATURE_HEADER, v);
    }
    Response::from_parts(parts, Body::from(bytes))
}
