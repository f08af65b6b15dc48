//! TAXII 2.1 §4.1 Server Discovery.

use crate::render;
use crate::{Shared, blocking};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;

/// The base URL the client used, from the Host header (absolute API root URLs work with every
/// client; some do not resolve relative ones).
fn base_url(headers: &HeaderMap) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("localhost");
    format!("http://{host}")
}

pub async fn get(state: Shared, headers: HeaderMap) -> Result<Response, crate::error::TaxiiError> {
    let store = state.store.clone();
    let roots = blocking(move || Ok(store.api_roots()?)).await?;
    let base = base_url(&headers);
    let urls: Vec<String> = roots
        .iter()
        .map(|r| format!("{base}/{}/", r.name))
        .collect();
    let mut body = serde_json::json!({ "title": state.info.title, "api_roots": urls });
    if let Some(d) = &state.info.description {
        body["description"] = d.clone().into();
    }
    if let Some(c) = &state.info.contact {
        body["contact"] = c.clone().into();
    }
    if let Some(first) = urls.first() {
        body["default"] = first.clone().into();
    }
    Ok(render::json(StatusCode::OK, &body))
}
