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

/// RU's designation of itself with a new key, signed with the key it retires.
fn rotation(old: &ed25519_dalek::SigningKey, new: &ed25519_dalek::SigningKey) -> Signed {
    Signed::sign(
        Record::Designation(Notified {
            id: "notification--ru-rotation".into(),
            agreement: "ir-ru-infosec-2021".into(),
            party: "RU".into(),
            received: Day::parse("2021-09-01").unwrap(),
            recorded_by: "ru-csirt".into(),
            recorded_at: "2021-09-01T00:00:00Z".into(),
            designated: Some(policy::ledger::Designated {
                id: "ru-csirt".into(),
                name: "RU CSIRT".into(),
                public_key: hex::encode(new.verifying_key().as_bytes()),
                node_url: None,
            }),
            amendment: None,
        }),
        old,
    )
    .unwrap()
}

/// A peer that rotated its key sends what it signed before the rotation together with the
/// rotation: taken, in the order it was made. What it sends after the rotation signed with
/// the retired key is refused, as any record signed with a key that is not the signer's.
#[test]
fn records_signed_before_a_rotation_in_the_same_sync_are_taken_in_their_order() {
    let old = ed25519_dalek::SigningKey::from_bytes(&common::RU_KEY);
    let new = ed25519_dalek::SigningKey::from_bytes(&[7; 32]);
    let before = ratifications(1, &old, "before").remove(0);
    let after = ratifications(1, &old, "after").remove(0);
    let node = common::member();
    let (added, refused) = node
        .core
        .accept_records(&[before, rotation(&old, &new), after])
        .unwrap();
    assert_eq!(added, 2, "{refused:?}");
    assert_eq!(refused.len(), 1);
    assert!(refused[0].0.contains("after"), "{refused:?}");
    let signed_with_new = ratifications(1, &new, "new").remove(0);
    assert_eq!(node.core.accept_records(&[signed_with_new]).unwrap().0, 1);
}
