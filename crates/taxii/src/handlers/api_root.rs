//! TAXII 2.1 §4.2 API Root Information.

use crate::error::TaxiiError;
use crate::{Shared, TAXII_MEDIA_TYPE, blocking, render};
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::Response;

pub async fn get(state: Shared, Path(name): Path<String>) -> Result<Response, TaxiiError> {
    let core = state.core.clone();
    let root = blocking(move || Ok(core.api_root(&name)?)).await?;
    let mut body = serde_json::json!({
        "title": root.title,
        "versions": [TAXII_MEDIA_TYPE],
        "max_content_length": root.max_content_length,
    });
    if let Some(d) = root.description {
        body["description"] = d.into();
    }
    Ok(render::json(StatusCode::OK, &body))
}
