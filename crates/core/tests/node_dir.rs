//! A data directory holds a node only once `init` made one; opening it recovers what a
//! crash left; one server at a time; only the operator may read it.

mod common;

use common::*;
use symbolon_core::{Core, CoreError};

#[test]
fn opening_a_directory_without_a_node_fails_naming_it_and_creates_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let typo = dir.path().join("symbolon-dta");
    let e = Core::open(&typo).err().expect("no node there");
    assert!(matches!(e, CoreError::NoNode { .. }), "{e}");
    let text = e.to_string();
    assert!(
        text.contains("symbolon-dta") && text.contains("symbolon init"),
        "{text}"
    );
    assert!(!typo.exists());
    // An existing directory without a node is left as it is too.
    std::fs::create_dir(&typo).unwrap();
    std::fs::write(typo.join("notes.txt"), "mine").unwrap();
    assert!(Core::open(&typo).is_err());
    assert!(
        Core::init(&typo, None).is_err(),
        "init refuses a non-empty directory"
    );
    assert_eq!(std::fs::read_dir(&typo).unwrap().count(), 1);
}

#[test]
fn a_node_is_created_once() {
    let n = bare();
    let e = Core::init(&n.path(), None).err().expect("already a node");
    assert!(e.to_string().contains("already holds"), "{e}");
    let (core, generated) = Core::open_or_init(&n.path(), None).unwrap();
    assert!(
        generated.is_none(),
        "an existing node is opened, not created"
    );
    drop(core);
    let fresh = tempfile::tempdir().unwrap();
    let (_, generated) = Core::open_or_init(&fresh.path().join("new"), None).unwrap();
    assert!(
        generated.is_some(),
        "a new node's admin password is generated and shown once"
    );
}

#[test]
fn one_server_per_node_and_the_second_names_the_first() {
    let n = bare();
    let lock = n.core.lock_for_serving().unwrap();
    let other = Core::open(&n.path()).unwrap();
    let e = other.lock_for_serving().err().expect("locked");
    let text = e.to_string();
    assert!(
        text.contains(&format!("pid {}", std::process::id())),
        "{text}"
    );
    drop(lock);
    other.lock_for_serving().unwrap();
}

#[test]
fn a_server_is_told_when_a_key_rotation_holds_the_node() {
    let n = bare();
    let rotating = symbolon_core::dir::lock_for(&n.path(), "symbolon key rotate").unwrap();
    let e = n.core.lock_for_serving().err().expect("locked");
    assert!(e.to_string().contains("`symbolon key rotate` (pid"), "{e}");
    drop(rotating);
    n.core.lock_for_serving().unwrap();
}

#[cfg(unix)]
#[test]
fn the_node_is_readable_by_the_operator_only() {
    use std::os::unix::fs::PermissionsExt;
    let n = bare();
    let mode = |f: &str| {
        std::fs::metadata(n.path().join(f))
            .unwrap()
            .permissions()
            .mode()
            & 0o777
    };
    assert_eq!(mode("."), 0o700);
    for f in [store::DB_FILE, "audit.db", "node.key"] {
        assert_eq!(mode(f), 0o600, "{f}");
    }
}

/// Entries a crash left in the outbox (committed with their writes, not yet in the log)
/// are in the log before anything else runs at the next open.
#[test]
fn what_a_crash_left_in_the_outbox_is_in_the_log_at_the_next_open() {
    let n = bare();
    let c = n.core.create_collection("c", None, None, None).unwrap();
    let size = || n.core.verify_audit().unwrap().entries;
    let before = size();
    // Another process's write that died before its journal drained: straight into the
    // store, entry in the outbox.
    let other = store::SqliteStore::open(&n.path()).unwrap();
    use store::Store;
    other
        .add_objects(
            c.key,
            &[stix::validate(&raw(&indicator(1, "2024-01-01T00:00:00.000Z", None))).unwrap()],
            None,
            &mut |w| {
                Ok(serde_json::to_vec(
                    &serde_json::json!({"event": "crashed", "stored": w.stored()}),
                )
                .unwrap())
            },
        )
        .unwrap();
    let pending = other.outbox(0).unwrap();
    assert!(
        pending
            .last()
            .unwrap()
            .1
            .starts_with(b"{\"event\":\"crashed\"")
    );
    let reopened = Core::open(&n.path()).unwrap();
    let report = reopened.verify_audit().unwrap();
    assert_eq!(report.entries, before + 1);
    assert!(report.intact(), "{report:?}");
    assert!(other.outbox(0).unwrap().is_empty());
}
