//! Ingest by shape of input: what a hostile writer or peer could choose. The same number
//! of indicators imported with random ids, with ids that share all but their last bytes
//! (sequential ids, as many producers write them), as versions of one id, and as one
//! bundle of a single type; the cost should not depend on the shape beyond a constant.

use crate::servers::{node_with_collection, timed_import};
use anyhow::Result;
use std::io::Write;
use std::path::Path;

#[derive(Clone, Copy)]
pub enum Shape {
    RandomIds,
    SharedPrefix,
    VersionsOfOne,
}

impl Shape {
    pub fn name(self) -> &'static str {
        match self {
            Shape::RandomIds => "random ids",
            Shape::SharedPrefix => "ids sharing all but their last bytes",
            Shape::VersionsOfOne => "versions of one id",
        }
    }
}

fn write(out: &mut dyn Write, shape: Shape, n: usize) -> std::io::Result<()> {
    out.write_all(b"{\"type\":\"bundle\",\"id\":\"bundle--6f1c2a9e-8d3b-4e5f-a0b1-c2d3e4f5a6b7\",\"objects\":[")?;
    for i in 0..n as u64 {
        if i > 0 {
            out.write_all(b",")?;
        }
        let h = i.wrapping_mul(0x9E37_79B9_7F4A_7C15);
        let id = match shape {
            Shape::RandomIds => format!(
                "{:08x}-{:04x}-4{:03x}-8{:03x}-{:012x}",
                (h >> 32) as u32,
                (h >> 16) & 0xFFFF,
                h & 0xFFF,
                (h >> 20) & 0xFFF,
                i
            ),
            Shape::SharedPrefix => format!("00000000-0000-4000-8000-{i:012x}"),
            Shape::VersionsOfOne => "00000000-0000-4000-8000-000000000001".to_owned(),
        };
        // One version per millisecond from 2024 on (versions of one id need distinct
        // `modified`; the other shapes share it).
        let modified = match shape {
            Shape::VersionsOfOne => format!(
                "2024-01-{:02}T{:02}:{:02}:{:02}.{:03}Z",
                1 + i / 86_400_000,
                (i / 3_600_000) % 24,
                (i / 60_000) % 60,
                (i / 1000) % 60,
                i % 1000
            ),
            _ => "2024-03-01T10:00:00.000Z".to_owned(),
        };
        write!(
            out,
            "{{\"type\":\"indicator\",\"spec_version\":\"2.1\",\"id\":\"indicator--{id}\",\"created\":\"2024-01-01T00:00:00.000Z\",\"modified\":\"{modified}\",\"name\":\"Shape {i}\",\"pattern\":\"[ipv4-addr:value = '198.51.{}.{}']\",\"pattern_type\":\"stix\",\"valid_from\":\"2024-03-01T10:00:00Z\"}}",
            (i >> 8) & 0xFF,
            i & 0xFF
        )?;
    }
    out.write_all(b"]}")
}

/// Seconds to import `n` indicators of `shape` into a fresh node with the CLI.
pub fn import_seconds(bin: &Path, work: &Path, shape: Shape, n: usize) -> Result<f64> {
    let bundle = work.join("shape.json");
    {
        let mut f = std::io::BufWriter::new(std::fs::File::create(&bundle)?);
        write(&mut f, shape, n)?;
        f.flush()?;
    }
    let dir = work.join(format!("shape-{n}-{}", shape as u8));
    let coll = node_with_collection(bin, &dir, "shapes")?;
    let s = timed_import(bin, &dir, &coll, &bundle)?;
    std::fs::remove_dir_all(&dir)?;
    std::fs::remove_file(&bundle)?;
    Ok(s)
}

/// The table: each shape at two sizes ten times apart, with its time against random ids
/// of the same count (linear ingest keeps each ratio near 1 at both sizes).
pub fn run(bin: &Path, sizes: [usize; 2]) -> Result<String> {
    let work = tempfile::tempdir()?;
    let mut table = String::from(
        "\n| ingest by shape of input (CLI import) | objects | seconds | against random ids |\n|---|---:|---:|---:|\n",
    );
    for n in sizes {
        let base = import_seconds(bin, work.path(), Shape::RandomIds, n)?;
        table.push_str(&format!(
            "| {} | {n} | {base:.2} | 1.00 |\n",
            Shape::RandomIds.name()
        ));
        for shape in [Shape::SharedPrefix, Shape::VersionsOfOne] {
            let s = import_seconds(bin, work.path(), shape, n)?;
            eprintln!("shapes: {n} {}: {s:.2}s", shape.name());
            table.push_str(&format!(
                "| {} | {n} | {s:.2} | {:.2} |\n",
                shape.name(),
                s / base
            ));
        }
    }
    Ok(table)
}
