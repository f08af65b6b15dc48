//! The OpenAPI document (`/symbolon/openapi.json`) stays true to the node: every route the
//! routers declare is documented and nothing else is; every documented operation, asked on
//! a running node, answers with a status (and a media type) the document lists; methods
//! it does not list are refused with 405. Schemathesis then checks the answers against the
//! schemas (tests/conformance/test_openapi.py).

mod common;

use common::*;
use reqwest::Method;
use reqwest::blocking::RequestBuilder;
use serde_json::Value;
use std::collections::BTreeSet;

/// The string literal after every `.route(` in a router's source.
fn routes_in(source: &str) -> Vec<String> {
    source
        .split(".route(")
        .skip(1)
        .filter_map(|rest| {
            let rest = rest.trim_start();
            let rest = rest.strip_prefix('"')?;
            Some(rest[..rest.find('"')?].to_owned())
        })
        .collect()
}

fn document(base: &str) -> Value {
    let r = Node::client()
        .get(format!("{base}/symbolon/openapi.json"))
        .send()
        .unwrap();
    assert_eq!(r.status(), 200, "the document is served without a login");
    r.json().unwrap()
}

#[test]
fn every_route_is_documented_and_nothing_else() {
    let dir = fresh();
    let node = Node::start(dir.path());
    let doc = document(&node.base);
    assert_eq!(doc["openapi"], "3.1.0");
    let documented: BTreeSet<String> = doc["paths"].as_object().unwrap().keys().cloned().collect();
    let crates = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
    let mut declared = BTreeSet::new();
    for file in ["taxii/src/lib.rs", "workspace/src/lib.rs"] {
        let source = std::fs::read_to_string(format!("{crates}/{file}")).unwrap();
        let found = routes_in(&source);
        assert!(found.len() > 5, "routes read from {file}");
        declared.extend(found);
    }
    declared.insert(node::openapi::PATH.to_owned());
    // The workspace's catch-all answers "nothing here" for any other path under /ui/.
    declared.remove("/ui/{*rest}");
    let undocumented: Vec<_> = declared.difference(&documented).collect();
    let unserved: Vec<_> = documented.difference(&declared).collect();
    assert!(
        undocumented.is_empty(),
        "routes missing from the document: {undocumented:?}"
    );
    assert!(
        unserved.is_empty(),
        "documented paths no router declares: {unserved:?}"
    );
}

/// Does a documented response key (`"200"`, `"4XX"`) cover this status?
fn covers(key: &str, status: u16) -> bool {
    match key.strip_suffix("XX") {
        Some(class) => class.parse::<u16>().is_ok_and(|c| status / 100 == c),
        None => key.parse::<u16>() == Ok(status),
    }
}

fn essence(media: &str) -> String {
    media
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

/// Path parameters filled with values the node holds, so operations reach their real work.
fn fill(path: &str, coll: &str, object: &str) -> String {
    path.replace("{root}", "api1")
        .replace("{coll}", coll)
        .replace("{id}", object)
        .replace("{status}", "8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f")
        .replace("{index}", "0")
        .replace("{action}", "note")
        .replace("{file}", "app.css")
}

/// The request a documented operation is asked with: credentials of the kind it documents,
/// its required query parameters, and a body of the media type it takes.
fn request(
    client: &reqwest::blocking::Client,
    base: &str,
    method: &Method,
    path: &str,
    op: &Value,
    cookie: &str,
) -> RequestBuilder {
    let mut query: Vec<(String, String)> = Vec::new();
    for p in op["parameters"].as_array().into_iter().flatten() {
        if p["in"] == "query" && p["required"] == true {
            let value = match p["name"].as_str().unwrap() {
                "value" => "198.51.100.7",
                "from" => "0",
                "object" => "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f",
                _ => "x",
            };
            query.push((p["name"].as_str().unwrap().to_owned(), value.to_owned()));
        }
    }
    let mut rb = client
        .request(method.clone(), format!("{base}{path}"))
        .query(&query)
        .basic_auth("admin", Some(PASSWORD))
        .header("cookie", cookie);
    if let Some(content) = op["requestBody"]["content"].as_object() {
        let mut media = content.keys().next().unwrap().clone();
        let body = match essence(&media).as_str() {
            "application/taxii+json" => r#"{"objects":[]}"#.to_owned(),
            "application/json" => r#"["198.51.100.7"]"#.to_owned(),
            // A form with a token that is not the session's: refused, changing nothing.
            "application/x-www-form-urlencoded" => "csrf=not-the-token".to_owned(),
            "multipart/form-data" => {
                media.push_str("; boundary=b");
                "--b\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\nnot-the-token\r\n--b--\r\n"
                    .to_owned()
            }
            other => panic!("no test body for {other}"),
        };
        rb = rb.header("content-type", media).body(body);
    }
    rb
}

#[test]
fn every_documented_operation_answers_as_documented() {
    let dir = fresh();
    let coll = create_collection(dir.path(), "described");
    let (bundle, ids) = indicators(1);
    let node = Node::start(dir.path());
    assert_eq!(node.post(&coll, bundle).status(), 202);
    let doc = document(&node.base);
    let cookie = common::workspace_session(&node.base);
    let client = reqwest::blocking::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let mut asked = 0;
    for (template, item) in doc["paths"].as_object().unwrap() {
        let path = fill(template, &coll, &ids[0]);
        for method in [Method::GET, Method::POST, Method::DELETE, Method::PUT] {
            let key = method.as_str().to_ascii_lowercase();
            let Some(op) = item.get(&key) else {
                // Not documented: refused as not allowed (never served).
                let r = client
                    .request(method.clone(), format!("{}{path}", node.base))
                    .basic_auth("admin", Some(PASSWORD))
                    .header("cookie", &cookie)
                    .send()
                    .unwrap();
                assert_eq!(r.status(), 405, "{method} {template} is not documented");
                continue;
            };
            asked += 1;
            let r = request(&client, &node.base, &method, &path, op, &cookie)
                .send()
                .unwrap();
            let status = r.status().as_u16();
            let got = r
                .headers()
                .get("content-type")
                .and_then(|v| v.to_str().ok())
                .map(essence)
                .unwrap_or_default();
            let text = r.text().unwrap_or_default();
            let responses = op["responses"].as_object().unwrap();
            let (_, documented) = responses
                .iter()
                .find(|(k, _)| covers(k, status))
                .unwrap_or_else(|| {
                    panic!(
                        "{method} {template} answered {status}, which the document does not list: {}",
                        text
                    )
                });
            if let Some(content) = documented["content"].as_object() {
                assert!(
                    content.keys().any(|m| essence(m) == got),
                    "{method} {template} answered {status} as `{got}`, not as documented ({:?})",
                    content.keys().collect::<Vec<_>>()
                );
            }
        }
    }
    assert!(asked >= 45, "operations asked: {asked}");
}
