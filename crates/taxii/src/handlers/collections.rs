//! TAXII 2.1 §5.1 Collections and §5.2 Collection: what the principal may read or write
//! (the core's view: a collection without rights does not exist for its asker; `can_read`
//! and `can_write` are false when the request's purpose would be refused, Art. 6.4).

use crate::auth::Declared;
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
    Extension(declared): Extension<Declared>,
    Path(root): Path<String>,
) -> Result<Response, TaxiiError> {
    let core = state.core.clone();
    let visible = blocking(move || {
        core.collections_for(&principal, &root)?
            .into_iter()
            .map(|(c, r)| Ok((c, core.usable_rights(&principal, declared.0.as_deref(), r)?)))
            .collect::<Result<Vec<_>, symbolon_core::CoreError>>()
            .map_err(Into::into)
    })
    .await?;
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
    Extension(declared): Extension<Declared>,
    Path((root, coll)): Path<(String, String)>,
) -> Result<Response, TaxiiError> {
    let core = state.core.clone();
    let (c, rights) = blocking(move || {
        let (c, r) = core.collection_for(&principal, &root, &coll)?;
        Ok((c, core.usable_rights(&principal, declared.0.as_deref(), r)?))
    })
    .await?;
    Ok(render::json(
        StatusCode::OK,
        &super::collection_resource(&c, rights),
    ))
}
