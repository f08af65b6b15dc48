//! `symbolon lookup` over data nobody here wrote: MISP's own STIX output (IPs written as
//! `network-traffic:dst_ref.value`, SCOs that carry their attribute's UUID, so one value
//! under many ids), the OASIS examples (APT1's CIDR-range indicators) and ATT&CK for ICS.

mod common;

use common::*;
use std::path::{Path, PathBuf};

fn shared(rel: &str) -> PathBuf {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data")
        .join(rel);
    assert!(
        p.exists(),
        "test data missing at {} (this test needs it)",
        p.display()
    );
    p
}

fn import_dir(data: &Path, collection: &str, dir: &Path) {
    let mut files: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    files.sort();
    for f in files {
        let out = cli(data, &["import", "--collection", collection, &f]);
        // 2: some objects of the fixture were rejected (some are invalid on purpose).
        assert!(
            matches!(out.status.code(), Some(0 | 2)),
            "{f}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

fn lookup(data: &Path, values: &[&str]) -> serde_json::Value {
    let mut args = vec!["lookup", "--json"];
    args.extend(values);
    let out = cli(data, &args);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn hits(v: &serde_json::Value, i: usize) -> Vec<(String, String, String)> {
    v["results"][i]["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            (
                h["type"].as_str().unwrap().to_owned(),
                h["id"].as_str().unwrap().to_owned(),
                h["match"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[test]
fn values_in_misp_oasis_and_attack_data_are_found_by_value() {
    let dir = fresh();
    let data = dir.path();
    create_collection(data, "misp");
    create_collection(data, "oasis");
    create_collection(data, "attack");
    import_dir(data, "misp", &shared("misp-stix-fixtures/stix21-internal"));
    import_dir(
        data,
        "oasis",
        &shared("oasis/cti-stix2-json-schemas/examples/threat-reports"),
    );
    let out = cli(
        data,
        &[
            "import",
            "--collection",
            "attack",
            shared("attack/ics-attack-18.1.json").to_str().unwrap(),
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let v = lookup(
        data,
        &[
            "5.6.7.8",
            "CIRCL.lu",
            "223.167.10.20",
            "hugesoft.org",
            "no-such-value.example",
            "149.13.33.14",
        ],
    );
    // MISP writes the IP of a network connection as network-traffic:dst_ref.value; its
    // indicators are found by the address.
    let ip = hits(&v, 0);
    assert!(
        ip.iter().any(|(t, _, m)| t == "indicator" && m == "exact"),
        "{ip:?}"
    );
    // misp-stix gives each SCO its attribute's UUID: one value, several ids, all found.
    let scos = |i| -> std::collections::BTreeSet<String> {
        hits(&v, i)
            .into_iter()
            .filter(|(t, ..)| t == "ipv4-addr" || t == "domain-name")
            .map(|(_, id, _)| id)
            .collect()
    };
    assert!(
        scos(5).len() >= 2,
        "one address under several SCO ids: {:?}",
        hits(&v, 5)
    );
    assert!(
        scos(1).len() >= 2,
        "one domain under several SCO ids: {:?}",
        hits(&v, 1)
    );
    // `network-traffic:dst_ref.value = 'circl.lu'` names a domain.
    assert!(
        hits(&v, 1)
            .iter()
            .any(|(t, _, m)| t == "indicator" && m == "exact"),
        "{:?}",
        hits(&v, 1)
    );
    // APT1's indicators of /15 ranges hold this address.
    assert!(
        hits(&v, 2)
            .iter()
            .any(|(t, _, m)| t == "indicator" && m == "cidr-contains"),
        "{:?}",
        hits(&v, 2)
    );
    assert_eq!(hits(&v, 3).len(), 1);
    assert!(hits(&v, 4).is_empty());
    // A range query finds the addresses within it.
    let v = lookup(data, &["5.6.7.0/24"]);
    assert!(hits(&v, 0).iter().any(|(_, _, m)| m == "cidr-within"));
}

#[test]
fn values_come_from_stdin_one_per_line_and_print_for_a_terminal() {
    let dir = fresh();
    let data = dir.path();
    create_collection(data, "c");
    let bundle = r#"{"type":"bundle","id":"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d","objects":[{"type":"domain-name","id":"domain-name--00000000-0000-4000-8000-000000000001","value":"c2.evil.example"}]}"#;
    let out = cli_with_stdin(data, &["import", "--collection", "c", "-"], bundle);
    assert!(out.status.success());
    let lists = shared("misp-warninglists/lists");
    let out = cli_with_stdin(
        data,
        &["lookup", "--warninglists", lists.to_str().unwrap(), "-"],
        "# a comment\nevil.example\n\n10.1.2.3\n",
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("evil.example (domain)"), "{text}");
    assert!(
        text.contains("subdomain: domain-name--00000000-0000-4000-8000-000000000001"),
        "{text}"
    );
    assert!(text.contains("10.1.2.3 (ip)\n  warninglist:"), "{text}");
    let out = cli(data, &["lookup", "--as", "nobody", "1.2.3.4"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no user `nobody`"));
}
