//! Art. 6.2 and 6.3 for this node's operators: consent requests waiting for this
//! authority's signature (granted as asked or for a shorter term), a request received as a
//! file, the consents held and their state (revoked with a confirmation when this authority
//! granted them), and confidentiality notices (issued here, listed). Every act is the
//! core's: signed with the node key, kept with its audit entry, applied by the policy at
//! once.

use crate::Ws;
use crate::i18n::Dated;
use crate::pages::blocking;
use crate::said;
use crate::view::{self, Chrome, Operator};
use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use policy::ledger::{NoticeReach, Record, Signed};

pub struct Request {
    id: String,
    holder: String,
    recipient: String,
    purpose: String,
    expires: Dated,
    note: Option<String>,
}

pub struct Held {
    id: String,
    originator: String,
    holder: String,
    recipient: String,
    purpose: String,
    expires: Dated,
    state: &'static str,
    revocable: bool,
}

/// A request declined, on either side: this authority's refusal or the holder's news.
pub struct DeclinedRow {
    request: String,
    originator: String,
    when: Dated,
    reason: Option<String>,
}

pub struct NoticeRow {
    id: String,
    originator: String,
    objects: Vec<String>,
    properties: Vec<String>,
    reach: String,
    issued: Dated,
    reason: Option<String>,
}

#[derive(Template)]
#[template(path = "consents.html")]
struct ConsentsPage {
    c: Chrome,
    waiting: Vec<Request>,
    held: Vec<Held>,
    declined: Vec<DeclinedRow>,
    /// Records held that are refused, each with why, in the page's language.
    refused: Vec<String>,
    notices: Vec<NoticeRow>,
    under_agreement: bool,
}

pub async fn show(State(ws): State<Ws>, Operator(v): Operator) -> Response {
    blocking(move || {
        let tr = v.tr;
        let c = v.chrome("/ui/consents", tr.t("consents-title"));
        let own = match ws.core.policy() {
            Ok(p) => p.terms().map(|t| t.authority.clone()),
            Err(e) => return view::core_error(&v, &e),
        };
        let Some(own) = own else {
            return view::page(&ConsentsPage {
                c,
                waiting: Vec::new(),
                held: Vec::new(),
                declined: Vec::new(),
                refused: Vec::new(),
                notices: Vec::new(),
                under_agreement: false,
            });
        };
        let (consents, records) = match (ws.core.consents(), ws.core.records()) {
            (Ok(c), Ok(r)) => (c, r),
            (Err(e), _) | (_, Err(e)) => return view::core_error(&v, &e),
        };
        let (mut requests, mut answered, mut notices, mut declined) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for s in records {
            match s.record {
                Record::ConsentRequest(r) if r.terms.originator == own => requests.push(r),
                Record::Consent(c) => answered.extend(c.request),
                Record::Decline(d) => {
                    answered.push(d.request.clone());
                    declined.push(DeclinedRow {
                        request: d.request,
                        originator: d.originator,
                        when: tr.stamp(&d.declined_at),
                        reason: d.reason,
                    });
                }
                Record::Notice(n) => notices.push(NoticeRow {
                    id: n.id,
                    originator: n.originator,
                    objects: n.objects,
                    properties: n.properties,
                    reach: tr.t(match n.reach {
                        NoticeReach::Holder => "notice-reach-holder",
                        NoticeReach::Parties => "notice-reach-parties",
                    }),
                    issued: tr.stamp(&n.issued_at),
                    reason: n.reason,
                }),
                _ => {}
            }
        }
        let waiting = requests
            .into_iter()
            .filter(|r| !answered.contains(&r.id))
            .map(|r| Request {
                holder: r.terms.holder,
                recipient: r.terms.recipient,
                purpose: r.terms.purpose,
                expires: tr.day(r.terms.expires),
                note: r.note,
                id: r.id,
            })
            .collect();
        let held = consents
            .held
            .into_iter()
            .map(|(t, id, state)| Held {
                revocable: t.originator == own && state == "valid",
                id,
                originator: t.originator,
                holder: t.holder,
                recipient: t.recipient,
                purpose: t.purpose,
                expires: tr.day(t.expires),
                state,
            })
            .collect();
        view::page(&ConsentsPage {
            c,
            waiting,
            held,
            declined,
            refused: consents
                .refused
                .iter()
                .map(|(id, why)| said::refused_record(tr, id, why))
                .collect(),
            notices,
            under_agreement: true,
        })
    })
    .await
}

#[derive(serde::Deserialize)]
pub struct GrantForm {
    #[serde(default)]
    csrf: String,
    /// A request held here, by id.
    #[serde(default)]
    request: String,
    /// Or a request received as a file (its JSON).
    #[serde(default)]
    text: String,
    /// A shorter term than asked (YYYY-MM-DD), or empty.
    #[serde(default)]
    expires: String,
}

pub async fn grant(
    State(ws): State<Ws>,
    Operator(v): Operator,
    Form(f): Form<GrantForm>,
) -> Response {
    let v = match view::checked(v, &f.csrf) {
        Ok(v) => v,
        Err(r) => return *r,
    };
    blocking(move || {
        let expires = match f.expires.trim() {
            "" => None,
            d => match crate::date_input::field(&v, "consent-expires", d) {
                Ok(d) => Some(d),
                Err(r) => return *r,
            },
        };
        let asked: Signed = if f.text.trim().is_empty() {
            match ws.core.consent_request(&f.request) {
                Ok(Some(s)) => s,
                Ok(None) => return view::not_found(&v),
                Err(e) => return view::core_error(&v, &e),
            }
        } else {
            match serde_json::from_str(f.text.trim()) {
                Ok(s) => s,
                Err(e) => {
                    return view::form_error(
                        &v,
                        v.tr.t("form-not-signed-record"),
                        Some(e.to_string()),
                    );
                }
            }
        };
        match ws.core.grant_consent(&asked, expires) {
            Ok(_) => Redirect::to("/ui/consents").into_response(),
            Err(e) => view::core_error(&v, &e),
        }
    })
    .await
}

#[derive(serde::Deserialize)]
pub struct DeclineForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    reason: String,
}

/// Declines a request waiting here; the signed refusal goes to the holder with the
/// agreement's records.
pub async fn decline(
    State(ws): State<Ws>,
    Operator(v): Operator,
    Path(id): Path<String>,
    Form(f): Form<DeclineForm>,
) -> Response {
    let v = match view::checked(v, &f.csrf) {
        Ok(v) => v,
        Err(r) => return *r,
    };
    blocking(move || {
        let asked = match ws.core.consent_request(&id) {
            Ok(Some(s)) => s,
            Ok(None) => return view::not_found(&v),
            Err(e) => return view::core_error(&v, &e),
        };
        let reason = Some(f.reason.trim().to_owned()).filter(|r| !r.is_empty());
        match ws.core.decline_consent(&asked, reason) {
            Ok(_) => Redirect::to("/ui/consents").into_response(),
            Err(e) => view::core_error(&v, &e),
        }
    })
    .await
}

pub async fn revoke(
    State(ws): State<Ws>,
    Operator(v): Operator,
    Path(id): Path<String>,
    Form(f): Form<view::Confirmed>,
) -> Response {
    let v = match view::confirmed(v, &f, "consent-confirm-needed") {
        Ok(v) => v,
        Err(r) => return *r,
    };
    blocking(move || match ws.core.revoke_consent(&id) {
        Ok(_) => Redirect::to("/ui/consents").into_response(),
        Err(e) => view::core_error(&v, &e),
    })
    .await
}

#[derive(serde::Deserialize)]
pub struct NoticeForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    objects: String,
    #[serde(default)]
    properties: String,
    #[serde(default)]
    reach: String,
    #[serde(default)]
    reason: String,
}

fn list(s: &str) -> Vec<String> {
    s.split([',', ' ', '\n'])
        .map(str::trim)
        .filter(|x| !x.is_empty())
        .map(str::to_owned)
        .collect()
}

pub async fn notice(
    State(ws): State<Ws>,
    Operator(v): Operator,
    Form(f): Form<NoticeForm>,
) -> Response {
    let v = match view::checked(v, &f.csrf) {
        Ok(v) => v,
        Err(r) => return *r,
    };
    blocking(move || {
        let reach = match f.reach.as_str() {
            "holder" => NoticeReach::Holder,
            "parties" => NoticeReach::Parties,
            r => return view::field_error(&v, "form-choice", "notice-reach", r),
        };
        let objects = list(&f.objects);
        if objects.is_empty() {
            return view::form_error(&v, v.tr.t("form-notice-no-objects"), None);
        }
        if let Some(bad) = objects.iter().find(|o| stix::id::parse(o).is_err()) {
            let said =
                v.tr.ta("form-not-stix-id", &[("value", &view::isolated(bad))]);
            return view::form_error(&v, said, None);
        }
        let reason = Some(f.reason.trim().to_owned()).filter(|r| !r.is_empty());
        match ws
            .core
            .issue_notice(objects, list(&f.properties), reach, reason)
        {
            Ok(_) => Redirect::to("/ui/consents").into_response(),
            Err(e) => view::core_error(&v, &e),
        }
    })
    .await
}
