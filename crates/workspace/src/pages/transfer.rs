//! Import and export for the operator. Import: a bundle uploaded into a collection (as this
//! authority's own, or obtained from another party's authority), each rejected object
//! listed with why. Export for a recipient: first a preview of what would be served,
//! redacted and withheld, by article (decided as the export decides, recorded as the
//! operator's look), then the transfer itself (decided, recorded durably, then handed
//! over as a file).

use crate::Ws;
use crate::pages::blocking;
use crate::said;
use crate::view::{self, Chrome, Operator, Viewer};
use askama::Template;
use axum::Form;
use axum::extract::{Multipart, Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use symbolon_core::ingest::Why;
use symbolon_core::{Caller, CoreError};

pub struct Imported {
    added: String,
    unchanged: String,
    rejected_count: String,
    rejected: Vec<Rejected>,
}

/// One object an import refused: its id, else its place in the upload in words; the rule
/// that refused it and why, in the page's language.
pub struct Rejected {
    id: Option<String>,
    place: String,
    rule: String,
    why: String,
}

pub struct Preview {
    recipient: String,
    collection: String,
    served: String,
    redacted: String,
    withheld: Vec<(String, String)>,
    refused: Option<String>,
}

#[derive(Template)]
#[template(path = "transfer.html")]
struct TransferPage {
    c: Chrome,
    collections: Vec<(String, String)>,
    authorities: Vec<String>,
    recipients: Vec<String>,
    imported: Option<Imported>,
    preview: Option<Preview>,
}

fn page(ws: &Ws, v: &Viewer, imported: Option<Imported>, preview: Option<Preview>) -> Response {
    let collections = ws
        .core
        .collections()
        .unwrap_or_default()
        .into_iter()
        .map(|c| (c.id, c.title))
        .collect();
    let authorities = ws
        .core
        .agreement_state(policy::lifecycle::Day::today())
        .ok()
        .flatten()
        .map(|s| {
            s.designations()
                .into_iter()
                .map(|(_, a, _)| a)
                .filter(|a| *a != s.authority)
                .collect()
        })
        .unwrap_or_default();
    let recipients = ws
        .core
        .users()
        .unwrap_or_default()
        .into_iter()
        .map(|u| u.name)
        .collect();
    let c = v.chrome("/ui/transfer", v.tr.t("transfer-title"));
    view::page(&TransferPage {
        c,
        collections,
        authorities,
        recipients,
        imported,
        preview,
    })
}

#[derive(serde::Deserialize, Default)]
pub struct TransferQuery {
    collection: Option<String>,
    #[serde(rename = "for")]
    recipient: Option<String>,
}

/// The page, with a preview when a collection and a recipient are named.
pub async fn show(
    State(ws): State<Ws>,
    Operator(v): Operator,
    Query(q): Query<TransferQuery>,
) -> Response {
    blocking(move || {
        let preview = match (q.collection.as_deref(), q.recipient.as_deref()) {
            (Some(coll), Some(name)) if !coll.is_empty() && !name.is_empty() => {
                let c = match ws.core.collection(coll) {
                    Ok(c) => c,
                    Err(e) => return view::core_error(&v, &e),
                };
                let recipient = match ws.core.principal(name) {
                    Ok(Some(p)) => p,
                    Ok(None) => {
                        return view::core_error(
                            &v,
                            &CoreError::NotFound(format!("no user `{name}`")),
                        );
                    }
                    Err(e) => return view::core_error(&v, &e),
                };
                let tr = v.tr;
                let mut p = Preview {
                    recipient: name.to_owned(),
                    collection: c.id.clone(),
                    served: String::new(),
                    redacted: String::new(),
                    withheld: Vec::new(),
                    refused: None,
                };
                match ws.core.export_preview(
                    &v.caller(),
                    &Caller {
                        principal: &recipient,
                        purpose: None,
                    },
                    &c,
                ) {
                    Ok(t) => {
                        p.served = tr.number(t.served);
                        p.redacted = tr.number(t.redacted);
                        p.withheld = t
                            .withheld
                            .iter()
                            .map(|(a, n)| (tr.cause(a), tr.number(*n)))
                            .collect();
                    }
                    Err(CoreError::Refused(d)) => {
                        p.refused = Some(format!(
                            "{} {}",
                            view::refused_line(tr, &d),
                            said::denial(tr, &d)
                        ))
                    }
                    Err(e) => return view::core_error(&v, &e),
                }
                Some(p)
            }
            _ => None,
        };
        page(&ws, &v, None, preview)
    })
    .await
}

#[derive(serde::Deserialize)]
pub struct ExportForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    collection: String,
    #[serde(default)]
    recipient: String,
}

/// The transfer: decided and recorded durably by the core, then handed over as a file.
pub async fn export(
    State(ws): State<Ws>,
    Operator(v): Operator,
    Form(f): Form<ExportForm>,
) -> Response {
    let v = match view::checked(v, &f.csrf) {
        Ok(v) => v,
        Err(r) => return *r,
    };
    blocking(move || {
        let c = match ws.core.collection(&f.collection) {
            Ok(c) => c,
            Err(e) => return view::core_error(&v, &e),
        };
        let recipient = match ws.core.principal(&f.recipient) {
            Ok(Some(p)) => p,
            Ok(None) => {
                return view::core_error(
                    &v,
                    &CoreError::NotFound(format!("no user `{}`", f.recipient)),
                );
            }
            Err(e) => return view::core_error(&v, &e),
        };
        // Spooled, not held in memory and not streamed as it is read: nothing of a
        // transfer leaves before the core made its entry durable (`Core::export` returns
        // then), and a large collection costs disk, not memory.
        let spooled = (|| -> Result<(std::fs::File, u64), CoreError> {
            use std::io::{Seek, Write};
            let io = |e: std::io::Error| CoreError::Failed(format!("spooling the export: {e}"));
            let mut out =
                std::io::BufWriter::new(tempfile::tempfile_in(ws.core.dir()).map_err(io)?);
            write!(
                out,
                "{{\"type\":\"bundle\",\"id\":\"bundle--{}\",\"objects\":[",
                uuid::Uuid::new_v4()
            )
            .map_err(io)?;
            ws.core.export(
                &Caller {
                    principal: &recipient,
                    purpose: None,
                },
                &c,
                &mut out,
            )?;
            out.write_all(b"\n]}\n").map_err(io)?;
            let mut file = out.into_inner().map_err(|e| io(e.into_error()))?;
            let length = file.stream_position().map_err(io)?;
            file.rewind().map_err(io)?;
            Ok((file, length))
        })();
        let (file, length) = match spooled {
            Ok(f) => f,
            Err(e) => return view::core_error(&v, &e),
        };
        let name = format!("symbolon-{}-for-{}.json", c.id, recipient.name);
        let body = axum::body::Body::from_stream(tokio_util::io::ReaderStream::new(
            tokio::fs::File::from_std(file),
        ));
        let mut r = (
            [
                (
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("application/stix+json;version=2.1"),
                ),
                (header::CONTENT_LENGTH, HeaderValue::from(length)),
            ],
            body,
        )
            .into_response();
        if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
            r.headers_mut().insert(header::CONTENT_DISPOSITION, v);
        }
        r
    })
    .await
}

/// An uploaded bundle into a collection.
pub async fn import(State(ws): State<Ws>, Operator(v): Operator, mut form: Multipart) -> Response {
    let (mut csrf, mut collection, mut origin, mut file, mut file_name) = (
        String::new(),
        String::new(),
        String::new(),
        Vec::new(),
        String::from("upload"),
    );
    loop {
        match form.next_field().await {
            Ok(Some(field)) => {
                let name = field.name().unwrap_or("").to_owned();
                if name == "bundle" {
                    file_name = field.file_name().unwrap_or("upload").to_owned();
                }
                let bytes = match field.bytes().await {
                    Ok(b) => b,
                    Err(e) => {
                        return view::form_error(&v, v.tr.t("form-upload"), Some(e.to_string()));
                    }
                };
                match name.as_str() {
                    "csrf" => csrf = String::from_utf8_lossy(&bytes).into_owned(),
                    "collection" => collection = String::from_utf8_lossy(&bytes).into_owned(),
                    "origin" => origin = String::from_utf8_lossy(&bytes).into_owned(),
                    "bundle" => file = bytes.to_vec(),
                    _ => {}
                }
            }
            Ok(None) => break,
            Err(e) => {
                return view::form_error(&v, v.tr.t("form-upload"), Some(e.to_string()));
            }
        }
    }
    let v = match view::checked(v, &csrf) {
        Ok(v) => v,
        Err(r) => return *r,
    };
    blocking(move || {
        let c = match ws.core.collection(&collection) {
            Ok(c) => c,
            Err(e) => return view::core_error(&v, &e),
        };
        let intake = match ws.core.intake(&v.caller(), "import", &c) {
            Ok(i) => i,
            Err(e) => return view::core_error(&v, &e),
        };
        let origin = Some(origin.trim()).filter(|o| !o.is_empty());
        let summary = match ws.core.import(&intake, file.as_slice(), &file_name, origin) {
            Ok(s) => s,
            Err(e) => return view::core_error(&v, &e),
        };
        let tr = v.tr;
        let imported = Imported {
            added: tr.number(summary.added as u64),
            unchanged: tr.number(summary.unchanged as u64),
            rejected_count: tr.number(summary.rejected.len() as u64),
            rejected: summary
                .rejected
                .into_iter()
                .map(|r| {
                    let rule = match (&r.why, r.article()) {
                        (Why::Conflict, _) => tr.cause("conflict"),
                        (_, Some(a)) => tr.cause(a.cite()),
                        (_, None) => tr.cause("invalid"),
                    };
                    let why = said::refusal(tr, &r);
                    let (id, place) = match r.unnamed {
                        Some(n) => (
                            None,
                            tr.ta("refused-unnamed", &[("place", &tr.number(n as u64))]),
                        ),
                        None => (Some(r.id), String::new()),
                    };
                    Rejected {
                        id,
                        place,
                        rule,
                        why,
                    }
                })
                .collect(),
        };
        page(&ws, &v, Some(imported), None)
    })
    .await
}
