//! The agreement's signed records that travel at every sync (consents, revocations,
//! notices, consent requests, lifecycle notifications: one model, one endpoint). Each is
//! checked by the core against its signer's key; one this node cannot check yet (its
//! signer is designated by a record still to come) is left for a later run.

use anyhow::{Context, Result};
use federation::wire::Records;
use symbolon_core::Core;

/// Keeps the records a peer sent (`rotation::records_first` asked for them, all of them:
/// records are kept once per id, and a record refused today — a designation not yet
/// received — may be accepted at a later run). Returns the records kept: (ledger records,
/// lifecycle notifications).
pub fn take(core: &Core, got: &Records) -> Result<(usize, usize)> {
    let records = got
        .records
        .iter()
        .map(|r| {
            serde_json::from_str::<policy::ledger::Signed>(r.get())
                .context("a record from the peer is not a signed record of the agreement")
        })
        .collect::<Result<Vec<_>>>()?;
    let (notifications, ledger): (Vec<_>, Vec<_>) = records
        .into_iter()
        .partition(|s| s.record.notification().is_some());
    let mut kept = (0, 0);
    for (set, n) in [(notifications, &mut kept.1), (ledger, &mut kept.0)] {
        let (k, refused) = core.accept_records(&set)?;
        *n = k;
        for (id, why) in refused {
            tracing::warn!(record = %id, error = %why, "record from a peer refused");
        }
    }
    Ok(kept)
}
