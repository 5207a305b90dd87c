//! JSON Lines: one document per line, `{"id", "text", "title"?, "published"?, "url"?,
//! "outlet"?, "author"?, "lang"?}`; a record with `"html"` instead of `"text"` is read as a
//! web page. A bad line is an error naming its line and byte; the next line is read.

use crate::event::At;
use crate::{charset, Item, Out, MAX_DOCUMENT};
use serde::Deserialize;
use std::io::{self, BufRead};
use tally_core::Document;

/// The JSON Lines document format (extra fields are ignored).
#[derive(Deserialize)]
struct JsonDoc {
    id: Option<serde_json::Value>,
    text: Option<String>,
    html: Option<String>,
    title: Option<String>,
    published: Option<String>,
    url: Option<String>,
    outlet: Option<String>,
    author: Option<String>,
    lang: Option<String>,
}

/// Reads every line of `reader`. `Err` is a read error of the stream (e.g. broken gzip), at
/// the decompressed byte and line given; bad lines are reported to `sink` and skipped.
pub fn read_jsonl(reader: &mut dyn BufRead, name: &str, sink: &mut dyn Out) -> Result<(), (io::Error, u64, usize)> {
    let mut buf = Vec::new();
    let (mut line_no, mut pos) = (0usize, 0u64);
    loop {
        buf.clear();
        let start = pos;
        let (read, over) = read_line(reader, &mut buf, MAX_DOCUMENT).map_err(|e| (e, pos, line_no + 1))?;
        if read == 0 {
            return Ok(());
        }
        pos += read as u64;
        line_no += 1;
        let at = At { input: name.to_string(), line: Some(line_no), offset: Some(start) };
        if over {
            sink.item(Item::Event(
                at.error(format!("line of {read} bytes, over the {} MiB document limit; not read", MAX_DOCUMENT >> 20)),
            ));
            continue;
        }
        if buf.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let (line, warning) = charset::utf8_lossy(std::mem::take(&mut buf));
        if let Some(w) = warning {
            sink.item(Item::Event(at.clone().warning(w)));
        }
        match parse_json_doc(&line) {
            Ok(doc) => sink.item(Item::Document(doc)),
            Err(message) => sink.item(Item::Event(at.error(message))),
        }
    }
}

/// Reads one line into `buf` (at most `max` bytes kept; the rest of a longer line is read
/// and dropped). Returns the bytes read and whether the line was over `max`.
fn read_line(r: &mut dyn BufRead, buf: &mut Vec<u8>, max: usize) -> io::Result<(usize, bool)> {
    let mut read = 0;
    loop {
        let chunk = match r.fill_buf() {
            Ok(c) => c,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if chunk.is_empty() {
            return Ok((read, read > max));
        }
        let (take, done) = match memchr::memchr(b'\n', chunk) {
            Some(i) => (i + 1, true),
            None => (chunk.len(), false),
        };
        if buf.len() < max {
            buf.extend_from_slice(&chunk[..take.min(max - buf.len())]);
        }
        r.consume(take);
        read += take;
        if done {
            return Ok((read, read > max));
        }
    }
}

pub fn parse_json_doc(line: &str) -> Result<Document, String> {
    let raw: JsonDoc = serde_json::from_str(line).map_err(|e| format!("malformed JSON: {e}"))?;
    let id = match raw.id {
        Some(serde_json::Value::String(s)) if !s.is_empty() => s,
        Some(serde_json::Value::Number(n)) => n.to_string(),
        _ => return Err("document has no \"id\"".into()),
    };
    let mut doc = Document {
        title: raw.title,
        published: raw.published,
        url: raw.url,
        outlet: raw.outlet,
        author: raw.author,
        lang: raw.lang,
        ..Document::default()
    };
    match (raw.text, raw.html) {
        (Some(text), _) => doc.text = text,
        (None, Some(html)) => crate::html::article(&html, doc.url.as_deref()).fill(&mut doc),
        (None, None) => return Err(format!("document {id} has no \"text\"")),
    }
    doc.id = id;
    Ok(doc)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_documents_need_id_and_text() {
        assert!(parse_json_doc(r#"{"id": "a", "text": "x", "extra": 1}"#).is_ok());
        assert_eq!(parse_json_doc(r#"{"id": 7, "text": "x"}"#).unwrap().id, "7");
        assert_eq!(parse_json_doc(r#"{"text": "x"}"#).unwrap_err(), "document has no \"id\"");
        assert!(parse_json_doc(r#"{"id": "a""#).unwrap_err().starts_with("malformed JSON"));
        let d = parse_json_doc(r#"{"id": "h", "html": "<p>Six killed</p>", "lang": "en"}"#).unwrap();
        assert_eq!((d.text.as_str(), d.lang.as_deref()), ("Six killed", Some("en")));
    }

    #[test]
    fn lines_located_by_number_and_byte() {
        let data = b"{\"id\": \"a\", \"text\": \"x\"}\n\n{bad\n{\"id\": \"b\", \"text\": \"y\"}";
        let mut r = &data[..];
        let mut got = Vec::new();
        read_jsonl(
            &mut r,
            "f.jsonl",
            &mut crate::Finishing(&mut |i| {
                got.push(match i {
                    Item::Document(d) => d.id,
                    Item::Event(e) => format!("{} @{:?}", e, e.offset()),
                })
            }),
        )
        .unwrap();
        assert_eq!(got[0], "a");
        assert!(got[1].starts_with("error: f.jsonl:3: malformed JSON") && got[1].ends_with("@Some(26)"), "{got:?}");
        assert_eq!(got[2], "b");
    }

    #[test]
    fn an_overlong_line_is_cut_and_skipped() {
        let mut data = vec![b'x'; 100];
        data.extend(b"\n{\"id\": 1, \"text\": \"t\"}\n");
        let mut r = &data[..];
        let mut buf = Vec::new();
        assert_eq!(read_line(&mut r, &mut buf, 10).unwrap(), (101, true));
        assert_eq!(buf.len(), 10);
        buf.clear();
        assert_eq!(read_line(&mut r, &mut buf, 10).unwrap().1, true);
    }
}
