//! Node key rotation between two real nodes: IR rotates its key (stopped), RU follows at
//! its next sync (the designation signed with IR's old key, the answer with the new one),
//! or at IR's next request (which announces the designation), and what was signed before
//! still verifies: IR's old tree heads, the seals of pages RU pulled before, the consent IR
//! granted before.

mod common;

use common::{Node, cli, import, member, ok, served, user};
use std::path::Path;

const PURPOSE: &str = "incident-response";
const PULLED: &str = "ir-csirt.incidents";

fn indicator(n: u32) -> String {
    format!(
        r#"{{"type":"indicator","spec_version":"2.1","id":"indicator--00000000-0000-4000-8000-{n:012}","created":"2024-01-01T00:00:00.000Z","modified":"2024-01-01T00:00:00.000Z","pattern":"[ipv4-addr:value = '203.0.113.{n}']","pattern_type":"stix","valid_from":"2024-01-01T00:00:00Z"}}"#
    )
}

fn id(n: u32) -> String {
    format!("indicator--00000000-0000-4000-8000-{n:012}")
}

/// Exit code and everything printed.
fn run(dir: &Path, args: &[&str]) -> (i32, String) {
    let out = cli(dir, args);
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.code().unwrap_or(-1), text)
}

fn whoami(dir: &Path) -> String {
    ok(cli(dir, &["peer", "whoami"]))
        .split('\t')
        .nth(1)
        .unwrap_or_default()
        .trim()
        .to_owned()
}

/// The key `dir`'s node holds for `peer` (`peer list`).
fn held_key(dir: &Path, peer: &str) -> String {
    let list = ok(cli(dir, &["peer", "list"]));
    list.lines()
        .find(|l| l.starts_with(peer))
        .and_then(|l| l.split('\t').find(|f| f.len() == 64))
        .unwrap_or_else(|| panic!("no key for {peer} in:\n{list}"))
        .to_owned()
}

#[test]
fn a_rotated_key_is_followed_by_the_peer_and_everything_signed_before_still_verifies() {
    let (ir_dir, ru_dir, ir_key, _) = common::two_parties();
    let (ir, ru) = (ir_dir.path(), ru_dir.path());
    ok(import(ir, "incidents", &[indicator(1)], &[]));
    let ir_node = Node::start_with(ir, &["--sync-every", "0"]);
    let ru_node = Node::start_with(ru, &["--sync-every", "0"]);
    common::add_peer(ru, "ir-csirt", &ir_node.base);
    common::add_peer(ir, "ru-csirt", &ru_node.base);
    ok(cli(
        ir,
        &[
            "user",
            "grant",
            "ru-csirt",
            "--collection",
            "incidents",
            "--read",
        ],
    ));
    let (code, text) = run(ru, &["sync"]);
    assert_eq!(code, 0, "{text}");

    // Before the rotation, IR consents (signed with its old key) to RU's partner.
    user(
        ru,
        "partner",
        &["--third-party", "--purpose", PURPOSE],
        PULLED,
    );
    let ask = common::ask_ir_consent(ru, &["--collection", PULLED]);
    assert_eq!(run(ir, &["sync"]).0, 0);
    let ask_file = ir.join("ask.json");
    std::fs::write(&ask_file, ask).unwrap();
    ok(cli(ir, &["consent", "grant", ask_file.to_str().unwrap()]));
    assert_eq!(run(ru, &["sync"]).0, 0);
    assert_eq!(served(&ru_node, PULLED, "partner", None).unwrap(), [id(1)]);

    // A key is rotated only while the node is not serving.
    let (code, text) = run(ir, &["key", "rotate"]);
    assert_ne!(code, 0, "{text}");
    assert!(text.contains("stop it first"), "{text}");

    let old = whoami(ir);
    assert_eq!(old, ir_key);
    let addr = ir_node.addr().to_owned();
    ir_node.kill();
    let (code, text) = run(ir, &["key", "rotate"]);
    assert_eq!(code, 0, "{text}");
    let new = whoami(ir);
    assert_ne!(new, old);
    assert!(
        text.contains(&new) && text.contains("designation"),
        "{text}"
    );
    // IR's own log: heads before the handover by the old key, after it by the new one.
    let (code, text) = run(ir, &["audit", "verify"]);
    assert_eq!(code, 0, "{text}");
    ok(import(ir, "incidents", &[indicator(2)], &[]));
    let ir_node = Node::start_on(ir, &addr, &["--sync-every", "0"]);

    // RU follows at its next sync: the new key is held and the new object pulled.
    assert_eq!(held_key(ru, "ir-csirt"), old);
    let (code, text) = run(ru, &["sync"]);
    assert_eq!(code, 0, "{text}");
    assert_eq!(held_key(ru, "ir-csirt"), new);
    // The consent IR signed with its old key still counts.
    assert_eq!(
        served(&ru_node, PULLED, "partner", None).unwrap(),
        [id(1), id(2)]
    );
    // IR's signed requests are RU's peer's again.
    let (code, text) = run(ir, &["sync"]);
    assert_eq!(code, 0, "{text}");
    // The seal over the page RU pulled before the rotation checks with IR's retired key.
    let (code, text) = run(
        ru,
        &["provenance", "--collection", PULLED, "--object", &id(1)],
    );
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("retired"), "{text}");
    let (code, text) = run(
        ru,
        &["provenance", "--collection", PULLED, "--object", &id(2)],
    );
    assert_eq!(code, 0, "{text}");
    for dir in [ir, ru] {
        let (code, text) = run(dir, &["audit", "verify"]);
        assert_eq!(code, 0, "{text}");
    }

    // A second rotation, and this time IR speaks first: its request announces the rotation
    // (its designation signed with the key RU holds), and RU follows it there and then.
    ir_node.kill();
    let (code, text) = run(ir, &["key", "rotate"]);
    assert_eq!(code, 0, "{text}");
    let newest = whoami(ir);
    assert_ne!(newest, new);
    let ir_node = Node::start_on(ir, &addr, &["--sync-every", "0"]);
    assert_eq!(held_key(ru, "ir-csirt"), new);
    let (code, text) = run(ir, &["sync"]);
    assert_eq!(code, 0, "{text}");
    assert_eq!(held_key(ru, "ir-csirt"), newest);
    let (code, text) = run(ru, &["sync"]);
    assert_eq!(code, 0, "{text}");
    for dir in [ir, ru] {
        let (code, text) = run(dir, &["audit", "verify"]);
        assert_eq!(code, 0, "{text}");
    }
    drop(ir_node);
}

#[test]
fn an_interrupted_rotation_keeps_the_node_closed_until_it_is_finished() {
    let dir = common::fresh();
    let d = dir.path();
    member(d, "IR", "ir-csirt");
    let old = whoami(d);
    let status_before = ok(cli(d, &["agreement", "status"]));
    // A rotation that stopped after writing the new key.
    std::fs::write(d.join("node.key.next"), hex_key(9)).unwrap();
    let (code, text) = run(d, &["audit", "verify"]);
    assert_ne!(code, 0, "{text}");
    assert!(text.contains("key rotate"), "{text}");
    let (code, text) = run(d, &["key", "rotate"]);
    assert_eq!(code, 0, "{text}");
    let new = whoami(d);
    assert_ne!(new, old);
    assert!(!d.join("node.key.next").exists());
    let (code, text) = run(d, &["audit", "verify"]);
    assert_eq!(code, 0, "{text}");
    // Twice: the second rotation hands over again, from the first rotation's key.
    let (code, text) = run(d, &["key", "rotate"]);
    assert_eq!(code, 0, "{text}");
    assert_ne!(whoami(d), new);
    let (code, text) = run(d, &["audit", "verify"]);
    assert_eq!(code, 0, "{text}");
    // The ratifications this node recorded with its first key still count.
    let status = ok(cli(d, &["agreement", "status"]));
    let first_line = |s: &str| s.lines().next().unwrap_or_default().to_owned();
    assert_eq!(first_line(&status), first_line(&status_before), "{status}");
    // A backup of the rotated node restores to a node whose log verifies through both
    // handovers.
    let work = tempfile::tempdir().unwrap();
    let file = work.path().join("rotated.tar");
    ok(cli(d, &["backup", "--out", file.to_str().unwrap()]));
    let restored = work.path().join("restored");
    let text = ok(cli(
        &restored,
        &["restore", "--from", file.to_str().unwrap()],
    ));
    assert!(text.contains("audit log intact"), "{text}");
    assert_eq!(whoami(&restored), whoami(d));
}

fn hex_key(seed: u8) -> String {
    let mut s = String::new();
    for _ in 0..32 {
        s.push_str(&format!("{seed:02x}"));
    }
    s
}
