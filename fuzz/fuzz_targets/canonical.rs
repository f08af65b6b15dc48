//! `federation::canonical::text` (RFC 8785 without a tree) against serde_jcs: for any JSON
//! text without repeated member names, the same bytes.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let mut ours = Vec::new();
    let mine = federation::canonical::text(text, &mut ours);
    let Ok(value) = serde_json::from_str::<serde_json::Value>(text) else {
        assert!(mine.is_err(), "canonicalised what is not JSON");
        return;
    };
    let Ok(reference) = serde_jcs::to_vec(&value) else { return };
    if mine.is_ok() {
        assert_eq!(
            String::from_utf8_lossy(&ours),
            String::from_utf8_lossy(&reference)
        );
    }
});
