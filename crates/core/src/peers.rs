//! The peers a node exchanges with (federation): registering them, the node's own name and
//! key as its peers know it, the mutual witness of audit logs, the check of a sealed page
//! (pulled or pushed), the quarantine, and the agreement's records a peer may receive.
//!
//! A peer is another competent authority's node (its key comes from the agreement or a
//! signed designation) or a third party's node the operator registers with its key. Each
//! peer acts on this node as the user of its id: what it may read is what that user may
//! read (`symbolon user grant`), decided by the policy like any other user.

use crate::events::Event;
use crate::{Core, CoreError, Result};
use federation::distrust::Distrust;
use federation::provenance::Seal;
use federation::request::Identity;
use federation::wire::{Records, WitnessPost, WitnessView};
use federation::witness::{self, Breach, Consistency, Head};
use policy::ledger::Signed;
use policy::{Kind, Principal};
use serde_json::value::RawValue;
use store::{Peer, Quarantined, SealedPage, SyncCursor};

/// File naming a node that is not under an agreement (a third party's node) to its peers.
pub const NAME_FILE: &str = "node-name";

/// A peer as the operator registers it.
#[derive(Debug, Clone, Default)]
pub struct NewPeer {
    pub id: String,
    /// Default: the authority's `node_url` in the agreement or its latest designation.
    pub url: Option<String>,
    pub public_key: Option<String>,
    pub third_party: bool,
    pub purposes: Vec<String>,
}

impl Core {
    /// The name and key this node signs its requests to peers with: its competent authority
    /// under the agreement, or the name set with `symbolon peer whoami --set`.
    pub fn identity(&self) -> Result<Identity> {
        let authority = match self.policy()?.terms() {
            Some(t) => t.authority.clone(),
            None => std::fs::read_to_string(self.dir().join(NAME_FILE))
                .map(|s| s.trim().to_owned())
                .ok()
                .filter(|s| !s.is_empty())
                .ok_or_else(|| {
                    CoreError::Invalid(
                        "this node has no name for its peers: put it under an agreement \
                         (`symbolon agreement init`) or name it (`symbolon peer whoami --set NAME`)"
                            .into(),
                    )
                })?,
        };
        Ok(Identity {
            authority,
            key: self.key().clone(),
        })
    }

    /// Names a node that is not under an agreement.
    pub fn set_name(&self, name: &str) -> Result<()> {
        if let Some(t) = self.policy()?.terms() {
            return Err(CoreError::Invalid(format!(
                "this node is `{}` under the agreement; its name is not set by hand",
                t.authority
            )));
        }
        if name.trim().is_empty() || name.contains(char::is_whitespace) {
            return Err(CoreError::Invalid(format!(
                "a node name is one word, not `{name}`"
            )));
        }
        let path = self.dir().join(NAME_FILE);
        std::fs::write(&path, name.trim())
            .map_err(crate::failed(&format!("writing {}", path.display())))
    }

    pub fn peers(&self) -> Result<Vec<Peer>> {
        Ok(self.store().peers()?)
    }

    pub fn peer(&self, id: &str) -> Result<Option<Peer>> {
        Ok(self.store().peer(id)?)
    }

    fn peer_saved(&self, peer: &Peer, kind: &Kind) -> Result<()> {
        self.store().put_peer(
            peer,
            &Event::PeerSaved {
                at: crate::events::now(),
                principal: &self.operator().name,
                peer: &peer.id,
                url: &peer.url,
                public_key: &hex::encode(peer.public_key),
                kind: &kind.text(),
                halted: peer.halted.as_deref(),
            }
            .canonical()?,
        )?;
        self.written()
    }

    /// Registers (or updates) a peer and the user its signed requests act as.
    pub fn add_peer(&self, new: NewPeer) -> Result<Peer> {
        let url = match new.url {
            Some(u) => u,
            None => self.agreed_url(&new.id)?.ok_or_else(|| {
                CoreError::Invalid(format!(
                    "neither the agreement nor a designation gives `{}` a node URL: give --url",
                    new.id
                ))
            })?,
        };
        if !(url.starts_with("http://") || url.starts_with("https://")) {
            return Err(CoreError::Invalid(format!(
                "--url must be the peer node's base URL (http://host:port/), not `{url}`"
            )));
        }
        let policy = self.policy()?;
        let terms = policy.terms();
        let kind = if new.third_party {
            Kind::ThirdParty
        } else {
            if let Some(t) = terms {
                t.known_authority(&new.id)?;
            }
            Kind::Authority(new.id.clone())
        };
        // An authority's key is the one the agreement or its designation gives; a key given
        // by hand must agree with it.
        let agreed = match (&kind, terms) {
            (Kind::Authority(a), Some(t)) => t.keys.get(a).map(hex::encode),
            _ => None,
        };
        let public_key = match (agreed, new.public_key) {
            (Some(k), Some(given)) if !given.eq_ignore_ascii_case(&k) => {
                return Err(CoreError::Invalid(format!(
                    "the agreement gives `{}` the key {k}, not {given}",
                    new.id
                )));
            }
            (Some(k), _) => k,
            (None, Some(given)) => given.to_ascii_lowercase(),
            (None, None) => {
                return Err(CoreError::Invalid(format!(
                    "no key is known for `{}`: give --key (64 hex digits, `symbolon peer whoami` on its node)",
                    new.id
                )));
            }
        };
        let key = federation::public_key(&public_key)?.to_bytes();
        if let Some(u) = self.user(&new.id)?
            && u.kind != kind
        {
            return Err(CoreError::Invalid(format!(
                "user `{}` already exists as `{}`, not `{}`",
                new.id, u.kind, kind
            )));
        }
        // The peer's user has a password nobody knows: a node is let in by its key only.
        let existing = self.user(&new.id)?;
        self.save_user_as(
            &new.id,
            crate::admin::UserChange {
                password: existing.is_none().then(policy::password::generate),
                admin: false,
                kind: Some(kind.clone()),
                purposes: (!new.purposes.is_empty()).then_some(new.purposes),
            },
            true,
        )?;
        let previous = self.store().peer(&new.id)?;
        let peer = Peer {
            id: new.id,
            url,
            public_key: key,
            halted: previous.as_ref().and_then(|p| p.halted.clone()),
            breach: previous.as_ref().and_then(|p| p.breach.clone()),
            witnessed: None,
        };
        self.peer_saved(&peer, &kind)?;
        Ok(self.store().peer(&peer.id)?.unwrap_or(peer))
    }

    /// The node URL the agreement file or the latest signed designation gives an authority.
    fn agreed_url(&self, authority: &str) -> Result<Option<String>> {
        let Some(status) = self.agreement_state(policy::lifecycle::Day::today())? else {
            return Ok(None);
        };
        let designated = policy::terms::designations(&status.notifications)
            .into_iter()
            .rev()
            .find(|(_, d, _)| d.id == authority)
            .and_then(|(_, d, _)| d.node_url);
        Ok(designated.or_else(|| {
            status
                .agreement
                .authority(authority)
                .and_then(|(_, a)| a.node_url.clone())
        }))
    }

    /// Stops exchanging with a peer: its record, its cursors and the user its signed
    /// requests act as go; the seals of what it sent and its quarantined pages stay.
    pub fn remove_peer(&self, id: &str) -> Result<()> {
        let removed = self.store().remove_peer(
            id,
            &crate::events::Event::PeerRemoved {
                at: crate::events::now(),
                principal: &self.operator().name,
                peer: id,
            }
            .canonical()?,
        )?;
        if !removed {
            return Err(CoreError::NotFound(format!(
                "no peer `{id}` (see `symbolon peer list`)"
            )));
        }
        self.written()?;
        if self.store().user(id)?.is_some() {
            self.remove_user(id)?;
        }
        Ok(())
    }

    /// Lets exchange with a halted peer start again (after the operator looked into why);
    /// the witnessed head is forgotten only with `forget_witness`.
    pub fn resume_peer(&self, id: &str, forget_witness: bool) -> Result<()> {
        let mut peer = self
            .store()
            .peer(id)?
            .ok_or_else(|| CoreError::NotFound(format!("no peer `{id}`")))?;
        peer.halted = None;
        peer.breach = None;
        let kind = self.user(id)?.map_or(Kind::ThirdParty, |u| u.kind);
        self.peer_saved(
            &Peer {
                witnessed: None,
                ..peer
            },
            &kind,
        )?;
        if forget_witness {
            self.store().set_witnessed(id, None)?;
        }
        Ok(())
    }

    /// Halts exchange with a peer whose audit log does not extend what this node witnessed,
    /// and records the breach in this node's own log: the one way either side of the
    /// witness (serving a peer's POST, or syncing with it) reacts to a breach.
    fn halt_peer(&self, mut peer: Peer, breach: &Breach) -> Result<()> {
        let detail = &breach.to_string();
        peer.halted = Some(format!("witness: {detail}"));
        peer.breach = Some(breach.clone());
        peer.witnessed = None;
        self.store().put_peer(
            &peer,
            &Event::WitnessBreach {
                at: crate::events::now(),
                peer: &peer.id,
                detail,
            }
            .canonical()?,
        )?;
        self.written()?;
        tracing::error!(peer = %peer.id, detail, "peer's audit log rewritten or forked: exchange halted");
        Ok(())
    }

    /// Checks a head a peer presents (with the proof from the size this node last
    /// witnessed) and records it as witnessed; a breach halts the peer (recorded) and is
    /// returned.
    pub fn witness(
        &self,
        peer: &Peer,
        head: &Head,
        proof: Option<&Consistency>,
    ) -> Result<std::result::Result<u64, Breach>> {
        let key = ed25519_dalek::VerifyingKey::from_bytes(&peer.public_key).map_err(|_| {
            CoreError::Failed(format!("the key held for `{}` is not Ed25519", peer.id))
        })?;
        let checked = head.read(&key).map_err(Breach::BadHead).and_then(|new| {
            witness::extends(peer.witnessed.as_ref(), new.as_ref(), proof).map(|()| new)
        });
        match checked {
            Ok(new) => {
                self.store().set_witnessed(&peer.id, new.as_ref())?;
                Ok(Ok(head.size))
            }
            Err(breach) => {
                self.halt_peer(peer.clone(), &breach)?;
                Ok(Err(breach))
            }
        }
    }

    /// This node's head, with the proof that it extends `since` (the size a peer last
    /// witnessed), as it travels.
    pub fn own_head(&self, since: u64) -> Result<(Head, Option<Consistency>)> {
        let log = self
            .journal()
            .log()
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        let head = log.latest_head()?;
        let size = head.as_ref().map_or(0, |h| h.size);
        let consistency = if since > 0 && since < size {
            Some(Consistency::of(
                since,
                size,
                &log.consistency_proof(since, size)?,
            ))
        } else {
            None
        };
        Ok((Head::of(head.as_ref()), consistency))
    }

    /// What `GET /symbolon/peer/witness` answers `peer`.
    pub fn witness_view(&self, peer: &str, since: u64) -> Result<WitnessView> {
        let (head, consistency) = self.own_head(since)?;
        let seen = self.store().peer(peer)?.and_then(|p| p.witnessed);
        Ok(WitnessView {
            head,
            consistency,
            seen: seen.as_ref().map(|h| Head::of(Some(h))),
        })
    }

    /// What this node posts to a peer that last saw `seen` of its log.
    pub fn witness_post(&self, seen: Option<&Head>) -> Result<WitnessPost> {
        let (head, consistency) = self.own_head(seen.map_or(0, |h| h.size))?;
        Ok(WitnessPost { head, consistency })
    }

    /// Checks a page a peer sealed (pulled from it, or pushed by it): the seal is the
    /// peer's, over exactly these objects. The page as kept with its objects, or why not.
    pub fn check_sealed(
        &self,
        peer: &Peer,
        seal: &Seal,
        raws: &[&RawValue],
    ) -> std::result::Result<SealedPage, Distrust> {
        if seal.body.signer != peer.id {
            return Err(Distrust::WrongSigner {
                signer: seal.body.signer.clone(),
                peer: peer.id.clone(),
            });
        }
        let key = ed25519_dalek::VerifyingKey::from_bytes(&peer.public_key).map_err(|_| {
            Distrust::PeerKey {
                peer: peer.id.clone(),
            }
        })?;
        let leaves = raws
            .iter()
            .map(|r| federation::provenance::leaf(r.get()))
            .collect::<federation::Result<Vec<_>>>()
            .map_err(|e| Distrust::Unhashable {
                detail: e.to_string(),
            })?;
        seal.check(&key, &leaves)?;
        Ok(SealedPage {
            peer: peer.id.clone(),
            seal: seal.clone(),
            leaves,
        })
    }

    /// Keeps a page whose provenance failed apart from every collection (recorded).
    pub fn quarantine(
        &self,
        peer: &str,
        remote: &str,
        cause: &Distrust,
        body: Vec<u8>,
    ) -> Result<()> {
        let reason = &cause.to_string();
        let entry = Event::Quarantined {
            at: crate::events::now(),
            peer,
            remote,
            reason,
            bytes: body.len(),
            sha256: crate::events::sha256_hex(&body),
        }
        .canonical()?;
        self.store().quarantine(
            &Quarantined {
                peer: peer.to_owned(),
                remote: remote.to_owned(),
                at: store::now_micros(),
                reason: reason.to_owned(),
                cause: Some(cause.clone()),
                body,
            },
            &entry,
        )?;
        self.written()?;
        tracing::error!(peer, collection = remote, reason, "page quarantined");
        Ok(())
    }

    /// Pages quarantined, oldest first, without their bodies (left empty) but with each
    /// body's size in bytes.
    pub fn quarantined(&self) -> Result<Vec<(i64, Quarantined, u64)>> {
        Ok(self.store().quarantine_listing()?)
    }

    /// How many pages are quarantined.
    pub fn quarantine_count(&self) -> Result<u64> {
        Ok(self.store().quarantine_count()?)
    }

    pub fn cursors(&self, peer: &str) -> Result<Vec<SyncCursor>> {
        Ok(self.store().cursors(peer)?)
    }

    /// Records where exchange with a peer's collection stands (bookkeeping).
    pub fn put_cursor(&self, cursor: &SyncCursor) -> Result<()> {
        Ok(self.store().put_cursor(cursor)?)
    }

    /// Registers a push of the local collection `local` to the peer's collection `remote`:
    /// from then on every sync sends what is new in it, as the policy lets the peer receive
    /// it.
    pub fn add_push(&self, peer: &str, local: &str, remote: &str) -> Result<()> {
        if self.store().peer(peer)?.is_none() {
            return Err(CoreError::NotFound(format!(
                "no peer `{peer}` (see `symbolon peer list`)"
            )));
        }
        let c = self.collection(local)?;
        let remote = uuid::Uuid::parse_str(remote)
            .map_err(|_| {
                CoreError::Invalid(format!(
                    "--to must be the peer's collection id (a UUID), not `{remote}`"
                ))
            })?
            .to_string();
        self.put_cursor(&SyncCursor {
            peer: peer.into(),
            remote,
            local: c.key,
            push: true,
            added_after: None,
        })
    }

    /// The id this node gives its copy of `peer`'s collection `remote` (derived from both,
    /// so a retry after a crash finds the one it made, and the peer can recognise its own
    /// collection in this node's list).
    pub fn copy_id(peer: &str, remote: &str) -> String {
        uuid::Uuid::new_v5(
            &uuid::Uuid::NAMESPACE_URL,
            format!("symbolon:{peer}:{remote}").as_bytes(),
        )
        .to_string()
    }

    /// Registers replies for a collection pulled from `peer` that the peer lets this node
    /// write to: this node's own objects added to the copy (sightings, tasks, notes) are
    /// pushed back to it at each sync, decided for the peer like any push; the peer reads
    /// the copy for that (it receives its own objects back, and this node's as their
    /// markings allow). Returns whether anything was registered now.
    pub fn add_replies(
        &self,
        peer: &str,
        remote: &str,
        local: store::CollectionKey,
    ) -> Result<bool> {
        let cursors = self.cursors(peer)?;
        if cursors.iter().any(|c| c.push && c.remote == remote) {
            return Ok(false);
        }
        let c = self
            .store()
            .collection_by_key(local)?
            .ok_or_else(|| CoreError::NotFound(format!("collection {local}")))?;
        if self.store().user(peer)?.is_some() {
            let rights = self.policy()?.rights(
                &self
                    .principal(peer)?
                    .ok_or_else(|| CoreError::NotFound(format!("user `{peer}`")))?,
                c.key,
            );
            if !rights.can_read {
                self.grant(peer, &c.id, true, rights.can_write)?;
            }
        }
        self.put_cursor(&SyncCursor {
            peer: peer.into(),
            remote: remote.into(),
            local,
            push: true,
            added_after: None,
        })?;
        Ok(true)
    }

    /// Is the push `cursor` a reply (its local collection is the copy of the very
    /// collection it pushes to)?
    pub fn is_reply(&self, cursor: &SyncCursor) -> Result<bool> {
        Ok(cursor.push
            && self
                .cursors(&cursor.peer)?
                .iter()
                .any(|c| !c.push && c.remote == cursor.remote && c.local == cursor.local))
    }

    /// The agreement's signed records after position `after`, for a principal the policy
    /// lets receive them (the other competent authorities), as they travel.
    pub fn records_for(&self, principal: &Principal, after: i64) -> Result<Records> {
        self.policy()?
            .may_receive_agreement_records(principal)
            .denial()
            .map_err(CoreError::Refused)?;
        let records = self.store().records_after(after)?;
        let last = records.last().map_or(after, |(seq, _)| *seq);
        let records = records
            .into_iter()
            .map(|(_, r)| {
                RawValue::from_string(r.json)
                    .map_err(|e| CoreError::Failed(format!("a kept record is not JSON: {e}")))
            })
            .collect::<Result<_>>()?;
        Ok(Records { records, last })
    }

    /// Every key `signer` signed with, as this node knows them: the current one first
    /// ([`Core::signer_key`]), then the ones a key rotation retired, newest first (what
    /// was sealed or signed before a rotation still checks with them).
    pub fn signer_keys(&self, signer: &str) -> Result<Vec<[u8; 32]>> {
        let policy = self.policy()?;
        let mut keys: Vec<[u8; 32]> = self.signer_key(signer)?.into_iter().collect();
        if let Some(old) = policy.terms().and_then(|t| t.retired.get(signer)) {
            keys.extend(
                old.iter()
                    .rev()
                    .filter(|k| !keys.contains(k))
                    .copied()
                    .collect::<Vec<_>>(),
            );
        }
        Ok(keys)
    }

    /// Follows a peer's key rotation: `designation` is the peer's designation of itself
    /// with a new key, signed with the key this node holds for it. It is kept as a record
    /// of the agreement (re-keying the peer in the terms) and the peer's new key is held
    /// from now on. Refused unless it is exactly that.
    pub fn follow_peer_key(&self, peer_id: &str, designation: &Signed) -> Result<Peer> {
        let mut peer = self
            .store()
            .peer(peer_id)?
            .ok_or_else(|| CoreError::NotFound(format!("no peer `{peer_id}`")))?;
        let r = &designation.record;
        let new = designation
            .rotation_of(&peer.id, &peer.public_key)
            .ok_or_else(|| {
                CoreError::Invalid(format!(
                    "record `{}` is not `{peer_id}`'s designation of itself with a new key, signed with the key this node holds for it",
                    r.id()
                ))
            })?;
        self.keep_record(designation)?;
        let agreed = self
            .policy()?
            .terms()
            .and_then(|t| t.keys.get(&peer.id).copied());
        if agreed != Some(new) {
            return Err(CoreError::Invalid(format!(
                "`{peer_id}`'s designation `{}` was kept but does not re-key it under the agreement",
                r.id()
            )));
        }
        let kind = self
            .user(&peer.id)?
            .map(|u| u.kind)
            .unwrap_or_else(|| Kind::Authority(peer.id.clone()));
        peer.public_key = new;
        // Not rewritten: the head witnessed stays (it was checked with the old key).
        peer.witnessed = None;
        self.peer_saved(&peer, &kind)?;
        tracing::info!(peer = %peer.id, key = %hex::encode(new), "peer's node key rotated: following");
        Ok(self.store().peer(&peer.id)?.unwrap_or(peer))
    }

    /// The key this node knows for `signer`: the agreement's or a designation's, else a
    /// peer's.
    pub fn signer_key(&self, signer: &str) -> Result<Option<[u8; 32]>> {
        if let Some(k) = self.policy()?.terms().and_then(|t| t.keys.get(signer)) {
            return Ok(Some(*k));
        }
        Ok(self.store().peer(signer)?.map(|p| p.public_key))
    }
}
