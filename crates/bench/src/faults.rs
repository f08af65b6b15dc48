//! Faults: the node (or the CLI) is killed with SIGKILL at random points while it imports a
//! bundle, answers POSTs and pulls a peer's collection; after each kill the data directory
//! must verify (`symbolon audit verify`: the log is consistent and covers the store), every
//! acknowledged object must be there (a 202, an import or a sync that exited 0) and every
//! stored object must be exactly one that was sent (nothing half-written).
//!
//! The kill points are uniform over each operation's measured duration (a seeded generator,
//! so a failing point can be found again with the same `--seed`).

use crate::client::Client;
use crate::servers::{self, PASSWORD, USER, symbolon_cli};
use crate::synth::Rng;
use anyhow::{Context, Result, bail, ensure};
use serde_json::Value;
use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Objects per POST in the POST runs, and per bundle in the import runs.
const PER_POST: usize = 100;
const PER_IMPORT: usize = 20_000;
/// Objects added to the peer's collection before each sync point.
const PER_SYNC: usize = 3_000;

/// What one kind of operation went through.
#[derive(Default)]
pub struct Outcome {
    pub kills: usize,
    /// Operations that completed (acknowledged) before their kill landed.
    pub completed_first: usize,
    pub acknowledged: usize,
    pub checked: usize,
}

pub struct Measured {
    pub seed: u64,
    pub post: Outcome,
    pub import: Outcome,
    pub sync: Outcome,
    pub recover_ms_median: f64,
}

impl Measured {
    pub fn table(&self) -> String {
        let mut t = format!(
            "\n| faults: SIGKILL at random points (seed {}) | kills | completed before the kill | objects acknowledged | stored objects checked | lost | corrupt | log covers the store |\n|---|---:|---:|---:|---:|---:|---:|---|\n",
            self.seed
        );
        for (what, o) in [
            ("the node answering POSTs of 100 objects", &self.post),
            ("`symbolon import` of 20,000 objects", &self.import),
            ("`symbolon sync` pulling from a peer", &self.sync),
        ] {
            t.push_str(&format!(
                "| {what} | {} | {} | {} | {} | 0 | 0 | after every kill |\n",
                o.kills, o.completed_first, o.acknowledged, o.checked
            ));
        }
        t.push_str(&format!(
            "| node restart after a kill, to its first answer (median) | {:.0} ms | | | | | | |\n",
            self.recover_ms_median
        ));
        t
    }
}

/// `symbolon audit verify` on a directory nothing runs on: it must exit 0.
fn verify(bin: &Path, dir: &Path, after: &str) -> Result<()> {
    symbolon_cli(bin, dir, &["audit", "verify"]).with_context(|| format!("after {after}"))?;
    Ok(())
}

/// The window the kill points are spread over: a fifth more than the operation took
/// unkilled, so that some operations finish first.
fn window_ms(took: Duration) -> u64 {
    (took.as_millis() as u64).max(1) * 12 / 10
}

/// Runs `symbolon ARGS --data DIR` and SIGKILLs it at a point of `window_ms` drawn from
/// `rng`; what it had said and how it ended.
fn killed_at(
    bin: &Path,
    dir: &Path,
    args: &[&str],
    rng: &mut Rng,
    window_ms: u64,
) -> Result<std::process::Output> {
    let mut child = Command::new(bin)
        .args(args)
        .arg("--data")
        .arg(dir)
        .env("SYMBOLON_ADMIN_PASSWORD", PASSWORD)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()?;
    std::thread::sleep(Duration::from_millis(rng.next() % window_ms));
    let _ = child.kill();
    Ok(child.wait_with_output()?)
}

/// Every acknowledged id is stored, and every stored object is one of `sent` unchanged.
fn check(
    stored: &[Value],
    sent: &HashMap<String, Value>,
    acknowledged: &[String],
    after: &str,
) -> Result<usize> {
    let mut by_id = HashSet::with_capacity(stored.len());
    for o in stored {
        let id = o["id"].as_str().context("a stored object without an id")?;
        let Some(original) = sent.get(id) else {
            bail!("after {after}: {id} is stored but was never sent");
        };
        ensure!(
            o == original,
            "after {after}: {id} is stored changed:\n{o}\nsent:\n{original}"
        );
        by_id.insert(id);
    }
    let lost: Vec<&String> = acknowledged
        .iter()
        .filter(|id| !by_id.contains(id.as_str()))
        .collect();
    ensure!(
        lost.is_empty(),
        "after {after}: {} acknowledged objects lost, e.g. {}",
        lost.len(),
        lost[0]
    );
    Ok(stored.len())
}

/// Starts the node on `dir` and waits for its first TAXII answer; the time that took.
fn restart(bin: &Path, dir: &Path, coll: &str) -> Result<(servers::Running, f64)> {
    let started = Instant::now();
    let node = servers::symbolon(bin, Some((dir, coll)))?;
    let client = Client::new(USER, PASSWORD)?;
    // The listener is up; the first answer proves the store and log opened.
    client
        .first(&node.collection_url)
        .context("the first answer after a restart")?;
    Ok((node, started.elapsed().as_secs_f64() * 1e3))
}

/// Generated objects with their ids, as sent.
type Objects = Vec<(String, Value)>;

/// The objects as one TAXII envelope, to POST.
fn envelope(objects: &Objects) -> String {
    let list: Vec<&Value> = objects.iter().map(|(_, o)| o).collect();
    serde_json::json!({ "objects": list }).to_string()
}

/// `n` generated indicators, parsed, keyed by id; and the bundle's text.
fn generated(n: usize, seed: u64) -> Result<(String, Objects)> {
    let mut text = Vec::new();
    crate::synth::write_bundle(&mut text, n, seed)?;
    let text = String::from_utf8(text)?;
    let bundle: Value = serde_json::from_str(&text)?;
    let objects = bundle["objects"]
        .as_array()
        .context("bundle objects")?
        .iter()
        .map(|o| (o["id"].as_str().unwrap_or_default().to_owned(), o.clone()))
        .collect();
    Ok((text, objects))
}

fn post_runs(
    bin: &Path,
    work: &Path,
    kills: usize,
    rng: &mut Rng,
    recover: &mut Vec<f64>,
) -> Result<Outcome> {
    let dir = work.join("post");
    let coll = servers::node_with_collection(bin, &dir, "posted")?;
    let mut sent: HashMap<String, Value> = HashMap::new();
    let mut acknowledged: Vec<String> = Vec::new();
    let mut outcome = Outcome::default();
    let (mut node, _) = restart(bin, &dir, &coll)?;
    // Each point posts 40 requests; the first set, unkilled, tells how long that takes.
    let batches = |round: u64| -> Result<Vec<(String, Objects)>> {
        (0..40)
            .map(|b| {
                let (_, objects) = generated(PER_POST, round << 16 | b)?;
                Ok((envelope(&objects), objects))
            })
            .collect()
    };
    let started = Instant::now();
    let client = Client::new(USER, PASSWORD)?;
    for (body, objects) in batches(0xFFFF)? {
        client.post(&node.collection_url, body)?;
        acknowledged.extend(objects.iter().map(|(id, _)| id.clone()));
        sent.extend(objects);
    }
    let window_ms = window_ms(started.elapsed());
    for k in 0..kills {
        let batches = batches(k as u64)?;
        for (_, objects) in &batches {
            sent.extend(objects.iter().cloned());
        }
        let acked = Arc::new(Mutex::new(Vec::<String>::new()));
        let poster = {
            let url = node.collection_url.clone();
            let acked = acked.clone();
            std::thread::spawn(move || -> usize {
                let Ok(client) = Client::new(USER, PASSWORD) else {
                    return 0;
                };
                let mut done = 0;
                for (body, objects) in batches {
                    if client.post(&url, body).is_err() {
                        break;
                    }
                    if let Ok(mut a) = acked.lock() {
                        a.extend(objects.into_iter().map(|(id, _)| id));
                    }
                    done += 1;
                }
                done
            })
        };
        std::thread::sleep(Duration::from_millis(rng.next() % window_ms));
        drop(node); // SIGKILL
        let done = poster
            .join()
            .map_err(|_| anyhow::anyhow!("the posting thread panicked"))?;
        outcome.kills += 1;
        if done == 40 {
            outcome.completed_first += 1;
        }
        acknowledged.extend(
            acked
                .lock()
                .map_err(|_| anyhow::anyhow!("poisoned"))?
                .drain(..),
        );
        let after = format!("POST kill {k}");
        verify(bin, &dir, &after)?;
        let (n, ms) = restart(bin, &dir, &coll)?;
        recover.push(ms);
        node = n;
        let stored = Client::new(USER, PASSWORD)?.objects(&node.collection_url)?;
        outcome.checked += check(&stored, &sent, &acknowledged, &after)?;
    }
    outcome.acknowledged = acknowledged.len();
    Ok(outcome)
}

fn import_runs(bin: &Path, work: &Path, kills: usize, rng: &mut Rng) -> Result<Outcome> {
    let dir = work.join("import");
    let coll = servers::node_with_collection(bin, &dir, "imported")?;
    let mut sent: HashMap<String, Value> = HashMap::new();
    let mut acknowledged: Vec<String> = Vec::new();
    let mut outcome = Outcome::default();
    let file = work.join("import.json");
    // One import unkilled, to know how long one takes.
    let (text, objects) = generated(PER_IMPORT, 0xF00D)?;
    std::fs::write(&file, text)?;
    let took = servers::timed_import(bin, &dir, &coll, &file)?;
    sent.extend(objects.iter().cloned());
    acknowledged.extend(objects.into_iter().map(|(id, _)| id));
    let window_ms = window_ms(Duration::from_secs_f64(took));
    let path = file.to_str().context("a work path that is not UTF-8")?;
    for k in 0..kills {
        let (text, objects) = generated(PER_IMPORT, 0x1000 + k as u64)?;
        std::fs::write(&file, text)?;
        sent.extend(objects.iter().cloned());
        let out = killed_at(
            bin,
            &dir,
            &["import", "--collection", &coll, path],
            rng,
            window_ms,
        )?;
        outcome.kills += 1;
        if out.status.success() {
            outcome.completed_first += 1;
            acknowledged.extend(objects.into_iter().map(|(id, _)| id));
        } else if out.status.code().is_some() {
            bail!(
                "import {k} failed by itself ({}) before its kill: {}",
                out.status,
                String::from_utf8_lossy(&out.stderr)
            );
        }
        let after = format!("import kill {k}");
        verify(bin, &dir, &after)?;
        // Checked every tenth kill and after the last: a full read of a growing collection.
        if k % 10 == 9 || k + 1 == kills {
            let (node, _) = restart(bin, &dir, &coll)?;
            let stored = Client::new(USER, PASSWORD)?.objects(&node.collection_url)?;
            outcome.checked += check(&stored, &sent, &acknowledged, &after)?;
        }
    }
    outcome.acknowledged = acknowledged.len();
    Ok(outcome)
}

fn sync_runs(
    bin: &Path,
    work: &Path,
    agreement: &Path,
    kills: usize,
    rng: &mut Rng,
) -> Result<Outcome> {
    let ir_dir = work.join("ir");
    let coll = servers::node_with_collection(bin, &ir_dir, "shared")?;
    crate::agreement::peer_user(bin, &ir_dir, &coll, agreement)?;
    let ru_dir = work.join("ru");
    crate::federation::prepare(bin, &ir_dir, &coll, agreement, &ru_dir)?;
    let ir = servers::symbolon(bin, Some((&ir_dir, &coll)))?;
    symbolon_cli(
        bin,
        &ru_dir,
        &[
            "peer",
            "add",
            "ir-csirt",
            "--url",
            &ir.base()?,
            "--purpose",
            "incident-response",
        ],
    )?;
    let admin = Client::new(USER, PASSWORD)?;
    let mut sent: HashMap<String, Value> = HashMap::new();
    let mut outcome = Outcome::default();
    let add = |round: u64, sent: &mut HashMap<String, Value>| -> Result<()> {
        let (_, objects) = generated(PER_SYNC, 0x5_0000 + round)?;
        admin.post(&ir.collection_url, envelope(&objects))?;
        sent.extend(objects);
        Ok(())
    };
    // One sync unkilled, to know how long one takes.
    add(0, &mut sent)?;
    let started = Instant::now();
    symbolon_cli(bin, &ru_dir, &["sync"])?;
    let window_ms = window_ms(started.elapsed());
    let mut acknowledged: Vec<String> = sent.keys().cloned().collect();
    let listed = symbolon_cli(bin, &ru_dir, &["collection", "list"])?;
    let ru_coll = listed
        .lines()
        .nth(1)
        .and_then(|l| l.split('\t').next())
        .context("RU holds no pulled collection after a sync")?
        .to_owned();
    let ru_holds = |sent: &HashMap<String, Value>, acknowledged: &[String], after: &str| {
        let ru = servers::symbolon(bin, Some((&ru_dir, &ru_coll)))?;
        let stored = Client::new(USER, PASSWORD)?.objects(&ru.collection_url)?;
        check(&stored, sent, acknowledged, after)
    };
    for k in 0..kills {
        add(1 + k as u64, &mut sent)?;
        let held_before: Vec<String> = sent.keys().cloned().collect();
        let out = killed_at(bin, &ru_dir, &["sync"], rng, window_ms)?;
        outcome.kills += 1;
        if out.status.success() {
            outcome.completed_first += 1;
            acknowledged = held_before;
        } else if out.status.code().is_some() {
            bail!(
                "sync {k} failed by itself ({}) before its kill: {}",
                out.status,
                String::from_utf8_lossy(&out.stderr)
            );
        }
        let after = format!("sync kill {k}");
        verify(bin, &ru_dir, &after)?;
        // Checked every fifth kill: a full read of RU's growing copy.
        if k % 5 == 4 {
            outcome.checked += ru_holds(&sent, &acknowledged, &after)?;
        }
    }
    // After the last kill, a sync left to finish must bring everything, and RU's copy must
    // be IR's objects unchanged.
    symbolon_cli(bin, &ru_dir, &["sync"])
        .context("a sync after the kills (the peer may have halted on a rewritten log)")?;
    verify(bin, &ru_dir, "the final sync")?;
    acknowledged = sent.keys().cloned().collect();
    outcome.checked += ru_holds(&sent, &acknowledged, "the final sync")?;
    outcome.acknowledged = acknowledged.len();
    Ok(outcome)
}

pub fn run(
    bin: &Path,
    work: &Path,
    agreement: &Path,
    points: usize,
    seed: u64,
) -> Result<Measured> {
    let mut rng = Rng(seed | 1);
    // The 100 points: 40 while POSTing, 30 while importing, 30 while syncing.
    let (post_n, import_n) = (points * 2 / 5, points * 3 / 10);
    let sync_n = points - post_n - import_n;
    let mut recover = Vec::new();
    let post = post_runs(bin, work, post_n, &mut rng, &mut recover)?;
    eprintln!(
        "faults: {} POST kills, {} objects acknowledged, none lost",
        post.kills, post.acknowledged
    );
    let import = import_runs(bin, work, import_n, &mut rng)?;
    eprintln!(
        "faults: {} import kills, {} objects acknowledged, none lost",
        import.kills, import.acknowledged
    );
    let sync = sync_runs(bin, work, agreement, sync_n, &mut rng)?;
    eprintln!(
        "faults: {} sync kills, {} objects pulled in the end",
        sync.kills, sync.acknowledged
    );
    recover.sort_by(f64::total_cmp);
    Ok(Measured {
        seed,
        post,
        import,
        sync,
        recover_ms_median: crate::lookup::percentile(&recover, 0.5),
    })
}
