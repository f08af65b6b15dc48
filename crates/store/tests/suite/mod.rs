//! The behaviour every backend must have. Each backend runs these through `backend_suite!`.

use serde_json::value::RawValue;
use std::ops::ControlFlow;
use store::{AddOutcome, Filter, NewCollection, Row, Store, VersionSel};

/// The audit entry every write of these tests records: the store's own account of it.
pub fn entry(w: &store::Written) -> store::Result<Vec<u8>> {
    Ok(serde_json::to_vec(&w.stored()).unwrap())
}

pub fn obj(id: &str, modified: &str, extra: &str) -> stix::StixObject {
    let json = format!(
        r#"{{"type":"indicator","spec_version":"2.1","id":"{id}","created":"2020-01-01T00:00:00.000Z","modified":"{modified}","pattern":"[x:y = 'z']","pattern_type":"stix","valid_from":"2020-01-01T00:00:00Z"{extra}}}"#
    );
    let raw: Box<RawValue> = serde_json::from_str(&json).unwrap();
    stix::validate(&raw).unwrap()
}

pub const A: &str = "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f";
pub const B: &str = "indicator--5d0092c5-5f74-4287-9642-33f4c354e56d";

pub fn rows(s: &dyn Store, coll: i64, f: &Filter) -> Vec<Row> {
    let mut out = Vec::new();
    s.scan(coll, f, &mut |r| {
        out.push(r);
        ControlFlow::Continue(())
    })
    .unwrap();
    out
}

/// Every stored version, in `date_added` order.
pub fn all_versions(s: &dyn Store, coll: i64) -> Vec<Row> {
    rows(
        s,
        coll,
        &Filter {
            versions: vec![VersionSel::All],
            ..Default::default()
        },
    )
}

/// The versions a scan selects with one `match[version]` value.
pub fn versions(s: &dyn Store, coll: i64, sel: VersionSel) -> Vec<String> {
    let f = Filter {
        versions: vec![sel],
        ..Default::default()
    };
    rows(s, coll, &f).into_iter().map(|r| r.version).collect()
}

pub fn setup(s: &dyn Store) -> i64 {
    s.create_api_root(
        &store::ApiRoot {
            name: "api1".into(),
            title: "t".into(),
            description: None,
            max_content_length: 1 << 20,
        },
        b"{}",
    )
    .unwrap();
    s.create_collection(
        &NewCollection {
            id: "3f0c6d2a-0b1e-4f4e-9a4b-6c1d2e3f4a5b".into(),
            title: "c".into(),
            alias: Some("c".into()),
            ..Default::default()
        },
        b"{}",
    )
    .unwrap()
    .key
}

pub fn identical_repost_is_already_present(s: &dyn Store) {
    let c = setup(s);
    let o = obj(A, "2020-01-01T00:00:00.000Z", "");
    assert!(
        s.add_objects(c, std::slice::from_ref(&o), None, &mut entry)
            .unwrap()[0]
            .is_added()
    );
    assert!(matches!(
        s.add_objects(c, &[o], None, &mut entry).unwrap()[0],
        AddOutcome::AlreadyPresent { .. }
    ));
    assert_eq!(all_versions(s, c).len(), 1);
}

pub fn same_version_with_other_content_conflicts(s: &dyn Store) {
    let c = setup(s);
    s.add_objects(
        c,
        &[obj(A, "2020-01-01T00:00:00.000Z", "")],
        None,
        &mut entry,
    )
    .unwrap();
    let r = s
        .add_objects(
            c,
            &[obj(A, "2020-01-01T00:00:00.000Z", r#","name":"x""#)],
            None,
            &mut entry,
        )
        .unwrap();
    assert!(matches!(r[0], AddOutcome::Conflict { .. }));
}

pub fn date_added_strictly_increases_within_one_write(s: &dyn Store) {
    let c = setup(s);
    let objs: Vec<_> = (0..50)
        .map(|i| obj(A, &format!("2020-01-01T00:00:{i:02}.000Z"), ""))
        .collect();
    s.add_objects(c, &objs, None, &mut entry).unwrap();
    s.add_objects(
        c,
        &[obj(B, "2020-01-01T00:00:00.000Z", "")],
        None,
        &mut entry,
    )
    .unwrap();
    let all = all_versions(s, c);
    assert_eq!(all.len(), 51);
    assert!(all.windows(2).all(|w| w[0].date_added < w[1].date_added));
}

pub fn first_and_last_follow_versions_not_arrival(s: &dyn Store) {
    let c = setup(s);
    s.add_objects(
        c,
        &[obj(A, "2020-01-02T00:00:00.000Z", "")],
        None,
        &mut entry,
    )
    .unwrap();
    s.add_objects(
        c,
        &[obj(A, "2020-01-03T00:00:00.000Z", "")],
        None,
        &mut entry,
    )
    .unwrap();
    s.add_objects(
        c,
        &[obj(A, "2020-01-01T00:00:00.000Z", "")],
        None,
        &mut entry,
    )
    .unwrap();
    let v = |sel| versions(s, c, sel);
    assert_eq!(v(VersionSel::Last), ["2020-01-03T00:00:00.000Z"]);
    assert_eq!(v(VersionSel::First), ["2020-01-01T00:00:00.000Z"]);
    assert_eq!(v(VersionSel::All).len(), 3);
    let t = stix::timestamp::parse("2020-01-02T00:00:00.000Z", true).unwrap();
    assert_eq!(v(VersionSel::At(t)), ["2020-01-02T00:00:00.000Z"]);
}

pub fn versions_within_one_batch_get_first_and_last_right(s: &dyn Store) {
    let c = setup(s);
    let batch: Vec<_> = [2, 0, 3, 1]
        .iter()
        .map(|d| obj(A, &format!("2020-01-0{}T00:00:00.000Z", d + 1), ""))
        .collect();
    let mut with_repost = batch.clone();
    with_repost.push(batch[0].clone());
    let outcomes = s.add_objects(c, &with_repost, None, &mut entry).unwrap();
    assert!(matches!(outcomes[4], AddOutcome::AlreadyPresent { .. }));
    let v = |sel| versions(s, c, sel);
    assert_eq!(v(VersionSel::First), ["2020-01-01T00:00:00.000Z"]);
    assert_eq!(v(VersionSel::Last), ["2020-01-04T00:00:00.000Z"]);
}

pub fn filters_and_cursor_narrow_the_scan(s: &dyn Store) {
    let c = setup(s);
    s.add_objects(
        c,
        &[
            obj(A, "2020-01-01T00:00:00.000Z", ""),
            obj(B, "2020-01-01T00:00:00.000Z", ""),
        ],
        None,
        &mut entry,
    )
    .unwrap();
    let by_id = rows(
        s,
        c,
        &Filter {
            ids: vec![B.into()],
            ..Default::default()
        },
    );
    assert_eq!(by_id.len(), 1);
    assert_eq!(by_id[0].id, B);
    assert!(
        rows(
            s,
            c,
            &Filter {
                types: vec!["malware".into()],
                ..Default::default()
            }
        )
        .is_empty()
    );
    let all = rows(s, c, &Filter::default());
    let after = rows(
        s,
        c,
        &Filter {
            after_seq: Some(all[0].date_added),
            ..Default::default()
        },
    );
    assert_eq!(after.len(), 1);
    assert!(
        rows(
            s,
            c,
            &Filter {
                added_after: Some(all[1].date_added),
                ..Default::default()
            }
        )
        .is_empty()
    );
    assert!(
        rows(s, c, &Filter::default())
            .iter()
            .all(|r| r.json.is_empty())
    );
    assert!(
        rows(
            s,
            c,
            &Filter {
                with_body: true,
                ..Default::default()
            }
        )
        .iter()
        .all(|r| r.json.starts_with('{'))
    );
}

pub fn delete_removes_versions_and_restores_flags(s: &dyn Store) {
    let c = setup(s);
    s.add_objects(
        c,
        &[
            obj(A, "2020-01-01T00:00:00.000Z", ""),
            obj(A, "2020-01-02T00:00:00.000Z", ""),
        ],
        None,
        &mut entry,
    )
    .unwrap();
    assert_eq!(
        s.delete_object(c, A, &[VersionSel::Last], &[], &mut entry)
            .unwrap(),
        1
    );
    let left = rows(s, c, &Filter::default());
    assert_eq!(left.len(), 1);
    assert_eq!(left[0].version, "2020-01-01T00:00:00.000Z");
    assert_eq!(s.delete_object(c, A, &[], &[], &mut entry).unwrap(), 1);
    assert!(all_versions(s, c).is_empty());
}

pub fn deleting_the_newest_never_reuses_its_date_added(s: &dyn Store) {
    let c = setup(s);
    s.add_objects(
        c,
        &[obj(A, "2020-01-01T00:00:00.000Z", "")],
        None,
        &mut entry,
    )
    .unwrap();
    let first = rows(s, c, &Filter::default())[0].date_added;
    s.delete_object(c, A, &[], &[], &mut entry).unwrap();
    s.add_objects(
        c,
        &[obj(B, "2020-01-01T00:00:00.000Z", "")],
        None,
        &mut entry,
    )
    .unwrap();
    assert!(rows(s, c, &Filter::default())[0].date_added > first);
}

pub fn collections_resolve_by_id_or_alias(s: &dyn Store) {
    setup(s);
    let c = s.collection(None, "c").unwrap().unwrap();
    assert_eq!(s.collection(Some("api1"), &c.id).unwrap().unwrap(), c);
    assert!(s.collection(Some("other"), "c").unwrap().is_none());
    assert!(
        s.create_collection(
            &NewCollection {
                id: "9a0c6d2a-0b1e-4f4e-9a4b-6c1d2e3f4a5b".into(),
                title: "d".into(),
                alias: Some("c".into()),
                ..Default::default()
            },
            b"{}"
        )
        .is_err()
    );
}

pub fn users_and_grants_round_trip(s: &dyn Store) {
    let c = setup(s);
    let u = store::User {
        name: "ana".into(),
        password_hash: "h".into(),
        is_admin: false,
        kind: store::Kind::Authority("ru-nkcki".into()),
        purposes: vec!["incident-response".into(), "joint-threat-assessment".into()],
    };
    s.put_user(&u, b"{}").unwrap();
    assert_eq!(s.user("ana").unwrap(), Some(u));
    s.set_grant(
        &store::Grant {
            user: "ana".into(),
            collection: c,
            can_read: true,
            can_write: false,
        },
        b"{}",
    )
    .unwrap();
    assert_eq!(s.grants("ana").unwrap().len(), 1);
    assert!(
        s.set_grant(
            &store::Grant {
                user: "nobody".into(),
                collection: c,
                can_read: true,
                can_write: false
            },
            b"{}"
        )
        .is_err()
    );
}

pub fn add_stream_stores_every_batch_and_reports_each_outcome(s: &dyn Store) {
    let c = setup(s);
    let batches: Vec<Vec<stix::StixObject>> = (0..5)
        .map(|b| {
            (0..3)
                .map(|i| {
                    obj(
                        &format!("indicator--{}", uuid_for(b * 3 + i)),
                        "2020-01-01T00:00:00.000Z",
                        "",
                    )
                })
                .collect()
        })
        .collect();
    let mut outcomes = Vec::new();
    s.add_stream(
        c,
        &mut batches.into_iter(),
        None,
        4,
        &mut |b, f| outcomes.extend(b.iter().zip(f).map(|(o, f)| f.outcome(o))),
        &mut entry,
    )
    .unwrap();
    assert_eq!(outcomes.len(), 15);
    assert!(outcomes.iter().all(AddOutcome::is_added));
    assert_eq!(rows(s, c, &Filter::default()).len(), 15);
}

/// A reporting write keeps the status built from its outcomes with its objects, or, when
/// the write fails, neither.
pub fn a_status_is_kept_in_its_objects_transaction(s: &dyn Store) {
    let c = setup(s);
    let status = |id: &str, outcomes: &[AddOutcome]| store::StatusRecord {
        id: id.into(),
        api_root: "api1".into(),
        owner: "writer".into(),
        json: format!(
            r#"{{"added":{}}}"#,
            outcomes.iter().filter(|o| o.is_added()).count()
        ),
    };
    let batches = vec![
        vec![obj(A, "2020-01-01T00:00:00.000Z", "")],
        vec![obj(B, "2020-01-01T00:00:00.000Z", "")],
    ];
    let outcomes = s
        .add_objects_reporting(
            c,
            &mut batches.clone().into_iter(),
            None,
            &mut entry,
            &mut |o| Ok(Some(status("s1", o))),
        )
        .unwrap();
    assert_eq!(outcomes.len(), 2);
    let kept = s.status("api1", "s1").unwrap().expect("the status is kept");
    assert_eq!(
        (kept.owner.as_str(), kept.json.as_str()),
        ("writer", r#"{"added":2}"#)
    );
    // The entry cannot be made: neither the objects nor the status are kept.
    let later = vec![vec![obj(A, "2020-02-01T00:00:00.000Z", "")]];
    let failed = s.add_objects_reporting(
        c,
        &mut later.into_iter(),
        None,
        &mut |_| Err(store::StoreError::Invalid("no entry".into())),
        &mut |o| Ok(Some(status("s2", o))),
    );
    assert!(failed.is_err());
    assert!(s.status("api1", "s2").unwrap().is_none());
    assert_eq!(all_versions(s, c).len(), 2);
}

pub fn add_stream_finds_its_own_earlier_objects_in_later_transactions(s: &dyn Store) {
    let c = setup(s);
    let v1 = obj(A, "2020-01-01T00:00:00.000Z", "");
    let v2 = obj(A, "2020-02-01T00:00:00.000Z", "");
    let other = obj(A, "2020-01-01T00:00:00.000Z", r#","name":"changed""#);
    let batches = vec![vec![v1.clone()], vec![v2], vec![v1], vec![other]];
    let mut outcomes = Vec::new();
    s.add_stream(
        c,
        &mut batches.into_iter(),
        None,
        1,
        &mut |b, f| outcomes.extend(b.iter().zip(f).map(|(o, f)| f.outcome(o))),
        &mut entry,
    )
    .unwrap();
    assert!(outcomes[0].is_added() && outcomes[1].is_added());
    assert!(matches!(outcomes[2], AddOutcome::AlreadyPresent { .. }));
    assert!(matches!(outcomes[3], AddOutcome::Conflict { .. }));
    assert_eq!(
        versions(s, c, VersionSel::Last),
        ["2020-02-01T00:00:00.000Z"]
    );
    assert_eq!(
        versions(s, c, VersionSel::First),
        ["2020-01-01T00:00:00.000Z"]
    );
}

/// A bulk import that remembers what it wrote must notice a delete or a write by someone
/// else between two of its transactions.
pub fn add_stream_sees_other_writers_between_its_transactions(s: &dyn Store) {
    let c = setup(s);
    let v1 = obj(A, "2020-01-01T00:00:00.000Z", "");
    let v3 = obj(A, "2020-03-01T00:00:00.000Z", "");
    let mut step = 0;
    // The iterator runs between the import's transactions (commit_every = 1 batch).
    let mut batches = std::iter::from_fn(|| {
        step += 1;
        match step {
            1 => Some(vec![v1.clone()]),
            2 => {
                // Someone deletes what the import wrote, then someone adds a later version.
                assert_eq!(s.delete_object(c, A, &[], &[], &mut entry).unwrap(), 1);
                Some(vec![v1.clone()])
            }
            3 => {
                s.add_objects(
                    c,
                    &[obj(A, "2020-02-01T00:00:00.000Z", "")],
                    None,
                    &mut entry,
                )
                .unwrap();
                Some(vec![v3.clone()])
            }
            _ => None,
        }
    });
    let mut outcomes = Vec::new();
    s.add_stream(
        c,
        &mut batches,
        None,
        1,
        &mut |b, f| outcomes.extend(b.iter().zip(f).map(|(o, f)| f.outcome(o))),
        &mut entry,
    )
    .unwrap();
    assert!(outcomes.iter().all(AddOutcome::is_added), "{outcomes:?}");
    let all = all_versions(s, c);
    assert_eq!(all.len(), 3);
    assert_eq!(
        versions(s, c, VersionSel::Last),
        ["2020-03-01T00:00:00.000Z"]
    );
    assert_eq!(
        versions(s, c, VersionSel::First),
        ["2020-01-01T00:00:00.000Z"]
    );
}

fn uuid_for(i: usize) -> String {
    format!("8e2e2d2b-17d4-4cbf-938f-{i:012x}")
}

#[macro_export]
macro_rules! backend_suite {
    ($make:expr, $($name:ident),* $(,)?) => {
        $(
            #[test]
            fn $name() {
                let (_guard, store) = $make;
                suite::$name(&store);
            }
        )*
    };
}

pub fn origin_is_kept_with_each_version(s: &dyn Store) {
    let c = setup(s);
    s.add_objects(
        c,
        &[obj(A, "2020-01-01T00:00:00.000Z", "")],
        Some("ru-nkcki"),
        &mut entry,
    )
    .unwrap();
    s.add_objects(
        c,
        &[obj(B, "2020-01-01T00:00:00.000Z", "")],
        None,
        &mut entry,
    )
    .unwrap();
    let all = rows(s, c, &Filter::default());
    let origin = |id: &str| all.iter().find(|r| r.id == id).unwrap().origin.clone();
    assert_eq!(origin(A).as_deref(), Some("ru-nkcki"));
    assert_eq!(origin(B), None);
}

pub fn marking_definitions_are_registered_once_in_order(s: &dyn Store) {
    let c = setup(s);
    let md = |uuid: &str, name: &str| {
        stix::validate(
            &serde_json::value::RawValue::from_string(format!(
                r#"{{"type":"marking-definition","spec_version":"2.1","id":"marking-definition--{uuid}","created":"2020-01-01T00:00:00.000Z","name":"{name}","definition_type":"statement","definition":{{"statement":"{name}"}}}}"#
            ))
            .unwrap(),
        )
        .unwrap()
    };
    let first = md("00000000-0000-4000-8000-000000000001", "one");
    let second = md("00000000-0000-4000-8000-000000000002", "two");
    s.add_objects(c, std::slice::from_ref(&first), None, &mut entry)
        .unwrap();
    let after_first = s.marking_definitions_after(0).unwrap();
    assert_eq!(after_first.len(), 1);
    assert_eq!(after_first[0].1, first.json);
    s.add_objects(c, &[first, second.clone()], None, &mut entry)
        .unwrap();
    let next = s.marking_definitions_after(after_first[0].0).unwrap();
    assert_eq!(next.len(), 1, "a re-post registers nothing new");
    assert_eq!(next[0].1, second.json);
    assert_eq!(s.marking_definitions_after(next[0].0).unwrap(), []);
}

pub fn ledger_records_are_kept_once_per_id_in_order(s: &dyn Store) {
    let rec = |id: &str, json: &str| store::LedgerRecord {
        id: id.into(),
        kind: "consent".into(),
        json: json.into(),
    };
    assert!(s.put_record(&rec("c-1", "{\"a\":1}"), b"{}").unwrap());
    assert!(s.put_record(&rec("c-2", "{\"a\":2}"), b"{}").unwrap());
    // A second record with a held id changes nothing.
    assert!(!s.put_record(&rec("c-1", "{\"a\":3}"), b"{}").unwrap());
    let all = s.records_after(0).unwrap();
    assert_eq!(
        all.iter().map(|(_, r)| r.json.as_str()).collect::<Vec<_>>(),
        ["{\"a\":1}", "{\"a\":2}"]
    );
    let after_first = s.records_after(all[0].0).unwrap();
    assert_eq!(after_first.len(), 1);
    assert_eq!(after_first[0].1.id, "c-2");
}

pub fn peers_round_trip_and_update_in_place(s: &dyn Store) {
    let mut p = store::Peer {
        id: "ru-csirt".into(),
        url: "http://127.0.0.1:6101/".into(),
        public_key: [7; 32],
        halted: None,
        breach: None,
        witnessed: None,
    };
    s.put_peer(&p, b"{}").unwrap();
    p.witnessed = Some(audit::SignedTreeHead {
        size: 3,
        timestamp: 1_700_000_000_000_000,
        root: [1; 32],
        signature: [2; 64],
    });
    p.halted = Some("forked".into());
    p.breach = Some(federation::witness::Breach::Forked { size: 3 });
    s.put_peer(&p, b"{}").unwrap();
    assert_eq!(s.peers().unwrap(), [p]);
}

pub fn sealed(n: usize) -> store::SealedPage {
    let leaves: Vec<[u8; 32]> = (0..n).map(|i| [i as u8; 32]).collect();
    let key = ed25519_dalek::SigningKey::from_bytes(&[3; 32]);
    store::SealedPage {
        peer: "ru-csirt".into(),
        seal: federation::provenance::Seal::sign("ru-csirt", &key, &leaves, "t", None, Vec::new()),
        leaves,
    }
}

pub fn batch(objs: &[stix::StixObject], n: usize) -> store::SealedBatch {
    store::SealedBatch {
        sealed: sealed(n),
        objects: objs.to_vec(),
        index: (0..objs.len() as u32).collect(),
        origins: Vec::new(),
    }
}

pub fn a_synced_page_is_stored_with_its_seal_and_cursor_together(s: &dyn Store) {
    let c = setup(s);
    let mut cursor = store::SyncCursor {
        peer: "ru-csirt".into(),
        remote: "91a7b528-80eb-42ed-a74d-c6fbd5a26116".into(),
        local: c,
        push: false,
        added_after: None,
    };
    s.put_cursor(&cursor).unwrap();
    assert_eq!(s.cursors("ru-csirt").unwrap(), [cursor.clone()]);
    cursor.added_after = Some("2026-01-01T00:00:00.000001Z".into());
    let objs = [
        obj(A, "2020-01-01T00:00:00.000Z", ""),
        obj(B, "2020-01-01T00:00:00.000Z", ""),
    ];
    let out = s
        .add_sealed(
            c,
            &[batch(&objs, 2)],
            Some("ru-csirt"),
            Some(&cursor),
            &mut entry,
        )
        .unwrap();
    assert!(out.iter().all(AddOutcome::is_added));
    assert_eq!(s.cursors("ru-csirt").unwrap(), [cursor.clone()]);
    let stored = rows(s, c, &Filter::default());
    assert_eq!(stored.len(), 2);
    assert!(
        stored
            .iter()
            .all(|r| r.origin.as_deref() == Some("ru-csirt"))
    );
    // B is the page's second leaf, wherever the store put it.
    let b = stored.iter().find(|r| r.id == B).unwrap();
    let (page, idx) = s.provenance(c, b.date_added).unwrap().unwrap();
    assert_eq!((page, idx), (sealed(2), 1));
    // The same page again (a peer repeating itself): nothing new, provenance unchanged.
    let again = s
        .add_sealed(
            c,
            &[batch(&objs, 2)],
            Some("ru-csirt"),
            Some(&cursor),
            &mut entry,
        )
        .unwrap();
    assert!(
        again
            .iter()
            .all(|o| matches!(o, AddOutcome::AlreadyPresent { .. }))
    );
    assert_eq!(rows(s, c, &Filter::default()).len(), 2);
}

pub fn each_object_of_a_sealed_page_keeps_its_own_origin(s: &dyn Store) {
    let c = setup(s);
    let mut b = batch(
        &[
            obj(A, "2020-01-01T00:00:00.000Z", ""),
            obj(B, "2020-01-01T00:00:00.000Z", ""),
        ],
        2,
    );
    b.origins = vec![None, Some("kz-cert".into())];
    s.add_sealed(c, &[b], Some("ru-csirt"), None, &mut entry)
        .unwrap();
    let origins: Vec<_> = rows(s, c, &Filter::default())
        .into_iter()
        .map(|r| (r.id, r.origin))
        .collect();
    assert_eq!(
        origins,
        [
            (A.to_owned(), None),
            (B.to_owned(), Some("kz-cert".to_owned()))
        ]
    );
}

pub fn a_failed_synced_page_leaves_neither_objects_nor_cursor(s: &dyn Store) {
    let c = setup(s);
    let cursor = store::SyncCursor {
        peer: "ru-csirt".into(),
        remote: "r".into(),
        local: c,
        push: false,
        added_after: None,
    };
    s.put_cursor(&cursor).unwrap();
    let moved = store::SyncCursor {
        local: c + 1000,
        added_after: Some("later".into()),
        ..cursor.clone()
    };
    // The cursor names a collection that does not exist: the whole transaction fails.
    assert!(
        s.add_sealed(
            c,
            &[batch(&[obj(A, "2020-01-01T00:00:00.000Z", "")], 1)],
            Some("ru-csirt"),
            Some(&moved),
            &mut entry
        )
        .is_err()
    );
    assert_eq!(s.cursors("ru-csirt").unwrap(), [cursor]);
    assert!(rows(s, c, &Filter::default()).is_empty());
}

pub fn quarantined_pages_are_kept_apart_in_order(s: &dyn Store) {
    let c = setup(s);
    let cause = federation::distrust::Distrust::Seal(federation::provenance::SealError::Count {
        sealed: 2,
        held: 1,
    });
    for (reason, cause) in [("bad seal", Some(cause.clone())), ("bad object", None)] {
        s.quarantine(
            &store::Quarantined {
                peer: "ru-csirt".into(),
                remote: "r".into(),
                at: 1,
                reason: reason.into(),
                cause,
                body: b"[]".to_vec(),
            },
            b"{}",
        )
        .unwrap();
    }
    let q = s.quarantine_listing().unwrap();
    assert_eq!(
        q.iter()
            .map(|(_, q, _)| q.reason.as_str())
            .collect::<Vec<_>>(),
        ["bad seal", "bad object"]
    );
    assert!(q[0].0 < q[1].0, "in the order quarantined");
    assert_eq!(q[0].1.cause, Some(cause), "the cause reads back whole");
    assert_eq!(q[1].1.cause, None);
    // Listed and counted without reading the pages.
    assert_eq!(
        q.iter()
            .map(|(_, q, bytes)| (q.body.len(), *bytes))
            .collect::<Vec<_>>(),
        [(0, 2), (0, 2)]
    );
    assert_eq!(s.quarantine_count().unwrap(), 2);
    assert!(rows(s, c, &Filter::default()).is_empty());
}

fn outbox_len(s: &dyn Store) -> usize {
    s.outbox(0).unwrap().len()
}

pub fn every_write_commits_its_audit_entry_with_it(s: &dyn Store) {
    let c = setup(s);
    let before = outbox_len(s);
    s.add_objects(
        c,
        &[obj(A, "2020-01-01T00:00:00.000Z", "")],
        None,
        &mut entry,
    )
    .unwrap();
    s.put_user(
        &store::User {
            name: "u".into(),
            password_hash: "h".into(),
            is_admin: false,
            kind: store::Kind::Local,
            purposes: vec![],
        },
        b"{\"user\":1}",
    )
    .unwrap();
    let rec = store::LedgerRecord {
        id: "r".into(),
        kind: "consent".into(),
        json: "{}".into(),
    };
    assert!(s.put_record(&rec, b"{\"record\":1}").unwrap());
    // A record already held writes no second entry.
    assert!(!s.put_record(&rec, b"{\"record\":2}").unwrap());
    let out = s.outbox(0).unwrap();
    assert_eq!(out.len(), before + 3);
    assert_eq!(out[out.len() - 1].1, b"{\"record\":1}");
    assert!(out.windows(2).all(|w| w[0].0 < w[1].0));
    // Clearing forgets what the log took; positions are never reused.
    let through = out[out.len() - 2].0;
    s.clear_outbox(through).unwrap();
    let left = s.outbox(0).unwrap();
    assert_eq!(left.len(), 1);
    s.clear_outbox(left[0].0).unwrap();
    s.put_user(
        &store::User {
            name: "v".into(),
            password_hash: "h".into(),
            is_admin: false,
            kind: store::Kind::Local,
            purposes: vec![],
        },
        b"{}",
    )
    .unwrap();
    assert!(s.outbox(0).unwrap()[0].0 > left[0].0);
}

pub fn a_write_whose_entry_cannot_be_made_stores_nothing(s: &dyn Store) {
    let c = setup(s);
    let before = outbox_len(s);
    let failed = s.add_objects(
        c,
        &[obj(A, "2020-01-01T00:00:00.000Z", "")],
        None,
        &mut |_| Err(store::StoreError::Invalid("no entry".into())),
    );
    assert!(failed.is_err());
    assert!(rows(s, c, &Filter::default()).is_empty());
    assert_eq!(outbox_len(s), before);
    let mut batches = vec![vec![obj(B, "2020-01-01T00:00:00.000Z", "")]].into_iter();
    let failed = s.add_stream(c, &mut batches, None, 10, &mut |_, _| {}, &mut |_| {
        Err(store::StoreError::Invalid("no entry".into()))
    });
    assert!(failed.is_err());
    assert!(rows(s, c, &Filter::default()).is_empty());
    assert_eq!(outbox_len(s), before);
}

pub fn the_entry_accounts_for_exactly_the_versions_added(s: &dyn Store) {
    use sha2::Digest;
    let c = setup(s);
    s.add_objects(
        c,
        &[obj(A, "2020-01-01T00:00:00.000Z", "")],
        None,
        &mut entry,
    )
    .unwrap();
    let mut seen = None;
    let objs = [
        obj(B, "2020-01-01T00:00:00.000Z", ""),
        obj(A, "2020-01-01T00:00:00.000Z", ""),
        obj(A, "2020-02-01T00:00:00.000Z", ""),
    ];
    s.add_objects(c, &objs, None, &mut |w| {
        seen = Some((w.stored(), w.fates.len()));
        entry(w)
    })
    .unwrap();
    let (stored, fates) = seen.unwrap();
    assert_eq!(fates, 3);
    assert_eq!(stored.added, 2, "the re-post is no new version");
    let all = all_versions(s, c);
    let mine: Vec<&Row> = all
        .iter()
        .filter(|r| Some(r.date_added) >= stored.first && Some(r.date_added) <= stored.last)
        .collect();
    assert_eq!(mine.len(), 2);
    let mut d = sha2::Sha256::new();
    for r in &mine {
        d.update(format!("{} {}\n", r.id, r.version));
    }
    assert_eq!(stored.sha256, hex::encode(d.finalize()));
    assert_eq!(
        stored.collection,
        s.collection(None, "c").unwrap().unwrap().id
    );
}

pub fn a_delete_names_what_it_removed_in_its_entry(s: &dyn Store) {
    let c = setup(s);
    s.add_objects(
        c,
        &[
            obj(A, "2020-01-01T00:00:00.000Z", ""),
            obj(A, "2020-02-01T00:00:00.000Z", ""),
        ],
        None,
        &mut entry,
    )
    .unwrap();
    let before = all_versions(s, c);
    let mut removed = Vec::new();
    let n = s
        .delete_object(c, A, &[VersionSel::First], &[], &mut |w| {
            removed = w.removed.to_vec();
            entry(w)
        })
        .unwrap();
    assert_eq!(n, 1);
    assert_eq!(
        removed,
        [store::Removed {
            date_added: before[0].date_added,
            id: A.into(),
            version: "2020-01-01T00:00:00.000Z".into()
        }]
    );
    // Nothing to delete: no write, no entry.
    let count = outbox_len(s);
    assert_eq!(s.delete_object(c, B, &[], &[], &mut entry).unwrap(), 0);
    assert_eq!(outbox_len(s), count);
}

pub fn the_agreement_is_kept_and_counts_its_changes(s: &dyn Store) {
    assert!(s.agreement().unwrap().is_none());
    let doc = store::AgreementDoc {
        text: "format = 1".into(),
        party: "IR".into(),
        authority: "ir-csirt".into(),
    };
    s.set_agreement(&doc, b"{}").unwrap();
    let (held, n) = s.agreement().unwrap().unwrap();
    assert_eq!(held, doc);
    s.set_agreement(&doc, b"{}").unwrap();
    assert!(s.agreement().unwrap().unwrap().1 > n);
}

pub fn rows_say_which_version_is_first_and_last(s: &dyn Store) {
    let c = setup(s);
    s.add_objects(
        c,
        &[
            obj(A, "2020-01-02T00:00:00.000Z", ""),
            obj(A, "2020-01-01T00:00:00.000Z", ""),
            obj(A, "2020-01-03T00:00:00.000Z", ""),
            obj(B, "2020-01-01T00:00:00.000Z", ""),
        ],
        None,
        &mut entry,
    )
    .unwrap();
    let all = all_versions(s, c);
    let flags: std::collections::BTreeMap<(String, String), (bool, bool, i64)> = all
        .into_iter()
        .map(|r| ((r.id, r.version), (r.first, r.last, r.version_at)))
        .collect();
    let at = |v: &str| stix::timestamp::parse(v, true).unwrap();
    let f = |id: &str, v: &str| flags[&(id.to_owned(), v.to_owned())];
    assert_eq!(
        f(A, "2020-01-01T00:00:00.000Z"),
        (true, false, at("2020-01-01T00:00:00.000Z"))
    );
    assert_eq!(
        f(A, "2020-01-02T00:00:00.000Z"),
        (false, false, at("2020-01-02T00:00:00.000Z"))
    );
    assert_eq!(
        f(A, "2020-01-03T00:00:00.000Z"),
        (false, true, at("2020-01-03T00:00:00.000Z"))
    );
    assert!(f(B, "2020-01-01T00:00:00.000Z").0);
    assert!(f(B, "2020-01-01T00:00:00.000Z").1);
    let text = s
        .object_text(c, rows(s, c, &Filter::default())[0].date_added)
        .unwrap()
        .unwrap();
    assert!(text.starts_with('{'));
    assert!(s.object_text(c, 1).unwrap().is_none());
}

pub fn the_witnessed_head_is_bookkeeping_kept_apart_from_the_peer(s: &dyn Store) {
    let p = store::Peer {
        id: "ru-csirt".into(),
        url: "http://127.0.0.1:6101/".into(),
        public_key: [7; 32],
        halted: None,
        breach: None,
        witnessed: None,
    };
    s.put_peer(&p, b"{}").unwrap();
    let before = outbox_len(s);
    let head = audit::SignedTreeHead {
        size: 9,
        timestamp: 5,
        root: [4; 32],
        signature: [5; 64],
    };
    s.set_witnessed("ru-csirt", Some(&head)).unwrap();
    assert_eq!(outbox_len(s), before);
    // Changing the peer's URL keeps what was witnessed.
    s.put_peer(
        &store::Peer {
            url: "http://127.0.0.1:6102/".into(),
            ..p.clone()
        },
        b"{}",
    )
    .unwrap();
    let held = s.peer("ru-csirt").unwrap().unwrap();
    assert_eq!(held.witnessed, Some(head));
    assert_eq!(held.url, "http://127.0.0.1:6102/");
    s.set_witnessed("ru-csirt", None).unwrap();
    assert_eq!(s.peer("ru-csirt").unwrap().unwrap().witnessed, None);
    assert!(s.set_witnessed("nobody", None).is_err());
}

/// An indicator naming `value` in its pattern, referencing `target`.
fn holding(id: &str, modified: &str, ip: &str, target: &str) -> stix::StixObject {
    let json = format!(
        r#"{{"type":"indicator","spec_version":"2.1","id":"{id}","created":"2020-01-01T00:00:00.000Z","modified":"{modified}","pattern":"[ipv4-addr:value = '{ip}']","pattern_type":"stix","valid_from":"2020-01-01T00:00:00Z","created_by_ref":"{target}"}}"#
    );
    let raw: Box<RawValue> = serde_json::from_str(&json).unwrap();
    stix::validate(&raw).unwrap()
}

const IDENTITY: &str = "identity--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f";

pub fn values_and_references_are_indexed_with_their_version_and_go_with_it(s: &dyn Store) {
    let c = setup(s);
    let v1 = holding(A, "2020-01-01T00:00:00.000Z", "198.51.100.1", IDENTITY);
    let v2 = holding(A, "2020-02-01T00:00:00.000Z", "198.51.100.2", IDENTITY);
    let other = holding(B, "2020-01-01T00:00:00.000Z", "198.51.100.1", IDENTITY);
    s.add_objects(c, &[v1, v2, other], None, &mut entry)
        .unwrap();
    let rows = all_versions(s, c);
    let held = s.holdings_after(0, 100).unwrap();
    let at = |id: &str, version: &str| {
        rows.iter()
            .find(|r| r.id == id && r.version == version)
            .unwrap()
            .date_added
    };
    let got: Vec<(i64, String, String, String)> = held
        .iter()
        .map(|h| {
            let v: Vec<String> = h.holdings.values().map(|v| v.unwrap().value).collect();
            (h.at, h.id.clone(), h.version.clone(), v.join(","))
        })
        .collect();
    let mut want = vec![
        (
            at(A, "2020-01-01T00:00:00.000Z"),
            A.to_owned(),
            "2020-01-01T00:00:00.000Z".to_owned(),
            "198.51.100.1".to_owned(),
        ),
        (
            at(A, "2020-02-01T00:00:00.000Z"),
            A.to_owned(),
            "2020-02-01T00:00:00.000Z".to_owned(),
            "198.51.100.2".to_owned(),
        ),
        (
            at(B, "2020-01-01T00:00:00.000Z"),
            B.to_owned(),
            "2020-01-01T00:00:00.000Z".to_owned(),
            "198.51.100.1".to_owned(),
        ),
    ];
    want.sort();
    assert_eq!(got, want);
    for h in &held {
        assert_eq!(
            (
                h.collection,
                h.object_type.as_str(),
                h.origin.as_deref(),
                h.granular
            ),
            (c, "indicator", None, false)
        );
        let refs: Vec<_> = h.holdings.references().map(|r| r.unwrap()).collect();
        assert_eq!(
            (refs[0].property.as_str(), refs[0].target.as_str()),
            ("created_by_ref", IDENTITY)
        );
    }
    // Paging by position.
    assert_eq!(s.holdings_after(held[0].at, 100).unwrap().len(), 2);
    assert_eq!(s.holdings_after(0, 1).unwrap().len(), 1);
    assert!(s.marks().unwrap().last_added >= want[2].0);
    // A deleted version's holdings go with it, and the deletion is logged.
    let before = s.marks().unwrap().removed;
    s.delete_object(c, A, &[VersionSel::All], &[], &mut entry)
        .unwrap();
    let left: Vec<i64> = s
        .holdings_after(0, 100)
        .unwrap()
        .iter()
        .map(|h| h.at)
        .collect();
    assert_eq!(left, [at(B, "2020-01-01T00:00:00.000Z")]);
    let (gone, reached) = s.removed_after(before).unwrap();
    let mut gone = gone;
    gone.sort();
    assert_eq!(
        gone,
        [
            at(A, "2020-01-01T00:00:00.000Z"),
            at(A, "2020-02-01T00:00:00.000Z")
        ]
    );
    assert_eq!(reached, s.marks().unwrap().removed);
    // One version by its date_added, and none where none is.
    let b = at(B, "2020-01-01T00:00:00.000Z");
    assert_eq!(s.row_at(c, b, true).unwrap().unwrap().id, B);
    assert!(
        s.row_at(c, at(A, "2020-01-01T00:00:00.000Z"), false)
            .unwrap()
            .is_none()
    );
}

/// Many versions of a few objects (and ids sharing all but their last UUID bytes), arriving
/// in scrambled order over many writes with repeats and conflicting repeats: every fate,
/// and the first and last of each object, agree with a plain model. (The write path keeps
/// only first and last versions in hand and finds a middle one by the index.)
pub fn versions_in_any_order_agree_with_a_model(s: &dyn Store) {
    use std::collections::BTreeMap;
    let c = setup(s);
    let ids: Vec<String> = (0..4)
        .map(|i| format!("indicator--00000000-0000-4000-8000-00000000000{i}"))
        .collect();
    let mut model: BTreeMap<(usize, u32), String> = BTreeMap::new();
    let mut x = 0x9e37_79b9_u64;
    let mut next = || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    for _ in 0..40 {
        let mut batch = Vec::new();
        let mut want = Vec::new();
        let mut in_batch: BTreeMap<(usize, u32), String> = BTreeMap::new();
        for _ in 0..(1 + next() % 12) {
            let (i, day) = ((next() % 4) as usize, (next() % 60) as u32);
            let modified = format!("2020-{:02}-{:02}T00:00:00.000Z", 1 + day / 28, 1 + day % 28);
            // Mostly the same content for the same version; now and then another.
            let extra = if next() % 5 == 0 {
                r#","name":"other""#
            } else {
                ""
            };
            let known = model.get(&(i, day)).or(in_batch.get(&(i, day)));
            want.push(match known {
                None => "added",
                Some(e) if e == extra => "present",
                Some(_) => "conflict",
            });
            if known.is_none() {
                in_batch.insert((i, day), extra.to_owned());
            }
            batch.push(obj(&ids[i], &modified, extra));
        }
        let fates = s.add_objects(c, &batch, None, &mut entry).unwrap();
        let got: Vec<&str> = fates
            .iter()
            .map(|f| match f {
                AddOutcome::Added { .. } => "added",
                AddOutcome::AlreadyPresent { .. } => "present",
                AddOutcome::Conflict { .. } => "conflict",
            })
            .collect();
        assert_eq!(got, want);
        model.extend(in_batch);
        let all = all_versions(s, c);
        assert_eq!(all.len(), model.len());
        for (i, id) in ids.iter().enumerate() {
            let mine: Vec<&Row> = all.iter().filter(|r| &r.id == id).collect();
            let days: Vec<u32> = model.keys().filter(|k| k.0 == i).map(|k| k.1).collect();
            assert_eq!(mine.len(), days.len());
            let firsts = mine.iter().filter(|r| r.first).count();
            let lasts = mine.iter().filter(|r| r.last).count();
            assert_eq!(
                (firsts, lasts),
                if days.is_empty() { (0, 0) } else { (1, 1) }
            );
            if let (Some(min), Some(max)) = (
                mine.iter().map(|r| &r.version).min(),
                mine.iter().map(|r| &r.version).max(),
            ) {
                assert!(mine.iter().any(|r| r.first && &r.version == min));
                assert!(mine.iter().any(|r| r.last && &r.version == max));
            }
        }
    }
}
