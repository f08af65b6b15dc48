//! `symbolon serve`: the TAXII API on a listening socket until SIGINT or SIGTERM.

use crate::Node;
use anyhow::{Context, Result};
use std::net::SocketAddr;
use std::time::Duration;
use store::Store;

/// How often the store's background maintenance (WAL checkpoints) runs.
const MAINTENANCE_INTERVAL: Duration = Duration::from_secs(2);

pub async fn run(node: Node, listen: SocketAddr) -> Result<()> {
    let mut state = taxii::AppState::new(node.store.clone(), taxii::ServerInfo::default());
    state.audit = Some(node.audit.clone());
    let recorder = audit::Recorder::start(node.audit.clone());
    state.recorder = Some(recorder.clone());
    state.policy = node.policy.clone();
    let store = node.store.clone();
    tokio::spawn(async move {
        let mut every = tokio::time::interval(MAINTENANCE_INTERVAL);
        loop {
            every.tick().await;
            let store = store.clone();
            match tokio::task::spawn_blocking(move || store.maintain()).await {
                Ok(Ok(())) => {}
                Ok(Err(e)) => tracing::warn!(error = %e, "store maintenance failed"),
                Err(e) => tracing::warn!(error = %e, "store maintenance task failed"),
            }
        }
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
    // Decisions still queued go into the log before the process ends.
    tokio::task::spawn_blocking(move || recorder.close()).await?;
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
