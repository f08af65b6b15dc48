//! `symbolon serve`: the TAXII API (and the node's own endpoints) on a listening socket
//! until SIGINT or SIGTERM, with the audit journal's group commit, the store's maintenance
//! and a sync round with every peer in the background. One `serve` per data directory.

use anyhow::{Context, Result};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use symbolon_core::Core;

/// Threads that run the core's work for requests at once: twice the cores, at least four.
/// Requests beyond wait their turn. More threads than that only take turns on the same
/// cores — measured on two cores: 36k lookups/s with p99 5 ms at 50 connections for 2-4
/// threads, 13k/s with p99 near a second with tokio's default of 512 (each its own
/// SQLite connection, cache and wake-ups). Sync rounds, which run for minutes, have a
/// thread of their own.
pub fn blocking_threads() -> usize {
    let cores = std::thread::available_parallelism().map_or(2, std::num::NonZeroUsize::get);
    (2 * cores).max(4)
}

/// How often the background maintenance (outbox entries other processes left, WAL
/// checkpoints) runs.
const MAINTENANCE_INTERVAL: Duration = Duration::from_secs(2);

/// How the node meets the network.
#[derive(Default)]
pub struct Listening {
    /// Certificate chain and private key (PEM): the node speaks HTTPS.
    pub tls: Option<(std::path::PathBuf, std::path::PathBuf)>,
    /// Where clients reach the node when a reverse proxy stands in front.
    pub public_url: Option<String>,
    /// Accept passwords over plain HTTP from other hosts.
    pub basic_over_plain_http: bool,
}

/// Runs the node: the API on `listen`, maintenance, and a sync with every peer every
/// `sync_every` (none: only `symbolon sync` syncs).
pub async fn run(
    core: Core,
    listen: SocketAddr,
    sync_every: Option<Duration>,
    how: Listening,
) -> Result<()> {
    let _lock = core.lock_for_serving()?;
    // Read the certificate before anything starts: a wrong path fails at once.
    let tls = match &how.tls {
        Some((cert, key)) => {
            // One process-wide provider, set once: ring, which builds with a C compiler
            // alone (aws-lc-rs, rustls' choice for post-quantum key exchange, needs more of
            // an air-gapped build host). Deprecated for that reason only.
            #[allow(deprecated)]
            let _ = rustls::crypto::ring::default_provider().install_default();
            Some(
                axum_server::tls_rustls::RustlsConfig::from_pem_file(cert, key)
                    .await
                    .with_context(|| {
                        format!(
                            "reading the TLS certificate {} and key {} (PEM)",
                            cert.display(),
                            key.display()
                        )
                    })?,
            )
        }
        None => None,
    };
    let core = Arc::new(core);
    core.journal().start()?;
    core.start_ingest_helper()?;
    let info = taxii::ServerInfo {
        public_url: how.public_url.clone(),
        tls: tls.is_some(),
        basic_over_plain_http: how.basic_over_plain_http,
        ..Default::default()
    };
    let state = taxii::AppState::new(core.clone(), info);
    if let Some(every) = sync_every {
        let syncing = core.clone();
        std::thread::Builder::new()
            .name("sync".into())
            .spawn(move || sync_rounds(syncing, every))
            .context("starting the sync thread")?;
    }
    let maintained = core.clone();
    tokio::spawn(async move {
        let mut every = tokio::time::interval(MAINTENANCE_INTERVAL);
        loop {
            every.tick().await;
            let core = maintained.clone();
            match tokio::task::spawn_blocking(move || core.maintain()).await {
                Ok(Ok(())) => {}
                Ok(Err(e)) => tracing::warn!(error = %e, "maintenance failed"),
                Err(e) => tracing::warn!(error = %e, "maintenance task failed"),
            }
        }
    });
    // The correlation index is built off the request path (the first lookup would wait
    // for it otherwise).
    let indexed = core.clone();
    tokio::task::spawn_blocking(move || match indexed.index_size() {
        Ok(size) => tracing::info!(
            target: "symbolon",
            values = size.values,
            references = size.references,
            "correlation index built"
        ),
        Err(e) => tracing::warn!(error = %e, "building the correlation index failed"),
    });
    let app = app(
        state,
        workspace::Options {
            tls: tls.is_some(),
            passwords_over_plain_http: how.basic_over_plain_http,
        },
    )
    .into_make_service_with_connect_info::<SocketAddr>();
    let listener =
        std::net::TcpListener::bind(listen).with_context(|| format!("binding {listen}"))?;
    listener.set_nonblocking(true)?;
    let addr = listener.local_addr()?;
    let shown = how.public_url.clone().unwrap_or_else(|| {
        let scheme = if tls.is_some() { "https" } else { "http" };
        format!("{scheme}://{addr}")
    });
    tracing::info!(target: "symbolon", %addr, "Symbolon node serving TAXII 2.1 at {}/taxii2/", shown.trim_end_matches('/'));
    match tls {
        Some(config) => {
            let handle = axum_server::Handle::new();
            let stopping = handle.clone();
            tokio::spawn(async move {
                shutdown().await;
                stopping.graceful_shutdown(Some(Duration::from_secs(30)));
            });
            axum_server::from_tcp_rustls(listener, config)?
                .handle(handle)
                .serve(app)
                .await
                .context("serving TAXII over TLS")?;
        }
        None => {
            let listener = tokio::net::TcpListener::from_std(listener)?;
            axum::serve(listener, app)
                .with_graceful_shutdown(shutdown())
                .await
                .context("serving TAXII")?;
        }
    }
    // Entries still queued go into the log before the process ends.
    let closing = core.clone();
    tokio::task::spawn_blocking(move || closing.journal().close()).await??;
    tracing::info!(target: "symbolon", "Symbolon node stopped.");
    Ok(())
}

/// The node's whole HTTP surface over one core: TAXII and the node's own endpoints, the
/// analyst workspace under /ui/ (its own sign-in, every page read through the same core),
/// and the OpenAPI description of all of it.
pub fn app(state: taxii::AppState, ws: workspace::Options) -> axum::Router {
    let workspace = workspace::router(state.core.clone(), ws)
        // Request ids, access lines and metrics as for TAXII (by route template).
        .route_layer(axum::middleware::from_fn_with_state(
            state.clone(),
            taxii::ops::observe,
        ));
    let described = axum::Router::new()
        .route(crate::openapi::PATH, axum::routing::get(openapi))
        .route_layer(axum::middleware::from_fn_with_state(
            state.clone(),
            taxii::ops::observe,
        ));
    taxii::router(state).merge(workspace).merge(described)
}

async fn openapi() -> impl axum::response::IntoResponse {
    (
        [(axum::http::header::CONTENT_TYPE, "application/json")],
        crate::openapi::document(),
    )
}

async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
}

/// The background scheduler: a sync with every peer, then a pause, for as long as the node
/// serves. Each round takes the agreement as it stands then (the core refreshes it). A
/// thread of its own: a round may take minutes, and must not hold one of the threads
/// requests are answered on.
fn sync_rounds(core: Arc<Core>, every: Duration) {
    loop {
        std::thread::sleep(every);
        let outcome = (|| -> Result<Vec<crate::sync::PeerReport>> {
            if core.peers()?.is_empty() {
                return Ok(Vec::new());
            }
            crate::sync::run(&core, None, false)
        })();
        match outcome {
            Ok(reports) => {
                for r in reports.iter().filter(|r| r.eventful()) {
                    eprint!("{}", crate::sync::describe(r));
                }
            }
            Err(e) => tracing::warn!(error = %format!("{e:#}"), "sync round failed"),
        }
    }
}
