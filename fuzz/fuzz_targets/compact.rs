//! `stix::compact` against serde_json: for any valid JSON text, the compacted text is the
//! same JSON value and has no whitespace outside strings; `compact_checked` is `compact`
//! after `shape::check`.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(value) = serde_json::from_str::<serde_json::Value>(text) else { return };
    let compacted = stix::compact::compact(text);
    let again: serde_json::Value =
        serde_json::from_str(&compacted).expect("compacted text is JSON");
    assert_eq!(value, again);
    assert!(compacted.len() <= text.len());
    // Re-compacting changes nothing.
    assert_eq!(stix::compact::compact(&compacted), compacted);
    // The one-pass form validation uses is compaction and the shape check.
    assert_eq!(
        stix::compact::compact_checked(text),
        stix::shape::check(text).map(|()| compacted)
    );
});
