//! Bad input at scale: each problem is reported with its file (and record or byte), the rest
//! of the batch is read, the summary counts it, and the exit status says so.

mod common;

use common::*;
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};

const GOOD: &str = "Shelling killed 3 people in the old market.";

fn record(uri: &str, html: &str) -> Vec<u8> {
    let block = format!("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n{html}");
    format!(
        "WARC/1.0\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:{uri}>\r\nWARC-Target-URI: {uri}\r\n\
         Content-Type: application/http; msgtype=response\r\nContent-Length: {}\r\n\r\n{block}\r\n\r\n",
        block.len()
    )
    .into_bytes()
}

#[test]
fn truncated_gzip_keeps_what_came_before() {
    let dir = scratch("bad_gzip");
    let lines: String =
        (0..20_000).map(|i| format!("{{\"id\": \"t{i}\", \"text\": \"Item {i}: {GOOD}\"}}\n")).collect();
    let mut gz = gzip(lines.as_bytes());
    gz.truncate(gz.len() * 2 / 3);
    std::fs::write(dir.join("a-cut.jsonl.gz"), gz).unwrap();
    std::fs::write(dir.join("b-good.txt"), GOOD).unwrap();
    let out = tally(&["extract", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("a-cut.jsonl.gz:"), "{err}");
    assert!(err.contains(": gzip data broken after "), "{err}");
    let docs = docs_of(&out);
    assert!(docs.len() > 1000 && docs.len() < 20_000, "the documents before the cut are read: {}", docs.len());
    assert_eq!(docs.last().unwrap(), "b-good.txt", "the next input is read");
    assert!(err.contains("1 inputs failed"), "{err}");
}

#[test]
fn a_warc_record_with_a_wrong_length() {
    let dir = scratch("bad_warc");
    let mut warc = record("https://n.example/1", &format!("<p>{GOOD}</p>"));
    let mut bad = String::from_utf8(record("https://n.example/2", "<p>Ten people were killed.</p>")).unwrap();
    let len: usize = bad.split("Content-Length: ").nth(1).unwrap().split('\r').next().unwrap().parse().unwrap();
    bad = bad.replace(&format!("Content-Length: {len}"), &format!("Content-Length: {}", len + 30));
    let bad_at = warc.len();
    warc.extend(bad.as_bytes());
    warc.extend(record("https://n.example/3", &format!("<p>{GOOD}</p>")));
    let path = dir.join("crawl.warc.gz");
    // Gzip per record, as crawlers write them.
    let mut gz = Vec::new();
    let bad_end = bad_at + bad.len();
    for part in [&warc[..bad_at], &warc[bad_at..bad_end], &warc[bad_end..]] {
        gz.extend(gzip(part));
    }
    // Named by the stored byte of its gzip member, as Common Crawl's index does.
    let member_2 = gzip(&warc[..bad_at]).len();
    assert_ne!(member_2, bad_at);
    std::fs::write(&path, gz).unwrap();
    let out = tally(&["extract", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    let expected =
        format!("error: {}: byte {member_2}: record 2: Content-Length {} does not match", path.display(), len + 30);
    assert!(err.contains(&expected), "{err}");
    assert_eq!(docs_of(&out), ["urn:uuid:https://n.example/1", "urn:uuid:https://n.example/3"]);
}

#[test]
fn broken_html_a_50_mb_script_and_a_bad_charset() {
    let dir = scratch("bad_html");
    let script = "var a = '<p>99 killed</p>'; if (a < 3) { b(); }\n".repeat(50_000_000 / 48);
    let big = format!("<html><head><script>{script}</script></head><body><p>{GOOD}</p></body></html>");
    std::fs::write(dir.join("a-script.html"), big).unwrap();
    std::fs::write(
        dir.join("b-nesting.html"),
        "<div><p>Five soldiers <b>were <i>killed</b> in</i> the raid.<p>Two <td>more</div></span>",
    )
    .unwrap();
    let charset = "<html><head><meta charset=\"x-no-such-charset\"></head><body><p>Seven civilians were wounded.</p></body></html>";
    std::fs::write(dir.join("c-charset.html"), charset).unwrap();
    let out = tally(&["extract", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "warnings are not failures: {}", stderr(&out));
    assert_eq!(docs_of(&out), ["a-script.html", "b-nesting.html", "c-charset.html"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!text.contains("99 killed"), "script text is not article text");
    let err = stderr(&out);
    assert!(err.contains("c-charset.html: unknown charset \"x-no-such-charset\" declared in <meta>, ignored"), "{err}");
}

#[test]
fn a_decompression_bomb_stops_at_the_limit() {
    let dir = scratch("bomb");
    // 300 MB of zeros in ~300 KB: past 64 MiB + 200 x the compressed size.
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    let zeros = vec![0u8; 1 << 20];
    for _ in 0..300 {
        e.write_all(&zeros).unwrap();
    }
    std::fs::write(dir.join("a-bomb.jsonl.gz"), e.finish().unwrap()).unwrap();
    std::fs::write(dir.join("b-good.txt"), GOOD).unwrap();
    let out = tally(&["extract", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("a-bomb.jsonl.gz:1: decompressed data exceeds the limit"), "{err}");
    assert!(err.contains("likely decompression bomb"), "{err}");
    assert_eq!(docs_of(&out), ["b-good.txt"]);
}

#[test]
fn a_file_that_vanishes_after_the_listing() {
    let dir = scratch("vanish");
    let docs = dir.join("docs");
    std::fs::create_dir_all(&docs).unwrap();
    std::fs::write(docs.join("a.txt"), GOOD).unwrap();
    std::fs::write(docs.join("b.txt"), GOOD).unwrap();
    // stdin comes first: tally has listed the directory and waits on stdin when the bad
    // line's error appears; then b.txt goes, then stdin ends and the directory is read.
    let mut child = Command::new(env!("CARGO_BIN_EXE_tally"))
        .args(["extract", "-", docs.to_str().unwrap(), "-j", "1"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(b"not json\n").unwrap();
    stdin.flush().unwrap();
    let mut err = BufReader::new(child.stderr.take().unwrap());
    let mut first = String::new();
    err.read_line(&mut first).unwrap();
    assert!(first.starts_with("error: <stdin>:1: malformed JSON"), "{first}");
    std::fs::remove_file(docs.join("b.txt")).unwrap();
    drop(stdin);
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut err, &mut rest).unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(rest.contains(&format!("error: {}: no such file or directory", docs.join("b.txt").display())), "{rest}");
    assert_eq!(docs_of(&out), ["a.txt"]);
    assert!(rest.contains("2 inputs failed"), "{rest}");
}

/// As root, permissions do not stop reading, so the test drops to `nobody` with `setpriv`
/// (util-linux); only when neither running unprivileged nor able to drop privileges is it
/// skipped, with the reason printed. The mapping of EACCES itself is unit-tested in
/// tally-read.
#[test]
fn permission_denied() {
    // `nobody` must reach the files and the binary, wherever the checkout lives (a clean
    // clone in a private temporary directory, say): both go to a world-readable directory.
    let dir = std::env::temp_dir().join(format!("tally-denied-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    set_mode(&dir, 0o755);
    let bin_copy = dir.join("tally");
    std::fs::copy(env!("CARGO_BIN_EXE_tally"), &bin_copy).unwrap();
    set_mode(&bin_copy, 0o755);
    let secret = dir.join("secret.txt");
    std::fs::write(&secret, GOOD).unwrap();
    let open = dir.join("open.txt");
    std::fs::write(&open, GOOD).unwrap();
    set_mode(&secret, 0o000);
    set_mode(&open, 0o644);
    let bin = bin_copy.to_str().unwrap();
    let args = ["extract", secret.to_str().unwrap(), open.to_str().unwrap()];
    let out = if !is_root() {
        tally(&args)
    } else if Command::new("setpriv").arg("--version").output().is_ok_and(|o| o.status.success()) {
        Command::new("setpriv")
            .args(["--reuid=65534", "--regid=65534", "--clear-groups", bin])
            .args(args)
            .stdin(Stdio::null())
            .output()
            .unwrap()
    } else {
        eprintln!("permission_denied skipped: running as root and setpriv is not available");
        return;
    };
    let err = stderr(&out);
    assert!(err.contains(&format!("error: {}: permission denied", secret.display())), "{err}");
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert_eq!(docs_of(&out), ["open.txt"]);
    let _ = std::fs::remove_dir_all(&dir);
}

fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

fn is_root() -> bool {
    Command::new("id").arg("-u").output().is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}
