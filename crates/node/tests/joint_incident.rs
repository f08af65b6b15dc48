//! Joint incident response between two real nodes (IR and RU under the reference
//! agreement): IR opens an incident and links its indicator; RU pulls it, adds a task, a
//! note and a sighting of the indicator, and they travel back to IR at RU's next sync (a
//! reply push); IR versions the incident; after a sync both nodes show the same incident
//! state and the same timeline, each entry with its author and a verified seal where it
//! crossed between them; IR's lookup shows the indicator sighted by RU.

mod common;

use common::{Node, cli, ok};
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::Path;

fn sync(dir: &Path) -> String {
    let out = cli(dir, &["sync"]);
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(out.status.code(), Some(0), "{text}");
    text
}

fn show(dir: &Path, id: &str) -> Value {
    serde_json::from_str(&ok(cli(dir, &["incident", "show", id, "--json"]))).unwrap()
}

/// The timeline as (id, version, author), and each entry's seal state by id and version.
fn timeline(v: &Value) -> BTreeSet<(String, String, String)> {
    v["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["id"].as_str().unwrap().to_owned(),
                e["version"].as_str().unwrap().to_owned(),
                e["author"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn seals(v: &Value, author: &str) -> BTreeSet<String> {
    v["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["author"] == author)
        .map(|e| {
            e["seal"]["state"].as_str().unwrap().to_owned()
                + ":"
                + e["seal"]["signer"].as_str().unwrap_or("")
        })
        .collect()
}

#[test]
fn both_parties_agree_on_a_joint_incident_after_a_sync() {
    let (ir, ru, _, _) = common::two_parties();
    let ir_node = Node::start_with(ir.path(), &["--sync-every", "0"]);
    common::add_peer(ru.path(), "ir-csirt", &ir_node.base);
    common::add_peer(ir.path(), "ru-csirt", "http://127.0.0.1:9/");
    // RU's node reads IR's collection and may answer into it.
    ok(cli(
        ir.path(),
        &[
            "user",
            "grant",
            "ru-csirt",
            "--collection",
            "incidents",
            "--read",
            "--write",
        ],
    ));

    let indicator = "indicator--4a0c9f3e-6f6b-4c69-9a1a-0d5a8f2b7c11";
    let bundle = format!(
        r#"{{"objects":[{{"type":"indicator","spec_version":"2.1","id":"{indicator}","created":"2026-11-01T00:00:00.000Z","modified":"2026-11-01T00:00:00.000Z","name":"C2","pattern":"[ipv4-addr:value = '203.0.113.66']","pattern_type":"stix","valid_from":"2026-11-01T00:00:00Z","object_marking_refs":["marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb"]}}]}}"#
    );
    let file = ir.path().join("ind.json");
    std::fs::write(&file, bundle).unwrap();
    ok(cli(
        ir.path(),
        &[
            "import",
            "--collection",
            "incidents",
            file.to_str().unwrap(),
        ],
    ));
    let incident = ok(cli(
        ir.path(),
        &[
            "incident",
            "open",
            "--collection",
            "incidents",
            "--name",
            "Wiper at an energy operator",
            "--category",
            "malicious-code/infected-system",
            "--criticality",
            "90",
        ],
    ))
    .trim()
    .to_owned();
    ok(cli(
        ir.path(),
        &[
            "incident",
            "link",
            &incident,
            "--object",
            indicator,
            "--relationship",
            "detected",
        ],
    ));

    // RU takes part: it pulls the incident, and answers with objects of its own.
    sync(ru.path());
    let at_ru = show(ru.path(), &incident);
    assert_eq!(
        (at_ru["status"].as_str(), at_ru["owner"].as_str()),
        (Some("new"), Some("ir-csirt"))
    );
    let refused = cli(
        ru.path(),
        &["incident", "update", &incident, "--status", "open"],
    );
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("owned by `ir-csirt`"));
    let task = ok(cli(
        ru.path(),
        &[
            "incident",
            "task",
            &incident,
            "--name",
            "Block the C2 address at the border",
            "--type",
            "containment",
        ],
    ))
    .trim()
    .to_owned();
    ok(cli(
        ru.path(),
        &[
            "incident",
            "note",
            &incident,
            "--content",
            "Same wiper seen at two of our operators",
        ],
    ));
    ok(cli(
        ru.path(),
        &[
            "incident",
            "impact",
            &incident,
            "--category",
            "availability",
            "--detail",
            "availability_impact=70",
            "--description",
            "Two substations offline",
        ],
    ));
    let refused = cli(
        ru.path(),
        &[
            "incident",
            "impact",
            &incident,
            "--category",
            "availability",
        ],
    );
    assert!(String::from_utf8_lossy(&refused.stderr).contains("availability_impact"));
    ok(cli(
        ru.path(),
        &[
            "sighting",
            "add",
            "--of",
            indicator,
            "--count",
            "3",
            "--seen-at",
            "2026-11-20T08:00:00Z",
        ],
    ));
    ok(cli(
        ru.path(),
        &[
            "incident",
            "task",
            &incident,
            "--update",
            &task,
            "--outcome",
            "successful",
        ],
    ));
    let text = sync(ru.path());
    assert!(text.contains("ir-csirt"), "{text}");

    // IR versions its incident, and RU takes the new version at its next sync.
    ok(cli(
        ir.path(),
        &[
            "incident",
            "update",
            &incident,
            "--status",
            "open",
            "--determination",
            "confirmed",
        ],
    ));
    sync(ru.path());

    let (at_ir, at_ru) = (show(ir.path(), &incident), show(ru.path(), &incident));
    for field in ["status", "determination", "version", "owner", "name"] {
        assert_eq!(at_ir[field], at_ru[field], "{field}");
    }
    assert_eq!(at_ir["status"], "open");
    assert_eq!(
        timeline(&at_ir),
        timeline(&at_ru),
        "one timeline on both nodes"
    );
    let kinds: BTreeSet<&str> = at_ir["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    for k in [
        "incident",
        "task",
        "note",
        "link",
        "sighting",
        "indicator",
        "impact",
    ] {
        assert!(kinds.contains(k), "{k} in {kinds:?}");
    }
    // Each side's own entries were made there; the other side's crossed under a seal that
    // verifies with the other side's key.
    assert_eq!(
        seals(&at_ir, "ir-csirt"),
        BTreeSet::from(["own:".to_owned()])
    );
    assert_eq!(
        seals(&at_ir, "ru-csirt"),
        BTreeSet::from(["verified:ru-csirt".to_owned()])
    );
    assert_eq!(
        seals(&at_ru, "ru-csirt"),
        BTreeSet::from(["own:".to_owned()])
    );
    assert_eq!(
        seals(&at_ru, "ir-csirt"),
        BTreeSet::from(["verified:ir-csirt".to_owned()])
    );

    // The originator sees who sighted its indicator.
    let v: Value =
        serde_json::from_str(&ok(cli(ir.path(), &["lookup", "--json", "203.0.113.66"]))).unwrap();
    let hit = &v["results"][0]["hits"][0];
    assert_eq!(hit["id"], indicator);
    assert_eq!(hit["sightings"], 3);
    assert_eq!(hit["sighted_by"][0]["by"], "ru-csirt");

    // RU declines a further request, IR closes; both agree again.
    ok(cli(
        ru.path(),
        &[
            "incident",
            "note",
            &incident,
            "--declined",
            "--content",
            "Further forensic detail would prejudice our investigation",
        ],
    ));
    sync(ru.path());
    ok(cli(
        ir.path(),
        &[
            "incident",
            "close",
            &incident,
            "--determination",
            "confirmed",
        ],
    ));
    sync(ru.path());
    let (at_ir, at_ru) = (show(ir.path(), &incident), show(ru.path(), &incident));
    assert_eq!(
        (at_ir["status"].as_str(), at_ru["status"].as_str()),
        (Some("closed"), Some("closed"))
    );
    assert_eq!(timeline(&at_ir), timeline(&at_ru));
    assert!(
        at_ir["timeline"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["kind"] == "declined" && e["author"] == "ru-csirt")
    );
    drop(ir_node);
}
