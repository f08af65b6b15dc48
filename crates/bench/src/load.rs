//! Load: many concurrent clients for a fixed time against one serving node, mixing the three
//! kinds of request a national CSIRT's node gets — paged GETs of a collection, POSTs of new
//! objects, single-value lookups — over a collection of `preload` indicators (ten observables
//! each). Every answer must be a success; latency per kind, the node's peak memory, and
//! afterwards every acknowledged POST must be in the collection.
//!
//! All clients run on one event loop (as wrk does): on a machine of two cores a thread per
//! client would measure the client. Each client keeps its own connection.

use crate::client::Envelope;
use crate::lookup::{self, memory_mb, percentile};
use crate::servers::{PASSWORD, USER};
use anyhow::{Context, Result, bail};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

const TAXII: &str = "application/taxii+json;version=2.1";

/// Objects per POST and per GET page: a feed's typical small batches.
const PER_POST: usize = 10;
const PAGE: usize = 100;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    Page,
    Post,
    Lookup,
}

const KINDS: [Kind; 3] = [Kind::Page, Kind::Post, Kind::Lookup];

impl Kind {
    fn label(self) -> &'static str {
        match self {
            Kind::Page => "GET a page of 100 objects (cursor walk)",
            Kind::Post => "POST 10 new indicators (durable before 202)",
            Kind::Lookup => "lookup of one value (half held)",
        }
    }
}

pub struct PerKind {
    pub label: &'static str,
    pub requests: usize,
    pub errors: usize,
    pub p50_ms: f64,
    pub p99_ms: f64,
}

pub struct Measured {
    pub clients: usize,
    pub seconds: f64,
    pub preload: usize,
    pub kinds: Vec<PerKind>,
    /// The first few failures, as said, so a failed run says what failed.
    pub failures: Vec<String>,
    pub peak_rss_mb: f64,
    pub peak_anon_mb: f64,
    pub acknowledged_objects: usize,
    pub stored_after: usize,
}

impl Measured {
    pub fn errors(&self) -> usize {
        self.kinds.iter().map(|k| k.errors).sum()
    }

    /// The Markdown rows of this run.
    pub fn table(&self) -> String {
        let mut t = format!(
            "\n| load: {c} clients for {s:.0} s over {p} indicators (loopback, one client event loop) | requests | errors | p50 | p99 | target |\n|---|---:|---:|---:|---:|---|\n",
            c = self.clients,
            s = self.seconds,
            p = self.preload
        );
        for k in &self.kinds {
            t.push_str(&format!(
                "| {} | {} | {} | {:.1} ms | {:.1} ms | zero errors |\n",
                k.label, k.requests, k.errors, k.p50_ms, k.p99_ms
            ));
        }
        t.push_str(&format!(
            "| serving node's peak memory: resident / its own | {:.0} / {:.0} MB | | | | < 1 GiB |\n\
             | objects acknowledged (202) / found in the collection afterwards, beyond the preload | {} / {} | | | | equal |\n",
            self.peak_rss_mb,
            self.peak_anon_mb,
            self.acknowledged_objects,
            self.stored_after.saturating_sub(self.preload)
        ));
        for f in &self.failures {
            t.push_str(&format!("| failure: {} | | | | | |\n", f.replace('|', "/")));
        }
        t
    }
}

/// One client's view of the run.
#[derive(Default)]
struct Tally {
    latencies: [Vec<f64>; 3],
    errors: [usize; 3],
    failures: Vec<String>,
    acknowledged: usize,
}

impl Tally {
    fn record(&mut self, kind: Kind, started: Instant, outcome: Result<()>) {
        let i = kind as usize;
        self.latencies[i].push(started.elapsed().as_secs_f64() * 1e3);
        if let Err(e) = outcome {
            self.errors[i] += 1;
            if self.failures.len() < 3 {
                self.failures.push(format!("{kind:?}: {e:#}"));
            }
        }
    }
}

/// `PER_POST` new indicators, ids unique to this client and round.
fn envelope(client: usize, round: usize) -> String {
    let objects: Vec<String> = (0..PER_POST)
        .map(|i| {
            format!(
                "{{\"type\":\"indicator\",\"spec_version\":\"2.1\",\"id\":\"indicator--{:08x}-{:04x}-4{:03x}-8{:03x}-{:012x}\",\"created\":\"2026-01-01T00:00:00.000Z\",\"modified\":\"2026-01-01T00:00:00.000Z\",\"name\":\"load {client}/{round}/{i}\",\"pattern\":\"[ipv4-addr:value = '198.51.{}.{}']\",\"pattern_type\":\"stix\",\"valid_from\":\"2026-01-01T00:00:00Z\"}}",
                0x10ad_0000u32 + client as u32,
                round & 0xFFFF,
                (round >> 16) & 0xFFF,
                i,
                (client as u64) << 24 | round as u64,
                client % 256,
                (round * PER_POST + i) % 256
            )
        })
        .collect();
    format!("{{\"objects\":[{}]}}", objects.join(","))
}

async fn one_page(
    http: &reqwest::Client,
    objects_url: &str,
    next: &mut Option<String>,
) -> Result<()> {
    let mut req = http
        .get(objects_url)
        .basic_auth(USER, Some(PASSWORD))
        .header("Accept", TAXII)
        .query(&[("limit", PAGE.to_string())]);
    if let Some(n) = next.as_ref() {
        req = req.query(&[("next", n)]);
    }
    let resp = req.send().await.context("GET objects")?;
    let status = resp.status();
    let body = resp.bytes().await.context("reading a page")?;
    if status.as_u16() != 200 {
        bail!("GET answered {status}: {}", String::from_utf8_lossy(&body));
    }
    let page: Envelope = serde_json::from_slice(&body).context("a page that is not JSON")?;
    *next = if page.more && !page.objects.is_empty() {
        Some(page.next.context("more=true without next")?)
    } else {
        None
    };
    Ok(())
}

async fn one_post(http: &reqwest::Client, objects_url: &str, body: String) -> Result<()> {
    let resp = http
        .post(objects_url)
        .basic_auth(USER, Some(PASSWORD))
        .header("Accept", TAXII)
        .header("Content-Type", TAXII)
        .body(body)
        .send()
        .await
        .context("POST objects")?;
    let status = resp.status();
    let body = resp.bytes().await.context("reading a status")?;
    if status.as_u16() != 202 {
        bail!("POST answered {status}: {}", String::from_utf8_lossy(&body));
    }
    let s: serde_json::Value =
        serde_json::from_slice(&body).context("a status that is not JSON")?;
    if s["success_count"] != PER_POST {
        bail!("POST status without {PER_POST} successes: {s}");
    }
    Ok(())
}

async fn one_lookup(http: &reqwest::Client, lookup_url: &str, value: &str) -> Result<()> {
    let resp = http
        .get(lookup_url)
        .basic_auth(USER, Some(PASSWORD))
        .query(&[("value", value)])
        .send()
        .await
        .context("GET lookup")?;
    let status = resp.status();
    resp.bytes().await.context("reading a lookup")?;
    if !status.is_success() {
        bail!("lookup answered {status}");
    }
    Ok(())
}

async fn client(
    id: usize,
    objects_url: String,
    lookup_url: String,
    held: u64,
    until: Instant,
) -> Result<Tally> {
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(120))
        .pool_max_idle_per_host(1)
        .build()?;
    let mut tally = Tally::default();
    let mut next = None;
    let values = lookup::queries(4096, held, 77 + id as u64);
    let mut round = 0;
    // Clients start at different kinds, so each kind has a third of the clients at any time.
    while Instant::now() < until {
        let kind = KINDS[(id + round) % KINDS.len()];
        let started = Instant::now();
        let outcome = match kind {
            Kind::Page => one_page(&http, &objects_url, &mut next).await,
            Kind::Post => {
                let r = one_post(&http, &objects_url, envelope(id, round)).await;
                if r.is_ok() {
                    tally.acknowledged += PER_POST;
                }
                r
            }
            Kind::Lookup => one_lookup(&http, &lookup_url, &values[round % values.len()]).await,
        };
        tally.record(kind, started, outcome);
        round += 1;
    }
    Ok(tally)
}

pub fn run(
    bin: &Path,
    work: &Path,
    clients: usize,
    seconds: u64,
    preload: usize,
) -> Result<Measured> {
    let dir = work.join("load");
    let coll = crate::servers::node_with_collection(bin, &dir, "load")?;
    let bundle = work.join("load.json");
    {
        let mut f = std::io::BufWriter::new(std::fs::File::create(&bundle)?);
        lookup::write_bundle(&mut f, preload)?;
        std::io::Write::flush(&mut f)?;
    }
    crate::servers::timed_import(bin, &dir, &coll, &bundle)?;
    std::fs::remove_file(&bundle)?;
    let node = crate::servers::symbolon(bin, Some((&dir, &coll)))?;
    let base = node.base()?;
    let objects_url = format!("{}objects/", node.collection_url);
    let lookup_url = format!("{base}/symbolon/lookup");
    let held = (preload * lookup::PER_OBJECT) as u64;
    lookup::first_lookup(&reqwest::blocking::Client::new(), &lookup_url)?;
    eprintln!("load: {clients} clients for {seconds} s over {preload} indicators");

    let pid = node.pid();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let started = Instant::now();
    let until = started + Duration::from_secs(seconds);
    let (tallies, peak) = rt.block_on(async {
        let done = Arc::new(AtomicBool::new(false));
        // The node's memory, sampled four times a second while the load runs.
        let sampler = {
            let done = done.clone();
            tokio::spawn(async move {
                let mut peak = (0.0f64, 0.0f64);
                while !done.load(Ordering::Relaxed) {
                    if let Ok((rss, anon)) = memory_mb(pid) {
                        peak = (peak.0.max(rss), peak.1.max(anon));
                    }
                    tokio::time::sleep(Duration::from_millis(250)).await;
                }
                peak
            })
        };
        let mut tasks = tokio::task::JoinSet::new();
        for id in 0..clients {
            tasks.spawn(client(
                id,
                objects_url.clone(),
                lookup_url.clone(),
                held,
                until,
            ));
        }
        let mut tallies = Vec::with_capacity(clients);
        while let Some(t) = tasks.join_next().await {
            tallies.push(t.context("a client task")??);
        }
        done.store(true, Ordering::Relaxed);
        let peak = sampler.await.context("the memory sampler")?;
        Ok::<_, anyhow::Error>((tallies, peak))
    })?;
    let elapsed = started.elapsed().as_secs_f64();

    let mut kinds = Vec::new();
    for kind in KINDS {
        let i = kind as usize;
        let mut lat: Vec<f64> = tallies
            .iter()
            .flat_map(|t| t.latencies[i].iter().copied())
            .collect();
        lat.sort_by(f64::total_cmp);
        kinds.push(PerKind {
            label: kind.label(),
            requests: lat.len(),
            errors: tallies.iter().map(|t| t.errors[i]).sum(),
            p50_ms: percentile(&lat, 0.5),
            p99_ms: percentile(&lat, 0.99),
        });
    }
    let failures = tallies
        .iter()
        .flat_map(|t| t.failures.iter().cloned())
        .take(5)
        .collect();
    let acknowledged_objects = tallies.iter().map(|t| t.acknowledged).sum();
    let stored_after = crate::client::Client::new(USER, PASSWORD)?
        .scan(&node.collection_url, 1000)
        .context("counting the collection after the load")?;
    Ok(Measured {
        clients,
        seconds: elapsed,
        preload,
        kinds,
        failures,
        peak_rss_mb: peak.0,
        peak_anon_mb: peak.1,
        acknowledged_objects,
        stored_after,
    })
}
