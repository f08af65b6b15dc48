//! The journal: how entries reach the audit log.
//!
//! - **Writes** put their entry into the store's outbox in their own transaction (see
//!   `store`); the journal moves outbox entries into the log, in the order they were
//!   committed, and a crash in between is recovered by the next drain (every open of a
//!   node drains before anything else runs). Nothing is stored without its entry.
//! - **Reads** (and refusals) hand their entry to [`Journal::record`] and wait on the
//!   [`Ticket`] before their answer leaves: no answer is sent before the entry recording it
//!   is durable. In a serving node one thread appends whatever has queued up while the
//!   previous append was being made durable (group commit: one transaction, one fsync and
//!   one signed head for many requests); elsewhere (the CLI) the append is immediate.
//!
//! An entry nobody waits for (a write's, durable already in the outbox; a read by this
//! authority's own users) waits up to [`MAX_WAIT`] for companions, so that a stream of
//! requests shares appends; an entry someone waits for is appended at once, with whatever
//! has queued up. A submitter never blocks on a full queue (the queue is not bounded by a
//! channel: a waiting request is itself the bound); it blocks only in [`Journal::wait`], on
//! a blocking thread.

use crate::{CoreError, Result};
use audit::{AuditError, AuditLog};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};
use store::Store;

/// Longest an entry nobody waits for waits for companions before it is appended.
pub const MAX_WAIT: Duration = Duration::from_millis(20);

/// A read's entry handed to the journal; [`Journal::wait`] returns once it is durable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[must_use = "an answer may leave only once its entry is durable: wait on the ticket"]
pub struct Ticket(u64);

#[derive(Default)]
struct State {
    queue: Vec<Vec<u8>>,
    /// Tickets issued so far; the queue holds `processed + 1 ..= issued`.
    issued: u64,
    /// Every ticket up to this one was appended (or failed, see `failures`).
    processed: u64,
    /// Batches whose append failed: (first ticket, last ticket, why).
    failures: Vec<(u64, u64, String)>,
    /// A write left entries in the outbox since the last drain.
    outbox_due: bool,
    /// Someone waits for an entry queued: append now.
    urgent: bool,
    /// When the oldest entry not yet appended arrived.
    since: Option<Instant>,
    /// A worker thread appends (a serving node); without one appends are immediate.
    running: bool,
    closing: bool,
}

struct Shared {
    state: Mutex<State>,
    /// Wakes the worker.
    work: Condvar,
    /// Wakes waiters.
    done: Condvar,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// The node's audit journal (see the module).
pub struct Journal {
    log: Arc<Mutex<AuditLog>>,
    store: Arc<dyn Store>,
    shared: Arc<Shared>,
    worker: Mutex<Option<JoinHandle<()>>>,
}

/// Appends the outbox's pending entries and then `extra`, in one transaction.
fn drain(log: &Mutex<AuditLog>, store: &dyn Store, extra: Vec<Vec<u8>>) -> Result<u64> {
    let mut log = log.lock().unwrap_or_else(|p| p.into_inner());
    let (_, head) = log.append_pending(|through| {
        let pending = store
            .outbox(through)
            .map_err(|e| AuditError::Source(Box::new(e)))?;
        let last = pending.last().map(|(seq, _)| *seq);
        let mut entries: Vec<Vec<u8>> = pending.into_iter().map(|(_, e)| e).collect();
        entries.extend(extra);
        Ok((entries, last))
    })?;
    Ok(head.map_or(0, |h| h.size))
}

impl Journal {
    /// The journal of a node's log and store. Appends are immediate until [`Journal::start`].
    pub fn new(log: Arc<Mutex<AuditLog>>, store: Arc<dyn Store>) -> Journal {
        Journal {
            log,
            store,
            shared: Arc::new(Shared {
                state: Mutex::new(State::default()),
                work: Condvar::new(),
                done: Condvar::new(),
            }),
            worker: Mutex::new(None),
        }
    }

    /// The log itself (heads, proofs, verification).
    pub fn log(&self) -> &Arc<Mutex<AuditLog>> {
        &self.log
    }

    /// Moves every entry left in the outbox into the log now, and forgets them in the
    /// outbox: what a node does when it opens (recovery after a crash), when a CLI command
    /// ends, and in a serving node's maintenance round.
    pub fn settle(&self) -> Result<()> {
        drain(&self.log, self.store.as_ref(), Vec::new())?;
        let through = self
            .log
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .outbox_through()?;
        self.store.clear_outbox(through)?;
        Ok(())
    }

    /// A write committed entries to the outbox: they go into the log at the next append
    /// (in a serving node, at once in the background; elsewhere now).
    pub fn written(&self) -> Result<()> {
        let mut st = self.shared.lock();
        if st.running {
            st.outbox_due = true;
            st.since.get_or_insert_with(Instant::now);
            self.shared.work.notify_one();
            return Ok(());
        }
        drop(st);
        drain(&self.log, self.store.as_ref(), Vec::new()).map(drop)
    }

    /// Hands a read's entry to the log; the answer may leave once [`Journal::wait`] says
    /// it is durable. `urgent`: the caller will wait, so the append starts at once (while
    /// the caller renders its answer).
    pub fn record(&self, entry: Vec<u8>, urgent: bool) -> Result<Ticket> {
        let mut st = self.shared.lock();
        st.issued += 1;
        let ticket = Ticket(st.issued);
        if st.running {
            st.queue.push(entry);
            st.urgent |= urgent;
            st.since.get_or_insert_with(Instant::now);
            self.shared.work.notify_one();
            return Ok(ticket);
        }
        // No worker: append now; ticket order is append order under the state lock.
        let outcome = drain(&self.log, self.store.as_ref(), vec![entry]);
        st.processed = ticket.0;
        outcome.map(|_| ticket)
    }

    /// Blocks until the ticket's entry is durable in the log; an error when its append
    /// failed (the answer must then not be sent).
    pub fn wait(&self, ticket: Ticket) -> Result<()> {
        let mut st = self.shared.lock();
        if st.processed < ticket.0 {
            st.urgent = true;
            self.shared.work.notify_one();
        }
        while st.processed < ticket.0 {
            st = self.shared.done.wait(st).unwrap_or_else(|p| p.into_inner());
        }
        match st
            .failures
            .iter()
            .find(|(from, to, _)| (*from..=*to).contains(&ticket.0))
        {
            Some((_, _, why)) => Err(CoreError::Failed(format!(
                "the audit log could not record this answer, so it is not sent: {why}"
            ))),
            None => Ok(()),
        }
    }

    /// Starts the appending thread (a serving node).
    pub fn start(&self) -> Result<()> {
        let mut worker = self.worker.lock().unwrap_or_else(|p| p.into_inner());
        if worker.is_some() {
            return Ok(());
        }
        self.shared.lock().running = true;
        let (shared, log, store) = (self.shared.clone(), self.log.clone(), self.store.clone());
        let handle = std::thread::Builder::new()
            .name("audit-journal".into())
            .spawn(move || run(&shared, &log, store.as_ref()))
            .map_err(|e| CoreError::Failed(format!("starting the audit journal: {e}")))?;
        *worker = Some(handle);
        Ok(())
    }

    /// Appends everything queued, stops the thread and settles the outbox (at shutdown).
    pub fn close(&self) -> Result<()> {
        self.shared.lock().closing = true;
        self.shared.work.notify_all();
        let handle = self.worker.lock().unwrap_or_else(|p| p.into_inner()).take();
        if let Some(h) = handle {
            let _ = h.join();
        }
        self.shared.lock().running = false;
        self.settle()
    }
}

fn run(shared: &Shared, log: &Mutex<AuditLog>, store: &dyn Store) {
    loop {
        let mut st = shared.lock();
        while st.queue.is_empty() && !st.outbox_due && !st.closing {
            st = shared.work.wait(st).unwrap_or_else(|p| p.into_inner());
        }
        if st.closing && st.queue.is_empty() && !st.outbox_due {
            return;
        }
        // Nobody waits yet: let companions arrive for a while (one append for many).
        while !st.urgent && !st.closing {
            let since = *st.since.get_or_insert_with(Instant::now);
            let left = MAX_WAIT.saturating_sub(since.elapsed());
            if left.is_zero() {
                break;
            }
            st = shared
                .work
                .wait_timeout(st, left)
                .unwrap_or_else(|p| p.into_inner())
                .0;
        }
        let batch = std::mem::take(&mut st.queue);
        st.outbox_due = false;
        st.urgent = false;
        st.since = None;
        let (first, last) = (st.processed + 1, st.processed + batch.len() as u64);
        drop(st);
        // Whatever arrives while this append is made durable forms the next batch.
        let outcome = drain(log, store, batch);
        let mut st = shared.lock();
        if let Err(e) = &outcome {
            tracing::error!(error = %e, "audit log append failed");
            if last >= first {
                st.failures.push((first, last, e.to_string()));
                let keep = st.failures.len().saturating_sub(64);
                st.failures.drain(..keep);
            }
        }
        st.processed = st.processed.max(last);
        shared.done.notify_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn journal() -> (tempfile::TempDir, Journal, Arc<store::SqliteStore>) {
        let dir = tempfile::tempdir().unwrap();
        let store = Arc::new(store::SqliteStore::create(dir.path()).unwrap());
        let key = ed25519_dalek::SigningKey::from_bytes(&[7; 32]);
        let log = Arc::new(Mutex::new(AuditLog::create(dir.path(), key).unwrap()));
        let j = Journal::new(log, store.clone());
        (dir, j, store)
    }

    fn root(name: &str) -> store::ApiRoot {
        store::ApiRoot {
            name: name.into(),
            title: name.into(),
            description: None,
            max_content_length: 1,
        }
    }

    fn entries(j: &Journal) -> Vec<String> {
        let mut out = Vec::new();
        j.log()
            .lock()
            .unwrap()
            .for_each_entry(0, &mut |_, b| {
                out.push(String::from_utf8(b.to_vec()).unwrap());
                std::ops::ControlFlow::Continue(())
            })
            .unwrap();
        out
    }

    #[test]
    fn concurrent_reads_are_all_durable_when_their_tickets_return() {
        let (_d, j, _s) = journal();
        j.start().unwrap();
        std::thread::scope(|s| {
            for t in 0..4 {
                let j = &j;
                s.spawn(move || {
                    for i in 0..250 {
                        // Half of them urgent; a wait makes the others urgent too.
                        let ticket = j
                            .record(format!("{{\"t\":{t},\"i\":{i}}}").into_bytes(), i % 2 == 0)
                            .unwrap();
                        j.wait(ticket).unwrap();
                        // Durable means: in the log, under a signed head, now.
                        let log = j.log().lock().unwrap();
                        assert!(log.size().unwrap() >= 1);
                    }
                });
            }
        });
        j.close().unwrap();
        let log = j.log().lock().unwrap();
        assert_eq!(log.size().unwrap(), 1000);
        assert_eq!(log.verify(&log.public_key()).unwrap(), Ok(1000));
    }

    #[test]
    fn outbox_entries_reach_the_log_in_commit_order_and_once() {
        let (_d, j, s) = journal();
        s.create_api_root(&root("r"), b"{\"n\":1}").unwrap();
        j.written().unwrap();
        let t = j.record(b"{\"n\":2}".to_vec(), true).unwrap();
        j.wait(t).unwrap();
        s.create_api_root(&root("q"), b"{\"n\":3}").unwrap();
        // A second journal on the same node (another process) and a settle: nothing twice.
        let other = Journal::new(j.log().clone(), s.clone());
        other.settle().unwrap();
        j.settle().unwrap();
        assert_eq!(entries(&j), ["{\"n\":1}", "{\"n\":2}", "{\"n\":3}"]);
        assert!(s.outbox(0).unwrap().is_empty());
    }

    #[test]
    fn a_serving_journal_takes_outbox_entries_without_being_asked_twice() {
        let (_d, j, s) = journal();
        j.start().unwrap();
        s.create_api_root(&root("r"), b"{\"w\":1}").unwrap();
        j.written().unwrap();
        let t = j.record(b"{\"r\":1}".to_vec(), false).unwrap();
        j.wait(t).unwrap();
        assert_eq!(entries(&j), ["{\"w\":1}", "{\"r\":1}"]);
        j.close().unwrap();
    }
}
