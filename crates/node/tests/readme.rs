//! The README's step-by-step block (two parties' nodes, from init to a verified sync) runs
//! exactly as written: the block is read from README.md, its first two lines (build, put the
//! binary on PATH) are checked and replaced by this test's binary, and the rest runs in
//! bash from a directory holding the repository's `agreements/`, as a newcomer's shell would.

use std::path::Path;
use std::process::{Command, Stdio};

const MARKER: &str = "<!-- walkthrough:";
const BUILD: &str = "cargo build --release";
const ON_PATH: &str = "export PATH=\"$PWD/target/release:$PATH\"";

/// The fenced shell block after the walkthrough marker.
fn walkthrough(readme: &str) -> &str {
    let at = readme
        .find(MARKER)
        .expect("README.md has the walkthrough marker");
    let start = readme[at..]
        .find("```sh\n")
        .expect("a ```sh block after the marker")
        + at
        + 6;
    let end = readme[start..].find("```\n").expect("the block ends") + start;
    &readme[start..end]
}

#[test]
fn the_readme_walkthrough_runs_as_written() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let block = walkthrough(&readme);
    let mut lines = block.lines();
    assert_eq!(lines.next(), Some(BUILD), "the block starts by building");
    assert_eq!(lines.next(), Some(ON_PATH), "then puts the binary on PATH");
    let rest: Vec<&str> = lines.collect();
    assert!(
        Command::new("curl").arg("--version").output().is_ok(),
        "the walkthrough needs curl (Debian: apt-get install curl)"
    );

    let dir = tempfile::tempdir().unwrap();
    let agreements = dir.path().join("agreements");
    std::fs::create_dir(&agreements).unwrap();
    for e in std::fs::read_dir(root.join("agreements")).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), agreements.join(e.file_name())).unwrap();
    }
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_symbolon")).parent().unwrap();
    let script = format!(
        "set -euo pipefail\nexport PATH=\"{}:$PATH\"\n{}\n",
        bin_dir.display(),
        rest.join("\n")
    );
    // Its own process group, so that a failed step leaves no node serving behind it.
    let child = std::os::unix::process::CommandExt::process_group(
        Command::new("bash")
            .arg("-c")
            .arg(&script)
            .current_dir(dir.path())
            .env_remove("SYMBOLON_ADMIN_PASSWORD")
            .env_remove("SYMBOLON_DATA")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped()),
        0,
    )
    .spawn()
    .unwrap();
    let group = child.id();
    let out = child.wait_with_output().unwrap();
    let _ = Command::new("kill")
        .args(["-KILL", "--", &format!("-{group}")])
        .stderr(Stdio::null())
        .status();
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert!(
        out.status.success(),
        "the walkthrough failed ({}):\n{stdout}\n{stderr}",
        out.status
    );
    for needle in [
        "State: in force",
        "1 new, 0 already held, 0 rejected, 0 pages quarantined",
        "exact: indicator--2f6c1a8e-3d4b-4e5f-8a9b-0c1d2e3f4a5b",
        "audit log intact",
        ": covered",
    ] {
        assert!(stdout.contains(needle), "{needle} in:\n{stdout}\n{stderr}");
    }
}
