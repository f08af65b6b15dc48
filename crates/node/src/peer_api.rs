//! The node's own federation endpoint beside `taxii::peer_api`: the signed lifecycle
//! notifications (ratifications, designations, amendments, terminations) travel to the
//! other competent authorities' nodes, which check every signature before taking them.

use axum::Extension;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use std::path::PathBuf;
use taxii::AppState;
use taxii::error::TaxiiError;
use taxii::node_auth::NodeCaller;

/// The routes this module adds to the TAXII router.
pub fn routes(dir: PathBuf, key: ed25519_dalek::SigningKey) -> axum::Router<AppState> {
    axum::Router::new().route(
        "/symbolon/peer/notifications",
        get(
            move |State(state): State<AppState>,
                  caller: Option<Extension<NodeCaller>>,
                  Extension(principal): Extension<policy::Principal>| {
                let (dir, key) = (dir.clone(), key.clone());
                let allowed = match caller {
                    None => policy::Decision::Deny(
                        "only a peer node (node-signed request) may ask this".into(),
                    ),
                    Some(_) => state
                        .policy
                        .current()
                        .may_receive_agreement_records(&principal),
                };
                async move { notifications(dir, key, allowed).await }
            },
        ),
    )
}

async fn notifications(
    dir: PathBuf,
    key: ed25519_dalek::SigningKey,
    allowed: policy::Decision,
) -> Response {
    if let policy::Decision::Deny(why) = allowed {
        return TaxiiError::forbidden(why).into_response();
    }
    let listed = tokio::task::spawn_blocking(move || -> anyhow::Result<Vec<u8>> {
        let (agreement, _) = crate::agreement::membership(&dir)?;
        let own = key.verifying_key().to_bytes();
        let held = crate::agreement::held_checked(own, &dir, &agreement)?;
        Ok(serde_json::to_vec(&held)?)
    })
    .await;
    match listed {
        Ok(Ok(body)) => {
            let mut r = (StatusCode::OK, body).into_response();
            r.headers_mut().insert(
                axum::http::header::CONTENT_TYPE,
                axum::http::HeaderValue::from_static("application/json"),
            );
            r
        }
        Ok(Err(e)) => TaxiiError::not_found(format!("{e:#}")).into_response(),
        Err(e) => TaxiiError::internal(e.to_string()).into_response(),
    }
}
