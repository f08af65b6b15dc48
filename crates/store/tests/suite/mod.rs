//! The behaviour every backend must have. Each backend runs these through `backend_suite!`.

use serde_json::value::RawValue;
use std::ops::ControlFlow;
use store::{AddOutcome, Filter, NewCollection, Row, Store, VersionSel};

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

/// The versions a scan selects with one `match[version]` value.
pub fn versions(s: &dyn Store, coll: i64, sel: VersionSel) -> Vec<String> {
    let f = Filter {
        versions: vec![sel],
        ..Default::default()
    };
    rows(s, coll, &f).into_iter().map(|r| r.version).collect()
}

pub fn setup(s: &dyn Store) -> i64 {
    s.create_api_root(&store::ApiRoot {
        name: "api1".into(),
        title: "t".into(),
        description: None,
        max_content_length: 1 << 20,
    })
    .unwrap();
    s.create_collection(&NewCollection {
        title: "c".into(),
        alias: Some("c".into()),
        ..Default::default()
    })
    .unwrap()
    .key
}

pub fn identical_repost_is_already_present(s: &dyn Store) {
    let c = setup(s);
    let o = obj(A, "2020-01-01T00:00:00.000Z", "");
    assert!(s.add_objects(c, std::slice::from_ref(&o), None).unwrap()[0].is_added());
    assert!(matches!(
        s.add_objects(c, &[o], None).unwrap()[0],
        AddOutcome::AlreadyPresent { .. }
    ));
    assert_eq!(
        rows(
            s,
            c,
            &Filter {
                versions: vec![VersionSel::All],
                ..Default::default()
            }
        )
        .len(),
        1
    );
}

pub fn same_version_with_other_content_conflicts(s: &dyn Store) {
    let c = setup(s);
    s.add_objects(c, &[obj(A, "2020-01-01T00:00:00.000Z", "")], None)
        .unwrap();
    let r = s
        .add_objects(
            c,
            &[obj(A, "2020-01-01T00:00:00.000Z", r#","name":"x""#)],
            None,
        )
        .unwrap();
    assert!(matches!(r[0], AddOutcome::Conflict { .. }));
}

pub fn date_added_strictly_increases_within_one_write(s: &dyn Store) {
    let c = setup(s);
    let objs: Vec<_> = (0..50)
        .map(|i| obj(A, &format!("2020-01-01T00:00:{i:02}.000Z"), ""))
        .collect();
    s.add_objects(c, &objs, None).unwrap();
    s.add_objects(c, &[obj(B, "2020-01-01T00:00:00.000Z", "")], None)
        .unwrap();
    let all = rows(
        s,
        c,
        &Filter {
            versions: vec![VersionSel::All],
            ..Default::default()
        },
    );
    assert_eq!(all.len(), 51);
    assert!(all.windows(2).all(|w| w[0].date_added < w[1].date_added));
}

pub fn first_and_last_follow_versions_not_arrival(s: &dyn Store) {
    let c = setup(s);
    s.add_objects(c, &[obj(A, "2020-01-02T00:00:00.000Z", "")], None)
        .unwrap();
    s.add_objects(c, &[obj(A, "2020-01-03T00:00:00.000Z", "")], None)
        .unwrap();
    s.add_objects(c, &[obj(A, "2020-01-01T00:00:00.000Z", "")], None)
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
    let outcomes = s.add_objects(c, &with_repost, None).unwrap();
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
    )
    .unwrap();
    assert_eq!(s.delete_object(c, A, &[VersionSel::Last], &[]).unwrap(), 1);
    let left = rows(s, c, &Filter::default());
    assert_eq!(left.len(), 1);
    assert_eq!(left[0].version, "2020-01-01T00:00:00.000Z");
    assert_eq!(s.delete_object(c, A, &[], &[]).unwrap(), 1);
    assert!(
        rows(
            s,
            c,
            &Filter {
                versions: vec![VersionSel::All],
                ..Default::default()
            }
        )
        .is_empty()
    );
}

pub fn deleting_the_newest_never_reuses_its_date_added(s: &dyn Store) {
    let c = setup(s);
    s.add_objects(c, &[obj(A, "2020-01-01T00:00:00.000Z", "")], None)
        .unwrap();
    let first = rows(s, c, &Filter::default())[0].date_added;
    s.delete_object(c, A, &[], &[]).unwrap();
    s.add_objects(c, &[obj(B, "2020-01-01T00:00:00.000Z", "")], None)
        .unwrap();
    assert!(rows(s, c, &Filter::default())[0].date_added > first);
}

pub fn collections_resolve_by_id_or_alias(s: &dyn Store) {
    setup(s);
    let c = s.collection(None, "c").unwrap().unwrap();
    assert_eq!(s.collection(Some("api1"), &c.id).unwrap().unwrap(), c);
    assert!(s.collection(Some("other"), "c").unwrap().is_none());
    assert!(
        s.create_collection(&NewCollection {
            title: "d".into(),
            alias: Some("c".into()),
            ..Default::default()
        })
        .is_err()
    );
}

pub fn users_and_grants_round_trip(s: &dyn Store) {
    let c = setup(s);
    let u = store::User {
        name: "ana".into(),
        password_hash: "h".into(),
        is_admin: false,
        kind: "authority:ru-nkcki".into(),
        purposes: vec!["incident-response".into(), "joint-threat-assessment".into()],
    };
    s.put_user(&u).unwrap();
    assert_eq!(s.user("ana").unwrap(), Some(u));
    s.set_grant(&store::Grant {
        user: "ana".into(),
        collection: c,
        can_read: true,
        can_write: false,
    })
    .unwrap();
    assert_eq!(s.grants("ana").unwrap().len(), 1);
    assert!(
        s.set_grant(&store::Grant {
            user: "nobody".into(),
            collection: c,
            can_read: true,
            can_write: false
        })
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
    s.add_stream(c, &mut batches.into_iter(), None, 4, &mut |b, f| {
        outcomes.extend(b.iter().zip(f).map(|(o, f)| f.outcome(o)))
    })
    .unwrap();
    assert_eq!(outcomes.len(), 15);
    assert!(outcomes.iter().all(AddOutcome::is_added));
    assert_eq!(rows(s, c, &Filter::default()).len(), 15);
}

pub fn add_stream_finds_its_own_earlier_objects_in_later_transactions(s: &dyn Store) {
    let c = setup(s);
    let v1 = obj(A, "2020-01-01T00:00:00.000Z", "");
    let v2 = obj(A, "2020-02-01T00:00:00.000Z", "");
    let other = obj(A, "2020-01-01T00:00:00.000Z", r#","name":"changed""#);
    let batches = vec![vec![v1.clone()], vec![v2], vec![v1], vec![other]];
    let mut outcomes = Vec::new();
    s.add_stream(c, &mut batches.into_iter(), None, 1, &mut |b, f| {
        outcomes.extend(b.iter().zip(f).map(|(o, f)| f.outcome(o)))
    })
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
                assert_eq!(s.delete_object(c, A, &[], &[]).unwrap(), 1);
                Some(vec![v1.clone()])
            }
            3 => {
                s.add_objects(c, &[obj(A, "2020-02-01T00:00:00.000Z", "")], None)
                    .unwrap();
                Some(vec![v3.clone()])
            }
            _ => None,
        }
    });
    let mut outcomes = Vec::new();
    s.add_stream(c, &mut batches, None, 1, &mut |b, f| {
        outcomes.extend(b.iter().zip(f).map(|(o, f)| f.outcome(o)))
    })
    .unwrap();
    assert!(outcomes.iter().all(AddOutcome::is_added), "{outcomes:?}");
    let all = rows(
        s,
        c,
        &Filter {
            versions: vec![VersionSel::All],
            ..Default::default()
        },
    );
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
    )
    .unwrap();
    s.add_objects(c, &[obj(B, "2020-01-01T00:00:00.000Z", "")], None)
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
    s.add_objects(c, std::slice::from_ref(&first), None)
        .unwrap();
    let after_first = s.marking_definitions_after(0).unwrap();
    assert_eq!(after_first.len(), 1);
    assert_eq!(after_first[0].1, first.json);
    s.add_objects(c, &[first, second.clone()], None).unwrap();
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
    assert!(s.put_record(&rec("c-1", "{\"a\":1}")).unwrap());
    assert!(s.put_record(&rec("c-2", "{\"a\":2}")).unwrap());
    // A second record with a held id changes nothing.
    assert!(!s.put_record(&rec("c-1", "{\"a\":3}")).unwrap());
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
        public_key: "00".repeat(32),
        halted: None,
        witnessed: None,
    };
    s.put_peer(&p).unwrap();
    p.witnessed = Some("{\"size\":3}".into());
    p.halted = Some("forked".into());
    s.put_peer(&p).unwrap();
    assert_eq!(s.peers().unwrap(), [p]);
}

fn sealed(n: usize) -> store::SealedPage {
    store::SealedPage {
        peer: "ru-csirt".into(),
        seal: "{\"size\":2}".into(),
        leaves: (0..n).map(|i| [i as u8; 32]).collect(),
    }
}

fn batch(objs: &[stix::StixObject], n: usize) -> store::SealedBatch {
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
        .add_sealed(c, &[batch(&objs, 2)], Some("ru-csirt"), Some(&cursor))
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
    let (page, idx) = s.provenance(c, stored[1].date_added).unwrap().unwrap();
    assert_eq!((page, idx), (sealed(2), 1));
    // The same page again (a peer repeating itself): nothing new, provenance unchanged.
    let again = s
        .add_sealed(c, &[batch(&objs, 2)], Some("ru-csirt"), Some(&cursor))
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
    s.add_sealed(c, &[b], Some("ru-csirt"), None).unwrap();
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
            Some(&moved)
        )
        .is_err()
    );
    assert_eq!(s.cursors("ru-csirt").unwrap(), [cursor]);
    assert!(rows(s, c, &Filter::default()).is_empty());
}

pub fn quarantined_pages_are_kept_apart_in_order(s: &dyn Store) {
    let c = setup(s);
    for reason in ["bad seal", "bad object"] {
        s.quarantine(&store::Quarantined {
            peer: "ru-csirt".into(),
            remote: "r".into(),
            at: 1,
            reason: reason.into(),
            objects: "[]".into(),
        })
        .unwrap();
    }
    let q = s.quarantined().unwrap();
    assert_eq!(
        q.iter().map(|(_, q)| q.reason.as_str()).collect::<Vec<_>>(),
        ["bad seal", "bad object"]
    );
    assert!(rows(s, c, &Filter::default()).is_empty());
}
