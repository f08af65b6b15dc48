//! What making an answer's audit entry durable costs (issue 11: a page served to a peer or
//! a third party leaves only once its entry is durable). Measured in process on a node of
//! its own, through the journal every front door uses: one waiter at a time (a client
//! reading page after page), then several at once (group commit shares one fsync).

use anyhow::{Context, Result};
use std::time::Instant;

/// A read's entry of the size a served page's is.
const ENTRY: &[u8] = br#"{"event":"access","at":"2026-12-02T00:00:00.000000Z","principal":"ru-bench","principal_kind":"authority:ru-csirt","purpose":"incident-response","policy_version":1,"endpoint":"objects","collection":"26eb5292-6e18-414c-b232-038ffd6daacd","decision":"allow","served":1000,"redacted":0,"withheld":{},"served_sha256":"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"}"#;

pub struct Durability {
    /// Median microseconds from handing an entry over to its being durable, one at a time.
    pub alone_us: f64,
    /// Entries made durable per second by one waiter at a time.
    pub alone_rate: f64,
    /// The same with `waiters` threads waiting at once.
    pub together_rate: f64,
    pub waiters: usize,
}

pub fn durability(dir: &std::path::Path, appends: usize, waiters: usize) -> Result<Durability> {
    let (core, _) =
        symbolon_core::Core::init(dir, Some("bench")).context("creating the journal's node")?;
    core.journal().start()?;
    let one = |core: &symbolon_core::Core| -> Result<f64> {
        let started = Instant::now();
        let ticket = core.journal().record(ENTRY.to_vec(), true)?;
        core.journal().wait(ticket)?;
        Ok(started.elapsed().as_secs_f64() * 1e6)
    };
    let started = Instant::now();
    let mut alone = crate::Sample(Vec::with_capacity(appends));
    for _ in 0..appends {
        alone.0.push(one(&core)?);
    }
    let alone_rate = appends as f64 / started.elapsed().as_secs_f64();
    let started = Instant::now();
    std::thread::scope(|s| -> Result<()> {
        let workers: Vec<_> = (0..waiters)
            .map(|_| {
                s.spawn(|| -> Result<()> {
                    for _ in 0..appends / waiters {
                        one(&core)?;
                    }
                    Ok(())
                })
            })
            .collect();
        for w in workers {
            w.join()
                .map_err(|_| anyhow::anyhow!("a journal waiter panicked"))??;
        }
        Ok(())
    })?;
    let together_rate = (appends / waiters * waiters) as f64 / started.elapsed().as_secs_f64();
    core.journal().close()?;
    Ok(Durability {
        alone_us: alone.median(),
        alone_rate,
        together_rate,
        waiters,
    })
}
