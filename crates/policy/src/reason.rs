//! Why the decision point refused, as data: a front door says it in its user's language
//! (the workspace has a message per variant), while `Display` gives the English that TAXII
//! error objects, the CLI and the logs carry (with what an operator does about it).

use crate::Action;
use crate::lifecycle::Day;
use crate::markings::Reach;
use std::fmt;

/// Why no consent lets an object reach a third party (Art. 6.2): what came closest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConsentGap {
    /// A consent covers the object for this recipient, but for another purpose.
    OtherPurpose {
        consent: String,
        purpose: String,
        wanted: String,
    },
    Revoked {
        consent: String,
    },
    Expired {
        consent: String,
        on: Day,
    },
    /// No consent of the originator is held for the recipient.
    NoneHeld {
        originator: String,
        recipient: String,
    },
}

impl fmt::Display for ConsentGap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConsentGap::OtherPurpose {
                consent,
                purpose,
                wanted,
            } => write!(
                f,
                "consent `{consent}` is for the purpose `{purpose}`, not `{wanted}`"
            ),
            ConsentGap::Revoked { consent } => write!(f, "consent `{consent}` was revoked"),
            ConsentGap::Expired { consent, on } => {
                write!(f, "consent `{consent}` expired on {on}")
            }
            ConsentGap::NoneHeld {
                originator,
                recipient,
            } => write!(f, "no consent of `{originator}` is held for `{recipient}`"),
        }
    }
}

/// Why a request or an object was refused (see the module).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reason {
    /// The user has no purpose bound and the request declares none; `purposes`: the
    /// agreement's.
    NoPurpose {
        user: String,
        purposes: Vec<String>,
    },
    /// The declared purpose is not one of the agreement's.
    UnknownPurpose {
        purpose: String,
        permitted: Vec<String>,
    },
    /// The user is not bound to the declared purpose.
    PurposeNotBound {
        user: String,
        purpose: String,
        bound: Vec<String>,
    },
    /// The user may not do `action` on the collection.
    NoRight {
        user: String,
        action: Action,
    },
    /// The agreement's records travel between the competent authorities only.
    NotAnAuthority {
        user: String,
    },
    NoAuditRight {
        user: String,
    },
    /// This node is under no agreement, so nothing goes to another authority.
    NoAgreement,
    /// No transfer while the agreement is not (or no longer) in force (Art. 9).
    NotInForce {
        terminated: bool,
        day: Day,
    },
    /// Obtained from `origin`, it reaches a third party only with its consent (Art. 6.2).
    NoConsent {
        object: String,
        origin: String,
        gap: ConsentGap,
    },
    /// A confidentiality notice of the originator keeps it from the recipient (Art. 6.3).
    Notice {
        object: String,
        notice: String,
        originator: String,
        reach: Reach,
    },
    /// Its markings keep it from the recipient (Art. 6.1); `consent_held`: a consent
    /// lifted Art. 6.2, which does not lift markings.
    Marked {
        object: String,
        reach: Reach,
        consent_held: bool,
    },
    /// A marking definition that classifies information (Art. 6.6), at `level`.
    Classified {
        level: String,
    },
    /// A marking definition whose text is not JSON (so its classification cannot be read).
    UnreadableMarking {
        detail: String,
    },
    /// Parts are marked beyond the recipient and the rest cannot be served without them.
    PartsBeyond {
        object: String,
        detail: String,
    },
    /// The recipient gets the object redacted, so the originator's seal (which covers it
    /// whole) cannot be shown to verify.
    SealCoversWhole,
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Reason::NoPurpose { user, purposes } => write!(
                f,
                "user `{user}` has no purpose bound and the request declares none (X-Symbolon-Purpose); an operator binds one with `symbolon user purposes {user} --purpose <{}>`",
                purposes.join("|")
            ),
            Reason::UnknownPurpose { purpose, permitted } => write!(
                f,
                "`{purpose}` is not a purpose of the agreement (permitted: {})",
                permitted.join(", ")
            ),
            Reason::PurposeNotBound {
                user,
                purpose,
                bound,
            } => write!(
                f,
                "user `{user}` is not bound to the purpose `{purpose}` (bound: {}); an operator adds it with `symbolon user purposes {user} --purpose ...`",
                if bound.is_empty() {
                    "none".to_owned()
                } else {
                    bound.join(", ")
                }
            ),
            Reason::NoRight { user, action } => {
                let (verb, flag) = match action {
                    Action::Read => ("read", "--read"),
                    Action::Write => ("write to", "--write"),
                    Action::Delete => ("delete from", "--write"),
                };
                write!(
                    f,
                    "user `{user}` may not {verb} this collection; an operator grants it with `symbolon user grant {user} --collection <collection> {flag}`"
                )
            }
            Reason::NotAnAuthority { user } => write!(
                f,
                "the agreement's records travel between the competent authorities only; `{user}` is not one"
            ),
            Reason::NoAuditRight { user } => {
                write!(f, "user `{user}` may not read the audit log")
            }
            Reason::NoAgreement => f.write_str(
                "this node operates under no agreement, so it transfers nothing to another authority",
            ),
            Reason::NotInForce { terminated, day } => {
                let state = if *terminated {
                    "terminated"
                } else {
                    "not in force"
                };
                write!(
                    f,
                    "the agreement is {state} on {day}: no transfer leaves this node"
                )
            }
            Reason::NoConsent {
                object,
                origin,
                gap,
            } => write!(
                f,
                "`{object}` was obtained from `{origin}` and reaches a third party only with that authority's prior written consent: {gap}"
            ),
            Reason::Notice {
                object,
                notice,
                originator,
                reach,
            } => write!(
                f,
                "`{object}` is under confidentiality notice `{notice}` of `{originator}`: {}",
                reach.name()
            ),
            Reason::Marked {
                object,
                reach,
                consent_held,
            } => {
                write!(f, "`{object}` is marked for {}", reach.name())?;
                if *consent_held {
                    f.write_str(" (a consent lifts Art. 6.2, not the markings)")?;
                }
                Ok(())
            }
            Reason::Classified { level } => write!(
                f,
                "this marking definition classifies information (ACS classification `{level}`); classified information is exchanged under the separate agreement on its protection, never through this node"
            ),
            Reason::UnreadableMarking { detail } => {
                write!(f, "marking definition is not JSON: {detail}")
            }
            Reason::PartsBeyond { object, detail } => write!(
                f,
                "`{object}` has parts marked beyond this recipient, and {detail}"
            ),
            Reason::SealCoversWhole => f.write_str(
                "you receive this object redacted; the originator's seal covers it whole",
            ),
        }
    }
}
