//! The commands' argument shapes and what they print; the work is the core's.

pub mod admin;
pub mod agreement;
pub mod audit;
pub mod correlate;
pub mod data;
pub mod key;
pub mod ledger;
pub mod node;
pub mod peer;
pub mod respond;

use crate::DataDir;
use anyhow::Result;
use symbolon_core::Core;

/// Runs `f` on the node in `data` and settles its audit journal afterwards (entries the
/// command's writes left in the outbox are in the log when the command exits).
pub fn with_node<T>(data: &DataDir, f: impl FnOnce(&Core) -> Result<T>) -> Result<T> {
    let core = node::open(&data.dir)?;
    let out = f(&core);
    let settled = core.journal().settle();
    let out = out?;
    settled?;
    Ok(out)
}

/// Reads a text from a file, or stdin for `-`.
pub fn read_text(path: &str) -> Result<String> {
    use anyhow::Context;
    if path == "-" {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut std::io::stdin(), &mut s).context("reading stdin")?;
        Ok(s)
    } else {
        std::fs::read_to_string(path).with_context(|| format!("reading {path}"))
    }
}

/// Prints a list: a header line naming its tab-separated columns, then one line per row,
/// or `none` under the header when there are no rows (an empty answer and a command that
/// printed nothing look alike otherwise).
pub fn table(header: &str, rows: impl IntoIterator<Item = String>) {
    ::node::outln!("{header}");
    let mut any = false;
    for r in rows {
        any = true;
        ::node::outln!("{r}");
    }
    if !any {
        ::node::outln!("none");
    }
}
