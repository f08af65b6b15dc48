//! STIX 2.1 timestamps (§3.2): RFC 3339, UTC, `Z` suffix, kept as microseconds since the epoch.
//!
//! Hand-written rather than pulled from a date crate: the grammar is one fixed pattern, the
//! parser sits on the ingest hot path (several timestamps per object), and the only calendar
//! arithmetic needed is days-from-civil, which is a few lines.

use std::fmt::Write as _;

/// Why a string is not a STIX timestamp.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TimestampError {
    #[error("`{0}` is not a STIX timestamp (expected YYYY-MM-DDTHH:MM:SS[.s+]Z)")]
    Syntax(String),
    #[error(
        "`{0}` is not precise to the millisecond (STIX 2.1 §3.2 requires .sss for created/modified)"
    )]
    NotMilliseconds(String),
    #[error("`{0}` names a day that does not exist")]
    NoSuchDay(String),
}

/// Microseconds since 1970-01-01T00:00:00Z. Digits past the sixth fractional one are kept in
/// the object's own text but do not take part in ordering.
pub type Micros = i64;

fn digits(b: &[u8], from: usize, n: usize) -> Option<u32> {
    let mut v = 0u32;
    for &c in b.get(from..from + n)? {
        if !c.is_ascii_digit() {
            return None;
        }
        v = v * 10 + u32::from(c - b'0');
    }
    Some(v)
}

/// Days from 1970-01-01 to the given proleptic Gregorian date (Howard Hinnant's algorithm).
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The proleptic Gregorian (year, month, day) of a day counted from 1970-01-01.
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Parses a STIX timestamp. `need_millis` enforces the millisecond precision that STIX 2.1
/// requires of `created` and `modified`.
pub fn parse(s: &str, need_millis: bool) -> Result<Micros, TimestampError> {
    let b = s.as_bytes();
    let syntax = || TimestampError::Syntax(s.to_owned());
    if b.len() < 20
        || b[4] != b'-'
        || b[7] != b'-'
        || b[10] != b'T'
        || b[13] != b':'
        || b[16] != b':'
    {
        return Err(syntax());
    }
    let year = digits(b, 0, 4).ok_or_else(syntax)?;
    let month = digits(b, 5, 2).ok_or_else(syntax)?;
    let day = digits(b, 8, 2).ok_or_else(syntax)?;
    let hour = digits(b, 11, 2).ok_or_else(syntax)?;
    let minute = digits(b, 14, 2).ok_or_else(syntax)?;
    let second = digits(b, 17, 2).ok_or_else(syntax)?;
    if !(1..=12).contains(&month) || hour > 23 || minute > 59 || second > 60 {
        return Err(syntax());
    }
    if day == 0 || day > days_in_month(i64::from(year), month) {
        return Err(TimestampError::NoSuchDay(s.to_owned()));
    }
    let rest = &b[19..];
    let (frac_digits, tail) = match rest.first() {
        Some(b'.') => {
            let n = rest[1..].iter().take_while(|c| c.is_ascii_digit()).count();
            if n == 0 {
                return Err(syntax());
            }
            (&rest[1..=n], &rest[n + 1..])
        }
        _ => (&rest[..0], rest),
    };
    if tail != b"Z" {
        return Err(syntax());
    }
    if need_millis && frac_digits.len() < 3 {
        return Err(TimestampError::NotMilliseconds(s.to_owned()));
    }
    let mut micros = 0i64;
    for i in 0..6 {
        micros = micros * 10 + frac_digits.get(i).map_or(0, |c| i64::from(c - b'0'));
    }
    let days = days_from_civil(i64::from(year), month, day);
    let secs = days * 86_400 + i64::from(hour) * 3600 + i64::from(minute) * 60 + i64::from(second);
    Ok(secs * 1_000_000 + micros)
}

/// Formats microseconds as a TAXII/STIX timestamp with six fractional digits.
pub fn format(micros: Micros) -> String {
    let secs = micros.div_euclid(1_000_000);
    let frac = micros.rem_euclid(1_000_000);
    let days = secs.div_euclid(86_400);
    let sod = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    let mut out = String::with_capacity(27);
    if !(0..=9999).contains(&y) {
        let _ = write!(
            out,
            "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{frac:06}Z",
            sod / 3600,
            (sod / 60) % 60,
            sod % 60
        );
        return out;
    }
    // Digit by digit: the index and every listing write timestamps by the million, and
    // the formatting machinery costs several times this.
    push_digits(&mut out, y, 4);
    let fields = [
        (b'-', i64::from(m), 2),
        (b'-', i64::from(d), 2),
        (b'T', sod / 3600, 2),
        (b':', (sod / 60) % 60, 2),
        (b':', sod % 60, 2),
        (b'.', frac, 6),
    ];
    for (sep, n, width) in fields {
        out.push(char::from(sep));
        push_digits(&mut out, n, width);
    }
    out.push('Z');
    out
}

/// `n` (not negative) in `width` decimal digits, zero-padded.
fn push_digits(out: &mut String, n: i64, width: u32) {
    for p in (0..width).rev() {
        out.push(char::from(b'0' + (n / 10i64.pow(p) % 10) as u8));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_stix_examples() {
        assert_eq!(parse("1970-01-01T00:00:00Z", false), Ok(0));
        assert_eq!(parse("1970-01-01T00:00:01.5Z", false), Ok(1_500_000));
        assert_eq!(
            format(parse("2016-05-12T08:17:27.000Z", true).unwrap()),
            "2016-05-12T08:17:27.000000Z"
        );
        assert_eq!(
            format(parse("2021-01-26T00:00:00.123456789Z", true).unwrap()),
            "2021-01-26T00:00:00.123456Z"
        );
    }

    #[test]
    fn rejects_offsets_lowercase_and_impossible_days() {
        assert!(parse("2016-05-12T08:17:27+00:00", false).is_err());
        assert!(parse("2016-05-12t08:17:27Z", false).is_err());
        assert!(parse("2016-05-12T08:17:27.Z", false).is_err());
        assert_eq!(
            parse("2021-02-29T00:00:00Z", false),
            Err(TimestampError::NoSuchDay("2021-02-29T00:00:00Z".into()))
        );
        assert!(parse("2020-02-29T00:00:00Z", false).is_ok());
        assert!(parse("2016-13-12T08:17:27Z", false).is_err());
    }

    #[test]
    fn created_and_modified_need_milliseconds() {
        assert_eq!(
            parse("2016-05-12T08:17:27Z", true),
            Err(TimestampError::NotMilliseconds(
                "2016-05-12T08:17:27Z".into()
            ))
        );
    }

    proptest::proptest! {
        #[test]
        fn format_then_parse_round_trips(m in -62_135_596_800_000_000i64..253_402_300_799_999_999i64) {
            proptest::prop_assert_eq!(parse(&format(m), true), Ok(m));
        }
    }
}
