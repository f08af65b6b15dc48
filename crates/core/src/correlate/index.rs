//! The correlation index in memory: which stored versions hold a value, reach it by a
//! related value (a range holding an address, a domain under another, a URL on a host, an
//! address at a domain), or reference an object. Built from the store's `observables` and
//! `refs` tables and kept up with them by `date_added` (another process's writes included);
//! a version deleted since is found gone when its hit is decided.
//!
//! It answers only "which versions might": every candidate is decided for the asker by
//! the core's reader before it becomes a hit, so nothing here is ever shown as it is.

use super::cards::{Cards, Facts};
use super::postings::{Chain, Hasher, Key, Postings};
use std::collections::BTreeSet;
use stix::observable::{Kind, Observable};

/// How a stored value relates to the value asked about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Match {
    /// The same value.
    Exact,
    /// A stored range holds the address or range asked about.
    CidrContains,
    /// A stored address or range lies within the range asked about.
    CidrWithin,
    /// A stored domain lies under the domain asked about.
    Subdomain,
    /// The domain asked about lies under a stored domain.
    ParentDomain,
    /// A stored URL is on the host asked about (or a host under it).
    UrlHost,
    /// A stored domain is the host of the URL asked about.
    HostOfUrl,
    /// A stored e-mail address is at the domain asked about.
    EmailDomain,
}

impl Match {
    pub fn name(self) -> &'static str {
        match self {
            Match::Exact => "exact",
            Match::CidrContains => "cidr-contains",
            Match::CidrWithin => "cidr-within",
            Match::Subdomain => "subdomain",
            Match::ParentDomain => "parent-domain",
            Match::UrlHost => "url-host",
            Match::HostOfUrl => "host-of-url",
            Match::EmailDomain => "email-domain",
        }
    }
}

/// What the map is keyed by.
#[derive(Hash, Clone, Copy)]
enum Slot<'a> {
    Value(Kind, &'a str),
    /// An address or range, as (high, low, prefix length) in the IPv6-mapped space.
    Net(u64, u64, u8),
    SubdomainOf(&'a str),
    UrlHost(&'a str),
    EmailDomain(&'a str),
    Reference(&'a str),
}

fn split(n: u128) -> (u64, u64) {
    ((n >> 64) as u64, n as u64)
}

fn join(hi: u64, lo: u64) -> u128 {
    (u128::from(hi) << 64) | u128::from(lo)
}

/// Renders a network of the mapped space as the node writes IP values.
pub fn net_text(addr: u128, len: u8) -> String {
    let mapped = addr >> 32 == 0xffff && len >= 96;
    let base = if mapped {
        std::net::Ipv4Addr::from(addr as u32).to_string()
    } else {
        std::net::Ipv6Addr::from(addr).to_string()
    };
    match (mapped, len) {
        (true, 128) | (false, 128) => base,
        (true, l) => format!("{base}/{}", l - 96),
        (false, l) => format!("{base}/{l}"),
    }
}

/// One thing to look up for an asked value: how its postings relate, what stored value
/// they hold when that is known, and the key.
pub struct Probe {
    pub how: Match,
    pub stored: Option<String>,
    key: Key,
    /// Its postings, when `resolve` found them with others'.
    chain: Option<Chain>,
}

#[derive(Default)]
pub struct Index {
    hasher: Hasher,
    values: Postings,
    refs: Postings,
    /// Every stored address and range (high, low, prefix length), for range queries.
    nets: BTreeSet<(u64, u64, u8)>,
    /// Networks added and not yet settled into `nets`.
    new_nets: Vec<(u64, u64, u8)>,
    /// The prefix lengths (mapped space, 0-128) of the stored ranges, longest first: the
    /// only ones a range holding an address can have.
    lengths: Vec<u8>,
    /// The versions postings point at.
    cards: Cards,
    /// The last `date_added` read from the store's holdings.
    pub(super) seen: Option<i64>,
    /// The position reached in the store's log of deletions.
    pub(super) seen_removed: i64,
}

/// Sizes, for operators and the benchmark.
#[derive(Debug, Clone, Copy, Default, serde::Serialize)]
pub struct IndexSize {
    /// Versions that hold a value or a reference.
    pub versions: usize,
    /// Postings of values (a value and what relates to it: domains above a domain, ...).
    pub values: usize,
    pub distinct_keys: usize,
    pub references: usize,
    pub networks: usize,
    pub heap_bytes: usize,
}

impl Index {
    fn key(&self, slot: Slot) -> Key {
        self.hasher.key(slot)
    }

    /// Keeps the card of a version (versions arrive in `date_added` order); its number.
    pub fn add_version(&mut self, h: &store::Holding) -> u32 {
        self.cards.push(h)
    }

    /// A version the store deleted.
    pub fn remove_version(&mut self, at: i64) {
        self.cards.kill(at);
    }

    /// The facts of card `n`, unless its version is gone.
    pub fn card(&self, n: u32) -> Option<Facts<'_>> {
        self.cards.facts(n)
    }

    /// Folds recent additions into the sorted keys (see `Postings::settle`).
    pub fn settle(&mut self, force: bool) {
        self.values.settle(force);
        self.refs.settle(force);
        self.settle_nets();
    }

    /// While catching up: merges what waits when it is much (see `Postings::merge_if_many`).
    pub fn merge_if_many(&mut self) {
        self.values.merge_if_many();
        self.refs.merge_if_many();
        if self.new_nets.len() > (1 << 16).max(self.nets.len() / 4) {
            self.settle_nets();
        }
    }

    /// Adds the waiting networks: one by one when few, else the set rebuilt from sorted
    /// keys at once (a B-tree built in bulk, not by a search per insertion).
    fn settle_nets(&mut self) {
        if self.new_nets.is_empty() {
            return;
        }
        let mut new = std::mem::take(&mut self.new_nets);
        new.sort_unstable();
        new.dedup();
        for &(_, _, len) in &new {
            if !self.lengths.contains(&len) {
                self.lengths.push(len);
                self.lengths.sort_unstable_by(|a, b| b.cmp(a));
            }
        }
        if new.len() < 4096.max(self.nets.len() / 16) {
            self.nets.extend(new);
        } else {
            let held = std::mem::take(&mut self.nets);
            self.nets = held.into_iter().chain(new).collect();
        }
    }

    /// Records that the version of card `p` holds `o`.
    pub fn add_value(&mut self, o: &Observable, p: u32) {
        if let Some((addr, len)) = o.network() {
            let (hi, lo) = split(addr);
            let key = self.key(Slot::Net(hi, lo, len));
            self.values.add(key, p);
            self.new_nets.push((hi, lo, len));
            return;
        }
        let key = self.key(Slot::Value(o.kind, &o.value));
        self.values.add(key, p);
        match o.kind {
            Kind::Domain => {
                for parent in o.parent_domains() {
                    let key = self.key(Slot::SubdomainOf(parent));
                    self.values.add(key, p);
                }
            }
            Kind::Url => {
                // A URL is on its host and on every domain above it.
                if let Some(host) = host_of(&o.value) {
                    let host = Observable {
                        kind: Kind::Domain,
                        value: host,
                    };
                    for h in std::iter::once(host.value.as_str()).chain(host.parent_domains()) {
                        let key = self.key(Slot::UrlHost(h));
                        self.values.add(key, p);
                    }
                }
            }
            Kind::Email => {
                if let Some((_, domain)) = o.value.rsplit_once('@') {
                    let key = self.key(Slot::EmailDomain(domain));
                    self.values.add(key, p);
                }
            }
            _ => {}
        }
    }

    /// Records that the version of card `p` references `target`.
    pub fn add_reference(&mut self, target: &str, p: u32) {
        let key = self.key(Slot::Reference(target));
        self.refs.add(key, p);
    }

    /// The cards of the versions that reference `target`, newest first.
    pub fn referencing(&self, target: &str) -> impl Iterator<Item = u32> + '_ {
        self.refs.get(self.key(Slot::Reference(target)))
    }

    fn probe(&self, how: Match, stored: Option<String>, slot: Slot) -> Probe {
        Probe {
            how,
            stored,
            key: self.key(slot),
            chain: None,
        }
    }

    /// The cards of one probe, newest first.
    pub fn postings(&self, probe: &Probe) -> impl Iterator<Item = u32> + '_ {
        let chain = probe.chain.unwrap_or_else(|| self.values.head(probe.key));
        self.values.chain(chain)
    }

    /// Finds the postings of many probes at once, and reads ahead the card of the newest
    /// posting of each (see `Postings::firsts`): a batch of lookups waits for memory once
    /// per step instead of once per probe and step.
    pub fn resolve(&self, probes: &mut [Probe]) {
        let keys: Vec<Key> = probes.iter().map(|p| p.key).collect();
        let chains = self.values.firsts(&keys, |card| self.cards.touch(card));
        for (p, c) in probes.iter_mut().zip(chains) {
            p.chain = Some(c);
        }
    }

    /// What to look up for `o`, most direct first: the value itself, then the related
    /// values (ranges holding an address and addresses within a range, domains under and
    /// above a domain, URLs on a host, addresses at a domain). Ranges within a range are
    /// produced lazily: a wide range may hold many.
    pub fn probes<'a>(&'a self, o: &'a Observable) -> Box<dyn Iterator<Item = Probe> + 'a> {
        if let Some((addr, len)) = o.network() {
            let (hi, lo) = split(addr);
            let exact = std::iter::once(self.probe(Match::Exact, None, Slot::Net(hi, lo, len)));
            let containing = self
                .lengths
                .iter()
                .copied()
                .filter(move |l| *l < len)
                .filter_map(move |l| {
                    let masked = if l == 0 {
                        0
                    } else {
                        addr & (u128::MAX << (128 - l))
                    };
                    let (h, w) = split(masked);
                    if !self.nets.contains(&(h, w, l)) {
                        return None;
                    }
                    Some(self.probe(
                        Match::CidrContains,
                        Some(net_text(masked, l)),
                        Slot::Net(h, w, l),
                    ))
                });
            let (first, last) = stix::observable::range((addr, len));
            let (fh, fl) = split(first);
            let (lh, ll) = split(last);
            // A single address holds no other.
            let within = (len < 128)
                .then(|| self.nets.range((fh, fl, 0)..=(lh, ll, 128)))
                .into_iter()
                .flatten()
                .filter(move |(_, _, l)| *l > len)
                .map(move |&(h, w, l)| {
                    self.probe(
                        Match::CidrWithin,
                        Some(net_text(join(h, w), l)),
                        Slot::Net(h, w, l),
                    )
                });
            return Box::new(exact.chain(containing).chain(within));
        }
        let exact = std::iter::once(self.probe(Match::Exact, None, Slot::Value(o.kind, &o.value)));
        let related: Vec<Probe> = match o.kind {
            Kind::Domain => {
                let mut v = vec![
                    self.probe(Match::Subdomain, None, Slot::SubdomainOf(&o.value)),
                    self.probe(Match::UrlHost, None, Slot::UrlHost(&o.value)),
                    self.probe(Match::EmailDomain, None, Slot::EmailDomain(&o.value)),
                ];
                v.extend(o.parent_domains().map(|p| {
                    self.probe(
                        Match::ParentDomain,
                        Some(p.to_owned()),
                        Slot::Value(Kind::Domain, p),
                    )
                }));
                v
            }
            Kind::Url => host_of(&o.value)
                .map(|host| {
                    self.probe(
                        Match::HostOfUrl,
                        Some(host.clone()),
                        Slot::Value(Kind::Domain, &host),
                    )
                })
                .into_iter()
                .collect(),
            _ => Vec::new(),
        };
        Box::new(exact.chain(related))
    }

    pub fn size(&self) -> IndexSize {
        IndexSize {
            versions: self.cards.len(),
            values: self.values.len(),
            distinct_keys: self.values.keys(),
            references: self.refs.len(),
            networks: self.nets.len(),
            // A B-tree node holds up to 11 entries of 24 bytes and a few pointers.
            heap_bytes: self.values.heap_bytes()
                + self.refs.heap_bytes()
                + self.cards.heap_bytes()
                + self.nets.len() * 24 * 3 / 2
                + self.new_nets.capacity() * 24,
        }
    }
}

/// The host of a normalised URL, when it is a domain name.
fn host_of(url: &str) -> Option<String> {
    let parsed = url::Url::parse(url).ok()?;
    match parsed.host()? {
        url::Host::Domain(d) => Some(d.to_owned()),
        _ => None,
    }
}
