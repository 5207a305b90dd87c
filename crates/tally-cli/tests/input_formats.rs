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
    let records = [
        record("warcinfo", "info", b"software: test\r\n"),
        record("request", "https://n.example/1", b"GET /1 HTTP/1.1\r\n\r\n"),
        record("response", "https://n.example/1", &response("text/html; charset=utf-8", article.as_bytes())),
        record("response", "https://n.example/logo.png", &response("image/png", b"\x89PNG")),
    ];
    let member_4 = warc_gz(&records[..3]).len();
    std::fs::write(dir.join("a-crawl.warc.gz"), warc_gz(&records)).unwrap();
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
    let warc = dir.join("a-crawl.warc.gz").display().to_string();
    assert_eq!(
        err.lines().collect::<Vec<_>>(),
        [
            format!("skipped: {warc}: 1 record that is not an HTML or text document (1 image/*); --verbose lists each"),
            format!("skipped: {d}: 2 files that are not documents (.js 1, .png 1); --include reads them"),
            "tally: 4 documents, 4 claims; 3 skipped".to_string(),
        ]
    );
    // --verbose: each record on its own line, at the stored byte of its gzip member.
    let out = tally(&["extract", d, "--exclude", "drafts", "--verbose"]);
    let err = stderr(&out);
    let each = format!("skipped: {warc}: byte {member_4}: record 4: content is image/png, not a document\n");
    assert!(err.starts_with(&each), "{err}");
    assert!(err.ends_with("tally: 4 documents, 4 claims; 3 skipped\n"), "{err}");

    // --include replaces the default file types.
    let out = tally(&["extract", d, "--include", "*.txt"]);
    assert_eq!(docs_of(&out), ["x.txt"]);
    let out = tally(&["extract", d, "--include", "[bad"]);
    assert_eq!(out.status.code(), Some(2), "a bad glob is a usage error");
}

#[test]
fn a_general_crawl_reports_its_non_articles_in_one_line_per_file() {
    let dir = scratch("general_crawl");
    let article = page("Shelling", &["Shelling killed 6 people in the market, the mayor said."]);
    let mut records = vec![record("response", "https://n.example/a", &response("text/html", article.as_bytes()))];
    for i in 0..1200 {
        let (ct, status) = match i % 4 {
            0 | 1 => ("image/jpeg", "200 OK"),
            2 => ("text/css", "200 OK"),
            _ => ("text/html", "404 Not Found"),
        };
        let block = format!("HTTP/1.1 {status}\r\nContent-Type: {ct}\r\n\r\nx");
        records.push(record("response", &format!("https://n.example/{i}"), block.as_bytes()));
    }
    std::fs::write(dir.join("crawl.warc.gz"), warc_gz(&records)).unwrap();
    std::fs::write(dir.join("other.warc.gz"), warc_gz(&records[..4])).unwrap();
    let d = dir.to_str().unwrap();
    let (crawl, other) =
        (dir.join("crawl.warc.gz").display().to_string(), dir.join("other.warc.gz").display().to_string());
    let out = tally(&["extract", d, "-j", "2"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        stderr(&out),
        format!(
            "skipped: {crawl}: 1,200 records that are not HTML or text documents (600 image/*, 300 4xx status, \
             300 text/css); --verbose lists each\n\
             skipped: {other}: 3 records that are not HTML or text documents (2 image/*, 1 text/css); \
             --verbose lists each\n\
             tally: 2 documents, 2 claims; 1203 skipped\n"
        )
    );
    // JSON: the line says how many records it stands for; the summary counts each.
    let out = tally(&["extract", d, "--json-progress"]);
    let lines: Vec<serde_json::Value> = stderr(&out).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let skipped: Vec<_> = lines.iter().filter(|l| l["level"] == "skipped").collect();
    assert_eq!(skipped.len(), 2);
    assert_eq!((skipped[0]["input"].as_str(), skipped[0]["count"].as_u64()), (Some(crawl.as_str()), Some(1200)));
    assert_eq!(skipped[0]["offset"], serde_json::Value::Null);
    assert_eq!(lines.last().unwrap()["summary"]["skipped"], 1203);
    // --verbose: one line each, the same count.
    let out = tally(&["extract", d, "--verbose"]);
    let err = stderr(&out);
    assert_eq!(err.lines().filter(|l| l.starts_with("skipped: ")).count(), 1203);
    assert!(err.contains(": record 5: HTTP status 404\n"), "{err}");
    assert!(err.ends_with("tally: 2 documents, 2 claims; 1203 skipped\n"), "{err}");
}

#[test]
fn progress_is_in_stored_bytes_for_compressed_and_plain_inputs_alike() {
    let dir = scratch("progress_mixed");
    let text = "Shelling killed 6 people in the market, the mayor said. ".repeat(2000);
    let jsonl = format!("{{\"id\": \"big\", \"text\": \"{text}\"}}\n");
    let gz = gzip(jsonl.as_bytes());
    assert!(gz.len() * 20 < jsonl.len(), "compressed far below its text");
    std::fs::write(dir.join("a.jsonl.gz"), &gz).unwrap();
    std::fs::write(dir.join("b.txt"), &text).unwrap();
    let out = tally(&["extract", dir.to_str().unwrap(), "--json-progress"]);
    let lines: Vec<serde_json::Value> = stderr(&out).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let done = lines.iter().find(|l| l["progress"] == "done").expect("a last progress line");
    // Bytes read and the total are both the files' sizes on disk: one unit, so the share
    // and the ETA do not mix compressed and decompressed sizes.
    let stored = (gz.len() + text.len()) as u64;
    assert_eq!((done["bytes"].as_u64(), done["bytes_total"].as_u64()), (Some(stored), Some(stored)));
    assert_eq!(lines.last().unwrap()["summary"]["bytes"], stored);
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
