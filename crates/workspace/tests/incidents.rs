//! Joint incidents in the workspace: opened, worked on and followed through forms (each a
//! POST with the session's CSRF token), seen by the other party's authority, unseen by a
//! third party without rights.

mod client;
#[path = "../../core/tests/common/mod.rs"]
mod common;

use axum::http::StatusCode;
use client::{Browser, field};

#[tokio::test]
async fn an_incident_is_opened_worked_on_and_shown_on_one_timeline() {
    let node = common::member();
    let cases = node
        .core
        .create_collection("cases", None, None, None)
        .unwrap();
    node.core.grant("analyst", &cases.id, true, true).unwrap();
    node.core.grant("ru", &cases.id, true, false).unwrap();
    let app = client::app(&node.path());
    let mut a = Browser::new(app.clone());
    a.sign_in("analyst", "pw").await;
    let list = a.get("/ui/incidents").await;
    assert_eq!(list.status, StatusCode::OK);
    let csrf = field(&list.body, "csrf").unwrap();

    // Without the session's token nothing is opened.
    let forged = a
        .post(
            "/ui/incidents",
            &[
                ("csrf", "nope"),
                ("collection", &cases.id),
                ("name", "Forged"),
            ],
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    assert!(!a.get("/ui/incidents").await.body.contains("Forged"));

    let opened = a
        .post(
            "/ui/incidents",
            &[
                ("csrf", &csrf),
                ("collection", &cases.id),
                ("name", "Wiper at the grid operator"),
                ("description", "Disks wiped on three HMIs"),
                ("category", "malicious-code/infected-system"),
                ("criticality", "80"),
            ],
        )
        .await;
    assert_eq!(opened.status, StatusCode::SEE_OTHER, "{}", opened.body);
    let page_url = opened.location().unwrap().to_owned();
    let id = page_url.strip_prefix("/ui/incidents/").unwrap().to_owned();
    assert!(id.starts_with("incident--"));
    for (action, form) in [
        (
            "task",
            vec![("name", "Isolate the HMIs"), ("outcome", "ongoing")],
        ),
        ("note", vec![("content", "Samples sent to the partner")]),
        ("update", vec![("status", "open"), ("determination", "")]),
    ] {
        let mut f = vec![("csrf", csrf.as_str())];
        f.extend(form);
        let r = a.post(&format!("{page_url}/{action}"), &f).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{action}: {}", r.body);
    }
    // A bad value is refused with what is wrong, and nothing is stored; in Persian the
    // field and the values it may take in words, the value as written.
    for (lang, said, not) in [
        (
            "en",
            "The outcome \u{2068}someday\u{2069} is not one of: cancelled, failed",
            "یکی از",
        ),
        (
            "fa",
            "نتیجه \u{2068}someday\u{2069} یکی از این‌ها نیست",
            "is not one of",
        ),
    ] {
        a.get(&format!("{page_url}?lang={lang}")).await;
        let bad = a
            .post(
                &format!("{page_url}/task"),
                &[("csrf", &csrf), ("name", "x"), ("outcome", "someday")],
            )
            .await;
        assert_eq!(bad.status, StatusCode::BAD_REQUEST);
        assert!(
            bad.body.contains(said) && !bad.body.contains(not),
            "{lang}: {}",
            bad.body
        );
    }
    a.get(&format!("{page_url}?lang=en")).await;

    let page = a.get(&page_url).await;
    assert_eq!(page.status, StatusCode::OK);
    for needle in [
        "Wiper at the grid operator",
        "Isolate the HMIs",
        "Samples sent to the partner",
        ">open<",
        "made here",
    ] {
        assert!(page.body.contains(needle), "{needle} on the incident page");
    }
    assert!(!page.body.contains("someday"));
    // The timeline and the category in words, in the page's language: vocabulary
    // translated, what people wrote as written.
    for needle in [
        "Malicious Code / Infected System",
        "opened: <bdi dir=\"auto\">Wiper at the grid operator</bdi> (new",
        ">task<",
        "Isolate the HMIs</bdi>: ongoing",
        "Status: new → open",
    ] {
        assert!(page.body.contains(needle), "{needle} on the incident page");
    }
    let fa = a.get(&format!("{page_url}?lang=fa")).await;
    for needle in [
        "کد مخرب / سامانهٔ آلوده",
        "گشوده شد: <bdi dir=\"auto\">Wiper at the grid operator</bdi> (جدید، ",
        ">وظیفه<",
        "Isolate the HMIs</bdi>: در جریان",
        "Samples sent to the partner",
    ] {
        assert!(
            fa.body.contains(needle),
            "{needle} on the Persian incident page"
        );
    }
    let ru_page = a.get(&format!("{page_url}?lang=ru")).await;
    for needle in [
        "Вредоносный код / Заражённая система",
        ">задача<",
        "открыт:",
    ] {
        assert!(
            ru_page.body.contains(needle),
            "{needle} on the Russian incident page"
        );
    }

    // RU's authority reads the collection: the same incident, the same timeline.
    let mut ru = Browser::new(app.clone());
    ru.sign_in("ru", "pw").await;
    assert!(
        ru.get("/ui/incidents")
            .await
            .body
            .contains("Wiper at the grid operator")
    );
    let theirs = ru.get(&page_url).await;
    assert_eq!(theirs.status, StatusCode::OK);
    assert!(theirs.body.contains("Isolate the HMIs"));
    // RU does not own it: changing its state is refused by the core.
    let ru_csrf = field(&theirs.body, "csrf").unwrap();
    let refused = ru
        .post(
            &format!("{page_url}/update"),
            &[
                ("csrf", &ru_csrf),
                ("status", "closed"),
                ("determination", "blocked"),
            ],
        )
        .await;
    assert_ne!(refused.status, StatusCode::SEE_OTHER);

    // A third party with no rights: no incident, and its page is an absent one's.
    let mut p = Browser::new(app);
    p.sign_in("partner", "pw").await;
    assert!(!p.get("/ui/incidents").await.body.contains("Wiper"));
    let hidden = p.get(&page_url).await;
    let absent = p
        .get("/ui/incidents/incident--00000000-0000-4000-8000-000000000000")
        .await;
    // An id that is not an incident's is not found either, like any page.
    let other = p
        .get("/ui/incidents/indicator--00000000-0000-4000-8000-000000000000")
        .await;
    assert_eq!(hidden.status, StatusCode::NOT_FOUND);
    assert_eq!(absent.status, StatusCode::NOT_FOUND);
    assert_eq!(other.status, StatusCode::NOT_FOUND);
    let main = |s: &str| s.split("<main").nth(1).unwrap_or("").to_owned();
    assert_eq!(main(&hidden.body), main(&absent.body));
    assert_eq!(main(&other.body), main(&absent.body));
    assert!(!hidden.body.contains("Wiper"));
}
