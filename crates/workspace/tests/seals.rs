//! A received object's seal on its page: when it does not verify, why, in the page's
//! language.

mod client;
#[path = "../../core/tests/common/mod.rs"]
mod common;

use axum::http::StatusCode;
use client::Browser;

#[tokio::test]
async fn a_seal_that_does_not_verify_is_explained_in_the_page_language() {
    let node = common::member();
    let c = node
        .core
        .create_collection("from-ru", None, None, None)
        .unwrap();
    node.core.grant("ru", &c.id, true, true).unwrap();
    common::put_sealed(&node.core, &c, 1, "ru-csirt", [3; 32]);

    let mut b = Browser::new(client::app(&node.path()));
    b.sign_in("admin", "pw").await;
    let path = format!("/ui/c/{}/o/{}", c.id, common::id(1));
    for (lang, words) in [
        ("en", "The seal is not signed by \u{2068}ru-csirt\u{2069}."),
        ("fa", "مهر با کلید \u{2068}ru-csirt\u{2069} امضا نشده است."),
        ("ru", "Печать не подписана ключом \u{2068}ru-csirt\u{2069}."),
    ] {
        let page = b.get(&format!("{path}?lang={lang}")).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        assert!(page.body.contains(words), "{lang}: {}", page.body);
    }
}
