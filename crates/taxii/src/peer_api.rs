//! What peer nodes ask of each other besides TAXII (under `/symbolon/peer/`, node-signed
//! requests only): the mutual witness of audit logs and the signed ledger records that
//! must travel (consents, revocations, confidentiality notices).

use crate::error::{ApiResult, TaxiiError};
use crate::node_auth::NodeCaller;
use crate::{AppState, blocking};
use axum::extract::{Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use axum::body::Bytes;
use federation::witness::{self, Consistency, Head};
use serde::{Deserialize, Serialize};
use serde_json::json;

/// Only peer nodes may call these endpoints.
fn node(caller: Option<Extension<NodeCaller>>) -> ApiResult<NodeCaller> {
    caller
        .map(|Extension(c)| c)
        .ok_or_else(|| TaxiiError::forbidden("only a peer node (node-signed request) may ask this"))
}

pub(crate) fn json_answer(status: StatusCode, v: &impl Serialize) -> Response {
    let body = serde_json::to_vec(v).unwrap_or_default();
    let mut r = (status, body).into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    r
}

#[derive(Deserialize)]
pub struct Since {
    /// The size of this node's log the caller last witnessed.
    #[serde(default)]
    since: u64,
}

/// What `GET /symbolon/peer/witness` answers.
#[derive(Debug, Serialize, Deserialize)]
pub struct WitnessView {
    /// This node's latest signed tree head.
    pub head: Head,
    /// From `since` to `head.size`, when both are non-empty and differ.
    pub consistency: Option<Consistency>,
    /// The caller's head as this node last witnessed it.
    pub seen: Option<Head>,
}

/// What `POST /symbolon/peer/witness` takes: the caller's head and the proof that it
/// extends the one this node last saw (`seen` of the GET).
#[derive(Debug, Serialize, Deserialize)]
pub struct WitnessPost {
    pub head: Head,
    pub consistency: Option<Consistency>,
}

fn log(state: &AppState) -> ApiResult<crate::audit_api::SharedLog> {
    state
        .audit
        .clone()
        .ok_or_else(|| TaxiiError::not_found("this node keeps no audit log"))
}

fn audit_err(e: audit::AuditError) -> TaxiiError {
    match e {
        audit::AuditError::Invalid(why) => TaxiiError::bad_request(why),
        e => TaxiiError::internal(e.to_string()),
    }
}

pub async fn witness_view(
    State(state): State<AppState>,
    caller: Option<Extension<NodeCaller>>,
    Query(q): Query<Since>,
) -> ApiResult<Response> {
    let caller = node(caller)?;
    let (log, store) = (log(&state)?, state.store.clone());
    let view = blocking(move || {
        let log = log.lock().unwrap_or_else(|p| p.into_inner());
        let head = match log.latest_head().map_err(audit_err)? {
            Some(h) => Head::of(&h),
            None => Head {
                size: 0,
                timestamp: None,
                root: None,
                signature: None,
            },
        };
        let consistency = if q.since > 0 && q.since < head.size {
            Some(Consistency {
                from: q.since,
                to: head.size,
                consistency_proof: log
                    .consistency_proof(q.since, head.size)
                    .map_err(audit_err)?
                    .iter()
                    .map(hex::encode)
                    .collect(),
            })
        } else {
            None
        };
        let seen = store
            .peers()?
            .into_iter()
            .find(|p| p.id == caller.peer)
            .and_then(|p| p.witnessed)
            .and_then(|w| serde_json::from_str(&w).ok());
        Ok(WitnessView {
            head,
            consistency,
            seen,
        })
    })
    .await?;
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
    let (store, log) = (state.store.clone(), log(&state)?);
    blocking(move || {
        let mut peer = store
            .peers()?
            .into_iter()
            .find(|p| p.id == caller.peer)
            .ok_or_else(|| TaxiiError::forbidden("not a peer"))?;
        let key = federation::public_key(&peer.public_key).map_err(TaxiiError::internal)?;
        post.head
            .check_signature(&key)
            .map_err(|why| TaxiiError::bad_request(format!("your tree head: {why}")))?;
        let seen: Option<Head> = peer
            .witnessed
            .as_deref()
            .and_then(|w| serde_json::from_str(w).ok());
        match witness::extends(seen.as_ref(), &post.head, post.consistency.as_ref()) {
            Ok(()) => {
                peer.witnessed = Some(serde_json::to_string(&post.head).unwrap_or_default());
                store.put_peer(&peer)?;
                Ok(json_answer(
                    StatusCode::OK,
                    &json!({ "witnessed": post.head.size }),
                ))
            }
            Err(breach) => {
                let why = format!("witness: {breach}");
                peer.halted = Some(why.clone());
                store.put_peer(&peer)?;
                let entry = serde_jcs::to_vec(&json!({
                    "event": "witness_breach",
                    "at": stix::timestamp::format(store::now_micros()),
                    "peer": peer.id,
                    "detail": breach.to_string(),
                }))
                .unwrap_or_default();
                log.lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .append(&[entry])
                    .map_err(audit_err)?;
                tracing::error!(peer = %peer.id, %breach, "peer's audit log rewritten or forked: exchange halted");
                Err(TaxiiError::new(
                    StatusCode::CONFLICT,
                    "Audit log breach",
                    format!("{why}; exchange with `{}` is halted on this node", peer.id),
                ))
            }
        }
    })
    .await
}

#[derive(Deserialize)]
pub struct After {
    #[serde(default)]
    after: i64,
}

/// The signed ledger records (consents, revocations, notices, consent requests) this node
/// holds after position `after`, for another competent authority's node.
pub async fn ledger(
    State(state): State<AppState>,
    caller: Option<Extension<NodeCaller>>,
    Extension(principal): Extension<policy::Principal>,
    Query(q): Query<After>,
) -> ApiResult<Response> {
    node(caller)?;
    if !matches!(principal.kind, policy::Kind::Authority(_)) {
        return Err(TaxiiError::forbidden(
            "ledger records travel between the competent authorities only",
        ));
    }
    let store = state.store.clone();
    let records = blocking(move || Ok(store.records_after(q.after)?)).await?;
    let last = records.last().map_or(q.after, |(seq, _)| *seq);
    let list: Vec<Box<serde_json::value::RawValue>> = records
        .into_iter()
        .filter_map(|(_, r)| serde_json::value::RawValue::from_string(r.json).ok())
        .collect();
    Ok(json_answer(
        StatusCode::OK,
        &json!({ "records": list, "last": last }),
    ))
}
