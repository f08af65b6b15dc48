//! The small files the workspace keeps beside the node's databases (each user's language,
//! the sign-in sessions): each replaced whole, through a temporary file only the node's
//! user may read, so a crash leaves the old file or the new one.

use std::io::Write;
use std::path::Path;

/// Replaces `file` with `text`.
pub fn replace(file: &Path, text: &[u8]) -> std::io::Result<()> {
    let tmp = file.with_extension("tmp");
    let mut open = std::fs::OpenOptions::new();
    open.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut open, 0o600);
    let mut f = open.open(&tmp)?;
    f.write_all(text)?;
    drop(f);
    std::fs::rename(&tmp, file)
}
