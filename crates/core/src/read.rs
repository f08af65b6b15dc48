//! The one reader: every door's read (TAXII objects, object, versions, manifest; export;
//! a push to a peer; a provenance proof; the workspace) is this loop.
//!
//! **Decide, then select.** A principal's view of an object is the set of its versions the
//! policy lets that principal receive; `first`, `last` and `all` (TAXII §3.4.2) are taken
//! from that set, never from the versions stored. An object whose latest version is
//! TLP:RED and an earlier one CLEAR is, to a third party, an object whose latest version is
//! the CLEAR one: objects, object, manifest and versions agree, and nothing withheld shows
//! through any of them. Whether a version can be received is decided on the whole row: a
//! version whose redaction would remove a part it cannot do without is withheld on every
//! endpoint, including those that serve no properties.
//!
//! The scan runs in `date_added` order over every stored version that passes the request's
//! other filters; a version that is not the stored first or last of its object makes the
//! reader decide, once per request, every version of that object (a bounded, per-object
//! cost: no input shape makes a page quadratic). Paging by `date_added` never skips: a page
//! ends after `limit` served versions, and `next` is the position of its last one.

use crate::events::Event;
use crate::tally::Tally;
use crate::{Caller, Core, CoreError, Result};
use policy::{Access, Action, Policy, Served};
use std::collections::HashMap;
use std::ops::ControlFlow;
use store::{Collection, CollectionKey, Filter, Row, Store, VersionSel};

/// What a read asks for: TAXII's filters and paging, in no protocol's terms.
#[derive(Debug, Clone, Default)]
pub struct Want {
    /// Only versions added strictly after this instant (microseconds).
    pub added_after: Option<i64>,
    /// Only versions after this position (the `date_added` of the last one served on the
    /// previous page).
    pub after: Option<i64>,
    pub ids: Vec<String>,
    pub types: Vec<String>,
    /// Which of the receivable versions of each object; empty: the last.
    pub versions: Vec<VersionSel>,
    pub spec_versions: Vec<String>,
    /// Most versions served; `None`: all (an export).
    pub limit: Option<usize>,
    /// Serve the objects' text (a manifest or a versions list needs none).
    pub with_body: bool,
    /// Only versions this authority made itself (no `origin`): what a reply push sends back
    /// to the peer a collection came from. A selection, not a decision: the others are
    /// passed over like versions of other types.
    pub only_own: bool,
}

/// One page of a read.
#[derive(Debug, Default)]
pub struct Page {
    /// The versions served, in `date_added` order, as the principal receives them
    /// (redacted where the policy says so).
    pub rows: Vec<Row>,
    /// More receivable versions follow.
    pub more: bool,
    /// The `date_added` of the last version this page decided (served or withheld): a
    /// reader that must not decide them again resumes after it.
    pub through: Option<i64>,
}

impl Page {
    /// The position the next page starts after.
    pub fn next(&self) -> Option<i64> {
        if self.more {
            self.rows.last().map(|r| r.date_added)
        } else {
            None
        }
    }
}

/// A read in progress: the policy, the access and the per-object view of versions.
struct View<'a> {
    store: &'a dyn Store,
    policy: &'a Policy,
    access: Access<'a>,
    collection: CollectionKey,
    want: &'a Want,
    /// For objects whose version is not their stored first or last: each receivable
    /// version's instant (decided once per object per request).
    receivable: HashMap<String, Vec<i64>>,
}

/// What the policy does with one stored version. Without the text, a version the policy
/// would redact is looked at whole (`text` gives it): if leaving its parts out is
/// impossible, it is withheld here too.
fn serve_row(
    policy: &Policy,
    access: &Access,
    row: &mut Row,
    text: impl FnOnce() -> Result<Option<String>>,
) -> Result<Served> {
    let served = policy.serve(access, row);
    if served != Served::Redacted || !row.json.is_empty() {
        return Ok(served);
    }
    let text =
        text()?.ok_or_else(|| CoreError::Failed(format!("the text of {} is gone", row.id)))?;
    let mut whole = row.clone();
    whole.json = text;
    Ok(match policy.serve(access, &mut whole) {
        Served::Withheld(d) => Served::Withheld(d),
        _ => Served::Redacted,
    })
}

impl View<'_> {
    /// What the policy does with one stored version (see [`serve_row`]).
    fn serve(&self, row: &mut Row) -> Result<Served> {
        let (store, collection, at) = (self.store, self.collection, row.date_added);
        serve_row(self.policy, &self.access, row, || {
            Ok(store.object_text(collection, at)?)
        })
    }

    /// The instants of the receivable versions of `id` (under the request's filters).
    fn receivable_versions(&mut self, id: &str) -> Result<&[i64]> {
        if !self.receivable.contains_key(id) {
            let filter = Filter {
                ids: vec![id.to_owned()],
                types: self.want.types.clone(),
                spec_versions: self.want.spec_versions.clone(),
                versions: vec![VersionSel::All],
                ..Filter::default()
            };
            let mut rows = Vec::new();
            self.store.scan(self.collection, &filter, &mut |r| {
                rows.push(r);
                ControlFlow::Continue(())
            })?;
            let mut instants = Vec::with_capacity(rows.len());
            for mut r in rows {
                if self.serve(&mut r)?.article().is_none() {
                    instants.push(r.version_at);
                }
            }
            self.receivable.insert(id.to_owned(), instants);
        }
        Ok(self.receivable.get(id).map_or(&[][..], Vec::as_slice))
    }

    /// Is a receivable version one of those the request selects?
    fn selected(&mut self, row: &Row) -> Result<bool> {
        let default = [VersionSel::Last];
        let sels: &[VersionSel] = if self.want.versions.is_empty() {
            &default
        } else {
            &self.want.versions
        };
        for sel in sels {
            let yes = match sel {
                VersionSel::All => true,
                VersionSel::At(t) => row.version_at == *t,
                VersionSel::Last => {
                    row.last
                        || !self
                            .receivable_versions(&row.id)?
                            .iter()
                            .any(|v| *v > row.version_at)
                }
                VersionSel::First => {
                    row.first
                        || !self
                            .receivable_versions(&row.id)?
                            .iter()
                            .any(|v| *v < row.version_at)
                }
            };
            if yes {
                return Ok(true);
            }
        }
        Ok(false)
    }
}

/// One stored version (by its `date_added`) as the principal of `access` would receive it:
/// the row (its text loaded when `with_body`, redacted where the policy says so) and what
/// the policy did with it; `None` when no version is stored there (any more). The same
/// decision every read makes: lookups and reference panels reach versions through indexes
/// and ask this for each, within one snapshot of the store (`session`).
pub(crate) fn receive(
    session: &mut dyn store::Session,
    policy: &Policy,
    access: Access,
    at: i64,
    with_body: bool,
) -> Result<Option<(Row, Served)>> {
    let Some(mut row) = session.row_at(access.collection, at, with_body)? else {
        return Ok(None);
    };
    let served = serve_row(policy, &access, &mut row, || {
        Ok(session.object_text(access.collection, at)?)
    })?;
    Ok(Some((row, served)))
}

/// What one scan did: its decisions, whether a further selected version follows the
/// limit, and the position of the last version it decided.
pub(crate) struct Scanned {
    pub tally: Tally,
    pub more: bool,
    pub through: Option<i64>,
}

/// The loop: scan, decide each version, select among the receivable ones, hand each
/// selected one to `sink` (at most `limit` of them), tally the decisions.
pub(crate) fn scan(
    store: &dyn Store,
    policy: &Policy,
    access: Access,
    want: &Want,
    sink: &mut dyn FnMut(Row) -> Result<()>,
) -> Result<Scanned> {
    let mut view = View {
        store,
        policy,
        access,
        collection: access.collection,
        want,
        receivable: HashMap::new(),
    };
    let filter = Filter {
        added_after: want.added_after,
        after_seq: want.after,
        ids: want.ids.clone(),
        types: want.types.clone(),
        versions: vec![VersionSel::All],
        spec_versions: want.spec_versions.clone(),
        with_body: want.with_body,
    };
    let limit = want.limit.unwrap_or(usize::MAX);
    let mut out = Scanned {
        tally: Tally::default(),
        more: false,
        through: None,
    };
    let mut failure = None;
    store.scan(access.collection, &filter, &mut |mut row| {
        let seq = row.date_added;
        let full = out.tally.served as usize == limit;
        let step = (|| -> Result<ControlFlow<()>> {
            if want.only_own && row.origin.is_some() {
                if !full {
                    out.through = Some(seq);
                }
                return Ok(ControlFlow::Continue(()));
            }
            let served = view.serve(&mut row)?;
            if let Some(article) = served.article() {
                // Once the page is full, what follows belongs to the next page: looked
                // past (to learn whether there is more), neither counted nor passed.
                if !full {
                    out.tally.withhold(article);
                    out.through = Some(seq);
                }
                return Ok(ControlFlow::Continue(()));
            }
            if !view.selected(&row)? {
                if !full {
                    out.through = Some(seq);
                }
                return Ok(ControlFlow::Continue(()));
            }
            if full {
                // A further version would be served: there is more, decided next time.
                out.more = true;
                return Ok(ControlFlow::Break(()));
            }
            out.tally
                .serve(&row.id, &row.version, served == Served::Redacted);
            out.through = Some(seq);
            sink(row)?;
            Ok(ControlFlow::Continue(()))
        })();
        match step {
            Ok(flow) => flow,
            Err(e) => {
                failure = Some(e);
                ControlFlow::Break(())
            }
        }
    })?;
    match failure {
        Some(e) => Err(e),
        None => Ok(out),
    }
}

impl Core {
    /// One page of what `caller` may receive from `collection` (one object's versions
    /// with `object`), decided per version, selected among the receivable ones, recorded in
    /// the audit log. `deliver` renders the page while its entry is made durable; its
    /// result is returned only once the entry is. A refusal of the whole request is
    /// recorded too, and returned as [`CoreError::Refused`].
    pub fn read<T>(
        &self,
        caller: &Caller,
        endpoint: &str,
        collection: &Collection,
        object: Option<&str>,
        want: &Want,
        deliver: impl FnOnce(&Page) -> T,
    ) -> Result<T> {
        self.read_page(caller, endpoint, collection, object, want, deliver)
            .map(|(out, _)| out)
    }

    /// [`Core::read`] of a whole collection, with what was decided (served, redacted,
    /// withheld), for a door that reports it (a push).
    pub fn read_tallied<T>(
        &self,
        caller: &Caller,
        endpoint: &str,
        collection: &Collection,
        want: &Want,
        deliver: impl FnOnce(&Page) -> T,
    ) -> Result<(T, Tally)> {
        self.read_page(caller, endpoint, collection, None, want, deliver)
    }

    fn read_page<T>(
        &self,
        caller: &Caller,
        endpoint: &str,
        collection: &Collection,
        object: Option<&str>,
        want: &Want,
        deliver: impl FnOnce(&Page) -> T,
    ) -> Result<(T, Tally)> {
        let policy = self.policy()?;
        let access = self.permit(&policy, caller, collection, Action::Read, endpoint, object)?;
        let mut want = want.clone();
        if let Some(id) = object {
            want.ids = vec![id.to_owned()];
        }
        let mut page = Page {
            rows: Vec::with_capacity(want.limit.unwrap_or(0).min(1024)),
            ..Page::default()
        };
        let scanned = scan(self.store(), &policy, access, &want, &mut |row| {
            page.rows.push(row);
            Ok(())
        })?;
        page.more = scanned.more;
        page.through = scanned.through;
        let tally = scanned.tally;
        let event = access_event(
            &policy,
            caller,
            endpoint,
            &collection.id,
            object,
            Ok(&tally),
        );
        // What leaves for another competent authority or a third party leaves only once its
        // entry is durable (the append runs while the page is rendered); this authority's
        // own users' reads are recorded by group commit, within `journal::MAX_WAIT`.
        let crosses = caller.principal.kind != policy::Kind::Local;
        let ticket = self.journal().record(event.canonical()?, crosses)?;
        let out = deliver(&page);
        if crosses {
            self.journal().wait(ticket)?;
        }
        Ok((out, tally))
    }

    /// The access `action` of `caller` on `collection`, after asking the policy whether
    /// the request may be made at all (a refusal is recorded durably and returned): the
    /// one gate of every read and every write.
    pub(crate) fn permit<'a>(
        &self,
        policy: &Policy,
        caller: &Caller<'a>,
        collection: &Collection,
        action: Action,
        endpoint: &str,
        object: Option<&str>,
    ) -> Result<Access<'a>> {
        let access = Access {
            principal: caller.principal,
            collection: collection.key,
            action,
            purpose: caller.purpose,
        };
        if let policy::Decision::Deny(d) = policy.permits(&access) {
            return Err(self.refuse(policy, caller, endpoint, collection, object, d));
        }
        Ok(access)
    }

    /// Records that the policy refused a request as a whole, durably (a 403 is an answer
    /// too), and returns the refusal.
    pub(crate) fn refuse(
        &self,
        policy: &Policy,
        caller: &Caller,
        endpoint: &str,
        collection: &Collection,
        object: Option<&str>,
        denial: policy::Denial,
    ) -> CoreError {
        let why = denial.to_string();
        let recorded = self.record_durably(&access_event(
            policy,
            caller,
            endpoint,
            &collection.id,
            object,
            Err(&why),
        ));
        match recorded {
            Ok(()) => CoreError::Refused(denial),
            Err(e) => e,
        }
    }

    /// Every receivable version of a collection, streamed to `out` as the members of a
    /// STIX bundle's `objects` (comma-separated, one per line), for `caller` as the
    /// recipient: a transfer, decided per version and recorded. `out` must not be handed
    /// on before this returns: the entry recording the transfer is durable only then.
    pub fn export(
        &self,
        caller: &Caller,
        collection: &Collection,
        out: &mut dyn std::io::Write,
    ) -> Result<Tally> {
        let policy = self.policy()?;
        let access = self.permit(&policy, caller, collection, Action::Read, "export", None)?;
        let want = Want {
            versions: vec![VersionSel::All],
            with_body: true,
            ..Want::default()
        };
        let mut n = 0u64;
        let tally = scan(self.store(), &policy, access, &want, &mut |row| {
            let sep: &[u8] = if n == 0 { b"\n" } else { b",\n" };
            out.write_all(sep)
                .and_then(|()| out.write_all(row.json.as_bytes()))
                .map_err(crate::failed("writing the bundle"))?;
            n += 1;
            Ok(())
        })?
        .tally;
        self.record_durably(&Event::Transfer {
            at: crate::events::now(),
            principal: &self.operator().name,
            recipient: &caller.principal.name,
            purpose: policy.purpose_of(caller.principal, caller.purpose),
            policy_version: policy.version(),
            collection: &collection.id,
            served: tally.served,
            redacted: tally.redacted,
            withheld: &tally.withheld,
            served_sha256: tally.digest_hex(),
        })?;
        Ok(tally)
    }

    /// What an export of `collection` for `recipient` would serve, redact and withhold (by
    /// article), decided exactly as [`Core::export`] decides, with nothing transferred:
    /// the operator's look before the transfer. Recorded as the operator's read
    /// (`export-preview for` the recipient, with the counts); a recipient the policy
    /// refuses as a whole is reported as that refusal, recorded likewise.
    pub fn export_preview(
        &self,
        operator: &Caller,
        recipient: &Caller,
        collection: &Collection,
    ) -> Result<Tally> {
        let policy = self.policy()?;
        let access = Access {
            principal: recipient.principal,
            collection: collection.key,
            action: Action::Read,
            purpose: recipient.purpose,
        };
        // The endpoint names the recipient: the preview is the operator's read about them.
        let endpoint = format!("export-preview for {}", recipient.principal.name);
        if let policy::Decision::Deny(d) = policy.permits(&access) {
            let why = d.to_string();
            let event = access_event(
                &policy,
                operator,
                &endpoint,
                &collection.id,
                None,
                Err(&why),
            );
            self.record_durably(&event)?;
            return Err(CoreError::Refused(d));
        }
        let want = Want {
            versions: vec![VersionSel::All],
            ..Want::default()
        };
        let tally = scan(self.store(), &policy, access, &want, &mut |_| Ok(()))?.tally;
        let event = access_event(
            &policy,
            operator,
            &endpoint,
            &collection.id,
            None,
            Ok(&tally),
        );
        self.record_durably(&event)?;
        Ok(tally)
    }

    /// Records the entry of an answer given to `caller` whole (a lookup, a panel): what
    /// leaves for another competent authority or a third party leaves only once its entry
    /// is durable; this authority's own users' answers are recorded by group commit.
    pub(crate) fn record_answer(&self, caller: &Caller, event: &Event) -> Result<()> {
        let crosses = caller.principal.kind != policy::Kind::Local;
        let ticket = self.journal().record(event.canonical()?, crosses)?;
        if crosses {
            self.journal().wait(ticket)?;
        }
        Ok(())
    }
}

/// The audit entry of a read: what it served, or why it was refused. `collection` is the
/// collection's TAXII id (`*`: a read across the asker's collections).
pub(crate) fn access_event<'a>(
    policy: &'a Policy,
    caller: &Caller<'a>,
    endpoint: &'a str,
    collection: &'a str,
    object: Option<&'a str>,
    outcome: std::result::Result<&'a Tally, &'a str>,
) -> Event<'a> {
    static EMPTY: std::sync::OnceLock<Tally> = std::sync::OnceLock::new();
    let (decision, reason, t) = match outcome {
        Ok(t) => ("allow", None, t),
        Err(why) => ("deny", Some(why), EMPTY.get_or_init(Tally::default)),
    };
    Event::Access {
        at: crate::events::now(),
        asker: crate::events::Asker::of(policy, caller.principal, caller.purpose),
        endpoint,
        collection,
        object,
        decision,
        reason,
        served: t.served,
        redacted: t.redacted,
        withheld: &t.withheld,
        served_sha256: t.digest_hex(),
    }
}
