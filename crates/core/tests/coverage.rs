//! `audit verify` proves that the log covers the store: what is stored is what the writes'
//! entries account for, per collection, and anything else is named.

mod common;

use common::*;
use store::Store;

fn db(n: &Node) -> rusqlite::Connection {
    rusqlite::Connection::open(n.path().join(store::DB_FILE)).unwrap()
}

fn setup() -> (Node, store::Collection) {
    let n = member();
    let c = n
        .core
        .create_collection("c", Some("c"), None, None)
        .unwrap();
    put(
        &n.core,
        &c,
        &(0..20)
            .map(|i| indicator(i, "2024-01-01T00:00:00.000Z", Some(CLEAR)))
            .collect::<Vec<_>>(),
    );
    put(
        &n.core,
        &c,
        &[indicator(1, "2024-02-01T00:00:00.000Z", None)],
    );
    (n, c)
}

#[test]
fn a_node_used_normally_is_covered() {
    let (n, c) = setup();
    let operator = n.core.operator().clone();
    let caller = symbolon_core::Caller {
        principal: &operator,
        purpose: None,
    };
    n.core.delete(&caller, &c, &id(3), &[], &[]).unwrap();
    let report = n.core.verify_audit().unwrap();
    assert!(report.intact(), "{report:?}");
    let cov = report.collections.iter().find(|x| x.id == c.id).unwrap();
    assert_eq!((cov.stored, cov.accounted), (20, 20));
    assert_eq!(cov.sha256.len(), 64);
}

#[test]
fn a_version_stored_behind_the_logs_back_is_named() {
    let (n, c) = setup();
    // A row written into the store by hand: no entry accounts for it.
    db(&n)
        .execute_batch(&format!(
            "INSERT INTO objects_{k} (seq, key, id, type, version, version_text, spec, flags, body)
             SELECT seq + 1000000000, key, id, type, version + 1, '2030-01-01T00:00:00.000Z', spec, 3, body
             FROM objects_{k} LIMIT 1;",
            k = c.key
        ))
        .unwrap();
    let report = n.core.verify_audit().unwrap();
    assert!(!report.intact());
    let cov = report.collections.iter().find(|x| x.id == c.id).unwrap();
    assert_eq!(cov.stored, cov.accounted + 1);
    assert!(
        cov.problems[0]
            .to_string()
            .contains("no audit entry accounts for it"),
        "{:?}",
        cov.problems
    );
}

#[test]
fn a_version_removed_or_changed_behind_the_logs_back_is_named() {
    let (n, c) = setup();
    db(&n)
        .execute_batch(&format!(
            "DELETE FROM objects_{k} WHERE seq = (SELECT min(seq) FROM objects_{k});",
            k = c.key
        ))
        .unwrap();
    let report = n.core.verify_audit().unwrap();
    let cov = report.collections.iter().find(|x| x.id == c.id).unwrap();
    assert_eq!(cov.stored + 1, cov.accounted);
    assert!(
        cov.problems[0]
            .to_string()
            .contains("accounts for 20 versions"),
        "{:?}",
        cov.problems
    );

    let (n, c) = setup();
    // The same count, another object in its place.
    db(&n)
        .execute_batch(&format!(
            "UPDATE objects_{k} SET id = 'indicator--00000000-0000-4000-8000-999999999999'
             WHERE seq = (SELECT min(seq) FROM objects_{k});",
            k = c.key
        ))
        .unwrap();
    let report = n.core.verify_audit().unwrap();
    let cov = report.collections.iter().find(|x| x.id == c.id).unwrap();
    assert_eq!(cov.stored, cov.accounted);
    assert!(
        cov.problems[0]
            .to_string()
            .contains("not the ones it accounts for"),
        "{:?}",
        cov.problems
    );
}

#[test]
fn a_removed_version_that_is_back_is_named() {
    let (n, c) = setup();
    let operator = n.core.operator().clone();
    let caller = symbolon_core::Caller {
        principal: &operator,
        purpose: None,
    };
    let stored = store::SqliteStore::open(&n.path()).unwrap();
    let mut rows = Vec::new();
    stored
        .scan(
            c.key,
            &store::Filter {
                ids: vec![id(5)],
                versions: vec![store::VersionSel::All],
                with_body: true,
                ..Default::default()
            },
            &mut |r| {
                rows.push(r);
                std::ops::ControlFlow::Continue(())
            },
        )
        .unwrap();
    n.core.delete(&caller, &c, &id(5), &[], &[]).unwrap();
    let r = &rows[0];
    db(&n)
        .execute(
            &format!("INSERT INTO objects_{} (seq, key, id, type, version, version_text, spec, flags, body) VALUES (?1, 0, ?2, 'indicator', 0, ?3, '2.1', 3, ?4)", c.key),
            rusqlite::params![r.date_added, r.id, r.version, r.json],
        )
        .unwrap();
    let report = n.core.verify_audit().unwrap();
    let cov = report.collections.iter().find(|x| x.id == c.id).unwrap();
    assert!(
        cov.problems
            .iter()
            .any(|p| p.to_string().contains("records its removal")),
        "{:?}",
        cov.problems
    );
}
