//! Validation of one STIX 2.1 object and the facts the rest of the node needs about it.

use crate::kinds::{self, Extra, Kind};
use crate::observable::Holdings;
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
#[error("{}: {reason}", id.as_deref().unwrap_or("object without a readable id"))]
pub struct Rejection {
    pub id: Option<String>,
    pub reason: String,
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
    fn fail(&self, reason: impl Into<String>) -> Rejection {
        Rejection {
            id: self.id.clone(),
            reason: reason.into(),
        }
    }

    fn string(&self, name: &str) -> Result<Option<Cow<'a, str>>, Rejection> {
        match self.props.get(name) {
            None => Ok(None),
            Some(v) => string(v)
                .map(Some)
                .ok_or_else(|| self.fail(format!("property `{name}` must be a string"))),
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
        let t = timestamp::parse(&text, need_millis)
            .map_err(|e| self.fail(format!("property `{name}`: {e}")))?;
        Ok(Some((t, text)))
    }

    fn reference(&self, name: &str, ty: Option<&str>, v: &str) -> Result<(), Rejection> {
        let text = string(v)
            .ok_or_else(|| self.fail(format!("property `{name}` must hold identifier strings")))?;
        let parsed = id::parse(&text).map_err(|e| self.fail(format!("property `{name}`: {e}")))?;
        if let Some(ty) = ty
            && parsed.object_type != ty
        {
            return Err(self.fail(format!(
                "property `{name}` must reference a {ty}, not `{text}`"
            )));
        }
        Ok(())
    }

    fn array(&self, name: &str) -> Result<Option<Vec<&'a str>>, Rejection> {
        let Some(v) = self.props.get(name) else {
            return Ok(None);
        };
        let items: Vec<&'a str> = serde_json::from_str::<Vec<&'a RawValue>>(v)
            .map_err(|_| self.fail(format!("property `{name}` must be a list")))?
            .into_iter()
            .map(RawValue::get)
            .collect();
        if items.is_empty() {
            return Err(self.fail(format!("property `{name}` must not be an empty list")));
        }
        Ok(Some(items))
    }

    fn require(&self, name: &str, ty: &str) -> Result<(), Rejection> {
        if self.props.has(name) {
            Ok(())
        } else {
            Err(self.fail(format!("required property `{name}` of {ty} is missing")))
        }
    }
}

/// The rejection of JSON text refused for its shape, naming the object when its id reads.
fn shape_refused(raw: &str, why: String) -> Rejection {
    let id = serde_json::from_str::<Properties>(raw)
        .ok()
        .and_then(|p| p.get("id").and_then(string).map(Cow::into_owned));
    Rejection { id, reason: why }
}

/// Validates one object and returns it with its envelope facts.
pub fn validate(raw: &RawValue) -> Result<StixObject, Rejection> {
    validate_str(raw.get())
}

/// [`validate`] for text not yet known to be JSON (as [`crate::stream`] hands it over).
pub fn validate_str(raw: &str) -> Result<StixObject, Rejection> {
    let scanned = crate::scan::object(raw).map_err(|e| Rejection {
        id: None,
        reason: match e {
            scan::ScanError::NotJson(why) => format!("not valid JSON: {why}"),
            scan::ScanError::NotObject => "an object must be a JSON object".into(),
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
        return Err(c.fail(format!("property `{dup}` occurs more than once")));
    }
    let ty = c
        .string("type")?
        .ok_or_else(|| c.fail("required property `type` is missing"))?;
    if !id::is_type_name(&ty) {
        return Err(c.fail(format!("property `type`: `{ty}` is not a STIX type name")));
    }
    if ty == "bundle" {
        return Err(c.fail("a bundle cannot be stored as an object (STIX 2.1 §8)"));
    }
    let id_text = c.id.clone().ok_or_else(|| {
        c.fail(format!(
            "required property `id` of {ty} is missing or not a string"
        ))
    })?;
    let uuid = id::parse_typed(&id_text, &ty)
        .map_err(|e| c.fail(format!("property `id`: {e}")))?
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
            return Err(c.fail(format!(
                "required property `spec_version` of {ty} is missing"
            )));
        }
        (Some(v), _) if v != SPEC_VERSION => {
            return Err(c.fail(format!(
                "property `spec_version` is `{v}`; this node accepts STIX {SPEC_VERSION}"
            )));
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
            return Err(c.fail(
                "marking-definition needs `definition_type` with `definition`, or `extensions`",
            ));
        }
    }
    if let (Some((cr, _)), Some((m, _))) = (&created, &modified)
        && m < cr
    {
        return Err(c.fail("property `modified` is earlier than `created` (STIX 2.1 §3.2)"));
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
            .map_err(|e| c.fail(format!("property `pattern`: {e}")))?,
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
                Err(c.fail("location needs `region`, `country`, or `latitude` with `longitude`"))
            }
        }
        Extra::MalwareFamily => {
            let is_family: bool = serde_json::from_str(c.props.get("is_family").unwrap_or("false"))
                .map_err(|_| c.fail("property `is_family` must be a boolean"))?;
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
                Err(c.fail(format!(
                    "{ty} needs at least one of {}",
                    names
                        .iter()
                        .map(|n| format!("`{n}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )))
            }
        }
        Extra::AnyBeyondCommon => {
            if c.props
                .names()
                .any(|n| !kinds::OBSERVABLE_COMMON.contains(&n))
            {
                Ok(())
            } else {
                Err(c.fail(format!(
                    "{ty} needs at least one property besides the common ones"
                )))
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
            _ => return Err(c.fail("property `confidence` must be an integer from 0 to 100")),
        }
    }
    if let Some(v) = c.props.get("revoked")
        && serde_json::from_str::<bool>(v).is_err()
    {
        return Err(c.fail("property `revoked` must be a boolean"));
    }
    if let Some(v) = c.props.get("labels")
        && serde_json::from_str::<Vec<String>>(v).is_err()
    {
        return Err(c.fail("property `labels` must be a list of strings"));
    }
    for v in c.array("external_references")?.unwrap_or_default() {
        let r: Properties = serde_json::from_str(v)
            .map_err(|_| c.fail("each external reference must be an object"))?;
        if r.get("source_name").and_then(string).is_none() {
            return Err(c.fail("each external reference needs a string `source_name`"));
        }
    }
    if let Some(v) = c.props.get("extensions") {
        let ext: Properties = serde_json::from_str(v)
            .map_err(|_| c.fail("property `extensions` must be an object"))?;
        let impact = c.props.get("type").is_some_and(|t| t == "\"impact\"");
        for (key, value) in &ext.0 {
            let well_formed = key.ends_with("-ext")
                || id::parse_typed(key, "extension-definition").is_ok()
                || (impact && IMPACT_CATEGORIES.contains(&key.as_ref()));
            if !well_formed {
                return Err(c.fail(format!("extension key `{key}` is neither an extension-definition id nor a predefined `-ext` name")));
            }
            if !value.starts_with('{') {
                return Err(c.fail(format!("extension `{key}` must be an object")));
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
        return Err(c.fail("property `payload_bin` must be base64 (STIX 2.1 §2.1 binary)"));
    }
    if ty == "software"
        && let Some(v) = c.props.get("languages")
    {
        let langs: Vec<String> = serde_json::from_str(v)
            .map_err(|_| c.fail("property `languages` must be a list of strings"))?;
        if let Some(bad) = langs.iter().find(|l| !is_language_code(l)) {
            return Err(c.fail(format!(
                "property `languages`: `{bad}` is not a language code (ISO 639-2, e.g. `eng`)"
            )));
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
            .map_err(|_| c.fail("property `object_marking_refs` must be a list of identifiers"))?,
        None => Vec::new(),
    };
    let mut granular = Vec::new();
    for g in c.array("granular_markings")?.unwrap_or_default() {
        let gm: Properties = serde_json::from_str(g)
            .map_err(|_| c.fail("each granular marking must be an object"))?;
        let selectors: Vec<String> = gm
            .get("selectors")
            .and_then(|s| serde_json::from_str(s).ok())
            .filter(|s: &Vec<String>| !s.is_empty())
            .ok_or_else(|| c.fail("each granular marking needs a non-empty list of `selectors`"))?;
        match (gm.get("marking_ref").and_then(string), gm.has("lang")) {
            (Some(r), _) => {
                id::parse_typed(&r, "marking-definition")
                    .map_err(|e| c.fail(format!("granular marking `marking_ref`: {e}")))?;
                granular.push(Granular {
                    marking_ref: r.into_owned(),
                    selectors,
                });
            }
            (None, true) => {}
            (None, false) => {
                return Err(c.fail("each granular marking needs `marking_ref` or `lang`"));
            }
        }
    }
    Ok((refs, granular))
}
