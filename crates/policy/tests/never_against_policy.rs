//! Random combinations of markings × principals × purposes × origins × lifecycle days ×
//! actions, each decided by the policy and by an oracle written here from the rules as
//! `agreements/README.md` states them (not from the policy's code). Any case the policy
//! allows and the oracle does not is an object served against the agreement.
//!
//! 100,000 cases by default; `SYMBOLON_DEEP_CASES=10000000` for a deep run.

use policy::lifecycle::{Day, Lifecycle, Notification, TimingRules, WorkingCalendar};
use policy::{Access, Action, Decision, Kind, ObjectFacts, Policy, Principal, Terms};
use serde_json::json;
use store::{Grant, User};

const CLEAR: &str = "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487";
const WHITE1: &str = "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9";
const GREEN: &str = "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb";
const AMBER: &str = "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421";
const STRICT: &str = "marking-definition--826578e1-40ad-459f-bc73-ede076f81f37";
const RED: &str = "marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed";
const STATEMENT: &str = "marking-definition--00000000-0000-4000-8000-00000000000a";
const PAP: &str = "marking-definition--00000000-0000-4000-8000-00000000000b";
const ACS_OPEN: &str = "marking-definition--00000000-0000-4000-8000-00000000000c";
const ACS_DENY: &str = "marking-definition--00000000-0000-4000-8000-00000000000d";
const IEP_NONE: &str = "marking-definition--00000000-0000-4000-8000-00000000000e";
const RESTRICTED: &str = "marking-definition--00000000-0000-4000-8000-00000000000f";
const UNKNOWN: &str = "marking-definition--00000000-0000-4000-8000-000000000099";

/// The oracle's reading of each marking: 0 = this authority, 1 = the parties, 2 = anyone.
const MARKINGS: [(&str, u8); 13] = [
    (CLEAR, 2),
    (WHITE1, 2),
    (GREEN, 1),
    (AMBER, 0),
    (STRICT, 0),
    (RED, 0),
    (STATEMENT, 2),
    (PAP, 2),
    (ACS_OPEN, 2),
    (ACS_DENY, 1),
    (IEP_NONE, 1),
    (RESTRICTED, 1),
    (UNKNOWN, 0),
];

const PURPOSES: [&str; 2] = ["incident-response", "joint-threat-assessment"];
const COLLECTION: i64 = 7;

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn terms() -> Terms {
    let day = |s| Day::parse(s).unwrap();
    let cal = WorkingCalendar::monday_to_friday();
    let lifecycle = Lifecycle::derive(
        &TimingRules::default(),
        &[("IR".into(), cal.clone()), ("RU".into(), cal)],
        &[
            Notification::Ratification {
                party: "IR".into(),
                received: day("2021-03-01"),
            },
            Notification::Ratification {
                party: "RU".into(),
                received: day("2021-03-01"),
            },
            Notification::Termination {
                party: "RU".into(),
                received: day("2030-01-01"),
            },
        ],
    );
    Terms {
        agreement: "ir-ru-infosec-2021".into(),
        keys: Default::default(),
        retired: Default::default(),
        version: 1,
        authority: "ir-csirt".into(),
        purposes: PURPOSES.iter().map(|p| p.to_string()).collect(),
        authorities: vec!["ir-csirt".into(), "ru-csirt".into(), "ru-second".into()],
        restricted_markings: vec![RESTRICTED.into()],
        lifecycle,
    }
}

/// Days before entry into force (2021-03-31), in force, termination pending, terminated
/// (effective 2030-04-01): and whether transfers may leave on each.
const DAYS: [(&str, bool); 5] = [
    ("2021-03-30", false),
    ("2021-03-31", true),
    ("2025-06-01", true),
    ("2030-03-31", true),
    ("2030-04-01", false),
];

fn definitions() -> Vec<serde_json::Value> {
    let md = |id: &str, extra: serde_json::Value| {
        let mut d = json!({"type": "marking-definition", "spec_version": "2.1", "id": id,
                           "created": "2024-01-01T00:00:00.000Z"});
        d.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        d
    };
    let acs = "extension-definition--3a65884d-005a-4290-8335-cb2d778a83ce";
    vec![
        md(
            STATEMENT,
            json!({"definition_type": "statement", "definition": {"statement": "(c)"}}),
        ),
        md(
            PAP,
            json!({"extensions": {"extension-definition--f8d78575-edfd-406e-8e84-6162a8450f5b":
            {"extension_type": "property-extension", "pap": "red"}}}),
        ),
        md(
            ACS_OPEN,
            json!({"extensions": {acs: {"control_set": {"classification": "U"},
            "policy_reference": "urn:isa:policy:acs:ns:v3.0?privdefault=deny&sharedefault=permit"}}}),
        ),
        md(
            ACS_DENY,
            json!({"extensions": {acs: {"control_set": {"classification": "U"},
            "policy_reference": "urn:isa:policy:acs:ns:v3.0?privdefault=deny&sharedefault=deny"}}}),
        ),
        md(
            IEP_NONE,
            json!({"extensions": {"extension-definition--762e2e97-ee51-43e5-a9ea-165fbb862c4a":
            {"extension_type": "property-extension"}}}),
        ),
        md(
            RESTRICTED,
            json!({"definition_type": "statement", "definition": {"statement": "IR restricted"}}),
        ),
    ]
}

/// A store that holds only marking definitions: what `Policy::refresh` reads.
fn policy() -> Policy {
    let dir = tempfile::tempdir().unwrap();
    let s = store::SqliteStore::create(dir.path()).unwrap();
    use store::Store;
    s.create_api_root(
        &store::ApiRoot {
            name: "r".into(),
            title: "r".into(),
            description: None,
            max_content_length: 1 << 20,
        },
        b"{}",
    )
    .unwrap();
    let c = s
        .create_collection(
            &store::NewCollection {
                id: "5b0c6d2a-0b1e-4f4e-9a4b-6c1d2e3f4a5b".into(),
                api_root: Some("r".into()),
                title: "m".into(),
                description: None,
                alias: None,
            },
            b"{}",
        )
        .unwrap();
    let objs: Vec<stix::StixObject> = definitions()
        .iter()
        .map(|d| {
            stix::validate(&serde_json::value::RawValue::from_string(d.to_string()).unwrap())
                .unwrap()
        })
        .collect();
    s.add_objects(c.key, &objs, None, &mut |_| Ok(b"{}".to_vec()))
        .unwrap();
    let p = Policy::under(terms());
    assert_eq!(p.refresh(&s).unwrap(), policy::Freshness::Fresh);
    p
}

struct Case {
    kind: Kind,
    admin: bool,
    bound: Vec<&'static str>,
    declared: Option<&'static str>,
    can_read: bool,
    can_write: bool,
    markings: Vec<String>,
    origin: Option<&'static str>,
    day: usize,
    action: Action,
}

fn random_case(r: &mut Rng) -> Case {
    let kind = match r.below(5) {
        0 | 1 => Kind::Local,
        2 => Kind::Authority("ru-csirt".into()),
        3 => Kind::Authority("ru-second".into()),
        _ => Kind::ThirdParty,
    };
    let admin = kind == Kind::Local && r.below(4) == 0;
    let bound = PURPOSES
        .iter()
        .copied()
        .filter(|_| r.below(3) != 0)
        .collect();
    let declared = match r.below(5) {
        0 => Some("marketing"),
        1 | 2 => Some(PURPOSES[r.below(2) as usize]),
        _ => None,
    };
    let markings = (0..r.below(4))
        .map(|_| {
            MARKINGS[r.below(MARKINGS.len() as u64) as usize]
                .0
                .to_owned()
        })
        .collect();
    let origin = [None, None, Some("ru-csirt"), Some("ru-second")][r.below(4) as usize];
    Case {
        kind,
        admin,
        bound,
        declared,
        can_read: r.below(6) != 0,
        can_write: r.below(2) == 0,
        markings,
        origin,
        day: r.below(DAYS.len() as u64) as usize,
        action: [
            Action::Read,
            Action::Read,
            Action::Read,
            Action::Write,
            Action::Delete,
        ][r.below(5) as usize],
    }
}

/// The rules of `agreements/README.md`, restated.
fn oracle(c: &Case) -> bool {
    let rights = if c.admin {
        (true, true)
    } else {
        (c.can_read, c.can_write)
    };
    let right = match c.action {
        Action::Read => rights.0,
        Action::Write | Action::Delete => rights.1,
    };
    if !right {
        return false;
    }
    let purpose =
        c.declared
            .or(c.bound.first().copied())
            .or(if c.admin { Some(PURPOSES[0]) } else { None });
    let Some(purpose) = purpose else { return false };
    if !PURPOSES.contains(&purpose) {
        return false;
    }
    if !(c.admin || c.bound.contains(&purpose)) {
        return false;
    }
    if c.action != Action::Read {
        return true;
    }
    let reach = c
        .markings
        .iter()
        .map(|m| MARKINGS.iter().find(|(id, _)| id == m).unwrap().1)
        .min()
        .unwrap_or(1);
    match &c.kind {
        Kind::Local => true,
        Kind::Authority(a) => c.origin == Some(a.as_str()) || (DAYS[c.day].1 && reach >= 1),
        Kind::ThirdParty => c.origin.is_none() && reach == 2,
    }
}

#[test]
fn nothing_is_ever_allowed_against_the_agreement() {
    let cases: u64 = std::env::var("SYMBOLON_DEEP_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let p = policy();
    let mut r = Rng(0x5EED_CAFE_F00D);
    let (mut allowed, mut refused) = (0u64, 0u64);
    for i in 0..cases {
        let c = random_case(&mut r);
        let user = User {
            name: "u".into(),
            password_hash: String::new(),
            is_admin: c.admin,
            kind: c.kind.clone(),
            purposes: c.bound.iter().map(|s| s.to_string()).collect(),
        };
        let grants = [Grant {
            user: "u".into(),
            collection: COLLECTION,
            can_read: c.can_read,
            can_write: c.can_write,
        }];
        let principal = Principal::from_user(&user, &grants);
        let access = Access {
            principal: &principal,
            collection: COLLECTION,
            action: c.action,
            purpose: c.declared,
        };
        let facts = ObjectFacts {
            id: "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f",
            object_type: "indicator",
            marking_refs: &c.markings,
            origin: c.origin,
            granular: &[],
        };
        let day = Day::parse(DAYS[c.day].0).unwrap();
        let got = p.decide_on(&access, &facts, day);
        let expected = oracle(&c);
        assert_eq!(
            got.is_allowed(),
            expected,
            "case {i}: kind {:?} admin {} bound {:?} declared {:?} read {} write {} markings {:?} origin {:?} day {} action {:?}: policy said {got:?}",
            c.kind,
            c.admin,
            c.bound,
            c.declared,
            c.can_read,
            c.can_write,
            c.markings,
            c.origin,
            DAYS[c.day].0,
            c.action
        );
        if let Decision::Deny(why) = &got {
            let why = why.to_string();
            assert!(
                why.contains("Art. ") || why.contains("may not"),
                "unexplained refusal: {why}"
            );
            refused += 1;
        } else {
            allowed += 1;
        }
    }
    // Both outcomes are exercised in earnest, or the comparison proves little.
    assert!(
        allowed > cases / 10 && refused > cases / 10,
        "allowed {allowed}, refused {refused}"
    );
}
