//! WARC archives (ISO 28500; `.warc`, `.warc.gz` as Common Crawl News ships them), streamed
//! record by record so memory holds one record, never the archive.
//!
//! `response` records with an HTML (or plain text) HTTP body become documents (id: the
//! record id; url: the target URI); `resource` and `conversion` (WET) records with HTML or
//! text likewise. HTTP bodies are de-chunked and decompressed (`Content-Encoding` gzip,
//! deflate or br), each to at most [`MAX_DOCUMENT`] bytes. `warcinfo`, `request`,
//! `metadata` and `revisit` records carry no article and are passed over silently. A record
//! whose `Content-Length` does not match its body is reported with its byte offset, and
//! reading resumes at the next `WARC/1.x` header line; a record too large, or whose HTTP
//! body is broken, is an error of its own.
//!
//! Responses that are not documents (not HTTP, not 2xx, not HTML or plain text: images,
//! redirects, scripts …) are routine on a general crawl: by default they are counted by
//! reason and summed up in one skipped event per input after its last record (`1,234
//! records that are not HTML or text documents (812 image/*, 301 3xx status, 80 text/css,
//! 41 4xx status)`: the five commonest reasons, the rest as `N other`), an event whose
//! [`count`](crate::Event::count) is the number of records; with `Plan::each_skip` each is
//! its own event, as `record 4: content is image/png, not a document`.
//!
//! Offsets: events about a record name the byte its header starts at in a plain `.warc`;
//! in a `.warc.gz` (or `.warc.zst`) the stored byte of the gzip member (zstd frame) that
//! holds it. With one member per record, as crawlers write them, that is the record's own
//! member, the offset Common Crawl's CDX index gives (`tail -c +OFFSET+1 f.warc.gz | zcat`
//! starts with the record). When the record does not start its member (a single gzip stream
//! over the whole file, where every such offset is 0), the message adds how far into the
//! member's decompressed data the record is: `record 7 (decompressed byte 5120 of its gzip
//! member): …`.

use crate::charset;
use crate::event::At;
use crate::stream::Members;
use crate::{Item, Out, PendingPage, MAX_DOCUMENT};
use std::collections::BTreeMap;
use std::io::{self, BufRead, Read};
use tally_core::Document;

/// A header line longer than this is not a WARC header.
const MAX_LINE: usize = 64 << 10;
/// Nor is a header block larger than this.
const MAX_HEADER: usize = 1 << 20;

/// Reads with a push-back buffer and a byte position (in the decompressed stream).
struct Cursor<'a> {
    inner: &'a mut dyn BufRead,
    /// Bytes given back, read again before `inner` (stored reversed: `pop` is the next byte).
    back: Vec<u8>,
    pos: u64,
}

impl Cursor<'_> {
    /// The next line, `\n` included, or `None` at the end. A line longer than `max` is cut
    /// there (the rest is read as the next line).
    fn line(&mut self, max: usize) -> io::Result<Option<Vec<u8>>> {
        let mut line = Vec::new();
        while let Some(b) = self.back.pop() {
            line.push(b);
            if b == b'\n' || line.len() >= max {
                self.pos += line.len() as u64;
                return Ok(Some(line));
            }
        }
        loop {
            let buf = self.inner.fill_buf()?;
            if buf.is_empty() {
                break;
            }
            let room = max - line.len();
            let (take, done) = match memchr::memchr(b'\n', &buf[..buf.len().min(room)]) {
                Some(i) => (i + 1, true),
                None => (buf.len().min(room), buf.len() >= room),
            };
            line.extend_from_slice(&buf[..take]);
            self.inner.consume(take);
            if done {
                break;
            }
        }
        self.pos += line.len() as u64;
        Ok(if line.is_empty() { None } else { Some(line) })
    }

    /// Up to `n` bytes: kept in the result while it is under `keep` bytes, discarded after.
    /// Returns (kept bytes, bytes read); fewer than `n` read means the stream ended.
    fn take(&mut self, n: u64, keep: usize) -> io::Result<(Vec<u8>, u64)> {
        let mut kept = Vec::with_capacity((n as usize).min(keep).min(16 << 20));
        let mut got = 0u64;
        while got < n {
            if let Some(b) = self.back.pop() {
                if kept.len() < keep {
                    kept.push(b);
                }
                got += 1;
                continue;
            }
            let buf = self.inner.fill_buf()?;
            if buf.is_empty() {
                break;
            }
            let k = buf.len().min((n - got) as usize);
            let room = keep.saturating_sub(kept.len()).min(k);
            kept.extend_from_slice(&buf[..room]);
            self.inner.consume(k);
            got += k as u64;
        }
        self.pos += got;
        Ok((kept, got))
    }

    /// Gives `bytes` back: they are read again next.
    fn unread(&mut self, bytes: &[u8]) {
        self.back.extend(bytes.iter().rev());
        self.pos -= bytes.len() as u64;
    }
}

struct Record {
    /// The decompressed byte its header starts at.
    offset: u64,
    kind: String,
    id: String,
    uri: Option<String>,
    content_type: Option<String>,
    /// Where its events point (see [`Warc::place`]).
    at: At,
    /// What starts its events' messages: `record 3: `.
    label: String,
}

/// Reads one WARC input: finds where its records are, and sums up the records that are not
/// documents.
pub(crate) struct Warc<'a> {
    name: &'a str,
    /// Member starts of a compressed input.
    members: Option<Members>,
    /// Report each record that is not a document, rather than one sum at the end.
    each_skip: bool,
    skipped: Skipped,
}

/// Records passed over as not documents, by reason (`image/*`, `4xx status` …).
#[derive(Default)]
struct Skipped {
    total: u64,
    by: BTreeMap<String, u64>,
}

/// Reasons counted apart at most; a file with more (a crafted one) counts the rest as other.
const MAX_REASONS: usize = 1000;
/// Reasons named in the summary line; the rest are summed as other.
const SHOWN_REASONS: usize = 5;

impl<'a> Warc<'a> {
    pub fn new(name: &'a str, members: Option<Members>, each_skip: bool) -> Warc<'a> {
        Warc { name, members, each_skip, skipped: Skipped::default() }
    }

    /// Where an event about the record (or line) at decompressed byte `offset` points, and
    /// what to add to its message. Plain input: that byte. Compressed input: the stored byte
    /// of the gzip member (zstd frame) it is in, which names the record alone when it starts
    /// its member (one member per record); otherwise the message adds how far into the
    /// member's decompressed data it is. Ask in increasing order of `offset`.
    pub fn place(&self, offset: u64) -> (At, Option<String>) {
        let Some(members) = &self.members else { return (At::byte(self.name, offset), None) };
        match members.locate(offset) {
            Some((stored, 0)) => (At::byte(self.name, stored), None),
            Some((stored, within)) => {
                (At::byte(self.name, stored), Some(format!("decompressed byte {within} of its {}", members.kind)))
            }
            None => (At::input(self.name), Some(format!("decompressed byte {offset}"))),
        }
    }

    /// Reads a WARC stream. `Err` is a read error of the stream itself (e.g. broken gzip),
    /// at the decompressed byte given; everything else is reported to `sink` and skipped
    /// over. Then [`Warc::finish`] sums up what was passed over.
    pub fn read(&mut self, input: &mut dyn BufRead, sink: &mut dyn Out) -> Result<(), (io::Error, u64)> {
        let mut c = Cursor { inner: input, back: Vec::new(), pos: 0 };
        let mut number = 0u64;
        loop {
            let offset = c.pos;
            let Some(first) = c.line(MAX_LINE).map_err(|e| (e, c.pos))? else { return Ok(()) };
            if first.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            // After the line is read, so that the decoder has met its member.
            let (at, note) = self.place(offset);
            if !first.starts_with(b"WARC/") {
                let shown = String::from_utf8_lossy(&first[..first.len().min(40)]).trim().to_string();
                let note = note.map(|n| format!(" ({n})")).unwrap_or_default();
                sink.item(Item::Event(
                    at.error(format!("not a WARC record header{note}: {shown:?}; skipping to the next record")),
                ));
                resync(&mut c).map_err(|e| (e, c.pos))?;
                continue;
            }
            number += 1;
            let label = match note {
                None => format!("record {number}: "),
                Some(n) => format!("record {number} ({n}): "),
            };
            let error = |message: String| Item::Event(at.clone().error(format!("{label}{message}")));
            let mut headers: Vec<(String, String)> = Vec::new();
            let mut size = first.len();
            let complete = loop {
                let Some(line) = c.line(MAX_LINE).map_err(|e| (e, c.pos))? else { break false };
                size += line.len();
                if line == b"\r\n" || line == b"\n" {
                    break true;
                }
                if size > MAX_HEADER {
                    break false;
                }
                let text = String::from_utf8_lossy(&line);
                let text = text.trim_end_matches(['\r', '\n']);
                if text.starts_with([' ', '\t']) {
                    if let Some(last) = headers.last_mut() {
                        last.1.push(' ');
                        last.1.push_str(text.trim());
                    }
                } else if let Some((k, v)) = text.split_once(':') {
                    headers.push((k.trim().to_ascii_lowercase(), v.trim().to_string()));
                }
            };
            if !complete {
                let why = if size > MAX_HEADER {
                    "header larger than 1 MiB"
                } else {
                    "header cut off by the end of the file"
                };
                sink.item(error(why.to_string()));
                if size > MAX_HEADER {
                    resync(&mut c).map_err(|e| (e, c.pos))?;
                    continue;
                }
                return Ok(());
            }
            let get = |k: &str| headers.iter().find(|(h, _)| h == k).map(|(_, v)| v.clone());
            let Some(length) = get("content-length").and_then(|v| v.parse::<u64>().ok()) else {
                sink.item(error("no valid Content-Length; skipping to the next record".into()));
                resync(&mut c).map_err(|e| (e, c.pos))?;
                continue;
            };
            let kind = get("warc-type").unwrap_or_default().to_ascii_lowercase();
            let wanted = matches!(kind.as_str(), "response" | "resource" | "conversion");
            let keep = if wanted && length <= MAX_DOCUMENT as u64 { length as usize } else { 0 };
            let (body, got) = c.take(length, keep).map_err(|e| (e, c.pos))?;
            if got < length {
                sink.item(error(format!("truncated: Content-Length {length} but the file ends after {got} bytes")));
                return Ok(());
            }
            // A record ends with two line breaks; anything else means Content-Length was wrong.
            // (One break before the next header, or none at the end of the file, is let pass.)
            let (tail, _) = c.take(4, 4).map_err(|e| (e, c.pos))?;
            let breaks = tail.iter().take_while(|&&b| b == b'\r' || b == b'\n').count();
            let rest = &tail[breaks..];
            if !rest.is_empty() && !(breaks > 0 && b"WARC/".starts_with(rest)) {
                sink.item(error(format!(
                    "Content-Length {length} does not match the record (no blank line after it); \
                     record not read, skipping to the next record"
                )));
                // Too long a length swallowed the next record's header: find it in what was read.
                let mut seen = body;
                seen.extend_from_slice(&tail);
                match memchr::memmem::find(&seen, b"\nWARC/1.") {
                    Some(i) => c.unread(&seen[i + 1..]),
                    None => {
                        c.unread(&tail);
                        resync(&mut c).map_err(|e| (e, c.pos))?;
                    }
                }
                continue;
            }
            c.unread(rest);
            if !wanted {
                continue;
            }
            if length > MAX_DOCUMENT as u64 {
                sink.item(error(format!(
                    "{length} bytes, over the {} MiB document limit; not read",
                    MAX_DOCUMENT >> 20
                )));
                continue;
            }
            let record = Record {
                offset,
                kind,
                id: get("warc-record-id").map(|i| i.trim_matches(['<', '>']).to_string()).unwrap_or_default(),
                uri: get("warc-target-uri").map(|u| u.trim_matches(['<', '>']).to_string()),
                content_type: get("content-type"),
                at: at.clone(),
                label: label.clone(),
            };
            self.document(&record, body, sink);
        }
    }

    /// Turns a record's block into a document, or reports why it is not one.
    fn document(&mut self, record: &Record, block: Vec<u8>, sink: &mut dyn Out) {
        let at = || record.at.clone();
        let label = &record.label;
        let (content_type, payload) = if record.kind == "response" {
            if !record.content_type.as_deref().unwrap_or("").to_ascii_lowercase().contains("application/http") {
                let why = format!(
                    "response of type {} is not an HTTP response",
                    record.content_type.as_deref().unwrap_or("(none)")
                );
                return self.skip(record, "not HTTP".into(), why, sink);
            }
            match http_payload(block) {
                Ok(Http { status, content_type, body }) => {
                    if !(200..300).contains(&status) {
                        let reason = format!("{}xx status", status / 100);
                        return self.skip(record, reason, format!("HTTP status {status}"), sink);
                    }
                    (content_type, body)
                }
                Err(why) => return sink.item(Item::Event(at().error(format!("{label}{why}")))),
            }
        } else {
            (record.content_type.clone(), block)
        };
        let ct = content_type.as_deref().unwrap_or("").to_ascii_lowercase();
        let mime = ct.split(';').next().unwrap_or("").trim().to_string();
        let is_html = matches!(mime.as_str(), "text/html" | "application/xhtml+xml")
            || (mime.is_empty() && payload.trim_ascii_start().first() == Some(&b'<'));
        let is_text = mime == "text/plain";
        if !is_html && !is_text {
            let why = if mime.is_empty() {
                "content of no declared type is not a document".to_string()
            } else {
                format!("content is {mime}, not a document")
            };
            return self.skip(record, reason_of(&mime), why, sink);
        }
        let doc = Document {
            id: if record.id.is_empty() { format!("{}#{}", self.name, record.offset) } else { record.id.clone() },
            url: record.uri.clone(),
            ..Document::default()
        };
        if is_html {
            return sink.page(PendingPage { bytes: payload, content_type, doc, at: at(), label: label.clone() });
        }
        let (text, warnings) = charset::decode_page(&payload, content_type.as_deref());
        for w in warnings {
            sink.item(Item::Event(at().warning(format!("{label}{w}"))));
        }
        if text.trim().is_empty() {
            sink.item(Item::Event(at().warning(format!("{label}empty document"))));
        }
        sink.item(Item::Document(Document { text, ..doc }));
    }

    /// A record that is not a document: reported at once with `each_skip`, else counted
    /// under `reason` for the summary.
    fn skip(&mut self, record: &Record, reason: String, why: String, sink: &mut dyn Out) {
        if self.each_skip {
            return sink.item(Item::Event(record.at.clone().skipped(format!("{}{why}", record.label))));
        }
        let s = &mut self.skipped;
        s.total += 1;
        let reason = if s.by.len() < MAX_REASONS || s.by.contains_key(&reason) { reason } else { "other".into() };
        *s.by.entry(reason).or_default() += 1;
    }

    /// The records passed over as not documents, summed up in one skipped event (that
    /// counts each of them): `1,234 records that are not HTML or text documents (812
    /// image/*, 301 3xx status, 80 text/css, 41 4xx status); --verbose lists each`.
    pub fn finish(self, sink: &mut dyn Out) {
        let Skipped { total, by } = self.skipped;
        if total == 0 {
            return;
        }
        let mut by: Vec<(String, u64)> = by.into_iter().collect();
        by.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        let mut list: Vec<String> =
            by.iter().take(SHOWN_REASONS).map(|(reason, n)| format!("{} {reason}", thousands(*n))).collect();
        let other: u64 = by.iter().skip(SHOWN_REASONS).map(|(_, n)| n).sum();
        if other > 0 {
            list.push(format!("{} other", thousands(other)));
        }
        let what = if total == 1 {
            "record that is not an HTML or text document"
        } else {
            "records that are not HTML or text documents"
        };
        let message = format!("{} {what} ({}); --verbose lists each", thousands(total), list.join(", "));
        sink.item(Item::Event(At::input(self.name).skipped_many(total, message)));
    }
}

/// The reason a content type is counted under: `image/*` for the media types, else the
/// type itself (`text/css`, `application/pdf`).
fn reason_of(mime: &str) -> String {
    if mime.is_empty() {
        return "no content type".into();
    }
    let top = mime.split('/').next().unwrap_or("");
    if matches!(top, "image" | "audio" | "video" | "font" | "model") {
        return format!("{top}/*");
    }
    mime.chars().take(60).collect()
}

/// `1234567` → `1,234,567`.
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let groups: Vec<&str> = digits.as_bytes().rchunks(3).rev().map(|g| std::str::from_utf8(g).unwrap_or("")).collect();
    groups.join(",")
}

/// Reads on to the next line that starts a WARC record, and gives that line back.
fn resync(c: &mut Cursor) -> io::Result<()> {
    while let Some(line) = c.line(MAX_LINE)? {
        if line.starts_with(b"WARC/1.") {
            c.unread(&line);
            return Ok(());
        }
    }
    Ok(())
}

struct Http {
    status: u16,
    content_type: Option<String>,
    body: Vec<u8>,
}

/// Splits an HTTP response into status, content type and (de-chunked, decompressed) body.
fn http_payload(block: Vec<u8>) -> Result<Http, String> {
    let (head_end, sep) = match memchr::memmem::find(&block, b"\r\n\r\n") {
        Some(i) => (i, 4),
        None => match memchr::memmem::find(&block, b"\n\n") {
            Some(i) => (i, 2),
            None => return Err("HTTP response without the end of its header".into()),
        },
    };
    let head = String::from_utf8_lossy(&block[..head_end]).into_owned();
    let mut lines = head.lines();
    let status_line = lines.next().unwrap_or("");
    let status = status_line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse::<u16>().ok())
        .filter(|_| status_line.starts_with("HTTP/"))
        .ok_or_else(|| format!("not an HTTP status line: {:?}", status_line.chars().take(40).collect::<String>()))?;
    let mut content_type = None;
    let (mut chunked, mut encoding) = (false, None);
    for line in lines {
        let Some((k, v)) = line.split_once(':') else { continue };
        match k.trim().to_ascii_lowercase().as_str() {
            "content-type" => content_type = Some(v.trim().to_string()),
            "transfer-encoding" => chunked = v.to_ascii_lowercase().contains("chunked"),
            "content-encoding" => encoding = Some(v.trim().to_ascii_lowercase()),
            _ => {}
        }
    }
    let mut body = block;
    body.drain(..head_end + sep);
    if chunked {
        body = dechunk(&body).ok_or("broken chunked transfer encoding")?;
    }
    match encoding.as_deref() {
        None | Some("identity" | "") => {}
        Some("gzip" | "x-gzip") => body = inflate(flate2::read::MultiGzDecoder::new(&body[..]), "gzip")?,
        Some("deflate") => body = inflate(flate2::read::ZlibDecoder::new(&body[..]), "deflate")?,
        Some("br") => body = inflate(brotli_decompressor::Decompressor::new(&body[..], 4096), "brotli")?,
        Some(other) => return Err(format!("content encoding {other:?} is not supported")),
    }
    Ok(Http { status, content_type, body })
}

/// Decompresses a body (`encoding` names its compression), at most `MAX_DOCUMENT` bytes of
/// it: whatever the ratio (brotli's can be far above deflate's), a body costs no more.
fn inflate(r: impl Read, encoding: &str) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    r.take(MAX_DOCUMENT as u64 + 1)
        .read_to_end(&mut out)
        .map_err(|e| format!("{encoding}-compressed body is broken: {e}"))?;
    if out.len() > MAX_DOCUMENT {
        return Err(format!("{encoding}-compressed body inflates past the {} MiB document limit", MAX_DOCUMENT >> 20));
    }
    Ok(out)
}

fn dechunk(mut b: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(b.len());
    loop {
        let eol = memchr::memmem::find(b, b"\r\n")?;
        let size_text = std::str::from_utf8(&b[..eol]).ok()?;
        let size = usize::from_str_radix(size_text.split(';').next()?.trim(), 16).ok()?;
        b = &b[eol + 2..];
        if size == 0 {
            return Some(out);
        }
        out.extend_from_slice(b.get(..size)?);
        b = b.get(size..)?;
        b = b.strip_prefix(b"\r\n").unwrap_or(b);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub fn record(kind: &str, uri: &str, block: &[u8]) -> Vec<u8> {
        let mut r = format!(
            "WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Record-ID: <urn:uuid:{uri}>\r\nWARC-Target-URI: {uri}\r\n\
             Content-Type: application/http; msgtype=response\r\nContent-Length: {}\r\n\r\n",
            block.len()
        )
        .into_bytes();
        r.extend_from_slice(block);
        r.extend_from_slice(b"\r\n\r\n");
        r
    }

    fn http(ct: &str, body: &str) -> Vec<u8> {
        format!("HTTP/1.1 200 OK\r\nContent-Type: {ct}\r\n\r\n{body}").into_bytes()
    }

    fn read(bytes: &[u8]) -> (Vec<Document>, Vec<String>) {
        read_with(bytes, false)
    }

    fn read_with(bytes: &[u8], each_skip: bool) -> (Vec<Document>, Vec<String>) {
        let (mut docs, mut events) = (Vec::new(), Vec::new());
        let mut r = bytes;
        let mut sink = |i| match i {
            Item::Document(d) => docs.push(d),
            Item::Event(e) => events.push(e.to_string()),
        };
        let mut warc = Warc::new("t.warc", None, each_skip);
        warc.read(&mut r, &mut crate::Finishing(&mut sink)).unwrap();
        warc.finish(&mut crate::Finishing(&mut sink));
        (docs, events)
    }

    #[test]
    fn responses_become_documents() {
        let mut w = record("warcinfo", "x", b"software: test\r\n");
        w.extend(record("request", "http://a.example/1", b"GET /1 HTTP/1.1\r\n\r\n"));
        w.extend(record(
            "response",
            "http://a.example/1",
            &http("text/html; charset=utf-8", "<p>Nine soldiers were killed.</p>"),
        ));
        w.extend(record("response", "http://a.example/logo.png", &http("image/png", "\u{1}PNG")));
        let (docs, events) = read(&w);
        assert_eq!(docs.len(), 1);
        assert_eq!(docs[0].text, "Nine soldiers were killed.");
        assert_eq!(docs[0].url.as_deref(), Some("http://a.example/1"));
        assert_eq!(docs[0].id, "urn:uuid:http://a.example/1");
        // By default, one line for the input, after its records.
        assert_eq!(
            events,
            ["skipped: t.warc: 1 record that is not an HTML or text document (1 image/*); --verbose lists each"]
        );
        // Each on its own line, at the byte its record starts at.
        let at = w.len() - record("response", "http://a.example/logo.png", &http("image/png", "\u{1}PNG")).len();
        let (docs, events) = read_with(&w, true);
        assert_eq!(docs.len(), 1);
        assert_eq!(events, [format!("skipped: t.warc: byte {at}: record 4: content is image/png, not a document")]);
    }

    #[test]
    fn routine_skips_are_summed_by_reason() {
        let mut w = Vec::new();
        let mut add = |n: usize, ct: &str, status: &str| {
            for i in 0..n {
                let block = format!("HTTP/1.1 {status}\r\nContent-Type: {ct}\r\n\r\nx").into_bytes();
                w.extend(record("response", &format!("http://a.example/{ct}/{status}/{i}"), &block));
            }
        };
        add(4, "image/png", "200 OK");
        add(3, "image/jpeg", "200 OK");
        add(3, "text/html", "301 Moved Permanently");
        add(2, "text/html", "404 Not Found");
        add(2, "text/css", "200 OK");
        add(1, "application/pdf", "200 OK");
        add(1, "", "200 OK");
        add(1, "text/html", "503 Service Unavailable");
        add(1, "text/html", "200 OK");
        // Not HTTP: Common Crawl's DNS responses.
        let mut dns = record("response", "dns:a.example", b"20250101000000\r\na.example. 60 IN A 10.0.0.1\r\n");
        dns = String::from_utf8(dns).unwrap().replace("application/http; msgtype=response", "text/dns").into_bytes();
        w.extend(dns);
        let (docs, events) = read(&w);
        assert_eq!(docs.len(), 1, "the one 200 text/html");
        assert_eq!(
            events,
            ["skipped: t.warc: 18 records that are not HTML or text documents (7 image/*, 3 3xx status, \
              2 4xx status, 2 text/css, 1 5xx status, 3 other); --verbose lists each"]
        );
        let (_, each) = read_with(&w, true);
        assert_eq!(each.len(), 18);
        assert!(each[4].ends_with(": record 5: content is image/jpeg, not a document"), "{each:?}");
        assert!(each[7].ends_with(": record 8: HTTP status 301"), "{each:?}");
        assert!(each[15].ends_with(": record 16: content of no declared type is not a document"), "{each:?}");
        assert!(each[17].ends_with(": record 19: response of type text/dns is not an HTTP response"), "{each:?}");
    }

    #[test]
    fn the_summary_counts_each_record() {
        let mut warc = Warc::new("big.warc", None, false);
        warc.skipped = Skipped { total: 1_234_567, by: [("image/*".to_string(), 1_234_567)].into() };
        let mut events = Vec::new();
        warc.finish(&mut crate::Finishing(&mut |i| {
            if let Item::Event(e) = i {
                events.push(e)
            }
        }));
        assert_eq!(events.len(), 1);
        assert_eq!(events[0].count(), 1_234_567);
        assert_eq!(events[0].offset(), None);
        assert_eq!(
            events[0].message(),
            "1,234,567 records that are not HTML or text documents (1,234,567 image/*); --verbose lists each"
        );
        assert_eq!(
            (thousands(0), thousands(999), thousands(1000), thousands(12_345)),
            ("0".into(), "999".into(), "1,000".into(), "12,345".into())
        );
    }

    #[test]
    fn a_wrong_length_costs_one_record() {
        let good = record("response", "http://a.example/2", &http("text/html", "<p>Two civilians died.</p>"));
        for delta in [-5i64, -1, 4, 7, 40] {
            let mut bad = record("response", "http://a.example/1", &http("text/html", "<p>lost</p>"));
            let text = String::from_utf8(bad.clone()).unwrap();
            let len: i64 = text.split("Content-Length: ").nth(1).unwrap().split('\r').next().unwrap().parse().unwrap();
            bad = text
                .replace(&format!("Content-Length: {len}"), &format!("Content-Length: {}", len + delta))
                .into_bytes();
            bad.extend(&good);
            let (docs, events) = read(&bad);
            assert_eq!(docs.len(), 1, "delta {delta}: {events:?}");
            assert_eq!(docs[0].text, "Two civilians died.");
            assert_eq!(events.len(), 1, "{events:?}");
            assert!(events[0].starts_with("error: t.warc: byte 0: record 1: Content-Length"), "{events:?}");
        }
    }

    #[test]
    fn truncation_and_garbage_are_reported() {
        let mut w = record("response", "http://a.example/1", &http("text/html", "<p>One.</p>"));
        w.extend(b"garbage line\r\n");
        let second = record("response", "http://a.example/2", &http("text/html", "<p>Two.</p>"));
        let at = w.len();
        w.extend(&second[..second.len() - 10]);
        let (docs, events) = read(&w);
        assert_eq!(docs.len(), 1);
        assert!(events[0].contains("not a WARC record header: \"garbage line\""), "{events:?}");
        let expected = format!("error: t.warc: byte {at}: record 2: truncated: Content-Length");
        assert!(events[1].starts_with(&expected), "{events:?}");
    }

    #[test]
    fn chunked_gzip_and_status() {
        use std::io::Write;
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        e.write_all(b"<p>Four people were wounded.</p>").unwrap();
        let gz = e.finish().unwrap();
        let mut chunked = format!("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\nContent-Encoding: gzip\r\n\r\n{:x}\r\n", 10).into_bytes();
        chunked.extend(&gz[..10]);
        chunked.extend(format!("\r\n{:x}\r\n", gz.len() - 10).as_bytes());
        chunked.extend(&gz[10..]);
        chunked.extend(b"\r\n0\r\n\r\n");
        let mut w = record("response", "http://a.example/1", &chunked);
        w.extend(record(
            "response",
            "http://a.example/2",
            b"HTTP/1.1 404 Not Found\r\nContent-Type: text/html\r\n\r\nnope",
        ));
        let (docs, events) = read_with(&w, true);
        assert_eq!(docs[0].text, "Four people were wounded.");
        assert_eq!(events.len(), 1, "{events:?}");
        assert!(events[0].ends_with("record 2: HTTP status 404"), "{events:?}");
        let (_, events) = read(&w);
        assert_eq!(
            events,
            ["skipped: t.warc: 1 record that is not an HTML or text document (1 4xx status); --verbose lists each"]
        );
    }

    /// `<html>…<p>An air strike killed 14 people in the village on Monday, residents
    /// said.</p>…</html>` (173 bytes) compressed with brotli 1.2.1 (Python, quality 11).
    const BROTLI_PAGE: &str =
        "1b9d00209c0576db05937acd419fa219b98dadeb1ae1fa410d0922a253c73485cda9179ae4099a829a5ce0f0b70512b7\
        25dcbc6521a73b64c7d3bb4922222536d19016e2b56f55696c120c527a6958232d26a82f72590af863b48b0cff59b93a\
        c5850b868b0ba304";

    /// 257 MiB of zero bytes compressed with brotli (Python, quality 5): 417 bytes.
    const BROTLI_BOMB: &str =
        "cbffff3f002400e2b14072effff8ffff078004401c1680eefd1fffffff00900088c302d0bdffe3ffff1f001200715800\
        baf77ffcffff034002200e0b40f7fe8fffff7f004800c46101e8defff1ffff0f000980382c00ddfb3ffeffff01200110\
        8705a07bffc7ffff3f002400e2b00074effff8ffff078004401c1680eefd1fffffff00900088c302d0bdffe3ffff1f00\
        1200715800baf77ffcffff034002200e0b40f7fe8fffff7f004800c46101e8defff1ffff0f000980382c00ddfb3ffeff\
        ff012001108705a07bffc7ffff3f002400e2b00074effff8ffff078004401c1680eefd1fffffff00900088c302d0bdff\
        e3ffff1f001200715800baf77ffcffff034002200e0b40f7fe8fffff7f004800c46101e8defff1ffff0f000980382c00\
        ddfb3ffeffff012001108705a07bffc7ffff3f002400e2b00074effff8ffff078004401c1680eefd1fffffff00900088\
        c302d0bdffe3ffff1f001200715800baf77ffcffff034002200e0b40f7fe8fffff7f004800c46101e8defff1ffff0f00\
        0980382c00ddfb3ffeffff012001108705a07bff57ffff0f4002200e0b40f7fe01";

    fn unhex(hex: &str) -> Vec<u8> {
        let hex: Vec<u8> = hex.bytes().filter(u8::is_ascii_hexdigit).collect();
        hex.chunks(2).map(|p| u8::from_str_radix(std::str::from_utf8(p).unwrap(), 16).unwrap()).collect()
    }

    fn brotli_response(body: &[u8]) -> Vec<u8> {
        let mut r = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: br\r\n\r\n".to_vec();
        r.extend_from_slice(body);
        r
    }

    #[test]
    fn brotli_bodies_are_decoded() {
        let page = unhex(BROTLI_PAGE);
        assert_eq!(page.len(), 104);
        let mut w = record("response", "http://a.example/1", &brotli_response(&page));
        w.extend(record("response", "http://a.example/2", &http("text/html", "<p>Two civilians died.</p>")));
        let (docs, events) = read(&w);
        assert_eq!(events, Vec::<String>::new());
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[0].text, "An air strike killed 14 people in the village on Monday, residents said.");
        assert_eq!(docs[1].text, "Two civilians died.");
    }

    #[test]
    fn a_broken_brotli_body_costs_its_record() {
        let page = unhex(BROTLI_PAGE);
        let second = record("response", "http://a.example/2", &http("text/html", "<p>Two civilians died.</p>"));
        let cut = record("response", "http://a.example/1", &brotli_response(&page[..60]));
        let mut flipped = page.clone();
        flipped[0] ^= 0xff;
        let flipped = record("response", "http://a.example/1", &brotli_response(&flipped));
        let garbage = record("response", "http://a.example/1", &brotli_response(b"<p>not brotli at all</p>"));
        for bad in [cut, flipped, garbage] {
            let w = [bad.clone(), second.clone()].concat();
            let (docs, events) = read(&w);
            assert_eq!(docs.len(), 1, "{events:?}");
            assert_eq!(docs[0].text, "Two civilians died.", "the next record is read");
            assert_eq!(events.len(), 1, "{events:?}");
            assert!(
                events[0].starts_with("error: t.warc: byte 0: record 1: brotli-compressed body is broken: "),
                "{events:?}"
            );
        }
    }

    #[test]
    fn a_brotli_bomb_stops_at_the_document_limit() {
        let bomb = unhex(BROTLI_BOMB);
        assert_eq!(bomb.len(), 417);
        let mut w = record("response", "http://a.example/1", &brotli_response(&bomb));
        w.extend(record("response", "http://a.example/2", &http("text/html", "<p>Two civilians died.</p>")));
        let (docs, events) = read(&w);
        assert_eq!(docs.len(), 1);
        assert_eq!(
            events,
            ["error: t.warc: byte 0: record 1: brotli-compressed body inflates past the 256 MiB document limit"]
        );
    }
}
