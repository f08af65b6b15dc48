//! Agreement files: any text is read or refused with a reason, never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let _ = policy::agreement::Agreement::parse(text);
});
