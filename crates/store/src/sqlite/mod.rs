//! The embedded default backend: one SQLite database file in the node's data directory.
//!
//! WAL mode lets the running node and the CLI use the same directory at once: readers never
//! block, writers queue on SQLite's lock (`busy_timeout`), and every write transaction is
//! `BEGIN IMMEDIATE`, so the date_added high-water mark is read and advanced under the lock.

mod federation;
mod held;
mod index;
mod objects;
mod pool;

use crate::{
    AgreementDoc, ApiRoot, Collection, Describe, Grant, Kind, NewCollection, Result, StatusRecord,
    StoreError, User,
};
use pool::Pool;
use rusqlite::{Connection, OptionalExtension, params};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// WAL size, in pages, past which a commit also checkpoints (256 MiB of 16 KiB pages).
const AUTOCHECKPOINT_PAGES: u32 = 16_384;

/// Most keys a bulk import remembers instead of asking the index (8 bytes each, so at most
/// ~64 MiB plus the set's overhead).
const MEMORY_LIMIT: usize = 8_000_000;

/// The schema `migrate` brings a database to (kept in `meta.schema_version`).
const SCHEMA_VERSION: i64 = 7;

/// Name of the database file inside a data directory.
pub const DB_FILE: &str = "symbolon.db";

pub(crate) fn backend(context: &'static str) -> impl FnOnce(rusqlite::Error) -> StoreError {
    move |e| StoreError::Backend {
        context,
        source: Box::new(e),
    }
}

/// SQLite implementation of [`crate::Store`].
pub struct SqliteStore {
    path: PathBuf,
    writer: Mutex<Connection>,
    readers: Pool,
    /// How many long series of writes (bulk imports, pulls) asked for the WAL to be left to
    /// `maintain`: while any does, no commit checkpoints.
    deferring: std::sync::atomic::AtomicUsize,
    /// The writer was left with `synchronous=NORMAL` (a status resource's commit could not
    /// set it back): the next write sets FULL again before it commits anything.
    relaxed: std::sync::atomic::AtomicBool,
    /// The index keys each collection holds, for writes (see `held`).
    held: held::Held,
}

fn connect(path: &Path) -> Result<Connection> {
    let conn = Connection::open(path).map_err(backend("opening the database"))?;
    // page_size first: it only applies to a new, empty file, before WAL mode is set. 16 KiB
    // pages suit object rows of 0.5-2 KiB (measured: +15-20% ingest over 4 KiB pages).
    // synchronous=FULL: a commit is on disk (WAL fsynced) before we acknowledge it.
    // wal_autocheckpoint in pages (256 MiB): fewer, larger checkpoints during bulk ingest.
    conn.execute_batch(
        "PRAGMA page_size=16384;
         PRAGMA journal_mode=WAL;
         PRAGMA wal_autocheckpoint=16384;
         PRAGMA synchronous=FULL;
         PRAGMA busy_timeout=60000;
         PRAGMA foreign_keys=ON;
         PRAGMA temp_store=MEMORY;
         PRAGMA cache_size=-262144;
         PRAGMA mmap_size=1073741824;",
    )
    .map_err(backend("configuring the database connection"))?;
    conn.set_prepared_statement_cache_capacity(64);
    // `rarray()`: the write path looks up a whole batch's keys in one statement.
    rusqlite::vtab::array::load_module(&conn).map_err(backend("loading the array module"))?;
    // Copying the WAL into the database file is maintenance, not part of any write: it runs
    // in `Store::maintain` (the serving node calls it in the background) or when the WAL
    // passes `wal_autocheckpoint`, never as a surprise when a CLI command closes.
    conn.set_db_config(
        rusqlite::config::DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE,
        true,
    )
    .map_err(backend("configuring the database connection"))?;
    Ok(conn)
}

impl SqliteStore {
    /// Creates the store of a new node in `dir` (made if missing; readable by the
    /// operator's account only). Fails if `dir` already holds a store.
    pub fn create(dir: &Path) -> Result<Self> {
        std::fs::create_dir_all(dir).map_err(|e| {
            StoreError::Invalid(format!(
                "cannot create data directory {}: {e}",
                dir.display()
            ))
        })?;
        private_dir(dir)?;
        let path = dir.join(DB_FILE);
        private_file(&path)?;
        let writer = connect(&path)?;
        writer
            .execute_batch(include_str!("schema.sql"))
            .map_err(backend("creating the schema"))?;
        writer
            .execute(
                "UPDATE meta SET value = ?1 WHERE key = 'schema_version'",
                [SCHEMA_VERSION],
            )
            .map_err(backend("creating the schema"))?;
        Ok(Self::with(path, writer))
    }

    /// Opens the existing store in `dir`, bringing an older schema up to date; an error
    /// naming the directory when it holds no store (nothing is created).
    pub fn open(dir: &Path) -> Result<Self> {
        let path = dir.join(DB_FILE);
        if !path.is_file() {
            return Err(StoreError::NoNode(format!(
                "{} holds no Symbolon node",
                dir.display()
            )));
        }
        let writer = connect(&path)?;
        writer
            .execute_batch(include_str!("schema.sql"))
            .map_err(backend("creating the schema"))?;
        migrate(&writer)?;
        Ok(Self::with(path, writer))
    }

    fn with(path: PathBuf, writer: Connection) -> Self {
        let path2 = path.clone();
        SqliteStore {
            readers: Pool::new(move || connect(&path2)),
            path,
            writer: Mutex::new(writer),
            deferring: std::sync::atomic::AtomicUsize::new(0),
            relaxed: std::sync::atomic::AtomicBool::new(false),
            held: held::Held::default(),
        }
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    pub(crate) fn write<T>(
        &self,
        f: impl FnOnce(&rusqlite::Transaction) -> Result<T>,
    ) -> Result<T> {
        self.write_then(|tx| f(tx).map(|out| (out, ())), |()| {})
    }

    /// [`SqliteStore::write`], then `committed` with what `f` set aside for it, once the
    /// commit succeeded and while this handle's writers still wait on it (nothing of the
    /// same handle writes between the commit and `committed`).
    fn write_then<T, U>(
        &self,
        f: impl FnOnce(&rusqlite::Transaction) -> Result<(T, U)>,
        committed: impl FnOnce(U),
    ) -> Result<T> {
        let mut conn = self.writer.lock().unwrap_or_else(|p| p.into_inner());
        if self.relaxed.load(std::sync::atomic::Ordering::SeqCst) {
            conn.execute_batch("PRAGMA synchronous=FULL")
                .map_err(backend("restoring synchronous commits"))?;
            self.relaxed
                .store(false, std::sync::atomic::Ordering::SeqCst);
        }
        let tx = conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(backend("starting a write transaction"))?;
        let (out, aside) = f(&tx)?;
        tx.commit()
            .map_err(backend("committing a write transaction"))?;
        committed(aside);
        Ok(out)
    }

    /// A write with its audit entry in the same transaction.
    fn write_noted<T>(
        &self,
        entry: &[u8],
        f: impl FnOnce(&rusqlite::Transaction) -> Result<T>,
    ) -> Result<T> {
        self.write(|tx| {
            let out = f(tx)?;
            note(tx, entry)?;
            Ok(out)
        })
    }

    /// Starts (`true`) or ends (`false`) a series of writes that leaves copying the WAL into
    /// the database file to `maintain`.
    fn defer(&self, defer: bool) -> Result<()> {
        use std::sync::atomic::Ordering;
        if defer {
            self.deferring.fetch_add(1, Ordering::SeqCst);
        } else {
            let _ = self
                .deferring
                .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1));
        }
        let conn = self.writer.lock().unwrap_or_else(|p| p.into_inner());
        self.apply_autocheckpoint(&conn, None)
    }

    /// Sets the writer's checkpoint threshold: `pages`, or what the deferrals in force say.
    fn apply_autocheckpoint(&self, conn: &Connection, pages: Option<u32>) -> Result<()> {
        let deferred = self.deferring.load(std::sync::atomic::Ordering::SeqCst) > 0;
        let pages = pages.unwrap_or(if deferred { 0 } else { AUTOCHECKPOINT_PAGES });
        conn.query_row(
            &format!("PRAGMA wal_autocheckpoint={pages}"),
            [],
            |_| Ok(()),
        )
        .map_err(backend("setting the checkpoint threshold"))
    }

    /// A small write of housekeeping (clearing the outbox) that never pays for copying a
    /// large WAL into the database file: that is `maintain`'s.
    fn write_quietly(&self, f: impl FnOnce(&rusqlite::Transaction) -> Result<()>) -> Result<()> {
        let mut conn = self.writer.lock().unwrap_or_else(|p| p.into_inner());
        self.apply_autocheckpoint(&conn, Some(0))?;
        let out = (|| {
            let tx = conn
                .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
                .map_err(backend("starting a write transaction"))?;
            f(&tx)?;
            tx.commit()
                .map_err(backend("committing a write transaction"))
        })();
        self.apply_autocheckpoint(&conn, None)?;
        out
    }

    /// Objects in one transaction with one entry, as the batches come (`add_objects`: one
    /// batch; `add_objects_from`: batches admitted on another thread meanwhile).
    fn add_in_one<B: AsRef<[stix::StixObject]>>(
        &self,
        collection: crate::CollectionKey,
        batches: impl Iterator<Item = B>,
        origin: Option<&str>,
        describe: Describe<'_>,
        report: Option<crate::Report<'_>>,
    ) -> Result<Vec<crate::AddOutcome>> {
        let collection_id = self.collection_id(collection)?;
        self.write_keeping_keys(collection, |tx, mut known| {
            let mut account = objects::Account::default();
            let (mut outcomes, mut fates) = (Vec::new(), Vec::new());
            for batch in batches {
                let batch = batch.as_ref();
                let known = known.as_deref_mut();
                let written = objects::add(tx, collection, batch, origin, known, &mut account)?;
                outcomes.extend(batch.iter().zip(&written).map(|(o, f)| f.outcome(o)));
                fates.extend(written);
            }
            let entry = describe(&account.written(collection, &collection_id, &fates, &[]))?;
            note(tx, &entry)?;
            if let Some(status) = report.map(|r| r(&outcomes)).transpose()?.flatten() {
                insert_status(tx, &status)?;
            }
            Ok((outcomes, fates))
        })
    }

    /// A write that adds objects to `collection` with its keys kept between writes (see
    /// `held`): `add` gets them (`None` when they are not kept) and returns its result with
    /// the fates of the objects it wrote. The keys go back only once the write is committed
    /// (and before another write of this handle, which could delete the collection):
    /// a write that failed, or whose commit did, leaves them to be read again.
    fn write_keeping_keys<T>(
        &self,
        collection: crate::CollectionKey,
        add: impl FnOnce(
            &rusqlite::Transaction,
            Option<&mut objects::Written>,
        ) -> Result<(T, Vec<crate::Fate>)>,
    ) -> Result<T> {
        self.write_then(
            |tx| {
                let mut held = self.held.take(tx, collection)?;
                let (out, fates) = add(tx, held.as_mut().map(|h| &mut h.keys))?;
                Ok((out, held.map(|h| h.through_added(&fates))))
            },
            |kept| {
                if let Some(keys) = kept {
                    self.held.put(collection, keys);
                }
            },
        )
    }

    /// Bulk writes: one transaction spans batches until `commit_every` objects. A random-key
    /// index insert dirties an index page and every commit writes each dirty page to the WAL,
    /// so many small commits on a large collection would rewrite its index again and again.
    /// Outcomes are reported only after their commit.
    fn add_batches(
        &self,
        collection: crate::CollectionKey,
        batches: &mut dyn Iterator<Item = Vec<stix::StixObject>>,
        origin: Option<&str>,
        commit_every: usize,
        done: &mut dyn FnMut(Vec<stix::StixObject>, Vec<crate::Fate>),
        describe: Describe<'_>,
    ) -> Result<()> {
        let collection_id = self.collection_id(collection)?;
        let mut batches = batches.peekable();
        // The keys this import wrote, while it is the collection's only writer since finding
        // it empty: the index is then asked only about keys in it (the lookups are a third of
        // the write cost of a bulk load). Dropped for good once anyone else changes any
        // objects between two of its transactions, or past `MEMORY_LIMIT` keys. Next to the
        // keys: the change count after this import's last transaction (`None` before its first).
        let mut memory: Option<(Option<i64>, objects::Written)> =
            Some((None, objects::Written::default()));
        while batches.peek().is_some() {
            self.write(|tx| {
                if let Some((seen, _)) = &memory {
                    let alone = match seen {
                        None => objects::is_empty(tx, collection)?,
                        Some(c) => *c == objects::changes(tx)?,
                    };
                    if !alone {
                        memory = None;
                    }
                }
                let mut n = 0;
                let mut account = objects::Account::default();
                while n < commit_every.max(1) {
                    let Some(batch) = batches.next() else { break };
                    n += batch.len();
                    let known = memory.as_mut().map(|(_, k)| k);
                    let fates = objects::add(tx, collection, &batch, origin, known, &mut account)?;
                    done(batch, fates);
                }
                let entry = describe(&account.written(collection, &collection_id, &[], &[]))?;
                note(tx, &entry)?;
                if let Some((seen, _)) = &mut memory {
                    *seen = Some(objects::changes(tx)?);
                }
                if memory.as_ref().is_some_and(|(_, k)| k.len() > MEMORY_LIMIT) {
                    memory = None;
                }
                Ok(())
            })?;
        }
        Ok(())
    }

    pub(crate) fn read<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        let conn = self.readers.get()?;
        f(&conn)
    }

    /// The TAXII id of a collection, by key.
    fn collection_id(&self, key: crate::CollectionKey) -> Result<String> {
        self.read(|c| {
            c.query_row("SELECT id FROM collections WHERE key = ?1", [key], |r| {
                r.get(0)
            })
            .optional()
            .map_err(backend("looking up a collection"))?
            .ok_or_else(|| StoreError::NotFound(format!("collection {key}")))
        })
    }
}

/// Reads in one read transaction on one pooled connection, ended when dropped.
struct Session<'a> {
    conn: pool::Pooled<'a>,
    begun: bool,
}

impl Session<'_> {
    fn begin(&mut self) -> Result<&Connection> {
        if !self.begun {
            self.conn
                .execute_batch("BEGIN")
                .map_err(backend("starting a read"))?;
            self.begun = true;
        }
        Ok(&self.conn)
    }
}

impl crate::Session for Session<'_> {
    fn row_at(
        &mut self,
        collection: crate::CollectionKey,
        at: i64,
        with_body: bool,
    ) -> Result<Option<crate::Row>> {
        objects::row_at(self.begin()?, collection, at, with_body)
    }

    fn object_text(&mut self, collection: crate::CollectionKey, at: i64) -> Result<Option<String>> {
        objects::text(self.begin()?, collection, at)
    }
}

impl Drop for Session<'_> {
    fn drop(&mut self) {
        // A read transaction ends with nothing to commit; a connection whose COMMIT
        // failed is not given back half-open (the pool takes only clean ones).
        if self.begun && self.conn.execute_batch("COMMIT").is_err() {
            self.conn.forget();
        }
    }
}

/// Counts a change to API roots, collections, users or grants (`Marks::admin`).
fn note_admin(tx: &rusqlite::Transaction) -> Result<()> {
    tx.prepare_cached("UPDATE meta SET value = value + 1 WHERE key = 'admin'")
        .and_then(|mut st| st.execute([]))
        .map_err(backend("counting an administrative change"))?;
    Ok(())
}

/// Puts an audit entry into the outbox, inside the caller's transaction.
pub(crate) fn note(tx: &rusqlite::Transaction, entry: &[u8]) -> Result<()> {
    tx.prepare_cached("INSERT INTO outbox (entry) VALUES (?1)")
        .and_then(|mut st| st.execute([entry]))
        .map_err(backend("keeping an audit entry"))?;
    Ok(())
}

/// Only the owner may enter the data directory.
fn private_dir(dir: &Path) -> Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))
            .map_err(|e| StoreError::Invalid(format!("cannot restrict {}: {e}", dir.display())))?;
    }
    Ok(())
}

/// Creates the empty database file readable by its owner only; SQLite gives the WAL and
/// shared-memory files the database file's permissions.
fn private_file(path: &Path) -> Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options
        .open(path)
        .map(drop)
        .map_err(|e| StoreError::Invalid(format!("cannot create {}: {e}", path.display())))
}

fn collection_from_row(r: &rusqlite::Row) -> rusqlite::Result<Collection> {
    Ok(Collection {
        key: r.get(0)?,
        id: r.get(1)?,
        api_root: r.get(2)?,
        title: r.get(3)?,
        description: r.get(4)?,
        alias: r.get(5)?,
    })
}

/// Runs a query and collects every row.
fn query_all<T>(
    c: &Connection,
    sql: &str,
    params: impl rusqlite::Params,
    map: impl FnMut(&rusqlite::Row) -> rusqlite::Result<T>,
    context: &'static str,
) -> Result<Vec<T>> {
    let mut st = c.prepare_cached(sql).map_err(backend(context))?;
    let rows = st
        .query_map(params, map)
        .and_then(Iterator::collect)
        .map_err(backend(context))?;
    Ok(rows)
}

/// Brings a data directory made by an earlier version up to the current schema: columns
/// added since are added with their defaults (`CREATE TABLE IF NOT EXISTS` leaves an existing
/// table as it was). Once done, `meta.schema_version` says so and opening skips the checks.
fn migrate(conn: &Connection) -> Result<()> {
    let version: i64 = conn
        .query_row(
            "SELECT value FROM meta WHERE key = 'schema_version'",
            [],
            |r| r.get(0),
        )
        .map_err(backend("reading the schema version"))?;
    if version >= SCHEMA_VERSION {
        return Ok(());
    }
    let has_column = |table: &str, column: &str| -> Result<bool> {
        let mut st = conn
            .prepare(&format!("PRAGMA table_info({table})"))
            .map_err(backend("reading a table's columns"))?;
        let names: Vec<String> = st
            .query_map([], |r| r.get(1))
            .and_then(Iterator::collect)
            .map_err(backend("reading a table's columns"))?;
        Ok(names.iter().any(|n| n == column))
    };
    let mut alter = Vec::new();
    for (column, decl) in [
        ("kind", "TEXT NOT NULL DEFAULT 'local'"),
        ("purposes", "TEXT NOT NULL DEFAULT ''"),
    ] {
        if !has_column("users", column)? {
            alter.push(format!("ALTER TABLE users ADD COLUMN {column} {decl};"));
        }
    }
    let mut st = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'objects\\_%' ESCAPE '\\'")
        .map_err(backend("listing object tables"))?;
    let tables: Vec<String> = st
        .query_map([], |r| r.get(0))
        .and_then(Iterator::collect)
        .map_err(backend("listing object tables"))?;
    for t in &tables {
        for column in ["origin", "granular"] {
            if !has_column(t, column)? {
                alter.push(format!("ALTER TABLE {t} ADD COLUMN {column} TEXT;"));
            }
        }
    }
    for (column, decl) in [
        ("witnessed_size", "INTEGER"),
        ("witnessed_timestamp", "INTEGER"),
        ("witnessed_root", "BLOB"),
        ("witnessed_signature", "BLOB"),
        ("halt_cause", "TEXT"),
    ] {
        if !has_column("peers", column)? {
            alter.push(format!("ALTER TABLE peers ADD COLUMN {column} {decl};"));
        }
    }
    if !has_column("quarantine", "cause")? {
        alter.push("ALTER TABLE quarantine ADD COLUMN cause TEXT;".into());
    }
    let old_witness = has_column("peers", "witnessed")?;
    conn.execute_batch("BEGIN IMMEDIATE")
        .map_err(backend("upgrading the schema"))?;
    let upgraded = (|| {
        conn.execute_batch(&alter.concat())
            .map_err(backend("upgrading the schema"))?;
        if old_witness {
            federation::upgrade_witnessed(conn)?;
            conn.execute_batch("ALTER TABLE peers DROP COLUMN witnessed;")
                .map_err(backend("upgrading the schema"))?;
        }
        federation::upgrade_seals(conn)?;
        if version < 4 {
            baseline(conn, &tables)?;
        }
        if version < 5 {
            index::backfill(conn, &tables)?;
        }
        if version < 6 {
            objects::rekey(conn, &tables)?;
        }
        conn.execute(
            "UPDATE meta SET value = ?1 WHERE key = 'schema_version'",
            [SCHEMA_VERSION],
        )
        .map_err(backend("upgrading the schema"))?;
        Ok(())
    })();
    match upgraded {
        Ok(()) => conn
            .execute_batch("COMMIT")
            .map_err(backend("upgrading the schema")),
        Err(e) => {
            let _ = conn.execute_batch("ROLLBACK");
            Err(e)
        }
    }
}

/// Versions stored before the audit log accounted for every write (schema < 4): one entry
/// per collection accounts for them as they are at the upgrade, so that the log covers the
/// store from then on.
fn baseline(conn: &Connection, tables: &[String]) -> Result<()> {
    for t in tables {
        let Some(key) = t
            .strip_prefix("objects_")
            .and_then(|k| k.parse::<crate::CollectionKey>().ok())
        else {
            continue;
        };
        let id: Option<String> = conn
            .query_row("SELECT id FROM collections WHERE key = ?1", [key], |r| {
                r.get(0)
            })
            .optional()
            .map_err(backend("upgrading the schema"))?;
        let Some(id) = id else { continue };
        let mut account = objects::Account::default();
        let mut st = conn
            .prepare(&format!(
                "SELECT seq, id, version_text FROM {t} ORDER BY seq"
            ))
            .map_err(backend("upgrading the schema"))?;
        let mut rows = st.query([]).map_err(backend("upgrading the schema"))?;
        while let Some(r) = rows.next().map_err(backend("upgrading the schema"))? {
            let seq: i64 = r.get(0).map_err(backend("upgrading the schema"))?;
            let oid: String = r.get(1).map_err(backend("upgrading the schema"))?;
            let version: Option<String> = r.get(2).map_err(backend("upgrading the schema"))?;
            account.count(seq, &oid, version.as_deref());
        }
        if account.is_empty() {
            continue;
        }
        let written = account.written(key, &id, &[], &[]);
        let entry = serde_jcs::to_vec(&serde_json::json!({
            "event": "baseline",
            "at": stix::timestamp::format(crate::now_micros()),
            "stored": written.stored(),
        }))
        .map_err(|e| StoreError::Invalid(format!("encoding a baseline entry: {e}")))?;
        conn.execute("INSERT INTO outbox (entry) VALUES (?1)", [entry])
            .map_err(backend("upgrading the schema"))?;
    }
    Ok(())
}

const USER_COLUMNS: &str = "name, password_hash, is_admin, kind, purposes";

fn user_from_row(r: &rusqlite::Row) -> rusqlite::Result<User> {
    let purposes: String = r.get(4)?;
    let kind: String = r.get(3)?;
    let Some(kind) = Kind::parse(&kind) else {
        // Never read as some default kind: that could widen what the user receives.
        return Err(rusqlite::Error::FromSqlConversionFailure(
            3,
            rusqlite::types::Type::Text,
            format!("user kind `{kind}` is not local, authority:<id> or third-party").into(),
        ));
    };
    Ok(User {
        name: r.get(0)?,
        password_hash: r.get(1)?,
        is_admin: r.get(2)?,
        kind,
        purposes: purposes
            .split(',')
            .filter(|p| !p.is_empty())
            .map(str::to_owned)
            .collect(),
    })
}

/// A read error, with a row that does not convert reported as corrupt state.
fn read_error(context: &'static str) -> impl FnOnce(rusqlite::Error) -> StoreError {
    move |e| match e {
        rusqlite::Error::FromSqlConversionFailure(_, _, why) => {
            StoreError::Corrupt(format!("while {context}: {why}"))
        }
        e => backend(context)(e),
    }
}

const COLLECTION_COLUMNS: &str = "key, id, api_root, title, description, alias";

/// Keeps a TAXII status resource (a repeated id replaces the body).
fn insert_status(tx: &rusqlite::Transaction, s: &StatusRecord) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO statuses (api_root, id, owner, body) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (api_root, id) DO UPDATE SET body = ?4",
    )
    .and_then(|mut st| st.execute(params![s.api_root, s.id, s.owner, s.json]))
    .map_err(backend("saving a status resource"))?;
    Ok(())
}

impl crate::Store for SqliteStore {
    fn api_roots(&self) -> Result<Vec<ApiRoot>> {
        self.read(|c| {
            query_all(
                c,
                "SELECT name, title, description, max_content_length FROM api_roots ORDER BY ord",
                [],
                |r| {
                    Ok(ApiRoot {
                        name: r.get(0)?,
                        title: r.get(1)?,
                        description: r.get(2)?,
                        max_content_length: r.get::<_, i64>(3)? as u64,
                    })
                },
                "listing API roots",
            )
        })
    }

    fn create_api_root(&self, root: &ApiRoot, entry: &[u8]) -> Result<()> {
        self.write_noted(entry, |tx| {
            note_admin(tx)?;
            tx.execute(
                "INSERT INTO api_roots (name, title, description, max_content_length) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (name) DO UPDATE SET title = ?2, description = ?3, max_content_length = ?4",
                params![root.name, root.title, root.description, root.max_content_length as i64],
            )
            .map_err(backend("creating an API root"))?;
            Ok(())
        })
    }

    fn collections(&self) -> Result<Vec<Collection>> {
        self.read(|c| {
            let sql = format!("SELECT {COLLECTION_COLUMNS} FROM collections ORDER BY key");
            query_all(c, &sql, [], collection_from_row, "listing collections")
        })
    }

    fn collection(&self, api_root: Option<&str>, id_or_alias: &str) -> Result<Option<Collection>> {
        self.read(|c| {
            let mut st = c
                .prepare_cached(&format!(
                    "SELECT {COLLECTION_COLUMNS} FROM collections
                     WHERE (id = ?1 OR alias = ?1) AND (?2 IS NULL OR api_root = ?2)
                     ORDER BY id = ?1 DESC LIMIT 1"
                ))
                .map_err(backend("looking up a collection"))?;
            st.query_row(params![id_or_alias, api_root], collection_from_row)
                .optional()
                .map_err(backend("looking up a collection"))
        })
    }

    fn create_collection(&self, new: &NewCollection, entry: &[u8]) -> Result<Collection> {
        if new.title.trim().is_empty() {
            return Err(StoreError::Invalid(
                "a collection needs a non-empty title".into(),
            ));
        }
        let id = uuid::Uuid::parse_str(&new.id)
            .map_err(|_| StoreError::Invalid(format!("collection id `{}` is not a UUID", new.id)))?
            .to_string();
        if let Some(alias) = &new.alias
            && (alias.is_empty() || alias.contains('/') || uuid::Uuid::parse_str(alias).is_ok())
        {
            return Err(StoreError::Invalid(format!(
                "alias `{alias}` must be non-empty, without `/`, and not a UUID"
            )));
        }
        let key = self.write_noted(entry, |tx| {
            note_admin(tx)?;
            let root: Option<String> = match &new.api_root {
                Some(r) => tx
                    .query_row("SELECT name FROM api_roots WHERE name = ?1", [r], |row| row.get(0))
                    .optional()
                    .map_err(backend("looking up an API root"))?,
                None => tx
                    .query_row("SELECT name FROM api_roots ORDER BY ord LIMIT 1", [], |row| row.get(0))
                    .optional()
                    .map_err(backend("looking up the default API root"))?,
            };
            let root = root.ok_or_else(|| StoreError::NotFound(format!("API root `{}`", new.api_root.as_deref().unwrap_or("(default)"))))?;
            let clash: bool = tx
                .query_row(
                    "SELECT EXISTS (SELECT 1 FROM collections WHERE id = ?1 OR (alias = ?2 AND api_root = ?3))",
                    params![id, new.alias, root],
                    |r| r.get(0),
                )
                .map_err(backend("checking collection uniqueness"))?;
            if clash {
                return Err(StoreError::Invalid(format!(
                    "a collection with id `{id}` or alias `{}` already exists",
                    new.alias.as_deref().unwrap_or("")
                )));
            }
            tx.execute(
                "INSERT INTO collections (id, api_root, title, description, alias) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![id, root, new.title, new.description, new.alias],
            )
            .map_err(backend("creating a collection"))?;
            let key = tx.last_insert_rowid();
            objects::create_table(tx, key)?;
            Ok(key)
        })?;
        self.read(|c| {
            c.query_row(
                &format!("SELECT {COLLECTION_COLUMNS} FROM collections WHERE key = ?1"),
                [key],
                collection_from_row,
            )
            .map_err(backend("reading a new collection"))
        })
    }

    fn user(&self, name: &str) -> Result<Option<User>> {
        self.read(|c| {
            c.prepare_cached(&format!("SELECT {USER_COLUMNS} FROM users WHERE name = ?1"))
                .and_then(|mut st| st.query_row([name], user_from_row).optional())
                .map_err(read_error("looking up a user"))
        })
    }

    fn put_user(&self, user: &User, entry: &[u8]) -> Result<()> {
        if user
            .purposes
            .iter()
            .any(|p| p.contains(',') || p.is_empty())
        {
            return Err(StoreError::Invalid(format!(
                "a purpose of `{}` is empty or holds a comma",
                user.name
            )));
        }
        self.write_noted(entry, |tx| {
            note_admin(tx)?;
            tx.execute(
                "INSERT INTO users (name, password_hash, is_admin, kind, purposes)
                 VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT (name) DO UPDATE
                 SET password_hash = ?2, is_admin = ?3, kind = ?4, purposes = ?5",
                params![
                    user.name,
                    user.password_hash,
                    user.is_admin,
                    user.kind.text(),
                    user.purposes.join(",")
                ],
            )
            .map_err(backend("saving a user"))?;
            Ok(())
        })
    }

    fn users(&self) -> Result<Vec<User>> {
        self.read(|c| {
            let mut st = c
                .prepare_cached(&format!("SELECT {USER_COLUMNS} FROM users ORDER BY name"))
                .map_err(backend("listing users"))?;
            let rows = st
                .query_map([], user_from_row)
                .and_then(Iterator::collect)
                .map_err(read_error("listing users"))?;
            Ok(rows)
        })
    }

    fn set_grant(&self, g: &Grant, entry: &[u8]) -> Result<()> {
        self.write_noted(entry, |tx| {
            note_admin(tx)?;
            tx.execute(
                "INSERT INTO grants (user, collection, can_read, can_write) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (user, collection) DO UPDATE SET can_read = ?3, can_write = ?4",
                params![g.user, g.collection, g.can_read, g.can_write],
            )
            .map_err(|e| match e {
                rusqlite::Error::SqliteFailure(f, _)
                    if f.code == rusqlite::ErrorCode::ConstraintViolation =>
                {
                    StoreError::NotFound(format!("user `{}`", g.user))
                }
                e => backend("saving a grant")(e),
            })?;
            Ok(())
        })
    }

    fn remove_user(&self, name: &str, entry: &[u8]) -> Result<bool> {
        self.write(|tx| {
            let gone = tx
                .execute("DELETE FROM users WHERE name = ?1", [name])
                .map_err(backend("removing a user"))?;
            if gone == 0 {
                return Ok(false);
            }
            tx.execute("DELETE FROM grants WHERE user = ?1", [name])
                .map_err(backend("removing a user's grants"))?;
            note_admin(tx)?;
            note(tx, entry)?;
            Ok(true)
        })
    }

    fn grants(&self, user: &str) -> Result<Vec<Grant>> {
        self.read(|c| {
            query_all(
                c,
                "SELECT user, collection, can_read, can_write FROM grants WHERE user = ?1",
                [user],
                |r| {
                    Ok(Grant {
                        user: r.get(0)?,
                        collection: r.get(1)?,
                        can_read: r.get(2)?,
                        can_write: r.get(3)?,
                    })
                },
                "listing grants",
            )
        })
    }

    fn add_objects(
        &self,
        collection: crate::CollectionKey,
        objects: &[stix::StixObject],
        origin: Option<&str>,
        describe: Describe<'_>,
    ) -> Result<Vec<crate::AddOutcome>> {
        self.add_in_one(collection, std::iter::once(objects), origin, describe, None)
    }

    fn add_objects_reporting(
        &self,
        collection: crate::CollectionKey,
        batches: &mut dyn Iterator<Item = Vec<stix::StixObject>>,
        origin: Option<&str>,
        describe: Describe<'_>,
        report: crate::Report<'_>,
    ) -> Result<Vec<crate::AddOutcome>> {
        self.add_in_one(collection, batches, origin, describe, Some(report))
    }

    fn marking_definitions_after(&self, after: i64) -> Result<Vec<(i64, String)>> {
        self.read(|c| {
            query_all(
                c,
                "SELECT seq, json FROM marking_definitions WHERE seq > ?1 ORDER BY seq",
                [after],
                |r| Ok((r.get(0)?, r.get(1)?)),
                "reading marking definitions",
            )
        })
    }

    fn put_record(&self, record: &crate::LedgerRecord, entry: &[u8]) -> Result<bool> {
        self.write(|tx| {
            let n = tx
                .execute(
                    "INSERT OR IGNORE INTO ledger (id, kind, json) VALUES (?1, ?2, ?3)",
                    params![record.id, record.kind, record.json],
                )
                .map_err(backend("keeping a ledger record"))?;
            if n == 1 {
                note(tx, entry)?;
            }
            Ok(n == 1)
        })
    }

    fn agreement(&self) -> Result<Option<(AgreementDoc, i64)>> {
        self.read(|c| {
            c.query_row(
                "SELECT text, party, authority, changed FROM agreement WHERE one = 1",
                [],
                |r| {
                    Ok((
                        AgreementDoc {
                            text: r.get(0)?,
                            party: r.get(1)?,
                            authority: r.get(2)?,
                        },
                        r.get(3)?,
                    ))
                },
            )
            .optional()
            .map_err(backend("reading the agreement"))
        })
    }

    fn marks(&self) -> Result<crate::Marks> {
        self.read(|c| {
            c.prepare_cached(
                "SELECT (SELECT coalesce(max(changed), 0) FROM agreement),
                        (SELECT coalesce(max(seq), 0) FROM ledger),
                        (SELECT coalesce(max(seq), 0) FROM marking_definitions),
                        (SELECT value FROM meta WHERE key = 'last_seq'),
                        (SELECT coalesce(max(value), 0) FROM meta WHERE key = 'admin'),
                        (SELECT coalesce(max(seq), 0) FROM removed)",
            )
            .and_then(|mut st| {
                st.query_row([], |r| {
                    Ok(crate::Marks {
                        agreement: r.get(0)?,
                        records: r.get(1)?,
                        markings: r.get(2)?,
                        last_added: r.get(3)?,
                        admin: r.get(4)?,
                        removed: r.get(5)?,
                    })
                })
            })
            .map_err(backend("reading where the agreement stands"))
        })
    }

    fn agreement_version(&self) -> Result<i64> {
        self.read(|c| {
            c.query_row("SELECT coalesce(max(changed), 0) FROM agreement", [], |r| {
                r.get(0)
            })
            .map_err(backend("reading the agreement"))
        })
    }

    fn set_agreement(&self, doc: &AgreementDoc, entry: &[u8]) -> Result<()> {
        self.write_noted(entry, |tx| {
            tx.execute(
                "INSERT INTO agreement (one, text, party, authority, changed) VALUES (1, ?1, ?2, ?3, 1)
                 ON CONFLICT (one) DO UPDATE SET text = ?1, party = ?2, authority = ?3, changed = changed + 1",
                params![doc.text, doc.party, doc.authority],
            )
            .map_err(backend("keeping the agreement"))?;
            Ok(())
        })
    }

    fn outbox(&self, after: u64) -> Result<Vec<(u64, Vec<u8>)>> {
        self.read(|c| {
            query_all(
                c,
                "SELECT seq, entry FROM outbox WHERE seq > ?1 ORDER BY seq",
                [after as i64],
                |r| Ok((r.get::<_, i64>(0)? as u64, r.get(1)?)),
                "reading the outbox",
            )
        })
    }

    fn clear_outbox(&self, through: u64) -> Result<()> {
        let any: bool = self.read(|c| {
            c.query_row(
                "SELECT EXISTS (SELECT 1 FROM outbox WHERE seq <= ?1)",
                [through as i64],
                |r| r.get(0),
            )
            .map_err(backend("reading the outbox"))
        })?;
        if !any {
            return Ok(());
        }
        self.write_quietly(|tx| {
            tx.execute("DELETE FROM outbox WHERE seq <= ?1", [through as i64])
                .map_err(backend("clearing the outbox"))?;
            Ok(())
        })
    }

    fn records_after(&self, after: i64) -> Result<Vec<(i64, crate::LedgerRecord)>> {
        self.read(|c| {
            query_all(
                c,
                "SELECT seq, id, kind, json FROM ledger WHERE seq > ?1 ORDER BY seq",
                [after],
                |r| {
                    Ok((
                        r.get(0)?,
                        crate::LedgerRecord {
                            id: r.get(1)?,
                            kind: r.get(2)?,
                            json: r.get(3)?,
                        },
                    ))
                },
                "reading ledger records",
            )
        })
    }

    fn add_stream(
        &self,
        collection: crate::CollectionKey,
        batches: &mut dyn Iterator<Item = Vec<stix::StixObject>>,
        origin: Option<&str>,
        commit_every: usize,
        done: &mut dyn FnMut(Vec<stix::StixObject>, Vec<crate::Fate>),
        describe: Describe<'_>,
    ) -> Result<()> {
        // No automatic checkpoint in the middle of a bulk import: the copy into the database
        // file happens once, afterwards, in `maintain` (or at the next commit past the limit).
        self.defer(true)?;
        let result = self.add_batches(collection, batches, origin, commit_every, done, describe);
        self.defer(false)?;
        result
    }

    fn defer_housekeeping(&self, defer: bool) -> Result<()> {
        self.defer(defer)
    }

    fn maintain(&self) -> Result<()> {
        let conn = self.readers.get()?;
        conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()))
            .map_err(backend("checkpointing the WAL"))
    }

    fn scan(
        &self,
        collection: crate::CollectionKey,
        filter: &crate::Filter,
        visit: &mut dyn FnMut(crate::Row) -> std::ops::ControlFlow<()>,
    ) -> Result<()> {
        self.read(|c| objects::scan(c, collection, filter, visit))
    }

    fn object_text(
        &self,
        collection: crate::CollectionKey,
        date_added: i64,
    ) -> Result<Option<String>> {
        self.read(|c| objects::text(c, collection, date_added))
    }

    fn delete_object(
        &self,
        collection: crate::CollectionKey,
        id: &str,
        versions: &[crate::VersionSel],
        spec_versions: &[String],
        describe: Describe<'_>,
    ) -> Result<usize> {
        let collection_id = self.collection_id(collection)?;
        self.write(|tx| {
            let removed = objects::delete(tx, collection, id, versions, spec_versions)?;
            if !removed.is_empty() {
                let account = objects::Account::default();
                let entry = describe(&account.written(collection, &collection_id, &[], &removed))?;
                note(tx, &entry)?;
            }
            Ok(removed.len())
        })
    }

    fn delete_collection(
        &self,
        collection: crate::CollectionKey,
        describe: &mut dyn FnMut(u64, &str) -> Result<Vec<u8>>,
    ) -> Result<Option<u64>> {
        self.write(|tx| {
            let held: i64 = tx
                .query_row(
                    "SELECT count(*) FROM collections WHERE key = ?1",
                    [collection],
                    |r| r.get(0),
                )
                .map_err(backend("finding a collection"))?;
            if held == 0 {
                return Ok(None);
            }
            let (versions, sha256) = objects::digest(tx, collection)?;
            index::remove_collection(tx, collection)?;
            tx.execute("DELETE FROM page_seals WHERE collection = ?1", [collection])
                .map_err(backend("removing a deleted collection's seals"))?;
            tx.execute("DELETE FROM grants WHERE collection = ?1", [collection])
                .map_err(backend("removing a deleted collection's grants"))?;
            objects::drop_table(tx, collection)?;
            self.held.forget(collection);
            tx.execute("DELETE FROM collections WHERE key = ?1", [collection])
                .map_err(backend("removing a collection"))?;
            note_admin(tx)?;
            objects::note_change(tx)?;
            note(tx, &describe(versions, &sha256)?)?;
            Ok(Some(versions))
        })
    }

    fn peers(&self) -> Result<Vec<crate::Peer>> {
        self.read(federation::peers)
    }

    fn put_peer(&self, peer: &crate::Peer, entry: &[u8]) -> Result<()> {
        self.write_noted(entry, |tx| federation::put_peer(tx, peer))
    }

    fn remove_peer(&self, id: &str, entry: &[u8]) -> Result<bool> {
        self.write(|tx| {
            let gone = tx
                .execute("DELETE FROM peers WHERE id = ?1", [id])
                .map_err(backend("removing a peer"))?;
            if gone == 0 {
                return Ok(false);
            }
            tx.execute("DELETE FROM sync_cursors WHERE peer = ?1", [id])
                .map_err(backend("removing a peer's cursors"))?;
            note_admin(tx)?;
            note(tx, entry)?;
            Ok(true)
        })
    }

    fn set_witnessed(&self, peer: &str, head: Option<&audit::SignedTreeHead>) -> Result<()> {
        self.write(|tx| federation::set_witnessed(tx, peer, head))
    }

    fn cursors(&self, peer: &str) -> Result<Vec<crate::SyncCursor>> {
        self.read(|c| federation::cursors(c, peer))
    }

    fn put_cursor(&self, cursor: &crate::SyncCursor) -> Result<()> {
        self.write(|tx| federation::put_cursor(tx, cursor))
    }

    fn add_sealed(
        &self,
        collection: crate::CollectionKey,
        batches: &[crate::SealedBatch],
        origin: Option<&str>,
        cursor: Option<&crate::SyncCursor>,
        describe: Describe<'_>,
    ) -> Result<Vec<crate::AddOutcome>> {
        let collection_id = self.collection_id(collection)?;
        self.write_keeping_keys(collection, |tx, known| {
            let mut account = objects::Account::default();
            let (outcomes, fates) = federation::add_sealed(
                tx,
                collection,
                batches,
                origin,
                cursor,
                known,
                &mut account,
            )?;
            let entry = describe(&account.written(collection, &collection_id, &fates, &[]))?;
            note(tx, &entry)?;
            Ok((outcomes, fates))
        })
    }

    fn provenance(
        &self,
        collection: crate::CollectionKey,
        date_added: i64,
    ) -> Result<Option<(crate::SealedPage, u32)>> {
        self.read(|c| federation::provenance(c, collection, date_added))
    }

    fn quarantine(&self, q: &crate::Quarantined, entry: &[u8]) -> Result<()> {
        self.write_noted(entry, |tx| federation::quarantine(tx, q))
    }

    fn quarantine_listing(&self) -> Result<Vec<(i64, crate::Quarantined, u64)>> {
        self.read(federation::quarantine_listing)
    }

    fn quarantine_count(&self) -> Result<u64> {
        self.read(|c| {
            c.query_row("SELECT COUNT(*) FROM quarantine", [], |r| {
                r.get::<_, i64>(0)
            })
            .map(|n| n as u64)
            .map_err(backend("counting the quarantine"))
        })
    }

    fn holdings_after(&self, after: i64, limit: usize) -> Result<Vec<crate::Holding>> {
        self.read(|c| index::holdings_after(c, after, limit))
    }

    fn removed_after(&self, after: i64) -> Result<(Vec<i64>, i64)> {
        self.read(|c| index::removed_after(c, after))
    }

    fn row_at(
        &self,
        collection: crate::CollectionKey,
        at: i64,
        with_body: bool,
    ) -> Result<Option<crate::Row>> {
        self.read(|c| objects::row_at(c, collection, at, with_body))
    }

    fn session(&self) -> Result<Box<dyn crate::Session + '_>> {
        Ok(Box::new(Session {
            conn: self.readers.get()?,
            begun: false,
        }))
    }

    fn last_added(&self) -> Result<i64> {
        self.read(|c| {
            c.query_row("SELECT value FROM meta WHERE key = 'last_seq'", [], |r| {
                r.get(0)
            })
            .map_err(backend("reading the date_added high-water mark"))
        })
    }

    fn put_status(&self, s: &StatusRecord) -> Result<()> {
        // A status resource repeats what the answer to its POST said, and the objects it
        // names were committed (and synced) before it: it is committed without its own
        // fsync (WAL with synchronous=NORMAL stays consistent; the next synced commit makes
        // it durable too). A crash in between can lose it, never the objects.
        let mut conn = self.writer.lock().unwrap_or_else(|p| p.into_inner());
        self.relaxed
            .store(true, std::sync::atomic::Ordering::SeqCst);
        conn.execute_batch("PRAGMA synchronous=NORMAL")
            .map_err(backend("saving a status resource"))?;
        let saved = (|| {
            let tx = conn
                .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
                .map_err(backend("starting a write transaction"))?;
            insert_status(&tx, s)?;
            tx.commit().map_err(backend("committing a status resource"))
        })();
        conn.execute_batch("PRAGMA synchronous=FULL")
            .map_err(backend("restoring synchronous commits"))?;
        self.relaxed
            .store(false, std::sync::atomic::Ordering::SeqCst);
        saved
    }

    fn status(&self, api_root: &str, id: &str) -> Result<Option<StatusRecord>> {
        self.read(|c| {
            c.query_row(
                "SELECT id, api_root, owner, body FROM statuses WHERE api_root = ?1 AND id = ?2",
                [api_root, id],
                |r| {
                    Ok(StatusRecord {
                        id: r.get(0)?,
                        api_root: r.get(1)?,
                        owner: r.get(2)?,
                        json: r.get(3)?,
                    })
                },
            )
            .optional()
            .map_err(backend("reading a status resource"))
        })
    }
}
