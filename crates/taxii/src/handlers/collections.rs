//! TAXII 2.1 §5.1 Collections and §5.2 Collection.

use crate::error::TaxiiError;
use crate::{Shared, blocking, render};
use axum::Extension;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::Response;
use policy::Principal;

pub async fn list(
    state: Shared,
    Extension(principal): Extension<Principal>,
    Path(root): Path<String>,
) -> Result<Response, TaxiiError> {
    let (store, policy) = (state.store.clone(), state.policy.current());
    let visible = blocking(move || {
        super::root(store.as_ref(), &root)?;
        Ok(store
            .collections()?
            .into_iter()
            .filter(|c| c.api_root == root)
            .filter_map(|c| {
                let rights = policy.rights(&principal, c.key);
                (rights.can_read || rights.can_write)
                    .then(|| super::collection_resource(&c, rights))
            })
            .collect::<Vec<_>>())
    })
    .await?;
    let body = if visible.is_empty() {
        serde_json::json!({})
    } else {
        serde_json::json!({ "collections": visible })
    };
    Ok(render::json(StatusCode::OK, &body))
}

pub async fn get(
    state: Shared,
    Extension(principal): Extension<Principal>,
    Path((root, coll)): Path<(String, String)>,
) -> Result<Response, TaxiiError> {
    let (store, policy) = (state.store.clone(), state.policy.current());
    let (_, c, rights) = blocking(move || {
        super::visible_collection(store.as_ref(), &policy, &principal, &root, &coll)
    })
    .await?;
    Ok(render::json(
        StatusCode::OK,
        &super::collection_resource(&c, rights),
    ))
}
