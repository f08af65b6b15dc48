-- Symbolon store, SQLite backend (the current schema; `migrate` upgrades older files).
CREATE TABLE IF NOT EXISTS meta (
    key   TEXT PRIMARY KEY,
    value INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS api_roots (
    ord                INTEGER PRIMARY KEY,
    name               TEXT NOT NULL UNIQUE,
    title              TEXT NOT NULL,
    description        TEXT,
    max_content_length INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS collections (
    key         INTEGER PRIMARY KEY,
    id          TEXT NOT NULL UNIQUE,
    api_root    TEXT NOT NULL REFERENCES api_roots(name),
    title       TEXT NOT NULL,
    description TEXT,
    alias       TEXT,
    UNIQUE (api_root, alias)
);
CREATE TABLE IF NOT EXISTS users (
    name          TEXT PRIMARY KEY,
    password_hash TEXT NOT NULL,
    is_admin      INTEGER NOT NULL DEFAULT 0,
    kind          TEXT NOT NULL DEFAULT 'local',
    purposes      TEXT NOT NULL DEFAULT ''
);
-- Every marking definition stored in any collection, once per id (they are never
-- versioned, STIX 2.1 §7.2): the policy's registry reads new rows by `seq`.
CREATE TABLE IF NOT EXISTS marking_definitions (
    seq  INTEGER PRIMARY KEY,
    id   TEXT NOT NULL UNIQUE,
    json TEXT NOT NULL
);
-- Signed records the agreement runs on (consent requests, consents, revocations,
-- confidentiality notices, lifecycle notifications): stored once per record id, in arrival
-- order; the policy reads new rows by `seq`. The store keeps the text; `policy` checks
-- signatures and decides.
CREATE TABLE IF NOT EXISTS ledger (
    seq  INTEGER PRIMARY KEY,
    id   TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    json TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS grants (
    user       TEXT NOT NULL REFERENCES users(name) ON DELETE CASCADE,
    collection INTEGER NOT NULL REFERENCES collections(key) ON DELETE CASCADE,
    can_read   INTEGER NOT NULL,
    can_write  INTEGER NOT NULL,
    PRIMARY KEY (user, collection)
);
-- Object versions live in one table per collection, `objects_<collection key>`, created
-- with the collection (see `objects::create_table`): rows of different collections never
-- share a B-tree, so paging a collection is a rowid range scan with no extra index.
CREATE TABLE IF NOT EXISTS statuses (
    api_root TEXT NOT NULL,
    id       TEXT NOT NULL,
    owner    TEXT NOT NULL,
    body     TEXT NOT NULL,
    PRIMARY KEY (api_root, id)
);
-- `last_seq` is the high-water mark of date_added: kept apart from max(seq) so that deleting
-- the newest row never lets a later object reuse a date_added a client has already paged past.
-- `changes` counts write transactions that added or deleted object versions.
INSERT OR IGNORE INTO meta (key, value) VALUES ('schema_version', 1), ('last_seq', 0), ('changes', 0);
-- `admin` counts changes to API roots, collections, users and grants: what a door may
-- cache of them is good while it stays.
INSERT OR IGNORE INTO meta (key, value) VALUES ('admin', 0);
-- Federation. Peers this node exchanges with; `witnessed_*` is the last signed tree head
-- of the peer's audit log seen here (all NULL: none), `halted` why exchange with it stopped.
CREATE TABLE IF NOT EXISTS peers (
    id                  TEXT PRIMARY KEY,
    url                 TEXT NOT NULL,
    public_key          TEXT NOT NULL,
    halted              TEXT,
    -- The breach that halted the peer (federation::witness::Breach as JSON).
    halt_cause          TEXT,
    witnessed_size      INTEGER,
    witnessed_timestamp INTEGER,
    witnessed_root      BLOB,
    witnessed_signature BLOB
);
-- Where pulling each of a peer's collections (push = 0) or pushing to it (push = 1)
-- stands; a pull's cursor is written in the same transaction as the objects of the page
-- it follows.
CREATE TABLE IF NOT EXISTS sync_cursors (
    peer        TEXT NOT NULL,
    remote      TEXT NOT NULL,
    local       INTEGER NOT NULL REFERENCES collections(key),
    push        INTEGER NOT NULL DEFAULT 0,
    added_after TEXT,
    PRIMARY KEY (peer, remote, push)
);
-- Seals of pages received from peers (JSON) with the page's leaf hashes (32 bytes each)
-- and, for the object versions the page added to `collection`, which leaf each is:
-- `map` holds (date_added i64, leaf index u32) pairs, little-endian, sorted by date_added,
-- all within [first, last]. One row per page instead of one per object: a pull writes a
-- fraction of the B-tree pages (versions already held keep the seal they came with).
CREATE TABLE IF NOT EXISTS page_seals (
    seq        INTEGER PRIMARY KEY,
    peer       TEXT NOT NULL,
    seal       TEXT NOT NULL,
    leaves     BLOB NOT NULL,
    collection INTEGER NOT NULL,
    first      INTEGER NOT NULL,
    last       INTEGER NOT NULL,
    map        BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS page_seals_by_range ON page_seals (collection, first);
-- Pages whose provenance did not verify: never served, kept for the operator.
CREATE TABLE IF NOT EXISTS quarantine (
    seq    INTEGER PRIMARY KEY,
    peer   TEXT NOT NULL,
    remote TEXT NOT NULL,
    at     INTEGER NOT NULL,
    reason TEXT NOT NULL,
    -- The reason as data (federation::distrust::Distrust as JSON).
    cause  TEXT,
    body   TEXT NOT NULL
);
-- Audit entries committed in the same transaction as the writes they record; the node's
-- journal moves them into the audit log (audit.db) and clears them. AUTOINCREMENT: a
-- position is never reused, so the log's "taken through N" mark stays exact.
CREATE TABLE IF NOT EXISTS outbox (
    seq   INTEGER PRIMARY KEY AUTOINCREMENT,
    entry BLOB NOT NULL
);
-- The agreement this node is under (at most one row): the file as given, and which party
-- and authority this node is. `changed` counts the times it was set.
CREATE TABLE IF NOT EXISTS agreement (
    one       INTEGER PRIMARY KEY CHECK (one = 1),
    text      TEXT NOT NULL,
    party     TEXT NOT NULL,
    authority TEXT NOT NULL,
    changed   INTEGER NOT NULL
);
-- What each stored version holds for the correlation index: its observable values
-- (`stix::observable`) and its references to other objects, packed (`sqlite/index.rs`),
-- one row per version that holds any, written in the transaction that stores the version
-- and deleted with it. Keyed by the version's date_added (`at`), unique and strictly
-- increasing across the store: the node's correlation index is built from this table and
-- follows it by `at`; rows are appended in key order.
CREATE TABLE IF NOT EXISTS holdings (
    at   INTEGER PRIMARY KEY,
    coll INTEGER NOT NULL,
    vals BLOB,
    refs BLOB
);
-- The date_added of every version deleted, in the order deleted: what keeps the node's
-- in-memory correlation index from showing a version that is gone. AUTOINCREMENT: a
-- position is never reused.
CREATE TABLE IF NOT EXISTS removed (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    at  INTEGER NOT NULL
);
