//! The STIX 2.1 object types and what each one requires (STIX 2.1 §4-§7, cross-checked with
//! the OASIS JSON schemas in `shared/data/oasis/cti-stix2-json-schemas`).

/// The family an object type belongs to; it decides which common properties are required.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// STIX Domain Object (§4).
    Domain,
    /// STIX Relationship Object (§5).
    Relationship,
    /// STIX Cyber-observable Object (§6): no created/modified, spec_version optional.
    Observable,
    /// marking-definition (§7.2): created but never modified.
    MarkingDefinition,
    /// language-content (§7.1) and extension-definition (§7.3).
    Meta,
    /// A type this node does not know (custom object or a new-sdo/new-sco/new-sro extension):
    /// versioned like an SDO when it carries `created`, like an SCO otherwise.
    Custom,
}

/// A rule beyond "these properties are required".
#[derive(Debug, Clone, Copy)]
pub enum Extra {
    None,
    /// location: region, country, or latitude with longitude.
    Location,
    /// malware: `name` is required when `is_family` is true.
    MalwareFamily,
    /// At least one of the listed properties.
    AnyOf(&'static [&'static str]),
    /// At least one property beyond the SCO common ones.
    AnyBeyondCommon,
}

pub struct TypeRule {
    pub name: &'static str,
    pub kind: Kind,
    pub required: &'static [&'static str],
    pub extra: Extra,
}

const fn rule(
    name: &'static str,
    kind: Kind,
    required: &'static [&'static str],
    extra: Extra,
) -> TypeRule {
    TypeRule {
        name,
        kind,
        required,
        extra,
    }
}

use Extra as E;
use Kind as K;

pub static RULES: &[TypeRule] = &[
    rule("attack-pattern", K::Domain, &["name"], E::None),
    rule("campaign", K::Domain, &["name"], E::None),
    rule("course-of-action", K::Domain, &["name"], E::None),
    rule("grouping", K::Domain, &["context", "object_refs"], E::None),
    rule("identity", K::Domain, &["name"], E::None),
    rule("incident", K::Domain, &["name"], E::None),
    rule(
        "indicator",
        K::Domain,
        &["pattern", "pattern_type", "valid_from"],
        E::None,
    ),
    rule("infrastructure", K::Domain, &["name"], E::None),
    rule("intrusion-set", K::Domain, &["name"], E::None),
    rule("location", K::Domain, &[], E::Location),
    rule("malware", K::Domain, &["is_family"], E::MalwareFamily),
    rule(
        "malware-analysis",
        K::Domain,
        &["product"],
        E::AnyOf(&["result", "analysis_sco_refs"]),
    ),
    rule("note", K::Domain, &["content", "object_refs"], E::None),
    rule(
        "observed-data",
        K::Domain,
        &["first_observed", "last_observed", "number_observed"],
        E::AnyOf(&["object_refs", "objects"]),
    ),
    rule("opinion", K::Domain, &["opinion", "object_refs"], E::None),
    rule(
        "report",
        K::Domain,
        &["name", "published", "object_refs"],
        E::None,
    ),
    rule("threat-actor", K::Domain, &["name"], E::None),
    rule("tool", K::Domain, &["name"], E::None),
    rule("vulnerability", K::Domain, &["name"], E::None),
    rule(
        "relationship",
        K::Relationship,
        &["relationship_type", "source_ref", "target_ref"],
        E::None,
    ),
    rule("sighting", K::Relationship, &["sighting_of_ref"], E::None),
    rule(
        "artifact",
        K::Observable,
        &[],
        E::AnyOf(&["payload_bin", "url"]),
    ),
    rule("autonomous-system", K::Observable, &["number"], E::None),
    rule("directory", K::Observable, &["path"], E::None),
    rule("domain-name", K::Observable, &["value"], E::None),
    rule("email-addr", K::Observable, &["value"], E::None),
    rule("email-message", K::Observable, &["is_multipart"], E::None),
    rule("file", K::Observable, &[], E::AnyOf(&["hashes", "name"])),
    rule("ipv4-addr", K::Observable, &["value"], E::None),
    rule("ipv6-addr", K::Observable, &["value"], E::None),
    rule("mac-addr", K::Observable, &["value"], E::None),
    rule("mutex", K::Observable, &["name"], E::None),
    rule(
        "network-traffic",
        K::Observable,
        &["protocols"],
        E::AnyOf(&["src_ref", "dst_ref"]),
    ),
    rule("process", K::Observable, &[], E::AnyBeyondCommon),
    rule("software", K::Observable, &["name"], E::None),
    rule("url", K::Observable, &["value"], E::None),
    rule("user-account", K::Observable, &[], E::AnyBeyondCommon),
    rule(
        "windows-registry-key",
        K::Observable,
        &[],
        E::AnyBeyondCommon,
    ),
    rule("x509-certificate", K::Observable, &[], E::AnyBeyondCommon),
    rule("marking-definition", K::MarkingDefinition, &[], E::None),
    rule(
        "language-content",
        K::Meta,
        &["object_ref", "contents"],
        E::None,
    ),
    rule(
        "extension-definition",
        K::Meta,
        &[
            "created_by_ref",
            "name",
            "schema",
            "version",
            "extension_types",
        ],
        E::None,
    ),
];

/// The rule for a type, if it is one of STIX 2.1's own.
pub fn rule_for(object_type: &str) -> Option<&'static TypeRule> {
    RULES.iter().find(|r| r.name == object_type)
}

/// Properties every SCO may carry; `AnyBeyondCommon` types need one more than these.
pub const OBSERVABLE_COMMON: &[&str] = &[
    "type",
    "id",
    "spec_version",
    "object_marking_refs",
    "granular_markings",
    "defanged",
    "extensions",
];

/// Optional properties that hold timestamps wherever they appear at the top level.
pub const TIMESTAMP_PROPERTIES: &[&str] = &[
    "first_seen",
    "last_seen",
    "valid_from",
    "valid_until",
    "published",
    "first_observed",
    "last_observed",
    "start_time",
    "stop_time",
    "analysis_started",
    "analysis_ended",
    "submitted",
];

/// Single-identifier properties and the type they must point at (`None`: any type).
pub const REF_PROPERTIES: &[(&str, Option<&str>)] = &[
    ("created_by_ref", Some("identity")),
    ("source_ref", None),
    ("target_ref", None),
    ("sighting_of_ref", None),
    ("object_ref", None),
];

/// Identifier-list properties and the type their members must have (`None`: any type).
pub const REF_LIST_PROPERTIES: &[(&str, Option<&str>)] = &[
    ("object_refs", None),
    ("object_marking_refs", Some("marking-definition")),
    ("where_sighted_refs", None),
    ("observed_data_refs", Some("observed-data")),
    ("sample_refs", None),
];
