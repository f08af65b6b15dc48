//! Correlation over HTTP: `GET /symbolon/lookup?value=V[&value=V…]` and
//! `POST /symbolon/lookup` with a JSON list of values (bulk), authenticated like TAXII and
//! made for the purpose the request declares (`X-Symbolon-Purpose`). The answer is
//! `{"results":[…]}`, one result per value in the order asked; what each holds is the
//! core's (`Core::lookup`): only objects the asker may receive.

use crate::auth::Declared;
use crate::error::{ApiResult, TaxiiError};
use crate::{AppState, blocking};
use axum::Extension;
use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use policy::Principal;
use symbolon_core::Caller;

#[derive(serde::Serialize)]
struct Results<'a> {
    results: &'a [symbolon_core::correlate::Answer],
}

async fn answer(
    state: AppState,
    principal: Principal,
    declared: Declared,
    values: Vec<String>,
) -> ApiResult<Response> {
    if values.is_empty() {
        return Err(TaxiiError::bad_request(
            "name at least one value: ?value=198.51.100.7 (repeatable), or POST a JSON list of values",
        ));
    }
    let core = state.core.clone();
    let body = blocking(move || {
        let caller = Caller {
            principal: &principal,
            purpose: declared.0.as_deref(),
        };
        let answers = core.lookup(&caller, &values)?;
        serde_json::to_vec(&Results { results: &answers })
            .map_err(|e| TaxiiError::internal(format!("writing the answer: {e}")))
    })
    .await?;
    let mut r = (StatusCode::OK, body).into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    Ok(r)
}

/// `GET /symbolon/lookup?value=…`: every `value` parameter, in order; other parameters are
/// refused by name (a typo must not answer "nothing found").
pub async fn get(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Extension(declared): Extension<Declared>,
    RawQuery(query): RawQuery,
) -> ApiResult<Response> {
    let mut values = Vec::new();
    for (k, v) in form_urlencoded::parse(query.unwrap_or_default().as_bytes()) {
        if k != "value" {
            return Err(TaxiiError::bad_request(format!(
                "unknown parameter `{k}`: the lookup takes `value` (repeatable)"
            )));
        }
        values.push(v.into_owned());
    }
    answer(state, principal, declared, values).await
}

/// `POST /symbolon/lookup` with `["v1", "v2", …]`.
pub async fn post(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Extension(declared): Extension<Declared>,
    body: Bytes,
) -> ApiResult<Response> {
    let values: Vec<String> = serde_json::from_slice(&body).map_err(|e| {
        TaxiiError::bad_request(format!(
            "the body must be a JSON list of strings, e.g. [\"198.51.100.7\", \"evil.example\"]: {e}"
        ))
    })?;
    answer(state, principal, declared, values).await
}
