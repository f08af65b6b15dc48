//! What an operator's tools see of a serving node: probes without a login, metrics for the
//! administrator only, one JSON access line per request with its id, and no secret in any
//! log line (passwords, Basic tokens, looked-up values), even at the most verbose level.

mod common;

use base64::Engine;
use common::*;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[test]
fn probes_metrics_and_json_logs_without_secrets() {
    let dir = fresh();
    let coll = create_collection(dir.path(), "ops");
    user(dir.path(), "reader", &[], &coll);
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let log = dir.path().join("serve.log");
    let mut child = Command::new(BIN)
        .args([
            "serve",
            "--data",
            dir.path().to_str().unwrap(),
            "--listen",
            &format!("127.0.0.1:{port}"),
            "--log-format",
            "json",
        ])
        .env("SYMBOLON_ADMIN_PASSWORD", PASSWORD)
        .env("SYMBOLON_LOG", "trace")
        .stderr(std::fs::File::create(&log).unwrap())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let base = format!("http://127.0.0.1:{port}");
    let deadline = Instant::now() + Duration::from_secs(30);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "node did not start");
        std::thread::sleep(Duration::from_millis(20));
    }
    let client = Node::client();

    // Probes: no login, nothing of what is held.
    let h = client.get(format!("{base}/healthz")).send().unwrap();
    assert_eq!(h.status(), 200);
    let r = client.get(format!("{base}/readyz")).send().unwrap();
    assert_eq!(r.status(), 200);
    let ready: serde_json::Value = r.json().unwrap();
    assert_eq!(
        ready,
        serde_json::json!({"ready": true, "store": "ok", "audit_log": "ok", "policy": "ok"})
    );

    // Some traffic: a write, a read, a lookup of a value, a wrong password.
    let (envelope, _) = indicators(3);
    let posted = post_to(&base, &coll, envelope);
    assert_eq!(posted.status(), 202);
    let request_id = posted
        .headers()
        .get("x-request-id")
        .expect("a request id")
        .to_str()
        .unwrap()
        .to_owned();
    let read: serde_json::Value = client
        .get(format!("{base}/api1/collections/{coll}/objects/"))
        .basic_auth("reader", Some(PASSWORD))
        .header("Accept", TAXII)
        .send()
        .unwrap()
        .json()
        .unwrap();
    assert_eq!(read["objects"].as_array().map(Vec::len), Some(3), "{read}");
    let secret_value = "203.0.113.9";
    let looked = client
        .get(format!("{base}/symbolon/lookup?value={secret_value}"))
        .basic_auth("admin", Some(PASSWORD))
        .send()
        .unwrap();
    assert_eq!(looked.status(), 200);
    let wrong = client
        .get(format!("{base}/taxii2/"))
        .basic_auth("admin", Some("not-the-password-x9"))
        .header("Accept", TAXII)
        .send()
        .unwrap();
    assert_eq!(wrong.status(), 401);

    // The workspace is observed like TAXII: a request id, an access line, metrics by route;
    // a sign-in through its form leaves no password in the log.
    let form = client.get(format!("{base}/ui/login")).send().unwrap();
    assert!(form.headers().get("x-request-id").is_some());
    let session = common::workspace_session(&base);
    // A page read in the session: its access line names the user, as TAXII's do.
    let home = client
        .get(format!("{base}/ui/"))
        .header("Cookie", &session)
        .send()
        .unwrap();
    assert_eq!(home.status(), 200);
    let home_id = home.headers()["x-request-id"].to_str().unwrap().to_owned();

    // Metrics: refused without a login and to a non-administrator.
    assert_eq!(
        client
            .get(format!("{base}/metrics"))
            .send()
            .unwrap()
            .status(),
        401
    );
    let as_reader = client
        .get(format!("{base}/metrics"))
        .basic_auth("reader", Some(PASSWORD))
        .send()
        .unwrap();
    assert_eq!(as_reader.status(), 403);
    let m = client
        .get(format!("{base}/metrics"))
        .basic_auth("admin", Some(PASSWORD))
        .send()
        .unwrap();
    assert_eq!(m.status(), 200);
    let text = m.text().unwrap();
    for needle in [
        "symbolon_http_requests_total{endpoint=\"/{root}/collections/{coll}/objects/\",method=\"POST\",status=\"202\"} 1",
        "symbolon_http_request_duration_seconds_bucket{",
        "symbolon_decisions_total{door=\"taxii\",decision=\"served\",article=\"\"} 3",
        // The workspace's home page counted the collection's three objects.
        "symbolon_decisions_total{door=\"workspace\",decision=\"served\",article=\"\"} 3",
        "symbolon_decisions_total{door=\"lookup\",decision=\"served\",article=\"\"} 3",
        "symbolon_objects_written_total{outcome=\"accepted\",article=\"\"} 3",
        "symbolon_lookup_values_total 1",
        "symbolon_audit_log_size ",
        "symbolon_quarantine_pages 0",
        // The sign-in succeeded (303 to the workspace; a refusal is 401).
        "symbolon_http_requests_total{endpoint=\"/ui/login\",method=\"POST\",status=\"303\"} 1",
        "# EOF",
    ] {
        assert!(text.contains(needle), "metrics lack `{needle}`:\n{text}");
    }
    assert!(!text.contains(secret_value));

    // Stop it and read what it logged.
    let _ = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    let _ = child.wait();
    let logged = std::fs::read_to_string(&log).unwrap();
    let lines: Vec<serde_json::Value> = logged
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect();
    assert!(lines.iter().all(|l| l["timestamp"].is_string()));
    let access: Vec<&serde_json::Value> =
        lines.iter().filter(|l| l["target"] == "access").collect();
    assert!(access.len() >= 8, "{logged}");
    let post_line = access
        .iter()
        .find(|l| l["request_id"] == request_id.as_str())
        .expect("the POST's access line");
    assert_eq!(post_line["status"], 202);
    assert_eq!(post_line["principal"], "admin");
    let home_line = access
        .iter()
        .find(|l| l["request_id"] == home_id.as_str())
        .expect("the workspace page's access line");
    assert_eq!(
        (&home_line["endpoint"], &home_line["principal"]),
        (&serde_json::json!("/ui/"), &serde_json::json!("admin"))
    );
    assert!(
        !logged.contains(&session),
        "the log holds the session token"
    );
    assert!(lines.iter().any(|l| {
        l["target"] == "symbolon"
            && l["message"]
                .as_str()
                .unwrap_or("")
                .contains("serving TAXII")
    }));
    let token = base64::engine::general_purpose::STANDARD.encode(format!("admin:{PASSWORD}"));
    for secret in [
        PASSWORD,
        "not-the-password-x9",
        token.as_str(),
        secret_value,
        "Basic ",
    ] {
        assert!(!logged.contains(secret), "the log holds `{secret}`");
    }
}
