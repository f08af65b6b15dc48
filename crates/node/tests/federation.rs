//! Federation between real node processes on loopback: two competent authorities' nodes
//! (IR and RU under the reference agreement) pull from each other with signed requests,
//! sealed pages and the mutual witness of their audit logs; faults come from a proxy
//! between them and from SIGKILL.

mod common;

use common::proxy::{Fault, Proxy};
use common::{
    Node, PASSWORD, TAXII, audit_entries, cli, create_collection, import, ok, served, user,
};
use std::path::Path;
use std::time::{Duration, Instant};

const PURPOSE: &str = "incident-response";

struct Parties {
    ir: tempfile::TempDir,
    ru: tempfile::TempDir,
}

impl Parties {
    fn ir(&self) -> &Path {
        self.ir.path()
    }
    fn ru(&self) -> &Path {
        self.ru.path()
    }
}

/// IR and RU, each having designated its authority to the other, IR with a collection
/// `incidents` that RU's node may read.
fn parties() -> Parties {
    let (ir, ru, _, _) = common::two_parties();
    Parties { ir, ru }
}

/// Registers `id` at `url` as a peer of the node in `dir` (key from the designation),
/// bound to the incident-response purpose.
fn peer(dir: &Path, id: &str, url: &str) {
    peer_for(dir, id, url, &[PURPOSE]);
}

/// The same, bound to `purposes` (the first is the one this node declares to it).
fn peer_for(dir: &Path, id: &str, url: &str, purposes: &[&str]) {
    let mut args = vec!["peer", "add", id, "--url", url];
    for p in purposes {
        args.extend(["--purpose", p]);
    }
    ok(cli(dir, &args));
}

fn let_read(dir: &Path, who: &str, coll: &str) {
    ok(cli(
        dir,
        &["user", "grant", who, "--collection", coll, "--read"],
    ));
}

/// `symbolon sync` on `dir`: exit code and what it printed.
fn sync(dir: &Path) -> (i32, String) {
    let out = cli(dir, &["sync"]);
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.code().unwrap_or(-1), text)
}

/// Every object of a collection as exported, keyed by (id, modified), as JSON values.
fn exported(dir: &Path, coll: &str) -> Vec<serde_json::Value> {
    let out = ok(cli(dir, &["export", "--collection", coll]));
    let bundle: serde_json::Value = serde_json::from_str(&out).unwrap();
    let mut objects = bundle["objects"].as_array().cloned().unwrap_or_default();
    objects.sort_by_key(|o| {
        (
            o["id"].as_str().unwrap_or("").to_owned(),
            o["modified"].as_str().unwrap_or("").to_owned(),
        )
    });
    objects
}

const PULLED: &str = "ir-csirt.incidents";

fn attack_ics() -> String {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/attack");
    std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| p.extension().is_some_and(|x| x == "json") && p.to_string_lossy().contains("ics"))
        .expect("ATT&CK ICS bundle in shared/data/attack")
        .to_string_lossy()
        .into_owned()
}

#[test]
fn a_pull_takes_every_object_as_sent_and_a_repeat_takes_only_what_is_new() {
    let p = parties();
    ok(cli(
        p.ir(),
        &["import", "--collection", "incidents", &attack_ics()],
    ));
    let ir = Node::start_with(p.ir(), &["--sync-every", "0"]);
    peer(p.ru(), "ir-csirt", &ir.base);
    peer(p.ir(), "ru-csirt", "http://127.0.0.1:9/");
    let_read(p.ir(), "ru-csirt", "incidents");

    let (code, text) = sync(p.ru());
    assert_eq!(code, 0, "{text}");
    let sent = exported(p.ir(), "incidents");
    assert!(sent.len() > 1000);
    assert_eq!(
        exported(p.ru(), PULLED),
        sent,
        "object for object, JSON-equal"
    );

    let (code, text) = sync(p.ru());
    assert_eq!(code, 0, "{text}");
    assert!(text.contains(": 0 new"), "{text}");

    fill(&p, 7);
    let (code, text) = sync(p.ru());
    assert_eq!(code, 0, "{text}");
    assert!(text.contains(": 7 new"), "{text}");
    assert_eq!(exported(p.ru(), PULLED).len(), sent.len() + 7);

    // What arrived is recorded: the pull, its counts and digest, on RU's log.
    let pulls: Vec<_> = audit_entries(p.ru(), 1)
        .into_iter()
        .filter(|e| e["event"] == "sync_pulled")
        .collect();
    assert_eq!(pulls.len(), 3);
    assert_eq!(pulls[0]["added"], sent.len());
    assert_eq!(pulls[2]["added"], 7);
}

#[test]
fn a_page_altered_on_the_way_is_quarantined_and_nothing_of_it_is_stored() {
    let p = parties();
    let objects: Vec<String> = (0..30).map(|i| indicator(i, "")).collect();
    ok(import(p.ir(), "incidents", &objects, &[]));
    let (_ir, proxy) = behind_proxy(&p);

    proxy.set(Fault::Tamper {
        from: "203.0.113.7".into(),
        to: "198.51.100.".into(),
    });
    let (code, text) = sync(p.ru());
    assert_eq!(code, 2, "{text}");
    assert!(text.contains("QUARANTINED"), "{text}");
    assert!(
        exported(p.ru(), PULLED).is_empty(),
        "nothing of the page is stored"
    );
    let q = ok(cli(p.ru(), &["peer", "quarantine"]));
    assert_eq!(q.lines().count(), 1, "{q}");
    assert!(q.contains("from ir-csirt"), "{q}");

    // Where to resume is sealed too: an altered X-TAXII-Date-Added-Last is caught.
    proxy.set(Fault::Header {
        name: "x-taxii-date-added-last".into(),
        value: "2099-01-01T00:00:00.000000Z".into(),
    });
    let (code, text) = sync(p.ru());
    assert_eq!(code, 2, "{text}");
    assert!(
        text.contains("not the date_added the page was sealed with"),
        "{text}"
    );
    assert!(exported(p.ru(), PULLED).is_empty());

    // The same page, unaltered, is taken at the next run: the cursor had not moved.
    proxy.set(Fault::Pass);
    let (code, text) = sync(p.ru());
    assert_eq!(code, 0, "{text}");
    assert_eq!(exported(p.ru(), PULLED).len(), 30);
    assert!(
        exported(p.ru(), PULLED)
            .iter()
            .all(|o| o["pattern"].as_str().unwrap().contains("203.0.113.7"))
    );
}

#[test]
fn a_peer_that_is_down_answers_garbage_or_is_slow_costs_no_object_and_duplicates_none() {
    let p = parties();
    fill(&p, 2500);
    let (_ir, proxy) = behind_proxy(&p);

    proxy.set(Fault::Refuse);
    let (code, text) = sync(p.ru());
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("SYNC FAILED"), "{text}");

    proxy.set(Fault::Garbage);
    let (code, text) = sync(p.ru());
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("not signed by the peer node"), "{text}");

    proxy.set(Fault::Slow(Duration::from_millis(50)));
    let (code, text) = sync(p.ru());
    assert_eq!(code, 0, "{text}");
    assert_eq!(pulled_ids(&p), (2500, 2500));
}

/// Indicator number `n` (a fixed id), with `extra` properties (`,"key":value…`).
fn indicator(n: u32, extra: &str) -> String {
    format!(
        r#"{{"type":"indicator","spec_version":"2.1","id":"indicator--00000000-0000-4000-8000-{n:012}","created":"2024-01-01T00:00:00.000Z","modified":"2024-01-01T00:00:00.000Z","pattern":"[ipv4-addr:value = '203.0.113.7']","pattern_type":"stix","valid_from":"2024-01-01T00:00:00Z"{extra}}}"#
    )
}

/// Both nodes serving, each the other's peer, and RU having pulled IR's `incidents` once.
fn both_serving_and_pulled(p: &Parties) -> (Node, Node) {
    let ir = Node::start_with(p.ir(), &["--sync-every", "0"]);
    let ru = Node::start_with(p.ru(), &["--sync-every", "0"]);
    peer(p.ru(), "ir-csirt", &ir.base);
    peer(p.ir(), "ru-csirt", &ru.base);
    let_read(p.ir(), "ru-csirt", "incidents");
    let (code, text) = sync(p.ru());
    assert_eq!(code, 0, "{text}");
    (ir, ru)
}

/// Imports `n` fresh indicators into IR's `incidents`.
fn fill(p: &Parties, n: usize) {
    let (envelope, _) = common::indicators(n);
    let file = p.ir().join(format!("in-{n}.json"));
    std::fs::write(&file, envelope).unwrap();
    ok(cli(
        p.ir(),
        &[
            "import",
            "--collection",
            "incidents",
            file.to_str().unwrap(),
        ],
    ));
}

/// IR's node serving, and RU pulling from it through a fault-injecting proxy.
fn behind_proxy(p: &Parties) -> (Node, Proxy) {
    let ir = Node::start_with(p.ir(), &["--sync-every", "0"]);
    let proxy = Proxy::start(ir.addr());
    peer(p.ru(), "ir-csirt", &proxy.url);
    peer(p.ir(), "ru-csirt", "http://127.0.0.1:9/");
    let_read(p.ir(), "ru-csirt", "incidents");
    (ir, proxy)
}

/// How many object versions RU pulled, and how many distinct ids among them.
fn pulled_ids(p: &Parties) -> (usize, usize) {
    let mut ids: Vec<String> = exported(p.ru(), PULLED)
        .iter()
        .map(|o| o["id"].as_str().unwrap().to_owned())
        .collect();
    let all = ids.len();
    ids.sort();
    ids.dedup();
    (all, ids.len())
}

/// The cursor RU holds for IR's collection.
fn cursor_of(ru: &Path) -> Option<String> {
    let db = rusqlite::Connection::open(ru.join("symbolon.db")).unwrap();
    db.query_row("SELECT added_after FROM sync_cursors", [], |r| r.get(0))
        .ok()
        .flatten()
}

#[test]
fn a_node_killed_mid_sync_and_a_peer_restarted_mid_sync_resume_exactly() {
    // More than one transaction's worth (a pull commits ~25,000 objects at a time).
    const TOTAL: usize = 60_000;
    let p = parties();
    fill(&p, TOTAL);
    let (ir, proxy) = behind_proxy(&p);

    // Pages come slowly; RU's sync is killed with SIGKILL while pulling.
    proxy.set(Fault::Slow(Duration::from_millis(150)));
    let mut child = std::process::Command::new(common::BIN)
        .args(["sync", "--data", p.ru().to_str().unwrap()])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    while cursor_of(p.ru()).is_none() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let partial = exported(p.ru(), PULLED).len();
    assert!(
        partial > 0 && partial < TOTAL,
        "killed mid-sync after {partial} objects"
    );
    // Every object stored is covered by the cursor, and the cursor by stored objects.
    let last_stored = ok(cli(p.ru(), &["export", "--collection", PULLED]));
    assert!(!last_stored.is_empty());

    // IR's node goes down mid-sync (SIGKILL) and comes back on the same port.
    proxy.set(Fault::Refuse);
    let (code, text) = sync(p.ru());
    assert_eq!(code, 1, "{text}");
    let addr = ir.addr().to_owned();
    ir.kill();
    let ir = Node::start_on(p.ir(), &addr, &["--sync-every", "0"]);
    proxy.set(Fault::Pass);
    let (code, text) = sync(p.ru());
    assert_eq!(code, 0, "{text}");
    assert_eq!(pulled_ids(&p), (TOTAL, TOTAL));
    // The cursor is the date_added of IR's last object.
    let manifest: serde_json::Value = Node::client()
        .get(format!(
            "{}/api1/collections/incidents/manifest/?added_after={}",
            ir.base,
            cursor_of(p.ru()).unwrap()
        ))
        .basic_auth("admin", Some(common::PASSWORD))
        .header("Accept", common::TAXII)
        .send()
        .unwrap()
        .json()
        .unwrap();
    assert!(
        manifest.get("objects").is_none(),
        "nothing after the cursor: {manifest}"
    );
}

/// Empties a node's audit log in place, as an operator rewriting its history would: the
/// node goes on signing a new history with the same key. (A node whose log file is gone
/// refuses to open rather than start a new one.)
fn rewrite_log(dir: &Path) {
    let db = rusqlite::Connection::open(dir.join("audit.db")).unwrap();
    db.execute_batch(
        "DELETE FROM audit_entries; DELETE FROM audit_nodes; DELETE FROM audit_heads;",
    )
    .unwrap();
}

#[test]
fn a_rewritten_peer_log_halts_exchange_loudly_until_the_operator_resumes_it() {
    let p = parties();
    ok(import(p.ir(), "incidents", &[], &[]));
    let ir = Node::start_with(p.ir(), &["--sync-every", "0"]);
    peer(p.ru(), "ir-csirt", &ir.base);
    peer(p.ir(), "ru-csirt", "http://127.0.0.1:9/");
    let (code, text) = sync(p.ru());
    assert_eq!(code, 0, "{text}");

    // IR's log is replaced by another one (rewritten history, same key).
    let addr = ir.addr().to_owned();
    ir.kill();
    rewrite_log(p.ir());
    for i in 0..40 {
        ok(cli(
            p.ir(),
            &["collection", "create", "--title", &format!("t{i}")],
        ));
    }
    let _ir = Node::start_on(p.ir(), &addr, &["--sync-every", "0"]);
    let (code, text) = sync(p.ru());
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("AUDIT LOG BREACH"), "{text}");
    let (code, text) = sync(p.ru());
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("halted"), "{text}");
    assert!(ok(cli(p.ru(), &["peer", "list"])).contains("HALTED"));
    assert!(
        audit_entries(p.ru(), 1)
            .iter()
            .any(|e| e["event"] == "witness_breach" && e["peer"] == "ir-csirt")
    );
    ok(cli(
        p.ru(),
        &["peer", "resume", "ir-csirt", "--forget-witness"],
    ));
    let (code, text) = sync(p.ru());
    assert_eq!(code, 0, "{text}");
}

#[test]
fn each_node_witnesses_the_others_log_and_a_forked_one_is_refused_by_its_peer() {
    let p = parties();
    let ir = Node::start_with(p.ir(), &["--sync-every", "0"]);
    peer(p.ru(), "ir-csirt", &ir.base);
    peer(p.ir(), "ru-csirt", "http://127.0.0.1:9/");
    let (code, text) = sync(p.ru());
    assert_eq!(code, 0, "{text}");
    // IR now holds RU's head as witnessed.
    let list = ok(cli(p.ir(), &["peer", "list"]));
    let row = list.lines().find(|l| l.starts_with("ru-csirt\t")).unwrap();
    assert_ne!(row.split('\t').nth(2), Some("-"), "{list}");

    // RU rewrites its own log: at the next sync IR refuses it and halts RU.
    rewrite_log(p.ru());
    for i in 0..40 {
        ok(cli(
            p.ru(),
            &["collection", "create", "--title", &format!("t{i}")],
        ));
    }
    let (code, text) = sync(p.ru());
    assert_eq!(code, 1, "{text}");
    assert!(
        text.contains("finds THIS node's audit log rewritten"),
        "{text}"
    );
    let list = Node::client()
        .get(format!("{}/taxii2/", ir.base))
        .basic_auth("admin", Some(common::PASSWORD))
        .header("Accept", common::TAXII)
        .send()
        .unwrap();
    assert_eq!(list.status(), 200);
    std::thread::sleep(Duration::from_millis(100));
    assert!(ok(cli(p.ir(), &["peer", "list"])).contains("HALTED"));
}

#[test]
fn consents_and_notices_travel_between_the_nodes_and_take_effect() {
    let p = parties();
    let (a, b) = (
        "indicator--00000000-0000-4000-8000-000000000010",
        "indicator--00000000-0000-4000-8000-000000000011",
    );
    ok(import(
        p.ir(),
        "incidents",
        &[indicator(10, ""), indicator(11, "")],
        &[],
    ));
    let (_ir, ru) = both_serving_and_pulled(&p);

    // A third party of RU's is served nothing obtained from IR (Art. 6.2)...
    user(
        p.ru(),
        "partner",
        &["--third-party", "--purpose", PURPOSE],
        PULLED,
    );
    let refused = served(&ru, PULLED, "partner", None).unwrap();
    assert!(refused.is_empty(), "{refused:?}");

    // ...until RU asks IR, the request travels to IR at IR's sync, IR grants, and the
    // consent travels back at RU's sync.
    let ask = common::ask_ir_consent(p.ru(), &["--collection", PULLED]);
    let (code, text) = sync(p.ir());
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("kept 1 ledger records"), "{text}");
    let ask_file = p.ir().join("ask.json");
    std::fs::write(&ask_file, ask).unwrap();
    ok(cli(
        p.ir(),
        &["consent", "grant", ask_file.to_str().unwrap()],
    ));
    let (code, text) = sync(p.ru());
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("kept 1 ledger records"), "{text}");
    assert_eq!(served(&ru, PULLED, "partner", None).unwrap(), [a, b]);

    // A request IR declines comes back to RU, with IR's reason, at RU's next sync: RU's
    // operator sees it on the workspace's consents screen.
    let ask = common::ask_ir_consent(p.ru(), &["--object", b]);
    let asked: serde_json::Value = serde_json::from_str(&ask).unwrap();
    let request_id = asked["record"]["id"].as_str().unwrap().to_owned();
    assert_eq!(sync(p.ir()).0, 0);
    std::fs::write(&ask_file, ask).unwrap();
    ok(cli(
        p.ir(),
        &[
            "consent",
            "decline",
            ask_file.to_str().unwrap(),
            "--reason",
            "not beyond the joint exercise",
        ],
    ));
    let (code, text) = sync(p.ru());
    assert_eq!(code, 0, "{text}");
    let session = common::workspace_session(&ru.base);
    let screen = Node::client()
        .get(format!("{}/ui/consents", ru.base))
        .header("cookie", session)
        .send()
        .unwrap()
        .text()
        .unwrap();
    assert!(
        screen.contains("not beyond the joint exercise") && screen.contains(&request_id),
        "{screen}"
    );

    // IR's confidentiality notice on `a` (its holders' users only) travels and applies.
    ok(cli(
        p.ir(),
        &["notice", "issue", "--object", a, "--reach", "holder"],
    ));
    assert_eq!(sync(p.ru()).0, 0);
    assert_eq!(served(&ru, PULLED, "partner", None).unwrap(), [b]);
}

#[test]
fn a_serving_node_pulls_from_its_peers_on_its_own() {
    let p = parties();
    let ir = Node::start_with(p.ir(), &["--sync-every", "0"]);
    peer(p.ru(), "ir-csirt", &ir.base);
    peer(p.ir(), "ru-csirt", "http://127.0.0.1:9/");
    let_read(p.ir(), "ru-csirt", "incidents");
    let _ru = Node::start_with(p.ru(), &["--sync-every", "1"]);
    let (envelope, ids) = common::indicators(5);
    assert_eq!(ir.post("incidents", envelope).status(), 202);
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        // The collection appears with the first round that reaches IR.
        let exists = cli(p.ru(), &["collection", "list"]);
        let got = if String::from_utf8_lossy(&exists.stdout).contains(PULLED) {
            exported(p.ru(), PULLED).len()
        } else {
            0
        };
        if got == ids.len() {
            break;
        }
        assert!(Instant::now() < deadline, "pulled {got} of {}", ids.len());
        std::thread::sleep(Duration::from_millis(200));
    }
}

#[test]
fn the_demo_shows_refusal_consent_forward_signature_and_proofs_and_stops_its_nodes() {
    let keep = tempfile::tempdir().unwrap();
    let attack = attack_ics();
    let out = std::process::Command::new(common::BIN)
        .args(["demo", "--attack", &attack, "--keep"])
        .arg(keep.path())
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let n = exported_count(&attack);
    assert!(
        text.contains(&format!(r#""withheld":{{"Art. 6.2":{n}}}"#)),
        "{text}"
    );
    let forward = text.split("== 6.").nth(1).unwrap();
    assert!(forward.contains(&format!(": {n} new")), "{text}");
    assert!(
        text.contains("sealed by `ir-csirt`") && text.contains("signature and audit path verify"),
        "{text}"
    );
    assert_eq!(text.matches("audit log intact").count(), 3, "{text}");
    // Its nodes are gone: nothing listens on the ports it printed.
    for line in text.lines().filter(|l| l.contains("http://127.0.0.1:")) {
        let port = line
            .split("http://127.0.0.1:")
            .nth(1)
            .unwrap()
            .split('/')
            .next()
            .unwrap();
        assert!(
            std::net::TcpStream::connect(format!("127.0.0.1:{port}")).is_err(),
            "{line}"
        );
    }
}

fn exported_count(bundle: &str) -> usize {
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(bundle).unwrap()).unwrap();
    v["objects"].as_array().unwrap().len()
}

#[test]
fn a_push_sends_what_the_policy_lets_the_peer_receive_sealed_and_only_once() {
    let p = parties();
    const AMBER: &str = "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421";
    let amber = format!(r#","object_marking_refs":["{AMBER}"]"#);
    let objects: Vec<String> = (1..=9)
        .map(|n| indicator(n, ""))
        .chain([indicator(10, &amber)])
        .collect();
    ok(import(p.ir(), "incidents", &objects, &[]));
    let ru = Node::start_with(p.ru(), &["--sync-every", "0"]);
    let inbox = create_collection(p.ru(), "inbox");
    peer(p.ru(), "ir-csirt", "http://127.0.0.1:9/");
    ok(cli(
        p.ru(),
        &[
            "user",
            "grant",
            "ir-csirt",
            "--collection",
            "inbox",
            "--write",
        ],
    ));
    peer(p.ir(), "ru-csirt", &ru.base);
    let_read(p.ir(), "ru-csirt", "incidents");
    ok(cli(
        p.ir(),
        &[
            "peer",
            "push",
            "ru-csirt",
            "--collection",
            "incidents",
            "--to",
            &inbox,
        ],
    ));

    let (code, text) = sync(p.ir());
    assert_eq!(code, 0, "{text}");
    assert!(
        text.contains("9 sent, 1 kept home by the policy, 0 refused"),
        "{text}"
    );
    let held = exported(p.ru(), "inbox");
    assert_eq!(held.len(), 9);
    assert!(held.iter().all(|o| o.get("object_marking_refs").is_none()));
    // RU holds IR's seal over each pushed object and checks it.
    let out = cli(
        p.ru(),
        &[
            "provenance",
            "--collection",
            "inbox",
            "--object",
            "indicator--00000000-0000-4000-8000-000000000003",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("sealed by `ir-csirt`"));
    // The next run sends only what is new.
    let (code, text) = sync(p.ir());
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("0 sent, 0 kept home"), "{text}");
}

#[test]
fn a_termination_notified_on_one_node_reaches_the_other_and_takes_effect_there() {
    let p = parties();
    let ir = Node::start_with(p.ir(), &["--sync-every", "0"]);
    peer(p.ru(), "ir-csirt", &ir.base);
    peer(p.ir(), "ru-csirt", "http://127.0.0.1:9/");
    assert_eq!(sync(p.ru()).0, 0);
    let before = ok(cli(p.ru(), &["agreement", "status", "--at", "2026-01-01"]));
    assert!(
        before.contains("Termination takes effect: none"),
        "{before}"
    );
    ok(cli(
        p.ir(),
        &[
            "agreement",
            "notify",
            "--kind",
            "termination",
            "--party",
            "RU",
            "--received",
            "2025-06-01",
        ],
    ));
    let (code, text) = sync(p.ru());
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("1 notifications"), "{text}");
    let after = ok(cli(p.ru(), &["agreement", "status", "--at", "2026-01-01"]));
    assert!(
        after.contains("Termination takes effect: 2025-08-30"),
        "{after}"
    );
}

#[test]
fn a_peer_takes_its_key_and_url_from_the_designation_and_a_wrong_key_is_refused() {
    let p = parties();
    let ir = Node::start_with(p.ir(), &["--sync-every", "0"]);
    let ir_key = ok(cli(p.ir(), &["peer", "whoami"]))
        .split('\t')
        .nth(1)
        .unwrap()
        .trim()
        .to_owned();
    // A later designation of IR's authority that also names its node's URL.
    ok(cli(
        p.ru(),
        &[
            "agreement",
            "notify",
            "--kind",
            "designation",
            "--party",
            "IR",
            "--received",
            "2021-04-02",
            "--authority-id",
            "ir-csirt",
            "--authority-name",
            "ir-csirt",
            "--public-key",
            &ir_key,
            "--node-url",
            &ir.base,
        ],
    ));
    let wrong = "ab".repeat(32);
    let refused = cli(p.ru(), &["peer", "add", "ir-csirt", "--key", &wrong]);
    assert!(!refused.status.success());
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains("the agreement gives `ir-csirt` the key")
    );
    let added = ok(cli(
        p.ru(),
        &["peer", "add", "ir-csirt", "--purpose", PURPOSE],
    ));
    assert!(
        added.contains(&ir.base) && added.contains(&ir_key),
        "{added}"
    );
    peer(p.ir(), "ru-csirt", "http://127.0.0.1:9/");
    let (code, text) = sync(p.ru());
    assert_eq!(code, 0, "{text}");
    // Someone outside the agreement is not an authority.
    let stranger = cli(
        p.ru(),
        &[
            "peer",
            "add",
            "kz-cert",
            "--url",
            "http://127.0.0.1:9/",
            "--key",
            &wrong,
        ],
    );
    assert!(!stranger.status.success());
}

#[test]
fn a_pull_declares_the_purpose_bound_to_the_exchange_and_the_peer_decides_and_records_it() {
    let p = parties();
    fill(&p, 3);
    let ir = Node::start_with(p.ir(), &["--sync-every", "0"]);
    let jta = "joint-threat-assessment";
    peer_for(p.ru(), "ir-csirt", &ir.base, &[jta]);
    peer_for(p.ir(), "ru-csirt", "http://127.0.0.1:9/", &[PURPOSE, jta]);
    let_read(p.ir(), "ru-csirt", "incidents");
    let (code, text) = sync(p.ru());
    assert_eq!(code, 0, "{text}");
    // IR's log shows the pull made for the declared purpose, not RU's default there
    // (access entries are appended by group commit, so give them a moment).
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let entries = audit_entries(p.ir(), 1);
        if entries.iter().any(|e| {
            e["event"] == "access"
                && e["principal"] == "ru-csirt"
                && e["endpoint"] == "objects"
                && e["purpose"] == jta
        }) {
            break;
        }
        assert!(Instant::now() < deadline, "{entries:?}");
        std::thread::sleep(Duration::from_millis(100));
    }
    // A purpose IR has not bound to the exchange is refused there (Art. 6.4).
    peer(p.ir(), "ru-csirt", "http://127.0.0.1:9/");
    let (code, text) = sync(p.ru());
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("Art. 6.4"), "{text}");
}

#[test]
fn the_originator_travels_with_an_object_across_hops_and_its_own_information_comes_back_as_its_own()
{
    const CLEAR: &str = "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487";
    let p = parties();
    let clear = format!(r#","object_marking_refs":["{CLEAR}"]"#);
    let objects: Vec<String> = (1..=3).map(|n| indicator(n, &clear)).collect();
    ok(import(p.ir(), "incidents", &objects, &[]));
    let (ir, ru) = both_serving_and_pulled(&p);
    // RU holds IR's information: RU's third party gets none of it without IR's consent.
    user(
        p.ru(),
        "partner",
        &["--third-party", "--purpose", PURPOSE],
        PULLED,
    );
    assert!(served(&ru, PULLED, "partner", None).unwrap().is_empty());

    // RU's copy of IR's own collection is not pulled back to IR (it would bring IR's
    // objects home a second time) ...
    let_read(p.ru(), "ir-csirt", PULLED);
    let (code, text) = sync(p.ir());
    assert_eq!(code, 0, "{text}");
    assert!(!ok(cli(p.ir(), &["collection", "list"])).contains("ru-csirt.ir-csirt.incidents"));
    // ... but what RU sends on to IR comes under RU's seal naming IR as the originator, so
    // on IR it is IR's own information again (TLP:CLEAR: IR's third party may have it).
    let returned = create_collection(p.ir(), "returned");
    ok(cli(
        p.ir(),
        &[
            "user",
            "grant",
            "ru-csirt",
            "--collection",
            "returned",
            "--write",
        ],
    ));
    ok(cli(
        p.ru(),
        &[
            "peer",
            "push",
            "ir-csirt",
            "--collection",
            PULLED,
            "--to",
            &returned,
        ],
    ));
    let (code, text) = sync(p.ru());
    assert_eq!(code, 0, "{text}");
    user(
        p.ir(),
        "partner",
        &["--third-party", "--purpose", PURPOSE],
        "returned",
    );
    assert_eq!(served(&ir, "returned", "partner", None).unwrap().len(), 3);
}

/// `peer remove`: the peer, its cursors and its user go (its signed requests then fail),
/// what it sent stays with its seals, and the removal is in the audit log.
#[test]
fn a_removed_peer_is_no_longer_served_and_what_it_sent_stays() {
    let p = parties();
    let (ir_node, _ru_node) = both_serving_and_pulled(&p);
    let before = exported(p.ru(), "ir-csirt.incidents").len();
    ok(cli(p.ir(), &["peer", "remove", "ru-csirt"]));
    let list = ok(cli(p.ir(), &["peer", "list"]));
    assert!(list.ends_with("none\n"), "{list}");
    assert!(!ok(cli(p.ir(), &["user", "list"])).contains("ru-csirt"));
    // RU's signed requests now find no user at IR.
    let (code, text) = sync(p.ru());
    assert_ne!(code, 0, "{text}");
    // What RU took earlier is still RU's; IR's audit log records the removal.
    assert_eq!(exported(p.ru(), "ir-csirt.incidents").len(), before);
    let entries = audit_entries(p.ir(), 1);
    assert!(
        entries
            .iter()
            .any(|e| e["event"] == "peer_removed" && e["peer"] == "ru-csirt")
    );
    let again = cli(p.ir(), &["peer", "remove", "ru-csirt"]);
    assert!(String::from_utf8_lossy(&again.stderr).contains("no peer `ru-csirt`"));
    drop(ir_node);
}

/// A collection filled by a peer's sync is not deleted while the peer is there (its next
/// sync would fill it again): the refusal names `peer remove` and nothing goes; once the
/// peer is removed, the deletion goes through and `audit verify` still covers the store.
#[test]
fn a_collection_a_peer_fills_is_deleted_only_after_the_peer_is_removed() {
    let p = parties();
    fill(&p, 5);
    let (_ir_node, _ru_node) = both_serving_and_pulled(&p);
    let before = exported(p.ru(), PULLED).len();
    assert_eq!(before, 5);
    let refused = cli(p.ru(), &["collection", "delete", PULLED, "--yes"]);
    assert_ne!(refused.status.code(), Some(0));
    let err = String::from_utf8_lossy(&refused.stderr);
    assert!(err.contains("peer remove"), "{err}");
    assert_eq!(exported(p.ru(), PULLED).len(), before);
    ok(cli(p.ru(), &["peer", "remove", "ir-csirt"]));
    ok(cli(p.ru(), &["collection", "delete", PULLED, "--yes"]));
    assert!(!ok(cli(p.ru(), &["collection", "list"])).contains(PULLED));
    ok(cli(p.ru(), &["audit", "verify"]));
}

/// The node's TAXII discovery document, as its administrator reads it.
fn discovery(client: &reqwest::blocking::Client, base: &str) -> serde_json::Value {
    client
        .get(format!("{base}/taxii2/"))
        .basic_auth("admin", Some(PASSWORD))
        .header("Accept", TAXII)
        .send()
        .unwrap()
        .json()
        .unwrap()
}

/// A self-signed certificate for 127.0.0.1 and localhost, written as PEM into `dir`.
fn certificate(dir: &Path) -> (std::path::PathBuf, std::path::PathBuf, String) {
    let ck =
        rcgen::generate_simple_self_signed(vec!["127.0.0.1".to_owned(), "localhost".to_owned()])
            .unwrap();
    let (cert, key) = (dir.join("tls-cert.pem"), dir.join("tls-key.pem"));
    std::fs::write(&cert, ck.cert.pem()).unwrap();
    std::fs::write(&key, ck.signing_key.serialize_pem()).unwrap();
    (cert, key, ck.cert.pem())
}

/// A node serving HTTPS: its discovery says `https`, plain HTTP gets nothing from it, and a
/// peer syncs with it over TLS once it trusts the certificate (`peer-ca.pem`); without that,
/// the sync fails on the certificate and takes nothing.
#[test]
fn a_node_serves_https_and_its_peer_syncs_over_tls_trusting_only_its_ca() {
    let p = parties();
    let certs = tempfile::tempdir().unwrap();
    let (cert, key, pem) = certificate(certs.path());
    let ir = Node::start_with(
        p.ir(),
        &[
            "--sync-every",
            "0",
            "--tls-cert",
            cert.to_str().unwrap(),
            "--tls-key",
            key.to_str().unwrap(),
        ],
    );
    let https = ir.base.replace("http://", "https://");
    let trusting = reqwest::blocking::Client::builder()
        .tls_built_in_root_certs(false)
        .add_root_certificate(reqwest::Certificate::from_pem(pem.as_bytes()).unwrap())
        .build()
        .unwrap();
    let discovery = discovery(&trusting, &https);
    assert!(
        discovery["default"]
            .as_str()
            .unwrap()
            .starts_with(&format!("{https}/")),
        "{discovery}"
    );
    assert!(
        Node::client()
            .get(format!("{}/healthz", ir.base))
            .send()
            .is_err()
    );

    fill(&p, 3);
    peer(p.ru(), "ir-csirt", &https);
    let ru = Node::start_with(p.ru(), &["--sync-every", "0"]);
    peer(p.ir(), "ru-csirt", &ru.base);
    let_read(p.ir(), "ru-csirt", "incidents");
    let (code, text) = sync(p.ru());
    assert_ne!(code, 0, "an untrusted certificate was accepted: {text}");
    assert!(!ok(cli(p.ru(), &["collection", "list"])).contains(PULLED));
    std::fs::write(p.ru().join("peer-ca.pem"), &pem).unwrap();
    let (code, text) = sync(p.ru());
    assert_eq!(code, 0, "{text}");
    assert_eq!(exported(p.ru(), "ir-csirt.incidents").len(), 3);

    // A file for this one peer replaces the shared one: another certificate there is
    // refused although `peer-ca.pem` would trust the peer's ...
    let other = tempfile::tempdir().unwrap();
    let (_, _, other_pem) = certificate(other.path());
    std::fs::create_dir(p.ru().join("peer-ca")).unwrap();
    std::fs::write(p.ru().join("peer-ca/ir-csirt.pem"), &other_pem).unwrap();
    let (code, text) = sync(p.ru());
    assert_ne!(
        code, 0,
        "the peer's own file did not replace peer-ca.pem: {text}"
    );
    // ... and the peer's certificate there is enough when the shared file trusts another.
    std::fs::write(p.ru().join("peer-ca/ir-csirt.pem"), &pem).unwrap();
    std::fs::write(p.ru().join("peer-ca.pem"), &other_pem).unwrap();
    let (code, text) = sync(p.ru());
    assert_eq!(code, 0, "{text}");
}

/// Behind a reverse proxy: discovery advertises the public URL the operator gave.
#[test]
fn discovery_behind_a_proxy_advertises_the_public_url() {
    let p = parties();
    let ir = Node::start_with(
        p.ir(),
        &[
            "--sync-every",
            "0",
            "--public-url",
            "https://taxii.cert.example/",
        ],
    );
    let discovery = discovery(&Node::client(), &ir.base);
    assert_eq!(discovery["default"], "https://taxii.cert.example/api1/");
}
