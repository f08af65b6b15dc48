//! A large write admitted on two threads while it is split and written.
//!
//! The request's thread splits the text into objects and publishes where each lies, a chunk
//! at a time; from [`OVERLAP_FROM`] objects on, the helper thread claims published chunks
//! and admits them (validation and the policy's decision) meanwhile. Once the split is done
//! the request's thread writes every admitted chunk in one transaction, admitting chunks
//! itself whenever none is waiting for it. Splitting, admitting and writing cost about the
//! same per object (ATT&CK ICS on this machine: ~1.5, ~7 and ~7 ms per 1,000 objects), so
//! the request costs about half their sum instead of their sum.

use super::{AdmittedChunk, Intake, Status, Tally, Verdict};
use crate::{Core, Result};
use std::ops::Range;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, PoisonError, mpsc};

/// From this many objects a request is admitted on a second thread while it is written;
/// below, a thread costs more than it saves.
pub(super) const OVERLAP_FROM: usize = 256;
/// Objects admitted per chunk handed to the writing thread.
const CHUNK: usize = 64;

/// Where a request's objects lie in its text, as far as the split has found them.
#[derive(Default)]
struct Found {
    spans: Vec<Range<usize>>,
    /// The split ended (read through, or failed): no more spans will come.
    done: bool,
}

/// A large request: its text, the spans found in it, and the next chunk to claim.
pub(super) struct Chunks {
    text: Arc<String>,
    found: Mutex<Found>,
    more: Condvar,
    next: AtomicUsize,
    intake: Intake,
}

impl Chunks {
    fn new(text: Arc<String>, intake: &Intake) -> Arc<Chunks> {
        Arc::new(Chunks {
            text,
            found: Mutex::default(),
            more: Condvar::new(),
            next: AtomicUsize::new(0),
            intake: intake.clone(),
        })
    }

    fn publish(&self, spans: &mut Vec<Range<usize>>, done: bool) {
        let mut found = self.found.lock().unwrap_or_else(PoisonError::into_inner);
        found.spans.append(spans);
        found.done |= done;
        self.more.notify_all();
    }

    /// Admits the next chunk nobody has claimed yet, waiting for the split to reach it;
    /// `None` once all are claimed (or the split ended short of it).
    fn claim(&self) -> Option<AdmittedChunk> {
        let c = self.next.fetch_add(1, Ordering::Relaxed);
        let start = c.checked_mul(CHUNK)?;
        let spans: Vec<Range<usize>> = {
            let mut found = self.found.lock().unwrap_or_else(PoisonError::into_inner);
            while found.spans.len() < start.saturating_add(CHUNK) && !found.done {
                found = self
                    .more
                    .wait(found)
                    .unwrap_or_else(PoisonError::into_inner);
            }
            found
                .spans
                .get(start..)?
                .iter()
                .take(CHUNK)
                .cloned()
                .collect()
        };
        if spans.is_empty() {
            return None;
        }
        // A span is a slice the split took from this text, so it is always in it.
        let texts = spans
            .into_iter()
            .map(|span| self.text.get(span).unwrap_or_default());
        Some(AdmittedChunk::admit(&self.intake, start, texts))
    }
}

/// The split's side of [`Chunks`]: collects spans, and once the helper admits (`live`)
/// publishes them a chunk at a time. Dropped (the split read through, failed, or panicked),
/// it marks the split ended, so no claim waits for spans that will never come.
struct Publisher {
    chunks: Arc<Chunks>,
    pending: Vec<Range<usize>>,
    /// Spans found so far, published or not.
    found: usize,
    live: bool,
}

impl Publisher {
    fn push(&mut self, span: Range<usize>) {
        self.pending.push(span);
        self.found += 1;
        if self.live && self.pending.len() >= CHUNK {
            self.chunks.publish(&mut self.pending, false);
        }
    }
}

impl Drop for Publisher {
    fn drop(&mut self) {
        self.chunks.publish(&mut self.pending, true);
    }
}

/// A request whose split has begun, and whether the helper is admitting it yet.
pub(super) struct Overlap {
    chunks: Arc<Chunks>,
    publisher: Option<Publisher>,
    receive: mpsc::Receiver<AdmittedChunk>,
    send: Option<mpsc::Sender<AdmittedChunk>>,
}

impl Overlap {
    pub(super) fn new(text: Arc<String>, intake: &Intake) -> Overlap {
        let chunks = Chunks::new(text, intake);
        // Unbounded: the helper must never wait on this request's writer, which may itself
        // be waiting for the store's write lock held by another request whose chunks the
        // helper has yet to admit (a bounded channel deadlocked two large POSTs). What it
        // holds is this request's objects, which are in memory anyway.
        let (send, receive) = mpsc::channel::<AdmittedChunk>();
        Overlap {
            publisher: Some(Publisher {
                chunks: chunks.clone(),
                pending: Vec::with_capacity(OVERLAP_FROM),
                found: 0,
                live: false,
            }),
            chunks,
            receive,
            send: Some(send),
        }
    }

    /// Records the next object found at `span` of the text; at [`OVERLAP_FROM`] objects the
    /// helper starts admitting.
    pub(super) fn found(&mut self, core: &Core, span: Range<usize>) -> Result<()> {
        let Some(p) = self.publisher.as_mut() else {
            return Ok(());
        };
        p.push(span);
        if p.found == OVERLAP_FROM {
            p.live = true;
            self.chunks.publish(&mut p.pending, false);
            self.help(core)?;
        }
        Ok(())
    }

    fn help(&mut self, core: &Core) -> Result<()> {
        let Some(send) = self.send.take() else {
            return Ok(());
        };
        let helping = self.chunks.clone();
        core.helper.run(Box::new(move || {
            while let Some(chunk) = helping.claim() {
                // The writer gave up (its write failed, or the split did): nothing more
                // to admit.
                if send.send(chunk).is_err() {
                    return;
                }
            }
        }))
    }

    /// Ends a split that found fewer than [`OVERLAP_FROM`] objects: their spans (the caller
    /// admits them itself); `None` for a larger one (write it with [`Overlap::write`]).
    pub(super) fn split_done(&mut self) -> Option<Vec<Range<usize>>> {
        let p = self.publisher.as_mut()?;
        if p.found >= OVERLAP_FROM {
            return None;
        }
        let spans = std::mem::take(&mut p.pending);
        self.publisher = None;
        Some(spans)
    }

    /// Writes every chunk, admitted by the helper or here, in one transaction
    /// ([`store::Store::add_objects_reporting`]) with the status `status` builds; one
    /// verdict per object, in order.
    pub(super) fn write(
        mut self,
        core: &Core,
        intake: &Intake,
        status: Option<Status<'_>>,
    ) -> Result<Vec<Verdict>> {
        // The helper started at the OVERLAP_FROM-th object; ending the split lets it
        // claim the last chunks.
        drop(self.publisher.take());
        let objects = self
            .chunks
            .found
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .spans
            .len();
        let total = objects.div_ceil(CHUNK);
        let tally = Tally::new(objects);
        let received = std::cell::Cell::new(0usize);
        let (chunks, receive) = (&self.chunks, &self.receive);
        let mut admitted = std::iter::from_fn(|| {
            if received.get() == total {
                return None;
            }
            // Admitted by the helper and waiting, else one admitted here, else (every chunk
            // claimed) the helper's last ones. The helper gone with a chunk it claimed (it
            // panicked): `None` before every chunk arrived, and the write fails.
            let chunk = match receive.try_recv() {
                Ok(chunk) => Some(chunk),
                Err(_) => chunks.claim().or_else(|| receive.recv().ok()),
            }?;
            received.set(received.get() + 1);
            let AdmittedChunk {
                objects,
                places,
                refusals,
            } = chunk;
            let mut t = tally.borrow_mut();
            t.index.extend(places);
            t.refused.extend(refusals);
            Some(objects)
        });
        // Admission stopped short (the helper failed): the transaction is not committed, so
        // nothing of the request is half-written.
        let whole = || received.get() == total;
        core.write_tallied(intake, &tally, &mut admitted, &whole, status)
    }
}
