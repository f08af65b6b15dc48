//! What a sync run did, as the operator reads it.

use std::fmt::Write;

/// What one collection's pull did.
#[derive(Debug, Default)]
pub struct Pulled {
    pub remote: String,
    pub local: String,
    pub added: u64,
    pub unchanged: u64,
    /// Objects the peer vouched for that this node refused (id, reason).
    pub rejected: Vec<(String, String)>,
    /// Pages quarantined (provenance did not verify), with the reason.
    pub quarantined: Vec<String>,
}

/// What one collection's push did.
#[derive(Debug, Default)]
pub struct Pushed {
    pub local: String,
    pub remote: String,
    pub sent: u64,
    /// Objects the policy kept home.
    pub withheld: u64,
    /// Objects the peer refused (id, its reason).
    pub refused: Vec<(String, String)>,
}

/// What a run did with one peer.
#[derive(Debug, Default)]
pub struct PeerReport {
    pub peer: String,
    pub pulled: Vec<Pulled>,
    pub pushed: Vec<Pushed>,
    /// Signed ledger records taken from the peer (consents, revocations, notices,
    /// consent requests).
    pub records_kept: usize,
    /// Lifecycle notifications taken from the peer.
    pub notifications_kept: usize,
    /// Why the run with this peer stopped early, if it did.
    pub error: Option<String>,
}

impl PeerReport {
    /// Did the run change anything or need attention? (A background round reports only
    /// those.)
    pub fn eventful(&self) -> bool {
        self.troubled()
            || self.pulled.iter().any(|p| p.added > 0)
            || self.pushed.iter().any(|p| p.sent > 0)
            || self.records_kept + self.notifications_kept > 0
    }

    /// Did anything need the operator's attention?
    pub fn troubled(&self) -> bool {
        self.error.is_some()
            || self
                .pulled
                .iter()
                .any(|p| !p.rejected.is_empty() || !p.quarantined.is_empty())
            || self.pushed.iter().any(|p| !p.refused.is_empty())
    }
}

/// A report as the operator reads it: one line per collection, then trouble in full.
pub fn describe(r: &PeerReport) -> String {
    let mut out = String::new();
    for p in &r.pulled {
        let _ = writeln!(
            out,
            "{}: collection {} -> {}: {} new, {} already held, {} rejected, {} pages quarantined",
            r.peer,
            p.remote,
            p.local,
            p.added,
            p.unchanged,
            p.rejected.len(),
            p.quarantined.len()
        );
        for (id, why) in &p.rejected {
            let _ = writeln!(out, "{}: rejected {id}: {why}", r.peer);
        }
        for why in &p.quarantined {
            let _ = writeln!(out, "{}: QUARANTINED a page: {why}", r.peer);
        }
    }
    for p in &r.pushed {
        let _ = writeln!(
            out,
            "{}: pushed {} -> collection {}: {} sent, {} kept home by the policy, {} refused by the peer",
            r.peer,
            p.local,
            p.remote,
            p.sent,
            p.withheld,
            p.refused.len()
        );
        for (id, why) in &p.refused {
            let _ = writeln!(out, "{}: refused {id}: {why}", r.peer);
        }
    }
    if r.records_kept + r.notifications_kept > 0 {
        let _ = writeln!(
            out,
            "{}: kept {} ledger records, {} notifications",
            r.peer, r.records_kept, r.notifications_kept
        );
    }
    if let Some(e) = &r.error {
        let _ = writeln!(out, "{}: SYNC FAILED: {e}", r.peer);
    }
    out
}
