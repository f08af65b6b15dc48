//! A collection's objects: the latest version of each the user may receive, newest added
//! last (TAXII's order, so a cursor never skips), with filters by type, marking, origin,
//! date added and text in the name or description. Every page is one or more reads
//! through the core; what the filters pass over was still decided, and what the policy
//! withholds is neither listed nor counted.

use super::summary::{self, Summary};
use crate::Ws;
use crate::pages::{self, blocking};
use crate::view::{self, Chrome, Viewer};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use std::ops::ControlFlow;
use store::Row;
use symbolon_core::Want;

/// Objects per page.
pub const PAGE: usize = 50;
/// Versions one read hands over while filtering by text, marking or origin.
const CHUNK: usize = 500;
/// Versions a page looks through at most before it stops and offers the rest as the
/// next page (a filter that matches rarely must not make one page read everything).
const LOOKED_AT: usize = 20_000;

#[derive(serde::Deserialize, Default, Clone)]
pub struct Filters {
    #[serde(default, rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub marking: String,
    #[serde(default)]
    pub origin: String,
    #[serde(default)]
    pub added_after: String,
    #[serde(default)]
    pub q: String,
    /// The cursor: the position (`date_added`, microseconds) of the last row shown.
    #[serde(default)]
    pub after: Option<i64>,
}

impl Filters {
    fn query(&self, after: Option<i64>) -> String {
        let enc = |s: &str| {
            percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string()
        };
        let mut q = vec![];
        for (k, v) in [
            ("type", &self.kind),
            ("marking", &self.marking),
            ("origin", &self.origin),
            ("added_after", &self.added_after),
            ("q", &self.q),
        ] {
            if !v.is_empty() {
                q.push(format!("{k}={}", enc(v)));
            }
        }
        if let Some(a) = after {
            q.push(format!("after={a}"));
        }
        q.join("&")
    }

    /// Does a served version pass the filters the store does not apply?
    fn passes(&self, row: &Row, s: &Summary) -> bool {
        let marking = self.marking.trim();
        if !marking.is_empty()
            && !row
                .marking_refs
                .iter()
                .any(|m| m == marking || summary::marking_label(m).eq_ignore_ascii_case(marking))
        {
            return false;
        }
        let origin = self.origin.trim();
        if !origin.is_empty() {
            let own = origin.eq_ignore_ascii_case("own");
            if own != row.origin.is_none()
                || (!own
                    && !row
                        .origin
                        .as_deref()
                        .is_some_and(|o| o.eq_ignore_ascii_case(origin)))
            {
                return false;
            }
        }
        let q = self.q.trim().to_lowercase();
        q.is_empty() || summary::names(s, &q)
    }
}

#[derive(Template)]
#[template(path = "objects.html")]
struct ObjectsPage {
    c: Chrome,
    title: String,
    coll: String,
    counted: String,
    f: Filters,
    types: Vec<&'static str>,
    items: Vec<Summary>,
    problem: Option<String>,
    first_href: Option<String>,
    next_href: Option<String>,
}

const TYPES: &[&str] = &[
    "indicator",
    "malware",
    "attack-pattern",
    "campaign",
    "intrusion-set",
    "threat-actor",
    "tool",
    "vulnerability",
    "incident",
    "report",
    "note",
    "opinion",
    "sighting",
    "observed-data",
    "relationship",
    "identity",
    "course-of-action",
    "infrastructure",
    "ipv4-addr",
    "ipv6-addr",
    "domain-name",
    "url",
    "file",
    "email-addr",
];

pub async fn list(
    State(ws): State<Ws>,
    v: Viewer,
    Path(coll): Path<String>,
    Query(f): Query<Filters>,
) -> Response {
    blocking(move || {
        let tr = v.tr;
        let collection = match ws.core.visible_collection(&v.principal, None, &coll) {
            Ok((c, rights)) if rights.can_read => c,
            Ok(_) => return view::not_found(&v),
            Err(e) => return view::core_error(&v, &e),
        };
        let policy = match ws.core.policy() {
            Ok(p) => p,
            Err(e) => return view::core_error(&v, &e),
        };
        let mut problem = None;
        let added_after = match f.added_after.trim() {
            "" => None,
            d => match crate::date_input::parse_day(d) {
                Some(day) => Some(day.0 * 86_400_000_000),
                None => {
                    problem = Some(tr.ta("filter-bad-date", &[("value", d)]));
                    None
                }
            },
        };
        let types: Vec<String> = f
            .kind
            .split(',')
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(str::to_owned)
            .collect();
        let post_filter =
            !(f.marking.trim().is_empty() && f.origin.trim().is_empty() && f.q.trim().is_empty());
        let needle = f.q.trim().to_lowercase();
        let mut items = Vec::new();
        let want = Want {
            added_after,
            after: f.after,
            types,
            with_body: true,
            ..Want::default()
        };
        let chunk = if post_filter { CHUNK } else { PAGE };
        let walked = pages::Walk {
            endpoint: "ui:objects",
            chunk,
            most: LOOKED_AT,
        }
        .run(&ws.core, &v, &collection, want, |row| {
            if summary::may_hold(&row.json, &needle) {
                let s = summary::summarise(&tr, &policy, row, &collection.id);
                if f.passes(row, &s) {
                    items.push(s);
                }
            }
            if items.len() == PAGE {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        });
        let walked = match walked {
            Ok(w) => w,
            Err(e) => return view::core_error(&v, &e),
        };
        if walked.cut {
            problem.get_or_insert_with(|| tr.tn("filter-looked-through", walked.looked as u64));
        }
        let next = walked.resume;
        super::definitions::name_listed(&ws, &v, &mut items);
        let base = format!("/ui/c/{}", collection.id);
        let next_href = next.map(|n| format!("{base}?{}", f.query(Some(n))));
        let first_href = f.after.map(|_| format!("{base}?{}", f.query(None)));
        let here = match f.query(f.after) {
            q if q.is_empty() => base.clone(),
            q => format!("{base}?{q}"),
        };
        let counted = tr.tn("objects-on-page", items.len() as u64);
        let c = v.chrome(&here, collection.title.clone());
        view::page(&ObjectsPage {
            c,
            title: collection.title,
            coll: collection.id,
            counted,
            f,
            types: TYPES.to_vec(),
            items,
            problem,
            first_href,
            next_href,
        })
    })
    .await
}
