//! The tokens of the STIX patterning language (STIX 2.1 §9, the OASIS ANTLR grammar
//! `STIXPattern.g4`): one pass over the text, each token with the byte offset it starts at,
//! so that an error can say where the pattern went wrong.

use super::PatternError;

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Tok {
    /// `[a-zA-Z_][a-zA-Z0-9_-]*` that is not a keyword; `hyphen` when it holds one (only
    /// object types may).
    Ident {
        text: String,
        hyphen: bool,
    },
    Str(String),
    /// `h'…'`: hex digits, in pairs.
    Hex(String),
    /// `b'…'`: base64.
    Binary(String),
    /// `t'…'`: an RFC 3339 timestamp in UTC.
    Timestamp(String),
    Int(i64),
    Float(f64),
    Bool(bool),
    Kw(Kw),
    Op(Op),
    LBrack,
    RBrack,
    LParen,
    RParen,
    Colon,
    Dot,
    Comma,
    Star,
}

/// Keywords (upper case, as the grammar spells them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kw {
    And,
    Or,
    Not,
    FollowedBy,
    Like,
    Matches,
    IsSuperset,
    IsSubset,
    Exists,
    Last,
    In,
    Start,
    Stop,
    Seconds,
    Within,
    Repeats,
    Times,
}

/// Comparison operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Eq,
    Neq,
    Lt,
    Le,
    Gt,
    Ge,
}

fn keyword(word: &str) -> Option<Tok> {
    Some(match word {
        "AND" => Tok::Kw(Kw::And),
        "OR" => Tok::Kw(Kw::Or),
        "NOT" => Tok::Kw(Kw::Not),
        "FOLLOWEDBY" => Tok::Kw(Kw::FollowedBy),
        "LIKE" => Tok::Kw(Kw::Like),
        "MATCHES" => Tok::Kw(Kw::Matches),
        "ISSUPERSET" => Tok::Kw(Kw::IsSuperset),
        "ISSUBSET" => Tok::Kw(Kw::IsSubset),
        "EXISTS" => Tok::Kw(Kw::Exists),
        "LAST" => Tok::Kw(Kw::Last),
        "IN" => Tok::Kw(Kw::In),
        "START" => Tok::Kw(Kw::Start),
        "STOP" => Tok::Kw(Kw::Stop),
        "SECONDS" => Tok::Kw(Kw::Seconds),
        "WITHIN" => Tok::Kw(Kw::Within),
        "REPEATS" => Tok::Kw(Kw::Repeats),
        "TIMES" => Tok::Kw(Kw::Times),
        "true" => Tok::Bool(true),
        "false" => Tok::Bool(false),
        _ => return None,
    })
}

/// The grammar's `WS` rule: ASCII and Unicode spaces.
fn is_space(c: char) -> bool {
    matches!(
        c,
        ' ' | '\t'
            | '\r'
            | '\n'
            | '\u{0B}'
            | '\u{0C}'
            | '\u{85}'
            | '\u{A0}'
            | '\u{1680}'
            | '\u{2000}'
            ..='\u{200A}' | '\u{2028}' | '\u{2029}' | '\u{202F}' | '\u{205F}' | '\u{3000}'
    )
}

struct Lexer<'a> {
    text: &'a str,
    pos: usize,
}

impl<'a> Lexer<'a> {
    fn rest(&self) -> &'a str {
        &self.text[self.pos..]
    }

    fn fail(&self, at: usize, what: impl Into<String>) -> PatternError {
        PatternError {
            offset: Some(at),
            message: what.into(),
        }
    }

    /// Skips spaces and `/* */` and `//` comments.
    fn skip_blank(&mut self) -> Result<(), PatternError> {
        loop {
            let rest = self.rest();
            let trimmed = rest.trim_start_matches(is_space);
            self.pos += rest.len() - trimmed.len();
            if let Some(body) = trimmed.strip_prefix("/*") {
                let end = body
                    .find("*/")
                    .ok_or_else(|| self.fail(self.pos, "a `/*` comment is never closed"))?;
                self.pos += 2 + end + 2;
            } else if let Some(body) = trimmed.strip_prefix("//") {
                self.pos += 2 + body.find(['\r', '\n']).unwrap_or(body.len());
            } else {
                return Ok(());
            }
        }
    }

    /// A quoted literal's body from the opening quote at `self.pos`: `\'` and `\\` are the
    /// only escapes.
    fn quoted(&mut self) -> Result<String, PatternError> {
        let start = self.pos;
        let mut out = String::new();
        let mut chars = self.text[start + 1..].char_indices();
        while let Some((i, c)) = chars.next() {
            match c {
                '\'' => {
                    self.pos = start + 1 + i + 1;
                    return Ok(out);
                }
                '\\' => match chars.next() {
                    Some((_, e @ ('\'' | '\\'))) => out.push(e),
                    _ => {
                        return Err(self.fail(
                            start + 1 + i,
                            "a backslash in a string may only escape `'` or `\\`",
                        ));
                    }
                },
                c => out.push(c),
            }
        }
        Err(self.fail(start, "a string literal is never closed"))
    }

    fn number(&mut self) -> Result<Tok, PatternError> {
        let start = self.pos;
        let b = self.text.as_bytes();
        let mut i = start;
        if matches!(b[i], b'+' | b'-') {
            i += 1;
        }
        let int_start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        let int_digits = i - int_start;
        let mut float = false;
        if i < b.len() && b[i] == b'.' && i + 1 < b.len() && b[i + 1].is_ascii_digit() {
            float = true;
            i += 1;
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
        }
        let text = &self.text[start..i];
        if int_digits == 0 && !float {
            return Err(self.fail(start, format!("`{}` is not a number", &text[..1])));
        }
        self.pos = i;
        if float {
            return text
                .parse::<f64>()
                .map(Tok::Float)
                .map_err(|_| self.fail(start, format!("`{text}` is not a number")));
        }
        // The grammar allows no leading zero in an integer (`0` alone is fine).
        let digits = &self.text[int_start..i];
        if digits.len() > 1 && digits.starts_with('0') {
            return Err(self.fail(start, format!("`{text}`: integers have no leading zero")));
        }
        text.parse::<i64>()
            .map(Tok::Int)
            .map_err(|_| self.fail(start, format!("`{text}` does not fit in 64 bits")))
    }
}

/// The tokens of `text`, each with its byte offset.
pub(super) fn tokens(text: &str) -> Result<Vec<(usize, Tok)>, PatternError> {
    let mut lx = Lexer { text, pos: 0 };
    let mut out = Vec::new();
    loop {
        lx.skip_blank()?;
        let at = lx.pos;
        let Some(c) = lx.rest().chars().next() else {
            return Ok(out);
        };
        let next = lx.rest()[c.len_utf8()..].chars().next();
        let tok = match c {
            '[' => Tok::LBrack,
            ']' => Tok::RBrack,
            '(' => Tok::LParen,
            ')' => Tok::RParen,
            ':' => Tok::Colon,
            ',' => Tok::Comma,
            '*' => Tok::Star,
            '.' if next.is_some_and(|n| n.is_ascii_digit()) => {
                out.push((at, lx.number()?));
                continue;
            }
            '.' => Tok::Dot,
            '=' => {
                if next == Some('=') {
                    lx.pos += 1;
                }
                Tok::Op(Op::Eq)
            }
            '!' if next == Some('=') => {
                lx.pos += 1;
                Tok::Op(Op::Neq)
            }
            '<' => match next {
                Some('=') => {
                    lx.pos += 1;
                    Tok::Op(Op::Le)
                }
                Some('>') => {
                    lx.pos += 1;
                    Tok::Op(Op::Neq)
                }
                _ => Tok::Op(Op::Lt),
            },
            '>' => {
                if next == Some('=') {
                    lx.pos += 1;
                    Tok::Op(Op::Ge)
                } else {
                    Tok::Op(Op::Gt)
                }
            }
            '\'' => {
                let s = lx.quoted()?;
                out.push((at, Tok::Str(s)));
                continue;
            }
            '0'..='9' | '+' | '-' => {
                out.push((at, lx.number()?));
                continue;
            }
            c if c.is_ascii_alphabetic() || c == '_' => {
                // h'…', b'…' and t'…' are literals, not identifiers.
                if next == Some('\'') && matches!(c, 'h' | 'b' | 't') {
                    lx.pos += 1;
                    let body = lx.quoted()?;
                    out.push((at, typed_literal(c, body, at)?));
                    continue;
                }
                let len = lx
                    .rest()
                    .find(|ch: char| !(ch.is_ascii_alphanumeric() || ch == '_' || ch == '-'))
                    .unwrap_or(lx.rest().len());
                let word = &lx.rest()[..len];
                lx.pos += len;
                out.push((
                    at,
                    keyword(word).unwrap_or_else(|| Tok::Ident {
                        text: word.to_owned(),
                        hyphen: word.contains('-'),
                    }),
                ));
                continue;
            }
            other => {
                return Err(lx.fail(at, format!("unexpected character `{other}`")));
            }
        };
        lx.pos += c.len_utf8();
        out.push((at, tok));
    }
}

fn typed_literal(kind: char, body: String, at: usize) -> Result<Tok, PatternError> {
    let fail = |what: &str| PatternError {
        offset: Some(at),
        message: what.to_owned(),
    };
    match kind {
        'h' => {
            if body.len().is_multiple_of(2) && body.bytes().all(|b| b.is_ascii_hexdigit()) {
                Ok(Tok::Hex(body))
            } else {
                Err(fail("a hex literal holds pairs of hex digits"))
            }
        }
        'b' => {
            if is_base64(&body) {
                Ok(Tok::Binary(body))
            } else {
                Err(fail("a binary literal holds base64 (in groups of four)"))
            }
        }
        _ => {
            if is_pattern_timestamp(&body) {
                Ok(Tok::Timestamp(body))
            } else {
                Err(fail(
                    "a timestamp literal is t'YYYY-MM-DDTHH:MM:SS[.s]Z' with a valid date and time",
                ))
            }
        }
    }
}

fn is_base64(s: &str) -> bool {
    let b = s.as_bytes();
    if b.is_empty() || !b.len().is_multiple_of(4) {
        return false;
    }
    let pad = b.iter().rev().take_while(|c| **c == b'=').count();
    pad <= 2
        && b[..b.len() - pad]
            .iter()
            .all(|c| c.is_ascii_alphanumeric() || *c == b'+' || *c == b'/')
}

/// The grammar's `TimestampLiteral` body: `YYYY-MM-DDTHH:MM:SS(.d+)?Z`, month 01-12, day
/// 01-31, hour 00-23, minute 00-59, second 00-60.
fn is_pattern_timestamp(s: &str) -> bool {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| {
        b.get(r.clone())
            .is_some_and(|d| d.iter().all(u8::is_ascii_digit))
    };
    let num = |r: std::ops::Range<usize>| s[r].parse::<u32>().unwrap_or(99);
    if b.len() < 20
        || !digits(0..4)
        || b[4] != b'-'
        || !digits(5..7)
        || b[7] != b'-'
        || !digits(8..10)
        || b[10] != b'T'
        || !digits(11..13)
        || b[13] != b':'
        || !digits(14..16)
        || b[16] != b':'
        || !digits(17..19)
    {
        return false;
    }
    let (month, day, hour, minute, second) =
        (num(5..7), num(8..10), num(11..13), num(14..16), num(17..19));
    if !(1..=12).contains(&month)
        || !(1..=31).contains(&day)
        || hour > 23
        || minute > 59
        || second > 60
    {
        return false;
    }
    match &b[19..] {
        [b'Z'] => true,
        [b'.', frac @ .., b'Z'] => !frac.is_empty() && frac.iter().all(u8::is_ascii_digit),
        _ => false,
    }
}
