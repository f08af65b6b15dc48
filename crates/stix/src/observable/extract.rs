//! Where objects hold values and references.

use super::normalise::{normalise, refang};
use super::{Kind, Observable, Reference};
use crate::pattern::{self, ObjectPath, Pattern};
use crate::properties::Properties;
use serde_json::Value;

/// The values an object holds (its text as stored), normalised, each once, in the order
/// found. An object that is not valid JSON holds none.
pub fn of_object(json: &str) -> Vec<Observable> {
    let Ok(props) = serde_json::from_str::<Properties>(json) else {
        return Vec::new();
    };
    let ty = props
        .get("type")
        .and_then(|v| serde_json::from_str::<&str>(v).ok())
        .unwrap_or("");
    let parsed = (ty == "indicator")
        .then(|| stix_pattern(&props))
        .flatten()
        .and_then(|p| pattern::parse(&p).ok());
    from_properties(ty, &props, parsed.as_ref())
}

/// The pattern text of an indicator whose `pattern_type` is `stix`.
pub(crate) fn stix_pattern<'a>(props: &Properties<'a>) -> Option<std::borrow::Cow<'a, str>> {
    // Decoded, never compared as written: `"\u0073tix"` is `stix` too.
    if crate::object::string(props.get("pattern_type")?)? != "stix" {
        return None;
    }
    crate::object::string(props.get("pattern")?)
}

/// [`of_object`] for an object already split into its properties (validation does this),
/// with its pattern already parsed.
pub(crate) fn from_properties(
    ty: &str,
    props: &Properties,
    pattern: Option<&Pattern>,
) -> Vec<Observable> {
    let mut out = Vec::new();
    match ty {
        "indicator" => {
            if let Some(p) = pattern {
                out = of_pattern(p);
            }
        }
        "observed-data" => {
            // STIX 2.0's embedded `objects` (deprecated in 2.1, still written): each one an
            // SCO of its own.
            if let Some(objects) = props
                .get("objects")
                .and_then(|v| serde_json::from_str::<serde_json::Map<String, Value>>(v).ok())
            {
                for sco in objects.values() {
                    let Some(sco_ty) = sco.get("type").and_then(Value::as_str) else {
                        continue;
                    };
                    let defanged = sco.get("defanged") == Some(&Value::Bool(true));
                    sco_values(sco_ty, |name| sco.get(name).cloned(), defanged, &mut out);
                }
            }
        }
        _ => {
            let defanged = props.get("defanged").is_some_and(|v| v == "true");
            let get = |name: &str| -> Option<Value> {
                props.get(name).and_then(|v| serde_json::from_str(v).ok())
            };
            sco_values(ty, get, defanged, &mut out);
        }
    }
    dedup(out)
}

/// Each value once, first place kept. Objects hold a handful of values, so comparing
/// pairwise costs less than hashing; a pattern with many is sorted instead.
fn dedup(mut v: Vec<Observable>) -> Vec<Observable> {
    if v.len() <= 16 {
        let mut i = 1;
        while i < v.len() {
            if v[..i].contains(&v[i]) {
                v.remove(i);
            } else {
                i += 1;
            }
        }
        return v;
    }
    let mut seen = std::collections::HashSet::new();
    v.retain(|o| seen.insert(o.clone()));
    v
}

fn value_of(kind: Kind, v: &str, defanged: bool) -> Option<Observable> {
    if defanged {
        normalise(kind, &refang(v))
    } else {
        normalise(kind, v).or_else(|| normalise(kind, &refang(v)))
    }
}

/// An SCO's own values, by its type.
fn sco_values(
    ty: &str,
    get: impl Fn(&str) -> Option<Value>,
    defanged: bool,
    out: &mut Vec<Observable>,
) {
    let kind = match ty {
        "ipv4-addr" | "ipv6-addr" => Some((Kind::Ip, "value")),
        "domain-name" => Some((Kind::Domain, "value")),
        "url" => Some((Kind::Url, "value")),
        "email-addr" => Some((Kind::Email, "value")),
        "mac-addr" => Some((Kind::Mac, "value")),
        "autonomous-system" => Some((Kind::Asn, "number")),
        _ => None,
    };
    if let Some((kind, prop)) = kind
        && let Some(v) = get(prop)
    {
        let text = match &v {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        };
        out.extend(text.and_then(|t| value_of(kind, &t, defanged)));
    }
    if matches!(ty, "file" | "artifact" | "x509-certificate")
        && let Some(Value::Object(hashes)) = get("hashes")
    {
        for h in hashes.values().filter_map(Value::as_str) {
            out.extend(normalise(Kind::Hash, h));
        }
    }
}

/// The values a pattern's `=`, `IN` and `ISSUBSET` comparisons name, by the path they
/// compare (`ipv4-addr:value`, `file:hashes.'SHA-256'`, `network-traffic:dst_ref.value`,
/// `email-message:to_refs[*].value`, ...), normalised; comparisons of other properties, and
/// values that are not what their path holds, are left out.
pub fn of_pattern(p: &Pattern) -> Vec<Observable> {
    let mut out = Vec::new();
    for e in p.equalities() {
        let Some(kind) = kind_of_path(e.path, &e.value) else {
            continue;
        };
        if e.subset && kind != Kind::Ip {
            continue;
        }
        out.extend(normalise(kind, &e.value).or_else(|| normalise(kind, &refang(&e.value))));
    }
    dedup(out)
}

fn kind_of_path(path: &ObjectPath, value: &str) -> Option<Kind> {
    let keys: Vec<&str> = path.keys().collect();
    kind_of(&path.object_type, &keys, value)
}

/// The kind of value a path holds (by its object type and keys).
fn kind_of(object_type: &str, keys: &[&str], value: &str) -> Option<Kind> {
    Some(match (object_type, keys) {
        ("ipv4-addr" | "ipv6-addr", ["value"]) => Kind::Ip,
        ("domain-name", ["value"]) => Kind::Domain,
        ("url", ["value"]) => Kind::Url,
        ("email-addr", ["value"]) => Kind::Email,
        ("mac-addr", ["value"]) => Kind::Mac,
        ("autonomous-system", ["number"]) => Kind::Asn,
        (_, [.., "hashes", _]) => Kind::Hash,
        // A value reached through a reference (`dst_ref.value`, `to_refs[*].value`,
        // `resolves_to_refs[*].value`): what it is shows in its shape.
        (_, [.., r, "value"]) if r.ends_with("_ref") || r.ends_with("_refs") => {
            let v = refang(value);
            if normalise(Kind::Ip, &v).is_some() {
                Kind::Ip
            } else if v.contains('@') {
                Kind::Email
            } else if normalise(Kind::Mac, &v).is_some() {
                Kind::Mac
            } else {
                Kind::Domain
            }
        }
        _ => return None,
    })
}

/// The values a `stix` pattern names, or why it is not one: the parse validation needs
/// and the values the index keeps, in one pass. A plain `[type:property = 'value']` is
/// read without building a tree (`pattern::simple_parts`; the same values, checked in
/// `tests::a_plain_pattern_gives_what_its_tree_gives`).
pub(crate) fn pattern_values(text: &str) -> Result<Vec<Observable>, pattern::PatternError> {
    if let Some((ty, property, value)) = pattern::simple_parts(text) {
        return Ok(kind_of(ty, &[property], value)
            .and_then(|kind| normalise(kind, value).or_else(|| normalise(kind, &refang(value))))
            .into_iter()
            .collect());
    }
    Ok(of_pattern(&pattern::parse(text)?))
}

/// How deep references are looked for inside `extensions`.
const EXTENSION_DEPTH: usize = 4;

/// The references an object makes (`*_ref` and `*_refs`, at the top level and inside its
/// extensions), marking references left out.
pub fn refs_of(json: &str) -> Vec<Reference> {
    match serde_json::from_str::<Properties>(json) {
        Ok(props) => refs_from_properties(&props),
        Err(_) => Vec::new(),
    }
}

pub(crate) fn refs_from_properties(props: &Properties) -> Vec<Reference> {
    let mut out = Vec::new();
    for (name, raw) in &props.0 {
        let name = name.as_ref();
        if name == "object_marking_refs" {
            continue;
        }
        if name == "extensions" {
            if let Ok(v) = serde_json::from_str::<Value>(raw) {
                nested_refs(&v, EXTENSION_DEPTH, &mut out);
            }
            continue;
        }
        if name.ends_with("_ref") {
            if let Ok(target) = serde_json::from_str::<String>(raw) {
                push_ref(name, target, &mut out);
            }
        } else if name.ends_with("_refs")
            && let Ok(targets) = serde_json::from_str::<Vec<String>>(raw)
        {
            for t in targets {
                push_ref(name, t, &mut out);
            }
        }
    }
    out
}

fn push_ref(property: &str, target: String, out: &mut Vec<Reference>) {
    if crate::id::parse(&target).is_ok()
        && !out
            .iter()
            .any(|r| r.property == property && r.target == target)
    {
        out.push(Reference {
            property: property.to_owned(),
            target,
        });
    }
}

fn nested_refs(v: &Value, depth: usize, out: &mut Vec<Reference>) {
    if depth == 0 {
        return;
    }
    match v {
        Value::Object(map) => {
            for (k, v) in map {
                if k == "object_marking_refs" || k == "marking_ref" {
                    continue;
                }
                match v {
                    Value::String(s) if k.ends_with("_ref") => push_ref(k, s.clone(), out),
                    Value::Array(items) if k.ends_with("_refs") => {
                        for s in items.iter().filter_map(Value::as_str) {
                            push_ref(k, s.to_owned(), out);
                        }
                    }
                    _ => nested_refs(v, depth - 1, out),
                }
            }
        }
        Value::Array(items) => {
            for i in items {
                nested_refs(i, depth - 1, out);
            }
        }
        _ => {}
    }
}
