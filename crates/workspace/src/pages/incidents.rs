//! Joint incidents (Art. 3): the incidents the user receives, one incident's timeline
//! across both parties (each entry with its author and whether its seal verifies), and the
//! forms that act on it — open, update, close (the owner only: STIX §3.6), tasks, notes,
//! a recorded refusal to contribute, links — each a POST with the session's CSRF token,
//! done by the core and recorded like any write.

use crate::Ws;
use crate::pages::blocking;
use crate::view::{self, Chrome, Viewer};
use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::Response;
use symbolon_core::incident::{
    self, IncidentSummary, IncidentView, NewIncident, NewNote, TaskChange,
};

#[derive(Template)]
#[template(path = "incidents.html")]
struct ListPage {
    c: Chrome,
    items: Vec<IncidentSummary>,
    writable: Vec<(String, String)>,
    categories: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "incident.html")]
struct IncidentPage {
    c: Chrome,
    i: IncidentView,
    statuses: &'static [&'static str],
    determinations: &'static [&'static str],
    outcomes: &'static [&'static str],
}

pub async fn list(State(ws): State<Ws>, v: Viewer) -> Response {
    blocking(move || {
        let items = match ws.core.incidents(&v.caller()) {
            Ok(i) => i,
            Err(e) => return view::core_error(&v, &e),
        };
        let writable = match v.collections(&ws.core) {
            Ok(c) => c
                .into_iter()
                .filter(|(_, r)| r.can_write)
                .map(|(c, _)| (c.id, c.title))
                .collect(),
            Err(e) => return view::core_error(&v, &e),
        };
        let categories = incident::rsit::classes()
            .iter()
            .map(|c| (format!("{}/{}", c.class, c.kind), v.tr.rsit(c)))
            .collect();
        let c = v.chrome("/ui/incidents", v.tr.t("incidents-title"));
        view::page(&ListPage {
            c,
            items,
            writable,
            categories,
        })
    })
    .await
}

pub async fn show(State(ws): State<Ws>, v: Viewer, Path(id): Path<String>) -> Response {
    blocking(move || {
        let i = match ws.core.incident(&v.caller(), &id) {
            Ok(i) => i,
            // An id that names no incident the caller may see is not found, as any page;
            // any other mistake is said as such.
            Err(symbolon_core::CoreError::Mistake(m))
                if matches!(*m, symbolon_core::mistake::Mistake::NotAnIncident { .. }) =>
            {
                return view::not_found(&v);
            }
            Err(e) => return view::core_error(&v, &e),
        };
        let c = v.chrome(&format!("/ui/incidents/{id}"), i.name.clone());
        view::page(&IncidentPage {
            c,
            i,
            statuses: &incident::STATUSES,
            determinations: &incident::DETERMINATIONS,
            outcomes: &incident::OUTCOMES,
        })
    })
    .await
}

#[derive(serde::Deserialize)]
pub struct OpenForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    collection: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    category: String,
    #[serde(default)]
    criticality: String,
}

fn blank(s: &str) -> Option<String> {
    Some(s.trim().to_owned()).filter(|s| !s.is_empty())
}

fn number(v: &Viewer, s: &str) -> Result<Option<u8>, Box<Response>> {
    match s.trim() {
        "" => Ok(None),
        n => n
            .parse::<u8>()
            .ok()
            .filter(|c| *c <= 100)
            .map(Some)
            .ok_or_else(|| {
                Box::new(view::field_error(
                    v,
                    "form-percent",
                    "incident-criticality",
                    n,
                ))
            }),
    }
}

pub async fn open(State(ws): State<Ws>, v: Viewer, Form(f): Form<OpenForm>) -> Response {
    let v = match view::checked(v, &f.csrf) {
        Ok(v) => v,
        Err(r) => return *r,
    };
    blocking(move || {
        let criticality = match number(&v, &f.criticality) {
            Ok(c) => c,
            Err(r) => return *r,
        };
        let new = NewIncident {
            collection: f.collection.clone(),
            name: f.name.trim().to_owned(),
            description: blank(&f.description),
            category: blank(&f.category),
            criticality,
            markings: None,
        };
        match ws.core.open_incident(&v.caller(), &new) {
            Ok(id) => view::see(&["incidents", &id]),
            Err(e) => view::core_error(&v, &e),
        }
    })
    .await
}

#[derive(serde::Deserialize)]
pub struct ActForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    determination: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    outcome: String,
    #[serde(default)]
    content: String,
    #[serde(default)]
    declined: String,
    #[serde(default)]
    object: String,
    #[serde(default)]
    kind: String,
}

/// One action on an incident (`update`, `task`, `note`, `link`), then back to its page.
pub async fn act(
    State(ws): State<Ws>,
    v: Viewer,
    Path((id, action)): Path<(String, String)>,
    Form(f): Form<ActForm>,
) -> Response {
    let v = match view::checked(v, &f.csrf) {
        Ok(v) => v,
        Err(r) => return *r,
    };
    blocking(move || {
        let caller = v.caller();
        let done = match action.as_str() {
            "update" if f.status == "closed" => {
                ws.core.close_incident(&caller, &id, f.determination.trim())
            }
            "update" => ws.core.update_incident(
                &caller,
                &id,
                &incident::IncidentChange {
                    status: blank(&f.status),
                    determination: blank(&f.determination),
                    ..Default::default()
                },
            ),
            "task" => ws.core.add_task(
                &caller,
                &id,
                &TaskChange {
                    name: blank(&f.name),
                    outcome: blank(&f.outcome),
                    ..Default::default()
                },
                None,
            ),
            "note" => ws.core.add_note(
                &caller,
                &id,
                &NewNote {
                    content: f.content.trim().to_owned(),
                    summary: None,
                    declined: f.declined == "yes",
                },
                None,
            ),
            "link" => {
                ws.core
                    .link_to_incident(&caller, &id, f.object.trim(), blank(&f.kind).as_deref())
            }
            _ => return view::not_found(&v),
        };
        match done {
            Ok(_) => view::see(&["incidents", &id]),
            Err(e) => view::core_error(&v, &e),
        }
    })
    .await
}
