//! Nothing leaves any read endpoint against policy: random principals × declared purposes ×
//! endpoints (objects with paging, object, versions, manifest; `match[version]` all, first,
//! last and the default) over a collection of objects with up to three versions each, every
//! version with its own random markings, origin and granular markings, and with consents
//! and confidentiality notices. Each object an endpoint serves must be exactly what
//! `Policy::serve` allows that principal for that purpose (whole, or with the same parts left
//! out); every version it allows must be served (paging loses nothing); and `first` and
//! `last` must be the earliest and latest of the versions the principal may receive, never
//! of the versions stored (decide, then select). `Policy::decide` itself is checked against
//! a restated oracle in `crates/policy/tests/never_against_policy.rs`; this test closes the
//! gap between the decision and the wire. `SYMBOLON_DEEP_CASES` runs more requests.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use ed25519_dalek::SigningKey;
use http_body_util::BodyExt;
use policy::ledger::{Consent, ConsentTerms, Notice, NoticeReach, Record, Scope, Signed};
use policy::lifecycle::Day;
use policy::{Access, Action, Policy, Principal};
use std::collections::BTreeMap;
use std::sync::Arc;
use store::{Filter, Store, VersionSel};
use symbolon_core::Core;
use symbolon_core::admin::UserChange;
use tower::ServiceExt;

const CLEAR: &str = "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487";
const GREEN: &str = "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb";
const AMBER: &str = "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421";
const RED: &str = "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1";
const RESTRICTED: &str = "marking-definition--2f1c5b7e-7a4e-4c1d-9a55-0d6b1c6f0a11";
const UNKNOWN: &str = "marking-definition--7d1f0c33-1111-4a3a-8e2b-5c0d9e8f7a66";
const MARKINGS: [Option<&str>; 7] = [
    None,
    Some(CLEAR),
    Some(GREEN),
    Some(AMBER),
    Some(RED),
    Some(RESTRICTED),
    Some(UNKNOWN),
];
const USERS: [&str; 5] = ["admin", "local", "ru", "other", "tp"];
const PURPOSES: [Option<&str>; 4] = [None, Some("ir"), Some("jta"), Some("bogus")];
const PASSWORD: &str = "pw";
const OBJECTS: u32 = 40;
const VERSIONS: [&str; 3] = [
    "2024-01-01T00:00:00.000Z",
    "2024-02-01T00:00:00.000Z",
    "2024-03-01T00:00:00.000Z",
];

/// Deterministic randomness (the seed fixes the world and the requests).
struct Rng(rand::rngs::StdRng);

impl Rng {
    fn seeded(seed: u64) -> Self {
        Rng(rand::SeedableRng::seed_from_u64(seed))
    }

    fn below(&mut self, n: usize) -> usize {
        rand::Rng::gen_range(&mut self.0, 0..n)
    }

    fn chance(&mut self, percent: u32) -> bool {
        rand::Rng::gen_ratio(&mut self.0, percent, 100)
    }
}

fn key(seed: u8) -> SigningKey {
    SigningKey::from_bytes(&[seed; 32])
}

/// The agreement: IR (this node, `ir-csirt`) and RU (`ru-csirt`, whose key the file lists,
/// and `ru-other`), purposes `ir` and `jta`, RU's restricted-access marking.
fn agreement_text() -> String {
    format!(
        r#"format = "symbolon-agreement/1"
id = "a"
version = 1
signed = "2021-01-26"
[title]
en = "Test agreement"
[[parties]]
id = "IR"
working_week = ["mon", "tue", "wed", "thu", "fri"]
[parties.name]
en = "IR"
[[parties.authorities]]
id = "ir-csirt"
[parties.authorities.name]
en = "IR CSIRT"
[[parties]]
id = "RU"
working_week = ["mon", "tue", "wed", "thu", "fri"]
restricted_markings = ["{RESTRICTED}"]
[parties.name]
en = "RU"
[[parties.authorities]]
id = "ru-csirt"
public_key = "{}"
[parties.authorities.name]
en = "RU CSIRT"
[[parties.authorities]]
id = "ru-other"
[parties.authorities.name]
en = "RU other"
[[purposes]]
id = "ir"
article = "3"
[purposes.name]
en = "incident response"
[[purposes]]
id = "jta"
article = "5.3"
[purposes.name]
en = "joint threat assessment"
"#,
        hex::encode(key(2).verifying_key().as_bytes())
    )
}

fn indicator(n: u32, modified: &str, marking: Option<&str>, granular: bool) -> stix::StixObject {
    let id = format!("indicator--00000000-0000-4000-8000-{n:012}");
    let mut extra = String::new();
    if let Some(m) = marking {
        extra.push_str(&format!(r#","object_marking_refs":["{m}"]"#));
    }
    if granular {
        extra.push_str(&format!(
            r#","granular_markings":[{{"marking_ref":"{RED}","selectors":["description"]}}]"#
        ));
    }
    let json = format!(
        r#"{{"type":"indicator","spec_version":"2.1","id":"{id}","created":"2024-01-01T00:00:00.000Z","modified":"{modified}","description":"seen {n}","pattern":"[ipv4-addr:value = '203.0.113.{n}']","pattern_type":"stix","valid_from":"2024-01-01T00:00:00Z"{extra}}}"#
    );
    let raw: Box<serde_json::value::RawValue> = serde_json::from_str(&json).unwrap();
    stix::validate(&raw).unwrap()
}

struct World {
    _dir: tempfile::TempDir,
    /// The node's store, read directly: the oracle's side, apart from the core's reader.
    store: store::SqliteStore,
    policy: Arc<Policy>,
    router: axum::Router,
    coll: store::Collection,
    ids: Vec<String>,
}

fn world(rng: &mut Rng) -> World {
    let dir = tempfile::tempdir().unwrap();
    let node = dir.path().join("node");
    let (core, _) = Core::init(&node, Some(PASSWORD)).unwrap();
    core.join_agreement(&agreement_text(), "IR", "ir-csirt")
        .unwrap();
    for party in ["IR", "RU"] {
        core.notify(
            symbolon_core::agreement::Notice::Ratification,
            party,
            Day::parse("2021-03-01").unwrap(),
        )
        .unwrap();
    }
    let coll = core.create_collection("shared", None, None, None).unwrap();
    for (name, kind, purposes) in [
        ("local", policy::Kind::Local, vec!["ir"]),
        ("ru", policy::Kind::Authority("ru-csirt".into()), vec!["ir"]),
        (
            "other",
            policy::Kind::Authority("ru-other".into()),
            vec!["ir", "jta"],
        ),
        ("tp", policy::Kind::ThirdParty, vec!["ir", "jta"]),
    ] {
        core.save_user(
            name,
            UserChange {
                password: Some(PASSWORD.into()),
                admin: false,
                kind: Some(kind),
                purposes: Some(purposes.into_iter().map(String::from).collect()),
            },
        )
        .unwrap();
    }
    for name in USERS {
        core.grant(name, &coll.id, true, false).unwrap();
    }
    // Objects are stored straight into the store (the fixture), each version in its own
    // write with its own markings, granular markings and origin.
    let store = store::SqliteStore::open(&node).unwrap();
    let mut ids = Vec::new();
    let mut ours = Vec::new();
    for n in 0..OBJECTS {
        let versions = 1 + rng.below(3);
        let mut any_ours = false;
        for v in VERSIONS.iter().take(versions) {
            let marking = MARKINGS[rng.below(MARKINGS.len())];
            let granular = rng.chance(25);
            let from_ru = rng.chance(50);
            any_ours |= !from_ru;
            store
                .add_objects(
                    coll.key,
                    &[indicator(n, v, marking, granular)],
                    from_ru.then_some("ru-csirt"),
                    &mut |w| Ok(serde_json::to_vec(&w.stored()).unwrap()),
                )
                .unwrap();
        }
        let id = format!("indicator--00000000-0000-4000-8000-{n:012}");
        if any_ours {
            ours.push(id.clone());
        }
        ids.push(id);
    }
    let pick = |rng: &mut Rng, from: &[String], percent: u32| -> Vec<String> {
        from.iter()
            .filter(|_| rng.chance(percent))
            .cloned()
            .collect()
    };
    let consented = pick(rng, &ids, 50);
    let noticed = pick(rng, &ids, 20);
    let noticed_parts = pick(rng, &ids, 20);
    let ours_noticed = pick(rng, &ours, 20);
    let expires = Day::parse("2099-12-31").unwrap();
    let mut records = vec![(
        Record::Consent(Consent {
            id: "consent-1".into(),
            agreement: "a".into(),
            terms: ConsentTerms {
                originator: "ru-csirt".into(),
                holder: "ir-csirt".into(),
                recipient: "tp".into(),
                purpose: "ir".into(),
                scope: Scope::Objects(consented),
                expires,
            },
            granted_at: "2025-01-01T00:00:00Z".into(),
            request: None,
        }),
        key(2),
    )];
    // A consent for the whole collection, for the other purpose: resolved to this node's
    // collection when the policy reads it.
    records.push((
        Record::Consent(Consent {
            id: "consent-2".into(),
            agreement: "a".into(),
            terms: ConsentTerms {
                originator: "ru-csirt".into(),
                holder: "ir-csirt".into(),
                recipient: "tp".into(),
                purpose: "jta".into(),
                scope: Scope::Collection(coll.id.clone()),
                expires,
            },
            granted_at: "2025-01-01T00:00:00Z".into(),
            request: None,
        }),
        key(2),
    ));
    for (i, (objects, properties, reach, originator, k)) in [
        (noticed, vec![], NoticeReach::Parties, "ru-csirt", key(2)),
        (
            noticed_parts,
            vec!["description".to_owned()],
            NoticeReach::Parties,
            "ru-csirt",
            key(2),
        ),
        (
            ours_noticed,
            vec![],
            NoticeReach::Holder,
            "ir-csirt",
            core.key().clone(),
        ),
    ]
    .into_iter()
    .enumerate()
    {
        if objects.is_empty() {
            continue;
        }
        records.push((
            Record::Notice(Notice {
                id: format!("notice-{i}"),
                agreement: "a".into(),
                originator: originator.into(),
                objects,
                properties,
                reach,
                issued_at: "2025-01-01T00:00:00Z".into(),
                reason: None,
            }),
            k,
        ));
    }
    for (record, k) in records {
        assert!(
            core.keep_record(&Signed::sign(record, &k).unwrap())
                .unwrap()
        );
    }
    let policy = core.policy().unwrap();
    assert!(
        policy.held().refused.is_empty(),
        "{:?}",
        policy.held().refused
    );
    let core = Arc::new(core);
    let state = taxii::AppState::new(core, taxii::ServerInfo::default());
    World {
        _dir: dir,
        router: taxii::router(state),
        store,
        policy,
        coll,
        ids,
    }
}

/// What the policy lets `user` see for `purpose`: (id, version) → served text, in
/// date_added order; `None` when the request as a whole is refused.
fn allowed(
    w: &World,
    user: &str,
    purpose: Option<&str>,
) -> Option<BTreeMap<(String, String), String>> {
    let record = w.store.user(user).unwrap().unwrap();
    let principal = Principal::from_user(&record, &w.store.grants(user).unwrap());
    let access = Access {
        principal: &principal,
        collection: w.coll.key,
        action: Action::Read,
        purpose,
    };
    if !w.policy.permits(&access).is_allowed() {
        return None;
    }
    let filter = Filter {
        versions: vec![VersionSel::All],
        with_body: true,
        ..Filter::default()
    };
    let mut out = BTreeMap::new();
    w.store
        .scan(w.coll.key, &filter, &mut |mut row| {
            if w.policy.serve(&access, &mut row).article().is_none() {
                out.insert((row.id.clone(), row.version.clone()), row.json);
            }
            std::ops::ControlFlow::Continue(())
        })
        .unwrap();
    Some(out)
}

async fn get(
    w: &World,
    user: &str,
    purpose: Option<&str>,
    url: &str,
) -> (StatusCode, serde_json::Value) {
    let mut req = Request::get(url)
        .header("accept", taxii::TAXII_MEDIA_TYPE)
        .header(
            "authorization",
            format!(
                "Basic {}",
                base64::Engine::encode(
                    &base64::engine::general_purpose::STANDARD,
                    format!("{user}:{PASSWORD}")
                )
            ),
        );
    if let Some(p) = purpose {
        req = req.header("x-symbolon-purpose", p);
    }
    let resp = w
        .router
        .clone()
        .oneshot(req.body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = resp.status();
    let bytes = resp.into_body().collect().await.unwrap().to_bytes();
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(serde_json::Value::Null),
    )
}

/// Of the versions the oracle allows, the ones a `match[version]` selects: every one, or per
/// object the earliest or the latest (versions of one object compare as their timestamps).
fn select<'a>(
    allowed: &'a BTreeMap<(String, String), String>,
    sel: &str,
) -> BTreeMap<&'a (String, String), &'a String> {
    let mut per_object: BTreeMap<&str, Vec<&(String, String)>> = BTreeMap::new();
    for k in allowed.keys() {
        per_object.entry(&k.0).or_default().push(k);
    }
    per_object
        .into_values()
        .flat_map(|mut vs| {
            vs.sort_by(|a, b| a.1.cmp(&b.1));
            match sel {
                "first" => vs.into_iter().take(1).collect::<Vec<_>>(),
                "last" => vs.into_iter().rev().take(1).collect(),
                _ => vs,
            }
        })
        .map(|k| (k, &allowed[k]))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_endpoint_serves_anything_the_policy_withholds() {
    let requests: usize = std::env::var("SYMBOLON_DEEP_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .map_or(6_000, |cases: usize| cases / 40);
    let mut rng = Rng::seeded(0x5EED_CAFE);
    let w = world(&mut rng);
    let base = format!("/api1/collections/{}", w.coll.id);
    // The oracle per principal and purpose.
    let mut oracle = BTreeMap::new();
    for user in USERS {
        for purpose in PURPOSES {
            oracle.insert((user, purpose), allowed(&w, user, purpose));
        }
    }
    // Object versions per id: what a request's presence/absence check covers.
    let mut versions_of: BTreeMap<String, usize> = BTreeMap::new();
    w.store
        .scan(
            w.coll.key,
            &Filter {
                versions: vec![VersionSel::All],
                ..Filter::default()
            },
            &mut |row| {
                *versions_of.entry(row.id).or_default() += 1;
                std::ops::ControlFlow::Continue(())
            },
        )
        .unwrap();
    let all_versions: usize = versions_of.values().sum();
    // The collection-wide consent lets the third party have, for `jta`, information from
    // RU that the per-object consent (for `ir`) does not cover.
    let tp = |p| oracle[&("tp", Some(p))].as_ref().map_or(0, BTreeMap::len);
    assert!(tp("jta") > tp("ir"), "jta {} ir {}", tp("jta"), tp("ir"));
    // Versions are selected after they are decided: for someone, the last version they may
    // receive of some object is not the last one stored, and the first not the first.
    let mut hidden_last = 0;
    for allowed in oracle.values().flatten() {
        for (id, v) in select(allowed, "last").keys() {
            hidden_last +=
                usize::from(versions_of[id] > 1 && v.as_str() != VERSIONS[versions_of[id] - 1]);
        }
    }
    assert!(
        hidden_last > 10,
        "{hidden_last} objects whose latest receivable version is older"
    );
    let mut checked = 0usize;
    for _ in 0..requests {
        let user = USERS[rng.below(USERS.len())];
        let purpose = PURPOSES[rng.below(PURPOSES.len())];
        let expected = &oracle[&(user, purpose)];
        let id = &w.ids[rng.below(w.ids.len())];
        let limit = 1 + rng.below(15);
        // (URL, what it lists, which versions it selects).
        let (url, kind, sel) = match rng.below(9) {
            0 => (
                format!("{base}/objects/?match[version]=all&limit={limit}"),
                "objects",
                "all",
            ),
            1 => (
                format!("{base}/objects/{id}/?match[version]=all"),
                "object",
                "all",
            ),
            2 => (format!("{base}/objects/{id}/versions/"), "versions", "all"),
            3 => (
                format!("{base}/manifest/?match[version]=all&limit={limit}"),
                "manifest",
                "all",
            ),
            4 => (format!("{base}/objects/?limit={limit}"), "objects", "last"),
            5 => (
                format!("{base}/objects/?match[version]=first&limit={limit}"),
                "objects",
                "first",
            ),
            6 => (format!("{base}/objects/{id}/"), "object", "last"),
            7 => (
                format!("{base}/objects/{id}/?match[version]=first"),
                "object",
                "first",
            ),
            _ => (
                format!("{base}/manifest/?match[version]=last&limit={limit}"),
                "manifest",
                "last",
            ),
        };
        let sep = if url.contains('?') { '&' } else { '?' };
        let Some(expected) = expected else {
            let (status, _) = get(&w, user, purpose, &url).await;
            assert_eq!(status, StatusCode::FORBIDDEN, "{user} {purpose:?} {url}");
            checked += if kind == "objects" || kind == "manifest" {
                all_versions
            } else {
                versions_of[id]
            };
            continue;
        };
        let in_scope: BTreeMap<_, _> = select(expected, sel)
            .into_iter()
            .filter(|((i, _), _)| kind == "objects" || kind == "manifest" || i == id)
            .collect();
        // Follow `next` to the end: everything allowed arrives, nothing else does.
        let mut got: BTreeMap<(String, String), Option<String>> = BTreeMap::new();
        let mut next: Option<String> = None;
        loop {
            let page_url = match &next {
                Some(n) => format!("{url}{sep}next={n}"),
                None => url.clone(),
            };
            let (status, body) = get(&w, user, purpose, &page_url).await;
            if status == StatusCode::NOT_FOUND && kind != "objects" && kind != "manifest" {
                assert!(
                    in_scope.is_empty(),
                    "{user} {purpose:?} {url}: 404 but {in_scope:?} allowed"
                );
                break;
            }
            assert_eq!(
                status,
                StatusCode::OK,
                "{user} {purpose:?} {page_url}: {body}"
            );
            match kind {
                "objects" | "object" => {
                    for o in body["objects"].as_array().into_iter().flatten() {
                        let key = (
                            o["id"].as_str().unwrap().to_owned(),
                            o["modified"].as_str().unwrap().to_owned(),
                        );
                        got.insert(key, Some(o.to_string()));
                    }
                }
                "manifest" => {
                    for o in body["objects"].as_array().into_iter().flatten() {
                        let key = (
                            o["id"].as_str().unwrap().to_owned(),
                            o["version"].as_str().unwrap().to_owned(),
                        );
                        got.insert(key, None);
                    }
                }
                _ => {
                    for v in body["versions"].as_array().into_iter().flatten() {
                        got.insert((id.clone(), v.as_str().unwrap().to_owned()), None);
                    }
                }
            }
            match body["next"].as_str() {
                Some(n) if body["more"] == true => next = Some(n.to_owned()),
                _ => break,
            }
        }
        assert_eq!(
            got.keys().collect::<Vec<_>>(),
            in_scope.keys().copied().collect::<Vec<_>>(),
            "{user} {purpose:?} {url}"
        );
        for (key, text) in &got {
            if let Some(text) = text {
                let want: serde_json::Value = serde_json::from_str(in_scope[key]).unwrap();
                let have: serde_json::Value = serde_json::from_str(text).unwrap();
                assert_eq!(
                    have, want,
                    "{user} {purpose:?} {url}: {key:?} served other than allowed"
                );
            }
        }
        checked += if kind == "objects" || kind == "manifest" {
            all_versions
        } else {
            versions_of[id]
        };
    }
    eprintln!("{requests} requests, {checked} object decisions checked at the wire");
    assert!(checked >= requests);
}
