//! `symbolon user`: passwords and roles.

mod common;

use common::{cli, cli_with_stdin, create_collection};

#[test]
fn resetting_the_admin_password_keeps_the_admin_role() {
    let dir = common::fresh();
    create_collection(dir.path(), "c");
    let reset = cli_with_stdin(
        dir.path(),
        &["user", "add", "admin", "--password-stdin"],
        "new-admin-pass\n",
    );
    assert!(
        reset.status.success(),
        "{}",
        String::from_utf8_lossy(&reset.stderr)
    );
    let users = String::from_utf8(cli(dir.path(), &["user", "list"]).stdout).unwrap();
    assert!(users.contains("admin\tlocal (admin)"), "{users}");
}

#[test]
fn an_empty_password_on_stdin_is_refused() {
    let dir = common::fresh();
    let out = cli_with_stdin(
        dir.path(),
        &["user", "add", "ana", "--password-stdin"],
        "\n",
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("password read from stdin is empty"));
}

/// `user purposes` changes only the purposes (the password still signs in); `user remove`
/// ends the user's access; both are in the audit log; the operator cannot be removed.
#[test]
fn purposes_change_without_a_new_password_and_removal_ends_access() {
    use common::*;
    let dir = fresh();
    join(dir.path(), REFERENCE, "IR", "ir-csirt");
    let coll = create_collection(dir.path(), "c");
    user(
        dir.path(),
        "ana",
        &["--purpose", "incident-response"],
        &coll,
    );
    ok(cli(
        dir.path(),
        &[
            "user",
            "purposes",
            "ana",
            "--purpose",
            "joint-threat-assessment",
            "--purpose",
            "incident-response",
        ],
    ));
    let users = ok(cli(dir.path(), &["user", "list"]));
    assert!(
        users.contains("ana\tlocal\tjoint-threat-assessment,incident-response"),
        "{users}"
    );
    let unknown = cli(
        dir.path(),
        &[
            "user",
            "purposes",
            "nobody",
            "--purpose",
            "incident-response",
        ],
    );
    assert!(!unknown.status.success());
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("no user `nobody`"));

    let node = Node::start(dir.path());
    let discovery = |who: &str| {
        Node::client()
            .get(format!("{}/taxii2/", node.base))
            .basic_auth(who, Some(PASSWORD))
            .header("Accept", TAXII)
            .send()
            .unwrap()
            .status()
            .as_u16()
    };
    assert_eq!(discovery("ana"), 200);
    ok(cli(dir.path(), &["user", "remove", "ana"]));
    assert_eq!(discovery("ana"), 401);
    drop(node);
    let refused = cli(dir.path(), &["user", "remove", "admin"]);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("operator"));
    let entries = audit_entries(dir.path(), 1);
    let events: Vec<&str> = entries.iter().filter_map(|e| e["event"].as_str()).collect();
    assert!(events.contains(&"user_removed"), "{events:?}");
    assert_eq!(
        entries
            .iter()
            .filter(|e| e["event"] == "user_saved" && e["user"] == "ana")
            .map(|e| e["password_changed"].as_bool())
            .collect::<Vec<_>>(),
        [Some(true), Some(false)]
    );
}
