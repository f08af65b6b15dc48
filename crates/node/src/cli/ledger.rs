//! `symbolon consent` (Art. 6.2) and `symbolon notice` (Art. 6.3).

use super::{read_text, with_node};
use crate::DataDir;
use anyhow::{Context, Result, bail};
use clap::Subcommand;
use policy::ledger::{NoticeReach, Record, Scope, Signed};
use policy::lifecycle::Day;
use symbolon_core::ledger::Ask;

#[derive(Subcommand)]
pub enum ConsentCmd {
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
        /// A note for the originator's operator.
        #[arg(long)]
        note: Option<String>,
    },
    /// Grant a consent request (on the originator's node); prints the signed consent.
    Grant {
        #[command(flatten)]
        data: DataDir,
        /// The request file (`-`: stdin).
        request: String,
        /// An earlier last day than requested (YYYY-MM-DD).
        #[arg(long)]
        expires: Option<String>,
    },
    /// Decline a consent request (on the originator's node); prints the signed refusal,
    /// which travels to the holder with the agreement's records.
    Decline {
        #[command(flatten)]
        data: DataDir,
        /// The request file (`-`: stdin).
        request: String,
        /// Why, for the holder's operator.
        #[arg(long)]
        reason: Option<String>,
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

/// How far a noticed object may still travel (Art. 6.3).
#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum Reach {
    /// The holding authority's own users only.
    Holder,
    /// The parties' competent authorities, never a third party.
    Parties,
}

#[derive(Subcommand)]
pub enum NoticeCmd {
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
        /// How far the objects may still travel.
        #[arg(long, value_enum)]
        reach: Reach,
        /// Why (shown to the holders' operators).
        #[arg(long)]
        reason: Option<String>,
    },
    /// Keep notices signed by another authority (applied at once).
    Accept {
        #[command(flatten)]
        data: DataDir,
        /// Files holding one notice or a list (`-`: stdin).
        #[arg(required = true)]
        files: Vec<String>,
    },
    /// The notices held (this authority's and other authorities'), oldest first.
    List {
        #[command(flatten)]
        data: DataDir,
    },
}

fn print_signed(s: &Signed) -> Result<()> {
    node::outln!("{}", serde_json::to_string_pretty(s)?);
    Ok(())
}

fn day(s: &str, what: &str) -> Result<Day> {
    Day::parse(s).with_context(|| format!("{what} `{s}` is not a date (YYYY-MM-DD)"))
}

/// Reads one signed record or a list of them from a file (`-`: stdin).
fn read_records(path: &str) -> Result<Vec<Signed>> {
    let text = read_text(path)?;
    let value: serde_json::Value =
        serde_json::from_str(&text).with_context(|| format!("{path} is not JSON"))?;
    let list = match value {
        serde_json::Value::Array(items) => items,
        one => vec![one],
    };
    list.into_iter()
        .enumerate()
        .map(|(i, v)| {
            serde_json::from_value(v)
                .with_context(|| format!("{path}: record #{} is not a signed ledger record", i + 1))
        })
        .collect()
}

/// Keeps the signed records in `files`; the first refused one is an error naming it.
fn accept(data: &DataDir, files: &[String]) -> Result<i32> {
    with_node(data, |core| {
        let mut n = 0;
        for f in files {
            let (kept, refused) = core.accept_records(&read_records(f)?)?;
            n += kept;
            if let Some((id, why)) = refused.into_iter().next() {
                bail!("in {f}: record `{id}`: {why}");
            }
        }
        node::outln!("kept {n} new records");
        Ok(0)
    })
}

pub fn consent(cmd: ConsentCmd) -> Result<i32> {
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
        } => with_node(&data, |core| {
            let scope = match collection {
                Some(c) => Scope::Collection(c),
                None => Scope::Objects(objects),
            };
            print_signed(&core.request_consent(Ask {
                originator,
                recipient,
                purpose,
                scope,
                expires: day(&expires, "--expires")?,
                note,
            })?)?;
            Ok(0)
        }),
        ConsentCmd::Grant {
            data,
            request,
            expires,
        } => with_node(&data, |core| {
            let asked = read_records(&request)?;
            let [asked] = asked.as_slice() else {
                bail!("{request} must hold exactly one consent request");
            };
            let expires = expires.map(|e| day(&e, "--expires")).transpose()?;
            print_signed(&core.grant_consent(asked, expires)?)?;
            Ok(0)
        }),
        ConsentCmd::Decline {
            data,
            request,
            reason,
        } => with_node(&data, |core| {
            let asked = read_records(&request)?;
            let [asked] = asked.as_slice() else {
                bail!("{request} must hold exactly one consent request");
            };
            print_signed(&core.decline_consent(asked, reason)?)?;
            Ok(0)
        }),
        ConsentCmd::Revoke { data, consent } => with_node(&data, |core| {
            print_signed(&core.revoke_consent(&consent)?)?;
            Ok(0)
        }),
        ConsentCmd::Accept { data, files } => accept(&data, &files),
        ConsentCmd::List { data } => with_node(&data, |core| {
            let consents = core.consents()?;
            let mut rows = Vec::new();
            for (t, id, state) in &consents.held {
                let scope = match &t.scope {
                    Scope::Objects(ids) => format!("{} objects", ids.len()),
                    Scope::Collection(c) => format!("collection {c}"),
                };
                rows.push(format!(
                    "{id}\t{state}\t{} -> {} via {}\tpurpose {}\t{scope}\tuntil {}",
                    t.originator, t.recipient, t.holder, t.purpose, t.expires
                ));
            }
            for (id, why) in &consents.refused {
                rows.push(format!("{id}\trefused\t{why}"));
            }
            super::table("CONSENT\tSTATE\tDETAILS", rows);
            Ok(0)
        }),
    }
}

pub fn notice(cmd: NoticeCmd) -> Result<i32> {
    match cmd {
        NoticeCmd::Issue {
            data,
            objects,
            properties,
            reach,
            reason,
        } => with_node(&data, |core| {
            let reach = match reach {
                Reach::Holder => NoticeReach::Holder,
                Reach::Parties => NoticeReach::Parties,
            };
            print_signed(&core.issue_notice(objects, properties, reach, reason)?)?;
            Ok(0)
        }),
        NoticeCmd::Accept { data, files } => accept(&data, &files),
        NoticeCmd::List { data } => with_node(&data, |core| {
            let rows = core.records()?.into_iter().filter_map(|s| match s.record {
                Record::Notice(n) => Some(format!(
                    "{}\t{}\t{}\t{}\t{}\t{}",
                    n.id,
                    n.originator,
                    match n.reach {
                        NoticeReach::Holder => "holder",
                        NoticeReach::Parties => "parties",
                    },
                    n.objects.join(","),
                    if n.properties.is_empty() {
                        "(whole)".to_owned()
                    } else {
                        n.properties.join(",")
                    },
                    n.issued_at
                )),
                _ => None,
            });
            super::table(
                "NOTICE\tORIGINATOR\tREACH\tOBJECTS\tPROPERTIES\tISSUED",
                rows,
            );
            Ok(0)
        }),
    }
}
