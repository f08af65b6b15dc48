//! The proof that the audit log covers the store: every version a collection holds is one
//! some entry says a write added (and no entry says a delete removed), and every write's
//! account — how many versions it added, and the digest of their `"{id} {version}\n"` lines
//! in `date_added` order — is what the store holds in its span. `symbolon audit verify`
//! reports it per collection beside the log's own integrity.

use crate::{Core, Result};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::ops::ControlFlow;
use store::{Filter, Removed, Stored, VersionSel};

/// Most problems listed per collection (the rest are counted).
const MAX_LISTED: usize = 20;

/// One collection compared with the log.
#[derive(Debug, Clone)]
pub struct CollectionCoverage {
    pub id: String,
    pub title: String,
    /// Versions the store holds.
    pub stored: u64,
    /// Versions the log says it holds (added by writes, less those removed since).
    pub accounted: u64,
    /// SHA-256 over `"{id} {version}\n"` of every version stored, in `date_added` order.
    pub sha256: String,
    /// What does not agree, first few.
    pub problems: Vec<CoverageProblem>,
    /// How many problems there are in all.
    pub problem_count: usize,
}

/// Where the store and the audit log disagree about a collection, as data (a front door
/// says it in its user's language); `Display` is the English of the CLI.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CoverageProblem {
    /// A version is stored that no write's entry accounts for.
    Unaccounted {
        id: String,
        version: String,
        date_added: i64,
    },
    /// A version is stored that entry `entry` records as removed.
    RemovedButStored {
        id: String,
        version: String,
        entry: u64,
    },
    /// Entry `entry` accounts for `added` versions added between `first` and `last`; the
    /// store holds `held` of them.
    Count {
        entry: u64,
        added: u64,
        first: i64,
        last: i64,
        held: u64,
    },
    /// The versions stored between `first` and `last` are not the ones entry `entry`
    /// accounts for (same count, other ids or versions).
    Mismatch { entry: u64, first: i64, last: i64 },
}

impl std::fmt::Display for CoverageProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let at = stix::timestamp::format;
        match self {
            CoverageProblem::Unaccounted {
                id,
                version,
                date_added,
            } => write!(
                f,
                "{id} {version} (date_added {}) is stored, but no audit entry accounts for it",
                at(*date_added)
            ),
            CoverageProblem::RemovedButStored { id, version, entry } => write!(
                f,
                "{id} {version} is stored, but entry {entry} records its removal"
            ),
            CoverageProblem::Count {
                entry,
                added,
                first,
                last,
                held,
            } => write!(
                f,
                "entry {entry} accounts for {added} versions added between {} and {}; the store holds {held} of them (with those removed since)",
                at(*first),
                at(*last)
            ),
            CoverageProblem::Mismatch { entry, first, last } => write!(
                f,
                "entry {entry}: the versions stored between {} and {} are not the ones it accounts for",
                at(*first),
                at(*last)
            ),
        }
    }
}

/// The log's integrity and its coverage of the store.
#[derive(Debug, Clone)]
pub struct AuditReport {
    /// Entries verified (all of them, when intact).
    pub entries: u64,
    /// The first damage `AuditLog::verify` found, if any.
    pub tamper: Option<audit::Tamper>,
    pub collections: Vec<CollectionCoverage>,
    /// Accounts in the log for collections the store does not hold.
    pub orphans: Vec<String>,
    /// Collections deleted, each closing its accounts.
    pub deleted: Vec<DeletedCoverage>,
}

/// A collection's deletion compared with what the log accounted for it until then.
#[derive(Debug, Clone)]
pub struct DeletedCoverage {
    pub id: String,
    pub title: String,
    /// The entry that records the deletion.
    pub entry: u64,
    /// Versions the deletion says went.
    pub versions: u64,
    /// Versions the log accounted for the collection before it.
    pub accounted: u64,
}

impl DeletedCoverage {
    /// Did the deletion remove exactly what the log accounted for the collection?
    pub fn covered(&self) -> bool {
        self.versions == self.accounted
    }
}

/// The entry of a collection's deletion (`Event::CollectionDeleted`).
#[derive(serde::Deserialize)]
struct Deletion {
    collection: String,
    title: String,
    versions: u64,
}

/// How an entry recording a deletion starts (canonical JSON sorts keys, so `event` comes
/// after `collection` and `at`; the marker is looked for anywhere, then parsed).
const DELETION_MARKER: &[u8] = b"\"event\":\"collection_deleted\"";

impl AuditReport {
    /// Is the log intact and does it account for exactly what is stored?
    pub fn intact(&self) -> bool {
        self.tamper.is_none()
            && self.orphans.is_empty()
            && self.collections.iter().all(|c| c.problem_count == 0)
            && self.deleted.iter().all(DeletedCoverage::covered)
    }
}

/// A write's account as the log holds it.
struct Span {
    entry: u64,
    first: i64,
    last: i64,
    added: u64,
    sha256: String,
}

#[derive(Default)]
struct Accounts {
    spans: Vec<Span>,
    /// Removed versions by `date_added`, with the entry that removed them.
    removed: BTreeMap<i64, (u64, Removed)>,
}

impl Accounts {
    /// Versions the log says the collection holds: added by writes, less those removed
    /// since (never below zero, whatever a damaged log says).
    fn accounted(&self) -> u64 {
        self.spans
            .iter()
            .map(|s| s.added)
            .sum::<u64>()
            .saturating_sub(self.removed.len() as u64)
    }
}

#[derive(serde::Deserialize)]
struct Entry {
    #[serde(default)]
    stored: Option<Stored>,
}

fn line(id: &str, version: &str) -> String {
    format!("{id} {version}\n")
}

struct Check<'a> {
    c: &'a mut CollectionCoverage,
}

impl Check<'_> {
    fn problem(&mut self, what: CoverageProblem) {
        self.c.problem_count += 1;
        if self.c.problems.len() < MAX_LISTED {
            self.c.problems.push(what);
        }
    }
}

impl Core {
    /// A look at the audit log (its head, an entry with its proof, a consistency proof:
    /// `audit::report`) for `principal`, if the policy lets it inspect the log (this node's
    /// administrators); its refusal otherwise. Every door that shows the log asks here.
    pub fn inspect_audit<T>(
        &self,
        principal: &policy::Principal,
        look: impl FnOnce(&audit::AuditLog) -> std::result::Result<T, audit::AuditError>,
    ) -> Result<T> {
        if let policy::Decision::Deny(d) = self.policy()?.may_inspect_audit(principal) {
            return Err(crate::CoreError::Refused(d));
        }
        let log = self
            .journal()
            .log()
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        Ok(look(&log)?)
    }

    /// Recomputes the audit log from its entries and compares its accounts of writes with
    /// what every collection holds.
    pub fn verify_audit(&self) -> Result<AuditReport> {
        let log = self
            .journal()
            .log()
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        let (entries, tamper) = match log.verify(&self.key().verifying_key())? {
            Ok(n) => (n, None),
            Err(t) => (t.entry.unwrap_or(0), Some(t)),
        };
        let mut accounts: BTreeMap<String, Accounts> = BTreeMap::new();
        let mut deleted = Vec::new();
        log.for_each_entry(0, &mut |idx, bytes| {
            if bytes
                .windows(DELETION_MARKER.len())
                .any(|w| w == DELETION_MARKER)
                && let Ok(d) = serde_json::from_slice::<Deletion>(bytes)
            {
                let a = accounts.remove(&d.collection).unwrap_or_default();
                deleted.push(DeletedCoverage {
                    accounted: a.accounted(),
                    id: d.collection,
                    title: d.title,
                    entry: idx,
                    versions: d.versions,
                });
                return ControlFlow::Continue(());
            }
            // Entries the node wrote are JSON; one that is not accounts for nothing.
            if let Ok(Entry { stored: Some(s) }) = serde_json::from_slice::<Entry>(bytes) {
                let a = accounts.entry(s.collection.clone()).or_default();
                if let (Some(first), Some(last)) = (s.first, s.last) {
                    a.spans.push(Span {
                        entry: idx,
                        first,
                        last,
                        added: s.added,
                        sha256: s.sha256,
                    });
                }
                for r in s.removed {
                    a.removed.insert(r.date_added, (idx, r));
                }
            }
            ControlFlow::Continue(())
        })?;
        drop(log);
        let mut report = AuditReport {
            entries,
            tamper,
            collections: Vec::new(),
            orphans: Vec::new(),
            deleted,
        };
        for c in self.store().collections()? {
            let mut a = accounts.remove(&c.id).unwrap_or_default();
            a.spans.sort_by_key(|s| s.first);
            report.collections.push(self.cover(&c, &a)?);
        }
        report.orphans = accounts.into_keys().collect();
        Ok(report)
    }

    fn cover(&self, c: &store::Collection, a: &Accounts) -> Result<CollectionCoverage> {
        let mut cov = CollectionCoverage {
            id: c.id.clone(),
            title: c.title.clone(),
            stored: 0,
            accounted: a.accounted(),
            sha256: String::new(),
            problems: Vec::new(),
            problem_count: 0,
        };
        let mut whole = Sha256::new();
        // Each span's lines, recomputed from what is stored and what its later deletes
        // removed, in date_added order.
        let mut digests: Vec<(Sha256, u64)> = vec![(Sha256::new(), 0); a.spans.len()];
        let mut removed = a.removed.iter().peekable();
        let span_of = |seq: i64| -> Option<usize> {
            let i = a.spans.partition_point(|s| s.first <= seq);
            (i > 0 && a.spans[i - 1].last >= seq).then(|| i - 1)
        };
        let mut rows: Vec<(i64, String, String)> = Vec::new();
        let filter = Filter {
            versions: vec![VersionSel::All],
            ..Filter::default()
        };
        let mut problems = Vec::new();
        let take = |seq: i64,
                    (id, version): (&str, &str),
                    digests: &mut Vec<(Sha256, u64)>,
                    problems: &mut Vec<CoverageProblem>,
                    stored: bool| {
            match span_of(seq) {
                Some(i) => {
                    digests[i].0.update(line(id, version).as_bytes());
                    digests[i].1 += 1;
                }
                None if stored => problems.push(CoverageProblem::Unaccounted {
                    id: id.to_owned(),
                    version: version.to_owned(),
                    date_added: seq,
                }),
                None => {}
            }
        };
        self.store().scan(c.key, &filter, &mut |r| {
            rows.push((r.date_added, r.id, r.version));
            ControlFlow::Continue(())
        })?;
        for (seq, id, version) in &rows {
            while let Some((rseq, (_, rem))) = removed.peek() {
                if *rseq >= seq {
                    break;
                }
                take(
                    **rseq,
                    (&rem.id, &rem.version),
                    &mut digests,
                    &mut problems,
                    false,
                );
                removed.next();
            }
            if let Some((rseq, (entry, _))) = removed.peek()
                && *rseq == seq
            {
                problems.push(CoverageProblem::RemovedButStored {
                    id: id.clone(),
                    version: version.clone(),
                    entry: *entry,
                });
                removed.next();
            }
            whole.update(line(id, version).as_bytes());
            cov.stored += 1;
            take(*seq, (id, version), &mut digests, &mut problems, true);
        }
        for (rseq, (_, rem)) in removed {
            take(
                *rseq,
                (&rem.id, &rem.version),
                &mut digests,
                &mut problems,
                false,
            );
        }
        let mut check = Check { c: &mut cov };
        for p in problems {
            check.problem(p);
        }
        for (span, (digest, n)) in a.spans.iter().zip(digests) {
            if n != span.added {
                check.problem(CoverageProblem::Count {
                    entry: span.entry,
                    added: span.added,
                    first: span.first,
                    last: span.last,
                    held: n,
                });
            } else if hex::encode(digest.finalize()) != span.sha256 {
                check.problem(CoverageProblem::Mismatch {
                    entry: span.entry,
                    first: span.first,
                    last: span.last,
                });
            }
        }
        cov.sha256 = hex::encode(whole.finalize());
        Ok(cov)
    }
}
