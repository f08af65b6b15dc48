//! `federation::canonical::text` (RFC 8785 without a tree) against serde_jcs: for any JSON
//! text without repeated member names, the same bytes. Integers beyond ±2^53 are left out
//! of the comparison: RFC 8785 writes every number as the IEEE double it denotes
//! (1101010101100101010 becomes 1101010101100101000), while serde_jcs writes serde_json's
//! exact integers as they are; and objects where a member name is another's followed by a
//! space or `!` are left out: serde_jcs sorts names with their quotes (`"a b"` before
//! `"a"`, as ` ` and `!` sort before `"`), RFC 8785 (and the `rfc8785` package from PyPI)
//! puts `a` first (both found by this target).
#![no_main]
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

fn exact_beyond_doubles(v: &Value) -> bool {
    match v {
        Value::Number(n) => n
            .as_i64()
            .map(|i| i.unsigned_abs())
            .or(n.as_u64())
            .is_some_and(|u| u > 1 << 53),
        Value::Array(a) => a.iter().any(exact_beyond_doubles),
        Value::Object(o) => o.values().any(exact_beyond_doubles),
        _ => false,
    }
}

fn prefix_names(v: &Value) -> bool {
    match v {
        Value::Array(a) => a.iter().any(prefix_names),
        Value::Object(o) => {
            o.keys()
                .any(|k| {
                    o.keys().any(|l| {
                        l.strip_prefix(k.as_str())
                            .is_some_and(|rest| rest.starts_with([' ', '!']))
                    })
                })
                || o.values().any(prefix_names)
        }
        _ => false,
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let mut ours = Vec::new();
    let mine = federation::canonical::text(text, &mut ours);
    let Ok(value) = serde_json::from_str::<Value>(text) else {
        assert!(mine.is_err(), "canonicalised what is not JSON");
        return;
    };
    if exact_beyond_doubles(&value) || prefix_names(&value) {
        return;
    }
    let Ok(reference) = serde_jcs::to_vec(&value) else { return };
    if mine.is_ok() {
        assert_eq!(
            String::from_utf8_lossy(&ours),
            String::from_utf8_lossy(&reference)
        );
    }
});
