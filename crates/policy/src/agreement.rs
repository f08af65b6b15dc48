//! The agreement file: a documented, versioned TOML description of one agreement — its
//! parties, their competent authorities, the permitted purposes and the timing rules. See
//! `agreements/README.md` for the format; `agreements/` ships the reference agreement and a
//! neutral template.

use crate::lifecycle::{Day, TimingRules, WorkingCalendar};
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet, HashSet};

/// The format this code reads.
pub const FORMAT: &str = "symbolon-agreement/1";

/// Text in the agreement's languages (keys `en`, `fa`, `ru`, …); `en` is required.
pub type Text = BTreeMap<String, String>;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    format: String,
    id: String,
    /// Version of this agreement's policy (an amendment protocol raises it, Art. 9.2).
    version: u32,
    title: Text,
    signed: String,
    #[serde(default)]
    timing: Timing,
    parties: Vec<PartyFile>,
    purposes: Vec<PurposeFile>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct Timing {
    entry_into_force_days: i64,
    designation_working_days: u32,
    termination_days: i64,
}

impl Default for Timing {
    fn default() -> Self {
        let t = TimingRules::default();
        Timing {
            entry_into_force_days: t.entry_into_force_days,
            designation_working_days: t.designation_working_days,
            termination_days: t.termination_days,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct PartyFile {
    id: String,
    name: Text,
    working_week: Vec<String>,
    #[serde(default)]
    holidays: Vec<String>,
    #[serde(default)]
    authorities: Vec<AuthorityFile>,
    /// Marking definitions by which this party marks its restricted-access information.
    #[serde(default)]
    restricted_markings: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct AuthorityFile {
    id: String,
    name: Text,
    #[serde(default)]
    public_key: Option<String>,
    #[serde(default)]
    node_url: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct PurposeFile {
    id: String,
    article: String,
    name: Text,
}

/// A competent authority of a party.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Authority {
    pub id: String,
    pub name: Text,
    /// Ed25519 public key of the authority's node, once known.
    pub public_key: Option<[u8; 32]>,
    pub node_url: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Party {
    pub id: String,
    pub name: Text,
    pub calendar: WorkingCalendar,
    pub authorities: Vec<Authority>,
    /// Art. 6.1, 6.5: the party's restricted-access marking definitions.
    pub restricted_markings: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Purpose {
    pub id: String,
    pub article: String,
    pub name: Text,
}

/// A validated agreement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Agreement {
    pub id: String,
    pub version: u32,
    pub title: Text,
    pub signed: Day,
    pub timing: TimingRules,
    pub parties: Vec<Party>,
    pub purposes: Vec<Purpose>,
}

/// What is wrong with an agreement file, naming the field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("agreement file: {0}")]
pub struct AgreementError(pub String);

fn err<T>(msg: impl Into<String>) -> Result<T, AgreementError> {
    Err(AgreementError(msg.into()))
}

fn day(field: &str, s: &str) -> Result<Day, AgreementError> {
    Day::parse(s)
        .ok_or_else(|| AgreementError(format!("{field}: `{s}` is not a date (YYYY-MM-DD)")))
}

fn text(field: &str, t: Text) -> Result<Text, AgreementError> {
    if t.get("en").is_none_or(|s| s.trim().is_empty()) {
        return err(format!("{field} needs at least an `en` text"));
    }
    Ok(t)
}

const WEEKDAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

impl Agreement {
    /// Parses and validates an agreement file.
    pub fn parse(source: &str) -> Result<Agreement, AgreementError> {
        let f: File = toml::from_str(source).map_err(|e| AgreementError(e.to_string()))?;
        if f.format != FORMAT {
            return err(format!(
                "format is `{}`; this node reads `{FORMAT}`",
                f.format
            ));
        }
        if f.parties.len() < 2 {
            return err("an agreement needs at least two parties");
        }
        let timing = TimingRules {
            entry_into_force_days: f.timing.entry_into_force_days,
            designation_working_days: f.timing.designation_working_days,
            termination_days: f.timing.termination_days,
        };
        let mut ids = HashSet::new();
        let mut parties = Vec::new();
        for p in f.parties {
            if !ids.insert(p.id.clone()) {
                return err(format!("id `{}` is used twice", p.id));
            }
            let mut working = [false; 7];
            for w in &p.working_week {
                let Some(i) = WEEKDAYS.iter().position(|d| d == w) else {
                    return err(format!(
                        "parties.{}.working_week: `{w}` is not one of {}",
                        p.id,
                        WEEKDAYS.join(", ")
                    ));
                };
                working[i] = true;
            }
            if !working.iter().any(|w| *w) {
                return err(format!("parties.{}.working_week is empty", p.id));
            }
            let holidays: BTreeSet<Day> = p
                .holidays
                .iter()
                .map(|h| day(&format!("parties.{}.holidays", p.id), h))
                .collect::<Result<_, _>>()?;
            let mut authorities = Vec::new();
            for a in p.authorities {
                if !ids.insert(a.id.clone()) {
                    return err(format!("id `{}` is used twice", a.id));
                }
                let public_key = match &a.public_key {
                    None => None,
                    Some(k) => Some(
                        hex::decode(k)
                            .ok()
                            .and_then(|b| <[u8; 32]>::try_from(b).ok())
                            .ok_or_else(|| {
                                AgreementError(format!(
                                    "authorities.{}.public_key must be 64 hex digits",
                                    a.id
                                ))
                            })?,
                    ),
                };
                authorities.push(Authority {
                    name: text(&format!("authorities.{}.name", a.id), a.name)?,
                    id: a.id,
                    public_key,
                    node_url: a.node_url,
                });
            }
            for m in &p.restricted_markings {
                stix::id::parse_typed(m, "marking-definition").map_err(|e| {
                    AgreementError(format!("parties.{}.restricted_markings: `{m}`: {e}", p.id))
                })?;
            }
            parties.push(Party {
                restricted_markings: p.restricted_markings,
                name: text(&format!("parties.{}.name", p.id), p.name)?,
                id: p.id,
                calendar: WorkingCalendar { working, holidays },
                authorities,
            });
        }
        if f.purposes.is_empty() {
            return err("an agreement lists at least one permitted purpose (Art. 6.4)");
        }
        let mut purposes = Vec::new();
        for p in f.purposes {
            if !ids.insert(p.id.clone()) {
                return err(format!("id `{}` is used twice", p.id));
            }
            purposes.push(Purpose {
                name: text(&format!("purposes.{}.name", p.id), p.name)?,
                id: p.id,
                article: p.article,
            });
        }
        Ok(Agreement {
            title: text("title", f.title)?,
            signed: day("signed", &f.signed)?,
            id: f.id,
            version: f.version,
            timing,
            parties,
            purposes,
        })
    }

    pub fn party(&self, id: &str) -> Option<&Party> {
        self.parties.iter().find(|p| p.id == id)
    }

    /// Every party's restricted-access marking definitions.
    pub fn restricted_markings(&self) -> Vec<String> {
        self.parties
            .iter()
            .flat_map(|p| p.restricted_markings.iter().cloned())
            .collect()
    }

    /// The authority with this id and the party it belongs to.
    pub fn authority(&self, id: &str) -> Option<(&Party, &Authority)> {
        self.parties
            .iter()
            .find_map(|p| p.authorities.iter().find(|a| a.id == id).map(|a| (p, a)))
    }
}

/// `text` in `lang`, falling back to English.
pub fn localized<'a>(t: &'a Text, lang: &str) -> &'a str {
    t.get(lang)
        .or_else(|| t.get("en"))
        .map_or("", String::as_str)
}

#[cfg(test)]
mod tests {
    use super::*;

    const REFERENCE: &str = include_str!("../../../agreements/ir-ru-2021.toml");
    const TEMPLATE: &str = include_str!("../../../agreements/template.toml");

    #[test]
    fn the_shipped_agreements_parse() {
        let a = Agreement::parse(REFERENCE).unwrap();
        assert_eq!(a.signed, Day::parse("2021-01-26").unwrap());
        assert_eq!(a.signed.solar_hijri(), (1399, 11, 7));
        assert_eq!(a.parties.len(), 2);
        assert!(
            a.parties
                .iter()
                .all(|p| ["en", "fa", "ru"].iter().all(|l| p.name.contains_key(*l)))
        );
        assert!(Agreement::parse(TEMPLATE).is_ok());
    }

    #[test]
    fn mistakes_are_named() {
        let bad = REFERENCE.replace("working_week = [\"mon\"", "working_week = [\"monday\"");
        assert!(Agreement::parse(&bad).unwrap_err().0.contains("`monday`"));
        let bad = REFERENCE.replace("format = \"symbolon-agreement/1\"", "format = \"other/9\"");
        assert!(Agreement::parse(&bad).unwrap_err().0.contains("other/9"));
        let bad = REFERENCE.replace("signed = \"2021-01-26\"", "signed = \"2021-02-30\"");
        assert!(Agreement::parse(&bad).unwrap_err().0.contains("signed"));
    }
}
