//! Keys to the versions (cards) that hold them, in memory: each key's postings are a chain
//! in one arena, newest first, and the keys are a sorted array (16 bytes a key, no hash
//! table slack) with a small hash map of keys added since the array was last merged.
//!
//! Sized for tens of millions of values: a value held once costs one 16-byte key and one
//! 8-byte posting. A key is a keyed 64-bit hash (SipHash-1-3 under keys drawn at random per
//! process: the standard library's `RandomState`), so no writer can choose values that
//! collide; a second, independent 32-bit hash tells apart the values whose 64-bit hashes
//! collide. The hashes are uniform, so a key is found in the array by interpolation.

use std::collections::HashMap;
use std::hash::{BuildHasher, Hash, RandomState};

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
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
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

/// A key of the sorted array and the first (newest) posting of its chain.
#[derive(Clone, Copy)]
struct Entry {
    key: Key,
    first: u32,
}

#[derive(Clone, Copy)]
struct Node {
    card: u32,
    /// The next (older) posting of the same key; `NONE`: none.
    next: u32,
}

const NONE: u32 = u32::MAX;

#[derive(Default)]
pub struct Postings {
    sorted: Vec<Entry>,
    /// Where each run of `sorted` sharing the top `bits` bits of `find` starts (and one
    /// past the end): a search looks at one run of about eight keys.
    directory: Vec<u32>,
    bits: u32,
    recent: HashMap<Key, u32>,
    /// Additions not yet settled, in the order they came.
    pending: Vec<(Key, u32)>,
    arena: Vec<Node>,
}

/// Two arrays sorted by key, as one.
fn merge_by_key(a: Vec<Entry>, b: Vec<Entry>) -> impl ExactSizeIterator<Item = Entry> {
    struct Merge<A: Iterator<Item = Entry>, B: Iterator<Item = Entry>> {
        a: std::iter::Peekable<A>,
        b: std::iter::Peekable<B>,
        left: usize,
    }
    impl<A: Iterator<Item = Entry>, B: Iterator<Item = Entry>> Iterator for Merge<A, B> {
        type Item = Entry;
        fn next(&mut self) -> Option<Entry> {
            let take_a = match (self.a.peek(), self.b.peek()) {
                (Some(x), Some(y)) => x.key <= y.key,
                (Some(_), None) => true,
                (None, _) => false,
            };
            let e = if take_a { self.a.next() } else { self.b.next() }?;
            self.left -= 1;
            Some(e)
        }
        fn size_hint(&self) -> (usize, Option<usize>) {
            (self.left, Some(self.left))
        }
    }
    impl<A: Iterator<Item = Entry>, B: Iterator<Item = Entry>> ExactSizeIterator for Merge<A, B> {}
    Merge {
        left: a.len() + b.len(),
        a: a.into_iter().peekable(),
        b: b.into_iter().peekable(),
    }
}

impl Postings {
    /// The place of `key` in the sorted array: its run by the directory (the hashes are
    /// uniform, so runs are short), then bisection within the run.
    fn find(&self, key: Key) -> Result<usize, usize> {
        if self.sorted.is_empty() {
            return Err(0);
        }
        let run = if self.bits == 0 {
            0
        } else {
            (key.find >> (64 - self.bits)) as usize
        };
        let (lo, hi) = (
            self.directory[run] as usize,
            self.directory[run + 1] as usize,
        );
        self.sorted[lo..hi]
            .binary_search_by(|e| e.key.cmp(&key))
            .map(|i| lo + i)
            .map_err(|i| lo + i)
    }

    /// Rebuilds the directory of `sorted` (after a merge).
    fn index_runs(&mut self) {
        let n = self.sorted.len();
        self.bits = (usize::BITS - (n / 8).max(1).leading_zeros() - 1).min(32);
        let runs = 1usize << self.bits;
        self.directory = Vec::with_capacity(runs + 1);
        let mut i = 0;
        for run in 0..runs {
            self.directory.push(i as u32);
            while i < n
                && (self.bits > 0 && (self.sorted[i].key.find >> (64 - self.bits)) as usize == run)
            {
                i += 1;
            }
        }
        self.directory.push(n as u32);
    }

    fn first(&self, key: Key) -> u32 {
        match self.find(key) {
            Ok(i) => self.sorted[i].first,
            Err(_) => self.recent.get(&key).copied().unwrap_or(NONE),
        }
    }

    /// Records that the version of `card` holds `key` (cards arrive oldest first). Not
    /// seen by `get` until `settle`: additions wait in a list, so a large catch-up costs
    /// one sort and one merge instead of a search per posting.
    pub fn add(&mut self, key: Key, card: u32) {
        self.pending.push((key, card));
    }

    /// Makes the additions visible. Many (against the keys held) are sorted and merged
    /// into the sorted array in one pass, which costs about a tenth of a search per key
    /// held; a few go to their key's chain one by one, new keys into the small map (merged
    /// in its turn when it holds an eighth of the array). `force` merges whatever waits.
    pub fn settle(&mut self, force: bool) {
        let (pending, waiting) = (self.pending.len(), self.pending.len() + self.recent.len());
        if waiting == 0 {
            return;
        }
        if force
            || pending > 4096.max(self.sorted.len() / 16)
            || waiting > (1 << 16).max(self.sorted.len() / 8)
        {
            self.merge();
            return;
        }
        for (key, card) in std::mem::take(&mut self.pending) {
            let index = self.arena.len() as u32;
            if index == NONE {
                return;
            }
            let slot = match self.find(key) {
                Ok(i) => &mut self.sorted[i].first,
                Err(_) => self.recent.entry(key).or_insert(NONE),
            };
            self.arena.push(Node { card, next: *slot });
            *slot = index;
        }
    }

    /// While catching up (nobody reads): merges when a quarter of the array waits, so
    /// the copies stay linear in what is added.
    pub fn merge_if_many(&mut self) {
        if self.pending.len() + self.recent.len() > (1 << 16).max(self.sorted.len() / 4) {
            self.merge();
        }
    }

    /// Folds the small map and the waiting additions into the sorted array.
    fn merge(&mut self) {
        let mut fresh: Vec<Entry> = self
            .recent
            .drain()
            .map(|(key, first)| Entry { key, first })
            .collect();
        fresh.sort_unstable_by_key(|e| e.key);
        // Stable: a key's additions stay oldest first, so its chain ends newest first.
        let mut pending = std::mem::take(&mut self.pending);
        pending.sort_by_key(|p| p.0);
        let old = std::mem::take(&mut self.sorted);
        // `sorted` and `recent` never share a key; the additions may share one with either.
        let mut held = merge_by_key(old, fresh).peekable();
        let mut merged = Vec::with_capacity(held.len() + pending.len());
        let mut i = 0;
        while i < pending.len() {
            let key = pending[i].0;
            while let Some(e) = held.next_if(|e| e.key < key) {
                merged.push(e);
            }
            let mut first = held.next_if(|e| e.key == key).map_or(NONE, |e| e.first);
            while let Some(&(k, card)) = pending.get(i) {
                if k != key {
                    break;
                }
                let index = self.arena.len() as u32;
                if index != NONE {
                    self.arena.push(Node { card, next: first });
                    first = index;
                }
                i += 1;
            }
            merged.push(Entry { key, first });
        }
        merged.extend(held);
        self.sorted = merged;
        self.index_runs();
        self.recent.shrink_to_fit();
    }

    /// The cards of the versions that hold `key`, newest first.
    pub fn get(&self, key: Key) -> impl Iterator<Item = u32> + '_ {
        debug_assert!(
            self.pending.is_empty(),
            "postings read before they were settled"
        );
        let mut next = self.first(key);
        std::iter::from_fn(move || {
            let n = self.arena.get(next as usize)?;
            next = n.next;
            Some(n.card)
        })
    }

    /// Distinct keys held.
    pub fn keys(&self) -> usize {
        self.sorted.len() + self.recent.len()
    }

    /// Postings held.
    pub fn len(&self) -> usize {
        self.arena.len()
    }

    /// Bytes the structure holds on the heap (capacity, not length: what the process pays).
    pub fn heap_bytes(&self) -> usize {
        self.sorted.capacity() * std::mem::size_of::<Entry>()
            + self.directory.capacity() * 4
            + self.recent.capacity() * (std::mem::size_of::<(Key, u32)>() + 1) * 8 / 7
            + self.arena.capacity() * std::mem::size_of::<Node>()
            + self.pending.capacity() * std::mem::size_of::<(Key, u32)>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postings_come_back_newest_first_per_key_before_and_after_merging() {
        let h = Hasher::default();
        let mut p = Postings::default();
        let (a, b) = (h.key(("ip", "1.2.3.4")), h.key(("ip", "5.6.7.8")));
        for card in 1..=3 {
            p.add(a, card);
        }
        p.add(b, 9);
        p.settle(false);
        assert_eq!(p.get(a).collect::<Vec<_>>(), [3, 2, 1]);
        p.settle(true);
        p.add(a, 4);
        p.settle(false);
        assert_eq!(p.get(a).collect::<Vec<_>>(), [4, 3, 2, 1]);
        assert_eq!(p.get(b).collect::<Vec<_>>(), [9]);
        assert_eq!(p.get(h.key(("ip", "9.9.9.9"))).count(), 0);
        assert_eq!((p.keys(), p.len()), (2, 5));
    }

    #[test]
    fn keys_whose_find_hashes_collide_stay_apart() {
        let mut p = Postings::default();
        let a = Key { find: 7, check: 1 };
        let b = Key { find: 7, check: 2 };
        p.add(a, 1);
        p.settle(true);
        p.add(b, 2);
        p.add(a, 3);
        p.settle(false);
        assert_eq!(p.get(a).collect::<Vec<_>>(), [3, 1]);
        assert_eq!(p.get(b).collect::<Vec<_>>(), [2]);
        assert_eq!(p.keys(), 2);
    }

    #[test]
    fn every_key_is_found_in_a_large_array_with_gaps() {
        let h = Hasher::default();
        let mut p = Postings::default();
        for i in 0..200_000u32 {
            p.add(h.key(i), i);
            if i % 50_000 == 0 {
                p.settle(true);
            }
        }
        p.settle(true);
        for i in (0..200_000u32).step_by(7) {
            assert_eq!(p.get(h.key(i)).collect::<Vec<_>>(), [i]);
        }
        for i in 200_000..210_000u32 {
            assert_eq!(p.get(h.key(i)).count(), 0);
        }
        // The extremes of the key space are found too.
        let mut q = Postings::default();
        for (n, find) in [0u64, 1, u64::MAX - 1, u64::MAX].into_iter().enumerate() {
            q.add(Key { find, check: 0 }, n as u32);
        }
        q.settle(true);
        for (n, find) in [0u64, 1, u64::MAX - 1, u64::MAX].into_iter().enumerate() {
            assert_eq!(
                q.get(Key { find, check: 0 }).collect::<Vec<_>>(),
                [n as u32]
            );
        }
    }

    #[test]
    fn settling_in_any_rhythm_agrees_with_a_plain_map() {
        // Keys shared between the sorted array, the small map and the waiting list, settled
        // by every path (one by one, merged when many, forced), checked against a model.
        let h = Hasher::default();
        let mut p = Postings::default();
        let mut model: HashMap<u32, Vec<u32>> = HashMap::new();
        let mut x = 0x2545_f491_u64;
        for card in 0..300_000u32 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            // A few hot keys and a long tail.
            let k = if x.is_multiple_of(5) {
                (x % 7) as u32
            } else {
                (x % 90_000) as u32
            };
            p.add(h.key(k), card);
            model.entry(k).or_default().push(card);
            match card % 9973 {
                0 => p.settle(false),
                1 => p.merge_if_many(),
                2 if card.is_multiple_of(3) => p.settle(true),
                _ => {}
            }
            if card % 50_000 == 3 {
                p.settle(false);
                for (k, cards) in model.iter().take(500) {
                    let want: Vec<u32> = cards.iter().rev().copied().collect();
                    assert_eq!(p.get(h.key(*k)).collect::<Vec<_>>(), want);
                }
            }
        }
        p.settle(false);
        for (k, cards) in &model {
            let want: Vec<u32> = cards.iter().rev().copied().collect();
            assert_eq!(p.get(h.key(*k)).collect::<Vec<_>>(), want, "key {k}");
        }
        assert_eq!((p.keys(), p.len()), (model.len(), 300_000));
    }
}
