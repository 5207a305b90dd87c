//! Input: turns paths (files, directories, `-` for stdin) into a stream of [`Document`]s.
//!
//! Formats are chosen by extension: `.jsonl`/`.ndjson` hold one document per line,
//! `.html`/`.htm` are reduced to their visible text, anything else is plain text with the
//! file name as id. Nothing is dropped silently: every problem is an [`Event`] naming the
//! file (and line or byte), and reading goes on with the next document.

mod html;

use serde::Deserialize;
use std::fmt;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use tally_core::Document;

pub use html::html_to_text;

/// Something worth telling the user about an input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// The input could not be read at all, or one record of it was rejected.
    Error { input: String, line: Option<usize>, message: String },
    /// The input was read, with a caveat (e.g. invalid UTF-8 replaced).
    Warning { input: String, line: Option<usize>, message: String },
}

impl Event {
    pub fn is_error(&self) -> bool {
        matches!(self, Event::Error { .. })
    }
}

impl fmt::Display for Event {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (level, input, line, message) = match self {
            Event::Error { input, line, message } => ("error", input, line, message),
            Event::Warning { input, line, message } => ("warning", input, line, message),
        };
        match line {
            Some(l) => write!(f, "{level}: {input}:{l}: {message}"),
            None => write!(f, "{level}: {input}: {message}"),
        }
    }
}

/// What the reader hands to its caller, in input order.
pub enum Item {
    Document(Document),
    Event(Event),
}

/// How many bytes are sniffed for NUL bytes to tell binary files from text.
const SNIFF: usize = 8192;

/// The JSON Lines document format (extra fields are ignored).
#[derive(Deserialize)]
struct JsonDoc {
    id: Option<serde_json::Value>,
    text: Option<String>,
    title: Option<String>,
    published: Option<String>,
    url: Option<String>,
    outlet: Option<String>,
}

/// Reads every input in order, calling `sink` for each document and each problem.
pub fn read_inputs(inputs: &[String], mut sink: impl FnMut(Item)) {
    for input in inputs {
        if input == "-" {
            read_jsonl(io::stdin().lock(), "<stdin>", &mut sink);
            continue;
        }
        let path = Path::new(input);
        match std::fs::metadata(path) {
            Err(e) => sink(Item::Event(error(input, None, io_message(&e)))),
            Ok(m) if m.is_dir() => {
                for file in walk(path, &mut sink) {
                    read_file(&file, &mut sink);
                }
            }
            Ok(_) => read_file(path, &mut sink),
        }
    }
}

fn error(input: &str, line: Option<usize>, message: String) -> Event {
    Event::Error { input: input.to_string(), line, message }
}

fn warning(input: &str, line: Option<usize>, message: String) -> Event {
    Event::Warning { input: input.to_string(), line, message }
}

fn io_message(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::NotFound => "no such file or directory".into(),
        io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}

/// Files below `dir`, sorted, so runs are deterministic.
fn walk(dir: &Path, sink: &mut impl FnMut(Item)) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let entries = match std::fs::read_dir(&d) {
            Ok(e) => e,
            Err(e) => {
                sink(Item::Event(error(&d.display().to_string(), None, io_message(&e))));
                continue;
            }
        };
        for entry in entries.flatten() {
            let p = entry.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Format {
    Jsonl,
    Html,
    Text,
}

fn format_of(path: &Path) -> Format {
    match path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref() {
        Some("jsonl" | "ndjson") => Format::Jsonl,
        Some("html" | "htm" | "xhtml") => Format::Html,
        _ => Format::Text,
    }
}

fn read_file(path: &Path, sink: &mut impl FnMut(Item)) {
    let name = path.display().to_string();
    let file = match File::open(path) {
        Ok(f) => f,
        Err(e) => return sink(Item::Event(error(&name, None, io_message(&e)))),
    };
    match format_of(path) {
        Format::Jsonl => read_jsonl(BufReader::new(file), &name, sink),
        format => read_whole(file, path, &name, format, sink),
    }
}

fn read_whole(mut file: File, path: &Path, name: &str, format: Format, sink: &mut impl FnMut(Item)) {
    let mut bytes = Vec::new();
    if let Err(e) = file.read_to_end(&mut bytes) {
        return sink(Item::Event(error(name, None, io_message(&e))));
    }
    if let Some(at) = memchr::memchr(0, &bytes[..bytes.len().min(SNIFF)]) {
        return sink(Item::Event(error(name, None, format!("binary file (NUL byte at byte {at}), skipped"))));
    }
    let text = decode(bytes, name, None, sink);
    if text.trim().is_empty() {
        sink(Item::Event(warning(name, None, "empty document".into())));
    }
    let id = path.file_name().map_or_else(|| name.to_string(), |f| f.to_string_lossy().into_owned());
    let doc = match format {
        Format::Html => {
            let page = html_to_text(&text);
            Document { id, text: page.text, title: page.title, ..Document::default() }
        }
        _ => Document { id, text, ..Document::default() },
    };
    sink(Item::Document(doc));
}

/// UTF-8 text, with invalid bytes replaced (U+FFFD) and a warning naming the first one.
fn decode(bytes: Vec<u8>, name: &str, line: Option<usize>, sink: &mut impl FnMut(Item)) -> String {
    match String::from_utf8(bytes) {
        Ok(s) => s,
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let bytes = e.into_bytes();
            sink(Item::Event(warning(
                name,
                line,
                format!("invalid UTF-8 at byte {at}, decoded with replacement characters"),
            )));
            String::from_utf8_lossy(&bytes).into_owned()
        }
    }
}

fn read_jsonl(mut reader: impl BufRead, name: &str, sink: &mut impl FnMut(Item)) {
    let mut buf = Vec::new();
    let mut line_no = 0;
    loop {
        buf.clear();
        match reader.read_until(b'\n', &mut buf) {
            Ok(0) => break,
            Ok(_) => {}
            Err(e) => return sink(Item::Event(error(name, Some(line_no + 1), io_message(&e)))),
        }
        line_no += 1;
        if buf.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let line = decode(std::mem::take(&mut buf), name, Some(line_no), sink);
        match parse_json_doc(&line) {
            Ok(doc) => sink(Item::Document(doc)),
            Err(message) => sink(Item::Event(error(name, Some(line_no), message))),
        }
    }
}

fn parse_json_doc(line: &str) -> Result<Document, String> {
    let raw: JsonDoc = serde_json::from_str(line).map_err(|e| format!("malformed JSON: {e}"))?;
    let id = match raw.id {
        Some(serde_json::Value::String(s)) if !s.is_empty() => s,
        Some(serde_json::Value::Number(n)) => n.to_string(),
        _ => return Err("document has no \"id\"".into()),
    };
    let text = raw.text.ok_or_else(|| format!("document {id} has no \"text\""))?;
    Ok(Document { id, text, title: raw.title, published: raw.published, url: raw.url, outlet: raw.outlet })
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
    }
}
