//! Recursive descent over the tokens, one function per precedence level of the grammar:
//! `FOLLOWEDBY` < `OR` < `AND` between observations, `OR` < `AND` between comparisons.
//! Each level loops over its operands; only brackets and parentheses recurse, counted
//! against [`super::MAX_NESTING`].

use super::lex::{Kw, Tok, tokens};
use super::{
    Comparison, Literal, MAX_NESTING, ObjectPath, Observation, Pattern, PatternError, Qualifier,
    Step, Test,
};

struct Parser<'s> {
    source: &'s str,
    toks: Vec<(usize, Tok)>,
    pos: usize,
    end: usize,
    depth: usize,
}

/// How a token is named in an error.
fn describe(t: &Tok) -> String {
    match t {
        Tok::Ident { text, .. } => format!("`{text}`"),
        Tok::Str(s) => format!("the string '{s}'"),
        Tok::Hex(_) => "a hex literal".into(),
        Tok::Binary(_) => "a binary literal".into(),
        Tok::Timestamp(_) => "a timestamp literal".into(),
        Tok::Int(i) => format!("`{i}`"),
        Tok::Float(f) => format!("`{f}`"),
        Tok::Bool(b) => format!("`{b}`"),
        Tok::Kw(k) => format!("`{}`", format!("{k:?}").to_uppercase()),
        Tok::Op(o) => format!("the operator {o:?}"),
        Tok::LBrack => "`[`".into(),
        Tok::RBrack => "`]`".into(),
        Tok::LParen => "`(`".into(),
        Tok::RParen => "`)`".into(),
        Tok::Colon => "`:`".into(),
        Tok::Dot => "`.`".into(),
        Tok::Comma => "`,`".into(),
        Tok::Star => "`*`".into(),
    }
}

impl Parser<'_> {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos).map(|(_, t)| t)
    }

    fn offset(&self) -> usize {
        self.toks.get(self.pos).map_or(self.end, |(o, _)| *o)
    }

    fn fail<T>(&self, expected: &str) -> Result<T, PatternError> {
        let found = self
            .peek()
            .map_or_else(|| "the end of the pattern".to_owned(), describe);
        Err(PatternError {
            offset: Some(self.offset()),
            message: format!("expected {expected}, found {found}"),
        })
    }

    fn eat(&mut self, t: &Tok) -> bool {
        if self.peek() == Some(t) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn expect(&mut self, t: &Tok, expected: &str) -> Result<(), PatternError> {
        if self.eat(t) {
            Ok(())
        } else {
            self.fail(expected)
        }
    }

    fn kw(&mut self, k: Kw) -> bool {
        self.eat(&Tok::Kw(k))
    }

    fn deeper(&mut self) -> Result<(), PatternError> {
        self.depth += 1;
        if self.depth > MAX_NESTING {
            return Err(PatternError {
                offset: Some(self.offset()),
                message: format!("brackets and parentheses nest deeper than {MAX_NESTING}"),
            });
        }
        Ok(())
    }

    /// `observationExpressions`: operands joined by FOLLOWEDBY, each joined by OR, each by
    /// AND.
    fn observations(&mut self) -> Result<Observation, PatternError> {
        let mut followed = vec![self.observations_or()?];
        while self.kw(Kw::FollowedBy) {
            followed.push(self.observations_or()?);
        }
        Ok(one_or(followed, Observation::FollowedBy))
    }

    fn observations_or(&mut self) -> Result<Observation, PatternError> {
        let mut any = vec![self.observations_and()?];
        while self.kw(Kw::Or) {
            any.push(self.observations_and()?);
        }
        Ok(one_or(any, Observation::Or))
    }

    fn observations_and(&mut self) -> Result<Observation, PatternError> {
        let mut all = vec![self.observation()?];
        while self.kw(Kw::And) {
            all.push(self.observation()?);
        }
        Ok(one_or(all, Observation::And))
    }

    /// `[ comparison ]` or `( observations )`, then any qualifiers.
    fn observation(&mut self) -> Result<Observation, PatternError> {
        let simple = self.peek() == Some(&Tok::LBrack);
        let mut o = if self.eat(&Tok::LBrack) {
            self.deeper()?;
            let c = self.comparisons()?;
            self.expect(&Tok::RBrack, "`]` or a further comparison")?;
            self.depth -= 1;
            Observation::Simple(c)
        } else if self.eat(&Tok::LParen) {
            self.deeper()?;
            let o = self.observations()?;
            self.expect(&Tok::RParen, "`)` or a further observation")?;
            self.depth -= 1;
            o
        } else {
            return self.fail("`[` or `(` opening an observation expression");
        };
        // A simple observation takes each kind of qualifier once; a parenthesised group
        // starts afresh (as the OASIS validator has it).
        let mut seen = [false; 3];
        loop {
            let at = self.offset();
            let Some(q) = self.qualifier()? else {
                return Ok(o);
            };
            let (i, name) = match q {
                Qualifier::StartStop(..) => (0, "START/STOP"),
                Qualifier::Within(_) => (1, "WITHIN"),
                Qualifier::Repeats(_) => (2, "REPEATS"),
            };
            if simple && std::mem::replace(&mut seen[i], true) {
                return Err(PatternError {
                    offset: Some(at),
                    message: format!("{name} is applied twice to one observation"),
                });
            }
            o = Observation::Qualified(Box::new(o), q);
        }
    }

    fn qualifier(&mut self) -> Result<Option<Qualifier>, PatternError> {
        if self.kw(Kw::Start) {
            let start = self.timestamp("a timestamp after START")?;
            if !self.kw(Kw::Stop) {
                return self.fail("STOP");
            }
            let stop = self.timestamp("a timestamp after STOP")?;
            return Ok(Some(Qualifier::StartStop(start, stop)));
        }
        if self.kw(Kw::Within) {
            let seconds = match self.peek() {
                Some(Tok::Int(i)) if self.sign_free() => *i as f64,
                Some(Tok::Float(f)) if self.sign_free() => *f,
                _ => return self.fail("a positive number of seconds after WITHIN"),
            };
            self.pos += 1;
            if !self.kw(Kw::Seconds) {
                return self.fail("SECONDS");
            }
            return Ok(Some(Qualifier::Within(seconds)));
        }
        if self.kw(Kw::Repeats) {
            let times = match self.peek() {
                Some(Tok::Int(i)) if self.sign_free() => *i,
                _ => return self.fail("a positive integer after REPEATS"),
            };
            self.pos += 1;
            if !self.kw(Kw::Times) {
                return self.fail("TIMES");
            }
            return Ok(Some(Qualifier::Repeats(times)));
        }
        Ok(None)
    }

    /// Whether the current number token was written without `-` (the grammar's
    /// `IntPosLiteral`/`FloatPosLiteral`).
    fn sign_free(&self) -> bool {
        let (at, _) = &self.toks[self.pos];
        self.source_byte(*at).is_none_or(|b| b != b'-')
    }

    fn source_byte(&self, at: usize) -> Option<u8> {
        self.source.as_bytes().get(at).copied()
    }

    fn timestamp(&mut self, expected: &str) -> Result<String, PatternError> {
        match self.peek() {
            Some(Tok::Timestamp(t)) => {
                let t = t.clone();
                self.pos += 1;
                Ok(t)
            }
            _ => self.fail(expected),
        }
    }

    fn comparisons(&mut self) -> Result<Comparison, PatternError> {
        let mut any = vec![self.comparisons_and()?];
        while self.kw(Kw::Or) {
            any.push(self.comparisons_and()?);
        }
        Ok(one_or(any, Comparison::Or))
    }

    fn comparisons_and(&mut self) -> Result<Comparison, PatternError> {
        let mut all = vec![self.property_test()?];
        while self.kw(Kw::And) {
            all.push(self.property_test()?);
        }
        Ok(one_or(all, Comparison::And))
    }

    fn property_test(&mut self) -> Result<Comparison, PatternError> {
        if self.eat(&Tok::LParen) {
            self.deeper()?;
            let c = self.comparisons()?;
            self.expect(&Tok::RParen, "`)` or a further comparison")?;
            self.depth -= 1;
            return Ok(c);
        }
        let not_first = self.kw(Kw::Not);
        if self.kw(Kw::Exists) {
            let path = self.object_path()?;
            return Ok(Comparison::Exists {
                path,
                negated: not_first,
            });
        }
        if not_first {
            return self.fail("EXISTS after a leading NOT");
        }
        let path = self.object_path()?;
        let negated = self.kw(Kw::Not);
        let test = match self.peek().cloned() {
            Some(Tok::Op(op)) => {
                self.pos += 1;
                let lit = self.literal()?;
                let orderable = !matches!(lit, Literal::Bool(_));
                if !matches!(op, super::Op::Eq | super::Op::Neq) && !orderable {
                    return Err(PatternError {
                        offset: Some(self.toks[self.pos - 1].0),
                        message: "an ordering comparison needs a value that has an order, not a boolean".into(),
                    });
                }
                Test::Compare(op, lit)
            }
            Some(Tok::Kw(Kw::In)) => {
                self.pos += 1;
                self.expect(&Tok::LParen, "`(` opening the set after IN")?;
                let mut members = Vec::new();
                if !self.eat(&Tok::RParen) {
                    loop {
                        members.push(self.literal()?);
                        if self.eat(&Tok::RParen) {
                            break;
                        }
                        self.expect(&Tok::Comma, "`,` or `)` in the set")?;
                    }
                }
                Test::In(members)
            }
            Some(Tok::Kw(k @ (Kw::Like | Kw::Matches | Kw::IsSubset | Kw::IsSuperset))) => {
                self.pos += 1;
                let Some(Tok::Str(s)) = self.peek().cloned() else {
                    return self.fail("a string");
                };
                self.pos += 1;
                match k {
                    Kw::Like => Test::Like(s),
                    Kw::Matches => Test::Matches(s),
                    Kw::IsSubset => Test::IsSubset(s),
                    _ => Test::IsSuperset(s),
                }
            }
            _ => return self.fail("a comparison operator (=, !=, <, <=, >, >=, IN, LIKE, MATCHES, ISSUBSET, ISSUPERSET)"),
        };
        Ok(Comparison::Test {
            path,
            negated,
            test,
        })
    }

    fn literal(&mut self) -> Result<Literal, PatternError> {
        let lit = match self.peek() {
            Some(Tok::Int(i)) => Literal::Int(*i),
            Some(Tok::Float(f)) => Literal::Float(*f),
            Some(Tok::Str(s)) => Literal::Str(s.clone()),
            Some(Tok::Bool(b)) => Literal::Bool(*b),
            Some(Tok::Binary(b)) => Literal::Binary(b.clone()),
            Some(Tok::Hex(h)) => Literal::Hex(h.clone()),
            Some(Tok::Timestamp(t)) => Literal::Timestamp(t.clone()),
            _ => return self.fail("a literal value"),
        };
        self.pos += 1;
        Ok(lit)
    }

    /// `type:first(.key | [index])*`
    fn object_path(&mut self) -> Result<ObjectPath, PatternError> {
        let object_type = match self.peek() {
            Some(Tok::Ident { text, .. }) => text.clone(),
            _ => return self.fail("an object path (`type:property`)"),
        };
        self.pos += 1;
        self.expect(&Tok::Colon, "`:` after the object type")?;
        let mut steps = vec![match self.peek() {
            Some(Tok::Ident {
                text,
                hyphen: false,
            }) => Step::Key(text.clone()),
            Some(Tok::Str(s)) => Step::Key(s.clone()),
            _ => return self.fail("a property name (quote it if it holds a hyphen)"),
        }];
        self.pos += 1;
        loop {
            if self.eat(&Tok::Dot) {
                steps.push(match self.peek() {
                    Some(Tok::Ident {
                        text,
                        hyphen: false,
                    }) => Step::Key(text.clone()),
                    Some(Tok::Str(s)) => Step::Key(s.clone()),
                    _ => {
                        return self
                            .fail("a property name after `.` (quote it if it holds a hyphen)");
                    }
                });
                self.pos += 1;
            } else if self.peek() == Some(&Tok::LBrack)
                && matches!(
                    self.toks.get(self.pos + 1).map(|t| &t.1),
                    Some(Tok::Int(_) | Tok::Star)
                )
            {
                self.pos += 1;
                let index = match self.peek() {
                    Some(Tok::Int(i)) => Some(*i),
                    _ => None,
                };
                self.pos += 1;
                self.expect(&Tok::RBrack, "`]` closing the list index")?;
                steps.push(Step::Index(index));
            } else {
                return Ok(ObjectPath { object_type, steps });
            }
        }
    }
}

fn one_or<T>(mut items: Vec<T>, join: fn(Vec<T>) -> T) -> T {
    if items.len() == 1 {
        items.pop().expect("one item")
    } else {
        join(items)
    }
}

pub(super) fn pattern(text: &str) -> Result<Pattern, PatternError> {
    let mut p = Parser {
        toks: tokens(text)?,
        pos: 0,
        end: text.len(),
        depth: 0,
        source: text,
    };
    if p.toks.is_empty() {
        return Err(PatternError {
            offset: Some(0),
            message: "the pattern is empty".into(),
        });
    }
    let root = p.observations()?;
    if p.pos < p.toks.len() {
        return p.fail("AND, OR, FOLLOWEDBY, a qualifier or the end of the pattern");
    }
    Ok(Pattern { root })
}
