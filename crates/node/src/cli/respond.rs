//! `symbolon sighting` and `symbolon incident`: responding to what the node holds —
//! sightings and false-positive reports that travel back to the originator, and joint
//! incidents (open, update, task, note, link, close, show, list).

use super::with_node;
use crate::DataDir;
use anyhow::{Context, Result};
use std::io::Write;
use symbolon_core::incident::{IncidentChange, NewIncident, NewNote, SealState, TaskChange};
use symbolon_core::sighting::Sighted;
use symbolon_core::{Caller, Core};

#[derive(clap::Args, Clone)]
pub struct Acting {
    #[command(flatten)]
    data: DataDir,
    /// Act as this user (its rights and what it may receive); default: the operator.
    #[arg(long = "as", value_name = "USER", global = true)]
    as_user: Option<String>,
}

fn principal(core: &Core, a: &Acting) -> Result<policy::Principal> {
    match &a.as_user {
        None => Ok(core.operator().clone()),
        Some(name) => core.principal(name)?.with_context(|| {
            format!("--as: no user `{name}` on this node (see `symbolon user list`)")
        }),
    }
}

fn markings(names: &[String]) -> Result<Option<Vec<String>>> {
    if names.is_empty() {
        return Ok(None);
    }
    Ok(Some(
        names
            .iter()
            .map(|m| symbolon_core::authoring::marking(m))
            .collect::<symbolon_core::Result<_>>()?,
    ))
}

#[derive(clap::Subcommand)]
pub enum SightingCmd {
    /// Record that this authority saw an object (typically another authority's indicator),
    /// or that it is a false positive; it travels back to the originator at sync.
    Add {
        #[command(flatten)]
        acting: Acting,
        /// The object sighted (id).
        #[arg(long, value_name = "ID")]
        of: String,
        /// Times seen (default 1).
        #[arg(long, value_name = "N")]
        count: Option<u64>,
        /// When it was seen (RFC 3339, e.g. 2026-12-01T10:00:00Z); default: now.
        #[arg(long, value_name = "TIME")]
        seen_at: Option<String>,
        /// Report a false positive (a STIX opinion: strongly-disagree) instead.
        #[arg(long)]
        false_positive: bool,
        /// Free text: where and how it was seen, or why it is a false positive.
        #[arg(long)]
        note: Option<String>,
        /// Marking (clear, green, amber, amber+strict, red, or a marking-definition id);
        /// repeatable. Default: the sighted object's markings.
        #[arg(long = "marking", value_name = "MARKING")]
        markings: Vec<String>,
        /// The collection to record it in (id or alias); default: where the object is.
        #[arg(long)]
        collection: Option<String>,
    },
}

pub fn sighting(cmd: SightingCmd) -> Result<i32> {
    let SightingCmd::Add {
        acting,
        of,
        count,
        seen_at,
        false_positive,
        note,
        markings: marks,
        collection,
    } = cmd;
    with_node(&acting.data.clone(), |core| {
        let p = principal(core, &acting)?;
        let caller = Caller {
            principal: &p,
            purpose: None,
        };
        let id = core.record_sighting(
            &caller,
            &Sighted {
                of,
                count,
                seen_at,
                false_positive,
                note,
                markings: markings(&marks)?,
                collection,
            },
        )?;
        node::outln!("{id}");
        Ok(0)
    })
}

#[derive(clap::Subcommand)]
pub enum IncidentCmd {
    /// Open an incident owned by this authority (status new, determination suspected).
    Open {
        #[command(flatten)]
        acting: Acting,
        /// The collection to keep it in (id or alias); the parties that read it take part.
        #[arg(long)]
        collection: String,
        /// The incident's name, as the parties will see it.
        #[arg(long)]
        name: String,
        /// What happened, as known so far.
        #[arg(long)]
        description: Option<String>,
        /// RSIT class/type, e.g. malicious-code/infected-system (`symbolon incident categories`).
        #[arg(long, value_name = "CLASS/TYPE")]
        category: Option<String>,
        /// 0-100.
        #[arg(long, value_name = "N")]
        criticality: Option<u8>,
        /// Marking (repeatable); default TLP:GREEN, which reaches the parties' competent
        /// authorities.
        #[arg(long = "marking", value_name = "MARKING")]
        markings: Vec<String>,
    },
    /// A new version of an incident this authority owns.
    Update {
        #[command(flatten)]
        acting: Acting,
        /// The incident's id.
        id: String,
        /// new, open or closed.
        #[arg(long)]
        status: Option<String>,
        /// blocked, confirmed, failed-attempt, false-positive, low-value,
        /// successful-attempt or suspected.
        #[arg(long)]
        determination: Option<String>,
        /// A new name.
        #[arg(long)]
        name: Option<String>,
        /// A new description.
        #[arg(long)]
        description: Option<String>,
        /// A new RSIT class/type (`symbolon incident categories`).
        #[arg(long, value_name = "CLASS/TYPE")]
        category: Option<String>,
        /// A new criticality, 0-100.
        #[arg(long, value_name = "N")]
        criticality: Option<u8>,
    },
    /// Add a task in response to an incident (any party), or change one of this authority's
    /// tasks with --update.
    Task {
        #[command(flatten)]
        acting: Acting,
        /// The incident's id.
        id: String,
        /// Change this task (task--…) instead of adding one.
        #[arg(long, value_name = "TASK")]
        update: Option<String>,
        /// What is to be done (required for a new task).
        #[arg(long)]
        name: Option<String>,
        /// Details of the task.
        #[arg(long)]
        description: Option<String>,
        /// pending (default for a new task), ongoing, successful, failed, cancelled, unknown.
        #[arg(long)]
        outcome: Option<String>,
        /// containment, eradication, recovery, victim-notification, ... (repeatable).
        #[arg(long = "type", value_name = "TYPE")]
        task_types: Vec<String>,
        /// 0-100.
        #[arg(long, value_name = "N")]
        priority: Option<u8>,
        /// Marking (repeatable); default: the incident's.
        #[arg(long = "marking", value_name = "MARKING")]
        markings: Vec<String>,
    },
    /// Add a note to an incident, or record that this authority declines to contribute.
    Note {
        #[command(flatten)]
        acting: Acting,
        /// The incident's id.
        id: String,
        /// The note (with --declined: the reason).
        #[arg(long)]
        content: String,
        /// A one-line summary.
        #[arg(long)]
        summary: Option<String>,
        /// Record a refusal to contribute (e.g. the investigation could be prejudiced).
        #[arg(long)]
        declined: bool,
        /// Marking (repeatable); default: the incident's.
        #[arg(long = "marking", value_name = "MARKING")]
        markings: Vec<String>,
    },
    /// Record an impact of an incident (any party): its category and details.
    Impact {
        #[command(flatten)]
        acting: Acting,
        /// The incident's id.
        id: String,
        /// availability, confidentiality, external, integrity, monetary, physical,
        /// traceability.
        #[arg(long)]
        category: String,
        /// What the category's extension holds, as NAME=VALUE (repeatable), e.g.
        /// availability_impact=80, loss_type=suspected-loss, alteration=partial-modification.
        #[arg(long = "detail", value_name = "NAME=VALUE")]
        details: Vec<String>,
        /// What the impact is, in words.
        #[arg(long)]
        description: Option<String>,
        /// 0-100.
        #[arg(long, value_name = "N")]
        criticality: Option<u8>,
        /// not-applicable, regular, supplemented, extended, not-recoverable.
        #[arg(long)]
        recoverability: Option<String>,
        /// Marking (repeatable); default: the incident's.
        #[arg(long = "marking", value_name = "MARKING")]
        markings: Vec<String>,
    },
    /// Link an object (indicator, impact, malware, ...) to an incident.
    Link {
        #[command(flatten)]
        acting: Acting,
        /// The incident's id.
        id: String,
        /// The object to link (id).
        #[arg(long, value_name = "ID")]
        object: String,
        /// The relationship type (default related-to; e.g. detected, impacts).
        #[arg(long, value_name = "TYPE")]
        relationship: Option<String>,
    },
    /// Close an incident this authority owns.
    Close {
        #[command(flatten)]
        acting: Acting,
        /// The incident's id.
        id: String,
        /// The determination (see `update`).
        #[arg(long)]
        determination: String,
    },
    /// An incident's state and the timeline across both parties.
    Show {
        #[command(flatten)]
        acting: Acting,
        /// The incident's id.
        id: String,
        /// As JSON.
        #[arg(long)]
        json: bool,
    },
    /// The incidents this user receives.
    List {
        #[command(flatten)]
        acting: Acting,
        /// As JSON.
        #[arg(long)]
        json: bool,
    },
    /// The RSIT classes and types incidents are classified by.
    Categories,
}

pub fn incident(cmd: IncidentCmd) -> Result<i32> {
    if let IncidentCmd::Categories = cmd {
        let mut out = std::io::stdout().lock();
        for c in symbolon_core::incident::rsit::classes() {
            writeln!(
                out,
                "{}/{}\t{} — {}",
                c.class, c.kind, c.class_name, c.kind_name
            )?;
        }
        return Ok(0);
    }
    let acting = match &cmd {
        IncidentCmd::Open { acting, .. }
        | IncidentCmd::Update { acting, .. }
        | IncidentCmd::Task { acting, .. }
        | IncidentCmd::Note { acting, .. }
        | IncidentCmd::Impact { acting, .. }
        | IncidentCmd::Link { acting, .. }
        | IncidentCmd::Close { acting, .. }
        | IncidentCmd::Show { acting, .. }
        | IncidentCmd::List { acting, .. } => acting.clone(),
        IncidentCmd::Categories => unreachable!("answered above"),
    };
    with_node(&acting.data.clone(), |core| {
        let p = principal(core, &acting)?;
        let caller = Caller {
            principal: &p,
            purpose: None,
        };
        let mut out = std::io::stdout().lock();
        match cmd {
            IncidentCmd::Open {
                collection,
                name,
                description,
                category,
                criticality,
                markings: m,
                ..
            } => {
                let id = core.open_incident(
                    &caller,
                    &NewIncident {
                        collection,
                        name,
                        description,
                        category,
                        criticality,
                        markings: markings(&m)?,
                    },
                )?;
                writeln!(out, "{id}")?;
            }
            IncidentCmd::Update {
                id,
                status,
                determination,
                name,
                description,
                category,
                criticality,
                ..
            } => {
                let v = core.update_incident(
                    &caller,
                    &id,
                    &IncidentChange {
                        status,
                        determination,
                        name,
                        description,
                        category,
                        criticality,
                    },
                )?;
                writeln!(out, "{id} {v}")?;
            }
            IncidentCmd::Task {
                id,
                update,
                name,
                description,
                outcome,
                task_types,
                priority,
                markings: m,
                ..
            } => {
                let change = TaskChange {
                    name,
                    description,
                    outcome,
                    task_types,
                    priority,
                };
                match update {
                    Some(task) => {
                        let v = core.update_task(&caller, &task, &change)?;
                        writeln!(out, "{task} {v}")?;
                    }
                    None => writeln!(
                        out,
                        "{}",
                        core.add_task(&caller, &id, &change, markings(&m)?)?
                    )?,
                }
            }
            IncidentCmd::Note {
                id,
                content,
                summary,
                declined,
                markings: m,
                ..
            } => {
                let note = NewNote {
                    content,
                    summary,
                    declined,
                };
                writeln!(
                    out,
                    "{}",
                    core.add_note(&caller, &id, &note, markings(&m)?)?
                )?;
            }
            IncidentCmd::Impact {
                id,
                category,
                details,
                description,
                criticality,
                recoverability,
                markings: m,
                ..
            } => {
                let details = details
                    .iter()
                    .map(|d| {
                        d.split_once('=')
                            .map(|(k, v)| (k.to_owned(), v.to_owned()))
                            .with_context(|| format!("--detail `{d}`: write NAME=VALUE"))
                    })
                    .collect::<Result<Vec<_>>>()?;
                let impact = symbolon_core::incident::NewImpact {
                    category,
                    details,
                    description,
                    criticality,
                    recoverability,
                };
                writeln!(
                    out,
                    "{}",
                    core.add_impact(&caller, &id, &impact, markings(&m)?)?
                )?;
            }
            IncidentCmd::Link {
                id,
                object,
                relationship,
                ..
            } => {
                writeln!(
                    out,
                    "{}",
                    core.link_to_incident(&caller, &id, &object, relationship.as_deref())?
                )?;
            }
            IncidentCmd::Close {
                id, determination, ..
            } => {
                let v = core.close_incident(&caller, &id, &determination)?;
                writeln!(out, "{id} {v}")?;
            }
            IncidentCmd::Show { id, json, .. } => {
                let view = core.incident(&caller, &id)?;
                if json {
                    serde_json::to_writer_pretty(&mut out, &view)?;
                    writeln!(out)?;
                } else {
                    writeln!(out, "{} — {}", view.id, view.name)?;
                    writeln!(out, "status:        {}", view.status)?;
                    writeln!(out, "determination: {}", view.determination)?;
                    if let Some(c) = &view.category {
                        writeln!(
                            out,
                            "category:      {}/{} ({} — {})",
                            c.class, c.kind, c.class_name, c.kind_name
                        )?;
                    }
                    if let Some(c) = view.criticality {
                        writeln!(out, "criticality:   {c}")?;
                    }
                    writeln!(out, "owner:         {}", view.owner)?;
                    writeln!(out, "collection:    {}", view.collection)?;
                    writeln!(out, "timeline:")?;
                    for e in &view.timeline {
                        let seal = match &e.seal {
                            SealState::Own => "made here".to_owned(),
                            SealState::Verified { signer } => {
                                format!("sealed by {signer}, verified")
                            }
                            SealState::Failed { reason } => {
                                format!("SEAL DOES NOT VERIFY: {reason}")
                            }
                            SealState::Unsealed => "not sealed".to_owned(),
                        };
                        writeln!(
                            out,
                            "  {}  {:<8} {:<10} {}  [{}]",
                            e.when, e.author, e.kind, e.summary, seal
                        )?;
                    }
                }
            }
            IncidentCmd::List { json, .. } => {
                let list = core.incidents(&caller)?;
                if json {
                    serde_json::to_writer_pretty(&mut out, &list)?;
                    writeln!(out)?;
                } else if list.is_empty() {
                    writeln!(out, "none")?;
                } else {
                    writeln!(
                        out,
                        "ID\tSTATUS\tDETERMINATION\tOWNER\tCOLLECTION\tMODIFIED\tNAME"
                    )?;
                    for i in list {
                        writeln!(
                            out,
                            "{}\t{}\t{}\t{}\t{}\t{}\t{}",
                            i.id,
                            i.status,
                            i.determination,
                            i.owner,
                            i.collection,
                            i.modified,
                            i.name
                        )?;
                    }
                }
            }
            IncidentCmd::Categories => {}
        }
        Ok(0)
    })
}
