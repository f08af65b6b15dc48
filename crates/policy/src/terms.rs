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
use crate::ledger::{Keys, LedgerError, Record, Signed};
use crate::lifecycle::{Day, Lifecycle, Notification};

/// Which party and authority this node is, and its node key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub party: String,
    pub authority: String,
    pub key: [u8; 32],
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
pub fn trusted_keys(base: &Agreement, me: &Member, records: &[Signed]) -> Keys {
    let mut keys: Keys = base
        .parties
        .iter()
        .flat_map(|p| &p.authorities)
        .filter_map(|a| Some((a.id.clone(), a.public_key?)))
        .collect();
    keys.insert(me.authority.clone(), me.key);
    let designations: Vec<&Signed> = records
        .iter()
        .filter(|s| matches!(s.record, Record::Designation(_)))
        .collect();
    let mut applied = vec![false; designations.len()];
    loop {
        let mut progress = false;
        for (i, s) in designations.iter().enumerate() {
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

/// Does a notification count under `base` with `keys`?
fn counts(base: &Agreement, keys: &Keys, s: &Signed) -> Result<(), LedgerError> {
    s.verify(keys)?;
    s.record.check(&base.id, &[])?;
    if let Some(a) = s.record.notification().and_then(|n| n.amendment.as_ref())
        && a.version <= base.version
    {
        return Err(LedgerError(format!(
            "amendment `{}`: an amendment must raise the version above {} (it says {})",
            s.record.id(),
            base.version,
            a.version
        )));
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
    let keys = trusted_keys(base, me, records);
    let mut notifications = Vec::new();
    let mut refused = Vec::new();
    for s in records.iter().filter(|s| s.record.notification().is_some()) {
        match counts(base, &keys, s) {
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
