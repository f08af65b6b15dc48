//! The node's membership in an agreement and the lifecycle notifications it records,
//! exports and accepts. All of it lives in the store, transactional like every write: the
//! agreement file as given and which party and authority the node is, and each notification
//! as a signed record of the one ledger (`policy::ledger`) with its audit entry. What they
//! mean on a day (trusted keys, the amendment in force, the lifecycle) is `policy::terms`'s
//! to say.

use crate::events::Event;
use crate::{Core, CoreError, Result};
use policy::agreement::Agreement;
use policy::ledger::{Amendment, Designated, Notified, Record, Signed};
use policy::lifecycle::{Day, Lifecycle};
use policy::terms::{self, Member};
use store::{AgreementDoc, LedgerRecord, Store};

/// What a notification says (its kind with what that kind carries).
#[derive(Debug, Clone)]
pub enum Notice {
    /// Art. 9.1.
    Ratification,
    /// Art. 5.1: the authority designated.
    Designation(Designated),
    /// Art. 9.2: the amended agreement file.
    Amendment(String),
    /// Art. 9.3.
    Termination,
}

/// Where the agreement stands on a day, as the node's records say.
#[derive(Debug, Clone)]
pub struct AgreementState {
    /// The agreement file the node was put under.
    pub base: Agreement,
    /// The agreement that decides on the day (the file, or an amendment in force).
    pub agreement: Agreement,
    pub party: String,
    pub authority: String,
    /// The notifications that count, in the order they are held.
    pub notifications: Vec<Signed>,
    /// Notifications held that do not count, with why.
    pub refused: Vec<(String, policy::ledger::LedgerError)>,
    pub lifecycle: Lifecycle,
}

impl AgreementState {
    /// Designations that count: (party, authority, day received).
    pub fn designations(&self) -> Vec<(String, String, Day)> {
        terms::designations(&self.notifications)
            .into_iter()
            .map(|(p, d, day)| (p, d.id, day))
            .collect()
    }

    /// The authorities the designations that count name: (party, authority id, its name as
    /// designated), each once.
    pub fn designated_authorities(&self) -> Vec<(String, String, String)> {
        let mut out: Vec<(String, String, String)> = Vec::new();
        for (party, d, _) in terms::designations(&self.notifications) {
            if !out.iter().any(|(p, id, _)| *p == party && *id == d.id) {
                out.push((party, d.id, d.name));
            }
        }
        out
    }
}

/// A record's refusal, kept with it; any other error (the node's own) ends the call.
fn refusal(e: CoreError) -> Result<CoreError> {
    match e {
        CoreError::Invalid(_) | CoreError::Record(_) => Ok(e),
        e => Err(e),
    }
}

pub(crate) fn signed_records(store: &dyn Store) -> Result<Vec<Signed>> {
    store
        .records_after(0)?
        .into_iter()
        .filter(|(_, r)| policy::ledger::NOTIFICATION_KINDS.contains(&r.kind.as_str()))
        .map(|(_, r)| {
            serde_json::from_str(&r.json).map_err(|e| {
                CoreError::Failed(format!(
                    "the kept record `{}` does not read back: {e}",
                    r.id
                ))
            })
        })
        .collect()
}

impl Core {
    /// Puts this node under an agreement as one competent authority of one party.
    pub fn join_agreement(&self, text: &str, party: &str, authority: &str) -> Result<Agreement> {
        let agreement = Agreement::parse(text)?;
        if agreement.party(party).is_none() {
            return Err(CoreError::Invalid(format!(
                "the agreement has no party `{party}`"
            )));
        }
        if let Some((p, a)) = agreement.authority(authority) {
            if p.id != party {
                return Err(CoreError::Invalid(format!(
                    "authority `{authority}` belongs to party `{}`, not `{party}`",
                    p.id
                )));
            }
            if let Some(key) = a.public_key
                && key != self.key().verifying_key().to_bytes()
            {
                return Err(CoreError::Invalid(format!(
                    "the agreement lists another public key for `{authority}` than this node's"
                )));
            }
        }
        self.store().set_agreement(
            &AgreementDoc {
                text: text.to_owned(),
                party: party.to_owned(),
                authority: authority.to_owned(),
            },
            &Event::AgreementSet {
                at: crate::events::now(),
                principal: &self.operator().name,
                agreement: &agreement.id,
                version: agreement.version,
                party,
                authority,
                sha256: crate::events::sha256_hex(text.as_bytes()),
            }
            .canonical()?,
        )?;
        self.written()?;
        self.policy()?;
        Ok(agreement)
    }

    /// This node as a member of the agreement: its party, authority, key and the keys it
    /// held before (its rotations).
    fn member(&self, party: &str, authority: &str) -> Member {
        Member {
            party: party.to_owned(),
            authority: authority.to_owned(),
            key: self.key().verifying_key().to_bytes(),
            retired: self.retired_keys().to_vec(),
        }
    }

    /// The agreement and the node's place in it, with the notifications held, on `day`
    /// (`None`: the node is under no agreement).
    pub fn agreement_state(&self, day: Day) -> Result<Option<AgreementState>> {
        let Some((doc, _)) = self.store().agreement()? else {
            return Ok(None);
        };
        let base = Agreement::parse(&doc.text)?;
        let me = self.member(&doc.party, &doc.authority);
        let derived = terms::derive(&base, &me, &signed_records(self.store())?, day)?;
        let agreement = terms::in_force(&base, &derived.notifications, day)?;
        Ok(Some(AgreementState {
            lifecycle: derived.terms.lifecycle.clone(),
            base,
            agreement,
            party: doc.party,
            authority: doc.authority,
            notifications: derived.notifications,
            refused: derived.refused,
        }))
    }

    fn member_state(&self) -> Result<AgreementState> {
        self.agreement_state(Day::today())?.ok_or_else(|| {
            CoreError::Invalid(
                "this node is not under an agreement yet (run `symbolon agreement init`)".into(),
            )
        })
    }

    /// Records (and signs) a notification this node's party received.
    pub fn notify(&self, notice: Notice, party: &str, received: Day) -> Result<Signed> {
        let state = self.member_state()?;
        if state.base.party(party).is_none() {
            return Err(CoreError::Invalid(format!(
                "the agreement has no party `{party}`"
            )));
        }
        let mut n = Notified {
            id: format!("notification--{}", uuid::Uuid::new_v4()),
            agreement: state.base.id.clone(),
            party: party.to_owned(),
            received,
            recorded_by: state.authority.clone(),
            recorded_at: crate::events::now(),
            designated: None,
            amendment: None,
        };
        let record = match notice {
            Notice::Ratification => Record::Ratification(n),
            Notice::Termination => Record::Termination(n),
            Notice::Designation(d) => {
                n.designated = Some(d);
                Record::Designation(n)
            }
            Notice::Amendment(text) => {
                let version = Agreement::parse(&text)?.version;
                n.amendment = Some(Amendment { version, text });
                Record::Amendment(n)
            }
        };
        let signed = Signed::sign(record, self.key())?;
        self.keep_record(&signed)?;
        Ok(signed)
    }

    /// Checks a signed record of the agreement (a notification, a consent, a revocation, a
    /// notice, a consent request) and keeps it with its entry; `false` when it was already
    /// held. A notification must count under the trust this node has now; any other record
    /// must be signed by its signer's key and valid under the agreement in force.
    pub fn keep_record(&self, signed: &Signed) -> Result<bool> {
        let r = &signed.record;
        if r.notification().is_some() {
            if let Some(verdict) = self.notifications_count(&[signed])?.pop() {
                verdict?;
            }
        } else {
            let policy = self.policy()?;
            let t = policy.terms().ok_or_else(|| {
                CoreError::Invalid(
                    "this node is not under an agreement yet (run `symbolon agreement init`)"
                        .into(),
                )
            })?;
            signed.verify(&t.keys)?;
            r.check(&t.agreement, &t.purposes)?;
        }
        self.put_signed(signed)
    }

    /// Whether each of `incoming` (lifecycle notifications) counts under the trust this
    /// node has with them all held. One derivation for the lot: a peer that sends many
    /// records (it sends them all at every sync) costs one check per record, not one per
    /// record held for each.
    fn notifications_count(&self, incoming: &[&Signed]) -> Result<Vec<Result<()>>> {
        let state = self.member_state()?;
        let me = self.member(&state.party, &state.authority);
        let mut records = signed_records(self.store())?;
        records.extend(incoming.iter().map(|s| (*s).clone()));
        let derived = terms::derive(&state.base, &me, &records, Day::today())?;
        let refused: std::collections::HashMap<&str, &policy::ledger::LedgerError> = derived
            .refused
            .iter()
            .map(|(id, why)| (id.as_str(), why))
            .collect();
        let keys = &derived.terms.keys;
        // Where among `incoming` each authority rotated away from a key: a record signed
        // with that key and sent before its rotation was made before it, and is checked as
        // if the two had come in two syncs.
        let mut rotated_at: std::collections::HashMap<(&str, [u8; 32]), usize> =
            std::collections::HashMap::new();
        for (i, s) in incoming.iter().enumerate() {
            let signer = s.record.signer();
            if let Some(k) = s.signing_key()
                && s.rotation_of(signer, &k).is_some()
            {
                rotated_at.entry((signer, k)).or_insert(i);
            }
        }
        Ok(incoming
            .iter()
            .enumerate()
            .map(|(i, signed)| {
                let r = &signed.record;
                if let Some(why) = refused.get(r.id()) {
                    return Err((*why).clone().into());
                }
                // Held records signed with a key since retired keep counting; one arriving
                // now must be signed with its signer's current key, unless it is the
                // rotation that retired the key it is signed with, or came before it.
                let rotation = r
                    .notification()
                    .and_then(|n| n.designated.as_ref())
                    .is_some_and(|d| {
                        d.id == r.signer()
                            && d.key().is_some()
                            && keys.get(r.signer()) == d.key().as_ref()
                    });
                let before_its_rotation = signed.signing_key().filter(|k| {
                    rotated_at.get(&(r.signer(), *k)).is_some_and(|&at| i < at)
                        && derived
                            .terms
                            .retired
                            .get(r.signer())
                            .is_some_and(|old| old.contains(k))
                });
                match before_its_rotation {
                    Some(k) => signed.verify_as(&k)?,
                    None if !rotation => signed.verify(keys)?,
                    None => {}
                }
                Ok(())
            })
            .collect())
    }

    /// Keeps a record already checked, with its entry; `false` when it was held.
    fn put_signed(&self, signed: &Signed) -> Result<bool> {
        let r = &signed.record;
        let canonical = serde_jcs::to_vec(signed)
            .map_err(|e| CoreError::Failed(format!("encoding a record: {e}")))?;
        let added = self.store().put_record(
            &LedgerRecord {
                id: r.id().to_owned(),
                kind: r.kind().to_owned(),
                json: serde_json::to_string(signed)
                    .map_err(|e| CoreError::Failed(format!("encoding a record: {e}")))?,
            },
            &Event::LedgerRecord {
                at: crate::events::now(),
                kind: r.kind(),
                id: r.id(),
                signer: r.signer(),
                sha256: crate::events::sha256_hex(&canonical),
            }
            .canonical()?,
        )?;
        self.written()?;
        Ok(added)
    }

    /// Keeps records made by other nodes, each checked against its signer's key: the
    /// lifecycle notifications together (a designation among them may introduce the
    /// authority that signed another), then the others under the terms they make. Returns
    /// how many were new and the records refused, with why.
    pub fn accept_records(&self, records: &[Signed]) -> Result<(usize, Vec<(String, CoreError)>)> {
        // A peer sends every record each time: one held already, exactly as sent, is not
        // checked again (one signed with a key since retired would otherwise be refused as
        // new); one under a held id with other content is checked, and refused.
        let held: std::collections::HashMap<String, Signed> = self
            .store()
            .records_after(0)?
            .into_iter()
            .filter_map(|(_, r)| Some((r.id, serde_json::from_str(&r.json).ok()?)))
            .collect();
        let (notifications, others): (Vec<&Signed>, Vec<&Signed>) = records
            .iter()
            .filter(|s| held.get(s.record.id()) != Some(*s))
            .partition(|s| s.record.notification().is_some());
        let mut added = 0;
        // Notifications first, all checked at once: the others may be signed by an
        // authority one of them designates.
        let mut refused = Vec::new();
        if !notifications.is_empty() {
            let verdicts = match self.notifications_count(&notifications) {
                Ok(v) => v,
                Err(CoreError::Invalid(why)) => notifications
                    .iter()
                    .map(|_| Err(CoreError::Invalid(why.clone())))
                    .collect(),
                Err(e) => return Err(e),
            };
            for (s, verdict) in notifications.iter().zip(verdicts) {
                match verdict {
                    Ok(()) => added += usize::from(self.put_signed(s)?),
                    Err(e) => refused.push((s.record.id().to_owned(), refusal(e)?)),
                }
            }
        }
        // The other records are checked against the terms the notifications make (and
        // never change them), one at a time, each once.
        for s in others {
            match self.keep_record(s) {
                Ok(new) => added += usize::from(new),
                Err(e) => refused.push((s.record.id().to_owned(), refusal(e)?)),
            }
        }
        Ok((added, refused))
    }

    /// The notifications that count, as signed, for the other parties' nodes.
    pub fn exported_notifications(&self) -> Result<Vec<Signed>> {
        Ok(self.member_state()?.notifications)
    }
}

/// Data directories made before the agreement lived in the store kept it in three files;
/// they are taken into the store once (the notifications re-signed as recorded by this
/// node, which held them as valid) and renamed `*.adopted`.
pub(crate) fn adopt_legacy_files(core: &Core) -> Result<()> {
    let dir = core.dir();
    let (file, membership) = (dir.join("agreement.toml"), dir.join("membership.json"));
    if !membership.is_file() || core.store().agreement()?.is_some() {
        return Ok(());
    }
    #[derive(serde::Deserialize)]
    struct Membership {
        party: String,
        authority: String,
    }
    #[derive(serde::Deserialize)]
    struct OldRecord {
        kind: String,
        party: String,
        received: String,
        #[serde(default)]
        designated: Option<Designated>,
        #[serde(default)]
        amendment: Option<Amendment>,
    }
    #[derive(serde::Deserialize)]
    struct OldSigned {
        record: OldRecord,
    }
    let read = |p: &std::path::Path| {
        std::fs::read_to_string(p).map_err(crate::failed(&format!("reading {}", p.display())))
    };
    let m: Membership = serde_json::from_str(&read(&membership)?)
        .map_err(|e| CoreError::Failed(format!("{}: {e}", membership.display())))?;
    core.join_agreement(&read(&file)?, &m.party, &m.authority)?;
    let notifications = dir.join("notifications.json");
    if notifications.is_file() {
        let old: Vec<OldSigned> = serde_json::from_str(&read(&notifications)?)
            .map_err(|e| CoreError::Failed(format!("{}: {e}", notifications.display())))?;
        // Designations first: records after them may rest on the keys they give.
        let mut old = old;
        old.sort_by_key(|s| s.record.kind != "designation");
        for s in old {
            let received = Day::parse(&s.record.received).ok_or_else(|| {
                CoreError::Failed(format!("a held notification's day `{}`", s.record.received))
            })?;
            let notice = match (
                s.record.kind.as_str(),
                s.record.designated,
                s.record.amendment,
            ) {
                ("ratification", ..) => Notice::Ratification,
                ("termination", ..) => Notice::Termination,
                ("designation", Some(d), _) => Notice::Designation(d),
                ("amendment", _, Some(a)) => Notice::Amendment(a.text),
                (other, ..) => {
                    return Err(CoreError::Failed(format!(
                        "a held notification of kind `{other}` does not read"
                    )));
                }
            };
            core.notify(notice, &s.record.party, received)?;
        }
    }
    for f in [file, membership, notifications] {
        if f.is_file() {
            let _ = std::fs::rename(&f, f.with_extension("adopted"));
        }
    }
    Ok(())
}
