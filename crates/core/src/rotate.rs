//! Node key rotation (`symbolon key rotate`): the node gets a new key and everything that
//! names its key is handed over to it, so that peers follow and nothing signed before
//! stops verifying.
//!
//! 1. The new key is written to `node.key.next` (a rotation found there is resumed with it;
//!    while it is there, the node does not open for anything else).
//! 2. Under an agreement, the node records a designation of its own authority with the new
//!    key, signed with the old one (Art. 5.1 as the ledger models it): the record peers
//!    take at their next sync — from the records exchange, or from the handover header on
//!    this node's requests and answers — and that re-keys this node in their trust.
//! 3. The audit log hands over (`audit::handover`): heads up to the handover entry are the
//!    old key's, every later one the new key's, so old heads still verify and peers' witnessed
//!    heads still extend.
//!    One `key_rotated` entry follows under the new key, so that the log's latest head —
//!    what peers witness — is always the current key's.
//! 4. `node.key.next` becomes `node.key`.
//!
//! Each step is done at most once whatever the point of a crash: the designation is looked
//! for before it is made, the handover is recognised by the log's last one, and the rename
//! is last. The whole rotation holds the serving lock, so no `serve` runs meanwhile.

use crate::agreement::Notice;
use crate::{Core, CoreError, Result, dir};
use ed25519_dalek::SigningKey;
use policy::ledger::{Designated, Record};
use std::path::Path;

/// What a rotation did.
#[derive(Debug, Clone)]
pub struct Rotated {
    pub old_key: String,
    pub new_key: String,
    /// The designation recorded (none when the node is under no agreement).
    pub designation: Option<String>,
    /// The audit log entry of the handover.
    pub handover_entry: u64,
}

impl Core {
    /// Rotates the node key of the node in `dir` (or finishes an interrupted rotation).
    pub fn rotate_key(dir: &Path) -> Result<Rotated> {
        if !dir::holds_node(dir) {
            return Err(CoreError::NoNode {
                path: dir.display().to_string(),
            });
        }
        let _lock = dir::lock_for(dir, "symbolon key rotate").map_err(|e| match e {
            CoreError::Busy(why) => CoreError::Busy(format!(
                "{why}: stop it first, a key is rotated while the node is not serving"
            )),
            e => e,
        })?;
        let old = dir::load_key(dir)?;
        let next_path = dir.join(dir::NEXT_KEY_FILE);
        let new = if next_path.exists() {
            dir::load_key_file(&next_path)?
        } else {
            dir::create_key_file(&next_path)?
        };
        // Handed over already (a crash before the rename): the log's last handover is to it.
        let handed_over = audit::AuditLog::open(dir, new.clone())?
            .handovers()
            .ok()
            .and_then(|chain| chain.last().map(|(entry, _)| *entry));
        let (designation, handover_entry) = if let Some(entry) = handed_over {
            (None, entry)
        } else {
            let core = Core::open_with_key(dir, Some(old.clone()))?;
            let designation = core.designate_own_key(&new)?;
            core.journal().settle()?;
            let entry = core
                .journal()
                .log()
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .append_handover(&crate::events::now(), new.clone())?;
            (designation, entry)
        };
        // The head covering the handover is the old key's; peers that follow the rotation
        // check heads with the new key, so one entry under the new key comes right after.
        // The log is opened again for it: a log opened before the handover holds the old
        // key epoch and may not append.
        {
            let mut log = audit::AuditLog::open(dir, new.clone())?;
            let current = log
                .latest_head()?
                .is_some_and(|h| h.verify(&new.verifying_key()));
            if !current {
                log.append(&[crate::events::Event::KeyRotated {
                    at: crate::events::now(),
                    old_key: hex::encode(old.verifying_key().to_bytes()),
                    new_key: hex::encode(new.verifying_key().to_bytes()),
                    designation: designation.as_deref(),
                }
                .canonical()?])?;
            }
        }
        std::fs::rename(&next_path, dir.join(dir::KEY_FILE)).map_err(crate::failed(&format!(
            "moving {} into place",
            next_path.display()
        )))?;
        if let Ok(d) = std::fs::File::open(dir) {
            let _ = d.sync_all();
        }
        Ok(Rotated {
            old_key: hex::encode(old.verifying_key().to_bytes()),
            new_key: hex::encode(new.verifying_key().to_bytes()),
            designation,
            handover_entry,
        })
    }

    /// This node's designation of itself with its current key, signed with the key before
    /// (its latest key rotation, as peers take it), if its key was ever rotated under the
    /// agreement. Asked for every peer client a sync makes: a node that never rotated reads
    /// nothing, and one that did reads its designations without deriving the terms.
    pub fn own_rotation(&self) -> Result<Option<policy::ledger::Signed>> {
        let Some(previous) = self.retired_keys().last() else {
            return Ok(None);
        };
        let Some((doc, _)) = self.store().agreement()? else {
            return Ok(None);
        };
        let current = self.key().verifying_key().to_bytes();
        Ok(crate::agreement::signed_records(self.store())?
            .into_iter()
            .rev()
            .find(|s| s.rotation_of(&doc.authority, previous) == Some(current)))
    }

    /// Records the designation of this node's authority with `new`'s key, signed with the
    /// current key, unless one is held already (a resumed rotation). `None` when the node
    /// is under no agreement.
    fn designate_own_key(&self, new: &SigningKey) -> Result<Option<String>> {
        let Some(state) = self.agreement_state(policy::lifecycle::Day::today())? else {
            return Ok(None);
        };
        let (old, new_key) = (
            self.key().verifying_key().to_bytes(),
            new.verifying_key().to_bytes(),
        );
        if let Some(held) = state
            .notifications
            .iter()
            .find(|s| s.rotation_of(&state.authority, &old) == Some(new_key))
        {
            return Ok(Some(held.record.id().to_owned()));
        }
        let own = |s: &&policy::ledger::Signed| match &s.record {
            Record::Designation(n) => n
                .designated
                .as_ref()
                .is_some_and(|d| d.id == state.authority && n.recorded_by == state.authority),
            _ => false,
        };
        // The name and URL the authority is known by: its latest designation's, else the
        // agreement file's.
        let latest = state
            .notifications
            .iter()
            .filter(own)
            .filter_map(|s| s.record.notification()?.designated.clone())
            .next_back();
        let listed = state.agreement.authority(&state.authority).map(|(_, a)| a);
        let designated = Designated {
            id: state.authority.clone(),
            name: latest
                .as_ref()
                .map(|d| d.name.clone())
                .or_else(|| listed.map(|a| policy::agreement::localized(&a.name, "en").to_owned()))
                .unwrap_or_else(|| state.authority.clone()),
            public_key: hex::encode(new_key),
            node_url: latest
                .and_then(|d| d.node_url)
                .or_else(|| listed.and_then(|a| a.node_url.clone())),
        };
        let signed = self.notify(
            Notice::Designation(designated),
            &state.party,
            policy::lifecycle::Day::today(),
        )?;
        Ok(Some(signed.record.id().to_owned()))
    }
}
