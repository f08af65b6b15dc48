//! The audit log on disk (its own SQLite file, so no other component's writes can touch
//! it): entries with their leaf hashes, the hashes of every complete perfect subtree, and a
//! signed tree head after every append.

use crate::SignedTreeHead;
use crate::handover;
use crate::merkle::{self, Hash, Nodes};
use ed25519_dalek::{Signer, SigningKey, VerifyingKey};
use rusqlite::types::ValueRef;
use rusqlite::{Connection, OptionalExtension, params};
use std::path::Path;

/// Errors reading or writing the log.
#[derive(Debug, thiserror::Error)]
pub enum AuditError {
    #[error("audit log storage failure while {context}: {source}")]
    Storage {
        context: &'static str,
        source: rusqlite::Error,
    },
    #[error("{0}")]
    Invalid(String),
    /// A node directory without its audit log: it was removed or never created. A fresh
    /// log is never made silently in its place (that would hide a deleted history).
    #[error("no audit log at {0} (a node's log is created with the node, never later)")]
    Missing(std::path::PathBuf),
    /// The node key was rotated after this process opened the log: its key no longer
    /// signs heads.
    #[error("the node's key was rotated after this process opened the node: run the command again")]
    Rotated,
    /// What the caller of [`AuditLog::append_pending`] failed to provide.
    #[error("{0}")]
    Source(Box<dyn std::error::Error + Send + Sync>),
}

/// What `verify` found wrong: the first entry (or tree head) whose stored bytes no longer
/// agree with the rest of the log.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{what}")]
pub struct Tamper {
    /// The first entry affected, when the damage is in an entry or a subtree hash.
    pub entry: Option<u64>,
    pub what: Damage,
}

/// The kind of damage `verify` found, as data (a front door says it in its user's
/// language); `Display` is the English of the CLI.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Damage {
    /// The first key handover names no Ed25519 key.
    NoFirstKey,
    /// An entry is missing from the sequence.
    Missing { entry: u64 },
    /// An entry's stored bytes are not bytes any more (their column type was changed).
    Replaced { entry: u64 },
    /// An entry's bytes or its leaf hash were changed.
    Changed { entry: u64 },
    /// The stored hash of the subtree of entries `first..=last` was changed or removed.
    Subtree { first: u64, last: u64 },
    /// A key handover entry does not read (the reader's words).
    UnreadableHandover { entry: u64, why: String },
    /// A key handover does not continue the log's keys.
    HandoverBreaks { entry: u64 },
    /// A key handover is recorded at an entry that does not hold it.
    HandoverAbsent { entry: u64 },
    /// The heads end with another key than the node's.
    OtherKey { ended: String, node: String },
    /// A tree head claims more entries than the log holds.
    HeadBeyond { claims: u64, holds: u64 },
    /// The tree head at `size` is malformed.
    HeadMalformed { size: u64 },
    /// The tree head at `size` does not match the entries.
    HeadRoot { size: u64 },
    /// The tree head at `size` has an invalid signature.
    HeadSignature { size: u64 },
}

impl std::fmt::Display for Damage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Damage::NoFirstKey => f.write_str("the first key handover names no Ed25519 key"),
            Damage::Missing { entry } => write!(f, "entry {entry} is missing"),
            Damage::Replaced { entry } => {
                write!(f, "entry {entry}: its stored bytes were replaced")
            }
            Damage::Changed { entry } => {
                write!(f, "entry {entry}: its bytes or its leaf hash were changed")
            }
            Damage::Subtree { first, last } => write!(
                f,
                "subtree of entries {first}..={last}: its stored hash was changed or removed"
            ),
            Damage::UnreadableHandover { entry, why } => write!(f, "entry {entry}: {why}"),
            Damage::HandoverBreaks { entry } => write!(
                f,
                "entry {entry}: the key handover does not continue the log's keys"
            ),
            Damage::HandoverAbsent { entry } => write!(
                f,
                "a key handover is recorded at entry {entry}, which does not hold it"
            ),
            Damage::OtherKey { ended, node } => write!(
                f,
                "the log's heads end with the key {ended}, not this node's key {node}"
            ),
            Damage::HeadBeyond { claims, holds } => write!(
                f,
                "a tree head claims {claims} entries but the log holds {holds}"
            ),
            Damage::HeadMalformed { size } => {
                write!(f, "the tree head at size {size} is malformed")
            }
            Damage::HeadRoot { size } => write!(
                f,
                "the tree head at size {size} does not match the entries (root differs)"
            ),
            Damage::HeadSignature { size } => {
                write!(f, "the tree head at size {size} has an invalid signature")
            }
        }
    }
}

type Result<T> = std::result::Result<T, AuditError>;

fn storage(context: &'static str) -> impl FnOnce(rusqlite::Error) -> AuditError {
    move |source| AuditError::Storage { context, source }
}

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS audit_entries (
    idx  INTEGER PRIMARY KEY,
    body BLOB NOT NULL,
    leaf BLOB NOT NULL
);
-- Hash of the perfect subtree of 2^level leaves starting at leaf pos * 2^level (level >= 1).
CREATE TABLE IF NOT EXISTS audit_nodes (
    level INTEGER NOT NULL,
    pos   INTEGER NOT NULL,
    hash  BLOB NOT NULL,
    PRIMARY KEY (level, pos)
) WITHOUT ROWID;
-- `outbox_through`: the last entry taken from the store's outbox (entries written in the
-- same transaction as what they record); recovery after a crash resumes after it.
CREATE TABLE IF NOT EXISTS audit_meta (
    key   TEXT PRIMARY KEY,
    value INTEGER NOT NULL
);
INSERT OR IGNORE INTO audit_meta (key, value) VALUES ('outbox_through', 0);
-- `key_epoch`: how many key handovers the log holds; a process that opened the log under
-- an earlier epoch holds a retired key and may not append.
INSERT OR IGNORE INTO audit_meta (key, value) VALUES ('key_epoch', 0);
-- Where the log's key handovers are (entry index, keys): an index of the entries, each
-- checked against its entry when read.
CREATE TABLE IF NOT EXISTS audit_handovers (
    idx      INTEGER PRIMARY KEY,
    from_key BLOB NOT NULL,
    to_key   BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS audit_heads (
    size      INTEGER PRIMARY KEY,
    root      BLOB NOT NULL,
    timestamp INTEGER NOT NULL,
    signature BLOB NOT NULL
);
";

/// A tree head as stored, before any of it is trusted.
struct StoredHead {
    size: u64,
    root: Vec<u8>,
    timestamp: i64,
    signature: Vec<u8>,
}

impl StoredHead {
    /// Checks the head against the perfect subtrees of the first `size` entries.
    fn check(&self, stack: &[(u32, Hash)], key: &VerifyingKey) -> Option<Tamper> {
        let size = self.size;
        let computed = stack
            .iter()
            .rev()
            .fold(None::<Hash>, |acc, (_, h)| {
                Some(acc.map_or(*h, |r| merkle::node_hash(h, &r)))
            })
            .unwrap_or_else(merkle::empty_root);
        let (Ok(root), Ok(signature)) = (
            Hash::try_from(self.root.as_slice()),
            <[u8; 64]>::try_from(self.signature.as_slice()),
        ) else {
            return Some(Tamper {
                entry: None,
                what: Damage::HeadMalformed { size },
            });
        };
        let sth = SignedTreeHead {
            size,
            timestamp: self.timestamp,
            root,
            signature,
        };
        if sth.root != computed {
            return Some(Tamper {
                entry: None,
                what: Damage::HeadRoot { size },
            });
        }
        if !sth.verify(key) {
            return Some(Tamper {
                entry: None,
                what: Damage::HeadSignature { size },
            });
        }
        None
    }
}

/// Name of the log's database file inside a data directory.
pub const AUDIT_FILE: &str = "audit.db";

/// Creates an empty file only the owner may read and write (SQLite gives its WAL and
/// shared-memory files the same permissions).
fn private_file(path: &Path) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path).map(drop)
}

/// The append-only log, signing tree heads with the node's key.
pub struct AuditLog {
    conn: Connection,
    key: SigningKey,
    /// `key_epoch` when `key` became the log's key in this process.
    epoch: i64,
}

struct Stored<'a>(&'a Connection);

fn to_hash(bytes: Vec<u8>) -> std::result::Result<Hash, rusqlite::Error> {
    bytes.try_into().map_err(|_| {
        rusqlite::Error::InvalidColumnType(0, "hash".into(), rusqlite::types::Type::Blob)
    })
}

impl Nodes for Stored<'_> {
    type Error = rusqlite::Error;
    fn perfect(&self, level: u32, index: u64) -> std::result::Result<Hash, rusqlite::Error> {
        let bytes: Vec<u8> = if level == 0 {
            self.0
                .prepare_cached("SELECT leaf FROM audit_entries WHERE idx = ?1")?
                .query_row([index as i64], |r| r.get(0))?
        } else {
            self.0
                .prepare_cached("SELECT hash FROM audit_nodes WHERE level = ?1 AND pos = ?2")?
                .query_row(params![level, index as i64], |r| r.get(0))?
        };
        to_hash(bytes)
    }
}

fn now_micros() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_micros() as i64)
        .unwrap_or(0)
}

impl AuditLog {
    /// Creates the log of a new node in `dir`, readable by the operator's account only.
    pub fn create(dir: &Path, key: SigningKey) -> Result<Self> {
        let path = dir.join(AUDIT_FILE);
        private_file(&path)
            .map_err(|e| AuditError::Invalid(format!("cannot create {}: {e}", path.display())))?;
        Self::connect(&path, key)
    }

    /// Opens the existing log in `dir`; [`AuditError::Missing`] when there is none.
    pub fn open(dir: &Path, key: SigningKey) -> Result<Self> {
        let path = dir.join(AUDIT_FILE);
        if !path.exists() {
            return Err(AuditError::Missing(path));
        }
        Self::connect(&path, key)
    }

    fn connect(path: &Path, key: SigningKey) -> Result<Self> {
        let conn = Connection::open(path).map_err(storage("opening the audit log"))?;
        conn.execute_batch(
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout=60000;",
        )
        .map_err(storage("configuring the audit log"))?;
        conn.execute_batch(SCHEMA)
            .map_err(storage("creating the audit log schema"))?;
        let epoch = conn
            .query_row(
                "SELECT value FROM audit_meta WHERE key = 'key_epoch'",
                [],
                |r| r.get(0),
            )
            .map_err(storage("reading the key epoch"))?;
        Ok(AuditLog { conn, key, epoch })
    }

    pub fn public_key(&self) -> VerifyingKey {
        self.key.verifying_key()
    }

    /// Number of entries.
    pub fn size(&self) -> Result<u64> {
        let n: i64 = self
            .conn
            .query_row(
                "SELECT coalesce(max(idx) + 1, 0) FROM audit_entries",
                [],
                |r| r.get(0),
            )
            .map_err(storage("reading the log size"))?;
        Ok(n as u64)
    }

    /// Appends entries in one durable transaction and signs the new tree head; returns the
    /// index of the first entry.
    pub fn append(&mut self, entries: &[Vec<u8>]) -> Result<(u64, SignedTreeHead)> {
        if entries.is_empty() {
            return Err(AuditError::Invalid("nothing to append".into()));
        }
        let mut entries = Some(entries.to_vec());
        let (first, head) =
            self.append_pending(|_| Ok((entries.take().unwrap_or_default(), None)))?;
        let head = head.ok_or_else(|| AuditError::Invalid("nothing was appended".into()))?;
        Ok((first, head))
    }

    /// The last outbox position taken into the log (see [`AuditLog::append_pending`]).
    pub fn outbox_through(&self) -> Result<u64> {
        let v: i64 = self
            .conn
            .query_row(
                "SELECT value FROM audit_meta WHERE key = 'outbox_through'",
                [],
                |r| r.get(0),
            )
            .map_err(storage("reading the outbox position"))?;
        Ok(v as u64)
    }

    /// Appends what `take` gives, under the log's write lock, in one durable transaction:
    /// `take` is handed the last outbox position already in the log and returns the entries
    /// to append and, when they include outbox entries, the position of the last one,
    /// which is kept in the same transaction. Two processes draining one outbox thus never
    /// append an entry twice, and a crash between the append and clearing the outbox is
    /// recovered by skipping what the log already holds. Returns the index of the first
    /// entry and the new signed head (`None` when there was nothing to append).
    pub fn append_pending(
        &mut self,
        take: impl FnOnce(u64) -> Result<(Vec<Vec<u8>>, Option<u64>)>,
    ) -> Result<(u64, Option<SignedTreeHead>)> {
        self.append_with(take, None)
    }

    /// Hands the log over to `new` (a node key rotation): appends a `key_handover` entry
    /// ([`crate::handover`]) under a head signed by the current key, then signs every
    /// later head with `new`. Returns the entry's index.
    pub fn append_handover(&mut self, at: &str, new: SigningKey) -> Result<u64> {
        let body = handover::entry(at, &self.key.verifying_key(), &new);
        let (index, _) = self.append_with(|_| Ok((vec![body], None)), Some(&new))?;
        self.key = new;
        self.epoch += 1;
        Ok(index)
    }

    /// The log's handovers in order, each read from its entry and checked: the keys this
    /// node held before its current one. Fails when they do not form one chain ending in
    /// the log's key.
    pub fn handovers(&self) -> Result<Vec<(u64, handover::Handover)>> {
        let rows: Vec<(i64, Vec<u8>)> = self
            .conn
            .prepare(
                "SELECT h.idx, e.body FROM audit_handovers h JOIN audit_entries e ON e.idx = h.idx ORDER BY h.idx",
            )
            .and_then(|mut st| st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect())
            .map_err(storage("reading key handovers"))?;
        let mut chain: Vec<(u64, handover::Handover)> = Vec::with_capacity(rows.len());
        for (idx, body) in rows {
            let h = handover::read(&body)
                .map_err(|why| AuditError::Invalid(format!("entry {idx}: {why}")))?;
            if chain.last().is_some_and(|(_, prev)| prev.to != h.from) {
                return Err(AuditError::Invalid(format!(
                    "entry {idx}: the handover does not start from the key the previous one handed over to"
                )));
            }
            chain.push((idx as u64, h));
        }
        if chain
            .last()
            .is_some_and(|(_, h)| h.to != self.key.verifying_key().to_bytes())
        {
            return Err(AuditError::Invalid(
                "the log's last key handover is not to this node's key".into(),
            ));
        }
        Ok(chain)
    }

    /// [`AuditLog::append_pending`], and for a handover to `new`: its place recorded, the
    /// epoch moved, the head still signed by the current key.
    fn append_with(
        &mut self,
        take: impl FnOnce(u64) -> Result<(Vec<Vec<u8>>, Option<u64>)>,
        handover_to: Option<&SigningKey>,
    ) -> Result<(u64, Option<SignedTreeHead>)> {
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(storage("starting an append"))?;
        let epoch: i64 = tx
            .prepare_cached("SELECT value FROM audit_meta WHERE key = 'key_epoch'")
            .and_then(|mut st| st.query_row([], |r| r.get(0)))
            .map_err(storage("reading the key epoch"))?;
        if epoch != self.epoch {
            return Err(AuditError::Rotated);
        }
        // Cached statements: this runs once per group commit, on every durable answer's path.
        let through: i64 = tx
            .prepare_cached("SELECT value FROM audit_meta WHERE key = 'outbox_through'")
            .and_then(|mut st| st.query_row([], |r| r.get(0)))
            .map_err(storage("reading the outbox position"))?;
        let first: i64 = tx
            .prepare_cached("SELECT coalesce(max(idx) + 1, 0) FROM audit_entries")
            .and_then(|mut st| st.query_row([], |r| r.get(0)))
            .map_err(storage("reading the log size"))?;
        let first = first as u64;
        let (entries, new_through) = take(through as u64)?;
        if let Some(t) = new_through {
            if t < through as u64 {
                return Err(AuditError::Invalid(format!(
                    "the outbox position cannot go back from {through} to {t}"
                )));
            }
            tx.prepare_cached("UPDATE audit_meta SET value = ?1 WHERE key = 'outbox_through'")
                .and_then(|mut st| st.execute([t as i64]))
                .map_err(storage("keeping the outbox position"))?;
        }
        if entries.is_empty() {
            tx.commit().map_err(storage("committing an append"))?;
            return Ok((first, None));
        }
        for (i, body) in entries.iter().enumerate() {
            let idx = first + i as u64;
            let leaf = merkle::leaf_hash(body);
            tx.prepare_cached("INSERT INTO audit_entries (idx, body, leaf) VALUES (?1, ?2, ?3)")
                .and_then(|mut st| st.execute(params![idx as i64, body, &leaf[..]]))
                .map_err(storage("appending an entry"))?;
            // Every perfect subtree this leaf completes gets its hash stored.
            let mut level = 1u32;
            while (idx + 1).is_multiple_of(1 << level) {
                let pos = (idx + 1) / (1 << level) - 1;
                let nodes = Stored(&tx);
                let left = nodes
                    .perfect(level - 1, 2 * pos)
                    .map_err(storage("reading a subtree hash"))?;
                let right = nodes
                    .perfect(level - 1, 2 * pos + 1)
                    .map_err(storage("reading a subtree hash"))?;
                tx.prepare_cached("INSERT INTO audit_nodes (level, pos, hash) VALUES (?1, ?2, ?3)")
                    .and_then(|mut st| {
                        st.execute(params![
                            level,
                            pos as i64,
                            &merkle::node_hash(&left, &right)[..]
                        ])
                    })
                    .map_err(storage("storing a subtree hash"))?;
                level += 1;
            }
        }
        if let Some(new) = handover_to {
            tx.execute(
                "INSERT INTO audit_handovers (idx, from_key, to_key) VALUES (?1, ?2, ?3)",
                params![
                    first as i64,
                    &self.key.verifying_key().to_bytes()[..],
                    &new.verifying_key().to_bytes()[..]
                ],
            )
            .and_then(|_| {
                tx.execute(
                    "UPDATE audit_meta SET value = value + 1 WHERE key = 'key_epoch'",
                    [],
                )
            })
            .map_err(storage("recording a key handover"))?;
        }
        let size = first + entries.len() as u64;
        let root = merkle::root(&Stored(&tx), size).map_err(storage("computing the root"))?;
        let timestamp = now_micros();
        let signature = self
            .key
            .sign(&SignedTreeHead::message(size, timestamp, &root))
            .to_bytes();
        tx.prepare_cached(
            "INSERT OR REPLACE INTO audit_heads (size, root, timestamp, signature) VALUES (?1, ?2, ?3, ?4)",
        )
        .and_then(|mut st| st.execute(params![size as i64, &root[..], timestamp, &signature[..]]))
        .map_err(storage("storing the signed tree head"))?;
        tx.commit().map_err(storage("committing an append"))?;
        Ok((
            first,
            Some(SignedTreeHead {
                size,
                timestamp,
                root,
                signature,
            }),
        ))
    }

    /// Visits the entries from index `from` on, in order, until the visitor breaks.
    pub fn for_each_entry(
        &self,
        from: u64,
        visit: &mut dyn FnMut(u64, &[u8]) -> std::ops::ControlFlow<()>,
    ) -> Result<()> {
        let mut st = self
            .conn
            .prepare("SELECT idx, body FROM audit_entries WHERE idx >= ?1 ORDER BY idx")
            .map_err(storage("reading entries"))?;
        let mut rows = st
            .query([from as i64])
            .map_err(storage("reading entries"))?;
        while let Some(r) = rows.next().map_err(storage("reading entries"))? {
            let idx: i64 = r.get(0).map_err(storage("reading entries"))?;
            let body = match r.get_ref(1).map_err(storage("reading entries"))? {
                ValueRef::Blob(b) | ValueRef::Text(b) => b,
                _ => &[],
            };
            if visit(idx as u64, body).is_break() {
                break;
            }
        }
        Ok(())
    }

    /// The latest signed tree head (none before the first append).
    pub fn latest_head(&self) -> Result<Option<SignedTreeHead>> {
        self.conn
            .query_row("SELECT size, root, timestamp, signature FROM audit_heads ORDER BY size DESC LIMIT 1", [], |r| {
                let sig: Vec<u8> = r.get(3)?;
                Ok(SignedTreeHead {
                    size: r.get::<_, i64>(0)? as u64,
                    root: to_hash(r.get(1)?)?,
                    timestamp: r.get(2)?,
                    signature: sig.try_into().map_err(|_| rusqlite::Error::InvalidColumnType(3, "signature".into(), rusqlite::types::Type::Blob))?,
                })
            })
            .optional()
            .map_err(storage("reading the latest tree head"))
    }

    /// The stored bytes of one entry.
    pub fn entry(&self, index: u64) -> Result<Option<Vec<u8>>> {
        self.conn
            .query_row(
                "SELECT body FROM audit_entries WHERE idx = ?1",
                [index as i64],
                |r| r.get(0),
            )
            .optional()
            .map_err(storage("reading an entry"))
    }

    /// MTH of the first `size` entries.
    pub fn root(&self, size: u64) -> Result<Hash> {
        self.check_size(size)?;
        merkle::root(&Stored(&self.conn), size).map_err(storage("computing a root"))
    }

    /// The audit path proving entry `index` is in the tree of the first `size` entries.
    pub fn inclusion_proof(&self, index: u64, size: u64) -> Result<Vec<Hash>> {
        self.check_size(size)?;
        if index >= size {
            return Err(AuditError::Invalid(format!(
                "entry {index} is not in a tree of {size} entries"
            )));
        }
        merkle::inclusion_proof(&Stored(&self.conn), index, size)
            .map_err(storage("building an inclusion proof"))
    }

    /// The proof that the tree of `old` entries is a prefix of the tree of `new` entries.
    pub fn consistency_proof(&self, old: u64, new: u64) -> Result<Vec<Hash>> {
        self.check_size(new)?;
        if old > new {
            return Err(AuditError::Invalid(format!(
                "cannot prove {old} entries consistent with fewer ({new})"
            )));
        }
        merkle::consistency_proof(&Stored(&self.conn), old, new)
            .map_err(storage("building a consistency proof"))
    }

    fn check_size(&self, size: u64) -> Result<()> {
        let have = self.size()?;
        if size > have {
            return Err(AuditError::Invalid(format!(
                "the log holds {have} entries, not {size}"
            )));
        }
        Ok(())
    }

    /// Recomputes the whole log from the stored entry bytes and checks every stored leaf
    /// hash, subtree hash and signed tree head against it. Returns the number of entries
    /// verified, or the first damage found. `key` is the node's key now: heads are checked
    /// with the key that made them, from the first key through each key handover (every
    /// handover entry checked) to `key`.
    pub fn verify(&self, key: &VerifyingKey) -> Result<std::result::Result<u64, Tamper>> {
        let handovers: Vec<(u64, Vec<u8>, Vec<u8>)> = self
            .conn
            .prepare("SELECT idx, from_key, to_key FROM audit_handovers ORDER BY idx")
            .and_then(|mut st| {
                st.query_map([], |r| {
                    Ok((r.get::<_, i64>(0)? as u64, r.get(1)?, r.get(2)?))
                })?
                .collect()
            })
            .map_err(storage("reading key handovers"))?;
        let first_key = match handovers.first() {
            None => Some(*key),
            Some((_, from, _)) => <[u8; 32]>::try_from(from.as_slice())
                .ok()
                .and_then(|k| VerifyingKey::from_bytes(&k).ok()),
        };
        let Some(mut signing) = first_key else {
            return Ok(Err(Tamper {
                entry: None,
                what: Damage::NoFirstKey,
            }));
        };
        let mut next_handover = 0usize;
        let mut entries = self
            .conn
            .prepare("SELECT idx, body, leaf FROM audit_entries ORDER BY idx")
            .map_err(storage("reading entries"))?;
        let heads: Vec<StoredHead> = self
            .conn
            .prepare("SELECT size, root, timestamp, signature FROM audit_heads ORDER BY size")
            .and_then(|mut st| {
                st.query_map([], |r| {
                    Ok(StoredHead {
                        size: r.get::<_, i64>(0)? as u64,
                        root: r.get(1)?,
                        timestamp: r.get(2)?,
                        signature: r.get(3)?,
                    })
                })?
                .collect()
            })
            .map_err(storage("reading tree heads"))?;
        let mut next_head = 0usize;
        let mut node_q = self
            .conn
            .prepare("SELECT hash FROM audit_nodes WHERE level = ?1 AND pos = ?2")
            .map_err(storage("reading subtree hashes"))?;
        // Perfect subtrees of the leaves seen so far, largest first: (level, hash).
        let mut stack: Vec<(u32, Hash)> = Vec::new();
        let mut rows = entries.query([]).map_err(storage("reading entries"))?;
        let mut expected: u64 = 0;
        while let Some(r) = rows.next().map_err(storage("reading entries"))? {
            let idx = r.get::<_, i64>(0).map_err(storage("reading entries"))? as u64;
            if idx != expected {
                return Ok(Err(Tamper {
                    entry: Some(expected),
                    what: Damage::Missing { entry: expected },
                }));
            }
            // Read whatever is stored, whatever its type: a changed column type is damage too.
            let bytes_at = |i: usize| -> Option<Vec<u8>> {
                match r.get_ref(i).ok()? {
                    ValueRef::Blob(b) | ValueRef::Text(b) => Some(b.to_vec()),
                    _ => None,
                }
            };
            let (Some(body), Some(leaf)) = (bytes_at(1), bytes_at(2)) else {
                return Ok(Err(Tamper {
                    entry: Some(idx),
                    what: Damage::Replaced { entry: idx },
                }));
            };
            let computed = merkle::leaf_hash(&body);
            if leaf[..] != computed[..] {
                return Ok(Err(Tamper {
                    entry: Some(idx),
                    what: Damage::Changed { entry: idx },
                }));
            }
            stack.push((0, computed));
            while stack.len() >= 2 && stack[stack.len() - 1].0 == stack[stack.len() - 2].0 {
                let (level, right) = stack.pop().unwrap_or_default();
                let (_, left) = stack.pop().unwrap_or_default();
                let hash = merkle::node_hash(&left, &right);
                let pos = (idx + 1) / (1 << (level + 1)) - 1;
                let stored: Option<Vec<u8>> = node_q
                    .query_row(params![level + 1, pos as i64], |r| r.get(0))
                    .optional()
                    .map_err(storage("reading subtree hashes"))?;
                if stored.as_deref() != Some(&hash[..]) {
                    let first_leaf = pos << (level + 1);
                    return Ok(Err(Tamper {
                        entry: Some(first_leaf),
                        what: Damage::Subtree {
                            first: first_leaf,
                            last: idx,
                        },
                    }));
                }
                stack.push((level + 1, hash));
            }
            let handing_over = match handovers.get(next_handover) {
                Some((at, from, to)) if *at == idx => {
                    let read = handover::read(&body);
                    match read {
                        Ok(h)
                            if h.from[..] == from[..]
                                && h.to[..] == to[..]
                                && h.from == signing.to_bytes() =>
                        {
                            VerifyingKey::from_bytes(&h.to).ok()
                        }
                        Ok(_) => None,
                        Err(why) => {
                            return Ok(Err(Tamper {
                                entry: Some(idx),
                                what: Damage::UnreadableHandover {
                                    entry: idx,
                                    why: why.to_string(),
                                },
                            }));
                        }
                    }
                    .map(Some)
                    .ok_or(Tamper {
                        entry: Some(idx),
                        what: Damage::HandoverBreaks { entry: idx },
                    })
                }
                _ => Ok(None),
            };
            let handing_over = match handing_over {
                Ok(h) => h,
                Err(t) => return Ok(Err(t)),
            };
            expected += 1;
            // The head that covers a handover is the old key's; the ones after, the new.
            while let Some(head) = heads.get(next_head).filter(|h| h.size == expected) {
                next_head += 1;
                if let Some(t) = head.check(&stack, &signing) {
                    return Ok(Err(t));
                }
            }
            if let Some(new) = handing_over {
                signing = new;
                next_handover += 1;
            }
        }
        if let Some((at, _, _)) = handovers.get(next_handover) {
            return Ok(Err(Tamper {
                entry: Some(*at),
                what: Damage::HandoverAbsent { entry: *at },
            }));
        }
        if signing != *key {
            return Ok(Err(Tamper {
                entry: None,
                what: Damage::OtherKey {
                    ended: hex::encode(signing.to_bytes()),
                    node: hex::encode(key.to_bytes()),
                },
            }));
        }
        if let Some(head) = heads.get(next_head) {
            return Ok(Err(Tamper {
                entry: None,
                what: Damage::HeadBeyond {
                    claims: head.size,
                    holds: expected,
                },
            }));
        }
        Ok(Ok(expected))
    }
}
