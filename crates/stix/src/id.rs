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
    (3..=250).contains(&b.len())
        && b[0].is_ascii_lowercase()
        && b.iter()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
        && !t.contains("--")
}

fn hex(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

/// Parses the canonical 8-4-4-4-12 text of a UUID into its 16 bytes: hyphens exactly at
/// 8, 13, 18 and 23, hex digits everywhere else.
pub fn parse_uuid(s: &str) -> Option<[u8; 16]> {
    let b = s.as_bytes();
    if b.len() != 36 {
        return None;
    }
    let mut digits = [0u8; 32];
    let mut k = 0;
    for (i, &c) in b.iter().enumerate() {
        if matches!(i, 8 | 13 | 18 | 23) {
            if c != b'-' {
                return None;
            }
        } else {
            digits[k] = hex(c)?;
            k += 1;
        }
    }
    let mut out = [0u8; 16];
    for (o, pair) in out.iter_mut().zip(digits.chunks_exact(2)) {
        *o = pair[0] << 4 | pair[1];
    }
    Some(out)
}

/// An identifier split into its type and UUID bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StixId<'a> {
    pub object_type: &'a str,
    pub uuid: [u8; 16],
}

/// Parses and checks an identifier.
pub fn parse(id: &str) -> Result<StixId<'_>, IdError> {
    let (ty, uuid) = id
        .rsplit_once("--")
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
}
