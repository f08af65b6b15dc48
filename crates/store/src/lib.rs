//! Storage of collections, object versions, users' collection rights, the agreement's
//! signed records, peers and TAXII status resources, behind one [`Store`] trait.
//!
//! The store keeps objects and answers scans; it never decides who may see what (that is
//! `policy`'s job, asked once per object by every read path) and it never parses more of an
//! object than `stix` already did. A write it acknowledges is durable: the SQLite backend
//! commits in WAL mode with `synchronous=FULL` before returning.
//!
//! **The audit log covers the store.** Every write that changes what the node holds takes
//! its audit entry (or, for object writes, a [`Describe`] that builds it from what the
//! write did) and commits it in the same transaction into the *outbox*; the node's journal
//! moves outbox entries into the signed audit log ([`Store::outbox`], [`Store::clear_outbox`])
//! and recovers any left there by a crash before anything else runs. Bookkeeping that the
//! log does not need to cover (sync cursors, the witnessed head of a peer's log, TAXII
//! status resources) is written without an entry.
//!
//! ```
//! use store::{Store, NewCollection, Filter};
//! let dir = tempfile::tempdir().unwrap();
//! let store = store::SqliteStore::create(dir.path()).unwrap();
//! store.create_api_root(&store::ApiRoot { name: "api1".into(), title: "Default".into(), description: None, max_content_length: 1 << 20 }, b"{}").unwrap();
//! let c = store.create_collection(&NewCollection { id: "4b9c9a1e-7f3c-4a4e-9f7e-2f5d3b1c0a11".into(), title: "Incidents".into(), ..Default::default() }, b"{}").unwrap();
//! let raw: Box<serde_json::value::RawValue> = serde_json::from_str(
//!     r#"{"type":"ipv4-addr","id":"ipv4-addr--ff26c055-6336-5bc5-b98d-13d6226742dd","value":"198.51.100.3"}"#).unwrap();
//! let obj = stix::validate(&raw).unwrap();
//! let outcome = store.add_objects(c.key, &[obj], None, &mut |w| Ok(serde_json::to_vec(&w.stored()).unwrap())).unwrap();
//! assert!(outcome[0].is_added());
//! assert_eq!(store.outbox(0).unwrap().len(), 3, "each write left its entry");
//! let mut seen = 0;
//! store.scan(c.key, &Filter::default(), &mut |_row| { seen += 1; std::ops::ControlFlow::Continue(()) }).unwrap();
//! assert_eq!(seen, 1);
//! ```

mod model;
mod sqlite;

pub use model::*;
pub use sqlite::{DB_FILE, SqliteStore};

use std::ops::ControlFlow;

/// Errors from a backend; the message names what was being done.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("storage failure while {context}: {source}")]
    Backend {
        context: &'static str,
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    #[error("{0}")]
    Invalid(String),
    #[error("{0} not found")]
    NotFound(String),
    /// Stored state that does not read back as what was written: an error, never a
    /// fallback (a default could switch a safety check off).
    #[error("corrupt stored state: {0}")]
    Corrupt(String),
    /// A directory that holds no node.
    #[error("{0}")]
    NoNode(String),
}

pub type Result<T> = std::result::Result<T, StoreError>;

/// Reads within one snapshot of the store (see `Store::session`).
pub trait Session {
    /// One stored version by its `date_added` (with its text when `with_body`).
    fn row_at(
        &mut self,
        collection: CollectionKey,
        at: i64,
        with_body: bool,
    ) -> Result<Option<Row>>;
    /// The text of one stored version.
    fn object_text(&mut self, collection: CollectionKey, at: i64) -> Result<Option<String>>;
}

/// The operations a backend provides. Adding a backend adds an implementation of this trait
/// and runs the shared test suite in `tests/` against it; nothing else changes.
pub trait Store: Send + Sync {
    /// API roots, in the order they were created; the first is the default.
    fn api_roots(&self) -> Result<Vec<ApiRoot>>;
    /// Creates an API root or updates its title, description and limit.
    fn create_api_root(&self, root: &ApiRoot, entry: &[u8]) -> Result<()>;

    fn collections(&self) -> Result<Vec<Collection>>;
    /// Looks a collection up by id or alias within an API root (any root when `None`).
    fn collection(&self, api_root: Option<&str>, id_or_alias: &str) -> Result<Option<Collection>>;
    /// Looks a collection up by the store's key.
    fn collection_by_key(&self, key: CollectionKey) -> Result<Option<Collection>> {
        Ok(self.collections()?.into_iter().find(|c| c.key == key))
    }
    fn create_collection(&self, new: &NewCollection, entry: &[u8]) -> Result<Collection>;

    fn user(&self, name: &str) -> Result<Option<User>>;
    fn put_user(&self, user: &User, entry: &[u8]) -> Result<()>;
    fn users(&self) -> Result<Vec<User>>;
    fn set_grant(&self, grant: &Grant, entry: &[u8]) -> Result<()>;
    /// Removes a user and its grants, with the entry recording it; `false`: no such user.
    fn remove_user(&self, name: &str, entry: &[u8]) -> Result<bool>;
    fn grants(&self, user: &str) -> Result<Vec<Grant>>;

    /// Adds objects to a collection in one durable transaction, with the audit entry
    /// `describe` builds from what was stored. One outcome per input, in input order. An
    /// identical re-post is `AddOutcome::AlreadyPresent`, not a failure. `origin` is the
    /// competent authority the objects were obtained from (`None`: this authority's own).
    fn add_objects(
        &self,
        collection: CollectionKey,
        objects: &[stix::StixObject],
        origin: Option<&str>,
        describe: Describe<'_>,
    ) -> Result<Vec<AddOutcome>>;

    /// [`Store::add_objects`] for objects handed over in batches while they are admitted
    /// (on another thread): all written in one transaction as they come, with one entry,
    /// so admitting and writing overlap. Outcomes in the order of the objects.
    fn add_objects_from(
        &self,
        collection: CollectionKey,
        batches: &mut dyn Iterator<Item = Vec<stix::StixObject>>,
        origin: Option<&str>,
        describe: Describe<'_>,
    ) -> Result<Vec<AddOutcome>> {
        self.add_objects_reporting(collection, batches, origin, describe, &mut |_| Ok(None))
    }

    /// [`Store::add_objects_from`], keeping the status resource `report` builds from the
    /// outcomes in the same transaction.
    fn add_objects_reporting(
        &self,
        collection: CollectionKey,
        batches: &mut dyn Iterator<Item = Vec<stix::StixObject>>,
        origin: Option<&str>,
        describe: Describe<'_>,
        report: Report<'_>,
    ) -> Result<Vec<AddOutcome>>;

    /// Marking definitions stored in any collection after position `after`, with their
    /// positions, oldest first: the policy reads new ones as they arrive.
    fn marking_definitions_after(&self, after: i64) -> Result<Vec<(i64, String)>>;

    /// Keeps a signed record of the agreement (consent, revocation, notice, lifecycle
    /// notification, ...) once per `id`, with its entry; `false` when a record with that id
    /// was already held (the held one stays, and no entry is written).
    fn put_record(&self, record: &LedgerRecord, entry: &[u8]) -> Result<bool>;

    /// Records kept after position `after`, oldest first, with their positions.
    fn records_after(&self, after: i64) -> Result<Vec<(i64, LedgerRecord)>>;

    /// The agreement this node is under, and a counter that changes whenever it is set.
    fn agreement(&self) -> Result<Option<(AgreementDoc, i64)>>;
    /// The counter of [`Store::agreement`] alone (0: no agreement): cheap to ask per request.
    fn agreement_version(&self) -> Result<i64> {
        Ok(self.agreement()?.map_or(0, |(_, v)| v))
    }

    /// Where the agreement, its records, the marking definitions, the objects and the node's
    /// administration (API roots, collections, users, grants) stand, in one question: what
    /// every request asks first to learn whether anything changed (and what it may keep).
    fn marks(&self) -> Result<Marks>;
    /// Puts the node under an agreement (or replaces it).
    fn set_agreement(&self, doc: &AgreementDoc, entry: &[u8]) -> Result<()>;

    /// Adds batches as they arrive (bulk import), committing durably at least every
    /// `commit_every` objects and after the last batch, each transaction with the entry
    /// `describe` builds for it. `done` gets each batch back with one `Fate` per object as
    /// soon as it is written into the open transaction, so that the writer neither copies
    /// nor frees the objects' text (the caller decides which thread does) and memory in
    /// flight stays bounded by the caller's queue. The fates are final only once their
    /// transaction commits: an error may leave the batches of the failed transaction
    /// unstored (and without entry). Transactions may span batches: a backend whose cost
    /// per commit grows with the collection (index pages rewritten per transaction) keeps
    /// one open for `commit_every` objects.
    fn add_stream(
        &self,
        collection: CollectionKey,
        batches: &mut dyn Iterator<Item = Vec<stix::StixObject>>,
        origin: Option<&str>,
        commit_every: usize,
        done: &mut dyn FnMut(Vec<stix::StixObject>, Vec<Fate>),
        describe: Describe<'_>,
    ) -> Result<()>;

    /// While `true`, writes leave housekeeping (for SQLite: copying the write-ahead log into
    /// the database file) to [`Store::maintain`] instead of doing it in a commit: a long
    /// series of writes (a pull from a peer) is not slowed by it. Durability is unchanged.
    fn defer_housekeeping(&self, _defer: bool) -> Result<()> {
        Ok(())
    }

    /// Housekeeping that should not run on a request's critical path (for SQLite: copying
    /// the write-ahead log into the database file). The serving node calls it periodically.
    fn maintain(&self) -> Result<()> {
        Ok(())
    }

    /// Visits the rows of a collection that match `filter`, in `date_added` order, until the
    /// visitor breaks. This is a cursor: nothing beyond what the visitor consumes is loaded.
    fn scan(
        &self,
        collection: CollectionKey,
        filter: &Filter,
        visit: &mut dyn FnMut(Row) -> ControlFlow<()>,
    ) -> Result<()>;

    /// The text of one stored version (by its `date_added`), if it is there.
    fn object_text(&self, collection: CollectionKey, date_added: i64) -> Result<Option<String>>;

    /// Deletes the versions of one object that match `versions`, with the entry `describe`
    /// builds from what was removed; returns how many went.
    fn delete_object(
        &self,
        collection: CollectionKey,
        id: &str,
        versions: &[VersionSel],
        spec_versions: &[String],
        describe: Describe<'_>,
    ) -> Result<usize>;

    /// Deletes a collection with everything stored in it (its versions, what they hold for
    /// the correlation index, its grants, the seals of pages into it), with the entry
    /// `describe` builds from how many versions went and the SHA-256 of their
    /// `"{id} {version}\n"` lines in `date_added` order; `None` if there is no such
    /// collection. One transaction: all of it or none.
    fn delete_collection(
        &self,
        collection: CollectionKey,
        describe: &mut dyn FnMut(u64, &str) -> Result<Vec<u8>>,
    ) -> Result<Option<u64>>;

    /// Audit entries committed with their writes and not yet cleared, after position
    /// `after`, oldest first, with their positions (which only grow).
    fn outbox(&self, after: u64) -> Result<Vec<(u64, Vec<u8>)>>;
    /// Forgets outbox entries up to `through` (the audit log holds them).
    fn clear_outbox(&self, through: u64) -> Result<()>;

    /// Peers this node exchanges with (federation), by id.
    fn peers(&self) -> Result<Vec<Peer>>;
    /// One peer by id.
    fn peer(&self, id: &str) -> Result<Option<Peer>> {
        Ok(self.peers()?.into_iter().find(|p| p.id == id))
    }
    /// Creates or replaces a peer (its URL, key and halted state; the witnessed head is
    /// kept as it is unless `peer.witnessed` is set).
    fn put_peer(&self, peer: &Peer, entry: &[u8]) -> Result<()>;
    /// Removes a peer and its sync cursors, with the entry recording it (the seals of what
    /// it sent and its quarantined pages stay: they are evidence); `false`: no such peer.
    fn remove_peer(&self, id: &str, entry: &[u8]) -> Result<bool>;
    /// Records the last signed tree head of the peer's log this node witnessed
    /// (bookkeeping of the witness, without an entry).
    fn set_witnessed(&self, peer: &str, head: Option<&audit::SignedTreeHead>) -> Result<()>;
    /// Where pulling from and pushing to each of `peer`'s collections stands.
    fn cursors(&self, peer: &str) -> Result<Vec<SyncCursor>>;
    /// Records a cursor (a new collection of the peer mapped to a local one; a push's
    /// position after the peer acknowledged a page).
    fn put_cursor(&self, cursor: &SyncCursor) -> Result<()>;
    /// Adds sealed pages from a peer (pulled, or pushed to this node) in one durable
    /// transaction together with their seals, each object's place under its seal, (for a
    /// pull) the cursor that follows the last page, and the entry `describe` builds: after
    /// a crash either all of it is stored or none, so the next pull resumes exactly. One
    /// outcome per object, in order. A pull commits several pages at once: every
    /// transaction rewrites the index pages it touched, so fewer, larger ones write less.
    fn add_sealed(
        &self,
        collection: CollectionKey,
        batches: &[SealedBatch],
        origin: Option<&str>,
        cursor: Option<&SyncCursor>,
        describe: Describe<'_>,
    ) -> Result<Vec<AddOutcome>>;
    /// The seal a stored object version arrived under and its leaf index, if it came from
    /// a peer.
    fn provenance(
        &self,
        collection: CollectionKey,
        date_added: i64,
    ) -> Result<Option<(SealedPage, u32)>>;
    /// Keeps objects that failed their provenance check, apart from every collection.
    fn quarantine(&self, q: &Quarantined, entry: &[u8]) -> Result<()>;
    /// Quarantined pages, oldest first, with their positions: without their bodies (left
    /// empty, whatever the peers sent), each with its size in bytes.
    fn quarantine_listing(&self) -> Result<Vec<(i64, Quarantined, u64)>>;
    /// How many pages are quarantined (a metrics scrape reads this, not the pages).
    fn quarantine_count(&self) -> Result<u64>;

    /// What the versions added after `after` (a `date_added`) hold — observable values and
    /// references — with the facts a decision about each needs, oldest first, at most
    /// `limit` versions: what the node's correlation index is built from and kept up with.
    fn holdings_after(&self, after: i64, limit: usize) -> Result<Vec<Holding>>;
    /// The `date_added` of versions deleted after position `after` of the log of deletions,
    /// and the position reached (see `Marks::removed`).
    fn removed_after(&self, after: i64) -> Result<(Vec<i64>, i64)>;
    /// The highest `date_added` ever given: nothing was added while it stays.
    fn last_added(&self) -> Result<i64>;
    /// Reads that belong together — the versions one lookup decides — in one snapshot (for
    /// SQLite: one read transaction on one connection, one lock, instead of one per row).
    fn session(&self) -> Result<Box<dyn Session + '_>>;

    /// One stored version by its `date_added` (with its text when `with_body`).
    fn row_at(&self, collection: CollectionKey, at: i64, with_body: bool) -> Result<Option<Row>> {
        let filter = Filter {
            after_seq: Some(at - 1),
            versions: vec![VersionSel::All],
            with_body,
            ..Filter::default()
        };
        let mut found = None;
        self.scan(collection, &filter, &mut |row| {
            if row.date_added == at {
                found = Some(row);
            }
            ControlFlow::Break(())
        })?;
        Ok(found)
    }

    /// Keeps a status resource on its own, without a sync of its own (a push's; a POST's is
    /// kept with its objects by [`Store::add_objects_reporting`]).
    fn put_status(&self, status: &StatusRecord) -> Result<()>;
    fn status(&self, api_root: &str, id: &str) -> Result<Option<StatusRecord>>;
}
