//! A small pool of read connections. SQLite connections are cheap but not free to open (the
//! schema is parsed, pragmas run), and WAL readers run concurrently, so each thread that
//! reads takes one from here and gives it back when done.

use crate::Result;
use rusqlite::Connection;
use std::ops::Deref;
use std::sync::Mutex;

type Opener = Box<dyn Fn() -> Result<Connection> + Send + Sync>;

pub struct Pool {
    idle: Mutex<Vec<Connection>>,
    open: Opener,
}

/// Most idle connections kept; more are opened under load and closed when returned. Above
/// the threads a serving node answers requests on (`node::serve::blocking_threads`) plus
/// its own background work, so that under load no request pays for opening one.
const MAX_IDLE: usize = 32;

impl Pool {
    pub fn new(open: impl Fn() -> Result<Connection> + Send + Sync + 'static) -> Self {
        Pool {
            idle: Mutex::new(Vec::new()),
            open: Box::new(open),
        }
    }

    pub fn get(&self) -> Result<Pooled<'_>> {
        let idle = self.idle.lock().unwrap_or_else(|p| p.into_inner()).pop();
        let conn = match idle {
            Some(c) => c,
            None => (self.open)()?,
        };
        Ok(Pooled {
            pool: self,
            conn: Some(conn),
        })
    }
}

pub struct Pooled<'a> {
    pool: &'a Pool,
    conn: Option<Connection>,
}

impl Pooled<'_> {
    /// Closes the connection instead of giving it back (its state is not known).
    pub fn forget(&mut self) {
        self.conn = None;
    }
}

impl Deref for Pooled<'_> {
    type Target = Connection;
    fn deref(&self) -> &Connection {
        self.conn
            .as_ref()
            .expect("a pooled connection is present until drop")
    }
}

impl Drop for Pooled<'_> {
    fn drop(&mut self) {
        if let Some(c) = self.conn.take() {
            let mut idle = self.pool.idle.lock().unwrap_or_else(|p| p.into_inner());
            if idle.len() < MAX_IDLE {
                idle.push(c);
            }
        }
    }
}
