//! TAXII 2.1 error messages (§3.6.1): every failure the API returns is one of these.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

pub const TAXII_MEDIA_TYPE: &str = "application/taxii+json;version=2.1";

/// A TAXII error object with its HTTP status.
#[derive(Debug, Clone, Serialize)]
pub struct TaxiiError {
    #[serde(skip)]
    pub status: StatusCode,
    pub title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub http_status: String,
    /// Seconds until the request may be made again (`Retry-After`).
    #[serde(skip)]
    pub retry_after: Option<u64>,
}

impl TaxiiError {
    pub fn new(
        status: StatusCode,
        title: impl Into<String>,
        description: impl Into<String>,
    ) -> Self {
        TaxiiError {
            status,
            title: title.into(),
            description: Some(description.into()),
            http_status: status.as_u16().to_string(),
            retry_after: None,
        }
    }

    /// The same error, saying when to try again (`Retry-After`, in seconds).
    pub fn with_retry_after(mut self, secs: u64) -> Self {
        self.retry_after = Some(secs);
        self
    }

    pub fn bad_request(description: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "Bad request", description)
    }

    pub fn not_found(description: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, "Not found", description)
    }

    pub fn forbidden(description: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, "Forbidden", description)
    }

    pub fn internal(description: impl Into<String>) -> Self {
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "Internal error",
            description,
        )
    }
}

impl From<symbolon_core::CoreError> for TaxiiError {
    fn from(e: symbolon_core::CoreError) -> Self {
        use symbolon_core::CoreError;
        match e {
            CoreError::NotFound(what) => TaxiiError::not_found(what),
            CoreError::Refused(d) => TaxiiError::forbidden(d.to_string()),
            CoreError::Invalid(why) => TaxiiError::bad_request(why),
            CoreError::Mistake(m) => TaxiiError::bad_request(m.to_string()),
            CoreError::Record(e) => TaxiiError::bad_request(e.to_string()),
            CoreError::Source(e) => TaxiiError::bad_request(e.to_string()),
            e => {
                tracing::error!(error = %e, "the node could not complete a request");
                TaxiiError::internal(
                    "the node could not complete the request; the failure is logged",
                )
            }
        }
    }
}

impl IntoResponse for TaxiiError {
    fn into_response(self) -> Response {
        let body = serde_json::to_vec(&self).unwrap_or_default();
        let mut resp = (self.status, body).into_response();
        resp.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static(TAXII_MEDIA_TYPE),
        );
        if let Some(secs) = self.retry_after {
            resp.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        resp
    }
}

pub type ApiResult<T> = Result<T, TaxiiError>;
