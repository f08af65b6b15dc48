//! `symbolon audit`: operator actions and imports are logged; `verify` finds changed bytes.

mod common;

use common::{cli, create_collection, indicators};

#[test]
fn imports_and_operator_actions_are_logged_and_verify_clean() {
    let dir = common::fresh();
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
    // The node's creation (its key, the default API root, `admin`), the collection, the
    // import's one transaction and the import itself.
    assert!(String::from_utf8_lossy(&out.stdout).contains("6 entries"));
    let proof: serde_json::Value =
        serde_json::from_slice(&cli(dir.path(), &["audit", "prove", "--entry", "5"]).stdout)
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
    let dir = common::fresh();
    for alias in ["a", "b", "c"] {
        create_collection(dir.path(), alias);
    }
    // Entries 0-2 record the node's creation; 3, 4 and 5 the collections a, b and c.
    let db = rusqlite::Connection::open(dir.path().join("audit.db")).unwrap();
    db.execute("UPDATE audit_entries SET body = CAST(replace(CAST(body AS TEXT), '\"b\"', '\"x\"') AS BLOB) WHERE idx = 4", [])
        .unwrap();
    drop(db);
    let out = cli(dir.path(), &["audit", "verify"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("entry 4"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn proofs_are_served_over_http_to_administrators_only() {
    let dir = common::fresh();
    for alias in ["a", "b", "c"] {
        create_collection(dir.path(), alias);
    }
    let out = common::cli_with_stdin(
        dir.path(),
        &["user", "add", "ana", "--password-stdin"],
        "ana-pass\n",
    );
    assert!(out.status.success());
    let node = common::Node::start(dir.path());
    let get = |user: &str, pass: &str, path: &str| {
        common::Node::client()
            .get(format!("{}{path}", node.base))
            .basic_auth(user, Some(pass))
            .send()
            .unwrap()
    };
    let head: serde_json::Value = get("admin", common::PASSWORD, "/symbolon/audit/head")
        .json()
        .unwrap();
    // The node's creation (three entries), three collections, one user.
    assert_eq!(head["size"], 7);
    let proof: serde_json::Value = get("admin", common::PASSWORD, "/symbolon/audit/entries/1")
        .json()
        .unwrap();
    let hash = |v: &serde_json::Value| -> [u8; 32] {
        hex::decode(v.as_str().unwrap())
            .unwrap()
            .try_into()
            .unwrap()
    };
    let path: Vec<[u8; 32]> = proof["inclusion_proof"]
        .as_array()
        .unwrap()
        .iter()
        .map(hash)
        .collect();
    assert!(audit::verify_inclusion(
        1,
        7,
        &hash(&proof["leaf_hash"]),
        &path,
        &hash(&head["root"])
    ));
    let c: serde_json::Value = get(
        "admin",
        common::PASSWORD,
        "/symbolon/audit/consistency?from=2",
    )
    .json()
    .unwrap();
    let cpath: Vec<[u8; 32]> = c["consistency_proof"]
        .as_array()
        .unwrap()
        .iter()
        .map(hash)
        .collect();
    assert!(audit::verify_consistency(
        2,
        7,
        &hash(&c["from_root"]),
        &hash(&head["root"]),
        &cpath
    ));
    assert_eq!(get("ana", "ana-pass", "/symbolon/audit/head").status(), 403);
    assert_eq!(
        get("admin", common::PASSWORD, "/symbolon/audit/entries/99").status(),
        400
    );
}
