//! Bulk import of a STIX bundle or TAXII envelope read from a file or stdin, through the
//! one ingest path (every object admitted like any write, every transaction with its audit
//! entry).
//!
//! Validation and storage run as a pipeline: one thread splits, validates and decides the
//! input while another writes the previous chunk and a third tallies what was written.
//! Transactions are committed every `COMMIT_EVERY` objects, so a large import never holds
//! the write lock for long against a running node; each commits its own audit entry, so an
//! import stopped at any point has exactly what it stored on record.

use crate::events::{Event, VersionDigest};
use crate::ingest::{Intake, Refusal, Why};
use crate::mistake::Mistake;
use crate::{Core, CoreError, Result};
use std::io::Read;
use std::sync::mpsc;
use store::Fate;

/// Objects handed from the validating thread to the writing thread at a time: small, so the
/// writer starts early and both cores stay busy.
const CHUNK: usize = 10_000;
/// Chunks that may wait for the writer: enough for the validating thread to keep working
/// while the writer commits (a commit writes ~100 MB of pages to the WAL), ~40 MB at most.
const QUEUE: usize = 10;
/// Objects per durable transaction: large, because each commit rewrites the index pages the
/// transaction touched, while short enough that a running node's writes wait at most ~1 s.
const COMMIT_EVERY: usize = 200_000;

/// What one source's import did.
#[derive(Debug, Default)]
pub struct Summary {
    pub added: usize,
    pub unchanged: usize,
    /// Objects not stored, with why (invalid, refused by the policy, or in conflict).
    pub rejected: Vec<Refusal>,
}

/// What the store did with one source's objects.
#[derive(Default)]
struct Tally {
    added: usize,
    unchanged: usize,
    conflicts: Vec<Refusal>,
    digest: VersionDigest,
}

impl Tally {
    fn take(&mut self, objects: &[stix::StixObject], fates: &[Fate]) {
        for (obj, &fate) in objects.iter().zip(fates) {
            match fate {
                Fate::Added { .. } => {
                    self.added += 1;
                    self.digest.push(&obj.id, &fate.version_of(obj));
                }
                Fate::AlreadyPresent { .. } => self.unchanged += 1,
                Fate::Conflict => self.conflicts.push(Refusal {
                    id: obj.id.clone(),
                    unnamed: None,
                    version: Some(fate.version_of(obj).into_owned()),
                    why: Why::Conflict,
                }),
            }
        }
    }
}

/// Why a source could not be read.
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    #[error("reading {source_name}: {error}")]
    Io {
        source_name: String,
        error: std::io::Error,
    },
    #[error("{source_name} is not a STIX bundle or TAXII envelope: {error}")]
    Document {
        source_name: String,
        error: stix::document::DocumentError,
    },
}

impl Core {
    /// Imports one source into the intake's collection. Valid objects are stored even when
    /// others are rejected; the summary lists each rejection. `obtained_from` names the
    /// competent authority the source came from (information obtained under the agreement,
    /// Art. 6.2), `None` for the writer's own.
    pub fn import(
        &self,
        intake: &Intake,
        source: impl Read,
        source_name: &str,
        obtained_from: Option<&str>,
    ) -> Result<Summary> {
        if let Some(a) = obtained_from {
            let policy = self.policy()?;
            let terms = policy.terms().ok_or(Mistake::OriginWithoutAgreement)?;
            if a == terms.authority {
                return Err(Mistake::OwnOrigin {
                    authority: a.to_owned(),
                }
                .into());
            }
            terms
                .known_authority(a)
                .map_err(|_| Mistake::UnknownAuthority {
                    authority: a.to_owned(),
                    known: terms.authorities.clone(),
                })?;
        }
        let origin = obtained_from.or(intake.origin()).map(str::to_owned);
        let store = self.store();
        let collection = intake.collection.key;
        let mut summary = Summary::default();
        let (tx, rx) = mpsc::sync_channel::<Vec<stix::StixObject>>(QUEUE);
        // Written batches go to a third thread that counts and digests them, so the writing
        // thread (the pipeline's slower stage) only writes. From there they return to the
        // validating thread, which allocated their text, to be freed: freeing where the
        // memory was allocated keeps the allocator reusing warm pages instead of faulting in
        // and zeroing fresh ones (measured: kernel time of the import fell by half).
        let (done_tx, done_rx) = mpsc::channel::<(Vec<stix::StixObject>, Vec<Fate>)>();
        let (spent_tx, spent_rx) = mpsc::channel::<Vec<stix::StixObject>>();
        let empty = crate::events::ByArticle::new();
        let outcome = std::thread::scope(|s| -> Result<(Tally, String)> {
            let origin_w = origin.as_deref();
            let writer = s.spawn(move || -> Result<()> {
                store
                    .add_stream(
                        collection,
                        &mut rx.into_iter(),
                        origin_w,
                        COMMIT_EVERY,
                        &mut |batch, fates| {
                            let _ = done_tx.send((batch, fates));
                        },
                        &mut |w| intake.entry_for(Some(source_name), w.added, &empty, w),
                    )
                    .map_err(CoreError::from)
            });
            let tally = s.spawn(move || {
                let mut t = Tally::default();
                for (batch, fates) in done_rx {
                    t.take(&batch, &fates);
                    let _ = spent_tx.send(batch);
                }
                // The last batch arrives before its commit: sorting the digest's lines here
                // overlaps with that commit instead of following it.
                let digest = std::mem::take(&mut t.digest).finish();
                (t, digest)
            });
            let mut valid = Vec::with_capacity(CHUNK);
            let mut sent_ok = true;
            let mut index = 0usize;
            let split = stix::stream::for_each_object(source, |raw| {
                if !sent_ok {
                    return;
                }
                match intake.admit(raw, origin.as_deref(), index) {
                    Ok(obj) => valid.push(obj),
                    Err(r) => summary.rejected.push(r),
                }
                index += 1;
                if valid.len() == CHUNK {
                    spent_rx.try_iter().for_each(drop);
                    sent_ok = tx
                        .send(std::mem::replace(&mut valid, Vec::with_capacity(CHUNK)))
                        .is_ok();
                }
            });
            if sent_ok && !valid.is_empty() {
                let _ = tx.send(valid);
            }
            drop(tx);
            let written = writer
                .join()
                .map_err(|_| CoreError::Failed("the writer thread panicked".into()))?;
            let tally = tally
                .join()
                .map_err(|_| CoreError::Failed("the tally thread panicked".into()))?;
            written?;
            split.map_err(|e| {
                CoreError::Source(Box::new(match e {
                    stix::stream::StreamError::Io(error) => SourceError::Io {
                        source_name: source_name.to_owned(),
                        error,
                    },
                    stix::stream::StreamError::Document(error) => SourceError::Document {
                        source_name: source_name.to_owned(),
                        error,
                    },
                }))
            })?;
            Ok(tally)
        });
        // What was stored is in the outbox with its entries whatever happened; on the way
        // into the log now.
        self.written()?;
        let (tally, digest) = outcome?;
        summary.added += tally.added;
        summary.unchanged += tally.unchanged;
        summary.rejected.extend(tally.conflicts);
        self.record_durably(&Event::Import {
            at: crate::events::now(),
            principal: &intake.principal().name,
            collection: &intake.collection.id,
            source: source_name,
            added: summary.added,
            unchanged: summary.unchanged,
            rejected: summary.rejected.len(),
            added_sha256: digest,
            obtained_from,
        })?;
        Ok(summary)
    }
}
