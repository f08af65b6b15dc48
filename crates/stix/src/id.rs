//! STIX identifiers (§2.9): `object-type--UUID`, the UUID RFC 4122 compliant.

/// Why a string is not a STIX identifier.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdError {
    #[error("`{0}` is not an identifier of the form object-type--UUID")]
    Syntax(String),
    #[error("`{0}`: the UUID is not RFC 4122 compliant (version must be 1-5, variant 10xx)")]
    NotRfc4122(String),
    #[error("`{id}` does not start with the object's type `{ty}--`")]
    TypeMismatch { id: String, ty: String },
}

/// STIX 2.1 §2.7 type names: lowercase ASCII letters, digits and single hyphens, 3-250
/// characters, starting with a letter.
pub fn is_type_name(t: &str) -> bool {
    let b = t.as_bytes();
    if !(3..=250).contains(&b.len()) || !b[0].is_ascii_lowercase() {
        return false;
    }
    // One pass (a substring search for `--` cost more than the rest of an id's checks).
    let mut hyphen_before = false;
    b.iter().all(|&c| {
        let hyphen = c == b'-';
        let ok =
            (c.is_ascii_lowercase() || c.is_ascii_digit() || hyphen) && !(hyphen && hyphen_before);
        hyphen_before = hyphen;
        ok
    })
}

/// Hex digit values by byte; `NOT_HEX` for every other byte.
const HEX: [u8; 256] = {
    let mut t = [NOT_HEX; 256];
    let mut c = 0;
    while c < 10 {
        t[b'0' as usize + c] = c as u8;
        c += 1;
    }
    let mut c = 0;
    while c < 6 {
        t[b'a' as usize + c] = 10 + c as u8;
        t[b'A' as usize + c] = 10 + c as u8;
        c += 1;
    }
    t
};
const NOT_HEX: u8 = 0xff;

/// Parses the canonical 8-4-4-4-12 text of a UUID into its 16 bytes: hyphens exactly at
/// 8, 13, 18 and 23, hex digits everywhere else.
pub fn parse_uuid(s: &str) -> Option<[u8; 16]> {
    let b: &[u8; 36] = s.as_bytes().try_into().ok()?;
    if b[8] != b'-' || b[13] != b'-' || b[18] != b'-' || b[23] != b'-' {
        return None;
    }
    // The 16 bytes' two digits each start at these offsets (the hyphens skipped).
    const AT: [usize; 16] = [0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30, 32, 34];
    let mut out = [0u8; 16];
    let mut bad = 0u8;
    for (o, &i) in out.iter_mut().zip(AT.iter()) {
        let (hi, lo) = (HEX[b[i] as usize], HEX[b[i + 1] as usize]);
        bad |= (hi | lo) & 0xf0;
        *o = hi << 4 | (lo & 0x0f);
    }
    (bad == 0).then_some(out)
}

/// An identifier split into its type and UUID bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StixId<'a> {
    pub object_type: &'a str,
    pub uuid: [u8; 16],
}

/// Parses and checks an identifier.
pub fn parse(id: &str) -> Result<StixId<'_>, IdError> {
    // The UUID is the last 36 bytes, after `--` (what splitting at the last `--` gives
    // for every string whose UUID part can be valid, without a substring search).
    let split = id
        .len()
        .checked_sub(38)
        .filter(|&at| id.as_bytes().get(at..at + 2) == Some(b"--"));
    let (ty, uuid) = split
        .and_then(|at| Some((id.get(..at)?, id.get(at + 2..)?)))
        .ok_or_else(|| IdError::Syntax(id.to_owned()))?;
    if !is_type_name(ty) {
        return Err(IdError::Syntax(id.to_owned()));
    }
    let bytes = parse_uuid(uuid).ok_or_else(|| IdError::Syntax(id.to_owned()))?;
    let version = bytes[6] >> 4;
    let variant = bytes[8] >> 6;
    if !(1..=5).contains(&version) || variant != 0b10 {
        return Err(IdError::NotRfc4122(id.to_owned()));
    }
    Ok(StixId {
        object_type: ty,
        uuid: bytes,
    })
}

/// Parses an identifier and checks that it names an object of the expected type.
pub fn parse_typed<'a>(id: &'a str, ty: &str) -> Result<StixId<'a>, IdError> {
    let parsed = parse(id)?;
    if parsed.object_type != ty {
        return Err(IdError::TypeMismatch {
            id: id.to_owned(),
            ty: ty.to_owned(),
        });
    }
    Ok(parsed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_v4_and_v5() {
        assert!(parse("indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f").is_ok());
        assert!(parse("ipv4-addr--ff26c055-6336-5bc5-b98d-13d6226742dd").is_ok());
        assert!(parse("x-misp-object--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f").is_ok());
    }

    #[test]
    fn rejects_bad_syntax_and_non_rfc4122() {
        assert!(matches!(
            parse("indicator-8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f"),
            Err(IdError::Syntax(_))
        ));
        assert!(matches!(
            parse("Indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f"),
            Err(IdError::Syntax(_))
        ));
        assert!(matches!(
            parse("indicator--8e2e2d2b17d44cbf938f98ee46b3cd3f"),
            Err(IdError::Syntax(_))
        ));
        assert!(matches!(
            parse("indicator--8e2e2d2b-17d4-0cbf-938f-98ee46b3cd3f"),
            Err(IdError::NotRfc4122(_))
        ));
        assert!(matches!(
            parse("indicator--8e2e2d2b-17d4-4cbf-c38f-98ee46b3cd3f"),
            Err(IdError::NotRfc4122(_))
        ));
    }

    #[test]
    fn typed_parse_names_the_mismatch() {
        assert!(matches!(
            parse_typed("malware--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f", "indicator"),
            Err(IdError::TypeMismatch { .. })
        ));
    }

    #[test]
    fn a_hyphen_out_of_place_is_no_uuid_and_no_panic() {
        // Found by fuzzing: a fifth hyphen shifted the digit pairs past the end.
        assert_eq!(parse_uuid("f7ef1b4a-964a-4a69-9e21-808f-5c56238"), None);
        assert!(parse("indicator--f7ef1b4a-964a-4a69-9e21-808f-5c56238").is_err());
        assert_eq!(parse_uuid("f7ef1b4a-964a-4a69-9e21-808f5c562380-"), None);
        assert_eq!(
            parse_uuid("8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f").map(|u| u[0]),
            Some(0x8e)
        );
    }

    /// The rule before the fast path: split at the last `--`, the UUID by the `uuid`
    /// crate (hyphenated form only).
    fn reference(id: &str) -> Option<(&str, [u8; 16])> {
        let (ty, u) = id.rsplit_once("--")?;
        let hyphens_in_place =
            u.len() == 36 && [8, 13, 18, 23].iter().all(|&i| u.as_bytes()[i] == b'-');
        let parsed = uuid::Uuid::try_parse(u).ok().filter(|_| hyphens_in_place)?;
        is_type_name(ty).then_some((ty, *parsed.as_bytes()))
    }

    /// A UUID's text with one character replaced (or none): mostly valid, often just not.
    fn mutated_uuid() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::strategy::Strategy;
        (
            "[0-9a-fA-F-]{34,38}|[0-9a-fA-F]{8}-[0-9a-f]{4}-[1-6][0-9a-f]{3}-[89abc][0-9a-f]{3}-[0-9a-fA-F]{12}",
            0usize..40,
            "[0-9a-gA-G-]",
        )
            .prop_map(|(mut u, at, with)| {
                if at < u.len() {
                    u.replace_range(at..at + 1, &with);
                }
                u
            })
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(4096))]

        #[test]
        fn uuid_text_agrees_with_the_uuid_crate(u in mutated_uuid()) {
            let hyphens_in_place = u.len() == 36 && [8, 13, 18, 23].iter().all(|&i| u.as_bytes()[i] == b'-');
            let theirs = uuid::Uuid::try_parse(&u).ok().filter(|_| hyphens_in_place).map(|p| *p.as_bytes());
            proptest::prop_assert_eq!(parse_uuid(&u), theirs, "{}", u);
        }

        #[test]
        fn parse_agrees_with_the_uuid_crate_and_the_last_double_hyphen(
            ty in "[a-z][a-z0-9-]{1,5}|[a-z-]{0,6}(--)?[a-z0-9-]{0,6}",
            u in mutated_uuid(),
            sep in "-{1,3}",
        ) {
            let id = format!("{ty}{sep}{u}");
            let ours = parse(&id).ok().map(|p| (p.object_type, p.uuid));
            // RFC 4122 version and variant are checked on top of the syntax.
            let theirs = reference(&id).filter(|(_, b)| (1..=5).contains(&(b[6] >> 4)) && b[8] >> 6 == 0b10);
            proptest::prop_assert_eq!(ours, theirs, "{}", id);
            let syntax = parse(&id).map_or_else(|e| matches!(e, IdError::NotRfc4122(_)), |_| true);
            proptest::prop_assert_eq!(syntax, reference(&id).is_some(), "{}", id);
        }

        #[test]
        fn type_names_agree_with_the_rule_as_written(t in "[a-z0-9A-Z_-]{0,8}") {
            let b = t.as_bytes();
            let rule = (3..=250).contains(&b.len())
                && b[0].is_ascii_lowercase()
                && b.iter().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
                && !t.contains("--");
            proptest::prop_assert_eq!(is_type_name(&t), rule);
        }
    }
}
