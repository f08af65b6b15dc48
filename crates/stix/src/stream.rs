//! Objects of a bundle or envelope read from a byte stream, one at a time.
//!
//! [`document::for_each_object`](crate::document::for_each_object) needs the whole document
//! in memory; an import of a multi-gigabyte bundle should not, and should not wait for the
//! file to be read before the first object is validated. This reader keeps a window of the
//! input and finds the extent of each element of `objects` by its structure alone (strings,
//! escapes, nesting); each element's JSON is then parsed by whoever receives it. The other
//! members of the container are collected and checked by `document` at the end, so a stream
//! is accepted exactly when the same text would be, except that objects before a syntax error
//! have already been handed over (as with the in-memory reader).

use crate::document::{self, DocumentError};
use std::io::Read;

/// Bytes asked of the source at a time.
const READ_SIZE: usize = 4 << 20;

/// Why a stream could not be read as a document.
#[derive(Debug, thiserror::Error)]
pub enum StreamError {
    #[error(transparent)]
    Io(#[from] std::io::Error),
    #[error(transparent)]
    Document(#[from] DocumentError),
}

fn syntax(what: impl Into<String>) -> StreamError {
    StreamError::Document(DocumentError::Json(what.into()))
}

/// Calls `each` with the raw text of every object of the bundle or envelope that `source`
/// yields, in order, without validating the objects.
pub fn for_each_object(source: impl Read, mut each: impl FnMut(&str)) -> Result<(), StreamError> {
    let mut w = Window {
        src: source,
        buf: Vec::with_capacity(READ_SIZE),
        scratch: vec![0; READ_SIZE],
        start: 0,
        eof: false,
        offset: 0,
    };
    // Every member but `objects`, whose elements are replaced by nothing: `document` judges
    // the container from it.
    let mut skeleton = String::from("{");
    let first = w.skip_ws(0)?;
    match w.byte(first)? {
        Some(b'{') => {}
        Some(b'[' | b'"' | b'-' | b'0'..=b'9' | b't' | b'f' | b'n') => {
            return Err(DocumentError::NotAContainer.into());
        }
        Some(_) => return Err(syntax("expected a JSON value at byte 0")),
        None => return Err(syntax("EOF while parsing a value")),
    }
    w.consume(first + 1);
    let mut members = 0;
    // Member names seen: a repeat is refused as soon as it is read (the in-memory reader
    // refuses it too), before a second `objects` list could be handed over.
    let mut seen: Vec<String> = Vec::new();
    loop {
        let at = w.skip_ws(0)?;
        match w.byte(at)? {
            Some(b'}') if members == 0 => {
                w.consume(at + 1);
                break;
            }
            Some(b'"') => {}
            _ => return Err(w.unexpected(at, "a member name")),
        }
        let key_end = w.string_end(at)?;
        let key_raw = w.text(at, key_end)?.to_owned();
        let key: String = serde_json::from_str(&key_raw)
            .map_err(|e| syntax(format!("member name at byte {}: {e}", w.pos(at))))?;
        if seen.contains(&key) {
            return Err(DocumentError::Repeated(key).into());
        }
        let colon = w.skip_ws(key_end)?;
        if w.byte(colon)? != Some(b':') {
            return Err(w.unexpected(colon, "`:`"));
        }
        let value = w.skip_ws(colon + 1)?;
        if members > 0 {
            skeleton.push(',');
        }
        members += 1;
        skeleton.push_str(&key_raw);
        skeleton.push(':');
        let is_objects = key == "objects";
        seen.push(key);
        if is_objects && w.byte(value)? == Some(b'[') {
            skeleton.push_str("[]");
            w.consume(value + 1);
            w.elements(&mut each)?;
        } else {
            let end = w.value_end(value)?;
            skeleton.push_str(w.text(value, end)?);
            w.consume(end);
        }
        let next = w.skip_ws(0)?;
        match w.byte(next)? {
            Some(b',') => w.consume(next + 1),
            Some(b'}') => {
                w.consume(next + 1);
                break;
            }
            _ => return Err(w.unexpected(next, "`,` or `}`")),
        }
    }
    let end = w.skip_ws(0)?;
    if w.byte(end)?.is_some() {
        return Err(syntax(format!(
            "trailing characters at byte {}",
            w.pos(end)
        )));
    }
    skeleton.push('}');
    document::for_each_object(&skeleton, |_| {})?;
    Ok(())
}

/// A window on the source: `buf[start..]` is read but not yet consumed. Positions handed
/// around are relative to `start`, so they survive the window moving.
struct Window<R> {
    src: R,
    buf: Vec<u8>,
    /// Where reads land before they join `buf`: zeroed once, so a source that answers in
    /// small reads (a pipe) costs a copy of what it gave, not a fresh 4 MiB each time.
    scratch: Vec<u8>,
    start: usize,
    eof: bool,
    /// Source bytes consumed before `buf[start]`, for error messages.
    offset: u64,
}

impl<R: Read> Window<R> {
    fn pos(&self, at: usize) -> u64 {
        self.offset + at as u64
    }

    fn unexpected(&self, at: usize, wanted: &str) -> StreamError {
        match self.buf.get(self.start + at) {
            Some(b) => syntax(format!(
                "expected {wanted} at byte {}, found `{}`",
                self.pos(at),
                char::from(*b).escape_default()
            )),
            None => syntax(format!("EOF while expecting {wanted}")),
        }
    }

    /// Makes `buf[start + at]` available if the source has it; false at the end.
    fn ensure(&mut self, at: usize) -> Result<bool, StreamError> {
        while self.start + at >= self.buf.len() {
            if self.eof {
                return Ok(false);
            }
            if self.start > 0 {
                self.buf.drain(..self.start);
                self.start = 0;
            }
            let n = loop {
                match self.src.read(&mut self.scratch) {
                    Ok(n) => break n,
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                    Err(e) => return Err(e.into()),
                }
            };
            self.buf.extend_from_slice(&self.scratch[..n]);
            self.eof = n == 0;
        }
        Ok(true)
    }

    fn byte(&mut self, at: usize) -> Result<Option<u8>, StreamError> {
        Ok(if self.ensure(at)? {
            Some(self.buf[self.start + at])
        } else {
            None
        })
    }

    fn consume(&mut self, n: usize) {
        self.start += n;
        self.offset += n as u64;
    }

    fn text(&self, from: usize, to: usize) -> Result<&str, StreamError> {
        std::str::from_utf8(&self.buf[self.start + from..self.start + to]).map_err(|e| {
            syntax(format!(
                "not UTF-8 at byte {}",
                self.pos(from + e.valid_up_to())
            ))
        })
    }

    /// The first position at or after `at` that is not JSON whitespace.
    fn skip_ws(&mut self, mut at: usize) -> Result<usize, StreamError> {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.byte(at)? {
            at += 1;
        }
        Ok(at)
    }

    /// Hands each element of a list whose `[` has just been consumed to `each`, and
    /// consumes the list through its `]`.
    fn elements(&mut self, each: &mut impl FnMut(&str)) -> Result<(), StreamError> {
        let first = self.skip_ws(0)?;
        if self.byte(first)? == Some(b']') {
            self.consume(first + 1);
            return Ok(());
        }
        loop {
            let at = self.skip_ws(0)?;
            let end = self.value_end(at)?;
            each(self.text(at, end)?);
            self.consume(end);
            let next = self.skip_ws(0)?;
            match self.byte(next)? {
                Some(b',') => self.consume(next + 1),
                Some(b']') => {
                    self.consume(next + 1);
                    return Ok(());
                }
                _ => return Err(self.unexpected(next, "`,` or `]`")),
            }
        }
    }

    /// The position just past the string that opens at `at`.
    fn string_end(&mut self, at: usize) -> Result<usize, StreamError> {
        let mut i = at + 1;
        loop {
            if !self.ensure(i)? {
                return Err(syntax("EOF while parsing a string"));
            }
            let rest = &self.buf[self.start + i..];
            match memchr::memchr2(b'"', b'\\', rest) {
                Some(k) if rest[k] == b'"' => return Ok(i + k + 1),
                Some(k) => i += k + 2,
                None => i += rest.len(),
            }
        }
    }

    /// The position just past the value that starts at `at`. Nesting is followed, not
    /// checked: the receiver parses the value.
    fn value_end(&mut self, at: usize) -> Result<usize, StreamError> {
        match self.byte(at)? {
            None => Err(syntax("EOF while parsing a value")),
            Some(b'"') => self.string_end(at),
            Some(open @ (b'{' | b'[')) => {
                // Only the opening kind nests around the end: `[`/`]` cannot close a `{`.
                let close = if open == b'{' { b'}' } else { b']' };
                let mut depth = 0usize;
                let mut i = at;
                loop {
                    if !self.ensure(i)? {
                        return Err(syntax("EOF while parsing a value"));
                    }
                    let rest = &self.buf[self.start + i..];
                    let Some(k) = memchr::memchr3(b'"', open, close, rest) else {
                        i += rest.len();
                        continue;
                    };
                    i += k;
                    match rest[k] {
                        b'"' => {
                            i = self.string_end(i)?;
                            continue;
                        }
                        b if b == open => depth += 1,
                        _ => depth -= 1,
                    }
                    i += 1;
                    if depth == 0 {
                        return Ok(i);
                    }
                }
            }
            Some(_) => {
                let mut i = at;
                while let Some(b) = self.byte(i)? {
                    if matches!(b, b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r') {
                        break;
                    }
                    i += 1;
                }
                Ok(i)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads one byte per call: every boundary case of the window is crossed.
    struct Trickle<'a>(&'a [u8]);

    impl Read for Trickle<'_> {
        fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
            match (self.0.split_first(), out.first_mut()) {
                (Some((b, rest)), Some(o)) => {
                    *o = *b;
                    self.0 = rest;
                    Ok(1)
                }
                _ => Ok(0),
            }
        }
    }

    fn split(text: &str) -> Result<Vec<String>, StreamError> {
        let mut whole = Vec::new();
        for_each_object(text.as_bytes(), |o| whole.push(o.to_owned()))?;
        let mut trickled = Vec::new();
        for_each_object(Trickle(text.as_bytes()), |o| trickled.push(o.to_owned()))?;
        assert_eq!(whole, trickled, "chunking changed the split of {text}");
        Ok(whole)
    }

    #[test]
    fn splits_objects_exactly_as_the_in_memory_reader() {
        let docs = [
            r#"{"type":"bundle","id":"bundle--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","objects":[{"a":1},{"b":"}{]["}]}"#,
            r#" { "more" : false , "objects" : [ {"a":"x\"}"} , [1,{"b":[]}] , "s" , 12.5e3 , null ] } "#,
            r#"{"objects":[]}"#,
            "{}",
            r#"{"next":"x","objects":[{"nested":{"deep":[{"d":"\\"}]}}]}"#,
        ];
        for d in docs {
            let expected: Vec<String> = document::objects(d)
                .unwrap()
                .iter()
                .map(|r| r.get().to_owned())
                .collect();
            assert_eq!(split(d).unwrap(), expected, "{d}");
        }
    }

    #[test]
    fn refuses_what_the_in_memory_reader_refuses() {
        let docs = [
            "",
            "{",
            "[1]",
            "x",
            r#"{"objects":{}}"#,
            r#"{"type":"bundle","id":"x","objects":[]}"#,
            r#"{"type":"indicator","objects":[]}"#,
            r#"{"objects":[]} trailing"#,
            r#"{"objects":[{"a":1} {"b":2}]}"#,
            r#"{"objects":[{"a":1},]}"#.trim_end_matches("]}"),
            r#"{"objects":[{"a":1}],}"#,
            r#"{"objects" [{"a":1}]}"#,
            r#"{"objects":[{"a":"unterminated}]}"#,
        ];
        for d in docs {
            assert!(document::objects(d).is_err(), "in memory accepted {d}");
            assert!(split(d).is_err(), "stream accepted {d}");
        }
        assert!(matches!(
            split(r#"{"objects":{}}"#),
            Err(StreamError::Document(DocumentError::ObjectsNotAList))
        ));
        assert!(matches!(
            split("[1]"),
            Err(StreamError::Document(DocumentError::NotAContainer))
        ));
    }

    #[test]
    fn names_the_byte_of_a_syntax_error() {
        let err = split(r#"{"objects":[{"a":1};{"b":2}]}"#).unwrap_err();
        assert_eq!(
            err.to_string(),
            "not valid JSON: expected `,` or `]` at byte 19, found `;`"
        );
    }

    #[test]
    fn refuses_bytes_that_are_not_utf8() {
        let mut doc = br#"{"objects":[{"a":""#.to_vec();
        doc.extend_from_slice(&[0xff, b'"', b'}', b']', b'}']);
        let err = for_each_object(&doc[..], |_| {}).unwrap_err();
        assert!(err.to_string().contains("not UTF-8 at byte 18"), "{err}");
    }

    #[test]
    fn a_second_objects_list_is_refused_before_any_of_it_is_handed_over() {
        let mut got = Vec::new();
        let e = for_each_object(&br#"{"objects":[{"a":1}],"objects":[{"b":2}]}"#[..], |o| {
            got.push(o.to_owned())
        })
        .unwrap_err();
        assert!(
            matches!(e, StreamError::Document(DocumentError::Repeated(ref m)) if m == "objects"),
            "{e:?}"
        );
        assert_eq!(got, [r#"{"a":1}"#]);
    }
}
