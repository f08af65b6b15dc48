//! `stix::compact` against serde_json: for any valid JSON text, the compacted text is the
//! same JSON value and has no whitespace outside strings. `stix::scan::object`, validation's
//! one pass, against what it replaced (serde_json's parse into properties, `shape::check`,
//! `compact`): the same texts read, with the same properties and compacted text.
#![no_main]
use libfuzzer_sys::fuzz_target;
use serde::de::{Deserializer, MapAccess, Visitor};
use serde_json::value::RawValue;

/// Top-level properties as serde_json reads them: each name and its value's raw text.
struct Members(Vec<(String, String)>);

impl<'de> serde::Deserialize<'de> for Members {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Members;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<M: MapAccess<'de>>(self, mut m: M) -> Result<Members, M::Error> {
                let mut out = Vec::new();
                while let Some(k) = m.next_key::<String>()? {
                    out.push((k, m.next_value::<&RawValue>()?.get().to_owned()));
                }
                Ok(Members(out))
            }
        }
        d.deserialize_map(V)
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let scanned = stix::scan::object(text);
    let reference = serde_json::from_str::<Members>(text)
        .ok()
        .filter(|_| stix::shape::check(text).is_ok());
    match (&scanned, &reference) {
        (Ok(s), Some(m)) => {
            let ours: Vec<(String, String)> =
                s.props.0.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
            assert_eq!(ours, m.0);
            assert_eq!(s.compact, stix::compact::compact(text));
        }
        (Err(_), None) => {}
        _ => panic!("scan {:?} but reference {}", scanned.as_ref().err(), reference.is_some()),
    }
    let Ok(value) = serde_json::from_str::<serde_json::Value>(text) else { return };
    let compacted = stix::compact::compact(text);
    let again: serde_json::Value =
        serde_json::from_str(&compacted).expect("compacted text is JSON");
    assert_eq!(value, again);
    assert!(compacted.len() <= text.len());
    // Re-compacting changes nothing.
    assert_eq!(stix::compact::compact(&compacted), compacted);
});
