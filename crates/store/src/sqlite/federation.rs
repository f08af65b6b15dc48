//! The federation tables: peers, sync cursors, seals and the provenance of each object
//! version received from a peer, and the quarantine.

use super::{backend, objects, query_all};
use crate::{
    AddOutcome, CollectionKey, Fate, Peer, Quarantined, Result, SealedBatch, SealedPage,
    StoreError, SyncCursor,
};
use audit::SignedTreeHead;
use rusqlite::{Connection, OptionalExtension, Transaction, params};

fn corrupt(what: String) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Blob, what.into())
}

/// A value kept as JSON text (`None`: NULL).
fn json<T: serde::Serialize>(value: Option<&T>) -> Result<Option<String>> {
    value
        .map(|v| {
            serde_json::to_string(v)
                .map_err(|e| StoreError::Invalid(format!("a value does not write as JSON: {e}")))
        })
        .transpose()
}

/// A value kept as JSON text (NULL: `None`); one that does not read back is corrupt
/// (`what` names it).
fn from_json<T: serde::de::DeserializeOwned>(
    text: Option<String>,
    what: impl FnOnce() -> String,
) -> rusqlite::Result<Option<T>> {
    text.map(|t| {
        serde_json::from_str(&t).map_err(|e| corrupt(format!("{} kept does not read: {e}", what())))
    })
    .transpose()
}

fn peer_from_row(r: &rusqlite::Row) -> rusqlite::Result<Peer> {
    let id: String = r.get(0)?;
    let key: String = r.get(2)?;
    let public_key = hex::decode(&key)
        .ok()
        .and_then(|b| <[u8; 32]>::try_from(b).ok())
        .ok_or_else(|| corrupt(format!("peer `{id}`: its key is not 64 hex digits")))?;
    let size: Option<i64> = r.get(4)?;
    let witnessed = match size {
        None => None,
        Some(size) => {
            let root: Vec<u8> = r.get(6)?;
            let signature: Vec<u8> = r.get(7)?;
            Some(SignedTreeHead {
                size: size as u64,
                timestamp: r.get(5)?,
                root: root.try_into().map_err(|_| {
                    corrupt(format!("peer `{id}`: the witnessed root is not 32 bytes"))
                })?,
                signature: signature.try_into().map_err(|_| {
                    corrupt(format!(
                        "peer `{id}`: the witnessed signature is not 64 bytes"
                    ))
                })?,
            })
        }
    };
    let breach = from_json(r.get(8)?, || format!("peer `{id}`: the breach"))?;
    Ok(Peer {
        id,
        url: r.get(1)?,
        public_key,
        halted: r.get(3)?,
        breach,
        witnessed,
    })
}

pub fn peers(c: &Connection) -> Result<Vec<Peer>> {
    let mut st = c
        .prepare_cached(
            "SELECT id, url, public_key, halted, witnessed_size, witnessed_timestamp,
                    witnessed_root, witnessed_signature, halt_cause FROM peers ORDER BY id",
        )
        .map_err(backend("listing peers"))?;
    st.query_map([], peer_from_row)
        .and_then(Iterator::collect)
        .map_err(|e| match e {
            rusqlite::Error::FromSqlConversionFailure(_, _, why) => {
                StoreError::Corrupt(why.to_string())
            }
            e => backend("listing peers")(e),
        })
}

pub fn put_peer(tx: &Transaction, p: &Peer) -> Result<()> {
    tx.execute(
        "INSERT INTO peers (id, url, public_key, halted, halt_cause) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (id) DO UPDATE SET url = ?2, public_key = ?3, halted = ?4, halt_cause = ?5",
        params![
            p.id,
            p.url,
            hex::encode(p.public_key),
            p.halted,
            json(p.breach.as_ref())?
        ],
    )
    .map_err(backend("saving a peer"))?;
    if let Some(h) = &p.witnessed {
        set_witnessed(tx, &p.id, Some(h))?;
    }
    Ok(())
}

pub fn set_witnessed(tx: &Transaction, peer: &str, head: Option<&SignedTreeHead>) -> Result<()> {
    let n = tx
        .execute(
            "UPDATE peers SET witnessed_size = ?2, witnessed_timestamp = ?3,
                 witnessed_root = ?4, witnessed_signature = ?5 WHERE id = ?1",
            params![
                peer,
                head.map(|h| h.size as i64),
                head.map(|h| h.timestamp),
                head.map(|h| h.root.to_vec()),
                head.map(|h| h.signature.to_vec()),
            ],
        )
        .map_err(backend("recording a witnessed head"))?;
    if n == 0 {
        return Err(StoreError::NotFound(format!("peer `{peer}`")));
    }
    Ok(())
}

pub fn cursors(c: &Connection, peer: &str) -> Result<Vec<SyncCursor>> {
    query_all(
        c,
        "SELECT peer, remote, local, push, added_after FROM sync_cursors WHERE peer = ?1 ORDER BY push, remote",
        [peer],
        |r| {
            Ok(SyncCursor {
                peer: r.get(0)?,
                remote: r.get(1)?,
                local: r.get(2)?,
                push: r.get(3)?,
                added_after: r.get(4)?,
            })
        },
        "reading sync cursors",
    )
}

pub fn put_cursor(tx: &Transaction, c: &SyncCursor) -> Result<()> {
    tx.execute(
        "INSERT INTO sync_cursors (peer, remote, local, push, added_after) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (peer, remote, push) DO UPDATE SET local = ?3, added_after = ?5",
        params![c.peer, c.remote, c.local, c.push, c.added_after],
    )
    .map_err(|e| match e {
        rusqlite::Error::SqliteFailure(f, _)
            if f.code == rusqlite::ErrorCode::ConstraintViolation =>
        {
            StoreError::NotFound(format!("collection {}", c.local))
        }
        e => backend("saving a sync cursor")(e),
    })?;
    Ok(())
}

fn seal_text(seal: &federation::provenance::Seal) -> Result<String> {
    serde_json::to_string(seal).map_err(|e| StoreError::Invalid(format!("a seal: {e}")))
}

/// Adds the pages' objects, seals and the cursor; returns the outcomes and the fates of
/// every object in order, and counts what was added into `account`.
pub fn add_sealed(
    tx: &Transaction,
    collection: CollectionKey,
    batches: &[SealedBatch],
    origin: Option<&str>,
    cursor: Option<&SyncCursor>,
    mut known: Option<&mut objects::Written>,
    account: &mut objects::Account,
) -> Result<(Vec<AddOutcome>, Vec<Fate>)> {
    let total = batches.iter().map(|b| b.objects.len()).sum();
    let mut outcomes = Vec::with_capacity(total);
    let mut all_fates = Vec::with_capacity(total);
    for b in batches {
        if b.objects.len() != b.index.len() {
            return Err(StoreError::Invalid(format!(
                "{} objects with {} seal indices",
                b.objects.len(),
                b.index.len()
            )));
        }
        let fates = if b.origins.is_empty() {
            objects::add(
                tx,
                collection,
                &b.objects,
                origin,
                known.as_deref_mut(),
                account,
            )?
        } else {
            if b.origins.len() != b.objects.len() {
                return Err(StoreError::Invalid(format!(
                    "{} objects with {} origins",
                    b.objects.len(),
                    b.origins.len()
                )));
            }
            // One write per run of objects with the same origin, in order.
            let mut fates = Vec::with_capacity(b.objects.len());
            let mut start = 0;
            while start < b.objects.len() {
                let o = &b.origins[start];
                let end = start + b.origins[start..].iter().take_while(|x| *x == o).count();
                fates.extend(objects::add(
                    tx,
                    collection,
                    &b.objects[start..end],
                    o.as_deref(),
                    known.as_deref_mut(),
                    account,
                )?);
                start = end;
            }
            fates
        };
        // The versions this page added, with their leaf: date_added ascending.
        let mut added: Vec<(i64, u32)> = fates
            .iter()
            .zip(&b.index)
            .filter_map(|(f, i)| match f {
                Fate::Added { date_added } => Some((*date_added, *i)),
                _ => None,
            })
            .collect();
        added.sort_unstable();
        let mut map = Vec::with_capacity(added.len() * 12);
        for (d, i) in &added {
            map.extend_from_slice(&d.to_le_bytes());
            map.extend_from_slice(&i.to_le_bytes());
        }
        let (first, last) = match (added.first(), added.last()) {
            (Some(f), Some(l)) => (f.0, l.0),
            _ => (0, -1),
        };
        let seal = seal_text(&b.sealed.seal)?;
        tx.prepare_cached(
            "INSERT INTO page_seals (peer, seal, leaves, collection, first, last, map)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )
        .and_then(|mut st| {
            st.execute(params![
                b.sealed.peer,
                seal,
                b.sealed.leaves.concat(),
                collection,
                first,
                last,
                map
            ])
        })
        .map_err(backend("keeping a seal"))?;
        outcomes.extend(b.objects.iter().zip(&fates).map(|(o, f)| f.outcome(o)));
        all_fates.extend(fates);
    }
    if let Some(c) = cursor {
        put_cursor(tx, c)?;
    }
    Ok((outcomes, all_fates))
}

/// The leaf index of `date_added` in a seal's map, if the seal added that version.
fn leaf_in(map: &[u8], date_added: i64) -> Result<Option<u32>> {
    if !map.len().is_multiple_of(12) {
        return Err(StoreError::Corrupt(format!(
            "a seal's version map of {} bytes is not whole (12 bytes a version)",
            map.len()
        )));
    }
    let at = |k: usize| -> (i64, u32) {
        let c = &map[k * 12..k * 12 + 12];
        let mut d = [0u8; 8];
        let mut i = [0u8; 4];
        d.copy_from_slice(&c[..8]);
        i.copy_from_slice(&c[8..]);
        (i64::from_le_bytes(d), u32::from_le_bytes(i))
    };
    let n = map.len() / 12;
    let (mut lo, mut hi) = (0usize, n);
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        match at(mid).0.cmp(&date_added) {
            std::cmp::Ordering::Less => lo = mid + 1,
            std::cmp::Ordering::Greater => hi = mid,
            std::cmp::Ordering::Equal => return Ok(Some(at(mid).1)),
        }
    }
    Ok(None)
}

pub fn provenance(
    c: &Connection,
    collection: CollectionKey,
    date_added: i64,
) -> Result<Option<(SealedPage, u32)>> {
    // (peer, seal, leaf hashes, last date_added, version map) of the page that may hold it.
    type Page = (String, String, Vec<u8>, i64, Vec<u8>);
    let found: Option<Page> = c
        .query_row(
            "SELECT peer, seal, leaves, last, map FROM page_seals
             WHERE collection = ?1 AND first <= ?2 ORDER BY first DESC LIMIT 1",
            params![collection, date_added],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )
        .optional()
        .map_err(backend("reading provenance"))?;
    let Some((peer, seal, blob, last, map)) = found else {
        return Ok(None);
    };
    if date_added > last {
        return Ok(None);
    }
    let Some(index) = leaf_in(&map, date_added)? else {
        return Ok(None);
    };
    if !blob.len().is_multiple_of(32) {
        return Err(StoreError::Corrupt(format!(
            "the leaf hashes of a seal from `{peer}` are {} bytes, not a multiple of 32",
            blob.len()
        )));
    }
    let leaves = blob
        .chunks_exact(32)
        .map(|c| {
            let mut h = [0u8; 32];
            h.copy_from_slice(c);
            h
        })
        .collect::<Vec<_>>();
    // An index past the page would give a proof of nothing in particular.
    if index as usize >= leaves.len() {
        return Err(StoreError::Corrupt(format!(
            "a seal from `{peer}` names leaf {index} of a page of {}",
            leaves.len()
        )));
    }
    let seal = serde_json::from_str(&seal).map_err(|e| {
        StoreError::Corrupt(format!("a seal from `{peer}` does not read back: {e}"))
    })?;
    Ok(Some((SealedPage { peer, seal, leaves }, index)))
}

pub fn quarantine(tx: &Transaction, q: &Quarantined) -> Result<()> {
    tx.execute(
        "INSERT INTO quarantine (peer, remote, at, reason, cause, body)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            q.peer,
            q.remote,
            q.at,
            q.reason,
            json(q.cause.as_ref())?,
            q.body
        ],
    )
    .map_err(backend("quarantining objects"))?;
    Ok(())
}

/// The quarantine without the bodies (left empty), with each body's size.
pub fn quarantine_listing(c: &Connection) -> Result<Vec<(i64, Quarantined, u64)>> {
    query_all(
        c,
        "SELECT seq, peer, remote, at, reason, cause, length(CAST(body AS BLOB))
         FROM quarantine ORDER BY seq",
        [],
        |r| {
            let seq: i64 = r.get(0)?;
            let bytes: i64 = r.get(6)?;
            Ok((
                seq,
                Quarantined {
                    peer: r.get(1)?,
                    remote: r.get(2)?,
                    at: r.get(3)?,
                    reason: r.get(4)?,
                    cause: from_json(r.get(5)?, || format!("quarantined page {seq}: the cause"))?,
                    body: Vec::new(),
                },
                bytes as u64,
            ))
        },
        "listing the quarantine",
    )
}

/// Schema 4: the witnessed head moves from a JSON text column into typed columns.
pub fn upgrade_witnessed(conn: &Connection) -> Result<()> {
    #[derive(serde::Deserialize)]
    struct Old {
        size: u64,
        timestamp: Option<String>,
        root: Option<String>,
        signature: Option<String>,
    }
    let rows: Vec<(String, Option<String>)> = query_all(
        conn,
        "SELECT id, witnessed FROM peers",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
        "upgrading the schema",
    )?;
    for (id, text) in rows {
        let Some(text) = text else { continue };
        let bad = |why: &str| StoreError::Corrupt(format!("peer `{id}`: witnessed head {why}"));
        let old: Old = serde_json::from_str(&text).map_err(|_| bad("is not JSON"))?;
        if old.size == 0 {
            continue;
        }
        let timestamp = old
            .timestamp
            .as_deref()
            .and_then(|t| stix::timestamp::parse(t, false).ok())
            .ok_or_else(|| bad("has no timestamp"))?;
        let root = old
            .root
            .as_deref()
            .and_then(|h| hex::decode(h).ok())
            .filter(|b| b.len() == 32)
            .ok_or_else(|| bad("has no root"))?;
        let signature = old
            .signature
            .as_deref()
            .and_then(|h| hex::decode(h).ok())
            .filter(|b| b.len() == 64)
            .ok_or_else(|| bad("has no signature"))?;
        conn.execute(
            "UPDATE peers SET witnessed_size = ?2, witnessed_timestamp = ?3,
                 witnessed_root = ?4, witnessed_signature = ?5 WHERE id = ?1",
            params![id, old.size as i64, timestamp, root, signature],
        )
        .map_err(backend("upgrading the schema"))?;
    }
    Ok(())
}

/// Schema 4: a seal's body is a member of the seal rather than flattened into it.
pub fn upgrade_seals(conn: &Connection) -> Result<()> {
    #[derive(serde::Deserialize)]
    struct Flat {
        #[serde(flatten)]
        body: federation::provenance::SealBody,
        signature: String,
    }
    let rows: Vec<(i64, String)> = query_all(
        conn,
        "SELECT seq, seal FROM page_seals",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
        "upgrading the schema",
    )?;
    for (seq, text) in rows {
        if serde_json::from_str::<federation::provenance::Seal>(&text).is_ok() {
            continue;
        }
        let flat: Flat = serde_json::from_str(&text).map_err(|e| {
            StoreError::Corrupt(format!("the seal kept at {seq} does not read back: {e}"))
        })?;
        let seal = federation::provenance::Seal {
            body: flat.body,
            signature: flat.signature,
        };
        conn.execute(
            "UPDATE page_seals SET seal = ?2 WHERE seq = ?1",
            params![seq, seal_text(&seal)?],
        )
        .map_err(backend("upgrading the schema"))?;
    }
    Ok(())
}
