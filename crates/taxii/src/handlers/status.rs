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
    let core = state.core.clone();
    let record = blocking(move || Ok(core.status_for(&principal, &root, &id)?)).await?;
    Ok(render::taxii(
        StatusCode::OK,
        record.json.into_bytes(),
        HeaderMap::new(),
    ))
}
