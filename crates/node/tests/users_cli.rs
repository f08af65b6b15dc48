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
