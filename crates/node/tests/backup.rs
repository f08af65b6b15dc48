//! `symbolon backup` of a node that is serving writes, and `symbolon restore`: every
//! restored node's audit log verifies and covers every version its store holds, whatever
//! moment the copy caught; a damaged backup and a non-empty target are refused.

mod common;

use common::*;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// Versions stored per collection, as `audit verify` accounts for them.
fn verified(dir: &std::path::Path) -> String {
    ok(cli(dir, &["audit", "verify"]))
}

#[test]
fn backups_taken_under_writes_restore_to_nodes_whose_logs_cover_their_stores() {
    let dir = fresh();
    let coll = create_collection(dir.path(), "live");
    let node = Node::start(dir.path());
    let stop = Arc::new(AtomicBool::new(false));
    let writer = {
        let (stop, base, coll) = (stop.clone(), node.base.clone(), coll.clone());
        std::thread::spawn(move || {
            let mut posted = 0;
            while !stop.load(Ordering::Relaxed) {
                let (envelope, _) = indicators(50);
                let r = post_to(&base, &coll, envelope);
                assert_eq!(r.status(), 202);
                posted += 50;
            }
            posted
        })
    };
    let work = tempfile::tempdir().unwrap();
    let mut files = Vec::new();
    for i in 0..3 {
        std::thread::sleep(std::time::Duration::from_millis(300));
        let file = work.path().join(format!("b{i}.tar"));
        let out = ok(cli(
            dir.path(),
            &["backup", "--out", file.to_str().unwrap()],
        ));
        assert!(out.contains("backup written"), "{out}");
        files.push(file);
    }
    stop.store(true, Ordering::Relaxed);
    let posted = writer.join().unwrap();
    assert!(posted > 0);
    let mut restored_counts = Vec::new();
    for (i, file) in files.iter().enumerate() {
        let target = work.path().join(format!("restored-{i}"));
        let out = cli(&target, &["restore", "--from", file.to_str().unwrap()]);
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        assert!(
            out.status.success(),
            "{text}{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(text.contains("audit log intact"), "{text}");
        // And the restored node verifies on its own, as any node does.
        let v = verified(&target);
        let stored: u64 = text
            .lines()
            .find(|l| l.contains(&coll))
            .and_then(|l| l.split('\t').nth(2))
            .and_then(|s| s.split(' ').next())
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("{text}"));
        assert!(stored <= posted, "{stored} > {posted}");
        restored_counts.push(stored);
        assert!(v.contains("covered"), "{v}");
    }
    // Later backups hold at least what earlier ones did.
    assert!(
        restored_counts.windows(2).all(|w| w[0] <= w[1]),
        "{restored_counts:?}"
    );
    drop(node);

    // A damaged backup is refused, and nothing is restored from it.
    let mut bytes = std::fs::read(&files[0]).unwrap();
    let at = bytes.len() / 2;
    bytes[at] ^= 0x55;
    let damaged = work.path().join("damaged.tar");
    std::fs::write(&damaged, bytes).unwrap();
    let target = work.path().join("from-damaged");
    let out = cli(&target, &["restore", "--from", damaged.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("does not match its manifest"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!target.join("symbolon.db").exists());
    assert!(!target.exists(), "the directory the restore made is gone");
    // Into an empty directory that was there: left empty.
    std::fs::create_dir(&target).unwrap();
    let out = cli(&target, &["restore", "--from", damaged.to_str().unwrap()]);
    assert!(!out.status.success());
    assert_eq!(std::fs::read_dir(&target).unwrap().count(), 0);
    // A directory that holds anything is never overwritten.
    let out = cli(
        dir.path(),
        &["restore", "--from", files[0].to_str().unwrap()],
    );
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("not empty"));
}

#[test]
fn a_backup_carries_the_peers_certificates_and_the_nodes_name_and_restores_them() {
    let dir = fresh();
    let d = dir.path();
    ok(cli(d, &["peer", "whoami", "--set", "cert-lab"]));
    std::fs::write(d.join("peer-ca.pem"), "every peer's CA\n").unwrap();
    std::fs::create_dir(d.join("peer-ca")).unwrap();
    std::fs::write(d.join("peer-ca/ru-csirt.pem"), "ru-csirt's own\n").unwrap();
    // Not a certificate file of a peer: left out.
    std::fs::write(d.join("peer-ca/notes.txt"), "x").unwrap();
    let work = tempfile::tempdir().unwrap();
    let file = work.path().join("b.tar");
    let out = ok(cli(d, &["backup", "--out", file.to_str().unwrap()]));
    assert!(out.contains("peer-ca/ru-csirt.pem"), "{out}");
    assert!(!out.contains("notes.txt"), "{out}");
    let target = work.path().join("restored");
    ok(cli(&target, &["restore", "--from", file.to_str().unwrap()]));
    for (name, text) in [
        ("peer-ca.pem", "every peer's CA\n"),
        ("peer-ca/ru-csirt.pem", "ru-csirt's own\n"),
        ("node-name", "cert-lab"),
    ] {
        assert_eq!(
            std::fs::read_to_string(target.join(name)).unwrap(),
            text,
            "{name}"
        );
    }
    assert!(ok(cli(&target, &["peer", "whoami"])).starts_with("cert-lab\t"));

    // While a key rotation is unfinished, no backup is taken (its key and log disagree).
    std::fs::write(d.join("node.key.next"), "00".repeat(32)).unwrap();
    let out = cli(
        d,
        &[
            "backup",
            "--out",
            work.path().join("c.tar").to_str().unwrap(),
        ],
    );
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("key rotate"));
}
