//! Why an object is not valid STIX, as data: a front door says it in its user's language
//! (the workspace maps each variant to a message of its own), while `Display` gives the
//! English that TAXII statuses, the CLI and the logs carry.

use crate::id::IdError;
use crate::timestamp::TimestampError;
use std::fmt;

/// What a property's value must be, when it is not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expected {
    String,
    Boolean,
    List,
    NonEmptyList,
    ListOfStrings,
    /// Identifier strings (a reference, or each item of a list of references).
    Identifiers,
    ListOfIdentifiers,
    Object,
    /// An integer from 0 to 100 (`confidence`).
    Percent,
    /// STIX 2.1 §2.1 binary.
    Base64,
}

impl Expected {
    /// The English completion of "property `x` must ...".
    fn english(self) -> &'static str {
        match self {
            Expected::String => "be a string",
            Expected::Boolean => "be a boolean",
            Expected::List => "be a list",
            Expected::NonEmptyList => "not be an empty list",
            Expected::ListOfStrings => "be a list of strings",
            Expected::Identifiers => "hold identifier strings",
            Expected::ListOfIdentifiers => "be a list of identifiers",
            Expected::Object => "be an object",
            Expected::Percent => "be an integer from 0 to 100",
            Expected::Base64 => "be base64 (STIX 2.1 §2.1 binary)",
        }
    }
}

/// Why an object was refused (see the module).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// Not JSON: the parser's words (position and what it found), in English.
    NotJson(String),
    NotAnObject,
    /// JSON of a shape clients cannot read (nesting, lone surrogates): the scanner's words.
    Shape(String),
    /// A property name that occurs more than once.
    Repeated(String),
    /// A required property is absent; `of`: the type (or kind) that requires it, if known.
    Missing {
        property: String,
        of: Option<String>,
    },
    /// `id` is absent or not a string.
    NoId {
        of: String,
    },
    Expected {
        property: String,
        expected: Expected,
    },
    Timestamp {
        property: String,
        error: TimestampError,
    },
    Identifier {
        property: String,
        error: IdError,
    },
    /// A reference to an object of the wrong type.
    WrongReference {
        property: String,
        expected: String,
        value: String,
    },
    /// `pattern` is not a STIX pattern: the parser's words.
    Pattern(String),
    NotTypeName(String),
    Bundle,
    SpecVersion(String),
    MarkingDefinition,
    ModifiedBeforeCreated,
    Location,
    /// `of` needs at least one of `properties`.
    AnyOf {
        of: String,
        properties: Vec<String>,
    },
    /// `of` (an observable) needs a property besides the common ones.
    BeyondCommon {
        of: String,
    },
    ExtensionKey(String),
    ExtensionNotObject(String),
    ExternalReferenceNotObject,
    ExternalReferenceSource,
    GranularNotObject,
    GranularSelectors,
    GranularMarkingRef(IdError),
    GranularMarkingOrLang,
    /// A `languages` item that is not a language code.
    LanguageCode(String),
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::NotJson(why) => write!(f, "not valid JSON: {why}"),
            Problem::NotAnObject => f.write_str("an object must be a JSON object"),
            Problem::Shape(why) => f.write_str(why),
            Problem::Repeated(p) => write!(f, "property `{p}` occurs more than once"),
            Problem::Missing { property, of } => match of {
                Some(ty) => write!(f, "required property `{property}` of {ty} is missing"),
                None => write!(f, "required property `{property}` is missing"),
            },
            Problem::NoId { of } => {
                write!(
                    f,
                    "required property `id` of {of} is missing or not a string"
                )
            }
            Problem::Expected { property, expected } => {
                write!(f, "property `{property}` must {}", expected.english())
            }
            Problem::Timestamp { property, error } => write!(f, "property `{property}`: {error}"),
            Problem::Identifier { property, error } => {
                write!(f, "property `{property}`: {error}")
            }
            Problem::WrongReference {
                property,
                expected,
                value,
            } => write!(
                f,
                "property `{property}` must reference a {expected}, not `{value}`"
            ),
            Problem::Pattern(why) => write!(f, "property `pattern`: {why}"),
            Problem::NotTypeName(ty) => {
                write!(f, "property `type`: `{ty}` is not a STIX type name")
            }
            Problem::Bundle => f.write_str("a bundle cannot be stored as an object (STIX 2.1 §8)"),
            Problem::SpecVersion(v) => write!(
                f,
                "property `spec_version` is `{v}`; this node accepts STIX {}",
                crate::SPEC_VERSION
            ),
            Problem::MarkingDefinition => f.write_str(
                "marking-definition needs `definition_type` with `definition`, or `extensions`",
            ),
            Problem::ModifiedBeforeCreated => {
                f.write_str("property `modified` is earlier than `created` (STIX 2.1 §3.2)")
            }
            Problem::Location => {
                f.write_str("location needs `region`, `country`, or `latitude` with `longitude`")
            }
            Problem::AnyOf { of, properties } => {
                write!(f, "{of} needs at least one of ")?;
                for (i, p) in properties.iter().enumerate() {
                    let sep = if i == 0 { "" } else { ", " };
                    write!(f, "{sep}`{p}`")?;
                }
                Ok(())
            }
            Problem::BeyondCommon { of } => write!(
                f,
                "{of} needs at least one property besides the common ones"
            ),
            Problem::ExtensionKey(key) => write!(
                f,
                "extension key `{key}` is neither an extension-definition id nor a predefined `-ext` name"
            ),
            Problem::ExtensionNotObject(key) => write!(f, "extension `{key}` must be an object"),
            Problem::ExternalReferenceNotObject => {
                f.write_str("each external reference must be an object")
            }
            Problem::ExternalReferenceSource => {
                f.write_str("each external reference needs a string `source_name`")
            }
            Problem::GranularNotObject => f.write_str("each granular marking must be an object"),
            Problem::GranularSelectors => {
                f.write_str("each granular marking needs a non-empty list of `selectors`")
            }
            Problem::GranularMarkingRef(e) => write!(f, "granular marking `marking_ref`: {e}"),
            Problem::GranularMarkingOrLang => {
                f.write_str("each granular marking needs `marking_ref` or `lang`")
            }
            Problem::LanguageCode(bad) => write!(
                f,
                "property `languages`: `{bad}` is not a language code (ISO 639-2, e.g. `eng`)"
            ),
        }
    }
}
