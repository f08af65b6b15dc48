//! One core under every front door of a Symbolon node.
//!
//! TAXII, the CLI, sync between nodes and the workspace to come answer the same two
//! questions, and answer them here: "what may this principal receive from this collection,
//! page by page" ([`Core::read`], [`Core::export`]) and "take these objects from this
//! principal" ([`Core::ingest`], [`Core::import`], [`Core::ingest_pages`]). Both refresh
//! the policy, decide every object (`policy::Policy`), and record the request in the audit
//! log before the answer leaves ([`journal`]): a front door cannot skip any of it, because
//! it never sees the store, the policy or the log on its own. The core knows no protocol:
//! no HTTP type, no TAXII envelope, no terminal.
//!
//! The node's own state is here too: opening and creating a data directory ([`dir`]),
//! users, collections and rights ([`admin`]), the agreement and its signed records
//! ([`agreement`], [`ledger`]), peers and the witness of their logs ([`peers`]), the
//! provenance of objects received from peers ([`provenance`]), and the proof that the audit
//! log covers the store ([`coverage`]).
//!
//! ```
//! let dir = tempfile::tempdir().unwrap();
//! let (core, _password) = symbolon_core::Core::init(&dir.path().join("node"), Some("pw")).unwrap();
//! let c = core.create_collection("Incidents", Some("incidents"), None, None).unwrap();
//! let operator = core.operator().clone();
//! let raw: Box<serde_json::value::RawValue> = serde_json::from_str(
//!     r#"{"type":"ipv4-addr","id":"ipv4-addr--ff26c055-6336-5bc5-b98d-13d6226742dd","value":"198.51.100.3"}"#).unwrap();
//! let writer = symbolon_core::Caller { principal: &operator, purpose: None };
//! let verdicts = core.ingest(&writer, "add", &c, &[raw.as_ref()], None).unwrap();
//! assert!(verdicts[0].is_stored());
//! let want = symbolon_core::Want { limit: Some(10), with_body: true, ..Default::default() };
//! let ids = core.read(&writer, "objects", &c, None, &want, |page| page.rows.iter().map(|r| r.id.clone()).collect::<Vec<_>>()).unwrap();
//! assert_eq!(ids, ["ipv4-addr--ff26c055-6336-5bc5-b98d-13d6226742dd"]);
//! assert!(core.verify_audit().unwrap().intact());
//! ```

pub mod admin;
pub mod agreement;
pub mod authoring;
pub mod backup;
pub mod correlate;
pub mod coverage;
pub mod dir;
mod error;
pub mod events;
mod helper;
pub mod import;
pub mod incident;
pub mod ingest;
pub mod journal;
pub mod ledger;
pub mod metrics;
pub mod mistake;
pub mod peers;
pub mod provenance;
pub mod read;
pub mod rotate;
pub mod sighting;
pub mod signin;
pub mod tally;

pub(crate) use error::failed;
pub use error::{CoreError, Result};
pub use ingest::Verdict;
pub use read::{Page, Want};

use ed25519_dalek::SigningKey;
use events::Event;
use policy::{Policy, Principal};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};
use store::Store;

/// Path segment of the API root every new node gets.
pub const DEFAULT_API_ROOT: &str = "api1";
/// The administrator every new node gets.
pub const ADMIN: &str = "admin";
/// Default `max_content_length` of the default API root: 256 MiB.
pub const DEFAULT_MAX_CONTENT_LENGTH: u64 = 256 << 20;

/// The user an HTTP answer was given to, put on the response by whichever door
/// authenticated the request (TAXII's credentials, a peer's signature, a workspace session)
/// for the one access line every door writes; never a credential.
#[derive(Debug, Clone)]
pub struct AnsweredFor(pub String);

/// Who asks, and for which purpose (Art. 6.4): what every request to the core carries.
#[derive(Debug, Clone, Copy)]
pub struct Caller<'a> {
    pub principal: &'a Principal,
    /// The purpose the request declares; `None`: the principal's default.
    pub purpose: Option<&'a str>,
}

/// What a request may keep of the node's administration while `store::Marks::admin`
/// stays: collections by key, and the users asked about (with their principals).
pub(crate) struct AdminCache {
    generation: i64,
    pub(crate) collections: std::collections::HashMap<store::CollectionKey, store::Collection>,
    users: Mutex<std::collections::HashMap<String, (store::User, Principal)>>,
}

impl AdminCache {
    /// A user and the principal it acts as, read once per generation (users that do not
    /// exist are not remembered: names asked by strangers take no room).
    pub(crate) fn user(
        &self,
        store: &dyn Store,
        name: &str,
    ) -> Result<Option<(store::User, Principal)>> {
        if let Some(u) = self
            .users
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(name)
        {
            return Ok(Some(u.clone()));
        }
        let Some(user) = store.user(name)? else {
            return Ok(None);
        };
        let principal = Principal::from_user(&user, &store.grants(name)?);
        let found = (user, principal);
        self.users
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(name.to_owned(), found.clone());
        Ok(Some(found))
    }
}

/// An opened node.
pub struct Core {
    dir: PathBuf,
    store: Arc<dyn Store>,
    key: SigningKey,
    /// The keys this node held before `key`, oldest first (its audit log's handovers).
    retired: Vec<[u8; 32]>,
    policy: RwLock<Arc<Policy>>,
    journal: journal::Journal,
    operator: Principal,
    /// Collections and users as of `Marks::admin`.
    admin_cache: RwLock<Option<Arc<AdminCache>>>,
    /// The correlation index, built on first use and kept up with the store.
    index: RwLock<correlate::index::Index>,
    warninglists: RwLock<Option<Arc<correlate::warninglists::Warninglists>>>,
    correlation_cap: std::sync::atomic::AtomicUsize,
    /// Password attempts per user name (`signin`).
    guesses: signin::Guesses,
    /// The thread that admits large writes while they are written (`ingest`).
    helper: helper::Helper,
}

impl Core {
    /// Creates a node in `dir` (missing or empty) and opens it. The administrator `admin`
    /// gets `admin_password`, or a generated one, returned to be shown once. All or
    /// nothing: the node is built beside `dir` and moved into place when complete.
    pub fn init(dir: &Path, admin_password: Option<&str>) -> Result<(Core, Option<String>)> {
        if dir::holds_node(dir) {
            return Err(CoreError::Invalid(format!(
                "{} already holds a Symbolon node",
                dir.display()
            )));
        }
        if !dir::is_vacant(dir)? {
            return Err(CoreError::Invalid(format!(
                "{} is not empty and holds no node: give an empty or new directory",
                dir.display()
            )));
        }
        let name = dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "node".into());
        let building = dir.with_file_name(format!(".{name}.creating-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&building);
        let generated = match admin_password {
            Some(p) if !p.is_empty() => None,
            _ => Some(policy::password::generate()),
        };
        let password = generated
            .clone()
            .unwrap_or_else(|| admin_password.unwrap_or_default().to_owned());
        let built = Self::build(&building, &password);
        if let Err(e) = built {
            let _ = std::fs::remove_dir_all(&building);
            return Err(e);
        }
        if dir.exists() {
            std::fs::remove_dir(dir).map_err(failed(&format!("replacing {}", dir.display())))?;
        }
        std::fs::rename(&building, dir)
            .map_err(failed(&format!("moving the new node to {}", dir.display())))?;
        Ok((Core::open(dir)?, generated))
    }

    /// The first state of a node: its store, key and log, the default API root and the
    /// administrator, each with its entry.
    fn build(dir: &Path, password: &str) -> Result<()> {
        let store = store::SqliteStore::create(dir)?;
        let key = dir::create_key(dir)?;
        let mut log = audit::AuditLog::create(dir, key.clone())?;
        log.append(&[Event::NodeCreated {
            at: events::now(),
            public_key: hex::encode(key.verifying_key().as_bytes()),
        }
        .canonical()?])?;
        let root = store::ApiRoot {
            name: DEFAULT_API_ROOT.into(),
            title: "Symbolon default API root".into(),
            description: Some("Collections of this competent authority".into()),
            max_content_length: DEFAULT_MAX_CONTENT_LENGTH,
        };
        store.create_api_root(
            &root,
            &Event::ApiRootSaved {
                at: events::now(),
                principal: ADMIN,
                api_root: &root.name,
                title: &root.title,
                max_content_length: root.max_content_length,
            }
            .canonical()?,
        )?;
        let hash = policy::password::hash(password)
            .map_err(|e| CoreError::Failed(format!("hashing the admin password: {e}")))?;
        store.put_user(
            &store::User {
                name: ADMIN.into(),
                password_hash: hash,
                is_admin: true,
                kind: store::Kind::Local,
                purposes: Vec::new(),
            },
            &Event::UserSaved {
                at: events::now(),
                principal: ADMIN,
                user: ADMIN,
                admin: true,
                kind: "local",
                purposes: &[],
                password_changed: true,
            }
            .canonical()?,
        )?;
        let journal = journal::Journal::new(Arc::new(Mutex::new(log)), Arc::new(store));
        journal.settle()
    }

    /// Opens the node in `dir`; [`CoreError::NoNode`] (and nothing created) when there is
    /// none. Entries a crash left in the outbox go into the audit log before anything else.
    pub fn open(dir: &Path) -> Result<Core> {
        if dir.join(dir::NEXT_KEY_FILE).exists() && dir::holds_node(dir) {
            return Err(CoreError::Invalid(format!(
                "a key rotation of the node in {} was interrupted: run `symbolon key rotate --data {}` to finish it",
                dir.display(),
                dir.display()
            )));
        }
        Self::open_with_key(dir, None)
    }

    /// [`Core::open`] with the node's key as found in its key file, or `key` (the key a
    /// rotation hands over from while its file still holds it).
    fn open_with_key(dir: &Path, key: Option<SigningKey>) -> Result<Core> {
        if !dir::holds_node(dir) {
            return Err(CoreError::NoNode {
                path: dir.display().to_string(),
            });
        }
        dir::make_private(dir)?;
        let store: Arc<dyn Store> = Arc::new(store::SqliteStore::open(dir)?);
        let key = match key {
            Some(k) => k,
            None => dir::load_key(dir)?,
        };
        let log = audit::AuditLog::open(dir, key.clone()).map_err(|e| match e {
            audit::AuditError::Missing(p) => CoreError::Failed(format!(
                "the node in {} has lost its audit log ({} is missing): restore it from a backup; a new one is never made in its place",
                dir.display(),
                p.display()
            )),
            e => e.into(),
        })?;
        let retired = log
            .handovers()
            .map_err(|e| {
                CoreError::Failed(format!(
                    "the audit log's key handovers do not lead to this node's key ({e}): run `symbolon audit verify`"
                ))
            })?
            .iter()
            .map(|(_, h)| h.from)
            .collect();
        let journal = journal::Journal::new(Arc::new(Mutex::new(log)), store.clone());
        journal.settle()?;
        let operator = Principal::admin(ADMIN);
        let core = Core {
            dir: dir.to_owned(),
            policy: RwLock::new(Arc::new(Policy::default())),
            store,
            key,
            retired,
            journal,
            operator,
            admin_cache: RwLock::default(),
            index: RwLock::default(),
            warninglists: RwLock::default(),
            correlation_cap: std::sync::atomic::AtomicUsize::new(correlate::DEFAULT_CAP),
            guesses: signin::Guesses::default(),
            helper: helper::Helper::default(),
        };
        agreement::adopt_legacy_files(&core)?;
        core.reload_policy()?;
        Ok(core)
    }

    /// Opens the node in `dir`, creating it first when `dir` is missing or empty (what
    /// `symbolon serve` and `demo` do).
    pub fn open_or_init(
        dir: &Path,
        admin_password: Option<&str>,
    ) -> Result<(Core, Option<String>)> {
        if !dir::holds_node(dir) && dir::is_vacant(dir)? {
            return Core::init(dir, admin_password);
        }
        Ok((Core::open(dir)?, None))
    }

    /// The data directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The node's key (it signs the audit log's heads, records, pages and requests).
    pub fn key(&self) -> &SigningKey {
        &self.key
    }

    /// The keys this node held before its current one, oldest first.
    pub fn retired_keys(&self) -> &[[u8; 32]] {
        &self.retired
    }

    /// This node's operator: the local administrator the CLI acts as.
    pub fn operator(&self) -> &Principal {
        &self.operator
    }

    /// Starts the thread that admits large writes alongside the request's own (a serving
    /// node does at start; otherwise the first large write starts it).
    pub fn start_ingest_helper(&self) -> Result<()> {
        self.helper.start()
    }

    pub fn journal(&self) -> &journal::Journal {
        &self.journal
    }

    /// The store, for reading the node's own bookkeeping. Doors never read objects from it:
    /// they read through [`Core::read`], which decides.
    pub(crate) fn store(&self) -> &dyn Store {
        self.store.as_ref()
    }

    /// The policy as it stands now: marking definitions and ledger records stored since the
    /// last request are read, and the terms derived again when the agreement, a lifecycle
    /// notification or the day changed. Every request asks this once, first.
    pub fn policy(&self) -> Result<Arc<Policy>> {
        self.policy_at(&self.marks()?)
    }

    /// Where the store stands (one question; see `store::Marks`).
    pub(crate) fn marks(&self) -> Result<store::Marks> {
        Ok(self.store().marks()?)
    }

    /// [`Core::policy`] with where the store stands already asked.
    pub(crate) fn policy_at(&self, marks: &store::Marks) -> Result<Arc<Policy>> {
        let current = self
            .policy
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone();
        match current.refresh_at(self.store(), marks)? {
            policy::Freshness::Fresh => Ok(current),
            policy::Freshness::Stale => self.reload_policy(),
        }
    }

    /// The node's collections and users as of `marks` (read again once an API root,
    /// collection, user or grant changed, in any process).
    pub(crate) fn admin_at(&self, marks: &store::Marks) -> Result<Arc<AdminCache>> {
        if let Some(c) = self
            .admin_cache
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .as_ref()
            .filter(|c| c.generation == marks.admin)
        {
            return Ok(c.clone());
        }
        let fresh = Arc::new(AdminCache {
            generation: marks.admin,
            collections: self
                .store()
                .collections()?
                .into_iter()
                .map(|c| (c.key, c))
                .collect(),
            users: Mutex::new(std::collections::HashMap::new()),
        });
        *self.admin_cache.write().unwrap_or_else(|p| p.into_inner()) = Some(fresh.clone());
        Ok(fresh)
    }

    fn reload_policy(&self) -> Result<Arc<Policy>> {
        let fresh = Arc::new(Policy::load(
            self.store(),
            self.key.verifying_key().to_bytes(),
            &self.retired,
            policy::lifecycle::Day::today(),
        )?);
        *self.policy.write().unwrap_or_else(|p| p.into_inner()) = fresh.clone();
        Ok(fresh)
    }

    /// Takes the lock that lets one `symbolon serve` run on this node.
    pub fn lock_for_serving(&self) -> Result<dir::ServeLock> {
        dir::lock_for_serving(&self.dir)
    }

    /// Housekeeping off the request path (a serving node calls it every few seconds):
    /// entries another process left in the outbox go into the log, the store copies its
    /// write-ahead log into its file.
    pub fn maintain(&self) -> Result<()> {
        self.journal.settle()?;
        self.store.maintain()?;
        Ok(())
    }

    /// While `true`, a long series of writes (a pull) leaves the store's housekeeping to
    /// [`Core::maintain`] instead of doing it in a commit. Durability is unchanged.
    pub fn defer_housekeeping(&self, defer: bool) -> Result<()> {
        Ok(self.store.defer_housekeeping(defer)?)
    }

    /// Puts a write's outbox entry on its way into the log (see [`journal`]).
    pub(crate) fn written(&self) -> Result<()> {
        self.journal.written()
    }

    /// Records an event that is no write of the store (a door's summary of a run, such as
    /// a sync's) and waits until it is durable.
    pub fn record(&self, event: &Event) -> Result<()> {
        self.record_durably(event)
    }

    /// Records a read's entry and waits until it is durable.
    pub(crate) fn record_durably(&self, event: &Event) -> Result<()> {
        let ticket = self.journal.record(event.canonical()?, true)?;
        self.journal.wait(ticket)
    }
}
