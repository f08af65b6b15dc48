//! The node's single decision point. Every path that lets an object leave the node (TAXII
//! objects, object, versions, manifest; CLI export; and later sync and search) asks
//! [`Policy::decide`] once per object and serves only what it allows. No other crate filters
//! objects on its own: `store` scans, `taxii` renders, `policy` says yes or no.
//!
//! This first policy enforces per-user collection rights (TAXII `can_read`/`can_write`);
//! the agreement engine (markings, consent, purposes, lifecycle) plugs in behind the same
//! function, so no read path changes when it arrives.
//!
//! ```
//! use policy::{Policy, Principal, Access, Action, ObjectFacts, Decision};
//! let admin = Principal::admin("admin");
//! let access = Access { principal: &admin, collection: 1, action: Action::Read };
//! let facts = ObjectFacts { id: "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f", object_type: "indicator", marking_refs: &[] };
//! assert_eq!(Policy::default().decide(&access, &facts), Decision::Allow);
//! ```

pub mod agreement;
pub mod lifecycle;
pub mod password;

use std::collections::HashMap;
use store::{CollectionKey, Grant, User};

/// Someone the node answers: a user of this authority (later also peer nodes and third
/// parties, per Art. 6.2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    pub name: String,
    pub is_admin: bool,
    rights: HashMap<CollectionKey, Rights>,
}

/// A principal's rights on one collection.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Rights {
    pub can_read: bool,
    pub can_write: bool,
}

impl Principal {
    pub fn admin(name: &str) -> Self {
        Principal {
            name: name.to_owned(),
            is_admin: true,
            rights: HashMap::new(),
        }
    }

    /// Builds a principal from a stored user and that user's grants.
    pub fn from_user(user: &User, grants: &[Grant]) -> Self {
        let rights = grants
            .iter()
            .map(|g| {
                (
                    g.collection,
                    Rights {
                        can_read: g.can_read,
                        can_write: g.can_write,
                    },
                )
            })
            .collect();
        Principal {
            name: user.name.clone(),
            is_admin: user.is_admin,
            rights,
        }
    }
}

/// What a principal is trying to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Read,
    Write,
    Delete,
}

/// One request's context: who, where, what.
#[derive(Debug, Clone, Copy)]
pub struct Access<'a> {
    pub principal: &'a Principal,
    pub collection: CollectionKey,
    pub action: Action,
}

/// The facts about an object that a decision may depend on.
#[derive(Debug, Clone, Copy)]
pub struct ObjectFacts<'a> {
    pub id: &'a str,
    pub object_type: &'a str,
    pub marking_refs: &'a [String],
}

/// Why access was refused; the text is shown to the client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    Allow,
    Deny(String),
}

impl Decision {
    pub fn is_allowed(&self) -> bool {
        matches!(self, Decision::Allow)
    }
}

/// The node's policy. Stateless today; the agreement engine gives it state.
#[derive(Debug, Clone, Default)]
pub struct Policy {}

impl Policy {
    /// The principal's rights on a collection as TAXII reports them (`can_read`,
    /// `can_write`); a collection with neither is invisible to the principal.
    pub fn rights(&self, principal: &Principal, collection: CollectionKey) -> Rights {
        if principal.is_admin {
            return Rights {
                can_read: true,
                can_write: true,
            };
        }
        principal
            .rights
            .get(&collection)
            .copied()
            .unwrap_or_default()
    }

    /// May the principal perform the action on the collection at all?
    pub fn permits(&self, access: &Access) -> Decision {
        let rights = self.rights(access.principal, access.collection);
        let ok = match access.action {
            Action::Read => rights.can_read,
            Action::Write | Action::Delete => rights.can_write,
        };
        if ok {
            Decision::Allow
        } else {
            let verb = match access.action {
                Action::Read => "read",
                Action::Write => "write to",
                Action::Delete => "delete from",
            };
            Decision::Deny(format!(
                "user `{}` may not {verb} this collection",
                access.principal.name
            ))
        }
    }

    /// May the principal read a TAXII status resource? Only the user whose request made it,
    /// or an administrator: a status lists object ids the asker may not otherwise see.
    pub fn may_read_status(&self, principal: &Principal, owner: &str) -> bool {
        principal.is_admin || principal.name == owner
    }

    /// May the principal read the audit log and its proofs? Administrators of this node
    /// (the parties' nodes will, once they are principals, for mutual witness).
    pub fn may_inspect_audit(&self, principal: &Principal) -> Decision {
        if principal.is_admin {
            Decision::Allow
        } else {
            Decision::Deny(format!(
                "user `{}` may not read the audit log",
                principal.name
            ))
        }
    }

    /// The one decision per object. Every read path calls this for every object it would
    /// serve, on every page, and serves the object only on `Allow`.
    pub fn decide(&self, access: &Access, _object: &ObjectFacts) -> Decision {
        self.permits(access)
    }
}
