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
);

#[test]
fn a_second_handle_on_the_same_directory_sees_committed_writes() {
    use store::Store;
    let (dir, a) = sqlite();
    let c = suite::setup(&a);
    let b = store::SqliteStore::open(dir.path()).unwrap();
    b.add_objects(c, &[suite::obj(suite::A, "2020-01-01T00:00:00.000Z", "")])
        .unwrap();
    assert_eq!(suite::rows(&a, c, &store::Filter::default()).len(), 1);
}
