//! TAXII 2.1 §4.1 Server Discovery.

use crate::render;
use crate::{Shared, blocking};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use federation::wire::Discovery;

/// The base URL clients reach the node at: `--public-url` when the operator gave one (a
/// reverse proxy in front), else the scheme the node serves and the Host header the client
/// used (absolute API root URLs work with every client; some do not resolve relative ones).
fn base_url(info: &crate::ServerInfo, headers: &HeaderMap) -> String {
    if let Some(u) = &info.public_url {
        return u.trim_end_matches('/').to_owned();
    }
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("localhost");
    let scheme = if info.tls { "https" } else { "http" };
    format!("{scheme}://{host}")
}

pub async fn get(state: Shared, headers: HeaderMap) -> Result<Response, crate::error::TaxiiError> {
    let core = state.core.clone();
    let roots = blocking(move || Ok(core.api_roots()?)).await?;
    let base = base_url(&state.info, &headers);
    let urls: Vec<String> = roots
        .iter()
        .map(|r| format!("{base}/{}/", r.name))
        .collect();
    let body = Discovery {
        title: state.info.title.clone(),
        description: state.info.description.clone(),
        contact: state.info.contact.clone(),
        default: urls.first().cloned(),
        api_roots: Some(urls),
    };
    Ok(render::json(StatusCode::OK, &body))
}
