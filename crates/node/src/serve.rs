//! `symbolon serve`: the TAXII API (and the node's own endpoints) on a listening socket
//! until SIGINT or SIGTERM, with the audit journal's group commit, the store's maintenance
//! and a sync round with every peer in the background. One `serve` per data directory.

use anyhow::{Context, Result};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use symbolon_core::Core;

/// How often the background maintenance (outbox entries other processes left, WAL
/// checkpoints) runs.
const MAINTENANCE_INTERVAL: Duration = Duration::from_secs(2);

/// Runs the node: the API on `listen`, maintenance, and a sync with every peer every
/// `sync_every` (none: only `symbolon sync` syncs).
pub async fn run(core: Core, listen: SocketAddr, sync_every: Option<Duration>) -> Result<()> {
    let _lock = core.lock_for_serving()?;
    let core = Arc::new(core);
    core.journal().start()?;
    let state = taxii::AppState::new(core.clone(), taxii::ServerInfo::default());
    if let Some(every) = sync_every {
        tokio::spawn(sync_rounds(core.clone(), every));
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
            values = size.values,
            references = size.references,
            "correlation index built"
        ),
        Err(e) => tracing::warn!(error = %e, "building the correlation index failed"),
    });
    let app = taxii::router(state);
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .with_context(|| format!("binding {listen}"))?;
    let addr = listener.local_addr()?;
    eprintln!("Symbolon node serving TAXII 2.1 at http://{addr}/taxii2/");
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown())
        .await
        .context("serving TAXII")?;
    // Entries still queued go into the log before the process ends.
    let closing = core.clone();
    tokio::task::spawn_blocking(move || closing.journal().close()).await??;
    eprintln!("Symbolon node stopped.");
    Ok(())
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
/// serves. Each round takes the agreement as it stands then (the core refreshes it).
async fn sync_rounds(core: Arc<Core>, every: Duration) {
    loop {
        tokio::time::sleep(every).await;
        let round = core.clone();
        let outcome =
            tokio::task::spawn_blocking(move || -> Result<Vec<crate::sync::PeerReport>> {
                if round.peers()?.is_empty() {
                    return Ok(Vec::new());
                }
                crate::sync::run(&round, None, false)
            })
            .await;
        match outcome {
            Ok(Ok(reports)) => {
                for r in reports.iter().filter(|r| r.eventful()) {
                    eprint!("{}", crate::sync::describe(r));
                }
            }
            Ok(Err(e)) => tracing::warn!(error = %format!("{e:#}"), "sync round failed"),
            Err(e) => tracing::warn!(error = %e, "sync round task failed"),
        }
    }
}
