//! The agreement, peers and audit screens: the agreement's state and deadlines for every
//! signed-in user; the peers (a HALTED one resumed only with a confirmation) and the audit
//! log (head, verification, entries with proofs) for this node's operators only — for
//! anyone else those pages do not exist.

mod client;
#[path = "../../core/tests/common/mod.rs"]
mod common;

use axum::http::StatusCode;
use client::{Browser, field};

#[tokio::test]
async fn the_agreement_shows_its_state_parties_and_deadlines() {
    let node = common::member();
    let app = client::app(&node.path());
    let mut b = Browser::new(app);
    b.sign_in("analyst", "pw").await;
    let en = b.get("/ui/agreement").await;
    assert_eq!(en.status, StatusCode::OK);
    for needle in [
        "in force",
        // Designated by notification, not named in the agreement: listed with its party.
        "<div dir=\"auto\">RU CSIRT (ru-csirt)</div>",
        "Designation deadline",
        "Entry into force",
    ] {
        assert!(en.body.contains(needle), "{needle} in {}", en.body);
    }
    // Each party's deadline month, its weeks starting where the party's week starts.
    for needle in ["weeks start on Saturday", "weeks start on Monday"] {
        assert!(en.body.contains(needle), "{needle} in {}", en.body);
    }
    let fa = b.get("/ui/agreement?lang=fa").await;
    assert!(fa.body.contains("لازم‌الاجرا"));
    assert!(fa.body.contains("آغاز هفته: شنبه"), "{}", fa.body);
    // Solar Hijri: the agreement was ratified in 1399/1400.
    assert!(
        fa.body.contains("۱۴۰۰") || fa.body.contains("۱۳۹۹"),
        "{}",
        fa.body
    );
}

#[tokio::test]
async fn peers_and_audit_are_the_operators_and_a_halted_peer_resumes_only_when_confirmed() {
    let node = common::member();
    let core = &node.core;
    let ru_key = ed25519_dalek::SigningKey::from_bytes(&[2; 32]);
    let peer = core
        .add_peer(symbolon_core::peers::NewPeer {
            id: "ru-csirt".into(),
            url: Some("https://ru.example/".into()),
            public_key: Some(hex::encode(ru_key.verifying_key().as_bytes())),
            third_party: false,
            purposes: vec!["incident-response".into()],
        })
        .unwrap();
    // A head whose signature is not the peer's: a breach, and the peer is halted.
    let forged = federation::witness::Head {
        size: 3,
        timestamp: Some("2026-01-01T00:00:00.000000Z".into()),
        root: Some("00".repeat(32)),
        signature: Some("11".repeat(64)),
    };
    assert!(core.witness(&peer, &forged, None).unwrap().is_err());
    // A page from it whose seal does not cover what it holds: quarantined.
    core.quarantine(
        "ru-csirt",
        "(pushed)",
        &federation::distrust::Distrust::Seal(federation::provenance::SealError::Count {
            sealed: 12,
            held: 11,
        }),
        b"{}".to_vec(),
    )
    .unwrap();
    // Pulling one of its collections, which stands at a day in March.
    let copy = core.create_collection("From RU", None, None, None).unwrap();
    core.put_cursor(&store::SyncCursor {
        peer: "ru-csirt".into(),
        remote: "91a7b528-80eb-42ed-a74d-c6fbd5a26116".into(),
        local: copy.key,
        push: false,
        added_after: Some("2026-03-21T08:30:00.000000Z".into()),
    })
    .unwrap();
    let app = client::app(&node.path());

    let mut analyst = Browser::new(app.clone());
    analyst.sign_in("analyst", "pw").await;
    for path in ["/ui/peers", "/ui/audit", "/ui/audit/entries/0"] {
        assert_eq!(
            analyst.get(path).await.status,
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    assert!(!analyst.get("/ui/").await.body.contains("/ui/peers"));

    let mut admin = Browser::new(app);
    admin.sign_in("admin", "pw").await;
    let peers = admin.get("/ui/peers").await;
    assert_eq!(peers.status, StatusCode::OK);
    assert!(
        peers.body.contains("HALTED") && peers.body.contains("not signed by the peer"),
        "{}",
        peers.body
    );
    assert!(
        peers
            .body
            .contains("The seal covers 12 objects; the page holds 11."),
        "{}",
        peers.body
    );
    // What a halt means and what the node found, and why a page is quarantined: in the
    // page's language and digits, with no English account left.
    let fa = admin.get("/ui/peers?lang=fa").await;
    for needle in [
        // Where the pull stands: 1 Farvardin 1405, the Gregorian day beside it.
        "۱ فروردین ۱۴۰۵",
        "(۲۱ مارس ۲۰۲۶)",
        "<bdi class=\"id\">91a7b528-80eb-42ed-a74d-c6fbd5a26116</bdi>",
        "بازنویسی یا منشعب شده است",
        "با کلید همتا امضا نشده است",
        "مهر ۱۲ شیء را پوشش می‌دهد؛ صفحه ۱۱ شیء دارد.",
    ] {
        assert!(fa.body.contains(needle), "{needle} in {}", fa.body);
    }
    assert!(
        !fa.body.contains("witness:") && !fa.body.contains("lang=\"en\" dir=\"ltr\""),
        "{}",
        fa.body
    );
    let ru = admin.get("/ui/peers?lang=ru").await;
    assert!(
        ru.body
            .contains("Печать охватывает объектов: 12; на странице их: 11."),
        "{}",
        ru.body
    );
    admin.get("/ui/peers?lang=en").await;
    let csrf = field(&peers.body, "csrf").unwrap();
    let unconfirmed = admin
        .post("/ui/peers/ru-csirt/resume", &[("csrf", &csrf)])
        .await;
    assert_eq!(unconfirmed.status, StatusCode::BAD_REQUEST);
    assert!(admin.get("/ui/peers").await.body.contains("HALTED"));
    let resumed = admin
        .post(
            "/ui/peers/ru-csirt/resume",
            &[("csrf", &csrf), ("confirm", "yes")],
        )
        .await;
    assert_eq!(resumed.status, StatusCode::SEE_OTHER);
    assert!(!admin.get("/ui/peers").await.body.contains("HALTED"));

    let audit = admin.get("/ui/audit?verify=1").await;
    assert_eq!(audit.status, StatusCode::OK);
    assert!(audit.body.contains("public_key"));
    // The signed head in words: its size, when it was signed, its root hash left to right.
    for needle in ["Tree size (entries)", "UTC</time>", "<bdi class=\"id\">"] {
        assert!(audit.body.contains(needle), "{needle} in {}", audit.body);
    }
    assert!(audit.body.contains("Intact"), "{}", audit.body);
    let entry = admin.get("/ui/audit/entries/0").await;
    assert_eq!(entry.status, StatusCode::OK);
    assert!(entry.body.contains("inclusion_proof") && entry.body.contains("entry_text"));
    assert_eq!(
        admin.get("/ui/audit/entries/999999").await.status,
        StatusCode::NOT_FOUND
    );

    // A deleted collection is listed with the entry that deleted it, its versions and
    // whether the log accounted for exactly those; numbers in the page's digits.
    let doomed = core
        .create_collection("Old exercise", None, None, None)
        .unwrap();
    common::put(
        core,
        &doomed,
        &(1..=3)
            .map(|n| common::indicator(n, "2024-01-01T00:00:00.000Z", None))
            .collect::<Vec<_>>(),
    );
    core.delete_collection(&doomed.id).unwrap();
    let fa = admin.get("/ui/audit?verify=1&lang=fa").await;
    assert_eq!(fa.status, StatusCode::OK);
    for needle in [
        "مجموعه‌های حذف‌شده",
        "Old exercise",
        doomed.id.as_str(),
        "پوشش‌داده‌شده",
        "<td>۳</td>",
        "اندازه‌ی درخت",
    ] {
        assert!(fa.body.contains(needle), "{needle} in {}", fa.body);
    }
    assert!(
        !fa.body.contains(">Entry 0<") && fa.body.contains("مدخل"),
        "entries in Persian: {}",
        fa.body
    );
}

#[tokio::test]
async fn the_audit_page_shows_the_nodes_key_history_after_a_rotation() {
    let node = common::member();
    let path = node.path();
    let rotated = symbolon_core::Core::rotate_key(&path).unwrap();
    let mut admin = Browser::new(client::app(&path));
    admin.sign_in("admin", "pw").await;
    let page = admin.get("/ui/audit?verify=1").await;
    assert_eq!(page.status, StatusCode::OK);
    for needle in [
        "Node keys",
        "Intact",
        rotated.old_key.as_str(),
        rotated.new_key.as_str(),
        &format!("/ui/audit/entries/{}", rotated.handover_entry),
    ] {
        assert!(page.body.contains(needle), "{needle} in {}", page.body);
    }
    let fa = admin.get("/ui/audit?lang=fa").await;
    assert!(fa.body.contains("کلیدهای گره") && fa.body.contains(&rotated.new_key));
}

#[tokio::test]
async fn damage_the_audit_log_verification_finds_is_said_in_the_page_language() {
    let node = common::member();
    let app = client::app(&node.path());
    let mut admin = Browser::new(app);
    admin.sign_in("admin", "pw").await;
    // Someone with the disk rewrites entry 1.
    rusqlite::Connection::open(node.path().join(audit::log::AUDIT_FILE))
        .unwrap()
        .execute(
            "UPDATE audit_entries SET body = CAST('{}' AS BLOB) WHERE idx = 1",
            [],
        )
        .unwrap();
    let fa = admin.get("/ui/audit?verify=1&lang=fa").await;
    assert_eq!(fa.status, StatusCode::OK);
    assert!(
        fa.body
            .contains("مدخل ۱: بایت‌ها یا درهم‌سازی برگ آن تغییر کرده است."),
        "{}",
        fa.body
    );
    let en = admin.get("/ui/audit?verify=1&lang=en").await;
    assert!(
        en.body
            .contains("Entry 1: its bytes or its leaf hash were changed."),
        "{}",
        en.body
    );
}
