//! One long-lived thread that takes work off a request's thread (`Core::ingest_with`
//! admits a large request there while the request's thread writes it). Long-lived because
//! a thread started per request pays for its allocator's fresh memory every time: on this
//! machine a third of a 1,000-object POST went to zeroing new pages.

use crate::{CoreError, Result};
use std::sync::Mutex;
use std::sync::mpsc::{Sender, channel};

type Job = Box<dyn FnOnce() + Send + 'static>;

#[derive(Default)]
pub(crate) struct Helper {
    queue: Mutex<Option<Sender<Job>>>,
}

impl Helper {
    /// Starts the thread now (a serving node does, with its other threads), so the first
    /// large request does not pay for starting it; a no-op once it runs.
    pub(crate) fn start(&self) -> Result<()> {
        self.run(Box::new(|| {}))
    }

    /// Runs `job` on the helper thread (started on first use), after the jobs before it.
    pub(crate) fn run(&self, job: Job) -> Result<()> {
        let mut queue = self.queue.lock().unwrap_or_else(|p| p.into_inner());
        let job = match queue.as_ref() {
            Some(q) => match q.send(job) {
                Ok(()) => return Ok(()),
                // The thread is gone (a job panicked): a new one takes the job.
                Err(returned) => returned.0,
            },
            None => job,
        };
        let (send, receive) = channel::<Job>();
        std::thread::Builder::new()
            .name("ingest-helper".into())
            .spawn(move || {
                for job in receive {
                    job();
                }
            })
            .map_err(|e| CoreError::Failed(format!("starting the ingest helper thread: {e}")))?;
        send.send(job)
            .map_err(|_| CoreError::Failed("the ingest helper thread stopped".into()))?;
        *queue = Some(send);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::Helper;
    use std::sync::mpsc::channel;

    /// The thread a job ran on, as seen from the job.
    fn thread_of(helper: &Helper) -> (Option<String>, std::thread::ThreadId) {
        let (send, receive) = channel();
        helper
            .run(Box::new(move || {
                let me = std::thread::current();
                let _ = send.send((me.name().map(str::to_owned), me.id()));
            }))
            .unwrap();
        receive.recv().unwrap()
    }

    #[test]
    fn started_once_every_job_runs_on_the_one_named_thread() {
        let helper = Helper::default();
        helper.start().unwrap();
        let first = thread_of(&helper);
        helper.start().unwrap();
        let second = thread_of(&helper);
        assert_eq!(first.0.as_deref(), Some("ingest-helper"));
        assert_eq!(first, second, "a second start made a second thread");
        assert_ne!(first.1, std::thread::current().id());
    }
}
