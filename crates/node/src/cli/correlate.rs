//! `symbolon lookup`: have we, or a partner, seen these values?

use super::with_node;
use crate::DataDir;
use anyhow::{Context, Result};
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use symbolon_core::Caller;
use symbolon_core::correlate::{Answer, warninglists::Warninglists};

#[derive(clap::Args)]
pub struct LookupArgs {
    #[command(flatten)]
    data: DataDir,
    /// Look up as this user: only what it may receive is shown (default: the operator).
    #[arg(long = "as", value_name = "USER")]
    as_user: Option<String>,
    /// The purpose the lookup is made for (Art. 6.4); default: the user's first.
    #[arg(long)]
    purpose: Option<String>,
    /// MISP warninglists flagging likely false positives: a directory of `list.json` files
    /// (e.g. the `lists` directory of github.com/MISP/misp-warninglists).
    #[arg(long, value_name = "DIR")]
    warninglists: Option<PathBuf>,
    /// Objects that may hold a value before it is reported over-correlated.
    #[arg(long, value_name = "N", default_value_t = symbolon_core::correlate::DEFAULT_CAP)]
    cap: usize,
    /// Print the answer as JSON, in the shape of `GET /symbolon/lookup`.
    #[arg(long)]
    json: bool,
    /// Values: IP address or CIDR range, domain, URL, e-mail address, hash, MAC address, AS
    /// number (`kind:value` to say which, e.g. `domain:localhost`); `-` reads one per line
    /// from stdin.
    #[arg(required = true, value_name = "VALUE")]
    values: Vec<String>,
}

/// Loads warninglists for a lookup or a serving node, saying what was skipped.
pub fn load_warninglists(dir: &Path) -> Result<Warninglists> {
    let lists = Warninglists::load(dir)
        .map_err(anyhow::Error::msg)
        .with_context(|| format!("--warninglists {}", dir.display()))?;
    for s in &lists.skipped {
        eprintln!("warninglists: skipped {s}");
    }
    Ok(lists)
}

pub fn lookup(a: LookupArgs) -> Result<i32> {
    let mut values = Vec::new();
    for v in &a.values {
        if v == "-" {
            for line in std::io::stdin().lock().lines() {
                let line = line.context("reading values from stdin")?;
                let line = line.trim();
                if !line.is_empty() && !line.starts_with('#') {
                    values.push(line.to_owned());
                }
            }
        } else {
            values.push(v.clone());
        }
    }
    let lists = a
        .warninglists
        .as_deref()
        .map(load_warninglists)
        .transpose()?;
    with_node(&a.data, |core| {
        core.set_warninglists(lists);
        core.set_correlation_cap(a.cap);
        let principal = match &a.as_user {
            None => core.operator().clone(),
            Some(name) => core.principal(name)?.with_context(|| {
                format!("--as: no user `{name}` on this node (see `symbolon user list`)")
            })?,
        };
        let caller = Caller {
            principal: &principal,
            purpose: a.purpose.as_deref(),
        };
        let answers = core.lookup(&caller, &values).map_err(|e| match e {
            symbolon_core::CoreError::Refused(d) => {
                anyhow::anyhow!("lookup as `{}` refused: {d}", principal.name)
            }
            e => e.into(),
        })?;
        let stdout = std::io::stdout();
        let mut out = stdout.lock();
        if a.json {
            serde_json::to_writer_pretty(&mut out, &serde_json::json!({ "results": answers }))?;
            writeln!(out)?;
        } else {
            let titles: std::collections::HashMap<String, String> = core
                .collections()?
                .into_iter()
                .map(|c| (c.id.clone(), c.alias.unwrap_or(c.title)))
                .collect();
            for answer in &answers {
                print_answer(&mut out, answer, &titles)?;
            }
        }
        out.flush()?;
        Ok(0)
    })
}

fn print_answer(
    out: &mut impl Write,
    a: &Answer,
    titles: &std::collections::HashMap<String, String>,
) -> std::io::Result<()> {
    match (&a.kind, &a.error) {
        (_, Some(err)) => return writeln!(out, "{}: {err}", a.value),
        (Some(kind), None) => {
            let shown = a.normalised.as_deref().unwrap_or(&a.value);
            writeln!(out, "{shown} ({kind})")?;
        }
        (None, None) => writeln!(out, "{}", a.value)?,
    }
    for l in &a.warninglists {
        writeln!(out, "  warninglist: {} (likely a false positive)", l.name)?;
    }
    if a.hits.is_empty() {
        writeln!(out, "  no object this user may receive holds it")?;
    }
    for h in &a.hits {
        let how = match &h.matched {
            Some(m) => format!("{} {m}", h.how.name()),
            None => h.how.name().to_owned(),
        };
        let from = h
            .origin
            .as_deref()
            .map_or(String::new(), |o| format!(", from {o}"));
        let place = titles.get(&h.collection).unwrap_or(&h.collection);
        writeln!(out, "  {how}: {} {} in {place}{from}", h.id, h.version)?;
        if h.sightings > 0 {
            let who: Vec<String> = h
                .sighted_by
                .iter()
                .map(|s| match &s.last_seen {
                    Some(l) => format!("{} {}× (last {l})", s.by, s.count),
                    None => format!("{} {}×", s.by, s.count),
                })
                .collect();
            writeln!(out, "    sighted {} times: {}", h.sightings, who.join(", "))?;
        }
        if h.false_positives > 0 {
            writeln!(
                out,
                "    reported as a false positive {} times",
                h.false_positives
            )?;
        }
    }
    if a.over_correlated {
        writeln!(
            out,
            "  over-correlated: more objects hold it than the cap; the newest {} are shown",
            a.hits.len()
        )?;
    }
    Ok(())
}
