//! What the well-known marking definitions mean: TLP 2.0 and 1.0 by their OASIS ids (and
//! OpenCTI's variant ids, accepted on import), and the ACS 3.0 classification a marking
//! definition carries. The policy combines these; this module only reads them.

use serde_json::Value;

/// Traffic Light Protocol levels, least to most restrictive (so `max` is "most restrictive
/// wins").
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Tlp {
    Clear,
    Green,
    Amber,
    AmberStrict,
    Red,
}

/// The OASIS TLP 2.0 marking definitions (extension-definition--60a3c5c5-…).
pub const TLP2: [(&str, Tlp); 5] = [
    (
        "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487",
        Tlp::Clear,
    ),
    (
        "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
        Tlp::Green,
    ),
    (
        "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421",
        Tlp::Amber,
    ),
    (
        "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003",
        Tlp::AmberStrict,
    ),
    (
        "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1",
        Tlp::Red,
    ),
];

/// TLP 1.0 (STIX 2.1 §7.2.1.4) and OpenCTI's own AMBER+STRICT id.
const OTHER_TLP_IDS: [(&str, Tlp); 5] = [
    (
        "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9",
        Tlp::Clear,
    ),
    (
        "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da",
        Tlp::Green,
    ),
    (
        "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82",
        Tlp::Amber,
    ),
    (
        "marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed",
        Tlp::Red,
    ),
    (
        "marking-definition--826578e1-40ad-459f-bc73-ede076f81f37",
        Tlp::AmberStrict,
    ),
];

/// The TLP level a marking-definition id stands for, if it is one of the well-known ones.
pub fn tlp(marking_id: &str) -> Option<Tlp> {
    TLP2.iter()
        .chain(OTHER_TLP_IDS.iter())
        .find(|(id, _)| *id == marking_id)
        .map(|(_, l)| *l)
}

/// The OASIS TLP 2.0 id for a level (what the node emits, whichever id it received).
pub fn oasis_tlp2_id(level: Tlp) -> &'static str {
    TLP2.iter()
        .find(|(_, l)| *l == level)
        .map_or(TLP2[4].0, |(id, _)| id)
}

/// ACS 3.0 marking extension (`further_sharing`, `control_set.classification`, …).
pub const ACS_EXTENSION: &str = "extension-definition--3a65884d-005a-4290-8335-cb2d778a83ce";

/// The ACS classification of a marking definition (`U` is unclassified), if it has one.
pub fn acs_classification(marking_definition: &Value) -> Option<&str> {
    marking_definition
        .get("extensions")?
        .get(ACS_EXTENSION)?
        .get("control_set")?
        .get("classification")?
        .as_str()
}

/// The classification level when this marking definition marks information as classified
/// (any ACS classification but `U`). STIX/TAXII is not the channel for classified
/// information (Art. 6.6 of the reference agreement).
pub fn classification(marking_definition: &Value) -> Option<&str> {
    acs_classification(marking_definition).filter(|c| !c.eq_ignore_ascii_case("U"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tlp_ids_of_both_versions_and_opencti_map_to_levels() {
        assert_eq!(
            tlp("marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1"),
            Some(Tlp::Red)
        );
        assert_eq!(
            tlp("marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed"),
            Some(Tlp::Red)
        );
        assert_eq!(
            tlp("marking-definition--826578e1-40ad-459f-bc73-ede076f81f37"),
            Some(Tlp::AmberStrict)
        );
        assert_eq!(
            tlp("marking-definition--00000000-0000-4000-8000-000000000000"),
            None
        );
        assert_eq!(
            oasis_tlp2_id(Tlp::AmberStrict),
            "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003"
        );
    }

    #[test]
    fn the_most_restrictive_level_is_the_largest() {
        assert_eq!(
            [Tlp::Green, Tlp::Red, Tlp::Amber].into_iter().max(),
            Some(Tlp::Red)
        );
        assert!(Tlp::AmberStrict > Tlp::Amber);
    }

    #[test]
    fn acs_classification_is_read_from_the_control_set() {
        let fixture = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../../shared/data/misp-stix-fixtures/stix21-external/with_acs_marking.json"
        ))
        .expect("the MISP ACS fixture in shared/data");
        let bundle: Value = serde_json::from_str(&fixture).unwrap();
        let definitions: Vec<&Value> = bundle["objects"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|o| o["type"] == "marking-definition")
            .collect();
        let md = definitions[0];
        assert_eq!(acs_classification(md), Some("U"));
        assert_eq!(classification(md), None);
        let mut secret = md.clone();
        secret["extensions"][ACS_EXTENSION]["control_set"]["classification"] = "S".into();
        assert_eq!(classification(&secret), Some("S"));
        let classes: Vec<Option<&str>> = definitions.iter().map(|d| classification(d)).collect();
        assert_eq!(classes, [None, Some("TS")]);
    }
}
