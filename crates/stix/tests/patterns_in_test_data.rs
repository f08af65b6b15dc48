//! Every `stix` pattern in the test data nobody here wrote (`../shared/data`: OASIS
//! examples, MISP's STIX output and fixtures from other producers, stix2-generator bundles)
//! either parses, or its object is refused with an error naming the object and `pattern`.
//! The Python interop suite compares the same verdicts with the OASIS validator
//! (`stix2-patterns`) through a running node.

use serde_json::Value;
use std::path::{Path, PathBuf};

fn data_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data");
    assert!(
        dir.is_dir(),
        "the shared test data is missing at {} (this test needs it)",
        dir.display()
    );
    dir
}

fn json_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let p = entry.unwrap().path();
        if p.is_dir() {
            json_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "json") {
            out.push(p);
        }
    }
}

fn indicators(v: &Value, out: &mut Vec<Value>) {
    match v {
        Value::Object(m) => {
            if m.get("type").and_then(Value::as_str) == Some("indicator")
                && m.get("pattern_type").and_then(Value::as_str) == Some("stix")
                && m.get("pattern").is_some()
            {
                out.push(v.clone());
            }
            m.values().for_each(|v| indicators(v, out));
        }
        Value::Array(a) => a.iter().for_each(|v| indicators(v, out)),
        _ => {}
    }
}

#[test]
fn every_pattern_parses_or_its_object_is_named() {
    let mut files = Vec::new();
    json_files(&data_dir(), &mut files);
    let mut found = Vec::new();
    for f in &files {
        if let Ok(v) = serde_json::from_str::<Value>(&std::fs::read_to_string(f).unwrap()) {
            indicators(&v, &mut found);
        }
    }
    assert!(
        found.len() > 400,
        "only {} stix patterns found",
        found.len()
    );
    let (mut parsed, mut refused) = (0, Vec::new());
    for obj in &found {
        let text = obj.to_string();
        let pattern = obj["pattern"].as_str().unwrap();
        match stix::pattern::parse(pattern) {
            Ok(_) => parsed += 1,
            Err(e) => {
                let r = stix::validate_str(&text).expect_err(pattern);
                let id = obj["id"].as_str().unwrap_or_default();
                assert_eq!(r.id.as_deref(), Some(id));
                assert!(r.reason().starts_with("property `pattern`: "), "{r}");
                refused.push(format!("{id}: {e}\n    {pattern}"));
            }
        }
    }
    eprintln!("{parsed} patterns parse; refused:\n{}", refused.join("\n"));
    assert!(parsed > 380, "{parsed} parsed");
}
