//! Art. 6.2 consents and Art. 6.3 confidentiality notices between two parties' nodes (real
//! data directories, signed records exchanged as files), and what a third party is served
//! over TAXII as they arrive, while the node keeps running.

mod common;

use common::{
    Node, audit_entries, cli, create_collection, designate, import, member, ok, served, user,
};
use std::path::Path;

const CLEAR: &str = "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487";
const GREEN: &str = "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb";
const AMBER: &str = "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421";
const RED: &str = "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1";
const PURPOSE: &str = "incident-response";

/// An indicator with a description, optional object marking and optional granular marking
/// of its description.
fn indicator(n: u32, marking: Option<&str>, description_marking: Option<&str>) -> (String, String) {
    let id = format!("indicator--00000000-0000-4000-8000-{n:012}");
    let mut extra = String::new();
    if let Some(m) = marking {
        extra.push_str(&format!(r#","object_marking_refs":["{m}"]"#));
    }
    if let Some(m) = description_marking {
        extra.push_str(&format!(
            r#","granular_markings":[{{"marking_ref":"{m}","selectors":["description"]}}]"#
        ));
    }
    let json = format!(
        r#"{{"type":"indicator","spec_version":"2.1","id":"{id}","created":"2024-01-01T00:00:00.000Z","modified":"2024-01-01T00:00:00.000Z","description":"scanner at 203.0.113.{n}","pattern":"[ipv4-addr:value = '203.0.113.{n}']","pattern_type":"stix","valid_from":"2024-01-01T00:00:00Z"{extra}}}"#
    );
    (id, json)
}

/// Writes what a command printed to a file in `dir`, for the other node.
fn to_file(dir: &Path, name: &str, text: &str) -> String {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p.to_str().unwrap().to_owned()
}

fn id_of(signed: &str) -> String {
    let v: serde_json::Value = serde_json::from_str(signed).unwrap();
    v["record"]["id"].as_str().unwrap().to_owned()
}

/// IR's signed request that RU consent to `partner` receiving `objects`.
fn ask_consent(ir: &Path, objects: &[&str]) -> String {
    let mut args = vec![
        "consent",
        "request",
        "--originator",
        "ru-csirt",
        "--recipient",
        "partner",
        "--purpose",
        PURPOSE,
        "--expires",
        "2099-12-31",
    ];
    for o in objects {
        args.extend(["--object", o]);
    }
    ok(cli(ir, &args))
}

struct Parties {
    ir: tempfile::TempDir,
    ru: tempfile::TempDir,
}

fn parties() -> Parties {
    let (ir, ru) = (common::fresh(), common::fresh());
    let ir_key = member(ir.path(), "IR", "ir-csirt");
    let ru_key = member(ru.path(), "RU", "ru-csirt");
    designate(ir.path(), "RU", "ru-csirt", &ru_key);
    designate(ru.path(), "IR", "ir-csirt", &ir_key);
    Parties { ir, ru }
}

#[test]
fn a_third_party_receives_obtained_information_only_while_the_originator_consents() {
    let p = parties();
    let (ir, ru) = (p.ir.path(), p.ru.path());
    let coll = create_collection(ir, "shared");
    let (a, a_json) = indicator(1, None, None);
    let (b, b_json) = indicator(2, Some(GREEN), None);
    let (c, c_json) = indicator(3, Some(AMBER), None);
    let (own, own_json) = indicator(4, Some(CLEAR), None);
    ok(import(
        ir,
        "shared",
        &[a_json, b_json, c_json],
        &["--obtained-from", "ru-csirt"],
    ));
    ok(import(ir, "shared", &[own_json], &[]));
    user(
        ir,
        "partner",
        &[
            "--third-party",
            "--purpose",
            PURPOSE,
            "--purpose",
            "joint-threat-assessment",
        ],
        "shared",
    );
    let node = Node::start(ir);
    assert_eq!(served(&node, &coll, "partner", None), Ok(vec![own.clone()]));

    // IR asks RU; only RU's node can grant, and IR's cannot.
    let asked = ask_consent(ir, &[&a, &b, &c]);
    let request = to_file(ru, "request.json", &asked);
    let refused = cli(ir, &["consent", "grant", &request]);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("asks `ru-csirt`"));
    let consent = ok(cli(ru, &["consent", "grant", &request]));
    let consent_file = to_file(ir, "consent.json", &consent);

    // A consent altered on the way is refused and changes nothing.
    let forged = to_file(
        ir,
        "forged.json",
        &consent.replace("2099-12-31", "2199-12-31"),
    );
    let out = cli(ir, &["consent", "accept", &forged]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("signature does not match"));
    assert_eq!(served(&node, &coll, "partner", None), Ok(vec![own.clone()]));

    // Accepted while the node runs: the next request sees it. AMBER stays home (Art. 6.1).
    ok(cli(ir, &["consent", "accept", &consent_file]));
    let mut expected = vec![a.clone(), b.clone(), own.clone()];
    expected.sort();
    assert_eq!(served(&node, &coll, "partner", None), Ok(expected.clone()));
    // Another purpose than the consented one: Art. 6.2 again.
    assert_eq!(
        served(&node, &coll, "partner", Some("joint-threat-assessment")),
        Ok(vec![own.clone()])
    );
    // The file transfer path asks the same question.
    let bundle = ok(cli(
        ir,
        &["export", "--collection", "shared", "--for", "partner"],
    ));
    let exported: serde_json::Value = serde_json::from_str(&bundle).unwrap();
    let mut ids: Vec<&str> = exported["objects"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["id"].as_str().unwrap())
        .collect();
    ids.sort();
    assert_eq!(ids, expected.iter().map(String::as_str).collect::<Vec<_>>());

    // RU revokes; from then on nothing obtained from RU goes.
    let revocation = ok(cli(ru, &["consent", "revoke", &id_of(&consent)]));
    ok(cli(
        ir,
        &[
            "consent",
            "accept",
            &to_file(ir, "revocation.json", &revocation),
        ],
    ));
    assert_eq!(served(&node, &coll, "partner", None), Ok(vec![own.clone()]));
    let listed = ok(cli(ir, &["consent", "list"]));
    assert!(
        listed.contains(&format!("{}\trevoked", id_of(&consent))),
        "{listed}"
    );

    // Every record kept and the export are in the audit log, which verifies.
    ok(cli(ir, &["audit", "verify"]));
    drop(node);
}

#[test]
fn notices_and_granular_markings_leave_out_what_a_recipient_may_not_see() {
    let p = parties();
    let (ir, ru) = (p.ir.path(), p.ru.path());
    let coll = create_collection(ir, "shared");
    let (a, a_json) = indicator(1, Some(CLEAR), None);
    let (own, own_json) = indicator(2, Some(CLEAR), None);
    let (parted, parted_json) = indicator(3, Some(CLEAR), Some(RED));
    ok(import(
        ir,
        "shared",
        std::slice::from_ref(&a_json),
        &["--obtained-from", "ru-csirt"],
    ));
    ok(import(ir, "shared", &[own_json, parted_json], &[]));
    user(
        ir,
        "partner",
        &["--third-party", "--purpose", PURPOSE],
        "shared",
    );
    let node = Node::start(ir);
    let consent_for = |objects: &[&str]| {
        let asked = ask_consent(ir, objects);
        let granted = ok(cli(
            ru,
            &["consent", "grant", &to_file(ru, "req.json", &asked)],
        ));
        ok(cli(
            ir,
            &["consent", "accept", &to_file(ir, "consent.json", &granted)],
        ));
    };
    consent_for(&[&a]);
    let objects = |who: &str| -> serde_json::Value {
        Node::client()
            .get(format!("{}/api1/collections/{coll}/objects/", node.base))
            .basic_auth(who, Some(common::PASSWORD))
            .header("Accept", common::TAXII)
            .send()
            .unwrap()
            .json()
            .unwrap()
    };
    let by_id = |page: &serde_json::Value, id: &str| -> Option<serde_json::Value> {
        page["objects"]
            .as_array()
            .unwrap()
            .iter()
            .find(|o| o["id"] == id)
            .cloned()
    };

    // Granular RED on the description: the third party gets the object without it, and
    // without the marking that removed it; the operator gets it whole.
    let page = objects("partner");
    let parted_seen = by_id(&page, &parted).expect("served in part");
    assert!(parted_seen.get("description").is_none());
    assert!(parted_seen.get("granular_markings").is_none());
    assert_eq!(parted_seen["pattern"], "[ipv4-addr:value = '203.0.113.3']");
    assert!(
        by_id(&objects("admin"), &parted)
            .unwrap()
            .get("description")
            .is_some()
    );
    assert!(by_id(&page, &a).unwrap().get("description").is_some());

    // RU raises the protection of the description of its indicator: IR applies it at once.
    let notice = ok(cli(
        ru,
        &[
            "notice",
            "issue",
            "--object",
            &a,
            "--property",
            "description",
            "--reach",
            "parties",
            "--reason",
            "ongoing investigation",
        ],
    ));
    ok(cli(
        ir,
        &["notice", "accept", &to_file(ir, "notice.json", &notice)],
    ));
    let a_seen = by_id(&objects("partner"), &a).expect("still served, in part");
    assert!(a_seen.get("description").is_none());
    // A notice binds only its originator's information: RU cannot restrict IR's own object.
    let overreach = ok(cli(
        ru,
        &["notice", "issue", "--object", &own, "--reach", "holder"],
    ));
    ok(cli(
        ir,
        &[
            "notice",
            "accept",
            &to_file(ir, "overreach.json", &overreach),
        ],
    ));
    assert!(by_id(&objects("partner"), &own).is_some());
    // IR's own notice on its own object keeps it home.
    ok(cli(
        ir,
        &["notice", "issue", "--object", &own, "--reach", "holder"],
    ));
    assert!(by_id(&objects("partner"), &own).is_none());
    assert!(by_id(&objects("admin"), &own).is_some());
    // `notice list` shows every notice held, with its originator and reach.
    let listed = ok(cli(ir, &["notice", "list"]));
    let lines: Vec<&str> = listed.lines().collect();
    assert!(
        lines[0].starts_with("NOTICE\tORIGINATOR\tREACH"),
        "{listed}"
    );
    assert_eq!(lines.len(), 4, "three notices held: {listed}");
    assert!(
        lines
            .iter()
            .any(|l| l.contains("ru-csirt\tparties") && l.contains("description"))
    );
    assert!(
        lines
            .iter()
            .any(|l| l.contains("ir-csirt\tholder") && l.contains(&own))
    );
    drop(node);
}

#[test]
fn every_access_decision_is_in_the_audit_log_with_principal_purpose_and_policy_version() {
    let p = parties();
    let ir = p.ir.path();
    let coll = create_collection(ir, "shared");
    let (a, a_json) = indicator(1, None, None);
    let (own, own_json) = indicator(2, Some(CLEAR), None);
    ok(import(
        ir,
        "shared",
        &[a_json],
        &["--obtained-from", "ru-csirt"],
    ));
    ok(import(ir, "shared", &[own_json], &[]));
    user(
        ir,
        "partner",
        &["--third-party", "--purpose", PURPOSE],
        "shared",
    );
    let before = audit_entries(ir, 0).len() as u64;
    let node = Node::start(ir);
    assert_eq!(served(&node, &coll, "partner", None), Ok(vec![own.clone()]));
    let refused = served(&node, &coll, "partner", Some("joint-threat-assessment"));
    assert_eq!(refused.as_ref().map_err(|e| e.0), Err(403));
    let entries = audit_entries(ir, before + 2);
    let access: Vec<&serde_json::Value> =
        entries.iter().filter(|e| e["event"] == "access").collect();
    assert_eq!(access.len(), 2, "{entries:#?}");
    let (allow, deny) = (access[0], access[1]);
    assert_eq!(allow["principal"], "partner");
    assert_eq!(allow["principal_kind"], "third-party");
    assert_eq!(allow["purpose"], PURPOSE);
    assert_eq!(allow["policy_version"], 1);
    assert_eq!(allow["endpoint"], "objects");
    assert_eq!(allow["collection"], coll.as_str());
    assert_eq!(allow["decision"], "allow");
    assert_eq!(allow["served"], 1);
    assert_eq!(allow["withheld"]["Art. 6.2"], 1);
    // The digest a client can recompute from what it was served.
    use sha2::Digest;
    let expected = hex::encode(sha2::Sha256::digest(format!(
        "{own} 2024-01-01T00:00:00.000Z\n"
    )));
    assert_eq!(allow["served_sha256"], expected.as_str());
    assert_eq!(deny["decision"], "deny");
    assert_eq!(deny["purpose"], "joint-threat-assessment");
    assert!(
        deny["reason"].as_str().unwrap().starts_with("Art. 6.4"),
        "{deny}"
    );
    let _ = a;
    ok(cli(ir, &["audit", "verify"]));
}

#[test]
fn a_declined_request_reaches_the_holder_with_its_reason_and_permits_nothing() {
    let p = parties();
    let (ir, ru) = (p.ir.path(), p.ru.path());
    create_collection(ir, "shared");
    let (a, a_json) = indicator(1, None, None);
    ok(import(
        ir,
        "shared",
        &[a_json],
        &["--obtained-from", "ru-csirt"],
    ));
    user(
        ir,
        "partner",
        &["--third-party", "--purpose", PURPOSE],
        "shared",
    );
    let asked = ask_consent(ir, &[&a]);
    let request = to_file(ru, "request.json", &asked);
    // Only the originator's node may decline; it signs the refusal with its reason.
    let wrong_side = cli(ir, &["consent", "decline", &request]);
    assert!(!wrong_side.status.success());
    assert!(String::from_utf8_lossy(&wrong_side.stderr).contains("asks `ru-csirt`"));
    let refusal = ok(cli(
        ru,
        &[
            "consent",
            "decline",
            &request,
            "--reason",
            "not for vendors",
        ],
    ));
    assert!(
        refusal.contains("\"kind\":\"decline\"") || refusal.contains("\"kind\": \"decline\""),
        "{refusal}"
    );
    let again = cli(ru, &["consent", "decline", &request]);
    assert!(String::from_utf8_lossy(&again.stderr).contains("already declined"));
    // The holder keeps it (checked against RU's key); nothing becomes permitted.
    let kept = cli(
        ir,
        &["consent", "accept", &to_file(ir, "decline.json", &refusal)],
    );
    assert!(
        kept.status.success(),
        "{}",
        String::from_utf8_lossy(&kept.stderr)
    );
    let list = ok(cli(ir, &["consent", "list"]));
    assert!(!list.contains("valid"), "{list}");
    let forged = to_file(
        ir,
        "forged.json",
        &refusal.replace("not for vendors", "fine"),
    );
    assert!(!cli(ir, &["consent", "accept", &forged]).status.success());
}
