//! The audit log over HTTP (outside the TAXII resource tree, under `/symbolon/audit/`):
//! the latest signed tree head, an entry with its inclusion proof, and consistency proofs —
//! the same JSON the CLI prints (`audit::report`), for the node's administrators.

use crate::error::ApiResult;
use crate::{AppState, blocking};
use axum::Extension;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use policy::Principal;
use serde::Deserialize;

fn json(v: serde_json::Value) -> Response {
    let body = serde_json::to_vec_pretty(&v).unwrap_or_default();
    let mut r = (StatusCode::OK, body).into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    r
}

async fn with_log(
    state: &AppState,
    principal: Principal,
    f: impl FnOnce(&audit::AuditLog) -> Result<serde_json::Value, audit::AuditError> + Send + 'static,
) -> ApiResult<Response> {
    let core = state.core.clone();
    let v = blocking(move || Ok(core.inspect_audit(&principal, f)?)).await?;
    Ok(json(v))
}

pub async fn head(
    State(state): State<AppState>,
    Extension(p): Extension<Principal>,
) -> ApiResult<Response> {
    with_log(&state, p, audit::report::head).await
}

#[derive(Deserialize)]
pub struct SizeParam {
    size: Option<u64>,
}

pub async fn entry(
    State(state): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(index): Path<u64>,
    Query(q): Query<SizeParam>,
) -> ApiResult<Response> {
    with_log(&state, p, move |log| {
        audit::report::inclusion(log, index, q.size)
    })
    .await
}

#[derive(Deserialize)]
pub struct RangeParams {
    from: u64,
    to: Option<u64>,
}

pub async fn consistency(
    State(state): State<AppState>,
    Extension(p): Extension<Principal>,
    Query(q): Query<RangeParams>,
) -> ApiResult<Response> {
    with_log(&state, p, move |log| {
        audit::report::consistency(log, q.from, q.to)
    })
    .await
}
