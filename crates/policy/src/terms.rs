//! What the agreement is on a given day, derived from the agreement file the node was put
//! under and the signed lifecycle notifications it holds: which authorities' keys are
//! trusted (through designations), which notifications count, which amendment decides
//! (Art. 9.2) and where the lifecycle stands (Art. 9). The decision point is built
//! [`Terms`] from this, and nowhere else is any of it decided.
//!
//! The rules, as `agreements/README.md` states them:
//! - a record counts only if it is signed by the key of the authority that recorded it, as
//!   this node knows that key: its own, one the agreement file lists, or one a counting
//!   designation gives (designations count in the order they are held, each once; a later
//!   one re-keys an authority, never this node's own);
//! - the agreement that decides on day D is the amendment of the highest version received
//!   at least `entry_into_force_days` before D (counted with the agreement file's timing),
//!   or the agreement file itself; an amendment must keep the agreement's id and raise its
//!   version above the file's;
//! - the lifecycle follows the counting ratifications and terminations under the timing
//!   and parties of the agreement that decides.

use crate::Terms;
use crate::agreement::Agreement;
use crate::ledger::{Fault, Keys, LedgerError, Record, Retired, Signed};
use crate::lifecycle::{Day, Lifecycle, Notification};

/// Which party and authority this node is, and its node key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub party: String,
    pub authority: String,
    pub key: [u8; 32],
    /// The keys this node held before `key` (its rotations, as its own audit log proves
    /// them: each handover is signed by the key it hands over to). Records it signed with
    /// them keep counting; designations signed with them never re-key it.
    pub retired: Vec<[u8; 32]>,
}

/// The terms on one day, with what was read to derive them.
#[derive(Debug, Clone)]
pub struct Derived {
    pub terms: Terms,
    /// The notifications that count, in the order they are held.
    pub notifications: Vec<Signed>,
    /// Notifications that do not count (id, why): never applied.
    pub refused: Vec<(String, LedgerError)>,
}

/// The keys this node trusts, from the agreement file, itself and the designations in
/// `records` that count (see the module's rules).
///
/// The rule is a fixpoint by passes: go through the designations in the order they are
/// held, applying each whose signer's key is, at that moment, the key it is signed with;
/// pass again while a pass applied any. Run that literally, a chain of designations held in
/// reverse order takes one pass per link, each looking at every designation: quadratic in
/// what a peer sends. Here the same passes are simulated by events instead: whether a
/// designation's signature holds does not depend on the keys (it is checked once, against
/// the key it names), so a designation can only become applicable when its signer's key
/// becomes the one it is signed with, and it is then applied at its next place in the
/// passes unless that key changes again before. Each change of a key schedules the first
/// waiting designation signed with the new key; each application schedules the next one.
/// The outcome is the passes' own (`tests::events_agree_with_passes`), in O(n log n).
pub fn trusted_keys(base: &Agreement, me: &Member, records: &[Signed]) -> Keys {
    trusted(base, me, records).0
}

/// [`trusted_keys`] with the keys each authority held before its current one: the file's
/// key, or an earlier designation's, that a later counting designation replaced (a key
/// rotation is a designation of an authority by itself, signed with its old key), and this
/// node's own retired keys.
pub fn trusted(base: &Agreement, me: &Member, records: &[Signed]) -> (Keys, Retired) {
    use std::cmp::Reverse;
    use std::collections::{BTreeSet, BinaryHeap, HashMap};

    let mut keys: Keys = base
        .parties
        .iter()
        .flat_map(|p| &p.authorities)
        .filter_map(|a| Some((a.id.clone(), a.public_key?)))
        .collect();
    keys.insert(me.authority.clone(), me.key);
    // The designations that can ever be applied, in the order held: signed as they say,
    // under this agreement, designating someone.
    struct Candidate<'a> {
        signer: &'a str,
        signed_with: [u8; 32],
        designated: &'a crate::ledger::Designated,
    }
    let candidates: Vec<Candidate> = records
        .iter()
        .filter(|s| matches!(s.record, Record::Designation(_)))
        .filter_map(|s| {
            let designated = s.record.notification()?.designated.as_ref()?;
            let signed_with = s.signing_key()?;
            s.verify_as(&signed_with).ok()?;
            s.record.check(&base.id, &[]).ok()?;
            Some(Candidate {
                signer: s.record.signer(),
                signed_with,
                designated,
            })
        })
        .collect();
    // Waiting candidates by (signer, key signed with).
    let mut waiting: HashMap<(&str, [u8; 32]), BTreeSet<usize>> = HashMap::new();
    for (i, c) in candidates.iter().enumerate() {
        waiting
            .entry((c.signer, c.signed_with))
            .or_default()
            .insert(i);
    }
    // (pass, place) of a candidate's next visit.
    let mut visits: BinaryHeap<Reverse<(u64, usize)>> = BinaryHeap::new();
    // The next visit, after place `after` of pass `pass`, to a candidate waiting for
    // `signer`'s key to be `key`.
    let schedule = |visits: &mut BinaryHeap<Reverse<(u64, usize)>>,
                    waiting: &HashMap<(&str, [u8; 32]), BTreeSet<usize>>,
                    signer: &str,
                    key: [u8; 32],
                    pass: u64,
                    after: Option<usize>| {
        let Some(set) = waiting.get(&(signer, key)) else {
            return;
        };
        let later = match after {
            Some(a) => set.range(a + 1..).next(),
            None => set.iter().next(),
        };
        match (later, set.iter().next()) {
            (Some(&i), _) => visits.push(Reverse((pass, i))),
            (None, Some(&i)) => visits.push(Reverse((pass + 1, i))),
            (None, None) => {}
        }
    };
    for (authority, key) in &keys {
        schedule(&mut visits, &waiting, authority, *key, 0, None);
    }
    let mut retired = Retired::new();
    if !me.retired.is_empty() {
        retired.insert(me.authority.clone(), me.retired.clone());
    }
    let mut applied = vec![false; candidates.len()];
    while let Some(Reverse((pass, i))) = visits.pop() {
        let c = &candidates[i];
        if applied[i] || keys.get(c.signer) != Some(&c.signed_with) {
            continue;
        }
        applied[i] = true;
        if let Some(set) = waiting.get_mut(&(c.signer, c.signed_with)) {
            set.remove(&i);
        }
        schedule(
            &mut visits,
            &waiting,
            c.signer,
            c.signed_with,
            pass,
            Some(i),
        );
        if let Some(k) = c.designated.key()
            && c.designated.id != me.authority
            && keys.get(&c.designated.id) != Some(&k)
        {
            if let Some(old) = keys.insert(c.designated.id.clone(), k) {
                let held = retired.entry(c.designated.id.clone()).or_default();
                if !held.contains(&old) {
                    held.push(old);
                }
            }
            schedule(&mut visits, &waiting, &c.designated.id, k, pass, Some(i));
        }
    }
    // A key that came back into use is current, not retired.
    for (authority, old) in retired.iter_mut() {
        if let Some(now) = keys.get(authority) {
            old.retain(|k| k != now);
        }
    }
    (keys, retired)
}

/// Does a notification count under `base` with `keys` (and the `retired` keys of the
/// notifications held from before a rotation)?
fn counts(base: &Agreement, keys: &Keys, retired: &Retired, s: &Signed) -> Result<(), LedgerError> {
    s.verify_held(keys, retired)?;
    s.record.check(&base.id, &[])?;
    if let Some(a) = s.record.notification().and_then(|n| n.amendment.as_ref())
        && a.version <= base.version
    {
        return Err(s.record.fault(Fault::VersionNotRaised {
            current: base.version,
            says: a.version,
        }));
    }
    Ok(())
}

/// The agreement as it stands on `day`: the latest amendment in force by then (Art. 9.2),
/// else the agreement file. `notifications` are the ones that count.
pub fn in_force(
    base: &Agreement,
    notifications: &[Signed],
    day: Day,
) -> Result<Agreement, crate::agreement::AgreementError> {
    let mut best: Option<&crate::ledger::Amendment> = None;
    for n in notifications.iter().filter_map(|s| s.record.notification()) {
        let Some(a) = &n.amendment else { continue };
        let effective = n.received.plus(base.timing.entry_into_force_days);
        if effective <= day && best.is_none_or(|b| a.version > b.version) {
            best = Some(a);
        }
    }
    match best {
        Some(a) => Agreement::parse(&a.text),
        None => Ok(base.clone()),
    }
}

/// The lifecycle the notifications that count give under `agreement` (the one that decides).
pub fn lifecycle(agreement: &Agreement, notifications: &[Signed]) -> Lifecycle {
    let notes: Vec<Notification> = notifications
        .iter()
        .filter_map(|s| match &s.record {
            Record::Ratification(n) => Some(Notification::Ratification {
                party: n.party.clone(),
                received: n.received,
            }),
            Record::Termination(n) => Some(Notification::Termination {
                party: n.party.clone(),
                received: n.received,
            }),
            _ => None,
        })
        .collect();
    let parties: Vec<_> = agreement
        .parties
        .iter()
        .map(|p| (p.id.clone(), p.calendar.clone()))
        .collect();
    Lifecycle::derive(&agreement.timing, &parties, &notes)
}

/// The terms on `day` for the node `me` under `base`, from every record it holds (records
/// other than notifications are passed over).
pub fn derive(
    base: &Agreement,
    me: &Member,
    records: &[Signed],
    day: Day,
) -> Result<Derived, crate::agreement::AgreementError> {
    let (keys, retired) = trusted(base, me, records);
    let mut notifications = Vec::new();
    let mut refused = Vec::new();
    for s in records.iter().filter(|s| s.record.notification().is_some()) {
        match counts(base, &keys, &retired, s) {
            Ok(()) => notifications.push(s.clone()),
            Err(why) => refused.push((s.record.id().to_owned(), why)),
        }
    }
    let agreement = in_force(base, &notifications, day)?;
    let mut authorities: Vec<String> = agreement
        .parties
        .iter()
        .flat_map(|p| p.authorities.iter().map(|a| a.id.clone()))
        .chain(
            notifications
                .iter()
                .filter_map(|s| s.record.notification()?.designated.as_ref())
                .map(|d| d.id.clone()),
        )
        .chain([me.authority.clone()])
        .collect();
    authorities.sort();
    authorities.dedup();
    let terms = Terms {
        agreement: agreement.id.clone(),
        version: agreement.version,
        authority: me.authority.clone(),
        purposes: agreement.purposes.iter().map(|p| p.id.clone()).collect(),
        authorities,
        restricted_markings: agreement.restricted_markings(),
        lifecycle: lifecycle(&agreement, &notifications),
        keys,
        retired,
    };
    Ok(Derived {
        terms,
        notifications,
        refused,
    })
}

/// Designations that count: (party, designated authority, day received, the designation).
pub fn designations(notifications: &[Signed]) -> Vec<(String, crate::ledger::Designated, Day)> {
    notifications
        .iter()
        .filter_map(|s| {
            let n = s.record.notification()?;
            Some((n.party.clone(), n.designated.clone()?, n.received))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ledger::{Designated, Notified};
    use ed25519_dalek::SigningKey;

    const BASE: &str = include_str!("../../../agreements/ir-ru-2021.toml");
    const ME: &str = "ir-csirt";
    const AUTHORITIES: [&str; 4] = [ME, "ru-a", "ru-b", "ir-b"];

    /// Key `k` (0..3) of an authority: designations re-key authorities among these.
    fn key(authority: &str, k: u8) -> SigningKey {
        let a = AUTHORITIES.iter().position(|x| *x == authority).unwrap() as u8;
        SigningKey::from_bytes(&[1 + a * 4 + k; 32])
    }

    fn designation(i: usize, signer: &str, signed_with: u8, target: &str, new: u8) -> Signed {
        designation_with(
            i,
            signer,
            &key(signer, signed_with),
            target,
            &key(target, new),
        )
    }

    fn designation_with(
        i: usize,
        signer: &str,
        signed_with: &SigningKey,
        target: &str,
        new: &SigningKey,
    ) -> Signed {
        let n = Notified {
            id: format!("designation--{i}"),
            agreement: "ir-ru-infosec-2021".into(),
            party: "RU".into(),
            received: Day::parse("2021-03-01").unwrap(),
            recorded_by: signer.into(),
            recorded_at: "2021-03-01T00:00:00Z".into(),
            designated: Some(Designated {
                id: target.into(),
                name: target.into(),
                public_key: hex::encode(new.verifying_key().as_bytes()),
                node_url: None,
            }),
            amendment: None,
        };
        Signed::sign(Record::Designation(n), signed_with).unwrap()
    }

    /// The rule run literally: passes over the designations in the order held, each applied
    /// once when its signer's key is, then, the one it is signed with.
    fn by_passes(base: &Agreement, me: &Member, records: &[Signed]) -> Keys {
        let mut keys: Keys = base
            .parties
            .iter()
            .flat_map(|p| &p.authorities)
            .filter_map(|a| Some((a.id.clone(), a.public_key?)))
            .collect();
        keys.insert(me.authority.clone(), me.key);
        let mut applied = vec![false; records.len()];
        loop {
            let mut progress = false;
            for (i, s) in records.iter().enumerate() {
                if applied[i] || s.verify(&keys).is_err() {
                    continue;
                }
                let Some(d) = s.record.notification().and_then(|n| n.designated.as_ref()) else {
                    continue;
                };
                if s.record.check(&base.id, &[]).is_err() {
                    continue;
                }
                applied[i] = true;
                progress = true;
                if let Some(k) = d.key()
                    && d.id != me.authority
                {
                    keys.insert(d.id.clone(), k);
                }
            }
            if !progress {
                return keys;
            }
        }
    }

    fn me() -> Member {
        Member {
            party: "IR".into(),
            authority: ME.into(),
            key: key(ME, 0).verifying_key().to_bytes(),
            retired: Vec::new(),
        }
    }

    fn ratification(i: usize, recorded_by: &str, signed_with: &SigningKey) -> Signed {
        let n = Notified {
            id: format!("ratification--{i}"),
            agreement: "ir-ru-infosec-2021".into(),
            party: "RU".into(),
            received: Day::parse("2021-03-01").unwrap(),
            recorded_by: recorded_by.into(),
            recorded_at: "2021-03-01T00:00:00Z".into(),
            designated: None,
            amendment: None,
        };
        Signed::sign(Record::Ratification(n), signed_with).unwrap()
    }

    #[test]
    fn a_rotation_retires_a_key_and_what_it_signed_before_still_counts() {
        let base = Agreement::parse(BASE).unwrap();
        let records = vec![
            designation(0, ME, 0, "ru-a", 0),
            ratification(1, "ru-a", &key("ru-a", 0)),
            // ru-a rotates: its designation of itself with key 1, signed with key 0.
            designation(2, "ru-a", 0, "ru-a", 1),
            ratification(3, "ru-a", &key("ru-a", 1)),
            // Signed with a key ru-a never held.
            ratification(4, "ru-a", &key("ru-a", 2)),
            // This node's own record signed with the key it held before its rotation.
            ratification(5, ME, &key(ME, 1)),
        ];
        let me = Member {
            retired: vec![key(ME, 1).verifying_key().to_bytes()],
            ..me()
        };
        let derived = derive(&base, &me, &records, Day::parse("2022-01-01").unwrap()).unwrap();
        let t = &derived.terms;
        assert_eq!(t.keys["ru-a"], key("ru-a", 1).verifying_key().to_bytes());
        assert_eq!(
            t.retired["ru-a"],
            [key("ru-a", 0).verifying_key().to_bytes()]
        );
        assert_eq!(t.retired[ME], [key(ME, 1).verifying_key().to_bytes()]);
        let counted: Vec<&str> = derived
            .notifications
            .iter()
            .map(|s| s.record.id())
            .collect();
        assert_eq!(
            counted,
            [
                "designation--0",
                "ratification--1",
                "designation--2",
                "ratification--3",
                "ratification--5"
            ]
        );
        assert_eq!(derived.refused.len(), 1);
        assert_eq!(derived.refused[0].0, "ratification--4");
        // A retired key re-keys nobody: a designation signed with it is not applied.
        let mut later = records.clone();
        later.push(designation(6, "ru-a", 0, "ru-b", 2));
        let keys = trusted_keys(&base, &me, &later);
        assert_ne!(
            keys.get("ru-b"),
            Some(&key("ru-b", 2).verifying_key().to_bytes())
        );
    }

    #[test]
    fn events_agree_with_passes() {
        let base = Agreement::parse(BASE).unwrap();
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        let mut below = |n: u64| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state % n
        };
        let mut rekeyed = 0;
        for world in 0..3_000 {
            let n = 1 + below(12) as usize;
            let records: Vec<Signed> = (0..n)
                .map(|i| {
                    let signer = AUTHORITIES[below(4) as usize];
                    let target = AUTHORITIES[below(4) as usize];
                    designation(i, signer, below(3) as u8, target, below(3) as u8)
                })
                .collect();
            let expected = by_passes(&base, &me(), &records);
            assert_eq!(
                trusted_keys(&base, &me(), &records),
                expected,
                "world {world}"
            );
            rekeyed += expected
                .iter()
                .filter(|(a, k)| {
                    AUTHORITIES.contains(&a.as_str()) && **k != key(a, 0).verifying_key().to_bytes()
                })
                .count();
        }
        assert!(rekeyed > 100, "the worlds re-key authorities ({rekeyed})");
    }

    #[test]
    fn a_chain_held_in_reverse_is_followed_to_its_end() {
        // ME designates ru-a with a new key, which designates ru-b with a new key, which
        // re-keys ru-a, ...: each link held before the one it depends on, so the passes
        // would take one pass per link.
        let base = Agreement::parse(BASE).unwrap();
        let links = 3_000u32;
        let link_key = |i: u32| {
            let mut seed = [7u8; 32];
            seed[..4].copy_from_slice(&i.to_le_bytes());
            SigningKey::from_bytes(&seed)
        };
        let mut records = Vec::new();
        let (mut signer, mut signed_with) = (ME, key(ME, 0));
        for i in 0..links {
            let target = if i % 2 == 0 { "ru-a" } else { "ru-b" };
            let new = link_key(i);
            records.push(designation_with(
                i as usize,
                signer,
                &signed_with,
                target,
                &new,
            ));
            (signer, signed_with) = (target, new);
        }
        records.reverse();
        let keys = trusted_keys(&base, &me(), &records);
        assert_eq!(
            keys.get("ru-b"),
            Some(&link_key(links - 1).verifying_key().to_bytes())
        );
        assert_eq!(
            keys.get("ru-a"),
            Some(&link_key(links - 2).verifying_key().to_bytes())
        );
        // A short chain, where the passes are affordable, agrees with them.
        let short: Vec<Signed> = records[links as usize - 60..].to_vec();
        assert_eq!(
            trusted_keys(&base, &me(), &short),
            by_passes(&base, &me(), &short)
        );
    }
}
