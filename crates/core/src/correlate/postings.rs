//! Keys to the versions (cards) that hold them, in memory: the keys are a sorted array (16
//! bytes a key, no hash table slack) with a small hash map of keys added since the array was
//! last merged; a key held by one version keeps that card in its entry, a key held by more
//! has a chain in one arena, newest first.
//!
//! Sized for tens of millions of values: a value held once costs one 16-byte key. A key is
//! a keyed 128-bit hash (SipHash-1-3 under keys drawn at random per process), so no writer
//! can choose values that collide: 64 bits find it, 32 more tell apart the values whose
//! 64-bit hashes collide. The hashes are uniform, so a directory of the top bits finds a
//! key's run of about five entries.
//!
//! A lookup is mostly waiting for memory (the array is far larger than the caches), so
//! `firsts` looks up many keys in steps, each step reading for every key before the next
//! step needs what was read: the reads of different keys overlap instead of queueing.

use siphasher::sip128::{Hasher128, SipHasher13};
use std::collections::HashMap;
use std::hash::{BuildHasher, Hash, RandomState};

/// The keyed hash of a key: 64 bits to find it, 32 more to be sure.
#[derive(Clone)]
pub struct Hasher {
    keys: (u64, u64),
}

impl Default for Hasher {
    fn default() -> Self {
        // The standard library draws its SipHash keys from the operating system: two of
        // its hashes are as unpredictable as those keys.
        let random = RandomState::new();
        Hasher {
            keys: (random.hash_one(0x5eed_u64), random.hash_one(0xcafe_u64)),
        }
    }
}

/// A key as the map holds it.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub struct Key {
    find: u64,
    check: u32,
}

impl Hasher {
    pub fn key(&self, key: impl Hash) -> Key {
        let mut h = SipHasher13::new_with_keys(self.keys.0, self.keys.1);
        key.hash(&mut h);
        let wide = h.finish128();
        Key {
            find: wide.h1,
            check: wide.h2 as u32,
        }
    }
}

/// A key of the sorted array and what it holds: see `Slot`.
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

/// What a key's slot holds: `NONE`; `ONE | card`, the only card that holds it; or the
/// arena index of its newest posting (below `ONE`).
const NONE: u32 = u32::MAX;
const ONE: u32 = 1 << 31;

/// Adds `card` to the chain whose head is `slot`. An arena of 2^31 postings (16 GiB) is
/// beyond any node: past it postings are not kept rather than corrupting others.
fn push(arena: &mut Vec<Node>, slot: &mut u32, card: u32) -> bool {
    if *slot == NONE && card < ONE - 1 {
        *slot = ONE | card;
        return true;
    }
    if arena.len() + 2 >= ONE as usize {
        return false;
    }
    let mut next = *slot;
    if next != NONE && next & ONE != 0 {
        arena.push(Node {
            card: next & !ONE,
            next: NONE,
        });
        next = arena.len() as u32 - 1;
    }
    arena.push(Node { card, next });
    *slot = arena.len() as u32 - 1;
    true
}

/// Keys looked up together by `firsts`: enough to keep the memory busy, few enough that
/// what one step read is still in the cache at the next.
const GROUP: usize = 16;

/// The head of one key's chain, as `firsts` found it.
#[derive(Clone, Copy, Debug)]
pub struct Chain(u32);

#[derive(Default)]
pub struct Postings {
    sorted: Vec<Entry>,
    /// Where each run of `sorted` sharing the top `bits` bits of `find` starts (and one
    /// past the end): a search looks at one run of about five keys (a cache line or two).
    directory: Vec<u32>,
    bits: u32,
    recent: HashMap<Key, u32>,
    /// Additions not yet settled, in the order they came.
    pending: Vec<(Key, u32)>,
    arena: Vec<Node>,
    /// Postings held (single ones live in their entries, not the arena).
    count: usize,
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
        let (lo, hi) = self.run(key);
        self.find_in(key, lo, hi)
    }

    /// The bounds of the run of `sorted` that holds `key` if anything does.
    fn run(&self, key: Key) -> (usize, usize) {
        let run = if self.bits == 0 {
            0
        } else {
            (key.find >> (64 - self.bits)) as usize
        };
        (
            self.directory[run] as usize,
            self.directory[run + 1] as usize,
        )
    }

    fn find_in(&self, key: Key, lo: usize, hi: usize) -> Result<usize, usize> {
        self.sorted[lo..hi]
            .binary_search_by(|e| e.key.cmp(&key))
            .map(|i| lo + i)
            .map_err(|i| lo + i)
    }

    /// The head of the chain of each of `keys` (as `Chain`s for `chain`), looked up in
    /// groups: first every key's run bounds, then the lines of every run, then the
    /// searches, then the newest posting of every chain, so that each step's reads are
    /// under way together. `touch` is given each newest card, to read ahead what the
    /// caller reads next.
    pub fn firsts(&self, keys: &[Key], mut touch: impl FnMut(u32)) -> Vec<Chain> {
        debug_assert!(
            self.pending.is_empty(),
            "postings read before they were settled"
        );
        let mut out = Vec::with_capacity(keys.len());
        if self.sorted.is_empty() {
            out.extend(keys.iter().map(|k| Chain(self.first(*k))));
            return out;
        }
        for group in keys.chunks(GROUP) {
            let mut runs = [(0usize, 0usize); GROUP];
            for (r, k) in runs.iter_mut().zip(group) {
                *r = self.run(*k);
            }
            for &(lo, hi) in &runs[..group.len()] {
                if lo < hi {
                    std::hint::black_box(self.sorted[lo].first);
                    std::hint::black_box(self.sorted[hi - 1].first);
                }
            }
            let start = out.len();
            for (k, &(lo, hi)) in group.iter().zip(&runs) {
                out.push(Chain(match self.find_in(*k, lo, hi) {
                    Ok(i) => self.sorted[i].first,
                    Err(_) => self.recent.get(k).copied().unwrap_or(NONE),
                }));
            }
            for c in &out[start..] {
                if let Some(card) = self.newest(*c) {
                    touch(card);
                }
            }
        }
        out
    }

    /// The head of the chain of `key`.
    pub fn head(&self, key: Key) -> Chain {
        Chain(self.first(key))
    }

    /// The newest card of a chain.
    fn newest(&self, c: Chain) -> Option<u32> {
        match c.0 {
            NONE => None,
            n if n & ONE != 0 => Some(n & !ONE),
            n => self.arena.get(n as usize).map(|node| node.card),
        }
    }

    /// The cards of a chain `firsts` found, newest first.
    pub fn chain(&self, c: Chain) -> impl Iterator<Item = u32> + '_ {
        let mut next = c.0;
        std::iter::from_fn(move || match next {
            NONE => None,
            n if n & ONE != 0 => {
                next = NONE;
                Some(n & !ONE)
            }
            n => {
                let node = self.arena.get(n as usize)?;
                next = node.next;
                Some(node.card)
            }
        })
    }

    /// Rebuilds the directory of `sorted` (after a merge).
    fn index_runs(&mut self) {
        let n = self.sorted.len();
        self.bits = (usize::BITS - (n / 4).max(1).leading_zeros() - 1).min(32);
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
            let slot = match self.find(key) {
                Ok(i) => &mut self.sorted[i].first,
                Err(_) => self.recent.entry(key).or_insert(NONE),
            };
            self.count += usize::from(push(&mut self.arena, slot, card));
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
                self.count += usize::from(push(&mut self.arena, &mut first, card));
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
        self.chain(Chain(self.first(key)))
    }

    /// Distinct keys held.
    pub fn keys(&self) -> usize {
        self.sorted.len() + self.recent.len()
    }

    /// Postings held.
    pub fn len(&self) -> usize {
        self.count
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
        // Found many at once (keys held and not, in groups of every fill): the same chains,
        // and each newest card handed to `touch` once, in order.
        let asked: Vec<u32> = (0..1000).chain(89_990..90_050).chain([7, 7, 3]).collect();
        let keys: Vec<Key> = asked.iter().map(|k| h.key(*k)).collect();
        let mut touched: Vec<u32> = Vec::new();
        let chains = p.firsts(&keys, |card| touched.push(card));
        assert_eq!(chains.len(), asked.len());
        let mut newest: Vec<u32> = Vec::new();
        for (k, c) in asked.iter().zip(chains) {
            let want: Vec<u32> = model
                .get(k)
                .map_or(Vec::new(), |cards| cards.iter().rev().copied().collect());
            assert_eq!(p.chain(c).collect::<Vec<_>>(), want, "key {k}");
            newest.extend(want.first().copied());
        }
        assert_eq!(touched, newest);
    }

    #[test]
    fn a_key_held_once_keeps_its_card_until_a_second_arrives() {
        let h = Hasher::default();
        let mut p = Postings::default();
        let (a, b) = (h.key("a"), h.key("b"));
        p.add(a, 5);
        p.add(b, 6);
        p.settle(true);
        assert_eq!(p.arena.len(), 0, "single postings live in their entries");
        p.add(a, 8);
        p.settle(false);
        assert_eq!(p.get(a).collect::<Vec<_>>(), [8, 5]);
        assert_eq!(p.get(b).collect::<Vec<_>>(), [6]);
        assert_eq!((p.len(), p.arena.len()), (3, 2));
        // The largest card that fits an entry, and the first that does not.
        let mut q = Postings::default();
        q.add(a, ONE - 2);
        q.add(b, ONE - 1);
        q.settle(true);
        assert_eq!(q.get(a).collect::<Vec<_>>(), [ONE - 2]);
        assert_eq!(q.get(b).collect::<Vec<_>>(), [ONE - 1]);
    }
}
