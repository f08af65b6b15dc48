//! The values and references each stored version holds (tables `observables` and `refs`):
//! written with the version, deleted with it, read in `date_added` order by the node's
//! correlation index.

use super::backend;
use crate::{CollectionKey, IndexedRef, IndexedValue, Result};
use rusqlite::{Connection, Transaction, params};

/// Records what the version stored at `at` holds.
pub fn add(tx: &Transaction, coll: CollectionKey, at: i64, obj: &stix::StixObject) -> Result<()> {
    if !obj.observables.is_empty() {
        let mut st = tx
            .prepare_cached(
                "INSERT INTO observables (at, n, coll, kind, value) VALUES (?1, ?2, ?3, ?4, ?5)",
            )
            .map_err(backend("preparing the observable insert"))?;
        for (n, o) in obj.observables.iter().enumerate() {
            st.execute(params![at, n as i64, coll, o.kind.code(), o.value])
                .map_err(backend("indexing an observable value"))?;
        }
    }
    if !obj.refs.is_empty() {
        let mut st = tx
            .prepare_cached(
                "INSERT INTO refs (at, n, coll, property, target) VALUES (?1, ?2, ?3, ?4, ?5)",
            )
            .map_err(backend("preparing the reference insert"))?;
        for (n, r) in obj.refs.iter().enumerate() {
            st.execute(params![at, n as i64, coll, r.property, r.target])
                .map_err(backend("indexing a reference"))?;
        }
    }
    Ok(())
}

/// Forgets what the version stored at `at` held (it is being deleted).
pub fn remove(tx: &Transaction, at: i64) -> Result<()> {
    for table in ["observables", "refs"] {
        tx.prepare_cached(&format!("DELETE FROM {table} WHERE at = ?1"))
            .and_then(|mut st| st.execute([at]))
            .map_err(backend("removing a deleted version from the index"))?;
    }
    Ok(())
}

/// Values recorded for versions added after `after`, oldest first, at most `limit`.
pub fn values_after(conn: &Connection, after: i64, limit: usize) -> Result<Vec<IndexedValue>> {
    let mut st = conn
        .prepare_cached(
            "SELECT at, coll, kind, value FROM observables WHERE at > ?1 ORDER BY at, n LIMIT ?2",
        )
        .map_err(backend("reading indexed values"))?;
    let rows = st
        .query_map(params![after, limit as i64], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get(1)?,
                r.get::<_, i64>(2)?,
                r.get(3)?,
            ))
        })
        .map_err(backend("reading indexed values"))?;
    let mut out = Vec::new();
    for row in rows {
        let (at, collection, kind, value) = row.map_err(backend("reading indexed values"))?;
        let kind = u8::try_from(kind)
            .ok()
            .and_then(stix::observable::Kind::from_code)
            .ok_or_else(|| {
                crate::StoreError::Corrupt(format!(
                    "the value indexed for the version at {at} has an unknown kind {kind}"
                ))
            })?;
        out.push(IndexedValue {
            at,
            collection,
            kind,
            value,
        });
    }
    Ok(out)
}

/// References recorded for versions added after `after`, oldest first: about `limit`, and
/// always every reference of the last version read.
pub fn refs_after(conn: &Connection, after: i64, limit: usize) -> Result<Vec<IndexedRef>> {
    let mut out: Vec<(i64, IndexedRef)> = Vec::new();
    let read = |sql: &str, args: &[i64], out: &mut Vec<(i64, IndexedRef)>| -> Result<()> {
        let mut st = conn
            .prepare_cached(sql)
            .map_err(backend("reading indexed references"))?;
        let rows = st
            .query_map(rusqlite::params_from_iter(args), |r| {
                Ok((
                    r.get(1)?,
                    IndexedRef {
                        at: r.get(0)?,
                        collection: r.get(2)?,
                        property: r.get(3)?,
                        target: r.get(4)?,
                    },
                ))
            })
            .map_err(backend("reading indexed references"))?;
        for row in rows {
            out.push(row.map_err(backend("reading indexed references"))?);
        }
        Ok(())
    };
    read(
        "SELECT at, n, coll, property, target FROM refs WHERE at > ?1 ORDER BY at, n LIMIT ?2",
        &[after, limit as i64],
        &mut out,
    )?;
    if out.len() >= limit
        && let Some((n, r)) = out.last()
    {
        let (at, n) = (r.at, *n);
        read(
            "SELECT at, n, coll, property, target FROM refs WHERE at = ?1 AND n > ?2 ORDER BY n",
            &[at, n],
            &mut out,
        )?;
    }
    Ok(out.into_iter().map(|(_, r)| r).collect())
}

/// Indexes every version of the object tables named (a data directory from before the
/// index), reading each version's text once.
pub fn backfill(conn: &Connection, tables: &[String]) -> Result<()> {
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
        let mut value_st = conn
            .prepare_cached(
                "INSERT OR IGNORE INTO observables (at, n, coll, kind, value) VALUES (?1, ?2, ?3, ?4, ?5)",
            )
            .map_err(backend("indexing stored versions"))?;
        let mut ref_st = conn
            .prepare_cached(
                "INSERT OR IGNORE INTO refs (at, n, coll, property, target) VALUES (?1, ?2, ?3, ?4, ?5)",
            )
            .map_err(backend("indexing stored versions"))?;
        while let Some(r) = rows.next().map_err(backend("reading versions to index"))? {
            let at: i64 = r.get(0).map_err(backend("reading versions to index"))?;
            let body: String = r.get(1).map_err(backend("reading versions to index"))?;
            for (n, o) in stix::observable::of_object(&body).iter().enumerate() {
                value_st
                    .execute(params![at, n as i64, coll, o.kind.code(), o.value])
                    .map_err(backend("indexing stored versions"))?;
            }
            for (n, x) in stix::observable::refs_of(&body).iter().enumerate() {
                ref_st
                    .execute(params![at, n as i64, coll, x.property, x.target])
                    .map_err(backend("indexing stored versions"))?;
            }
        }
    }
    Ok(())
}
