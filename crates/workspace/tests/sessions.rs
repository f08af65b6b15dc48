//! Signing in and out, the session cookie, CSRF, languages and the headers that keep
//! hostile content inert, against the workspace's router.

mod client;
#[path = "../../core/tests/common/mod.rs"]
mod common;

use axum::http::{StatusCode, header};
use client::{Browser, field};
use std::sync::Arc;

fn app(node: &common::Node) -> axum::Router {
    client::app(&node.path())
}

#[tokio::test]
async fn the_workspace_asks_for_a_sign_in_and_keeps_the_session_on_the_server() {
    let node = common::member();
    let mut b = Browser::new(app(&node));
    let home = b.get("/ui/").await;
    assert_eq!(home.status, StatusCode::SEE_OTHER);
    assert_eq!(home.location(), Some("/ui/login"));
    let form = b.get("/ui/login").await;
    for needle in [
        "method=\"post\"",
        "name=\"username\"",
        "name=\"password\"",
        ">Username",
        ">Password",
        ">Sign in</button>",
    ] {
        assert!(form.body.contains(needle), "{needle} in {}", form.body);
    }
    // Wrong password and unknown user: the same answer.
    let wrong = b.sign_in("analyst", "nope").await;
    let unknown = b.sign_in("nobody", "nope").await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert_eq!(unknown.status, StatusCode::UNAUTHORIZED);
    assert!(wrong.body.contains("Unknown user or wrong password"));
    assert!(!b.cookies.contains_key("symbolon_session"));
    // A sign-in without the form's token is refused.
    let forged = b
        .post(
            "/ui/login",
            &[("username", "analyst"), ("password", "pw"), ("csrf", "x")],
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    assert!(!b.cookies.contains_key("symbolon_session"));

    let ok = b.sign_in("analyst", "pw").await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    let set = ok
        .headers
        .get_all(header::SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .find(|c| c.starts_with("symbolon_session="))
        .unwrap();
    assert!(
        set.contains("HttpOnly") && set.contains("SameSite=Strict"),
        "{set}"
    );
    assert!(!set.contains("Secure"), "plain HTTP in the test: {set}");
    let home = b.get("/ui/").await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(home.body.contains("analyst"));
    let csrf = field(&home.body, "csrf").unwrap();

    // A GET never changes state; a POST without the token is refused.
    assert_eq!(
        b.get("/ui/logout").await.status,
        StatusCode::METHOD_NOT_ALLOWED
    );
    let no_token = b.post("/ui/logout", &[("csrf", "wrong")]).await;
    assert_eq!(no_token.status, StatusCode::FORBIDDEN);
    assert_eq!(b.get("/ui/").await.status, StatusCode::OK);

    // Sign-out ends the session on the server: the old cookie no longer opens anything.
    let stolen = b.cookies.get("symbolon_session").cloned().unwrap();
    let out = b.post("/ui/logout", &[("csrf", &csrf)]).await;
    assert_eq!(out.location(), Some("/ui/login"));
    b.cookies.insert("symbolon_session".into(), stolen);
    assert_eq!(b.get("/ui/").await.location(), Some("/ui/login"));
}

#[tokio::test]
async fn a_restart_keeps_sessions_and_not_the_ended_ones() {
    let node = common::member();
    let running = app(&node);
    let mut first = Browser::new(running.clone());
    let mut second = Browser::new(running);
    assert_eq!(
        first.sign_in("analyst", "pw").await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        second.sign_in("analyst", "pw").await.status,
        StatusCode::SEE_OTHER
    );
    let csrf = field(&second.get("/ui/").await.body, "csrf").unwrap();
    second.post("/ui/logout", &[("csrf", &csrf)]).await;
    let (kept, ended) = (first.cookies.clone(), second.cookies.clone());
    drop((first, second));

    // The node restarts: a new workspace over the same directory.
    let mut after = Browser::new(app(&node));
    after.cookies = kept;
    let home = after.get("/ui/").await;
    assert_eq!(home.status, StatusCode::OK, "{}", home.body);
    assert!(home.body.contains("analyst"));
    let mut gone = Browser::new(app(&node));
    gone.cookies = ended;
    assert_eq!(gone.get("/ui/").await.location(), Some("/ui/login"));
}

#[tokio::test]
async fn guessing_a_password_is_slowed_and_said_so_in_the_users_language() {
    let node = common::member();
    let mut b = Browser::new(app(&node));
    b.lang = Some("fa");
    for _ in 0..5 {
        assert_eq!(
            b.sign_in("analyst", "guess").await.status,
            StatusCode::UNAUTHORIZED
        );
    }
    let slowed = b.sign_in("analyst", "pw").await;
    assert_eq!(slowed.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(slowed.headers.contains_key(header::RETRY_AFTER));
    assert!(slowed.body.contains("تلاش‌های بیش از حد"), "{}", slowed.body);
    assert!(!b.cookies.contains_key("symbolon_session"));
}

#[tokio::test]
async fn a_removed_user_is_signed_out_at_once() {
    let node = common::member();
    let core = Arc::new(symbolon_core::Core::open(&node.path()).unwrap());
    let app = workspace::router(core.clone(), workspace::Options::default());
    let mut b = Browser::new(app);
    b.sign_in("analyst", "pw").await;
    assert_eq!(b.get("/ui/").await.status, StatusCode::OK);
    core.remove_user("analyst").unwrap();
    assert_eq!(b.get("/ui/").await.location(), Some("/ui/login"));
}

#[tokio::test]
async fn secure_cookies_over_tls_and_no_passwords_over_plain_http_from_afar() {
    let node = common::member();
    let core = Arc::new(symbolon_core::Core::open(&node.path()).unwrap());
    let tls = workspace::router(
        core.clone(),
        workspace::Options {
            tls: true,
            ..Default::default()
        },
    );
    let mut b = Browser::new(tls);
    let ok = b.sign_in("analyst", "pw").await;
    let set = ok
        .headers
        .get_all(header::SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .collect::<Vec<_>>()
        .join("\n");
    assert!(
        set.contains("symbolon_session=") && set.contains("; Secure"),
        "{set}"
    );

    // Over plain HTTP from another host the password is refused (as Basic auth is).
    let plain = workspace::router(core, workspace::Options::default());
    let remote: std::net::SocketAddr = "192.0.2.7:40000".parse().unwrap();
    let mut b = Browser::new(plain.layer(axum::Extension(axum::extract::ConnectInfo(remote))));
    let refused = b.sign_in("analyst", "pw").await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(refused.body.contains("HTTPS"), "{}", refused.body);
    assert!(!b.cookies.contains_key("symbolon_session"));
}

#[tokio::test]
async fn languages_are_chosen_remembered_and_laid_out() {
    let node = common::member();
    let mut b = Browser::new(app(&node));
    b.lang = Some("ru-RU,ru;q=0.9");
    let form = b.get("/ui/login").await;
    assert!(form.body.contains("<html lang=\"ru\" dir=\"ltr\">"));
    assert!(form.body.contains("Имя пользователя"));
    b.sign_in("analyst", "pw").await;
    let fa = b.get("/ui/?lang=fa").await;
    assert!(
        fa.body.contains("<html lang=\"fa\" dir=\"rtl\">"),
        "{}",
        &fa.body[..200]
    );
    assert!(fa.body.contains("مجموعه‌ها"));
    // Remembered for the user, over what the browser asks for.
    let again = b.get("/ui/").await;
    assert!(again.body.contains("lang=\"fa\""));
    // Another session of the same user starts in Persian too.
    let mut other = Browser::new(b.app.clone());
    other.lang = Some("en");
    other.sign_in("analyst", "pw").await;
    assert!(other.get("/ui/").await.body.contains("lang=\"fa\""));
    let en = b.get("/ui/?lang=en").await;
    assert!(en.body.contains("<html lang=\"en\" dir=\"ltr\">"));
}

#[tokio::test]
async fn content_from_peers_is_shown_as_text_and_no_script_may_run() {
    let node = common::member();
    let c = node
        .core
        .create_collection("peer stuff", None, None, None)
        .unwrap();
    node.core.grant("analyst", &c.id, true, false).unwrap();
    let hostile = r#"{"type":"malware","spec_version":"2.1","id":"malware--00000000-0000-4000-8000-000000000001","created":"2024-01-01T00:00:00.000Z","modified":"2024-01-01T00:00:00.000Z","name":"<script>alert(1)</script>","is_family":false,"description":"\"><img src=x onerror=alert(2)>","external_references":[{"source_name":"x","url":"javascript:alert(3)"}]}"#;
    common::put(&node.core, &c, &[hostile.to_owned()]);
    let mut b = Browser::new(app(&node));
    b.sign_in("analyst", "pw").await;
    for path in [
        format!("/ui/c/{}", c.id),
        format!(
            "/ui/c/{}/o/malware--00000000-0000-4000-8000-000000000001",
            c.id
        ),
        "/ui/search?q=script".to_owned(),
    ] {
        let page = b.get(&path).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        assert!(
            page.body
                .contains("&#60;script&#62;alert(1)&#60;/script&#62;"),
            "{path}: {}",
            page.body
        );
        assert!(!page.body.contains("<script"), "{path}");
        assert!(!page.body.contains("<img"), "{path}");
        assert!(!page.body.contains("href=\"javascript:"), "{path}");
        let csp = page
            .headers
            .get(header::CONTENT_SECURITY_POLICY)
            .unwrap()
            .to_str()
            .unwrap();
        assert!(
            csp.contains("default-src 'none'") && !csp.contains("script-src"),
            "{csp}"
        );
        assert_eq!(
            page.headers.get(header::X_CONTENT_TYPE_OPTIONS).unwrap(),
            "nosniff"
        );
    }
    // An object's references link to what the user may open, and only to that.
    let rel = r#"{"type":"relationship","spec_version":"2.1","id":"relationship--00000000-0000-4000-8000-000000000009","created":"2024-01-01T00:00:00.000Z","modified":"2024-01-01T00:00:00.000Z","relationship_type":"uses","source_ref":"malware--00000000-0000-4000-8000-000000000001","target_ref":"tool--00000000-0000-4000-8000-000000000002"}"#;
    common::put(&node.core, &c, &[rel.to_owned()]);
    let page = b
        .get(&format!(
            "/ui/c/{}/o/relationship--00000000-0000-4000-8000-000000000009",
            c.id
        ))
        .await;
    assert!(page.body.contains(&format!(
        "href=\"/ui/c/{}/o/malware--00000000-0000-4000-8000-000000000001\"",
        c.id
    )));
    assert!(
        page.body
            .contains("tool--00000000-0000-4000-8000-000000000002")
    );
    assert!(
        !page.body.contains("/o/tool--"),
        "no link to what nothing holds"
    );

    // Everything a page needs comes from the node itself.
    let css = b.get("/ui/static/app.css").await;
    assert_eq!(css.status, StatusCode::OK);
    assert!(!css.body.contains("http://") && !css.body.contains("https://"));
    assert_eq!(
        b.get("/ui/static/vazirmatn.woff2").await.status,
        StatusCode::OK
    );
    assert!(
        b.get("/ui/static/vazirmatn-licence.txt")
            .await
            .body
            .contains("SIL Open Font License")
    );
}
