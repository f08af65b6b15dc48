//! The agreement's ledger: records one competent authority signs and another relies on.
//!
//! - a **consent request** (signed by the holder of information obtained from another
//!   authority) asks that authority to let it go to a named third party;
//! - a **consent** (signed by the originator, Art. 6.2: "prior written consent") lets it go
//!   to that recipient, for one purpose, for the objects or the collection named, until a
//!   day; a **revocation** (signed by the originator) ends it at once;
//! - a **confidentiality notice** (signed by the originator, Art. 6.3) raises the protection
//!   of its objects, or of properties of them, on every node that holds copies.
//!
//! - a **lifecycle notification** (a ratification, Art. 9.1; the designation of a competent
//!   authority, Art. 5.1; an amendment protocol, Art. 9.2; a termination notice, Art. 9.3),
//!   recorded and signed by the authority whose party received it through diplomatic
//!   channels: what [`crate::terms`] derives the agreement's state from.
//!
//! Every record is signed with Ed25519 over its RFC 8785 canonical form, so it can travel
//! between nodes as a file (and by federation) and be checked against the authority's key
//! that the agreement file or a signed designation gives: one model, one check, one table
//! for all of them. [`Held`] is what a node holds of consents and notices, as the decision
//! point consults it.

use crate::lifecycle::Day;
use crate::markings::Reach;
use crate::reason::ConsentGap;
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use store::CollectionKey;

/// Competent authority id → its node's Ed25519 public key.
pub type Keys = HashMap<String, [u8; 32]>;

/// Competent authority id → the keys its node held before the current one (a key rotation
/// retires one). A record this node already holds keeps counting when signed with one of
/// them; a record arriving now must be signed with the current key.
pub type Retired = HashMap<String, Vec<[u8; 32]>>;

pub use crate::record_fault::{Fault, LedgerError};

/// What a consent (or a request for one) covers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Scope {
    /// These objects (every version).
    Objects(Vec<String>),
    /// Every object of the holder's collection with this TAXII id.
    Collection(String),
}

/// Who may pass what to whom, for what, until when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConsentTerms {
    /// The authority the information was obtained from; it alone can consent.
    pub originator: String,
    /// The authority that holds the information and may pass it on.
    pub holder: String,
    /// The third party, as the holder's node knows it (a user name there).
    pub recipient: String,
    /// One of the agreement's purposes (Art. 6.4).
    pub purpose: String,
    pub scope: Scope,
    /// The last day (UTC, `YYYY-MM-DD`) on which the consent holds.
    pub expires: Day,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConsentRequest {
    pub id: String,
    pub agreement: String,
    pub terms: ConsentTerms,
    pub requested_at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Consent {
    pub id: String,
    pub agreement: String,
    pub terms: ConsentTerms,
    pub granted_at: String,
    /// The request it answers, if it answers one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Revocation {
    pub id: String,
    pub agreement: String,
    /// The consent revoked.
    pub consent: String,
    pub originator: String,
    pub revoked_at: String,
}

/// Art. 6.2, the originator's refusal of a consent request: nothing is permitted by it
/// (no consent already means no transfer); it tells the holder the answer is no, and takes
/// the request off the originator's list of requests waiting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Decline {
    pub id: String,
    pub agreement: String,
    /// The request declined.
    pub request: String,
    pub originator: String,
    pub declined_at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// How far a noticed object (or the noticed properties) may still travel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NoticeReach {
    /// The holding authority's own users only: it no longer leaves the node that holds it.
    Holder,
    /// The parties' competent authorities, never a third party.
    Parties,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Notice {
    pub id: String,
    pub agreement: String,
    pub originator: String,
    /// The objects whose protection is raised (every version held).
    pub objects: Vec<String>,
    /// STIX granular-marking selectors (§7.2.3.1); empty: the whole object.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub properties: Vec<String>,
    pub reach: NoticeReach,
    pub issued_at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// A competent authority a party designated (Art. 5.1), with its node's key and address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Designated {
    pub id: String,
    pub name: String,
    /// Hex Ed25519 public key of the authority's node.
    pub public_key: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node_url: Option<String>,
}

impl Designated {
    /// The designated node's key.
    pub fn key(&self) -> Option<[u8; 32]> {
        hex::decode(&self.public_key)
            .ok()
            .and_then(|b| <[u8; 32]>::try_from(b).ok())
            .filter(|k| VerifyingKey::from_bytes(k).is_ok())
    }
}

/// An amendment protocol (Art. 9.2): the agreement file as amended, with a higher version.
/// It enters into force like the agreement (Art. 9.1), `timing.entry_into_force_days` after
/// the notification is received; from then on it is the policy that decides.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Amendment {
    pub version: u32,
    /// The amended agreement file (`symbolon-agreement/1` TOML), whole.
    pub text: String,
}

/// A notification a party sent and this authority's party received, as this authority
/// records it (the four kinds share it: a designation names the designated authority, an
/// amendment carries the amended agreement).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Notified {
    pub id: String,
    pub agreement: String,
    /// The party that sent the notification.
    pub party: String,
    /// Day it was received through diplomatic channels.
    pub received: Day,
    /// The authority that recorded (and signed) it.
    pub recorded_by: String,
    pub recorded_at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub designated: Option<Designated>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amendment: Option<Amendment>,
}

/// One record of the ledger.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Record {
    ConsentRequest(ConsentRequest),
    Consent(Consent),
    Decline(Decline),
    Revocation(Revocation),
    Notice(Notice),
    /// Art. 9.1: a party completed its internal procedures.
    Ratification(Notified),
    /// Art. 5.1: a party designated a competent authority.
    Designation(Notified),
    /// Art. 9.2: an amendment protocol.
    Amendment(Notified),
    /// Art. 9.3: a party's notice of termination.
    Termination(Notified),
}

/// The kinds of lifecycle notification, as records name them.
pub const NOTIFICATION_KINDS: [&str; 4] =
    ["ratification", "designation", "amendment", "termination"];

impl Record {
    pub fn id(&self) -> &str {
        match self {
            Record::ConsentRequest(r) => &r.id,
            Record::Consent(c) => &c.id,
            Record::Decline(d) => &d.id,
            Record::Revocation(r) => &r.id,
            Record::Notice(n) => &n.id,
            Record::Ratification(n)
            | Record::Designation(n)
            | Record::Amendment(n)
            | Record::Termination(n) => &n.id,
        }
    }

    pub fn kind(&self) -> &'static str {
        match self {
            Record::ConsentRequest(_) => "consent-request",
            Record::Consent(_) => "consent",
            Record::Decline(_) => "decline",
            Record::Revocation(_) => "revocation",
            Record::Notice(_) => "notice",
            Record::Ratification(_) => "ratification",
            Record::Designation(_) => "designation",
            Record::Amendment(_) => "amendment",
            Record::Termination(_) => "termination",
        }
    }

    /// The lifecycle notification this record is, if it is one.
    pub fn notification(&self) -> Option<&Notified> {
        match self {
            Record::Ratification(n)
            | Record::Designation(n)
            | Record::Amendment(n)
            | Record::Termination(n) => Some(n),
            _ => None,
        }
    }

    /// The authority whose key must have signed the record: the holder asks, the
    /// originator consents, revokes and gives notice, the recording authority signs a
    /// notification its party received.
    pub fn signer(&self) -> &str {
        match self {
            Record::ConsentRequest(r) => &r.terms.holder,
            Record::Consent(c) => &c.terms.originator,
            Record::Decline(d) => &d.originator,
            Record::Revocation(r) => &r.originator,
            Record::Notice(n) => &n.originator,
            Record::Ratification(n)
            | Record::Designation(n)
            | Record::Amendment(n)
            | Record::Termination(n) => &n.recorded_by,
        }
    }

    fn agreement(&self) -> &str {
        match self {
            Record::ConsentRequest(r) => &r.agreement,
            Record::Consent(c) => &c.agreement,
            Record::Decline(d) => &d.agreement,
            Record::Revocation(r) => &r.agreement,
            Record::Notice(n) => &n.agreement,
            Record::Ratification(n)
            | Record::Designation(n)
            | Record::Amendment(n)
            | Record::Termination(n) => &n.agreement,
        }
    }

    /// Checks what can be checked without a signature: the agreement, the purpose, dates,
    /// ids, what a notification of its kind must carry. Errors name the record and the field.
    pub fn check(&self, agreement: &str, purposes: &[String]) -> Result<(), LedgerError> {
        let id = self.id();
        let fail = |fault: Fault| Err(self.fault(fault));
        if id.trim().is_empty() {
            return Err(LedgerError::NoId { kind: self.kind() });
        }
        if self.agreement() != agreement {
            return fail(Fault::OtherAgreement {
                named: self.agreement().to_owned(),
                ours: agreement.to_owned(),
            });
        }
        let terms = match self {
            Record::ConsentRequest(r) => Some(&r.terms),
            Record::Consent(c) => Some(&c.terms),
            _ => None,
        };
        if let Some(t) = terms {
            if !purposes.iter().any(|p| p == &t.purpose) {
                return fail(Fault::UnknownPurpose {
                    purpose: t.purpose.clone(),
                    permitted: purposes.to_vec(),
                });
            }
            if t.originator == t.holder {
                return fail(Fault::SameAuthority);
            }
            if t.recipient.trim().is_empty() {
                return fail(Fault::Empty {
                    field: "terms.recipient",
                });
            }
            match &t.scope {
                Scope::Objects(ids) if ids.is_empty() => {
                    return fail(Fault::Empty {
                        field: "terms.scope.objects",
                    });
                }
                Scope::Objects(ids) => {
                    if let Some(bad) = ids.iter().find(|i| stix::id::parse(i).is_err()) {
                        return fail(Fault::NotAnId {
                            field: "terms.scope.objects",
                            value: bad.clone(),
                        });
                    }
                }
                Scope::Collection(c) if c.trim().is_empty() => {
                    return fail(Fault::Empty {
                        field: "terms.scope.collection",
                    });
                }
                Scope::Collection(_) => {}
            }
        }
        if let Some(n) = self.notification() {
            let designation = matches!(self, Record::Designation(_));
            let amendment = matches!(self, Record::Amendment(_));
            if designation != n.designated.is_some() {
                return fail(Fault::Designated);
            }
            if amendment != n.amendment.is_some() {
                return fail(Fault::Amended);
            }
            if n.party.trim().is_empty() || n.recorded_by.trim().is_empty() {
                return fail(Fault::NoParty);
            }
            if let Some(d) = &n.designated {
                if d.id.trim().is_empty() {
                    return fail(Fault::Empty {
                        field: "designated.id",
                    });
                }
                if d.key().is_none() {
                    return fail(Fault::DesignatedKey {
                        key: d.public_key.clone(),
                    });
                }
            }
            if let Some(a) = &n.amendment {
                let amended = crate::agreement::Agreement::parse(&a.text).map_err(|e| {
                    self.fault(Fault::AmendmentText {
                        detail: e.to_string(),
                    })
                })?;
                if amended.id != agreement || amended.version != a.version {
                    return fail(Fault::AmendsOther {
                        id: amended.id,
                        version: amended.version,
                        ours: agreement.to_owned(),
                        says: a.version,
                    });
                }
            }
        }
        if let Record::Notice(n) = self {
            if n.objects.is_empty() {
                return fail(Fault::Empty { field: "objects" });
            }
            if let Some(bad) = n.objects.iter().find(|i| stix::id::parse(i).is_err()) {
                return fail(Fault::NotAnId {
                    field: "objects",
                    value: bad.clone(),
                });
            }
            if let Some(bad) = n
                .properties
                .iter()
                .find(|s| crate::redact::parse(s).is_none())
            {
                return fail(Fault::NotASelector { value: bad.clone() });
            }
        }
        Ok(())
    }

    /// `fault` as this record's.
    pub fn fault(&self, fault: Fault) -> LedgerError {
        LedgerError::Record {
            kind: self.kind(),
            id: self.id().to_owned(),
            fault,
        }
    }
}

/// A record with its signer's Ed25519 signature over the RFC 8785 form of `record`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Signed {
    pub record: Record,
    /// Hex Ed25519 public key of the signing authority's node.
    pub public_key: String,
    /// Hex Ed25519 signature.
    pub signature: String,
}

impl Signed {
    /// Signs `record` with the node key of the authority [`Record::signer`] names.
    pub fn sign(record: Record, key: &SigningKey) -> Result<Signed, LedgerError> {
        let bytes = serde_jcs::to_vec(&record).map_err(|e| LedgerError::Canonical {
            detail: e.to_string(),
        })?;
        Ok(Signed {
            public_key: hex::encode(key.verifying_key().to_bytes()),
            signature: hex::encode(key.sign(&bytes).to_bytes()),
            record,
        })
    }

    /// Checks the signature against the key the agreement gives the record's signer.
    pub fn verify(&self, keys: &Keys) -> Result<(), LedgerError> {
        let r = &self.record;
        let signer = r.signer();
        let Some(expected) = keys.get(signer) else {
            return Err(r.fault(Fault::UnknownSigner {
                signer: signer.to_owned(),
            }));
        };
        if hex::decode(&self.public_key).ok().as_deref() != Some(&expected[..]) {
            return Err(r.fault(Fault::OtherKey {
                signer: signer.to_owned(),
            }));
        }
        self.verify_as(expected)
    }

    /// [`Signed::verify`] for a record already held: its signer's current key or one the
    /// signer's node held before and retired (records signed before a key rotation keep
    /// counting).
    pub fn verify_held(&self, keys: &Keys, retired: &Retired) -> Result<(), LedgerError> {
        let signer = self.record.signer();
        match self.signing_key() {
            Some(k) if retired.get(signer).is_some_and(|old| old.contains(&k)) => {
                self.verify_as(&k)
            }
            _ => self.verify(keys),
        }
    }

    /// The new key, when this record is `authority`'s key rotation as a node holding `held`
    /// for it sees one: `authority`'s designation of itself with a key, signed with `held`.
    pub fn rotation_of(&self, authority: &str, held: &[u8; 32]) -> Option<[u8; 32]> {
        let Record::Designation(n) = &self.record else {
            return None;
        };
        let designated = n.designated.as_ref()?;
        if designated.id != authority || n.recorded_by != authority {
            return None;
        }
        let new = designated.key()?;
        self.verify_as(held).ok()?;
        Some(new)
    }

    /// The key the record says it is signed with (`public_key`), when it is one.
    pub fn signing_key(&self) -> Option<[u8; 32]> {
        hex::decode(&self.public_key).ok()?.try_into().ok()
    }

    /// Checks the signature against `key` alone, whoever holds it: what [`Signed::verify`]
    /// does once it found the signer's key to be `key`.
    pub fn verify_as(&self, key: &[u8; 32]) -> Result<(), LedgerError> {
        let r = &self.record;
        let key = VerifyingKey::from_bytes(key).map_err(|_| LedgerError::KeyUnusable {
            signer: r.signer().to_owned(),
        })?;
        let sig: [u8; 64] = hex::decode(&self.signature)
            .ok()
            .and_then(|b| b.try_into().ok())
            .ok_or_else(|| r.fault(Fault::SignatureUnreadable))?;
        let bytes = serde_jcs::to_vec(r).map_err(|e| LedgerError::Canonical {
            detail: e.to_string(),
        })?;
        key.verify(&bytes, &Signature::from_bytes(&sig))
            .map_err(|_| r.fault(Fault::SignatureMismatch))
    }
}

/// A consent as the decision point uses it.
#[derive(Debug, Clone)]
struct HeldConsent {
    id: String,
    terms: ConsentTerms,
    expires: Day,
}

/// The consents held for one recipient, found by what they cover: a decision looks at
/// the consents naming its object or its collection, however many others are held.
#[derive(Debug, Default)]
struct ForRecipient {
    /// In the order taken.
    all: Vec<HeldConsent>,
    /// Object id → places in `all` of the consents naming it, ascending.
    by_object: HashMap<String, Vec<usize>>,
    /// The holder's collection → places in `all` of the consents for it, ascending.
    by_collection: HashMap<CollectionKey, Vec<usize>>,
}

/// A notice's effect on one object.
#[derive(Debug, Clone)]
pub struct NoticeEffect {
    pub notice: String,
    pub originator: String,
    pub reach: Reach,
    /// Selectors; empty: the whole object.
    pub properties: Vec<String>,
}

/// Why a consent does (not) let an object go to a third party.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConsentCheck {
    /// Held, valid, covering the object: the id of the consent.
    Granted(String),
    /// None covers the object for this recipient and purpose; what came closest.
    Missing(ConsentGap),
}

/// The ledger as the decision point consults it: valid consents by recipient, revocations,
/// notices by object.
#[derive(Debug, Default)]
pub struct Held {
    /// The store position of the last record read.
    pub seen: i64,
    consents: HashMap<String, ForRecipient>,
    /// Who granted each consent held (consent id → originator): a revocation is checked
    /// against it without a search through every consent.
    granted_by: HashMap<String, String>,
    revoked: HashSet<String>,
    notices: HashMap<String, Vec<NoticeEffect>>,
    /// Records that failed their checks when read (id, why): never applied.
    pub refused: Vec<(String, LedgerError)>,
}

impl Held {
    /// Takes one stored record: applied only if its signature and contents check out.
    /// `resolve` finds a collection of this node by TAXII id.
    pub fn take(
        &mut self,
        signed: &Signed,
        agreement: &str,
        purposes: &[String],
        keys: &Keys,
        retired: &Retired,
        resolve: &dyn Fn(&str) -> Option<CollectionKey>,
    ) {
        if let Err(why) = signed
            .verify_held(keys, retired)
            .and_then(|()| signed.record.check(agreement, purposes))
        {
            self.refused.push((signed.record.id().to_owned(), why));
            return;
        }
        match &signed.record {
            // Requests are kept to be granted; notifications decide the terms themselves
            // (`crate::terms`), not what the ledger holds.
            Record::ConsentRequest(_)
            | Record::Decline(_)
            | Record::Ratification(_)
            | Record::Designation(_)
            | Record::Amendment(_)
            | Record::Termination(_) => {}
            Record::Consent(c) => {
                self.granted_by
                    .entry(c.id.clone())
                    .or_insert_with(|| c.terms.originator.clone());
                let held = self.consents.entry(c.terms.recipient.clone()).or_default();
                let place = held.all.len();
                match &c.terms.scope {
                    Scope::Objects(ids) => {
                        // Each object once, however often the consent names it.
                        let ids: HashSet<&String> = ids.iter().collect();
                        for id in ids {
                            held.by_object.entry(id.clone()).or_default().push(place);
                        }
                    }
                    Scope::Collection(id) => {
                        // A collection not (yet) known here covers nothing.
                        if let Some(key) = resolve(id) {
                            held.by_collection.entry(key).or_default().push(place);
                        }
                    }
                }
                held.all.push(HeldConsent {
                    id: c.id.clone(),
                    terms: c.terms.clone(),
                    expires: c.terms.expires,
                });
            }
            Record::Revocation(r) => {
                // Only the originator of the consent can revoke it.
                let own = self
                    .granted_by
                    .get(&r.consent)
                    .is_none_or(|originator| *originator == r.originator);
                if own {
                    self.revoked.insert(r.consent.clone());
                } else {
                    self.refused.push((
                        r.id.clone(),
                        signed.record.fault(Fault::NotTheGranter {
                            originator: r.originator.clone(),
                            consent: r.consent.clone(),
                        }),
                    ));
                }
            }
            Record::Notice(n) => {
                let reach = match n.reach {
                    NoticeReach::Holder => Reach::Local,
                    NoticeReach::Parties => Reach::Parties,
                };
                for object in &n.objects {
                    self.notices
                        .entry(object.clone())
                        .or_default()
                        .push(NoticeEffect {
                            notice: n.id.clone(),
                            originator: n.originator.clone(),
                            reach,
                            properties: n.properties.clone(),
                        });
                }
            }
        }
    }

    /// Art. 6.2: does a valid consent let `object` (obtained from `originator`, held in
    /// `collection`) go to `recipient` for `purpose` on `today`?
    pub fn consent(
        &self,
        recipient: &str,
        originator: &str,
        purpose: &str,
        object: &str,
        collection: CollectionKey,
        today: Day,
    ) -> ConsentCheck {
        let mut near = None;
        let held = self.consents.get(recipient);
        let by_object = held
            .and_then(|h| h.by_object.get(object))
            .map_or(&[][..], Vec::as_slice);
        let by_collection = held
            .and_then(|h| h.by_collection.get(&collection))
            .map_or(&[][..], Vec::as_slice);
        for c in merged(by_object, by_collection).filter_map(|i| held?.all.get(i)) {
            if c.terms.originator != originator {
                continue;
            }
            if c.terms.purpose != purpose {
                near = Some(ConsentGap::OtherPurpose {
                    consent: c.id.clone(),
                    purpose: c.terms.purpose.clone(),
                    wanted: purpose.to_owned(),
                });
            } else if self.revoked.contains(&c.id) {
                near = Some(ConsentGap::Revoked {
                    consent: c.id.clone(),
                });
            } else if today > c.expires {
                near = Some(ConsentGap::Expired {
                    consent: c.id.clone(),
                    on: c.expires,
                });
            } else {
                return ConsentCheck::Granted(c.id.clone());
            }
        }
        ConsentCheck::Missing(near.unwrap_or_else(|| ConsentGap::NoneHeld {
            originator: originator.to_owned(),
            recipient: recipient.to_owned(),
        }))
    }

    /// The notices that apply to an object (by id).
    pub fn notices(&self, object: &str) -> &[NoticeEffect] {
        self.notices.get(object).map_or(&[], Vec::as_slice)
    }

    pub fn is_empty(&self) -> bool {
        self.consents.is_empty() && self.notices.is_empty()
    }

    /// Consents held, each with its state on `today` (`valid`, `expired`, `revoked`).
    pub fn consents_on(&self, today: Day) -> Vec<(ConsentTerms, String, &'static str)> {
        let mut out: Vec<_> = self
            .consents
            .values()
            .flat_map(|h| &h.all)
            .map(|c| {
                let state = if self.revoked.contains(&c.id) {
                    "revoked"
                } else if today > c.expires {
                    "expired"
                } else {
                    "valid"
                };
                (c.terms.clone(), c.id.clone(), state)
            })
            .collect();
        out.sort_by(|a, b| a.1.cmp(&b.1));
        out
    }
}

/// The places in both ascending lists, ascending, each once.
fn merged<'a>(a: &'a [usize], b: &'a [usize]) -> impl Iterator<Item = usize> + 'a {
    let (mut i, mut j) = (0, 0);
    std::iter::from_fn(move || {
        let next = match (a.get(i), b.get(j)) {
            (Some(&x), Some(&y)) if x == y => {
                i += 1;
                j += 1;
                x
            }
            (Some(&x), Some(&y)) if x < y => {
                i += 1;
                x
            }
            (_, Some(&y)) => {
                j += 1;
                y
            }
            (Some(&x), None) => {
                i += 1;
                x
            }
            (None, None) => return None,
        };
        Some(next)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_are_merged_in_order_each_once() {
        assert_eq!(
            merged(&[0, 2, 5], &[1, 2, 7]).collect::<Vec<_>>(),
            [0, 1, 2, 5, 7]
        );
        assert_eq!(merged(&[], &[3]).collect::<Vec<_>>(), [3]);
        assert_eq!(merged(&[4], &[]).collect::<Vec<_>>(), [4]);
    }

    fn key(seed: u8) -> SigningKey {
        SigningKey::from_bytes(&[seed; 32])
    }

    fn keys() -> Keys {
        [
            ("ir-csirt".to_owned(), key(1).verifying_key().to_bytes()),
            ("ru-csirt".to_owned(), key(2).verifying_key().to_bytes()),
        ]
        .into()
    }

    const OBJ: &str = "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f";

    fn consent(id: &str, purpose: &str, expires: &str) -> Record {
        Record::Consent(Consent {
            id: id.into(),
            agreement: "a".into(),
            terms: ConsentTerms {
                originator: "ru-csirt".into(),
                holder: "ir-csirt".into(),
                recipient: "partner".into(),
                purpose: purpose.into(),
                scope: Scope::Objects(vec![OBJ.into()]),
                expires: Day::parse(expires).unwrap(),
            },
            granted_at: "2025-01-01T00:00:00Z".into(),
            request: None,
        })
    }

    fn held(records: &[Signed]) -> Held {
        let mut h = Held::default();
        for s in records {
            h.take(
                s,
                "a",
                &["ir".into(), "jta".into()],
                &keys(),
                &Retired::new(),
                &|_| None,
            );
        }
        h
    }

    fn day(s: &str) -> Day {
        Day::parse(s).unwrap()
    }

    #[test]
    fn a_consent_signed_by_the_originator_lets_the_object_go_until_it_expires() {
        let h = held(&[Signed::sign(consent("c1", "ir", "2025-06-30"), &key(2)).unwrap()]);
        let ask = |d| h.consent("partner", "ru-csirt", "ir", OBJ, 1, day(d));
        assert_eq!(ask("2025-06-30"), ConsentCheck::Granted("c1".into()));
        assert!(
            matches!(ask("2025-07-01"), ConsentCheck::Missing(m) if matches!(m, ConsentGap::Expired { .. }))
        );
        assert!(matches!(
            h.consent("partner", "ru-csirt", "jta", OBJ, 1, day("2025-06-01")),
            ConsentCheck::Missing(m) if matches!(m, ConsentGap::OtherPurpose { .. })
        ));
        assert!(matches!(
            h.consent("other", "ru-csirt", "ir", OBJ, 1, day("2025-06-01")),
            ConsentCheck::Missing(_)
        ));
    }

    #[test]
    fn a_consent_signed_by_anyone_but_the_originator_is_refused() {
        // Signed by the holder itself: it cannot consent on the originator's behalf.
        let forged = Signed::sign(consent("c1", "ir", "2025-06-30"), &key(1)).unwrap();
        let h = held(&[forged]);
        assert!(h.is_empty());
        assert!(
            h.refused[0].1.to_string().contains("not `ru-csirt`'s"),
            "{:?}",
            h.refused
        );
        // A record changed after signing.
        let mut changed = Signed::sign(consent("c2", "ir", "2025-06-30"), &key(2)).unwrap();
        if let Record::Consent(c) = &mut changed.record {
            c.terms.recipient = "someone-else".into();
        }
        let h = held(&[changed]);
        assert!(h.is_empty());
        assert!(
            h.refused[0].1.to_string().contains("does not match"),
            "{:?}",
            h.refused
        );
    }

    #[test]
    fn a_revocation_by_the_originator_ends_the_consent() {
        let revoke = Record::Revocation(Revocation {
            id: "r1".into(),
            agreement: "a".into(),
            consent: "c1".into(),
            originator: "ru-csirt".into(),
            revoked_at: "2025-02-01T00:00:00Z".into(),
        });
        let h = held(&[
            Signed::sign(consent("c1", "ir", "2025-06-30"), &key(2)).unwrap(),
            Signed::sign(revoke, &key(2)).unwrap(),
        ]);
        assert!(matches!(
            h.consent("partner", "ru-csirt", "ir", OBJ, 1, day("2025-03-01")),
            ConsentCheck::Missing(m) if matches!(m, ConsentGap::Revoked { .. })
        ));
    }

    #[test]
    fn only_the_originator_of_a_consent_revokes_it() {
        // ir-csirt signs a revocation of ru-csirt's consent: refused, the consent stands.
        let revoke = Record::Revocation(Revocation {
            id: "r1".into(),
            agreement: "a".into(),
            consent: "c1".into(),
            originator: "ir-csirt".into(),
            revoked_at: "2025-02-01T00:00:00Z".into(),
        });
        let h = held(&[
            Signed::sign(consent("c1", "ir", "2025-06-30"), &key(2)).unwrap(),
            Signed::sign(revoke, &key(1)).unwrap(),
        ]);
        assert!(matches!(
            h.consent("partner", "ru-csirt", "ir", OBJ, 1, day("2025-03-01")),
            ConsentCheck::Granted(_)
        ));
        assert_eq!(
            h.refused[0].1.to_string(),
            "revocation `r1`: `ir-csirt` did not grant consent `c1`"
        );
    }

    #[test]
    fn records_with_unknown_purposes_or_bad_dates_are_refused() {
        let h = held(&[Signed::sign(consent("c1", "marketing", "2025-06-30"), &key(2)).unwrap()]);
        assert!(h.is_empty());
        assert!(h.refused[0].1.to_string().contains("Art. 6.4"));
        // A day that is not one does not even read as a record.
        let text = serde_json::to_string(
            &Signed::sign(consent("c2", "ir", "2025-06-30"), &key(2)).unwrap(),
        )
        .unwrap()
        .replace("2025-06-30", "30/06/2025");
        let e = serde_json::from_str::<Signed>(&text).unwrap_err();
        assert!(e.to_string().contains("30/06/2025"), "{e}");
    }

    #[test]
    fn records_round_trip_through_json_with_their_kind() {
        let s = Signed::sign(consent("c1", "ir", "2025-06-30"), &key(2)).unwrap();
        let text = serde_json::to_string(&s).unwrap();
        assert!(text.contains("\"kind\":\"consent\""));
        let back: Signed = serde_json::from_str(&text).unwrap();
        assert_eq!(back, s);
        back.verify(&keys()).unwrap();
        let unknown = text.replace("\"granted_at\"", "\"surprise\":1,\"granted_at\"");
        assert!(serde_json::from_str::<Signed>(&unknown).is_err());
    }
}
