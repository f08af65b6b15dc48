//! Limits on the shape of an object's JSON that any parser downstream can live with.
//!
//! JSON allows any depth of nesting and any `\u` escape; the clients this node serves do
//! not. Python's `json` (taxii2-client, stix2) recurses once per level and fails past about
//! a thousand; a string holding half a surrogate pair cannot be decoded as UTF-16 or
//! re-encoded as UTF-8 by strict decoders. One object of either kind would make every page
//! that holds it unreadable for them, so such objects are refused when they arrive.

/// The deepest nesting of arrays and objects an object may have, itself counted as 1
/// (STIX objects in the wild stay under 10; granular markings and extensions add a few).
pub const MAX_DEPTH: usize = 100;

/// Checks `text`, already known to be one valid JSON value: nesting within `MAX_DEPTH` and
/// no lone surrogate in any `\u` escape. One pass, no allocation.
pub fn check(text: &str) -> Result<(), String> {
    let b = text.as_bytes();
    let mut depth = 0usize;
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'[' | b'{' => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Err(too_deep(i));
                }
                i += 1;
            }
            b']' | b'}' => {
                depth = depth.saturating_sub(1);
                i += 1;
            }
            b'"' => i = string_end(b, i + 1)?,
            _ => i += 1,
        }
    }
    Ok(())
}

/// Why an object nested past [`MAX_DEPTH`] (at byte `at`) is refused.
pub(crate) fn too_deep(at: usize) -> String {
    format!(
        "nested more than {MAX_DEPTH} arrays and objects deep (at byte {at}): many clients cannot read it"
    )
}

/// The position after the string whose contents start at `i`, checking its escapes.
fn string_end(b: &[u8], mut i: usize) -> Result<usize, String> {
    loop {
        let Some(off) = memchr::memchr2(b'"', b'\\', b.get(i..).unwrap_or_default()) else {
            return Ok(b.len());
        };
        i += off;
        if b[i] == b'"' {
            return Ok(i + 1);
        }
        // A backslash: `\uXXXX` needs a look; every other escape is two bytes.
        if b.get(i + 1) != Some(&b'u') {
            i += 2;
            continue;
        }
        match unicode_escape(b, i) {
            Some(Ok(len)) => i += len,
            Some(Err(why)) => return Err(why),
            // Not four hex digits: not JSON, which is not this check's to say.
            None => i += 6,
        }
    }
}

/// The `\u` escape whose backslash is at `i`: how many bytes it takes (with the low half
/// that must follow a high surrogate), or why it is not text; `None` when four hex digits
/// do not follow.
pub(crate) fn unicode_escape(b: &[u8], i: usize) -> Option<Result<usize, String>> {
    let unit = hex4(b, i + 2)?;
    Some(match unit {
        0xD800..=0xDBFF => {
            let low = (b.get(i + 6) == Some(&b'\\') && b.get(i + 7) == Some(&b'u'))
                .then(|| hex4(b, i + 8))
                .flatten();
            if matches!(low, Some(0xDC00..=0xDFFF)) {
                Ok(12)
            } else {
                Err(format!(
                    "a string holds half a surrogate pair (`\\u{unit:04x}` without its low half, at byte {i}): it is not text"
                ))
            }
        }
        0xDC00..=0xDFFF => Err(format!(
            "a string holds half a surrogate pair (a lone `\\u{unit:04x}`, at byte {i}): it is not text"
        )),
        _ => Ok(6),
    })
}

/// Four hex digits at `at` (only digits: `from_str_radix` alone would take a sign).
fn hex4(b: &[u8], at: usize) -> Option<u16> {
    let digits = b
        .get(at..at + 4)
        .filter(|d| d.iter().all(u8::is_ascii_hexdigit))?;
    u16::from_str_radix(std::str::from_utf8(digits).ok()?, 16).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nested(n: usize) -> String {
        format!("{}{}", "[".repeat(n), "]".repeat(n))
    }

    #[test]
    fn depth_is_counted_outside_strings_only() {
        assert!(check(&nested(MAX_DEPTH)).is_ok());
        assert!(check(&nested(MAX_DEPTH + 1)).is_err());
        let deep_in_text = format!(r#"{{"a":"{}"}}"#, "[{".repeat(500));
        assert!(check(&deep_in_text).is_ok());
        assert!(check(&format!(r#"{{"a":{}}}"#, nested(100_000))).is_err());
        // Escaped quotes do not end a string.
        assert!(check(&format!(r#"{{"a":"\"{}"}}"#, "[".repeat(200))).is_ok());
    }

    #[test]
    fn surrogates_must_come_in_pairs() {
        assert!(check(r#"{"a":"\ud83d\ude00 ok"}"#).is_ok());
        assert!(check(r#"{"a":"\u00e9\u0041\\u"}"#).is_ok());
        for bad in [
            r#"{"a":"\ud83d"}"#,
            r#"{"a":"\ud83d x"}"#,
            r#"{"a":"\ude00"}"#,
            r#"{"a":"\ud83d\u0041"}"#,
            r#"{"\udfff":1}"#,
        ] {
            assert!(check(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn agrees_with_serde_json_on_what_is_text() {
        // serde_json refuses lone surrogates when it decodes a string: the same verdicts.
        for s in [
            r#""\ud83d\ude00""#,
            r#""\ud83d""#,
            r#""\ude00\ud83d""#,
            r#""a\\ud83d""#,
            r#""\uD83D\uDE00""#,
        ] {
            let serde = serde_json::from_str::<String>(s).is_ok();
            assert_eq!(check(s).is_ok(), serde, "{s}");
        }
    }
}
