//! One pass over an object's text that does what validation needs of the JSON itself: checks
//! that it is JSON (RFC 8259, as strictly as serde_json), applies the shape limits of
//! [`crate::shape`] (nesting, surrogate pairs), removes insignificant whitespace
//! ([`crate::compact`]) and lists the top-level properties with the raw text of each value.
//!
//! Hand-written because validation was three passes over every object (serde_json's parse
//! into properties, the shape check, compaction), the largest part of a POST's cost; this
//! is one. It is checked against those three (tests here, and the `compact` fuzz target):
//! the same verdict, the same properties, the same compacted text.

use crate::properties::Properties;
use crate::shape::{MAX_DEPTH, too_deep};
use std::borrow::Cow;

/// An object's text, read.
pub struct Scanned<'a> {
    pub props: Properties<'a>,
    /// The text without whitespace outside strings.
    pub compact: String,
}

/// Why a text was not read as an object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScanError {
    /// Not JSON: what was wrong, at which byte.
    NotJson(String),
    /// JSON, but not an object.
    NotObject,
    /// An object, but of a shape clients cannot read (`shape`'s reason).
    Shape(String),
}

/// Reads `text` as one JSON object.
pub fn object(text: &str) -> Result<Scanned<'_>, ScanError> {
    let mut s = Scanner {
        text,
        b: text.as_bytes(),
        i: 0,
        run: 0,
        out: Vec::with_capacity(text.len()),
        depth: 0,
    };
    s.ws();
    if s.b.get(s.i) != Some(&b'{') {
        // Rare: tell "not JSON" from "JSON, not an object" the way serde_json does.
        return Err(match serde_json::from_str::<Properties>(text) {
            Err(e) if !e.is_data() => ScanError::NotJson(e.to_string()),
            _ => ScanError::NotObject,
        });
    }
    let props = s.top().map_err(|e| match e {
        // A shape refused before the end was reached: if the text is not JSON at all,
        // that is what to say (as when JSON was checked first).
        ScanError::Shape(why) => match serde_json::from_str::<&serde_json::value::RawValue>(text) {
            Ok(_) => ScanError::Shape(why),
            Err(e) => ScanError::NotJson(e.to_string()),
        },
        other => other,
    })?;
    s.ws();
    if s.i != s.b.len() {
        return Err(s.not_json("trailing characters after the object"));
    }
    s.out.extend_from_slice(&s.b[s.run..]);
    // Only ASCII whitespace between tokens was dropped, so the bytes are still UTF-8.
    let compact = String::from_utf8(s.out)
        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
    Ok(Scanned {
        props: Properties(props),
        compact,
    })
}

struct Scanner<'a> {
    text: &'a str,
    b: &'a [u8],
    i: usize,
    /// Where the bytes not yet copied to `out` start (copied in runs between whitespace).
    run: usize,
    out: Vec<u8>,
    depth: usize,
}

type Step<T = ()> = Result<T, ScanError>;

impl<'a> Scanner<'a> {
    fn not_json(&self, what: &str) -> ScanError {
        ScanError::NotJson(format!("{what} at byte {}", self.i))
    }

    /// Skips whitespace, leaving it out of the compacted text.
    fn ws(&mut self) {
        let start = self.i;
        while let Some(b' ' | b'\n' | b'\r' | b'\t') = self.b.get(self.i) {
            self.i += 1;
        }
        if self.i > start {
            self.out.extend_from_slice(&self.b[self.run..start]);
            self.run = self.i;
        }
    }

    fn expect(&mut self, c: u8, what: &str) -> Step {
        if self.b.get(self.i) == Some(&c) {
            self.i += 1;
            Ok(())
        } else {
            Err(self.not_json(what))
        }
    }

    fn nest(&mut self) -> Step {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(ScanError::Shape(too_deep(self.i)));
        }
        self.i += 1;
        Ok(())
    }

    /// The top-level object: each property's name and the raw text of its value.
    fn top(&mut self) -> Step<Vec<(Cow<'a, str>, &'a str)>> {
        let mut props = Vec::with_capacity(16);
        let text = self.text;
        self.sequence(b'}', "expected `,` or `}`", |s| {
            let name = s.name()?;
            s.colon()?;
            let start = s.i;
            s.value()?;
            props.push((name, &text[start..s.i]));
            Ok(())
        })?;
        Ok(props)
    }

    /// An object or array at `self.i`: its items (read by `item`) separated by `,` until
    /// `close`; `what` is the complaint when neither follows an item.
    fn sequence(&mut self, close: u8, what: &str, mut item: impl FnMut(&mut Self) -> Step) -> Step {
        self.nest()?;
        self.ws();
        if self.b.get(self.i) == Some(&close) {
            self.i += 1;
            self.depth -= 1;
            return Ok(());
        }
        loop {
            item(self)?;
            self.ws();
            match self.b.get(self.i) {
                Some(b',') => {
                    self.i += 1;
                    self.ws();
                }
                Some(&c) if c == close => {
                    self.i += 1;
                    self.depth -= 1;
                    return Ok(());
                }
                _ => return Err(self.not_json(what)),
            }
        }
    }

    /// The `:` between a property's name and its value.
    fn colon(&mut self) -> Step {
        self.ws();
        self.expect(b':', "expected `:` after a property name")?;
        self.ws();
        Ok(())
    }

    /// A property name: borrowed unless it holds escapes.
    fn name(&mut self) -> Step<Cow<'a, str>> {
        let start = self.i;
        let escaped = self.string()?;
        let raw = &self.text[start..self.i];
        Ok(if escaped {
            Cow::Owned(serde_json::from_str::<String>(raw).map_err(|e| {
                ScanError::NotJson(format!("a property name that does not decode: {e}"))
            })?)
        } else {
            Cow::Borrowed(&raw[1..raw.len() - 1])
        })
    }

    fn value(&mut self) -> Step {
        match self.b.get(self.i) {
            Some(b'{') => self.object(),
            Some(b'[') => self.array(),
            Some(b'"') => self.string().map(drop),
            Some(b't') => self.literal("true"),
            Some(b'f') => self.literal("false"),
            Some(b'n') => self.literal("null"),
            Some(b'-' | b'0'..=b'9') => self.number(),
            _ => Err(self.not_json("expected a value")),
        }
    }

    fn object(&mut self) -> Step {
        self.sequence(b'}', "expected `,` or `}`", |s| {
            s.string()?;
            s.colon()?;
            s.value()
        })
    }

    fn array(&mut self) -> Step {
        self.sequence(b']', "expected `,` or `]`", Self::value)
    }

    fn literal(&mut self, word: &str) -> Step {
        if self.b[self.i..].starts_with(word.as_bytes()) {
            self.i += word.len();
            Ok(())
        } else {
            Err(self.not_json("expected a value"))
        }
    }

    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`
    fn number(&mut self) -> Step {
        if self.b.get(self.i) == Some(&b'-') {
            self.i += 1;
        }
        match self.b.get(self.i) {
            Some(b'0') => self.i += 1,
            Some(b'1'..=b'9') => self.digits(),
            _ => return Err(self.not_json("expected a digit")),
        }
        if self.b.get(self.i) == Some(&b'.') {
            self.i += 1;
            self.some_digits()?;
        }
        if let Some(b'e' | b'E') = self.b.get(self.i) {
            self.i += 1;
            if let Some(b'+' | b'-') = self.b.get(self.i) {
                self.i += 1;
            }
            self.some_digits()?;
        }
        Ok(())
    }

    fn digits(&mut self) {
        while self.b.get(self.i).is_some_and(u8::is_ascii_digit) {
            self.i += 1;
        }
    }

    fn some_digits(&mut self) -> Step {
        let start = self.i;
        self.digits();
        if self.i == start {
            return Err(self.not_json("expected a digit"));
        }
        Ok(())
    }

    /// A string literal; whether it holds escapes. Control characters are refused, every
    /// escape checked, `\u` surrogates must pair (the shape rule).
    fn string(&mut self) -> Step<bool> {
        self.expect(b'"', "expected a string")?;
        let mut escaped = false;
        loop {
            self.i +=
                special(&self.b[self.i..]).ok_or_else(|| self.not_json("unterminated string"))?;
            match self.b[self.i] {
                b'"' => {
                    self.i += 1;
                    return Ok(escaped);
                }
                b'\\' => {
                    escaped = true;
                    self.escape()?;
                }
                _ => return Err(self.not_json("a control character in a string")),
            }
        }
    }

    /// The escape at `self.i` (a backslash).
    fn escape(&mut self) -> Step {
        match self.b.get(self.i + 1) {
            Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => {
                self.i += 2;
                Ok(())
            }
            Some(b'u') => match crate::shape::unicode_escape(self.b, self.i) {
                Some(Ok(len)) => {
                    self.i += len;
                    Ok(())
                }
                Some(Err(why)) => Err(ScanError::Shape(why)),
                None => Err(self.not_json("an invalid \\u escape")),
            },
            _ => Err(self.not_json("an invalid escape")),
        }
    }
}

/// Where the first `"`, `\` or control character is, eight bytes at a time (strings are
/// most of an object's bytes).
fn special(b: &[u8]) -> Option<usize> {
    const ONES: u64 = u64::from_ne_bytes([1; 8]);
    const HIGH: u64 = ONES * 0x80;
    // A high bit set in a byte where `x` has a zero byte (possibly also above the first
    // one: the byte loop below confirms).
    let zero = |x: u64| x.wrapping_sub(ONES) & !x & HIGH;
    let mut at = 0;
    let mut words = b.chunks_exact(8);
    for w in &mut words {
        let x = u64::from_le_bytes([w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7]]);
        let hit = zero(x ^ (ONES * b'"' as u64))
            | zero(x ^ (ONES * b'\\' as u64))
            | (x.wrapping_sub(ONES * 0x20) & !x & HIGH);
        if hit != 0
            && let Some(k) = w.iter().position(|&c| is_special(c))
        {
            return Some(at + k);
        }
        at += 8;
    }
    words
        .remainder()
        .iter()
        .position(|&c| is_special(c))
        .map(|k| at + k)
}

fn is_special(c: u8) -> bool {
    c == b'"' || c == b'\\' || c < 0x20
}

#[cfg(test)]
mod tests;
