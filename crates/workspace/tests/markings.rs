//! Markings on the object page and in lists: a marking that is not TLP is named by its
//! definition when the user is served that definition, and by its id alone when not — a
//! withheld definition's name shows nowhere.

mod client;
#[path = "../../core/tests/common/mod.rs"]
mod common;

use axum::http::StatusCode;
use client::Browser;

const SHARED: &str = "marking-definition--3a9b7c2e-1f40-4d8a-9e6b-5c7d8e9f0a1b";
const HIDDEN: &str = "marking-definition--7d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6";

fn definition(id: &str, name: &str) -> String {
    format!(
        r#"{{"type":"marking-definition","spec_version":"2.1","id":"{id}","created":"2024-01-01T00:00:00.000Z","name":"{name}","definition_type":"statement","definition":{{"statement":"Handle as {name}"}}}}"#
    )
}

#[tokio::test]
async fn a_marking_is_named_by_a_definition_the_user_is_served_and_only_then() {
    let node = common::member();
    let open = node
        .core
        .create_collection("open", None, None, None)
        .unwrap();
    let closed = node
        .core
        .create_collection("closed", None, None, None)
        .unwrap();
    node.core.grant("analyst", &open.id, true, false).unwrap();
    common::put(
        &node.core,
        &open,
        &[definition(SHARED, "Agreement notice seven")],
    );
    common::put(
        &node.core,
        &closed,
        &[definition(HIDDEN, "Nightjar handling rule")],
    );
    let marked = common::indicator(1, "2024-01-01T00:00:00.000Z", Some(SHARED)).replace(
        &format!(r#"["{SHARED}"]"#),
        &format!(r#"["{SHARED}","{HIDDEN}"]"#),
    );
    common::put(&node.core, &open, &[marked]);

    let mut b = Browser::new(client::app(&node.path()));
    b.sign_in("analyst", "pw").await;
    let page = b
        .get(&format!("/ui/c/{}/o/{}", open.id, common::id(1)))
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(
        page.body.contains("Agreement notice seven"),
        "{}",
        page.body
    );
    assert!(page.body.contains(HIDDEN), "{}", page.body);
    assert!(!page.body.contains("Nightjar"), "{}", page.body);
    // The collection's list names them the same way.
    let list = b.get(&format!("/ui/c/{}", open.id)).await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    assert!(list.body.contains(&common::id(1)), "{}", list.body);
    assert!(
        list.body.contains("Agreement notice seven"),
        "{}",
        list.body
    );
    assert!(list.body.contains(HIDDEN), "{}", list.body);
    assert!(!list.body.contains("Nightjar"), "{}", list.body);

    // The operator, served both definitions, sees both names.
    let mut op = Browser::new(client::app(&node.path()));
    op.sign_in("admin", "pw").await;
    let page = op
        .get(&format!("/ui/c/{}/o/{}", open.id, common::id(1)))
        .await;
    assert!(
        page.body.contains("Nightjar handling rule"),
        "{}",
        page.body
    );
    let list = op.get(&format!("/ui/c/{}", open.id)).await;
    assert!(
        list.body.contains("Nightjar handling rule"),
        "{}",
        list.body
    );
}
