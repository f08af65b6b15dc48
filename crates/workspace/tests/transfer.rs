//! Import and export in the workspace, for the operator: an uploaded bundle's rejections
//! listed; an export previewed (served, redacted, withheld by article, as the reader decides
//! for the recipient) and then made, as a file holding exactly what was previewed.

mod client;
#[path = "../../core/tests/common/mod.rs"]
mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use client::{Browser, field};
use common::*;
use symbolon_core::{Caller, Want};

#[tokio::test]
async fn an_upload_lists_its_rejections_and_an_export_gives_what_its_preview_said() {
    let node = member();
    let c = node
        .core
        .create_collection("shared", None, None, None)
        .unwrap();
    node.core.grant("partner", &c.id, true, false).unwrap();
    let app = client::app(&node.path());
    let mut analyst = Browser::new(app.clone());
    analyst.sign_in("analyst", "pw").await;
    assert_eq!(
        analyst.get("/ui/transfer").await.status,
        StatusCode::NOT_FOUND
    );

    let mut admin = Browser::new(app);
    admin.sign_in("admin", "pw").await;
    let page = admin.get("/ui/transfer").await;
    assert_eq!(page.status, StatusCode::OK);
    let csrf = field(&page.body, "csrf").unwrap();
    let bundle = format!(
        r#"{{"type":"bundle","id":"bundle--00000000-0000-4000-8000-000000000001","objects":[{},{},{},{{"type":"indicator","id":"indicator--bad"}},{{"type":"indicator"}}]}}"#,
        indicator(1, "2024-01-01T00:00:00.000Z", Some(CLEAR)),
        indicator(2, "2024-01-01T00:00:00.000Z", Some(RED)),
        indicator(3, "2024-01-01T00:00:00.000Z", Some(GREEN)),
    );
    let imported = upload(&mut admin, &csrf, &c.id, &bundle).await;
    assert_eq!(imported.status, StatusCode::OK, "{}", imported.body);
    assert!(
        imported.body.contains("indicator--bad"),
        "{}",
        imported.body
    );
    assert!(imported.body.contains("Added: 3"), "{}", imported.body);

    // The preview for the third party: as the reader decides for it.
    let partner = node.core.principal("partner").unwrap().unwrap();
    let served = node
        .core
        .read(
            &Caller {
                principal: &partner,
                purpose: None,
            },
            "test",
            &c,
            None,
            &Want {
                versions: vec![store::VersionSel::All],
                ..Want::default()
            },
            |p| p.rows.len(),
        )
        .unwrap();
    assert_eq!(served, 1, "only the CLEAR one goes to a third party");
    let preview = admin
        .get(&format!("/ui/transfer?collection={}&for=partner", c.id))
        .await;
    assert_eq!(preview.status, StatusCode::OK);
    let main = preview
        .body
        .split("What an export would give")
        .nth(1)
        .unwrap()
        .to_owned();
    assert!(main.contains("<dd>1</dd>"), "served 1: {main}");
    assert!(main.contains("Withheld under"), "{main}");
    // The rejection, the articles and the validator's reason in words of the page's
    // language; what the reason quotes (the id) stays as written, isolated.
    assert!(
        imported.body.contains("not a valid STIX object"),
        "{}",
        imported.body
    );
    assert!(
        imported.body.contains(
            "The property \u{2068}id\u{2069}: \u{2068}indicator--bad\u{2069} is not an identifier of the form type--UUID."
        ),
        "{}",
        imported.body
    );
    admin.get("/ui/transfer?lang=fa").await;
    let again = upload(&mut admin, &csrf, &c.id, &bundle).await;
    assert!(
        again
            .body
            .contains("\u{2068}indicator--bad\u{2069} شناسه‌ای به شکل type--UUID نیست"),
        "{}",
        again.body
    );
    assert!(again.body.contains("شیء STIX نامعتبر"), "{}", again.body);
    assert!(again.body.contains("ردشده: ۲"), "{}", again.body);
    // The object without an id: by its place in the upload, in Persian digits.
    assert!(again.body.contains("شیء ۵ در بارگذاری"), "{}", again.body);
    assert!(!again.body.contains("of the input"), "{}", again.body);
    // A file that is not a bundle at all: said in the page's language, nothing stored.
    let twice = r#"{"type":"bundle","objects":[],"objects":[]}"#;
    let refused = upload(&mut admin, &csrf, &c.id, twice).await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    assert!(
        refused
            .body
            .contains("پرونده‌ی \u{2068}b.json\u{2069} بسته‌ی STIX")
            && refused
                .body
                .contains("عضو \u{2068}objects\u{2069} بیش از یک بار"),
        "{}",
        refused.body
    );
    admin.get("/ui/transfer?lang=en").await;
    let refused = upload(&mut admin, &csrf, &c.id, "[1, 2").await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    assert!(
        refused
            .body
            .contains("The file \u{2068}b.json\u{2069} is not a STIX bundle or TAXII envelope"),
        "{}",
        refused.body
    );
    assert!(main.contains("Withheld under Art. 6.1"), "{main}");
    let fa = admin
        .get(&format!(
            "/ui/transfer?collection={}&for=partner&lang=fa",
            c.id
        ))
        .await;
    assert!(fa.body.contains("بند ۱ ماده ۶"), "{}", fa.body);
    let exported = admin
        .post(
            "/ui/transfer/export",
            &[
                ("csrf", &csrf),
                ("collection", &c.id),
                ("recipient", "partner"),
            ],
        )
        .await;
    assert_eq!(exported.status, StatusCode::OK);
    assert!(
        exported
            .headers
            .get(header::CONTENT_DISPOSITION)
            .unwrap()
            .to_str()
            .unwrap()
            .contains("attachment")
    );
    let doc: serde_json::Value = serde_json::from_str(&exported.body).unwrap();
    let ids: Vec<&str> = doc["objects"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, [id(1).as_str()]);
    // Without the session's token there is no transfer.
    let forged = admin
        .post(
            "/ui/transfer/export",
            &[
                ("csrf", "x"),
                ("collection", &c.id),
                ("recipient", "partner"),
            ],
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
}

/// Uploads `bundle` into `collection` through the import form; the page answered.
async fn upload(admin: &mut Browser, csrf: &str, collection: &str, bundle: &str) -> client::Answer {
    let boundary = "XyZboundary";
    let mut body = String::new();
    for (name, value) in [("csrf", csrf), ("collection", collection), ("origin", "")] {
        body.push_str(&format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
        ));
    }
    body.push_str(&format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"bundle\"; filename=\"b.json\"\r\nContent-Type: application/json\r\n\r\n{bundle}\r\n--{boundary}--\r\n"
    ));
    admin
        .send(
            Request::post("/ui/transfer/import").header(
                header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={boundary}"),
            ),
            Body::from(body),
        )
        .await
}
