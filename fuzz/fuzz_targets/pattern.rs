//! The STIX pattern parser never panics (nor overflows its stack: nesting is bounded), and
//! what it accepts can be walked for the index.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(p) = stix::pattern::parse(text) {
        for e in p.equalities() {
            let _ = e;
        }
        let _ = stix::observable::of_pattern(&p);
    }
});
