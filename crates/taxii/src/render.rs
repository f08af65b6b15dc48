//! Response bodies. Object pages are assembled from the stored object text without parsing
//! it again: serving is string concatenation.

use crate::TAXII_MEDIA_TYPE;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// A TAXII JSON response with the TAXII media type.
pub fn taxii(status: StatusCode, body: Vec<u8>, extra: HeaderMap) -> Response {
    let mut resp = (status, body).into_response();
    let h = resp.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(TAXII_MEDIA_TYPE),
    );
    h.extend(extra);
    resp
}

pub fn json<T: Serialize>(status: StatusCode, value: &T) -> Response {
    taxii(
        status,
        serde_json::to_vec(value).unwrap_or_default(),
        HeaderMap::new(),
    )
}

/// Appends `s` as a JSON string literal.
pub fn push_str(out: &mut Vec<u8>, s: &str) {
    // serde_json's escaping cannot fail when writing to a Vec.
    let _ = serde_json::to_writer(&mut *out, s);
}
