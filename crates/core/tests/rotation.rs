//! A node after its key rotation: what it held before — records it signed with the retired
//! key, its own rotation — comes back from peers at every sync and is held, not refused.

mod common;

use symbolon_core::Core;

#[test]
fn records_sent_back_after_a_rotation_are_held_not_refused() {
    let n = common::member();
    let path = n.path();
    let rotated = Core::rotate_key(&path).unwrap();
    let core = Core::open(&path).unwrap();
    let own = core
        .own_rotation()
        .unwrap()
        .expect("the rotation's designation");
    assert_eq!(Some(own.record.id().to_owned()), rotated.designation);
    // The node's own rotation, signed with the key it retired, is held already.
    assert!(!core.keep_record(&own).unwrap());
    // Everything held, as a peer sends it back: the ratifications signed with the key now
    // retired among it.
    let held = core.records().unwrap();
    assert!(held.len() > 2, "{} records", held.len());
    let (added, refused) = core.accept_records(&held).unwrap();
    assert_eq!(added, 0);
    assert!(refused.is_empty(), "{refused:?}");
    // And the rotation held counts: the agreement is as it was.
    assert!(
        core.agreement_state(policy::lifecycle::Day::today())
            .unwrap()
            .unwrap()
            .refused
            .is_empty()
    );
}
