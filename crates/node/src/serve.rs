//! `symbolon serve`: the TAXII API on a listening socket until SIGINT or SIGTERM.

use crate::Node;
use anyhow::{Context, Result};
use std::net::SocketAddr;
use std::time::Duration;
use store::Store;

/// How often the store's background maintenance (WAL checkpoints) runs.
const MAINTENANCE_INTERVAL: Duration = Duration::from_secs(2);

/// Runs the node: the TAXII API on `listen`, store maintenance, and a pull from every peer
/// every `sync_every` (none: only `symbolon sync` pulls).
pub async fn run(node: Node, listen: SocketAddr, sync_every: Option<Duration>) -> Result<()> {
    let mut state = taxii::AppState::new(node.store.clone(), taxii::ServerInfo::default());
    // Answers to peer nodes are signed and pages to them sealed with this identity; a node
    // without a name for its peers serves its users only.
    state.identity = crate::peers::identity(&node).ok();
    if let Some(every) = sync_every {
        tokio::spawn(sync_rounds(node.clone(), every));
    }
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
    let app = taxii::router_with(
        state,
        crate::peer_api::routes(node.dir.clone(), node.key.clone()),
    );
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

/// The background scheduler: a pull from every peer, then a pause, for as long as the node
/// serves. Each round takes the agreement as it stands then (designations, amendments).
async fn sync_rounds(node: Node, every: Duration) {
    loop {
        tokio::time::sleep(every).await;
        let mut round = node.clone();
        let outcome =
            tokio::task::spawn_blocking(move || -> Result<Vec<crate::sync::PeerReport>> {
                round.policy = std::sync::Arc::new(crate::init::policy_in(&round.dir, &round.key)?);
                if round.store.peers()?.is_empty() {
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
