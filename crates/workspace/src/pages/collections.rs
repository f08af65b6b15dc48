//! Home: the collections the user may read or write, each with the number of objects the
//! user may receive from it (counted by the core's reader: what the policy withholds is
//! not counted).

use crate::Ws;
use crate::pages::blocking;
use crate::view::{self, Chrome, Viewer};
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use symbolon_core::Want;

/// Objects counted at most per collection on the home page; beyond it "10,000+".
pub const COUNTED: usize = 10_000;

pub struct Row {
    pub id: String,
    pub title: String,
    pub description: Option<String>,
    pub count: String,
    pub rights: String,
    pub can_read: bool,
}

#[derive(Template)]
#[template(path = "collections.html")]
struct Home {
    c: Chrome,
    rows: Vec<Row>,
}

pub async fn home(State(ws): State<Ws>, v: Viewer) -> Response {
    blocking(move || {
        let tr = v.tr;
        let visible = match v.collections(&ws.core) {
            Ok(c) => c,
            Err(e) => return view::core_error(&v, &e),
        };
        let mut rows = Vec::new();
        for (coll, rights) in visible {
            let count = if rights.can_read {
                let want = Want {
                    limit: Some(COUNTED),
                    ..Want::default()
                };
                match ws
                    .core
                    .read(&v.caller(), "ui:collections", &coll, None, &want, |p| {
                        (p.rows.len(), p.more)
                    }) {
                    Ok((n, false)) => tr.tn("objects-count", n as u64),
                    Ok((n, true)) => tr.tn("objects-count-more", n as u64),
                    Err(symbolon_core::CoreError::Refused(_)) => tr.t("count-refused"),
                    Err(e) => return view::core_error(&v, &e),
                }
            } else {
                "—".to_owned()
            };
            rows.push(Row {
                rights: match (rights.can_read, rights.can_write) {
                    (true, true) => tr.t("rights-read-write"),
                    (true, false) => tr.t("rights-read"),
                    _ => tr.t("rights-write"),
                },
                can_read: rights.can_read,
                id: coll.id,
                title: coll.title,
                description: coll.description,
                count,
            });
        }
        let c = v.chrome("/ui/", tr.t("collections-title"));
        view::page(&Home { c, rows })
    })
    .await
}
