//! Synthetic STIX 2.1 indicators for volume benchmarks (about 380 bytes each), generated
//! deterministically: stix2-generator manages ~30 objects/s, far too slow for a million.

use std::io::Write;

/// xorshift64*: fast, deterministic, good enough to fill UUID bits.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn uuid_v4(&mut self) -> String {
        let (a, b) = (self.next(), self.next());
        let hi = (a & 0xFFFF_FFFF_FFFF_0FFF) | 0x0000_0000_0000_4000;
        let lo = (b & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000;
        format!(
            "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
            hi >> 32,
            (hi >> 16) & 0xFFFF,
            hi & 0xFFFF,
            lo >> 48,
            lo & 0xFFFF_FFFF_FFFF
        )
    }
}

/// Writes a bundle of `n` indicators.
pub fn write_bundle(out: &mut dyn Write, n: usize, seed: u64) -> std::io::Result<()> {
    let mut rng = Rng(seed | 1);
    write!(
        out,
        "{{\"type\":\"bundle\",\"id\":\"bundle--{}\",\"objects\":[",
        rng.uuid_v4()
    )?;
    for i in 0..n {
        if i > 0 {
            out.write_all(b",")?;
        }
        let ip = rng.next();
        // Every fourth is TLP:GREEN, so serving to another party's authority reads markings.
        let marking = if i % 4 == 0 {
            ",\"object_marking_refs\":[\"marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb\"]"
        } else {
            ""
        };
        write!(
            out,
            "{{\"type\":\"indicator\",\"spec_version\":\"2.1\",\"id\":\"indicator--{}\",\"created\":\"2024-03-01T10:00:00.000Z\",\"modified\":\"2024-03-01T10:00:00.000Z\",\"name\":\"Scanner {i}\",\"description\":\"Host seen scanning critical information infrastructure\",\"indicator_types\":[\"malicious-activity\"],\"pattern\":\"[ipv4-addr:value = '{}.{}.{}.{}']\",\"pattern_type\":\"stix\",\"valid_from\":\"2024-03-01T10:00:00Z\",\"labels\":[\"synthetic\"]{marking}}}",
            rng.uuid_v4(),
            ip & 0xFF,
            (ip >> 8) & 0xFF,
            (ip >> 16) & 0xFF,
            (ip >> 24) & 0xFF
        )?;
    }
    out.write_all(b"]}")
}
