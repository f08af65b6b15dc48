//! The agreement as this node holds it (Art. 9): its state on the day, the dates and
//! deadlines (entry into force, each party's designation deadline counted in its working
//! days, termination), the parties and their competent authorities. In the page's
//! language and calendar (Solar Hijri with the Gregorian beside it for Persian).

use crate::Ws;
use crate::calendar::{self, Month};
use crate::i18n::Dated;
use crate::pages::blocking;
use crate::said;
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
    /// The deadline's month in the party's calendar (its week, rest days, holidays), with
    /// the line that opens it.
    month: Option<(String, Month)>,
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
    /// Notifications held that do not count, each with why, in the page's language.
    refused: Vec<String>,
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
        let designated_authorities = s.designated_authorities();
        let party_name = |id: &str| {
            a.party(id)
                .map_or(id.to_owned(), |p| localized(&p.name, code).to_owned())
        };
        let state = match s.lifecycle.state_at(today) {
            Lifecycle::NotInForce => tr.t("agreement-not-in-force"),
            Lifecycle::InForce => tr.t("agreement-in-force"),
            Lifecycle::TerminationPending { effective } => {
                tr.ta("agreement-ending", &[("date", &tr.day(effective).local)])
            }
            Lifecycle::Terminated { since } => {
                tr.ta("agreement-terminated", &[("date", &tr.day(since).local)])
            }
        };
        let deadline = |party: &str| {
            s.lifecycle
                .designation_deadlines
                .iter()
                .find(|(p, _)| p == party)
                .map(|(_, d)| *d)
        };
        let parties = a
            .parties
            .iter()
            .map(|p| PartyRow {
                id: p.id.clone(),
                name: localized(&p.name, code).to_owned(),
                // Named in the agreement, and designated by notification since.
                authorities: p
                    .authorities
                    .iter()
                    .map(|x| format!("{} ({})", localized(&x.name, code), x.id))
                    .chain(
                        designated_authorities
                            .iter()
                            .filter(|(party, id, _)| {
                                *party == p.id && !p.authorities.iter().any(|x| x.id == *id)
                            })
                            .map(|(_, id, name)| format!("{name} ({id})")),
                    )
                    .collect(),
                deadline: deadline(&p.id).map(|d| tr.day(d)),
                month: deadline(&p.id).map(|d| {
                    let name = localized(&p.name, code);
                    (
                        tr.ta("calendar-summary", &[("party", name)]),
                        calendar::month(&tr, &p.calendar, d),
                    )
                }),
                designated: designated
                    .iter()
                    .filter(|(party, ..)| *party == p.id)
                    .map(|(_, authority, on)| {
                        let late = s
                            .lifecycle
                            .designation_deadlines
                            .iter()
                            .any(|(party, due)| *party == p.id && on > due);
                        (authority.clone(), tr.day(*on), late)
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
            signed: Some(tr.day(a.signed)),
            entry_into_force: s.lifecycle.entry_into_force.map(|d| tr.day(d)),
            termination: s.lifecycle.termination_effective.map(|d| tr.day(d)),
            parties,
            refused: s
                .refused
                .iter()
                .map(|(id, why)| said::refused_record(tr, id, why))
                .collect(),
        })
    })
    .await
}
