//! `symbolon audit`: verify the log and its coverage of the store; heads and proofs.

use super::with_node;
use crate::DataDir;
use anyhow::Result;
use clap::Subcommand;

#[derive(Subcommand)]
pub enum AuditCmd {
    /// Recompute the log from its entries and compare its account of every write with what
    /// each collection holds; exit 1 naming the first damage or the versions unaccounted.
    Verify {
        #[command(flatten)]
        data: DataDir,
    },
    /// Print the latest signed tree head and the node's public key (JSON).
    Head {
        #[command(flatten)]
        data: DataDir,
    },
    /// Print an entry with its inclusion proof in the tree of SIZE entries (JSON).
    Prove {
        #[command(flatten)]
        data: DataDir,
        /// Entry index (from 0).
        #[arg(long)]
        entry: u64,
        /// Tree size (default: the latest signed head).
        #[arg(long)]
        size: Option<u64>,
    },
    /// Print the consistency proof between two tree sizes (JSON).
    Consistency {
        #[command(flatten)]
        data: DataDir,
        /// The smaller tree size.
        #[arg(long)]
        from: u64,
        /// The larger tree size (default: the latest signed head).
        #[arg(long)]
        to: Option<u64>,
    },
}

fn print_json(v: &serde_json::Value) -> Result<()> {
    node::outln!("{}", serde_json::to_string_pretty(v)?);
    Ok(())
}

pub fn audit(cmd: AuditCmd) -> Result<i32> {
    match cmd {
        AuditCmd::Verify { data } => with_node(&data, |core| {
            let report = core.verify_audit()?;
            let mut code = 0;
            match &report.tamper {
                None => node::outln!(
                    "audit log intact: {} entries, every tree head signed by this node",
                    report.entries
                ),
                Some(t) => {
                    eprintln!("audit log TAMPERED: {t}");
                    code = 1;
                }
            }
            for c in &report.collections {
                let state = if c.problem_count == 0 {
                    "covered"
                } else {
                    code = 1;
                    "NOT COVERED"
                };
                node::outln!(
                    "collection {} ({}): {} versions stored, {} accounted for by the log, sha256 {}: {state}",
                    c.id,
                    c.title,
                    c.stored,
                    c.accounted,
                    c.sha256
                );
                for p in &c.problems {
                    eprintln!("  {p}");
                }
                if c.problem_count > c.problems.len() {
                    eprintln!("  … and {} more", c.problem_count - c.problems.len());
                }
            }
            for d in &report.deleted {
                if d.covered() {
                    node::outln!(
                        "collection {} ({}): deleted by entry {} with its {} versions, as the log accounted: covered",
                        d.id,
                        d.title,
                        d.entry,
                        d.versions
                    );
                } else {
                    eprintln!(
                        "collection {} ({}): entry {} deletes {} versions, but the log accounted for {}: NOT COVERED",
                        d.id, d.title, d.entry, d.versions, d.accounted
                    );
                    code = 1;
                }
            }
            for id in &report.orphans {
                eprintln!(
                    "the log accounts for versions of collection {id}, which the store does not hold"
                );
                code = 1;
            }
            Ok(code)
        }),
        AuditCmd::Head { data } => with_node(&data, |core| {
            let log = core
                .journal()
                .log()
                .lock()
                .unwrap_or_else(|p| p.into_inner());
            print_json(&audit::report::head(&log)?)?;
            Ok(0)
        }),
        AuditCmd::Prove { data, entry, size } => with_node(&data, |core| {
            let log = core
                .journal()
                .log()
                .lock()
                .unwrap_or_else(|p| p.into_inner());
            print_json(&audit::report::inclusion(&log, entry, size)?)?;
            Ok(0)
        }),
        AuditCmd::Consistency { data, from, to } => with_node(&data, |core| {
            let log = core
                .journal()
                .log()
                .lock()
                .unwrap_or_else(|p| p.into_inner());
            print_json(&audit::report::consistency(&log, from, to)?)?;
            Ok(0)
        }),
    }
}
