//! Nothing leaks through a side view: every page the workspace has — lists, counts,
//! search (by id, value and text), object pages, version lists, reference panels, error
//! pages — crawled as each kind of principal over objects of every reach, shows no id,
//! name or value of a version the core's reader would not serve that principal, and a
//! withheld object's page is the very page of an object that does not exist.

mod client;
#[path = "../../core/tests/common/mod.rs"]
mod common;

use axum::http::StatusCode;
use client::Browser;
use common::*;
use std::collections::{BTreeSet, VecDeque};
use symbolon_core::{Caller, Want};

const AMBER: &str = "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421";

/// Object `n` at version `v`: an indicator named and described uniquely per version,
/// holding an address unique per version.
fn version(n: u32, v: u32, marking: Option<&str>) -> String {
    let marks = marks(marking);
    format!(
        r#"{{"type":"indicator","spec_version":"2.1","id":"{}","created":"2024-01-01T00:00:00.000Z","modified":"2024-0{v}-01T00:00:00.000Z","name":"name{n}x{v}","description":"about{n}x{v}","pattern":"[ipv4-addr:value = '10.{n}.{v}.1']","pattern_type":"stix","valid_from":"2024-01-01T00:00:00Z"{marks}}}"#,
        id(n)
    )
}

/// A relationship `r` from object `a` to object `b`.
fn relationship(r: u32, a: u32, b: u32, marking: Option<&str>) -> String {
    let marks = marks(marking);
    format!(
        r#"{{"type":"relationship","spec_version":"2.1","id":"relationship--00000000-0000-4000-8000-{r:012}","created":"2024-01-01T00:00:00.000Z","modified":"2024-01-01T00:00:00.000Z","relationship_type":"indicates","source_ref":"{}","target_ref":"{}","description":"rel{r}"{marks}}}"#,
        id(a),
        id(b)
    )
}

/// Every token of every stored version (ids, names, descriptions, values), and the tokens
/// of the versions the reader serves `who` in any collection.
struct Reach {
    all: BTreeSet<String>,
    served: BTreeSet<String>,
    /// Objects served: (collection, id) and how many per collection.
    objects: Vec<(String, String)>,
}

fn tokens(text: &str) -> Vec<String> {
    let v: serde_json::Value = serde_json::from_str(text).unwrap();
    let mut out = vec![v["id"].as_str().unwrap().to_owned()];
    // An authority's identity names it as the agreement does (public to every user: the
    // agreement page): its id is the object, its name is no secret.
    if v["type"] == "identity" {
        return out;
    }
    for k in ["name", "description", "content"] {
        if let Some(s) = v[k].as_str() {
            out.push(s.to_owned());
        }
    }
    if let Some(p) = v["pattern"].as_str() {
        out.push(p.split('\'').nth(1).unwrap().to_owned());
    }
    out
}

fn reach(
    core: &symbolon_core::Core,
    who: &policy::Principal,
    collections: &[store::Collection],
) -> Reach {
    let mut r = Reach {
        all: BTreeSet::new(),
        served: BTreeSet::new(),
        objects: Vec::new(),
    };
    let admin = core.operator().clone();
    let everything = Want {
        versions: vec![store::VersionSel::All],
        with_body: true,
        ..Want::default()
    };
    for c in collections {
        let all: Vec<String> = core
            .read(
                &Caller {
                    principal: &admin,
                    purpose: None,
                },
                "test",
                c,
                None,
                &everything,
                |p| p.rows.iter().map(|r| r.json.clone()).collect(),
            )
            .unwrap();
        r.all.extend(all.iter().flat_map(|t| tokens(t)));
        let served: Vec<(String, String)> = core
            .read(
                &Caller {
                    principal: who,
                    purpose: None,
                },
                "test",
                c,
                None,
                &everything,
                |p| {
                    p.rows
                        .iter()
                        .map(|r| (r.id.clone(), r.json.clone()))
                        .collect()
                },
            )
            .unwrap_or_default();
        r.served.extend(served.iter().flat_map(|(_, t)| tokens(t)));
        // The ids a served version names are in what the reader served (as on TAXII): the
        // page shows them as the text they are, no more (no link, no name: the same as for
        // an id nothing holds).
        for (_, t) in &served {
            let v: serde_json::Value = serde_json::from_str(t).unwrap();
            for k in ["source_ref", "target_ref"] {
                if let Some(id) = v[k].as_str() {
                    r.served.insert(id.to_owned());
                }
            }
        }
        let ids: BTreeSet<String> = served.into_iter().map(|(id, _)| id).collect();
        r.objects
            .extend(ids.into_iter().map(|id| (c.id.clone(), id)));
    }
    r
}

fn links(page: &str) -> Vec<String> {
    page.split("href=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .filter(|h| h.starts_with("/ui/") && !h.starts_with("/ui/static/"))
        .map(|h| h.replace("&amp;", "&").replace("&#38;", "&"))
        .collect()
}

#[tokio::test]
async fn no_page_shows_what_the_reader_would_not_serve() {
    let node = member();
    let core = &node.core;
    let ours = core.create_collection("ours", None, None, None).unwrap();
    let theirs = core.create_collection("theirs", None, None, None).unwrap();
    let hidden = core.create_collection("hidden", None, None, None).unwrap();
    for who in ["analyst", "ru", "partner"] {
        core.grant(who, &ours.id, true, false).unwrap();
        core.grant(who, &theirs.id, true, false).unwrap();
    }
    // Objects of every reach, some with versions of different reach (the newest RED, an
    // older one CLEAR), relationships between objects of different reach.
    let markings = [None, Some(CLEAR), Some(GREEN), Some(AMBER), Some(RED)];
    let mut n = 0u32;
    for (c, origin) in [(&ours, None), (&theirs, Some("ru-csirt")), (&hidden, None)] {
        let mut texts = Vec::new();
        for m in markings {
            n += 1;
            texts.push(version(n, 1, m));
            n += 1;
            texts.push(version(n, 1, Some(CLEAR)));
            texts.push(version(n, 2, m));
        }
        for (i, m) in markings.iter().enumerate() {
            texts.push(relationship(100 + n + i as u32, n - 1, n - 3, *m));
        }
        put_from(core, c, origin, &texts);
    }
    // Incidents of different reach: their pages and timelines are crawled too.
    let operator = core.operator().clone();
    let as_operator = Caller {
        principal: &operator,
        purpose: None,
    };
    for (c, name, marking) in [
        (&ours, "incident-green", GREEN),
        (&ours, "incident-red", RED),
        (&hidden, "incident-hidden", GREEN),
    ] {
        let id = core
            .open_incident(
                &as_operator,
                &symbolon_core::incident::NewIncident {
                    collection: c.id.clone(),
                    name: name.into(),
                    description: Some(format!("{name}-about")),
                    markings: Some(vec![marking.to_owned()]),
                    ..Default::default()
                },
            )
            .unwrap();
        core.add_note(
            &as_operator,
            &id,
            &symbolon_core::incident::NewNote {
                content: format!("{name}-note"),
                ..Default::default()
            },
            None,
        )
        .unwrap();
    }
    let collections = [ours.clone(), theirs.clone(), hidden.clone()];
    let app = client::app(&node.path());
    let mut crawled = 0;
    for (who, password) in [
        ("admin", "pw"),
        ("analyst", "pw"),
        ("ru", "pw"),
        ("partner", "pw"),
    ] {
        let principal = if who == "admin" {
            core.operator().clone()
        } else {
            core.principal(who).unwrap().unwrap()
        };
        let r = reach(core, &principal, &collections);
        let withheld: Vec<&String> = r.all.iter().filter(|t| !r.served.contains(*t)).collect();
        if who != "admin" {
            assert!(
                !withheld.is_empty(),
                "{who} is withheld something in this data"
            );
        }
        let mut b = Browser::new(app.clone());
        assert_eq!(
            b.sign_in(who, password).await.status,
            StatusCode::SEE_OTHER,
            "{who} signs in"
        );
        // Pages to visit: what links lead to, and what a curious user would type.
        let mut queue: VecDeque<String> = VecDeque::from(vec!["/ui/".to_owned()]);
        for t in &r.all {
            queue.push_back(format!(
                "/ui/search?q={}",
                percent_encoding::utf8_percent_encode(t, percent_encoding::NON_ALPHANUMERIC)
            ));
            if t.contains("--") {
                for c in &collections {
                    queue.push_back(format!("/ui/c/{}/o/{t}", c.id));
                }
                queue.push_back(format!("/ui/incidents/{t}"));
            }
        }
        for c in &collections {
            queue.push_back(format!("/ui/c/{}", c.id));
            queue.push_back(format!("/ui/c/{}?q=name", c.id));
        }
        let absent = b
            .get(&format!(
                "/ui/c/{}/o/indicator--99999999-0000-4000-8000-000000000000",
                ours.id
            ))
            .await;
        let mut seen = BTreeSet::new();
        while let Some(path) = queue.pop_front() {
            if !seen.insert(path.clone()) || seen.len() > 2000 {
                continue;
            }
            let page = b.get(&path).await;
            crawled += 1;
            assert!(
                matches!(page.status, StatusCode::OK | StatusCode::NOT_FOUND),
                "{who} {path}: {}",
                page.status
            );
            // What the user typed is shown back in the search field: that is no leak.
            let typed = path.strip_prefix("/ui/search?q=").map(|q| {
                percent_encoding::percent_decode_str(q)
                    .decode_utf8_lossy()
                    .into_owned()
            });
            let body = match (&typed, path.strip_prefix("/ui/search?")) {
                (Some(q), Some(query)) => page
                    .body
                    .replace(&format!("value=\"{q}\""), "")
                    .replace(query, ""),
                _ => page.body.clone(),
            };
            for t in &withheld {
                assert!(
                    !body.contains(t.as_str()),
                    "{who} sees withheld `{t}` on {path}"
                );
            }
            if page.status == StatusCode::NOT_FOUND {
                // Withheld or absent: the same page (the requested path aside).
                let strip = |s: &str| s.split("<main").nth(1).unwrap_or("").to_owned();
                assert_eq!(strip(&page.body), strip(&absent.body), "{who} {path}");
            }
            for l in links(&page.body) {
                if !seen.contains(&l) && !l.contains("lang=") {
                    queue.push_back(l);
                }
            }
        }
        // Every object the reader serves is reachable and its page opens; the counts on
        // the home page are the reader's.
        let home = b.get("/ui/").await;
        for c in &collections {
            let count = r.objects.iter().filter(|(cid, _)| *cid == c.id).count();
            if count > 0 {
                let shown = format!("{count} object");
                assert!(
                    home.body.contains(&shown),
                    "{who}: {shown} for {} in {}",
                    c.title,
                    home.body
                );
            }
        }
        for (c, id) in &r.objects {
            let page = b.get(&format!("/ui/c/{c}/o/{id}")).await;
            assert_eq!(page.status, StatusCode::OK, "{who} opens {id}");
        }
    }
    assert!(crawled > 200, "{crawled} pages crawled");
}
