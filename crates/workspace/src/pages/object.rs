//! One object: every version the user may receive, with what changed between them; its
//! markings in words (who it may reach under the agreement, and why); its origin and what
//! Art. 6.2 asks before it goes further; the objects it names and those that name it;
//! sightings. All of it as the core's reader serves it to this user.

use super::definitions::{name_markings, served, unnamed};
use super::summary::{self, Summary};
use crate::Ws;
use crate::pages::blocking;
use crate::view::{self, Chrome, Viewer};
use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use serde_json::Value;
use store::VersionSel;
use symbolon_core::Want;
use symbolon_core::correlate::Referrer;

/// Objects named by this one whose pages are looked for (each a read).
const LINKED: usize = 50;
/// Objects naming this one listed at most.
const REFERRERS: usize = 100;

pub struct Version {
    version: crate::i18n::Dated,
    added: crate::i18n::Dated,
    /// Top-level properties added, removed or changed since the previous version shown.
    changes: Vec<String>,
}

pub struct RefOut {
    property: String,
    id: String,
    href: Option<String>,
}

#[derive(Template)]
#[template(path = "object.html")]
struct ObjectPage {
    c: Chrome,
    coll: String,
    coll_title: String,
    s: Summary,
    reach: String,
    seal: symbolon_core::incident::SealState,
    consent_note: Option<String>,
    sightings_line: Option<String>,
    versions: Vec<Version>,
    refs_out: Vec<RefOut>,
    refs_in: Vec<Referrer>,
    refs_in_more: bool,
    json: String,
}

/// The properties that differ between two versions (by name).
fn changes(old: &Value, new: &Value) -> Vec<String> {
    let (Some(a), Some(b)) = (old.as_object(), new.as_object()) else {
        return Vec::new();
    };
    let mut out: Vec<String> = b
        .iter()
        .filter(|(k, v)| a.get(*k) != Some(*v) && !matches!(k.as_str(), "modified"))
        .map(|(k, _)| k.clone())
        .chain(
            a.keys()
                .filter(|k| !b.contains_key(*k))
                .map(|k| format!("−{k}")),
        )
        .collect();
    out.sort();
    out
}

/// The ids an object names (`*_ref`, `*_refs`), with the property naming them.
fn named(v: &Value) -> Vec<(String, String)> {
    let mut out = Vec::new();
    if let Some(o) = v.as_object() {
        // Markings are explained above, not listed as objects named.
        for (k, x) in o.iter().filter(|(k, _)| *k != "object_marking_refs") {
            if k.ends_with("_ref") {
                if let Some(id) = x.as_str() {
                    out.push((k.clone(), id.to_owned()));
                }
            } else if k.ends_with("_refs")
                && let Some(a) = x.as_array()
            {
                out.extend(
                    a.iter()
                        .filter_map(|i| i.as_str())
                        .map(|id| (k.clone(), id.to_owned())),
                );
            }
        }
    }
    out
}

pub async fn show(
    State(ws): State<Ws>,
    v: Viewer,
    Path((coll, id)): Path<(String, String)>,
) -> Response {
    blocking(move || {
        let tr = v.tr;
        let collection = match ws.core.visible_collection(&v.principal, None, &coll) {
            Ok((c, rights)) if rights.can_read => c,
            Ok(_) => return view::not_found(&v),
            Err(e) => return view::core_error(&v, &e),
        };
        if stix::id::parse(&id).is_err() {
            return view::not_found(&v);
        }
        let policy = match ws.core.policy() {
            Ok(p) => p,
            Err(e) => return view::core_error(&v, &e),
        };
        let want = Want {
            versions: vec![VersionSel::All],
            with_body: true,
            limit: Some(1000),
            ..Want::default()
        };
        let rows = match ws.core.read(
            &v.caller(),
            "ui:object",
            &collection,
            Some(&id),
            &want,
            |p| p.rows.clone(),
        ) {
            Ok(r) => r,
            Err(e) => return view::core_error(&v, &e),
        };
        let Some(latest) = rows.iter().max_by_key(|r| r.version_at) else {
            return view::not_found(&v);
        };
        let s = summary::summarise(&tr, &policy, latest, &collection.id);
        let seal = ws.core.seal_state(&v.caller(), &collection, latest);
        let latest_json: Value = serde_json::from_str(&latest.json).unwrap_or_default();
        let reach = policy.reach(&latest.marking_refs);
        let reach_line = tr.ta(
            "reach-overall",
            &[("reach", &summary::reach_words(&tr, reach))],
        );
        let consent_note = latest
            .origin
            .as_deref()
            .map(|o| tr.ta("consent-note", &[("origin", o)]));
        // Versions, newest first, each with what changed since the one before it.
        let mut sorted: Vec<&store::Row> = rows.iter().collect();
        sorted.sort_by_key(|r| r.version_at);
        let mut versions = Vec::new();
        let mut previous: Option<Value> = None;
        for r in sorted {
            let json: Value = serde_json::from_str(&r.json).unwrap_or_default();
            versions.push(Version {
                version: tr.date(r.version_at),
                added: tr.date(r.date_added),
                changes: previous
                    .as_ref()
                    .map(|p| changes(p, &json))
                    .unwrap_or_default(),
            });
            previous = Some(json);
        }
        versions.reverse();
        // What this object names: linked where the user may open it.
        let readable = match v.readable(&ws.core) {
            Ok(r) => r,
            Err(e) => return view::core_error(&v, &e),
        };
        let named = named(&latest_json);
        let linkable: Vec<String> = named
            .iter()
            .map(|(_, t)| t.clone())
            .filter(|t| stix::id::parse(t).is_ok())
            .take(LINKED)
            .collect();
        // One read per readable collection finds both the objects named (for links) and
        // the definitions of markings that are not TLP (for their names).
        let mut s = s;
        let mut unnamed = unnamed(&s.markings);
        unnamed.truncate(LINKED);
        let wanted: Vec<String> = linkable.iter().chain(&unnamed).cloned().collect();
        let served = served(&ws, &v, &readable, &wanted, !unnamed.is_empty());
        name_markings(&served, &mut s.markings);
        let found: std::collections::HashMap<String, String> =
            served.into_iter().map(|(id, (c, _))| (id, c)).collect();
        let refs_out = named
            .into_iter()
            .map(|(property, target)| RefOut {
                property,
                href: found.get(&target).map(|c| format!("/ui/c/{c}/o/{target}")),
                id: target,
            })
            .collect();
        let (refs_in, refs_in_more) = match ws.core.referencing(&v.caller(), &id, REFERRERS) {
            Ok(r) => r,
            Err(e) => return view::core_error(&v, &e),
        };
        let sightings_line = match ws.core.sightings(&v.caller(), &id) {
            Ok(s) if s.count > 0 || s.false_positives > 0 => {
                let by =
                    s.by.iter()
                        .map(|b| {
                            let last = b
                                .last_seen
                                .as_deref()
                                .and_then(|t| stix::timestamp::parse(t, false).ok())
                                .map(|t| tr.date(t).local)
                                .unwrap_or_default();
                            tr.ta(
                                "sighted-by",
                                &[
                                    ("by", &b.by),
                                    ("count", &tr.number(b.count)),
                                    ("last", &last),
                                ],
                            )
                        })
                        .collect::<Vec<_>>()
                        .join("; ");
                Some(format!(
                    "{} {} {}",
                    tr.tn("sighted-times", s.count),
                    by,
                    if s.false_positives > 0 {
                        tr.tn("false-positives", s.false_positives)
                    } else {
                        String::new()
                    }
                ))
            }
            Ok(_) => None,
            Err(e) => return view::core_error(&v, &e),
        };
        let json = serde_json::to_string_pretty(&latest_json).unwrap_or_default();
        let title = s.name.clone().unwrap_or_else(|| s.id.clone());
        let c = v.chrome(&format!("/ui/c/{}/o/{}", collection.id, id), title);
        view::page(&ObjectPage {
            c,
            coll: collection.id.clone(),
            coll_title: collection.title.clone(),
            s,
            reach: reach_line,
            seal,
            consent_note,
            sightings_line,
            versions,
            refs_out,
            refs_in,
            refs_in_more,
            json,
        })
    })
    .await
}

#[derive(serde::Deserialize)]
pub struct SightingForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    count: String,
    #[serde(default)]
    seen_at: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    false_positive: String,
}

/// Records a sighting (or a false-positive report) of the object by this authority; it
/// travels to the object's originator at the next sync like any object of this node's.
pub async fn sight(
    State(ws): State<Ws>,
    v: Viewer,
    Path((coll, id)): Path<(String, String)>,
    axum::Form(f): axum::Form<SightingForm>,
) -> Response {
    let v = match view::checked(v, &f.csrf) {
        Ok(v) => v,
        Err(r) => return *r,
    };
    blocking(move || {
        let count = match f.count.trim() {
            "" => None,
            n => match n.parse::<u64>() {
                Ok(n) => Some(n),
                Err(_) => {
                    return view::field_error(&v, "form-whole-number", "sighting-count", n);
                }
            },
        };
        let seen_at = match f.seen_at.trim() {
            "" => None,
            d => match crate::date_input::field(&v, "sighting-seen", d) {
                Ok(day) => Some(format!("{day}T00:00:00Z")),
                Err(r) => return *r,
            },
        };
        let sighted = symbolon_core::sighting::Sighted {
            of: id.clone(),
            count,
            seen_at,
            false_positive: f.false_positive == "yes",
            note: Some(f.note.trim().to_owned()).filter(|n| !n.is_empty()),
            markings: None,
            collection: Some(coll.clone()),
        };
        match ws.core.record_sighting(&v.caller(), &sighted) {
            Ok(_) => view::see(&["c", &coll, "o", &id]),
            Err(e) => view::core_error(&v, &e),
        }
    })
    .await
}
