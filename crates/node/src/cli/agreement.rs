//! `symbolon agreement`: membership, lifecycle notifications, status.

use super::with_node;
use crate::DataDir;
use anyhow::{Context, Result};
use clap::Subcommand;
use node::status::Lang;
use policy::agreement::Agreement;
use policy::lifecycle::Day;
use std::path::PathBuf;
use symbolon_core::agreement::Notice;

/// What was notified (Art. 9.1, 5.1, 9.2, 9.3).
#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum NotifyKind {
    /// A party completed its internal procedures (Art. 9.1).
    Ratification,
    /// A party designated a competent authority (Art. 5.1).
    Designation,
    /// An amendment protocol (Art. 9.2).
    Amendment,
    /// A party's notice of termination (Art. 9.3).
    Termination,
}

#[derive(Subcommand)]
pub enum AgreementCmd {
    /// Check an agreement file and print a summary.
    Check {
        /// The agreement file (`symbolon-agreement/1`).
        file: PathBuf,
    },
    /// Put this node under an agreement as one competent authority of one party.
    Init {
        #[command(flatten)]
        data: DataDir,
        /// The agreement file (`symbolon-agreement/1`).
        #[arg(long)]
        file: PathBuf,
        /// This node's party, by its id in the file.
        #[arg(long)]
        party: String,
        /// This node's competent authority, by its id.
        #[arg(long)]
        authority: String,
    },
    /// Record (and sign) a notification this node's party received.
    Notify {
        #[command(flatten)]
        data: DataDir,
        /// What was notified.
        #[arg(long, value_enum)]
        kind: NotifyKind,
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
        /// The exported notifications (a JSON list).
        file: PathBuf,
    },
    /// State, dates and deadlines, in Gregorian and Solar Hijri dates.
    Status {
        #[command(flatten)]
        data: DataDir,
        /// The day to evaluate (default: today, UTC).
        #[arg(long)]
        at: Option<String>,
        /// The language of the report.
        #[arg(long, value_enum, default_value = "en")]
        lang: Lang,
    },
}

fn day(s: &str, what: &str) -> Result<Day> {
    Day::parse(s).with_context(|| format!("{what} `{s}` is not a date (YYYY-MM-DD)"))
}

pub fn agreement(cmd: AgreementCmd) -> Result<i32> {
    match cmd {
        AgreementCmd::Check { file } => {
            let text = std::fs::read_to_string(&file)
                .with_context(|| format!("reading {}", file.display()))?;
            let a = Agreement::parse(&text).with_context(|| format!("in {}", file.display()))?;
            node::outln!(
                "{} (version {}): {} parties, {} purposes",
                a.id,
                a.version,
                a.parties.len(),
                a.purposes.len()
            );
            Ok(0)
        }
        AgreementCmd::Init {
            data,
            file,
            party,
            authority,
        } => with_node(&data, |core| {
            let text = std::fs::read_to_string(&file)
                .with_context(|| format!("reading {}", file.display()))?;
            let a = core
                .join_agreement(&text, &party, &authority)
                .with_context(|| format!("in {}", file.display()))?;
            node::outln!(
                "this node is `{authority}` of party `{party}` under `{}`",
                a.id
            );
            node::outln!(
                "node public key: {}",
                hex::encode(core.key().verifying_key().as_bytes())
            );
            Ok(0)
        }),
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
        } => with_node(&data, |core| {
            let received = day(&received, "--received")?;
            let notice = match kind {
                NotifyKind::Ratification => Notice::Ratification,
                NotifyKind::Termination => Notice::Termination,
                NotifyKind::Designation => Notice::Designation(policy::ledger::Designated {
                    id: authority_id.context("--authority-id")?,
                    name: authority_name.context("--authority-name")?,
                    public_key: public_key.context("--public-key")?,
                    node_url,
                }),
                NotifyKind::Amendment => {
                    let path = amended.context("--amended")?;
                    Notice::Amendment(
                        std::fs::read_to_string(&path)
                            .with_context(|| format!("reading {}", path.display()))?,
                    )
                }
            };
            let signed = core.notify(notice, &party, received)?;
            node::outln!("{}", serde_json::to_string_pretty(&signed)?);
            Ok(0)
        }),
        AgreementCmd::Export { data } => with_node(&data, |core| {
            node::outln!(
                "{}",
                serde_json::to_string_pretty(&core.exported_notifications()?)?
            );
            Ok(0)
        }),
        AgreementCmd::Accept { data, file } => with_node(&data, |core| {
            let incoming: Vec<policy::ledger::Signed> = serde_json::from_slice(
                &std::fs::read(&file).with_context(|| format!("reading {}", file.display()))?,
            )
            .with_context(|| {
                format!(
                    "{} is not an exported list of notifications",
                    file.display()
                )
            })?;
            let (n, refused) = core.accept_records(&incoming)?;
            if let Some((id, why)) = refused.first() {
                anyhow::bail!("notification `{id}` refused: {why}");
            }
            node::outln!("accepted {n} new notifications");
            Ok(0)
        }),
        AgreementCmd::Status { data, at, lang } => with_node(&data, |core| {
            let at = match at {
                Some(s) => day(&s, "--at")?,
                None => Day::today(),
            };
            let state = core.agreement_state(at)?.context(
                "this node is not under an agreement yet (run `symbolon agreement init`)",
            )?;
            node::out!("{}", node::status::render(&state, at, lang));
            Ok(0)
        }),
    }
}
