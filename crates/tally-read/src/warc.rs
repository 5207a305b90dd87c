//! WARC archives (ISO 28500; `.warc`, `.warc.gz` as Common Crawl News ships them), streamed
//! record by record so memory holds one record, never the archive.
//!
//! `response` records with an HTML (or plain text) HTTP body become documents (id: the
//! record id; url: the target URI); `resource` and `conversion` (WET) records with HTML or
//! text likewise. Responses that are not 2xx, not text, or too large are reported as
//! skipped. `warcinfo`, `request`, `metadata` and `revisit` records carry no article and are
//! passed over. A record whose `Content-Length` does not match its body is reported with its
//! byte offset, and reading resumes at the next `WARC/1.x` header line.

use crate::charset;
use crate::event::At;
use crate::{Item, Out, PendingPage, MAX_DOCUMENT};
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
    offset: u64,
    number: u64,
    kind: String,
    id: String,
    uri: Option<String>,
    content_type: Option<String>,
}

/// Reads a WARC stream. `Err` is a read error of the stream itself (e.g. broken gzip), at
/// the decompressed byte given; everything else is reported to `sink` and skipped over.
pub fn read_warc(input: &mut dyn BufRead, name: &str, sink: &mut dyn Out) -> Result<(), (io::Error, u64)> {
    let mut c = Cursor { inner: input, back: Vec::new(), pos: 0 };
    let mut number = 0u64;
    loop {
        let offset = c.pos;
        let Some(first) = c.line(MAX_LINE).map_err(|e| (e, c.pos))? else { return Ok(()) };
        if first.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        if !first.starts_with(b"WARC/") {
            let shown = String::from_utf8_lossy(&first[..first.len().min(40)]).trim().to_string();
            sink.item(Item::Event(
                At::byte(name, offset)
                    .error(format!("not a WARC record header: {shown:?}; skipping to the next record")),
            ));
            resync(&mut c).map_err(|e| (e, c.pos))?;
            continue;
        }
        number += 1;
        let at = |o| At::byte(name, o);
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
            let why =
                if size > MAX_HEADER { "header larger than 1 MiB" } else { "header cut off by the end of the file" };
            sink.item(Item::Event(at(offset).error(format!("record {number}: {why}"))));
            if size > MAX_HEADER {
                resync(&mut c).map_err(|e| (e, c.pos))?;
                continue;
            }
            return Ok(());
        }
        let get = |k: &str| headers.iter().find(|(h, _)| h == k).map(|(_, v)| v.clone());
        let Some(length) = get("content-length").and_then(|v| v.parse::<u64>().ok()) else {
            sink.item(Item::Event(
                at(offset).error(format!("record {number}: no valid Content-Length; skipping to the next record")),
            ));
            resync(&mut c).map_err(|e| (e, c.pos))?;
            continue;
        };
        let record = Record {
            offset,
            number,
            kind: get("warc-type").unwrap_or_default().to_ascii_lowercase(),
            id: get("warc-record-id").map(|i| i.trim_matches(['<', '>']).to_string()).unwrap_or_default(),
            uri: get("warc-target-uri").map(|u| u.trim_matches(['<', '>']).to_string()),
            content_type: get("content-type"),
        };
        let wanted = matches!(record.kind.as_str(), "response" | "resource" | "conversion");
        let keep = if wanted && length <= MAX_DOCUMENT as u64 { length as usize } else { 0 };
        let (body, got) = c.take(length, keep).map_err(|e| (e, c.pos))?;
        if got < length {
            sink.item(Item::Event(at(offset).error(format!(
                "record {number}: truncated: Content-Length {length} but the file ends after {got} bytes"
            ))));
            return Ok(());
        }
        // A record ends with two line breaks; anything else means Content-Length was wrong.
        // (One break before the next header, or none at the end of the file, is let pass.)
        let (tail, _) = c.take(4, 4).map_err(|e| (e, c.pos))?;
        let breaks = tail.iter().take_while(|&&b| b == b'\r' || b == b'\n').count();
        let rest = &tail[breaks..];
        if !rest.is_empty() && !(breaks > 0 && b"WARC/".starts_with(rest)) {
            sink.item(Item::Event(at(offset).error(format!(
                "record {number}: Content-Length {length} does not match the record (no blank line after it); \
                 record not read, skipping to the next record"
            ))));
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
            sink.item(Item::Event(at(offset).error(format!(
                "record {number}: {length} bytes, over the {} MiB document limit; not read",
                MAX_DOCUMENT >> 20
            ))));
            continue;
        }
        document(&record, body, name, sink);
    }
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

/// Turns a record's block into a document, or reports why it is not one.
fn document(record: &Record, block: Vec<u8>, name: &str, sink: &mut dyn Out) {
    let at = || At::byte(name, record.offset);
    let n = record.number;
    let (content_type, payload) = if record.kind == "response" {
        if !record.content_type.as_deref().unwrap_or("").to_ascii_lowercase().contains("application/http") {
            return sink.item(Item::Event(at().skipped(format!(
                "record {n}: response of type {} is not an HTTP response",
                record.content_type.as_deref().unwrap_or("(none)")
            ))));
        }
        match http_payload(block) {
            Ok(Http { status, content_type, body }) => {
                if !(200..300).contains(&status) {
                    return sink.item(Item::Event(at().skipped(format!("record {n}: HTTP status {status}"))));
                }
                (content_type, body)
            }
            Err(why) => return sink.item(Item::Event(at().error(format!("record {n}: {why}")))),
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
        return sink.item(Item::Event(at().skipped(format!("record {n}: content is {mime}, not a document"))));
    }
    let doc = Document {
        id: if record.id.is_empty() { format!("{name}#{}", record.offset) } else { record.id.clone() },
        url: record.uri.clone(),
        ..Document::default()
    };
    if is_html {
        let label = format!("record {n}: ");
        return sink.page(PendingPage { bytes: payload, content_type, doc, at: at(), label });
    }
    let (text, warnings) = charset::decode_page(&payload, content_type.as_deref());
    for w in warnings {
        sink.item(Item::Event(at().warning(format!("record {n}: {w}"))));
    }
    if text.trim().is_empty() {
        sink.item(Item::Event(at().warning(format!("record {n}: empty document"))));
    }
    sink.item(Item::Document(Document { text, ..doc }));
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
        Some("gzip" | "x-gzip") => body = inflate(flate2::read::MultiGzDecoder::new(&body[..]))?,
        Some("deflate") => body = inflate(flate2::read::ZlibDecoder::new(&body[..]))?,
        Some(other) => return Err(format!("content encoding {other:?} is not supported")),
    }
    Ok(Http { status, content_type, body })
}

/// Decompresses a body, at most `MAX_DOCUMENT` bytes of it.
fn inflate(r: impl Read) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    r.take(MAX_DOCUMENT as u64 + 1).read_to_end(&mut out).map_err(|e| format!("compressed body: {e}"))?;
    if out.len() > MAX_DOCUMENT {
        return Err(format!("compressed body inflates past the {} MiB document limit", MAX_DOCUMENT >> 20));
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
        let (mut docs, mut events) = (Vec::new(), Vec::new());
        let mut r = bytes;
        read_warc(
            &mut r,
            "t.warc",
            &mut crate::Finishing(&mut |i| match i {
                Item::Document(d) => docs.push(d),
                Item::Event(e) => events.push(e.to_string()),
            }),
        )
        .unwrap();
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
        assert_eq!(events.len(), 1, "{events:?}");
        assert!(events[0].starts_with("skipped: t.warc: byte "), "{events:?}");
        assert!(events[0].ends_with("record 4: content is image/png, not a document"), "{events:?}");
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
        let (docs, events) = read(&w);
        assert_eq!(docs[0].text, "Four people were wounded.");
        assert!(events[0].ends_with("record 2: HTTP status 404"), "{events:?}");
    }
}
