-- Symbolon store, SQLite backend, schema version 1.
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
    is_admin      INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS grants (
    user       TEXT NOT NULL REFERENCES users(name) ON DELETE CASCADE,
    collection INTEGER NOT NULL REFERENCES collections(key) ON DELETE CASCADE,
    can_read   INTEGER NOT NULL,
    can_write  INTEGER NOT NULL,
    PRIMARY KEY (user, collection)
);
-- One row per object version. `seq` is date_added in microseconds and the rowid, so rows
-- are appended in order and paging by date_added is a range scan; the index on (coll)
-- carries the rowid, so it is ordered by date_added within each collection.
-- `key` is the first 8 bytes of the UUID: a small integer index key (text or 16-byte blob
-- ids make the index, and so ingest, markedly slower); the full id is compared after the
-- index lookup.
-- `flags`: bit 0 = first version of its object in this collection, bit 1 = last version.
CREATE TABLE IF NOT EXISTS objects (
    seq          INTEGER PRIMARY KEY,
    coll         INTEGER NOT NULL,
    key          INTEGER NOT NULL,
    id           TEXT NOT NULL,
    type         TEXT NOT NULL,
    version      INTEGER NOT NULL,
    version_text TEXT,
    spec         TEXT NOT NULL,
    flags        INTEGER NOT NULL,
    markings     TEXT,
    body         TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS objects_by_key ON objects (coll, key);
CREATE INDEX IF NOT EXISTS objects_by_coll ON objects (coll);
CREATE TABLE IF NOT EXISTS statuses (
    api_root TEXT NOT NULL,
    id       TEXT NOT NULL,
    owner    TEXT NOT NULL,
    body     TEXT NOT NULL,
    PRIMARY KEY (api_root, id)
);
-- `last_seq` is the high-water mark of date_added: kept apart from max(seq) so that deleting
-- the newest row never lets a later object reuse a date_added a client has already paged past.
INSERT OR IGNORE INTO meta (key, value) VALUES ('schema_version', 1), ('last_seq', 0);
