//! `symbolon init` and `symbolon serve`.

use crate::DataDir;
use anyhow::{Context, Result};
use symbolon_core::Core;

/// Environment variable that sets the administrator's password at initialisation.
pub const ADMIN_PASSWORD_ENV: &str = "SYMBOLON_ADMIN_PASSWORD";

fn admin_password() -> Option<String> {
    std::env::var(ADMIN_PASSWORD_ENV)
        .ok()
        .filter(|p| !p.is_empty())
}

fn announce(core: &Core, generated: Option<String>) {
    eprintln!("Initialised a new node in {}.", core.dir().display());
    eprintln!(
        "Node public key: {}",
        hex::encode(core.key().verifying_key().as_bytes())
    );
    if let Some(password) = generated {
        eprintln!(
            "User `{}` has the password: {password}",
            symbolon_core::ADMIN
        );
        eprintln!(
            "It is shown only this once (set {ADMIN_PASSWORD_ENV} at initialisation to choose it)."
        );
    }
}

pub fn open(dir: &std::path::Path) -> Result<Core> {
    node::open(dir)
}

pub fn init(data: &DataDir) -> Result<i32> {
    let (core, generated) = Core::init(&data.dir, admin_password().as_deref())?;
    announce(&core, generated);
    Ok(0)
}

/// What `symbolon serve` was asked for.
pub struct ServeArgs {
    pub listen: String,
    pub sync_every: u64,
    pub warninglists: Option<std::path::PathBuf>,
    pub correlation_cap: usize,
    pub listening: node::serve::Listening,
}

/// The address `--listen` names: `IP:PORT`, or `HOST:PORT` resolved (the first address).
fn listen_address(listen: &str) -> Result<std::net::SocketAddr> {
    use std::net::ToSocketAddrs;
    let hint = "give HOST:PORT, e.g. 127.0.0.1:6100, [::1]:6100 or localhost:6100";
    listen
        .to_socket_addrs()
        .with_context(|| format!("--listen `{listen}`: {hint}"))?
        .next()
        .with_context(|| format!("--listen `{listen}` names no address: {hint}"))
}

pub fn serve(data: &DataDir, a: ServeArgs) -> Result<i32> {
    let listen = listen_address(&a.listen)?;
    let lists = a
        .warninglists
        .as_deref()
        .map(super::correlate::load_warninglists)
        .transpose()?;
    let created = !symbolon_core::dir::holds_node(&data.dir);
    let (core, generated) = Core::open_or_init(&data.dir, admin_password().as_deref())?;
    if created {
        announce(&core, generated);
    }
    if let Some(l) = &lists {
        eprintln!("Warninglists: {} loaded.", l.lists().len());
    }
    core.set_warninglists(lists);
    core.set_correlation_cap(a.correlation_cap);
    let sync_every = a.sync_every;
    let rt = tokio::runtime::Builder::new_multi_thread()
        .max_blocking_threads(node::serve::blocking_threads())
        .enable_all()
        .build()
        .context("starting the runtime")?;
    let every = (sync_every > 0).then(|| std::time::Duration::from_secs(sync_every));
    rt.block_on(node::serve::run(core, listen, every, a.listening))?;
    Ok(0)
}
