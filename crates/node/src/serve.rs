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
    state.policy = taxii::PolicyHandle::new(node.policy.clone());
    let (store, policy, dir, key) = (
        node.store.clone(),
        state.policy.clone(),
        node.dir.clone(),
        node.key.clone(),
    );
    tokio::spawn(async move {
        let mut every = tokio::time::interval(MAINTENANCE_INTERVAL);
        // The day is part of it: an amendment enters into force at a date (Art. 9.2).
        let mut seen = (agreement_files(&dir), policy::lifecycle::Day::today());
        loop {
            every.tick().await;
            let store = store.clone();
            match tokio::task::spawn_blocking(move || store.maintain()).await {
                Ok(Ok(())) => {}
                Ok(Err(e)) => tracing::warn!(error = %e, "store maintenance failed"),
                Err(e) => tracing::warn!(error = %e, "store maintenance task failed"),
            }
            // A notification, designation or agreement recorded by the CLI: the policy is
            // derived again and takes over from the next request (Art. 9: a termination
            // stops transfers without waiting for a restart).
            let now = (agreement_files(&dir), policy::lifecycle::Day::today());
            if now != seen {
                match crate::init::policy_in(&dir, &key) {
                    Ok(p) => {
                        policy.replace(std::sync::Arc::new(p));
                        seen = now;
                        eprintln!("agreement records changed: policy reloaded");
                    }
                    Err(e) => tracing::warn!(error = %e, "could not reload the agreement"),
                }
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

/// When and how large the agreement's files last were (a change means: derive the policy
/// again).
fn agreement_files(dir: &std::path::Path) -> Vec<Option<(std::time::SystemTime, u64)>> {
    [
        crate::agreement::AGREEMENT_FILE,
        crate::agreement::MEMBERSHIP_FILE,
        crate::agreement::NOTIFICATIONS_FILE,
    ]
    .iter()
    .map(|f| {
        let m = std::fs::metadata(dir.join(f)).ok()?;
        Some((m.modified().ok()?, m.len()))
    })
    .collect()
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
