//! `symbolon import`: bundles or envelopes from files or stdin into a collection.
//!
//! Validation and storage run as a two-stage pipeline: one thread splits and validates the
//! input while another writes the previous chunk. Transactions are committed every
//! `COMMIT_EVERY` objects, so a large import never holds the write lock for long against a
//! running node, and the exit code is 0 only once everything is durable.

use crate::Node;
use crate::events::Event;
use anyhow::{Context, Result};
use indicatif::{ProgressBar, ProgressStyle};
use policy::{Access, Action, Decision, ObjectFacts};
use std::io::Read;
use std::sync::mpsc;
use store::{AddOutcome, Store};

/// Objects handed from the validating thread to the writing thread at a time: small, so the
/// writer starts early and both cores stay busy.
const CHUNK: usize = 10_000;
/// Objects per durable transaction: large, because each commit rewrites the index pages the
/// transaction touched, while short enough that a running node's writes wait at most ~1 s.
const COMMIT_EVERY: usize = 200_000;

/// One object that was not stored, and why.
#[derive(Debug, Clone)]
pub struct Rejected {
    pub source: String,
    pub id: String,
    pub reason: String,
}

#[derive(Debug, Default)]
pub struct Summary {
    pub added: usize,
    pub unchanged: usize,
    pub rejected: Vec<Rejected>,
}

fn read_source(source: &str) -> Result<String> {
    let mut text = String::new();
    if source == "-" {
        std::io::stdin()
            .read_to_string(&mut text)
            .context("reading stdin")?;
    } else {
        text = std::fs::read_to_string(source).with_context(|| format!("reading {source}"))?;
    }
    Ok(text)
}

/// Imports every source into the collection. Valid objects are stored even when others are
/// rejected; the summary lists each rejection.
pub fn run(node: &Node, collection: &str, sources: &[String], progress: bool) -> Result<Summary> {
    let coll = node.collection(collection)?;
    let access = Access {
        principal: &node.operator,
        collection: coll.key,
        action: Action::Write,
    };
    let mut summary = Summary::default();
    for source in sources {
        let before = (summary.added, summary.unchanged, summary.rejected.len());
        let mut digest = String::new();
        let text = read_source(source)?;
        // On a terminal, objects are counted first (a cheap scan) so the bar knows its length.
        let mut total = 0u64;
        if progress {
            stix::document::for_each_object(&text, |_| total += 1)
                .with_context(|| format!("{source} is not a STIX bundle or TAXII envelope"))?;
        }
        let bar = if progress {
            ProgressBar::new(total)
        } else {
            ProgressBar::hidden()
        };
        bar.set_style(
            ProgressStyle::with_template(
                "{msg} {bar:40} {pos}/{len} objects ({per_sec}, eta {eta})",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        bar.set_message(source.clone());
        let store = node.store.clone();
        let (tx, rx) = mpsc::sync_channel::<Vec<stix::StixObject>>(2);
        let outcome = std::thread::scope(|s| -> Result<()> {
            let writer = s.spawn(move || -> Result<Vec<AddOutcome>> {
                let mut all = Vec::new();
                store
                    .add_stream(
                        coll.key,
                        &mut rx.into_iter(),
                        COMMIT_EVERY,
                        &mut |outcomes| {
                            bar.inc(outcomes.len() as u64);
                            all.extend(outcomes);
                        },
                    )
                    .context("storing objects")?;
                bar.finish();
                Ok(all)
            });
            let mut valid = Vec::with_capacity(CHUNK);
            let mut sent_ok = true;
            let split = stix::document::for_each_object(&text, |raw| {
                if !sent_ok {
                    return;
                }
                match stix::validate(raw) {
                    Ok(obj) => {
                        let facts = ObjectFacts {
                            id: &obj.id,
                            object_type: &obj.object_type,
                            marking_refs: &obj.marking_refs,
                        };
                        match node.policy.decide(&access, &facts) {
                            Decision::Allow => valid.push(obj),
                            Decision::Deny(reason) => summary.rejected.push(Rejected {
                                source: source.clone(),
                                id: obj.id,
                                reason,
                            }),
                        }
                    }
                    Err(r) => summary.rejected.push(Rejected {
                        source: source.clone(),
                        id: r.id.unwrap_or_else(|| "(no readable id)".into()),
                        reason: r.reason,
                    }),
                }
                if valid.len() == CHUNK {
                    sent_ok = tx
                        .send(std::mem::replace(&mut valid, Vec::with_capacity(CHUNK)))
                        .is_ok();
                }
            });
            if sent_ok && !valid.is_empty() {
                let _ = tx.send(valid);
            }
            drop(tx);
            let outcomes = writer
                .join()
                .map_err(|_| anyhow::anyhow!("the writer thread panicked"))??;
            split.with_context(|| format!("{source} is not a STIX bundle or TAXII envelope"))?;
            digest = crate::events::digest_versions(outcomes.iter().filter_map(|o| match o {
                AddOutcome::Added { id, version, .. } => Some((id.as_str(), version.as_str())),
                _ => None,
            }));
            for o in outcomes {
                match o {
                    AddOutcome::Added { .. } => summary.added += 1,
                    AddOutcome::AlreadyPresent { .. } => summary.unchanged += 1,
                    AddOutcome::Conflict { id, version } => summary.rejected.push(Rejected {
                        source: source.clone(),
                        id,
                        reason: format!("version {version} is already stored with different content (STIX 2.1 §3.6)"),
                    }),
                }
            }
            Ok(())
        });
        outcome?;
        node.record(&Event::Import {
            at: crate::events::now(),
            principal: &node.operator.name,
            collection: &coll.id,
            source,
            added: summary.added - before.0,
            unchanged: summary.unchanged - before.1,
            rejected: summary.rejected.len() - before.2,
            added_sha256: digest,
        })?;
    }
    Ok(summary)
}
