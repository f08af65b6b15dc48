//! The agreement enforced over TAXII: who may receive what (Art. 6.1, 6.2), for which
//! purpose (Art. 6.4), while the agreement is in force (Art. 9), and classified markings
//! refused at ingest (Art. 6.6). Real node processes, real HTTP.

mod common;

use common::{
    Node, PASSWORD, REFERENCE, TAXII, audit_entries, cli, cli_with_stdin, create_collection,
    import, join, notify, ok, served, user,
};
use std::path::Path;

const ACS_FIXTURE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/data/misp-stix-fixtures/stix21-external/with_acs_marking.json"
);
const CLEAR: &str = "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487";
const GREEN: &str = "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb";
const RED: &str = "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1";

fn indicator(n: u32, marking: Option<&str>) -> (String, String) {
    let id = format!("indicator--00000000-0000-4000-8000-{n:012}");
    let refs = marking.map_or(String::new(), |m| {
        format!(r#","object_marking_refs":["{m}"]"#)
    });
    (
        id.clone(),
        format!(
            r#"{{"type":"indicator","spec_version":"2.1","id":"{id}","created":"2024-01-01T00:00:00.000Z","modified":"2024-01-01T00:00:00.000Z","pattern":"[ipv4-addr:value = '203.0.113.{n}']","pattern_type":"stix","valid_from":"2024-01-01T00:00:00Z"{refs}}}"#
        ),
    )
}

/// An IR node (`ir-csirt`) with the agreement in force and RU's `ru-csirt` designated.
fn ir_node() -> tempfile::TempDir {
    let dir = common::fresh();
    let d = dir.path();
    join(d, REFERENCE, "IR", "ir-csirt");
    for party in ["IR", "RU"] {
        notify(d, "ratification", party, "2021-03-01");
    }
    ok(cli(
        d,
        &[
            "agreement",
            "notify",
            "--kind",
            "designation",
            "--party",
            "RU",
            "--received",
            "2021-04-01",
            "--authority-id",
            "ru-csirt",
            "--authority-name",
            "Russian national CSIRT",
            "--public-key",
            &"11".repeat(32),
        ],
    ));
    dir
}

#[test]
fn each_kind_of_principal_receives_what_the_agreement_allows() {
    let dir = ir_node();
    let d = dir.path();
    let coll = create_collection(d, "shared");
    let (clear, clear_json) = indicator(1, Some(CLEAR));
    let (green, green_json) = indicator(2, Some(GREEN));
    let (red, red_json) = indicator(3, Some(RED));
    let (unmarked, unmarked_json) = indicator(4, None);
    let (from_ru, from_ru_json) = indicator(5, Some(CLEAR));
    let (ru_red, ru_red_json) = indicator(6, Some(RED));
    ok(import(
        d,
        &coll,
        &[clear_json, green_json, red_json, unmarked_json],
        &[],
    ));
    ok(import(
        d,
        &coll,
        &[from_ru_json, ru_red_json],
        &["--obtained-from", "ru-csirt"],
    ));
    let refused = import(
        d,
        &coll,
        &[indicator(7, None).1],
        &["--obtained-from", "xx-csirt"],
    );
    assert_eq!(refused.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("not a competent authority known"));

    user(
        d,
        "ru",
        &["--authority", "ru-csirt", "--purpose", "incident-response"],
        &coll,
    );
    user(
        d,
        "partner",
        &["--third-party", "--purpose", "incident-response"],
        &coll,
    );
    user(
        d,
        "analyst",
        &["--purpose", "joint-threat-assessment"],
        &coll,
    );
    user(d, "unbound", &[], &coll);
    let node = Node::start(d);

    let mut all = vec![
        clear.clone(),
        green.clone(),
        red.clone(),
        unmarked.clone(),
        from_ru.clone(),
        ru_red.clone(),
    ];
    all.sort();
    assert_eq!(served(&node, &coll, "analyst", None), Ok(all.clone()));
    assert_eq!(served(&node, &coll, "admin", None), Ok(all));

    // Another party's authority: what may reach the parties, and its own objects back.
    let mut to_ru = vec![clear.clone(), green, unmarked, from_ru.clone(), ru_red];
    to_ru.sort();
    assert_eq!(served(&node, &coll, "ru", None), Ok(to_ru));

    // A third party: only this authority's TLP:CLEAR; never what came from RU (Art. 6.2).
    assert_eq!(
        served(&node, &coll, "partner", None),
        Ok(vec![clear.clone()])
    );
    let object = Node::client()
        .get(format!(
            "{}/api1/collections/{coll}/objects/{from_ru}/",
            node.base
        ))
        .basic_auth("partner", Some(PASSWORD))
        .header("Accept", TAXII)
        .send()
        .unwrap();
    assert_eq!(
        object.status().as_u16(),
        404,
        "an object withheld is not found"
    );

    // Purposes (Art. 6.4).
    let (status, why) = served(&node, &coll, "unbound", None).unwrap_err();
    assert_eq!(status, 403);
    assert!(
        why.contains("Art. 6.4") && why.contains("no purpose bound"),
        "{why}"
    );
    let (status, why) = served(&node, &coll, "ru", Some("marketing")).unwrap_err();
    assert_eq!(status, 403);
    assert!(why.contains("not a purpose of the agreement"), "{why}");
    let (status, why) = served(&node, &coll, "ru", Some("joint-threat-assessment")).unwrap_err();
    assert_eq!(status, 403);
    assert!(why.contains("not bound to the purpose"), "{why}");
    assert!(served(&node, &coll, "analyst", Some("joint-threat-assessment")).is_ok());
    // The collection resource tells the truth about it: no `can_read` for a request
    // whose purpose would be refused, `can_read` once the purpose is one of the user's.
    let resource = |who: &str, purpose: Option<&str>| -> serde_json::Value {
        let resp = common::taxii_get(&node, &format!("collections/{coll}/"), who, purpose);
        assert_eq!(resp.status().as_u16(), 200);
        resp.json().unwrap()
    };
    assert_eq!(resource("unbound", None)["can_read"], false);
    assert_eq!(
        resource("ru", Some("joint-threat-assessment"))["can_read"],
        false
    );
    assert_eq!(resource("ru", None)["can_read"], true);
    assert_eq!(
        resource("analyst", Some("joint-threat-assessment"))["can_read"],
        true
    );
    let listed: serde_json::Value = common::taxii_get(&node, "collections/", "unbound", None)
        .json()
        .unwrap();
    assert_eq!(listed["collections"][0]["can_read"], false, "{listed}");
}

#[test]
fn after_termination_only_what_came_from_an_authority_returns_to_it() {
    let dir = ir_node();
    let d = dir.path();
    let coll = create_collection(d, "shared");
    let (clear, clear_json) = indicator(1, Some(CLEAR));
    let (from_ru, from_ru_json) = indicator(5, Some(GREEN));
    ok(import(d, &coll, &[clear_json], &[]));
    ok(import(
        d,
        &coll,
        &[from_ru_json],
        &["--obtained-from", "ru-csirt"],
    ));
    user(
        d,
        "ru",
        &["--authority", "ru-csirt", "--purpose", "incident-response"],
        &coll,
    );
    notify(d, "termination", "RU", "2022-01-10");
    let node = Node::start(d);
    assert_eq!(served(&node, &coll, "ru", None), Ok(vec![from_ru]));
    assert_eq!(
        served(&node, &coll, "admin", None).map(|v| v.len()),
        Ok(2),
        "{clear} is still held"
    );
}

#[test]
fn classified_markings_are_refused_at_ingest_and_the_rest_is_kept() {
    let dir = common::fresh();
    let d = dir.path();
    let coll = create_collection(d, "misp");
    let out = cli(d, &["import", "--collection", &coll, ACS_FIXTURE]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("rejected marking-definition--20864905-06a0-47be-a04c-2164af17d635")
            && err.contains("Art. 6.6")
            && err.contains("`TS`"),
        "{err}"
    );
    assert_eq!(
        err.lines().filter(|l| l.starts_with("rejected ")).count(),
        1,
        "{err}"
    );
    let node = Node::start(d);
    let ids = node.all_ids(&coll);
    assert!(ids.contains(&"marking-definition--6010b3f4-a603-4d3b-9098-8708cdbe151b".to_owned()));
    assert!(
        !ids.iter()
            .any(|i| i.ends_with("20864905-06a0-47be-a04c-2164af17d635"))
    );
}

#[test]
fn a_termination_recorded_while_the_node_serves_stops_transfers_without_a_restart() {
    let dir = ir_node();
    let d = dir.path();
    let coll = create_collection(d, "shared");
    let (clear, clear_json) = indicator(1, Some(CLEAR));
    ok(import(d, &coll, &[clear_json], &[]));
    user(
        d,
        "ru",
        &["--authority", "ru-csirt", "--purpose", "incident-response"],
        &coll,
    );
    let node = Node::start(d);
    assert_eq!(served(&node, &coll, "ru", None), Ok(vec![clear]));
    notify(d, "termination", "RU", "2022-01-10");
    // The serving node notices the new record on its next maintenance round (every 2 s).
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
    loop {
        let now = served(&node, &coll, "ru", None);
        if now == Ok(vec![]) {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "still served after the termination took effect: {now:?}"
        );
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
}

/// The reference agreement amended: `version`, and one more purpose.
fn amended(dir: &Path, version: u32, purpose: &str) -> String {
    let text = std::fs::read_to_string(REFERENCE)
        .unwrap()
        .replace("version = 1", &format!("version = {version}"))
        + &format!(
            "\n[[purposes]]\nid = \"{purpose}\"\narticle = \"3\"\n[purposes.name]\nen = \"{purpose}\"\n"
        );
    let path = dir.join(format!("amended-{version}.toml"));
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_owned()
}

fn amend(dir: &Path, file: &str, received: &str) -> std::process::Output {
    cli(
        dir,
        &[
            "agreement",
            "notify",
            "--kind",
            "amendment",
            "--party",
            "RU",
            "--received",
            received,
            "--amended",
            file,
        ],
    )
}

#[test]
fn an_amendment_protocol_decides_from_its_entry_into_force() {
    let dir = ir_node();
    let d = dir.path();
    let coll = create_collection(d, "shared");
    let (clear, clear_json) = indicator(1, Some(CLEAR));
    ok(import(d, &coll, &[clear_json], &[]));
    // Unknown before the amendment (Art. 6.4).
    let refused = cli_with_stdin(
        d,
        &[
            "user",
            "add",
            "ru",
            "--password-stdin",
            "--authority",
            "ru-csirt",
            "--purpose",
            "vulnerability-coordination",
        ],
        &format!("{PASSWORD}\n"),
    );
    assert!(!refused.status.success());
    // An amendment must raise the version.
    let same = amend(d, &amended(d, 1, "x"), "2022-01-01");
    assert!(String::from_utf8_lossy(&same.stderr).contains("raise the version"));
    // Received 2022-01-01: in force 30 days later, long past.
    ok(amend(
        d,
        &amended(d, 2, "vulnerability-coordination"),
        "2022-01-01",
    ));
    // Received today: not in force for another 30 days.
    let received = policy::lifecycle::Day::today().to_string();
    ok(amend(d, &amended(d, 3, "not-yet"), &received));
    user(
        d,
        "ru",
        &[
            "--authority",
            "ru-csirt",
            "--purpose",
            "vulnerability-coordination",
        ],
        &coll,
    );
    let before = audit_entries(d, 0).len() as u64;
    let node = Node::start(d);
    assert_eq!(served(&node, &coll, "ru", None), Ok(vec![clear]));
    let not_yet = served(&node, &coll, "ru", Some("not-yet"));
    assert!(
        matches!(&not_yet, Err((403, why)) if why.contains("Art. 6.4")),
        "{not_yet:?}"
    );
    // The audit log says which version decided.
    let versions: Vec<u64> = audit_entries(d, before + 2)
        .iter()
        .filter(|e| e["event"] == "access")
        .filter_map(|e| e["policy_version"].as_u64())
        .collect();
    drop(node);
    assert_eq!(versions, [2, 2]);
}
