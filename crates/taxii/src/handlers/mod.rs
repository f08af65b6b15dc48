//! One module per TAXII 2.1 resource.

pub mod api_root;
pub mod collections;
pub mod discovery;
pub mod objects;
pub mod status;

use crate::error::TaxiiError;
use policy::{Principal, Rights};
use store::{ApiRoot, Collection, Store};

/// Finds an API root by its path segment.
pub(crate) fn root(store: &dyn Store, name: &str) -> Result<ApiRoot, TaxiiError> {
    store
        .api_roots()?
        .into_iter()
        .find(|r| r.name == name)
        .ok_or_else(|| TaxiiError::not_found(format!("API root `{name}` does not exist")))
}

/// Finds a collection the principal can see (read or write). One the principal has no
/// rights on is reported exactly like one that does not exist.
pub(crate) fn visible_collection(
    store: &dyn Store,
    policy: &policy::Policy,
    principal: &Principal,
    root_name: &str,
    coll: &str,
) -> Result<(ApiRoot, Collection, Rights), TaxiiError> {
    let root = root(store, root_name)?;
    let unknown = || {
        TaxiiError::not_found(format!(
            "collection `{coll}` does not exist in API root `{root_name}`"
        ))
    };
    let collection = store
        .collection(Some(root_name), coll)?
        .ok_or_else(unknown)?;
    let rights = policy.rights(principal, collection.key);
    if !rights.can_read && !rights.can_write {
        return Err(unknown());
    }
    Ok((root, collection, rights))
}

/// The collection resource (TAXII 2.1 §5.2).
pub(crate) fn collection_resource(c: &Collection, rights: Rights) -> serde_json::Value {
    let mut v = serde_json::json!({
        "id": c.id,
        "title": c.title,
        "can_read": rights.can_read,
        "can_write": rights.can_write,
        "media_types": ["application/stix+json;version=2.1"],
    });
    if let Some(d) = &c.description {
        v["description"] = d.clone().into();
    }
    if let Some(a) = &c.alias {
        v["alias"] = a.clone().into();
    }
    v
}
