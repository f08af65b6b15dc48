//! Input a hostile or broken client sends: every answer is a TAXII error object that says
//! what was wrong, and nothing of it is stored. Served by a real listener, so the body and
//! connection handling are hyper's as in production.

use base64::Engine;
use std::io::{Read, Write};
use std::sync::Arc;
use symbolon_core::Core;

struct Node {
    _dir: tempfile::TempDir,
    addr: std::net::SocketAddr,
    objects: String,
}

async fn node() -> Node {
    let dir = tempfile::tempdir().unwrap();
    let (core, _) = Core::init(&dir.path().join("node"), Some("pw")).unwrap();
    let coll = core.create_collection("c", Some("c"), None, None).unwrap();
    let app = taxii::router(taxii::AppState::new(
        Arc::new(core),
        taxii::ServerInfo::default(),
    ));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    Node {
        _dir: dir,
        addr,
        objects: format!("/api1/collections/{}/objects/", coll.id),
    }
}

fn basic() -> String {
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode("admin:pw")
    )
}

/// Sends `head` and `body` as written (nothing fixed up); the status, headers and body of
/// the answer. A body shorter than the head declares is followed by closing the write half
/// (the client gave up); else the server closes after answering (`Connection: close`).
async fn raw(addr: std::net::SocketAddr, head: &str, body: &[u8]) -> (u16, String, String) {
    let declared = head
        .to_ascii_lowercase()
        .split("content-length: ")
        .nth(1)
        .and_then(|r| r.split("\r\n").next()?.parse::<usize>().ok())
        .unwrap_or(0);
    let cut_short = body.len() < declared;
    let (head, body) = (head.to_owned(), body.to_vec());
    let out = tokio::task::spawn_blocking(move || {
        let mut s = std::net::TcpStream::connect(addr).unwrap();
        s.write_all(head.as_bytes()).unwrap();
        s.write_all(&body).unwrap();
        if cut_short {
            s.shutdown(std::net::Shutdown::Write).unwrap();
        }
        let mut out = Vec::new();
        s.read_to_end(&mut out).unwrap();
        out
    })
    .await
    .unwrap();
    let text = String::from_utf8_lossy(&out).into_owned();
    let status = text[9..12].parse().unwrap();
    let (headers, body) = text.split_once("\r\n\r\n").unwrap();
    (status, headers.to_ascii_lowercase(), body.to_owned())
}

fn is_taxii_error(headers: &str, body: &str) -> serde_json::Value {
    assert!(
        headers.contains("content-type: application/taxii+json;version=2.1"),
        "{headers}"
    );
    let v: serde_json::Value = serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {body}"));
    assert!(v["title"].is_string(), "{v}");
    v
}

fn post_head(path: &str, length: usize) -> String {
    format!(
        "POST {path} HTTP/1.1\r\nHost: x\r\nAuthorization: {}\r\nAccept: application/taxii+json;version=2.1\r\nContent-Type: application/taxii+json;version=2.1\r\nContent-Length: {length}\r\nConnection: close\r\n\r\n",
        basic()
    )
}

#[tokio::test]
async fn a_url_path_that_is_not_text_gets_a_taxii_error() {
    let n = node().await;
    let head = format!(
        "GET /api1/collections/%ff%fe/objects/ HTTP/1.1\r\nHost: x\r\nAuthorization: {}\r\nAccept: application/taxii+json;version=2.1\r\nConnection: close\r\n\r\n",
        basic()
    );
    let (status, headers, body) = raw(n.addr, &head, b"").await;
    assert_eq!(status, 400);
    let v = is_taxii_error(&headers, &body);
    assert!(v["description"].as_str().unwrap().contains("UTF-8"), "{v}");
}

#[tokio::test]
async fn a_refusal_written_by_an_extractor_is_a_taxii_error_too() {
    let n = node().await;
    let get = |path: &str| {
        format!(
            "GET {path} HTTP/1.1\r\nHost: x\r\nAuthorization: {}\r\nConnection: close\r\n\r\n",
            basic()
        )
    };
    // A path segment that is not a number, a missing query parameter, a method the
    // resource does not take (which still says what it does take).
    for (path, status) in [
        ("/symbolon/audit/entries/abc", 400),
        ("/symbolon/audit/consistency", 400),
        ("/symbolon/audit/entries/99999999999999999999999", 400),
    ] {
        let (got, headers, body) = raw(n.addr, &get(path), b"").await;
        assert_eq!(got, status, "{path}: {body}");
        let v = is_taxii_error(&headers, &body);
        assert_eq!(v["http_status"], status.to_string(), "{v}");
    }
    let put = get("/taxii2/").replacen("GET", "PUT", 1);
    let (got, headers, body) = raw(n.addr, &put, b"").await;
    assert_eq!(got, 405);
    is_taxii_error(&headers, &body);
    assert!(headers.contains("allow: get,head"), "{headers}");
}

#[tokio::test]
async fn a_body_shorter_than_its_length_is_a_bad_request_not_too_large() {
    let n = node().await;
    let (status, headers, body) =
        raw(n.addr, &post_head(&n.objects, 1000), br#"{"objects":["#).await;
    assert_eq!(status, 400, "{body}");
    let v = is_taxii_error(&headers, &body);
    assert!(
        v["description"].as_str().unwrap().contains("1000 bytes"),
        "{v}"
    );
}

#[tokio::test]
async fn a_repeated_objects_member_is_refused_and_nothing_is_stored() {
    let n = node().await;
    let ind = |i: u32| {
        format!(
            r#"{{"type":"indicator","spec_version":"2.1","id":"indicator--00000000-0000-4000-8000-{i:012}","created":"2024-01-01T00:00:00.000Z","modified":"2024-01-01T00:00:00.000Z","pattern":"[ipv4-addr:value = '198.51.100.{i}']","pattern_type":"stix","valid_from":"2024-01-01T00:00:00Z"}}"#
        )
    };
    let doc = format!(r#"{{"objects":[{}],"objects":[{}]}}"#, ind(1), ind(2));
    let (status, headers, body) =
        raw(n.addr, &post_head(&n.objects, doc.len()), doc.as_bytes()).await;
    assert_eq!(status, 400, "{body}");
    let v = is_taxii_error(&headers, &body);
    assert!(
        v["description"]
            .as_str()
            .unwrap()
            .contains("`objects` occurs more than once"),
        "{v}"
    );
    assert_eq!(stored(&n).await, 0);
}

fn indicator(i: u32) -> String {
    format!(
        r#"{{"type":"indicator","spec_version":"2.1","id":"indicator--00000000-0000-4000-8000-{i:012}","created":"2024-01-01T00:00:00.000Z","modified":"2024-01-01T00:00:00.000Z","pattern":"[ipv4-addr:value = '198.51.{}.{}']","pattern_type":"stix","valid_from":"2024-01-01T00:00:00Z"}}"#,
        i / 256,
        i % 256
    )
}

/// The objects of a large envelope (admitted on a second thread while the body is still
/// being split).
fn many(n: u32) -> String {
    (0..n).map(indicator).collect::<Vec<_>>().join(",")
}

#[tokio::test]
async fn a_large_envelope_broken_after_its_objects_is_refused_whole_and_the_next_is_taken() {
    let n = node().await;
    for (doc, says) in [
        (
            format!(r#"{{"objects":[{}],"objects":[]}}"#, many(600)),
            "`objects` occurs more than once",
        ),
        (
            format!(r#"{{"objects":[{}],"more":tru}}"#, many(600)),
            "not valid JSON",
        ),
        (format!(r#"{{"objects":[{}]"#, many(600)), "not valid JSON"),
    ] {
        let (status, headers, body) =
            raw(n.addr, &post_head(&n.objects, doc.len()), doc.as_bytes()).await;
        assert_eq!(status, 400, "{body}");
        let v = is_taxii_error(&headers, &body);
        assert!(v["description"].as_str().unwrap().contains(says), "{v}");
        assert_eq!(stored(&n).await, 0);
    }
    // Whatever admitted the refused envelopes' objects is free for the next one.
    let doc = format!(r#"{{"objects":[{}]}}"#, many(600));
    let (status, headers, body) =
        raw(n.addr, &post_head(&n.objects, doc.len()), doc.as_bytes()).await;
    assert_eq!(status, 202, "{body}");
    let v = is_taxii_error_free(&headers, &body);
    assert_eq!(v["success_count"].as_u64(), Some(600), "{v}");
}

#[tokio::test]
async fn a_large_envelope_keeps_each_verdict_with_its_object() {
    let n = node().await;
    // Every seventh object lacks its pattern; the rest are valid.
    let objects: Vec<String> = (0..700)
        .map(|i| {
            let o = indicator(i);
            if i % 7 == 3 {
                o.replace(r#""pattern_type":"stix","#, r#""pattern_type":"snort","#)
                    .replace(r#""pattern":"#, r#""x_pattern":"#)
            } else {
                o
            }
        })
        .collect();
    let doc = format!(r#"{{"objects":[{}]}}"#, objects.join(","));
    let (status, headers, body) =
        raw(n.addr, &post_head(&n.objects, doc.len()), doc.as_bytes()).await;
    assert_eq!(status, 202, "{body}");
    let v = is_taxii_error_free(&headers, &body);
    let ids = |list: &str| -> Vec<String> {
        v[list]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["id"].as_str().unwrap().to_owned())
            .collect()
    };
    let id = |i: u32| format!("indicator--00000000-0000-4000-8000-{i:012}");
    assert_eq!(
        ids("failures"),
        (0..700).filter(|i| i % 7 == 3).map(id).collect::<Vec<_>>()
    );
    assert_eq!(
        ids("successes"),
        (0..700).filter(|i| i % 7 != 3).map(id).collect::<Vec<_>>()
    );
}

#[tokio::test]
async fn a_poison_pill_is_refused_per_object_and_its_neighbours_are_stored() {
    let n = node().await;
    let good = r#"{"type":"indicator","spec_version":"2.1","id":"indicator--00000000-0000-4000-8000-000000000001","created":"2024-01-01T00:00:00.000Z","modified":"2024-01-01T00:00:00.000Z","pattern":"[ipv4-addr:value = '198.51.100.1']","pattern_type":"stix","valid_from":"2024-01-01T00:00:00Z"}"#;
    let deep = format!(
        r#"{{"type":"indicator","spec_version":"2.1","id":"indicator--00000000-0000-4000-8000-000000000002","created":"2024-01-01T00:00:00.000Z","modified":"2024-01-01T00:00:00.000Z","pattern":"[ipv4-addr:value = '198.51.100.2']","pattern_type":"stix","valid_from":"2024-01-01T00:00:00Z","x_deep":{}{}}}"#,
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    let lone = r#"{"type":"indicator","spec_version":"2.1","id":"indicator--00000000-0000-4000-8000-000000000003","created":"2024-01-01T00:00:00.000Z","modified":"2024-01-01T00:00:00.000Z","name":"\udc00","pattern":"[ipv4-addr:value = '198.51.100.3']","pattern_type":"stix","valid_from":"2024-01-01T00:00:00Z"}"#;
    let doc = format!(r#"{{"objects":[{good},{deep},{lone}]}}"#);
    let (status, headers, body) =
        raw(n.addr, &post_head(&n.objects, doc.len()), doc.as_bytes()).await;
    assert_eq!(status, 202, "{body}");
    let v = is_taxii_error_free(&headers, &body);
    assert_eq!(
        (v["success_count"].as_u64(), v["failure_count"].as_u64()),
        (Some(1), Some(2)),
        "{v}"
    );
    let failures = v["failures"].as_array().unwrap();
    let why = |id: &str| {
        failures
            .iter()
            .find(|f| f["id"] == id)
            .and_then(|f| f["message"].as_str())
            .unwrap_or_default()
            .to_owned()
    };
    assert!(
        why("indicator--00000000-0000-4000-8000-000000000002").contains("nested more than 100")
    );
    assert!(why("indicator--00000000-0000-4000-8000-000000000003").contains("surrogate"));
    assert_eq!(stored(&n).await, 1);
}

/// How many objects the collection serves the operator.
async fn stored(n: &Node) -> usize {
    let head = format!(
        "GET {} HTTP/1.1\r\nHost: x\r\nAuthorization: {}\r\nAccept: application/taxii+json;version=2.1\r\nConnection: close\r\n\r\n",
        n.objects,
        basic()
    );
    let (status, _, body) = raw(n.addr, &head, b"").await;
    assert_eq!(status, 200, "{body}");
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    v["objects"].as_array().map_or(0, Vec::len)
}

fn is_taxii_error_free(headers: &str, body: &str) -> serde_json::Value {
    assert!(headers.contains("application/taxii+json"), "{headers}");
    serde_json::from_str(body).unwrap()
}
