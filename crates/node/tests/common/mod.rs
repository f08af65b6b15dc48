//! Starting real `symbolon` processes for tests.

#![allow(dead_code)]

pub mod proxy;

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub const BIN: &str = env!("CARGO_BIN_EXE_symbolon");
pub const PASSWORD: &str = "test-admin-pass";
pub const TAXII: &str = "application/taxii+json;version=2.1";

/// A temporary directory holding a new node (`symbolon init`; the administrator's
/// password is [`PASSWORD`]).
pub fn fresh() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let out = cli(dir.path(), &["init"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    dir
}

pub fn cli(data: &Path, args: &[&str]) -> std::process::Output {
    let mut all: Vec<&str> = args.to_vec();
    all.extend(["--data", data.to_str().unwrap()]);
    Command::new(BIN)
        .args(&all)
        .env("SYMBOLON_ADMIN_PASSWORD", PASSWORD)
        .output()
        .expect("run symbolon")
}

/// Runs the CLI with `stdin` as its standard input (e.g. `--password-stdin`).
pub fn cli_with_stdin(data: &Path, args: &[&str], stdin: &str) -> std::process::Output {
    use std::io::Write;
    let mut all: Vec<&str> = args.to_vec();
    all.extend(["--data", data.to_str().unwrap()]);
    let mut child = Command::new(BIN)
        .args(&all)
        .env("SYMBOLON_ADMIN_PASSWORD", PASSWORD)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run symbolon");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

pub fn create_collection(data: &Path, alias: &str) -> String {
    let out = cli(
        data,
        &["collection", "create", "--title", alias, "--alias", alias],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap().trim().to_owned()
}

pub struct Node {
    pub child: Child,
    pub base: String,
    pub data: PathBuf,
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

impl Node {
    pub fn start(data: &Path) -> Node {
        Node::start_with(data, &[])
    }

    /// Starts `symbolon serve` with extra arguments (e.g. `--sync-every`).
    pub fn start_with(data: &Path, extra: &[&str]) -> Node {
        Node::start_on(data, &format!("127.0.0.1:{}", free_port()), extra)
    }

    /// Starts `symbolon serve` on `listen` (`127.0.0.1:port`), e.g. to restart a node
    /// where its peers expect it.
    pub fn start_on(data: &Path, listen: &str, extra: &[&str]) -> Node {
        let port: u16 = listen.rsplit(':').next().unwrap().parse().unwrap();
        let mut args = vec![
            "serve",
            "--data",
            data.to_str().unwrap(),
            "--listen",
            listen,
        ];
        args.extend_from_slice(extra);
        let child = Command::new(BIN)
            .args(&args)
            .env("SYMBOLON_ADMIN_PASSWORD", PASSWORD)
            // SYMBOLON_TEST_NODE_LOG=1 shows the nodes' own logs (with SYMBOLON_LOG=debug,
            // their debug output) when a process-level test needs looking into.
            .stderr(if std::env::var_os("SYMBOLON_TEST_NODE_LOG").is_some() {
                Stdio::inherit()
            } else {
                Stdio::null()
            })
            .spawn()
            .expect("start symbolon serve");
        let node = Node {
            child,
            base: format!("http://127.0.0.1:{port}"),
            data: data.to_owned(),
        };
        let deadline = Instant::now() + Duration::from_secs(30);
        while Instant::now() < deadline {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return node;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("node did not start");
    }

    /// `127.0.0.1:port`.
    pub fn addr(&self) -> &str {
        self.base.trim_start_matches("http://")
    }

    /// SIGKILL: no shutdown code runs.
    pub fn kill(mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }

    pub fn client() -> reqwest::blocking::Client {
        reqwest::blocking::Client::builder()
            .timeout(Duration::from_secs(120))
            .build()
            .unwrap()
    }

    pub fn post(&self, coll: &str, body: String) -> reqwest::blocking::Response {
        post_to(&self.base, coll, body)
    }

    /// Every object id in the collection (all versions), paging with `next`.
    pub fn all_ids(&self, coll: &str) -> Vec<String> {
        let mut ids = Vec::new();
        let mut next: Option<String> = None;
        loop {
            let mut url = format!(
                "{}/api1/collections/{coll}/manifest/?match[version]=all&limit=10000",
                self.base
            );
            if let Some(n) = &next {
                url.push_str(&format!("&next={n}"));
            }
            let body: serde_json::Value = Self::client()
                .get(url)
                .basic_auth("admin", Some(PASSWORD))
                .header("Accept", TAXII)
                .send()
                .unwrap()
                .json()
                .unwrap();
            for o in body["objects"].as_array().cloned().unwrap_or_default() {
                ids.push(o["id"].as_str().unwrap().to_owned());
            }
            if body["more"] != true {
                return ids;
            }
            next = Some(body["next"].as_str().unwrap().to_owned());
        }
    }
}

/// POSTs `body` as the administrator to collection `coll` of the node at `base`.
pub fn post_to(base: &str, coll: &str, body: String) -> reqwest::blocking::Response {
    Node::client()
        .post(format!("{base}/api1/collections/{coll}/objects/"))
        .basic_auth("admin", Some(PASSWORD))
        .header("Accept", TAXII)
        .header("Content-Type", TAXII)
        .body(body)
        .send()
        .unwrap()
}

impl Drop for Node {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An envelope of `n` fresh indicators; returns it with their ids.
pub fn indicators(n: usize) -> (String, Vec<String>) {
    let ids: Vec<String> = (0..n)
        .map(|_| format!("indicator--{}", uuid::Uuid::new_v4()))
        .collect();
    let objects: Vec<String> = ids
        .iter()
        .map(|id| {
            format!(
                r#"{{"type":"indicator","spec_version":"2.1","id":"{id}","created":"2024-01-01T00:00:00.000Z","modified":"2024-01-01T00:00:00.000Z","pattern":"[ipv4-addr:value = '203.0.113.9']","pattern_type":"stix","valid_from":"2024-01-01T00:00:00Z"}}"#
            )
        })
        .collect();
    (format!(r#"{{"objects":[{}]}}"#, objects.join(",")), ids)
}

/// The reference agreement shipped in `agreements/`.
pub const REFERENCE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../agreements/ir-ru-2021.toml"
);

/// The command's stdout; fails the test with its stderr unless it succeeded.
pub fn ok(out: std::process::Output) -> String {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// `agreement init`: the node in `dir` becomes `authority` of `party` under the agreement file.
pub fn join(dir: &Path, file: &str, party: &str, authority: &str) {
    ok(cli(
        dir,
        &[
            "agreement",
            "init",
            "--file",
            file,
            "--party",
            party,
            "--authority",
            authority,
        ],
    ));
}

/// `agreement notify`: records a notification of `kind` from `party`, received on `received`.
pub fn notify(dir: &Path, kind: &str, party: &str, received: &str) -> String {
    ok(cli(
        dir,
        &[
            "agreement",
            "notify",
            "--kind",
            kind,
            "--party",
            party,
            "--received",
            received,
        ],
    ))
}

/// Imports `objects` (JSON texts) as one envelope, with extra `import` arguments.
pub fn import(dir: &Path, coll: &str, objects: &[String], extra: &[&str]) -> std::process::Output {
    let file = dir.join(format!("in-{}.json", uuid::Uuid::new_v4()));
    std::fs::write(&file, format!(r#"{{"objects":[{}]}}"#, objects.join(","))).unwrap();
    let mut args = vec!["import", "--collection", coll, file.to_str().unwrap()];
    args.extend_from_slice(extra);
    cli(dir, &args)
}

pub fn user(dir: &Path, name: &str, args: &[&str], coll: &str) {
    let mut all = vec!["user", "add", name, "--password-stdin"];
    all.extend_from_slice(args);
    ok(cli_with_stdin(dir, &all, &format!("{PASSWORD}\n")));
    ok(cli(
        dir,
        &["user", "grant", name, "--collection", coll, "--read"],
    ));
}

/// Ids a user is served, or the HTTP status and error description of a refusal.
/// A TAXII GET of `path` under the default API root as `who`, declaring `purpose`.
pub fn taxii_get(
    node: &Node,
    path: &str,
    who: &str,
    purpose: Option<&str>,
) -> reqwest::blocking::Response {
    let mut req = Node::client()
        .get(format!("{}/api1/{path}", node.base))
        .basic_auth(who, Some(PASSWORD))
        .header("Accept", TAXII);
    if let Some(p) = purpose {
        req = req.header("X-Symbolon-Purpose", p);
    }
    req.send().unwrap()
}

pub fn served(
    node: &Node,
    coll: &str,
    who: &str,
    purpose: Option<&str>,
) -> Result<Vec<String>, (u16, String)> {
    let resp = taxii_get(node, &format!("collections/{coll}/objects/"), who, purpose);
    let status = resp.status().as_u16();
    let body: serde_json::Value = resp.json().unwrap();
    if status != 200 {
        return Err((
            status,
            body["description"].as_str().unwrap_or("").to_owned(),
        ));
    }
    let mut ids: Vec<String> = body["objects"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|o| o["id"].as_str().unwrap().to_owned())
        .collect();
    ids.sort();
    Ok(ids)
}

/// The audit entries of `dir` (their text), once the log holds at least `at_least`.
pub fn audit_entries(dir: &Path, at_least: u64) -> Vec<serde_json::Value> {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let head: serde_json::Value =
            serde_json::from_str(&ok(cli(dir, &["audit", "head"]))).unwrap();
        let size = head["size"].as_u64().unwrap();
        if size >= at_least || std::time::Instant::now() > deadline {
            return (0..size)
                .map(|i| {
                    let e: serde_json::Value = serde_json::from_str(&ok(cli(
                        dir,
                        &["audit", "prove", "--entry", &i.to_string()],
                    )))
                    .unwrap();
                    serde_json::from_str(e["entry_text"].as_str().unwrap()).unwrap()
                })
                .collect();
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

/// Joins the reference agreement as `authority` of `party`; returns the node key.
pub fn member(dir: &Path, party: &str, authority: &str) -> String {
    join(dir, REFERENCE, party, authority);
    for p in ["IR", "RU"] {
        notify(dir, "ratification", p, "2021-03-01");
    }
    let head = ok(cli(dir, &["audit", "head"]));
    let v: serde_json::Value = serde_json::from_str(&head).unwrap();
    v["public_key"].as_str().unwrap().to_owned()
}

/// Records on `dir` that `party` designated `authority` with `key`.
pub fn designate(dir: &Path, party: &str, authority: &str, key: &str) {
    ok(cli(
        dir,
        &[
            "agreement",
            "notify",
            "--kind",
            "designation",
            "--party",
            party,
            "--received",
            "2021-04-01",
            "--authority-id",
            authority,
            "--authority-name",
            authority,
            "--public-key",
            key,
        ],
    ));
}

/// A workspace session for the administrator (`symbolon_session=…`, as a `Cookie` header
/// value), signed in through the form as a browser does.
pub fn workspace_session(base: &str) -> String {
    let client = reqwest::blocking::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let form = client.get(format!("{base}/ui/login")).send().unwrap();
    let login_cookie = cookie(&form, "symbolon_login").expect("the sign-in form sets its cookie");
    let html = form.text().unwrap();
    let token = html
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap()
        .to_owned();
    let signed_in = client
        .post(format!("{base}/ui/login"))
        .header("cookie", login_cookie)
        .form(&[
            ("username", "admin"),
            ("password", PASSWORD),
            ("csrf", token.as_str()),
        ])
        .send()
        .unwrap();
    assert_eq!(signed_in.status(), 303);
    cookie(&signed_in, "symbolon_session").expect("signing in sets the session cookie")
}

/// The cookie `name` an answer sets, as `name=value`.
fn cookie(answer: &reqwest::blocking::Response, name: &str) -> Option<String> {
    answer
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.strip_prefix(name).is_some_and(|r| r.starts_with('=')))
        .and_then(|c| c.split(';').next())
        .map(str::to_owned)
}

/// IR's node (`ir-csirt`) and RU's (`ru-csirt`), each a member of the reference agreement
/// with both authorities designated, IR holding a collection `incidents`; with each node's
/// key.
pub fn two_parties() -> (tempfile::TempDir, tempfile::TempDir, String, String) {
    let (ir, ru) = (fresh(), fresh());
    let ir_key = member(ir.path(), "IR", "ir-csirt");
    let ru_key = member(ru.path(), "RU", "ru-csirt");
    for (dir, party, authority, key) in [
        (ir.path(), "RU", "ru-csirt", &ru_key),
        (ru.path(), "IR", "ir-csirt", &ir_key),
        (ir.path(), "IR", "ir-csirt", &ir_key),
        (ru.path(), "RU", "ru-csirt", &ru_key),
    ] {
        designate(dir, party, authority, key);
    }
    create_collection(ir.path(), "incidents");
    (ir, ru, ir_key, ru_key)
}

/// The node in `dir` asks IR's authority for consent to give `scope` (`--collection C` or
/// `--object ID`...) to its third party `partner` for incident response until 2099: the
/// signed request, as printed.
pub fn ask_ir_consent(dir: &Path, scope: &[&str]) -> String {
    let mut args = vec![
        "consent",
        "request",
        "--originator",
        "ir-csirt",
        "--recipient",
        "partner",
        "--purpose",
        "incident-response",
        "--expires",
        "2099-12-31",
    ];
    args.extend_from_slice(scope);
    ok(cli(dir, &args))
}

/// Registers `id` at `url` as a peer of the node in `dir` (its key from the designation),
/// bound to the incident-response purpose.
pub fn add_peer(dir: &Path, id: &str, url: &str) {
    ok(cli(
        dir,
        &[
            "peer",
            "add",
            id,
            "--url",
            url,
            "--purpose",
            "incident-response",
        ],
    ));
}
