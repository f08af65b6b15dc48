//! Behaviour of `validate`, one rule per test.

use crate::validate;
use serde_json::value::RawValue;

fn check(json: &str) -> Result<crate::StixObject, String> {
    let raw: Box<RawValue> = serde_json::from_str(json).unwrap();
    validate(&raw).map_err(|r| r.reason())
}

const IND: &str = r#"{"type":"indicator","spec_version":"2.1","id":"indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","created":"2016-04-06T20:03:48.000Z","modified":"2016-04-06T20:03:48.000Z","pattern":"[file:name = 'x']","pattern_type":"stix","valid_from":"2016-01-01T00:00:00Z"}"#;

fn with(field: &str, value: &str) -> String {
    let mut v: serde_json::Value = serde_json::from_str(IND).unwrap();
    if value.is_empty() {
        v.as_object_mut().unwrap().remove(field);
    } else {
        v[field] = serde_json::from_str(value).unwrap();
    }
    v.to_string()
}

#[test]
fn a_complete_indicator_is_accepted_with_its_version() {
    let o = check(IND).unwrap();
    assert_eq!(o.version.unwrap().1, "2016-04-06T20:03:48.000Z");
    assert_eq!(o.spec_version, "2.1");
}

#[test]
fn unknown_properties_and_key_order_survive() {
    let src = r#"{"x_b":1,"type":"indicator","spec_version":"2.1","id":"indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","created":"2016-04-06T20:03:48.000Z","modified":"2016-04-06T20:03:48.000Z","pattern":"[file:name = 'x']","pattern_type":"stix","valid_from":"2016-01-01T00:00:00Z","x_a":{"deep":[1.50]}}"#;
    assert_eq!(check(src).unwrap().json, src);
}

#[test]
fn a_missing_required_property_is_named() {
    assert_eq!(
        check(&with("pattern", "")).unwrap_err(),
        "required property `pattern` of indicator is missing"
    );
    assert_eq!(
        check(&with("spec_version", "")).unwrap_err(),
        "required property `spec_version` of indicator is missing"
    );
}

#[test]
fn modified_before_created_is_refused() {
    assert!(
        check(&with("modified", r#""2016-04-06T20:03:47.999Z""#))
            .unwrap_err()
            .contains("earlier than `created`")
    );
}

#[test]
fn the_id_must_match_the_type() {
    let e = check(&with(
        "id",
        r#""malware--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f""#,
    ))
    .unwrap_err();
    assert!(e.starts_with("property `id`"), "{e}");
}

#[test]
fn other_spec_versions_are_refused() {
    assert!(
        check(&with("spec_version", r#""2.0""#))
            .unwrap_err()
            .contains("accepts STIX 2.1")
    );
}

#[test]
fn timestamps_are_checked_wherever_they_appear() {
    assert!(
        check(&with("valid_until", r#""yesterday""#))
            .unwrap_err()
            .contains("`valid_until`")
    );
    assert!(
        check(&with("created", r#""2016-04-06T20:03:48Z""#))
            .unwrap_err()
            .contains("millisecond")
    );
}

#[test]
fn references_must_point_at_the_right_type() {
    let e = check(&with(
        "created_by_ref",
        r#""malware--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f""#,
    ))
    .unwrap_err();
    assert!(e.contains("must reference a identity"), "{e}");
    let e = check(&with(
        "object_marking_refs",
        r#"["identity--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f"]"#,
    ))
    .unwrap_err();
    assert!(e.contains("marking-definition"), "{e}");
}

#[test]
fn granular_markings_are_kept_apart_from_object_markings() {
    let o = check(&with(
        "granular_markings",
        r#"[{"marking_ref":"marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1","selectors":["pattern"]}]"#,
    ))
    .unwrap();
    assert!(o.marking_refs.is_empty());
    assert_eq!(
        o.granular,
        vec![crate::Granular {
            marking_ref: "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1".into(),
            selectors: vec!["pattern".into()],
        }]
    );
}

#[test]
fn duplicate_property_names_are_refused() {
    let src = IND.replacen(
        "\"pattern_type\":\"stix\"",
        "\"pattern_type\":\"stix\",\"pattern_type\":\"snort\"",
        1,
    );
    assert!(check(&src).unwrap_err().contains("more than once"));
}

#[test]
fn observables_need_no_created_and_are_unversioned() {
    let o = check(r#"{"type":"ipv4-addr","id":"ipv4-addr--ff26c055-6336-5bc5-b98d-13d6226742dd","value":"198.51.100.3"}"#).unwrap();
    assert!(o.version.is_none());
    assert!(
        check(r#"{"type":"ipv4-addr","id":"ipv4-addr--ff26c055-6336-5bc5-b98d-13d6226742dd"}"#)
            .is_err()
    );
}

#[test]
fn tlp2_marking_definitions_are_accepted() {
    let tlp = r#"{"type":"marking-definition","spec_version":"2.1","id":"marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1","created":"2022-10-01T00:00:00.000Z","name":"TLP:RED","extensions":{"extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d":{"extension_type":"property-extension","tlp_2_0":"red"}}}"#;
    assert!(check(tlp).is_ok());
}

#[test]
fn custom_objects_with_created_are_versioned_like_sdos() {
    let o = check(r#"{"type":"x-misp-object","spec_version":"2.1","id":"x-misp-object--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","created":"2020-01-01T00:00:00.000Z","modified":"2020-01-02T00:00:00.000Z","x_misp_name":"a"}"#).unwrap();
    assert_eq!(o.version.unwrap().1, "2020-01-02T00:00:00.000Z");
}

#[test]
fn bundles_are_not_objects() {
    assert!(
        check(r#"{"type":"bundle","id":"bundle--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f"}"#)
            .unwrap_err()
            .contains("bundle")
    );
}

#[test]
fn sco_value_shapes_are_checked() {
    assert!(check(r#"{"type":"artifact","id":"artifact--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","payload_bin":"not base64!"}"#).unwrap_err().contains("base64"));
    assert!(check(r#"{"type":"artifact","id":"artifact--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","payload_bin":"aGVsbG8="}"#).is_ok());
    assert!(check(r#"{"type":"software","id":"software--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","name":"x","languages":["PHP"]}"#).unwrap_err().contains("language code"));
    assert!(check(r#"{"type":"software","id":"software--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","name":"x","languages":["eng","fa-IR"]}"#).is_ok());
}

#[test]
fn a_poison_pill_is_refused_naming_the_object_and_why() {
    // A custom property nested 100,000 deep: valid JSON that no Python client can read.
    let deep = format!(
        r#"{},"x_deep":{}{}}}"#,
        IND.trim_end_matches('}'),
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    let raw: Box<RawValue> = serde_json::from_str(&deep).unwrap();
    let e = validate(&raw).unwrap_err();
    assert_eq!(
        e.id.as_deref(),
        Some("indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f")
    );
    assert!(
        e.reason().contains("nested more than 100"),
        "{}",
        e.reason()
    );
    // As deep as the limit is fine (the object itself is the first level).
    let ok = format!(
        r#"{},"x_deep":{}{}}}"#,
        IND.trim_end_matches('}'),
        "[".repeat(99),
        "]".repeat(99)
    );
    assert!(check(&ok).is_ok());
    let lone = format!(r#"{},"name":"a \ud800 b"}}"#, IND.trim_end_matches('}'));
    let e = check(&lone).unwrap_err();
    assert!(e.contains("surrogate"), "{e}");
}
