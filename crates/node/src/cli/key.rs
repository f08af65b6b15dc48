//! `symbolon key`: the node's key.

use crate::DataDir;
use anyhow::Result;
use clap::Subcommand;
use symbolon_core::Core;

#[derive(Subcommand)]
pub enum KeyCmd {
    /// Give the node a new key (with the node stopped): a designation of this node's
    /// authority with the new key, signed with the old one, is recorded for the peers (they
    /// take it at their next sync), and the audit log is handed over to the new key (old
    /// tree heads keep verifying with the old one). Run it again to finish a rotation that
    /// was interrupted.
    Rotate {
        #[command(flatten)]
        data: DataDir,
    },
}

pub fn key(cmd: KeyCmd) -> Result<i32> {
    match cmd {
        KeyCmd::Rotate { data } => {
            let r = Core::rotate_key(&data.dir)?;
            node::outln!("node key rotated: {} -> {}", r.old_key, r.new_key);
            match &r.designation {
                Some(id) => node::outln!(
                    "designation {id} recorded: peers take the new key at their next sync"
                ),
                None => node::outln!(
                    "no agreement yet: no designation was needed (peers added later take the new key)"
                ),
            }
            node::outln!(
                "audit log handed over at entry {}: heads before it stay signed by the old key",
                r.handover_entry
            );
            Ok(0)
        }
    }
}
