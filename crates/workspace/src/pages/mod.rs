//! The workspace's pages, one module each.

pub mod agreement;
pub mod collections;
pub mod consents;
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
