//! TAXII 2.1 §5.1 Collections and §5.2 Collection: what the principal may read or write
//! (the core's view: a collection without rights does not exist for its asker). Rights
//! held for no purpose the request may serve (Art. 6.4) are reported as they would act:
//! `can_read` and `can_write` false, so a client is not told it may read and then refused.

use crate::auth::Declared;
use crate::error::TaxiiError;
use crate::{Shared, blocking, render};
use axum::Extension;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::Response;
use federation::wire::CollectionList;
use policy::{Principal, Rights};
use symbolon_core::Core;

/// The rights as a request of `principal` for `declared` would find them.
fn acting(
    core: &Core,
    principal: &Principal,
    declared: Option<&str>,
    r: Rights,
) -> Result<Rights, TaxiiError> {
    let serves = core
        .policy()?
        .purpose_allowed(principal, declared)
        .is_allowed();
    Ok(Rights {
        can_read: r.can_read && serves,
        can_write: r.can_write && serves,
    })
}

pub async fn list(
    state: Shared,
    Extension(principal): Extension<Principal>,
    declared: Option<Extension<Declared>>,
    Path(root): Path<String>,
) -> Result<Response, TaxiiError> {
    let core = state.core.clone();
    let purpose = declared.and_then(|d| d.0.0);
    let visible = blocking(move || {
        core.collections_for(&principal, &root)?
            .into_iter()
            .map(|(c, r)| Ok((c, acting(&core, &principal, purpose.as_deref(), r)?)))
            .collect::<Result<Vec<_>, TaxiiError>>()
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
    declared: Option<Extension<Declared>>,
    Path((root, coll)): Path<(String, String)>,
) -> Result<Response, TaxiiError> {
    let core = state.core.clone();
    let purpose = declared.and_then(|d| d.0.0);
    let (c, rights) = blocking(move || {
        let (c, r) = core.collection_for(&principal, &root, &coll)?;
        Ok((c, acting(&core, &principal, purpose.as_deref(), r)?))
    })
    .await?;
    Ok(render::json(
        StatusCode::OK,
        &super::collection_resource(&c, rights),
    ))
}
