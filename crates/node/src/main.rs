//! `symbolon`: run a node, manage its collections and users, import and export STIX.

use anyhow::{Context, Result, bail};
use clap::{Parser, Subcommand};
use node::events::Event;
use std::io::{IsTerminal, Read};
use std::net::SocketAddr;
use std::path::PathBuf;
use store::Store;

mod peer_cmd;

// mimalloc rather than the system allocator: the import pipeline allocates object texts on
// one thread and frees them on another, which glibc's arenas answer with lock traffic and
// fresh zeroed pages (measured: ~20% of the validating thread's time).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "symbolon",
    version,
    about = "A Symbolon node: STIX 2.1 over TAXII 2.1 under an information-security agreement"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(clap::Args, Clone)]
pub(crate) struct DataDir {
    /// The node's data directory (created and initialised on first use).
    #[arg(
        long = "data",
        default_value = "./symbolon-data",
        env = "SYMBOLON_DATA"
    )]
    pub(crate) dir: PathBuf,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the TAXII 2.1 API.
    Serve {
        #[command(flatten)]
        data: DataDir,
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1:6100")]
        listen: SocketAddr,
        /// Seconds between pulls from every peer (0: only `symbolon sync` pulls).
        #[arg(long, default_value_t = 60)]
        sync_every: u64,
    },
    /// Peer nodes this node exchanges with (federation).
    #[command(subcommand)]
    Peer(peer_cmd::PeerCmd),
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
    Provenance(peer_cmd::ProvenanceArgs),
    /// Pull from every peer now (or one): witness logs, take notices, pull collections.
    Sync {
        #[command(flatten)]
        data: DataDir,
        #[arg(long)]
        peer: Option<String>,
    },
    /// Manage collections.
    #[command(subcommand)]
    Collection(CollectionCmd),
    /// Manage users and their collection rights.
    #[command(subcommand)]
    User(UserCmd),
    /// Manage API roots.
    #[command(subcommand, name = "api-root")]
    ApiRoot(ApiRootCmd),
    /// Inspect and verify the tamper-evident audit log.
    #[command(subcommand)]
    Audit(AuditCmd),
    /// The agreement this node enforces: membership, lifecycle notifications, status.
    #[command(subcommand)]
    Agreement(AgreementCmd),
    /// Load STIX bundles or TAXII envelopes into a collection.
    Import {
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
    },
    /// Write every version in a collection as one STIX 2.1 bundle.
    Export {
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
    },
    /// Third-party consents (Art. 6.2): request, grant, revoke, accept, list.
    #[command(subcommand)]
    Consent(ConsentCmd),
    /// Confidentiality notices (Art. 6.3): issue, accept, list.
    #[command(subcommand)]
    Notice(NoticeCmd),
}

#[derive(Subcommand)]
enum ConsentCmd {
    /// Ask the originator of information for consent to pass it to a third party; prints
    /// the signed request to send to the originator's node.
    Request {
        #[command(flatten)]
        data: DataDir,
        /// The competent authority the information was obtained from.
        #[arg(long)]
        originator: String,
        /// The third party (a `--third-party` user of this node).
        #[arg(long)]
        recipient: String,
        /// One of the agreement's purposes.
        #[arg(long)]
        purpose: String,
        /// Objects the consent would cover (repeatable).
        #[arg(
            long = "object",
            value_name = "ID",
            required_unless_present = "collection"
        )]
        objects: Vec<String>,
        /// Or every object of this collection (id or alias).
        #[arg(long, conflicts_with = "objects")]
        collection: Option<String>,
        /// Last day of validity (YYYY-MM-DD).
        #[arg(long)]
        expires: String,
        #[arg(long)]
        note: Option<String>,
    },
    /// Grant a consent request (on the originator's node); prints the signed consent.
    Grant {
        #[command(flatten)]
        data: DataDir,
        /// The request file (`-`: stdin).
        request: String,
        /// An earlier last day than requested.
        #[arg(long)]
        expires: Option<String>,
    },
    /// Revoke a consent this node's authority granted; prints the signed revocation.
    Revoke {
        #[command(flatten)]
        data: DataDir,
        /// The consent's id.
        consent: String,
    },
    /// Keep signed records from another node (consents, revocations, requests, notices).
    Accept {
        #[command(flatten)]
        data: DataDir,
        /// Files holding one record or a list (`-`: stdin).
        #[arg(required = true)]
        files: Vec<String>,
    },
    /// Consents held, with their state today.
    List {
        #[command(flatten)]
        data: DataDir,
    },
}

#[derive(Subcommand)]
enum NoticeCmd {
    /// Raise the protection of this authority's objects (or parts of them) everywhere they
    /// are held; prints the signed notice for the other parties' nodes.
    Issue {
        #[command(flatten)]
        data: DataDir,
        /// Objects the notice covers (repeatable).
        #[arg(long = "object", value_name = "ID", required = true)]
        objects: Vec<String>,
        /// Only these parts (STIX selectors, repeatable); default: the whole object.
        #[arg(long = "property", value_name = "SELECTOR")]
        properties: Vec<String>,
        /// `holder`: the holding authority's users only; `parties`: no third party.
        #[arg(long, value_parser = ["holder", "parties"])]
        reach: String,
        #[arg(long)]
        reason: Option<String>,
    },
    /// Keep notices signed by another authority (applied at once).
    Accept {
        #[command(flatten)]
        data: DataDir,
        #[arg(required = true)]
        files: Vec<String>,
    },
}

#[derive(Subcommand)]
enum CollectionCmd {
    /// Create a collection and print its id.
    Create {
        #[command(flatten)]
        data: DataDir,
        #[arg(long)]
        title: String,
        #[arg(long)]
        alias: Option<String>,
        #[arg(long)]
        description: Option<String>,
        /// API root (default: the node's first).
        #[arg(long)]
        api_root: Option<String>,
    },
    /// List collections.
    List {
        #[command(flatten)]
        data: DataDir,
    },
}

#[derive(Subcommand)]
enum AgreementCmd {
    /// Check an agreement file and print a summary.
    Check { file: PathBuf },
    /// Put this node under an agreement as one competent authority of one party.
    Init {
        #[command(flatten)]
        data: DataDir,
        #[arg(long)]
        file: PathBuf,
        #[arg(long)]
        party: String,
        #[arg(long)]
        authority: String,
    },
    /// Record (and sign) a notification this node's party received.
    Notify {
        #[command(flatten)]
        data: DataDir,
        /// `ratification` (Art. 9.1), `designation` (of a competent authority),
        /// `amendment` (Art. 9.2) or `termination` (Art. 9.3).
        #[arg(long)]
        kind: String,
        /// For a designation: the authority's id.
        #[arg(long, required_if_eq("kind", "designation"))]
        authority_id: Option<String>,
        /// For a designation: the authority's name.
        #[arg(long, required_if_eq("kind", "designation"))]
        authority_name: Option<String>,
        /// For a designation: the authority's node public key (64 hex digits).
        #[arg(long, required_if_eq("kind", "designation"))]
        public_key: Option<String>,
        /// For a designation: the authority's node URL.
        #[arg(long)]
        node_url: Option<String>,
        /// For an amendment (Art. 9.2): the amended agreement file (same id, higher
        /// version); it decides from `entry_into_force_days` after receipt.
        #[arg(long, required_if_eq("kind", "amendment"))]
        amended: Option<PathBuf>,
        /// The party that sent it.
        #[arg(long)]
        party: String,
        /// Day of receipt, YYYY-MM-DD.
        #[arg(long)]
        received: String,
    },
    /// Print the signed notifications held (JSON), for the other parties' nodes.
    Export {
        #[command(flatten)]
        data: DataDir,
    },
    /// Accept notifications exported by another node (signatures are checked).
    Accept {
        #[command(flatten)]
        data: DataDir,
        file: PathBuf,
    },
    /// State, dates and deadlines, in Gregorian and Solar Hijri dates.
    Status {
        #[command(flatten)]
        data: DataDir,
        /// The day to evaluate (default: today, UTC).
        #[arg(long)]
        at: Option<String>,
        /// en, fa or ru.
        #[arg(long, default_value = "en")]
        lang: String,
    },
}

#[derive(Subcommand)]
enum AuditCmd {
    /// Recompute the log from its entries; exit 1 naming the first damaged entry.
    Verify {
        #[command(flatten)]
        data: DataDir,
    },
    /// Print the latest signed tree head and the node's public key (JSON).
    Head {
        #[command(flatten)]
        data: DataDir,
    },
    /// Print an entry with its inclusion proof in the tree of SIZE entries (JSON).
    Prove {
        #[command(flatten)]
        data: DataDir,
        /// Entry index (from 0).
        #[arg(long)]
        entry: u64,
        /// Tree size (default: the latest signed head).
        #[arg(long)]
        size: Option<u64>,
    },
    /// Print the consistency proof between two tree sizes (JSON).
    Consistency {
        #[command(flatten)]
        data: DataDir,
        #[arg(long)]
        from: u64,
        /// Default: the latest signed head.
        #[arg(long)]
        to: Option<u64>,
    },
}

#[derive(Subcommand)]
enum ApiRootCmd {
    /// Create an API root, or update its title and limit.
    Set {
        #[command(flatten)]
        data: DataDir,
        /// Path segment the root is served under, e.g. `incidents`.
        name: String,
        #[arg(long)]
        title: String,
        #[arg(long)]
        description: Option<String>,
        /// Largest request body accepted, in bytes.
        #[arg(long, default_value_t = node::init::DEFAULT_MAX_CONTENT_LENGTH)]
        max_content_length: u64,
    },
    /// List API roots.
    List {
        #[command(flatten)]
        data: DataDir,
    },
}

#[derive(Subcommand)]
enum UserCmd {
    /// Create a user or change a user's password. The password is read from stdin with
    /// --password-stdin, otherwise generated and printed.
    Add {
        #[command(flatten)]
        data: DataDir,
        name: String,
        #[arg(long)]
        password_stdin: bool,
        /// Make the user an administrator (reads and writes every collection). A password
        /// change never removes the role.
        #[arg(long)]
        admin: bool,
        /// The user is another competent authority (its node or staff), by its id in the
        /// agreement or a designation.
        #[arg(long, value_name = "AUTHORITY", conflicts_with_all = ["third_party", "admin"])]
        authority: Option<String>,
        /// The user is a third party (Art. 6.2): it receives what was obtained from another
        /// party only with that party's consent.
        #[arg(long, conflicts_with = "admin")]
        third_party: bool,
        /// A purpose of the agreement the user may declare (repeatable; the first is the
        /// default). Replaces the user's purposes when given.
        #[arg(long = "purpose", value_name = "PURPOSE")]
        purposes: Vec<String>,
    },
    /// Set a user's rights on a collection (no flag: no rights).
    Grant {
        #[command(flatten)]
        data: DataDir,
        name: String,
        #[arg(long)]
        collection: String,
        #[arg(long)]
        read: bool,
        #[arg(long)]
        write: bool,
    },
    /// List users.
    List {
        #[command(flatten)]
        data: DataDir,
    },
}

fn main() {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("SYMBOLON_LOG")
                .unwrap_or_else(|_| "warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    match run(Cli::parse()) {
        Ok(code) => std::process::exit(code),
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::exit(1);
        }
    }
}

fn run(cli: Cli) -> Result<i32> {
    match cli.command {
        Command::Peer(cmd) => return peer_cmd::peer(cmd),
        Command::Demo { attack, keep } => node::demo::run(attack.as_deref(), keep.as_deref())?,
        Command::Provenance(args) => return peer_cmd::provenance(args),
        Command::Sync { data, peer } => {
            return peer_cmd::sync(data, peer, std::io::stderr().is_terminal());
        }
        Command::Serve {
            data,
            listen,
            sync_every,
        } => {
            let node = node::open(&data.dir)?;
            let rt = tokio::runtime::Builder::new_multi_thread()
                .enable_all()
                .build()
                .context("starting the runtime")?;
            let every = (sync_every > 0).then(|| std::time::Duration::from_secs(sync_every));
            rt.block_on(node::serve::run(node, listen, every))?;
        }
        Command::Collection(CollectionCmd::Create {
            data,
            title,
            alias,
            description,
            api_root,
        }) => {
            let node = node::open(&data.dir)?;
            let c = node.store.create_collection(&store::NewCollection {
                id: None,
                api_root,
                title,
                description,
                alias,
            })?;
            node.record(&Event::CollectionCreated {
                at: node::events::now(),
                principal: &node.operator.name,
                collection: &c.id,
                title: &c.title,
            })?;
            println!("{}", c.id);
        }
        Command::Collection(CollectionCmd::List { data }) => {
            let node = node::open(&data.dir)?;
            for c in node.store.collections()? {
                println!(
                    "{}\t{}\t{}\t{}",
                    c.id,
                    c.api_root,
                    c.alias.as_deref().unwrap_or("-"),
                    c.title
                );
            }
        }
        Command::ApiRoot(ApiRootCmd::Set {
            data,
            name,
            title,
            description,
            max_content_length,
        }) => {
            if name.is_empty() || name.contains('/') || name == "taxii2" || name == "symbolon" {
                bail!(
                    "API root name `{name}` must be a non-empty path segment other than `taxii2` and `symbolon`"
                );
            }
            let node = node::open(&data.dir)?;
            node.store.create_api_root(&store::ApiRoot {
                name,
                title,
                description,
                max_content_length,
            })?;
        }
        Command::ApiRoot(ApiRootCmd::List { data }) => {
            let node = node::open(&data.dir)?;
            for r in node.store.api_roots()? {
                println!("{}\t{}\t{}", r.name, r.max_content_length, r.title);
            }
        }
        Command::User(UserCmd::Add {
            data,
            name,
            password_stdin,
            admin,
            authority,
            third_party,
            purposes,
        }) => {
            let node = node::open(&data.dir)?;
            let existing = node.store.user(&name)?;
            let kind = match (&authority, third_party) {
                (Some(a), _) => {
                    let Some(terms) = node.policy.terms() else {
                        bail!(
                            "--authority needs a node under an agreement (`symbolon agreement init`)"
                        );
                    };
                    terms.known_authority(a).map_err(anyhow::Error::msg)?;
                    policy::Kind::Authority(a.clone())
                }
                (None, true) => policy::Kind::ThirdParty,
                (None, false) => existing
                    .as_ref()
                    .and_then(|u| policy::Kind::parse(&u.kind))
                    .unwrap_or(policy::Kind::Local),
            };
            if !purposes.is_empty() {
                let Some(terms) = node.policy.terms() else {
                    bail!("--purpose needs a node under an agreement (`symbolon agreement init`)");
                };
                for p in &purposes {
                    terms.known_purpose(p).map_err(anyhow::Error::msg)?;
                }
            }
            let purposes = if purposes.is_empty() {
                existing
                    .as_ref()
                    .map(|u| u.purposes.clone())
                    .unwrap_or_default()
            } else {
                purposes
            };
            let password = if password_stdin {
                let mut p = String::new();
                std::io::stdin()
                    .read_to_string(&mut p)
                    .context("reading the password from stdin")?;
                let p = p.trim_end_matches(['\r', '\n']).to_owned();
                if p.is_empty() {
                    bail!("the password read from stdin is empty");
                }
                p
            } else {
                let p = policy::password::generate();
                println!("{p}");
                p
            };
            let hash = policy::password::hash(&password)?;
            // Changing a password keeps an administrator an administrator; `--admin` only
            // ever grants the role (revoking it is not a side effect of a password reset).
            let admin = admin || existing.is_some_and(|u| u.is_admin);
            if admin && kind != policy::Kind::Local {
                bail!("an administrator is a user of this authority; `{name}` is not");
            }
            node.store.put_user(&store::User {
                name: name.clone(),
                password_hash: hash,
                is_admin: admin,
                kind: kind.text(),
                purposes: purposes.clone(),
            })?;
            node.record(&Event::UserSaved {
                at: node::events::now(),
                principal: &node.operator.name,
                user: &name,
                admin,
                kind: &kind.text(),
                purposes: &purposes,
            })?;
        }
        Command::User(UserCmd::Grant {
            data,
            name,
            collection,
            read,
            write,
        }) => {
            let node = node::open(&data.dir)?;
            let c = node.collection(&collection)?;
            node.store.set_grant(&store::Grant {
                user: name.clone(),
                collection: c.key,
                can_read: read,
                can_write: write,
            })?;
            node.record(&Event::GrantSet {
                at: node::events::now(),
                principal: &node.operator.name,
                user: &name,
                collection: &c.id,
                can_read: read,
                can_write: write,
            })?;
        }
        Command::User(UserCmd::List { data }) => {
            let node = node::open(&data.dir)?;
            for u in node.store.users()? {
                println!(
                    "{}\t{}{}\t{}",
                    u.name,
                    u.kind,
                    if u.is_admin { " (admin)" } else { "" },
                    u.purposes.join(",")
                );
            }
        }
        Command::Import {
            data,
            collection,
            files,
            obtained_from,
        } => {
            let node = node::open(&data.dir)?;
            let started = std::time::Instant::now();
            let summary = node::import::run(
                &node,
                &collection,
                &files,
                obtained_from.as_deref(),
                std::io::stderr().is_terminal(),
            )?;
            for r in &summary.rejected {
                eprintln!("rejected {} ({}): {}", r.id, r.source, r.reason);
            }
            eprintln!(
                "imported {} new, {} already present, {} rejected in {:.2}s",
                summary.added,
                summary.unchanged,
                summary.rejected.len(),
                started.elapsed().as_secs_f64()
            );
            if !summary.rejected.is_empty() {
                return Ok(2);
            }
        }
        Command::Audit(cmd) => return audit_command(cmd),
        Command::Agreement(cmd) => return agreement_command(cmd),
        Command::Consent(cmd) => return consent_command(cmd),
        Command::Notice(cmd) => return notice_command(cmd),
        Command::Export {
            data,
            collection,
            out,
            recipient,
            purpose,
        } => {
            let (recipient, purpose) = (recipient.as_deref(), purpose.as_deref());
            let node = node::open(&data.dir)?;
            let n = match out {
                Some(path) => {
                    // Written beside the target and renamed, so a failed export never leaves a
                    // truncated bundle under the requested name.
                    let tmp = path.with_extension("partial");
                    let file = std::fs::File::create(&tmp)
                        .with_context(|| format!("creating {}", tmp.display()))?;
                    let mut w = std::io::BufWriter::with_capacity(1 << 20, file);
                    let n = node::export::run(&node, &collection, recipient, purpose, &mut w)?;
                    w.into_inner().map_err(|e| e.into_error())?.sync_all()?;
                    std::fs::rename(&tmp, &path)
                        .with_context(|| format!("renaming to {}", path.display()))?;
                    n
                }
                None => {
                    let stdout = std::io::stdout();
                    let mut w = std::io::BufWriter::with_capacity(1 << 20, stdout.lock());
                    node::export::run(&node, &collection, recipient, purpose, &mut w)?
                }
            };
            eprintln!("exported {n} objects");
        }
    }
    Ok(0)
}

fn print_signed(s: &policy::ledger::Signed) -> Result<()> {
    println!("{}", serde_json::to_string_pretty(s)?);
    Ok(())
}

/// Keeps the signed ledger records in `files` (consents, revocations, notices, requests).
fn accept_records(data: &DataDir, files: &[String]) -> Result<()> {
    let node = node::open(&data.dir)?;
    let mut n = 0;
    for f in files {
        n += node::ledger::accept(&node, &node::ledger::read_records(f)?)
            .with_context(|| format!("in {f}"))?;
    }
    println!("kept {n} new records");
    Ok(())
}

fn consent_command(cmd: ConsentCmd) -> Result<i32> {
    use node::ledger;
    use policy::ledger::Scope;
    match cmd {
        ConsentCmd::Request {
            data,
            originator,
            recipient,
            purpose,
            objects,
            collection,
            expires,
            note,
        } => {
            let node = node::open(&data.dir)?;
            let scope = match collection {
                Some(c) => Scope::Collection(c),
                None => Scope::Objects(objects),
            };
            print_signed(&ledger::request(
                &node,
                ledger::Ask {
                    originator,
                    recipient,
                    purpose,
                    scope,
                    expires,
                    note,
                },
            )?)?;
        }
        ConsentCmd::Grant {
            data,
            request,
            expires,
        } => {
            let node = node::open(&data.dir)?;
            let asked = ledger::read_records(&request)?;
            let [asked] = asked.as_slice() else {
                bail!("{request} must hold exactly one consent request");
            };
            print_signed(&ledger::grant(&node, asked, expires)?)?;
        }
        ConsentCmd::Revoke { data, consent } => {
            let node = node::open(&data.dir)?;
            print_signed(&ledger::revoke(&node, &consent)?)?;
        }
        ConsentCmd::Accept { data, files } => accept_records(&data, &files)?,
        ConsentCmd::List { data } => {
            let node = node::open(&data.dir)?;
            node.policy.refresh(node.store.as_ref())?;
            let held = node.policy.held();
            for (t, id, state) in held.consents_on(policy::lifecycle::Day::today()) {
                let scope = match &t.scope {
                    Scope::Objects(ids) => format!("{} objects", ids.len()),
                    Scope::Collection(c) => format!("collection {c}"),
                };
                println!(
                    "{id}\t{state}\t{} -> {} via {}\tpurpose {}\t{scope}\tuntil {}",
                    t.originator, t.recipient, t.holder, t.purpose, t.expires
                );
            }
            for (id, why) in &held.refused {
                println!("{id}\trefused\t{why}");
            }
        }
    }
    Ok(0)
}

fn notice_command(cmd: NoticeCmd) -> Result<i32> {
    use node::ledger;
    use policy::ledger::NoticeReach;
    match cmd {
        NoticeCmd::Issue {
            data,
            objects,
            properties,
            reach,
            reason,
        } => {
            let node = node::open(&data.dir)?;
            let reach = match reach.as_str() {
                "holder" => NoticeReach::Holder,
                _ => NoticeReach::Parties,
            };
            print_signed(&ledger::notice(&node, objects, properties, reach, reason)?)?;
        }
        NoticeCmd::Accept { data, files } => accept_records(&data, &files)?,
    }
    Ok(0)
}

fn audit_command(cmd: AuditCmd) -> Result<i32> {
    let dir = match &cmd {
        AuditCmd::Verify { data } | AuditCmd::Head { data } => data.dir.clone(),
        AuditCmd::Prove { data, .. } | AuditCmd::Consistency { data, .. } => data.dir.clone(),
    };
    let node = node::open(&dir)?;
    let log = node.audit.lock().unwrap_or_else(|p| p.into_inner());
    match cmd {
        AuditCmd::Verify { .. } => match log.verify(&node.key.verifying_key())? {
            Ok(n) => {
                println!("audit log intact: {n} entries, every tree head signed by this node");
            }
            Err(t) => {
                eprintln!("audit log TAMPERED: {t}");
                return Ok(1);
            }
        },
        AuditCmd::Head { .. } => println!(
            "{}",
            serde_json::to_string_pretty(&audit::report::head(&log)?)?
        ),
        AuditCmd::Prove { entry, size, .. } => {
            println!(
                "{}",
                serde_json::to_string_pretty(&audit::report::inclusion(&log, entry, size)?)?
            )
        }
        AuditCmd::Consistency { from, to, .. } => {
            println!(
                "{}",
                serde_json::to_string_pretty(&audit::report::consistency(&log, from, to)?)?
            )
        }
    }
    Ok(0)
}

fn agreement_command(cmd: AgreementCmd) -> Result<i32> {
    use node::agreement as ag;
    match cmd {
        AgreementCmd::Check { file } => {
            let a = ag::load_agreement(&file)?;
            println!(
                "{} (version {}): {} parties, {} purposes",
                a.id,
                a.version,
                a.parties.len(),
                a.purposes.len()
            );
        }
        AgreementCmd::Init {
            data,
            file,
            party,
            authority,
        } => {
            let node = node::open(&data.dir)?;
            let a = ag::init(&node, &data.dir, &file, &party, &authority)?;
            println!(
                "this node is `{authority}` of party `{party}` under `{}`",
                a.id
            );
            println!(
                "node public key: {}",
                hex::encode(node.key.verifying_key().as_bytes())
            );
        }
        AgreementCmd::Notify {
            data,
            kind,
            party,
            received,
            authority_id,
            authority_name,
            public_key,
            node_url,
            amended,
        } => {
            let node = node::open(&data.dir)?;
            let amendment = match amended {
                Some(path) => {
                    let text = std::fs::read_to_string(&path)
                        .with_context(|| format!("reading {}", path.display()))?;
                    let version = policy::agreement::Agreement::parse(&text)
                        .with_context(|| format!("in {}", path.display()))?
                        .version;
                    Some(ag::Amendment { version, text })
                }
                None => None,
            };
            let day = policy::lifecycle::Day::parse(&received)
                .with_context(|| format!("--received `{received}` is not a date (YYYY-MM-DD)"))?;
            let designated = match (authority_id, authority_name, public_key) {
                (Some(id), Some(name), Some(public_key)) => Some(ag::Designated {
                    id,
                    name,
                    public_key,
                    node_url,
                }),
                _ => None,
            };
            let signed = ag::notify(&node, &data.dir, &kind, &party, day, designated, amendment)?;
            println!("{}", serde_json::to_string_pretty(&signed)?);
        }
        AgreementCmd::Export { data } => {
            let node = node::open(&data.dir)?;
            let (a, _) = ag::membership(&data.dir)?;
            println!(
                "{}",
                serde_json::to_string_pretty(&ag::notifications(&node, &data.dir, &a)?)?
            );
        }
        AgreementCmd::Accept { data, file } => {
            let node = node::open(&data.dir)?;
            let incoming: Vec<ag::Signed> = serde_json::from_slice(
                &std::fs::read(&file).with_context(|| format!("reading {}", file.display()))?,
            )
            .with_context(|| {
                format!(
                    "{} is not an exported list of notifications",
                    file.display()
                )
            })?;
            let n = ag::accept(&node, &data.dir, &incoming)?;
            println!("accepted {n} new notifications");
        }
        AgreementCmd::Status { data, at, lang } => {
            let node = node::open(&data.dir)?;
            let lang = node::status::Lang::parse(&lang)
                .with_context(|| format!("--lang must be en, fa or ru, not `{lang}`"))?;
            let at = match at {
                Some(s) => policy::lifecycle::Day::parse(&s)
                    .with_context(|| format!("--at `{s}` is not a date (YYYY-MM-DD)"))?,
                None => policy::lifecycle::Day::today(),
            };
            let (a, me) = ag::membership(&data.dir)?;
            let held = ag::notifications(&node, &data.dir, &a)?;
            let lifecycle = ag::lifecycle(&a, &held)?;
            let designated = ag::designations(&held);
            print!(
                "{}",
                node::status::render(&a, &me, &lifecycle, &designated, at, lang)
            );
        }
    }
    Ok(0)
}
