//! One module per TAXII 2.1 resource, and how a POST's body is read ([`body`]).

pub mod api_root;
mod body;
pub mod collections;
pub mod discovery;
pub mod objects;
pub mod status;

use policy::Rights;
use store::Collection;

/// The collection resource (TAXII 2.1 §5.2).
pub(crate) fn collection_resource(
    c: &Collection,
    rights: Rights,
) -> federation::wire::CollectionInfo {
    federation::wire::CollectionInfo {
        id: c.id.clone(),
        title: c.title.clone(),
        description: c.description.clone(),
        alias: c.alias.clone(),
        can_read: rights.can_read,
        can_write: rights.can_write,
        media_types: Some(vec!["application/stix+json;version=2.1".into()]),
    }
}
