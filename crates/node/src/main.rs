//! `symbolon`: run a node, manage its collections and users, import and export STIX, keep
//! the agreement's records, exchange with peers. Arguments are parsed here and answers
//! printed by the `cli` modules; every command's work is the core's (`symbolon_core`).

use anyhow::Result;
use clap::{CommandFactory, Parser, Subcommand};
use std::path::PathBuf;

mod cli;

// mimalloc rather than the system allocator: the import pipeline allocates object texts on
// one thread and frees them on another, which glibc's arenas answer with lock traffic and
// fresh zeroed pages (measured: ~20% of the validating thread's time).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "symbolon",
    version,
    about = "A Symbolon node: STIX 2.1 over TAXII 2.1 under an information-security agreement",
    after_help = EXIT_STATUS
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// How log lines are written to standard error: `text` (colour only on a terminal) or
    /// `json` (one object per line, for a log collector). `SYMBOLON_LOG` sets the levels
    /// (default: warnings; `serve` adds its own events and one `access` line per request).
    #[arg(long, global = true, value_enum, default_value_t = LogFormat::Text, env = "SYMBOLON_LOG_FORMAT")]
    log_format: LogFormat,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum LogFormat {
    Text,
    Json,
}

/// Log lines to standard error, timestamped, in the chosen format.
fn init_logging(format: LogFormat, serving: bool) {
    use std::io::IsTerminal;
    let default = if serving {
        "warn,access=info,symbolon=info"
    } else {
        "warn"
    };
    let filter = tracing_subscriber::EnvFilter::try_from_env("SYMBOLON_LOG")
        .unwrap_or_else(|_| default.into());
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    match format {
        LogFormat::Json => builder
            .json()
            .flatten_event(true)
            .with_current_span(false)
            .init(),
        LogFormat::Text => builder.with_ansi(std::io::stderr().is_terminal()).init(),
    }
}

const EXIT_STATUS: &str = "Exit status:
  0  done (or, for `audit verify` and `provenance`, everything verified)
  1  an error (the message says what failed and what to do next), or a verification
     that failed: `audit verify`, `provenance`, a `sync` with a peer that failed
  2  the command line was not understood; for `import`: done, but some objects were
     rejected (each named); for `sync`: every peer answered, but objects were rejected
     or pages quarantined (see `symbolon peer quarantine`)";

#[derive(clap::Args, Clone)]
pub(crate) struct DataDir {
    /// The node's data directory (`symbolon init` creates a node there).
    #[arg(
        long = "data",
        default_value = "./symbolon-data",
        env = "SYMBOLON_DATA"
    )]
    pub(crate) dir: PathBuf,
}

#[derive(Subcommand)]
enum Command {
    /// Create a node in an empty or new directory (the administrator `admin` gets
    /// SYMBOLON_ADMIN_PASSWORD, or a password printed once).
    Init {
        #[command(flatten)]
        data: DataDir,
    },
    /// Serve the TAXII 2.1 API (creating the node first in an empty or new directory).
    Serve {
        #[command(flatten)]
        data: DataDir,
        /// Address to listen on: IP:PORT or HOST:PORT (e.g. localhost:6100).
        #[arg(long, default_value = "127.0.0.1:6100")]
        listen: String,
        /// Seconds between syncs with every peer (0: only `symbolon sync` syncs).
        #[arg(long, default_value_t = 60)]
        sync_every: u64,
        /// MISP warninglists that flag likely false positives in lookups: a directory of
        /// `list.json` files (the `lists` directory of MISP's misp-warninglists).
        #[arg(long, value_name = "DIR")]
        warninglists: Option<PathBuf>,
        /// Objects that may hold a value before lookups report it over-correlated.
        #[arg(long, value_name = "N", default_value_t = symbolon_core::correlate::DEFAULT_CAP)]
        correlation_cap: usize,
        /// Serve HTTPS with this certificate chain (PEM; with --tls-key).
        #[arg(long, value_name = "FILE", requires = "tls_key")]
        tls_cert: Option<PathBuf>,
        /// The certificate's private key (PEM; with --tls-cert).
        #[arg(long, value_name = "FILE", requires = "tls_cert")]
        tls_key: Option<PathBuf>,
        /// The URL clients reach this node at, when a reverse proxy stands in front (e.g.
        /// https://taxii.cert.example/): discovery advertises API roots under it.
        #[arg(long, value_name = "URL")]
        public_url: Option<String>,
        /// Accept passwords over plain HTTP from other hosts (by default only a client on
        /// this host may send one without TLS).
        #[arg(long)]
        allow_basic_over_http: bool,
    },
    /// Peer nodes this node exchanges with (federation).
    #[command(subcommand)]
    Peer(cli::peer::PeerCmd),
    /// Two parties' nodes and a third party's on loopback: exchange, refusal, consent,
    /// forward, signatures and audit proofs, step by step. The nodes stop when it ends.
    Demo {
        /// MITRE ATT&CK for ICS bundle (default: the one in ../shared/data/attack/).
        #[arg(long)]
        attack: Option<PathBuf>,
        /// Keep the nodes' data directories here.
        #[arg(long)]
        keep: Option<PathBuf>,
    },
    /// Show and check who sealed an object received from a peer (or held by a peer).
    Provenance(cli::peer::ProvenanceArgs),
    /// Sync with every peer now (or one): witness logs, take records, pull and push.
    Sync {
        #[command(flatten)]
        data: DataDir,
        /// Only this peer.
        #[arg(long)]
        peer: Option<String>,
    },
    /// Manage collections.
    #[command(subcommand)]
    Collection(cli::admin::CollectionCmd),
    /// Manage users and their collection rights.
    #[command(subcommand)]
    User(cli::admin::UserCmd),
    /// Manage API roots.
    #[command(subcommand, name = "api-root")]
    ApiRoot(cli::admin::ApiRootCmd),
    /// Inspect and verify the tamper-evident audit log.
    #[command(subcommand)]
    Audit(cli::audit::AuditCmd),
    /// The agreement this node enforces: membership, lifecycle notifications, status.
    #[command(subcommand)]
    Agreement(cli::agreement::AgreementCmd),
    /// Load STIX bundles or TAXII envelopes into a collection.
    Import(cli::data::ImportArgs),
    /// Write every version in a collection as one STIX 2.1 bundle.
    Export(cli::data::ExportArgs),
    /// Have we, or a partner, seen these values? Objects holding them (exactly, or by range,
    /// domain or host), their sightings, and warninglist flags: only what the user may
    /// receive.
    Lookup(cli::correlate::LookupArgs),
    /// Sightings and false-positive reports (they travel back to the originator).
    #[command(subcommand)]
    Sighting(cli::respond::SightingCmd),
    /// Joint incidents: open, update, task, note, impact, link, close, show, list.
    #[command(subcommand)]
    Incident(cli::respond::IncidentCmd),
    /// Third-party consents (Art. 6.2): request, grant, revoke, accept, list.
    #[command(subcommand)]
    Consent(cli::ledger::ConsentCmd),
    /// Confidentiality notices (Art. 6.3): issue, accept, list.
    #[command(subcommand)]
    Notice(cli::ledger::NoticeCmd),
    /// The node's key: rotate it.
    #[command(subcommand)]
    Key(cli::key::KeyCmd),
    /// Write a backup of the node to one file while it serves: the store, the audit log
    /// and the key, as of one moment (the file holds the node's secret key: owner-only).
    Backup {
        #[command(flatten)]
        data: DataDir,
        /// The backup file to write (must not exist).
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Restore a backup into a new data directory, check every file against the backup's
    /// manifest and verify the restored audit log.
    Restore {
        #[command(flatten)]
        data: DataDir,
        /// The backup file (`symbolon backup --out`).
        #[arg(long, value_name = "FILE")]
        from: PathBuf,
    },
    /// Print a completion script for a shell (e.g. `symbolon completions bash >
    /// /etc/bash_completion.d/symbolon`).
    Completions {
        /// The shell: bash, zsh, fish, elvish or powershell.
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff), e.g. `symbolon man | man -l -`.
    Man,
}

fn main() {
    let cli = Cli::parse();
    init_logging(cli.log_format, matches!(cli.command, Command::Serve { .. }));
    match run(cli) {
        Ok(code) => std::process::exit(code),
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::exit(1);
        }
    }
}

fn run(cli: Cli) -> Result<i32> {
    match cli.command {
        Command::Completions { shell } => {
            let mut out = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "symbolon", &mut out);
            node::out!("{}", String::from_utf8_lossy(&out));
            Ok(0)
        }
        Command::Backup { data, out } => {
            let m = symbolon_core::backup::backup(&data.dir, &out)?;
            node::outln!(
                "backup written to {}: audit log of {} entries, taken {}",
                out.display(),
                m.audit_entries,
                m.taken_at
            );
            for (name, size, digest) in &m.files {
                node::outln!("  {name}\t{size} bytes\tsha256 {digest}");
            }
            Ok(0)
        }
        Command::Restore { data, from } => {
            let (m, report) = symbolon_core::backup::restore(&from, &data.dir)?;
            node::outln!(
                "restored into {} the backup taken {}",
                data.dir.display(),
                m.taken_at
            );
            let mut code = 0;
            match &report.tamper {
                None => node::outln!("audit log intact: {} entries", report.entries),
                Some(t) => {
                    eprintln!("audit log TAMPERED: {t}");
                    code = 1;
                }
            }
            for c in &report.collections {
                node::outln!(
                    "  {}\t{}\t{} versions stored, {} accounted for by the log",
                    c.id,
                    c.title,
                    c.stored,
                    c.accounted
                );
                if c.problem_count > 0 {
                    eprintln!("collection {} is NOT COVERED by its log", c.id);
                    code = 1;
                }
            }
            Ok(code)
        }
        Command::Man => {
            let mut out = Vec::new();
            clap_mangen::Man::new(Cli::command()).render(&mut out)?;
            node::out!("{}", String::from_utf8_lossy(&out));
            Ok(0)
        }
        Command::Init { data } => cli::node::init(&data),
        Command::Serve {
            data,
            listen,
            sync_every,
            warninglists,
            correlation_cap,
            tls_cert,
            tls_key,
            public_url,
            allow_basic_over_http,
        } => cli::node::serve(
            &data,
            cli::node::ServeArgs {
                listen,
                sync_every,
                warninglists,
                correlation_cap,
                listening: node::serve::Listening {
                    tls: tls_cert.zip(tls_key),
                    public_url,
                    basic_over_plain_http: allow_basic_over_http,
                },
            },
        ),
        Command::Demo { attack, keep } => {
            node::demo::run(attack.as_deref(), keep.as_deref())?;
            Ok(0)
        }
        Command::Peer(cmd) => cli::peer::peer(cmd),
        Command::Provenance(args) => cli::peer::provenance(args),
        Command::Sync { data, peer } => cli::peer::sync(&data, peer.as_deref()),
        Command::Collection(cmd) => cli::admin::collection(cmd),
        Command::User(cmd) => cli::admin::user(cmd),
        Command::ApiRoot(cmd) => cli::admin::api_root(cmd),
        Command::Audit(cmd) => cli::audit::audit(cmd),
        Command::Key(cmd) => cli::key::key(cmd),
        Command::Agreement(cmd) => cli::agreement::agreement(cmd),
        Command::Import(args) => cli::data::import(args),
        Command::Export(args) => cli::data::export(args),
        Command::Lookup(args) => cli::correlate::lookup(args),
        Command::Sighting(cmd) => cli::respond::sighting(cmd),
        Command::Incident(cmd) => cli::respond::incident(cmd),
        Command::Consent(cmd) => cli::ledger::consent(cmd),
        Command::Notice(cmd) => cli::ledger::notice(cmd),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every option and argument of every command says what it is for.
    #[test]
    fn every_argument_has_help() {
        fn walk(cmd: &clap::Command, path: &str, missing: &mut Vec<String>) {
            for a in cmd.get_arguments() {
                if matches!(a.get_id().as_str(), "help" | "version") {
                    continue;
                }
                if a.get_help().is_none() && a.get_long_help().is_none() {
                    missing.push(format!("{path} {}", a.get_id()));
                }
            }
            for sub in cmd.get_subcommands() {
                if sub.get_about().is_none() && sub.get_name() != "help" {
                    missing.push(format!("{path} {} (the command)", sub.get_name()));
                }
                walk(sub, &format!("{path} {}", sub.get_name()), missing);
            }
        }
        let mut missing = Vec::new();
        walk(&Cli::command(), "symbolon", &mut missing);
        assert!(missing.is_empty(), "no help text: {missing:#?}");
        Cli::command().debug_assert();
    }
}
