//! Sightings from the object page: recorded by this authority (a POST with the session's
//! CSRF token), then shown with who sighted it, how often and when last; a false positive
//! counted apart.

mod client;
#[path = "../../core/tests/common/mod.rs"]
mod common;

use axum::http::StatusCode;
use client::{Browser, field};

#[tokio::test]
async fn a_sighting_recorded_in_the_workspace_shows_on_the_object() {
    let node = common::member();
    let c = node
        .core
        .create_collection("from ru", None, None, None)
        .unwrap();
    node.core.grant("analyst", &c.id, true, true).unwrap();
    common::put(
        &node.core,
        &c,
        &[common::indicator(
            1,
            "2024-01-01T00:00:00.000Z",
            Some(common::GREEN),
        )],
    );
    let app = client::app(&node.path());
    let mut b = Browser::new(app);
    b.sign_in("analyst", "pw").await;
    let url = format!("/ui/c/{}/o/{}", c.id, common::id(1));
    let page = b.get(&url).await;
    let csrf = field(&page.body, "csrf").unwrap();
    let forged = b
        .post(&format!("{url}/sighting"), &[("csrf", "x"), ("count", "3")])
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    let done = b
        .post(
            &format!("{url}/sighting"),
            &[
                ("csrf", &csrf),
                ("count", "3"),
                ("seen_at", "2026-12-01"),
                ("note", "on the VPN gateway"),
            ],
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    let fp = b
        .post(
            &format!("{url}/sighting"),
            &[("csrf", &csrf), ("false_positive", "yes")],
        )
        .await;
    assert_eq!(fp.status, StatusCode::SEE_OTHER, "{}", fp.body);
    let page = b.get(&url).await;
    assert!(page.body.contains("Sighted 3 times"), "{}", page.body);
    assert!(page.body.contains("ir-csirt: 3"), "{}", page.body);
    assert!(
        page.body.contains("one false-positive report"),
        "{}",
        page.body
    );
    let bad = b
        .post(
            &format!("{url}/sighting"),
            &[("csrf", &csrf), ("count", "many")],
        )
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(
        bad.body
            .contains("Times seen: \u{2068}many\u{2069} is not a whole number."),
        "{}",
        bad.body
    );
    // Said in the user's language, what was typed kept in its own direction.
    b.get(&format!("{url}?lang=fa")).await;
    let bad = b
        .post(
            &format!("{url}/sighting"),
            &[("csrf", &csrf), ("seen_at", "۱۴۰۵/۱۳/۴۰")],
        )
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(
        bad.body.contains("\u{2068}۱۴۰۵/۱۳/۴۰\u{2069} تاریخ نیست"),
        "{}",
        bad.body
    );
    assert!(!bad.body.contains("<bdi lang=\"en\""), "{}", bad.body);
}
