//! How the CLI behaves as a tool among others: output into a pipe that closes early, lists
//! that say `none`, addresses by host name, completions and a manual page.

mod common;

use common::*;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

#[test]
fn output_into_a_pipe_closed_early_ends_quietly() {
    // Larger than a pipe's buffer, so the writer meets the closed pipe.
    let mut child = Command::new(BIN)
        .args(["completions", "bash"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    assert!(first.starts_with("_symbolon"), "{first}");
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success() && !err.contains("panicked"), "{err}");
}

#[test]
fn empty_lists_say_none_under_their_header() {
    let dir = fresh();
    let peers = ok(cli(dir.path(), &["peer", "list"]));
    assert_eq!(
        peers,
        "PEER\tURL\tWITNESSED LOG SIZE\tSTATE\tPUBLIC KEY\nnone\n"
    );
    let colls = ok(cli(dir.path(), &["collection", "list"]));
    assert_eq!(colls, "ID\tAPI ROOT\tALIAS\tTITLE\nnone\n");
    let id = create_collection(dir.path(), "c");
    let colls = ok(cli(dir.path(), &["collection", "list"]));
    assert!(colls.starts_with("ID\t") && colls.contains(&id) && !colls.contains("none"));
}

#[test]
fn a_host_name_is_a_listen_address() {
    let dir = fresh();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let node = Node::start_on(dir.path(), &format!("localhost:{port}"), &[]);
    let h = Node::client()
        .get(format!("http://127.0.0.1:{port}/healthz"))
        .send()
        .unwrap();
    assert_eq!(h.status(), 200);
    drop(node);
    let bad = cli(dir.path(), &["serve", "--listen", "no-port-here"]);
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("give HOST:PORT"));
}

#[test]
fn completions_and_a_manual_page() {
    for shell in ["bash", "zsh", "fish"] {
        let out = Command::new(BIN)
            .args(["completions", shell])
            .output()
            .unwrap();
        assert!(out.status.success() && out.stdout.len() > 1000, "{shell}");
    }
    let man = Command::new(BIN).arg("man").output().unwrap();
    let text = String::from_utf8(man.stdout).unwrap();
    assert!(
        text.contains(".TH symbolon 1") && text.contains("Exit status"),
        "{text}"
    );
}
