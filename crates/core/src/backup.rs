//! Backups of a node while it serves, and restoring one into a new data directory.
//!
//! A backup is one tar file: the store (`symbolon.db`: objects, users, grants, peers,
//! the agreement and its records), the audit log (`audit.db`), the node's key, the
//! operator's files a node reads when they are there (`EXTRAS`: peers' certificate
//! authorities, the node's name, workspace languages), and a manifest of their digests. The two databases are copied as of one moment: appends to
//! the audit log are held (its write lock) while a read transaction is opened on the store
//! and then on the log, and released at once; the copies are then made from those read
//! transactions while the node goes on serving. Every write in the copied store then has
//! its entry in the copied log or still in the store's outbox (which opening the restored
//! node appends), and the log holds no entry of a write the store copy lacks.
//!
//! The file holds the node's secret key: it is written owner-only, and belongs where the
//! data directory itself would be kept.

use crate::error::{CoreError, Result};
use rusqlite::Connection;
use sha2::{Digest, Sha256};
use std::io::{Read, Write};
use std::path::Path;

/// What a backup holds, as its manifest says.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub struct Manifest {
    pub format: String,
    /// When the copy was taken (RFC 3339).
    pub taken_at: String,
    /// Entries in the copied audit log.
    pub audit_entries: u64,
    /// Each file: name, bytes, SHA-256 (hex).
    pub files: Vec<(String, u64, String)>,
}

const FORMAT: &str = "symbolon-backup/1";
const MANIFEST: &str = "manifest.json";
/// The files every backup carries.
const FILES: [&str; 3] = [store::DB_FILE, audit::log::AUDIT_FILE, crate::dir::KEY_FILE];
/// The files a backup carries when the node has them.
const EXTRAS: [&str; 3] = [
    crate::dir::PEER_CA_FILE,
    crate::peers::NAME_FILE,
    crate::dir::LANGUAGES_FILE,
];

/// May a backup hold `name` (and a restore write it)? The files above, and per-peer
/// certificates `peer-ca/<name>.pem` whose name cannot reach outside that directory.
fn carried(name: &str) -> bool {
    if FILES.contains(&name) || EXTRAS.contains(&name) {
        return true;
    }
    name.strip_prefix(crate::dir::PEER_CA_DIR)
        .and_then(|rest| rest.strip_prefix('/'))
        .and_then(|file| file.strip_suffix(".pem"))
        .is_some_and(|stem| {
            !stem.is_empty()
                && !stem.starts_with('.')
                && stem
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        })
}

/// The optional files `dir` holds, by name in the backup.
fn extras_in(dir: &Path) -> Result<Vec<String>> {
    let mut names: Vec<String> = EXTRAS
        .iter()
        .filter(|n| dir.join(n).is_file())
        .map(|n| (*n).to_owned())
        .collect();
    match std::fs::read_dir(dir.join(crate::dir::PEER_CA_DIR)) {
        Ok(entries) => {
            for e in entries {
                let e = e.map_err(failed("reading the peers' certificates"))?;
                let name = format!(
                    "{}/{}",
                    crate::dir::PEER_CA_DIR,
                    e.file_name().to_string_lossy()
                );
                if e.path().is_file() && carried(&name) {
                    names.push(name);
                }
            }
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(failed("reading the peers' certificates")(e)),
    }
    names.sort();
    Ok(names)
}

fn failed<E: std::fmt::Display>(what: &str) -> impl FnOnce(E) -> CoreError + '_ {
    move |e| CoreError::Failed(format!("{what}: {e}"))
}

fn open(path: &Path) -> Result<Connection> {
    let c = Connection::open(path).map_err(failed(&format!("opening {}", path.display())))?;
    c.busy_timeout(std::time::Duration::from_secs(60))
        .map_err(failed("setting the busy timeout"))?;
    Ok(c)
}

/// Copies `src` (in the read transaction it holds) into a new database at `to`, in one
/// step: the copy is of the transaction's snapshot.
fn copy(src: &Connection, to: &Path) -> Result<()> {
    let mut dst = Connection::open(to).map_err(failed(&format!("creating {}", to.display())))?;
    let backup = rusqlite::backup::Backup::new(src, &mut dst).map_err(failed("starting a copy"))?;
    match backup.step(-1).map_err(failed("copying a database"))? {
        rusqlite::backup::StepResult::Done => Ok(()),
        other => Err(CoreError::Failed(format!(
            "copying a database did not finish ({other:?})"
        ))),
    }
}

/// Writes a backup of the node in `dir` to `out` (a new file).
pub fn backup(dir: &Path, out: &Path) -> Result<Manifest> {
    if !crate::dir::holds_node(dir) {
        return Err(CoreError::Invalid(format!(
            "{} holds no node (give the node's --data directory)",
            dir.display()
        )));
    }
    if out.exists() {
        return Err(CoreError::Invalid(format!(
            "{} exists: a backup is written to a new file",
            out.display()
        )));
    }
    if dir.join(crate::dir::NEXT_KEY_FILE).exists() {
        return Err(CoreError::Invalid(format!(
            "a key rotation of the node in {} is under way or was interrupted: finish it (`symbolon key rotate`) before a backup",
            dir.display()
        )));
    }
    let work = tempfile::tempdir_in(
        out.parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new(".")),
    )
    .map_err(failed("making a working directory next to the backup"))?;
    // One moment for both: no append while the two read transactions begin.
    let hold = open(&dir.join(audit::log::AUDIT_FILE))?;
    hold.execute_batch("BEGIN IMMEDIATE")
        .map_err(failed("holding appends to the audit log"))?;
    let store_db = open(&dir.join(store::DB_FILE))?;
    let log_db = open(&dir.join(audit::log::AUDIT_FILE))?;
    let begun = store_db
        .execute_batch("BEGIN; SELECT count(*) FROM meta;")
        .and_then(|()| log_db.execute_batch("BEGIN; SELECT count(*) FROM sqlite_master;"));
    hold.execute_batch("ROLLBACK")
        .map_err(failed("releasing the audit log"))?;
    begun.map_err(failed("starting the copies"))?;
    copy(&store_db, &work.path().join(store::DB_FILE))?;
    copy(&log_db, &work.path().join(audit::log::AUDIT_FILE))?;
    drop((store_db, log_db));
    std::fs::copy(
        dir.join(crate::dir::KEY_FILE),
        work.path().join(crate::dir::KEY_FILE),
    )
    .map_err(failed("copying the node key"))?;
    let extras = extras_in(dir)?;
    if !extras.is_empty() {
        std::fs::create_dir_all(work.path().join(crate::dir::PEER_CA_DIR))
            .map_err(failed("making the working directory"))?;
    }
    for name in &extras {
        std::fs::copy(dir.join(name), work.path().join(name))
            .map_err(failed(&format!("copying {name}")))?;
    }
    let key = crate::dir::load_key(work.path())?;
    let audit_entries = audit::AuditLog::open(work.path(), key)
        .and_then(|l| l.size())
        .map_err(failed("reading the copied audit log"))?;
    let names: Vec<String> = FILES
        .iter()
        .map(|n| (*n).to_owned())
        .chain(extras)
        .collect();
    let mut files = Vec::new();
    for name in &names {
        let bytes = std::fs::read(work.path().join(name)).map_err(failed("reading a copy"))?;
        files.push((
            name.to_owned(),
            bytes.len() as u64,
            hex::encode(Sha256::digest(&bytes)),
        ));
    }
    let manifest = Manifest {
        format: FORMAT.into(),
        taken_at: stix::timestamp::format(store::now_micros()),
        audit_entries,
        files,
    };
    let partial = out.with_extension("partial");
    {
        let file = private_file(&partial)?;
        let mut tar = tar::Builder::new(std::io::BufWriter::new(file));
        let text = serde_json::to_vec_pretty(&manifest).map_err(failed("writing the manifest"))?;
        let mut header = tar::Header::new_gnu();
        header.set_size(text.len() as u64);
        header.set_mode(0o600);
        tar.append_data(&mut header, MANIFEST, text.as_slice())
            .map_err(failed("writing the backup"))?;
        for name in &names {
            tar.append_path_with_name(work.path().join(name), name)
                .map_err(failed("writing the backup"))?;
        }
        let mut w = tar.into_inner().map_err(failed("writing the backup"))?;
        w.flush().map_err(failed("writing the backup"))?;
        w.get_ref()
            .sync_all()
            .map_err(failed("writing the backup"))?;
    }
    std::fs::rename(&partial, out).map_err(failed("naming the backup"))?;
    Ok(manifest)
}

fn private_file(path: &Path) -> Result<std::fs::File> {
    let mut o = std::fs::OpenOptions::new();
    o.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(0o600);
    }
    o.open(path)
        .map_err(failed(&format!("creating {}", path.display())))
}

/// Restores the backup `from` into `dir` (new or empty): every file checked against the
/// manifest, then the node opened (the outbox appended) and its audit log verified. Files
/// are streamed from the archive into `dir` as they are hashed (a store of many gigabytes
/// never sits in memory); when anything does not check, what was written is removed.
pub fn restore(from: &Path, dir: &Path) -> Result<(Manifest, crate::coverage::AuditReport)> {
    if !crate::dir::is_vacant(dir)? {
        return Err(CoreError::Invalid(format!(
            "{} is not empty: restore into a new directory",
            dir.display()
        )));
    }
    let existed = dir.exists();
    std::fs::create_dir_all(dir).map_err(failed(&format!("creating {}", dir.display())))?;
    let manifest = match unpack(from, dir) {
        Ok(m) => m,
        Err(e) => {
            if let Err(c) = clear(dir, existed) {
                tracing::error!(dir = %dir.display(), error = %c, "removing a refused restore");
            }
            return Err(e);
        }
    };
    crate::dir::make_private(dir)?;
    let core = crate::Core::open(dir)?;
    let report = core.verify_audit()?;
    Ok((manifest, report))
}

/// Removes what a refused restore wrote: everything in `dir`, which was vacant before it
/// (and `dir` itself when the restore made it).
fn clear(dir: &Path, existed: bool) -> std::io::Result<()> {
    if !existed {
        return std::fs::remove_dir_all(dir);
    }
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            std::fs::remove_dir_all(path)?;
        } else {
            std::fs::remove_file(path)?;
        }
    }
    Ok(())
}

/// The largest manifest read (it lists a handful of files).
const MOST_MANIFEST_BYTES: u64 = 1 << 20;

/// Writes every file of the archive `from` into `dir`, hashing it on the way, and checks
/// them against the manifest: the manifest, once all is written and checked.
fn unpack(from: &Path, dir: &Path) -> Result<Manifest> {
    let file = std::fs::File::open(from).map_err(failed(&format!("opening {}", from.display())))?;
    let mut archive = tar::Archive::new(std::io::BufReader::new(file));
    let mut manifest: Option<Manifest> = None;
    // Each file written by name: bytes, SHA-256 (hex).
    let mut written: std::collections::BTreeMap<String, (u64, String)> = Default::default();
    for entry in archive.entries().map_err(failed("reading the backup"))? {
        let mut entry = entry.map_err(failed("reading the backup"))?;
        let name = entry
            .path()
            .map_err(failed("reading the backup"))?
            .to_string_lossy()
            .into_owned();
        if name == MANIFEST {
            let mut bytes = Vec::new();
            (&mut entry)
                .take(MOST_MANIFEST_BYTES)
                .read_to_end(&mut bytes)
                .map_err(failed("reading the backup"))?;
            manifest =
                Some(serde_json::from_slice(&bytes).map_err(failed("reading the manifest"))?);
        } else if carried(&name) {
            if written.contains_key(&name) {
                return Err(CoreError::Invalid(format!(
                    "the backup holds `{name}` twice"
                )));
            }
            if name.starts_with(crate::dir::PEER_CA_DIR) {
                std::fs::create_dir_all(dir.join(crate::dir::PEER_CA_DIR))
                    .map_err(failed("creating the peers' certificate directory"))?;
            }
            let mut out = private_file(&dir.join(&name))?;
            let mut hasher = Sha256::new();
            let mut size = 0u64;
            let mut buf = vec![0u8; 1 << 20];
            loop {
                let n = entry.read(&mut buf).map_err(failed("reading the backup"))?;
                if n == 0 {
                    break;
                }
                hasher.update(&buf[..n]);
                out.write_all(&buf[..n])
                    .map_err(failed("writing a restored file"))?;
                size += n as u64;
            }
            out.sync_all().map_err(failed("writing a restored file"))?;
            written.insert(name, (size, hex::encode(hasher.finalize())));
        } else {
            return Err(CoreError::Invalid(format!(
                "the backup holds `{name}`, which no backup of a node holds"
            )));
        }
    }
    let manifest =
        manifest.ok_or_else(|| CoreError::Invalid("the backup has no manifest".into()))?;
    if manifest.format != FORMAT {
        return Err(CoreError::Invalid(format!(
            "a backup of format `{}`; this node reads `{FORMAT}`",
            manifest.format
        )));
    }
    for name in FILES {
        if !manifest.files.iter().any(|(n, _, _)| n == name) {
            return Err(CoreError::Invalid(format!(
                "the backup's manifest does not list `{name}`"
            )));
        }
    }
    if let Some(name) = written
        .keys()
        .find(|n| !manifest.files.iter().any(|(m, _, _)| m == *n))
    {
        return Err(CoreError::Invalid(format!(
            "the backup holds `{name}`, which its manifest does not list"
        )));
    }
    for (name, size, digest) in &manifest.files {
        let Some((got_size, got_digest)) = written.get(name) else {
            return Err(CoreError::Invalid(format!("the backup lacks `{name}`")));
        };
        if got_size != size || got_digest != digest {
            return Err(CoreError::Invalid(format!(
                "`{name}` in the backup does not match its manifest (damaged or altered)"
            )));
        }
    }
    Ok(manifest)
}
