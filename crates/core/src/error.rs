//! What the core answers when it cannot do what was asked. Doors translate these (TAXII:
//! 404, 403, 400, 500; the CLI: a message and a non-zero exit), and add nothing of their
//! own: a withheld object and one that does not exist are both [`CoreError::NotFound`].

use policy::Denial;

#[derive(Debug, thiserror::Error)]
pub enum CoreError {
    /// Nothing of that name that the asker may know of.
    #[error("{0}")]
    NotFound(String),
    /// The policy refused the request as a whole (recorded in the audit log).
    #[error("{0}")]
    Refused(Denial),
    /// The request itself is wrong: the message names the field.
    #[error("{0}")]
    Invalid(String),
    /// The request itself is wrong, as data (a door treats it as [`CoreError::Invalid`]).
    #[error("{0}")]
    Mistake(Box<crate::mistake::Mistake>),
    /// A signed record of the agreement that is not kept: what is wrong with it, as data
    /// (a door treats it as [`CoreError::Invalid`]).
    #[error("{0}")]
    Record(Box<policy::ledger::LedgerError>),
    /// A source to import that is not a bundle or an envelope, or could not be read (a
    /// door treats it as [`CoreError::Invalid`]).
    #[error("{0}")]
    Source(Box<crate::import::SourceError>),
    /// A data directory that holds no node.
    #[error("{path} holds no Symbolon node: create one with `symbolon init --data {path}`")]
    NoNode { path: String },
    /// Another process serves this node.
    #[error("{0}")]
    Busy(String),
    /// The node's own state or storage failed; the message says while doing what.
    #[error("{0}")]
    Failed(String),
}

pub type Result<T> = std::result::Result<T, CoreError>;

impl From<store::StoreError> for CoreError {
    fn from(e: store::StoreError) -> Self {
        match e {
            store::StoreError::NotFound(what) => CoreError::NotFound(format!("{what} not found")),
            store::StoreError::Invalid(why) => CoreError::Invalid(why),
            store::StoreError::NoNode(path) => CoreError::Failed(path),
            e => CoreError::Failed(e.to_string()),
        }
    }
}

impl From<audit::AuditError> for CoreError {
    fn from(e: audit::AuditError) -> Self {
        match e {
            audit::AuditError::Invalid(why) => CoreError::Invalid(why),
            e => CoreError::Failed(e.to_string()),
        }
    }
}

impl From<policy::PolicyError> for CoreError {
    fn from(e: policy::PolicyError) -> Self {
        match e {
            policy::PolicyError::Unknown(why) => CoreError::Invalid(why),
            policy::PolicyError::Agreement(e) => CoreError::Invalid(e.to_string()),
            policy::PolicyError::Store(e) => e.into(),
        }
    }
}

impl From<policy::ledger::LedgerError> for CoreError {
    fn from(e: policy::ledger::LedgerError) -> Self {
        CoreError::Record(Box::new(e))
    }
}

impl From<federation::FederationError> for CoreError {
    fn from(e: federation::FederationError) -> Self {
        CoreError::Invalid(e.to_string())
    }
}

impl From<policy::agreement::AgreementError> for CoreError {
    fn from(e: policy::agreement::AgreementError) -> Self {
        CoreError::Invalid(e.to_string())
    }
}

pub(crate) fn failed(context: &str) -> impl FnOnce(std::io::Error) -> CoreError + '_ {
    move |e| CoreError::Failed(format!("{context}: {e}"))
}
