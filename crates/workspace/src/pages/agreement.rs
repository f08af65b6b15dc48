//! The agreement as this node holds it (Art. 9): its state on the day, the dates and
//! deadlines (entry into force, each party's designation deadline counted in its working
//! days, termination), the parties and their competent authorities. In the page's
//! language and calendar (Solar Hijri with the Gregorian beside it for Persian).

use crate::Ws;
use crate::i18n::{Dated, Tr};
use crate::pages::blocking;
use crate::view::{self, Chrome, Viewer};
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use policy::agreement::localized;
use policy::lifecycle::{Day, State as Lifecycle};

pub struct PartyRow {
    id: String,
    name: String,
    authorities: Vec<String>,
    deadline: Option<Dated>,
    designated: Vec<(String, Dated, bool)>,
}

#[derive(Template)]
#[template(path = "agreement.html")]
struct AgreementPage {
    c: Chrome,
    held: bool,
    title: String,
    version: String,
    node: String,
    state: String,
    signed: Option<Dated>,
    entry_into_force: Option<Dated>,
    termination: Option<Dated>,
    parties: Vec<PartyRow>,
    refused: Vec<(String, String)>,
}

/// A day of the agreement (days since the epoch) as the page writes dates.
fn day(tr: &Tr, d: Day) -> Dated {
    tr.date(d.0 * 86_400_000_000)
}

pub async fn show(State(ws): State<Ws>, v: Viewer) -> Response {
    blocking(move || {
        let tr = v.tr;
        let code = tr.lang.code();
        let today = Day::today();
        let c = v.chrome("/ui/agreement", tr.t("agreement-title"));
        let state = match ws.core.agreement_state(today) {
            Ok(s) => s,
            Err(e) => return view::core_error(&v, &e),
        };
        let Some(s) = state else {
            return view::page(&AgreementPage {
                c,
                held: false,
                title: String::new(),
                version: String::new(),
                node: String::new(),
                state: tr.t("agreement-none"),
                signed: None,
                entry_into_force: None,
                termination: None,
                parties: Vec::new(),
                refused: Vec::new(),
            });
        };
        let a = &s.agreement;
        let designated = s.designations();
        let party_name = |id: &str| {
            a.party(id)
                .map_or(id.to_owned(), |p| localized(&p.name, code).to_owned())
        };
        let state = match s.lifecycle.state_at(today) {
            Lifecycle::NotInForce => tr.t("agreement-not-in-force"),
            Lifecycle::InForce => tr.t("agreement-in-force"),
            Lifecycle::TerminationPending { effective } => {
                tr.ta("agreement-ending", &[("date", &day(&tr, effective).local)])
            }
            Lifecycle::Terminated { since } => {
                tr.ta("agreement-terminated", &[("date", &day(&tr, since).local)])
            }
        };
        let parties = a
            .parties
            .iter()
            .map(|p| PartyRow {
                id: p.id.clone(),
                name: localized(&p.name, code).to_owned(),
                authorities: p
                    .authorities
                    .iter()
                    .map(|x| format!("{} ({})", localized(&x.name, code), x.id))
                    .collect(),
                deadline: s
                    .lifecycle
                    .designation_deadlines
                    .iter()
                    .find(|(party, _)| *party == p.id)
                    .map(|(_, d)| day(&tr, *d)),
                designated: designated
                    .iter()
                    .filter(|(party, ..)| *party == p.id)
                    .map(|(_, authority, on)| {
                        let late = s
                            .lifecycle
                            .designation_deadlines
                            .iter()
                            .any(|(party, due)| *party == p.id && on > due);
                        (authority.clone(), day(&tr, *on), late)
                    })
                    .collect(),
            })
            .collect();
        view::page(&AgreementPage {
            c,
            held: true,
            title: localized(&a.title, code).to_owned(),
            version: format!("{} ({})", a.version, a.id),
            node: format!("{} / {}", s.authority, party_name(&s.party)),
            state,
            signed: Some(day(&tr, a.signed)),
            entry_into_force: s.lifecycle.entry_into_force.map(|d| day(&tr, d)),
            termination: s.lifecycle.termination_effective.map(|d| day(&tr, d)),
            parties,
            refused: s.refused.clone(),
        })
    })
    .await
}
