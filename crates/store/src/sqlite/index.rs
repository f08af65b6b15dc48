//! What each stored version holds for the correlation index (table `holdings`): its
//! observable values and references, packed into one row per version — one append per
//! version, whatever it holds (a pattern may name thousands of values) — written with the
//! version, deleted with it, read in `date_added` order by the node's correlation index.
//!
//! The packing is `stix::observable::Holdings`: validation packs, the writer writes.

use super::backend;
use crate::{CollectionKey, Holding, Result, StoreError};
use rusqlite::{CachedStatement, Connection, OptionalExtension, Transaction, params};

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

/// Forgets what the version stored at `at` held (it is being deleted), and logs the
/// deletion for the index in memory.
pub fn remove(tx: &Transaction, at: i64) -> Result<()> {
    tx.prepare_cached("DELETE FROM holdings WHERE at = ?1")
        .and_then(|mut st| st.execute([at]))
        .map_err(backend("removing a deleted version from the index"))?;
    tx.prepare_cached("INSERT INTO removed (at) VALUES (?1)")
        .and_then(|mut st| st.execute([at]))
        .map_err(backend("logging a deleted version"))?;
    Ok(())
}

/// Forgets what every version of a collection held (it is being deleted), logging each
/// deletion for the index in memory.
pub fn remove_collection(tx: &Transaction, coll: CollectionKey) -> Result<()> {
    tx.execute(
        "INSERT INTO removed (at) SELECT at FROM holdings WHERE coll = ?1 ORDER BY at",
        [coll],
    )
    .map_err(backend("logging a deleted collection's versions"))?;
    tx.execute("DELETE FROM holdings WHERE coll = ?1", [coll])
        .map_err(backend("removing a deleted collection from the index"))?;
    Ok(())
}

/// What versions added after `after` hold, with the facts of each, in one read.
pub fn holdings_after(conn: &Connection, after: i64, limit: usize) -> Result<Vec<Holding>> {
    conn.execute_batch("BEGIN")
        .map_err(backend("starting a read"))?;
    let out = read_holdings(conn, after, limit);
    let ended = conn
        .execute_batch("COMMIT")
        .map_err(backend("ending a read"));
    let out = out?;
    ended?;
    Ok(out)
}

fn read_holdings(conn: &Connection, after: i64, limit: usize) -> Result<Vec<Holding>> {
    /// A holdings row: at, collection, packed values, packed references.
    type HoldingsRow = (i64, CollectionKey, Option<Vec<u8>>, Option<Vec<u8>>);
    let rows: Vec<HoldingsRow> = {
        let mut st = conn
            .prepare_cached(
                "SELECT at, coll, vals, refs FROM holdings WHERE at > ?1 ORDER BY at LIMIT ?2",
            )
            .map_err(backend("reading the index's holdings"))?;
        st.query_map(params![after, limit.max(1) as i64], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })
        .and_then(Iterator::collect)
        .map_err(backend("reading the index's holdings"))?
    };
    let mut out = Vec::with_capacity(rows.len());
    for (at, collection, vals, refs) in rows {
        let mut st = conn
            .prepare_cached(&format!(
                "SELECT id, type, version, version_text, markings, origin, granular IS NOT NULL FROM objects_{collection} WHERE seq = ?1"
            ))
            .map_err(backend("reading the facts of an indexed version"))?;
        let facts = st
            .query_row([at], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, i64>(2)?,
                    r.get::<_, Option<String>>(3)?,
                    r.get::<_, Option<String>>(4)?,
                    r.get::<_, Option<String>>(5)?,
                    r.get::<_, bool>(6)?,
                ))
            })
            .optional()
            .map_err(backend("reading the facts of an indexed version"))?;
        let Some((id, object_type, version_at, version_text, markings, origin, granular)) = facts
        else {
            return Err(StoreError::Corrupt(format!(
                "the index holds the version at {at}, which collection {collection} does not"
            )));
        };
        let holdings = stix::observable::Holdings {
            values: vals.unwrap_or_default(),
            refs: refs.unwrap_or_default(),
        };
        if holdings.check().is_err() {
            return Err(StoreError::Corrupt(format!(
                "the holdings of the version at {at} do not read back"
            )));
        }
        out.push(Holding {
            at,
            collection,
            holdings,
            id,
            object_type,
            version: version_text.unwrap_or_else(|| stix::timestamp::format(at)),
            version_at,
            marking_refs: markings
                .map(|m| m.split(',').map(str::to_owned).collect())
                .unwrap_or_default(),
            origin,
            granular,
        });
    }
    Ok(out)
}

/// Deletions logged after position `after`, and the position reached.
pub fn removed_after(conn: &Connection, after: i64) -> Result<(Vec<i64>, i64)> {
    let mut st = conn
        .prepare_cached("SELECT seq, at FROM removed WHERE seq > ?1 ORDER BY seq")
        .map_err(backend("reading the log of deletions"))?;
    let rows: Vec<(i64, i64)> = st
        .query_map([after], |r| Ok((r.get(0)?, r.get(1)?)))
        .and_then(Iterator::collect)
        .map_err(backend("reading the log of deletions"))?;
    let reached = rows.last().map_or(after, |(s, _)| *s);
    Ok((rows.into_iter().map(|(_, at)| at).collect(), reached))
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
