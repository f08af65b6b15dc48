//! Search: by STIX id, by observable value (the correlation index, decided per user like
//! every lookup), and by text in names and descriptions (a scan of what the user may
//! receive, bounded). Each through the core: a hit the policy would withhold is not a hit.

use super::summary::{self, Summary};
use crate::Ws;
use crate::pages::{self, blocking};
use crate::view::{self, Chrome, Viewer};
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use std::ops::ControlFlow;
use symbolon_core::Want;

/// Text hits listed at most.
const HITS: usize = 50;
/// Versions a text search looks through at most (across the user's collections).
const LOOKED_AT: usize = 100_000;
/// Versions one read hands over.
const CHUNK: usize = 1000;

pub struct ValueHit {
    id: String,
    object_type: String,
    collection: String,
    how: &'static str,
    matched: Option<String>,
    sightings: String,
}

#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage {
    c: Chrome,
    q: String,
    value_kind: Option<&'static str>,
    value_hits: Vec<ValueHit>,
    over: bool,
    warnings: Vec<String>,
    hits: Vec<Summary>,
    looked: String,
    problem: Option<String>,
}

#[derive(serde::Deserialize, Default)]
pub struct SearchQuery {
    #[serde(default)]
    q: String,
}

pub async fn search(State(ws): State<Ws>, v: Viewer, Query(sq): Query<SearchQuery>) -> Response {
    blocking(move || {
        let tr = v.tr;
        let q: String = sq.q.trim().chars().take(2048).collect();
        let here = format!(
            "/ui/search?q={}",
            percent_encoding::utf8_percent_encode(&q, percent_encoding::NON_ALPHANUMERIC)
        );
        let mut page = SearchPage {
            c: v.chrome(&here, tr.t("search-title")),
            q: q.clone(),
            value_kind: None,
            value_hits: Vec::new(),
            over: false,
            warnings: Vec::new(),
            hits: Vec::new(),
            looked: String::new(),
            problem: None,
        };
        if q.is_empty() {
            return view::page(&page);
        }
        let policy = match ws.core.policy() {
            Ok(p) => p,
            Err(e) => return view::core_error(&v, &e),
        };
        let readable = match v.readable(&ws.core) {
            Ok(r) => r,
            Err(e) => return view::core_error(&v, &e),
        };
        // A STIX id: the object itself, wherever the user may receive it.
        if stix::id::parse(&q).is_ok() {
            let want = Want {
                with_body: true,
                limit: Some(1),
                ..Want::default()
            };
            for c in &readable {
                match ws
                    .core
                    .read(&v.caller(), "ui:search", c, Some(&q), &want, |p| {
                        p.rows.clone()
                    }) {
                    Ok(rows) => page.hits.extend(
                        rows.iter()
                            .map(|r| summary::summarise(&tr, &policy, r, &c.id)),
                    ),
                    Err(symbolon_core::CoreError::Refused(d)) => {
                        page.problem = Some(view::refused_line(tr, &d));
                    }
                    Err(e) => return view::core_error(&v, &e),
                }
            }
            return view::page(&page);
        }
        // An observable value: the correlation index, decided for this user.
        if stix::observable::classify(&q).is_some() {
            match ws.core.lookup(&v.caller(), std::slice::from_ref(&q)) {
                Ok(answers) => {
                    if let Some(a) = answers.into_iter().next() {
                        page.value_kind = a.kind;
                        page.over = a.over_correlated;
                        page.warnings = a.warninglists.into_iter().map(|w| w.name).collect();
                        page.value_hits = a
                            .hits
                            .into_iter()
                            .map(|h| ValueHit {
                                sightings: tr.number(h.sightings),
                                id: h.id,
                                object_type: h.object_type,
                                collection: h.collection,
                                how: h.how.name(),
                                matched: h.matched,
                            })
                            .collect();
                    }
                }
                Err(symbolon_core::CoreError::Refused(d)) => {
                    page.problem = Some(view::refused_line(tr, &d));
                }
                Err(e) => return view::core_error(&v, &e),
            }
        }
        // Text in names and descriptions.
        let needle = q.to_lowercase();
        let mut looked = 0usize;
        for c in &readable {
            if page.hits.len() == HITS || looked >= LOOKED_AT {
                break;
            }
            let want = Want {
                with_body: true,
                ..Want::default()
            };
            let walked = pages::Walk {
                endpoint: "ui:search",
                chunk: CHUNK,
                most: LOOKED_AT - looked,
            }
            .run(&ws.core, &v, c, want, |r| {
                if summary::may_hold(&r.json, &needle) || r.id == q {
                    let s = summary::summarise(&tr, &policy, r, &c.id);
                    if summary::names(&s, &needle) || s.id == q {
                        page.hits.push(s);
                    }
                }
                if page.hits.len() == HITS {
                    ControlFlow::Break(())
                } else {
                    ControlFlow::Continue(())
                }
            });
            match walked {
                Ok(w) => {
                    looked += w.looked;
                    if w.cut {
                        page.problem = Some(tr.tn("filter-looked-through", looked as u64));
                    }
                }
                // A collection this user may not read for its purpose: passed over.
                Err(symbolon_core::CoreError::Refused(_)) => {}
                Err(e) => return view::core_error(&v, &e),
            }
        }
        page.looked = tr.tn("search-looked", looked as u64);
        super::definitions::name_listed(&ws, &v, &mut page.hits);
        view::page(&page)
    })
    .await
}
