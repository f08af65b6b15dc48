//! Keys to the stored versions that hold them, in memory: a hash map from a keyed 64-bit
//! hash of the key to the head of a chain of postings in one arena, newest first.
//!
//! Sized for tens of millions of values: a value held once costs one map entry (24 bytes
//! plus the map's slack) and one 16-byte posting. The hash is SipHash-1-3 under keys drawn
//! at random per process (the standard library's `RandomState`), so no writer can choose
//! values that collide; a second, independent hash of 32 bits tells apart the rare values
//! whose 64-bit hashes collide, which go to a small map of their own.

use std::collections::HashMap;
use std::hash::{BuildHasher, Hash, RandomState};

/// Postings kept per key at most: a value held by more versions than this stops growing
/// (MISP stops correlating such values altogether); work per lookup stays bounded.
pub const MOST_PER_KEY: u32 = 100_000;

/// One version that holds a key: the collection it is in and its `date_added`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Posting {
    pub collection: i64,
    pub at: i64,
}

#[derive(Clone, Copy)]
struct Node {
    at: i64,
    collection: u32,
    /// The next (older) posting of the same key; `u32::MAX`: none.
    next: u32,
}

#[derive(Clone, Copy)]
struct Head {
    check: u32,
    count: u32,
    first: u32,
}

/// A `BuildHasher` for keys that already are uniform hashes.
#[derive(Clone, Copy, Default)]
struct Prehashed;

#[derive(Default)]
struct Identity(u64);

impl std::hash::Hasher for Identity {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(*b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

impl BuildHasher for Prehashed {
    type Hasher = Identity;
    fn build_hasher(&self) -> Identity {
        Identity::default()
    }
}

/// The keyed hashes of a key: 64 bits to find it, 32 more to be sure.
#[derive(Clone)]
pub struct Hasher {
    find: RandomState,
    check: RandomState,
}

impl Default for Hasher {
    fn default() -> Self {
        Hasher {
            find: RandomState::new(),
            check: RandomState::new(),
        }
    }
}

/// A key as the map holds it.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Key {
    find: u64,
    check: u32,
}

impl Hasher {
    pub fn key(&self, key: impl Hash + Copy) -> Key {
        Key {
            find: self.find.hash_one(key),
            check: self.check.hash_one(key) as u32,
        }
    }
}

#[derive(Default)]
pub struct Postings {
    map: HashMap<u64, Head, Prehashed>,
    /// Keys whose 64-bit hash collided with another key's.
    spill: HashMap<(u64, u32), Head>,
    arena: Vec<Node>,
}

/// Collection keys are small store-assigned integers; one that does not fit is kept apart
/// rather than truncated.
fn narrow(collection: i64) -> Option<u32> {
    u32::try_from(collection).ok().filter(|c| *c != u32::MAX)
}

impl Postings {
    /// Records that the version `p` holds `key` (postings arrive oldest first).
    pub fn add(&mut self, key: Key, p: Posting) {
        let Some(collection) = narrow(p.collection) else {
            return;
        };
        let index = self.arena.len() as u32;
        let head = match self.map.get_mut(&key.find) {
            Some(h) if h.check == key.check => h,
            Some(_) => self.spill.entry((key.find, key.check)).or_insert(Head {
                check: key.check,
                count: 0,
                first: u32::MAX,
            }),
            None => self.map.entry(key.find).or_insert(Head {
                check: key.check,
                count: 0,
                first: u32::MAX,
            }),
        };
        if head.count >= MOST_PER_KEY || index == u32::MAX {
            return;
        }
        self.arena.push(Node {
            at: p.at,
            collection,
            next: head.first,
        });
        head.first = index;
        head.count += 1;
    }

    fn head(&self, key: Key) -> Option<&Head> {
        match self.map.get(&key.find) {
            Some(h) if h.check == key.check => Some(h),
            Some(_) => self.spill.get(&(key.find, key.check)),
            None => None,
        }
    }

    /// The versions that hold `key`, newest first.
    pub fn get(&self, key: Key) -> impl Iterator<Item = Posting> + '_ {
        let mut next = self.head(key).map_or(u32::MAX, |h| h.first);
        std::iter::from_fn(move || {
            let n = self.arena.get(next as usize)?;
            next = n.next;
            Some(Posting {
                collection: i64::from(n.collection),
                at: n.at,
            })
        })
    }

    /// Distinct keys held.
    pub fn keys(&self) -> usize {
        self.map.len() + self.spill.len()
    }

    /// Postings held.
    pub fn len(&self) -> usize {
        self.arena.len()
    }

    /// Bytes the structure holds on the heap (capacity, not length: what the process pays).
    pub fn heap_bytes(&self) -> usize {
        // hashbrown: one control byte per bucket besides the entry; capacity ≈ buckets · 7/8.
        let entry = std::mem::size_of::<(u64, Head)>() + 1;
        let spill = std::mem::size_of::<((u64, u32), Head)>() + 1;
        self.map.capacity() * entry * 8 / 7
            + self.spill.capacity() * spill * 8 / 7
            + self.arena.capacity() * std::mem::size_of::<Node>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postings_come_back_newest_first_per_key() {
        let h = Hasher::default();
        let mut p = Postings::default();
        let (a, b) = (h.key(("ip", "1.2.3.4")), h.key(("ip", "5.6.7.8")));
        for at in 1..=3 {
            p.add(a, Posting { collection: 1, at });
        }
        p.add(
            b,
            Posting {
                collection: 2,
                at: 9,
            },
        );
        let ats: Vec<i64> = p.get(a).map(|x| x.at).collect();
        assert_eq!(ats, [3, 2, 1]);
        assert_eq!(
            p.get(b).collect::<Vec<_>>(),
            [Posting {
                collection: 2,
                at: 9
            }]
        );
        assert_eq!(p.get(h.key(("ip", "9.9.9.9"))).count(), 0);
        assert_eq!((p.keys(), p.len()), (2, 4));
    }

    #[test]
    fn keys_whose_find_hashes_collide_stay_apart() {
        let mut p = Postings::default();
        let a = Key { find: 7, check: 1 };
        let b = Key { find: 7, check: 2 };
        p.add(
            a,
            Posting {
                collection: 1,
                at: 1,
            },
        );
        p.add(
            b,
            Posting {
                collection: 1,
                at: 2,
            },
        );
        p.add(
            a,
            Posting {
                collection: 1,
                at: 3,
            },
        );
        assert_eq!(p.get(a).map(|x| x.at).collect::<Vec<_>>(), [3, 1]);
        assert_eq!(p.get(b).map(|x| x.at).collect::<Vec<_>>(), [2]);
        assert_eq!(p.keys(), 2);
    }

    #[test]
    fn a_key_stops_growing_at_its_bound() {
        let mut p = Postings::default();
        let k = Key { find: 1, check: 1 };
        for at in 0..i64::from(MOST_PER_KEY) + 10 {
            p.add(k, Posting { collection: 1, at });
        }
        assert_eq!(p.get(k).count() as u32, MOST_PER_KEY);
    }
}
