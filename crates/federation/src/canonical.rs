//! RFC 8785 (JSON Canonicalization Scheme) for the hot path of federation: every object a
//! node sends or receives is hashed over its canonical form. `serde_jcs` (used for small
//! signed records elsewhere) spends ~4 µs per 450-byte STIX object re-serialising a
//! `serde_json::Value`; [`text`] canonicalises the JSON text directly (~1 µs), copying
//! strings without escapes and plain integers as they are and allocating only to sort an
//! object's members. It is checked against `serde_jcs` on every MITRE ATT&CK for ICS object
//! (compact and pretty-printed) and on edge cases below.
//!
//! The rules (RFC 8785 §3.2): no insignificant whitespace; object members sorted by the
//! UTF-16 code units of their names; strings with only the mandatory escapes (`\"`, `\\`,
//! the short forms `\b \f \n \r \t`, other controls as `\u00xx`); numbers as ECMAScript
//! prints an IEEE 754 double (`ryu-js` implements exactly that).

/// Member names compare by UTF-16 code units (RFC 8785 §3.2.3); for ASCII names that is
/// byte order.
fn utf16_order(a: &str, b: &str) -> std::cmp::Ordering {
    if a.is_ascii() && b.is_ascii() {
        a.as_bytes().cmp(b.as_bytes())
    } else {
        a.encode_utf16().cmp(b.encode_utf16())
    }
}

fn emit_string(s: &str, out: &mut Vec<u8>) {
    out.push(b'"');
    let bytes = s.as_bytes();
    let mut start = 0;
    for (i, &c) in bytes.iter().enumerate() {
        let escape: &[u8] = match c {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            0x08 => b"\\b",
            0x0c => b"\\f",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            0..=0x1f => b"",
            _ => continue,
        };
        out.extend_from_slice(&bytes[start..i]);
        if escape.is_empty() {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.extend_from_slice(b"\\u00");
            out.push(HEX[(c >> 4) as usize]);
            out.push(HEX[(c & 0xf) as usize]);
        } else {
            out.extend_from_slice(escape);
        }
        start = i + 1;
    }
    out.extend_from_slice(&bytes[start..]);
    out.push(b'"');
}

/// Why a text has no RFC 8785 form: what was wrong, and at which byte.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("no RFC 8785 form: {0}")]
pub struct CanonicalError(String);

/// Canonicalises JSON `text` into `out` (RFC 8785). Errors on malformed JSON and on an
/// object with two members of the same name (I-JSON, which RFC 8785 requires).
pub fn text(json: &str, out: &mut Vec<u8>) -> Result<(), CanonicalError> {
    let mut p = Parser {
        b: json.as_bytes(),
        i: 0,
    };
    p.value(out, 0).map_err(CanonicalError)?;
    p.ws();
    if p.i != p.b.len() {
        return Err(CanonicalError(format!(
            "trailing characters at byte {}",
            p.i
        )));
    }
    Ok(())
}

/// Nesting deeper than this is refused (no stack exhaustion on hostile input).
const MAX_DEPTH: usize = 128;

struct Parser<'a> {
    b: &'a [u8],
    i: usize,
}

impl<'a> Parser<'a> {
    fn ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.b.get(self.i) {
            self.i += 1;
        }
    }

    fn err<T>(&self, what: &str) -> Result<T, String> {
        Err(format!("{what} at byte {}", self.i))
    }

    fn value(&mut self, out: &mut Vec<u8>, depth: usize) -> Result<(), String> {
        if depth > MAX_DEPTH {
            return self.err("nesting too deep");
        }
        self.ws();
        match self.b.get(self.i) {
            Some(b'{') => self.object(out, depth),
            Some(b'[') => self.array(out, depth),
            Some(b'"') => {
                let s = self.string()?;
                emit_string(&s, out);
                Ok(())
            }
            Some(b't') => self.literal(b"true", out),
            Some(b'f') => self.literal(b"false", out),
            Some(b'n') => self.literal(b"null", out),
            Some(b'-' | b'0'..=b'9') => self.number(out),
            _ => self.err("expected a JSON value"),
        }
    }

    fn literal(&mut self, word: &[u8], out: &mut Vec<u8>) -> Result<(), String> {
        if self.b[self.i..].starts_with(word) {
            self.i += word.len();
            out.extend_from_slice(word);
            Ok(())
        } else {
            self.err("expected true, false or null")
        }
    }

    fn number(&mut self, out: &mut Vec<u8>) -> Result<(), String> {
        let start = self.i;
        while let Some(b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9') = self.b.get(self.i) {
            self.i += 1;
        }
        let tok = std::str::from_utf8(&self.b[start..self.i]).map_err(|e| e.to_string())?;
        let digits = tok.strip_prefix('-').unwrap_or(tok);
        // A plain integer below 2^53 prints as written in ECMAScript, except -0 and
        // leading zeros, which go the general way.
        if !digits.is_empty()
            && digits.len() <= 15
            && digits.bytes().all(|c| c.is_ascii_digit())
            && !(digits.len() > 1 && digits.starts_with('0'))
            && tok != "-0"
        {
            out.extend_from_slice(tok.as_bytes());
            return Ok(());
        }
        // JSON grammar check before handing the text to the float parser (which accepts
        // forms JSON does not, like `+1`, `.5` or `1.`).
        if !valid_json_number(tok) {
            return self.err("malformed number");
        }
        let f: f64 = tok
            .parse()
            .map_err(|_| format!("malformed number `{tok}`"))?;
        if !f.is_finite() {
            return self.err("number out of range");
        }
        out.extend_from_slice(ryu_js::Buffer::new().format_finite(f).as_bytes());
        Ok(())
    }

    /// Reads a string token (at its opening quote); borrowed when it has no escapes.
    fn string(&mut self) -> Result<std::borrow::Cow<'a, str>, String> {
        self.i += 1;
        let start = self.i;
        loop {
            match self.b.get(self.i) {
                Some(b'"') => {
                    let raw = &self.b[start..self.i];
                    self.i += 1;
                    return std::str::from_utf8(raw)
                        .map(std::borrow::Cow::Borrowed)
                        .map_err(|e| e.to_string());
                }
                Some(b'\\') => break,
                Some(0..=0x1f) => return self.err("control character in a string"),
                Some(_) => self.i += 1,
                None => return self.err("unterminated string"),
            }
        }
        // Escapes: decode from the start of the string.
        let mut s =
            String::from(std::str::from_utf8(&self.b[start..self.i]).map_err(|e| e.to_string())?);
        loop {
            match self.b.get(self.i) {
                Some(b'"') => {
                    self.i += 1;
                    return Ok(std::borrow::Cow::Owned(s));
                }
                Some(b'\\') => {
                    self.i += 1;
                    let c = match self.b.get(self.i) {
                        Some(b'"') => '"',
                        Some(b'\\') => '\\',
                        Some(b'/') => '/',
                        Some(b'b') => '\u{8}',
                        Some(b'f') => '\u{c}',
                        Some(b'n') => '\n',
                        Some(b'r') => '\r',
                        Some(b't') => '\t',
                        Some(b'u') => {
                            let hi = self.hex4()?;
                            if (0xD800..0xDC00).contains(&hi) {
                                if self.b.get(self.i + 1..self.i + 3) != Some(b"\\u") {
                                    return self.err("lone surrogate");
                                }
                                self.i += 2;
                                let lo = self.hex4()?;
                                if !(0xDC00..0xE000).contains(&lo) {
                                    return self.err("lone surrogate");
                                }
                                let code = 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00);
                                char::from_u32(code).ok_or("bad surrogate pair")?
                            } else {
                                char::from_u32(hi)
                                    .ok_or_else(|| format!("lone surrogate at byte {}", self.i))?
                            }
                        }
                        _ => return self.err("bad escape"),
                    };
                    s.push(c);
                    self.i += 1;
                }
                Some(0..=0x1f) => return self.err("control character in a string"),
                Some(_) => {
                    // Copy up to the next quote, backslash or control character.
                    let from = self.i;
                    while let Some(&c) = self.b.get(self.i) {
                        if c == b'"' || c == b'\\' || c < 0x20 {
                            break;
                        }
                        self.i += 1;
                    }
                    s.push_str(
                        std::str::from_utf8(&self.b[from..self.i]).map_err(|e| e.to_string())?,
                    );
                }
                None => return self.err("unterminated string"),
            }
        }
    }

    /// Reads the four hex digits after `\u` (at the `u`); leaves `i` on the last digit.
    fn hex4(&mut self) -> Result<u32, String> {
        let digits = self
            .b
            .get(self.i + 1..self.i + 5)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u32::from_str_radix(h, 16).ok())
            .ok_or_else(|| format!("bad \\u escape at byte {}", self.i))?;
        self.i += 4;
        Ok(digits)
    }

    fn array(&mut self, out: &mut Vec<u8>, depth: usize) -> Result<(), String> {
        self.i += 1;
        out.push(b'[');
        self.ws();
        if self.b.get(self.i) == Some(&b']') {
            self.i += 1;
            out.push(b']');
            return Ok(());
        }
        loop {
            self.value(out, depth + 1)?;
            self.ws();
            match self.b.get(self.i) {
                Some(b',') => {
                    self.i += 1;
                    out.push(b',');
                }
                Some(b']') => {
                    self.i += 1;
                    out.push(b']');
                    return Ok(());
                }
                _ => return self.err("expected , or ] in an array"),
            }
        }
    }

    fn object(&mut self, out: &mut Vec<u8>, depth: usize) -> Result<(), String> {
        self.i += 1;
        // Members' canonical values go to a scratch buffer, then out in name order.
        let mut scratch = Vec::new();
        let mut members: Vec<(std::borrow::Cow<'a, str>, usize, usize)> = Vec::new();
        self.ws();
        if self.b.get(self.i) == Some(&b'}') {
            self.i += 1;
            out.extend_from_slice(b"{}");
            return Ok(());
        }
        loop {
            self.ws();
            if self.b.get(self.i) != Some(&b'"') {
                return self.err("expected a member name");
            }
            let name = self.string()?;
            self.ws();
            if self.b.get(self.i) != Some(&b':') {
                return self.err("expected :");
            }
            self.i += 1;
            let from = scratch.len();
            self.value(&mut scratch, depth + 1)?;
            members.push((name, from, scratch.len()));
            self.ws();
            match self.b.get(self.i) {
                Some(b',') => self.i += 1,
                Some(b'}') => {
                    self.i += 1;
                    break;
                }
                _ => return self.err("expected , or } in an object"),
            }
        }
        members.sort_unstable_by(|a, b| utf16_order(&a.0, &b.0));
        if members.windows(2).any(|w| w[0].0 == w[1].0) {
            return self.err("an object with two members of the same name");
        }
        out.push(b'{');
        for (k, (name, from, to)) in members.iter().enumerate() {
            if k > 0 {
                out.push(b',');
            }
            emit_string(name, out);
            out.push(b':');
            out.extend_from_slice(&scratch[*from..*to]);
        }
        out.push(b'}');
        Ok(())
    }
}

/// The JSON number grammar (RFC 8259 §6).
fn valid_json_number(t: &str) -> bool {
    let b = t.as_bytes();
    let mut i = usize::from(b.first() == Some(&b'-'));
    let int_start = i;
    while b.get(i).is_some_and(u8::is_ascii_digit) {
        i += 1;
    }
    let int_len = i - int_start;
    if int_len == 0 || (int_len > 1 && b[int_start] == b'0') {
        return false;
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        let f = i;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        if i == f {
            return false;
        }
    }
    if let Some(b'e' | b'E') = b.get(i) {
        i += 1;
        if let Some(b'+' | b'-') = b.get(i) {
            i += 1;
        }
        let e = i;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        if i == e {
            return false;
        }
    }
    i == b.len()
}

#[cfg(test)]
mod tests {

    fn streamed(json: &str) -> String {
        let mut out = Vec::new();
        super::text(json, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    fn reference(text: &str) -> String {
        let v: serde_json::Value = serde_json::from_str(text).unwrap();
        String::from_utf8(serde_jcs::to_vec(&v).unwrap()).unwrap()
    }

    #[test]
    fn edge_cases_match_the_reference_implementation() {
        for text in [
            r#"{"b":1,"a":[true,false,null],"c":{"z":"\u0001\b\f\n\r\t\"\\/","y":"é€😀"}}"#,
            r#"[1.0, -0, 0.1, 1e21, 1e-7, 123456789012345678901, -5, 9007199254740993, 3.5e300]"#,
            r#"{"\u20ac":1,"\ud83d\ude00":2,"\ufb33":3,"a":4,"":5}"#,
            r#""\u2028\u2029\u007f""#,
            r#"{"nested":[{"b":[],"a":{}}]}"#,
        ] {
            assert_eq!(streamed(text), reference(text), "{text}");
        }
    }

    #[test]
    fn malformed_or_ambiguous_text_is_an_error_not_a_panic() {
        for bad in [
            "",
            "{",
            "[1,]",
            "{\"a\":1,}",
            "{\"a\" 1}",
            "01",
            "1.",
            ".5",
            "+1",
            "-",
            "1e",
            "\"\\ud800\"",
            "\"\\x\"",
            "\"abc",
            "{\"a\":1,\"a\":2}",
            "nul",
            "[1] 2",
            "\"\u{1}\"",
            "1e999",
        ] {
            let mut out = Vec::new();
            assert!(super::text(bad, &mut out).is_err(), "{bad:?}");
        }
        let deep = "[".repeat(10_000);
        assert!(super::text(&deep, &mut Vec::new()).is_err());
    }

    #[test]
    fn more_numbers_and_escapes_match_the_reference_implementation() {
        for text in [
            r#"[0, -1, 10, 999999999999999, 1000000000000000, 12345678901234567890, 0.5, -0.0, 1E3, 2e-3, 100e-2]"#,
            r#"{"a\u0041":"\ud83d\ude00\u00e9\n","z":"\/","é":1,"e":2}"#,
            r#"  { "b" : [ { "d" : 1 , "c" : 2 } ] , "a" : null }  "#,
        ] {
            assert_eq!(streamed(text), reference(text), "{text}");
        }
    }

    #[test]
    fn every_attack_ics_object_matches_the_reference_implementation() {
        let dir =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/attack");
        let Some(file) = std::fs::read_dir(&dir)
            .ok()
            .into_iter()
            .flatten()
            .filter_map(|e| e.ok().map(|e| e.path()))
            .find(|p| p.extension().is_some_and(|x| x == "json"))
        else {
            panic!("no ATT&CK bundle in {}", dir.display());
        };
        let bundle: serde_json::Value =
            serde_json::from_slice(&std::fs::read(file).unwrap()).unwrap();
        let objects = bundle["objects"].as_array().unwrap();
        assert!(objects.len() > 1000);
        for o in objects {
            let text = o.to_string();
            assert_eq!(streamed(&text), reference(&text));
            // The same object pretty-printed canonicalises the same.
            let pretty = serde_json::to_string_pretty(o).unwrap();
            assert_eq!(streamed(&pretty), reference(&text));
        }
    }
}
