//! Real-world inputs end to end: WARC archives, compressed JSON Lines, web pages, directories
//! with globs, stdin, languages, thread counts and progress output. Inputs are generated here.

mod common;

use common::*;

/// One WARC record (uncompressed).
fn record(kind: &str, uri: &str, block: &[u8]) -> Vec<u8> {
    let ct = if kind == "response" { "application/http; msgtype=response" } else { "application/warc-fields" };
    let mut r = format!(
        "WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Record-ID: <urn:uuid:{uri}>\r\nWARC-Target-URI: {uri}\r\n\
         Content-Type: {ct}\r\nContent-Length: {}\r\n\r\n",
        block.len()
    )
    .into_bytes();
    r.extend_from_slice(block);
    r.extend_from_slice(b"\r\n\r\n");
    r
}

fn response(content_type: &str, body: &[u8]) -> Vec<u8> {
    let mut r = format!("HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\n\r\n").into_bytes();
    r.extend_from_slice(body);
    r
}

fn page(title: &str, paragraphs: &[&str]) -> String {
    let body: String = paragraphs.iter().map(|p| format!("<p>{p}</p>")).collect();
    format!(
        "<!DOCTYPE html><html><head><title>{title}</title></head><body><nav><a href=\"/\">Home</a> \
         <a href=\"/w\">World</a></nav><article><h1>{title}</h1>{body}</article>\
         <footer>Copyright</footer></body></html>"
    )
}

/// A WARC.gz as crawlers write it: one gzip member per record.
fn warc_gz(records: &[Vec<u8>]) -> Vec<u8> {
    records.iter().flat_map(|r| gzip(r)).collect()
}

#[test]
fn a_directory_of_archives_pages_and_dumps() {
    let dir = scratch("formats_dir");
    let article = page(
        "Strike",
        &[
            "An air strike killed 14 people in the village on Monday, residents said, as fighting spread north.",
            "Rescue teams searched the ruins of three houses for survivors until late in the evening.",
        ],
    );
    let warc = warc_gz(&[
        record("warcinfo", "info", b"software: test\r\n"),
        record("request", "https://n.example/1", b"GET /1 HTTP/1.1\r\n\r\n"),
        record("response", "https://n.example/1", &response("text/html; charset=utf-8", article.as_bytes())),
        record("response", "https://n.example/logo.png", &response("image/png", b"\x89PNG")),
    ]);
    std::fs::write(dir.join("a-crawl.warc.gz"), warc).unwrap();
    std::fs::write(dir.join("b-dump.jsonl.gz"), gzip(b"{\"id\": \"gz1\", \"text\": \"Five soldiers were killed.\"}\n"))
        .unwrap();
    let zst = ruzstd::encoding::compress_to_vec(
        &b"{\"id\": \"zst1\", \"text\": \"Two medics were wounded.\"}\n"[..],
        ruzstd::encoding::CompressionLevel::Fastest,
    );
    std::fs::write(dir.join("c-dump.jsonl.zst"), zst).unwrap();
    std::fs::create_dir_all(dir.join("d-pages/page_files")).unwrap();
    std::fs::write(dir.join("d-pages/page.html"), page("Blast", &["A car bomb killed nine people at a checkpoint."]))
        .unwrap();
    std::fs::write(dir.join("d-pages/page_files/logo.png"), b"\x89PNG\0\0").unwrap();
    std::fs::write(dir.join("d-pages/page_files/app.js"), b"var x = 1;").unwrap();
    std::fs::create_dir_all(dir.join("drafts")).unwrap();
    std::fs::write(dir.join("drafts/x.txt"), "Forty people were killed.").unwrap();

    let d = dir.to_str().unwrap();
    let out = tally(&["extract", d, "--exclude", "drafts"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(docs_of(&out), ["urn:uuid:https://n.example/1", "gz1", "zst1", "page.html"]);
    let c = json_lines(&out);
    assert_eq!(c[0]["count"]["value"], 14);
    let err = stderr(&out);
    assert!(err.contains("a-crawl.warc.gz: byte "), "{err}");
    assert!(err.contains("record 4: content is image/png, not a document"), "{err}");
    assert!(err.contains("2 files that are not documents (.js 1, .png 1); --include reads them"), "{err}");
    assert!(err.contains("tally: 4 documents"), "{err}");
    assert!(err.contains("; 3 skipped"), "{err}");

    // --include replaces the default file types.
    let out = tally(&["extract", d, "--include", "*.txt"]);
    assert_eq!(docs_of(&out), ["x.txt"]);
    let out = tally(&["extract", d, "--include", "[bad"]);
    assert_eq!(out.status.code(), Some(2), "a bad glob is a usage error");
}

#[test]
fn a_warc_on_stdin_and_spans_into_the_article_text() {
    let article = page("Raid", &["Gunmen abducted 20 villagers near the border, the governor said."]);
    let warc = [record("response", "https://n.example/r", &response("text/html", article.as_bytes()))].concat();
    let out = tally_stdin(&["extract", "-"], &warc);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let c = json_lines(&out);
    assert_eq!(c.len(), 1);
    // The stored text is the article without navigation: the span points into it.
    assert_eq!(c[0]["sentence"], "Gunmen abducted 20 villagers near the border, the governor said.");
    assert_eq!(c[0]["span"], serde_json::json!([16, 18]));
}

#[test]
fn other_languages_are_read_but_not_analysed() {
    let jsonl = concat!(
        "{\"id\": \"ar\", \"text\": \"قتل عشرون شخصا وأصيب ثلاثون آخرون عندما سقطت قذائف على السوق في وسط المدينة يوم الجمعة\"}\n",
        "{\"id\": \"fr\", \"text\": \"Au moins vingt personnes ont été tuées et trente blessées lorsque des obus sont tombés sur le marché du centre-ville vendredi matin, selon le ministère.\"}\n",
        "{\"id\": \"en\", \"text\": \"At least 20 people were killed and 30 wounded when shells hit the market on Friday, the ministry said.\"}\n",
        "{\"id\": \"given\", \"lang\": \"de\", \"text\": \"Five soldiers were killed.\"}\n",
    );
    let out = tally_stdin(&["extract", "-"], jsonl.as_bytes());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(docs_of(&out), ["en"]);
    assert!(stderr(&out).contains("tally: 4 documents (3 not analysed: not English), 2 claims"), "{}", stderr(&out));
}

#[test]
fn output_order_does_not_depend_on_threads() {
    let dir = scratch("threads");
    let mut jsonl = String::new();
    for i in 0..300 {
        // Uneven sizes, so workers finish out of order.
        let filler = "The town was quiet before dawn. ".repeat((i * 37) % 50);
        jsonl.push_str(&format!(
            "{{\"id\": \"d{i}\", \"text\": \"{filler}Shelling killed {} people and wounded {} in the market.\"}}\n",
            i + 2,
            i + 5
        ));
    }
    let path = dir.join("many.jsonl");
    std::fs::write(&path, jsonl).unwrap();
    let p = path.to_str().unwrap();
    let one = tally(&["extract", p, "-j", "1"]);
    let two = tally(&["extract", p, "-j", "2"]);
    let four = tally(&["extract", p, "--threads", "4"]);
    assert_eq!(json_lines(&one).len(), 600);
    assert!(one.stdout == two.stdout && two.stdout == four.stdout, "same claims in the same order");
}

#[test]
fn json_progress_and_quiet() {
    let dir = scratch("progress");
    let path = dir.join("a.txt");
    std::fs::write(&path, "Nine soldiers were killed.").unwrap();
    let p = path.to_str().unwrap();
    let missing = dir.join("missing.txt");
    let out = tally(&["extract", p, missing.to_str().unwrap(), "--json-progress"]);
    assert_eq!(out.status.code(), Some(1));
    let lines: Vec<serde_json::Value> =
        stderr(&out).lines().map(|l| serde_json::from_str(l).expect("stderr is JSON lines")).collect();
    let error = lines.iter().find(|l| l["level"] == "error").expect("the missing file, as JSON");
    assert_eq!(error["input"], missing.to_str().unwrap());
    assert_eq!(error["message"], "no such file or directory");
    let done = lines.iter().find(|l| l["progress"] == "done").expect("a last progress line");
    assert_eq!(
        (done["files_done"].as_u64(), done["files_total"].as_u64(), done["documents"].as_u64()),
        (Some(1), Some(1), Some(1))
    );
    assert_eq!(done["bytes"], 26);
    let summary = &lines.last().unwrap()["summary"];
    assert_eq!(
        (summary["documents"].as_u64(), summary["claims"].as_u64(), summary["failed"].as_u64()),
        (Some(1), Some(1), Some(1))
    );

    let quiet = tally(&["extract", p, "--quiet"]);
    assert_eq!(quiet.status.code(), Some(0));
    assert_eq!(stderr(&quiet), "", "nothing on stderr when all went well");
    let plain = tally(&["extract", p]);
    assert_eq!(stderr(&plain), "tally: 1 documents, 1 claims\n", "no progress bar when stderr is not a terminal");
}
