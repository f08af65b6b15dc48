//! Shared setup: a node under a two-party agreement in force, with users of each kind.

#![allow(dead_code)]

use policy::Kind;
use policy::lifecycle::Day;
use symbolon_core::Core;
use symbolon_core::admin::UserChange;

pub const CLEAR: &str = "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487";
pub const GREEN: &str = "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb";
pub const RED: &str = "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1";
pub const REFERENCE: &str = include_str!("../../../../agreements/ir-ru-2021.toml");

pub struct Node {
    pub dir: tempfile::TempDir,
    pub core: Core,
}

impl Node {
    pub fn path(&self) -> std::path::PathBuf {
        self.dir.path().join("node")
    }
}

/// A new node, not under any agreement.
pub fn bare() -> Node {
    let dir = tempfile::tempdir().unwrap();
    let (core, _) = Core::init(&dir.path().join("node"), Some("pw")).unwrap();
    Node { dir, core }
}

/// A node of IR's `ir-csirt` under the reference agreement in force, with RU's
/// `ru-csirt` designated, and the users `analyst` (local), `ru` (RU's authority) and
/// `partner` (a third party), all bound to incident-response.
pub fn member() -> Node {
    let n = bare();
    let core = &n.core;
    core.join_agreement(REFERENCE, "IR", "ir-csirt").unwrap();
    for party in ["IR", "RU"] {
        core.notify(
            symbolon_core::agreement::Notice::Ratification,
            party,
            Day::parse("2021-03-01").unwrap(),
        )
        .unwrap();
    }
    let ru_key = ed25519_dalek::SigningKey::from_bytes(&RU_KEY);
    core.notify(
        symbolon_core::agreement::Notice::Designation(policy::ledger::Designated {
            id: "ru-csirt".into(),
            name: "RU CSIRT".into(),
            public_key: hex::encode(ru_key.verifying_key().as_bytes()),
            node_url: None,
        }),
        "RU",
        Day::parse("2021-04-01").unwrap(),
    )
    .unwrap();
    for (name, kind) in [
        ("analyst", Kind::Local),
        ("ru", Kind::Authority("ru-csirt".into())),
        ("partner", Kind::ThirdParty),
    ] {
        core.save_user(
            name,
            UserChange {
                password: Some("pw".into()),
                kind: Some(kind),
                purposes: Some(vec!["incident-response".into()]),
                ..Default::default()
            },
        )
        .unwrap();
    }
    n
}

/// The `object_marking_refs` member for one optional marking (with its leading comma).
pub fn marks(marking: Option<&str>) -> String {
    marking.map_or(String::new(), |m| {
        format!(r#","object_marking_refs":["{m}"]"#)
    })
}

/// An indicator (a fixed id per `n`) at version `modified`, with optional markings.
pub fn indicator(n: u32, modified: &str, marking: Option<&str>) -> String {
    let marks = marks(marking);
    format!(
        r#"{{"type":"indicator","spec_version":"2.1","id":"indicator--00000000-0000-4000-8000-{n:012}","created":"2024-01-01T00:00:00.000Z","modified":"{modified}","pattern":"[ipv4-addr:value = '203.0.113.{n}']","pattern_type":"stix","valid_from":"2024-01-01T00:00:00Z"{marks}}}"#
    )
}

pub fn id(n: u32) -> String {
    format!("indicator--00000000-0000-4000-8000-{n:012}")
}

pub fn raw(text: &str) -> Box<serde_json::value::RawValue> {
    serde_json::value::RawValue::from_string(text.to_owned()).unwrap()
}

/// Stores objects as the operator, through the one ingest path.
pub fn put(core: &Core, collection: &store::Collection, texts: &[String]) {
    let operator = core.operator().clone();
    let caller = symbolon_core::Caller {
        principal: &operator,
        purpose: None,
    };
    let raws: Vec<_> = texts.iter().map(|t| raw(t)).collect();
    let refs: Vec<&serde_json::value::RawValue> = raws.iter().map(|r| r.as_ref()).collect();
    for v in core
        .ingest(&caller, "add", collection, &refs, None)
        .unwrap()
    {
        assert!(v.is_stored(), "{v:?}");
    }
}

/// Stores objects as the operator, as obtained from `origin` (another party's authority)
/// or as this authority's own (`None`), through the one ingest path.
pub fn put_from(core: &Core, c: &store::Collection, origin: Option<&str>, texts: &[String]) {
    let operator = core.operator().clone();
    let caller = symbolon_core::Caller {
        principal: &operator,
        purpose: None,
    };
    let intake = core
        .intake(&caller, "add", c)
        .unwrap()
        .obtained_from(origin);
    let raws: Vec<_> = texts.iter().map(|t| raw(t)).collect();
    let refs: Vec<&serde_json::value::RawValue> = raws.iter().map(|r| r.as_ref()).collect();
    for v in core.ingest_with(&intake, &refs, None).unwrap() {
        assert!(v.is_stored(), "{v:?}");
    }
}

/// RU's key in [`member`].
pub const RU_KEY: [u8; 32] = [2; 32];

/// Stores indicator `n` as RU's authority pushes it, under a seal naming `signer` made with
/// the key of `seed` (RU's own is [`RU_KEY`]; another makes a seal that does not verify).
pub fn put_sealed(core: &Core, c: &store::Collection, n: u32, signer: &str, seed: [u8; 32]) {
    let ru = core.principal("ru").unwrap().unwrap();
    let intake = core
        .intake(
            &symbolon_core::Caller {
                principal: &ru,
                purpose: None,
            },
            "push",
            c,
        )
        .unwrap();
    let raw = raw(&indicator(n, "2024-01-01T00:00:00.000Z", None));
    let leaves = vec![federation::provenance::leaf(raw.get()).unwrap()];
    let seal = federation::provenance::Seal::sign(
        signer,
        &ed25519_dalek::SigningKey::from_bytes(&seed),
        &leaves,
        "2024-01-01T00:00:00Z",
        None,
        federation::provenance::origin_runs([None]),
    );
    let page = store::SealedPage {
        peer: "ru-csirt".into(),
        seal,
        leaves,
    };
    let verdicts = core.ingest_with(&intake, &[&raw], Some(page)).unwrap();
    assert!(verdicts[0].is_stored(), "{verdicts:?}");
}
