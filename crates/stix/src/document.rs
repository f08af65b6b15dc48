//! Documents that carry objects: a STIX bundle (§8) or a TAXII 2.1 envelope (§3.7).

use crate::properties::Properties;
use crate::id;
use serde_json::value::RawValue;

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
}

/// Splits a bundle or envelope into the raw text of its objects, without validating them.
pub fn objects(text: &str) -> Result<Vec<&RawValue>, DocumentError> {
    let props: Properties = serde_json::from_str(text).map_err(|e| {
        if e.classify() == serde_json::error::Category::Data {
            DocumentError::NotAContainer
        } else {
            DocumentError::Json(e.to_string())
        }
    })?;
    if let Some(ty) = props.get("type") {
        if ty.get() != "\"bundle\"" {
            return Err(DocumentError::NotAContainer);
        }
        let bid: String = props.get("id").and_then(|v| serde_json::from_str(v.get()).ok()).unwrap_or_default();
        id::parse_typed(&bid, "bundle").map_err(|e| DocumentError::BundleId(e.to_string()))?;
    }
    match props.get("objects") {
        None if props.has("type") => Ok(Vec::new()),
        None if props.0.is_empty() => Ok(Vec::new()),
        None => Err(DocumentError::NotAContainer),
        Some(list) => serde_json::from_str(list.get()).map_err(|_| DocumentError::ObjectsNotAList),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_bundles_and_envelopes() {
        let b = r#"{"type":"bundle","id":"bundle--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","objects":[{"a":1},{"b":2}]}"#;
        assert_eq!(objects(b).unwrap().len(), 2);
        assert_eq!(objects(r#"{"more":false,"objects":[{"a":1}]}"#).unwrap().len(), 1);
        assert_eq!(objects("{}").unwrap().len(), 0);
    }

    #[test]
    fn names_what_is_wrong() {
        assert!(matches!(objects("{"), Err(DocumentError::Json(_))));
        assert!(matches!(objects("[1]"), Err(DocumentError::NotAContainer)));
        assert!(matches!(objects(r#"{"objects":{}}"#), Err(DocumentError::ObjectsNotAList)));
        assert!(matches!(objects(r#"{"type":"bundle","id":"x","objects":[]}"#), Err(DocumentError::BundleId(_))));
    }
}
