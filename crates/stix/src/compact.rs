//! Removal of insignificant whitespace from already-validated JSON text.
//!
//! Objects are stored as the text they arrived in, so unknown properties, key order and
//! number spellings survive untouched (STIX §3.6: the object is the producer's). Only the
//! whitespace between tokens goes: a pretty-printed bundle would otherwise double the bytes
//! stored and served. The input is always text that serde_json has already accepted as one
//! JSON value, so tracking "inside a string" and "after a backslash" is all that is needed.

/// Returns `json` without whitespace outside strings. `json` must be valid JSON.
pub fn compact(json: &str) -> String {
    let b = json.as_bytes();
    let mut out: Vec<u8> = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b' ' | b'\n' | b'\r' | b'\t' => i += 1,
            b'"' => {
                // Copy the whole string literal; memchr finds its end without a byte loop.
                let start = i;
                i += 1;
                loop {
                    match memchr::memchr2(b'"', b'\\', &b[i..]) {
                        Some(off) if b[i + off] == b'\\' => i += off + 2,
                        Some(off) => {
                            i += off + 1;
                            break;
                        }
                        None => {
                            i = b.len();
                            break;
                        }
                    }
                }
                out.extend_from_slice(&b[start..i.min(b.len())]);
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    // Only ASCII whitespace bytes between tokens were dropped, never part of a multi-byte
    // UTF-8 sequence, so the bytes are still UTF-8.
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

#[cfg(test)]
mod tests {
    use super::compact;

    #[test]
    fn keeps_whitespace_inside_strings_and_after_escapes() {
        let src = "{ \"a\" : \"x y\\\" z\" ,\n \"b\": [1, 2.50e3 ],\"c\":\"ج ب\"}";
        assert_eq!(
            compact(src),
            "{\"a\":\"x y\\\" z\",\"b\":[1,2.50e3],\"c\":\"ج ب\"}"
        );
        let a: serde_json::Value = serde_json::from_str(src).unwrap();
        let b: serde_json::Value = serde_json::from_str(&compact(src)).unwrap();
        assert_eq!(a, b);
    }
}
