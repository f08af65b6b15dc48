//! What peer nodes ask of each other besides TAXII (under `/symbolon/peer/`, node-signed
//! requests only): the mutual witness of audit logs, the agreement's signed records that
//! travel (consents, revocations, notices, lifecycle notifications), and the originator's
//! proof over a forwarded object. The shapes are `federation::wire`'s; the answers the
//! core's.

use crate::auth::Declared;
use crate::error::{ApiResult, TaxiiError};
use crate::node_auth::NodeCaller;
use crate::{AppState, blocking};
use axum::Extension;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use federation::wire::{After, ProvenanceQuery, Since, WitnessPost, Witnessed};
use serde::Serialize;
use symbolon_core::Caller;

/// Only peer nodes may call these endpoints.
fn node(caller: Option<Extension<NodeCaller>>) -> ApiResult<NodeCaller> {
    caller
        .map(|Extension(c)| c)
        .ok_or_else(|| TaxiiError::forbidden("only a peer node (node-signed request) may ask this"))
}

fn json_answer(status: StatusCode, v: &impl Serialize) -> Response {
    let body = serde_json::to_vec(v).unwrap_or_default();
    let mut r = (status, body).into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    r
}

pub async fn witness_view(
    State(state): State<AppState>,
    caller: Option<Extension<NodeCaller>>,
    Query(q): Query<Since>,
) -> ApiResult<Response> {
    let caller = node(caller)?;
    let core = state.core.clone();
    let view = blocking(move || Ok(core.witness_view(&caller.peer, q.since)?)).await?;
    Ok(json_answer(StatusCode::OK, &view))
}

pub async fn witness_take(
    State(state): State<AppState>,
    caller: Option<Extension<NodeCaller>>,
    body: Bytes,
) -> ApiResult<Response> {
    let caller = node(caller)?;
    let post: WitnessPost = serde_json::from_slice(&body)
        .map_err(|e| TaxiiError::bad_request(format!("the body is not a tree head: {e}")))?;
    let core = state.core.clone();
    blocking(move || {
        let peer = core
            .peer(&caller.peer)?
            .ok_or_else(|| TaxiiError::forbidden("not a peer"))?;
        match core.witness(&peer, &post.head, post.consistency.as_ref())? {
            Ok(size) => Ok(json_answer(StatusCode::OK, &Witnessed { witnessed: size })),
            Err(breach) => Err(TaxiiError::new(
                StatusCode::CONFLICT,
                "Audit log breach",
                format!(
                    "witness: {breach}; exchange with `{}` is halted on this node",
                    peer.id
                ),
            )),
        }
    })
    .await
}

/// The signed records this node holds after position `after`, for another competent
/// authority's node.
pub async fn records(
    State(state): State<AppState>,
    caller: Option<Extension<NodeCaller>>,
    Extension(principal): Extension<policy::Principal>,
    Query(q): Query<After>,
) -> ApiResult<Response> {
    node(caller)?;
    let core = state.core.clone();
    let records = blocking(move || Ok(core.records_for(&principal, q.after)?)).await?;
    Ok(json_answer(StatusCode::OK, &records))
}

/// The originator's seal over one object this node holds, with the object's audit path
/// under it: decided and recorded like any read.
pub async fn provenance(
    State(state): State<AppState>,
    Extension(principal): Extension<policy::Principal>,
    Extension(declared): Extension<Declared>,
    Query(q): Query<ProvenanceQuery>,
) -> ApiResult<Response> {
    let core = state.core.clone();
    let proof = blocking(move || {
        let caller = Caller {
            principal: &principal,
            purpose: declared.0.as_deref(),
        };
        let (c, _) = core.visible_collection(&principal, None, &q.collection)?;
        Ok(core.proof(&caller, &c, &q.object, q.version.as_deref())?)
    })
    .await?;
    Ok(json_answer(StatusCode::OK, &proof))
}
