//! The federation tables: peers, sync cursors, seals and the provenance of each object
//! version received from a peer, and the quarantine.

use super::{backend, objects, query_all};
use crate::{
    AddOutcome, CollectionKey, Peer, Quarantined, Result, SealedBatch, SealedPage, StoreError,
    SyncCursor,
};
use rusqlite::{Connection, OptionalExtension, Transaction, params};

pub fn peers(c: &Connection) -> Result<Vec<Peer>> {
    query_all(
        c,
        "SELECT id, url, public_key, halted, witnessed FROM peers ORDER BY id",
        [],
        |r| {
            Ok(Peer {
                id: r.get(0)?,
                url: r.get(1)?,
                public_key: r.get(2)?,
                halted: r.get(3)?,
                witnessed: r.get(4)?,
            })
        },
        "listing peers",
    )
}

pub fn put_peer(tx: &Transaction, p: &Peer) -> Result<()> {
    tx.execute(
        "INSERT INTO peers (id, url, public_key, halted, witnessed) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (id) DO UPDATE SET url = ?2, public_key = ?3, halted = ?4, witnessed = ?5",
        params![p.id, p.url, p.public_key, p.halted, p.witnessed],
    )
    .map_err(backend("saving a peer"))?;
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

fn leaves_blob(leaves: &[[u8; 32]]) -> Vec<u8> {
    leaves.concat()
}

pub fn add_sealed(
    tx: &Transaction,
    collection: CollectionKey,
    batches: &[SealedBatch],
    origin: Option<&str>,
    cursor: Option<&SyncCursor>,
) -> Result<Vec<AddOutcome>> {
    let mut outcomes = Vec::with_capacity(batches.iter().map(|b| b.objects.len()).sum());
    for b in batches {
        if b.objects.len() != b.index.len() {
            return Err(StoreError::Invalid(format!(
                "{} objects with {} seal indices",
                b.objects.len(),
                b.index.len()
            )));
        }
        let fates = if b.origins.is_empty() {
            objects::add(tx, collection, &b.objects, origin, None)?
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
                    None,
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
                crate::Fate::Added { date_added } => Some((*date_added, *i)),
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
        tx.prepare_cached(
            "INSERT INTO page_seals (peer, seal, leaves, collection, first, last, map)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )
        .and_then(|mut st| {
            st.execute(params![
                b.sealed.peer,
                b.sealed.seal,
                leaves_blob(&b.sealed.leaves),
                collection,
                first,
                last,
                map
            ])
        })
        .map_err(backend("keeping a seal"))?;
        outcomes.extend(b.objects.iter().zip(fates).map(|(o, f)| f.outcome(o)));
    }
    if let Some(c) = cursor {
        put_cursor(tx, c)?;
    }
    Ok(outcomes)
}

/// The leaf index of `date_added` in a seal's map, if the seal added that version.
fn leaf_in(map: &[u8], date_added: i64) -> Option<u32> {
    let pairs: Vec<(i64, u32)> = map
        .chunks_exact(12)
        .map(|c| {
            let (d, i) = c.split_at(8);
            (
                i64::from_le_bytes(d.try_into().unwrap_or_default()),
                u32::from_le_bytes(i.try_into().unwrap_or_default()),
            )
        })
        .collect();
    pairs
        .binary_search_by_key(&date_added, |p| p.0)
        .ok()
        .map(|k| pairs[k].1)
}

pub fn provenance(
    c: &Connection,
    collection: CollectionKey,
    date_added: i64,
) -> Result<Option<(SealedPage, u32)>> {
    let found = c
        .query_row(
            "SELECT peer, seal, leaves, last, map FROM page_seals
             WHERE collection = ?1 AND first <= ?2 ORDER BY first DESC LIMIT 1",
            params![collection, date_added],
            |r| {
                let blob: Vec<u8> = r.get(2)?;
                let leaves = blob
                    .chunks_exact(32)
                    .map(|c| <[u8; 32]>::try_from(c).unwrap_or([0; 32]))
                    .collect();
                let last: i64 = r.get(3)?;
                let map: Vec<u8> = r.get(4)?;
                Ok((
                    SealedPage {
                        peer: r.get(0)?,
                        seal: r.get(1)?,
                        leaves,
                    },
                    last,
                    map,
                ))
            },
        )
        .optional()
        .map_err(backend("reading provenance"))?;
    Ok(found.and_then(|(page, last, map)| {
        if date_added > last {
            return None;
        }
        leaf_in(&map, date_added).map(|i| (page, i))
    }))
}

pub fn quarantine(tx: &Transaction, q: &Quarantined) -> Result<()> {
    tx.execute(
        "INSERT INTO quarantine (peer, remote, at, reason, body) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![q.peer, q.remote, q.at, q.reason, q.objects],
    )
    .map_err(backend("quarantining objects"))?;
    Ok(())
}

pub fn quarantined(c: &Connection) -> Result<Vec<(i64, Quarantined)>> {
    query_all(
        c,
        "SELECT seq, peer, remote, at, reason, body FROM quarantine ORDER BY seq",
        [],
        |r| {
            Ok((
                r.get(0)?,
                Quarantined {
                    peer: r.get(1)?,
                    remote: r.get(2)?,
                    at: r.get(3)?,
                    reason: r.get(4)?,
                    objects: r.get(5)?,
                },
            ))
        },
        "listing the quarantine",
    )
}
