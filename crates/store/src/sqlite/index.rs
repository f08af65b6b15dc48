//! What each stored version holds for the correlation index (table `holdings`): its
//! observable values and references, packed into one row per version — one append per
//! version, whatever it holds (a pattern may name thousands of values) — written with the
//! version, deleted with it, read in `date_added` order by the node's correlation index.
//!
//! The packing is `stix::observable::Holdings`: validation packs, the writer writes.

use super::backend;
use crate::{CollectionKey, IndexedRef, IndexedValue, Result, StoreError};
use rusqlite::{CachedStatement, Connection, Transaction, params};

/// NULL for nothing held.
fn nonempty(b: &[u8]) -> Option<&[u8]> {
    (!b.is_empty()).then_some(b)
}

/// The statement that records a version's holdings, prepared once per transaction.
pub fn insert_statement<'t>(tx: &'t Transaction) -> Result<CachedStatement<'t>> {
    tx.prepare_cached("INSERT INTO holdings (at, coll, vals, refs) VALUES (?1, ?2, ?3, ?4)")
        .map_err(backend("preparing the holdings insert"))
}

/// Records what the version stored at `at` holds.
pub fn add(
    st: &mut CachedStatement,
    coll: CollectionKey,
    at: i64,
    obj: &stix::StixObject,
) -> Result<()> {
    let h = &obj.holdings;
    if h.is_empty() {
        return Ok(());
    }
    st.execute(params![at, coll, nonempty(&h.values), nonempty(&h.refs)])
        .map_err(backend("indexing a version's values and references"))?;
    Ok(())
}

/// Forgets what the version stored at `at` held (it is being deleted).
pub fn remove(tx: &Transaction, at: i64) -> Result<()> {
    tx.prepare_cached("DELETE FROM holdings WHERE at = ?1")
        .and_then(|mut st| st.execute([at]))
        .map_err(backend("removing a deleted version from the index"))?;
    Ok(())
}

/// The holdings rows of versions added after `after` that hold `column`, oldest first, at
/// most `limit` versions.
fn rows_after(
    conn: &Connection,
    column: &str,
    after: i64,
    limit: usize,
) -> Result<Vec<(i64, i64, Vec<u8>)>> {
    let mut st = conn
        .prepare_cached(&format!(
            "SELECT at, coll, {column} FROM holdings WHERE at > ?1 AND {column} IS NOT NULL ORDER BY at LIMIT ?2"
        ))
        .map_err(backend("reading the index's holdings"))?;
    st.query_map(params![after, limit as i64], |r| {
        Ok((r.get(0)?, r.get(1)?, r.get(2)?))
    })
    .and_then(Iterator::collect)
    .map_err(backend("reading the index's holdings"))
}

fn unpacked(at: i64) -> impl Fn(stix::observable::Unpacked) -> StoreError {
    move |_| {
        StoreError::Corrupt(format!(
            "the holdings of the version at {at} do not read back"
        ))
    }
}

/// Values held by versions added after `after`, oldest first (whole versions, about
/// `limit` values).
pub fn values_after(conn: &Connection, after: i64, limit: usize) -> Result<Vec<IndexedValue>> {
    let mut out = Vec::new();
    for (at, collection, blob) in rows_after(conn, "vals", after, limit.max(1))? {
        for v in stix::observable::Holdings::values_of(&blob) {
            let v = v.map_err(unpacked(at))?;
            out.push(IndexedValue {
                at,
                collection,
                kind: v.kind,
                value: v.value,
            });
        }
        if out.len() >= limit {
            break;
        }
    }
    Ok(out)
}

/// References made by versions added after `after`, oldest first (whole versions).
pub fn refs_after(conn: &Connection, after: i64, limit: usize) -> Result<Vec<IndexedRef>> {
    let mut out = Vec::new();
    for (at, collection, blob) in rows_after(conn, "refs", after, limit.max(1))? {
        for r in stix::observable::Holdings::refs_of(&blob) {
            let r = r.map_err(unpacked(at))?;
            out.push(IndexedRef {
                at,
                collection,
                property: r.property,
                target: r.target,
            });
        }
        if out.len() >= limit {
            break;
        }
    }
    Ok(out)
}

/// Indexes every version of the object tables named (a data directory from before the
/// index), reading each version's text once.
pub fn backfill(conn: &Connection, tables: &[String]) -> Result<()> {
    let mut insert = conn
        .prepare_cached(
            "INSERT OR IGNORE INTO holdings (at, coll, vals, refs) VALUES (?1, ?2, ?3, ?4)",
        )
        .map_err(backend("indexing stored versions"))?;
    for t in tables {
        let Some(coll) = t
            .strip_prefix("objects_")
            .and_then(|k| k.parse::<CollectionKey>().ok())
        else {
            continue;
        };
        let mut st = conn
            .prepare(&format!("SELECT seq, body FROM {t} ORDER BY seq"))
            .map_err(backend("reading versions to index"))?;
        let mut rows = st.query([]).map_err(backend("reading versions to index"))?;
        while let Some(r) = rows.next().map_err(backend("reading versions to index"))? {
            let at: i64 = r.get(0).map_err(backend("reading versions to index"))?;
            let body: String = r.get(1).map_err(backend("reading versions to index"))?;
            let h = stix::observable::Holdings::pack(
                &stix::observable::of_object(&body),
                &stix::observable::refs_of(&body),
            );
            if h.is_empty() {
                continue;
            }
            insert
                .execute(params![at, coll, nonempty(&h.values), nonempty(&h.refs)])
                .map_err(backend("indexing stored versions"))?;
        }
    }
    Ok(())
}
