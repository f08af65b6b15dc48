//! Random sets of signed lifecycle notifications (designations that chain trust from one
//! authority to the next, forgeries, amendments of every version, ratifications and
//! terminations) against an oracle restated from the rules of `agreements/README.md`: which
//! authorities' records count, which amendment decides on a day, when the agreement enters
//! into force and ends. The oracle computes trust as reachability from the keys the node
//! knows by itself; `policy::terms` computes it by passes over the records.
//!
//! 2,000 worlds by default; `SYMBOLON_DEEP_CASES=200000` for a deep run.

use ed25519_dalek::SigningKey;
use policy::agreement::Agreement;
use policy::ledger::{Amendment, Designated, Notified, Record, Signed};
use policy::lifecycle::Day;
use policy::terms::{self, Member};
use std::collections::{BTreeMap, BTreeSet, VecDeque};

const BASE: &str = include_str!("../../../agreements/ir-ru-2021.toml");
const ID: &str = "ir-ru-infosec-2021";
/// Authorities: this node, one the agreement file lists with its key, and three that only
/// designations name.
const ME: &str = "ir-csirt";
const LISTED: &str = "ru-listed";
const OTHERS: [&str; 3] = ["ru-a", "ru-b", "ir-b"];

struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

/// Each authority's one true key; `FORGER` signs forgeries.
fn key(authority: &str) -> SigningKey {
    let seed = match authority {
        ME => 1,
        LISTED => 2,
        "ru-a" => 3,
        "ru-b" => 4,
        "ir-b" => 5,
        _ => 99,
    };
    SigningKey::from_bytes(&[seed; 32])
}
const FORGER: u8 = 66;

fn base_with_listed() -> (Agreement, String) {
    let listed = format!(
        "\n[[parties.authorities]]\nid = \"{LISTED}\"\npublic_key = \"{}\"\n\n[parties.authorities.name]\nen = \"Listed\"\n",
        hex::encode(key(LISTED).verifying_key().as_bytes())
    );
    // The RU party is the second [[parties]] table: its authority goes after its name.
    let marker = "ru = \"Российская Федерация\"\n";
    let text = BASE.replacen(marker, &format!("{marker}{listed}"), 1);
    (Agreement::parse(&text).unwrap(), text)
}

/// One generated notification with what the oracle needs to know of it.
struct Made {
    signed: Signed,
    recorder: &'static str,
    honest: bool,
    kind: &'static str,
    target: Option<&'static str>,
    amendment: Option<(u32, bool)>,
    party: &'static str,
    received: Day,
}

fn day(n: i64) -> Day {
    Day::parse("2021-03-01").unwrap().plus(n)
}

fn amended_text(text: &str, version: u32, same_id: bool) -> String {
    let t = text.replacen("version = 1", &format!("version = {version}"), 1);
    if same_id {
        t
    } else {
        t.replacen(&format!("id = \"{ID}\""), "id = \"another-agreement\"", 1)
    }
}

fn world(r: &mut Rng, text: &str) -> Vec<Made> {
    let recorders = [ME, LISTED, OTHERS[0], OTHERS[1], OTHERS[2]];
    let n = 1 + r.below(14);
    (0..n)
        .map(|i| {
            let recorder = recorders[r.below(recorders.len() as u64) as usize];
            let honest = r.below(5) != 0;
            let received = day(r.below(120) as i64);
            let party = ["IR", "RU"][r.below(2) as usize];
            let mut target = None;
            let mut amendment = None;
            let (kind, designated, amended) = match r.below(6) {
                0 | 1 => {
                    // Designations state the designated authority's true key; one naming
                    // this node names another key (it must never re-key the node).
                    let t = [ME, OTHERS[0], OTHERS[1], OTHERS[2]][r.below(4) as usize];
                    target = Some(t);
                    let k = if t == ME {
                        SigningKey::from_bytes(&[FORGER; 32])
                    } else {
                        key(t)
                    };
                    (
                        "designation",
                        Some(Designated {
                            id: t.into(),
                            name: t.into(),
                            public_key: hex::encode(k.verifying_key().as_bytes()),
                            node_url: None,
                        }),
                        None,
                    )
                }
                2 => {
                    let version = 1 + r.below(3) as u32;
                    let same_id = r.below(6) != 0;
                    amendment = Some((version, same_id));
                    (
                        "amendment",
                        None,
                        Some(Amendment {
                            version,
                            text: amended_text(text, version, same_id),
                        }),
                    )
                }
                3 => ("termination", None, None),
                _ => ("ratification", None, None),
            };
            let n = Notified {
                id: format!("notification--{i}"),
                agreement: ID.into(),
                party: party.into(),
                received,
                recorded_by: recorder.into(),
                recorded_at: "2021-03-01T00:00:00Z".into(),
                designated,
                amendment: amended,
            };
            let record = match kind {
                "designation" => Record::Designation(n),
                "amendment" => Record::Amendment(n),
                "termination" => Record::Termination(n),
                _ => Record::Ratification(n),
            };
            let signer = if honest {
                key(recorder)
            } else {
                SigningKey::from_bytes(&[FORGER; 32])
            };
            Made {
                signed: Signed::sign(record, &signer).unwrap(),
                recorder,
                honest,
                kind,
                target,
                amendment,
                party,
                received,
            }
        })
        .collect()
}

/// The rules, restated: trust is reachability from the node itself and the authorities the
/// agreement file lists, along honest designations of other authorities by trusted ones.
fn trusted(made: &[Made]) -> BTreeSet<&'static str> {
    let mut trusted: BTreeSet<&str> = [ME, LISTED].into();
    let mut queue: VecDeque<&str> = trusted.iter().copied().collect();
    while let Some(a) = queue.pop_front() {
        for m in made {
            if m.kind == "designation" && m.honest && m.recorder == a {
                let t = m.target.unwrap();
                if t != ME && trusted.insert(t) {
                    queue.push_back(t);
                }
            }
        }
    }
    trusted
}

fn counts(m: &Made, trusted: &BTreeSet<&str>) -> bool {
    m.honest && trusted.contains(m.recorder) && m.amendment.is_none_or(|(v, same)| same && v > 1)
}

#[test]
fn trust_amendments_and_lifecycle_follow_the_rules() {
    let worlds: u64 = std::env::var("SYMBOLON_DEEP_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .map_or(2_000, |c: u64| c / 100);
    let (base, text) = base_with_listed();
    let me = Member {
        party: "IR".into(),
        authority: ME.into(),
        key: key(ME).verifying_key().to_bytes(),
        retired: Vec::new(),
    };
    let mut r = Rng(0xA6EE_5EED);
    let mut seen: BTreeMap<&str, u64> = BTreeMap::new();
    for w in 0..worlds {
        let made = world(&mut r, &text);
        let signed: Vec<Signed> = made.iter().map(|m| m.signed.clone()).collect();
        let on = day(r.below(200) as i64);
        let got = terms::derive(&base, &me, &signed, on).unwrap();
        let trusted = trusted(&made);
        // Keys: exactly the trusted authorities, each with its true key, this node's own.
        let keys: BTreeMap<&str, [u8; 32]> = trusted
            .iter()
            .map(|a| (*a, key(a).verifying_key().to_bytes()))
            .collect();
        let got_keys: BTreeMap<&str, [u8; 32]> = got
            .terms
            .keys
            .iter()
            .map(|(a, k)| (a.as_str(), *k))
            .collect();
        assert_eq!(got_keys, keys, "world {w}: trusted keys");
        // Which notifications count.
        let expected: Vec<&str> = made
            .iter()
            .filter(|m| counts(m, &trusted))
            .map(|m| m.signed.record.id())
            .collect();
        let counted: Vec<&str> = got.notifications.iter().map(|s| s.record.id()).collect();
        assert_eq!(counted, expected, "world {w}: notifications that count");
        assert_eq!(got.refused.len(), made.len() - expected.len());
        // The amendment that decides on the day.
        let version = made
            .iter()
            .filter(|m| counts(m, &trusted))
            .filter_map(|m| m.amendment.map(|(v, _)| (v, m.received)))
            .filter(|(_, received)| received.plus(30) <= on)
            .map(|(v, _)| v)
            .max()
            .unwrap_or(1);
        assert_eq!(got.terms.version, version, "world {w}: version on {on}");
        // Entry into force: 30 days after the later party's first ratification; the end:
        // 90 days after the first termination, not before entry into force.
        let first = |party: &str| {
            made.iter()
                .filter(|m| counts(m, &trusted) && m.kind == "ratification" && m.party == party)
                .map(|m| m.received)
                .min()
        };
        let eif = match (first("IR"), first("RU")) {
            (Some(a), Some(b)) => Some(a.max(b).plus(30)),
            _ => None,
        };
        assert_eq!(got.terms.lifecycle.entry_into_force, eif, "world {w}");
        let end = eif.and_then(|eif| {
            made.iter()
                .filter(|m| counts(m, &trusted) && m.kind == "termination")
                .map(|m| m.received.max(eif).plus(90))
                .min()
        });
        assert_eq!(got.terms.lifecycle.termination_effective, end, "world {w}");
        // Authorities: those the agreement in force lists, the designated ones that count,
        // and this node.
        for a in &trusted {
            assert!(
                got.terms.authorities.iter().any(|x| x == a),
                "world {w}: {a}"
            );
        }
        *seen.entry("worlds").or_default() += 1;
        *seen.entry("chained trust").or_default() += u64::from(trusted.len() > 2);
        *seen.entry("untrusted recorder").or_default() += made
            .iter()
            .filter(|m| m.honest && !trusted.contains(m.recorder))
            .count() as u64;
        *seen.entry("amendment in force").or_default() += u64::from(version > 1);
        *seen.entry("in force").or_default() += u64::from(eif.is_some());
        *seen.entry("terminated").or_default() += u64::from(end.is_some());
    }
    // Every rule was exercised both ways, or the comparison proves little.
    for (what, n) in &seen {
        assert!(*n > worlds / 50, "{what}: {n} of {worlds} worlds: {seen:?}");
    }
}

fn designation(i: usize, recorder: &str, target: &str, key_seed: u8) -> Signed {
    let k = SigningKey::from_bytes(&[key_seed; 32]);
    Signed::sign(
        Record::Designation(Notified {
            id: format!("d-{i}"),
            agreement: ID.into(),
            party: "RU".into(),
            received: day(0),
            recorded_by: recorder.into(),
            recorded_at: "2021-03-01T00:00:00Z".into(),
            designated: Some(Designated {
                id: target.into(),
                name: target.into(),
                public_key: hex::encode(k.verifying_key().as_bytes()),
                node_url: None,
            }),
            amendment: None,
        }),
        &key(recorder),
    )
    .unwrap()
}

#[test]
fn a_later_designation_rekeys_an_authority_but_never_this_node() {
    let (base, _) = base_with_listed();
    let me = Member {
        party: "IR".into(),
        authority: ME.into(),
        key: key(ME).verifying_key().to_bytes(),
        retired: Vec::new(),
    };
    let records = [
        designation(0, LISTED, "ru-a", 40),
        designation(1, LISTED, "ru-a", 41),
        designation(2, LISTED, ME, 42),
    ];
    let got = terms::derive(&base, &me, &records, day(0)).unwrap();
    assert_eq!(
        got.terms.keys["ru-a"],
        SigningKey::from_bytes(&[41; 32]).verifying_key().to_bytes()
    );
    assert_eq!(got.terms.keys[ME], me.key);
}
