//! `symbolon-bench`: measures a Symbolon node side by side with medallion, the OASIS
//! reference TAXII 2.1 server, in one run, with one client and the same data, and prints
//! medians and ratios as a Markdown table.
//!
//! Measured: CLI import of generated indicators into the durable store; TAXII POST of
//! MITRE ATT&CK for ICS; GET of the whole ICS collection in pages of 1,000; GET of the
//! generated collection (1M objects by default) in pages of 1,000; load from many clients at
//! once; SIGKILL at random points.

/// The allocator the node runs with (see `crates/node/src/main.rs`), so that what is
/// measured in process here (lookups through the core) is what the node does; with the C
/// library's, malloc and free were a sixth of a lookup's time.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod agreement;
mod client;
mod faults;
mod federation;
mod journal;
mod load;
mod lookup;
mod post;
mod servers;
mod shapes;
mod synth;
mod workspace;

use anyhow::{Context, Result};
use clap::Parser;
use std::io::Write;
use std::path::PathBuf;
use std::time::Instant;

#[derive(Parser)]
struct Args {
    /// Generated objects for the CLI import and the large GET.
    #[arg(long, default_value_t = 1_000_000)]
    objects: usize,
    /// Repetitions of each ingest measurement (fresh server or directory each time).
    #[arg(long, default_value_t = 3)]
    runs: usize,
    /// Full scans of the ICS collection per server.
    #[arg(long, default_value_t = 7)]
    scans: usize,
    /// Generated indicators POSTed side by side (besides ATT&CK ICS), at 1,000 and at
    /// 100 per request.
    #[arg(long, default_value_t = 5_000)]
    post_generated: usize,
    #[arg(long)]
    symbolon: Option<PathBuf>,
    #[arg(long, default_value = ".venv/bin/medallion")]
    medallion: PathBuf,
    #[arg(long, default_value = "../shared/data/attack/ics-attack-18.1.json")]
    ics: PathBuf,
    #[arg(long, default_value = "agreements/ir-ru-2021.toml")]
    agreement: PathBuf,
    /// Also write the table here.
    #[arg(long)]
    out: Option<PathBuf>,
    /// Only write the generated bundle to this file (to profile an import by hand), then exit.
    #[arg(long)]
    write_synthetic: Option<PathBuf>,
    /// Indicators of ten values each for the correlation run (10M observables by default).
    #[arg(long, default_value_t = 1_000_000)]
    lookup_objects: usize,
    /// Keep the correlation run's node here (to profile it by hand afterwards).
    #[arg(long)]
    keep_lookup_node: Option<PathBuf>,
    /// Measure lookups on a node kept by an earlier `--keep-lookup-node` run (same
    /// `--lookup-objects`) instead of generating and importing it again (to profile).
    #[arg(long)]
    reuse_lookup_node: Option<PathBuf>,
    /// Concurrent clients of the load run.
    #[arg(long, default_value_t = 500)]
    load_clients: usize,
    /// Seconds the load runs.
    #[arg(long, default_value_t = 60)]
    load_seconds: u64,
    /// Indicators (ten observables each) in the load run's collection before it starts.
    #[arg(long, default_value_t = 100_000)]
    load_preload: usize,
    /// SIGKILLs of the fault run: two fifths while POSTing, the rest split between import
    /// and sync.
    #[arg(long, default_value_t = 100)]
    fault_points: usize,
    /// Seed of the fault run's kill points (the same seed kills at the same offsets).
    #[arg(long, default_value_t = 0xC0FFEE)]
    seed: u64,
    /// Run only these parts: `taxii` (import, POST, GET, sync, journal, decisions) or only
    /// its POST side by side (`post`) and/or
    /// `lookup` (correlation) and/or `shapes` (ingest by shape of input: ids sharing a
    /// prefix, versions of one id) and/or `workspace` (the analyst workspace's pages over
    /// `--objects` generated objects) and/or `load` (concurrent clients mixing GETs, POSTs
    /// and lookups) and/or `faults` (SIGKILL at random points of import, POST and sync).
    /// Default: all six.
    #[arg(long, value_delimiter = ',', default_values_t = vec!["taxii".to_owned(), "lookup".to_owned(), "shapes".to_owned(), "workspace".to_owned(), "load".to_owned(), "faults".to_owned()])]
    only: Vec<String>,
}

/// Rates in objects per second, one per run.
struct Sample(Vec<f64>);

impl Sample {
    fn median(&self) -> f64 {
        let mut v = self.0.clone();
        v.sort_by(f64::total_cmp);
        let n = v.len();
        if n == 0 {
            f64::NAN
        } else if n % 2 == 1 {
            v[n / 2]
        } else {
            (v[n / 2 - 1] + v[n / 2]) / 2.0
        }
    }
}

fn rate(n: usize, started: Instant) -> f64 {
    n as f64 / started.elapsed().as_secs_f64()
}

fn main() -> Result<()> {
    let args = Args::parse();
    if let Some(path) = &args.write_synthetic {
        let mut f = std::io::BufWriter::new(std::fs::File::create(path)?);
        synth::write_bundle(&mut f, args.objects, 0x5EED)?;
        f.flush()?;
        return Ok(());
    }
    let symbolon = match &args.symbolon {
        Some(p) => p.clone(),
        None => std::env::current_exe()?.with_file_name("symbolon"),
    };
    let mut table = String::new();
    if args.only.iter().any(|o| o == "taxii") {
        table.push_str(&taxii(&args, &symbolon)?);
    }
    if args.only.iter().any(|o| o == "post") && !args.only.iter().any(|o| o == "taxii") {
        let client = client::Client::new(servers::USER, servers::PASSWORD)?;
        let sets = [
            post::Data::ics(&args.ics)?,
            post::Data::generated(args.post_generated)?,
        ];
        let (rows, _) = post::compare(&client, &symbolon, &args.medallion, &sets, args.runs)?;
        table.push_str(&format!(
            "| measurement (objects/s, median of runs) | Symbolon | medallion | ratio | target |\n|---|---:|---:|---:|---|\n{}",
            post::table(&rows, args.runs)
        ));
    }
    if args.only.iter().any(|o| o == "shapes") {
        table.push_str(&shapes::run(&symbolon, [40_000, 400_000])?);
    }
    if args.only.iter().any(|o| o == "workspace") {
        let work = tempfile::tempdir()?;
        let m = workspace::run(&symbolon, work.path(), args.objects)?;
        table.push_str(&format!(
            "\n| workspace over {} objects (one client, loopback, whole request) | median | p99 | requests | target |\n|---|---:|---:|---:|---|\n",
            m.objects
        ));
        for (kind, median, p99, n) in &m.pages {
            let target = if kind.starts_with("objects list, first")
                || kind.contains("deep")
                || *kind == "object page"
            {
                "median well under 20 ms"
            } else {
                ""
            };
            table.push_str(&format!(
                "| {kind} | {median:.2} ms | {p99:.2} ms | {n} | {target} |\n"
            ));
        }
        table.push_str(&format!(
            "| serving node's resident memory | {:.0} MB | | | |\n",
            m.node_rss_mb
        ));
    }
    if args.only.iter().any(|o| o == "lookup") {
        let work = tempfile::tempdir()?;
        let m = lookup::run(
            &symbolon,
            work.path(),
            args.lookup_objects,
            args.runs,
            args.keep_lookup_node.as_deref(),
            args.reuse_lookup_node.as_deref(),
        )?;
        table.push_str(&format!(
            "\n| correlation ({v} observables in {o} indicators; {pp} index postings with related keys) | Symbolon | target |\n\
             |---|---:|---|\n\
             | CLI import with the index, indicators/s (ten values each) | {ir:.0} | |\n\
             | index built from the store at open | {ib:.1} s | |\n\
             | index memory, bytes per observable ({ih:.0} MB in all) | {bpv:.0} | |\n\
             | lookups/s in process, batches of 1,000, half held (decided, audited) | {lp:.0} | ≥ 1,000,000/s |\n\
             | same, two threads | {l2:.0} | |\n\
             | single-value lookups/s in process (one audit entry each) | {ls:.0} | |\n\
             | HTTP, one value, one client: p50 / p99 | {h1:.0} / {h1p:.0} µs | p99 < 1 ms |\n\
             | HTTP, one value, 50 clients: p50 / p99 | {h5:.0} / {h5p:.0} µs | p99 < 5 ms |\n\
             | HTTP, 10,000 values in one request: median / max of 11 | {bm:.1} / {bx:.1} ms | < 50 ms |\n\
             | serving node's memory after the HTTP runs: resident / its own (the rest: the database mapped in) | {rss:.0} / {anon:.0} MB | |\n",
            v = m.observables,
            pp = m.postings,
            o = args.lookup_objects,
            ir = m.import_rate,
            ib = m.index_build_s,
            ih = m.index_heap_mb,
            bpv = m.index_bytes_per_value,
            lp = m.in_process_values_per_s,
            l2 = m.in_process_two_threads,
            ls = m.in_process_single_calls,
            h1 = m.http_one_p50_us,
            h1p = m.http_one_p99_us,
            h5 = m.http_fifty_p50_us,
            h5p = m.http_fifty_p99_us,
            bm = m.bulk_10k_median_ms,
            bx = m.bulk_10k_max_ms,
            rss = m.node_rss_mb,
            anon = m.node_anon_mb,
        ));
    }
    if args.only.iter().any(|o| o == "load") {
        let work = tempfile::tempdir()?;
        let m = load::run(
            &symbolon,
            work.path(),
            args.load_clients,
            args.load_seconds,
            args.load_preload,
        )?;
        table.push_str(&m.table());
        anyhow::ensure!(
            m.errors() == 0 && m.stored_after == m.preload + m.acknowledged_objects,
            "the load run failed:{}",
            m.table()
        );
    }
    if args.only.iter().any(|o| o == "faults") {
        let work = tempfile::tempdir()?;
        let m = faults::run(
            &symbolon,
            work.path(),
            &args.agreement,
            args.fault_points,
            args.seed,
        )?;
        table.push_str(&m.table());
    }
    println!("{table}");
    if let Some(out) = &args.out {
        std::fs::write(out, &table).with_context(|| format!("writing {}", out.display()))?;
    }
    Ok(())
}

/// The TAXII side by side with medallion, the import, sync, journal and decisions.
fn taxii(args: &Args, symbolon: &std::path::Path) -> Result<String> {
    let symbolon = symbolon.to_owned();
    let client = client::Client::new(servers::USER, servers::PASSWORD)?;
    let ics = post::Data::ics(&args.ics)?;
    let ics_count = ics.objects.len();

    // 1. CLI import into the durable store.
    let work = tempfile::tempdir()?;
    let bundle = work.path().join("synthetic.json");
    {
        let mut f = std::io::BufWriter::new(std::fs::File::create(&bundle)?);
        synth::write_bundle(&mut f, args.objects, 0x5EED)?;
        f.flush()?;
        f.get_ref().sync_all()?;
    }
    eprintln!(
        "generated {} indicators ({} MB)",
        args.objects,
        std::fs::metadata(&bundle)?.len() / 1_000_000
    );
    let mut import = Sample(Vec::new());
    let mut big_dir: Option<(std::path::PathBuf, String)> = None;
    for run in 0..args.runs {
        let dir = work.path().join(format!("import-{run}"));
        // Each run starts as the first did: the previous run's database is removed (only the
        // last one is kept, for the GET measurement), because a page cache holding earlier
        // runs' files costs the next run 5-10% more kernel time (measured by dropping their
        // cached pages with posix_fadvise instead: same effect). Then the generated file and
        // anything else dirty is written back, so no run pays for another's dirty pages.
        if let Some((previous, _)) = big_dir.take() {
            std::fs::remove_dir_all(&previous)
                .with_context(|| format!("removing {}", previous.display()))?;
        }
        servers::symbolon_cli(&symbolon, &dir, &["init"])?;
        let coll =
            servers::symbolon_cli(&symbolon, &dir, &["collection", "create", "--title", "big"])?;
        let _ = std::process::Command::new("sync").status();
        let took = servers::timed_import(&symbolon, &dir, &coll, &bundle)?;
        import.0.push(args.objects as f64 / took);
        eprintln!("cli import run {run}: {:.0} objects/s", import.0[run]);
        big_dir = Some((dir, coll));
    }

    // 2. TAXII POST of ATT&CK ICS and generated indicators, at 1,000 and 100 per request,
    // fresh servers each run; the last ICS pair at 1,000 stays up for the GET.
    let sets = [ics, post::Data::generated(args.post_generated)?];
    let (posts, kept) = post::compare(&client, &symbolon, &args.medallion, &sets, args.runs)?;
    let (sym, med) = kept.context("no runs")?;

    // 3. GET the ICS collection in pages of 1,000.
    let mut get_s = Sample(Vec::new());
    let mut get_m = Sample(Vec::new());
    for scan in 0..args.scans {
        let started = Instant::now();
        let n = client.scan(&sym.collection_url, 1000)?;
        anyhow::ensure!(
            n == ics_count,
            "symbolon served {n} of {ics_count} ICS objects"
        );
        get_s.0.push(rate(n, started));
        let started = Instant::now();
        let n = client.scan(&med.collection_url, 1000)?;
        anyhow::ensure!(
            n == ics_count,
            "medallion served {n} of {ics_count} ICS objects"
        );
        get_m.0.push(rate(n, started));
        eprintln!(
            "GET ICS scan {scan}: symbolon {:.0}/s, medallion {:.0}/s",
            get_s.0[scan], get_m.0[scan]
        );
    }
    drop((sym, med));

    // 4. GET the generated collection in pages of 1,000: as the local administrator (the
    // policy checks rights only) and as another party's competent authority (purpose,
    // lifecycle, origin and every object's markings), alternating, same server.
    let (dir, coll) = big_dir.context("no import run")?;
    let peer_password = agreement::peer_user(&symbolon, &dir, &coll, &args.agreement)?;
    let peer = client::Client::new(agreement::PEER_USER, &peer_password)?;
    let big = servers::symbolon(&symbolon, Some((&dir, &coll)))?;
    let (mut get_big, mut get_peer) = (Sample(Vec::new()), Sample(Vec::new()));
    for run in 0..args.runs {
        let started = Instant::now();
        let n = client.scan(&big.collection_url, 1000)?;
        anyhow::ensure!(
            n == args.objects,
            "symbolon served {n} of {} generated objects",
            args.objects
        );
        get_big.0.push(rate(n, started));
        let started = Instant::now();
        let n = peer.scan(&big.collection_url, 1000)?;
        anyhow::ensure!(
            n == args.objects,
            "symbolon served {n} of {} generated objects to the peer authority",
            args.objects
        );
        get_peer.0.push(rate(n, started));
        eprintln!(
            "GET {} run {run}: {:.0}/s as admin, {:.0}/s as the peer authority",
            args.objects, get_big.0[run], get_peer.0[run]
        );
    }
    // Federation: RU's node pulls the big collection from IR's (signed, sealed, verified).
    let ir_base = big.base()?;
    let template = work.path().join("ru-template");
    federation::prepare(&symbolon, &dir, &coll, &args.agreement, &template)?;
    let mut sync = Sample(Vec::new());
    for run in 0..args.runs {
        let run_dir = work.path().join(format!("ru-{run}"));
        sync.0.push(federation::pull(
            &symbolon,
            &dir,
            &template,
            &run_dir,
            &ir_base,
            args.objects,
        )?);
        std::fs::remove_dir_all(&run_dir)?;
        eprintln!("sync {} run {run}: {:.0}/s", args.objects, sync.0[run]);
    }
    // POSTs into the big collection (it now holds what the runs above served): the cost a
    // node meets once its collections are large.
    let (large_first_ms, large) = post::into_large(&client, &big, &sets[0], post::LARGE_REQUESTS)?;
    let large = Sample(large);
    eprintln!(
        "POST 1,000 ICS objects into {} objects: first {large_first_ms:.0} ms, then {:.0}/s",
        args.objects,
        large.median()
    );
    drop(big);
    let durable = journal::durability(&work.path().join("journal"), 2_000, 8)?;
    eprintln!(
        "durable audit entries: {:.0} µs median alone ({:.0}/s), {:.0}/s with {} waiters",
        durable.alone_us, durable.alone_rate, durable.together_rate, durable.waiters
    );
    let decisions = agreement::decisions_per_second();
    eprintln!(
        "policy decisions (in process, authority principal, marked objects): {decisions:.0}/s"
    );

    let table = format!(
        "| measurement (objects/s, median of runs) | Symbolon | medallion | ratio | target |\n\
         |---|---:|---:|---:|---|\n\
         | CLI import, {n} generated indicators, durable (runs: {r}) | {imp:.0} | n/a | | ≥ 200,000/s |\n\
         {posts}\
         | TAXII GET, ATT&CK ICS, pages of 1,000 (scans: {sc}) | {gs:.0} | {gm:.0} | {gr:.1}× | ≥ 300× |\n\
         | TAXII GET, {n} generated objects, pages of 1,000 (runs: {r}) | {gb:.0} | n/a | | ≥ 200,000/s |\n\
         | same, as another party's authority (full agreement policy) | {gp:.0} | | {gpr:.1}% of admin | cost < 10% |\n\
         | TAXII POST, 1,000 ATT&CK ICS objects under fresh ids per request, into the collection of {n} (requests: {lq}; the first after the start, reading its index keys: {lf:.0} ms) | {lr:.0} | n/a | | |\n\
         | audit entries/s made durable before an answer leaves, one waiter (median {du:.0} µs each) | {da:.0} | | | |\n\
         | same, {dw} waiters at once (group commit) | {dt:.0} | | {dx:.1}× one waiter | |\n\
         | policy decisions per second, in process | {dec:.0} | | | ≥ 1,000,000/s |\n\
         | sync between two nodes, {n} objects, signed + sealed + verified (runs: {r}) | {sy:.0} | | | ≥ 100,000/s |\n",
        n = args.objects,
        r = args.runs,
        imp = import.median(),
        posts = post::table(&posts, args.runs),
        sc = args.scans,
        gs = get_s.median(),
        gm = get_m.median(),
        gr = get_s.median() / get_m.median(),
        gb = get_big.median(),
        gp = get_peer.median(),
        gpr = 100.0 * get_peer.median() / get_big.median(),
        du = durable.alone_us,
        da = durable.alone_rate,
        dw = durable.waiters,
        dt = durable.together_rate,
        dx = durable.together_rate / durable.alone_rate,
        dec = decisions,
        sy = sync.median(),
        lq = post::LARGE_REQUESTS,
        lf = large_first_ms,
        lr = large.median(),
    );
    Ok(table)
}
