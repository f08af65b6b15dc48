//! The node's administration through the core, without a process: users keep what a
//! change does not name, refusals name what to fix.

mod common;

use common::*;
use policy::Kind;
use symbolon_core::CoreError;
use symbolon_core::admin::UserChange;

#[test]
fn a_password_change_keeps_the_administrator_an_administrator() {
    let n = bare();
    let saved = n
        .core
        .save_user(
            symbolon_core::ADMIN,
            UserChange {
                password: Some("new".into()),
                ..Default::default()
            },
        )
        .unwrap();
    assert!(saved.user.is_admin);
    assert!(policy::password::verify("new", &saved.user.password_hash));
}

#[test]
fn a_change_of_purposes_keeps_the_password() {
    let n = member();
    let before = n.core.user("analyst").unwrap().unwrap();
    n.core
        .save_user(
            "analyst",
            UserChange {
                purposes: Some(vec!["joint-threat-assessment".into()]),
                ..Default::default()
            },
        )
        .unwrap();
    let after = n.core.user("analyst").unwrap().unwrap();
    assert_eq!(after.password_hash, before.password_hash);
    assert_eq!(after.purposes, ["joint-threat-assessment"]);
    assert_eq!(after.kind, Kind::Local, "the kind is kept too");
}

#[test]
fn a_new_user_without_a_password_gets_one_to_show_once() {
    let n = bare();
    let saved = n.core.save_user("ana", UserChange::default()).unwrap();
    let shown = saved.generated_password.expect("generated");
    assert!(policy::password::verify(&shown, &saved.user.password_hash));
}

#[test]
fn what_only_an_agreement_defines_is_refused_without_one_naming_the_command() {
    let n = bare();
    for change in [
        UserChange {
            kind: Some(Kind::Authority("ru-csirt".into())),
            ..Default::default()
        },
        UserChange {
            purposes: Some(vec!["incident-response".into()]),
            ..Default::default()
        },
    ] {
        let e = n.core.save_user("ru", change).expect_err("refused");
        assert!(e.to_string().contains("symbolon agreement init"), "{e}");
    }
    let m = member();
    let e = m
        .core
        .save_user(
            "x",
            UserChange {
                kind: Some(Kind::Authority("kz-cert".into())),
                ..Default::default()
            },
        )
        .expect_err("not an authority of the agreement");
    assert!(
        e.to_string().contains("not a competent authority known"),
        "{e}"
    );
    let e = m
        .core
        .save_user(
            "x",
            UserChange {
                purposes: Some(vec!["marketing".into()]),
                ..Default::default()
            },
        )
        .expect_err("not a purpose");
    assert!(
        e.to_string().contains("not a purpose of the agreement"),
        "{e}"
    );
    let e = m
        .core
        .save_user(
            "x",
            UserChange {
                admin: true,
                kind: Some(Kind::ThirdParty),
                ..Default::default()
            },
        )
        .expect_err("an administrator is local");
    assert!(
        e.to_string()
            .contains("an administrator is a user of this authority")
    );
}

#[test]
fn a_grant_for_an_unknown_user_or_collection_names_it() {
    let n = bare();
    let c = n
        .core
        .create_collection("c", Some("c"), None, None)
        .unwrap();
    let e = n.core.grant("nobody", "c", true, false).err().unwrap();
    assert!(matches!(e, CoreError::NotFound(_)));
    assert!(e.to_string().contains("no user `nobody`"), "{e}");
    n.core.save_user("ana", UserChange::default()).unwrap();
    let e = n.core.grant("ana", "nope", true, false).err().unwrap();
    assert!(e.to_string().contains("`nope`"), "{e}");
    n.core.grant("ana", &c.id, true, false).unwrap();
    let ana = n.core.principal("ana").unwrap().unwrap();
    assert_eq!(n.core.collections_for(&ana, "api1").unwrap().len(), 1);
}

#[test]
fn a_collection_without_rights_does_not_exist_for_its_asker() {
    let n = bare();
    let c = n
        .core
        .create_collection("c", Some("c"), None, None)
        .unwrap();
    n.core.save_user("ana", UserChange::default()).unwrap();
    let ana = n.core.principal("ana").unwrap().unwrap();
    let hidden = n.core.collection_for(&ana, "api1", &c.id).err().unwrap();
    let missing = n
        .core
        .collection_for(&ana, "api1", "00000000-0000-4000-8000-000000000000")
        .err()
        .unwrap();
    assert!(matches!(hidden, CoreError::NotFound(_)));
    assert!(matches!(missing, CoreError::NotFound(_)));
    assert!(n.core.collections_for(&ana, "api1").unwrap().is_empty());
}

#[test]
fn api_root_names_that_would_shadow_the_nodes_own_paths_are_refused() {
    let n = bare();
    for name in ["", "taxii2", "symbolon", "ui", "a/b"] {
        let e = n
            .core
            .set_api_root(&store::ApiRoot {
                name: name.into(),
                title: "t".into(),
                description: None,
                max_content_length: 1,
            })
            .err()
            .unwrap();
        assert!(matches!(e, CoreError::Invalid(_)), "{name}");
    }
}

/// What a serving node keeps of users, grants and collections follows changes made by
/// another process (the CLI) at the next request.
#[test]
fn kept_users_grants_and_collections_follow_another_process() {
    let n = common::member();
    let c = n
        .core
        .create_collection("c", Some("c"), None, None)
        .unwrap();
    let before = n.core.principal("analyst").unwrap().unwrap();
    assert!(!n.core.policy().unwrap().rights(&before, c.key).can_read);
    let cli = symbolon_core::Core::open(&n.path()).unwrap();
    cli.grant("analyst", &c.id, true, false).unwrap();
    let after = n.core.principal("analyst").unwrap().unwrap();
    assert!(n.core.policy().unwrap().rights(&after, c.key).can_read);
    let d = cli.create_collection("d", Some("d"), None, None).unwrap();
    cli.grant("analyst", &d.id, true, false).unwrap();
    let p = n.core.principal("analyst").unwrap().unwrap();
    let caller = symbolon_core::Caller {
        principal: &p,
        purpose: None,
    };
    let raw = common::raw(&common::indicator(7, "2024-01-01T00:00:00.000Z", None));
    let op = cli.operator().clone();
    cli.ingest(
        &symbolon_core::Caller {
            principal: &op,
            purpose: None,
        },
        "add",
        &d,
        &[raw.as_ref()],
        None,
    )
    .unwrap();
    let hits = n.core.lookup(&caller, &["203.0.113.7".into()]).unwrap();
    assert_eq!(
        hits[0].hits.len(),
        1,
        "a collection made by another process is known"
    );
    cli.save_user(
        "analyst",
        symbolon_core::admin::UserChange {
            password: Some("other".into()),
            ..Default::default()
        },
    )
    .unwrap();
    let (user, _) = n.core.user_and_principal("analyst").unwrap().unwrap();
    assert!(
        policy::password::verify("other", &user.password_hash),
        "a changed password applies at once"
    );
}
