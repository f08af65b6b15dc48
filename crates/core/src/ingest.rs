//! The one ingest path: every write (TAXII POST, a push from a peer, a pull from a peer, a
//! CLI import) admits each object the same way — valid STIX (`stix::validate`), then the
//! policy's ingest decision (`Policy::admit`: Art. 6.6 and the writer's rights and purpose)
//! — and stores what it admits together with the audit entry that accounts for it, in one
//! transaction.

use crate::events::{Asker, ByArticle, Event};
use crate::{Caller, Core, CoreError, Result};
use policy::{Access, Action, Article, Policy, Principal};
use serde_json::value::RawValue;
use std::sync::Arc;
use store::{AddOutcome, Collection, SealedBatch, SealedPage, SyncCursor};

mod overlap;

/// Why one object was not stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// The object's id, or where it stood in the input when it has none that reads.
    pub id: String,
    /// Its place in the input (from 1) when it has no id that reads (`id` then says so in
    /// English; a front door may say it in its user's language).
    pub unnamed: Option<usize>,
    /// Its version, when it could be read.
    pub version: Option<String>,
    pub why: Why,
}

/// Why an object was not stored, as data (a front door says it in its user's language).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Why {
    /// Not valid STIX (boxed: a refusal travels in `Result`s that are mostly not refusals).
    Invalid(Box<stix::Problem>),
    /// The policy refused it.
    Denied(policy::Denial),
    /// The same id and version is held with other content (STIX 2.1 §3.6).
    Conflict,
}

impl Refusal {
    /// The article that refused it; `None`: not valid STIX, or a conflict.
    pub fn article(&self) -> Option<Article> {
        match &self.why {
            Why::Denied(d) => Some(d.article),
            Why::Invalid(_) | Why::Conflict => None,
        }
    }

    /// The key the audit log counts it under.
    pub fn cause(&self) -> &'static str {
        self.article().map_or("invalid", Article::cite)
    }

    /// Why, in English (TAXII statuses, the CLI, logs).
    pub fn reason(&self) -> String {
        match &self.why {
            Why::Invalid(p) => p.to_string(),
            Why::Denied(d) => d.to_string(),
            Why::Conflict => format!(
                "version {} is already stored with different content (STIX 2.1 §3.6: a change needs a new modified)",
                self.version.as_deref().unwrap_or("?")
            ),
        }
    }
}

/// What became of one object of a write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Stored (`added`), or already held with the same content (an idempotent re-post).
    Stored {
        id: String,
        version: String,
        added: bool,
    },
    /// The same id and version is held with other content (STIX 2.1 §3.6).
    Conflict {
        id: String,
        version: String,
    },
    Refused(Refusal),
}

impl Verdict {
    pub fn is_stored(&self) -> bool {
        matches!(self, Verdict::Stored { .. })
    }

    /// Why the object was not stored (`None`: it was), said like any refusal.
    pub fn refusal(self) -> Option<Refusal> {
        match self {
            Verdict::Stored { .. } => None,
            Verdict::Conflict { id, version } => Some(Refusal {
                id,
                unnamed: None,
                version: Some(version),
                why: Why::Conflict,
            }),
            Verdict::Refused(r) => Some(r),
        }
    }
}

/// A write in progress: who writes where, under which policy. Admitting objects needs no
/// store, so a pipeline may admit on one thread and store on another.
#[derive(Clone)]
pub struct Intake {
    policy: Arc<Policy>,
    principal: Principal,
    purpose: Option<String>,
    /// Where what is written comes from, unless a seal says otherwise.
    origin: Option<String>,
    pub(crate) collection: Collection,
    pub(crate) endpoint: &'static str,
}

/// The ingest decision for one object (`index`: its place in the input, for naming it
/// when it has no readable id).
fn admit(
    policy: &Policy,
    access: &Access,
    raw: &str,
    origin: Option<&str>,
    index: usize,
) -> std::result::Result<stix::StixObject, Refusal> {
    let obj = stix::validate_str(raw).map_err(|r| Refusal {
        unnamed: r.id.is_none().then_some(index + 1),
        id: r
            .id
            .unwrap_or_else(|| format!("(object #{} of the input)", index + 1)),
        version: None,
        why: Why::Invalid(Box::new(r.problem)),
    })?;
    policy.admit(access, &obj, origin).map_err(|d| Refusal {
        id: obj.id.clone(),
        unnamed: None,
        version: obj.version.as_ref().map(|v| v.1.clone()),
        why: Why::Denied(d),
    })?;
    Ok(obj)
}

impl Intake {
    fn access(&self) -> Access<'_> {
        Access {
            principal: &self.principal,
            collection: self.collection.key,
            action: Action::Write,
            purpose: self.purpose.as_deref(),
        }
    }

    /// The origin of what is written: by default, another competent authority's writes
    /// are information obtained under the agreement (Art. 6.2), ours and a third party's
    /// this authority's own.
    pub fn origin(&self) -> Option<&str> {
        self.origin.as_deref()
    }

    /// What is written was obtained from `origin` (a pull from that authority's node:
    /// the operator writes, the peer is the source).
    pub fn obtained_from(mut self, origin: Option<&str>) -> Intake {
        self.origin = origin.map(str::to_owned);
        self
    }

    /// This node's own authority, if it is under an agreement.
    pub fn own_authority(&self) -> Option<&str> {
        self.policy.terms().map(|t| t.authority.as_str())
    }

    /// The ingest decision for one object, recorded as obtained from `origin`.
    pub fn admit(
        &self,
        raw: &str,
        origin: Option<&str>,
        index: usize,
    ) -> std::result::Result<stix::StixObject, Refusal> {
        admit(&self.policy, &self.access(), raw, origin, index)
    }

    /// Admits the objects of a page received under `sealed` (a pull or a push): each is
    /// recorded as obtained from the originator the seal names for it (this node's own
    /// information coming back is its own), else from the writer.
    pub fn admit_sealed(&self, raws: &[&RawValue], sealed: SealedPage) -> Admitted {
        let me = self.own_authority().map(str::to_owned);
        let sender = self.origin().map(str::to_owned);
        let mut page = Admitted {
            batch: SealedBatch {
                objects: Vec::with_capacity(raws.len()),
                index: Vec::with_capacity(raws.len()),
                origins: Vec::with_capacity(raws.len()),
                sealed,
            },
            refused: Vec::new(),
        };
        for (i, raw) in raws.iter().enumerate() {
            let origin = page
                .batch
                .sealed
                .seal
                .origin_for(i as u64, me.as_deref(), sender.as_deref())
                .map(str::to_owned);
            match self.admit(raw.get(), origin.as_deref(), i) {
                Ok(obj) => {
                    page.batch.objects.push(obj);
                    page.batch.index.push(i as u32);
                    page.batch.origins.push(origin);
                }
                Err(r) => page.refused.push(r),
            }
        }
        page
    }

    /// The audit entry of one write transaction of this intake.
    pub(crate) fn entry_for(
        &self,
        source: Option<&str>,
        accepted: u64,
        refused: &ByArticle,
        w: &store::Written,
    ) -> store::Result<Vec<u8>> {
        crate::events::entry(&Event::Write {
            at: crate::events::now(),
            asker: Asker::of(&self.policy, &self.principal, self.purpose.as_deref()),
            endpoint: self.endpoint,
            collection: &self.collection.id,
            source,
            object: None,
            accepted,
            refused,
            stored: w.stored(),
        })
    }

    pub(crate) fn principal(&self) -> &Principal {
        &self.principal
    }
}

/// A page admitted for storing: what passed, with its place under the seal and origin, and
/// what was refused.
pub struct Admitted {
    pub batch: SealedBatch,
    pub refused: Vec<Refusal>,
}

/// One chunk admitted: the objects that passed, their places in the request, and the
/// refusals (place, why).
struct AdmittedChunk {
    objects: Vec<stix::StixObject>,
    places: Vec<u32>,
    refusals: Vec<(usize, Refusal)>,
}

impl AdmittedChunk {
    /// Admits `texts`, the objects of a request from place `start` on.
    fn admit<'t>(
        intake: &Intake,
        start: usize,
        texts: impl ExactSizeIterator<Item = &'t str>,
    ) -> Self {
        let origin = intake.origin();
        let mut got = AdmittedChunk {
            objects: Vec::with_capacity(texts.len()),
            places: Vec::with_capacity(texts.len()),
            refusals: Vec::new(),
        };
        for (j, raw) in texts.enumerate() {
            let i = start + j;
            match intake.admit(raw, origin, i) {
                Ok(obj) => {
                    got.objects.push(obj);
                    got.places.push(i as u32);
                }
                Err(r) => got.refusals.push((i, r)),
            }
        }
        got
    }
}

fn count<'a>(refused: impl IntoIterator<Item = &'a Refusal>) -> ByArticle {
    let mut by = ByArticle::new();
    for r in refused {
        *by.entry(r.cause().to_owned()).or_default() += 1;
    }
    by
}

/// The entry of a write of a request (not sealed): what it stored, and what it refused
/// (`by`, plus the versions held with other content as `conflict`).
fn written_entry(intake: &Intake, mut by: ByArticle, w: &store::Written) -> store::Result<Vec<u8>> {
    let conflicts = w
        .fates
        .iter()
        .filter(|f| matches!(f, store::Fate::Conflict))
        .count() as u64;
    if conflicts > 0 {
        *by.entry("conflict".into()).or_default() += conflicts;
    }
    intake.entry_for(None, w.fates.len() as u64 - conflicts, &by, w)
}

fn verdict(o: AddOutcome) -> Verdict {
    match o {
        AddOutcome::Added { id, version, .. } => Verdict::Stored {
            id,
            version,
            added: true,
        },
        AddOutcome::AlreadyPresent { id, version } => Verdict::Stored {
            id,
            version,
            added: false,
        },
        AddOutcome::Conflict { id, version } => Verdict::Conflict { id, version },
    }
}

/// Builds a write's TAXII status resource from its verdicts (in input order); it is kept in
/// the write's own transaction, so it is durable with what it reports (a failure to build
/// it fails the write).
pub type Status<'a> = &'a mut dyn FnMut(&[Verdict]) -> store::Result<store::StatusRecord>;

/// What a write of `objects` objects has admitted so far: each refusal at its place, and
/// the places of the objects admitted, in the order they are handed to the store.
struct Tally {
    objects: usize,
    refused: Vec<(usize, Refusal)>,
    index: Vec<u32>,
}

impl Tally {
    fn new(objects: usize) -> std::cell::RefCell<Tally> {
        std::cell::RefCell::new(Tally {
            objects,
            refused: Vec::new(),
            index: Vec::with_capacity(objects),
        })
    }

    /// One verdict per object, in input order, once the store has said what became of each
    /// object admitted.
    fn verdicts(&self, outcomes: &[AddOutcome]) -> Vec<Verdict> {
        let mut slots: Vec<Option<Verdict>> = vec![None; self.objects];
        for (i, r) in &self.refused {
            if let Some(slot) = slots.get_mut(*i) {
                *slot = Some(Verdict::Refused(r.clone()));
            }
        }
        for (&i, o) in self.index.iter().zip(outcomes) {
            if let Some(slot) = slots.get_mut(i as usize) {
                *slot = Some(verdict(o.clone()));
            }
        }
        slots.into_iter().flatten().collect()
    }
}

impl Core {
    /// Writes what `batches` hands over (admitted as `tally` records) in one transaction,
    /// with the write's entry and, when asked, its status resource; the verdicts. `whole`
    /// says, when the last batch has been taken, whether admission reached every object:
    /// if not, nothing is stored.
    fn write_tallied(
        &self,
        intake: &Intake,
        tally: &std::cell::RefCell<Tally>,
        batches: &mut dyn Iterator<Item = Vec<stix::StixObject>>,
        whole: &dyn Fn() -> bool,
        mut status: Option<Status<'_>>,
    ) -> Result<Vec<Verdict>> {
        let mut describe = |w: &store::Written| {
            if !whole() {
                return Err(store::StoreError::Invalid(
                    "admitting the objects stopped before the last one; nothing was stored".into(),
                ));
            }
            let by = count(tally.borrow().refused.iter().map(|(_, r)| r));
            written_entry(intake, by, w)
        };
        let mut placed = None;
        let mut report = |outcomes: &[AddOutcome]| {
            let verdicts = tally.borrow().verdicts(outcomes);
            let kept = status.as_mut().map(|build| build(&verdicts)).transpose()?;
            placed = Some(verdicts);
            Ok(kept)
        };
        self.store().add_objects_reporting(
            intake.collection.key,
            batches,
            intake.origin(),
            &mut describe,
            &mut report,
        )?;
        self.written()?;
        placed.ok_or_else(|| CoreError::Failed("the store reported no outcomes of a write".into()))
    }
}

impl Core {
    /// Starts a write by `caller` into `collection` through `endpoint` (`add`, `push`,
    /// `pull`, `import`): the policy as it stands, and whether the caller may write there
    /// at all (a refusal is recorded and returned as [`CoreError::Refused`]).
    pub fn intake(
        &self,
        caller: &Caller,
        endpoint: &'static str,
        collection: &Collection,
    ) -> Result<Intake> {
        let policy = self.policy()?;
        self.permit(&policy, caller, collection, Action::Write, endpoint, None)?;
        Ok(Intake {
            origin: policy.origin_of(caller.principal).map(str::to_owned),
            policy,
            principal: caller.principal.clone(),
            purpose: caller.purpose.map(str::to_owned),
            collection: collection.clone(),
            endpoint,
        })
    }

    /// Takes the objects of one request (a TAXII envelope; a push, with the seal it came
    /// under) from `caller`: each admitted or refused, what is admitted stored with the
    /// request's audit entry in one transaction. One verdict per object, in order.
    pub fn ingest(
        &self,
        caller: &Caller,
        endpoint: &'static str,
        collection: &Collection,
        raws: &[&RawValue],
        sealed: Option<SealedPage>,
    ) -> Result<Vec<Verdict>> {
        let intake = self.intake(caller, endpoint, collection)?;
        self.ingest_with(&intake, raws, sealed)
    }

    /// [`Core::ingest`] under an intake already made.
    pub fn ingest_with(
        &self,
        intake: &Intake,
        raws: &[&RawValue],
        sealed: Option<SealedPage>,
    ) -> Result<Vec<Verdict>> {
        let Some(page) = sealed else {
            if raws.len() < overlap::OVERLAP_FROM {
                let texts: Vec<&str> = raws.iter().map(|r| r.get()).collect();
                return self.ingest_texts(intake, &texts, None);
            }
            // One text with the objects side by side, for the threads that admit it.
            let mut text = String::with_capacity(raws.iter().map(|r| r.get().len()).sum());
            let mut spans = Vec::with_capacity(raws.len());
            for r in raws {
                let start = text.len();
                text.push_str(r.get());
                spans.push(start..text.len());
            }
            let mut large = overlap::Overlap::new(Arc::new(text), intake);
            for span in spans {
                large.found(self, span)?;
            }
            return large.write(self, intake, None);
        };
        let Admitted { batch, refused } = intake.admit_sealed(raws, page);
        let by = count(&refused);
        // The refusals are in input order at the places nothing was admitted at.
        let taken: std::collections::HashSet<u32> = batch.index.iter().copied().collect();
        let tally = Tally {
            objects: raws.len(),
            refused: (0..raws.len())
                .filter(|i| !taken.contains(&(*i as u32)))
                .zip(refused)
                .collect(),
            index: batch.index.clone(),
        };
        let outcomes = self.store().add_sealed(
            intake.collection.key,
            std::slice::from_ref(&batch),
            intake.origin(),
            None,
            &mut |w| written_entry(intake, by.clone(), w),
        )?;
        self.written()?;
        Ok(tally.verdicts(&outcomes))
    }

    /// Takes a TAXII envelope or a STIX bundle as text (a POST's body): its objects split
    /// out, admitted and stored as by [`Core::ingest_with`], with the status resource
    /// `status` builds in the same transaction. A large one is admitted on a second thread
    /// while this one is still splitting it ([`overlap`]). The inner error: the text is not
    /// such a document, and nothing was stored.
    pub fn ingest_text(
        &self,
        intake: &Intake,
        text: Arc<String>,
        status: Option<Status<'_>>,
    ) -> Result<std::result::Result<Vec<Verdict>, stix::document::DocumentError>> {
        let mut large = overlap::Overlap::new(text.clone(), intake);
        let base = text.as_ptr() as usize;
        let mut failed = None;
        let split = stix::document::for_each_object(&text, |raw| {
            // The raw text is a slice of `text`: where it starts there.
            let start = (raw.get().as_ptr() as usize).saturating_sub(base);
            if failed.is_none() {
                failed = large.found(self, start..start + raw.get().len()).err();
            }
        });
        if let Err(e) = split {
            return Ok(Err(e));
        }
        if let Some(e) = failed {
            return Err(e);
        }
        let verdicts = match large.split_done() {
            Some(spans) => {
                let texts: Vec<&str> = spans
                    .into_iter()
                    .map(|s| text.get(s).unwrap_or_default())
                    .collect();
                self.ingest_texts(intake, &texts, status)?
            }
            None => large.write(self, intake, status)?,
        };
        Ok(Ok(verdicts))
    }

    /// A write of a few objects (not sealed), admitted on this thread.
    fn ingest_texts(
        &self,
        intake: &Intake,
        texts: &[&str],
        status: Option<Status<'_>>,
    ) -> Result<Vec<Verdict>> {
        let tally = Tally::new(texts.len());
        let AdmittedChunk {
            objects,
            places,
            refusals,
        } = AdmittedChunk::admit(intake, 0, texts.iter().copied());
        {
            let mut t = tally.borrow_mut();
            t.index = places;
            t.refused = refusals;
        }
        self.write_tallied(
            intake,
            &tally,
            &mut std::iter::once(objects),
            &|| true,
            status,
        )
    }

    /// Stores pages pulled from a peer, already admitted ([`Intake::admit_sealed`]), with
    /// their seals, the cursor after the last and the transaction's audit entry: all of it
    /// or none.
    pub fn ingest_pages(
        &self,
        intake: &Intake,
        pages: Vec<Admitted>,
        cursor: &SyncCursor,
        source: &str,
    ) -> Result<Vec<Verdict>> {
        let mut refused = Vec::new();
        let mut batches = Vec::with_capacity(pages.len());
        for p in pages {
            refused.extend(p.refused);
            batches.push(p.batch);
        }
        let by = count(&refused);
        let outcomes = self.store().add_sealed(
            intake.collection.key,
            &batches,
            intake.origin(),
            Some(cursor),
            &mut |w| intake.entry_for(Some(source), w.fates.len() as u64, &by, w),
        )?;
        self.written()?;
        Ok(outcomes
            .into_iter()
            .map(verdict)
            .chain(refused.into_iter().map(Verdict::Refused))
            .collect())
    }
}

impl Core {
    /// Deletes versions of one object (TAXII §5.7: all without `versions`): the caller must
    /// be able to read and delete there, and only versions it may receive are deleted
    /// (selected among those, like a read: a withheld version is as absent to a delete as
    /// to a read). The versions removed are named in the entry committed with the delete.
    /// Returns how many went; [`CoreError::NotFound`] when none matched.
    pub fn delete(
        &self,
        caller: &Caller,
        collection: &Collection,
        id: &str,
        versions: &[store::VersionSel],
        spec_versions: &[String],
    ) -> Result<usize> {
        let policy = self.policy()?;
        for action in [Action::Read, Action::Delete] {
            let access = Access {
                principal: caller.principal,
                collection: collection.key,
                action,
                purpose: caller.purpose,
            };
            if let policy::Decision::Deny(d) = policy.permits(&access) {
                return Err(self.refuse(&policy, caller, "delete", collection, Some(id), d));
            }
        }
        let want = crate::read::Want {
            ids: vec![id.to_owned()],
            versions: if versions.is_empty() {
                vec![store::VersionSel::All]
            } else {
                versions.to_vec()
            },
            spec_versions: spec_versions.to_vec(),
            ..Default::default()
        };
        let read = Access {
            principal: caller.principal,
            collection: collection.key,
            action: Action::Read,
            purpose: caller.purpose,
        };
        let mut receivable = Vec::new();
        crate::read::scan(self.store(), &policy, read, &want, &mut |row| {
            receivable.push(store::VersionSel::At(row.version_at));
            Ok(())
        })?;
        if receivable.is_empty() {
            return Err(CoreError::NotFound(format!(
                "no object `{id}` (with the requested versions) in this collection"
            )));
        }
        let none = ByArticle::new();
        let n = self.store().delete_object(
            collection.key,
            id,
            &receivable,
            spec_versions,
            &mut |w| {
                crate::events::entry(&Event::Write {
                    at: crate::events::now(),
                    asker: Asker::of(&policy, caller.principal, caller.purpose),
                    endpoint: "delete",
                    collection: &collection.id,
                    source: None,
                    object: Some(id),
                    accepted: 0,
                    refused: &none,
                    stored: w.stored(),
                })
            },
        )?;
        if n == 0 {
            return Err(CoreError::NotFound(format!(
                "no object `{id}` (with the requested versions) in this collection"
            )));
        }
        self.written()?;
        Ok(n)
    }
}
