//! A node's data directory: what makes a directory a node, its key, and the lock that lets
//! one `symbolon serve` run on it at a time.
//!
//! A directory holds a node when it holds the store's database; `symbolon init` creates one
//! (so do `serve` and `demo` on an empty or missing directory), every other command on a
//! directory without one fails and creates nothing. The directory is the operator's only
//! (0700), the databases and the key too (0600).

use crate::{CoreError, Result, failed};
use ed25519_dalek::SigningKey;
use rand::RngCore;
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};

/// File holding the node's secret key as 64 hex digits.
pub const KEY_FILE: &str = "node.key";
/// The key a rotation hands over to, until the handover is complete (`rotate`).
pub const NEXT_KEY_FILE: &str = "node.key.next";
/// PEM certificates that, when present, are the only authorities trusted for peers' HTTPS.
pub const PEER_CA_FILE: &str = "peer-ca.pem";
/// Directory of per-peer certificate files (`peer-ca/<peer id>.pem`), each replacing
/// [`PEER_CA_FILE`] for its peer.
pub const PEER_CA_DIR: &str = "peer-ca";
/// Each workspace user's language.
pub const LANGUAGES_FILE: &str = "workspace-languages.json";
/// The workspace's sign-in sessions (by their tokens' digests); not backed up.
pub const SESSIONS_FILE: &str = "workspace-sessions.json";
/// File a serving node holds locked, with its process id.
pub const LOCK_FILE: &str = "serve.lock";

/// Does `dir` hold a node?
pub fn holds_node(dir: &Path) -> bool {
    dir.join(store::DB_FILE).is_file()
}

/// May a node be created in `dir`: missing, or an empty directory?
pub fn is_vacant(dir: &Path) -> Result<bool> {
    match std::fs::read_dir(dir) {
        Ok(mut entries) => Ok(entries.next().is_none()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(true),
        Err(e) => Err(CoreError::Failed(format!("reading {}: {e}", dir.display()))),
    }
}

/// Creates the node's key (in a new node).
pub fn create_key(dir: &Path) -> Result<SigningKey> {
    create_key_file(&dir.join(KEY_FILE))
}

/// Writes a new secret key to `path` (which must not exist), durably, for the owner only.
pub(crate) fn create_key_file(path: &Path) -> Result<SigningKey> {
    let mut secret = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut secret);
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options
        .open(path)
        .map_err(failed(&format!("creating {}", path.display())))?;
    file.write_all(hex::encode(secret).as_bytes())
        .and_then(|()| file.sync_all())
        .map_err(failed(&format!("writing {}", path.display())))?;
    Ok(SigningKey::from_bytes(&secret))
}

/// Loads the node's key; a node without one is damaged, never given a new key silently
/// (its peers, its signed log and its records all name it): a new key comes only through
/// `rotate`, which hands everything over to it.
pub fn load_key(dir: &Path) -> Result<SigningKey> {
    load_key_file(&dir.join(KEY_FILE))
}

/// Reads a secret key file (64 hex digits).
pub(crate) fn load_key_file(path: &Path) -> Result<SigningKey> {
    let text = std::fs::read_to_string(path).map_err(failed(&format!(
        "reading the node key {} (a node's key changes only by `symbolon key rotate`)",
        path.display()
    )))?;
    let bytes = hex::decode(text.trim())
        .map_err(|_| CoreError::Failed(format!("{} is not hex", path.display())))?;
    let secret = <[u8; 32]>::try_from(bytes).map_err(|_| {
        CoreError::Failed(format!(
            "{} must hold a 32-byte Ed25519 secret key",
            path.display()
        ))
    })?;
    Ok(SigningKey::from_bytes(&secret))
}

/// Tightens the permissions of a node made before they were set at creation.
pub fn make_private(dir: &Path) -> Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let set = |p: PathBuf, mode: u32| -> Result<()> {
            match std::fs::metadata(&p) {
                Ok(m) if m.permissions().mode() & 0o777 != mode => {
                    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(mode))
                        .map_err(failed(&format!("restricting {}", p.display())))
                }
                _ => Ok(()),
            }
        };
        set(dir.to_owned(), 0o700)?;
        for f in [
            store::DB_FILE,
            "symbolon.db-wal",
            "symbolon.db-shm",
            audit::log::AUDIT_FILE,
            "audit.db-wal",
            "audit.db-shm",
            KEY_FILE,
            NEXT_KEY_FILE,
        ] {
            set(dir.join(f), 0o600)?;
        }
    }
    Ok(())
}

/// The lock a serving node holds on its data directory for as long as it runs.
pub struct ServeLock {
    _file: std::fs::File,
}

/// Takes the serving lock, or names the process that holds it.
pub fn lock_for_serving(dir: &Path) -> Result<ServeLock> {
    lock_for(dir, "symbolon serve")
}

/// Takes the lock for `holder` (`symbolon serve`, `symbolon key rotate`): one of them at a
/// time on a node; a second is told which holds it, with its process id.
pub fn lock_for(dir: &Path, holder: &str) -> Result<ServeLock> {
    let path = dir.join(LOCK_FILE);
    let mut options = std::fs::OpenOptions::new();
    options.read(true).write(true).create(true).truncate(false);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options
        .open(&path)
        .map_err(failed(&format!("opening {}", path.display())))?;
    match file.try_lock() {
        Ok(()) => {}
        Err(std::fs::TryLockError::WouldBlock) => {
            let mut written = String::new();
            let _ = file.read_to_string(&mut written);
            // "PID" (written before the holder was named: a server) or "PID HOLDER".
            let (pid, by) = match written.trim().split_once(' ') {
                Some((pid, by)) => (pid.to_owned(), by.to_owned()),
                None => (written.trim().to_owned(), "symbolon serve".to_owned()),
            };
            let pid = if pid.is_empty() {
                "unknown".into()
            } else {
                pid
            };
            return Err(CoreError::Busy(format!(
                "`{by}` (pid {pid}) holds {} now; one of `symbolon serve` and `symbolon key rotate` at a time",
                dir.display()
            )));
        }
        Err(std::fs::TryLockError::Error(e)) => {
            return Err(CoreError::Failed(format!(
                "locking {}: {e}",
                path.display()
            )));
        }
    }
    file.set_len(0)
        .and_then(|()| file.rewind())
        .and_then(|()| write!(file, "{} {holder}", std::process::id()))
        .and_then(|()| file.sync_all())
        .map_err(failed(&format!("writing {}", path.display())))?;
    Ok(ServeLock { _file: file })
}
