//! Removal of insignificant whitespace from already-validated JSON text.
//!
//! Objects are stored as the text they arrived in, so unknown properties, key order and
//! number spellings survive untouched (STIX §3.6: the object is the producer's). Only the
//! whitespace between tokens goes: a pretty-printed bundle would otherwise double the bytes
//! stored and served. The input is always text that serde_json has already accepted as one
//! JSON value, so tracking "inside a string" and "after a backslash" is all that is needed.

/// Returns `json` without whitespace outside strings. `json` must be valid JSON.
pub fn compact(json: &str) -> String {
    let bytes = json.as_bytes();
    if !bytes.iter().any(|b| matches!(b, b' ' | b'\n' | b'\r' | b'\t')) {
        return json.to_owned();
    }
    let mut out = Vec::with_capacity(bytes.len());
    let mut in_string = false;
    let mut escaped = false;
    for &b in bytes {
        if in_string {
            out.push(b);
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == b'"' {
                in_string = false;
            }
        } else if !matches!(b, b' ' | b'\n' | b'\r' | b'\t') {
            if b == b'"' {
                in_string = true;
            }
            out.push(b);
        }
    }
    // Only ASCII whitespace bytes were dropped, never part of a multi-byte UTF-8 sequence.
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

#[cfg(test)]
mod tests {
    use super::compact;

    #[test]
    fn keeps_whitespace_inside_strings_and_after_escapes() {
        let src = "{ \"a\" : \"x y\\\" z\" ,\n \"b\": [1, 2.50e3 ],\"c\":\"ج ب\"}";
        assert_eq!(compact(src), "{\"a\":\"x y\\\" z\",\"b\":[1,2.50e3],\"c\":\"ج ب\"}");
        let a: serde_json::Value = serde_json::from_str(src).unwrap();
        let b: serde_json::Value = serde_json::from_str(&compact(src)).unwrap();
        assert_eq!(a, b);
    }
}
