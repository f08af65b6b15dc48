//! The shared store suite on the SQLite backend.

mod suite;

fn sqlite() -> (tempfile::TempDir, store::SqliteStore) {
    let dir = tempfile::tempdir().unwrap();
    let s = store::SqliteStore::open(dir.path()).unwrap();
    (dir, s)
}

backend_suite!(
    sqlite(),
    identical_repost_is_already_present,
    same_version_with_other_content_conflicts,
    date_added_strictly_increases_within_one_write,
    first_and_last_follow_versions_not_arrival,
    versions_within_one_batch_get_first_and_last_right,
    filters_and_cursor_narrow_the_scan,
    delete_removes_versions_and_restores_flags,
    deleting_the_newest_never_reuses_its_date_added,
    collections_resolve_by_id_or_alias,
    users_and_grants_round_trip,
    add_stream_stores_every_batch_and_reports_each_outcome,
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
);

#[test]
fn a_second_handle_on_the_same_directory_sees_committed_writes() {
    use store::Store;
    let (dir, a) = sqlite();
    let c = suite::setup(&a);
    let b = store::SqliteStore::open(dir.path()).unwrap();
    b.add_objects(
        c,
        &[suite::obj(suite::A, "2020-01-01T00:00:00.000Z", "")],
        None,
    )
    .unwrap();
    assert_eq!(suite::rows(&a, c, &store::Filter::default()).len(), 1);
}

/// A data directory written before users had kinds and purposes, and objects an origin,
/// opens with those columns added and its rows intact.
#[test]
fn an_older_data_directory_is_upgraded_in_place() {
    use store::Store;
    let dir = tempfile::tempdir().unwrap();
    let c = {
        let s = store::SqliteStore::open(dir.path()).unwrap();
        let c = suite::setup(&s);
        s.add_objects(
            c,
            &[suite::obj(suite::A, "2020-01-01T00:00:00.000Z", "")],
            None,
        )
        .unwrap();
        c
    };
    let conn = rusqlite::Connection::open(dir.path().join(store::DB_FILE)).unwrap();
    conn.execute_batch(&format!(
        "INSERT INTO users (name, password_hash, is_admin) VALUES ('old', 'h', 0);
         ALTER TABLE users DROP COLUMN kind; ALTER TABLE users DROP COLUMN purposes;
         ALTER TABLE objects_{c} DROP COLUMN origin;
         UPDATE meta SET value = 1 WHERE key = 'schema_version';"
    ))
    .unwrap();
    drop(conn);
    let s = store::SqliteStore::open(dir.path()).unwrap();
    let old = s.user("old").unwrap().unwrap();
    assert_eq!((old.kind.as_str(), old.purposes.len()), ("local", 0));
    let rows = suite::rows(&s, c, &store::Filter::default());
    assert_eq!((rows.len(), rows[0].origin.as_deref()), (1, None));
}
