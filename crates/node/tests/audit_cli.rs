//! `symbolon audit`: operator actions and imports are logged; `verify` finds changed bytes.

mod common;

use common::{cli, create_collection, indicators};

#[test]
fn imports_and_operator_actions_are_logged_and_verify_clean() {
    let dir = tempfile::tempdir().unwrap();
    create_collection(dir.path(), "c");
    let (bundle, _) = indicators(10);
    let file = dir.path().join("b.json");
    std::fs::write(&file, bundle).unwrap();
    assert!(
        cli(
            dir.path(),
            &["import", "--collection", "c", file.to_str().unwrap()]
        )
        .status
        .success()
    );
    let out = cli(dir.path(), &["audit", "verify"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("2 entries"));
    let proof: serde_json::Value =
        serde_json::from_slice(&cli(dir.path(), &["audit", "prove", "--entry", "1"]).stdout)
            .unwrap();
    assert!(
        proof["entry_text"]
            .as_str()
            .unwrap()
            .contains("\"event\":\"import\"")
    );
    assert!(
        proof["entry_text"]
            .as_str()
            .unwrap()
            .contains("\"added\":10")
    );
}

#[test]
fn verify_exits_non_zero_naming_the_changed_entry() {
    let dir = tempfile::tempdir().unwrap();
    for alias in ["a", "b", "c"] {
        create_collection(dir.path(), alias);
    }
    let db = rusqlite::Connection::open(dir.path().join("audit.db")).unwrap();
    db.execute("UPDATE audit_entries SET body = CAST(replace(CAST(body AS TEXT), '\"b\"', '\"x\"') AS BLOB) WHERE idx = 1", [])
        .unwrap();
    drop(db);
    let out = cli(dir.path(), &["audit", "verify"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("entry 1"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
