//! TAXII 2.1 §4.3 Status. A status is shown only to the user whose request made it (or an
//! administrator); anyone else is told it does not exist.

use crate::error::TaxiiError;
use crate::{Shared, blocking, render};
use axum::Extension;
use axum::extract::Path;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use policy::Principal;

pub async fn get(
    state: Shared,
    Extension(principal): Extension<Principal>,
    Path((root, id)): Path<(String, String)>,
) -> Result<Response, TaxiiError> {
    let (store, policy) = (state.store.clone(), state.policy.current());
    let record = blocking(move || {
        super::root(store.as_ref(), &root)?;
        Ok(store
            .status(&root, &id)?
            .filter(|s| policy.may_read_status(&principal, &s.owner)))
    })
    .await?;
    let record = record.ok_or_else(|| TaxiiError::not_found("no such status resource"))?;
    Ok(render::taxii(
        StatusCode::OK,
        record.json.into_bytes(),
        HeaderMap::new(),
    ))
}
