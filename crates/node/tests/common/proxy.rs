//! A fault-injecting HTTP proxy between two nodes: passes requests on, or refuses the
//! connection, answers garbage, delays, or alters bytes of the answers to object requests
//! (keeping their length), as a test sets it. One request per connection (`Connection:
//! close`), so every fault applies from the next request on.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

#[derive(Clone, Debug)]
pub enum Fault {
    Pass,
    /// Accept and close at once (a peer that is down or restarting).
    Refuse,
    /// Answer every request with a body that is not JSON, unsigned.
    Garbage,
    /// In answers to object requests, replace `from` by `to` (same length).
    Tamper {
        from: String,
        to: String,
    },
    /// Wait this long before passing each request on.
    Slow(Duration),
    /// In answers to object requests, give the header `name` the value `value`.
    Header {
        name: String,
        value: String,
    },
}

pub struct Proxy {
    pub url: String,
    fault: Arc<Mutex<Fault>>,
    stop: Arc<AtomicBool>,
}

impl Proxy {
    /// A proxy in front of the node listening at `upstream` (`127.0.0.1:port`).
    pub fn start(upstream: &str) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}/", listener.local_addr().unwrap());
        let fault = Arc::new(Mutex::new(Fault::Pass));
        let stop = Arc::new(AtomicBool::new(false));
        let (f, s, up) = (fault.clone(), stop.clone(), upstream.to_owned());
        std::thread::spawn(move || {
            for conn in listener.incoming() {
                if s.load(Ordering::SeqCst) {
                    return;
                }
                let Ok(conn) = conn else { continue };
                let fault = f.lock().unwrap().clone();
                let up = up.clone();
                std::thread::spawn(move || {
                    let _ = serve(conn, &up, fault);
                });
            }
        });
        Proxy { url, fault, stop }
    }

    pub fn set(&self, f: Fault) {
        *self.fault.lock().unwrap() = f;
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(self.url.trim_start_matches("http://").trim_end_matches('/'));
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn content_length(head: &str) -> usize {
    head.lines()
        .find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.trim()
                .eq_ignore_ascii_case("content-length")
                .then(|| v.trim().parse().ok())?
        })
        .unwrap_or(0)
}

/// Reads one HTTP message head and its Content-Length body.
fn read_message(s: &mut TcpStream) -> std::io::Result<(String, Vec<u8>)> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 65536];
    let head_end = loop {
        if let Some(i) = find(&buf, b"\r\n\r\n") {
            break i;
        }
        let n = s.read(&mut chunk)?;
        if n == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let mut body = buf[head_end + 4..].to_vec();
    let want = content_length(&head);
    while body.len() < want {
        let n = s.read(&mut chunk)?;
        if n == 0 {
            break;
        }
        body.extend_from_slice(&chunk[..n]);
    }
    Ok((head, body))
}

fn without_connection_header(head: &str) -> String {
    head.lines()
        .filter(|l| !l.to_ascii_lowercase().starts_with("connection:"))
        .collect::<Vec<_>>()
        .join("\r\n")
}

fn serve(mut client: TcpStream, upstream: &str, fault: Fault) -> std::io::Result<()> {
    if matches!(fault, Fault::Refuse) {
        return Ok(());
    }
    let (head, body) = read_message(&mut client)?;
    if matches!(fault, Fault::Garbage) {
        let junk = b"<html>this is not TAXII</html>";
        write!(
            client,
            "HTTP/1.1 200 OK\r\nContent-Type: application/taxii+json;version=2.1\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            junk.len()
        )?;
        return client.write_all(junk);
    }
    if let Fault::Slow(d) = &fault {
        std::thread::sleep(*d);
    }
    let objects = head.lines().next().is_some_and(|l| l.contains("/objects/"));
    let mut up = TcpStream::connect(upstream)?;
    up.write_all(without_connection_header(&head).as_bytes())?;
    up.write_all(b"\r\nConnection: close\r\n\r\n")?;
    up.write_all(&body)?;
    let mut answer = Vec::new();
    up.read_to_end(&mut answer)?;
    if let (Fault::Tamper { from, to }, true) = (&fault, objects) {
        assert_eq!(from.len(), to.len(), "a tamper keeps the length");
        if let Some(start) = find(&answer, b"\r\n\r\n") {
            let mut i = start;
            while let Some(j) = find(&answer[i..], from.as_bytes()) {
                answer[i + j..i + j + from.len()].copy_from_slice(to.as_bytes());
                i += j + from.len();
            }
        }
    }
    if let (Fault::Header { name, value }, true) = (&fault, objects)
        && let Some(end) = find(&answer, b"\r\n\r\n")
    {
        let head = String::from_utf8_lossy(&answer[..end]).into_owned();
        let head: Vec<String> = head
            .split("\r\n")
            .map(|l| match l.split_once(':') {
                Some((k, _)) if k.eq_ignore_ascii_case(name) => format!("{k}: {value}"),
                _ => l.to_owned(),
            })
            .collect();
        let mut rebuilt = head.join("\r\n").into_bytes();
        rebuilt.extend_from_slice(&answer[end..]);
        answer = rebuilt;
    }
    client.write_all(&answer)
}
