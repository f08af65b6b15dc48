//! What is wrong with what someone asked the core to do — a consent, an incident, a task,
//! a sighting — as data. The English (`Display`) is what the CLI, TAXII and the logs show
//! (it names the CLI's option where there is one); the workspace says the same in the
//! user's language. What a mistake quotes (ids, values, authorities) is carried as written.

use policy::lifecycle::Day;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Mistake {
    #[error("this node is not under an agreement yet (run `symbolon agreement init`)")]
    NotUnderAgreement,
    /// Consent asked of this node's own authority.
    #[error(
        "`{authority}` is this node's own authority: no consent is needed for its own information"
    )]
    OwnAuthority { authority: String },
    #[error(
        "--recipient: `{recipient}` is not a third party (its kind is `{kind}`); consent is for third parties (Art. 6.2)"
    )]
    NotThirdParty { recipient: String, kind: String },
    /// A record given as a consent request that is another kind of record.
    #[error("the file holds a {kind}, not a consent request")]
    NotARequest { kind: &'static str },
    #[error("the request asks `{asked}` for consent; this node is `{me}`")]
    AskedOther { asked: String, me: String },
    #[error("--expires {expires} is later than the {asked} the holder asked for")]
    LongerThanAsked { expires: Day, asked: Day },
    #[error(
        "request `{request}` was granted as consent `{consent}`: revoke it instead (`symbolon consent revoke {consent}`)"
    )]
    AlreadyGranted { request: String, consent: String },
    #[error("request `{request}` was already declined ({decline})")]
    AlreadyDeclined { request: String, decline: String },
    /// A value outside its vocabulary (`what`: `status`, `determination`, `outcome`,
    /// `impact category`, `recoverability`).
    #[error("{what} `{value}` is not one of: {}", allowed.join(", "))]
    NotOneOf {
        what: &'static str,
        value: String,
        allowed: Vec<&'static str>,
    },
    #[error("criticality {value}: from 0 to 100")]
    Criticality { value: u8 },
    #[error("`{id}` is not an incident id (incident--…)")]
    NotAnIncident { id: String },
    #[error("an incident needs a name")]
    IncidentUnnamed,
    #[error("a task needs a name")]
    TaskUnnamed,
    #[error(
        "`{id}` is owned by `{owner}`: only its owner versions an incident (STIX 2.1 §3.6); add a task or a note instead"
    )]
    NotIncidentOwner { id: String, owner: String },
    #[error("`{id}` carries no Incident Core extension")]
    NoIncidentExtension { id: String },
    #[error("`{id}` is not a task id (task--…)")]
    NotATask { id: String },
    #[error("`{id}` is `{owner}`'s: only its author versions a task (STIX 2.1 §3.6)")]
    NotTaskAuthor { id: String, owner: String },
    #[error(
        "impact detail `{name}`: a property name in lower case with underscores (e.g. availability_impact=80)"
    )]
    ImpactDetail { name: String },
    #[error("an availability impact needs availability_impact=N, from 0 to 100")]
    AvailabilityImpact,
    #[error("a note needs content")]
    NoteEmpty,
    #[error("a refusal to contribute gives its reason")]
    DeclineUnexplained,
    #[error(
        "relationship type `{kind}`: lower-case words joined by hyphens (e.g. related-to, detected, impacts)"
    )]
    RelationshipType { kind: String },
    #[error("RSIT category `{text}`: write class/type, e.g. malicious-code/infected-system")]
    RsitUnreadable { text: String },
    #[error(
        "RSIT `{class}/{kind}` classifies content, not a computer incident: this node carries information about computer incidents and attacks on information infrastructure only"
    )]
    RsitContent { class: String, kind: String },
    #[error("RSIT class `{class}` does not exist (classes: {})", classes.join(", "))]
    RsitClass { class: String, classes: Vec<String> },
    #[error("RSIT class `{class}` has no type `{kind}` (types: {})", kinds.join(", "))]
    RsitType {
        class: String,
        kind: String,
        kinds: Vec<String>,
    },
    #[error(
        "marking `{name}`: give clear, green, amber, amber+strict, red or a marking-definition id"
    )]
    Marking { name: String },
    /// `detail`: why the timestamp does not read.
    #[error("--seen-at `{text}`: {detail}")]
    SeenAt { text: String, detail: String },
    #[error("--count: at most 999999999 (STIX 2.1 §5.2)")]
    SightingCount,
    /// An import said to be obtained from another authority on a node under no agreement.
    #[error("--obtained-from needs a node under an agreement")]
    OriginWithoutAgreement,
    #[error("`{authority}` is this node's own authority; leave out --obtained-from")]
    OwnOrigin { authority: String },
    #[error(
        "`{authority}` is not a competent authority known to this node (the agreement file and designations name: {})",
        known.join(", ")
    )]
    UnknownAuthority {
        authority: String,
        known: Vec<String>,
    },
}

impl From<Mistake> for crate::CoreError {
    fn from(m: Mistake) -> Self {
        crate::CoreError::Mistake(Box::new(m))
    }
}
