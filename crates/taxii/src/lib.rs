//! The TAXII 2.1 API of a Symbolon node: every endpoint of the specification (discovery,
//! API root, status, collections, collection, objects GET/POST, object GET/DELETE,
//! versions, manifest) and the node's own endpoints: lookups (`/symbolon/lookup`), the
//! audit log for administrators (`/symbolon/audit/`) and peers (`/symbolon/peer/`), over
//! axum.
//!
//! This crate translates HTTP only. Every read and write goes to `symbolon_core::Core`,
//! which refreshes the policy, decides every object and records the request before the
//! answer leaves; a handler parses parameters, calls the core and renders what it answers.
//! Behaviour common to all endpoints lives in layers: [`media`] negotiation (406), Basic
//! [`auth`] and node signatures ([`node_auth`]) (401).
//!
//! ```no_run
//! # async fn run() {
//! let (core, _) = symbolon_core::Core::open_or_init(std::path::Path::new("data"), None).unwrap();
//! let app = taxii::router(taxii::AppState::new(std::sync::Arc::new(core), taxii::ServerInfo::default()));
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:6100").await.unwrap();
//! axum::serve(listener, app).await.unwrap();
//! # }
//! ```

pub mod audit_api;
pub mod auth;
pub mod error;
mod handlers;
pub mod lookup_api;
pub mod media;
pub mod node_auth;
pub mod ops;
pub mod params;
pub mod peer_api;
mod render;

use axum::Router;
use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use error::TaxiiError;
use std::sync::Arc;
use symbolon_core::Core;

pub use error::TAXII_MEDIA_TYPE;

/// Largest bulk lookup body: room for the core's most values per lookup.
const LOOKUP_BODY_LIMIT: usize = 32 << 20;

/// What the discovery resource says about this server (TAXII 2.1 §4.1).
#[derive(Debug, Clone)]
pub struct ServerInfo {
    pub title: String,
    pub description: Option<String>,
    pub contact: Option<String>,
    /// The URL clients reach the node at, when it is not what they connect to (a reverse
    /// proxy in front): discovery advertises API roots under it.
    pub public_url: Option<String>,
    /// The node itself speaks TLS (discovery says `https`).
    pub tls: bool,
    /// Accept Basic credentials on plain HTTP from other hosts too. Off: over plain HTTP
    /// only a loopback client (a local tool, or a TLS-terminating proxy on this host) may
    /// send a password.
    pub basic_over_plain_http: bool,
}

impl Default for ServerInfo {
    fn default() -> Self {
        ServerInfo {
            title: "Symbolon".into(),
            description: Some(
                "Symbolon node: STIX 2.1 over TAXII 2.1 under an information-security agreement"
                    .into(),
            ),
            contact: None,
            public_url: None,
            tls: false,
            basic_over_plain_http: false,
        }
    }
}

/// Shared state of the API, passed to every handler and layer.
#[derive(Clone)]
pub struct AppState {
    pub core: Arc<Core>,
    pub info: Arc<ServerInfo>,
    /// This node's authority and key as its peers know it: answers to peer nodes are
    /// signed with it and pages sent to them sealed (none: a node without a name for its
    /// peers, which they then refuse).
    pub identity: Option<federation::request::Identity>,
    verified: Arc<auth::Verified>,
    seen: Arc<node_auth::SeenSignatures>,
    pub(crate) http: Arc<ops::HttpMetrics>,
}

impl AppState {
    pub fn new(core: Arc<Core>, info: ServerInfo) -> Self {
        AppState {
            identity: core.identity().ok(),
            core,
            info: Arc::new(info),
            verified: Arc::default(),
            seen: Arc::default(),
            http: Arc::default(),
        }
    }
}

/// TAXII 2.1 §3.2: a client that cannot take `application/taxii+json;version=2.1` gets 406.
async fn negotiate(req: Request, next: Next) -> Response {
    let accept = req
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok());
    if !media::accepts_taxii(accept) {
        return TaxiiError::new(
            StatusCode::NOT_ACCEPTABLE,
            "Not acceptable",
            format!(
                "this server answers with {TAXII_MEDIA_TYPE}; the Accept header does not admit it"
            ),
        )
        .into_response();
    }
    next.run(req).await
}

/// A path whose percent-escapes do not decode to UTF-8 names no resource; the extractors
/// would refuse it in plain text, so it is refused here as a TAXII error.
async fn path_is_text(req: Request, next: Next) -> Response {
    if !decodes_to_text(req.uri().path()) {
        return TaxiiError::bad_request(
            "the URL path is not UTF-8 text once its %-escapes are decoded",
        )
        .into_response();
    }
    next.run(req).await
}

fn decodes_to_text(path: &str) -> bool {
    let b = path.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = |c: u8| (c as char).to_digit(16);
        match (
            b[i],
            b.get(i + 1).copied().and_then(hex),
            b.get(i + 2).copied().and_then(hex),
        ) {
            (b'%', Some(h), Some(l)) => {
                out.push((h * 16 + l) as u8);
                i += 3;
            }
            (c, _, _) => {
                out.push(c);
                i += 1;
            }
        }
    }
    std::str::from_utf8(&out).is_ok()
}

async fn fallback() -> TaxiiError {
    TaxiiError::not_found("no TAXII resource at this URL")
}

/// Most of an extractor's refusal kept as the error's description.
const REFUSAL_TEXT_LIMIT: usize = 4096;

/// Every failure is a TAXII error object (§3.6.1): a refusal written by the router or an
/// extractor (a method the resource does not take, a path segment that is not a number, a
/// missing query parameter, an unreadable body) comes as plain text or empty and is
/// rewritten here, keeping its status, its words and its `Allow` (RFC 9110 §15.5.6).
async fn errors_are_taxii(req: Request, next: Next) -> Response {
    let resp = next.run(req).await;
    let status = resp.status();
    let plain = resp
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_none_or(|t| t.starts_with("text/plain"));
    if !(status.is_client_error() || status.is_server_error()) || !plain {
        return resp;
    }
    let (parts, body) = resp.into_parts();
    let text = match axum::body::to_bytes(body, REFUSAL_TEXT_LIMIT).await {
        Ok(b) => String::from_utf8_lossy(&b).trim().to_owned(),
        Err(_) => String::new(),
    };
    let title = sentence_case(status.canonical_reason().unwrap_or("Error"));
    let description = match (text.is_empty(), status) {
        (false, _) => text,
        (true, StatusCode::METHOD_NOT_ALLOWED) => {
            "this resource does not support that method".to_owned()
        }
        (true, _) => title.clone(),
    };
    let mut answer = TaxiiError::new(status, title, description).into_response();
    for name in [header::ALLOW, header::WWW_AUTHENTICATE] {
        if let Some(v) = parts.headers.get(&name) {
            answer.headers_mut().insert(name, v.clone());
        }
    }
    answer
}

/// "Method Not Allowed" as the node's own titles are written: "Method not allowed".
fn sentence_case(reason: &str) -> String {
    let lower = reason.to_ascii_lowercase();
    let mut chars = lower.chars();
    chars
        .next()
        .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
        .unwrap_or_default()
}

/// The complete router: TAXII 2.1 and the node's own endpoints, behind authentication.
pub fn router(state: AppState) -> Router {
    use handlers::*;
    Router::new()
        .route("/taxii2/", get(discovery::get))
        .route("/{root}/", get(api_root::get))
        .route("/{root}/status/{status}/", get(status::get))
        .route("/{root}/collections/", get(collections::list))
        .route("/{root}/collections/{coll}/", get(collections::get))
        .route(
            "/{root}/collections/{coll}/objects/",
            get(objects::list).post(objects::add),
        )
        .route(
            "/{root}/collections/{coll}/objects/{id}/",
            get(objects::get).delete(objects::delete),
        )
        .route(
            "/{root}/collections/{coll}/objects/{id}/versions/",
            get(objects::versions),
        )
        .route(
            "/{root}/collections/{coll}/manifest/",
            get(objects::manifest),
        )
        // Media-type negotiation covers the TAXII resources only (added above this layer);
        // the node's own views below answer plain application/json.
        .layer(middleware::from_fn(negotiate))
        .route("/symbolon/audit/head", get(audit_api::head))
        .route("/symbolon/audit/entries/{index}", get(audit_api::entry))
        .route("/symbolon/audit/consistency", get(audit_api::consistency))
        .route(
            "/symbolon/peer/witness",
            get(peer_api::witness_view).post(peer_api::witness_take),
        )
        .route("/symbolon/peer/records", get(peer_api::records))
        .route(
            "/symbolon/lookup",
            get(lookup_api::get)
                .post(lookup_api::post)
                .layer(axum::extract::DefaultBodyLimit::max(LOOKUP_BODY_LIMIT)),
        )
        .route("/symbolon/peer/provenance", get(peer_api::provenance))
        .route("/metrics", get(ops::metrics))
        .fallback(fallback)
        .layer(middleware::from_fn_with_state(
            state.clone(),
            auth::authenticate,
        ))
        // Probes answer without a login (and say nothing of what the node holds).
        .route("/healthz", get(ops::healthz))
        .route("/readyz", get(ops::readyz))
        .route_layer(middleware::from_fn_with_state(state.clone(), ops::observe))
        .layer(middleware::from_fn(errors_are_taxii))
        .layer(middleware::from_fn(path_is_text))
        .with_state(state)
}

/// Runs blocking core work off the async runtime.
pub(crate) async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, TaxiiError> + Send + 'static,
) -> Result<T, TaxiiError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| TaxiiError::internal(format!("worker task failed: {e}")))?
}

pub(crate) type Shared = State<AppState>;
