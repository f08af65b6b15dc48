//! The `symbolon` node as a library: the front doors that are not TAXII (the CLI's
//! presentation, sync with peer nodes, the demo) and the wiring of a serving node. Every
//! read and write goes through `symbolon_core`; `main.rs` parses arguments and prints.

pub mod demo;
pub mod openapi;
pub mod out;
pub mod serve;
pub mod status;
pub mod sync;

use anyhow::Result;
use std::path::Path;

/// Opens the node in `dir` (an error naming the path and `symbolon init` if it holds none).
pub fn open(dir: &Path) -> Result<symbolon_core::Core> {
    Ok(symbolon_core::Core::open(dir)?)
}
