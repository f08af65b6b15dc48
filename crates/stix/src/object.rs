//! Validation of one STIX 2.1 object and the facts the rest of the node needs about it.

use crate::kinds::{self, Extra, Kind};
use crate::observable::Holdings;
use crate::problem::{Expected, Problem};
use crate::properties::Properties;
use crate::timestamp::{self, Micros};
use crate::{id, observable, scan};
use serde_json::value::RawValue;
use std::borrow::Cow;

/// An object that passed validation, with the envelope facts the store and policy use.
/// `json` is the object's own text (insignificant whitespace removed), never re-serialised.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StixObject {
    pub id: String,
    pub object_type: String,
    pub uuid: [u8; 16],
    pub spec_version: String,
    pub created: Option<Micros>,
    pub modified: Option<Micros>,
    /// The object's version (§3.6): `modified`, else `created`, as parsed and as written.
    /// `None` for objects that are not versioned (most SCOs).
    pub version: Option<(Micros, String)>,
    /// `object_marking_refs`: markings of the whole object.
    pub marking_refs: Vec<String>,
    /// Granular markings with a `marking_ref` (STIX 2.1 §7.2.3): markings of parts.
    pub granular: Vec<Granular>,
    /// The observable values the object holds, normalised, and the objects it references
    /// (markings left out), packed ([`crate::observable`]).
    pub holdings: Holdings,
    pub json: String,
}

/// A granular marking: the marking definition and the selectors of the parts it marks.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Granular {
    pub marking_ref: String,
    pub selectors: Vec<String>,
}

/// Why an object was refused: the id (when one could be read), the property, the reason.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}: {problem}", id.as_deref().unwrap_or("object without a readable id"))]
pub struct Rejection {
    pub id: Option<String>,
    pub problem: Problem,
}

impl Rejection {
    /// The problem in English (TAXII statuses, the CLI, logs).
    pub fn reason(&self) -> String {
        self.problem.to_string()
    }
}

/// The STIX specification version this node accepts for objects.
pub const SPEC_VERSION: &str = "2.1";

/// A JSON string value (`v`: the raw text of a value already read as JSON), borrowed from
/// the input unless it contains escapes.
pub(crate) fn string(v: &str) -> Option<Cow<'_, str>> {
    let inner = v.strip_prefix('"')?.strip_suffix('"')?;
    if inner.contains('\\') {
        serde_json::from_str::<String>(v).ok().map(Cow::Owned)
    } else {
        Some(Cow::Borrowed(inner))
    }
}

struct Check<'a> {
    props: Properties<'a>,
    id: Option<String>,
}

impl<'a> Check<'a> {
    fn fail(&self, problem: Problem) -> Rejection {
        Rejection {
            id: self.id.clone(),
            problem,
        }
    }

    /// Property `name` is not what it must be.
    fn expected(&self, name: &str, expected: Expected) -> Rejection {
        self.fail(Problem::Expected {
            property: name.to_owned(),
            expected,
        })
    }

    fn string(&self, name: &str) -> Result<Option<Cow<'a, str>>, Rejection> {
        match self.props.get(name) {
            None => Ok(None),
            Some(v) => string(v)
                .map(Some)
                .ok_or_else(|| self.expected(name, Expected::String)),
        }
    }

    fn timestamp(
        &self,
        name: &str,
        need_millis: bool,
    ) -> Result<Option<(Micros, Cow<'a, str>)>, Rejection> {
        let Some(text) = self.string(name)? else {
            return Ok(None);
        };
        let t = timestamp::parse(&text, need_millis).map_err(|error| {
            self.fail(Problem::Timestamp {
                property: name.to_owned(),
                error,
            })
        })?;
        Ok(Some((t, text)))
    }

    fn reference(&self, name: &str, ty: Option<&str>, v: &str) -> Result<(), Rejection> {
        let text = string(v).ok_or_else(|| self.expected(name, Expected::Identifiers))?;
        let parsed = id::parse(&text).map_err(|error| {
            self.fail(Problem::Identifier {
                property: name.to_owned(),
                error,
            })
        })?;
        if let Some(ty) = ty
            && parsed.object_type != ty
        {
            return Err(self.fail(Problem::WrongReference {
                property: name.to_owned(),
                expected: ty.to_owned(),
                value: text.into_owned(),
            }));
        }
        Ok(())
    }

    fn array(&self, name: &str) -> Result<Option<Vec<&'a str>>, Rejection> {
        let Some(v) = self.props.get(name) else {
            return Ok(None);
        };
        let items: Vec<&'a str> = serde_json::from_str::<Vec<&'a RawValue>>(v)
            .map_err(|_| self.expected(name, Expected::List))?
            .into_iter()
            .map(RawValue::get)
            .collect();
        if items.is_empty() {
            return Err(self.expected(name, Expected::NonEmptyList));
        }
        Ok(Some(items))
    }

    fn require(&self, name: &str, ty: &str) -> Result<(), Rejection> {
        if self.props.has(name) {
            Ok(())
        } else {
            Err(self.fail(Problem::Missing {
                property: name.to_owned(),
                of: Some(ty.to_owned()),
            }))
        }
    }
}

/// The rejection of JSON text refused for its shape, naming the object when its id reads.
fn shape_refused(raw: &str, why: String) -> Rejection {
    let id = serde_json::from_str::<Properties>(raw)
        .ok()
        .and_then(|p| p.get("id").and_then(string).map(Cow::into_owned));
    Rejection {
        id,
        problem: Problem::Shape(why),
    }
}

/// Validates one object and returns it with its envelope facts.
pub fn validate(raw: &RawValue) -> Result<StixObject, Rejection> {
    validate_str(raw.get())
}

/// [`validate`] for text not yet known to be JSON (as [`crate::stream`] hands it over).
pub fn validate_str(raw: &str) -> Result<StixObject, Rejection> {
    let scanned = crate::scan::object(raw).map_err(|e| Rejection {
        id: None,
        problem: match e {
            scan::ScanError::NotJson(why) => Problem::NotJson(why),
            scan::ScanError::NotObject => Problem::NotAnObject,
            // JSON, so the id can be read to name the object refused.
            scan::ScanError::Shape(why) => return shape_refused(raw, why),
        },
    })?;
    let json = scanned.compact;
    let id = scanned
        .props
        .get("id")
        .and_then(string)
        .map(Cow::into_owned);
    let c = Check {
        props: scanned.props,
        id,
    };
    if let Some(dup) = c.props.duplicate() {
        return Err(c.fail(Problem::Repeated(dup.to_owned())));
    }
    let ty = c.string("type")?.ok_or_else(|| {
        c.fail(Problem::Missing {
            property: "type".into(),
            of: None,
        })
    })?;
    if !id::is_type_name(&ty) {
        return Err(c.fail(Problem::NotTypeName(ty.into_owned())));
    }
    if ty == "bundle" {
        return Err(c.fail(Problem::Bundle));
    }
    let id_text = c.id.clone().ok_or_else(|| {
        c.fail(Problem::NoId {
            of: ty.clone().into_owned(),
        })
    })?;
    let uuid = id::parse_typed(&id_text, &ty)
        .map_err(|error| {
            c.fail(Problem::Identifier {
                property: "id".into(),
                error,
            })
        })?
        .uuid;

    let rule = kinds::rule_for(&ty);
    let kind = match rule {
        Some(r) => r.kind,
        None if c.props.has("created") => Kind::Custom,
        None => Kind::Observable,
    };
    let versioned = matches!(kind, Kind::Domain | Kind::Relationship | Kind::Meta)
        || (kind == Kind::Custom && c.props.has("created"));

    let spec_version = c.string("spec_version")?;
    match (&spec_version, kind) {
        (None, Kind::Observable) => {}
        (None, _) => {
            return Err(c.fail(Problem::Missing {
                property: "spec_version".into(),
                of: Some(ty.into_owned()),
            }));
        }
        (Some(v), _) if v != SPEC_VERSION => {
            return Err(c.fail(Problem::SpecVersion(v.clone().into_owned())));
        }
        _ => {}
    }

    let created = c.timestamp("created", true)?;
    let modified = c.timestamp("modified", true)?;
    if versioned {
        c.require("created", &ty)?;
        c.require("modified", &ty)?;
    }
    if kind == Kind::MarkingDefinition {
        c.require("created", &ty)?;
        let statement_or_tlp = c.props.has("definition_type") && c.props.has("definition");
        if !statement_or_tlp && !c.props.has("extensions") {
            return Err(c.fail(Problem::MarkingDefinition));
        }
    }
    if let (Some((cr, _)), Some((m, _))) = (&created, &modified)
        && m < cr
    {
        return Err(c.fail(Problem::ModifiedBeforeCreated));
    }

    if let Some(rule) = rule {
        for name in rule.required {
            c.require(name, &ty)?;
        }
        check_extra(&c, &ty, rule.extra)?;
    }
    check_common(&c)?;
    check_values(&c, &ty)?;

    let (marking_refs, granular) = marking_refs(&c)?;
    // STIX 2.1 §9: a `stix` pattern must be one; what it names is indexed.
    let observables = match (ty.as_ref(), observable::stix_pattern(&c.props)) {
        ("indicator", Some(text)) => observable::pattern_values(&text)
            .map_err(|e| c.fail(Problem::Pattern(e.to_string())))?,
        _ => observable::from_properties(&ty, &c.props, None),
    };
    let refs = observable::refs_from_properties(&c.props);
    let version = modified
        .as_ref()
        .or(created.as_ref())
        .map(|(t, text)| (*t, text.clone().into_owned()));
    Ok(StixObject {
        id: id_text,
        object_type: ty.into_owned(),
        uuid,
        spec_version: spec_version.map_or_else(|| SPEC_VERSION.to_owned(), Cow::into_owned),
        created: created.map(|t| t.0),
        modified: modified.map(|t| t.0),
        version,
        marking_refs,
        granular,
        holdings: Holdings::pack(&observables, &refs),
        json,
    })
}

fn check_extra(c: &Check, ty: &str, extra: Extra) -> Result<(), Rejection> {
    match extra {
        Extra::None => Ok(()),
        Extra::Location => {
            let p = &c.props;
            if p.has("region") || p.has("country") || (p.has("latitude") && p.has("longitude")) {
                Ok(())
            } else {
                Err(c.fail(Problem::Location))
            }
        }
        Extra::MalwareFamily => {
            let is_family: bool = serde_json::from_str(c.props.get("is_family").unwrap_or("false"))
                .map_err(|_| c.expected("is_family", Expected::Boolean))?;
            if is_family {
                c.require("name", "a malware family")
            } else {
                Ok(())
            }
        }
        Extra::AnyOf(names) => {
            if names.iter().any(|n| c.props.has(n)) {
                Ok(())
            } else {
                Err(c.fail(Problem::AnyOf {
                    of: ty.to_owned(),
                    properties: names.iter().map(|n| (*n).to_owned()).collect(),
                }))
            }
        }
        Extra::AnyBeyondCommon => {
            if c.props
                .names()
                .any(|n| !kinds::OBSERVABLE_COMMON.contains(&n))
            {
                Ok(())
            } else {
                Err(c.fail(Problem::BeyondCommon { of: ty.to_owned() }))
            }
        }
    }
}

/// The OASIS impact extension (incident-core) details each impact under an extension key
/// named after its category (`extensions.availability`, ...), which STIX 2.1 §7.3 does not
/// otherwise allow: those keys are accepted on `impact` objects only. They are the
/// extension's `impact_category` vocabulary.
pub const IMPACT_CATEGORIES: [&str; 7] = [
    "availability",
    "confidentiality",
    "external",
    "integrity",
    "monetary",
    "physical",
    "traceability",
];

fn check_common(c: &Check) -> Result<(), Rejection> {
    for name in kinds::TIMESTAMP_PROPERTIES {
        c.timestamp(name, false)?;
    }
    for (name, ty) in kinds::REF_PROPERTIES {
        if let Some(v) = c.props.get(name) {
            c.reference(name, *ty, v)?;
        }
    }
    for (name, ty) in kinds::REF_LIST_PROPERTIES {
        for v in c.array(name)?.unwrap_or_default() {
            c.reference(name, *ty, v)?;
        }
    }
    if let Some(v) = c.props.get("confidence") {
        match serde_json::from_str::<i64>(v) {
            Ok(0..=100) => {}
            _ => return Err(c.expected("confidence", Expected::Percent)),
        }
    }
    if let Some(v) = c.props.get("revoked")
        && serde_json::from_str::<bool>(v).is_err()
    {
        return Err(c.expected("revoked", Expected::Boolean));
    }
    if let Some(v) = c.props.get("labels")
        && serde_json::from_str::<Vec<String>>(v).is_err()
    {
        return Err(c.expected("labels", Expected::ListOfStrings));
    }
    for v in c.array("external_references")?.unwrap_or_default() {
        let r: Properties =
            serde_json::from_str(v).map_err(|_| c.fail(Problem::ExternalReferenceNotObject))?;
        if r.get("source_name").and_then(string).is_none() {
            return Err(c.fail(Problem::ExternalReferenceSource));
        }
    }
    if let Some(v) = c.props.get("extensions") {
        let ext: Properties =
            serde_json::from_str(v).map_err(|_| c.expected("extensions", Expected::Object))?;
        let impact = c.props.get("type").is_some_and(|t| t == "\"impact\"");
        for (key, value) in &ext.0 {
            let well_formed = key.ends_with("-ext")
                || id::parse_typed(key, "extension-definition").is_ok()
                || (impact && IMPACT_CATEGORIES.contains(&key.as_ref()));
            if !well_formed {
                return Err(c.fail(Problem::ExtensionKey(key.to_string())));
            }
            if !value.starts_with('{') {
                return Err(c.fail(Problem::ExtensionNotObject(key.to_string())));
            }
        }
    }
    Ok(())
}

/// Value shapes of a few SCO properties that real producers get wrong (seen in the MISP
/// fixtures): STIX 2.1 §2.1 binary is base64, §6.14 `languages` are language codes.
fn check_values(c: &Check, ty: &str) -> Result<(), Rejection> {
    if ty == "artifact"
        && let Some(bin) = c.string("payload_bin")?
        && !is_base64(&bin)
    {
        return Err(c.expected("payload_bin", Expected::Base64));
    }
    if ty == "software"
        && let Some(v) = c.props.get("languages")
    {
        let langs: Vec<String> = serde_json::from_str(v)
            .map_err(|_| c.expected("languages", Expected::ListOfStrings))?;
        if let Some(bad) = langs.iter().find(|l| !is_language_code(l)) {
            return Err(c.fail(Problem::LanguageCode(bad.clone())));
        }
    }
    Ok(())
}

fn is_base64(s: &str) -> bool {
    let b = s.as_bytes();
    let body = b
        .iter()
        .take_while(|c| c.is_ascii_alphanumeric() || **c == b'+' || **c == b'/')
        .count();
    let pad = &b[body..];
    b.len().is_multiple_of(4) && pad.len() <= 2 && pad.iter().all(|c| *c == b'=')
}

/// RFC 5646 shape: a 2-3 letter primary subtag, then hyphen-separated subtags.
fn is_language_code(s: &str) -> bool {
    let mut parts = s.split('-');
    let primary = parts.next().unwrap_or("");
    (2..=3).contains(&primary.len())
        && primary.bytes().all(|c| c.is_ascii_lowercase())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|c| c.is_ascii_alphanumeric()))
}

fn marking_refs(c: &Check) -> Result<(Vec<String>, Vec<Granular>), Rejection> {
    let refs: Vec<String> = match c.props.get("object_marking_refs") {
        Some(v) => serde_json::from_str(v)
            .map_err(|_| c.expected("object_marking_refs", Expected::ListOfIdentifiers))?,
        None => Vec::new(),
    };
    let mut granular = Vec::new();
    for g in c.array("granular_markings")?.unwrap_or_default() {
        let gm: Properties =
            serde_json::from_str(g).map_err(|_| c.fail(Problem::GranularNotObject))?;
        let selectors: Vec<String> = gm
            .get("selectors")
            .and_then(|s| serde_json::from_str(s).ok())
            .filter(|s: &Vec<String>| !s.is_empty())
            .ok_or_else(|| c.fail(Problem::GranularSelectors))?;
        match (gm.get("marking_ref").and_then(string), gm.has("lang")) {
            (Some(r), _) => {
                id::parse_typed(&r, "marking-definition")
                    .map_err(|e| c.fail(Problem::GranularMarkingRef(e)))?;
                granular.push(Granular {
                    marking_ref: r.into_owned(),
                    selectors,
                });
            }
            (None, true) => {}
            (None, false) => {
                return Err(c.fail(Problem::GranularMarkingOrLang));
            }
        }
    }
    Ok((refs, granular))
}
