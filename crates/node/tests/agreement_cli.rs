//! `symbolon agreement`: membership, signed notifications travelling between two nodes,
//! and the lifecycle status in three languages.

mod common;

use common::{REFERENCE, cli, join, notify, ok};
use std::path::Path;

fn public_key(dir: &Path) -> String {
    let head: serde_json::Value = serde_json::from_str(&ok(cli(dir, &["audit", "head"]))).unwrap();
    head["public_key"].as_str().unwrap().to_owned()
}

#[test]
fn status_follows_the_notifications_in_three_languages() {
    let dir = common::fresh();
    join(dir.path(), REFERENCE, "RU", "ru-csirt");
    let before = ok(cli(
        dir.path(),
        &["agreement", "status", "--at", "2021-07-01"],
    ));
    assert!(before.contains("State: not in force"), "{before}");
    notify(dir.path(), "ratification", "RU", "2021-05-10");
    notify(dir.path(), "ratification", "IR", "2021-06-01");
    let en = ok(cli(
        dir.path(),
        &["agreement", "status", "--at", "2021-07-01"],
    ));
    assert!(
        en.contains("State: in force")
            && en.contains("Entry into force: 2021-07-01 (10 Tir 1400 SH)"),
        "{en}"
    );
    assert!(en.contains("Signed: 2021-01-26 (7 Bahman 1399 SH)"), "{en}");
    let fa = ok(cli(
        dir.path(),
        &["agreement", "status", "--at", "2021-07-01", "--lang", "fa"],
    ));
    assert!(
        fa.contains("وضعیت: لازم‌الاجرا") && fa.contains("۱۰ تیر ۱۴۰۰"),
        "{fa}"
    );
    let ru = ok(cli(
        dir.path(),
        &["agreement", "status", "--at", "2021-07-01", "--lang", "ru"],
    ));
    assert!(
        ru.contains("Состояние: действует") && ru.contains("01.07.2021"),
        "{ru}"
    );
    notify(dir.path(), "termination", "IR", "2024-01-15");
    let ended = ok(cli(
        dir.path(),
        &["agreement", "status", "--at", "2024-04-14"],
    ));
    assert!(
        ended.contains("terminated since 2024-04-14") && ended.contains("Art. 9.4"),
        "{ended}"
    );
    // The node's creation (three entries), the agreement, and the three notifications.
    assert!(ok(cli(dir.path(), &["audit", "verify"])).contains("7 entries"));
}

#[test]
fn notifications_travel_between_nodes_and_forged_ones_are_refused() {
    let (ir, ru) = (common::fresh(), common::fresh());
    // Initialise both nodes to learn their keys, then list them in a shared agreement file.
    ok(cli(ir.path(), &["audit", "head"]));
    ok(cli(ru.path(), &["audit", "head"]));
    let mut text = std::fs::read_to_string(REFERENCE).unwrap();
    for (party, id, key) in [
        ("IR", "ir-csirt", public_key(ir.path())),
        ("RU", "ru-csirt", public_key(ru.path())),
    ] {
        let marker = format!("id = \"{party}\"\n");
        let block = format!(
            "\n[[parties.authorities]]\nid = \"{id}\"\npublic_key = \"{key}\"\n[parties.authorities.name]\nen = \"{id}\"\n"
        );
        let at = text.find(&marker).unwrap();
        let end = text[at..].find("\n[[").map_or(text.len(), |i| at + i);
        text.insert_str(end, &block);
    }
    let shared = ir.path().join("shared-agreement.toml");
    std::fs::write(&shared, &text).unwrap();
    join(ir.path(), shared.to_str().unwrap(), "IR", "ir-csirt");
    join(ru.path(), shared.to_str().unwrap(), "RU", "ru-csirt");
    notify(ir.path(), "ratification", "RU", "2021-05-10");
    let exported = ok(cli(ir.path(), &["agreement", "export"]));
    let file = ru.path().join("from-ir.json");
    std::fs::write(&file, &exported).unwrap();
    assert!(
        ok(cli(
            ru.path(),
            &["agreement", "accept", file.to_str().unwrap()]
        ))
        .contains("accepted 1")
    );
    std::fs::write(&file, exported.replace("2021-05-10", "2021-04-10")).unwrap();
    let out = cli(ru.path(), &["agreement", "accept", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("signature does not match"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn a_broken_agreement_file_is_named() {
    let dir = common::fresh();
    let bad = dir.path().join("bad.toml");
    std::fs::write(
        &bad,
        std::fs::read_to_string(REFERENCE)
            .unwrap()
            .replace("termination_days = 90", "termination_days = \"ninety\""),
    )
    .unwrap();
    let out = cli(
        dir.path(),
        &[
            "agreement",
            "init",
            "--file",
            bad.to_str().unwrap(),
            "--party",
            "IR",
            "--authority",
            "x",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("termination_days"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn a_designation_makes_the_designated_authoritys_records_trusted() {
    let (ir, ru) = (common::fresh(), common::fresh());
    join(ir.path(), REFERENCE, "IR", "ir-csirt");
    join(ru.path(), REFERENCE, "RU", "ru-csirt");
    notify(ru.path(), "ratification", "IR", "2021-06-01");
    let from_ru = ir.path().join("from-ru.json");
    std::fs::write(&from_ru, ok(cli(ru.path(), &["agreement", "export"]))).unwrap();
    // Not yet designated: the Russian node's key is unknown to the Iranian node.
    let refused = cli(
        ir.path(),
        &["agreement", "accept", from_ru.to_str().unwrap()],
    );
    assert_eq!(refused.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("neither this node's"));
    let ru_key = public_key(ru.path());
    ok(cli(
        ir.path(),
        &[
            "agreement",
            "notify",
            "--kind",
            "designation",
            "--party",
            "RU",
            "--received",
            "2021-08-02",
            "--authority-id",
            "ru-csirt",
            "--authority-name",
            "Russian national CSIRT",
            "--public-key",
            &ru_key,
        ],
    ));
    assert!(
        ok(cli(
            ir.path(),
            &["agreement", "accept", from_ru.to_str().unwrap()]
        ))
        .contains("accepted 1")
    );
    notify(ir.path(), "ratification", "RU", "2021-05-10");
    let status = ok(cli(
        ir.path(),
        &["agreement", "status", "--at", "2021-08-03"],
    ));
    assert!(
        status.contains("designated ru-csirt 2021-08-02"),
        "{status}"
    );
    let missing = cli(
        ir.path(),
        &[
            "agreement",
            "notify",
            "--kind",
            "designation",
            "--party",
            "RU",
            "--received",
            "2021-08-02",
        ],
    );
    assert_eq!(
        missing.status.code(),
        Some(2),
        "clap refuses a designation without the authority"
    );
}
