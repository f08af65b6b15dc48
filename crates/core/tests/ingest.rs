//! A large write is admitted on a helper thread while it is written: its verdicts, what it
//! stores and the audit log's account of it are exactly those of the same objects written
//! in small requests (admitted and written one after the other).

mod common;

use symbolon_core::Caller;
use symbolon_core::ingest::Verdict;

/// 700 objects: indicators, every seventh one invalid, one repeated as it was, one held
/// with other content under the same version (a conflict).
fn objects() -> Vec<String> {
    let mut texts: Vec<String> = (0..700u32)
        .map(|n| {
            if n % 7 == 3 {
                format!(r#"{{"type":"indicator","id":"indicator--bad-{n}"}}"#)
            } else {
                common::indicator(n, "2024-01-01T00:00:00.000Z", None)
            }
        })
        .collect();
    texts[501] = texts[8].clone();
    texts[601] = common::indicator(9, "2024-01-01T00:00:00.000Z", None)
        .replace("203.0.113.9", "198.51.100.9");
    texts
}

fn ingest(
    n: &common::Node,
    coll: &store::Collection,
    texts: &[String],
    per_request: usize,
) -> Vec<Verdict> {
    let op = n.core.operator().clone();
    let caller = Caller {
        principal: &op,
        purpose: None,
    };
    let raws: Vec<_> = texts.iter().map(|t| common::raw(t)).collect();
    let refs: Vec<&serde_json::value::RawValue> = raws.iter().map(|r| r.as_ref()).collect();
    refs.chunks(per_request)
        .flat_map(|chunk| n.core.ingest(&caller, "add", coll, chunk, None).unwrap())
        .collect()
}

#[test]
fn a_large_write_decides_and_stores_exactly_what_small_ones_do() {
    let n = common::bare();
    let large = n
        .core
        .create_collection("large", Some("large"), None, None)
        .unwrap();
    let small = n
        .core
        .create_collection("small", Some("small"), None, None)
        .unwrap();
    let texts = objects();
    let at_once = ingest(&n, &large, &texts, texts.len());
    let in_pieces = ingest(&n, &small, &texts, 50);
    assert_eq!(at_once.len(), texts.len());
    assert_eq!(at_once, in_pieces);
    for (i, v) in at_once.iter().enumerate() {
        match v {
            Verdict::Refused(_) => assert_eq!(i % 7, 3, "{i}: {v:?}"),
            Verdict::Conflict { .. } => assert_eq!(i, 601, "{v:?}"),
            Verdict::Stored { added, .. } => assert_eq!(*added, i != 501, "{i}: {v:?}"),
        }
    }
    let report = n.core.verify_audit().unwrap();
    assert!(report.tamper.is_none());
    for c in &report.collections {
        assert_eq!(c.problem_count, 0, "{c:?}");
    }
    let stored = 700 - 100 - 2;
    for c in [&large, &small] {
        let counted = report
            .collections
            .iter()
            .find(|r| r.id == c.id)
            .map(|r| r.stored)
            .unwrap();
        assert_eq!(counted, stored as u64);
    }
}

#[test]
fn large_writes_at_once_all_finish() {
    // Each request's writer may wait for the store's write lock while the one helper
    // thread admits another request's objects: neither may wait on the other.
    let n = std::sync::Arc::new(common::bare());
    let coll = n
        .core
        .create_collection("busy", Some("busy"), None, None)
        .unwrap();
    let writers: Vec<_> = (0..8u32)
        .map(|w| {
            let (n, coll) = (n.clone(), coll.clone());
            std::thread::spawn(move || {
                let texts: Vec<String> = (0..3000u32)
                    .map(|i| common::indicator(w * 10_000 + i, "2024-01-01T00:00:00.000Z", None))
                    .collect();
                ingest(&n, &coll, &texts, texts.len())
            })
        })
        .collect();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
    while !writers.iter().all(|w| w.is_finished()) {
        assert!(
            std::time::Instant::now() < deadline,
            "concurrent large writes did not finish: deadlocked"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    for w in writers {
        let verdicts = w.join().unwrap();
        assert_eq!(verdicts.len(), 3000);
        assert!(
            verdicts
                .iter()
                .all(|v| matches!(v, Verdict::Stored { added: true, .. }))
        );
    }
}
