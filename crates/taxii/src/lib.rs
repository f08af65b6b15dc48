//! The TAXII 2.1 API of a Symbolon node: every endpoint of the specification (discovery,
//! API root, status, collections, collection, objects GET/POST, object GET/DELETE,
//! versions, manifest) over axum.
//!
//! Behaviour common to all endpoints lives in layers: [`media`] negotiation (406), Basic
//! [`auth`] (401). Handlers read like the spec sections they serve. Every object a read
//! endpoint returns has passed [`policy::Policy::decide`] in [`read::page`]; no handler
//! filters objects itself.
//!
//! ```no_run
//! # async fn run() {
//! let store = std::sync::Arc::new(store::SqliteStore::open(std::path::Path::new("data")).unwrap());
//! let app = taxii::router(taxii::AppState::new(store, taxii::ServerInfo::default()));
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:6100").await.unwrap();
//! axum::serve(listener, app).await.unwrap();
//! # }
//! ```

pub mod audit_api;
pub mod auth;
pub mod decisions;
pub mod error;
mod handlers;
pub mod media;
pub mod node_auth;
pub mod params;
pub mod peer_api;
mod read;
mod render;

use axum::Router;
use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use error::TaxiiError;
use std::sync::Arc;

pub use error::TAXII_MEDIA_TYPE;

/// What the discovery resource says about this server (TAXII 2.1 §4.1).
#[derive(Debug, Clone)]
pub struct ServerInfo {
    pub title: String,
    pub description: Option<String>,
    pub contact: Option<String>,
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
        }
    }
}

/// The node's policy, replaceable while serving: lifecycle notifications, designations and
/// agreement changes recorded by the CLI take effect without a restart. Each request works
/// with the policy current when it asks ([`PolicyHandle::current`]).
#[derive(Clone)]
pub struct PolicyHandle(Arc<std::sync::RwLock<Arc<policy::Policy>>>);

impl PolicyHandle {
    pub fn new(policy: Arc<policy::Policy>) -> Self {
        PolicyHandle(Arc::new(std::sync::RwLock::new(policy)))
    }

    pub fn current(&self) -> Arc<policy::Policy> {
        self.0.read().unwrap_or_else(|p| p.into_inner()).clone()
    }

    pub fn replace(&self, policy: Arc<policy::Policy>) {
        *self.0.write().unwrap_or_else(|p| p.into_inner()) = policy;
    }
}

/// Shared state of the API, passed to every handler and layer.
#[derive(Clone)]
pub struct AppState {
    pub store: Arc<dyn store::Store>,
    pub policy: PolicyHandle,
    pub info: Arc<ServerInfo>,
    /// The node's audit log, served under `/symbolon/audit/` when present.
    pub audit: Option<audit_api::SharedLog>,
    /// Where access decisions are recorded (the audit log, by group commit); none: not
    /// recorded (a bare API in tests).
    pub recorder: Option<Arc<audit::Recorder>>,
    /// This node's authority and key: answers to peer nodes are signed with it and pages
    /// sent to them sealed (none: a bare API, which peers refuse).
    pub identity: Option<federation::request::Identity>,
    verified: Arc<auth::Verified>,
    seen: Arc<node_auth::SeenSignatures>,
}

impl AppState {
    pub fn new(store: Arc<dyn store::Store>, info: ServerInfo) -> Self {
        AppState {
            store,
            policy: PolicyHandle::new(Arc::new(policy::Policy::default())),
            info: Arc::new(info),
            audit: None,
            recorder: None,
            identity: None,
            verified: Arc::default(),
            seen: Arc::default(),
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

async fn fallback() -> TaxiiError {
    TaxiiError::not_found("no TAXII resource at this URL")
}

async fn method_not_allowed(req: Request, next: Next) -> Response {
    let resp = next.run(req).await;
    if resp.status() == StatusCode::METHOD_NOT_ALLOWED {
        return TaxiiError::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "Method not allowed",
            "this resource does not support that method",
        )
        .into_response();
    }
    resp
}

/// The complete TAXII 2.1 router.
pub fn router(state: AppState) -> Router {
    router_with(state, Router::new())
}

/// The TAXII 2.1 router with `extra` routes of the node (outside the TAXII resources,
/// plain JSON) behind the same authentication.
pub fn router_with(state: AppState, extra: Router<AppState>) -> Router {
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
        // the audit views below answer plain application/json.
        .layer(middleware::from_fn(negotiate))
        .route("/symbolon/audit/head", get(audit_api::head))
        .route("/symbolon/audit/entries/{index}", get(audit_api::entry))
        .route("/symbolon/audit/consistency", get(audit_api::consistency))
        .route(
            "/symbolon/peer/witness",
            get(peer_api::witness_view).post(peer_api::witness_take),
        )
        .route("/symbolon/peer/ledger", get(peer_api::ledger))
        .route("/symbolon/peer/provenance", get(peer_api::provenance))
        .merge(extra)
        .fallback(fallback)
        .layer(middleware::from_fn_with_state(
            state.clone(),
            auth::authenticate,
        ))
        .layer(middleware::from_fn(method_not_allowed))
        .with_state(state)
}

/// Runs blocking store work off the async runtime.
pub(crate) async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, TaxiiError> + Send + 'static,
) -> Result<T, TaxiiError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| TaxiiError::internal(format!("worker task failed: {e}")))?
}

pub(crate) type Shared = State<AppState>;
