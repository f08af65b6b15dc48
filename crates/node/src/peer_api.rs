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
            move |State(_): State<AppState>,
                  caller: Option<Extension<NodeCaller>>,
                  Extension(principal): Extension<policy::Principal>| {
                let (dir, key) = (dir.clone(), key.clone());
                async move { notifications(dir, key, caller, principal).await }
            },
        ),
    )
}

async fn notifications(
    dir: PathBuf,
    key: ed25519_dalek::SigningKey,
    caller: Option<Extension<NodeCaller>>,
    principal: policy::Principal,
) -> Response {
    if caller.is_none() || !matches!(principal.kind, policy::Kind::Authority(_)) {
        return TaxiiError::forbidden(
            "lifecycle notifications travel between the competent authorities' nodes only",
        )
        .into_response();
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
