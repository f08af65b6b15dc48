//! What the core has done since the process started, for Prometheus: audit entries made by
//! kind, objects served, redacted and withheld (withheld by article), objects written and
//! refused (by article), values looked up. Counted from the audit events themselves, at
//! the one place each entry is encoded, so the figures are the log's own (an entry whose
//! write transaction then fails is counted once all the same: rare, and never hidden).
//!
//! Per process: a CLI import in another process counts in that process. Gauges of state
//! (log size, peers, quarantine) are read at scrape time by whoever serves the metrics.

use crate::events::{ByArticle, Event};
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::registry::Registry;
use std::sync::LazyLock;

type Labels = Vec<(&'static str, String)>;

#[derive(Default)]
struct Counters {
    entries: Family<Labels, Counter>,
    decisions: Family<Labels, Counter>,
    written: Family<Labels, Counter>,
    lookup_values: Counter,
}

static COUNTERS: LazyLock<Counters> = LazyLock::new(Counters::default);

/// Adds the core's counters to `registry` (they keep counting; the registry reads them).
pub fn register(registry: &mut Registry) {
    let c = &*COUNTERS;
    registry.register(
        "symbolon_audit_entries",
        "Audit log entries made, by event",
        c.entries.clone(),
    );
    registry.register(
        "symbolon_decisions",
        "Objects decided for a reader (TAXII, lookups, sync pushes, exports): served, redacted, or withheld by article",
        c.decisions.clone(),
    );
    registry.register(
        "symbolon_objects_written",
        "Objects offered for storage: accepted, or refused by article (invalid, conflict, ...)",
        c.written.clone(),
    );
    registry.register(
        "symbolon_lookup_values",
        "Observable values looked up",
        c.lookup_values.clone(),
    );
}

fn decided(door: &str, served: u64, redacted: u64, withheld: &ByArticle) {
    let c = &*COUNTERS;
    let get = |decision: &str, article: &str| {
        c.decisions.get_or_create(&vec![
            ("door", door.to_owned()),
            ("decision", decision.to_owned()),
            ("article", article.to_owned()),
        ])
    };
    // Served counts redacted copies too; they are counted apart.
    get("served", "").inc_by(served.saturating_sub(redacted));
    get("redacted", "").inc_by(redacted);
    for (article, n) in withheld {
        get("withheld", article).inc_by(*n);
    }
}

/// Counts one audit event as it is encoded for the log.
pub(crate) fn observe(e: &Event) {
    let c = &*COUNTERS;
    let kind = match e {
        Event::Access {
            endpoint,
            served,
            redacted,
            withheld,
            ..
        } => {
            // The workspace reads through the same core; its endpoints are named `ui:…`.
            let door = if endpoint.starts_with("ui:") {
                "workspace"
            } else {
                "taxii"
            };
            decided(door, *served, *redacted, withheld);
            "access"
        }
        Event::Lookup {
            values,
            served,
            redacted,
            withheld,
            ..
        } => {
            c.lookup_values.inc_by(*values);
            decided("lookup", *served, *redacted, withheld);
            "lookup"
        }
        Event::Transfer {
            served,
            redacted,
            withheld,
            ..
        } => {
            decided("export", *served, *redacted, withheld);
            "transfer"
        }
        Event::SyncPushed {
            sent,
            redacted,
            withheld,
            ..
        } => {
            decided("sync", *sent, *redacted, withheld);
            "sync_pushed"
        }
        Event::Write {
            accepted, refused, ..
        } => {
            c.written
                .get_or_create(&vec![
                    ("outcome", "accepted".into()),
                    ("article", String::new()),
                ])
                .inc_by(*accepted);
            for (article, n) in *refused {
                c.written
                    .get_or_create(&vec![
                        ("outcome", "refused".into()),
                        ("article", article.clone()),
                    ])
                    .inc_by(*n);
            }
            "write"
        }
        Event::Import { .. } => "import",
        Event::NodeCreated { .. } => "node_created",
        Event::KeyRotated { .. } => "key_rotated",
        Event::ApiRootSaved { .. } => "api_root_saved",
        Event::CollectionCreated { .. } => "collection_created",
        Event::UserSaved { .. } => "user_saved",
        Event::GrantSet { .. } => "grant_set",
        Event::UserRemoved { .. } => "user_removed",
        Event::PeerRemoved { .. } => "peer_removed",
        Event::CollectionDeleted { .. } => "collection_deleted",
        Event::AgreementSet { .. } => "agreement_set",
        Event::LedgerRecord { .. } => "ledger_record",
        Event::PeerSaved { .. } => "peer_saved",
        Event::WitnessBreach { .. } => "witness_breach",
        Event::Quarantined { .. } => "quarantined",
        Event::SyncPulled { .. } => "sync_pulled",
    };
    c.entries
        .get_or_create(&vec![("event", kind.to_owned())])
        .inc();
}

/// Whether the node can answer: each part it needs, and what is wrong with it.
#[derive(Debug, serde::Serialize)]
pub struct Readiness {
    pub ready: bool,
    pub store: Result<(), String>,
    pub audit_log: Result<u64, String>,
    pub policy: Result<u32, String>,
}

impl crate::Core {
    /// Asks the store where it stands, the audit log its size and the policy its version:
    /// ready when all three answer.
    pub fn readiness(&self) -> Readiness {
        let store = self.marks().map(drop).map_err(|e| e.to_string());
        let audit_log = self
            .journal()
            .log()
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .size()
            .map_err(|e| e.to_string());
        let policy = self
            .policy()
            .map(|p| p.version())
            .map_err(|e| e.to_string());
        Readiness {
            ready: store.is_ok() && audit_log.is_ok() && policy.is_ok(),
            store,
            audit_log,
            policy,
        }
    }

    /// The node's state for a scrape, as gauges: audit log size, each peer's state and how
    /// long since its log was last witnessed, the quarantine's size.
    pub fn state_gauges(&self, registry: &mut Registry) -> crate::Result<()> {
        use prometheus_client::metrics::gauge::Gauge;
        let size: Gauge = Gauge::default();
        size.set(
            self.journal()
                .log()
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .size()
                .map_err(|e| {
                    crate::CoreError::Failed(format!("reading the audit log's size: {e}"))
                })? as i64,
        );
        registry.register("symbolon_audit_log_size", "Entries in the audit log", size);
        let halted = Family::<Labels, Gauge>::default();
        let witnessed = Family::<Labels, Gauge>::default();
        let lag = Family::<Labels, Gauge<f64, std::sync::atomic::AtomicU64>>::default();
        let now = store::now_micros();
        for p in self.peers()? {
            let l = vec![("peer", p.id.clone())];
            halted.get_or_create(&l).set(i64::from(p.halted.is_some()));
            if let Some(h) = &p.witnessed {
                witnessed.get_or_create(&l).set(h.size as i64);
                lag.get_or_create(&l)
                    .set((now - h.timestamp).max(0) as f64 / 1e6);
            }
        }
        registry.register(
            "symbolon_peer_halted",
            "1 when exchange with the peer is halted (its log was rewritten or forked)",
            halted,
        );
        registry.register(
            "symbolon_peer_witnessed_log_size",
            "Size of the peer's audit log as this node last witnessed it",
            witnessed,
        );
        registry.register(
            "symbolon_peer_sync_lag_seconds",
            "Seconds since the peer's signed tree head this node last witnessed",
            lag,
        );
        let quarantine: Gauge = Gauge::default();
        quarantine.set(self.quarantine_count()? as i64);
        registry.register(
            "symbolon_quarantine_pages",
            "Pages from peers kept apart because their provenance failed",
            quarantine,
        );
        Ok(())
    }
}
