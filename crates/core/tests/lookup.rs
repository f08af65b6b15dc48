//! Correlation decided per asker: a lookup shows exactly the objects the reader would serve
//! the asker that hold the value (in what the asker receives of them), and nothing of the
//! others — no hit, no count, no "over-correlated" — for every kind of principal over
//! objects of every reach.

mod common;

use common::*;
use std::collections::BTreeSet;
use symbolon_core::correlate::Answer;
use symbolon_core::{Caller, Want};

const AMBER: &str = "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421";

fn caller_for(core: &symbolon_core::Core, who: &str) -> policy::Principal {
    if who == "admin" {
        return core.operator().clone();
    }
    core.principal(who).unwrap().unwrap()
}

fn lookup(core: &symbolon_core::Core, who: &str, values: &[&str]) -> Vec<Answer> {
    let p = caller_for(core, who);
    let caller = Caller {
        principal: &p,
        purpose: None,
    };
    let values: Vec<String> = values.iter().map(|v| v.to_string()).collect();
    core.lookup(&caller, &values).unwrap()
}

/// An indicator `n` (version `modified`) whose pattern names `ip`, with a marking on the
/// whole object and optionally a RED granular marking on its pattern.
fn holding(n: u32, modified: &str, ip: &str, marking: Option<&str>, pattern_red: bool) -> String {
    let marks = marks(marking);
    let granular = if pattern_red {
        format!(r#","granular_markings":[{{"marking_ref":"{RED}","selectors":["pattern"]}}]"#)
    } else {
        String::new()
    };
    format!(
        r#"{{"type":"indicator","spec_version":"2.1","id":"{}","created":"2024-01-01T00:00:00.000Z","modified":"{modified}","pattern":"[ipv4-addr:value = '{ip}']","pattern_type":"stix","valid_from":"2024-01-01T00:00:00Z","name":"n{n}"{marks}{granular}}}"#,
        id(n)
    )
}

struct Rng(u64);
impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

/// What the reader serves `who` of object `n` in `c`: its receivable versions' texts.
fn served_texts(
    core: &symbolon_core::Core,
    who: &str,
    c: &store::Collection,
    n: u32,
) -> Vec<String> {
    let p = caller_for(core, who);
    let caller = Caller {
        principal: &p,
        purpose: None,
    };
    let want = Want {
        versions: vec![store::VersionSel::All],
        with_body: true,
        ..Want::default()
    };
    core.read(&caller, "object", c, Some(&id(n)), &want, |page| {
        page.rows.iter().map(|r| r.json.clone()).collect()
    })
    .unwrap_or_default()
}

#[test]
fn a_lookup_shows_exactly_what_the_reader_serves_and_nothing_else() {
    let n = member();
    let core = &n.core;
    let ours = core.create_collection("ours", None, None, None).unwrap();
    let theirs = core.create_collection("theirs", None, None, None).unwrap();
    let hidden = core.create_collection("hidden", None, None, None).unwrap();
    for who in ["analyst", "ru", "partner"] {
        core.grant(who, &ours.id, true, false).unwrap();
        core.grant(who, &theirs.id, true, false).unwrap();
    }
    let ips = [
        "198.51.100.1",
        "198.51.100.2",
        "198.51.100.3",
        "198.51.100.4",
    ];
    let markings = [None, Some(CLEAR), Some(GREEN), Some(AMBER), Some(RED)];
    let mut r = Rng(0x1234_5678_9abc_def1);
    let mut placed: Vec<(u32, store::Collection, Vec<&str>)> = Vec::new();
    for obj in 1..=60u32 {
        let c = match r.below(3) {
            0 => ours.clone(),
            1 => theirs.clone(),
            _ => hidden.clone(),
        };
        let origin = (c.id == theirs.id).then_some("ru-csirt");
        let versions = 1 + r.below(3);
        let mut texts = Vec::new();
        let mut held = Vec::new();
        for v in 0..versions {
            let ip = ips[r.below(ips.len() as u64) as usize];
            held.push(ip);
            texts.push(holding(
                obj,
                &format!("2024-0{}-01T00:00:00.000Z", v + 1),
                ip,
                markings[r.below(markings.len() as u64) as usize],
                r.below(5) == 0,
            ));
        }
        put_from(core, &c, origin, &texts);
        placed.push((obj, c, held));
    }
    let mut shown = 0;
    let mut kept_back = 0;
    for who in ["admin", "analyst", "ru", "partner"] {
        let answers = lookup(core, who, &ips);
        for (ip, answer) in ips.iter().zip(&answers) {
            let got: BTreeSet<(String, String)> = answer
                .hits
                .iter()
                .map(|h| (h.collection.clone(), h.id.clone()))
                .collect();
            let mut expected = BTreeSet::new();
            for (obj, c, held) in &placed {
                if !held.contains(ip) {
                    continue;
                }
                let texts = served_texts(core, who, c, *obj);
                if texts.iter().any(|t| t.contains(&format!("'{ip}'"))) {
                    expected.insert((c.id.clone(), id(*obj)));
                } else {
                    kept_back += 1;
                }
            }
            assert_eq!(got, expected, "{who} asking about {ip}");
            shown += got.len();
            // Each hit's version is one the asker receives, holding the value.
            for h in &answer.hits {
                let obj: u32 = h.id.rsplit('-').next().unwrap().parse().unwrap();
                let c = placed
                    .iter()
                    .find(|(o, c, _)| *o == obj && c.id == h.collection)
                    .unwrap();
                let texts = served_texts(core, who, &c.1, obj);
                assert!(
                    texts
                        .iter()
                        .any(|t| t.contains(&h.version) && t.contains(&format!("'{ip}'"))),
                    "{who}: hit {} {} is not a version it receives holding {ip}",
                    h.id,
                    h.version
                );
            }
        }
    }
    assert!(
        shown > 20 && kept_back > 20,
        "both outcomes exercised ({shown} shown, {kept_back} kept back)"
    );
}

#[test]
fn over_correlation_counts_only_what_the_asker_receives() {
    let n = member();
    let core = &n.core;
    let c = core.create_collection("c", None, None, None).unwrap();
    core.grant("partner", &c.id, true, false).unwrap();
    core.grant("analyst", &c.id, true, false).unwrap();
    let mut texts: Vec<String> = (1..=5)
        .map(|i| holding(i, "2024-01-01T00:00:00.000Z", "192.0.2.9", Some(RED), false))
        .collect();
    texts.push(holding(
        6,
        "2024-01-01T00:00:00.000Z",
        "192.0.2.9",
        Some(CLEAR),
        false,
    ));
    put(core, &c, &texts);
    core.set_correlation_cap(2);
    let partner = &lookup(core, "partner", &["192.0.2.9"])[0];
    assert_eq!(partner.hits.len(), 1);
    assert!(
        !partner.over_correlated,
        "five RED holders must not show as a cap reached"
    );
    let local = &lookup(core, "analyst", &["192.0.2.9"])[0];
    assert_eq!(local.hits.len(), 2);
    assert!(local.over_correlated);
    // A value held only by withheld objects answers as one nobody holds.
    put(
        core,
        &c,
        &[holding(
            7,
            "2024-01-01T00:00:00.000Z",
            "192.0.2.77",
            Some(RED),
            false,
        )],
    );
    let withheld = serde_json::to_value(&lookup(core, "partner", &["192.0.2.77"])[0]).unwrap();
    let nobody = serde_json::to_value(&lookup(core, "partner", &["192.0.2.78"])[0]).unwrap();
    let strip = |mut v: serde_json::Value| {
        v.as_object_mut().unwrap().remove("value");
        v.as_object_mut().unwrap().remove("normalised");
        v
    };
    assert_eq!(strip(withheld), strip(nobody));
}

#[test]
fn ranges_domains_and_urls_find_related_values() {
    let n = member();
    let core = &n.core;
    let c = core.create_collection("c", None, None, None).unwrap();
    let texts = [
        r#"{"type":"ipv4-addr","id":"ipv4-addr--00000000-0000-4000-8000-000000000001","value":"10.20.30.40"}"#,
        r#"{"type":"ipv4-addr","id":"ipv4-addr--00000000-0000-4000-8000-000000000002","value":"10.20.0.0/16"}"#,
        r#"{"type":"domain-name","id":"domain-name--00000000-0000-4000-8000-000000000003","value":"c2.evil.example"}"#,
        r#"{"type":"url","id":"url--00000000-0000-4000-8000-000000000004","value":"http://Login.Evil.example/x"}"#,
        r#"{"type":"email-addr","id":"email-addr--00000000-0000-4000-8000-000000000005","value":"Ops@evil.example"}"#,
        r#"{"type":"domain-name","id":"domain-name--00000000-0000-4000-8000-000000000006","value":"evil.example"}"#,
    ];
    put(
        core,
        &c,
        &texts.iter().map(|t| t.to_string()).collect::<Vec<_>>(),
    );
    let hits = |q: &str| -> Vec<(String, &'static str, Option<String>)> {
        let mut v: Vec<_> = lookup(core, "admin", &[q])[0]
            .hits
            .iter()
            .map(|h| {
                (
                    h.id.rsplit('-')
                        .next()
                        .unwrap()
                        .trim_start_matches('0')
                        .to_owned(),
                    h.how.name(),
                    h.matched.clone(),
                )
            })
            .collect();
        v.sort();
        v
    };
    assert_eq!(
        hits("10.20.30.40"),
        [
            ("1".into(), "exact", None),
            ("2".into(), "cidr-contains", Some("10.20.0.0/16".into()))
        ]
    );
    assert_eq!(
        hits("10.0.0.0/8"),
        [
            ("1".into(), "cidr-within", Some("10.20.30.40".into())),
            ("2".into(), "cidr-within", Some("10.20.0.0/16".into()))
        ]
    );
    assert_eq!(
        hits("10.20.0.0/16"),
        [
            ("1".into(), "cidr-within", Some("10.20.30.40".into())),
            ("2".into(), "exact", None)
        ]
    );
    assert!(hits("10.21.0.1").is_empty());
    assert_eq!(
        hits("EVIL.example"),
        [
            ("3".into(), "subdomain", None),
            ("4".into(), "url-host", None),
            ("5".into(), "email-domain", None),
            ("6".into(), "exact", None)
        ]
    );
    assert_eq!(
        hits("x.c2.evil.example"),
        [
            ("3".into(), "parent-domain", Some("c2.evil.example".into())),
            ("6".into(), "parent-domain", Some("evil.example".into()))
        ]
    );
    assert_eq!(
        hits("hxxp://login.evil[.]example/x"),
        [("4".into(), "exact", None)]
    );
    assert_eq!(hits("ops@EVIL.example"), [("5".into(), "exact", None)]);
    let bad = &lookup(core, "admin", &["not a value"])[0];
    assert!(
        bad.error
            .as_deref()
            .unwrap()
            .contains("not a value this node indexes")
    );
}

#[test]
fn sightings_count_only_what_the_asker_receives() {
    let n = member();
    let core = &n.core;
    let c = core.create_collection("c", None, None, None).unwrap();
    core.grant("partner", &c.id, true, false).unwrap();
    let sighting = |k: u32, count: u32, marking: &str| {
        format!(
            r#"{{"type":"sighting","spec_version":"2.1","id":"sighting--00000000-0000-4000-8000-{k:012}","created":"2024-02-01T00:00:00.000Z","modified":"2024-02-01T00:00:00.000Z","sighting_of_ref":"{}","count":{count},"last_seen":"2024-02-0{k}T00:00:00Z","object_marking_refs":["{marking}"]}}"#,
            id(1)
        )
    };
    let opinion = format!(
        r#"{{"type":"opinion","spec_version":"2.1","id":"opinion--00000000-0000-4000-8000-000000000009","created":"2024-02-01T00:00:00.000Z","modified":"2024-02-01T00:00:00.000Z","opinion":"strongly-disagree","object_refs":["{}"],"object_marking_refs":["{RED}"]}}"#,
        id(1)
    );
    put(
        core,
        &c,
        &[
            holding(
                1,
                "2024-01-01T00:00:00.000Z",
                "192.0.2.1",
                Some(CLEAR),
                false,
            ),
            sighting(1, 3, CLEAR),
            sighting(2, 4, RED),
            opinion,
        ],
    );
    let admin = &lookup(core, "admin", &["192.0.2.1"])[0].hits[0];
    assert_eq!((admin.sightings, admin.false_positives), (7, 1));
    assert_eq!(admin.sighted_by[0].by, "ir-csirt");
    assert_eq!(
        admin.sighted_by[0].last_seen.as_deref(),
        Some("2024-02-02T00:00:00Z")
    );
    let partner = &lookup(core, "partner", &["192.0.2.1"])[0].hits[0];
    assert_eq!((partner.sightings, partner.false_positives), (3, 0));
}

#[test]
fn the_index_follows_writes_and_deletes_of_other_handles() {
    let n = member();
    let core = &n.core;
    let c = core.create_collection("c", None, None, None).unwrap();
    assert!(lookup(core, "admin", &["192.0.2.50"])[0].hits.is_empty());
    // Another process (the CLI while a node serves) writes into the same directory.
    let other = symbolon_core::Core::open(&n.path()).unwrap();
    let c2 = other.collection(&c.id).unwrap();
    put(
        &other,
        &c2,
        &[holding(
            50,
            "2024-01-01T00:00:00.000Z",
            "192.0.2.50",
            None,
            false,
        )],
    );
    assert_eq!(lookup(core, "admin", &["192.0.2.50"])[0].hits.len(), 1);
    let operator = other.operator().clone();
    let caller = Caller {
        principal: &operator,
        purpose: None,
    };
    other.delete(&caller, &c2, &id(50), &[], &[]).unwrap();
    assert!(lookup(core, "admin", &["192.0.2.50"])[0].hits.is_empty());
}

#[test]
fn a_lookup_is_recorded_and_a_purpose_is_required() {
    let n = member();
    let core = &n.core;
    core.save_user(
        "nopurpose",
        symbolon_core::admin::UserChange {
            password: Some("pw".into()),
            kind: Some(policy::Kind::Local),
            ..Default::default()
        },
    )
    .unwrap();
    let p = core.principal("nopurpose").unwrap().unwrap();
    let caller = Caller {
        principal: &p,
        purpose: None,
    };
    let refused = core.lookup(&caller, &["192.0.2.1".into()]);
    assert!(
        matches!(refused, Err(symbolon_core::CoreError::Refused(_))),
        "{refused:?}"
    );
    lookup(core, "analyst", &["192.0.2.1"]);
    core.journal().settle().unwrap();
    assert!(core.verify_audit().unwrap().intact());
}

#[test]
fn a_value_in_a_part_left_out_for_the_asker_is_no_hit() {
    let n = member();
    let core = &n.core;
    let c = core.create_collection("c", None, None, None).unwrap();
    core.grant("partner", &c.id, true, false).unwrap();
    let observed = format!(
        r#"{{"type":"observed-data","spec_version":"2.1","id":"observed-data--00000000-0000-4000-8000-000000000001","created":"2024-01-01T00:00:00.000Z","modified":"2024-01-01T00:00:00.000Z","first_observed":"2024-01-01T00:00:00Z","last_observed":"2024-01-01T00:00:00Z","number_observed":1,"object_refs":["ipv4-addr--00000000-0000-4000-8000-000000000002"],"objects":{{"0":{{"type":"ipv4-addr","value":"192.0.2.66"}}}},"object_marking_refs":["{CLEAR}"],"granular_markings":[{{"marking_ref":"{RED}","selectors":["objects"]}}]}}"#
    );
    put(core, &c, &[observed]);
    assert_eq!(lookup(core, "admin", &["192.0.2.66"])[0].hits.len(), 1);
    let texts = served_texts_any(
        core,
        "partner",
        &c,
        "observed-data--00000000-0000-4000-8000-000000000001",
    );
    assert_eq!(
        texts.len(),
        1,
        "the partner receives the observation, without its objects"
    );
    assert!(!texts[0].contains("192.0.2.66"));
    assert!(lookup(core, "partner", &["192.0.2.66"])[0].hits.is_empty());
}

fn served_texts_any(
    core: &symbolon_core::Core,
    who: &str,
    c: &store::Collection,
    object: &str,
) -> Vec<String> {
    let p = caller_for(core, who);
    let caller = Caller {
        principal: &p,
        purpose: None,
    };
    let want = Want {
        versions: vec![store::VersionSel::All],
        with_body: true,
        ..Want::default()
    };
    core.read(&caller, "object", c, Some(object), &want, |page| {
        page.rows.iter().map(|r| r.json.clone()).collect()
    })
    .unwrap_or_default()
}

#[test]
fn referencing_objects_are_decided_for_the_asker() {
    let n = member();
    let core = &n.core;
    let c = core.create_collection("c", None, None, None).unwrap();
    core.grant("partner", &c.id, true, false).unwrap();
    let rel = |k: u32, marking: &str| {
        format!(
            r#"{{"type":"relationship","spec_version":"2.1","id":"relationship--00000000-0000-4000-8000-{k:012}","created":"2024-01-01T00:00:00.000Z","modified":"2024-01-01T00:00:00.000Z","relationship_type":"indicates","source_ref":"{}","target_ref":"malware--00000000-0000-4000-8000-000000000001","object_marking_refs":["{marking}"]}}"#,
            id(1)
        )
    };
    put(
        core,
        &c,
        &[
            holding(
                1,
                "2024-01-01T00:00:00.000Z",
                "192.0.2.1",
                Some(CLEAR),
                false,
            ),
            rel(1, CLEAR),
            rel(2, RED),
        ],
    );
    let who = |name: &str| caller_for(core, name);
    let admin = who("admin");
    let (all, more) = core
        .referencing(
            &Caller {
                principal: &admin,
                purpose: None,
            },
            &id(1),
            10,
        )
        .unwrap();
    assert_eq!((all.len(), more), (2, false));
    let (one, more) = core
        .referencing(
            &Caller {
                principal: &admin,
                purpose: None,
            },
            &id(1),
            1,
        )
        .unwrap();
    assert_eq!((one.len(), more), (1, true));
    let partner = who("partner");
    let (seen, more) = core
        .referencing(
            &Caller {
                principal: &partner,
                purpose: None,
            },
            &id(1),
            1,
        )
        .unwrap();
    assert_eq!(seen.len(), 1);
    assert!(
        !more,
        "the RED relationship is not a further referrer for the partner"
    );
    assert_eq!(
        seen[0].id,
        "relationship--00000000-0000-4000-8000-000000000001"
    );
}
