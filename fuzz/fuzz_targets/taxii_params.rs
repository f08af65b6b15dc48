//! TAXII query parameters: any query string is parsed or refused with a 400, never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    for allowed in [taxii::params::OBJECTS, taxii::params::OBJECT, taxii::params::VERSIONS] {
        if let Err(e) = taxii::params::parse(Some(text), allowed) {
            assert_eq!(e.status, 400);
        }
    }
});
