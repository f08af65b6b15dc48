//! The node's single decision point. Every path that lets an object leave the node (TAXII
//! objects, object, versions, manifest; CLI export; and later sync and search) asks
//! [`Policy::decide`] once per object and serves only what it allows. No other crate filters
//! objects on its own: `store` scans, `taxii` renders, `policy` says yes or no.
//!
//! The decision combines collection rights (TAXII `can_read`/`can_write`), the declared
//! purpose (Art. 6.4), what kind of principal asks (a user of this authority, another
//! competent authority, a third party: Art. 6.2), where the object came from, how far its
//! markings let it travel ([`markings`], most restrictive wins, Art. 6.1/6.5) and where the
//! agreement's lifecycle stands (Art. 9).
//!
//! ```
//! use policy::{Policy, Principal, Access, Action, ObjectFacts, Decision};
//! let admin = Principal::admin("admin");
//! let access = Access { principal: &admin, collection: 1, action: Action::Read, purpose: None };
//! let facts = ObjectFacts { id: "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f", object_type: "indicator", marking_refs: &[], origin: None, granular: &[] };
//! assert_eq!(Policy::default().decide(&access, &facts), Decision::Allow);
//! ```

pub mod agreement;
pub mod ledger;
pub mod lifecycle;
pub mod markings;
pub mod password;
pub mod reason;
pub mod record_fault;
pub mod redact;
pub mod terms;

use ledger::{ConsentCheck, Held};
use lifecycle::{Day, Lifecycle};
use markings::{Reach, Registry};
use std::collections::HashMap;
use std::sync::RwLock;
use store::{CollectionKey, Grant, User};

pub use reason::{ConsentGap, Reason};
pub use store::Kind;

/// Someone the node answers: a user of this authority, another competent authority, or a
/// third party, bound to the purposes it may declare.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    pub name: String,
    pub is_admin: bool,
    pub kind: Kind,
    /// Purposes this principal may declare (Art. 6.4); the first is its default.
    pub purposes: Vec<String>,
    rights: HashMap<CollectionKey, Rights>,
}

/// A principal's rights on one collection.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Rights {
    pub can_read: bool,
    pub can_write: bool,
}

impl Principal {
    /// This node's operator: a local administrator, bound to every purpose.
    pub fn admin(name: &str) -> Self {
        Principal {
            name: name.to_owned(),
            is_admin: true,
            kind: Kind::Local,
            purposes: Vec::new(),
            rights: HashMap::new(),
        }
    }

    /// Builds a principal from a stored user and that user's grants.
    pub fn from_user(user: &User, grants: &[Grant]) -> Self {
        let rights = grants
            .iter()
            .map(|g| {
                (
                    g.collection,
                    Rights {
                        can_read: g.can_read,
                        can_write: g.can_write,
                    },
                )
            })
            .collect();
        Principal {
            name: user.name.clone(),
            is_admin: user.is_admin,
            kind: user.kind.clone(),
            purposes: user.purposes.clone(),
            rights,
        }
    }

    /// The purpose a request declares: the one named, or this principal's default.
    pub fn purpose<'a>(&'a self, declared: Option<&'a str>) -> Option<&'a str> {
        declared.or(self.purposes.first().map(String::as_str))
    }
}

/// What a principal is trying to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Read,
    Write,
    Delete,
}

/// One request's context: who, where, what, and for which purpose (Art. 6.4).
#[derive(Debug, Clone, Copy)]
pub struct Access<'a> {
    pub principal: &'a Principal,
    pub collection: CollectionKey,
    pub action: Action,
    /// The purpose declared for this request (see [`Principal::purpose`]).
    pub purpose: Option<&'a str>,
}

/// The facts about an object that a decision may depend on.
#[derive(Debug, Clone, Copy)]
pub struct ObjectFacts<'a> {
    pub id: &'a str,
    pub object_type: &'a str,
    pub marking_refs: &'a [String],
    /// The competent authority the object was obtained from; `None`: this authority's own.
    pub origin: Option<&'a str>,
    /// Markings of parts of the object: parts whose marking falls short of the asker are
    /// left out of what is served ([`Decision::Redact`]).
    pub granular: &'a [stix::Granular],
}

/// The article of the agreement a refusal rests on, or the node's own rule (collection
/// rights) where no article is involved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Article {
    /// Collection rights (TAXII `can_read`/`can_write`): the operator's grant, not an article.
    Rights,
    /// Art. 3: exchange between the competent authorities under the agreement.
    Art3,
    /// Art. 6.1, 6.5: restricted-access information, by its markings.
    Art6_1,
    /// Art. 6.2: no third party without the originator's prior written consent.
    Art6_2,
    /// Art. 6.3: confidentiality notices.
    Art6_3,
    /// Art. 6.4: purpose limitation.
    Art6_4,
    /// Art. 6.6: classified information is not exchanged through the node.
    Art6_6,
    /// Art. 9: the agreement's lifecycle.
    Art9,
}

impl Article {
    /// How the article is cited (`Art. 6.2`; `rights` for collection rights): the key the
    /// audit log counts refusals under.
    pub fn cite(self) -> &'static str {
        match self {
            Article::Rights => "rights",
            Article::Art3 => "Art. 3",
            Article::Art6_1 => "Art. 6.1",
            Article::Art6_2 => "Art. 6.2",
            Article::Art6_3 => "Art. 6.3",
            Article::Art6_4 => "Art. 6.4",
            Article::Art6_6 => "Art. 6.6",
            Article::Art9 => "Art. 9",
        }
    }
}

impl std::fmt::Display for Article {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.cite())
    }
}

/// Why something was refused: the article and the reason shown to the asker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Denial {
    pub article: Article,
    /// Boxed: a denial travels in `Result`s and `Decision`s that are mostly not denials.
    pub reason: Box<Reason>,
}

impl Denial {
    pub fn new(article: Article, reason: Reason) -> Self {
        Denial {
            article,
            reason: Box::new(reason),
        }
    }
}

/// `Art. 6.2: reason` (a refusal of collection rights shows its reason alone).
impl std::fmt::Display for Denial {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.article {
            Article::Rights => write!(f, "{}", self.reason),
            a => write!(f, "{a}: {}", self.reason),
        }
    }
}

impl std::error::Error for Denial {}

/// What the policy says about one object for one request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    Allow,
    /// Allowed without the parts these selectors name (granular markings, notices);
    /// the read path serves [`redact::apply`] of the object.
    Redact(Vec<String>),
    Deny(Denial),
}

impl Decision {
    pub fn is_allowed(&self) -> bool {
        !matches!(self, Decision::Deny(_))
    }

    /// `Err` with the denial, `Ok` otherwise.
    pub fn denial(self) -> Result<(), Denial> {
        match self {
            Decision::Deny(d) => Err(d),
            _ => Ok(()),
        }
    }
}

/// What a read path did with one row (see [`Policy::serve`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Served {
    Whole,
    /// Served without the parts the recipient may not see.
    Redacted,
    /// Not served, and why.
    Withheld(Denial),
}

impl Served {
    /// The article a withholding rests on, for counting in the audit log.
    pub fn article(&self) -> Option<Article> {
        match self {
            Served::Withheld(d) => Some(d.article),
            _ => None,
        }
    }
}

/// Errors of the policy's own inputs (not refusals: those are [`Denial`]s).
#[derive(Debug, thiserror::Error)]
pub enum PolicyError {
    /// An id the agreement does not know (an authority, a purpose), naming those it does.
    #[error("{0}")]
    Unknown(String),
    #[error(transparent)]
    Store(#[from] store::StoreError),
    #[error(transparent)]
    Agreement(#[from] agreement::AgreementError),
}

/// What the node knows of the agreement it operates under.
#[derive(Debug, Clone)]
pub struct Terms {
    /// The agreement's id (records of the ledger name it).
    pub agreement: String,
    /// The policy version (the agreement file's `version`; amendments raise it).
    pub version: u32,
    /// This node's own competent authority.
    pub authority: String,
    /// The permitted purposes (Art. 6.4).
    pub purposes: Vec<String>,
    /// Every known competent authority of every party (agreement file and designations).
    pub authorities: Vec<String>,
    pub restricted_markings: Vec<String>,
    pub lifecycle: Lifecycle,
    /// Each known authority's node key: the ledger's records are checked against them.
    pub keys: ledger::Keys,
    /// Keys authorities' nodes held before (rotated): records held keep counting.
    pub retired: ledger::Retired,
}

impl Terms {
    /// Does `id` name a competent authority this node knows? The refusal lists those it does.
    pub fn known_authority(&self, id: &str) -> Result<(), PolicyError> {
        if self.authorities.iter().any(|a| a == id) {
            Ok(())
        } else {
            Err(PolicyError::Unknown(format!(
                "`{id}` is not a competent authority known to this node (the agreement file and designations name: {})",
                self.authorities.join(", ")
            )))
        }
    }

    /// Is `purpose` one of the agreement's (Art. 6.4)? The refusal lists those that are.
    pub fn known_purpose(&self, purpose: &str) -> Result<(), PolicyError> {
        if self.purposes.iter().any(|p| p == purpose) {
            Ok(())
        } else {
            Err(PolicyError::Unknown(format!(
                "`{purpose}` is not a purpose of the agreement (permitted: {})",
                self.purposes.join(", ")
            )))
        }
    }
}

/// The node's policy: collection rights, purposes, markings, third parties, lifecycle.
#[derive(Debug, Default)]
pub struct Policy {
    terms: Option<Terms>,
    registry: RwLock<Registry>,
    ledger: RwLock<Held>,
    /// What a policy loaded from a store was derived from (`None`: given its terms).
    source: Option<Source>,
    /// Notifications held that do not count (id, why).
    refused_notifications: Vec<(String, ledger::LedgerError)>,
}

/// What a policy was derived from: when any of it changes, it is derived again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Source {
    /// The store's agreement counter (0: no agreement).
    agreement: i64,
    /// The day the agreement in force was chosen for (Art. 9.2: an amendment decides from
    /// a date).
    day: Day,
    /// The last record position read; a notification after it changes the terms.
    records: i64,
}

/// Whether a policy still says what the store's agreement records say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[must_use = "a stale policy must be loaded again before it decides"]
pub enum Freshness {
    Fresh,
    /// The agreement, a lifecycle notification or the day changed: [`Policy::load`] again.
    Stale,
}

fn deny(article: Article, why: Reason) -> Decision {
    Decision::Deny(Denial::new(article, why))
}

impl Policy {
    /// A policy under an agreement.
    pub fn under(terms: Terms) -> Self {
        let mut registry = Registry::default();
        for m in &terms.restricted_markings {
            registry.restrict(m);
        }
        Policy {
            terms: Some(terms),
            registry: RwLock::new(registry),
            ledger: RwLock::default(),
            source: None,
            refused_notifications: Vec::new(),
        }
    }

    /// The policy of the node whose store this is, on `day`: under the agreement it was put
    /// under (with the terms its notifications give, [`terms::derive`]) or under none,
    /// with the ledger and marking definitions it holds. `own_key` is the node's key,
    /// `own_retired` the keys it held before (its key rotations, oldest first).
    pub fn load(
        store: &dyn store::Store,
        own_key: [u8; 32],
        own_retired: &[[u8; 32]],
        day: Day,
    ) -> Result<Policy, PolicyError> {
        let records = store.records_after(0)?;
        let through = records.last().map_or(0, |(seq, _)| *seq);
        let mut policy = match store.agreement()? {
            None => Policy::default(),
            Some((doc, _)) => {
                let base = agreement::Agreement::parse(&doc.text)?;
                let me = terms::Member {
                    party: doc.party,
                    authority: doc.authority,
                    key: own_key,
                    retired: own_retired.to_vec(),
                };
                let signed: Vec<ledger::Signed> = records
                    .iter()
                    .filter(|(_, r)| ledger::NOTIFICATION_KINDS.contains(&r.kind.as_str()))
                    .filter_map(|(_, r)| serde_json::from_str(&r.json).ok())
                    .collect();
                let derived = terms::derive(&base, &me, &signed, day)?;
                let mut p = Policy::under(derived.terms);
                p.refused_notifications = derived.refused;
                p
            }
        };
        policy.source = Some(Source {
            agreement: store.agreement_version()?,
            day,
            records: through,
        });
        policy.take_records(store, records)?;
        Ok(policy)
    }

    /// Notifications held that do not count, with why (see [`terms`]).
    pub fn refused_notifications(&self) -> &[(String, ledger::LedgerError)] {
        &self.refused_notifications
    }

    pub fn terms(&self) -> Option<&Terms> {
        self.terms.as_ref()
    }

    /// The policy version that decides (0 without an agreement).
    pub fn version(&self) -> u32 {
        self.terms.as_ref().map_or(0, |t| t.version)
    }

    /// Reads marking definitions and ledger records stored since the last call (any
    /// process may have stored them: the CLI imports and records consents while the server
    /// runs). Cheap when there are none. A policy loaded from the store is [`Freshness::Stale`]
    /// once the agreement, a lifecycle notification or the day changed: the terms follow
    /// from them, so it must be loaded again ([`Policy::load`]).
    pub fn refresh(&self, store: &dyn store::Store) -> store::Result<Freshness> {
        self.refresh_at(store, &store.marks()?)
    }

    /// [`Policy::refresh`] with where the store stands already asked (`Store::marks`, the
    /// one question of a request in the common case, where nothing changed).
    pub fn refresh_at(
        &self,
        store: &dyn store::Store,
        marks: &store::Marks,
    ) -> store::Result<Freshness> {
        if let Some(source) = self.source
            && (source.day != Day::today() || marks.agreement != source.agreement)
        {
            return Ok(Freshness::Stale);
        }
        let seen = self.held().seen;
        if marks.records > seen {
            let new = store.records_after(seen)?;
            if let Some(source) = self.source
                && new.iter().any(|(seq, r)| {
                    *seq > source.records && ledger::NOTIFICATION_KINDS.contains(&r.kind.as_str())
                })
            {
                return Ok(Freshness::Stale);
            }
            self.take_records(store, new)?;
        }
        let seen = self.registry().seen;
        if marks.markings <= seen as i64 {
            return Ok(Freshness::Fresh);
        }
        let new = store.marking_definitions_after(seen as i64)?;
        let restricted = self
            .terms
            .as_ref()
            .map_or(&[][..], |t| &t.restricted_markings[..]);
        let mut r = self.registry.write().unwrap_or_else(|p| p.into_inner());
        for (seq, json) in new {
            // A definition that does not read is not learnt: its objects stay with this
            // authority (an unknown marking is the narrowest reading).
            if let Ok(def) = serde_json::from_str::<serde_json::Value>(&json) {
                r.learn(&def, restricted);
            }
            r.seen = r.seen.max(seq as u64);
        }
        Ok(Freshness::Fresh)
    }

    fn take_records(
        &self,
        store: &dyn store::Store,
        new: Vec<(i64, store::LedgerRecord)>,
    ) -> store::Result<()> {
        let Some(terms) = &self.terms else {
            // Under no agreement nothing applies; the records are read once all the same.
            if let Some((seq, _)) = new.last() {
                let mut held = self.ledger.write().unwrap_or_else(|p| p.into_inner());
                held.seen = held.seen.max(*seq);
            }
            return Ok(());
        };
        if new.is_empty() {
            return Ok(());
        }
        let collections = store.collections()?;
        let resolve = |id: &str| collections.iter().find(|c| c.id == id).map(|c| c.key);
        let mut held = self.ledger.write().unwrap_or_else(|p| p.into_inner());
        for (seq, record) in new {
            if seq <= held.seen {
                continue;
            }
            match serde_json::from_str::<ledger::Signed>(&record.json) {
                Ok(signed) => held.take(
                    &signed,
                    &terms.agreement,
                    &terms.purposes,
                    &terms.keys,
                    &terms.retired,
                    &resolve,
                ),
                Err(e) => held.refused.push((
                    record.id,
                    ledger::LedgerError::NotARecord {
                        detail: e.to_string(),
                    },
                )),
            }
            held.seen = held.seen.max(seq);
        }
        Ok(())
    }

    /// The ledger as held (consents, revocations, notices); see [`Policy::refresh`].
    pub fn held(&self) -> std::sync::RwLockReadGuard<'_, Held> {
        self.ledger.read().unwrap_or_else(|p| p.into_inner())
    }

    /// The registry; a writer that panicked only ever left it with fewer definitions learnt.
    fn registry(&self) -> std::sync::RwLockReadGuard<'_, Registry> {
        self.registry.read().unwrap_or_else(|p| p.into_inner())
    }

    /// How far an object with these markings may travel.
    pub fn reach(&self, markings: &[String]) -> Reach {
        self.registry().reach(markings)
    }

    /// The principal's rights on a collection as TAXII reports them (`can_read`,
    /// `can_write`); a collection with neither is invisible to the principal.
    pub fn rights(&self, principal: &Principal, collection: CollectionKey) -> Rights {
        if principal.is_admin {
            return Rights {
                can_read: true,
                can_write: true,
            };
        }
        principal
            .rights
            .get(&collection)
            .copied()
            .unwrap_or_default()
    }

    /// The purpose a request is made for: the one declared, else the principal's default;
    /// a local administrator (the operator) without either acts for the agreement's first.
    pub fn purpose_of<'a>(
        &'a self,
        principal: &'a Principal,
        declared: Option<&'a str>,
    ) -> Option<&'a str> {
        principal.purpose(declared).or_else(|| {
            let terms = self.terms.as_ref()?;
            (principal.is_admin && principal.kind == Kind::Local)
                .then(|| terms.purposes.first().map(String::as_str))
                .flatten()
        })
    }

    /// Art. 6.4: is the declared purpose one of the agreement's, and the principal's own?
    /// Without an agreement there are no purposes to hold a request to.
    pub fn purpose_allowed(&self, principal: &Principal, declared: Option<&str>) -> Decision {
        let Some(terms) = &self.terms else {
            return Decision::Allow;
        };
        let Some(purpose) = self.purpose_of(principal, declared) else {
            return deny(
                Article::Art6_4,
                Reason::NoPurpose {
                    user: principal.name.clone(),
                    purposes: terms.purposes.clone(),
                },
            );
        };
        if terms.known_purpose(purpose).is_err() {
            return deny(
                Article::Art6_4,
                Reason::UnknownPurpose {
                    purpose: purpose.to_owned(),
                    permitted: terms.purposes.clone(),
                },
            );
        }
        // Local administrators act for every purpose; anyone else only for their own.
        let bound = (principal.is_admin && principal.kind == Kind::Local)
            || principal.purposes.iter().any(|p| p == purpose);
        if !bound {
            return deny(
                Article::Art6_4,
                Reason::PurposeNotBound {
                    user: principal.name.clone(),
                    purpose: purpose.to_owned(),
                    bound: principal.purposes.clone(),
                },
            );
        }
        Decision::Allow
    }

    /// May the principal perform the action on the collection at all, for the declared
    /// purpose?
    pub fn permits(&self, access: &Access) -> Decision {
        let rights = self.rights(access.principal, access.collection);
        let ok = match access.action {
            Action::Read => rights.can_read,
            Action::Write | Action::Delete => rights.can_write,
        };
        if !ok {
            return deny(
                Article::Rights,
                Reason::NoRight {
                    user: access.principal.name.clone(),
                    action: access.action,
                },
            );
        }
        self.purpose_allowed(access.principal, access.purpose)
    }

    /// May the principal read a TAXII status resource? Only the user whose request made it,
    /// or an administrator: a status lists object ids the asker may not otherwise see.
    pub fn may_read_status(&self, principal: &Principal, owner: &str) -> bool {
        principal.is_admin || principal.name == owner
    }

    /// May the principal read the audit log and its proofs? Administrators of this node
    /// (the parties' nodes will, once they are principals, for mutual witness).
    /// The agreement's own signed records (consents, revocations, notices, lifecycle
    /// notifications) travel between the competent authorities only, never to a third party
    /// or a user.
    pub fn may_receive_agreement_records(&self, principal: &Principal) -> Decision {
        match principal.kind {
            Kind::Authority(_) => Decision::Allow,
            _ => deny(
                Article::Art3,
                Reason::NotAnAuthority {
                    user: principal.name.clone(),
                },
            ),
        }
    }

    pub fn may_inspect_audit(&self, principal: &Principal) -> Decision {
        if principal.is_admin && principal.kind == Kind::Local {
            Decision::Allow
        } else {
            deny(
                Article::Rights,
                Reason::NoAuditRight {
                    user: principal.name.clone(),
                },
            )
        }
    }

    /// The one ingest decision: may `object`, written by the principal of `access` (with
    /// the origin it is recorded under), be stored? Art. 6.6 refuses classified marking
    /// definitions whoever writes them; then the write is decided like any other access.
    /// Every write path (TAXII POST, import, push, pull) asks this for every object.
    pub fn admit(
        &self,
        access: &Access,
        object: &stix::StixObject,
        origin: Option<&str>,
    ) -> Result<(), Denial> {
        if let Some(why) = markings::classified(object) {
            return Err(Denial::new(Article::Art6_6, why));
        }
        let facts = ObjectFacts {
            id: &object.id,
            object_type: &object.object_type,
            marking_refs: &object.marking_refs,
            origin,
            granular: &object.granular,
        };
        self.decide(access, &facts).denial()
    }

    /// Where objects written by this principal come from: another competent authority's
    /// writes are information obtained under the agreement (Art. 6.2).
    pub fn origin_of<'a>(&self, principal: &'a Principal) -> Option<&'a str> {
        match &principal.kind {
            Kind::Authority(a) => Some(a),
            Kind::Local | Kind::ThirdParty => None,
        }
    }

    /// The one decision per object. Every read path calls this for every object it would
    /// serve, on every page, and serves the object only on `Allow`. Rules, in order:
    /// collection rights and purpose; a local user reads what the collection holds; an
    /// object always returns to the authority it came from; another authority receives only
    /// while the agreement is in force (Art. 9) and what the markings let reach the parties;
    /// a third party never receives what was obtained from another party without that
    /// party's consent (Art. 6.2), and otherwise only what the markings let reach anyone.
    pub fn decide(&self, access: &Access, object: &ObjectFacts) -> Decision {
        self.decide_on(access, object, Day::today())
    }

    /// What a read path does with one stored row: [`Policy::decide`], then, for a partial
    /// decision, leave the parts out of the row's text (when the read loaded it: a manifest
    /// or versions list serves no properties). Every read path serves rows through this.
    pub fn serve(&self, access: &Access, row: &mut store::Row) -> Served {
        let facts = ObjectFacts {
            id: &row.id,
            object_type: &row.object_type,
            marking_refs: &row.marking_refs,
            origin: row.origin.as_deref(),
            granular: &row.granular,
        };
        match self.decide(access, &facts) {
            Decision::Allow => Served::Whole,
            Decision::Deny(why) => Served::Withheld(why),
            Decision::Redact(_) if row.json.is_empty() => Served::Redacted,
            Decision::Redact(selectors) => {
                match redact::apply(&row.json, &row.object_type, &selectors) {
                    redact::Redacted::Text(text) => {
                        row.json = text;
                        Served::Redacted
                    }
                    redact::Redacted::Withheld(why) => Served::Withheld(Denial::new(
                        Article::Art6_1,
                        Reason::PartsBeyond {
                            object: row.id.clone(),
                            detail: why,
                        },
                    )),
                }
            }
        }
    }

    /// [`Policy::decide`] on a given day (the lifecycle depends on it).
    pub fn decide_on(&self, access: &Access, object: &ObjectFacts, today: Day) -> Decision {
        let d = self.permits(access);
        if !d.is_allowed() {
            return d;
        }
        if access.action != Action::Read {
            return Decision::Allow;
        }
        let principal = access.principal;
        // The circle the principal stands in: the object's markings must reach it.
        let mut consent = None;
        let needed = match &principal.kind {
            Kind::Local => return Decision::Allow,
            Kind::Authority(a) => {
                if object.origin == Some(a.as_str()) {
                    return Decision::Allow;
                }
                let Some(terms) = &self.terms else {
                    return deny(Article::Art3, Reason::NoAgreement);
                };
                if !terms.lifecycle.transfers_allowed(today) {
                    return deny(
                        Article::Art9,
                        Reason::NotInForce {
                            terminated: matches!(
                                terms.lifecycle.state_at(today),
                                lifecycle::State::Terminated { .. }
                            ),
                            day: today,
                        },
                    );
                }
                Reach::Parties
            }
            Kind::ThirdParty => match object.origin {
                None => Reach::Anyone,
                Some(origin) => {
                    // Art. 6.2: only the originator's prior written (signed) consent lets
                    // information obtained from it reach a third party.
                    let purpose = self.purpose_of(principal, access.purpose).unwrap_or("");
                    let check = self.held().consent(
                        &principal.name,
                        origin,
                        purpose,
                        object.id,
                        access.collection,
                        today,
                    );
                    match check {
                        ConsentCheck::Granted(id) => consent = Some(id),
                        ConsentCheck::Missing(gap) => {
                            return deny(
                                Article::Art6_2,
                                Reason::NoConsent {
                                    object: object.id.to_owned(),
                                    origin: origin.to_owned(),
                                    gap,
                                },
                            );
                        }
                    }
                    // With consent the object goes as far as it could go to the parties:
                    // the originator's markings for the parties still hold.
                    Reach::Parties
                }
            },
        };
        // Notices compare with the principal's own circle: a consent lifts Art. 6.2, not a
        // later notice of the originator (Art. 6.3).
        let circle = match principal.kind {
            Kind::ThirdParty => Reach::Anyone,
            _ => needed,
        };
        self.reach_decision(object, needed, circle, consent.as_deref())
    }

    /// Whether an object's markings and the notices on it let it reach `needed`, whole or
    /// with parts left out.
    fn reach_decision(
        &self,
        object: &ObjectFacts,
        needed: Reach,
        circle: Reach,
        consent: Option<&str>,
    ) -> Decision {
        let held = self.held();
        let notices = if held.is_empty() {
            &[][..]
        } else {
            held.notices(object.id)
        };
        let own = self.terms.as_ref().map(|t| t.authority.as_str());
        // Art. 6.3: a notice binds the copies of its originator's information.
        let binding = notices
            .iter()
            .filter(|n| object.origin.or(own) == Some(n.originator.as_str()));
        let reach = self.reach(object.marking_refs);
        let mut redact = Vec::new();
        for n in binding {
            if n.reach >= circle {
                continue;
            }
            if n.properties.is_empty() {
                return deny(
                    Article::Art6_3,
                    Reason::Notice {
                        object: object.id.to_owned(),
                        notice: n.notice.clone(),
                        originator: n.originator.clone(),
                        reach: n.reach,
                    },
                );
            }
            redact.extend(n.properties.iter().cloned());
        }
        if reach < needed {
            return deny(
                Article::Art6_1,
                Reason::Marked {
                    object: object.id.to_owned(),
                    reach,
                    consent_held: consent.is_some(),
                },
            );
        }
        let registry = self.registry();
        for g in object.granular {
            if registry.reach_of(&g.marking_ref) < needed {
                redact.extend(g.selectors.iter().cloned());
            }
        }
        if redact.is_empty() {
            Decision::Allow
        } else {
            Decision::Redact(redact)
        }
    }
}
