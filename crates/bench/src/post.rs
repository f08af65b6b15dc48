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

    /// The envelopes of `batch` objects each.
    fn envelopes(&self, batch: usize) -> Vec<bytes::Bytes> {
        self.objects.chunks(batch).map(envelope).collect()
    }
}

/// A TAXII envelope of `objects`, as `Bytes`: handing it to the client in a timed loop
/// copies nothing (a `String` was copied whole for every request, for both servers alike).
fn envelope(objects: &[serde_json::Value]) -> bytes::Bytes {
    bytes::Bytes::from(serde_json::json!({ "objects": objects }).to_string())
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

/// POSTs measured into the large collection after the first.
pub const LARGE_REQUESTS: usize = 7;

/// Symbolon alone (medallion keeps every object in one in-memory list and would have to
/// load the collection first): POSTs of 1,000 ICS objects under fresh ids into a collection
/// that already holds many objects, where each new object's index key lands on its own
/// index page. The first POST after the server started also reads the collection's index
/// keys once (see `store::sqlite::held`). Returns that first POST's milliseconds and the
/// rates of the `requests` after it.
pub fn into_large(
    client: &Client,
    server: &Running,
    ics: &Data,
    requests: usize,
) -> Result<(f64, Vec<f64>)> {
    let objects = &ics.objects[..ics.objects.len().min(1000)];
    let mut first_ms = f64::NAN;
    let mut rates = Vec::with_capacity(requests);
    for r in 0..=requests {
        let renamed: Vec<serde_json::Value> = objects
            .iter()
            .map(|o| with_fresh_ids(o.clone(), r as u32 + 1))
            .collect();
        let envelope = envelope(&renamed);
        let started = Instant::now();
        client.post(&server.collection_url, envelope)?;
        if r == 0 {
            first_ms = started.elapsed().as_secs_f64() * 1000.0;
        } else {
            rates.push(rate(objects.len(), started));
        }
    }
    Ok((first_ms, rates))
}

/// `value` with every STIX id in it (`type--uuid`, as an id or a reference) given a UUID
/// whose first 8 hex digits are `round`'s: the same object graph, under ids never stored.
fn with_fresh_ids(value: serde_json::Value, round: u32) -> serde_json::Value {
    use serde_json::Value;
    match value {
        Value::String(s) => Value::String(match s.split_once("--") {
            Some((ty, uuid)) if uuid.len() == 36 && uuid.as_bytes()[8] == b'-' => {
                format!("{ty}--{round:08x}{}", &uuid[8..])
            }
            _ => s,
        }),
        Value::Array(a) => Value::Array(a.into_iter().map(|v| with_fresh_ids(v, round)).collect()),
        Value::Object(o) => Value::Object(
            o.into_iter()
                .map(|(k, v)| (k, with_fresh_ids(v, round)))
                .collect(),
        ),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::with_fresh_ids;
    use serde_json::json;

    #[test]
    fn fresh_ids_rename_ids_and_references_alike_and_nothing_else() {
        let o = json!({
            "id": "relationship--0a1b2c3d-0000-4000-8000-000000000001",
            "source_ref": "malware--11111111-2222-4333-8444-555555555555",
            "kill_chain_phases": [{"phase_name": "a--b"}],
            "name": "not--an-id",
        });
        let r = with_fresh_ids(o, 7);
        assert_eq!(
            r["id"],
            "relationship--00000007-0000-4000-8000-000000000001"
        );
        assert_eq!(
            r["source_ref"],
            "malware--00000007-2222-4333-8444-555555555555"
        );
        assert_eq!(r["kill_chain_phases"][0]["phase_name"], "a--b");
        assert_eq!(r["name"], "not--an-id");
    }
}
