//! Group commit for the serving path: requests hand their decision entries to a `Recorder`
//! and carry on; one thread appends what has queued up in one transaction with one signed
//! tree head. A GET page costs a channel send instead of an fsync and a signature.
//!
//! The bound on loss: an entry is durable within `MAX_WAIT` of its request (plus the
//! append's own fsync); a node killed in that window loses at most those entries, never
//! any already in the log, and the log stays verifiable. Writes that acknowledge durable
//! state (imports, ledger records) append synchronously through `AuditLog::append` instead.

use crate::AuditLog;
use std::sync::mpsc::{self, RecvTimeoutError, SyncSender};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// Longest an entry waits for companions before its batch is appended.
pub const MAX_WAIT: Duration = Duration::from_millis(20);
/// Most entries per append.
const MAX_BATCH: usize = 2_000;
/// Entries that may wait; a request blocks (never drops its entry) beyond this.
const QUEUE: usize = 50_000;

pub struct Recorder {
    tx: Mutex<Option<SyncSender<Vec<u8>>>>,
    worker: Mutex<Option<JoinHandle<()>>>,
}

impl Recorder {
    /// Starts the appending thread on `log`.
    pub fn start(log: Arc<Mutex<AuditLog>>) -> Arc<Recorder> {
        let (tx, rx) = mpsc::sync_channel::<Vec<u8>>(QUEUE);
        let worker = std::thread::Builder::new()
            .name("audit-recorder".into())
            .spawn(move || {
                while let Ok(first) = rx.recv() {
                    let mut batch = vec![first];
                    let deadline = Instant::now() + MAX_WAIT;
                    while batch.len() < MAX_BATCH {
                        let left = deadline.saturating_duration_since(Instant::now());
                        match rx.recv_timeout(left) {
                            Ok(e) => batch.push(e),
                            Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => {
                                break;
                            }
                        }
                    }
                    let mut log = log.lock().unwrap_or_else(|p| p.into_inner());
                    if let Err(e) = log.append(&batch) {
                        // The serving node keeps serving; the operator sees why entries are
                        // missing, and `audit verify` still checks what is there.
                        eprintln!("audit: could not append {} entries: {e}", batch.len());
                    }
                }
            })
            .ok();
        Arc::new(Recorder {
            tx: Mutex::new(Some(tx)),
            worker: Mutex::new(worker),
        })
    }

    /// Queues an entry for the next batch.
    pub fn submit(&self, entry: Vec<u8>) {
        let tx = self.tx.lock().unwrap_or_else(|p| p.into_inner()).clone();
        if let Some(tx) = tx {
            let _ = tx.send(entry);
        }
    }

    /// Appends everything queued and stops the thread (at shutdown).
    pub fn close(&self) {
        self.tx.lock().unwrap_or_else(|p| p.into_inner()).take();
        if let Some(w) = self.worker.lock().unwrap_or_else(|p| p.into_inner()).take() {
            let _ = w.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_submitted_concurrently_are_all_appended_by_close() {
        let dir = tempfile::tempdir().unwrap();
        let key = ed25519_dalek::SigningKey::from_bytes(&[7; 32]);
        let log = Arc::new(Mutex::new(AuditLog::open(dir.path(), key.clone()).unwrap()));
        let rec = Recorder::start(log.clone());
        std::thread::scope(|s| {
            for t in 0..4 {
                let rec = &rec;
                s.spawn(move || {
                    for i in 0..250 {
                        rec.submit(format!("{{\"t\":{t},\"i\":{i}}}").into_bytes());
                    }
                });
            }
        });
        rec.close();
        let log = log.lock().unwrap();
        assert_eq!(log.size().unwrap(), 1000);
        assert_eq!(log.verify(&key.verifying_key()).unwrap(), Ok(1000));
    }
}
