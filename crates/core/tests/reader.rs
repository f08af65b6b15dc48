//! The one reader: versions are decided before they are selected, and every endpoint's view
//! of an object agrees with the others.

mod common;

use common::*;
use store::VersionSel;
use symbolon_core::{Caller, CoreError, Want};

fn versions_served(
    node: &Node,
    who: &str,
    endpoint: &str,
    object: Option<&str>,
    want: Want,
    c: &store::Collection,
) -> Result<Vec<(String, String)>, CoreError> {
    let principal = node.core.principal(who).unwrap().unwrap();
    let caller = Caller {
        principal: &principal,
        purpose: None,
    };
    node.core.read(&caller, endpoint, c, object, &want, |page| {
        page.rows
            .iter()
            .map(|r| (r.id.clone(), r.version.clone()))
            .collect()
    })
}

const V1: &str = "2024-01-01T00:00:00.000Z";
const V2: &str = "2024-02-01T00:00:00.000Z";
const V3: &str = "2024-03-01T00:00:00.000Z";

/// The case: the latest version is TLP:RED, an earlier one CLEAR. A third party
/// receives the CLEAR one as the object's latest, and no view shows the RED one.
#[test]
fn the_latest_version_a_third_party_may_receive_is_its_latest() {
    let n = member();
    let c = n.core.create_collection("c", None, None, None).unwrap();
    n.core.grant("partner", &c.id, true, false).unwrap();
    put(
        &n.core,
        &c,
        &[indicator(1, V1, Some(CLEAR)), indicator(1, V2, Some(RED))],
    );
    let obj = id(1);
    let last = |endpoint, object: Option<&str>, versions: Vec<VersionSel>, with_body| {
        versions_served(
            &n,
            "partner",
            endpoint,
            object,
            Want {
                versions,
                with_body,
                limit: Some(10),
                ..Want::default()
            },
            &c,
        )
        .unwrap()
    };
    let clear = vec![(obj.clone(), V1.to_owned())];
    assert_eq!(last("object", Some(&obj), vec![], true), clear);
    assert_eq!(last("objects", None, vec![], true), clear);
    assert_eq!(last("manifest", None, vec![], false), clear);
    assert_eq!(
        last("versions", Some(&obj), vec![VersionSel::All], false),
        clear
    );
    assert_eq!(last("objects", None, vec![VersionSel::First], true), clear);
    // The local analyst receives both, and the latest is the RED one.
    let mine = versions_served(
        &n,
        "analyst",
        "objects",
        None,
        Want {
            limit: Some(10),
            ..Want::default()
        },
        &c,
    );
    assert!(
        mine.is_err(),
        "the analyst has no rights on the collection yet"
    );
    n.core.grant("analyst", &c.id, true, false).unwrap();
    let mine = versions_served(
        &n,
        "analyst",
        "objects",
        None,
        Want {
            limit: Some(10),
            ..Want::default()
        },
        &c,
    )
    .unwrap();
    assert_eq!(mine, [(obj, V2.to_owned())]);
}

/// `first` when the first is RED: the earliest version the principal may receive.
#[test]
fn the_first_version_is_the_earliest_receivable_one() {
    let n = member();
    let c = n.core.create_collection("c", None, None, None).unwrap();
    n.core.grant("ru", &c.id, true, false).unwrap();
    put(
        &n.core,
        &c,
        &[
            indicator(1, V1, Some(RED)),
            indicator(1, V2, Some(GREEN)),
            indicator(1, V3, Some(RED)),
        ],
    );
    for (versions, expected) in [
        (vec![VersionSel::First], vec![V2]),
        (vec![VersionSel::Last], vec![V2]),
        (vec![VersionSel::First, VersionSel::Last], vec![V2]),
        (vec![VersionSel::All], vec![V2]),
        (
            vec![VersionSel::At(stix::timestamp::parse(V3, true).unwrap())],
            vec![],
        ),
    ] {
        let got = versions_served(
            &n,
            "ru",
            "objects",
            None,
            Want {
                versions: versions.clone(),
                limit: Some(10),
                with_body: true,
                ..Want::default()
            },
            &c,
        )
        .unwrap();
        let got: Vec<&str> = got.iter().map(|(_, v)| v.as_str()).collect();
        assert_eq!(got, expected, "{versions:?}");
    }
}

/// A withheld object is to a delete what it is to a read: not there.
#[test]
fn a_delete_reaches_only_what_the_caller_may_receive() {
    let n = member();
    let c = n.core.create_collection("c", None, None, None).unwrap();
    n.core.grant("partner", &c.id, true, true).unwrap();
    put(
        &n.core,
        &c,
        &[indicator(1, V1, Some(RED)), indicator(2, V1, Some(CLEAR))],
    );
    let partner = n.core.principal("partner").unwrap().unwrap();
    let caller = Caller {
        principal: &partner,
        purpose: None,
    };
    assert!(matches!(
        n.core.delete(&caller, &c, &id(1), &[], &[]),
        Err(CoreError::NotFound(_))
    ));
    assert_eq!(n.core.delete(&caller, &c, &id(2), &[], &[]).unwrap(), 1);
    let operator = n.core.operator().clone();
    let all = n
        .core
        .read(
            &Caller {
                principal: &operator,
                purpose: None,
            },
            "objects",
            &c,
            None,
            &Want {
                versions: vec![VersionSel::All],
                limit: Some(10),
                ..Want::default()
            },
            |p| p.rows.iter().map(|r| r.id.clone()).collect::<Vec<_>>(),
        )
        .unwrap();
    assert_eq!(all, [id(1)]);
    assert!(n.core.verify_audit().unwrap().intact());
}

/// Paging by position never skips, and `more` is said only when a further version is
/// receivable.
#[test]
fn pages_follow_each_other_without_a_gap_and_end_where_the_receivable_end() {
    let n = member();
    let c = n.core.create_collection("c", None, None, None).unwrap();
    n.core.grant("partner", &c.id, true, false).unwrap();
    let texts: Vec<String> = (0..30)
        .map(|i| indicator(i, V1, Some(if i % 3 == 0 { RED } else { CLEAR })))
        .collect();
    put(&n.core, &c, &texts);
    let partner = n.core.principal("partner").unwrap().unwrap();
    let caller = Caller {
        principal: &partner,
        purpose: None,
    };
    let mut after = None;
    let mut seen = Vec::new();
    loop {
        let (rows, next) = n
            .core
            .read(
                &caller,
                "objects",
                &c,
                None,
                &Want {
                    after,
                    limit: Some(4),
                    ..Want::default()
                },
                |p| {
                    (
                        p.rows.iter().map(|r| r.id.clone()).collect::<Vec<_>>(),
                        p.next(),
                    )
                },
            )
            .unwrap();
        seen.extend(rows);
        match next {
            Some(n) => after = Some(n),
            None => break,
        }
    }
    let expected: Vec<String> = (0..30).filter(|i| i % 3 != 0).map(id).collect();
    let mut seen_sorted = seen.clone();
    seen_sorted.sort();
    let mut expected_sorted = expected.clone();
    expected_sorted.sort();
    assert_eq!(seen_sorted, expected_sorted);
    assert_eq!(seen.len(), 20, "no version twice");
}
