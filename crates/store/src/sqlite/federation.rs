//! The federation tables: peers, sync cursors, seals and the provenance of each object
//! version received from a peer, and the quarantine.

use super::{backend, objects, query_all};
use crate::{
    AddOutcome, CollectionKey, Peer, Quarantined, Result, SealedPage, StoreError, SyncCursor,
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
    objs: &[stix::StixObject],
    index: &[u32],
    origin: Option<&str>,
    sealed: &SealedPage,
    cursor: Option<&SyncCursor>,
) -> Result<Vec<AddOutcome>> {
    if objs.len() != index.len() {
        return Err(StoreError::Invalid(format!(
            "{} objects with {} seal indices",
            objs.len(),
            index.len()
        )));
    }
    let fates = objects::add(tx, collection, objs, origin, None)?;
    tx.execute(
        "INSERT INTO seals (peer, seal, leaves) VALUES (?1, ?2, ?3)",
        params![sealed.peer, sealed.seal, leaves_blob(&sealed.leaves)],
    )
    .map_err(backend("keeping a seal"))?;
    let seal = tx.last_insert_rowid();
    {
        let mut st = tx
            .prepare_cached(
                "INSERT OR IGNORE INTO provenance (collection, date_added, seal, idx) VALUES (?1, ?2, ?3, ?4)",
            )
            .map_err(backend("recording provenance"))?;
        for (fate, i) in fates.iter().zip(index) {
            if let crate::Fate::Added { date_added } | crate::Fate::AlreadyPresent { date_added } =
                fate
            {
                st.execute(params![collection, date_added, seal, i])
                    .map_err(backend("recording provenance"))?;
            }
        }
    }
    if let Some(c) = cursor {
        put_cursor(tx, c)?;
    }
    Ok(objs.iter().zip(fates).map(|(o, f)| f.outcome(o)).collect())
}

pub fn provenance(
    c: &Connection,
    collection: CollectionKey,
    date_added: i64,
) -> Result<Option<(SealedPage, u32)>> {
    c.query_row(
        "SELECT s.peer, s.seal, s.leaves, p.idx FROM provenance p JOIN seals s ON s.seq = p.seal
         WHERE p.collection = ?1 AND p.date_added = ?2",
        params![collection, date_added],
        |r| {
            let blob: Vec<u8> = r.get(2)?;
            let leaves = blob
                .chunks_exact(32)
                .map(|c| <[u8; 32]>::try_from(c).unwrap_or([0; 32]))
                .collect();
            Ok((
                SealedPage {
                    peer: r.get(0)?,
                    seal: r.get(1)?,
                    leaves,
                },
                r.get(3)?,
            ))
        },
    )
    .optional()
    .map_err(backend("reading provenance"))
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
