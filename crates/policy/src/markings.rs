//! What markings allow: each marking definition is read as the widest circle its object may
//! reach ([`Reach`]); an object reaches the narrowest circle any of its markings allows
//! ("most restrictive wins"). The rules, per marking kind, are documented in
//! `agreements/README.md` ("Markings"); in short:
//!
//! | marking | reach |
//! |---|---|
//! | TLP CLEAR / WHITE | anyone |
//! | TLP GREEN | the parties' competent authorities |
//! | TLP AMBER, AMBER+STRICT, RED | this authority only |
//! | IEP 2.0 | as its `tlp` property; without one, the parties |
//! | PAP (any level) | anyone: PAP limits actions, not disclosure |
//! | statement | anyone: terms travel with the object |
//! | ACS 3.0 unclassified | anyone, or the parties when `further_sharing` or `sharedefault` denies |
//! | a party's restricted-access marking (agreement file) | the parties (Art. 6.1, 6.5) |
//! | anything else, or a definition this node does not hold | this authority only |
//!
//! A marking definition whose ACS classification is not `U` is classified information, which
//! this channel does not carry (Art. 6.6): it is refused at ingest ([`classified`], asked by `Policy::admit`).

use crate::reason::Reason;
use serde_json::Value;
use std::collections::HashMap;
use stix::markings::{ACS_EXTENSION, Tlp, classification};

/// How far an object may travel, narrowest first: `min` combines markings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Reach {
    /// Users of this competent authority only.
    Local,
    /// Also the other parties' competent authorities.
    Parties,
    /// Also third parties (subject to Art. 6.2 for information obtained from another party).
    Anyone,
}

impl Reach {
    pub fn name(self) -> &'static str {
        match self {
            Reach::Local => "this authority only",
            Reach::Parties => "the parties' competent authorities",
            Reach::Anyone => "anyone",
        }
    }
}

/// The TLP 2.0 marking extension (`tlp_2_0` property).
pub const TLP2_EXTENSION: &str = "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d";
/// PAP marking extension.
pub const PAP_EXTENSION: &str = "extension-definition--f8d78575-edfd-406e-8e84-6162a8450f5b";
/// IEP 2.0 marking extension.
pub const IEP_EXTENSION: &str = "extension-definition--762e2e97-ee51-43e5-a9ea-165fbb862c4a";

fn tlp_reach(level: Tlp) -> Reach {
    match level {
        Tlp::Clear => Reach::Anyone,
        Tlp::Green => Reach::Parties,
        Tlp::Amber | Tlp::AmberStrict | Tlp::Red => Reach::Local,
    }
}

fn tlp_word(word: &str) -> Option<Tlp> {
    Some(
        match word
            .trim()
            .trim_start_matches("TLP:")
            .trim_start_matches("tlp:")
            .to_ascii_lowercase()
            .as_str()
        {
            "clear" | "white" => Tlp::Clear,
            "green" => Tlp::Green,
            "amber" => Tlp::Amber,
            "amber+strict" => Tlp::AmberStrict,
            "red" => Tlp::Red,
            _ => return None,
        },
    )
}

/// Art. 6.6: why an object must be refused because it classifies information (a marking
/// definition with an ACS classification other than `U`: its objects would be classified
/// information, which this channel does not carry); `None` for every other object.
pub fn classified(obj: &stix::StixObject) -> Option<Reason> {
    if obj.object_type != "marking-definition" {
        return None;
    }
    let def: Value = match serde_json::from_str(&obj.json) {
        Ok(v) => v,
        Err(e) => {
            return Some(Reason::UnreadableMarking {
                detail: e.to_string(),
            });
        }
    };
    classification(&def).map(|level| Reason::Classified {
        level: level.to_string(),
    })
}

fn acs_reach(acs: &Value) -> Reach {
    let denies_by_default = acs
        .get("policy_reference")
        .and_then(Value::as_str)
        .is_some_and(|r| r.contains("sharedefault=deny"));
    let rules = acs.get("further_sharing").and_then(Value::as_array);
    let any_deny = rules.is_some_and(|rs| {
        rs.iter()
            .any(|r| r.get("rule_effect").and_then(Value::as_str) == Some("deny"))
    });
    let permits_all = rules.is_some_and(|rs| {
        rs.iter().any(|r| {
            r.get("rule_effect").and_then(Value::as_str) == Some("permit")
                && r.get("sharing_scope")
                    .and_then(Value::as_array)
                    .is_some_and(|s| s.iter().any(|x| x.as_str() == Some("ALL")))
        })
    });
    if any_deny || (denies_by_default && !permits_all) {
        Reach::Parties
    } else {
        Reach::Anyone
    }
}

/// The reach one marking definition allows, read from its content. `restricted` are the
/// parties' restricted-access marking ids from the agreement.
pub fn interpret(definition: &Value, restricted: &[String]) -> Reach {
    let id = definition.get("id").and_then(Value::as_str).unwrap_or("");
    if restricted.iter().any(|r| r == id) {
        return Reach::Parties;
    }
    if let Some(level) = stix::markings::tlp(id) {
        return tlp_reach(level);
    }
    let ext = definition.get("extensions");
    let ext_of = |name: &str| ext.and_then(|e| e.get(name));
    if let Some(t) = ext_of(TLP2_EXTENSION) {
        return t
            .get("tlp_2_0")
            .and_then(Value::as_str)
            .and_then(tlp_word)
            .map_or(Reach::Local, tlp_reach);
    }
    if let Some(iep) = ext_of(IEP_EXTENSION) {
        return match iep.get("tlp").and_then(Value::as_str) {
            Some(word) => tlp_word(word).map_or(Reach::Local, tlp_reach),
            None => Reach::Parties,
        };
    }
    if ext_of(PAP_EXTENSION).is_some() {
        return Reach::Anyone;
    }
    if let Some(acs) = ext_of(ACS_EXTENSION) {
        return if classification(definition).is_some() {
            Reach::Local
        } else {
            acs_reach(acs)
        };
    }
    // STIX 2.1 §7.2.1: the built-in `definition_type` forms.
    let body = definition.get("definition");
    match definition.get("definition_type").and_then(Value::as_str) {
        Some("statement") if body.and_then(|b| b.get("statement")).is_some() => Reach::Anyone,
        Some("tlp") => body
            .and_then(|b| b.get("tlp"))
            .and_then(Value::as_str)
            .and_then(tlp_word)
            .map_or(Reach::Local, tlp_reach),
        _ => Reach::Local,
    }
}

/// The marking definitions this node knows, by id, read as reaches. Well-known TLP ids are
/// known without being stored; any other id not held here counts as [`Reach::Local`].
#[derive(Debug, Clone, Default)]
pub struct Registry {
    reach: HashMap<String, Reach>,
    /// Stored definitions read so far (the store's count, to notice new ones).
    pub seen: u64,
}

impl Registry {
    pub fn learn(&mut self, definition: &Value, restricted: &[String]) {
        if let Some(id) = definition.get("id").and_then(Value::as_str) {
            self.reach
                .insert(id.to_owned(), interpret(definition, restricted));
        }
    }

    /// A party's restricted-access marking is known even before its definition is stored.
    pub fn restrict(&mut self, id: &str) {
        self.reach.insert(id.to_owned(), Reach::Parties);
    }

    pub fn reach_of(&self, marking: &str) -> Reach {
        if let Some(r) = self.reach.get(marking) {
            return *r;
        }
        stix::markings::tlp(marking).map_or(Reach::Local, tlp_reach)
    }

    /// The reach of an object with these markings: the narrowest; unmarked information
    /// exchanged under the agreement stays among the parties (Art. 4.2 with Art. 6.2).
    pub fn reach(&self, markings: &[String]) -> Reach {
        markings
            .iter()
            .map(|m| self.reach_of(m))
            .min()
            .unwrap_or(Reach::Parties)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn def(id: &str, extra: Value) -> Value {
        let mut d = json!({"type": "marking-definition", "spec_version": "2.1", "id": id,
                           "created": "2024-01-01T00:00:00Z"});
        if let (Some(d), Some(e)) = (d.as_object_mut(), extra.as_object()) {
            d.extend(e.clone());
        }
        d
    }

    const X: &str = "marking-definition--00000000-0000-4000-8000-000000000001";

    #[test]
    fn each_marking_kind_has_its_documented_reach() {
        let none: &[String] = &[];
        let cases = [
            (
                json!({"definition_type": "tlp", "definition": {"tlp": "white"}}),
                Reach::Anyone,
            ),
            (
                json!({"definition_type": "tlp", "definition": {"tlp": "green"}}),
                Reach::Parties,
            ),
            (
                json!({"definition_type": "tlp", "definition": {"tlp": "red"}}),
                Reach::Local,
            ),
            (
                json!({"definition_type": "statement", "definition": {"statement": "(c) CERT"}}),
                Reach::Anyone,
            ),
            (
                json!({"extensions": {TLP2_EXTENSION: {"extension_type": "property-extension", "tlp_2_0": "amber+strict"}}}),
                Reach::Local,
            ),
            (
                json!({"extensions": {TLP2_EXTENSION: {"extension_type": "property-extension", "tlp_2_0": "clear"}}}),
                Reach::Anyone,
            ),
            (
                json!({"extensions": {PAP_EXTENSION: {"extension_type": "property-extension", "pap": "red"}}}),
                Reach::Anyone,
            ),
            (
                json!({"extensions": {IEP_EXTENSION: {"extension_type": "property-extension", "tlp": "GREEN"}}}),
                Reach::Parties,
            ),
            (
                json!({"extensions": {IEP_EXTENSION: {"extension_type": "property-extension"}}}),
                Reach::Parties,
            ),
            (
                json!({"extensions": {ACS_EXTENSION: {"control_set": {"classification": "U"},
                "policy_reference": "urn:isa:policy:acs:ns:v3.0?privdefault=deny&sharedefault=permit"}}}),
                Reach::Anyone,
            ),
            (
                json!({"extensions": {ACS_EXTENSION: {"control_set": {"classification": "U"},
                "policy_reference": "urn:isa:policy:acs:ns:v3.0?privdefault=deny&sharedefault=deny"}}}),
                Reach::Parties,
            ),
            (
                json!({"extensions": {ACS_EXTENSION: {"control_set": {"classification": "U"},
                "further_sharing": [{"sharing_scope": ["USA.USG"], "rule_effect": "deny"}]}}}),
                Reach::Parties,
            ),
            (
                json!({"definition_type": "x-custom", "definition": {}}),
                Reach::Local,
            ),
        ];
        for (extra, reach) in cases {
            assert_eq!(interpret(&def(X, extra.clone()), none), reach, "{extra}");
        }
        assert_eq!(
            interpret(
                &def(X, json!({"definition_type": "x-custom"})),
                &[X.to_owned()]
            ),
            Reach::Parties
        );
    }

    #[test]
    fn the_most_restrictive_marking_wins_and_unknown_ones_stay_local() {
        let mut r = Registry::default();
        let clear = "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487".to_owned();
        let green = "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da".to_owned();
        let red = "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1".to_owned();
        assert_eq!(r.reach(std::slice::from_ref(&clear)), Reach::Anyone);
        assert_eq!(r.reach(&[clear.clone(), green.clone()]), Reach::Parties);
        assert_eq!(r.reach(&[green.clone(), red, clear.clone()]), Reach::Local);
        assert_eq!(r.reach(&[]), Reach::Parties);
        assert_eq!(r.reach(&[clear.clone(), X.to_owned()]), Reach::Local);
        r.learn(
            &def(
                X,
                json!({"definition_type": "statement", "definition": {"statement": "s"}}),
            ),
            &[],
        );
        assert_eq!(r.reach(&[clear, X.to_owned()]), Reach::Anyone);
    }
}
