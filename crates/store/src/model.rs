//! Plain data the store takes and gives back.

/// A TAXII API root (TAXII 2.1 §4.2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiRoot {
    /// The path segment under which the root is served, e.g. `api1`.
    pub name: String,
    pub title: String,
    pub description: Option<String>,
    pub max_content_length: u64,
}

/// The store's own small key for a collection (its TAXII id is a UUID string).
pub type CollectionKey = i64;

/// A TAXII collection (TAXII 2.1 §5.2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Collection {
    pub key: CollectionKey,
    pub id: String,
    pub api_root: String,
    pub title: String,
    pub description: Option<String>,
    pub alias: Option<String>,
}

/// What `create_collection` needs. The id is chosen by the caller (a new UUID, or one
/// derived from a peer's collection), so that the audit entry can name it before the write.
#[derive(Debug, Clone, Default)]
pub struct NewCollection {
    pub id: String,
    /// Defaults to the first API root.
    pub api_root: Option<String>,
    pub title: String,
    pub description: Option<String>,
    pub alias: Option<String>,
}

/// Who a user is under the agreement (Art. 6.2 distinguishes exactly these).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Kind {
    /// A user of this competent authority.
    Local,
    /// Another competent authority (of either party), by its id in the agreement.
    Authority(String),
    /// Anyone else: a third party.
    ThirdParty,
}

impl Kind {
    /// Reads the stored form (`local`, `authority:<id>`, `third-party`).
    pub fn parse(text: &str) -> Option<Kind> {
        match text {
            "local" => Some(Kind::Local),
            "third-party" => Some(Kind::ThirdParty),
            _ => text
                .strip_prefix("authority:")
                .filter(|a| !a.is_empty())
                .map(|a| Kind::Authority(a.to_owned())),
        }
    }

    /// The stored form.
    pub fn text(&self) -> String {
        match self {
            Kind::Local => "local".into(),
            Kind::Authority(a) => format!("authority:{a}"),
            Kind::ThirdParty => "third-party".into(),
        }
    }
}

impl std::fmt::Display for Kind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text())
    }
}

/// A user of this node. Passwords are stored only as PHC hash strings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub name: String,
    pub password_hash: String,
    /// Administrators can read and write every collection.
    pub is_admin: bool,
    /// Who the user is under the agreement.
    pub kind: Kind,
    /// The agreement's purposes this user may declare (Art. 6.4); the first is the default.
    pub purposes: Vec<String>,
}

/// A user's rights on one collection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grant {
    pub user: String,
    pub collection: CollectionKey,
    pub can_read: bool,
    pub can_write: bool,
}

/// Which versions of an object a read selects (TAXII 2.1 §3.4.2 `match[version]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VersionSel {
    First,
    Last,
    All,
    /// The version whose `modified` (or `created`, or `date_added`) is this instant.
    At(stix::Micros),
}

/// The filters of a scan; an empty list means "no filter on that field".
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Only rows added strictly after this instant (`added_after`).
    pub added_after: Option<stix::Micros>,
    /// Only rows after this `date_added` (the paging cursor, `next`).
    pub after_seq: Option<i64>,
    pub ids: Vec<String>,
    pub types: Vec<String>,
    /// Empty means the TAXII default, `last`.
    pub versions: Vec<VersionSel>,
    pub spec_versions: Vec<String>,
    /// Load the object text (manifests and version lists do not need it).
    pub with_body: bool,
}

/// One stored object version as a scan yields it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// `date_added` in microseconds: unique and strictly increasing within the store.
    pub date_added: i64,
    pub id: String,
    pub object_type: String,
    /// The version as written in the object (`modified`/`created`), or `date_added` for
    /// objects that have no version of their own.
    pub version: String,
    /// The version in microseconds (what `VersionSel::At` compares).
    pub version_at: i64,
    /// Is this the earliest / the latest version stored of the object? (Which of them a
    /// principal may receive is the policy's to say; these are the store's facts.)
    pub first: bool,
    pub last: bool,
    pub spec_version: String,
    pub marking_refs: Vec<String>,
    /// Markings of parts of the object (granular markings with a `marking_ref`).
    pub granular: Vec<stix::Granular>,
    /// The competent authority the object was obtained from; `None` when this authority
    /// created or collected it (Art. 6.2 protects what was obtained).
    pub origin: Option<String>,
    /// Empty unless the filter asked for bodies.
    pub json: String,
}

/// What happened to one object of a write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AddOutcome {
    Added {
        id: String,
        version: String,
        date_added: i64,
    },
    /// The same version with the same content was already there (an idempotent re-post).
    AlreadyPresent { id: String, version: String },
    /// The same id and version with different content (STIX 2.1 §3.6: only a new `modified`
    /// makes a new version).
    Conflict { id: String, version: String },
}

impl AddOutcome {
    pub fn is_added(&self) -> bool {
        matches!(self, AddOutcome::Added { .. })
    }
}

/// What a write did with one object, without the object's strings: a bulk import hands
/// the objects and their fates on together, so the writing thread neither copies nor frees
/// the objects' text (see `Store::add_stream`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fate {
    Added {
        date_added: i64,
    },
    /// Identical to the stored version with this date_added.
    AlreadyPresent {
        date_added: i64,
    },
    /// The same id and version is stored with different content.
    Conflict,
}

impl Fate {
    /// The version the outcome names: the object's own, or for an object without one the
    /// date_added of its stored copy.
    pub fn version_of(self, obj: &stix::StixObject) -> std::borrow::Cow<'_, str> {
        match (&obj.version, self) {
            (Some((_, text)), _) => text.as_str().into(),
            (None, Fate::Added { date_added } | Fate::AlreadyPresent { date_added }) => {
                stix::timestamp::format(date_added).into()
            }
            (None, Fate::Conflict) => stix::timestamp::format(0).into(),
        }
    }

    /// The outcome for `obj`, copying its id and version.
    pub fn outcome(self, obj: &stix::StixObject) -> AddOutcome {
        let (id, version) = (obj.id.clone(), self.version_of(obj).into_owned());
        match self {
            Fate::Added { date_added } => AddOutcome::Added {
                id,
                version,
                date_added,
            },
            Fate::AlreadyPresent { .. } => AddOutcome::AlreadyPresent { id, version },
            Fate::Conflict => AddOutcome::Conflict { id, version },
        }
    }
}

/// What one write transaction stored, for the audit entry that is committed with it.
#[derive(Debug, Clone, Copy)]
pub struct Written<'a> {
    pub collection: CollectionKey,
    /// The collection's TAXII id.
    pub collection_id: &'a str,
    /// `date_added` of the first and the last version added (`None`: none was added). No
    /// version of the collection that this write did not add has a `date_added` in between.
    pub span: Option<(i64, i64)>,
    pub added: u64,
    /// SHA-256 over `"{id} {version}\n"` of every version added, in `date_added` order.
    pub added_sha256: [u8; 32],
    /// What became of each object given to the write, in order (empty for `add_stream`,
    /// which hands fates back batch by batch).
    pub fates: &'a [Fate],
    /// The versions a delete removed.
    pub removed: &'a [Removed],
}

impl Written<'_> {
    /// The account of the write as an audit entry records it.
    pub fn stored(&self) -> Stored {
        Stored {
            collection: self.collection_id.to_owned(),
            first: self.span.map(|s| s.0),
            last: self.span.map(|s| s.1),
            added: self.added,
            sha256: hex::encode(self.added_sha256),
            removed: self.removed.to_vec(),
        }
    }
}

/// One version a delete removed.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Removed {
    pub date_added: i64,
    pub id: String,
    pub version: String,
}

/// The account of one write transaction in the audit log: which versions it added to
/// which collection (their `date_added` span, count and digest) and which it removed.
/// `symbolon audit verify` compares the store with these.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Stored {
    pub collection: String,
    pub first: Option<i64>,
    pub last: Option<i64>,
    pub added: u64,
    /// Hex SHA-256 over `"{id} {version}\n"` of the versions added, in `date_added` order.
    pub sha256: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub removed: Vec<Removed>,
}

/// Builds a write's audit entry from what the write did, inside its transaction: the entry
/// is committed with the write (the outbox), or neither is.
pub type Describe<'a> = &'a mut dyn FnMut(&Written) -> crate::Result<Vec<u8>>;

/// Builds what a write keeps beside its objects in the same transaction, from the outcomes
/// (in input order): a TAXII POST's status resource, durable with what it reports.
pub type Report<'a> = &'a mut dyn FnMut(&[AddOutcome]) -> crate::Result<Option<StatusRecord>>;

/// The agreement a node is under, as `symbolon agreement init` set it: the agreement file
/// as given and which party and authority this node is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgreementDoc {
    /// The agreement file (`symbolon-agreement/1` TOML), whole.
    pub text: String,
    pub party: String,
    pub authority: String,
}

/// A signed record of the agreement's ledger, as the store keeps it: its id, its kind and
/// its JSON text (signature included). Only `policy` reads the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerRecord {
    pub id: String,
    pub kind: String,
    pub json: String,
}

/// A stored TAXII status resource (TAXII 2.1 §4.3), kept as its JSON text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusRecord {
    pub id: String,
    pub api_root: String,
    /// Only this user (or an administrator) may read it back.
    pub owner: String,
    pub json: String,
}

/// The current time in microseconds since the epoch.
pub fn now_micros() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_micros() as i64)
        .unwrap_or(0)
}

/// A peer node this node exchanges with (federation): another competent authority's node,
/// or a third party's node registered by the operator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Peer {
    /// The peer's authority id (or the third party's name); its signed requests act as the
    /// user of this name.
    pub id: String,
    /// Base URL of the peer's node (its TAXII discovery is `{url}taxii2/`).
    pub url: String,
    /// The Ed25519 public key of the peer's node.
    pub public_key: [u8; 32],
    /// Set when exchange with this peer stopped for a reason an operator must look at (its
    /// audit log was rewritten or forked); sync refuses the peer while it is set.
    pub halted: Option<String>,
    /// The breach that halted it, as data (`None` while exchanging, and for halts recorded
    /// before the breach was kept).
    pub breach: Option<federation::witness::Breach>,
    /// The last signed tree head of the peer's audit log this node witnessed (`None`:
    /// none yet, or only an empty log).
    pub witnessed: Option<audit::SignedTreeHead>,
}

/// Where exchanging one collection with a peer stands: pulling the peer's `remote`
/// collection into `local`, or pushing `local` to the peer's `remote`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncCursor {
    pub peer: String,
    /// The peer's collection id.
    pub remote: String,
    /// The local collection.
    pub local: CollectionKey,
    /// `false`: pull from the peer; `true`: push to it.
    pub push: bool,
    /// Pull: the `date_added` (as the peer wrote it) of the last object taken; the next pull
    /// asks for objects `added_after` it. Push: the local `date_added` of the last object
    /// sent (microseconds).
    pub added_after: Option<String>,
}

/// A page's seal as kept with the objects it covers: the seal and the leaf hash of every
/// object of the page, in page order (so any one object's proof can be rebuilt).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SealedPage {
    pub peer: String,
    pub seal: federation::provenance::Seal,
    pub leaves: Vec<[u8; 32]>,
}

/// Objects received under one seal, ready to store: `objects[i]` is leaf `index[i]` of
/// the seal (objects refused locally are absent).
#[derive(Debug, Clone)]
pub struct SealedBatch {
    pub sealed: SealedPage,
    pub objects: Vec<stix::StixObject>,
    pub index: Vec<u32>,
    /// The authority each object was obtained from (`None`: this authority's own), in
    /// object order; empty: every object has the origin `add_sealed` is given.
    pub origins: Vec<Option<String>>,
}

/// Objects that failed their provenance check: kept apart for the operator, never served.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quarantined {
    pub peer: String,
    /// The peer's collection the objects came from.
    pub remote: String,
    /// Microseconds since the epoch.
    pub at: i64,
    /// The node's account of why (English, as its audit entry says).
    pub reason: String,
    /// The same as data (`None` for pages quarantined before the cause was kept).
    pub cause: Option<federation::distrust::Distrust>,
    /// The page as received (it may not even be JSON).
    pub body: Vec<u8>,
}

/// Where a store stands (see `Store::marks`): the agreement's counter, the positions of
/// the last record and the last marking definition kept, the last `date_added` given,
/// and the count of changes to API roots, collections, users and grants.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Marks {
    pub agreement: i64,
    pub records: i64,
    pub markings: i64,
    pub last_added: i64,
    pub admin: i64,
    /// The position of the last version deleted (`Store::removed_after`).
    pub removed: i64,
}

/// What one stored version holds for the correlation index, with the facts a decision
/// about it needs (see `Store::holdings_after`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holding {
    /// The `date_added` of the version.
    pub at: i64,
    pub collection: CollectionKey,
    /// Its observable values and references, packed.
    pub holdings: stix::observable::Holdings,
    pub id: String,
    pub object_type: String,
    /// As [`Row::version`] and [`Row::version_at`] give them.
    pub version: String,
    pub version_at: i64,
    pub marking_refs: Vec<String>,
    pub origin: Option<String>,
    /// Whether parts of it are marked (granular markings): a decision then needs its text.
    pub granular: bool,
}
