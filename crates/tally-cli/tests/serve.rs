//! `tally serve` and `tally demo --serve` as users start them: the binary on a real port,
//! answering the pages and the API, and refusing bad starts with a clear message.

mod common;

use common::{scratch, stderr, tally};
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use tally_serve::client::Client;

/// Starts `tally args...` and waits for the "serving ... on http://ADDR/" line.
fn start(args: &[&str]) -> (Child, std::net::SocketAddr) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_tally"))
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("tally runs");
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let addr = loop {
        let line = lines.next().expect("tally serve printed its address").unwrap();
        if let Some(rest) = line.split(" on http://").nth(1) {
            break rest.trim_end_matches(|c| c != '/').trim_end_matches('/').parse().unwrap();
        }
    };
    // Keep draining stderr so the server never blocks on a full pipe.
    std::thread::spawn(move || lines.for_each(drop));
    (child, addr)
}

#[test]
fn demo_serve_builds_the_demo_ledger_and_serves_it() {
    let dir = scratch("serve-demo");
    let db = dir.join("demo.db");
    let (mut child, addr) =
        start(&["demo", "--serve", "--db", db.to_str().unwrap(), "--bind", "127.0.0.1:0", "--top", "1"]);
    assert!(addr.ip().is_loopback());
    let mut c = Client::new(addr);
    let overview = c.get("/api/overview").unwrap();
    assert_eq!(overview.status, 200);
    assert_eq!(overview.json()["counts"]["documents"], 804);
    let page = c.get("/").unwrap();
    assert_eq!(page.status, 200);
    assert!(page.text().contains("Most contested incidents"));
    // Read-only: no token was given.
    assert_eq!(c.request("POST", "/api/documents", &[], b"{}").unwrap().status, 403);
    child.kill().unwrap();
    child.wait().unwrap();
}

#[test]
fn bad_starts_say_why() {
    let dir = scratch("serve-bad");
    let missing = dir.join("missing.db");
    let out = tally(&["serve", "--db", missing.to_str().unwrap(), "--bind", "127.0.0.1:0"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("no ledger at") && stderr(&out).contains("tally ingest"), "{}", stderr(&out));
    assert!(!missing.exists(), "serving must not create a ledger");
    let out = tally(&["serve", "--db", missing.to_str().unwrap(), "--write-token", "short"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("at least 16 characters"));
    let out = tally(&["serve", "--bind", "not-an-address"]);
    assert_eq!(out.status.code(), Some(2));
}
