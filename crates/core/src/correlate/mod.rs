//! Correlation: "have we, or a partner, seen this value?", answered per asker. The index
//! ([`index`]) says which stored versions might hold a value or reference an object; every
//! candidate is then decided for the asker by the core's reader (`read::receive`, the
//! decision every read makes) before it becomes a hit, and a value held only by withheld
//! versions answers exactly as a value nobody holds. Counts (sightings, false positives,
//! "over-correlated") are counted over what the asker may receive, never over what is
//! stored. Warninglists ([`warninglists`]) flag likely false positives. Each lookup is
//! recorded in the audit log like any read.

mod cards;
pub mod index;
mod postings;
pub mod warninglists;

pub use index::{IndexSize, Match};

use crate::events::{Asker, Event};
use crate::tally::Tally;
use crate::{Caller, Core, CoreError, Result};
use index::{Index, Probe};
use policy::{Access, Action, Policy, Served};
type HashMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;
type HashSet<K> = std::collections::HashSet<K, foldhash::fast::RandomState>;
use std::rc::Rc;
use std::sync::{Arc, RwLockReadGuard};
use stix::observable::Observable;
use store::{Collection, CollectionKey, Row};
use warninglists::{ListInfo, Warninglists};

/// Values one lookup may ask about.
pub const MOST_VALUES: usize = 100_000;
/// Objects that may hold a value before it is reported over-correlated, unless the
/// operator says otherwise (MISP's `correlation_limit` is of this order).
pub const DEFAULT_CAP: usize = 100;
/// Candidates decided at most for one value: no value, however common, makes a lookup
/// unbounded.
const MOST_EXAMINED: usize = 200_000;

/// One object that holds (or relates to) a value, as the asker may receive it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Hit {
    pub id: String,
    #[serde(rename = "type")]
    pub object_type: String,
    pub version: String,
    /// The collection's TAXII id.
    pub collection: String,
    #[serde(rename = "match")]
    pub how: Match,
    /// The stored value that matched, when it is not the one asked about (the range
    /// holding an address, the domain above the one asked about).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub matched: Option<String>,
    /// The competent authority the object was obtained from; absent: this node's own.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub origin: Option<String>,
    /// Times sighted, summed over the sightings of the object the asker may receive.
    pub sightings: u64,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub sighted_by: Vec<SightedBy>,
    /// Opinions the asker may receive that disagree with the object (false-positive
    /// reports).
    #[serde(skip_serializing_if = "is_zero")]
    pub false_positives: u64,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

/// An object that references another, as the asker may receive it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Referrer {
    pub id: String,
    #[serde(rename = "type")]
    pub object_type: String,
    pub version: String,
    pub collection: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub origin: Option<String>,
    #[serde(skip)]
    pub date_added: i64,
}

/// Who sighted an object, how often, and when last.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SightedBy {
    /// The authority the sightings came from (this node's own authority, or `local`).
    pub by: String,
    pub count: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_seen: Option<String>,
}

/// The sightings and false-positive reports of one object, as the asker may receive them.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Sightings {
    pub count: u64,
    pub by: Vec<SightedBy>,
    pub false_positives: u64,
}

/// The answer for one value asked about.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Answer {
    /// The value as asked.
    pub value: String,
    /// What it was read as (`ip`, `domain`, ...) and its normalised form.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub normalised: Option<String>,
    pub hits: Vec<Hit>,
    /// More objects than the cap hold the value: `hits` lists the newest `cap` of them.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub over_correlated: bool,
    pub warninglists: Vec<WarninglistHit>,
    /// Why the value could not be looked up (not a value of a kind the node indexes).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct WarninglistHit {
    pub name: String,
    #[serde(rename = "type")]
    pub list_type: String,
    pub version: u64,
}

impl From<&ListInfo> for WarninglistHit {
    fn from(l: &ListInfo) -> Self {
        WarninglistHit {
            name: l.name.clone(),
            list_type: l.list_type.clone(),
            version: l.version,
        }
    }
}

/// What one stored version is to the asker of a request.
#[derive(Clone)]
struct Received {
    id: Rc<str>,
    object_type: String,
    version: String,
    origin: Option<String>,
    collection: CollectionKey,
    at: i64,
    redacted: bool,
}

impl Received {
    fn from_row(row: Row, collection: CollectionKey, redacted: bool) -> Received {
        Received {
            at: row.date_added,
            id: row.id.into(),
            object_type: row.object_type,
            version: row.version,
            origin: row.origin,
            collection,
            redacted,
        }
    }
}

/// One request's decisions, made once per version.
struct Decisions<'a> {
    core: &'a Core,
    /// One snapshot for every version the request reads from the store.
    session: Box<dyn store::Session + 'a>,
    /// This node's own name, once asked (sightings of its own are its).
    own: Option<Option<String>>,
    policy: &'a Policy,
    caller: &'a Caller<'a>,
    admin: Arc<crate::AdminCache>,
    collections: HashMap<CollectionKey, Option<Collection>>,
    decided: HashMap<u32, Option<Rc<Received>>>,
    tally: Tally,
}

impl<'a> Decisions<'a> {
    fn new(
        core: &'a Core,
        policy: &'a Policy,
        caller: &'a Caller<'a>,
        admin: Arc<crate::AdminCache>,
    ) -> Result<Decisions<'a>> {
        Ok(Decisions {
            core,
            session: core.store().session()?,
            own: None,
            policy,
            caller,
            admin,
            collections: HashMap::default(),
            decided: HashMap::default(),
            tally: Tally::default(),
        })
    }

    /// The collection, if the asker may read it at all.
    fn readable(&mut self, key: CollectionKey) -> Result<Option<&Collection>> {
        if !self.collections.contains_key(&key) {
            let c = self
                .admin
                .collections
                .get(&key)
                .cloned()
                .filter(|_| self.policy.permits(&self.access(key)).is_allowed());
            self.collections.insert(key, c);
        }
        Ok(self.collections.get(&key).and_then(Option::as_ref))
    }

    fn access(&self, collection: CollectionKey) -> Access<'a> {
        Access {
            principal: self.caller.principal,
            collection,
            action: Action::Read,
            purpose: self.caller.purpose,
        }
    }

    /// The version of `card` as the asker receives it (without its text), or `None`. The
    /// card's facts decide it as `Policy::serve` would; a version with parts marked, or
    /// one the policy would serve redacted, is read from the store and served like any
    /// read (`read::receive`).
    fn decide(&mut self, index: &Index, card: u32) -> Result<Option<Rc<Received>>> {
        if let Some(d) = self.decided.get(&card) {
            return Ok(d.clone());
        }
        let Some(f) = index.card(card) else {
            self.decided.insert(card, None);
            return Ok(None);
        };
        let (collection, at) = (f.collection, f.at);
        if self.readable(collection)?.is_none() {
            self.decided.insert(card, None);
            return Ok(None);
        }
        let access = self.access(collection);
        if !f.granular {
            let facts = policy::ObjectFacts {
                id: &f.id,
                object_type: f.object_type,
                marking_refs: f.marking_refs,
                origin: f.origin,
                granular: &[],
            };
            let decided = match self.policy.decide(&access, &facts) {
                policy::Decision::Allow => Some(Some(Rc::new(Received {
                    id: f.id.as_str().into(),
                    object_type: f.object_type.to_owned(),
                    version: f.version.clone(),
                    origin: f.origin.map(str::to_owned),
                    collection,
                    at,
                    redacted: false,
                }))),
                policy::Decision::Deny(d) => {
                    self.tally.withhold(d.article);
                    Some(None)
                }
                policy::Decision::Redact(_) => None,
            };
            if let Some(out) = decided {
                self.decided.insert(card, out.clone());
                return Ok(out);
            }
        }
        let out = match crate::read::receive(self.session.as_mut(), self.policy, access, at, false)?
        {
            None => None,
            Some((_, Served::Withheld(d))) => {
                self.tally.withhold(d.article);
                None
            }
            Some((row, served)) => Some(Rc::new(Received::from_row(
                row,
                collection,
                served == Served::Redacted,
            ))),
        };
        self.decided.insert(card, out.clone());
        Ok(out)
    }

    /// This node's own name (asked once per request).
    fn own(&mut self) -> Option<String> {
        if self.own.is_none() {
            self.own = Some(self.core.author_name().ok());
        }
        self.own.clone().flatten()
    }

    /// The text of a version the asker receives, as it receives it (redacted).
    fn text(&mut self, r: &Received) -> Result<Option<String>> {
        let access = self.access(r.collection);
        Ok(
            match crate::read::receive(self.session.as_mut(), self.policy, access, r.at, true)? {
                Some((row, Served::Whole | Served::Redacted)) => Some(row.json),
                _ => None,
            },
        )
    }
}

/// Does a redacted text still hold what made the hit? (The part holding the value may be
/// the part left out.)
fn still_holds(text: &str, asked: &Observable, how: Match) -> bool {
    let mut idx = Index::default();
    for v in stix::observable::of_object(text) {
        idx.add_value(&v, 0);
    }
    idx.settle(true);
    idx.probes(asked)
        .any(|probe| probe.how == how && idx.postings(&probe).next().is_some())
}

/// Probes of one value found together with the other values' (`Index::resolve`); a value
/// has a handful (a domain: itself, what lies under it, and the domains above it).
const EAGER_PROBES: usize = 32;

/// Versions read from the store's holdings per step while catching up.
const CATCH_UP_VERSIONS: usize = 20_000;

impl Core {
    /// The correlation index, caught up with what the store holds now.
    fn index(&self, marks: &store::Marks) -> Result<RwLockReadGuard<'_, Index>> {
        let fresh = |idx: &Index| {
            idx.seen.is_some_and(|s| s >= marks.last_added) && idx.seen_removed >= marks.removed
        };
        {
            let idx = self.index.read().unwrap_or_else(|p| p.into_inner());
            if fresh(&idx) {
                return Ok(idx);
            }
        }
        {
            let mut idx = self.index.write().unwrap_or_else(|p| p.into_inner());
            loop {
                let batch = self
                    .store()
                    .holdings_after(idx.seen.unwrap_or(i64::MIN), CATCH_UP_VERSIONS)?;
                let Some(last_at) = batch.last().map(|h| h.at) else {
                    break;
                };
                for h in &batch {
                    let card = idx.add_version(h);
                    for v in h.holdings.values() {
                        let v = v.map_err(|e| {
                            CoreError::Failed(format!("the index's holdings at {}: {e}", h.at))
                        })?;
                        idx.add_value(&v, card);
                    }
                    for r in h.holdings.references() {
                        let r = r.map_err(|e| {
                            CoreError::Failed(format!("the index's holdings at {}: {e}", h.at))
                        })?;
                        idx.add_reference(&r.target, card);
                    }
                }
                idx.seen = Some(last_at);
                idx.merge_if_many();
            }
            idx.settle(false);
            if idx.seen_removed < marks.removed {
                let (gone, reached) = self.store().removed_after(idx.seen_removed)?;
                for at in gone {
                    idx.remove_version(at);
                }
                idx.seen_removed = reached;
            }
            // Everything up to `last_added` was committed before it was read.
            idx.seen = Some(idx.seen.unwrap_or(marks.last_added).max(marks.last_added));
        }
        Ok(self.index.read().unwrap_or_else(|p| p.into_inner()))
    }

    /// Builds the correlation index now (a serving node does so at start, off the request
    /// path) and says how large it is.
    pub fn index_size(&self) -> Result<IndexSize> {
        Ok(self.index(&self.marks()?)?.size())
    }

    /// The policy, the administration and the index as they stand now: one question to
    /// the store in the common case.
    fn standing(&self) -> Result<(store::Marks, Arc<Policy>, Arc<crate::AdminCache>)> {
        let marks = self.marks()?;
        Ok((marks, self.policy_at(&marks)?, self.admin_at(&marks)?))
    }

    /// The warninglists lookups consult (none: no flags).
    pub fn set_warninglists(&self, lists: Option<Warninglists>) {
        *self.warninglists.write().unwrap_or_else(|p| p.into_inner()) = lists.map(Arc::new);
    }

    pub fn warninglists(&self) -> Option<Arc<Warninglists>> {
        self.warninglists
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// How many objects may hold a value before lookups report it over-correlated.
    pub fn set_correlation_cap(&self, cap: usize) {
        self.correlation_cap
            .store(cap.max(1), std::sync::atomic::Ordering::Relaxed);
    }

    /// Looks `values` up for `caller`: for each, the objects the caller may receive that
    /// hold it or a related value, their sightings, and the warninglists that flag it.
    /// One audit entry records the lookup.
    pub fn lookup(&self, caller: &Caller, values: &[String]) -> Result<Vec<Answer>> {
        if values.len() > MOST_VALUES {
            return Err(CoreError::Invalid(format!(
                "a lookup asks about at most {MOST_VALUES} values ({} given): split the list",
                values.len()
            )));
        }
        let (marks, policy, admin) = self.standing()?;
        if let policy::Decision::Deny(d) = policy.purpose_allowed(caller.principal, caller.purpose)
        {
            let why = d.to_string();
            self.record_durably(&lookup_event(&policy, caller, values.len(), Err(&why)))?;
            return Err(CoreError::Refused(d));
        }
        let cap = self
            .correlation_cap
            .load(std::sync::atomic::Ordering::Relaxed);
        let lists = self.warninglists();
        let index = self.index(&marks)?;
        let mut d = Decisions::new(self, &policy, caller, admin)?;
        let mut sightings: HashMap<String, Sightings> = HashMap::default();
        let mut answers = Vec::with_capacity(values.len());
        let observables: Vec<Option<Observable>> = values
            .iter()
            .map(|v| stix::observable::classify(v))
            .collect();
        // The first probes of every value are found together (`Index::resolve`); the
        // rest (addresses within a wide range asked about) one by one when reached.
        let mut eager: Vec<Probe> = Vec::new();
        let mut lazy = Vec::with_capacity(values.len());
        let mut eager_counts = Vec::with_capacity(values.len());
        for o in &observables {
            let start = eager.len();
            let mut probes = o.as_ref().map(|o| index.probes(o));
            if let Some(p) = probes.as_mut() {
                eager.extend(p.by_ref().take(EAGER_PROBES));
            }
            eager_counts.push(eager.len() - start);
            lazy.push(probes);
        }
        index.resolve(&mut eager);
        let mut eager = eager.into_iter();
        for (((asked, o), lazy), n) in values.iter().zip(&observables).zip(lazy).zip(eager_counts) {
            let Some(o) = o else {
                answers.push(Answer {
                    value: asked.clone(),
                    kind: None,
                    normalised: None,
                    hits: Vec::new(),
                    over_correlated: false,
                    warninglists: Vec::new(),
                    error: Some(
                        "not a value this node indexes: an IP address or range, domain, URL, e-mail address, hash, MAC address or AS number (or kind:value, e.g. domain:localhost)"
                            .into(),
                    ),
                });
                continue;
            };
            let probes = eager.by_ref().take(n).chain(lazy.into_iter().flatten());
            let (hits, over) = hits_for(&index, &mut d, o, probes, cap)?;
            let mut hits = hits;
            for h in &mut hits {
                // Most objects are referenced by nothing: no sightings to decide.
                if index.referencing(&h.id).next().is_none() {
                    continue;
                }
                let s = match sightings.get(&h.id) {
                    Some(s) => s.clone(),
                    None => {
                        let s = sightings_of(&index, &mut d, &h.id)?;
                        sightings.insert(h.id.clone(), s.clone());
                        s
                    }
                };
                h.sightings = s.count;
                h.sighted_by = s.by;
                h.false_positives = s.false_positives;
            }
            answers.push(Answer {
                value: asked.clone(),
                kind: Some(o.kind.name()),
                warninglists: lists
                    .as_ref()
                    .map(|l| l.matches(o).into_iter().map(WarninglistHit::from).collect())
                    .unwrap_or_default(),
                normalised: Some(o.value.clone()),
                hits,
                over_correlated: over,
                error: None,
            });
        }
        drop(index);
        let tally = std::mem::take(&mut d.tally);
        self.record_answer(
            caller,
            &lookup_event(&policy, caller, values.len(), Ok(&tally)),
        )?;
        Ok(answers)
    }

    /// The objects that reference `id` (relationships, sightings, notes, reports, tasks,
    /// ...) as `caller` may receive them: the newest receivable version of each, newest
    /// first, at most `limit`, and whether more follow. A referrer the caller may not
    /// receive is not there, and is not counted.
    pub fn referencing(
        &self,
        caller: &Caller,
        id: &str,
        limit: usize,
    ) -> Result<(Vec<Referrer>, bool)> {
        let (marks, policy, admin) = self.standing()?;
        let index = self.index(&marks)?;
        let mut d = Decisions::new(self, &policy, caller, admin)?;
        let mut out: Vec<Referrer> = Vec::new();
        let mut seen: HashSet<(CollectionKey, Rc<str>)> = HashSet::default();
        let mut more = false;
        for card in index.referencing(id).take(MOST_EXAMINED) {
            let Some(r) = d.decide(&index, card)? else {
                continue;
            };
            if !seen.insert((r.collection, r.id.clone())) {
                continue;
            }
            if out.len() == limit {
                more = true;
                break;
            }
            d.tally.serve(&r.id, &r.version, r.redacted);
            let collection = d
                .readable(r.collection)?
                .map(|c| c.id.clone())
                .unwrap_or_default();
            out.push(Referrer {
                id: r.id.to_string(),
                object_type: r.object_type.clone(),
                version: r.version.clone(),
                collection,
                origin: r.origin.clone(),
                date_added: r.at,
            });
        }
        let tally = std::mem::take(&mut d.tally);
        self.record_panel(&policy, caller, "referencing", id, &tally)?;
        Ok((out, more))
    }

    /// Records a read across collections about one object (the objects referencing it,
    /// its sightings), like any read: what was served, redacted and withheld. What leaves
    /// for another authority leaves once its entry is durable.
    fn record_panel(
        &self,
        policy: &Policy,
        caller: &Caller,
        endpoint: &str,
        object: &str,
        tally: &Tally,
    ) -> Result<()> {
        let event =
            crate::read::access_event(policy, caller, endpoint, "*", Some(object), Ok(tally));
        self.record_answer(caller, &event)
    }

    /// The sightings and false-positive reports of `id` that `caller` may receive.
    pub fn sightings(&self, caller: &Caller, id: &str) -> Result<Sightings> {
        let (marks, policy, admin) = self.standing()?;
        let index = self.index(&marks)?;
        let mut d = Decisions::new(self, &policy, caller, admin)?;
        let s = sightings_of(&index, &mut d, id)?;
        drop(index);
        let tally = std::mem::take(&mut d.tally);
        self.record_panel(&policy, caller, "sightings", id, &tally)?;
        Ok(s)
    }
}

/// The hits for one value: newest first, one per object and collection, at most `cap`
/// (and whether more hold it).
fn hits_for(
    index: &Index,
    d: &mut Decisions,
    o: &Observable,
    probes: impl Iterator<Item = Probe>,
    cap: usize,
) -> Result<(Vec<Hit>, bool)> {
    let mut hits: Vec<Hit> = Vec::new();
    let mut seen: HashSet<(CollectionKey, Rc<str>)> = HashSet::default();
    let mut examined = 0usize;
    for probe in probes {
        for card in index.postings(&probe) {
            examined += 1;
            if examined > MOST_EXAMINED {
                return Ok((hits, false));
            }
            let Some(r) = d.decide(index, card)? else {
                continue;
            };
            if seen.contains(&(r.collection, r.id.clone())) {
                continue;
            }
            if r.redacted {
                match d.text(&r)? {
                    Some(text) if still_holds(&text, o, probe.how) => {}
                    _ => continue,
                }
            }
            if hits.len() == cap {
                return Ok((hits, true));
            }
            seen.insert((r.collection, r.id.clone()));
            d.tally.serve(&r.id, &r.version, r.redacted);
            let collection = d
                .readable(r.collection)?
                .map(|c| c.id.clone())
                .unwrap_or_default();
            hits.push(Hit {
                id: r.id.to_string(),
                object_type: r.object_type.clone(),
                version: r.version.clone(),
                collection,
                how: probe.how,
                matched: probe.stored.clone(),
                origin: r.origin.clone(),
                sightings: 0,
                sighted_by: Vec::new(),
                false_positives: 0,
            });
        }
    }
    Ok((hits, false))
}

/// Sightings (`sighting_of_ref`) and disagreeing opinions (`object_refs`) of `id` the
/// asker may receive, the newest receivable version of each.
fn sightings_of(index: &Index, d: &mut Decisions, id: &str) -> Result<Sightings> {
    let own = d.own();
    let mut out = Sightings::default();
    let mut counted: HashSet<Rc<str>> = HashSet::default();
    let mut by: Vec<SightedBy> = Vec::new();
    for card in index.referencing(id).take(MOST_EXAMINED) {
        let Some(r) = d.decide(index, card)? else {
            continue;
        };
        if !matches!(r.object_type.as_str(), "sighting" | "opinion") || counted.contains(&r.id) {
            continue;
        }
        let Some(text) = d.text(&r)? else { continue };
        let Ok(v) = serde_json::from_str::<serde_json::Value>(&text) else {
            continue;
        };
        counted.insert(r.id.clone());
        if r.object_type == "sighting" {
            if v.get("sighting_of_ref").and_then(|s| s.as_str()) != Some(id) {
                continue;
            }
            let n = v
                .get("count")
                .and_then(serde_json::Value::as_u64)
                .unwrap_or(1);
            let last = v
                .get("last_seen")
                .or_else(|| v.get("modified"))
                .and_then(|s| s.as_str())
                .map(str::to_owned);
            let who = r
                .origin
                .clone()
                .or_else(|| own.clone())
                .unwrap_or_else(|| "local".into());
            d.tally.serve(&r.id, &r.version, r.redacted);
            out.count += n;
            match by.iter_mut().find(|b| b.by == who) {
                Some(b) => {
                    b.count += n;
                    if last > b.last_seen {
                        b.last_seen = last;
                    }
                }
                None => by.push(SightedBy {
                    by: who,
                    count: n,
                    last_seen: last,
                }),
            }
        } else {
            let refers = v
                .get("object_refs")
                .and_then(|r| r.as_array())
                .is_some_and(|a| a.iter().any(|x| x.as_str() == Some(id)));
            let disagrees = matches!(
                v.get("opinion").and_then(|o| o.as_str()),
                Some("strongly-disagree" | "disagree")
            );
            if refers && disagrees {
                d.tally.serve(&r.id, &r.version, r.redacted);
                out.false_positives += 1;
            }
        }
    }
    by.sort_by(|a, b| a.by.cmp(&b.by));
    out.by = by;
    Ok(out)
}

fn lookup_event<'a>(
    policy: &'a Policy,
    caller: &Caller<'a>,
    values: usize,
    outcome: std::result::Result<&'a Tally, &'a str>,
) -> Event<'a> {
    static EMPTY: std::sync::OnceLock<Tally> = std::sync::OnceLock::new();
    let (decision, reason, t) = match outcome {
        Ok(t) => ("allow", None, t),
        Err(why) => ("deny", Some(why), EMPTY.get_or_init(Tally::default)),
    };
    Event::Lookup {
        at: crate::events::now(),
        asker: Asker::of(policy, caller.principal, caller.purpose),
        values: values as u64,
        decision,
        reason,
        served: t.served,
        redacted: t.redacted,
        withheld: &t.withheld,
        served_sha256: t.digest_hex(),
    }
}
