//! The streaming reader of bundles and envelopes against the in-memory one (serde_json):
//! the same verdict and, when both accept, the same objects in the same order. The stream
//! finds each element's extent by its structure and leaves parsing it to the receiver
//! (which refuses a malformed one as that object's rejection), so where only the memory
//! reader refuses, some element handed over must be one that does not parse. The stream is
//! fed in small reads so that the window moves.
#![no_main]
use libfuzzer_sys::fuzz_target;
use std::io::Read;

/// A reader that hands out at most 7 bytes at a time.
struct Trickle<'a>(&'a [u8]);

impl Read for Trickle<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = buf.len().min(7).min(self.0.len());
        buf[..n].copy_from_slice(&self.0[..n]);
        self.0 = &self.0[n..];
        Ok(n)
    }
}

fuzz_target!(|data: &[u8]| {
    let mut streamed = Vec::new();
    let s = stix::stream::for_each_object(Trickle(data), |o| streamed.push(o.to_owned()));
    let Ok(text) = std::str::from_utf8(data) else {
        // Not text: the in-memory reader cannot take it; the stream must not accept it.
        assert!(s.is_err());
        return;
    };
    match stix::document::objects(text) {
        Ok(objects) => {
            assert!(s.is_ok(), "stream refused what memory accepted: {s:?}");
            let texts: Vec<String> = objects.iter().map(|o| o.get().to_owned()).collect();
            assert_eq!(streamed, texts);
        }
        Err(_) => assert!(
            s.is_err()
                || streamed.iter().any(|o| {
                    serde_json::from_str::<serde::de::IgnoredAny>(o).is_err()
                }),
            "stream accepted what memory refused, every element valid"
        ),
    }
});
