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
use std::collections::HashSet;
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
    /// One of `KINDS`.
    pub kind: String,
    pub party: String,
    /// Day the notification was received through diplomatic channels (YYYY-MM-DD).
    pub received: String,
    pub recorded_by: String,
    pub recorded_at: String,
    /// For a `designation`: the competent authority the party designated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub designated: Option<Designated>,
    /// For an `amendment` (Art. 9.2): the amended agreement, whole.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amendment: Option<Amendment>,
}

/// An amendment protocol (Art. 9.2): the agreement file as amended, with a higher version.
/// It enters into force like the agreement (Art. 9.1): `timing.entry_into_force_days` after
/// the notification is received; from then on it is the policy that decides.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Amendment {
    pub version: u32,
    /// The amended agreement file (`symbolon-agreement/1` TOML).
    pub text: String,
}

/// A competent authority designated by a party, with its node's key and address.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Designated {
    pub id: String,
    pub name: String,
    /// Hex Ed25519 public key of the authority's node.
    pub public_key: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node_url: Option<String>,
}

/// Notification kinds: Art. 9.1 ratification, designation of a competent authority, Art. 9.2
/// amendment protocol, Art. 9.3 termination notice.
pub const KINDS: [&str; 4] = ["ratification", "designation", "amendment", "termination"];

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

fn key_of(hex_key: &str) -> Result<[u8; 32]> {
    hex::decode(hex_key)
        .ok()
        .and_then(|b| b.try_into().ok())
        .context("public_key is not 64 hex digits")
}

fn signature_valid(s: &Signed) -> Result<[u8; 32]> {
    let key_bytes = key_of(&s.public_key)?;
    let sig: [u8; 64] = hex::decode(&s.signature)
        .ok()
        .and_then(|b| b.try_into().ok())
        .context("signature is not 128 hex digits")?;
    let key = VerifyingKey::from_bytes(&key_bytes).context("public_key is not an Ed25519 key")?;
    key.verify(&serde_jcs::to_vec(&s.record)?, &Signature::from_bytes(&sig))
        .context("the signature does not match the record")?;
    Ok(key_bytes)
}

/// The keys whose records this node trusts: its own, those the agreement file lists, and,
/// transitively, those of authorities designated in records signed by a trusted key.
fn trusted_keys(own: [u8; 32], agreement: &Agreement, records: &[Signed]) -> HashSet<[u8; 32]> {
    let mut trusted: HashSet<[u8; 32]> = agreement
        .parties
        .iter()
        .flat_map(|p| &p.authorities)
        .filter_map(|a| a.public_key)
        .collect();
    trusted.insert(own);
    loop {
        let before = trusted.len();
        for s in records {
            let Some(d) = &s.record.designated else {
                continue;
            };
            if signature_valid(s).is_ok_and(|k| trusted.contains(&k))
                && let Ok(k) = key_of(&d.public_key)
            {
                trusted.insert(k);
            }
        }
        if trusted.len() == before {
            return trusted;
        }
    }
}

fn check(agreement: &Agreement, trusted: &HashSet<[u8; 32]>, s: &Signed) -> Result<()> {
    let key = signature_valid(s)?;
    if !trusted.contains(&key) {
        bail!(
            "signed by a key that is neither this node's nor one of an authority of the agreement"
        );
    }
    if s.record.agreement != agreement.id {
        bail!(
            "the record belongs to agreement `{}`, not `{}`",
            s.record.agreement,
            agreement.id
        );
    }
    if !KINDS.contains(&s.record.kind.as_str()) {
        bail!("unknown notification kind `{}`", s.record.kind);
    }
    if (s.record.kind == "designation") != s.record.designated.is_some() {
        bail!("a designation, and only a designation, names the designated authority");
    }
    if (s.record.kind == "amendment") != s.record.amendment.is_some() {
        bail!("an amendment, and only an amendment, carries the amended agreement");
    }
    if let Some(a) = &s.record.amendment {
        let amended = Agreement::parse(&a.text).context("the amended agreement")?;
        if amended.id != agreement.id || amended.version != a.version {
            bail!(
                "the amended agreement is `{}` version {}, not `{}` version {}",
                amended.id,
                amended.version,
                agreement.id,
                a.version
            );
        }
        if a.version <= agreement.version {
            bail!(
                "an amendment must raise the version above {} (it says {})",
                agreement.version,
                a.version
            );
        }
    }
    Ok(())
}

fn read_held(dir: &Path) -> Result<Vec<Signed>> {
    let path = notifications_path(dir);
    match std::fs::read(&path) {
        Ok(bytes) => {
            serde_json::from_slice(&bytes).with_context(|| format!("reading {}", path.display()))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Vec::new()),
        Err(e) => Err(e).with_context(|| format!("reading {}", path.display())),
    }
}

/// The signed notifications held, each checked: valid signature by a trusted key.
pub fn notifications(node: &Node, dir: &Path, agreement: &Agreement) -> Result<Vec<Signed>> {
    held_checked(node.key.verifying_key().to_bytes(), dir, agreement)
}

pub fn held_checked(own: [u8; 32], dir: &Path, agreement: &Agreement) -> Result<Vec<Signed>> {
    let all = read_held(dir)?;
    let trusted = trusted_keys(own, agreement, &all);
    for (i, s) in all.iter().enumerate() {
        check(agreement, &trusted, s).with_context(|| {
            format!(
                "notification #{} in {}",
                i + 1,
                notifications_path(dir).display()
            )
        })?;
    }
    Ok(all)
}

fn save(dir: &Path, all: &[Signed]) -> Result<()> {
    write_atomically(&notifications_path(dir), &serde_json::to_vec_pretty(all)?)
}

/// Records and signs a notification received by this node's party.
pub fn notify(
    node: &Node,
    dir: &Path,
    kind: &str,
    party: &str,
    received: Day,
    designated: Option<Designated>,
    amendment: Option<Amendment>,
) -> Result<Signed> {
    let (agreement, m) = membership(dir)?;
    if !KINDS.contains(&kind) {
        bail!("kind must be one of {}, not `{kind}`", KINDS.join(", "));
    }
    if let Some(d) = &designated {
        key_of(&d.public_key).context("--public-key")?;
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
        designated,
        amendment,
    };
    let trusted = trusted_keys(node.key.verifying_key().to_bytes(), &agreement, &[]);
    let signature = node.key.sign(&serde_jcs::to_vec(&record)?);
    let signed = Signed {
        record,
        public_key: hex::encode(node.key.verifying_key().to_bytes()),
        signature: hex::encode(signature.to_bytes()),
    };
    check(&agreement, &trusted, &signed)?;
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
    let combined: Vec<Signed> = all.iter().chain(incoming).cloned().collect();
    let trusted = trusted_keys(node.key.verifying_key().to_bytes(), &agreement, &combined);
    let mut added = 0;
    for (i, s) in incoming.iter().enumerate() {
        check(&agreement, &trusted, s)
            .with_context(|| format!("incoming notification #{}", i + 1))?;
        if !all.contains(s) {
            all.push(s.clone());
            added += 1;
        }
    }
    save(dir, &all)?;
    Ok(added)
}

/// What the policy needs of the agreement, if the node in `dir` is under one: the purposes,
/// the known competent authorities (agreement file and designations), the parties'
/// restricted markings and the lifecycle from the notifications held.
pub fn terms(dir: &Path, own_key: [u8; 32]) -> Result<Option<policy::Terms>> {
    if !dir.join(MEMBERSHIP_FILE).exists() {
        return Ok(None);
    }
    let (base, m) = membership(dir)?;
    let held = held_checked(own_key, dir, &base)?;
    let agreement = in_force(&base, &held, Day::today())?;
    let mut authorities: Vec<String> = agreement
        .parties
        .iter()
        .flat_map(|p| p.authorities.iter().map(|a| a.id.clone()))
        .chain(designations(&held).into_iter().map(|(_, a, _)| a))
        .collect();
    authorities.sort();
    authorities.dedup();
    let keys = authority_keys(&agreement, &held, &m.authority, own_key);
    Ok(Some(policy::Terms {
        agreement: agreement.id.clone(),
        keys,
        version: agreement.version,
        authority: m.authority,
        purposes: agreement.purposes.iter().map(|p| p.id.clone()).collect(),
        authorities,
        restricted_markings: agreement.restricted_markings(),
        lifecycle: lifecycle(&agreement, &held)?,
    }))
}

/// Each competent authority's node key: this node's own, those the agreement file lists,
/// and those of signed designations (the notifications held are already checked).
pub fn authority_keys(
    agreement: &Agreement,
    held: &[Signed],
    own_authority: &str,
    own_key: [u8; 32],
) -> policy::ledger::Keys {
    let mut keys: policy::ledger::Keys = agreement
        .parties
        .iter()
        .flat_map(|p| &p.authorities)
        .filter_map(|a| Some((a.id.clone(), a.public_key?)))
        .collect();
    for s in held {
        if let Some(d) = &s.record.designated
            && let Ok(k) = key_of(&d.public_key)
        {
            keys.insert(d.id.clone(), k);
        }
    }
    keys.insert(own_authority.to_owned(), own_key);
    keys
}

/// The agreement as it stands on `day`: the latest amendment in force by then (Art. 9.2,
/// in force `entry_into_force_days` after its receipt), else the agreement file.
pub fn in_force(base: &Agreement, held: &[Signed], day: Day) -> Result<Agreement> {
    let mut best: Option<(u32, &str)> = None;
    for s in held {
        let (Some(a), Some(received)) = (&s.record.amendment, Day::parse(&s.record.received))
        else {
            continue;
        };
        let effective = received.plus(base.timing.entry_into_force_days);
        if effective <= day && best.is_none_or(|(v, _)| a.version > v) {
            best = Some((a.version, &a.text));
        }
    }
    match best {
        Some((_, text)) => Agreement::parse(text).context("the amended agreement in force"),
        None => Ok(base.clone()),
    }
}

/// Designations held: (party, authority id, day received).
pub fn designations(held: &[Signed]) -> Vec<(String, String, Day)> {
    held.iter()
        .filter_map(|s| {
            let d = s.record.designated.as_ref()?;
            Some((
                s.record.party.clone(),
                d.id.clone(),
                Day::parse(&s.record.received)?,
            ))
        })
        .collect()
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
            "designation" | "amendment" => continue,
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
