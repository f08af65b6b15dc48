//! URL parameters of the TAXII 2.1 read endpoints (§3.4 filtering, §3.5 pagination), read
//! into what the core's reader wants. A malformed value is a 400 naming the parameter
//! (medallion answers 500 to a bad `added_after`).

use crate::error::TaxiiError;
use store::VersionSel;
use symbolon_core::Want;

/// Page size when the client gives no `limit`, and the most one page may hold.
pub const DEFAULT_LIMIT: usize = 1000;
pub const MAX_LIMIT: usize = 10_000;

/// Which parameters an endpoint takes (the rest are ignored, as §3.4 allows for unknown
/// `match[]` fields).
#[derive(Clone, Copy)]
pub struct Allowed {
    pub id: bool,
    pub r#type: bool,
    pub version: bool,
}

pub const OBJECTS: Allowed = Allowed {
    id: true,
    r#type: true,
    version: true,
};
pub const OBJECT: Allowed = Allowed {
    id: false,
    r#type: false,
    version: true,
};
pub const VERSIONS: Allowed = Allowed {
    id: false,
    r#type: false,
    version: false,
};

/// The items of a comma-separated value, without the ASCII spaces around them; empty
/// items are skipped (`match[type]=indicator,` is `indicator`). Exactly the grammar the
/// OpenAPI document's patterns describe.
fn list(value: &str) -> impl Iterator<Item = &str> {
    value
        .split(',')
        .map(str::trim_ascii)
        .filter(|s| !s.is_empty())
}

/// A positive whole number written in ASCII digits only (no sign, no spaces), saturating
/// at `u64::MAX`; `None` for anything else, and for zero.
fn positive(value: &str) -> Option<u64> {
    if value.is_empty() || !value.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let n = value.bytes().fold(0u64, |n, c| {
        n.saturating_mul(10).saturating_add(u64::from(c - b'0'))
    });
    (n > 0).then_some(n)
}

/// Parses the query string of a read endpoint.
pub fn parse(raw: Option<&str>, allowed: Allowed) -> Result<Want, TaxiiError> {
    let mut q = Want {
        limit: Some(DEFAULT_LIMIT),
        ..Want::default()
    };
    for (key, value) in form_urlencoded::parse(raw.unwrap_or("").as_bytes()) {
        match key.as_ref() {
            "added_after" => {
                let t = stix::timestamp::parse(&value, false).map_err(|e| {
                    TaxiiError::bad_request(format!("parameter `added_after`: {e}"))
                })?;
                q.added_after = Some(t);
            }
            "limit" => {
                let n = positive(&value).ok_or_else(|| {
                    TaxiiError::bad_request(format!(
                        "parameter `limit` must be a positive integer, not `{value}`"
                    ))
                })?;
                // §3.5.1: the server may return fewer than asked.
                q.limit = Some(usize::try_from(n).unwrap_or(MAX_LIMIT).min(MAX_LIMIT));
            }
            "next" => {
                // The server issues positions of stored versions: positive integers.
                let seq = positive(&value)
                    .and_then(|n| i64::try_from(n).ok())
                    .ok_or_else(|| {
                        TaxiiError::bad_request(format!(
                            "parameter `next`: `{value}` is not a value this server issued"
                        ))
                    })?;
                q.after = Some(seq);
            }
            "match[id]" if allowed.id => {
                for id in list(&value) {
                    stix::id::parse(id).map_err(|e| {
                        TaxiiError::bad_request(format!("parameter `match[id]`: {e}"))
                    })?;
                    q.ids.push(id.to_owned());
                }
            }
            "match[type]" if allowed.r#type => {
                for t in list(&value) {
                    if !stix::id::is_type_name(t) {
                        return Err(TaxiiError::bad_request(format!(
                            "parameter `match[type]`: `{t}` is not a STIX type name"
                        )));
                    }
                    q.types.push(t.to_owned());
                }
            }
            "match[version]" if allowed.version => {
                for v in list(&value) {
                    q.versions.push(match v {
                        "first" => VersionSel::First,
                        "last" => VersionSel::Last,
                        "all" => VersionSel::All,
                        ts => VersionSel::At(stix::timestamp::parse(ts, false).map_err(|e| {
                            TaxiiError::bad_request(format!("parameter `match[version]`: expected first, last, all or a timestamp; {e}"))
                        })?),
                    });
                }
            }
            "match[spec_version]" => {
                for v in list(&value) {
                    let ok = v.split_once('.').is_some_and(|(a, b)| {
                        !a.is_empty()
                            && !b.is_empty()
                            && a.bytes().chain(b.bytes()).all(|c| c.is_ascii_digit())
                    });
                    if !ok {
                        return Err(TaxiiError::bad_request(format!(
                            "parameter `match[spec_version]`: `{v}` is not a version like 2.1"
                        )));
                    }
                    q.spec_versions.push(v.to_owned());
                }
            }
            _ => {}
        }
    }
    Ok(q)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_filters_and_pagination() {
        let q = parse(Some("added_after=2020-01-01T00:00:00Z&limit=5&match[type]=indicator,malware&match[version]=first,last&match%5Bid%5D=indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f"), OBJECTS).unwrap();
        assert_eq!(q.limit, Some(5));
        assert_eq!(q.types, ["indicator", "malware"]);
        assert_eq!(q.versions, [VersionSel::First, VersionSel::Last]);
        assert_eq!(q.ids.len(), 1);
        assert!(q.added_after.is_some());
    }

    #[test]
    fn malformed_values_are_bad_requests() {
        for bad in [
            "added_after=yesterday",
            "limit=0",
            "limit=-1",
            "limit=x",
            "limit=+5",
            "next=+5",
            "next=9223372036854775808",
            "next=abc",
            "next=-1",
            "next=0",
            "match[version]=newest",
            "match[spec_version]=two",
            "match[id]=nope",
            "match[type]=Bad_Type",
        ] {
            let e = parse(Some(bad), OBJECTS).unwrap_err();
            assert_eq!(e.status, 400, "{bad}");
        }
    }

    #[test]
    fn a_huge_limit_is_capped() {
        assert_eq!(
            parse(Some("limit=99999999"), OBJECTS).unwrap().limit,
            Some(MAX_LIMIT)
        );
        assert_eq!(
            parse(Some("limit=99999999999999999999999"), OBJECTS)
                .unwrap()
                .limit,
            Some(MAX_LIMIT)
        );
    }
}
