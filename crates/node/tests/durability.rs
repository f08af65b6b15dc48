//! An acknowledged write is durable: the node is killed with SIGKILL right after a 202 (or
//! after the CLI exits 0) and every acknowledged object is there when it comes back.

mod common;

use common::{Node, cli, create_collection, indicators};
use std::collections::HashSet;

#[test]
fn objects_acknowledged_with_202_survive_sigkill() {
    let dir = common::fresh();
    let coll = create_collection(dir.path(), "durable");
    let mut acknowledged = HashSet::new();
    for _round in 0..5 {
        let node = Node::start(dir.path());
        let (body, ids) = indicators(2000);
        let resp = node.post(&coll, body);
        assert_eq!(resp.status(), 202);
        node.kill();
        acknowledged.extend(ids);
    }
    let node = Node::start(dir.path());
    let stored: HashSet<String> = node.all_ids(&coll).into_iter().collect();
    assert_eq!(
        stored.len(),
        acknowledged.len(),
        "no object lost, none duplicated"
    );
    assert_eq!(stored, acknowledged);
}

#[test]
fn the_cli_imports_into_the_directory_of_a_running_node() {
    let dir = common::fresh();
    let coll = create_collection(dir.path(), "shared");
    let node = Node::start(dir.path());
    let (bundle, cli_ids) = indicators(20_000);
    let file = dir.path().join("bundle.json");
    std::fs::write(&file, bundle).unwrap();
    let data = dir.path().to_owned();
    let importer = std::thread::spawn(move || {
        cli(
            &data,
            &["import", "--collection", "shared", file.to_str().unwrap()],
        )
    });
    let mut posted = Vec::new();
    for _ in 0..10 {
        let (body, ids) = indicators(200);
        assert_eq!(node.post(&coll, body).status(), 202);
        posted.extend(ids);
    }
    let out = importer.join().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    node.kill();
    let node = Node::start(dir.path());
    let stored: HashSet<String> = node.all_ids(&coll).into_iter().collect();
    let expected: HashSet<String> = cli_ids.into_iter().chain(posted).collect();
    assert_eq!(stored, expected);
}

#[test]
fn import_reports_each_rejected_object_and_keeps_the_valid_ones() {
    let dir = common::fresh();
    create_collection(dir.path(), "mixed");
    let bundle = r#"{"type":"bundle","id":"bundle--0d3c9fe1-e1c2-4fbc-8c2a-4a7f4b0a2a11","objects":[
      {"type":"indicator","spec_version":"2.1","id":"indicator--6b9f0a5c-3b8e-4c51-9e43-6f1f7b0c2d11","created":"2024-01-01T00:00:00.000Z","modified":"2024-01-01T00:00:00.000Z","pattern":"[x:y = 'z']","pattern_type":"stix","valid_from":"2024-01-01T00:00:00Z"},
      {"type":"indicator","spec_version":"2.1","id":"indicator--0c4d8f0e-2b8e-4c51-9e43-6f1f7b0c2d12","created":"2024-01-01T00:00:00.000Z","modified":"2023-01-01T00:00:00.000Z","pattern":"[x:y = 'z']","pattern_type":"stix","valid_from":"2024-01-01T00:00:00Z"}
    ]}"#;
    let file = dir.path().join("mixed.json");
    std::fs::write(&file, bundle).unwrap();
    let out = cli(
        dir.path(),
        &["import", "--collection", "mixed", file.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("indicator--0c4d8f0e-2b8e-4c51-9e43-6f1f7b0c2d12")
            && stderr.contains("earlier than `created`"),
        "{stderr}"
    );
    let export = cli(dir.path(), &["export", "--collection", "mixed"]);
    let bundle: serde_json::Value = serde_json::from_slice(&export.stdout).unwrap();
    assert_eq!(bundle["objects"].as_array().unwrap().len(), 1);
}

#[test]
fn a_malformed_file_is_a_clear_cli_error() {
    let dir = common::fresh();
    create_collection(dir.path(), "c");
    let file = dir.path().join("bad.json");
    std::fs::write(&file, "{\"objects\": [").unwrap();
    let out = cli(
        dir.path(),
        &["import", "--collection", "c", file.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("bad.json is not a STIX bundle or TAXII envelope")
    );
    let out = cli(
        dir.path(),
        &["import", "--collection", "nope", file.to_str().unwrap()],
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("no collection with id or alias `nope`"));
}
