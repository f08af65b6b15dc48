//! Consents and notices in the workspace, for the operator: a request signed by the holder
//! is granted for a shorter term, then revoked only with a confirmation; a notice is issued
//! and listed; a waiting request is declined with a reason, leaves the list and cannot be
//! granted-then-declined; for anyone else the screen does not exist.

mod client;
#[path = "../../core/tests/common/mod.rs"]
mod common;

use axum::http::StatusCode;
use client::{Browser, field};
use policy::ledger::{ConsentRequest, ConsentTerms, Record, Scope, Signed};
use policy::lifecycle::Day;

#[tokio::test]
async fn a_request_is_granted_for_a_shorter_term_and_revoked_with_a_confirmation() {
    let node = common::member();
    let request = request(&node, 1, Some("to clean the vendor's firmware"));
    let app = client::app(&node.path());

    let mut analyst = Browser::new(app.clone());
    analyst.sign_in("analyst", "pw").await;
    assert_eq!(
        analyst.get("/ui/consents").await.status,
        StatusCode::NOT_FOUND
    );

    let mut admin = Browser::new(app);
    admin.sign_in("admin", "pw").await;
    let page = admin.get("/ui/consents").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let csrf = field(&page.body, "csrf").unwrap();
    // A term longer than asked is refused by the core, naming what is wrong.
    let text = serde_json::to_string(&request).unwrap();
    let longer = admin
        .post(
            "/ui/consents/grant",
            &[("csrf", &csrf), ("text", &text), ("expires", "2031-01-01")],
        )
        .await;
    assert_eq!(longer.status, StatusCode::BAD_REQUEST, "{}", longer.body);
    let granted = admin
        .post(
            "/ui/consents/grant",
            &[("csrf", &csrf), ("text", &text), ("expires", "2027-06-30")],
        )
        .await;
    assert_eq!(granted.status, StatusCode::SEE_OTHER, "{}", granted.body);
    let page = admin.get("/ui/consents").await;
    assert!(
        page.body.contains("vendor-cert")
            && page.body.contains("<time datetime=\"2027-06-30")
            && page.body.contains("Jun 30, 2027")
            && page.body.contains("valid"),
        "{}",
        page.body
    );
    let consent = node.core.consents().unwrap().held[0].1.clone();
    let unconfirmed = admin
        .post(
            &format!("/ui/consents/{consent}/revoke"),
            &[("csrf", &csrf)],
        )
        .await;
    assert_eq!(unconfirmed.status, StatusCode::BAD_REQUEST);
    assert_eq!(node.core.consents().unwrap().held[0].2, "valid");
    let revoked = admin
        .post(
            &format!("/ui/consents/{consent}/revoke"),
            &[("csrf", &csrf), ("confirm", "yes")],
        )
        .await;
    assert_eq!(revoked.status, StatusCode::SEE_OTHER);
    assert_eq!(node.core.consents().unwrap().held[0].2, "revoked");

    // A notice, issued and listed.
    let issued = admin
        .post(
            "/ui/notices",
            &[
                ("csrf", &csrf),
                ("objects", &common::id(1)),
                ("properties", "description"),
                ("reach", "parties"),
                ("reason", "ongoing case"),
            ],
        )
        .await;
    assert_eq!(issued.status, StatusCode::SEE_OTHER, "{}", issued.body);
    let page = admin.get("/ui/consents").await;
    assert!(page.body.contains(&common::id(1)) && page.body.contains("ongoing case"));
    let bad = admin
        .post(
            "/ui/notices",
            &[
                ("csrf", &csrf),
                ("objects", "not-an-id"),
                ("reach", "parties"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    let forged = admin
        .post(
            "/ui/notices",
            &[
                ("csrf", "x"),
                ("objects", &common::id(2)),
                ("reach", "parties"),
            ],
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
}

/// A consent request RU's authority signs, asking IR (this node) for object 1.
fn request(node: &common::Node, n: u32, note: Option<&str>) -> Signed {
    let ru_key = ed25519_dalek::SigningKey::from_bytes(&[2; 32]);
    let agreement = node
        .core
        .policy()
        .unwrap()
        .terms()
        .unwrap()
        .agreement
        .clone();
    Signed::sign(
        Record::ConsentRequest(ConsentRequest {
            id: format!("consent-request--00000000-0000-4000-8000-{n:012}"),
            agreement,
            terms: ConsentTerms {
                originator: "ir-csirt".into(),
                holder: "ru-csirt".into(),
                recipient: "vendor-cert".into(),
                purpose: "incident-response".into(),
                scope: Scope::Objects(vec![common::id(1)]),
                expires: Day::parse("2030-12-31").unwrap(),
            },
            requested_at: "2026-12-01T00:00:00.000Z".into(),
            note: note.map(str::to_owned),
        }),
        &ru_key,
    )
    .unwrap()
}

#[tokio::test]
async fn a_waiting_request_is_declined_with_a_reason_and_leaves_the_list() {
    let node = common::member();
    let (declined, granted) = (request(&node, 7, None), request(&node, 8, None));
    // Both arrived with the holder's records (as a sync keeps them).
    node.core.keep_record(&declined).unwrap();
    node.core.keep_record(&granted).unwrap();
    let mut admin = Browser::new(client::app(&node.path()));
    admin.sign_in("admin", "pw").await;
    let page = admin.get("/ui/consents").await;
    let csrf = field(&page.body, "csrf").unwrap();
    let declined_id = declined.record.id().to_owned();
    assert!(
        page.body
            .contains(&format!("/ui/consents/{declined_id}/decline"))
    );

    // Without the session's token nothing is signed.
    let forged = admin
        .post(
            &format!("/ui/consents/{declined_id}/decline"),
            &[("csrf", "x")],
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    let done = admin
        .post(
            &format!("/ui/consents/{declined_id}/decline"),
            &[("csrf", &csrf), ("reason", "the vendor is not a CSIRT")],
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    let page = admin.get("/ui/consents").await;
    assert!(
        !page
            .body
            .contains(&format!("/ui/consents/{declined_id}/decline"))
    );
    assert!(
        page.body.contains("the vendor is not a CSIRT"),
        "{}",
        page.body
    );
    // The refusal is signed by this authority, kept (audited) and travels like any record.
    let kept = node.core.records().unwrap();
    let refusal = kept
        .iter()
        .find_map(|s| match &s.record {
            Record::Decline(d) => Some(d.clone()),
            _ => None,
        })
        .expect("a signed decline is kept");
    assert_eq!(refusal.request, declined_id);
    assert_eq!(refusal.originator, "ir-csirt");
    // Declining twice, or declining what was granted, is refused with what to do instead.
    let again = node.core.decline_consent(&declined, None).unwrap_err();
    assert!(again.to_string().contains("already declined"), "{again}");
    node.core.grant_consent(&granted, None).unwrap();
    let after_grant = node.core.decline_consent(&granted, None).unwrap_err();
    assert!(after_grant.to_string().contains("revoke"), "{after_grant}");
    // An unknown request is "nothing here".
    let unknown = admin
        .post(
            "/ui/consents/consent-request--00000000-0000-4000-8000-000000000099/decline",
            &[("csrf", &csrf)],
        )
        .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_persian_operator_grants_a_shorter_term_typed_as_a_solar_hijri_date() {
    let node = common::member();
    let request = request(&node, 3, None);
    let mut admin = Browser::new(client::app(&node.path()));
    admin.sign_in("admin", "pw").await;
    let page = admin.get("/ui/consents?lang=fa").await;
    // Persian pages take the date as people there write it, not in the browser's picker.
    assert!(
        page.body.contains(r#"name="expires" type="text""#),
        "{}",
        page.body
    );
    assert!(page.body.contains("۱۴۰۵/۰۹/۱۵"));
    let csrf = field(&page.body, "csrf").unwrap();
    let text = serde_json::to_string(&request).unwrap();
    let granted = admin
        .post(
            "/ui/consents/grant",
            &[("csrf", &csrf), ("text", &text), ("expires", "۱۴۰۶/۰۴/۰۹")],
        )
        .await;
    assert_eq!(granted.status, StatusCode::SEE_OTHER, "{}", granted.body);
    let held = node.core.consents().unwrap().held;
    assert_eq!(held[0].0.expires, Day::parse("2027-06-30").unwrap());
    let page = admin.get("/ui/consents").await;
    assert!(
        page.body.contains("<time datetime=\"2027-06-30"),
        "{}",
        page.body
    );
}

/// A record held that does not check (here: signed with a key that is not its signer's,
/// as a tampered data directory or an older node could hold) is listed as refused, with
/// what is wrong said in the page's language and the record's id as written.
#[tokio::test]
async fn a_record_that_does_not_check_is_listed_with_why_in_the_page_language() {
    let node = common::member();
    let mut forged = request(&node, 9, None);
    forged.signature = Signed::sign(
        forged.record.clone(),
        &ed25519_dalek::SigningKey::from_bytes(&[9; 32]),
    )
    .unwrap()
    .signature;
    forged.public_key = hex::encode(
        ed25519_dalek::SigningKey::from_bytes(&[9; 32])
            .verifying_key()
            .as_bytes(),
    );
    let id = forged.record.id().to_owned();
    let conn = rusqlite::Connection::open(node.path().join(store::DB_FILE)).unwrap();
    conn.execute(
        "INSERT INTO ledger (id, kind, json) VALUES (?1, 'consent-request', ?2)",
        [id.as_str(), &serde_json::to_string(&forged).unwrap()],
    )
    .unwrap();
    drop(conn);
    let mut admin = Browser::new(client::app(&node.path()));
    admin.sign_in("admin", "pw").await;
    let en = admin.get("/ui/consents?lang=en").await;
    assert!(
        en.body.contains("The consent request \u{2068}")
            && en
                .body
                .contains("it is signed with a key that is not \u{2068}ru-csirt\u{2069}"),
        "{}",
        en.body
    );
    let fa = admin.get("/ui/consents?lang=fa").await;
    for needle in [
        "درخواست رضایت",
        &format!("\u{2068}{id}\u{2069}"),
        "با کلیدی امضا شده که از آنِ",
    ] {
        assert!(fa.body.contains(needle), "{needle} in {}", fa.body);
    }
    assert!(!fa.body.contains("signed with a key"), "{}", fa.body);
    let ru = admin.get("/ui/consents?lang=ru").await;
    assert!(
        ru.body.contains("Запрос согласия") && ru.body.contains("подпись сделана ключом"),
        "{}",
        ru.body
    );
    // The same record handed in to be granted is refused with the same words.
    let csrf = field(&ru.body, "csrf").unwrap();
    let granted = admin
        .post(
            "/ui/consents/grant",
            &[
                ("csrf", &csrf),
                ("text", &serde_json::to_string(&forged).unwrap()),
            ],
        )
        .await;
    assert_eq!(granted.status, StatusCode::BAD_REQUEST);
    assert!(
        granted.body.contains("подпись сделана ключом") && !granted.body.contains("signed with"),
        "{}",
        granted.body
    );
}
