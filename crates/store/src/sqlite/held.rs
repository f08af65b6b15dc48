//! The index keys of each collection's versions, kept in memory between writes, so that a
//! write asks the index only about keys the collection may hold (a repeated object, a new
//! version, or another id whose digest shares its first 8 bytes). Looking up every key of
//! every request was an eighth of a POST into a collection that already held objects.
//!
//! A collection's keys are read once (from the key index, not the rows), then brought up to
//! date at the start of each write that uses them by reading the keys of the versions added
//! since (`date_added` only grows, across the store and whoever writes: another process, an
//! import, a pull), so catching up costs what was added, never the collection's size again.
//! Keys of versions deleted since stay: a key too many costs one lookup; a key missing
//! would store a duplicate, and cannot happen. Past [`LIMIT`] keys in all, a collection's
//! keys are not kept (its writes look every key up, as without this) and never read again.

use super::{backend, objects};
use crate::{CollectionKey, Fate, Result};
use rusqlite::Transaction;
use std::collections::HashMap;
use std::sync::Mutex;

/// Keys kept across all collections (8 bytes each, about 20 with the set's own).
const LIMIT: usize = 8_000_000;

/// One collection's keys, complete through the version added at `through`.
pub struct Keys {
    through: i64,
    pub keys: objects::Written,
}

impl Keys {
    /// The keys after a write that added their keys to them, with the `fates` of what it
    /// wrote: the versions it added are the collection's newest (it has held the store's
    /// write lock since [`Held::take`] caught the keys up), so they are complete through the
    /// last of them.
    pub fn through_added(mut self, fates: &[Fate]) -> Keys {
        let added = fates.iter().filter_map(|f| match f {
            Fate::Added { date_added } => Some(*date_added),
            Fate::AlreadyPresent { .. } | Fate::Conflict => None,
        });
        if let Some(newest) = added.max() {
            self.through = self.through.max(newest);
        }
        self
    }
}

enum Kept {
    Keys(Keys),
    /// Too many to keep: this collection's writes look every key up.
    TooMany,
}

#[derive(Default)]
pub struct Held {
    sets: Mutex<HashMap<CollectionKey, Kept>>,
}

fn kept_total(sets: &HashMap<CollectionKey, Kept>) -> usize {
    sets.values()
        .map(|k| match k {
            Kept::Keys(k) => k.keys.len(),
            Kept::TooMany => 0,
        })
        .sum()
}

impl Held {
    fn sets(&self) -> std::sync::MutexGuard<'_, HashMap<CollectionKey, Kept>> {
        self.sets.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Takes the collection's keys out, complete for the collection as `tx` sees it; `None`
    /// when they are not kept. Put them back with [`Held::put`] once the write is done.
    pub fn take(&self, tx: &Transaction, coll: CollectionKey) -> Result<Option<Keys>> {
        let (kept, room) = {
            let mut sets = self.sets();
            if let Some(Kept::TooMany) = sets.get(&coll) {
                return Ok(None);
            }
            let kept = match sets.remove(&coll) {
                Some(Kept::Keys(k)) => Some(k),
                Some(Kept::TooMany) | None => None,
            };
            (kept, LIMIT.saturating_sub(kept_total(&sets)))
        };
        let mut set = match kept {
            Some(k) => k,
            None => match read_all(tx, coll, room)? {
                Some(k) => k,
                None => {
                    self.sets().insert(coll, Kept::TooMany);
                    return Ok(None);
                }
            },
        };
        let mut added = tx
            .prepare_cached(&format!(
                "SELECT seq, key FROM {} WHERE seq > ?1 ORDER BY seq",
                objects::table(coll)
            ))
            .map_err(backend("preparing the catch-up of kept keys"))?;
        let mut rows = added
            .query([set.through])
            .map_err(backend("reading keys added since"))?;
        while let Some(row) = rows.next().map_err(backend("reading keys added since"))? {
            set.through = row.get(0).map_err(backend("reading keys added since"))?;
            set.keys
                .insert(row.get(1).map_err(backend("reading keys added since"))?);
        }
        Ok(Some(set))
    }

    /// Puts back a collection's keys once the write that took them is committed.
    pub fn put(&self, coll: CollectionKey, set: Keys) {
        let mut sets = self.sets();
        let kept = if kept_total(&sets) + set.keys.len() > LIMIT {
            Kept::TooMany
        } else {
            Kept::Keys(set)
        };
        sets.insert(coll, kept);
    }

    /// Forgets a collection's keys (the collection is deleted).
    pub fn forget(&self, coll: CollectionKey) {
        self.sets().remove(&coll);
    }
}

/// Every key of the collection, from its key index; `None` past `room` keys.
fn read_all(tx: &Transaction, coll: CollectionKey, room: usize) -> Result<Option<Keys>> {
    let through = objects::newest(tx, coll)?.unwrap_or(i64::MIN);
    let mut keys = objects::Written::default();
    let mut all = tx
        .prepare(&format!("SELECT key FROM {}", objects::table(coll)))
        .map_err(backend("preparing the reading of a collection's keys"))?;
    let mut rows = all
        .query([])
        .map_err(backend("reading a collection's keys"))?;
    while let Some(row) = rows
        .next()
        .map_err(backend("reading a collection's keys"))?
    {
        keys.insert(row.get(0).map_err(backend("reading a collection's keys"))?);
        if keys.len() > room {
            return Ok(None);
        }
    }
    Ok(Some(Keys { through, keys }))
}
