//! Media-type negotiation (TAXII 2.1 §1.6.8, §3.2): the one media type is
//! `application/taxii+json;version=2.1`. Clients that send it bare, with `;q=` weights, or as
//! a wildcard are served; medallion refuses the first two with 406, which breaks real clients.

/// One media range from an Accept or Content-Type header.
struct MediaRange<'a> {
    essence: String,
    version: Option<&'a str>,
    q: f32,
}

fn parse_range(s: &str) -> Option<MediaRange<'_>> {
    let mut parts = s.split(';');
    let essence = parts.next()?.trim().to_ascii_lowercase();
    if essence.is_empty() {
        return None;
    }
    let mut range = MediaRange {
        essence,
        version: None,
        q: 1.0,
    };
    for p in parts {
        let (k, v) = p.split_once('=')?;
        let v = v.trim().trim_matches('"');
        match k.trim().to_ascii_lowercase().as_str() {
            "version" => range.version = Some(v),
            "q" => range.q = v.parse().ok()?,
            _ => {}
        }
    }
    Some(range)
}

fn is_taxii(r: &MediaRange) -> bool {
    r.essence == "application/taxii+json" && r.version.is_none_or(|v| v == "2.1")
}

/// Does an Accept header admit a TAXII 2.1 response? A missing header admits anything.
pub fn accepts_taxii(accept: Option<&str>) -> bool {
    let Some(accept) = accept else { return true };
    accept
        .split(',')
        .filter_map(parse_range)
        .any(|r| r.q > 0.0 && (is_taxii(&r) || r.essence == "*/*" || r.essence == "application/*"))
}

/// Is a request body's Content-Type a TAXII 2.1 envelope?
pub fn is_taxii_content(content_type: Option<&str>) -> bool {
    content_type
        .and_then(parse_range)
        .is_some_and(|r| is_taxii(&r))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_forms_real_clients_send_are_served() {
        assert!(accepts_taxii(Some("application/taxii+json;version=2.1")));
        assert!(accepts_taxii(Some("application/taxii+json")));
        assert!(accepts_taxii(Some(
            "application/taxii+json; version=2.1; q=0.9"
        )));
        assert!(accepts_taxii(Some("text/html, */*;q=0.1")));
        assert!(accepts_taxii(None));
    }

    #[test]
    fn other_versions_and_types_are_not() {
        assert!(!accepts_taxii(Some("application/taxii+json;version=2.0")));
        assert!(!accepts_taxii(Some("text/html")));
        assert!(!accepts_taxii(Some("application/taxii+json;q=0")));
        assert!(!is_taxii_content(Some("application/json")));
        assert!(is_taxii_content(Some(
            "application/taxii+json; version=2.1"
        )));
        assert!(!is_taxii_content(None));
    }
}
