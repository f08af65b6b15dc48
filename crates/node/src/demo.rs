//! `symbolon demo`: the whole system in two minutes. Two parties' nodes (IR and RU under
//! the reference agreement) and a third party's node run on loopback as real processes;
//! RU pulls MITRE ATT&CK for ICS from IR, the third party is refused what RU obtained from
//! IR (Art. 6.2), RU asks IR for consent, the consent travels back, the forward goes
//! through, the third party checks IR's own signature on what it received, and the audit
//! logs show their proofs. Every step is a `symbolon` command a operator could type.

use anyhow::{Context, Result, bail};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The reference agreement, as shipped in `agreements/`.
const AGREEMENT: &str = include_str!("../../../agreements/ir-ru-2021.toml");
const PURPOSE: &str = "incident-response";
const PASSWORD: &str = "demo-admin-password";

struct Demo {
    bin: PathBuf,
    root: PathBuf,
    nodes: Vec<Child>,
}

impl Drop for Demo {
    fn drop(&mut self) {
        for c in &mut self.nodes {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

fn say(step: &str) {
    crate::outln!("\n== {step}");
}

impl Demo {
    fn dir(&self, node: &str) -> PathBuf {
        self.root.join(node)
    }

    /// Runs `symbolon ARGS --data <node>`; its stdout, or an error with its stderr.
    fn run(&self, node: &str, args: &[&str]) -> Result<String> {
        let out = self.run_raw(node, args)?;
        if !out.status.success() {
            bail!(
                "`symbolon {}` on {node} failed: {}",
                args.join(" "),
                String::from_utf8_lossy(&out.stderr)
            );
        }
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    }

    fn run_raw(&self, node: &str, args: &[&str]) -> Result<std::process::Output> {
        Command::new(&self.bin)
            .args(args)
            .arg("--data")
            .arg(self.dir(node))
            .env("SYMBOLON_ADMIN_PASSWORD", PASSWORD)
            .output()
            .with_context(|| format!("running {}", self.bin.display()))
    }

    /// Starts `symbolon serve` for `node`; its base URL.
    fn serve(&mut self, node: &str) -> Result<String> {
        let port = TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
        let child = Command::new(&self.bin)
            .args(["serve", "--sync-every", "0", "--listen"])
            .arg(format!("127.0.0.1:{port}"))
            .arg("--data")
            .arg(self.dir(node))
            .env("SYMBOLON_ADMIN_PASSWORD", PASSWORD)
            .stderr(Stdio::null())
            .spawn()
            .context("starting a node")?;
        self.nodes.push(child);
        let deadline = Instant::now() + Duration::from_secs(30);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            if Instant::now() > deadline {
                bail!("the {node} node did not start");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        Ok(format!("http://127.0.0.1:{port}/"))
    }

    fn key(&self, node: &str) -> Result<String> {
        let who = self.run(node, &["peer", "whoami"])?;
        Ok(who.split('\t').nth(1).context("whoami")?.trim().to_owned())
    }

    fn show(&self, node: &str, args: &[&str]) -> Result<()> {
        let out = self.run_raw(node, args)?;
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        crate::outln!("$ symbolon {} --data {node}", args.join(" "));
        for line in text.lines() {
            crate::outln!("  {line}");
        }
        Ok(())
    }
}

/// The ATT&CK for ICS bundle: `--attack`, else the copy in `../shared/data/attack/`.
fn attack_file(given: Option<&Path>) -> Result<PathBuf> {
    if let Some(p) = given {
        return Ok(p.to_owned());
    }
    let dir = Path::new("../shared/data/attack");
    std::fs::read_dir(dir)
        .ok()
        .into_iter()
        .flatten()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| p.extension().is_some_and(|x| x == "json") && p.to_string_lossy().contains("ics"))
        .context("no ATT&CK for ICS bundle in ../shared/data/attack: give it with --attack FILE")
}

/// Runs the demo in `keep` (or a temporary directory removed afterwards).
pub fn run(attack: Option<&Path>, keep: Option<&Path>) -> Result<()> {
    let attack = attack_file(attack)?;
    let tmp = tempfile::tempdir()?;
    let root = keep.map_or_else(|| tmp.path().to_owned(), Path::to_owned);
    std::fs::create_dir_all(&root)?;
    let mut d = Demo {
        bin: std::env::current_exe()?,
        root,
        nodes: Vec::new(),
    };
    let agreement = d.root.join("ir-ru-2021.toml");
    std::fs::write(&agreement, AGREEMENT)?;
    let agreement = agreement.to_string_lossy().into_owned();

    say("1. Two parties' nodes under the agreement, and a third party's node");
    for node in ["ir", "ru", "partner"] {
        d.run(node, &["init"])?;
    }
    d.run(
        "ir",
        &[
            "agreement",
            "init",
            "--file",
            &agreement,
            "--party",
            "IR",
            "--authority",
            "ir-csirt",
        ],
    )?;
    d.run(
        "ru",
        &[
            "agreement",
            "init",
            "--file",
            &agreement,
            "--party",
            "RU",
            "--authority",
            "ru-csirt",
        ],
    )?;
    d.run("partner", &["peer", "whoami", "--set", "partner-cert"])?;
    let (ir_key, ru_key, x_key) = (d.key("ir")?, d.key("ru")?, d.key("partner")?);
    for node in ["ir", "ru"] {
        for party in ["IR", "RU"] {
            d.run(
                node,
                &[
                    "agreement",
                    "notify",
                    "--kind",
                    "ratification",
                    "--party",
                    party,
                    "--received",
                    "2021-03-01",
                ],
            )?;
        }
        for (party, authority, key) in [("IR", "ir-csirt", &ir_key), ("RU", "ru-csirt", &ru_key)] {
            d.run(
                node,
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
            )?;
        }
    }
    crate::outln!(
        "IR's node is ir-csirt (key {}…), RU's is ru-csirt (key {}…),",
        &ir_key[..16],
        &ru_key[..16]
    );
    crate::outln!(
        "a third party's node is partner-cert (key {}…), outside the agreement.",
        &x_key[..16]
    );
    d.show("ru", &["agreement", "status"])?;

    say("2. IR holds MITRE ATT&CK for ICS and lets RU's node read it");
    d.run(
        "ir",
        &[
            "collection",
            "create",
            "--title",
            "ATT&CK for ICS",
            "--alias",
            "ics",
        ],
    )?;
    d.show(
        "ir",
        &["import", "--collection", "ics", &attack.to_string_lossy()],
    )?;
    let ir = d.serve("ir")?;
    let ru = d.serve("ru")?;
    let x = d.serve("partner")?;
    d.run(
        "ir",
        &[
            "peer",
            "add",
            "ru-csirt",
            "--url",
            &ru,
            "--purpose",
            PURPOSE,
        ],
    )?;
    d.run(
        "ir",
        &["user", "grant", "ru-csirt", "--collection", "ics", "--read"],
    )?;
    d.run(
        "ru",
        &[
            "peer",
            "add",
            "ir-csirt",
            "--url",
            &ir,
            "--purpose",
            PURPOSE,
        ],
    )?;
    d.run(
        "ru",
        &[
            "peer",
            "add",
            "partner-cert",
            "--url",
            &x,
            "--key",
            &x_key,
            "--third-party",
            "--purpose",
            PURPOSE,
        ],
    )?;
    d.run(
        "partner",
        &["peer", "add", "ru-csirt", "--url", &ru, "--key", &ru_key],
    )?;

    say(
        "3. RU pulls from IR: signed requests, every page sealed by IR and verified, logs witnessed",
    );
    d.show("ru", &["sync"])?;
    let pulled = "ir-csirt.ics";
    d.run(
        "ru",
        &[
            "user",
            "grant",
            "partner-cert",
            "--collection",
            pulled,
            "--read",
        ],
    )?;

    say("4. The third party pulls from RU: what RU obtained from IR stays home (Art. 6.2)");
    d.show("partner", &["sync"])?;
    // The serving node records access decisions by group commit (within ~20 ms).
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let head: serde_json::Value = serde_json::from_str(&d.run("ru", &["audit", "head"])?)?;
        let size = head["size"].as_u64().unwrap_or(0);
        let refusal = last_entry(&d, "ru", size, |e| {
            e["principal"] == "partner-cert" && e["endpoint"] == "objects"
        })?;
        if let Some(r) = refusal {
            crate::outln!("RU's audit log holds the decision: {r}");
            break;
        }
        if Instant::now() > deadline {
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }

    say(
        "5. RU asks IR for consent; the request travels to IR, IR grants, the consent travels back",
    );
    let ask = d.run(
        "ru",
        &[
            "consent",
            "request",
            "--originator",
            "ir-csirt",
            "--recipient",
            "partner-cert",
            "--purpose",
            PURPOSE,
            "--collection",
            pulled,
            "--expires",
            "2099-12-31",
        ],
    )?;
    d.show("ir", &["sync"])?;
    let ask_file = d.root.join("consent-request.json");
    std::fs::write(&ask_file, ask)?;
    d.run("ir", &["consent", "grant", &ask_file.to_string_lossy()])?;
    crate::outln!("IR's operator granted it (signed with IR's key).");
    d.show("ru", &["sync"])?;
    d.show("ru", &["consent", "list"])?;

    say("6. The forward is allowed now");
    d.show("partner", &["sync"])?;

    say("7. The third party checks IR's own signature on an object RU forwarded");
    let collections = d.run("ru", &["collection", "list"])?;
    let ru_coll = collections
        .lines()
        .find(|l| l.contains(pulled))
        .and_then(|l| l.split('\t').next())
        .context("RU's pulled collection")?
        .to_owned();
    let sample = sample_object(&d, "partner")?;
    let out = d.run_raw(
        "partner",
        &[
            "provenance",
            "--from",
            "ru-csirt",
            "--collection",
            &ru_coll,
            "--object",
            &sample,
        ],
    )?;
    crate::outln!("$ symbolon provenance --from ru-csirt --collection {ru_coll} --object {sample}");
    crate::outln!("  {}", String::from_utf8_lossy(&out.stderr).trim());

    say("8. Audit proofs: every node's log verifies, each party witnessed the other's");
    for node in ["ir", "ru", "partner"] {
        d.show(node, &["audit", "verify"])?;
    }
    d.show("ru", &["peer", "list"])?;
    d.show("ir", &["audit", "head"])?;
    let head: serde_json::Value = serde_json::from_str(&d.run("ir", &["audit", "head"])?)?;
    let size = head["size"].as_u64().unwrap_or(1);
    if let Some(i) = index_of(&d, "ir", size, |e| {
        e["event"] == "ledger_record" && e["kind"] == "consent"
    })? {
        crate::outln!("IR's consent in its log, with its inclusion proof:");
        d.show("ir", &["audit", "prove", "--entry", &i.to_string()])?;
    }
    crate::outln!(
        "\nDone: the nodes stop now. (`symbolon demo --keep DIR` keeps their data directories.)"
    );
    Ok(())
}

fn entry(d: &Demo, node: &str, i: u64) -> Result<serde_json::Value> {
    let e: serde_json::Value =
        serde_json::from_str(&d.run(node, &["audit", "prove", "--entry", &i.to_string()])?)?;
    Ok(serde_json::from_str(
        e["entry_text"].as_str().unwrap_or("{}"),
    )?)
}

/// The newest audit entry of `node` that `want` picks, with its text.
fn last_entry(
    d: &Demo,
    node: &str,
    size: u64,
    want: impl Fn(&serde_json::Value) -> bool,
) -> Result<Option<String>> {
    for i in (0..size).rev() {
        let e = entry(d, node, i)?;
        if want(&e) {
            return Ok(Some(e.to_string()));
        }
    }
    Ok(None)
}

fn index_of(
    d: &Demo,
    node: &str,
    size: u64,
    want: impl Fn(&serde_json::Value) -> bool,
) -> Result<Option<u64>> {
    for i in (0..size).rev() {
        if want(&entry(d, node, i)?) {
            return Ok(Some(i));
        }
    }
    Ok(None)
}

/// One attack-pattern the third party received.
fn sample_object(d: &Demo, node: &str) -> Result<String> {
    let list = d.run(node, &["collection", "list"])?;
    // Under the header line.
    let coll = list
        .lines()
        .nth(1)
        .filter(|l| *l != "none")
        .and_then(|l| l.split('\t').next())
        .context("the third party holds no collection")?
        .to_owned();
    let bundle: serde_json::Value =
        serde_json::from_str(&d.run(node, &["export", "--collection", &coll])?)?;
    bundle["objects"]
        .as_array()
        .and_then(|o| {
            o.iter()
                .find(|o| o["type"] == "attack-pattern")
                .or_else(|| o.first())
        })
        .and_then(|o| o["id"].as_str())
        .map(str::to_owned)
        .context("the third party received no object")
}
