//! Documents that carry objects: a STIX bundle (§8) or a TAXII 2.1 envelope (§3.7).
//!
//! [`for_each_object`] streams the `objects` list: each object's raw text is handed over as
//! soon as it is read, so validation and storage of a large bundle start before the whole
//! file has been split.

use crate::id;
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;
use std::fmt;

/// Why a document could not be read at all (as opposed to one of its objects being refused).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DocumentError {
    #[error("not valid JSON: {0}")]
    Json(String),
    #[error("expected a STIX bundle or a TAXII envelope (a JSON object with `objects`)")]
    NotAContainer,
    #[error("bundle `id` is not a bundle identifier: {0}")]
    BundleId(String),
    #[error("`objects` must be a list")]
    ObjectsNotAList,
    /// RFC 8259 leaves a repeated member undefined; readers disagree on which one counts,
    /// and storing both lists would store what a reader of the first never saw.
    #[error("member `{0}` occurs more than once")]
    Repeated(String),
}

struct Container<'f, F> {
    each: &'f mut F,
    ty: Option<String>,
    id: Option<String>,
    saw_objects: bool,
    saw_other: bool,
    /// The container's own members seen so far (a repeat is refused).
    seen: Vec<String>,
}

struct Objects<'a, F>(&'a mut F);

impl<'de, F: FnMut(&'de RawValue)> DeserializeSeed<'de> for Objects<'_, F> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de, F: FnMut(&'de RawValue)> Visitor<'de> for Objects<'_, F> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list of objects")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(raw) = seq.next_element::<&'de RawValue>()? {
            (self.0)(raw);
        }
        Ok(())
    }
}

impl<'de, F: FnMut(&'de RawValue)> Visitor<'de> for &mut Container<'_, F> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a bundle or an envelope")
    }
    fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<(), M::Error> {
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            if self.seen.iter().any(|k| *k == key) {
                return Err(de::Error::custom(format!("repeated-member:{key}")));
            }
            self.seen.push(key.to_string());
            match key.as_ref() {
                "objects" => {
                    map.next_value_seed(Objects(self.each))
                        .map_err(|e| de::Error::custom(format!("objects-not-a-list: {e}")))?;
                    self.saw_objects = true;
                }
                "type" => self.ty = Some(map.next_value()?),
                "id" => self.id = Some(map.next_value()?),
                // TAXII envelope paging properties.
                "more" | "next" => {
                    map.next_value::<IgnoredAny>()?;
                }
                _ => {
                    self.saw_other = true;
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(())
    }
}

/// Calls `each` with the raw text of every object, in order, without validating them.
pub fn for_each_object<'de>(
    text: &'de str,
    mut each: impl FnMut(&'de RawValue),
) -> Result<(), DocumentError> {
    let mut c = Container {
        each: &mut each,
        ty: None,
        id: None,
        saw_objects: false,
        saw_other: false,
        seen: Vec::new(),
    };
    let mut de = serde_json::Deserializer::from_str(text);
    de.deserialize_map(&mut c)
        .and_then(|()| de.end())
        .map_err(|e| {
            let msg = e.to_string();
            if let Some(rest) = msg.strip_prefix("repeated-member:") {
                // serde_json appends " at line L column C".
                let name = rest.rsplit_once(" at line ").map_or(rest, |(n, _)| n);
                DocumentError::Repeated(name.to_owned())
            } else if msg.starts_with("objects-not-a-list")
                && e.classify() == serde_json::error::Category::Data
            {
                DocumentError::ObjectsNotAList
            } else if e.classify() == serde_json::error::Category::Data {
                DocumentError::NotAContainer
            } else {
                DocumentError::Json(msg)
            }
        })?;
    match c.ty.as_deref() {
        Some("bundle") => {
            id::parse_typed(c.id.as_deref().unwrap_or(""), "bundle")
                .map_err(|e| DocumentError::BundleId(e.to_string()))?;
        }
        Some(_) => return Err(DocumentError::NotAContainer),
        None if !c.saw_objects && (c.saw_other || c.id.is_some()) => {
            return Err(DocumentError::NotAContainer);
        }
        None => {}
    }
    Ok(())
}

/// Splits a bundle or envelope into the raw text of its objects, without validating them.
pub fn objects(text: &str) -> Result<Vec<&RawValue>, DocumentError> {
    let mut out = Vec::new();
    for_each_object(text, |raw| out.push(raw))?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_bundles_and_envelopes() {
        let b = r#"{"type":"bundle","id":"bundle--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","objects":[{"a":1},{"b":2}]}"#;
        assert_eq!(objects(b).unwrap().len(), 2);
        assert_eq!(
            objects(r#"{"more":false,"objects":[{"a":1}]}"#)
                .unwrap()
                .len(),
            1
        );
        assert_eq!(objects("{}").unwrap().len(), 0);
        assert_eq!(objects(r#"{"more":false}"#).unwrap().len(), 0);
    }

    #[test]
    fn names_what_is_wrong() {
        assert!(matches!(objects("{"), Err(DocumentError::Json(_))));
        assert!(matches!(objects("[1]"), Err(DocumentError::NotAContainer)));
        assert!(matches!(
            objects(r#"{"objects":{}}"#),
            Err(DocumentError::ObjectsNotAList)
        ));
        assert!(matches!(
            objects(r#"{"type":"bundle","id":"x","objects":[]}"#),
            Err(DocumentError::BundleId(_))
        ));
        assert!(matches!(
            objects(r#"{"type":"indicator","objects":[]}"#),
            Err(DocumentError::NotAContainer)
        ));
        assert!(matches!(
            objects(r#"{"objects":[]} trailing"#),
            Err(DocumentError::Json(_))
        ));
        for repeated in [
            r#"{"objects":[{"a":1}],"objects":[{"b":2}]}"#,
            r#"{"more":false,"objects":[],"more":true}"#,
        ] {
            let e = objects(repeated).unwrap_err();
            assert!(matches!(e, DocumentError::Repeated(_)), "{repeated}: {e:?}");
        }
        assert_eq!(
            objects(r#"{"objects":[],"objects":[]}"#)
                .unwrap_err()
                .to_string(),
            "member `objects` occurs more than once"
        );
    }
}
