//! Node-to-node authentication at the HTTP layer: a request is a peer's only with a fresh,
//! unreplayed signature by the key kept for that peer, over exactly this request; the
//! answer to it is signed by this node and bound to the request.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use ed25519_dalek::SigningKey;
use federation::request::{ANSWER_SIGNATURE_HEADER, Identity, now_secs, verify_answer};
use http_body_util::BodyExt;
use std::sync::Arc;
use symbolon_core::Core;
use symbolon_core::peers::NewPeer;
use tower::ServiceExt;

struct Setup {
    _dir: tempfile::TempDir,
    app: axum::Router,
    peer: Identity,
    server_key: SigningKey,
}

/// A node named `ir-csirt` (administrator `admin`, password `pw`) with `ru-csirt`'s node
/// registered as a peer of the given kind.
fn node_with_peer(peer: &Identity, third_party: bool) -> (tempfile::TempDir, Core) {
    let dir = tempfile::tempdir().unwrap();
    let (core, _) = Core::init(&dir.path().join("node"), Some("pw")).unwrap();
    core.set_name("ir-csirt").unwrap();
    core.add_peer(NewPeer {
        id: peer.authority.clone(),
        url: Some("http://127.0.0.1:9/".into()),
        public_key: Some(hex::encode(peer.key.verifying_key().as_bytes())),
        third_party,
        purposes: vec![],
    })
    .unwrap();
    (dir, core)
}

fn setup() -> Setup {
    let peer = Identity {
        authority: "ru-csirt".into(),
        key: SigningKey::from_bytes(&[3; 32]),
    };
    let (dir, core) = node_with_peer(&peer, false);
    let server_key = core.key().clone();
    let state = taxii::AppState::new(Arc::new(core), taxii::ServerInfo::default());
    assert_eq!(state.identity.as_ref().unwrap().authority, "ir-csirt");
    Setup {
        _dir: dir,
        app: taxii::router(state),
        peer,
        server_key,
    }
}

async fn send(
    app: &axum::Router,
    headers: &[(&str, String)],
    path: &str,
) -> (StatusCode, Option<String>, Vec<u8>) {
    let mut req = Request::get(path).header("Accept", "application/taxii+json;version=2.1");
    for (k, v) in headers {
        req = req.header(*k, v);
    }
    let resp = app
        .clone()
        .oneshot(req.body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = resp.status();
    let sig = resp
        .headers()
        .get(ANSWER_SIGNATURE_HEADER)
        .map(|v| v.to_str().unwrap().to_owned());
    let body = resp
        .into_body()
        .collect()
        .await
        .unwrap()
        .to_bytes()
        .to_vec();
    (status, sig, body)
}

fn signed(id: &Identity, path: &str, at: i64) -> Vec<(&'static str, String)> {
    id.sign_request("GET", path, &[], b"", at)
        .into_iter()
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_peer_signed_request_is_answered_and_the_answer_is_signed_for_it() {
    let s = setup();
    let h = signed(&s.peer, "/taxii2/", now_secs());
    let (status, sig, body) = send(&s.app, &h, "/taxii2/").await;
    assert_eq!(status, StatusCode::OK);
    let key = s.server_key.verifying_key();
    assert!(verify_answer(&key, &h[2].1, 200, &[], &body, sig.as_deref()).is_ok());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_replayed_stale_forged_or_unknown_node_request_is_refused() {
    let s = setup();
    let h = signed(&s.peer, "/taxii2/", now_secs());
    assert_eq!(send(&s.app, &h, "/taxii2/").await.0, StatusCode::OK);
    assert_eq!(
        send(&s.app, &h, "/taxii2/").await.0,
        StatusCode::UNAUTHORIZED,
        "replay"
    );

    let stale = signed(&s.peer, "/taxii2/", now_secs() - 3600);
    assert_eq!(
        send(&s.app, &stale, "/taxii2/").await.0,
        StatusCode::UNAUTHORIZED
    );

    let other_path = signed(&s.peer, "/api1/", now_secs());
    assert_eq!(
        send(&s.app, &other_path, "/taxii2/").await.0,
        StatusCode::UNAUTHORIZED
    );

    let impostor = Identity {
        authority: "ru-csirt".into(),
        key: SigningKey::from_bytes(&[9; 32]),
    };
    let forged = signed(&impostor, "/taxii2/", now_secs());
    assert_eq!(
        send(&s.app, &forged, "/taxii2/").await.0,
        StatusCode::UNAUTHORIZED
    );

    let stranger = Identity {
        authority: "kz-cert".into(),
        key: SigningKey::from_bytes(&[9; 32]),
    };
    let unknown = signed(&stranger, "/taxii2/", now_secs());
    let (status, _, body) = send(&s.app, &unknown, "/taxii2/").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(String::from_utf8_lossy(&body).contains("not a peer"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn peer_endpoints_are_for_nodes_only_even_for_an_administrator() {
    let s = setup();
    let (status, _, _) = send(&s.app, &[], "/symbolon/peer/witness").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let basic = format!(
        "Basic {}",
        base64::Engine::encode(&base64::engine::general_purpose::STANDARD, "admin:pw")
    );
    let (status, _, body) = send(
        &s.app,
        &[("authorization", basic)],
        "/symbolon/peer/witness",
    )
    .await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "{}",
        String::from_utf8_lossy(&body)
    );
    assert!(String::from_utf8_lossy(&body).contains("only a peer node"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_agreements_records_go_to_authority_nodes_only() {
    let s = setup();
    let h = signed(&s.peer, "/symbolon/peer/records", now_secs());
    assert_eq!(
        send(&s.app, &h, "/symbolon/peer/records").await.0,
        StatusCode::OK
    );
    // The same node registered as a third party is refused by the policy.
    let (_dir, core) = node_with_peer(&s.peer, true);
    let app = taxii::router(taxii::AppState::new(
        Arc::new(core),
        taxii::ServerInfo::default(),
    ));
    let h = signed(&s.peer, "/symbolon/peer/records", now_secs());
    let (status, _, body) = send(&app, &h, "/symbolon/peer/records").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(String::from_utf8_lossy(&body).contains("competent authorities only"));
}

/// The declared purpose is part of what a node signs: an on-path party that adds or changes
/// it (Art. 6.4: it is decided and recorded) breaks the signature.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_purpose_added_or_changed_on_the_way_breaks_the_signature() {
    let s = setup();
    let purpose = federation::request::PURPOSE_HEADER;
    let declared = federation::request::covered([(purpose, "incident-response")]);
    let h: Vec<(&str, String)> = s
        .peer
        .sign_request("GET", "/taxii2/", &declared, b"", now_secs())
        .into_iter()
        .collect();
    let mut honest = h.clone();
    honest.push((purpose, "incident-response".into()));
    assert_eq!(send(&s.app, &honest, "/taxii2/").await.0, StatusCode::OK);
    let mut bent = s
        .peer
        .sign_request("GET", "/taxii2/", &declared, b"", now_secs())
        .to_vec();
    bent.push((purpose, "joint-threat-assessment".into()));
    assert_eq!(
        send(&s.app, &bent, "/taxii2/").await.0,
        StatusCode::UNAUTHORIZED
    );
    let mut added = signed(&s.peer, "/taxii2/", now_secs());
    added.push((purpose, "incident-response".into()));
    let (status, _, body) = send(&s.app, &added, "/taxii2/").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(String::from_utf8_lossy(&body).contains("does not verify"));
}

/// A peer asking for a proof in a collection it has no rights on learns no more than when
/// it names one that does not exist: the same 404, the same error, nothing recorded as a
/// refusal it could tell apart.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_proof_from_a_hidden_collection_is_told_apart_from_none_by_nothing() {
    let peer = Identity {
        authority: "ru-csirt".into(),
        key: SigningKey::from_bytes(&[3; 32]),
    };
    let (_dir, core) = node_with_peer(&peer, false);
    let hidden = core
        .create_collection("Hidden", Some("hidden"), None, None)
        .unwrap();
    let app = taxii::router(taxii::AppState::new(
        Arc::new(core),
        taxii::ServerInfo::default(),
    ));
    let object = "indicator--00000000-0000-4000-8000-000000000001";
    let mut answers = Vec::new();
    for collection in [hidden.id.as_str(), "0b4c9e3c-7d2a-4c55-9d52-6c3b1f0a9e11"] {
        let path = format!("/symbolon/peer/provenance?collection={collection}&object={object}");
        let (status, _, body) = send(&app, &signed(&peer, &path, now_secs()), &path).await;
        let error: serde_json::Value = serde_json::from_slice(&body).unwrap();
        let description = error["description"]
            .as_str()
            .unwrap()
            .replace(collection, "C");
        answers.push((status, error["title"].clone(), description));
    }
    assert_eq!(answers[0].0, StatusCode::NOT_FOUND, "{answers:?}");
    assert_eq!(answers[0], answers[1]);
}
