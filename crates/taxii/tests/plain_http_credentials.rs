//! Passwords over plain HTTP: accepted from this host (local tools, a TLS proxy on the
//! same machine), refused from any other with a TAXII error saying what to do, unless
//! the operator allowed it or the node speaks TLS itself.

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::Request;
use base64::Engine;
use std::net::SocketAddr;
use std::sync::Arc;
use symbolon_core::Core;
use tower::ServiceExt;

fn app(info: taxii::ServerInfo) -> (tempfile::TempDir, axum::Router) {
    let dir = tempfile::tempdir().unwrap();
    let (core, _) = Core::init(&dir.path().join("node"), Some("pw")).unwrap();
    (
        dir,
        taxii::router(taxii::AppState::new(Arc::new(core), info)),
    )
}

async fn discovery_from(app: &axum::Router, from: &str) -> (u16, String) {
    let token = base64::engine::general_purpose::STANDARD.encode("admin:pw");
    let mut req = Request::get("/taxii2/")
        .header("Authorization", format!("Basic {token}"))
        .header("Accept", "application/taxii+json;version=2.1")
        .body(Body::empty())
        .unwrap();
    req.extensions_mut()
        .insert(ConnectInfo(from.parse::<SocketAddr>().unwrap()));
    let resp = app.clone().oneshot(req).await.unwrap();
    let status = resp.status().as_u16();
    let body = http_body_util::BodyExt::collect(resp.into_body())
        .await
        .unwrap()
        .to_bytes();
    (status, String::from_utf8_lossy(&body).into_owned())
}

#[tokio::test]
async fn credentials_over_plain_http_only_from_this_host() {
    let (_d, plain) = app(taxii::ServerInfo::default());
    for local in ["127.0.0.1:5000", "[::1]:5000", "[::ffff:127.0.0.1]:5000"] {
        assert_eq!(discovery_from(&plain, local).await.0, 200, "{local}");
    }
    let (status, body) = discovery_from(&plain, "192.0.2.7:5000").await;
    assert_eq!(status, 403);
    assert!(
        body.contains("--tls-cert") && body.contains("--allow-basic-over-http"),
        "{body}"
    );

    let (_d, allowed) = app(taxii::ServerInfo {
        basic_over_plain_http: true,
        ..Default::default()
    });
    assert_eq!(discovery_from(&allowed, "192.0.2.7:5000").await.0, 200);
    let (_d, tls) = app(taxii::ServerInfo {
        tls: true,
        ..Default::default()
    });
    assert_eq!(discovery_from(&tls, "192.0.2.7:5000").await.0, 200);
}

async fn discovery_as(app: &axum::Router, user: &str, password: &str) -> axum::response::Response {
    let token = base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"));
    let req = Request::get("/taxii2/")
        .header("Authorization", format!("Basic {token}"))
        .header("Accept", "application/taxii+json;version=2.1")
        .body(Body::empty())
        .unwrap();
    app.clone().oneshot(req).await.unwrap()
}

#[tokio::test]
async fn guessing_a_password_is_slowed_for_that_name() {
    let (_d, app) = app(taxii::ServerInfo::default());
    for _ in 0..5 {
        assert_eq!(discovery_as(&app, "admin", "guess").await.status(), 401);
    }
    // The sixth attempt is not even checked, the right password included, and the
    // answer says when to try again.
    let slowed = discovery_as(&app, "admin", "pw").await;
    assert_eq!(slowed.status(), 429);
    let retry: u64 = slowed.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&retry), "{retry}");
    // An unknown name is slowed alike (a refusal does not tell which users exist).
    for _ in 0..5 {
        assert_eq!(discovery_as(&app, "nobody", "guess").await.status(), 401);
    }
    assert_eq!(discovery_as(&app, "nobody", "guess").await.status(), 429);
    // Once the wait is over the right password gets in and clears the count.
    tokio::time::sleep(std::time::Duration::from_secs(retry)).await;
    assert_eq!(discovery_as(&app, "admin", "pw").await.status(), 200);
    assert_eq!(discovery_as(&app, "admin", "guess").await.status(), 401);
}
