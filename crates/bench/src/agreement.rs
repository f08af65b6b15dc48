//! The agreement side of the benchmark: a peer authority as a TAXII user of the big
//! collection's node, and the cost of one policy decision measured in process.

use crate::servers::symbolon_cli;
use anyhow::{Context, Result};
use std::path::Path;
use std::time::Instant;

pub const PEER_USER: &str = "ru-bench";

/// Puts the node in `dir` under the agreement (in force, RU's `ru-csirt` designated) and
/// creates a user for that authority with read rights on `coll`; returns its password.
pub fn peer_user(bin: &Path, dir: &Path, coll: &str, agreement: &Path) -> Result<String> {
    let file = agreement.to_str().context("agreement path")?;
    let run = |args: &[&str]| symbolon_cli(bin, dir, args);
    run(&[
        "agreement",
        "init",
        "--file",
        file,
        "--party",
        "IR",
        "--authority",
        "ir-csirt",
    ])?;
    ratified_by_both(&run)?;
    // A placeholder until the federation run designates RU's real node key.
    let key = hex::encode(
        ed25519_dalek::SigningKey::from_bytes(&[0x11; 32])
            .verifying_key()
            .as_bytes(),
    );
    run(&[
        "agreement",
        "notify",
        "--kind",
        "designation",
        "--party",
        "RU",
        "--received",
        "2021-04-01",
        "--authority-id",
        "ru-csirt",
        "--authority-name",
        "RU CSIRT",
        "--public-key",
        &key,
    ])?;
    let password = run(&[
        "user",
        "add",
        PEER_USER,
        "--authority",
        "ru-csirt",
        "--purpose",
        "incident-response",
    ])?;
    run(&["user", "grant", PEER_USER, "--collection", coll, "--read"])?;
    Ok(password)
}

/// Records both parties' ratifications (received 2021-03-01): the agreement is in force.
pub fn ratified_by_both(run: &impl Fn(&[&str]) -> Result<String>) -> Result<()> {
    for party in ["IR", "RU"] {
        run(&[
            "agreement",
            "notify",
            "--kind",
            "ratification",
            "--party",
            party,
            "--received",
            "2021-03-01",
        ])?;
    }
    Ok(())
}

/// Decisions per second for an authority principal over objects that carry markings (the
/// work every served object costs on the read path).
pub fn decisions_per_second() -> f64 {
    use policy::lifecycle::{Day, Lifecycle};
    let lifecycle = Lifecycle::ratified_by(&["IR", "RU"], Day::parse("2021-03-01").expect("a day"));
    let p = policy::Policy::under(policy::Terms {
        agreement: "ir-ru-infosec-2021".into(),
        keys: Default::default(),
        retired: Default::default(),
        version: 1,
        authority: "ir-csirt".into(),
        purposes: vec!["incident-response".into()],
        authorities: vec!["ir-csirt".into(), "ru-csirt".into()],
        restricted_markings: vec![],
        lifecycle,
    });
    let user = store::User {
        name: PEER_USER.into(),
        password_hash: String::new(),
        is_admin: false,
        kind: policy::Kind::Authority("ru-csirt".into()),
        purposes: vec!["incident-response".into()],
    };
    let grants = [store::Grant {
        user: PEER_USER.into(),
        collection: 1,
        can_read: true,
        can_write: false,
    }];
    let principal = policy::Principal::from_user(&user, &grants);
    let access = policy::Access {
        principal: &principal,
        collection: 1,
        action: policy::Action::Read,
        purpose: None,
    };
    let markings = [
        vec!["marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb".to_owned()],
        vec![],
        vec![
            "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487".to_owned(),
            "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1".to_owned(),
        ],
    ];
    let n = 3_000_000;
    let today = Day::today();
    let started = Instant::now();
    let mut allowed = 0usize;
    for i in 0..n {
        let facts = policy::ObjectFacts {
            id: "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f",
            object_type: "indicator",
            marking_refs: &markings[i % markings.len()],
            origin: None,
            granular: &[],
        };
        allowed +=
            usize::from(std::hint::black_box(p.decide_on(&access, &facts, today)).is_allowed());
    }
    let rate = n as f64 / started.elapsed().as_secs_f64();
    assert_eq!(
        allowed,
        2 * n / 3,
        "GREEN and unmarked reach the parties, RED does not"
    );
    rate
}
