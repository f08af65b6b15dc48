//! The shared store suite on the SQLite backend.

mod suite;

fn sqlite() -> (tempfile::TempDir, store::SqliteStore) {
    let dir = tempfile::tempdir().unwrap();
    let s = store::SqliteStore::create(&dir.path().join("node")).unwrap();
    (dir, s)
}

backend_suite!(
    sqlite(),
    identical_repost_is_already_present,
    same_version_with_other_content_conflicts,
    date_added_strictly_increases_within_one_write,
    first_and_last_follow_versions_not_arrival,
    versions_in_any_order_agree_with_a_model,
    versions_within_one_batch_get_first_and_last_right,
    filters_and_cursor_narrow_the_scan,
    delete_removes_versions_and_restores_flags,
    deleting_the_newest_never_reuses_its_date_added,
    collections_resolve_by_id_or_alias,
    users_and_grants_round_trip,
    add_stream_stores_every_batch_and_reports_each_outcome,
    a_status_is_kept_in_its_objects_transaction,
    add_stream_finds_its_own_earlier_objects_in_later_transactions,
    add_stream_sees_other_writers_between_its_transactions,
    origin_is_kept_with_each_version,
    marking_definitions_are_registered_once_in_order,
    ledger_records_are_kept_once_per_id_in_order,
    peers_round_trip_and_update_in_place,
    a_synced_page_is_stored_with_its_seal_and_cursor_together,
    a_failed_synced_page_leaves_neither_objects_nor_cursor,
    each_object_of_a_sealed_page_keeps_its_own_origin,
    quarantined_pages_are_kept_apart_in_order,
    every_write_commits_its_audit_entry_with_it,
    a_write_whose_entry_cannot_be_made_stores_nothing,
    the_entry_accounts_for_exactly_the_versions_added,
    a_delete_names_what_it_removed_in_its_entry,
    the_agreement_is_kept_and_counts_its_changes,
    rows_say_which_version_is_first_and_last,
    the_witnessed_head_is_bookkeeping_kept_apart_from_the_peer,
    values_and_references_are_indexed_with_their_version_and_go_with_it,
);

#[test]
fn a_second_handle_on_the_same_directory_sees_committed_writes() {
    use store::Store;
    let (dir, a) = sqlite();
    let c = suite::setup(&a);
    let b = store::SqliteStore::open(&dir.path().join("node")).unwrap();
    b.add_objects(
        c,
        &[suite::obj(suite::A, "2020-01-01T00:00:00.000Z", "")],
        None,
        &mut suite::entry,
    )
    .unwrap();
    assert_eq!(suite::rows(&a, c, &store::Filter::default()).len(), 1);
}

/// The writer keeps each collection's keys between writes; what another handle on the
/// same directory (another process: an import while `serve` runs) adds in between is seen by
/// the next write: a repeat of it is already present, a newer version takes the last mark.
#[test]
fn keys_kept_between_writes_see_what_another_writer_added() {
    use store::{AddOutcome, Store};
    let (dir, a) = sqlite();
    let c = suite::setup(&a);
    let v1 = suite::obj(suite::A, "2020-01-01T00:00:00.000Z", "");
    let v2 = suite::obj(suite::A, "2020-01-02T00:00:00.000Z", "");
    let v3 = suite::obj(suite::A, "2020-01-03T00:00:00.000Z", "");
    let b_obj = suite::obj(suite::B, "2020-01-01T00:00:00.000Z", "");
    // `a` writes first, so it keeps the collection's keys.
    assert!(a.add_objects(c, &[v1], None, &mut suite::entry).unwrap()[0].is_added());
    let other = store::SqliteStore::open(&dir.path().join("node")).unwrap();
    let by_other = other
        .add_objects(c, &[v2.clone(), b_obj.clone()], None, &mut suite::entry)
        .unwrap();
    assert!(by_other.iter().all(AddOutcome::is_added));
    let again = a
        .add_objects(c, &[v2, b_obj, v3], None, &mut suite::entry)
        .unwrap();
    assert!(
        matches!(again[0], AddOutcome::AlreadyPresent { .. }),
        "{again:?}"
    );
    assert!(
        matches!(again[1], AddOutcome::AlreadyPresent { .. }),
        "{again:?}"
    );
    assert!(again[2].is_added());
    let marks: Vec<(String, bool, bool)> = suite::all_versions(&a, c)
        .into_iter()
        .filter(|r| r.id == suite::A)
        .map(|r| (r.version, r.first, r.last))
        .collect();
    assert_eq!(
        marks,
        [
            ("2020-01-01T00:00:00.000Z".to_owned(), true, false),
            ("2020-01-02T00:00:00.000Z".to_owned(), false, false),
            ("2020-01-03T00:00:00.000Z".to_owned(), false, true),
        ]
    );
}

/// A deleted object's key stays among the kept keys; writing the object again stores it.
#[test]
fn an_object_deleted_and_written_again_is_stored_again() {
    use store::Store;
    let (_dir, a) = sqlite();
    let c = suite::setup(&a);
    let o = suite::obj(suite::A, "2020-01-01T00:00:00.000Z", "");
    assert!(
        a.add_objects(c, std::slice::from_ref(&o), None, &mut suite::entry)
            .unwrap()[0]
            .is_added()
    );
    assert_eq!(
        a.delete_object(c, suite::A, &[], &[], &mut suite::entry)
            .unwrap(),
        1
    );
    assert!(
        a.add_objects(c, std::slice::from_ref(&o), None, &mut suite::entry)
            .unwrap()[0]
            .is_added()
    );
    let rows = suite::all_versions(&a, c);
    assert_eq!(rows.len(), 1);
    assert!(rows[0].first && rows[0].last);
}

/// A data directory written before users had kinds and purposes, and objects an origin,
/// opens with those columns added and its rows intact.
#[test]
fn an_older_data_directory_is_upgraded_in_place() {
    use store::Store;
    let dir = tempfile::tempdir().unwrap();
    let c = {
        let s = store::SqliteStore::create(dir.path()).unwrap();
        let c = suite::setup(&s);
        s.add_objects(
            c,
            &[suite::obj(suite::A, "2020-01-01T00:00:00.000Z", "")],
            None,
            &mut suite::entry,
        )
        .unwrap();
        c
    };
    let conn = rusqlite::Connection::open(dir.path().join(store::DB_FILE)).unwrap();
    conn.execute_batch(&format!(
        "INSERT INTO users (name, password_hash, is_admin) VALUES ('old', 'h', 0);
         ALTER TABLE users DROP COLUMN kind; ALTER TABLE users DROP COLUMN purposes;
         ALTER TABLE objects_{c} DROP COLUMN origin;
         DELETE FROM outbox;
         UPDATE meta SET value = 1 WHERE key = 'schema_version';"
    ))
    .unwrap();
    drop(conn);
    let s = store::SqliteStore::open(dir.path()).unwrap();
    let old = s.user("old").unwrap().unwrap();
    assert_eq!((old.kind, old.purposes.len()), (store::Kind::Local, 0));
    let rows = suite::rows(&s, c, &store::Filter::default());
    assert_eq!((rows.len(), rows[0].origin.as_deref()), (1, None));
    // What was stored before the log covered every write is accounted for at the upgrade.
    let entries = s.outbox(0).unwrap();
    assert_eq!(entries.len(), 1);
    let e: serde_json::Value = serde_json::from_slice(&entries[0].1).unwrap();
    assert_eq!(e["event"], "baseline");
    assert_eq!(e["stored"]["added"], 1);
    assert_eq!(e["stored"]["first"], rows[0].date_added);
}

/// A data directory from before halts and quarantined pages kept their cause as data
/// opens with those columns added: what it holds reads back with no cause and its English
/// account intact, and new causes are kept.
#[test]
fn an_older_data_directory_gets_the_causes_columns() {
    use store::Store;
    let dir = tempfile::tempdir().unwrap();
    let s = store::SqliteStore::create(dir.path()).unwrap();
    drop(s);
    let conn = rusqlite::Connection::open(dir.path().join(store::DB_FILE)).unwrap();
    conn.execute_batch(
        "ALTER TABLE peers DROP COLUMN halt_cause; ALTER TABLE quarantine DROP COLUMN cause;
         INSERT INTO peers (id, url, public_key, halted)
             VALUES ('ru-csirt', 'http://127.0.0.1:9/', hex(zeroblob(32)), 'witness: forked');
         INSERT INTO quarantine (peer, remote, at, reason, body)
             VALUES ('ru-csirt', 'r', 1, 'the page is not sealed', '[]');
         UPDATE meta SET value = 6 WHERE key = 'schema_version';",
    )
    .unwrap();
    drop(conn);
    let s = store::SqliteStore::open(dir.path()).unwrap();
    let peers = s.peers().unwrap();
    assert_eq!(peers[0].halted.as_deref(), Some("witness: forked"));
    assert_eq!(peers[0].breach, None);
    let q = s.quarantine_listing().unwrap();
    assert_eq!(
        (q[0].1.reason.as_str(), &q[0].1.cause),
        ("the page is not sealed", &None)
    );
    let mut halted = peers[0].clone();
    halted.breach = Some(federation::witness::Breach::Shrank { was: 4, now: 2 });
    s.put_peer(&halted, b"{}").unwrap();
    assert_eq!(s.peers().unwrap(), [halted]);
}

/// A data directory from before the observable index gets every stored version indexed
/// when it is opened.
#[test]
fn an_older_data_directory_gets_its_versions_indexed() {
    use store::Store;
    let dir = tempfile::tempdir().unwrap();
    let c = {
        let s = store::SqliteStore::create(dir.path()).unwrap();
        let c = suite::setup(&s);
        let json = r#"{"type":"ipv4-addr","id":"ipv4-addr--ff26c055-6336-5bc5-b98d-13d6226742dd","value":"198.51.100.3","belongs_to_refs":["autonomous-system--f720c34b-98ae-597f-ade5-27dc241e8c74"]}"#;
        let raw: Box<serde_json::value::RawValue> = serde_json::from_str(json).unwrap();
        s.add_objects(c, &[stix::validate(&raw).unwrap()], None, &mut suite::entry)
            .unwrap();
        c
    };
    let conn = rusqlite::Connection::open(dir.path().join(store::DB_FILE)).unwrap();
    conn.execute_batch(
        "DROP TABLE holdings; UPDATE meta SET value = 4 WHERE key = 'schema_version';",
    )
    .unwrap();
    drop(conn);
    let s = store::SqliteStore::open(dir.path()).unwrap();
    let held = s.holdings_after(0, 10).unwrap();
    assert_eq!(held.len(), 1);
    let values: Vec<_> = held[0]
        .holdings
        .values()
        .map(|v| v.unwrap().value)
        .collect();
    assert_eq!(
        (held[0].collection, values),
        (c, vec!["198.51.100.3".to_owned()])
    );
    let refs: Vec<_> = held[0]
        .holdings
        .references()
        .map(|r| r.unwrap().target)
        .collect();
    assert_eq!(
        refs,
        ["autonomous-system--f720c34b-98ae-597f-ade5-27dc241e8c74"]
    );
}

/// A data directory keyed by UUID prefixes (schema 5) is re-keyed when opened: its
/// objects are still found by id, repeats are still repeats, and new versions still take
/// over first and last.
#[test]
fn an_older_data_directory_is_re_keyed() {
    use store::Store;
    let dir = tempfile::tempdir().unwrap();
    let c = {
        let s = store::SqliteStore::create(dir.path()).unwrap();
        let c = suite::setup(&s);
        s.add_objects(
            c,
            &[suite::obj(suite::A, "2020-01-01T00:00:00.000Z", "")],
            None,
            &mut suite::entry,
        )
        .unwrap();
        c
    };
    let conn = rusqlite::Connection::open(dir.path().join(store::DB_FILE)).unwrap();
    conn.execute_batch(&format!(
        "DROP INDEX objects_{c}_by_key_flags;
         UPDATE objects_{c} SET key = 12345;
         CREATE INDEX objects_{c}_by_key ON objects_{c} (key);
         UPDATE meta SET value = 5 WHERE key = 'schema_version';"
    ))
    .unwrap();
    drop(conn);
    let s = store::SqliteStore::open(dir.path()).unwrap();
    let by_id = store::Filter {
        ids: vec![suite::A.to_owned()],
        ..Default::default()
    };
    assert_eq!(suite::rows(&s, c, &by_id).len(), 1);
    let again = s
        .add_objects(
            c,
            &[
                suite::obj(suite::A, "2020-01-01T00:00:00.000Z", ""),
                suite::obj(suite::A, "2020-02-01T00:00:00.000Z", ""),
            ],
            None,
            &mut suite::entry,
        )
        .unwrap();
    assert!(matches!(again[0], store::AddOutcome::AlreadyPresent { .. }));
    assert!(again[1].is_added());
    assert_eq!(
        suite::versions(&s, c, store::VersionSel::Last),
        ["2020-02-01T00:00:00.000Z"]
    );
    assert_eq!(
        suite::versions(&s, c, store::VersionSel::First),
        ["2020-01-01T00:00:00.000Z"]
    );
}

#[test]
fn opening_a_directory_without_a_node_fails_and_creates_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("typo");
    let e = store::SqliteStore::open(&missing)
        .err()
        .expect("no node there");
    assert!(matches!(e, store::StoreError::NoNode(_)), "{e}");
    assert!(e.to_string().contains("typo"), "{e}");
    assert!(!missing.exists());
    assert!(store::SqliteStore::open(dir.path()).is_err());
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[test]
fn creating_a_node_twice_in_one_directory_fails() {
    let (dir, _s) = sqlite();
    assert!(store::SqliteStore::create(&dir.path().join("node")).is_err());
}

#[cfg(unix)]
#[test]
fn the_node_directory_and_database_are_private_to_the_operator() {
    use std::os::unix::fs::PermissionsExt;
    let (dir, s) = sqlite();
    suite::setup(&s);
    let node = dir.path().join("node");
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&node), 0o700);
    for f in [store::DB_FILE, "symbolon.db-wal", "symbolon.db-shm"] {
        assert_eq!(mode(&node.join(f)), 0o600, "{f}");
    }
}

/// Stored state that does not read back is an error, never a default: a user whose kind
/// was damaged is not read as some other kind, a damaged granular marking not as none.
#[test]
fn damaged_rows_are_errors_not_defaults() {
    use store::Store;
    let (dir, s) = sqlite();
    let c = suite::setup(&s);
    s.put_user(
        &store::User {
            name: "u".into(),
            password_hash: "h".into(),
            is_admin: false,
            kind: store::Kind::ThirdParty,
            purposes: vec![],
        },
        b"{}",
    )
    .unwrap();
    s.add_objects(
        c,
        &[suite::obj(
            suite::A,
            "2020-01-01T00:00:00.000Z",
            r#","granular_markings":[{"marking_ref":"marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1","selectors":["description"]}],"description":"d""#,
        )],
        None,
        &mut suite::entry,
    )
    .unwrap();
    let conn = rusqlite::Connection::open(dir.path().join("node").join(store::DB_FILE)).unwrap();
    conn.execute_batch(&format!(
        "UPDATE users SET kind = 'authoritee'; UPDATE objects_{c} SET granular = 'not json';"
    ))
    .unwrap();
    assert!(matches!(s.user("u"), Err(store::StoreError::Corrupt(_))));
    assert!(matches!(s.users(), Err(store::StoreError::Corrupt(_))));
    let scan = s.scan(c, &store::Filter::default(), &mut |_| {
        std::ops::ControlFlow::Continue(())
    });
    assert!(
        matches!(scan, Err(store::StoreError::Corrupt(_))),
        "{scan:?}"
    );
    // A witnessed head that does not read back is no "nothing witnessed" (which would
    // switch fork detection off for that peer).
    s.put_peer(
        &store::Peer {
            id: "ru-csirt".into(),
            url: "http://127.0.0.1:9/".into(),
            public_key: [7; 32],
            halted: None,
            breach: None,
            witnessed: Some(audit::SignedTreeHead {
                size: 3,
                timestamp: 1,
                root: [1; 32],
                signature: [2; 64],
            }),
        },
        b"{}",
    )
    .unwrap();
    conn.execute_batch("UPDATE peers SET witnessed_root = x'0102';")
        .unwrap();
    assert!(matches!(s.peers(), Err(store::StoreError::Corrupt(_))));
    assert!(matches!(
        s.peer("ru-csirt"),
        Err(store::StoreError::Corrupt(_))
    ));
}

/// A kept seal whose leaf hashes were cut short is damage, not a proof of some other
/// leaf (the provenance endpoint would hand out a path that checks against nothing).
#[test]
fn a_seal_cut_short_is_an_error_not_a_proof() {
    use store::Store;
    let (dir, s) = sqlite();
    let c = suite::setup(&s);
    let objs = [
        suite::obj(suite::A, "2020-01-01T00:00:00.000Z", ""),
        suite::obj(suite::B, "2020-01-01T00:00:00.000Z", ""),
    ];
    s.add_sealed(
        c,
        &[suite::batch(&objs, 2)],
        Some("ru-csirt"),
        None,
        &mut suite::entry,
    )
    .unwrap();
    let rows = suite::rows(&s, c, &store::Filter::default());
    // Leaf 0 is A's, leaf 1 B's, wherever the store put them.
    let added = |id: &str| rows.iter().find(|r| r.id == id).unwrap().date_added;
    let (a, b) = (added(suite::A), added(suite::B));
    assert!(s.provenance(c, b).unwrap().is_some());
    let conn = rusqlite::Connection::open(dir.path().join("node").join(store::DB_FILE)).unwrap();
    conn.execute_batch("UPDATE page_seals SET leaves = substr(leaves, 1, 32);")
        .unwrap();
    assert!(s.provenance(c, a).unwrap().is_some());
    assert!(matches!(
        s.provenance(c, b),
        Err(store::StoreError::Corrupt(_))
    ));
}
