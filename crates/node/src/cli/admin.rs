//! `symbolon collection`, `symbolon user`, `symbolon api-root`.

use super::with_node;
use crate::DataDir;
use anyhow::{Result, bail};
use clap::Subcommand;
use std::io::Read;
use symbolon_core::admin::UserChange;

#[derive(Subcommand)]
pub enum CollectionCmd {
    /// Create a collection and print its id.
    Create {
        #[command(flatten)]
        data: DataDir,
        /// The collection's title (TAXII `title`).
        #[arg(long)]
        title: String,
        /// A short name to use instead of the id (unique within the API root).
        #[arg(long)]
        alias: Option<String>,
        /// A longer description (TAXII `description`).
        #[arg(long)]
        description: Option<String>,
        /// API root (default: the node's first).
        #[arg(long)]
        api_root: Option<String>,
    },
    /// List collections: id, API root, alias, title.
    List {
        #[command(flatten)]
        data: DataDir,
    },
    /// Delete a collection and every object stored in it (audited; cannot be undone).
    Delete {
        #[command(flatten)]
        data: DataDir,
        /// Collection id or alias.
        collection: String,
        /// Confirm the deletion (without it, nothing is deleted and what would go is said).
        #[arg(long)]
        yes: bool,
    },
}

#[derive(Subcommand)]
pub enum ApiRootCmd {
    /// Create an API root, or update its title and limit.
    Set {
        #[command(flatten)]
        data: DataDir,
        /// Path segment the root is served under, e.g. `incidents`.
        name: String,
        /// The root's title (TAXII `title`).
        #[arg(long)]
        title: String,
        /// A longer description (TAXII `description`).
        #[arg(long)]
        description: Option<String>,
        /// Largest request body accepted, in bytes.
        #[arg(long, default_value_t = symbolon_core::DEFAULT_MAX_CONTENT_LENGTH)]
        max_content_length: u64,
    },
    /// List API roots: name, limit, title.
    List {
        #[command(flatten)]
        data: DataDir,
    },
}

#[derive(Subcommand)]
pub enum UserCmd {
    /// Create a user or change a user's password. The password is read from stdin with
    /// --password-stdin, otherwise generated and printed.
    Add {
        #[command(flatten)]
        data: DataDir,
        /// The user's name (what it signs in with).
        name: String,
        /// Read the password from stdin (one line).
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
        /// The user.
        name: String,
        /// Collection id or alias.
        #[arg(long)]
        collection: String,
        /// May read the collection.
        #[arg(long)]
        read: bool,
        /// May write (and delete from) the collection.
        #[arg(long)]
        write: bool,
    },
    /// Set the purposes of the agreement a user may declare (the first is the default);
    /// its password and role stay as they are.
    Purposes {
        #[command(flatten)]
        data: DataDir,
        /// The user.
        name: String,
        /// A purpose (repeatable; at least one).
        #[arg(long = "purpose", value_name = "PURPOSE", required = true)]
        purposes: Vec<String>,
    },
    /// Remove a user and its rights (audited). A peer's user goes with `peer remove`.
    Remove {
        #[command(flatten)]
        data: DataDir,
        /// The user.
        name: String,
    },
    /// List users: name, kind, purposes.
    List {
        #[command(flatten)]
        data: DataDir,
    },
}

pub fn collection(cmd: CollectionCmd) -> Result<i32> {
    match cmd {
        CollectionCmd::Create {
            data,
            title,
            alias,
            description,
            api_root,
        } => with_node(&data, |core| {
            let c = core.create_collection(
                &title,
                alias.as_deref(),
                description.as_deref(),
                api_root.as_deref(),
            )?;
            node::outln!("{}", c.id);
            Ok(0)
        }),
        CollectionCmd::Delete {
            data,
            collection,
            yes,
        } => with_node(&data, |core| {
            if !yes {
                let c = core.collection(&collection)?;
                eprintln!(
                    "this deletes collection {} ({}) and every object stored in it, for good; run again with --yes to do it (a backup first: symbolon backup)",
                    c.id, c.title
                );
                return Ok(2);
            }
            let (c, versions) = core.delete_collection(&collection)?;
            node::outln!(
                "deleted collection {} ({}): {versions} object versions; recorded in the audit log",
                c.id,
                c.title
            );
            Ok(0)
        }),
        CollectionCmd::List { data } => with_node(&data, |core| {
            super::table(
                "ID\tAPI ROOT\tALIAS\tTITLE",
                core.collections()?.into_iter().map(|c| {
                    format!(
                        "{}\t{}\t{}\t{}",
                        c.id,
                        c.api_root,
                        c.alias.as_deref().unwrap_or("-"),
                        c.title
                    )
                }),
            );
            Ok(0)
        }),
    }
}

pub fn api_root(cmd: ApiRootCmd) -> Result<i32> {
    match cmd {
        ApiRootCmd::Set {
            data,
            name,
            title,
            description,
            max_content_length,
        } => with_node(&data, |core| {
            core.set_api_root(&store::ApiRoot {
                name,
                title,
                description,
                max_content_length,
            })?;
            Ok(0)
        }),
        ApiRootCmd::List { data } => with_node(&data, |core| {
            super::table(
                "NAME\tMAX CONTENT LENGTH\tTITLE",
                core.api_roots()?
                    .into_iter()
                    .map(|r| format!("{}\t{}\t{}", r.name, r.max_content_length, r.title)),
            );
            Ok(0)
        }),
    }
}

pub fn user(cmd: UserCmd) -> Result<i32> {
    match cmd {
        UserCmd::Add {
            data,
            name,
            password_stdin,
            admin,
            authority,
            third_party,
            purposes,
        } => with_node(&data, |core| {
            let password = if password_stdin {
                let mut p = String::new();
                std::io::stdin().read_to_string(&mut p)?;
                let p = p.trim_end_matches(['\r', '\n']).to_owned();
                if p.is_empty() {
                    bail!("the password read from stdin is empty");
                }
                p
            } else {
                policy::password::generate()
            };
            let shown = (!password_stdin).then(|| password.clone());
            let kind = match (authority, third_party) {
                (Some(a), _) => Some(policy::Kind::Authority(a)),
                (None, true) => Some(policy::Kind::ThirdParty),
                (None, false) => None,
            };
            core.save_user(
                &name,
                UserChange {
                    password: Some(password),
                    admin,
                    kind,
                    purposes: (!purposes.is_empty()).then_some(purposes),
                },
            )?;
            if let Some(p) = shown {
                node::outln!("{p}");
            }
            Ok(0)
        }),
        UserCmd::Grant {
            data,
            name,
            collection,
            read,
            write,
        } => with_node(&data, |core| {
            core.grant(&name, &collection, read, write)?;
            Ok(0)
        }),
        UserCmd::Purposes {
            data,
            name,
            purposes,
        } => with_node(&data, |core| {
            if core.user(&name)?.is_none() {
                bail!("no user `{name}` on this node (see `symbolon user list`)");
            }
            core.save_user(
                &name,
                UserChange {
                    purposes: Some(purposes),
                    ..Default::default()
                },
            )?;
            Ok(0)
        }),
        UserCmd::Remove { data, name } => with_node(&data, |core| {
            core.remove_user(&name)?;
            node::outln!("user `{name}` removed");
            Ok(0)
        }),
        UserCmd::List { data } => with_node(&data, |core| {
            super::table(
                "NAME\tKIND\tPURPOSES",
                core.users()?.into_iter().map(|u| {
                    format!(
                        "{}\t{}{}\t{}",
                        u.name,
                        u.kind,
                        if u.is_admin { " (admin)" } else { "" },
                        if u.purposes.is_empty() {
                            "-".to_owned()
                        } else {
                            u.purposes.join(",")
                        }
                    )
                }),
            );
            Ok(0)
        }),
    }
}
