//! What the index knows of each stored version that holds a value or a reference: a card
//! of fixed size with the facts a decision needs (type, markings, origin, whether parts are
//! marked) and those an answer names (id, version, collection), so that most hits are
//! decided without reading the store. The facts of a version never change once stored;
//! a deleted version's card is marked dead (the store's log of deletions).

use std::collections::HashMap;
use std::sync::Arc;
use store::Holding;

/// One version, in 48 bytes.
#[derive(Clone, Copy)]
struct Card {
    at: i64,
    version_at: i64,
    uuid: [u8; 16],
    collection: u32,
    markings: u32,
    object_type: u16,
    /// 0: none (this authority's own).
    origin: u16,
    /// Fraction digits the version is written with; `ODD`: kept as text apart.
    digits: u8,
    flags: u8,
}

const GRANULAR: u8 = 1;
const DEAD: u8 = 2;
/// The id does not read back from type and UUID (upper-case hex): kept as text apart.
const ODD_ID: u8 = 4;
const ODD: u8 = u8::MAX;

/// Strings seen often, each kept once.
#[derive(Default)]
struct Interner<T: std::hash::Hash + Eq + Clone> {
    items: Vec<T>,
    index: HashMap<T, u32>,
}

impl<T: std::hash::Hash + Eq + Clone> Interner<T> {
    fn intern(&mut self, item: &T) -> u32 {
        if let Some(i) = self.index.get(item) {
            return *i;
        }
        let i = self.items.len() as u32;
        self.items.push(item.clone());
        self.index.insert(item.clone(), i);
        i
    }
}

/// A version as a decision and an answer need it.
pub struct Facts<'a> {
    pub at: i64,
    pub collection: i64,
    pub id: String,
    pub object_type: &'a str,
    pub version: String,
    pub marking_refs: &'a [String],
    pub origin: Option<&'a str>,
    /// Parts of it are marked: a decision needs its text, from the store.
    pub granular: bool,
}

#[derive(Default)]
pub struct Cards {
    cards: Vec<Card>,
    types: Interner<String>,
    origins: Interner<String>,
    markings: Interner<Arc<[String]>>,
    odd_versions: HashMap<u32, String>,
    odd_ids: HashMap<u32, String>,
}

/// `format` of STIX timestamps written with `digits` fraction digits.
fn with_digits(micros: i64, digits: u8) -> String {
    let mut full = stix::timestamp::format(micros);
    let Some(dot) = full.find('.') else {
        return full;
    };
    full.truncate(match digits {
        0 => dot,
        d => dot + 1 + usize::from(d).min(6),
    });
    full.push('Z');
    full
}

impl Cards {
    /// Keeps the card of a version (versions arrive in `date_added` order); its number.
    pub fn push(&mut self, h: &Holding) -> u32 {
        let n = self.cards.len() as u32;
        let (ty, uuid) = match stix::id::parse(&h.id) {
            Ok(p) => (p.object_type.to_owned(), p.uuid),
            Err(_) => (h.object_type.clone(), [0; 16]),
        };
        let mut flags = if h.granular { GRANULAR } else { 0 };
        let object_type = self.types.intern(&ty) as u16;
        if format!("{ty}--{}", uuid::Uuid::from_bytes(uuid)) != h.id {
            flags |= ODD_ID;
            self.odd_ids.insert(n, h.id.clone());
        }
        let digits = [3u8, 0, 6, 1, 2, 4, 5]
            .into_iter()
            .find(|d| with_digits(h.version_at, *d) == h.version)
            .unwrap_or(ODD);
        if digits == ODD {
            self.odd_versions.insert(n, h.version.clone());
        }
        let markings = if h.marking_refs.is_empty() {
            u32::MAX
        } else {
            self.markings.intern(&Arc::from(h.marking_refs.clone()))
        };
        self.cards.push(Card {
            at: h.at,
            version_at: h.version_at,
            uuid,
            collection: u32::try_from(h.collection).unwrap_or(u32::MAX),
            markings,
            object_type,
            origin: h
                .origin
                .as_ref()
                .map_or(0, |o| self.origins.intern(o) as u16 + 1),
            digits,
            flags,
        });
        n
    }

    /// Marks the card of the version at `at` dead (it was deleted).
    pub fn kill(&mut self, at: i64) {
        if let Ok(i) = self.cards.binary_search_by_key(&at, |c| c.at) {
            self.cards[i].flags |= DEAD;
        }
    }

    /// The facts of card `n`; `None` when its version is gone.
    pub fn facts(&self, n: u32) -> Option<Facts<'_>> {
        let c = self.cards.get(n as usize)?;
        if c.flags & DEAD != 0 {
            return None;
        }
        let object_type = self.types.items.get(usize::from(c.object_type))?.as_str();
        Some(Facts {
            at: c.at,
            collection: i64::from(c.collection),
            id: if c.flags & ODD_ID != 0 {
                self.odd_ids.get(&n)?.clone()
            } else {
                format!("{object_type}--{}", uuid::Uuid::from_bytes(c.uuid))
            },
            object_type,
            version: if c.digits == ODD {
                self.odd_versions.get(&n)?.clone()
            } else {
                with_digits(c.version_at, c.digits)
            },
            marking_refs: match c.markings {
                u32::MAX => &[],
                m => self
                    .markings
                    .items
                    .get(m as usize)
                    .map_or(&[][..], |a| &a[..]),
            },
            origin: match c.origin {
                0 => None,
                o => self
                    .origins
                    .items
                    .get(usize::from(o - 1))
                    .map(String::as_str),
            },
            granular: c.flags & GRANULAR != 0,
        })
    }

    /// Reads card `n` ahead of its use (see `Postings::firsts`).
    pub fn touch(&self, n: u32) {
        if let Some(c) = self.cards.get(n as usize) {
            std::hint::black_box(c.flags);
        }
    }

    pub fn len(&self) -> usize {
        self.cards.len()
    }

    pub fn heap_bytes(&self) -> usize {
        self.cards.capacity() * std::mem::size_of::<Card>()
            + self.odd_versions.len() * 64
            + self.odd_ids.len() * 96
            + self
                .markings
                .items
                .iter()
                .map(|m| m.len() * 64)
                .sum::<usize>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn holding(
        at: i64,
        id: &str,
        version: &str,
        markings: &[&str],
        origin: Option<&str>,
    ) -> Holding {
        Holding {
            at,
            collection: 3,
            holdings: Default::default(),
            id: id.into(),
            object_type: id.split("--").next().unwrap().into(),
            version: version.into(),
            version_at: stix::timestamp::parse(version, false).unwrap(),
            marking_refs: markings.iter().map(|m| m.to_string()).collect(),
            origin: origin.map(str::to_owned),
            granular: false,
        }
    }

    #[test]
    fn cards_give_back_the_facts_they_were_made_of() {
        let mut cards = Cards::default();
        let cases = [
            holding(
                10,
                "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f",
                "2024-03-01T10:00:00.000Z",
                &["marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb"],
                Some("ru-csirt"),
            ),
            holding(
                11,
                "ipv4-addr--ff26c055-6336-5bc5-b98d-13d6226742dd",
                "2026-12-06T04:49:54.853227Z",
                &[],
                None,
            ),
            holding(
                12,
                "indicator--8E2E2D2B-17D4-4CBF-938F-98EE46B3CD3F",
                "2024-03-01T10:00:00Z",
                &[],
                None,
            ),
            holding(
                13,
                "note--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f",
                "2024-03-01T10:00:00.1234567Z",
                &[],
                None,
            ),
        ];
        let ns: Vec<u32> = cases.iter().map(|h| cards.push(h)).collect();
        for (h, n) in cases.iter().zip(&ns) {
            let f = cards.facts(*n).unwrap();
            assert_eq!(
                (f.id.as_str(), f.version.as_str(), f.at, f.collection),
                (h.id.as_str(), h.version.as_str(), h.at, 3)
            );
            assert_eq!(
                (f.marking_refs, f.origin),
                (&h.marking_refs[..], h.origin.as_deref())
            );
        }
        cards.kill(11);
        assert!(cards.facts(ns[1]).is_none());
        assert!(cards.facts(ns[0]).is_some());
    }
}
