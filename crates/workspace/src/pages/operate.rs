//! The operator's screens (this node's local administrators only; for anyone else they
//! do not exist): the peers — exchanging or HALTED with the breach, resumed only after a
//! confirmation — with what each witnessed of the other's log and where each exchange
//! stands, the quarantine with why each page is there; and the audit log — its signed
//! tree head, a full verification against the store, and entries with their inclusion
//! proofs.

use crate::Ws;
use crate::i18n::{Dated, Tr};
use crate::pages::blocking;
use crate::said;
use crate::view::{self, Chrome, Operator};
use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};

/// Why something happened, in the page's language when the node kept it as data, else
/// the node's English account as recorded (an older node's).
pub struct Account {
    text: String,
    english: bool,
}

impl Account {
    /// `said` in the page's language, or `recorded` as the node wrote it.
    fn of(said: Option<String>, recorded: String) -> Account {
        match said {
            Some(text) => Account {
                text,
                english: false,
            },
            None => Account {
                text: recorded,
                english: true,
            },
        }
    }
}

pub struct PeerRow {
    id: String,
    url: String,
    /// Why exchange halted.
    halted: Option<Account>,
    witnessed: Option<(String, Dated)>,
    /// Each exchange: pull or push in words, the peer's collection, and the `date_added`
    /// it stands at (`None`: not yet), in the page's calendar.
    exchanges: Vec<(String, String, Option<Dated>)>,
}

pub struct QuarantineRow {
    peer: String,
    remote: String,
    at: Dated,
    reason: Account,
    bytes: String,
}

#[derive(Template)]
#[template(path = "peers.html")]
struct PeersPage {
    c: Chrome,
    peers: Vec<PeerRow>,
    quarantine: Vec<QuarantineRow>,
}

pub async fn peers(State(ws): State<Ws>, Operator(v): Operator) -> Response {
    blocking(move || {
        let tr = v.tr;
        let held = match ws.core.peers() {
            Ok(p) => p,
            Err(e) => return view::core_error(&v, &e),
        };
        let mut peers = Vec::new();
        for p in held {
            let exchanges = ws
                .core
                .cursors(&p.id)
                .unwrap_or_default()
                .into_iter()
                .map(|c| {
                    let way = if c.push {
                        tr.t("peer-push")
                    } else {
                        tr.t("peer-pull")
                    };
                    (way, c.remote, c.added_after.map(|a| tr.stamp(&a)))
                })
                .collect();
            peers.push(PeerRow {
                witnessed: p
                    .witnessed
                    .as_ref()
                    .map(|h| (tr.number(h.size), tr.date(h.timestamp))),
                id: p.id,
                url: p.url,
                halted: p
                    .halted
                    .map(|h| Account::of(p.breach.as_ref().map(|b| said::breach(tr, b)), h)),
                exchanges,
            });
        }
        let quarantine = match ws.core.quarantined() {
            Ok(q) => q
                .into_iter()
                .map(|(_, q, bytes)| QuarantineRow {
                    at: tr.date(q.at),
                    bytes: tr.number(bytes),
                    peer: q.peer,
                    remote: q.remote,
                    reason: Account::of(q.cause.as_ref().map(|c| said::distrust(tr, c)), q.reason),
                })
                .collect(),
            Err(e) => return view::core_error(&v, &e),
        };
        let c = v.chrome("/ui/peers", tr.t("peers-title"));
        view::page(&PeersPage {
            c,
            peers,
            quarantine,
        })
    })
    .await
}

/// Resumes exchange with a HALTED peer, once the operator confirmed it.
pub async fn resume(
    State(ws): State<Ws>,
    Operator(v): Operator,
    Path(id): Path<String>,
    Form(f): Form<view::Confirmed>,
) -> Response {
    let v = match view::confirmed(v, &f, "peer-confirm-needed") {
        Ok(v) => v,
        Err(r) => return *r,
    };
    blocking(move || match ws.core.resume_peer(&id, false) {
        Ok(()) => Redirect::to("/ui/peers").into_response(),
        Err(e) => view::core_error(&v, &e),
    })
    .await
}

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    c: Chrome,
    /// The latest signed tree head as people read it (none signed yet: `None`).
    signed: Option<SignedHead>,
    /// The same head as the log's JSON (for copying and for other tools).
    head: String,
    /// The node's key now (hex).
    key: String,
    /// The node's key rotations, oldest first: the handover entry (index, as written), the
    /// key retired and the key handed over to (hex).
    handovers: Vec<(u64, String, String, String)>,
    /// The latest entries: index (for the link) and the index in the page's digits.
    recent: Vec<(u64, String)>,
    verified: Option<Verified>,
}

/// A signed tree head: its size in the page's digits, when it was signed (the page's
/// calendar), and its root hash and signature (hex, left to right).
struct SignedHead {
    size: String,
    signed_at: Dated,
    root: String,
    signature: String,
}

/// A deleted collection as the verification found it: the entry that deleted it (index and
/// as written), its title and id, the versions the deletion says went, those the log
/// accounted for it, and whether they agree.
pub struct DeletedRow {
    entry: u64,
    entry_text: String,
    title: String,
    id: String,
    versions: String,
    accounted: String,
    covered: bool,
}

pub struct Verified {
    intact: bool,
    entries: String,
    tamper: Option<String>,
    orphans: Vec<String>,
    collections: Vec<(String, String, String, Vec<String>)>,
    deleted: Vec<DeletedRow>,
}

/// "Entry 12" in the page's words and digits.
fn entry_label(tr: &Tr, index: u64) -> String {
    tr.ta("audit-entry", &[("n", &tr.number(index))])
}

#[derive(serde::Deserialize, Default)]
pub struct AuditQuery {
    verify: Option<String>,
}

pub async fn audit(
    State(ws): State<Ws>,
    Operator(v): Operator,
    Query(q): Query<AuditQuery>,
) -> Response {
    blocking(move || {
        let tr = v.tr;
        // The head as the log's JSON (for copying) and as read (for the page), in one look.
        let (head, latest) = match ws.core.inspect_audit(&v.principal, |log| {
            Ok((audit::report::head(log)?, log.latest_head()?))
        }) {
            Ok(h) => h,
            Err(e) => return view::core_error(&v, &e),
        };
        let size = latest.as_ref().map_or(0, |h| h.size);
        let signed = latest.map(|h| SignedHead {
            size: tr.number(h.size),
            signed_at: tr.date(h.timestamp),
            root: hex::encode(h.root),
            signature: hex::encode(h.signature),
        });
        let handovers = match ws.core.inspect_audit(&v.principal, |log| log.handovers()) {
            Ok(h) => h
                .iter()
                .map(|(entry, h)| {
                    (
                        *entry,
                        entry_label(&tr, *entry),
                        hex::encode(h.from),
                        hex::encode(h.to),
                    )
                })
                .collect(),
            Err(e) => return view::core_error(&v, &e),
        };
        let verified = if q.verify.is_some() {
            match ws.core.verify_audit() {
                Ok(r) => Some(Verified {
                    intact: r.intact(),
                    entries: tr.number(r.entries),
                    tamper: r.tamper.as_ref().map(|t| crate::said::damage(tr, &t.what)),
                    orphans: r.orphans.clone(),
                    collections: r
                        .collections
                        .iter()
                        .map(|c| {
                            (
                                c.title.clone(),
                                tr.number(c.stored),
                                tr.number(c.accounted),
                                c.problems
                                    .iter()
                                    .map(|p| crate::said::coverage(tr, p))
                                    .collect(),
                            )
                        })
                        .collect(),
                    deleted: r
                        .deleted
                        .iter()
                        .map(|d| DeletedRow {
                            entry: d.entry,
                            entry_text: entry_label(&tr, d.entry),
                            title: d.title.clone(),
                            id: d.id.clone(),
                            versions: tr.number(d.versions),
                            accounted: tr.number(d.accounted),
                            covered: d.covered(),
                        })
                        .collect(),
                }),
                Err(e) => return view::core_error(&v, &e),
            }
        } else {
            None
        };
        let c = v.chrome("/ui/audit", tr.t("audit-title"));
        view::page(&AuditPage {
            c,
            signed,
            head: serde_json::to_string_pretty(&head).unwrap_or_default(),
            key: hex::encode(ws.core.key().verifying_key().to_bytes()),
            handovers,
            recent: (size.saturating_sub(20)..size)
                .rev()
                .map(|n| (n, entry_label(&tr, n)))
                .collect(),
            verified,
        })
    })
    .await
}

#[derive(Template)]
#[template(path = "audit_entry.html")]
struct EntryPage {
    c: Chrome,
    proof: String,
}

pub async fn entry(
    State(ws): State<Ws>,
    Operator(v): Operator,
    Path(index): Path<u64>,
) -> Response {
    blocking(move || {
        let proof = ws.core.inspect_audit(&v.principal, |log| {
            audit::report::inclusion(log, index, None)
        });
        match proof {
            Ok(p) => {
                let c = v.chrome(
                    &format!("/ui/audit/entries/{index}"),
                    entry_label(&v.tr, index),
                );
                view::page(&EntryPage {
                    c,
                    proof: serde_json::to_string_pretty(&p).unwrap_or_default(),
                })
            }
            Err(_) => view::not_found(&v),
        }
    })
    .await
}
