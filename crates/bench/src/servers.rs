//! The two servers under test, each started fresh as a real process on loopback.

use anyhow::{Context, Result, bail};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub const USER: &str = "admin";
pub const PASSWORD: &str = "bench-pass";

pub struct Running {
    child: Child,
    /// The collection's objects URL prefix: `.../collections/<id>/`.
    pub collection_url: String,
    _data: Option<tempfile::TempDir>,
}

impl Running {
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// The server's base URL (what comes before its API root), e.g. `http://127.0.0.1:6100`.
    pub fn base(&self) -> Result<String> {
        Ok(self
            .collection_url
            .split("/api1/")
            .next()
            .context("a collection URL without /api1/")?
            .to_owned())
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

fn wait_for(port: u16, child: &mut Child) -> Result<()> {
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline {
        if let Some(status) = child.try_wait()? {
            bail!("server exited during start-up: {status}");
        }
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(25));
    }
    bail!("server did not listen on {port} within 60 s")
}

pub fn symbolon_cli(bin: &Path, data: &Path, args: &[&str]) -> Result<String> {
    let out = Command::new(bin)
        .args(args)
        .args(["--data", data.to_str().context("data path")?])
        .env("SYMBOLON_ADMIN_PASSWORD", PASSWORD)
        .output()
        .with_context(|| format!("running {}", bin.display()))?;
    if !out.status.success() {
        bail!(
            "symbolon {args:?} failed ({}): {}{}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    Ok(String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

/// A new node in `data` with one collection titled `title`; its id.
pub fn node_with_collection(bin: &Path, data: &Path, title: &str) -> Result<String> {
    symbolon_cli(bin, data, &["init"])?;
    symbolon_cli(bin, data, &["collection", "create", "--title", title])
}

/// Seconds `symbolon import` takes to load `file` into `coll` of the node in `data`.
pub fn timed_import(bin: &Path, data: &Path, coll: &str, file: &Path) -> Result<f64> {
    let started = std::time::Instant::now();
    symbolon_cli(
        bin,
        data,
        &[
            "import",
            "--collection",
            coll,
            file.to_str().context("a path that is not UTF-8")?,
        ],
    )?;
    Ok(started.elapsed().as_secs_f64())
}

/// A Symbolon node on `data` (a fresh directory with one collection when `None`).
pub fn symbolon(bin: &Path, data: Option<(&Path, &str)>) -> Result<Running> {
    let (tmp, dir, coll) = match data {
        Some((dir, coll)) => (None, dir.to_owned(), coll.to_owned()),
        None => {
            let tmp = tempfile::tempdir()?;
            let dir = tmp.path().to_owned();
            symbolon_cli(bin, &dir, &["init"])?;
            let coll = symbolon_cli(bin, &dir, &["collection", "create", "--title", "bench"])?;
            (Some(tmp), dir, coll)
        }
    };
    let port = free_port()?;
    let mut child = Command::new(bin)
        .args([
            "serve",
            "--data",
            dir.to_str().context("data path")?,
            "--listen",
            &format!("127.0.0.1:{port}"),
        ])
        .env("SYMBOLON_ADMIN_PASSWORD", PASSWORD)
        .stderr(Stdio::null())
        .spawn()
        .context("starting symbolon")?;
    wait_for(port, &mut child)?;
    Ok(Running {
        child,
        collection_url: format!("http://127.0.0.1:{port}/api1/collections/{coll}/"),
        _data: tmp,
    })
}

/// medallion with its memory backend and one empty, writable collection.
pub fn medallion(bin: &PathBuf, page_size: usize) -> Result<Running> {
    let tmp = tempfile::tempdir()?;
    let port = free_port()?;
    let coll = "91a7b528-80eb-42ed-a74d-c6fbd5a26116";
    let data = serde_json::json!({
        "/discovery": {
            "title": "medallion", "description": "bench", "contact": "",
            "default": format!("http://127.0.0.1:{port}/api1/"),
            "api_roots": [format!("http://127.0.0.1:{port}/api1/")]
        },
        "api1": {
            "information": {
                "title": "bench", "description": "bench",
                "versions": ["application/taxii+json;version=2.1"], "max_content_length": 1_000_000_000u64
            },
            "status": [],
            "collections": [{
                "id": coll, "title": "bench", "can_read": true, "can_write": true,
                "media_types": ["application/stix+json;version=2.1"], "objects": [], "manifest": []
            }]
        }
    });
    let data_file = tmp.path().join("data.json");
    std::fs::write(&data_file, data.to_string())?;
    let config = serde_json::json!({
        "backend": { "module": "medallion.backends.memory_backend", "module_class": "MemoryBackend", "filename": data_file },
        "users": { USER: PASSWORD },
        "taxii": { "max_page_size": page_size }
    });
    let config_file = tmp.path().join("config.json");
    std::fs::write(&config_file, config.to_string())?;
    let mut child = Command::new(bin)
        .args([
            "--host",
            "127.0.0.1",
            "--port",
            &port.to_string(),
            "--log-level",
            "ERROR",
        ])
        .arg(&config_file)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .with_context(|| format!("starting {}", bin.display()))?;
    wait_for(port, &mut child)?;
    Ok(Running {
        child,
        collection_url: format!("http://127.0.0.1:{port}/api1/collections/{coll}/"),
        _data: Some(tmp),
    })
}
