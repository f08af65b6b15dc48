//! The node's own Ed25519 key: it signs the audit log's tree heads (and, with the agreement
//! engine, consents and notices). Created once per data directory, readable only by the
//! operator's account.

use anyhow::{Context, Result, bail};
use ed25519_dalek::SigningKey;
use rand::RngCore;
use std::io::Write;
use std::path::Path;

/// File holding the node's secret key as 64 hex digits.
pub const KEY_FILE: &str = "node.key";

/// Loads the node key from `dir`, creating it on first use.
pub fn load_or_create(dir: &Path) -> Result<SigningKey> {
    let path = dir.join(KEY_FILE);
    match std::fs::read_to_string(&path) {
        Ok(text) => {
            let bytes = hex::decode(text.trim())
                .with_context(|| format!("{} is not hex", path.display()))?;
            let Ok(secret) = <[u8; 32]>::try_from(bytes) else {
                bail!("{} must hold a 32-byte Ed25519 secret key", path.display());
            };
            Ok(SigningKey::from_bytes(&secret))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let mut secret = [0u8; 32];
            rand::rngs::OsRng.fill_bytes(&mut secret);
            let mut options = std::fs::OpenOptions::new();
            options.write(true).create_new(true);
            #[cfg(unix)]
            std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
            let mut file = options
                .open(&path)
                .with_context(|| format!("creating {}", path.display()))?;
            file.write_all(hex::encode(secret).as_bytes())?;
            file.sync_all()?;
            Ok(SigningKey::from_bytes(&secret))
        }
        Err(e) => Err(e).with_context(|| format!("reading {}", path.display())),
    }
}
