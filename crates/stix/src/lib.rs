//! STIX 2.1 envelope: identifiers, timestamps, versions, markings and validation.
//!
//! Objects are kept as the JSON text they arrived in; this crate reads only what it must
//! check or what the store and policy need (id, type, versions, marking references), so
//! unknown properties and extensions survive untouched. It knows nothing of HTTP or storage.
//!
//! ```
//! let doc = r#"{"type":"bundle","id":"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d","objects":[
//!   {"type":"indicator","spec_version":"2.1","id":"indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f",
//!    "created":"2016-04-06T20:03:48.000Z","modified":"2016-04-06T20:03:48.000Z",
//!    "pattern":"[file:name = 'x']","pattern_type":"stix","valid_from":"2016-01-01T00:00:00Z",
//!    "x_vendor_score": 7}]}"#;
//! let raw = stix::document::objects(doc).unwrap();
//! let obj = stix::validate(raw[0]).unwrap();
//! assert_eq!(obj.object_type, "indicator");
//! assert!(obj.json.contains("x_vendor_score"));
//! ```

pub mod compact;
pub mod document;
pub mod id;
mod kinds;
pub mod markings;
mod object;
pub mod observable;
pub mod pattern;
mod problem;
mod properties;
pub mod scan;
pub mod shape;
pub mod stream;
pub mod timestamp;

pub use object::{
    Granular, IMPACT_CATEGORIES, Rejection, SPEC_VERSION, StixObject, validate, validate_str,
};
pub use problem::{Expected, Problem};
pub use timestamp::Micros;

#[cfg(test)]
mod tests;

/// The properties a STIX 2.1 type requires of its own (empty for types this node does not
/// know): what a redacted copy may never leave out.
pub fn required_properties(object_type: &str) -> &'static [&'static str] {
    kinds::rule_for(object_type).map_or(&[], |r| r.required)
}
