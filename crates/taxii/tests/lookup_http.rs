//! `/symbolon/lookup` over HTTP: authenticated like TAXII, values by repeated `value`
//! parameters or as a JSON list, one result per value in order, only what the asker may
//! receive, and clear errors for what cannot be answered.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use base64::Engine;
use http_body_util::BodyExt;
use std::sync::Arc;
use symbolon_core::Core;
use symbolon_core::admin::UserChange;
use tower::ServiceExt;

fn node() -> (tempfile::TempDir, axum::Router) {
    let dir = tempfile::tempdir().unwrap();
    let (core, _) = Core::init(&dir.path().join("node"), Some("pw")).unwrap();
    let c = core.create_collection("c", Some("c"), None, None).unwrap();
    let hidden = core.create_collection("h", Some("h"), None, None).unwrap();
    core.save_user(
        "analyst",
        UserChange {
            password: Some("pw".into()),
            ..Default::default()
        },
    )
    .unwrap();
    core.grant("analyst", &c.id, true, false).unwrap();
    let op = core.operator().clone();
    let caller = symbolon_core::Caller {
        principal: &op,
        purpose: None,
    };
    let ip = |n: u32, v: &str| {
        serde_json::value::RawValue::from_string(format!(
            r#"{{"type":"ipv4-addr","id":"ipv4-addr--00000000-0000-4000-8000-{n:012}","value":"{v}"}}"#
        ))
        .unwrap()
    };
    let a = ip(1, "198.51.100.1");
    core.ingest(&caller, "add", &c, &[a.as_ref()], None)
        .unwrap();
    let b = ip(2, "198.51.100.2");
    core.ingest(&caller, "add", &hidden, &[b.as_ref()], None)
        .unwrap();
    let app = taxii::router(taxii::AppState::new(
        Arc::new(core),
        taxii::ServerInfo::default(),
    ));
    (dir, app)
}

async fn send(
    app: &axum::Router,
    method: &str,
    uri: &str,
    user: Option<&str>,
    body: &str,
) -> (StatusCode, serde_json::Value) {
    let mut req = Request::builder().method(method).uri(uri);
    if let Some(u) = user {
        let token = base64::engine::general_purpose::STANDARD.encode(format!("{u}:pw"));
        req = req.header("Authorization", format!("Basic {token}"));
    }
    let resp = app
        .clone()
        .oneshot(req.body(Body::from(body.to_owned())).unwrap())
        .await
        .unwrap();
    let status = resp.status();
    let bytes = resp.into_body().collect().await.unwrap().to_bytes();
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(serde_json::Value::Null),
    )
}

#[tokio::test]
async fn values_by_query_or_json_list_answer_in_order() {
    let (_d, app) = node();
    let (s, v) = send(
        &app,
        "GET",
        "/symbolon/lookup?value=198.51.100.1&value=198.51.100.0%2F24",
        Some("admin"),
        "",
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let results = v["results"].as_array().unwrap();
    assert_eq!(results.len(), 2);
    assert_eq!(results[0]["value"], "198.51.100.1");
    assert_eq!(results[0]["hits"][0]["match"], "exact");
    assert_eq!(results[0]["hits"][0]["type"], "ipv4-addr");
    assert_eq!(results[0]["hits"][0]["sightings"], 0);
    assert_eq!(results[1]["hits"].as_array().unwrap().len(), 2, "{v}");
    assert!(
        results[1]["hits"]
            .as_array()
            .unwrap()
            .iter()
            .all(|h| h["match"] == "cidr-within")
    );
    let (s, v) = send(
        &app,
        "POST",
        "/symbolon/lookup",
        Some("admin"),
        r#"["198.51.100.2","nothing.example"]"#,
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(
        v["results"][0]["hits"][0]["id"],
        "ipv4-addr--00000000-0000-4000-8000-000000000002"
    );
    assert_eq!(v["results"][1]["hits"], serde_json::json!([]));
    assert_eq!(v["results"][1]["warninglists"], serde_json::json!([]));
}

#[tokio::test]
async fn a_user_sees_only_the_collections_it_may_read() {
    let (_d, app) = node();
    let (_, v) = send(
        &app,
        "POST",
        "/symbolon/lookup",
        Some("analyst"),
        r#"["198.51.100.0/24"]"#,
    )
    .await;
    let hits = v["results"][0]["hits"].as_array().unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!(
        hits[0]["id"],
        "ipv4-addr--00000000-0000-4000-8000-000000000001"
    );
}

#[tokio::test]
async fn what_cannot_be_answered_gets_a_clear_error() {
    let (_d, app) = node();
    let (s, v) = send(&app, "GET", "/symbolon/lookup?value=1.2.3.4", None, "").await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    assert_eq!(v["http_status"], "401");
    let (s, v) = send(
        &app,
        "GET",
        "/symbolon/lookup?valeu=1.2.3.4",
        Some("admin"),
        "",
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(v["description"].as_str().unwrap().contains("`valeu`"));
    let (s, _) = send(&app, "GET", "/symbolon/lookup", Some("admin"), "").await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    let (s, v) = send(
        &app,
        "POST",
        "/symbolon/lookup",
        Some("admin"),
        r#"{"values":["x"]}"#,
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(v["description"].as_str().unwrap().contains("JSON list"));
    let (s, v) = send(
        &app,
        "GET",
        "/symbolon/lookup?value=hello%20world",
        Some("admin"),
        "",
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        v["results"][0]["error"]
            .as_str()
            .unwrap()
            .contains("not a value")
    );
}
