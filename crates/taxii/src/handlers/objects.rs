//! TAXII 2.1 §5.3 Get Objects, §5.4 Add Objects, §5.5 Get an Object, §5.6 Delete an Object,
//! §5.7 Get Object Versions, and §5.8 Get Object Manifests: parameters in, the core's
//! answer out. What is served, and which versions, is the core reader's to say.

use crate::auth::Declared;
use crate::error::TaxiiError;
use crate::node_auth::NodeCaller;
use crate::params::{self, Allowed};
use crate::render::{self, push_str};
use crate::{Shared, blocking, media};
use axum::Extension;
use axum::body::Body;
use axum::extract::{Path, RawQuery};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;
use federation::distrust::Distrust;
use federation::wire::{Status, StatusDetail};
use policy::Principal;
use store::{StatusRecord, VersionSel};
use symbolon_core::{Caller, Page, Verdict};

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
        push_str(&mut out, &next.to_string());
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

/// The seal over a page sent to a peer node (federation): one signature over the Merkle
/// root of the served objects' RFC 8785 leaf hashes, and the page's last `date_added`.
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

struct ReadRequest {
    root: String,
    coll: String,
    object: Option<String>,
    query: Option<String>,
    allowed: Allowed,
    view: View,
}

async fn read(
    state: Shared,
    principal: Principal,
    declared: Declared,
    r: ReadRequest,
    caller: Option<NodeCaller>,
) -> Result<Response, TaxiiError> {
    let mut want = params::parse(r.query.as_deref(), r.allowed)?;
    let paging = want.after.is_some();
    if let Some(id) = &r.object {
        stix::id::parse(id).map_err(|e| TaxiiError::not_found(format!("no object `{id}`: {e}")))?;
    }
    if r.view == View::Versions {
        want.versions = vec![VersionSel::All];
    }
    want.with_body = r.view == View::Objects;
    // Pages of objects sent to a peer node are sealed (provenance).
    let sealer = match (&caller, r.view) {
        (Some(_), View::Objects) => state.identity.clone(),
        _ => None,
    };
    let core = state.core.clone();
    let object = r.object.clone();
    let (body, headers, empty) = blocking(move || {
        let (c, _) = core.collection_for(&principal, &r.root, &r.coll)?;
        let caller = Caller {
            principal: &principal,
            purpose: declared.0.as_deref(),
        };
        let endpoint = r.view.endpoint(r.object.is_some());
        // Rendered (and sealed) while the core makes the page's audit entry durable.
        core.read(&caller, endpoint, &c, r.object.as_deref(), &want, |page| {
            let mut headers = date_headers(page);
            if let Some(me) = &sealer {
                headers.extend(seal(page, me)?);
            }
            Ok::<_, TaxiiError>((render_page(page, r.view), headers, page.rows.is_empty()))
        })?
    })
    .await?;
    if empty
        && !paging
        && let Some(id) = object
    {
        return Err(TaxiiError::not_found(format!(
            "no object `{id}` in this collection"
        )));
    }
    Ok(render::taxii(StatusCode::OK, body, headers))
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
    let want = params::parse(query.as_deref(), params::OBJECT)?;
    let core = state.core.clone();
    blocking(move || {
        let (c, _) = core.collection_for(&principal, &root, &coll)?;
        let caller = Caller {
            principal: &principal,
            purpose: declared.0.as_deref(),
        };
        core.delete(&caller, &c, &id, &want.versions, &want.spec_versions)?;
        Ok(())
    })
    .await?;
    Ok(render::taxii(StatusCode::OK, Vec::new(), HeaderMap::new()))
}

/// The TAXII status of a write, from the core's verdicts, as JSON.
fn status_json(id: &str, requested: i64, verdicts: &[Verdict]) -> serde_json::Result<String> {
    use std::borrow::Cow;
    let (mut successes, mut failures) = (Vec::with_capacity(verdicts.len()), Vec::new());
    for v in verdicts {
        match v {
            Verdict::Stored { id, version, added } => successes.push(StatusDetail {
                id: Cow::Borrowed(id),
                version: Some(Cow::Borrowed(version)),
                message: (!added).then_some(Cow::Borrowed("already present; unchanged")),
            }),
            refused => {
                if let Some(r) = refused.clone().refusal() {
                    failures.push(StatusDetail {
                        message: Some(Cow::Owned(r.reason())),
                        id: Cow::Owned(r.id),
                        version: r.version.map(Cow::Owned),
                    })
                }
            }
        }
    }
    serde_json::to_string(&Status {
        id: Cow::Borrowed(id),
        status: Cow::Borrowed("complete"),
        request_timestamp: Some(Cow::Owned(stix::timestamp::format(requested))),
        total_count: verdicts.len() as u64,
        success_count: successes.len() as u64,
        successes: Some(successes),
        failure_count: failures.len() as u64,
        failures: Some(failures),
        pending_count: 0,
        pendings: Some(Vec::new()),
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
    let requested = store::now_micros();
    let core = state.core.clone();
    let (p2, d2, r2, pushing) = (
        principal.clone(),
        declared.clone(),
        root.clone(),
        pushed_by.is_some(),
    );
    // Whether the principal may write here at all is asked before the body is read.
    let (api_root, intake) = blocking(move || {
        let api_root = core.api_root(&r2)?;
        let (c, _) = core.collection_for(&p2, &r2, &coll)?;
        let caller = Caller {
            principal: &p2,
            purpose: d2.0.as_deref(),
        };
        let endpoint = if pushing { "push" } else { "add" };
        Ok((api_root, core.intake(&caller, endpoint, &c)?))
    })
    .await?;
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
    let text = super::body::text_within(&headers, body, api_root.max_content_length).await?;
    let core = state.core.clone();
    let status = blocking(move || {
        let not_envelope =
            |e| TaxiiError::bad_request(format!("the body is not a TAXII envelope: {e}"));
        let status_id = uuid::Uuid::new_v4().to_string();
        let status = |verdicts: &[Verdict]| -> store::Result<StatusRecord> {
            Ok(StatusRecord {
                id: status_id.clone(),
                api_root: root.clone(),
                owner: principal.name.clone(),
                json: status_json(&status_id, requested, verdicts).map_err(|e| {
                    store::StoreError::Backend {
                        context: "writing the status",
                        source: Box::new(e),
                    }
                })?,
            })
        };
        match &pushed_by {
            // A POST from a peer node (a push) must carry the node's seal over its objects;
            // one that does not verify is quarantined whole and refused.
            Some(peer_id) => {
                let raws = stix::document::objects(&text).map_err(not_envelope)?;
                let peer = core.peer(peer_id)?;
                let checked = (|| -> Result<store::SealedPage, Distrust> {
                    let header = seal_header.as_deref().ok_or(Distrust::NotSealed)?;
                    let seal = federation::provenance::Seal::from_header(header)?;
                    let peer = peer.ok_or(Distrust::NotAPeer)?;
                    core.check_sealed(&peer, &seal, &raws)
                })();
                let page = match checked {
                    Ok(page) => page,
                    Err(reason) => {
                        core.quarantine(peer_id, "(pushed)", &reason, text.as_bytes().to_vec())?;
                        return Err(TaxiiError::bad_request(format!(
                            "provenance: {reason}; the envelope is quarantined"
                        )));
                    }
                };
                let verdicts = core.ingest_with(&intake, &raws, Some(page))?;
                let kept = status(&verdicts).map_err(symbolon_core::CoreError::from)?;
                core.put_status(&kept)?;
                Ok(kept.json)
            }
            // The body is split while a large one is already being admitted; the status
            // resource is kept in the objects' own transaction.
            None => {
                let mut json = None;
                let mut keep = |verdicts: &[Verdict]| {
                    let kept = status(verdicts)?;
                    json = Some(kept.json.clone());
                    Ok(kept)
                };
                core.ingest_text(&intake, std::sync::Arc::new(text), Some(&mut keep))?
                    .map_err(not_envelope)?;
                json.ok_or_else(|| TaxiiError::internal("the write kept no status"))
            }
        }
    })
    .await?;
    Ok(render::taxii(
        StatusCode::ACCEPTED,
        status.into_bytes(),
        HeaderMap::new(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_write_status_reads_back_as_a_status_with_every_line() {
        let verdicts = vec![
            Verdict::Stored {
                id: "indicator--1".into(),
                version: "2026-01-01T00:00:00.000Z".into(),
                added: true,
            },
            Verdict::Conflict {
                id: "indicator--2".into(),
                version: "2026-01-02T00:00:00.000Z".into(),
            },
            Verdict::Stored {
                id: "indicator--3".into(),
                version: "2026-01-03T00:00:00.000Z".into(),
                added: false,
            },
        ];
        let json = status_json("s-1", 0, &verdicts).unwrap();
        let status: Status = serde_json::from_str(&json).unwrap();
        // Written in the order and shape the owned type writes, so both read the same.
        assert_eq!(serde_json::to_string(&status).unwrap(), json);
        assert_eq!(
            (
                status.total_count,
                status.success_count,
                status.failure_count
            ),
            (3, 2, 1)
        );
        let successes = status.successes.unwrap();
        assert_eq!(successes[0].id, "indicator--1");
        assert_eq!(successes[0].message, None);
        assert_eq!(
            successes[1].message.as_deref(),
            Some("already present; unchanged")
        );
        let failures = status.failures.unwrap();
        assert_eq!(failures[0].id, "indicator--2");
        assert_eq!(
            failures[0].version.as_deref(),
            Some("2026-01-02T00:00:00.000Z")
        );
        assert!(failures[0].message.is_some());
        assert_eq!(status.pendings.map(|p| p.len()), Some(0));
    }
}
