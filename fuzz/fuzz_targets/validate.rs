//! Object validation: any text is accepted or refused with a reason, never a panic; what
//! is accepted is JSON within the depth limit.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(o) = stix::validate_str(text) {
        assert!(stix::shape::check(&o.json).is_ok());
        assert!(serde_json::from_str::<Box<serde_json::value::RawValue>>(&o.json).is_ok());
    }
});
