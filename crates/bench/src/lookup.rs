//! Correlation at scale: a node holding `objects` indicators that name ten values each
//! (five addresses, two domains, a URL, a SHA-256 and an e-mail address) — 10M observables
//! at the default million — imported through the CLI; then lookups in process (through
//! `Core::lookup`, decided and audited like any lookup), over HTTP from one client and from
//! fifty, and in one bulk request of 10,000 values; with the index's size and the serving
//! node's memory.

use crate::Sample;
use crate::servers::{PASSWORD, USER};
use anyhow::{Context, Result, bail};
use std::io::Write;
use std::path::Path;
use std::time::{Duration, Instant};

/// Where a kept node notes the collection the values were imported into.
const COLLECTION_FILE: &str = "bench-collection";

/// Values each generated indicator names.
pub const PER_OBJECT: usize = 10;

/// A value of the same shapes that no generated object holds (other address space, the
/// `.invalid` top-level domain, hashes with a run of zeros).
fn absent(k: u64) -> String {
    let h = k.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ (k >> 7);
    match k % 10 {
        0..=4 => format!(
            "{}.{}.{}.{}",
            150 + (h & 0x3F),
            (h >> 8) & 0xFF,
            (h >> 16) & 0xFF,
            k % 251
        ),
        5 | 6 => format!("host{k}.c{}.invalid", h % 9973),
        7 => format!("http://dl{}.invalid/p/{k}", h % 9973),
        8 => format!("{:032x}00000000000000000000000000000000", h),
        _ => format!("ops{k}@mail{}.invalid", h % 997),
    }
}

/// The `k`-th value of the generated data.
pub fn value(k: u64) -> String {
    let h = k.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ (k >> 7);
    match k % 10 {
        0..=4 => format!(
            "{}.{}.{}.{}",
            10 + (h & 0x7F),
            (h >> 8) & 0xFF,
            (h >> 16) & 0xFF,
            k % 251
        ),
        5 | 6 => format!("host{k}.c{}.example", h % 9973),
        7 => format!("http://dl{}.example/p/{k}", h % 9973),
        8 => format!("{:016x}{:016x}{:016x}{:016x}", h, k, h ^ k, !h),
        _ => format!("ops{k}@mail{}.example", h % 997),
    }
}

/// Writes `n` indicators, the `i`-th naming values `10 i .. 10 i + 9`.
pub fn write_bundle(out: &mut dyn Write, n: usize) -> std::io::Result<()> {
    out.write_all(b"{\"type\":\"bundle\",\"id\":\"bundle--0e5a1f7c-6d7b-4c7e-9f0a-2b3c4d5e6f70\",\"objects\":[")?;
    for i in 0..n as u64 {
        if i > 0 {
            out.write_all(b",")?;
        }
        let v = |j: u64| value(i * PER_OBJECT as u64 + j);
        write!(
            out,
            "{{\"type\":\"indicator\",\"spec_version\":\"2.1\",\"id\":\"indicator--{:08x}-{:04x}-4{:03x}-8{:03x}-{:012x}\",\"created\":\"2024-03-01T10:00:00.000Z\",\"modified\":\"2024-03-01T10:00:00.000Z\",\"name\":\"Campaign infrastructure {i}\",\"pattern\":\"[ipv4-addr:value IN ('{}', '{}', '{}', '{}', '{}')] OR [domain-name:value IN ('{}', '{}')] OR [url:value = '{}'] OR [file:hashes.'SHA-256' = '{}'] OR [email-addr:value = '{}']\",\"pattern_type\":\"stix\",\"valid_from\":\"2024-03-01T10:00:00Z\"}}",
            (i.wrapping_mul(0x2545_F491) as u32),
            (i >> 32) & 0xFFFF,
            i & 0xFFF,
            (i >> 12) & 0xFFF,
            i,
            v(0),
            v(1),
            v(2),
            v(3),
            v(4),
            v(5),
            v(6),
            v(7),
            v(8),
            v(9)
        )?;
    }
    out.write_all(b"]}")
}

/// What the correlation run measured.
pub struct Measured {
    pub observables: usize,
    pub postings: usize,
    pub import_rate: f64,
    pub index_build_s: f64,
    pub index_bytes_per_value: f64,
    pub index_heap_mb: f64,
    pub in_process_values_per_s: f64,
    pub in_process_two_threads: f64,
    pub in_process_single_calls: f64,
    pub http_one_p50_us: f64,
    pub http_one_p99_us: f64,
    pub http_fifty_p50_us: f64,
    pub http_fifty_p99_us: f64,
    pub bulk_10k_median_ms: f64,
    pub bulk_10k_max_ms: f64,
    pub node_rss_mb: f64,
    pub node_anon_mb: f64,
}

/// A query mix: half values the data holds, half it does not.
pub fn queries(n: usize, held: u64, seed: u64) -> Vec<String> {
    let mut s = seed | 1;
    (0..n)
        .map(|i| {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            if i % 2 == 0 {
                value(s % held)
            } else {
                absent(s)
            }
        })
        .collect()
}

pub fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

/// `clients` connections, each asking `each` single-value lookups one after the other, all
/// from one event loop (like wrk: the load generator must not be what is measured on a
/// machine of two cores); the latency of every request, in microseconds.
fn http_load(url: &str, clients: u64, each: usize, held: u64) -> Result<Vec<f64>> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    rt.block_on(async {
        let mut tasks = tokio::task::JoinSet::new();
        for c in 0..clients {
            let url = url.to_owned();
            tasks.spawn(async move {
                let client = reqwest::Client::builder()
                    .timeout(Duration::from_secs(60))
                    .build()?;
                let mut lat = Vec::with_capacity(each);
                for v in queries(each, held, 1000 + c) {
                    let started = Instant::now();
                    let r = client
                        .get(&url)
                        .query(&[("value", v)])
                        .basic_auth(USER, Some(PASSWORD))
                        .send()
                        .await?;
                    if !r.status().is_success() {
                        bail!("lookup answered {}", r.status());
                    }
                    r.bytes().await?;
                    lat.push(started.elapsed().as_secs_f64() * 1e6);
                }
                Ok::<_, anyhow::Error>(lat)
            });
        }
        let mut all = Vec::new();
        while let Some(done) = tasks.join_next().await {
            all.extend(done??);
        }
        Ok(all)
    })
}

/// Asks the node for one value: the first lookup waits for the index the node builds at
/// start, so the measurements after it do not.
pub fn first_lookup(http: &reqwest::blocking::Client, lookup_url: &str) -> Result<()> {
    http.get(lookup_url)
        .query(&[("value", value(0))])
        .basic_auth(USER, Some(PASSWORD))
        .send()?
        .error_for_status()?;
    Ok(())
}

/// A process's resident memory and the part of it that is its own (anonymous), in MB: the
/// rest is the database file mapped in (the kernel's page cache, given back under
/// pressure).
pub fn memory_mb(pid: u32) -> Result<(f64, f64)> {
    let rollup = std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup"))?;
    let field = |name: &str| -> Result<f64> {
        let kb: f64 = rollup
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.split_whitespace().next()?.parse().ok())
            .with_context(|| format!("{name} in smaps_rollup"))?;
        Ok(kb / 1024.0)
    };
    Ok((field("Rss:")?, field("Anonymous:")?))
}

pub fn run(
    bin: &Path,
    work: &Path,
    objects: usize,
    runs: usize,
    keep: Option<&Path>,
    reuse: Option<&Path>,
) -> Result<Measured> {
    let held = (objects * PER_OBJECT) as u64;
    let (dir, coll, import_rate) = match reuse {
        Some(dir) => {
            let coll = std::fs::read_to_string(dir.join(COLLECTION_FILE))
                .with_context(|| format!("{} was not kept by --keep-lookup-node", dir.display()))?;
            (dir.to_owned(), coll, f64::NAN)
        }
        None => {
            let bundle = work.join("observables.json");
            {
                let mut f = std::io::BufWriter::new(std::fs::File::create(&bundle)?);
                write_bundle(&mut f, objects)?;
                f.flush()?;
                f.get_ref().sync_all()?;
            }
            let dir = work.join("correlation");
            let coll = crate::servers::node_with_collection(bin, &dir, "observables")?;
            std::fs::write(dir.join(COLLECTION_FILE), &coll)?;
            let _ = std::process::Command::new("sync").status();
            let rate = objects as f64 / crate::servers::timed_import(bin, &dir, &coll, &bundle)?;
            std::fs::remove_file(&bundle)?;
            (dir, coll, rate)
        }
    };
    eprintln!("correlation: imported {objects} indicators ({held} values) at {import_rate:.0}/s");

    // In process: the index built from the store, then lookups through the core.
    let (core_rate, two, single, build_s, size) = {
        let core = symbolon_core::Core::open(&dir)?;
        // As a serving node runs it: entries nobody waits for share appends.
        core.journal().start()?;
        let started = Instant::now();
        let size = core.index_size()?;
        let build_s = started.elapsed().as_secs_f64();
        eprintln!(
            "correlation: index of {} values ({} keys) built in {build_s:.1}s, {:.0} MB",
            size.values,
            size.distinct_keys,
            size.heap_bytes as f64 / 1e6
        );
        let op = core.operator().clone();
        let caller = symbolon_core::Caller {
            principal: &op,
            purpose: None,
        };
        let batches: Vec<Vec<String>> = (0..200).map(|b| queries(1000, held, 7 + b)).collect();
        let mut rates = Sample(Vec::new());
        for _ in 0..runs.max(3) {
            let started = Instant::now();
            let mut hits = 0;
            for b in &batches {
                hits += core
                    .lookup(&caller, b)?
                    .iter()
                    .filter(|a| !a.hits.is_empty())
                    .count();
            }
            if hits != batches.len() * 500 {
                bail!("{hits} of {} held values were found", batches.len() * 500);
            }
            rates
                .0
                .push((batches.len() * 1000) as f64 / started.elapsed().as_secs_f64());
        }
        let started = Instant::now();
        std::thread::scope(|s| -> Result<()> {
            let halves = batches.split_at(batches.len() / 2);
            let a = s.spawn(|| {
                halves
                    .0
                    .iter()
                    .try_for_each(|b| core.lookup(&caller, b).map(drop))
            });
            let b = s.spawn(|| {
                halves
                    .1
                    .iter()
                    .try_for_each(|b| core.lookup(&caller, b).map(drop))
            });
            a.join().map_err(|_| anyhow::anyhow!("lookup thread"))??;
            b.join().map_err(|_| anyhow::anyhow!("lookup thread"))??;
            Ok(())
        })?;
        let two = (batches.len() * 1000) as f64 / started.elapsed().as_secs_f64();
        let singles = queries(20_000, held, 99);
        let started = Instant::now();
        for q in &singles {
            core.lookup(&caller, std::slice::from_ref(q))?;
        }
        let single = singles.len() as f64 / started.elapsed().as_secs_f64();
        core.journal().close()?;
        (rates.median(), two, single, build_s, size)
    };
    eprintln!(
        "correlation: in process {core_rate:.0} values/s (batches of 1,000), {two:.0}/s on two threads, {single:.0} single-value lookups/s"
    );

    // Over HTTP, against a serving node.
    let node = crate::servers::symbolon(bin, Some((&dir, &coll)))?;
    let base = node.base()?;
    let http = reqwest::blocking::Client::builder()
        .timeout(Duration::from_secs(600))
        .pool_max_idle_per_host(64)
        .build()?;
    let lookup_url = format!("{base}/symbolon/lookup");
    first_lookup(&http, &lookup_url)?;
    let (one_p50, one_p99) = {
        let mut lat = http_load(&lookup_url, 1, 20_000, held)?;
        lat.sort_by(f64::total_cmp);
        (percentile(&lat, 0.5), percentile(&lat, 0.99))
    };
    let mut fifty = http_load(&lookup_url, 50, 400, held)?;
    fifty.sort_by(f64::total_cmp);
    let mut bulk = Vec::new();
    for r in 0..11 {
        let body = serde_json::to_string(&queries(10_000, held, 500 + r))?;
        let started = Instant::now();
        let resp = http
            .post(&lookup_url)
            .basic_auth(USER, Some(PASSWORD))
            .body(body)
            .send()?;
        if !resp.status().is_success() {
            bail!("bulk lookup answered {}", resp.status());
        }
        resp.bytes()?;
        bulk.push(started.elapsed().as_secs_f64() * 1e3);
    }
    bulk.sort_by(f64::total_cmp);
    let (rss, anon) = memory_mb(node.pid())?;
    drop(node);
    if let Some(keep) = keep.filter(|_| reuse.is_none()) {
        std::fs::rename(&dir, keep)
            .with_context(|| format!("keeping the node in {}", keep.display()))?;
    }
    Ok(Measured {
        observables: held as usize,
        postings: size.values,
        import_rate,
        index_build_s: build_s,
        index_bytes_per_value: size.heap_bytes as f64 / held.max(1) as f64,
        index_heap_mb: size.heap_bytes as f64 / 1e6,
        in_process_values_per_s: core_rate,
        in_process_two_threads: two,
        in_process_single_calls: single,
        http_one_p50_us: one_p50,
        http_one_p99_us: one_p99,
        http_fifty_p50_us: percentile(&fifty, 0.5),
        http_fifty_p99_us: percentile(&fifty, 0.99),
        bulk_10k_median_ms: percentile(&bulk, 0.5),
        bulk_10k_max_ms: *bulk.last().unwrap_or(&f64::NAN),
        node_rss_mb: rss,
        node_anon_mb: anon,
    })
}
