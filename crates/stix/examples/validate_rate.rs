//! Validation rate over a bundle (a profiling aid): `cargo run --release -p stix --example
//! validate_rate -- bundle.json`.

fn main() {
    let path = std::env::args().nth(1).expect("a bundle file");
    let text = std::fs::read_to_string(&path).expect("readable bundle");
    let raws = stix::document::objects(&text).expect("a bundle");
    for round in 0..3 {
        let started = std::time::Instant::now();
        let mut held = 0usize;
        for raw in &raws {
            let o = stix::validate(raw).expect("valid");
            held += o.holdings.values.len();
        }
        let secs = started.elapsed().as_secs_f64();
        println!(
            "round {round}: {:.0} objects/s ({held} bytes held)",
            raws.len() as f64 / secs
        );
    }
}
