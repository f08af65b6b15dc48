//! The peer client against a real (hostile) HTTP server on loopback: an answer larger than
//! the client takes is refused rather than buffered, and an unsigned one is not used.

use ed25519_dalek::SigningKey;
use federation::client::PeerClient;
use federation::request::Identity;
use std::io::{Read, Write};
use std::time::Duration;

/// A server that answers every request with `body` (claiming its length when `declare`,
/// else chunked, so the client learns the size only by reading).
fn serve(body: Vec<u8>, declare: bool) -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut s) = stream else { continue };
            let mut buf = [0u8; 4096];
            let _ = s.read(&mut buf);
            let head = if declare {
                format!("HTTP/1.1 200 OK\r\nContent-Length: {}\r\n\r\n", body.len())
            } else {
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n".to_owned()
            };
            let _ = s.write_all(head.as_bytes());
            if declare {
                let _ = s.write_all(&body);
            } else {
                for chunk in body.chunks(1 << 16) {
                    let _ = write!(s, "{:x}\r\n", chunk.len());
                    let _ = s.write_all(chunk);
                    let _ = s.write_all(b"\r\n");
                }
                let _ = s.write_all(b"0\r\n\r\n");
            }
        }
    });
    format!("http://{addr}/")
}

fn client(url: &str, limit: u64) -> PeerClient {
    let me = Identity {
        authority: "ir-csirt".into(),
        key: SigningKey::from_bytes(&[1; 32]),
    };
    PeerClient::new(
        "ru-csirt",
        url,
        SigningKey::from_bytes(&[2; 32]).verifying_key(),
        me,
        Duration::from_secs(10),
    )
    .unwrap()
    .with_answer_limit(limit)
}

#[test]
fn an_answer_larger_than_the_limit_is_refused_declared_or_not() {
    for declare in [true, false] {
        let url = serve(vec![b'x'; 300_000], declare);
        let err = client(&url, 100_000)
            .fetch("GET", "taxii2/", None)
            .err()
            .expect("too large");
        assert!(
            err.to_string().contains("larger than 100000 bytes"),
            "{err}"
        );
        let small = client(&url, 1_000_000)
            .fetch("GET", "taxii2/", None)
            .unwrap();
        assert_eq!(small.body.len(), 300_000);
        assert!(small.authentic.is_err(), "nobody signed it");
    }
}
