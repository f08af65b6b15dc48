//! The analyst workspace over a large collection: a node holding `objects` generated
//! indicators (a million by default), served as an analyst reaches it — signed in through
//! the form, then pages fetched over HTTP from one client: the objects list (first page,
//! pages deep in the collection by cursor, a type filter, a text filter), an object's page
//! and the home page with its counts. Medians and 99th percentiles of the whole request
//! (rendering included, on loopback), and the node's memory.

use crate::servers::{PASSWORD, USER};
use anyhow::{Context, Result, bail};
use reqwest::blocking::Client;
use std::io::Write;
use std::path::Path;
use std::time::{Duration, Instant};

/// What the run measured: per page kind, (median, p99) in milliseconds.
pub struct Measured {
    pub objects: usize,
    pub pages: Vec<(&'static str, f64, f64, usize)>,
    pub node_rss_mb: f64,
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

/// `name="csrf" value="…"` of a page.
fn csrf(page: &str) -> Option<String> {
    let at = page.find("name=\"csrf\" value=\"")? + 19;
    Some(page[at..].split('"').next()?.to_owned())
}

fn cookie(resp: &reqwest::blocking::Response, name: &str) -> Option<String> {
    resp.headers()
        .get_all(reqwest::header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|c| c.strip_prefix(&format!("{name}=")))
        .and_then(|c| c.split(';').next())
        .map(str::to_owned)
}

/// Signs in through the form; the session cookie.
fn sign_in(http: &Client, base: &str) -> Result<String> {
    let form = http.get(format!("{base}/ui/login")).send()?;
    let login = cookie(&form, "symbolon_login").context("no sign-in cookie")?;
    let token = csrf(&form.text()?).context("no sign-in token")?;
    let resp = http
        .post(format!("{base}/ui/login"))
        .header(reqwest::header::COOKIE, format!("symbolon_login={login}"))
        .form(&[("username", USER), ("password", PASSWORD), ("csrf", &token)])
        .send()?;
    cookie(&resp, "symbolon_session").context("sign-in failed")
}

pub fn run(bin: &Path, work: &Path, objects: usize) -> Result<Measured> {
    let bundle = work.join("workspace.json");
    {
        let mut f = std::io::BufWriter::new(std::fs::File::create(&bundle)?);
        crate::synth::write_bundle(&mut f, objects, 0x5eed_0001)?;
        f.flush()?;
    }
    let dir = work.join("workspace-node");
    let coll = crate::servers::node_with_collection(bin, &dir, "workspace")?;
    let before = now_micros();
    crate::servers::timed_import(bin, &dir, &coll, &bundle)?;
    let after = now_micros();
    std::fs::remove_file(&bundle)?;
    let node = crate::servers::symbolon(bin, Some((&dir, &coll)))?;
    let base = node.base()?;
    let http = Client::builder()
        .timeout(Duration::from_secs(120))
        .redirect(reqwest::redirect::Policy::none())
        .build()?;
    let session = sign_in(&http, &base)?;
    let get = |path: &str| -> Result<(f64, String)> {
        let started = Instant::now();
        let resp = http
            .get(format!("{base}{path}"))
            .header(
                reqwest::header::COOKIE,
                format!("symbolon_session={session}"),
            )
            .send()?;
        let status = resp.status();
        let body = resp.text()?;
        let ms = started.elapsed().as_secs_f64() * 1e3;
        if !status.is_success() {
            bail!("{path} answered {status}");
        }
        Ok((ms, body))
    };
    // Warm the page cache and the node's caches once.
    get(&format!("/ui/c/{coll}"))?;
    let mut rng = 0x9e37_79b9_7f4a_7c15_u64;
    let mut next = || {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        rng
    };
    let mut ids: Vec<String> = Vec::new();
    let mut pages = Vec::new();
    let span = (after - before).max(1) as u64;
    let kinds: [(&'static str, usize); 6] = [
        ("objects list, first page (50)", 200),
        ("objects list, a page deep in the collection", 200),
        ("objects list, type filter", 100),
        ("objects list, text filter (looks through up to 20,000)", 30),
        ("object page", 200),
        ("home: collections with counts (up to 10,000 each)", 30),
    ];
    for (kind, n) in kinds {
        let mut times = Vec::with_capacity(n);
        for i in 0..n {
            let path = match kind {
                k if k.starts_with("objects list, first") => format!("/ui/c/{coll}"),
                k if k.contains("deep") => {
                    format!("/ui/c/{coll}?after={}", before + (next() % span) as i64)
                }
                k if k.contains("type filter") => format!(
                    "/ui/c/{coll}?type=indicator&after={}",
                    before + (next() % span) as i64
                ),
                k if k.contains("text filter") => {
                    format!("/ui/c/{coll}?q=scanner+{}", next() % 1000)
                }
                "object page" => {
                    let id = ids
                        .get(next() as usize % ids.len().max(1))
                        .cloned()
                        .context("no ids")?;
                    format!("/ui/c/{coll}/o/{id}")
                }
                _ => "/ui/".to_owned(),
            };
            let (ms, body) = get(&path)?;
            if kind.contains("deep") && i % 4 == 0 {
                ids.extend(
                    body.split(&format!("/ui/c/{coll}/o/"))
                        .skip(1)
                        .filter_map(|s| s.split('"').next())
                        .map(str::to_owned),
                );
            }
            times.push(ms);
        }
        times.sort_by(f64::total_cmp);
        eprintln!(
            "workspace: {kind}: median {:.2} ms, p99 {:.2} ms",
            percentile(&times, 0.5),
            percentile(&times, 0.99)
        );
        pages.push((kind, percentile(&times, 0.5), percentile(&times, 0.99), n));
    }
    let (rss, _) = crate::lookup::memory_mb(node.pid())?;
    Ok(Measured {
        objects,
        pages,
        node_rss_mb: rss,
    })
}

/// Now, in microseconds since the epoch (the unit of `date_added` and of `after`).
fn now_micros() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_micros() as i64)
        .unwrap_or(0)
}
