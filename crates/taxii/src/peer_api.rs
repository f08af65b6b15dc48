//! What peer nodes ask of each other besides TAXII (under `/symbolon/peer/`, node-signed
//! requests only): the mutual witness of audit logs and the signed ledger records that
//! must travel (consents, revocations, confidentiality notices).

use crate::error::{ApiResult, TaxiiError};
use crate::node_auth::NodeCaller;
use crate::{AppState, blocking};
use axum::Extension;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
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
            .peer(&caller.peer)?
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
        let peer = store
            .peer(&caller.peer)?
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
                let mut peer = peer;
                peer.witnessed = Some(serde_json::to_string(&post.head).unwrap_or_default());
                store.put_peer(&peer)?;
                Ok(json_answer(
                    StatusCode::OK,
                    &json!({ "witnessed": post.head.size }),
                ))
            }
            Err(breach) => {
                let id = peer.id.clone();
                halt_peer(store.as_ref(), &log, peer, &breach.to_string())?;
                Err(TaxiiError::new(
                    StatusCode::CONFLICT,
                    "Audit log breach",
                    format!("witness: {breach}; exchange with `{id}` is halted on this node"),
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

/// Halts exchange with a peer whose audit log does not extend what this node witnessed,
/// and records the breach in this node's own log: the one way either side of the witness
/// (serving a peer's POST, or syncing with it) reacts to a breach.
pub fn halt_peer(
    store: &dyn store::Store,
    log: &std::sync::Mutex<audit::AuditLog>,
    mut peer: store::Peer,
    detail: &str,
) -> ApiResult<()> {
    peer.halted = Some(format!("witness: {detail}"));
    store.put_peer(&peer)?;
    let entry = serde_jcs::to_vec(&json!({
        "event": "witness_breach",
        "at": stix::timestamp::format(store::now_micros()),
        "peer": peer.id,
        "detail": detail,
    }))
    .map_err(|e| TaxiiError::internal(e.to_string()))?;
    log.lock()
        .unwrap_or_else(|p| p.into_inner())
        .append(&[entry])
        .map_err(audit_err)?;
    tracing::error!(peer = %peer.id, detail, "peer's audit log rewritten or forked: exchange halted");
    Ok(())
}

/// The key this node knows for `signer`: the agreement's or a designation's, else a peer's.
pub fn signer_key(
    policy: &policy::Policy,
    store: &dyn store::Store,
    signer: &str,
) -> Option<String> {
    policy
        .terms()
        .and_then(|t| t.keys.get(signer).map(hex::encode))
        .or_else(|| store.peer(signer).ok().flatten().map(|p| p.public_key))
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
    if let policy::Decision::Deny(why) = state
        .policy
        .current()
        .may_receive_agreement_records(&principal)
    {
        return Err(TaxiiError::forbidden(why));
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

#[derive(Deserialize)]
pub struct ProvenanceQuery {
    pub collection: String,
    pub object: String,
    /// The version (`modified`); default the latest.
    pub version: Option<String>,
}

/// The originator's seal over one object this node holds, with the object's audit path
/// under it (`federation::provenance::Proof`): a recipient of a forwarded object checks
/// the originator's signature itself. The object is looked up through the policy like any
/// read: what the caller may not receive whole has no proof to give.
pub async fn provenance(
    State(state): State<AppState>,
    Extension(principal): Extension<policy::Principal>,
    Extension(declared): Extension<crate::auth::Declared>,
    Query(q): Query<ProvenanceQuery>,
) -> ApiResult<Response> {
    let policy = state.policy.current();
    let store = state.store.clone();
    let (p2, pr2, d2, coll, object) = (
        policy.clone(),
        principal.clone(),
        declared.clone(),
        q.collection.clone(),
        q.object.clone(),
    );
    let outcome = blocking(move || {
        let (policy, principal, declared) = (p2, pr2, d2);
        proof_for(
            store.as_ref(),
            &policy,
            &principal,
            declared.0.as_deref(),
            &q,
        )
    })
    .await;
    // Handing out an object with its proof is a read like any other: on the record.
    let request = crate::decisions::Request {
        policy: &policy,
        principal: &principal,
        declared: declared.0.as_deref(),
        endpoint: "provenance",
        collection: &coll,
        object: Some(&object),
    };
    match outcome {
        Ok((proof, decided)) => {
            crate::decisions::record(&state, &request, Ok(&decided));
            Ok(json_answer(StatusCode::OK, &proof))
        }
        Err(e) => {
            crate::decisions::refused(&state, &request, &e);
            Err(e)
        }
    }
}

/// The proof for one object, decided for `principal` like any read (see [`provenance`]);
/// also what `symbolon provenance` prints on the node itself.
pub fn proof_for(
    store: &dyn store::Store,
    policy: &policy::Policy,
    principal: &policy::Principal,
    purpose: Option<&str>,
    q: &ProvenanceQuery,
) -> ApiResult<(federation::provenance::Proof, crate::decisions::Decisions)> {
    let declared = crate::auth::Declared(purpose.map(str::to_owned));
    let unknown =
        || TaxiiError::not_found(format!("no object `{}` with a provenance here", q.object));
    let c = store
        .collection(None, &q.collection)?
        .ok_or_else(|| TaxiiError::not_found(format!("no collection `{}`", q.collection)))?;
    let access = policy::Access {
        principal,
        collection: c.key,
        action: policy::Action::Read,
        purpose: declared.0.as_deref(),
    };
    if let policy::Decision::Deny(why) = policy.permits(&access) {
        return Err(TaxiiError::forbidden(why));
    }
    policy.refresh(store)?;
    let version = match &q.version {
        Some(v) => store::VersionSel::At(
            stix::timestamp::parse(v, false)
                .map_err(|e| TaxiiError::bad_request(format!("version: {e}")))?,
        ),
        None => store::VersionSel::Last,
    };
    let filter = store::Filter {
        ids: vec![q.object.clone()],
        versions: vec![version],
        with_body: true,
        ..Default::default()
    };
    let mut found = None;
    store.scan(c.key, &filter, &mut |mut row| {
        let served = policy.serve(&access, &mut row);
        found = Some((row, served));
        std::ops::ControlFlow::Break(())
    })?;
    let (row, served) = found.ok_or_else(unknown)?;
    let mut decided = crate::decisions::Decisions::default();
    match served {
        policy::Served::Whole => decided.serve(&row.id, &row.version, false),
        policy::Served::Withheld(_) => return Err(unknown()),
        policy::Served::Redacted => {
            return Err(TaxiiError::forbidden(
                "you receive this object redacted; the originator's seal covers it whole",
            ));
        }
    }
    let (page, index) = store
        .provenance(c.key, row.date_added)?
        .ok_or_else(unknown)?;
    let seal: federation::provenance::Seal = serde_json::from_str(&page.seal)
        .map_err(|e| TaxiiError::internal(format!("a kept seal does not read back: {e}")))?;
    let signer_key = signer_key(policy, store, &seal.body.signer).unwrap_or_default();
    let proof = federation::provenance::Proof {
        object: serde_json::value::RawValue::from_string(row.json)
            .map_err(|e| TaxiiError::internal(e.to_string()))?,
        seal,
        index: u64::from(index),
        audit_path: federation::provenance::inclusion(&page.leaves, index as usize)
            .iter()
            .map(hex::encode)
            .collect(),
        signer_key,
    };
    Ok((proof, decided))
}
