//! Sign-in sessions: a random token in an `HttpOnly; SameSite=Strict` cookie (`Secure`
//! over TLS) names a session held on the server, which ends at sign-out, after
//! `IDLE` without use, or `LONGEST` after sign-in. Every state-changing request is a POST
//! carrying the session's CSRF token; the sign-in form carries one of its own (a cookie
//! and a field that must agree), so no other site can sign a browser in either.
//!
//! The user is looked up again on every request: a removed user or a changed grant
//! applies at once, as on TAXII.

use rand::RngCore;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub const COOKIE: &str = "symbolon_session";
pub const LOGIN_COOKIE: &str = "symbolon_login";
/// A session not used for this long ends.
pub const IDLE: Duration = Duration::from_secs(30 * 60);
/// No session outlives this.
pub const LONGEST: Duration = Duration::from_secs(12 * 3600);
/// Sessions held at most; beyond it the oldest unused ends first.
const MOST: usize = 10_000;

#[derive(Debug, Clone)]
pub struct Session {
    pub user: String,
    pub csrf: String,
    started: Instant,
    used: Instant,
}

/// A fresh random token (256 bits, hex).
pub fn token() -> String {
    let mut b = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut b);
    hex::encode(b)
}

/// Tokens are held by their digest: what the server keeps cannot be replayed.
fn digest(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}

#[derive(Default)]
pub struct Sessions {
    held: Mutex<HashMap<[u8; 32], Session>>,
}

impl Sessions {
    /// Starts a session for `user`; its token (for the cookie).
    pub fn start(&self, user: &str) -> String {
        let t = token();
        let now = Instant::now();
        let mut held = self.held.lock().unwrap_or_else(|p| p.into_inner());
        if held.len() >= MOST {
            held.retain(|_, s| live(s, now));
            if held.len() >= MOST
                && let Some(oldest) = held.iter().min_by_key(|(_, s)| s.used).map(|(k, _)| *k)
            {
                held.remove(&oldest);
            }
        }
        held.insert(
            digest(&t),
            Session {
                user: user.to_owned(),
                csrf: token(),
                started: now,
                used: now,
            },
        );
        t
    }

    /// The live session a token names (its use recorded).
    pub fn get(&self, token: &str) -> Option<Session> {
        let now = Instant::now();
        let mut held = self.held.lock().unwrap_or_else(|p| p.into_inner());
        let key = digest(token);
        match held.get_mut(&key) {
            Some(s) if live(s, now) => {
                s.used = now;
                Some(s.clone())
            }
            Some(_) => {
                held.remove(&key);
                None
            }
            None => None,
        }
    }

    /// Ends the session a token names.
    pub fn end(&self, token: &str) {
        self.held
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(&digest(token));
    }

    /// Ends every session of `user` (removed, or signed out everywhere).
    pub fn end_all_of(&self, user: &str) {
        self.held
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .retain(|_, s| s.user != user);
    }
}

fn live(s: &Session, now: Instant) -> bool {
    now.duration_since(s.used) < IDLE && now.duration_since(s.started) < LONGEST
}

/// The value of cookie `name` in a `Cookie` header.
pub fn cookie<'a>(header: Option<&'a str>, name: &str) -> Option<&'a str> {
    header?.split(';').find_map(|c| {
        let (k, v) = c.trim().split_once('=')?;
        (k.trim() == name).then(|| v.trim())
    })
}

/// A `Set-Cookie` value for the workspace's path.
pub fn set_cookie(name: &str, value: &str, secure: bool, max_age: Option<u64>) -> String {
    let mut c = format!("{name}={value}; Path=/ui; HttpOnly; SameSite=Strict");
    if secure {
        c.push_str("; Secure");
    }
    if let Some(age) = max_age {
        c.push_str(&format!("; Max-Age={age}"));
    }
    c
}

/// Compares two secrets in time independent of where they differ.
pub fn same_secret(a: &str, b: &str) -> bool {
    let (a, b) = (digest(a), digest(b));
    a.iter()
        .zip(b.iter())
        .fold(0u8, |acc, (x, y)| acc | (x ^ y))
        == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_session_lives_until_it_is_ended() {
        let s = Sessions::default();
        let t = s.start("alice");
        let got = s.get(&t).unwrap();
        assert_eq!(got.user, "alice");
        assert_eq!(got.csrf.len(), 64);
        assert!(s.get(&token()).is_none());
        s.end(&t);
        assert!(s.get(&t).is_none());
        let t2 = s.start("bob");
        s.end_all_of("bob");
        assert!(s.get(&t2).is_none());
    }

    #[test]
    fn cookies_are_read_by_exact_name() {
        let h = Some("a=1; symbolon_session=abc; symbolon_session_x=zzz");
        assert_eq!(cookie(h, COOKIE), Some("abc"));
        assert_eq!(cookie(h, "b"), None);
        assert!(set_cookie(COOKIE, "v", true, None).contains("HttpOnly; SameSite=Strict; Secure"));
        assert!(!set_cookie(COOKIE, "v", false, None).contains("Secure"));
        assert!(same_secret("abc", "abc") && !same_secret("abc", "abd"));
    }
}
