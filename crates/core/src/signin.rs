//! Password checks for every door that takes one (TAXII Basic, the workspace's sign-in),
//! with guessing slowed down per user name.
//!
//! Five attempts in a row go unhindered; after that a name waits 1, 2, 4 … up to 60
//! seconds after each attempt before the next is even checked, and a check counts as an
//! attempt from the moment it starts (concurrent guesses do not slip through together).
//! A correct password clears the count. Slowing rather than locking: a guesser gets at
//! most one try a minute per name, while the user, even during an attack, waits at most a
//! minute — a lock-out would hand the attacker a way to keep analysts out.
//!
//! Unknown names are checked as long as known ones (against a hash nobody's password
//! matches) and slowed alike, so neither timing nor a refusal tells which users exist. What
//! is remembered of unknown names is bounded (`MOST_UNKNOWN`); known ones are as many as
//! the node's users.

use crate::{Core, Result};
use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

/// Attempts a name gets before each further one waits.
const FREE_ATTEMPTS: u32 = 5;
/// The longest wait between two attempts on one name.
const LONGEST_WAIT: Duration = Duration::from_secs(60);
/// Unknown names remembered at once; beyond, the stalest are forgotten.
const MOST_UNKNOWN: usize = 10_000;

/// What checking a password found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PasswordCheck {
    Verified,
    /// Unknown user or wrong password (which, is not said).
    Wrong,
    /// Too many attempts on this name: not checked; try again after this long.
    Slowed(Duration),
}

/// A wait as the whole seconds of a `Retry-After` header (rounded up: never "0").
pub fn retry_after_secs(wait: Duration) -> u64 {
    wait.as_secs() + u64::from(wait.subsec_nanos() > 0)
}

#[derive(Debug, Clone, Copy)]
struct Tries {
    count: u32,
    last: Instant,
    known: bool,
}

fn wait_after(count: u32) -> Duration {
    if count < FREE_ATTEMPTS {
        return Duration::ZERO;
    }
    let exp = (count - FREE_ATTEMPTS).min(6);
    Duration::from_secs(1 << exp).min(LONGEST_WAIT)
}

/// The attempts on each name, as the node has seen them since it started.
#[derive(Default)]
pub struct Guesses {
    table: Mutex<Table>,
}

#[derive(Default)]
struct Table {
    tries: HashMap<String, Tries>,
    /// How many of `tries` are unknown names (kept with the map, not counted from it).
    unknown: usize,
}

impl Table {
    fn forget(&mut self, name: &str) {
        if let Some(t) = self.tries.remove(name)
            && !t.known
        {
            self.unknown = self.unknown.saturating_sub(1);
        }
    }

    /// Room for one more unknown name: the names whose wait is long over go, then, if
    /// still full, the stalest half.
    fn make_room(&mut self, now: Instant) {
        self.tries
            .retain(|_, t| t.known || now < t.last + LONGEST_WAIT);
        let mut stale: Vec<(Instant, String)> = self
            .tries
            .iter()
            .filter(|(_, t)| !t.known)
            .map(|(n, t)| (t.last, n.clone()))
            .collect();
        if stale.len() >= MOST_UNKNOWN {
            stale.sort_unstable();
            for (_, n) in stale.iter().take(MOST_UNKNOWN / 2) {
                self.tries.remove(n);
            }
        }
        self.unknown = self.tries.values().filter(|t| !t.known).count();
    }
}

impl Guesses {
    /// Counts an attempt on `name` that may go ahead, or says how long until one may.
    fn attempt(&self, name: &str, known: bool, now: Instant) -> std::result::Result<(), Duration> {
        let mut table = self.table.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(t) = table.tries.get_mut(name) {
            let ready = t.last + wait_after(t.count);
            if now < ready {
                return Err(ready - now);
            }
            t.count = t.count.saturating_add(1);
            t.last = now;
            return Ok(());
        }
        if !known {
            if table.unknown >= MOST_UNKNOWN {
                table.make_room(now);
            }
            table.unknown += 1;
        }
        table.tries.insert(
            name.to_owned(),
            Tries {
                count: 1,
                last: now,
                known,
            },
        );
        Ok(())
    }

    fn succeeded(&self, name: &str) {
        self.table
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .forget(name);
    }
}

/// The hash of a random password nobody knows, made as user passwords are (the cost of a
/// real check).
fn nobodys_hash() -> &'static str {
    static HASH: OnceLock<String> = OnceLock::new();
    HASH.get_or_init(|| policy::password::hash(&policy::password::generate()).unwrap_or_default())
}

impl Core {
    /// Checks `name`'s password (Argon2: call it off the async threads), slowed as the
    /// module says. The doors answer `Slowed` with 429 and when to try again.
    pub fn check_password(&self, name: &str, password: &str) -> Result<PasswordCheck> {
        let user = self.user(name)?;
        if let Err(wait) = self.guesses.attempt(name, user.is_some(), Instant::now()) {
            tracing::warn!(user = %name, wait_s = wait.as_secs(), "password attempts slowed");
            return Ok(PasswordCheck::Slowed(wait));
        }
        let verified = match &user {
            Some(u) => policy::password::verify(password, &u.password_hash),
            None => {
                let _ = policy::password::verify(password, nobodys_hash());
                false
            }
        };
        if verified {
            self.guesses.succeeded(name);
            Ok(PasswordCheck::Verified)
        } else {
            Ok(PasswordCheck::Wrong)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn five_attempts_go_then_each_waits_longer_up_to_a_minute() {
        let g = Guesses::default();
        let t0 = Instant::now();
        for _ in 0..FREE_ATTEMPTS {
            assert_eq!(g.attempt("analyst", true, t0), Ok(()));
        }
        // The sixth at the same moment waits a second; after it, the seventh two.
        assert_eq!(g.attempt("analyst", true, t0), Err(Duration::from_secs(1)));
        let t1 = t0 + Duration::from_secs(1);
        assert_eq!(g.attempt("analyst", true, t1), Ok(()));
        assert_eq!(g.attempt("analyst", true, t1), Err(Duration::from_secs(2)));
        let mut t = t1;
        for _ in 0..20 {
            t += LONGEST_WAIT;
            assert_eq!(g.attempt("analyst", true, t), Ok(()));
        }
        assert_eq!(g.attempt("analyst", true, t), Err(LONGEST_WAIT));
        // Another name is not held up, and success clears the count.
        assert_eq!(g.attempt("operator", true, t), Ok(()));
        g.succeeded("analyst");
        assert_eq!(g.attempt("analyst", true, t), Ok(()));
    }

    #[test]
    fn unknown_names_are_slowed_alike_and_bounded() {
        let g = Guesses::default();
        let t0 = Instant::now();
        for _ in 0..FREE_ATTEMPTS {
            g.attempt("nobody", false, t0).unwrap();
        }
        assert!(g.attempt("nobody", false, t0).is_err());
        for i in 0..(MOST_UNKNOWN + 10) {
            g.attempt(&format!("spray-{i}"), false, t0).unwrap();
        }
        let table = g.table.lock().unwrap();
        let unknown = table.tries.values().filter(|t| !t.known).count();
        assert!(unknown <= MOST_UNKNOWN);
        assert_eq!(unknown, table.unknown, "the count kept agrees with the map");
        drop(table);
        // A known user's count survives any spraying.
        for _ in 0..FREE_ATTEMPTS {
            g.attempt("analyst", true, t0).unwrap();
        }
        for i in 0..(2 * MOST_UNKNOWN) {
            g.attempt(&format!("more-{i}"), false, t0).unwrap();
        }
        assert!(g.attempt("analyst", true, t0).is_err());
    }
}
