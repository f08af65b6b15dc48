//! The audit log covers the store whatever happens to the process: imports stopped at
//! random points by SIGKILL, SIGTERM or SIGINT, a failing later file, a serving node killed
//! right after it answered. After each, `symbolon audit verify` (which first recovers what
//! a crash left in the outbox) finds every stored version accounted for, and every answer
//! the node gave is on record.

mod common;

use common::{Node, cli, create_collection, fresh, indicators, ok};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// xorshift: the kill points are random, and the seed printed so a failure can be replayed
/// (`SYMBOLON_TEST_SEED`).
struct Rng(u64);

impl Rng {
    fn from_env() -> Rng {
        let seed = std::env::var("SYMBOLON_TEST_SEED")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| {
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(1, |d| d.as_nanos() as u64 | 1)
            });
        eprintln!("SYMBOLON_TEST_SEED={seed}");
        Rng(seed)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

/// What `audit verify` says of the node in `dir`: it must succeed; returns (stored,
/// accounted) of the collection `c`.
fn verified(dir: &Path, c: &str) -> (u64, u64) {
    let out = cli(dir, &["audit", "verify"]);
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let line = text
        .lines()
        .find(|l| l.starts_with(&format!("collection {c}")))
        .unwrap_or_else(|| panic!("no line for {c}: {text}"));
    let num = |before: &str| -> u64 {
        let at = line.find(before).unwrap();
        line[..at].rsplit(' ').next().unwrap().parse().unwrap()
    };
    (num(" versions stored"), num(" accounted for"))
}

fn write_bundle(path: &Path, n: usize) {
    let (body, _) = indicators(n);
    std::fs::write(path, body).unwrap();
}

/// Starts an import and stops it after `after` with `signal`.
fn interrupted_import(dir: &Path, file: &Path, after: Duration, signal: &str) {
    let mut child = Command::new(common::BIN)
        .args([
            "import",
            "--collection",
            "c",
            file.to_str().unwrap(),
            "--data",
        ])
        .arg(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(after);
    let _ = Command::new("kill")
        .args([signal, &child.id().to_string()])
        .status();
    let _ = child.wait();
}

#[test]
fn an_import_stopped_at_any_point_leaves_exactly_what_it_stored_on_record() {
    let mut rng = Rng::from_env();
    let dir = fresh();
    let c = create_collection(dir.path(), "c");
    let files = tempfile::tempdir().unwrap();
    let small = files.path().join("small.json");
    write_bundle(&small, 30_000);
    // How long this import takes on this machine now, on a node of its own: the stop
    // points are spread over it (one in each ninth of 1.5 times it, so the early ones land
    // before the commit, the late ones after, whatever the load).
    let scratch = fresh();
    create_collection(scratch.path(), "c");
    let started = Instant::now();
    ok(cli(
        scratch.path(),
        &["import", "--collection", "c", small.to_str().unwrap()],
    ));
    let whole = started.elapsed().as_millis() as u64 * 3 / 2;
    let mut stored_before = 0;
    let mut stored_at_some_point = false;
    for (trial, signal) in ["-KILL", "-TERM", "-INT"]
        .iter()
        .cycle()
        .take(9)
        .enumerate()
    {
        let ninth = whole / 9;
        let after = Duration::from_millis(trial as u64 * ninth + rng.below(ninth.max(1)));
        interrupted_import(dir.path(), &small, after, signal);
        let (stored, accounted) = verified(dir.path(), &c);
        assert_eq!(stored, accounted, "trial {trial}: {signal} after {after:?}");
        stored_at_some_point |= stored > stored_before;
        stored_before = stored;
        // A new file each time, so every trial has something to store.
        write_bundle(&small, 30_000);
    }
    assert!(stored_at_some_point, "no import got as far as a commit");
    // An import of several transactions, stopped in the middle.
    let big = files.path().join("big.json");
    write_bundle(&big, 450_000);
    let after = Duration::from_millis(1500 + rng.below(1500));
    interrupted_import(dir.path(), &big, after, "-KILL");
    let (stored, accounted) = verified(dir.path(), &c);
    assert_eq!(stored, accounted, "big import killed after {after:?}");
}

#[test]
fn a_failing_later_file_keeps_the_earlier_ones_on_record() {
    let dir = fresh();
    let c = create_collection(dir.path(), "c");
    let good = dir.path().join("good.json");
    write_bundle(&good, 100);
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, "{\"objects\": [").unwrap();
    let out = cli(
        dir.path(),
        &[
            "import",
            "--collection",
            "c",
            good.to_str().unwrap(),
            bad.to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(verified(dir.path(), &c), (100, 100));
}

/// A 202 and a page that crosses to someone other than this authority's own users (here a
/// third party) leave only once their entries are durable.
#[test]
fn a_node_killed_right_after_answering_has_every_answer_on_record() {
    let dir = fresh();
    let c = create_collection(dir.path(), "c");
    common::user(dir.path(), "tp", &["--third-party"], &c);
    let (mut posts, mut gets) = (0, 0);
    for _round in 0..5 {
        let node = Node::start(dir.path());
        for _ in 0..3 {
            let (body, _) = indicators(200);
            assert_eq!(node.post(&c, body).status(), 202);
            posts += 1;
        }
        let resp = Node::client()
            .get(format!(
                "{}/api1/collections/{c}/objects/?limit=5",
                node.base
            ))
            .basic_auth("tp", Some(common::PASSWORD))
            .header("Accept", common::TAXII)
            .send()
            .unwrap();
        assert_eq!(resp.status(), 200);
        gets += 1;
        node.kill();
    }
    assert_eq!(verified(dir.path(), &c), (3000, 3000));
    let entries = common::audit_entries(dir.path(), 0);
    let count = |event: &str, endpoint: &str| {
        entries
            .iter()
            .filter(|e| e["event"] == event && e["endpoint"] == endpoint)
            .count()
    };
    assert_eq!(count("write", "add"), posts, "every 202 is on record");
    assert_eq!(
        count("access", "objects"),
        gets,
        "every page served is on record"
    );
}

#[test]
fn a_second_server_on_one_node_is_refused_naming_the_first() {
    let dir = fresh();
    let first = Node::start(dir.path());
    let started = Instant::now();
    let out = Command::new(common::BIN)
        .args(["serve", "--listen", "127.0.0.1:0", "--data"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(started.elapsed() < Duration::from_secs(30));
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(&format!("pid {}", first.child.id())), "{err}");
}

#[test]
fn a_command_on_a_directory_without_a_node_fails_and_creates_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let typo = dir.path().join("symbolon-dat");
    let file = dir.path().join("b.json");
    write_bundle(&file, 1);
    for args in [
        &["collection", "list"][..],
        &["user", "list"],
        &["audit", "verify"],
        &["peer", "whoami"],
        &["import", "--collection", "c", file.to_str().unwrap()],
        &["user", "add", "ana", "--password-stdin"],
    ] {
        let out = cli(&typo, args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("symbolon-dat") && err.contains("symbolon init"),
            "{args:?}: {err}"
        );
        assert!(!typo.exists(), "{args:?} created {}", typo.display());
    }
    // `init` creates it; then the same commands work.
    ok(cli(&typo, &["init"]));
    ok(cli(&typo, &["collection", "list"]));
    let again = cli(&typo, &["init"]);
    assert_eq!(again.status.code(), Some(1));
}
