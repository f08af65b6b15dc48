//! Observable values: what an analyst asks about ("have we seen this IP, domain, URL, hash,
//! e-mail address?") and where objects hold them. [`of_object`] finds the values an object
//! holds — an SCO's own value, the SCOs embedded in `observed-data`, and the comparisons of
//! a STIX indicator pattern that name one value (`=`, `IN`, `ISSUBSET`), including the
//! `network-traffic:dst_ref.value` and `email-message:to_refs[*].value` paths producers
//! such as MISP write — and [`classify`] reads a value typed by a person. Both normalise the
//! same way, so a value is found whatever the spelling it was stored or asked with:
//! domains in lower case and IDNA (punycode) form, IPv6 in RFC 5952 form, CIDR ranges with
//! their host bits cleared, URLs per the WHATWG URL standard, hex hashes in lower case, and
//! defanged writing (`hxxp`, `[.]`) undone.
//!
//! ```
//! use stix::observable::{classify, Kind};
//! let ip = classify("2001:DB8:0:0::1").unwrap();
//! assert_eq!((ip.kind, ip.value.as_str()), (Kind::Ip, "2001:db8::1"));
//! assert_eq!(classify("hxxps://Evil[.]EXAMPLE/x").unwrap().value, "https://evil.example/x");
//! assert_eq!(classify("10.1.2.3/8").unwrap().value, "10.0.0.0/8");
//! ```

mod extract;
mod normalise;
mod packed;
#[cfg(test)]
mod tests;

pub(crate) use extract::{from_properties, pattern_values, refs_from_properties, stix_pattern};
pub use extract::{of_object, of_pattern, refs_of};
pub use normalise::{classify, normalise, range, refang};
pub use packed::{Holdings, Unpacked};

/// The kinds of value the node indexes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// IPv4 or IPv6 address, or a CIDR range of either.
    Ip,
    Domain,
    Url,
    Email,
    /// A file, artifact or certificate hash (hex in lower case; SSDEEP and other non-hex
    /// forms as written).
    Hash,
    Mac,
    /// An autonomous system number, in decimal.
    Asn,
}

impl Kind {
    pub const ALL: [Kind; 7] = [
        Kind::Ip,
        Kind::Domain,
        Kind::Url,
        Kind::Email,
        Kind::Hash,
        Kind::Mac,
        Kind::Asn,
    ];

    /// The kind's name in answers and as a query prefix (`domain:example.org`).
    pub fn name(self) -> &'static str {
        match self {
            Kind::Ip => "ip",
            Kind::Domain => "domain",
            Kind::Url => "url",
            Kind::Email => "email",
            Kind::Hash => "hash",
            Kind::Mac => "mac",
            Kind::Asn => "asn",
        }
    }

    pub fn from_name(name: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.name() == name)
    }

    /// The stored code (never reused for another kind).
    pub fn code(self) -> u8 {
        match self {
            Kind::Ip => 1,
            Kind::Domain => 2,
            Kind::Url => 3,
            Kind::Email => 4,
            Kind::Hash => 5,
            Kind::Mac => 6,
            Kind::Asn => 7,
        }
    }

    pub fn from_code(code: u8) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.code() == code)
    }
}

/// One normalised value.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Observable {
    pub kind: Kind,
    pub value: String,
}

impl Observable {
    /// For an IP value: the address as an IPv6 number (IPv4 mapped into `::ffff:0:0/96`)
    /// and the prefix length in that space (128 for a single address).
    pub fn network(&self) -> Option<(u128, u8)> {
        if self.kind != Kind::Ip {
            return None;
        }
        normalise::network(&self.value)
    }

    /// For a domain: the domains it lies under (`a.b.example.org` gives `b.example.org`
    /// and `example.org`; a top-level label alone is never one).
    pub fn parent_domains(&self) -> impl Iterator<Item = &str> {
        let v = if self.kind == Kind::Domain {
            self.value.as_str()
        } else {
            ""
        };
        v.match_indices('.')
            .map(move |(i, _)| &v[i + 1..])
            .filter(|rest| rest.contains('.'))
    }
}

impl std::fmt::Display for Observable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.kind.name(), self.value)
    }
}

/// A reference from one object to another (`*_ref`, `*_refs` at the top level and inside
/// extensions), markings left out: what "objects that reference it" and sightings of an
/// indicator are found by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    /// The property that holds it (`sighting_of_ref`, `object_refs`, ...).
    pub property: String,
    pub target: String,
}
