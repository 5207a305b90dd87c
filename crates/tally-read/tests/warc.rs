//! WARC archives through the public reader, as files are read: brotli-compressed HTTP
//! bodies, offsets into `.warc.gz` archives (the stored byte of the record's gzip member, as
//! Common Crawl's CDX index gives it), and records that are not documents summed up per
//! input. Archives are built here.

use std::io::Write;
use tally_read::{Event, Item};

/// `<html>…<p>An air strike killed 14 people in the village on Monday, residents
/// said.</p>…</html>` (173 bytes) compressed with brotli 1.2.1 (Python, quality 11).
const BROTLI_PAGE: &str = "1b9d00209c0576db05937acd419fa219b98dadeb1ae1fa410d0922a253c73485cda9179ae4099a829a5ce0f0\
    b70512b725dcbc6521a73b64c7d3bb4922222536d19016e2b56f55696c120c527a6958232d26a82f72590af863b48b0cff59b93a\
    c5850b868b0ba304";
const ARTICLE: &str = "An air strike killed 14 people in the village on Monday, residents said.";

fn unhex(hex: &str) -> Vec<u8> {
    let hex: Vec<u8> = hex.bytes().filter(u8::is_ascii_hexdigit).collect();
    hex.chunks(2).map(|p| u8::from_str_radix(std::str::from_utf8(p).unwrap(), 16).unwrap()).collect()
}

fn record(uri: &str, block: &[u8]) -> Vec<u8> {
    let mut r = format!(
        "WARC/1.0\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:{uri}>\r\nWARC-Target-URI: {uri}\r\n\
         Content-Type: application/http; msgtype=response\r\nContent-Length: {}\r\n\r\n",
        block.len()
    )
    .into_bytes();
    r.extend_from_slice(block);
    r.extend_from_slice(b"\r\n\r\n");
    r
}

fn http(headers: &str, body: &[u8]) -> Vec<u8> {
    let mut r = format!("HTTP/1.1 200 OK\r\n{headers}\r\n\r\n").into_bytes();
    r.extend_from_slice(body);
    r
}

fn html(uri: &str, text: &str) -> Vec<u8> {
    record(uri, &http("Content-Type: text/html", format!("<p>{text}</p>").as_bytes()))
}

fn brotli(uri: &str, compressed: &[u8]) -> Vec<u8> {
    record(uri, &http("Content-Type: text/html; charset=utf-8\r\nContent-Encoding: br", compressed))
}

/// Record 2 with a Content-Length 30 bytes too long.
fn too_long(uri: &str) -> Vec<u8> {
    let r = String::from_utf8(html(uri, "Ten people were killed.")).unwrap();
    let len: usize = r.split("Content-Length: ").nth(1).unwrap().split('\r').next().unwrap().parse().unwrap();
    r.replace(&format!("Content-Length: {len}"), &format!("Content-Length: {}", len + 30)).into_bytes()
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

/// What reading `bytes` as a file called `name` gives: document texts and events.
fn read(name: &str, bytes: Vec<u8>) -> (Vec<String>, Vec<Event>) {
    let (mut docs, mut events) = (Vec::new(), Vec::new());
    tally_read::read_stream(name, std::io::Cursor::new(bytes), &mut |i| match i {
        Item::Document(d) => docs.push(d.text),
        Item::Event(e) => events.push(e),
    });
    (docs, events)
}

#[test]
fn brotli_html_in_plain_and_gzipped_archives() {
    let records = [brotli("https://n.example/1", &unhex(BROTLI_PAGE)), html("https://n.example/2", "Two died.")];
    let plain = records.concat();
    let per_record: Vec<u8> = records.iter().flat_map(|r| gzip(r)).collect();
    let one_stream = gzip(&plain);
    for (name, bytes) in [("a.warc", plain), ("b.warc.gz", per_record), ("c.warc.gz", one_stream)] {
        let (docs, events) = read(name, bytes);
        assert_eq!(events, [], "{name}");
        assert_eq!(docs, [ARTICLE, "Two died."], "{name}");
    }
}

#[test]
fn a_corrupt_brotli_body_is_an_error_on_its_record_only() {
    let mut corrupt = unhex(BROTLI_PAGE);
    corrupt.truncate(70);
    let records = [
        html("https://n.example/1", "One died."),
        brotli("https://n.example/2", &corrupt),
        html("https://n.example/3", "Three died."),
    ];
    // Plain: the byte record 2 starts at; .gz: the stored byte of its member.
    let plain_at = records[0].len() as u64;
    let gz_at = gzip(&records[0]).len() as u64;
    let per_record: Vec<u8> = records.iter().flat_map(|r| gzip(r)).collect();
    for (name, bytes, at) in [("crawl.warc", records.concat(), plain_at), ("crawl.warc.gz", per_record, gz_at)] {
        let (docs, events) = read(name, bytes);
        assert_eq!(docs, ["One died.", "Three died."], "the batch goes on: {events:?}");
        assert_eq!(events.len(), 1, "{events:?}");
        let e = &events[0];
        assert!(e.is_error());
        assert_eq!((e.input(), e.offset()), (name, Some(at)));
        assert!(e.message().starts_with("record 2: brotli-compressed body is broken: "), "{e}");
        assert!(e.to_string().starts_with(&format!("error: {name}: byte {at}: record 2: brotli-")), "{e}");
    }
}

#[test]
fn events_in_a_warc_gz_name_the_records_gzip_member() {
    let records = [
        html("https://n.example/1", "One died."),
        too_long("https://n.example/2"),
        html("https://n.example/3", "Three died."),
    ];
    let members: Vec<Vec<u8>> = records.iter().map(|r| gzip(r)).collect();
    let member_2 = members[0].len() as u64;
    let (docs, events) = read("crawl.warc.gz", members.concat());
    assert_eq!(docs, ["One died.", "Three died."]);
    assert_eq!(events.len(), 1, "{events:?}");
    assert_eq!(events[0].offset(), Some(member_2), "the stored byte of member 2, not {}", records[0].len());
    assert!(events[0].message().starts_with("record 2: Content-Length "), "{}", events[0]);
    // That offset is where the record starts: the member there decompresses to it.
    let file = members.concat();
    let mut d = flate2::read::GzDecoder::new(&file[member_2 as usize..]);
    let mut first = Vec::new();
    std::io::Read::read_to_end(&mut d, &mut first).unwrap();
    assert_eq!(first, records[1]);

    // A member after the bad one is found by its offset too (a truncated last record).
    let mut cut = records.clone();
    cut[2].truncate(cut[2].len() - 20);
    let members: Vec<Vec<u8>> = cut.iter().map(|r| gzip(r)).collect();
    let member_3 = (members[0].len() + members[1].len()) as u64;
    let (_, events) = read("crawl.warc.gz", members.concat());
    assert_eq!(events.len(), 2, "{events:?}");
    assert_eq!(events[1].offset(), Some(member_3));
    assert!(events[1].message().starts_with("record 3: truncated: Content-Length "), "{}", events[1]);

    // zstd frames likewise.
    let zst = |d: &[u8]| ruzstd::encoding::compress_to_vec(d, ruzstd::encoding::CompressionLevel::Fastest);
    let frames: Vec<Vec<u8>> = records.iter().map(|r| zst(r)).collect();
    let (docs, events) = read("crawl.warc.zst", frames.concat());
    assert_eq!(docs.len(), 2);
    assert_eq!(events[0].offset(), Some(frames[0].len() as u64));
    assert!(events[0].message().starts_with("record 2: Content-Length "), "{}", events[0]);
}

#[test]
fn in_a_single_gzip_stream_the_message_says_where_in_it() {
    let records = [
        html("https://n.example/1", "One died."),
        too_long("https://n.example/2"),
        html("https://n.example/3", "Three died."),
    ];
    let (docs, events) = read("crawl.warc.gz", gzip(&records.concat()));
    assert_eq!(docs, ["One died.", "Three died."]);
    assert_eq!(events.len(), 1, "{events:?}");
    let e = &events[0];
    assert_eq!(e.offset(), Some(0), "the one member starts at byte 0");
    let expected = format!(
        "error: crawl.warc.gz: byte 0: record 2 (decompressed byte {} of its gzip member): Content-Length ",
        records[0].len()
    );
    assert!(e.to_string().starts_with(&expected), "{e}");
}

#[test]
fn responses_that_are_not_documents_are_summed_up_per_file() {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("warc_skips");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let mut records = vec![html("https://n.example/1", "One died.")];
    for i in 0..3 {
        records.push(record(&format!("https://n.example/{i}.png"), &http("Content-Type: image/png", b"\x89PNG")));
    }
    let moved = b"HTTP/1.1 301 Moved Permanently\r\nLocation: /x\r\nContent-Type: text/html\r\n\r\n";
    records.push(record("https://n.example/old", moved));
    let members: Vec<Vec<u8>> = records.iter().map(|r| gzip(r)).collect();
    std::fs::write(dir.join("a.warc.gz"), members.concat()).unwrap();
    std::fs::write(dir.join("b.txt"), "Five died.").unwrap();

    let run = |each_skip: bool| {
        let mut plan = tally_read::plan(&[dir.display().to_string()], &tally_read::Options::default()).unwrap();
        plan.each_skip = each_skip;
        let mut out = Vec::new();
        tally_read::read_plan(&plan, None, &mut |i| {
            out.push(match i {
                Item::Document(d) => d.text,
                Item::Event(e) => format!("{} [{}]", e, e.count()),
            })
        });
        out
    };
    let a = dir.join("a.warc.gz").display().to_string();
    // One line for the file, after its last record and before the next file; it counts 4.
    assert_eq!(
        run(false),
        [
            "One died.".to_string(),
            format!("skipped: {a}: 4 records that are not HTML or text documents (3 image/*, 1 3xx status); --verbose lists each [4]"),
            "Five died.".to_string(),
        ]
    );
    // Each on its own line, at its member's stored byte.
    let at = |i: usize| members[..i].iter().map(Vec::len).sum::<usize>();
    assert_eq!(
        run(true),
        [
            "One died.".to_string(),
            format!("skipped: {a}: byte {}: record 2: content is image/png, not a document [1]", at(1)),
            format!("skipped: {a}: byte {}: record 3: content is image/png, not a document [1]", at(2)),
            format!("skipped: {a}: byte {}: record 4: content is image/png, not a document [1]", at(3)),
            format!("skipped: {a}: byte {}: record 5: HTTP status 301 [1]", at(4)),
            "Five died.".to_string(),
        ]
    );
}
