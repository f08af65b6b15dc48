//! What is wrong with a signed record of the agreement, as data. The English (`Display`)
//! names the record and the field, as the CLI, TAXII and the logs show it; the workspace
//! says the same in the user's language. What a fault quotes (ids, fields, keys, a
//! parser's words) is carried as written.

/// Why a record is not kept or does not count.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LedgerError {
    /// A fault of the record of kind `kind` (`consent`, `designation`, …) and id `id`.
    #[error("{kind} `{id}`: {fault}")]
    Record {
        kind: &'static str,
        id: String,
        fault: Fault,
    },
    #[error("{kind}: `id` is empty")]
    NoId { kind: &'static str },
    /// The key the agreement gives the signer is not a usable Ed25519 key.
    #[error("the key held for `{signer}` is not an Ed25519 key")]
    KeyUnusable { signer: String },
    /// A record with no RFC 8785 form (`detail`: why).
    #[error("canonical form: {detail}")]
    Canonical { detail: String },
    /// Text kept as a record that does not read as one (`detail`: the JSON parser's words).
    #[error("not a ledger record: {detail}")]
    NotARecord { detail: String },
}

/// What is wrong within one record.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Fault {
    #[error("`agreement` is `{named}`, not this node's `{ours}`")]
    OtherAgreement { named: String, ours: String },
    #[error(
        "`terms.purpose` `{purpose}` is not a purpose of the agreement (Art. 6.4; permitted: {})",
        permitted.join(", ")
    )]
    UnknownPurpose {
        purpose: String,
        permitted: Vec<String>,
    },
    #[error("`terms.originator` and `terms.holder` are the same authority")]
    SameAuthority,
    /// A field that must hold something is empty (`field`: its path in the record).
    #[error("`{field}` is empty")]
    Empty { field: &'static str },
    #[error("`{field}`: `{value}` is not a STIX id")]
    NotAnId { field: &'static str, value: String },
    #[error("a designation, and only a designation, names the designated authority (`designated`)")]
    Designated,
    #[error("an amendment, and only an amendment, carries the amended agreement (`amendment`)")]
    Amended,
    #[error("`party` and `recorded_by` must name a party and an authority")]
    NoParty,
    #[error("`designated.public_key` `{key}` is not an Ed25519 key (64 hex digits)")]
    DesignatedKey { key: String },
    /// The amended agreement's text does not read (`detail`: why, as the agreement's
    /// parser says it).
    #[error("`amendment.text`: {detail}")]
    AmendmentText { detail: String },
    #[error("the amended agreement is `{id}` version {version}, not `{ours}` version {says}")]
    AmendsOther {
        id: String,
        version: u32,
        ours: String,
        says: u32,
    },
    #[error("an amendment must raise the version above {current} (it says {says})")]
    VersionNotRaised { current: u32, says: u32 },
    #[error("`properties`: `{value}` is not a STIX selector (STIX 2.1 §7.2.3.1)")]
    NotASelector { value: String },
    #[error(
        "signed for `{signer}`, whose key is neither this node's nor one the agreement file or a signed designation gives"
    )]
    UnknownSigner { signer: String },
    #[error("signed with a key that is not `{signer}`'s")]
    OtherKey { signer: String },
    #[error("`signature` is not 128 hex digits")]
    SignatureUnreadable,
    #[error("the signature does not match the record")]
    SignatureMismatch,
    /// A revocation by someone other than the consent's originator.
    #[error("`{originator}` did not grant consent `{consent}`")]
    NotTheGranter { originator: String, consent: String },
}
