//! The audit log on disk: proofs against signed heads, and tampering found by `verify`.

use audit::{AuditLog, verify_consistency, verify_inclusion};
use ed25519_dalek::SigningKey;
use rusqlite::Connection;

fn key(seed: u8) -> SigningKey {
    SigningKey::from_bytes(&[seed; 32])
}

fn log_with(n: usize) -> (tempfile::TempDir, AuditLog) {
    let dir = tempfile::tempdir().unwrap();
    let mut log = AuditLog::create(dir.path(), key(7)).unwrap();
    for chunk in (0..n).collect::<Vec<_>>().chunks(5) {
        let entries: Vec<Vec<u8>> = chunk
            .iter()
            .map(|i| format!("{{\"event\":\"ingest\",\"n\":{i}}}").into_bytes())
            .collect();
        log.append(&entries).unwrap();
    }
    (dir, log)
}

fn raw(dir: &tempfile::TempDir) -> Connection {
    Connection::open(dir.path().join(audit::log::AUDIT_FILE)).unwrap()
}

#[test]
fn every_entry_is_provably_in_the_signed_head() {
    let (_d, log) = log_with(37);
    let head = log.latest_head().unwrap().unwrap();
    assert_eq!(head.size, 37);
    assert!(head.verify(&log.public_key()));
    for i in 0..37 {
        let leaf = audit::merkle::leaf_hash(&log.entry(i).unwrap().unwrap());
        assert!(verify_inclusion(
            i,
            37,
            &leaf,
            &log.inclusion_proof(i, 37).unwrap(),
            &head.root
        ));
    }
}

#[test]
fn later_heads_are_consistent_with_earlier_ones() {
    let (_d, mut log) = log_with(10);
    let old = log.latest_head().unwrap().unwrap();
    log.append(&[b"more".to_vec(), b"still more".to_vec()])
        .unwrap();
    let new = log.latest_head().unwrap().unwrap();
    let proof = log.consistency_proof(old.size, new.size).unwrap();
    assert!(verify_consistency(
        old.size, new.size, &old.root, &new.root, &proof
    ));
}

#[test]
fn an_untouched_log_verifies() {
    let (_d, log) = log_with(100);
    assert_eq!(log.verify(&log.public_key()).unwrap(), Ok(100));
}

#[test]
fn a_changed_entry_is_named() {
    let (d, log) = log_with(40);
    raw(&d).execute("UPDATE audit_entries SET body = CAST('{\"event\":\"ingest\",\"n\":99}' AS BLOB) WHERE idx = 17", []).unwrap();
    let t = log.verify(&log.public_key()).unwrap().unwrap_err();
    assert_eq!(t.entry, Some(17), "{t}");
}

#[test]
fn an_entry_whose_stored_type_changed_is_named() {
    let (d, log) = log_with(10);
    raw(&d)
        .execute(
            "UPDATE audit_entries SET body = 'plain text now' WHERE idx = 4",
            [],
        )
        .unwrap();
    assert_eq!(
        log.verify(&log.public_key()).unwrap().unwrap_err().entry,
        Some(4)
    );
}

#[test]
fn an_entry_rewritten_with_its_leaf_hash_is_caught_by_the_subtree_hashes() {
    let (d, log) = log_with(40);
    let forged = b"{\"event\":\"ingest\",\"n\":99}".to_vec();
    raw(&d)
        .execute(
            "UPDATE audit_entries SET body = ?1, leaf = ?2 WHERE idx = 17",
            rusqlite::params![forged, &audit::merkle::leaf_hash(&forged)[..]],
        )
        .unwrap();
    let t = log.verify(&log.public_key()).unwrap().unwrap_err();
    assert_eq!(
        t.entry,
        Some(16),
        "the subtree holding entry 17 starts at 16: {t}"
    );
}

#[test]
fn a_rewritten_history_with_recomputed_hashes_fails_the_signed_heads() {
    let (d, log) = log_with(8);
    let other_dir = tempfile::tempdir().unwrap();
    let mut forged = AuditLog::create(other_dir.path(), key(9)).unwrap();
    let entries: Vec<Vec<u8>> = (0..8).map(|i| format!("forged {i}").into_bytes()).collect();
    forged.append(&entries).unwrap();
    drop(forged);
    // Copy the forger's entries and hashes over ours, keeping our signed heads.
    let c = raw(&d);
    c.execute(
        "ATTACH DATABASE ?1 AS f",
        [other_dir
            .path()
            .join(audit::log::AUDIT_FILE)
            .to_str()
            .unwrap()],
    )
    .unwrap();
    c.execute_batch("DELETE FROM audit_entries; INSERT INTO audit_entries SELECT * FROM f.audit_entries; DELETE FROM audit_nodes; INSERT INTO audit_nodes SELECT * FROM f.audit_nodes;").unwrap();
    let t = log.verify(&log.public_key()).unwrap().unwrap_err();
    assert!(t.to_string().contains("tree head"), "{t}");
}

#[test]
fn heads_signed_by_another_key_are_refused() {
    let (_d, log) = log_with(5);
    let t = log.verify(&key(8).verifying_key()).unwrap().unwrap_err();
    assert!(t.to_string().contains("invalid signature"), "{t}");
}

#[test]
fn a_deleted_entry_is_named() {
    let (d, log) = log_with(12);
    raw(&d)
        .execute("DELETE FROM audit_entries WHERE idx = 3", [])
        .unwrap();
    assert_eq!(
        log.verify(&log.public_key()).unwrap().unwrap_err().entry,
        Some(3)
    );
}

#[test]
fn a_flipped_byte_in_the_database_file_is_found() {
    let dir = tempfile::tempdir().unwrap();
    {
        let mut log = AuditLog::create(dir.path(), key(7)).unwrap();
        let entries: Vec<Vec<u8>> = (0..20)
            .map(|i| format!("{{\"event\":\"ingest\",\"marker\":\"MARK{i:04}\"}}").into_bytes())
            .collect();
        log.append(&entries).unwrap();
    } // closing checkpoints the WAL into the file
    let path = dir.path().join(audit::log::AUDIT_FILE);
    let mut bytes = std::fs::read(&path).unwrap();
    let at = bytes
        .windows(8)
        .position(|w| w == b"MARK0011")
        .expect("entry text in the file");
    bytes[at + 7] = b'9';
    std::fs::write(&path, bytes).unwrap();
    let log = AuditLog::open(dir.path(), key(7)).unwrap();
    let t = log.verify(&log.public_key()).unwrap().unwrap_err();
    assert_eq!(t.entry, Some(11), "{t}");
}

#[test]
fn a_missing_log_is_an_error_never_a_fresh_one() {
    let dir = tempfile::tempdir().unwrap();
    let e = AuditLog::open(dir.path(), key(7))
        .err()
        .expect("no log to open");
    assert!(matches!(e, audit::AuditError::Missing(_)), "{e}");
    assert!(!dir.path().join(audit::log::AUDIT_FILE).exists());
}

#[test]
fn outbox_entries_are_taken_once_across_drains() {
    let (_d, mut log) = log_with(0);
    let outbox: Vec<Vec<u8>> = (1..=6)
        .map(|i| format!("outbox {i}").into_bytes())
        .collect();
    // Each drain takes what lies after the position the log holds, as a store's outbox
    // would answer; the second drain sees the position the first one kept.
    let drain = |log: &mut AuditLog, upto: usize| {
        log.append_pending(|through| {
            let taken: Vec<Vec<u8>> = outbox[through as usize..upto].to_vec();
            Ok((taken, Some(upto as u64)))
        })
        .unwrap()
    };
    drain(&mut log, 4);
    drain(&mut log, 4);
    drain(&mut log, 6);
    assert_eq!(log.outbox_through().unwrap(), 6);
    let mut seen = Vec::new();
    log.for_each_entry(0, &mut |_, b| {
        seen.push(String::from_utf8(b.to_vec()).unwrap());
        std::ops::ControlFlow::Continue(())
    })
    .unwrap();
    assert_eq!(
        seen,
        (1..=6).map(|i| format!("outbox {i}")).collect::<Vec<_>>()
    );
    assert!(
        log.append_pending(|_| Ok((Vec::new(), Some(2)))).is_err(),
        "the position never goes back"
    );
    assert_eq!(log.verify(&log.public_key()).unwrap(), Ok(6));
}

#[cfg(unix)]
#[test]
fn the_log_file_is_private_to_the_operator() {
    use std::os::unix::fs::PermissionsExt;
    let (d, _log) = log_with(3);
    for name in [audit::log::AUDIT_FILE, "audit.db-wal"] {
        let mode = std::fs::metadata(d.path().join(name))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o077, 0, "{name} is {mode:o}");
    }
}

#[test]
fn a_key_handover_keeps_old_heads_verifying_and_new_ones_signed_by_the_new_key() {
    let (dir, mut log) = log_with(12);
    let stale = AuditLog::open(dir.path(), key(7)).unwrap();
    let before = log.latest_head().unwrap().unwrap();
    let at = log.append_handover("2026-12-06T00:00:00Z", key(8)).unwrap();
    assert_eq!(at, 12);
    log.append(&[b"{\"event\":\"after\"}".to_vec()]).unwrap();
    let after = log.latest_head().unwrap().unwrap();
    assert!(before.verify(&key(7).verifying_key()));
    assert!(after.verify(&key(8).verifying_key()));
    assert!(!after.verify(&key(7).verifying_key()));
    assert_eq!(log.verify(&key(8).verifying_key()).unwrap(), Ok(14));
    // The log's keys end with the new one: the old key alone no longer verifies it.
    let wrong = log.verify(&key(7).verifying_key()).unwrap().unwrap_err();
    assert!(
        wrong.what.to_string().contains("end with the key"),
        "{wrong}"
    );
    let chain = log.handovers().unwrap();
    assert_eq!(chain.len(), 1);
    assert_eq!(chain[0].0, 12);
    assert_eq!(chain[0].1.from, key(7).verifying_key().to_bytes());
    // A process that opened the log before the handover holds a retired key: refused.
    let mut stale = stale;
    assert!(matches!(
        stale.append(&[b"{\"event\":\"late\"}".to_vec()]),
        Err(audit::AuditError::Rotated)
    ));
    assert_eq!(log.verify(&key(8).verifying_key()).unwrap(), Ok(14));
}

#[test]
fn a_removed_or_forged_handover_is_found() {
    let (dir, mut log) = log_with(6);
    log.append_handover("2026-12-06T00:00:00Z", key(8)).unwrap();
    log.append(&[b"{\"event\":\"after\"}".to_vec()]).unwrap();
    // Without its index row, the new key's heads are checked with the old key.
    raw(&dir)
        .execute("DELETE FROM audit_handovers", [])
        .unwrap();
    assert!(log.verify(&key(8).verifying_key()).unwrap().is_err());

    // A handover must start from the key that signed the heads before it: one from another
    // key (whoever made it) fails at the first head.
    let (dir, mut log) = log_with(6);
    let attacker = key(9);
    let mut forged = AuditLog::open(dir.path(), attacker.clone()).unwrap();
    drop(log.append(&[b"{\"event\":\"x\"}".to_vec()]));
    forged
        .append_handover("2026-12-06T00:00:00Z", key(8))
        .unwrap();
    let found = log.verify(&key(8).verifying_key()).unwrap().unwrap_err();
    assert!(found.what.to_string().contains("tree head"), "{found}");
}
