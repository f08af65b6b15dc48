//! The agreement's records as a hostile peer may send them: many at once, valid and not.
//! Checking them must cost about one check per record, not one per record held for every
//! record sent (a peer's authority can sign any number of valid notifications, and every
//! sync sends them all again).

mod common;

use policy::ledger::{Notified, Record, Signed};
use policy::lifecycle::Day;

/// `n` ratifications of RU recorded by `ru-csirt`: valid when signed with its key.
fn ratifications(n: usize, key: &ed25519_dalek::SigningKey, tag: &str) -> Vec<Signed> {
    (0..n)
        .map(|i| {
            Signed::sign(
                Record::Ratification(Notified {
                    id: format!("notification--{tag}-{i}"),
                    agreement: "ir-ru-infosec-2021".into(),
                    party: "RU".into(),
                    received: Day::parse("2021-03-02").unwrap(),
                    recorded_by: "ru-csirt".into(),
                    recorded_at: "2021-03-02T00:00:00Z".into(),
                    designated: None,
                    amendment: None,
                }),
                key,
            )
            .unwrap()
        })
        .collect()
}

fn count() -> usize {
    std::env::var("SYMBOLON_RECORDS_AT_SCALE")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(1500)
}

#[test]
fn many_notifications_from_a_peer_are_checked_once_each() {
    let n = count();
    let node = common::member();
    let ru = ed25519_dalek::SigningKey::from_bytes(&common::RU_KEY);
    let forger = ed25519_dalek::SigningKey::from_bytes(&[9; 32]);
    let mut sent = ratifications(n, &ru, "valid");
    sent.extend(ratifications(n, &forger, "forged"));
    let (added, refused) = node.core.accept_records(&sent).unwrap();
    assert_eq!(added, n);
    assert_eq!(refused.len(), n);
    assert!(
        refused.iter().all(|(id, e)| id.contains("forged")
            && e.to_string()
                .contains("signed with a key that is not `ru-csirt`'s")),
        "{:?}",
        &refused[..3]
    );
    // Sent again at the next sync: nothing new, the same refused, no other cost.
    let (again, refused_again) = node.core.accept_records(&sent).unwrap();
    assert_eq!((again, refused_again.len()), (0, n));
    let state = node.core.agreement_state(Day::today()).unwrap().unwrap();
    assert!(state.refused.is_empty(), "only what counts was kept");
    assert!(state.notifications.len() >= n);
}
