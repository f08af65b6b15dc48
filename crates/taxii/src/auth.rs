//! HTTP Basic authentication (TAXII 2.1 §1.6.7) as a layer: a request reaches a handler only
//! with a [`policy::Principal`] in its extensions, or it gets 401 with a challenge.
//!
//! Argon2id costs tens of milliseconds by design, far too much per request for a client
//! paging through a collection, so a verified (user, password) pair is remembered by its
//! SHA-256 together with the stored hash it matched. The user row and grants are still read
//! on every request, so a changed password or grant applies at once.

use crate::AppState;
use crate::error::TaxiiError;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use base64::Engine;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};
use symbolon_core::AnsweredFor;
use symbolon_core::signin::{PasswordCheck, retry_after_secs};

/// How long a verified password is trusted without re-running Argon2.
const VERIFIED_TTL: Duration = Duration::from_secs(300);
const MAX_CACHED: usize = 10_000;

#[derive(Default)]
pub struct Verified {
    entries: Mutex<HashMap<[u8; 32], (String, Instant)>>,
}

impl Verified {
    fn check(&self, fingerprint: &[u8; 32], stored_hash: &str) -> bool {
        let entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        entries
            .get(fingerprint)
            .is_some_and(|(h, at)| h == stored_hash && at.elapsed() < VERIFIED_TTL)
    }

    fn remember(&self, fingerprint: [u8; 32], stored_hash: &str) {
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        if entries.len() >= MAX_CACHED {
            entries.retain(|_, (_, at)| at.elapsed() < VERIFIED_TTL);
            if entries.len() >= MAX_CACHED {
                entries.clear();
            }
        }
        entries.insert(fingerprint, (stored_hash.to_owned(), Instant::now()));
    }
}

fn challenge(description: &str) -> Response {
    let mut resp = TaxiiError::new(
        StatusCode::UNAUTHORIZED,
        "Authentication required",
        description,
    )
    .into_response();
    resp.headers_mut().insert(
        header::WWW_AUTHENTICATE,
        HeaderValue::from_static("Basic realm=\"Symbolon TAXII\", charset=\"UTF-8\""),
    );
    resp
}

/// Whether the client connected from this host. A request without connection information
/// was handed in by the process itself (tests, in-process callers), not by the network.
fn from_loopback(req: &Request) -> bool {
    req.extensions()
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .is_none_or(|c| match c.0.ip() {
            std::net::IpAddr::V4(v4) => v4.is_loopback(),
            std::net::IpAddr::V6(v6) => v6
                .to_ipv4_mapped()
                .map_or(v6.is_loopback(), |v4| v4.is_loopback()),
        })
}

fn credentials(req: &Request) -> Option<(String, String)> {
    let value = req.headers().get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, encoded) = value.trim().split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(encoded.trim())
        .ok()?;
    let text = String::from_utf8(decoded).ok()?;
    let (user, pass) = text.split_once(':')?;
    Some((user.to_owned(), pass.to_owned()))
}

/// The purpose a request declares (Art. 6.4), from the `X-Symbolon-Purpose` header; `None`
/// means the principal's default purpose.
#[derive(Debug, Clone, Default)]
pub struct Declared(pub Option<String>);

/// Header by which a request declares its purpose.
pub const PURPOSE_HEADER: &str = federation::request::PURPOSE_HEADER;

/// 429 with `Retry-After`: too many password attempts on this name (`symbolon_core::signin`).
fn slowed(wait: std::time::Duration) -> TaxiiError {
    let secs = retry_after_secs(wait);
    TaxiiError::new(
        StatusCode::TOO_MANY_REQUESTS,
        "Too many attempts",
        format!("too many password attempts for this user: try again in {secs} s"),
    )
    .with_retry_after(secs)
}

/// The authentication layer.
pub async fn authenticate(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let declared = match req.headers().get(PURPOSE_HEADER).map(|v| v.to_str()) {
        None => Declared(None),
        Some(Ok(p)) if !p.trim().is_empty() => Declared(Some(p.trim().to_owned())),
        Some(_) => {
            return TaxiiError::bad_request(format!(
                "the {PURPOSE_HEADER} header must name a purpose of the agreement"
            ))
            .into_response();
        }
    };
    match crate::node_auth::claim(&req) {
        Some(Ok(claim)) => {
            return crate::node_auth::authenticate(state, claim, req, next, declared).await;
        }
        Some(Err(why)) => {
            return TaxiiError::new(
                StatusCode::UNAUTHORIZED,
                "Node authentication failed",
                why.to_string(),
            )
            .into_response();
        }
        None => {}
    }
    let Some((user, password)) = credentials(&req) else {
        return challenge("send HTTP Basic credentials");
    };
    if !state.info.tls && !state.info.basic_over_plain_http && !from_loopback(&req) {
        // The password already crossed the network; refusing stops the habit, and says how.
        return TaxiiError::new(
            StatusCode::FORBIDDEN,
            "Credentials over plain HTTP",
            "this node takes passwords over plain HTTP only from this host: reach it over HTTPS (serve --tls-cert/--tls-key, or a TLS proxy), or its operator may allow it (serve --allow-basic-over-http)",
        )
        .into_response();
    }
    // The common case answers on this thread: the user as of the store's one question
    // (cached until an administrative change), and a password verified recently. Only a
    // password not verified yet costs Argon2 on a blocking thread.
    let fingerprint: [u8; 32] = Sha256::new()
        .chain_update(user.as_bytes())
        .chain_update([0])
        .chain_update(password.as_bytes())
        .finalize()
        .into();
    let known = match state.core.user_and_principal(&user) {
        Ok(k) => k,
        Err(e) => return TaxiiError::from(e).into_response(),
    };
    let outcome: Result<Result<Option<policy::Principal>, TaxiiError>, tokio::task::JoinError> =
        match known {
            Some((record, principal))
                if state.verified.check(&fingerprint, &record.password_hash) =>
            {
                Ok(Ok(Some(principal)))
            }
            // Unknown users are checked as long as known ones (the core's `check_password`).
            known => {
                let verified = state.verified.clone();
                let core = state.core.clone();
                tokio::task::spawn_blocking(move || {
                    match core.check_password(&user, &password)? {
                        PasswordCheck::Verified => {}
                        PasswordCheck::Wrong => return Ok(None),
                        PasswordCheck::Slowed(wait) => return Err(slowed(wait)),
                    }
                    let Some((record, principal)) = known else {
                        return Ok(None);
                    };
                    verified.remember(fingerprint, &record.password_hash);
                    Ok(Some(principal))
                })
                .await
            }
        };
    match outcome {
        Ok(Ok(Some(principal))) => {
            let name = AnsweredFor(principal.name.clone());
            req.extensions_mut().insert(principal);
            req.extensions_mut().insert(declared);
            let mut resp = next.run(req).await;
            resp.extensions_mut().insert(name);
            resp
        }
        Ok(Ok(None)) => challenge("unknown user or wrong password"),
        Ok(Err(e)) => e.into_response(),
        Err(e) => TaxiiError::internal(format!("authentication task failed: {e}")).into_response(),
    }
}
