//! The federation side of the benchmark: RU's node pulls the big collection from IR's node
//! (the big import's directory, already under the agreement) with every request signed,
//! every page sealed and every seal verified, into a fresh data directory per run.

use crate::servers::symbolon_cli;
use anyhow::{Context, Result, ensure};
use std::path::Path;
use std::time::Instant;

/// Makes RU's node template in `template` (under the agreement, IR designated with IR's
/// key) and lets it read `coll` on IR's node in `ir_dir`. Each run copies the template, so
/// every run pulls into an empty store with the same node key.
pub fn prepare(
    bin: &Path,
    ir_dir: &Path,
    coll: &str,
    agreement: &Path,
    template: &Path,
) -> Result<()> {
    let file = agreement.to_str().context("agreement path")?;
    let ru = |args: &[&str]| symbolon_cli(bin, template, args);
    let ir = |args: &[&str]| symbolon_cli(bin, ir_dir, args);
    ru(&["init"])?;
    ru(&[
        "agreement",
        "init",
        "--file",
        file,
        "--party",
        "RU",
        "--authority",
        "ru-csirt",
    ])?;
    crate::agreement::ratified_by_both(&ru)?;
    let key_of = |who: &str| -> Result<String> {
        Ok(who
            .split('\t')
            .nth(1)
            .context("whoami prints name and key")?
            .to_owned())
    };
    let ir_key = key_of(&ir(&["peer", "whoami"])?)?;
    let ru_key = key_of(&ru(&["peer", "whoami"])?)?;
    ru(&[
        "agreement",
        "notify",
        "--kind",
        "designation",
        "--party",
        "IR",
        "--received",
        "2021-04-01",
        "--authority-id",
        "ir-csirt",
        "--authority-name",
        "IR CSIRT",
        "--public-key",
        &ir_key,
    ])?;
    // A later designation of the same authority replaces the bench's placeholder key.
    ir(&[
        "agreement",
        "notify",
        "--kind",
        "designation",
        "--party",
        "RU",
        "--received",
        "2021-04-02",
        "--authority-id",
        "ru-csirt",
        "--authority-name",
        "RU CSIRT",
        "--public-key",
        &ru_key,
    ])?;
    ir(&[
        "peer",
        "add",
        "ru-csirt",
        "--url",
        "http://127.0.0.1:9/",
        "--purpose",
        "incident-response",
    ])?;
    ir(&["user", "grant", "ru-csirt", "--collection", coll, "--read"])?;
    Ok(())
}

fn copy_dir(from: &Path, to: &Path) -> Result<()> {
    std::fs::create_dir_all(to)?;
    for e in std::fs::read_dir(from)? {
        let e = e?;
        std::fs::copy(e.path(), to.join(e.file_name()))
            .with_context(|| format!("copying {}", e.path().display()))?;
    }
    Ok(())
}

/// One pull of the whole collection from IR's node at `ir_base` into a copy of `template`
/// at `run_dir`; objects per second.
pub fn pull(
    bin: &Path,
    ir_dir: &Path,
    template: &Path,
    run_dir: &Path,
    ir_base: &str,
    objects: usize,
) -> Result<f64> {
    copy_dir(template, run_dir)?;
    // Every run starts RU's audit log afresh from the template; IR witnessed the previous
    // run's longer log and would rightly refuse this one as rewritten.
    symbolon_cli(
        bin,
        ir_dir,
        &["peer", "resume", "ru-csirt", "--forget-witness"],
    )?;
    symbolon_cli(
        bin,
        run_dir,
        &[
            "peer",
            "add",
            "ir-csirt",
            "--url",
            ir_base,
            "--purpose",
            "incident-response",
        ],
    )?;
    let _ = std::process::Command::new("sync").status();
    let started = Instant::now();
    let out = symbolon_cli(bin, run_dir, &["sync"])?;
    let rate = objects as f64 / started.elapsed().as_secs_f64();
    let new: usize = out
        .lines()
        .filter_map(|l| {
            l.split(": ")
                .nth(2)?
                .split(' ')
                .next()?
                .parse::<usize>()
                .ok()
        })
        .sum();
    ensure!(
        new == objects,
        "the pull took {new} of {objects} objects: {out}"
    );
    Ok(rate)
}
