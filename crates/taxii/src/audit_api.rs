//! The audit log over HTTP (outside the TAXII resource tree, under `/symbolon/audit/`):
//! the latest signed tree head, an entry with its inclusion proof, and consistency proofs —
//! the same JSON the CLI prints (`audit::report`).

use crate::error::{ApiResult, TaxiiError};
use crate::{AppState, blocking};
use axum::Extension;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use policy::{Decision, Principal};
use serde::Deserialize;
use std::sync::{Arc, Mutex};

pub type SharedLog = Arc<Mutex<audit::AuditLog>>;

fn authorise(state: &AppState, principal: &Principal) -> ApiResult<SharedLog> {
    if let Decision::Deny(why) = state.policy.current().may_inspect_audit(principal) {
        return Err(TaxiiError::forbidden(why));
    }
    state
        .audit
        .clone()
        .ok_or_else(|| TaxiiError::not_found("this node serves no audit log"))
}

fn json(v: serde_json::Value) -> Response {
    let body = serde_json::to_vec_pretty(&v).unwrap_or_default();
    let mut r = (StatusCode::OK, body).into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    r
}

fn report(e: audit::AuditError) -> TaxiiError {
    match e {
        audit::AuditError::Invalid(why) => TaxiiError::bad_request(why),
        e => TaxiiError::internal(e.to_string()),
    }
}

async fn with_log(
    state: &AppState,
    principal: &Principal,
    f: impl FnOnce(&audit::AuditLog) -> Result<serde_json::Value, audit::AuditError> + Send + 'static,
) -> ApiResult<Response> {
    let log = authorise(state, principal)?;
    let v = blocking(move || {
        let log = log.lock().unwrap_or_else(|p| p.into_inner());
        f(&log).map_err(report)
    })
    .await?;
    Ok(json(v))
}

pub async fn head(
    State(state): State<AppState>,
    Extension(p): Extension<Principal>,
) -> ApiResult<Response> {
    with_log(&state, &p, audit::report::head).await
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
    with_log(&state, &p, move |log| {
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
    with_log(&state, &p, move |log| {
        audit::report::consistency(log, q.from, q.to)
    })
    .await
}
