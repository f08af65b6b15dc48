//! Storage of collections, object versions, users' collection rights and TAXII status
//! resources, behind one [`Store`] trait.
//!
//! The store keeps objects and answers scans; it never decides who may see what (that is
//! `policy`'s job, asked once per object by every read path) and it never parses more of an
//! object than `stix` already did. A write it acknowledges is durable: the SQLite backend
//! commits in WAL mode with `synchronous=FULL` before returning.
//!
//! ```
//! use store::{Store, NewCollection, Filter};
//! let dir = tempfile::tempdir().unwrap();
//! let store = store::SqliteStore::open(dir.path()).unwrap();
//! store.create_api_root(&store::ApiRoot { name: "api1".into(), title: "Default".into(), description: None, max_content_length: 1 << 20 }).unwrap();
//! let c = store.create_collection(&NewCollection { title: "Incidents".into(), ..Default::default() }).unwrap();
//! let raw: Box<serde_json::value::RawValue> = serde_json::from_str(
//!     r#"{"type":"ipv4-addr","id":"ipv4-addr--ff26c055-6336-5bc5-b98d-13d6226742dd","value":"198.51.100.3"}"#).unwrap();
//! let obj = stix::validate(&raw).unwrap();
//! let outcome = store.add_objects(c.key, &[obj], None).unwrap();
//! assert!(outcome[0].is_added());
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
}

pub type Result<T> = std::result::Result<T, StoreError>;

/// The operations a backend provides. Adding a backend adds an implementation of this trait
/// and runs the shared test suite in `tests/` against it; nothing else changes.
pub trait Store: Send + Sync {
    /// API roots, in the order they were created; the first is the default.
    fn api_roots(&self) -> Result<Vec<ApiRoot>>;
    fn create_api_root(&self, root: &ApiRoot) -> Result<()>;

    fn collections(&self) -> Result<Vec<Collection>>;
    /// Looks a collection up by id or alias within an API root (any root when `None`).
    fn collection(&self, api_root: Option<&str>, id_or_alias: &str) -> Result<Option<Collection>>;
    fn create_collection(&self, new: &NewCollection) -> Result<Collection>;

    fn user(&self, name: &str) -> Result<Option<User>>;
    fn put_user(&self, user: &User) -> Result<()>;
    fn users(&self) -> Result<Vec<User>>;
    fn set_grant(&self, grant: &Grant) -> Result<()>;
    fn grants(&self, user: &str) -> Result<Vec<Grant>>;

    /// Adds objects to a collection in batched, durable transactions. One outcome per input,
    /// in input order. An identical re-post is `AddOutcome::AlreadyPresent`, not a failure.
    /// `origin` is the competent authority the objects were obtained from (`None`: this
    /// authority's own).
    fn add_objects(
        &self,
        collection: CollectionKey,
        objects: &[stix::StixObject],
        origin: Option<&str>,
    ) -> Result<Vec<AddOutcome>>;

    /// Marking definitions stored in any collection after position `after`, with their
    /// positions, oldest first: the policy reads new ones as they arrive.
    fn marking_definitions_after(&self, after: i64) -> Result<Vec<(i64, String)>>;

    /// Keeps a signed ledger record (consent, revocation, notice, ...) once per `id`;
    /// `false` when a record with that id was already held (the held one stays).
    fn put_record(&self, record: &LedgerRecord) -> Result<bool>;

    /// Ledger records kept after position `after`, oldest first, with their positions.
    fn records_after(&self, after: i64) -> Result<Vec<(i64, LedgerRecord)>>;

    /// Adds batches as they arrive (bulk import), committing durably at least every
    /// `commit_every` objects and after the last batch. `done` gets each batch back with
    /// one `Fate` per object as soon as it is written into the open transaction, so that
    /// the writer neither copies nor frees the objects' text (the caller decides which
    /// thread does) and memory in flight stays bounded by the caller's queue. The fates
    /// are final only once `add_stream` returns `Ok`: an error may leave the batches of
    /// the failed transaction unstored. Transactions may span batches: a backend whose
    /// cost per commit grows with the collection (index pages rewritten per transaction)
    /// keeps one open for `commit_every` objects.
    fn add_stream(
        &self,
        collection: CollectionKey,
        batches: &mut dyn Iterator<Item = Vec<stix::StixObject>>,
        origin: Option<&str>,
        commit_every: usize,
        done: &mut dyn FnMut(Vec<stix::StixObject>, Vec<Fate>),
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

    /// Deletes the versions of one object that match `versions`; returns how many went.
    fn delete_object(
        &self,
        collection: CollectionKey,
        id: &str,
        versions: &[VersionSel],
        spec_versions: &[String],
    ) -> Result<usize>;

    /// Peers this node exchanges with (federation), by id.
    fn peers(&self) -> Result<Vec<Peer>>;
    /// One peer by id.
    fn peer(&self, id: &str) -> Result<Option<Peer>> {
        Ok(self.peers()?.into_iter().find(|p| p.id == id))
    }
    /// Creates or replaces a peer.
    fn put_peer(&self, peer: &Peer) -> Result<()>;
    /// Where pulling from and pushing to each of `peer`'s collections stands.
    fn cursors(&self, peer: &str) -> Result<Vec<SyncCursor>>;
    /// Records a cursor (a new collection of the peer mapped to a local one).
    fn put_cursor(&self, cursor: &SyncCursor) -> Result<()>;
    /// Adds sealed pages from a peer (pulled, or pushed to this node) in one durable
    /// transaction together with their seals, each object's place under its seal, and
    /// (for a pull) the cursor that follows the last page: after a crash either all of it
    /// is stored or none, so the next pull resumes exactly. One outcome per object, in
    /// order. A pull commits several pages at once: every transaction rewrites the index
    /// pages it touched, so fewer, larger ones write less.
    fn add_sealed(
        &self,
        collection: CollectionKey,
        batches: &[SealedBatch],
        origin: Option<&str>,
        cursor: Option<&SyncCursor>,
    ) -> Result<Vec<AddOutcome>>;
    /// The seal a stored object version arrived under and its leaf index, if it came from
    /// a peer.
    fn provenance(
        &self,
        collection: CollectionKey,
        date_added: i64,
    ) -> Result<Option<(SealedPage, u32)>>;
    /// Keeps objects that failed their provenance check, apart from every collection.
    fn quarantine(&self, q: &Quarantined) -> Result<()>;
    /// Quarantined pages, oldest first, with their positions.
    fn quarantined(&self) -> Result<Vec<(i64, Quarantined)>>;

    fn put_status(&self, status: &StatusRecord) -> Result<()>;
    fn status(&self, api_root: &str, id: &str) -> Result<Option<StatusRecord>>;
}
