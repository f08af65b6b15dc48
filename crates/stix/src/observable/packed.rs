//! An object's values and references in one compact form: what a validated object carries
//! to the store's writer (built on the validating thread, written as it is) and what the
//! store keeps per version.
//!
//! Values: `kind code (1 byte) · length (4 bytes, little-endian) · UTF-8`, repeated;
//! references: `length · property · length · target`, repeated.

use super::{Kind, Observable, Reference};

/// Packed values and references (empty when the object holds none).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Holdings {
    pub values: Vec<u8>,
    pub refs: Vec<u8>,
}

/// Bytes that are not packed values or references.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("packed holdings do not read back")]
pub struct Unpacked;

fn put(out: &mut Vec<u8>, text: &str) {
    out.extend_from_slice(&(text.len() as u32).to_le_bytes());
    out.extend_from_slice(text.as_bytes());
}

fn take<'a>(blob: &'a [u8], at: &mut usize) -> Result<&'a str, Unpacked> {
    let len = blob
        .get(*at..*at + 4)
        .and_then(|b| <[u8; 4]>::try_from(b).ok())
        .map(u32::from_le_bytes)
        .ok_or(Unpacked)? as usize;
    let text = blob.get(*at + 4..*at + 4 + len).ok_or(Unpacked)?;
    *at += 4 + len;
    std::str::from_utf8(text).map_err(|_| Unpacked)
}

impl Holdings {
    pub fn pack(values: &[Observable], refs: &[Reference]) -> Holdings {
        let mut h = Holdings {
            values: Vec::with_capacity(values.iter().map(|v| v.value.len() + 5).sum()),
            refs: Vec::with_capacity(
                refs.iter()
                    .map(|r| r.property.len() + r.target.len() + 8)
                    .sum(),
            ),
        };
        for v in values {
            h.values.push(v.kind.code());
            put(&mut h.values, &v.value);
        }
        for r in refs {
            put(&mut h.refs, &r.property);
            put(&mut h.refs, &r.target);
        }
        h
    }

    pub fn is_empty(&self) -> bool {
        self.values.is_empty() && self.refs.is_empty()
    }

    /// The values in `packed`, in order.
    pub fn values_of(packed: &[u8]) -> impl Iterator<Item = Result<Observable, Unpacked>> + '_ {
        let mut at = 0;
        std::iter::from_fn(move || {
            let code = *packed.get(at)?;
            at += 1;
            Some(Kind::from_code(code).ok_or(Unpacked).and_then(|kind| {
                Ok(Observable {
                    kind,
                    value: take(packed, &mut at)?.to_owned(),
                })
            }))
            .inspect(|r| {
                if r.is_err() {
                    at = packed.len();
                }
            })
        })
    }

    /// The references in `packed`, in order.
    pub fn refs_of(packed: &[u8]) -> impl Iterator<Item = Result<Reference, Unpacked>> + '_ {
        let mut at = 0;
        std::iter::from_fn(move || {
            if at >= packed.len() {
                return None;
            }
            let r = (|| {
                Ok(Reference {
                    property: take(packed, &mut at)?.to_owned(),
                    target: take(packed, &mut at)?.to_owned(),
                })
            })();
            if r.is_err() {
                at = packed.len();
            }
            Some(r)
        })
    }

    /// Every packed value and reference reads back.
    pub fn check(&self) -> Result<(), Unpacked> {
        self.values().try_for_each(|v| v.map(drop))?;
        self.references().try_for_each(|r| r.map(drop))
    }

    /// This object's values.
    pub fn values(&self) -> impl Iterator<Item = Result<Observable, Unpacked>> + '_ {
        Self::values_of(&self.values)
    }

    /// This object's references.
    pub fn references(&self) -> impl Iterator<Item = Result<Reference, Unpacked>> + '_ {
        Self::refs_of(&self.refs)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn holdings_read_back_as_packed_and_damage_is_an_error() {
        let values = vec![
            Observable {
                kind: Kind::Ip,
                value: "198.51.100.7".into(),
            },
            Observable {
                kind: Kind::Domain,
                value: "xn--bcher-kva.example".into(),
            },
        ];
        let refs = vec![Reference {
            property: "object_refs".into(),
            target: "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f".into(),
        }];
        let h = Holdings::pack(&values, &refs);
        assert_eq!(h.values().collect::<Result<Vec<_>, _>>().unwrap(), values);
        assert_eq!(h.references().collect::<Result<Vec<_>, _>>().unwrap(), refs);
        assert!(Holdings::default().is_empty());
        let cut = &h.values[..h.values.len() - 1];
        assert!(Holdings::values_of(cut).any(|r| r.is_err()));
        assert!(Holdings::values_of(&[99, 0, 0, 0, 0]).any(|r| r.is_err()));
        assert!(Holdings::refs_of(&h.refs[..3]).any(|r| r.is_err()));
    }
}
