//! The node's membership in an agreement and the signed lifecycle notifications it holds.
//!
//! A node is one competent authority of one party under one agreement: `init` copies the
//! agreement file into the data directory and records which authority the node is. A
//! notification (ratification received, termination notice received) is recorded as a
//! record signed with the node's key over its RFC 8785 form, so it can be exported and
//! accepted by the other parties' nodes, which check the signature against the keys the
//! agreement lists.

use crate::Node;
use crate::events::Event;
use anyhow::{Context, Result, bail};
use ed25519_dalek::{Signature, Signer, Verifier, VerifyingKey};
use policy::agreement::Agreement;
use policy::lifecycle::{Day, Lifecycle, Notification};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

pub const AGREEMENT_FILE: &str = "agreement.toml";
pub const MEMBERSHIP_FILE: &str = "membership.json";
pub const NOTIFICATIONS_FILE: &str = "notifications.json";

/// Which party and authority this node is.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Membership {
    pub party: String,
    pub authority: String,
}

/// A lifecycle notification as recorded by a competent authority's node.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Record {
    pub agreement: String,
    /// `ratification` or `termination`.
    pub kind: String,
    pub party: String,
    /// Day the notification was received through diplomatic channels (YYYY-MM-DD).
    pub received: String,
    pub recorded_by: String,
    pub recorded_at: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Signed {
    pub record: Record,
    /// Hex Ed25519 public key of the recording node.
    pub public_key: String,
    /// Hex Ed25519 signature over the RFC 8785 form of `record`.
    pub signature: String,
}

fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let tmp = path.with_extension("partial");
    std::fs::write(&tmp, bytes).with_context(|| format!("writing {}", tmp.display()))?;
    std::fs::File::open(&tmp)?.sync_all()?;
    std::fs::rename(&tmp, path).with_context(|| format!("replacing {}", path.display()))
}

/// Reads and validates an agreement file.
pub fn load_agreement(path: &Path) -> Result<Agreement> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    Agreement::parse(&text).with_context(|| format!("in {}", path.display()))
}

/// Makes the node in `dir` the given authority of the given party under the agreement.
pub fn init(
    node: &Node,
    dir: &Path,
    file: &Path,
    party: &str,
    authority: &str,
) -> Result<Agreement> {
    let agreement = load_agreement(file)?;
    if agreement.party(party).is_none() {
        bail!("the agreement has no party `{party}`");
    }
    if let Some((p, a)) = agreement.authority(authority) {
        if p.id != party {
            bail!(
                "authority `{authority}` belongs to party `{}`, not `{party}`",
                p.id
            );
        }
        if let Some(key) = a.public_key
            && key != node.key.verifying_key().to_bytes()
        {
            bail!("the agreement lists another public key for `{authority}` than this node's");
        }
    }
    write_atomically(&dir.join(AGREEMENT_FILE), std::fs::read(file)?.as_slice())?;
    let m = Membership {
        party: party.into(),
        authority: authority.into(),
    };
    write_atomically(&dir.join(MEMBERSHIP_FILE), &serde_json::to_vec_pretty(&m)?)?;
    Ok(agreement)
}

/// The node's agreement and membership, if it has been initialised under one.
pub fn membership(dir: &Path) -> Result<(Agreement, Membership)> {
    let agreement = load_agreement(&dir.join(AGREEMENT_FILE))
        .context("this node is not under an agreement yet (run `symbolon agreement init`)")?;
    let m: Membership = serde_json::from_slice(&std::fs::read(dir.join(MEMBERSHIP_FILE))?)
        .context("reading the membership")?;
    Ok((agreement, m))
}

fn notifications_path(dir: &Path) -> PathBuf {
    dir.join(NOTIFICATIONS_FILE)
}

/// The signed notifications held, each checked: signature valid, and signed by this node or
/// by an authority whose key the agreement lists.
pub fn notifications(node: &Node, dir: &Path, agreement: &Agreement) -> Result<Vec<Signed>> {
    let path = notifications_path(dir);
    let all: Vec<Signed> = match std::fs::read(&path) {
        Ok(bytes) => {
            serde_json::from_slice(&bytes).with_context(|| format!("reading {}", path.display()))?
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
        Err(e) => return Err(e).with_context(|| format!("reading {}", path.display())),
    };
    for (i, s) in all.iter().enumerate() {
        check(node, agreement, s)
            .with_context(|| format!("notification #{} in {}", i + 1, path.display()))?;
    }
    Ok(all)
}

fn check(node: &Node, agreement: &Agreement, s: &Signed) -> Result<()> {
    let key_bytes: [u8; 32] = hex::decode(&s.public_key)
        .ok()
        .and_then(|b| b.try_into().ok())
        .context("public_key is not 64 hex digits")?;
    let trusted = key_bytes == node.key.verifying_key().to_bytes()
        || agreement
            .parties
            .iter()
            .flat_map(|p| &p.authorities)
            .any(|a| a.public_key == Some(key_bytes));
    if !trusted {
        bail!(
            "signed by a key that is neither this node's nor listed for any authority of the agreement"
        );
    }
    let sig: [u8; 64] = hex::decode(&s.signature)
        .ok()
        .and_then(|b| b.try_into().ok())
        .context("signature is not 128 hex digits")?;
    let key = VerifyingKey::from_bytes(&key_bytes).context("public_key is not an Ed25519 key")?;
    key.verify(&serde_jcs::to_vec(&s.record)?, &Signature::from_bytes(&sig))
        .context("the signature does not match the record")?;
    if s.record.agreement != agreement.id {
        bail!(
            "the record belongs to agreement `{}`, not `{}`",
            s.record.agreement,
            agreement.id
        );
    }
    Ok(())
}

fn save(dir: &Path, all: &[Signed]) -> Result<()> {
    write_atomically(&notifications_path(dir), &serde_json::to_vec_pretty(all)?)
}

/// Records and signs a notification received by this node's party.
pub fn notify(node: &Node, dir: &Path, kind: &str, party: &str, received: Day) -> Result<Signed> {
    let (agreement, m) = membership(dir)?;
    if !matches!(kind, "ratification" | "termination") {
        bail!("kind must be `ratification` or `termination`, not `{kind}`");
    }
    if agreement.party(party).is_none() {
        bail!("the agreement has no party `{party}`");
    }
    let record = Record {
        agreement: agreement.id.clone(),
        kind: kind.into(),
        party: party.into(),
        received: received.to_string(),
        recorded_by: m.authority.clone(),
        recorded_at: crate::events::now(),
    };
    let signature = node.key.sign(&serde_jcs::to_vec(&record)?);
    let signed = Signed {
        record,
        public_key: hex::encode(node.key.verifying_key().to_bytes()),
        signature: hex::encode(signature.to_bytes()),
    };
    let mut all = notifications(node, dir, &agreement)?;
    all.push(signed.clone());
    save(dir, &all)?;
    node.record(&Event::Notification {
        at: crate::events::now(),
        kind,
        party,
        received: &signed.record.received,
    })?;
    Ok(signed)
}

/// Accepts notifications exported by another node, after checking every signature.
pub fn accept(node: &Node, dir: &Path, incoming: &[Signed]) -> Result<usize> {
    let (agreement, _) = membership(dir)?;
    let mut all = notifications(node, dir, &agreement)?;
    let mut added = 0;
    for (i, s) in incoming.iter().enumerate() {
        check(node, &agreement, s).with_context(|| format!("incoming notification #{}", i + 1))?;
        if !all.contains(s) {
            all.push(s.clone());
            added += 1;
        }
    }
    save(dir, &all)?;
    Ok(added)
}

/// The lifecycle that follows from the notifications held.
pub fn lifecycle(agreement: &Agreement, held: &[Signed]) -> Result<Lifecycle> {
    let mut notes = Vec::new();
    for s in held {
        let received = Day::parse(&s.record.received)
            .with_context(|| format!("received date `{}`", s.record.received))?;
        let party = s.record.party.clone();
        notes.push(match s.record.kind.as_str() {
            "ratification" => Notification::Ratification { party, received },
            "termination" => Notification::Termination { party, received },
            other => bail!("unknown notification kind `{other}`"),
        });
    }
    let parties: Vec<_> = agreement
        .parties
        .iter()
        .map(|p| (p.id.clone(), p.calendar.clone()))
        .collect();
    Ok(Lifecycle::derive(&agreement.timing, &parties, &notes))
}
