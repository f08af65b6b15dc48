//! The workspace's pages, one module each.

pub mod agreement;
pub mod collections;
pub mod consents;
pub mod definitions;
pub mod incidents;
pub mod login;
pub mod object;
pub mod objects;
pub mod operate;
pub mod search;
pub mod summary;
pub mod transfer;

use crate::view;
use axum::response::{Redirect, Response};

pub async fn to_home() -> Redirect {
    Redirect::permanent("/ui/")
}

/// Any other path under `/ui/`: "nothing here", signed in or not.
pub async fn not_found(v: view::Viewer) -> Response {
    view::not_found(&v)
}

/// Runs the core's (blocking) work off the async runtime.
pub(crate) async fn blocking<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    match tokio::task::spawn_blocking(f).await {
        Ok(t) => t,
        Err(e) => std::panic::resume_unwind(e.into_panic()),
    }
}

/// Where a walk through a collection stopped.
pub(crate) struct Walked {
    /// Versions handed over.
    pub looked: usize,
    /// The position a next walk starts after (`None`: nothing follows).
    pub resume: Option<i64>,
    /// It stopped because `most` versions were looked at, not because it was done.
    pub cut: bool,
}

/// How to walk a collection: which endpoint the reads are recorded as, how many versions
/// each read hands over, how many to look at in all.
pub(crate) struct Walk {
    pub endpoint: &'static str,
    pub chunk: usize,
    pub most: usize,
}

impl Walk {
    /// Hands each version `user` may receive from `collection` (as `want` selects, after
    /// `want.after`) to `take`, in reads of `chunk` versions through the core (each decided
    /// and recorded like any read), until `take` breaks (after taking that version), the
    /// collection ends, or `most` versions were looked at. Paging by the position of the
    /// last version taken never skips one.
    pub fn run(
        &self,
        core: &symbolon_core::Core,
        user: &view::Viewer,
        collection: &store::Collection,
        mut want: symbolon_core::Want,
        mut take: impl FnMut(&store::Row) -> std::ops::ControlFlow<()>,
    ) -> Result<Walked, symbolon_core::CoreError> {
        let Walk {
            endpoint,
            chunk,
            most,
        } = *self;
        want.limit = Some(chunk);
        let mut looked = 0;
        loop {
            let mut taken = want.after;
            // Some(whether on the read's last version) once `take` broke.
            let mut stopped: Option<bool> = None;
            let (more, through) =
                core.read(&user.caller(), endpoint, collection, None, &want, |page| {
                    for (i, row) in page.rows.iter().enumerate() {
                        taken = Some(row.date_added);
                        looked += 1;
                        if take(row).is_break() {
                            stopped = Some(i + 1 == page.rows.len());
                            break;
                        }
                    }
                    (page.more, page.through)
                })?;
            match stopped {
                // Stopped on the collection's last version: nothing follows.
                Some(on_last) => {
                    return Ok(Walked {
                        looked,
                        resume: if on_last && !more { None } else { taken },
                        cut: false,
                    });
                }
                None if !more => {
                    return Ok(Walked {
                        looked,
                        resume: None,
                        cut: false,
                    });
                }
                None => {}
            }
            // Every version of this read was taken: resume after the last one decided.
            want.after = through.or(taken);
            if looked >= most {
                return Ok(Walked {
                    looked,
                    resume: want.after,
                    cut: true,
                });
            }
        }
    }
}
