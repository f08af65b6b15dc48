//! What an operator's tools ask of a running node: liveness and readiness (no login, no
//! data), Prometheus metrics (the administrator only: decision counts and peer states are
//! the node's business), and for every request an id, an access log line and its latency.

use crate::error::TaxiiError;
use crate::{AppState, Shared};
use axum::extract::{MatchedPath, Request};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

type Labels = Vec<(&'static str, String)>;

/// Requests and their latency per endpoint (the route's template, never the raw path:
/// ids and values in paths and queries stay out of metrics and logs).
pub struct HttpMetrics {
    requests: Family<Labels, Counter>,
    latency: Family<Labels, Histogram>,
    next_id: AtomicU64,
    /// Distinguishes this process's request ids from another run's.
    run: u32,
}

impl Default for HttpMetrics {
    fn default() -> Self {
        HttpMetrics {
            requests: Family::default(),
            // 100 µs to ~6.5 s.
            latency: Family::new_with_constructor(|| {
                Histogram::new(exponential_buckets(0.0001, 2.0, 17))
            }),
            next_id: AtomicU64::new(1),
            run: rand_run(),
        }
    }
}

fn rand_run() -> u32 {
    use std::hash::{BuildHasher, RandomState};
    RandomState::new().hash_one(std::process::id()) as u32
}

/// The id of one request, as logged and returned in `X-Request-Id`.
#[derive(Clone)]
pub struct RequestId(pub String);

/// Gives every request an id, logs one line when it is answered (method, endpoint,
/// status, duration, principal when known; no credentials, paths or values) and counts it.
pub async fn observe(state: Shared, mut req: Request, next: Next) -> Response {
    let m = &state.0.http;
    let id = format!(
        "{:08x}-{:x}",
        m.run,
        m.next_id.fetch_add(1, Ordering::Relaxed)
    );
    let endpoint = req
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_owned(), |p| p.as_str().to_owned());
    let method = req.method().as_str().to_owned();
    req.extensions_mut().insert(RequestId(id.clone()));
    let started = Instant::now();
    let mut resp = next.run(req).await;
    let took = started.elapsed().as_secs_f64();
    let status = resp.status().as_u16();
    if let Ok(v) = HeaderValue::from_str(&id) {
        resp.headers_mut().insert("x-request-id", v);
    }
    let principal = resp
        .extensions()
        .get::<symbolon_core::AnsweredFor>()
        .map(|a| a.0.clone());
    tracing::info!(
        target: "access",
        request_id = %id,
        method = %method,
        endpoint = %endpoint,
        status,
        duration_ms = took * 1000.0,
        principal = principal.as_deref().unwrap_or("-"),
        "answered"
    );
    let labels = vec![
        ("endpoint", endpoint),
        ("method", method),
        ("status", status.to_string()),
    ];
    m.requests.get_or_create(&labels).inc();
    m.latency.get_or_create(&labels[..2].to_vec()).observe(took);
    resp
}

/// `GET /healthz`: the process answers. No login, no data.
pub async fn healthz() -> impl IntoResponse {
    Json(serde_json::json!({"status": "ok"}))
}

/// `GET /readyz`: the store, the audit log and the policy answer (503 naming what does
/// not). No login; says nothing of what is held, nor why a part fails (an error names
/// paths and internals): that goes to the node's log.
pub async fn readyz(state: Shared) -> Response {
    let core = state.0.core.clone();
    let (status, body) = match tokio::task::spawn_blocking(move || core.readiness()).await {
        Ok(r) => probe(r),
        Err(e) => {
            tracing::warn!("readiness probe: the check itself failed: {e}");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                serde_json::json!({"ready": false}),
            )
        }
    };
    (status, Json(body)).into_response()
}

/// The readiness answer: each part `ok` or `failed` (why is logged, not answered).
fn probe(r: symbolon_core::metrics::Readiness) -> (StatusCode, serde_json::Value) {
    let part = |name: &str, r: Result<(), String>| match r {
        Ok(()) => serde_json::json!("ok"),
        Err(e) => {
            tracing::warn!("readiness probe: the {name} does not answer: {e}");
            serde_json::json!({ "error": "does not answer; the node's log says why" })
        }
    };
    let body = serde_json::json!({
        "ready": r.ready,
        "store": part("store", r.store),
        "audit_log": part("audit log", r.audit_log.map(drop)),
        "policy": part("policy", r.policy.map(drop)),
    });
    let status = if r.ready {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (status, body)
}

/// `GET /metrics`: Prometheus text, for the node's administrators.
pub async fn metrics(
    state: Shared,
    Extension(principal): Extension<policy::Principal>,
) -> Result<Response, TaxiiError> {
    if !principal.is_admin {
        return Err(TaxiiError::forbidden(
            "metrics are for the node's administrators (scrape with an administrator's credentials)",
        ));
    }
    let st: Arc<AppState> = Arc::new(state.0.clone());
    let text = crate::blocking(move || {
        let mut registry = Registry::default();
        symbolon_core::metrics::register(&mut registry);
        registry.register(
            "symbolon_http_requests",
            "HTTP requests answered, by endpoint, method and status",
            st.http.requests.clone(),
        );
        registry.register(
            "symbolon_http_request_duration_seconds",
            "Time to answer an HTTP request, by endpoint and method",
            st.http.latency.clone(),
        );
        st.core.state_gauges(&mut registry)?;
        let mut out = String::new();
        prometheus_client::encoding::text::encode(&mut out, &registry)
            .map_err(|e| TaxiiError::internal(format!("encoding metrics: {e}")))?;
        Ok(out)
    })
    .await?;
    Ok((
        [(
            header::CONTENT_TYPE,
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
        )],
        text,
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failing_part_is_named_without_its_error() {
        let (status, body) = probe(symbolon_core::metrics::Readiness {
            ready: false,
            store: Err("disk I/O error reading /srv/symbolon/symbolon.db".into()),
            audit_log: Ok(12),
            policy: Ok(3),
        });
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(
            body["store"]["error"],
            "does not answer; the node's log says why"
        );
        assert_eq!(
            (body["audit_log"].as_str(), body["policy"].as_str()),
            (Some("ok"), Some("ok"))
        );
        assert!(!body.to_string().contains("/srv"), "{body}");
    }
}
