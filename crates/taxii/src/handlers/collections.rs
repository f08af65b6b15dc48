//! TAXII 2.1 §5.1 Collections and §5.2 Collection: what the principal may read or write
//! (the core's view: a collection without rights does not exist for its asker).

use crate::error::TaxiiError;
use crate::{Shared, blocking, render};
use axum::Extension;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::Response;
use federation::wire::CollectionList;
use policy::Principal;

pub async fn list(
    state: Shared,
    Extension(principal): Extension<Principal>,
    Path(root): Path<String>,
) -> Result<Response, TaxiiError> {
    let core = state.core.clone();
    let visible = blocking(move || Ok(core.collections_for(&principal, &root)?)).await?;
    let body = CollectionList {
        collections: (!visible.is_empty()).then(|| {
            visible
                .iter()
                .map(|(c, r)| super::collection_resource(c, *r))
                .collect()
        }),
    };
    Ok(render::json(StatusCode::OK, &body))
}

pub async fn get(
    state: Shared,
    Extension(principal): Extension<Principal>,
    Path((root, coll)): Path<(String, String)>,
) -> Result<Response, TaxiiError> {
    let core = state.core.clone();
    let (c, rights) = blocking(move || Ok(core.collection_for(&principal, &root, &coll)?)).await?;
    Ok(render::json(
        StatusCode::OK,
        &super::collection_resource(&c, rights),
    ))
}
