//! `symbolon import` and `symbolon export`.

use super::with_node;
use crate::DataDir;
use anyhow::{Context, Result};
use indicatif::{ProgressBar, ProgressStyle};
use std::io::{IsTerminal, Read, Write};
use std::path::PathBuf;
use symbolon_core::Caller;

#[derive(clap::Args)]
pub struct ImportArgs {
    #[command(flatten)]
    data: DataDir,
    /// Collection id or alias.
    #[arg(long)]
    collection: String,
    /// Files to read; `-` reads stdin.
    #[arg(required = true)]
    files: Vec<String>,
    /// The competent authority these objects were obtained from (Art. 6.2: they then
    /// reach a third party only with its consent). Default: this authority's own.
    #[arg(long, value_name = "AUTHORITY")]
    obtained_from: Option<String>,
}

#[derive(clap::Args)]
pub struct ExportArgs {
    #[command(flatten)]
    data: DataDir,
    /// Collection id or alias.
    #[arg(long)]
    collection: String,
    /// Output file (default: stdout).
    #[arg(long)]
    out: Option<PathBuf>,
    /// Export what this user may receive (a transfer to them, audited); default: the
    /// operator, who sees everything.
    #[arg(long = "for", value_name = "USER")]
    recipient: Option<String>,
    /// The purpose the transfer is for (Art. 6.4); default: the recipient's first.
    #[arg(long, requires = "recipient")]
    purpose: Option<String>,
}

/// The bytes of a source, counted onto the progress bar as they are read.
struct Counted {
    inner: Box<dyn Read>,
    bar: ProgressBar,
}

impl Read for Counted {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.bar.inc(n as u64);
        Ok(n)
    }
}

/// Opens a file (or stdin for `-`) with a progress bar over its bytes, shown on a terminal.
fn open_source(source: &str) -> Result<Counted> {
    let (inner, len): (Box<dyn Read>, Option<u64>) = if source == "-" {
        (Box::new(std::io::stdin().lock()), None)
    } else {
        let f = std::fs::File::open(source).with_context(|| format!("opening {source}"))?;
        let len = f.metadata().ok().map(|m| m.len());
        (Box::new(f), len)
    };
    let bar = match (std::io::stderr().is_terminal(), len) {
        (false, _) => ProgressBar::hidden(),
        (true, Some(len)) => ProgressBar::new(len),
        (true, None) => ProgressBar::new_spinner(),
    };
    bar.set_style(
        ProgressStyle::with_template(
            "{msg} {bar:40} {bytes}/{total_bytes} ({bytes_per_sec}, eta {eta})",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar.set_message(source.to_owned());
    Ok(Counted { inner, bar })
}

/// Exit 2 when any object was rejected (the valid ones are kept); 0 means every object is
/// durably stored, with its audit entry.
pub fn import(a: ImportArgs) -> Result<i32> {
    with_node(&a.data, |core| {
        let started = std::time::Instant::now();
        let c = core.collection(&a.collection)?;
        let operator = core.operator().clone();
        let intake = core.intake(
            &Caller {
                principal: &operator,
                purpose: None,
            },
            "import",
            &c,
        )?;
        let (mut added, mut unchanged, mut rejected) = (0, 0, 0);
        for source in &a.files {
            let input = open_source(source)?;
            let bar = input.bar.clone();
            let summary = core.import(&intake, input, source, a.obtained_from.as_deref())?;
            bar.finish();
            for r in &summary.rejected {
                eprintln!("rejected {} ({source}): {}", r.id, r.reason());
            }
            added += summary.added;
            unchanged += summary.unchanged;
            rejected += summary.rejected.len();
        }
        eprintln!(
            "imported {added} new, {unchanged} already present, {rejected} rejected in {:.2}s",
            started.elapsed().as_secs_f64()
        );
        Ok(if rejected > 0 { 2 } else { 0 })
    })
}

/// The bundle is written to a file beside the target (or a temporary one for stdout) and
/// handed on only once the transfer's audit entry is durable; a failed export never leaves
/// a truncated bundle under the requested name.
pub fn export(a: ExportArgs) -> Result<i32> {
    with_node(&a.data, |core| {
        let c = core.collection(&a.collection)?;
        let principal = match &a.recipient {
            None => core.operator().clone(),
            Some(name) => core
                .principal(name)?
                .with_context(|| format!("--for: no user `{name}` on this node"))?,
        };
        let caller = Caller {
            principal: &principal,
            purpose: a.purpose.as_deref(),
        };
        let (tmp, target) = match &a.out {
            Some(path) => (path.with_extension("partial"), Some(path.clone())),
            None => (
                core.dir()
                    .join(format!(".export-{}.partial", uuid::Uuid::new_v4())),
                None,
            ),
        };
        let written = (|| -> Result<u64> {
            let file = std::fs::File::create(&tmp)
                .with_context(|| format!("creating {}", tmp.display()))?;
            let mut w = std::io::BufWriter::with_capacity(1 << 20, file);
            write!(
                w,
                "{{\"type\":\"bundle\",\"id\":\"bundle--{}\",\"objects\":[",
                uuid::Uuid::new_v4()
            )?;
            let tally = core.export(&caller, &c, &mut w).map_err(|e| match e {
                symbolon_core::CoreError::Refused(d) => {
                    anyhow::anyhow!("export for `{}` refused: {d}", principal.name)
                }
                e => e.into(),
            })?;
            w.write_all(b"\n]}\n")?;
            w.into_inner()
                .map_err(|e| e.into_error())?
                .sync_all()
                .context("writing the bundle")?;
            Ok(tally.served)
        })();
        let n = match written {
            Ok(n) => n,
            Err(e) => {
                let _ = std::fs::remove_file(&tmp);
                return Err(e);
            }
        };
        match target {
            Some(path) => std::fs::rename(&tmp, &path)
                .with_context(|| format!("renaming to {}", path.display()))?,
            None => {
                let copied = std::fs::File::open(&tmp).and_then(|mut f| {
                    let stdout = std::io::stdout();
                    let mut out = stdout.lock();
                    std::io::copy(&mut f, &mut out)?;
                    out.flush()
                });
                let _ = std::fs::remove_file(&tmp);
                copied.context("writing the bundle to stdout")?;
            }
        }
        eprintln!("exported {n} objects");
        Ok(0)
    })
}
