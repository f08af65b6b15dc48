//! TAXII POST side by side with medallion: ATT&CK for ICS and a generated collection, at
//! 1,000 and at 100 objects per request, same client, same run, a fresh server of each
//! for every (data, batch, run), each warmed up by one authenticated GET first (so neither
//! pays its first password check, Symbolon's Argon2id, inside the measurement).

use crate::client::Client;
use crate::servers::{self, Running};
use crate::{Sample, rate};
use anyhow::{Context, Result};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Objects per request measured (the figure first).
pub const BATCHES: [usize; 2] = [1000, 100];

/// One data set to POST.
pub struct Data {
    pub name: String,
    pub objects: Vec<serde_json::Value>,
}

impl Data {
    /// The ICS bundle's objects.
    pub fn ics(path: &Path) -> Result<Data> {
        let text =
            std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
        let bundle: serde_json::Value = serde_json::from_str(&text)?;
        let objects = bundle["objects"]
            .as_array()
            .context("ICS bundle without objects")?
            .clone();
        Ok(Data {
            name: format!("ATT&CK ICS ({} objects)", objects.len()),
            objects,
        })
    }

    /// `n` generated indicators (the import's generator).
    pub fn generated(n: usize) -> Result<Data> {
        let mut bytes = Vec::new();
        crate::synth::write_bundle(&mut bytes, n, 0xB0DE)?;
        let bundle: serde_json::Value = serde_json::from_slice(&bytes)?;
        let objects = bundle["objects"]
            .as_array()
            .context("generated bundle without objects")?
            .clone();
        Ok(Data {
            name: format!("generated indicators ({n} objects)"),
            objects,
        })
    }

    /// The envelopes, as `Bytes`: handing one to the client in the timed loop copies
    /// nothing (a `String` was copied whole for every request, for both servers alike).
    fn envelopes(&self, batch: usize) -> Vec<bytes::Bytes> {
        self.objects
            .chunks(batch)
            .map(|c| bytes::Bytes::from(serde_json::json!({ "objects": c }).to_string()))
            .collect()
    }
}

/// Rates of one (data, batch) over the runs.
pub struct Row {
    pub data: String,
    pub batch: usize,
    pub symbolon: Sample,
    pub medallion: Sample,
}

/// POSTs every envelope to a warmed-up server; objects per second.
fn timed(
    client: &Client,
    server: &Running,
    envelopes: &[bytes::Bytes],
    objects: usize,
) -> Result<f64> {
    client.first(&server.collection_url)?;
    let started = Instant::now();
    for e in envelopes {
        client.post(&server.collection_url, e.clone())?;
    }
    Ok(rate(objects, started))
}

/// Both servers of one measurement, kept running.
pub type Pair = (Running, Running);

/// Measures every (data, batch) `runs` times. Returns the rows and, from the last run of
/// the first data set at the first batch, both servers holding it (for the GET that follows).
pub fn compare(
    client: &Client,
    symbolon: &Path,
    medallion: &PathBuf,
    sets: &[Data],
    runs: usize,
) -> Result<(Vec<Row>, Option<Pair>)> {
    let mut rows = Vec::new();
    let mut kept = None;
    for (d, data) in sets.iter().enumerate() {
        for (b, &batch) in BATCHES.iter().enumerate() {
            let envelopes = data.envelopes(batch);
            let mut row = Row {
                data: data.name.clone(),
                batch,
                symbolon: Sample(Vec::new()),
                medallion: Sample(Vec::new()),
            };
            for run in 0..runs {
                let s = servers::symbolon(symbolon, None)?;
                row.symbolon
                    .0
                    .push(timed(client, &s, &envelopes, data.objects.len())?);
                let m = servers::medallion(medallion, 1000)?;
                row.medallion
                    .0
                    .push(timed(client, &m, &envelopes, data.objects.len())?);
                eprintln!(
                    "POST {}, {batch} per request, run {run}: symbolon {:.0}/s, medallion {:.0}/s",
                    data.name, row.symbolon.0[run], row.medallion.0[run]
                );
                if d == 0 && b == 0 && run + 1 == runs {
                    kept = Some((s, m));
                }
            }
            rows.push(row);
        }
    }
    Ok((rows, kept))
}

/// The rows as Markdown table lines (objects/s, medians; the run ratios' range too).
pub fn table(rows: &[Row], runs: usize) -> String {
    let mut out = String::new();
    for r in rows {
        let ratios: Vec<f64> = r
            .symbolon
            .0
            .iter()
            .zip(&r.medallion.0)
            .map(|(s, m)| s / m)
            .collect();
        let (lo, hi) = ratios.iter().fold((f64::INFINITY, 0f64), |(lo, hi), x| {
            (lo.min(*x), hi.max(*x))
        });
        out.push_str(&format!(
            "| TAXII POST, {}, {} per request (runs: {runs}; run ratios {lo:.1}–{hi:.1}×) | {:.0} | {:.0} | {:.1}× | {} |\n",
            r.data,
            r.batch,
            r.symbolon.median(),
            r.medallion.median(),
            r.symbolon.median() / r.medallion.median(),
            if r.batch == 1000 { "≥ 10×" } else { "" }
        ));
    }
    out
}
