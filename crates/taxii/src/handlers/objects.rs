//! TAXII 2.1 §5.3 Get Objects, §5.4 Add Objects, §5.5 Get an Object, §5.6 Delete an Object,
//! §5.7 Get Object Versions, and §5.8 Get Object Manifests.

use crate::auth::Declared;
use crate::error::TaxiiError;
use crate::node_auth::NodeCaller;
use crate::params::{self, Allowed};
use crate::read::{self, Page};
use crate::render::{self, push_str};
use crate::{Shared, blocking, decisions, media};
use axum::Extension;
use axum::body::Body;
use axum::extract::{Path, RawQuery};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;
use policy::{Access, Action, Decision, ObjectFacts, Principal};
use serde_json::json;
use store::{AddOutcome, StatusRecord, VersionSel};

#[derive(Clone, Copy, PartialEq, Eq)]
enum View {
    Objects,
    Manifest,
    Versions,
}

impl View {
    /// The endpoint's name in the audit log.
    fn endpoint(self, one_object: bool) -> &'static str {
        match (self, one_object) {
            (View::Objects, false) => "objects",
            (View::Objects, true) => "object",
            (View::Manifest, _) => "manifest",
            (View::Versions, _) => "versions",
        }
    }
}

fn denied(d: Decision) -> Result<(), TaxiiError> {
    match d {
        Decision::Allow | Decision::Redact(_) => Ok(()),
        Decision::Deny(why) => Err(TaxiiError::forbidden(why)),
    }
}

fn date_headers(page: &Page) -> HeaderMap {
    let mut h = HeaderMap::new();
    if let (Some(first), Some(last)) = (page.rows.first(), page.rows.last()) {
        for (name, t) in [
            ("x-taxii-date-added-first", first.date_added),
            ("x-taxii-date-added-last", last.date_added),
        ] {
            if let Ok(v) = HeaderValue::from_str(&stix::timestamp::format(t)) {
                h.insert(name, v);
            }
        }
    }
    h
}

fn render_page(page: &Page, view: View) -> Vec<u8> {
    let bytes: usize = page.rows.iter().map(|r| r.json.len() + 1).sum();
    let mut out = Vec::with_capacity(bytes + 64 + page.rows.len() * 8);
    out.extend_from_slice(b"{\"more\":");
    out.extend_from_slice(if page.more { b"true" } else { b"false" });
    if let Some(next) = page.next() {
        out.extend_from_slice(b",\"next\":");
        push_str(&mut out, &next);
    }
    if !page.rows.is_empty() {
        out.extend_from_slice(match view {
            View::Objects | View::Manifest => b",\"objects\":[",
            View::Versions => b",\"versions\":[",
        });
        for (i, row) in page.rows.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            match view {
                View::Objects => out.extend_from_slice(row.json.as_bytes()),
                View::Versions => push_str(&mut out, &row.version),
                View::Manifest => {
                    out.extend_from_slice(b"{\"id\":");
                    push_str(&mut out, &row.id);
                    out.extend_from_slice(b",\"date_added\":\"");
                    out.extend_from_slice(stix::timestamp::format(row.date_added).as_bytes());
                    out.extend_from_slice(b"\",\"version\":");
                    push_str(&mut out, &row.version);
                    out.extend_from_slice(b",\"media_type\":\"application/stix+json;version=");
                    out.extend_from_slice(row.spec_version.as_bytes());
                    out.extend_from_slice(b"\"}");
                }
            }
        }
        out.push(b']');
    }
    out.push(b'}');
    out
}

struct ReadRequest {
    root: String,
    coll: String,
    object: Option<String>,
    query: Option<String>,
    allowed: Allowed,
    view: View,
}

/// The seal over a page sent to a peer node (federation): one signature over the Merkle
/// root of the served objects' RFC 8785 leaf hashes.
fn seal(page: &Page, me: &federation::request::Identity) -> Result<HeaderMap, TaxiiError> {
    let last = page
        .rows
        .last()
        .map(|r| stix::timestamp::format(r.date_added));
    let seal = federation::provenance::seal_page(
        me,
        page.rows
            .iter()
            .map(|r| (r.json.as_str(), r.origin.as_deref())),
        &stix::timestamp::format(store::now_micros()),
        last,
    )
    .map_err(|e| TaxiiError::internal(format!("a stored object has no canonical form: {e}")))?;
    let mut h = HeaderMap::new();
    if let Ok(v) = HeaderValue::from_str(&seal.to_header()) {
        h.insert(federation::provenance::SEAL_HEADER, v);
    }
    Ok(h)
}

async fn read(
    state: Shared,
    principal: Principal,
    declared: Declared,
    r: ReadRequest,
    caller: Option<NodeCaller>,
) -> Result<Response, TaxiiError> {
    let mut query = params::parse(r.query.as_deref(), r.allowed)?;
    let paging = query.filter.after_seq.is_some();
    if let Some(id) = &r.object {
        stix::id::parse(id).map_err(|e| TaxiiError::not_found(format!("no object `{id}`: {e}")))?;
        query.filter.ids = vec![id.clone()];
    }
    if r.view == View::Versions {
        query.filter.versions = vec![VersionSel::All];
    }
    query.filter.with_body = r.view == View::Objects;
    let policy = state.policy.current();
    let (store, p, p2, d2, coll, object) = (
        state.store.clone(),
        policy.clone(),
        principal.clone(),
        declared.clone(),
        r.coll.clone(),
        r.object.clone(),
    );
    // Pages of objects sent to a peer node are sealed (provenance).
    let sealer = match (&caller, r.view) {
        (Some(_), View::Objects) => state.identity.clone(),
        _ => None,
    };
    let outcome = blocking(move || {
        let policy = p;
        let (_, c, _) = super::visible_collection(store.as_ref(), &policy, &p2, &r.root, &r.coll)?;
        let access = Access {
            principal: &p2,
            collection: c.key,
            action: Action::Read,
            purpose: d2.0.as_deref(),
        };
        denied(policy.permits(&access))?;
        let page = read::page(store.as_ref(), &policy, &access, c.key, &query)?;
        let sealed = match &sealer {
            Some(me) => seal(&page, me)?,
            None => HeaderMap::new(),
        };
        Ok((page, sealed))
    })
    .await;
    let request = decisions::Request {
        policy: &policy,
        principal: &principal,
        declared: declared.0.as_deref(),
        endpoint: r.view.endpoint(object.is_some()),
        collection: &coll,
        object: object.as_deref(),
    };
    let (page, sealed) = match outcome {
        Ok((page, sealed)) => {
            decisions::record(&state, &request, Ok(&page.decisions));
            (page, sealed)
        }
        Err(e) => {
            decisions::refused(&state, &request, &e);
            return Err(e);
        }
    };
    if page.rows.is_empty()
        && !paging
        && let Some(id) = &object
    {
        return Err(TaxiiError::not_found(format!(
            "no object `{id}` in this collection"
        )));
    }
    let mut headers = date_headers(&page);
    headers.extend(sealed);
    Ok(render::taxii(
        StatusCode::OK,
        render_page(&page, r.view),
        headers,
    ))
}

impl ReadRequest {
    fn collection(root: String, coll: String, query: Option<String>, view: View) -> Self {
        ReadRequest {
            root,
            coll,
            object: None,
            query,
            allowed: params::OBJECTS,
            view,
        }
    }

    fn object(
        path: (String, String, String),
        query: Option<String>,
        allowed: Allowed,
        view: View,
    ) -> Self {
        let (root, coll, id) = path;
        ReadRequest {
            root,
            coll,
            object: Some(id),
            query,
            allowed,
            view,
        }
    }
}

type CollectionPath = Path<(String, String)>;
type ObjectPath = Path<(String, String, String)>;

pub async fn list(
    state: Shared,
    Extension(p): Extension<Principal>,
    Extension(d): Extension<Declared>,
    caller: Option<Extension<NodeCaller>>,
    Path((root, coll)): CollectionPath,
    RawQuery(q): RawQuery,
) -> Result<Response, TaxiiError> {
    read(
        state,
        p,
        d,
        ReadRequest::collection(root, coll, q, View::Objects),
        caller.map(|Extension(c)| c),
    )
    .await
}

pub async fn manifest(
    state: Shared,
    Extension(p): Extension<Principal>,
    Extension(d): Extension<Declared>,
    Path((root, coll)): CollectionPath,
    RawQuery(q): RawQuery,
) -> Result<Response, TaxiiError> {
    read(
        state,
        p,
        d,
        ReadRequest::collection(root, coll, q, View::Manifest),
        None,
    )
    .await
}

pub async fn get(
    state: Shared,
    Extension(p): Extension<Principal>,
    Extension(d): Extension<Declared>,
    caller: Option<Extension<NodeCaller>>,
    Path(path): ObjectPath,
    RawQuery(q): RawQuery,
) -> Result<Response, TaxiiError> {
    read(
        state,
        p,
        d,
        ReadRequest::object(path, q, params::OBJECT, View::Objects),
        caller.map(|Extension(c)| c),
    )
    .await
}

pub async fn versions(
    state: Shared,
    Extension(p): Extension<Principal>,
    Extension(d): Extension<Declared>,
    Path(path): ObjectPath,
    RawQuery(q): RawQuery,
) -> Result<Response, TaxiiError> {
    read(
        state,
        p,
        d,
        ReadRequest::object(path, q, params::VERSIONS, View::Versions),
        None,
    )
    .await
}

pub async fn delete(
    state: Shared,
    Extension(principal): Extension<Principal>,
    Extension(declared): Extension<Declared>,
    Path((root, coll, id)): Path<(String, String, String)>,
    RawQuery(query): RawQuery,
) -> Result<Response, TaxiiError> {
    let query = params::parse(query.as_deref(), params::OBJECT)?;
    let policy = state.policy.current();
    let (store, p, p2, d2, coll2, id2) = (
        state.store.clone(),
        policy.clone(),
        principal.clone(),
        declared.clone(),
        coll.clone(),
        id.clone(),
    );
    let outcome = blocking(move || {
        let (policy, principal, declared, coll, id) = (p, p2, d2, coll2, id2);
        let (_, c, _) =
            super::visible_collection(store.as_ref(), &policy, &principal, &root, &coll)?;
        for action in [Action::Read, Action::Delete] {
            denied(policy.permits(&Access {
                principal: &principal,
                collection: c.key,
                action,
                purpose: declared.0.as_deref(),
            }))?;
        }
        let n = store.delete_object(
            c.key,
            &id,
            &query.filter.versions,
            &query.filter.spec_versions,
        )?;
        if n == 0 {
            return Err(TaxiiError::not_found(format!(
                "no object `{id}` (with the requested versions) in this collection"
            )));
        }
        Ok(n)
    })
    .await;
    let request = decisions::Request {
        policy: &policy,
        principal: &principal,
        declared: declared.0.as_deref(),
        endpoint: "delete",
        collection: &coll,
        object: Some(&id),
    };
    match &outcome {
        Ok(n) => {
            let mut d = decisions::Decisions::default();
            d.remove(&id, *n as u64);
            decisions::record(&state, &request, Ok(&d));
        }
        Err(e) => decisions::refused(&state, &request, e),
    }
    outcome?;
    Ok(render::taxii(StatusCode::OK, Vec::new(), HeaderMap::new()))
}

/// Reads a request body, refusing more than `limit` bytes with 413 (TAXII 2.1 §4.2:
/// `max_content_length`).
async fn body_within(
    headers: &HeaderMap,
    body: Body,
    limit: u64,
) -> Result<axum::body::Bytes, TaxiiError> {
    let too_large = || {
        TaxiiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "Request too large",
            format!("the body exceeds this API root's max_content_length of {limit} bytes"),
        )
    };
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit) {
        return Err(too_large());
    }
    axum::body::to_bytes(body, usize::try_from(limit).unwrap_or(usize::MAX))
        .await
        .map_err(|_| too_large())
}

/// A POST from a peer node (a push) must carry the node's seal over the envelope's objects;
/// one that does not verify is quarantined whole and refused (federation: provenance).
fn check_pushed(
    store: &dyn store::Store,
    peer: &str,
    seal_header: Option<&str>,
    raws: &[&serde_json::value::RawValue],
) -> Result<(store::SealedPage, federation::provenance::Seal), TaxiiError> {
    let checked = (|| -> Result<(store::SealedPage, federation::provenance::Seal), String> {
        let seal = federation::provenance::Seal::from_header(
            seal_header.ok_or("a node's POST must be sealed (X-Symbolon-Seal)")?,
        )?;
        if seal.body.signer != peer {
            return Err(format!(
                "sealed by `{}`, not by the sending node `{peer}`",
                seal.body.signer
            ));
        }
        let key = store
            .peer(peer)
            .map_err(|e| e.to_string())?
            .map(|p| p.public_key)
            .ok_or("the sending node is not a peer")?;
        let key = federation::public_key(&key)?;
        let leaves = raws
            .iter()
            .map(|r| federation::provenance::leaf(r.get()))
            .collect::<Result<Vec<_>, _>>()?;
        seal.check(&key, &leaves)?;
        let page = store::SealedPage {
            peer: peer.to_owned(),
            seal: serde_json::to_string(&seal).map_err(|e| e.to_string())?,
            leaves,
        };
        Ok((page, seal))
    })();
    checked.map_err(|reason| {
        let _ = store.quarantine(&store::Quarantined {
            peer: peer.to_owned(),
            remote: "(pushed)".into(),
            at: store::now_micros(),
            reason: reason.clone(),
            objects: format!(
                "[{}]",
                raws.iter().map(|r| r.get()).collect::<Vec<_>>().join(",")
            ),
        });
        TaxiiError::bad_request(format!("provenance: {reason}; the envelope is quarantined"))
    })
}

pub async fn add(
    state: Shared,
    Extension(principal): Extension<Principal>,
    Extension(declared): Extension<Declared>,
    caller: Option<Extension<NodeCaller>>,
    Path((root, coll)): Path<(String, String)>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, TaxiiError> {
    let pushed_by = caller.map(|Extension(c)| c.peer);
    let seal_header = headers
        .get(federation::provenance::SEAL_HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let request_timestamp = store::now_micros();
    // One policy for the whole request: its checks, its decisions and its audit entry.
    let policy = state.policy.current();
    let (store, p, r2, c2, p2, d2) = (
        state.store.clone(),
        policy.clone(),
        root.clone(),
        coll.clone(),
        principal.clone(),
        declared.clone(),
    );
    let request = decisions::Request {
        policy: &policy,
        principal: &principal,
        declared: declared.0.as_deref(),
        endpoint: "add",
        collection: &coll,
        object: None,
    };
    let (api_root, collection) = blocking(move || {
        let policy = p;
        let (api_root, c, _) = super::visible_collection(store.as_ref(), &policy, &p2, &r2, &c2)?;
        denied(policy.permits(&Access {
            principal: &p2,
            collection: c.key,
            action: Action::Write,
            purpose: d2.0.as_deref(),
        }))?;
        Ok((api_root, c))
    })
    .await
    .inspect_err(|e| decisions::refused(&state, &request, e))?;
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok());
    if !media::is_taxii_content(content_type) {
        return Err(TaxiiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "Unsupported media type",
            format!(
                "send the envelope as {}, not `{}`",
                crate::TAXII_MEDIA_TYPE,
                content_type.unwrap_or("(none)")
            ),
        ));
    }
    let bytes = body_within(&headers, body, api_root.max_content_length).await?;
    let (store, p, p3, d3) = (
        state.store.clone(),
        policy.clone(),
        principal.clone(),
        declared.clone(),
    );
    let (status, decided) = blocking(move || {
        let (policy, principal, declared) = (p, p3, d3);
        let mut decided = decisions::Decisions::default();
        let text = std::str::from_utf8(&bytes).map_err(|_| TaxiiError::bad_request("the body is not UTF-8 text"))?;
        let raws = stix::document::objects(text).map_err(|e| TaxiiError::bad_request(format!("the body is not a TAXII envelope: {e}")))?;
        let access = Access { principal: &principal, collection: collection.key, action: Action::Write, purpose: declared.0.as_deref() };
        let sealed = match &pushed_by {
            Some(peer) => Some(check_pushed(store.as_ref(), peer, seal_header.as_deref(), &raws)?),
            None => None,
        };
        let origin = policy.origin_of(&principal);
        let mut failures = Vec::new();
        let mut valid = Vec::with_capacity(raws.len());
        let mut index = Vec::with_capacity(raws.len());
        for (i, raw) in raws.iter().enumerate() {
            match stix::validate(raw).and_then(policy::markings::refuse_classified) {
                Ok(obj) => {
                    let facts = ObjectFacts { id: &obj.id, object_type: &obj.object_type, marking_refs: &obj.marking_refs, origin, granular: &obj.granular };
                    match policy.decide(&access, &facts) {
                        Decision::Allow | Decision::Redact(_) => {
                            valid.push(obj);
                            index.push(i as u32);
                        }
                        Decision::Deny(why) => {
                            decided.withhold(policy::article_of(&why));
                            failures.push(json!({"id": obj.id, "message": why}));
                        }
                    }
                }
                Err(rej) => failures.push(json!({
                    "id": rej.id.unwrap_or_else(|| format!("(object #{} of the envelope)", i + 1)),
                    "message": rej.reason,
                })),
            }
        }
        let mut successes = Vec::new();
        let outcomes = match &sealed {
            Some((page, seal)) => {
                // Each object's origin as the pushing node names it (its own, or the
                // authority it obtained the object from; ours back to us is ours).
                let me = policy.terms().map(|t| t.authority.as_str());
                let origins = index.iter().map(|&i| seal.origin_for(u64::from(i), me, origin).map(str::to_owned)).collect();
                let batch = store::SealedBatch { sealed: page.clone(), objects: std::mem::take(&mut valid), index, origins };
                store.add_sealed(collection.key, std::slice::from_ref(&batch), origin, None)?
            }
            None => store.add_objects(collection.key, &valid, origin)?,
        };
        for outcome in outcomes {
            match outcome {
                AddOutcome::Added { id, version, .. } => {
                    decided.serve(&id, &version, false);
                    successes.push(json!({"id": id, "version": version}))
                }
                AddOutcome::AlreadyPresent { id, version } => {
                    decided.serve(&id, &version, false);
                    successes.push(json!({"id": id, "version": version, "message": "already present; unchanged"}))
                }
                AddOutcome::Conflict { id, version } => failures.push(json!({
                    "id": id, "version": version,
                    "message": "this id and version are already stored with different content (STIX 2.1 §3.6: a change needs a new modified)",
                })),
            }
        }
        let status_id = uuid::Uuid::new_v4().to_string();
        let status = json!({
            "id": status_id,
            "status": "complete",
            "request_timestamp": stix::timestamp::format(request_timestamp),
            "total_count": raws.len(),
            "success_count": successes.len(),
            "successes": successes,
            "failure_count": failures.len(),
            "failures": failures,
            "pending_count": 0,
            "pendings": [],
        });
        let json = status.to_string();
        store.put_status(&StatusRecord { id: status_id, api_root: root, owner: principal.name.clone(), json: json.clone() })?;
        Ok((json, decided))
    })
    .await?;
    // "served" counts the objects this write accepted; "withheld" those the policy refused.
    decisions::record(&state, &request, Ok(&decided));
    Ok(render::taxii(
        StatusCode::ACCEPTED,
        status.into_bytes(),
        HeaderMap::new(),
    ))
}
