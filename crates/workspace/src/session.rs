//! Sign-in sessions: a random token in an `HttpOnly; SameSite=Strict` cookie (`Secure`
//! over TLS) names a session held on the server, which ends at sign-out, after
//! `IDLE` without use, or `LONGEST` after sign-in. Every state-changing request is a POST
//! carrying the session's CSRF token; the sign-in form carries one of its own (a cookie
//! and a field that must agree), so no other site can sign a browser in either.
//!
//! Sessions are kept in a file beside the node's databases (0600, written whole through a
//! temporary file), so restarting the node does not sign everyone out. The file holds each
//! token's digest, never the token: what it holds opens nothing. It is not part of a
//! backup (a restored node starts with no sessions: one ended since must not come back).
//! When a session was last used is written at most every `SAVE_USE_EVERY`, so after a
//! restart a session may end that much sooner than it would have, never later.
//!
//! The user is looked up again on every request: a removed user or a changed grant
//! applies at once, as on TAXII.

use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

pub const COOKIE: &str = "symbolon_session";
pub const LOGIN_COOKIE: &str = "symbolon_login";
/// A session not used for this long ends.
pub const IDLE: Duration = Duration::from_secs(30 * 60);
/// No session outlives this.
pub const LONGEST: Duration = Duration::from_secs(12 * 3600);
/// Sessions held at most; beyond it the oldest unused ends first.
const MOST: usize = 10_000;
/// A session's last use is written to the file when it is this much newer than the one
/// written (a write per request would be a write per page).
const SAVE_USE_EVERY: Duration = Duration::from_secs(60);

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Session {
    pub user: String,
    pub csrf: String,
    /// Seconds since the epoch.
    started: u64,
    used: u64,
    /// `used` as the file has it.
    #[serde(skip)]
    saved_used: u64,
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

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// A session as the file keeps it: the digest of its token, in hex, beside it.
#[derive(Serialize, Deserialize)]
struct Kept {
    digest: String,
    #[serde(flatten)]
    session: Session,
}

#[derive(Default)]
pub struct Sessions {
    held: Mutex<HashMap<[u8; 32], Session>>,
    /// Where they are kept (`None`: in memory only).
    file: Option<PathBuf>,
    /// Held while the file is written, so writes happen one at a time and the last one
    /// written holds the newest sessions.
    writing: Mutex<()>,
}

impl Sessions {
    /// The sessions kept at `file` that are still live (none yet, or unreadable: none).
    pub fn load(file: &Path) -> Sessions {
        let t = now();
        let kept: Vec<Kept> = match std::fs::read(file) {
            Ok(b) => serde_json::from_slice(&b).unwrap_or_else(|e| {
                tracing::warn!(
                    "the sessions kept in {} are unreadable ({e}); everyone signs in again",
                    file.display()
                );
                Vec::new()
            }),
            Err(_) => Vec::new(),
        };
        let held = kept
            .into_iter()
            .filter_map(|k| {
                let mut key = [0u8; 32];
                hex::decode_to_slice(&k.digest, &mut key).ok()?;
                let mut s = k.session;
                s.saved_used = s.used;
                live(&s, t).then_some((key, s))
            })
            .collect();
        Sessions {
            held: Mutex::new(held),
            file: Some(file.to_owned()),
            writing: Mutex::new(()),
        }
    }

    /// Starts a session for `user`; its token (for the cookie).
    pub fn start(&self, user: &str) -> String {
        let t = token();
        let now = now();
        {
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
                    saved_used: now,
                },
            );
        }
        self.save();
        t
    }

    /// The live session a token names (its use recorded).
    pub fn get(&self, token: &str) -> Option<Session> {
        let now = now();
        let key = digest(token);
        let (found, changed) = {
            let mut held = self.held.lock().unwrap_or_else(|p| p.into_inner());
            match held.get_mut(&key) {
                Some(s) if live(s, now) => {
                    s.used = now;
                    let stale = now.saturating_sub(s.saved_used) >= SAVE_USE_EVERY.as_secs();
                    (Some(s.clone()), stale)
                }
                Some(_) => {
                    held.remove(&key);
                    (None, true)
                }
                None => (None, false),
            }
        };
        if changed {
            self.save();
        }
        found
    }

    /// Ends the session a token names.
    pub fn end(&self, token: &str) {
        let ended = self
            .held
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(&digest(token))
            .is_some();
        if ended {
            self.save();
        }
    }

    /// Ends every session of `user` (removed, or signed out everywhere).
    pub fn end_all_of(&self, user: &str) {
        let ended = {
            let mut held = self.held.lock().unwrap_or_else(|p| p.into_inner());
            let before = held.len();
            held.retain(|_, s| s.user != user);
            held.len() < before
        };
        if ended {
            self.save();
        }
    }

    /// Writes the live sessions to the file, whole ([`crate::keep`]). A failure is logged:
    /// the sessions go on in memory.
    fn save(&self) {
        let Some(file) = &self.file else { return };
        let _one_at_a_time = self.writing.lock().unwrap_or_else(|p| p.into_inner());
        let t = now();
        let kept: Vec<Kept> = {
            let mut held = self.held.lock().unwrap_or_else(|p| p.into_inner());
            held.retain(|_, s| live(s, t));
            held.iter_mut()
                .map(|(key, s)| {
                    s.saved_used = s.used;
                    Kept {
                        digest: hex::encode(key),
                        session: s.clone(),
                    }
                })
                .collect()
        };
        let written = serde_json::to_vec(&kept)
            .map_err(std::io::Error::other)
            .and_then(|text| crate::keep::replace(file, &text));
        if let Err(e) = written {
            tracing::warn!(
                "could not keep the sessions in {} ({e}); a restart will sign everyone out",
                file.display()
            );
        }
    }
}

fn live(s: &Session, now: u64) -> bool {
    now.saturating_sub(s.used) < IDLE.as_secs() && now.saturating_sub(s.started) < LONGEST.as_secs()
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
    fn sessions_outlive_a_restart_but_not_their_end_and_the_file_opens_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("sessions.json");
        let s = Sessions::load(&file);
        let (kept, ended, everywhere) = (s.start("alice"), s.start("bob"), s.start("carol"));
        s.end(&ended);
        s.end_all_of("carol");
        let csrf = s.get(&kept).unwrap().csrf;
        drop(s);

        let text = std::fs::read_to_string(&file).unwrap();
        assert!(!text.contains(&kept) && !text.contains(&ended), "{text}");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&file).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let again = Sessions::load(&file);
        let got = again.get(&kept).expect("a session outlives a restart");
        assert_eq!((got.user.as_str(), got.csrf), ("alice", csrf));
        assert!(again.get(&ended).is_none());
        assert!(again.get(&everywhere).is_none());
    }

    #[test]
    fn an_expired_or_unreadable_file_starts_with_no_sessions() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("sessions.json");
        let s = Sessions::load(&file);
        let t = s.start("alice");
        drop(s);
        // Last used longer ago than IDLE: gone at the next start.
        let text = std::fs::read_to_string(&file).unwrap();
        let old = now() - IDLE.as_secs() - 1;
        let mut v: serde_json::Value = serde_json::from_str(&text).unwrap();
        v[0]["used"] = old.into();
        std::fs::write(&file, v.to_string()).unwrap();
        assert!(Sessions::load(&file).get(&t).is_none());
        std::fs::write(&file, "not json").unwrap();
        assert!(Sessions::load(&file).get(&t).is_none());
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
