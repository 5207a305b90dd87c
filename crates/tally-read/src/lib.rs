//! Input: turns paths (files, directories, `-` for stdin) into a stream of [`Document`]s.
//!
//! Formats are chosen by name, then by content: `.jsonl`/`.ndjson` hold one document per
//! line, `.html`/`.htm` are reduced to their article (`html`), `.warc` archives are read
//! record by record (`warc`), anything else is plain text with the file name as id (or a
//! WARC / HTML page when its first bytes say so). Any of them may be gzip or zstd
//! compressed (`stream`: detected by content, bounded against decompression bombs).
//! Directories are walked in name order (`plan`, filtered by globs, `glob`). Nothing is
//! dropped silently: every problem is an [`Event`] naming the file (and line or byte), and
//! reading goes on with the next record or input. Character sets: `charset`; languages:
//! `lang` (used by the caller, which decides what is analysed).
//!
//! Reading is single-threaded and streaming: memory holds one document (at most
//! [`MAX_DOCUMENT`] bytes) plus buffers, whatever the size of the input.

mod charset;
mod event;
mod glob;
pub mod html;
mod jsonl;
pub mod lang;
mod plan;
mod stream;
mod visible;
mod warc;

pub use event::Event;
pub use glob::Glob;
pub use plan::{is_document_name, plan, Entry, Input, Options, PassedOver, Plan, DOCUMENT_EXTENSIONS};
pub use stream::{RATIO as DECOMPRESSION_RATIO, SLACK as DECOMPRESSION_SLACK};
pub use visible::{html_to_text, Page};

use event::At;
use std::fs::File;
use std::io::{self, BufRead, Read};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use stream::Stream;
use tally_core::Document;

/// The largest document (a file, a JSON line, a WARC record) read, in bytes. Larger ones are
/// reported and skipped, so one runaway record cannot take the memory of the batch.
pub const MAX_DOCUMENT: usize = 256 << 20;

/// What the reader hands to its caller, in input order.
pub enum Item {
    Document(Document),
    Event(Event),
}

/// What [`read_plan_deferred`] hands out: items, and web pages whose costly reduction to
/// an article is left to the caller (to run on worker threads).
pub enum Raw {
    Item(Item),
    Page(PendingPage),
}

/// A web page read but not yet reduced to its article.
pub struct PendingPage {
    bytes: Vec<u8>,
    /// The HTTP `Content-Type` it came with (its charset counts first).
    content_type: Option<String>,
    /// The document so far: id, url.
    doc: Document,
    at: At,
    /// Prefix of its events' messages (`record 3: ` in a WARC).
    label: String,
}

impl PendingPage {
    /// The id its document will have.
    pub fn id(&self) -> &str {
        &self.doc.id
    }

    /// Bytes of HTML (for budgets and progress).
    pub fn len(&self) -> usize {
        self.bytes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    /// The page's document (article text, metadata, comments) and the warnings on the way
    /// (charset problems, an empty page), which come before the document.
    pub fn finish(self) -> (Document, Vec<Event>) {
        let PendingPage { bytes, content_type, mut doc, at, label } = self;
        let (html, warnings) = charset::decode_page(&bytes, content_type.as_deref());
        drop(bytes);
        let mut events: Vec<Event> = warnings.into_iter().map(|w| at.clone().warning(format!("{label}{w}"))).collect();
        html::article(&html, doc.url.as_deref()).fill(&mut doc);
        if doc.text.trim().is_empty() {
            events.push(at.warning(format!("{label}empty document")));
        }
        (doc, events)
    }
}

/// Where readers put what they find.
pub(crate) trait Out {
    fn item(&mut self, item: Item);
    fn page(&mut self, page: PendingPage);
}

/// Pages reduced on the spot: for callers that want documents only.
pub(crate) struct Finishing<'a>(pub &'a mut dyn FnMut(Item));

impl Out for Finishing<'_> {
    fn item(&mut self, item: Item) {
        (self.0)(item)
    }

    fn page(&mut self, page: PendingPage) {
        let (doc, events) = page.finish();
        for e in events {
            (self.0)(Item::Event(e));
        }
        (self.0)(Item::Document(doc));
    }
}

struct Deferred<'a>(&'a mut dyn FnMut(Raw));

impl Out for Deferred<'_> {
    fn item(&mut self, item: Item) {
        (self.0)(Raw::Item(item))
    }

    fn page(&mut self, page: PendingPage) {
        (self.0)(Raw::Page(page))
    }
}

/// How many bytes are sniffed for NUL bytes to tell binary files from text.
const SNIFF: usize = 8192;

/// Counters a progress display reads while another thread reads the inputs.
#[derive(Debug, Default)]
pub struct Progress {
    /// Inputs finished (read to the end, or failed).
    pub files_done: AtomicU64,
    /// Stored (compressed, for compressed inputs) bytes read so far, all inputs together.
    pub stored_bytes: Arc<AtomicU64>,
}

/// Reads every input in order, calling `sink` for each document and each problem.
/// Directories are read with the default [`Options`] (document file types, no excludes).
pub fn read_inputs(inputs: &[String], mut sink: impl FnMut(Item)) {
    let plan = plan(inputs, &Options::default()).unwrap_or_default();
    read_plan(&plan, None, &mut sink);
}

/// Reads a [`plan`]'s inputs in order; its events come out in their place among them.
pub fn read_plan(plan: &Plan, progress: Option<&Progress>, sink: &mut dyn FnMut(Item)) {
    read_entries(plan, progress, &mut Finishing(sink));
}

/// As [`read_plan`], but web pages come out as [`PendingPage`]s for the caller to finish,
/// in their place in the order.
pub fn read_plan_deferred(plan: &Plan, progress: Option<&Progress>, sink: &mut dyn FnMut(Raw)) {
    read_entries(plan, progress, &mut Deferred(sink));
}

fn read_entries(plan: &Plan, progress: Option<&Progress>, sink: &mut dyn Out) {
    for entry in &plan.entries {
        match entry {
            Entry::Input(input) => {
                // A bug met on one input must not end the batch: it is that input's error.
                let read = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    read_one(input, progress.map(|p| p.stored_bytes.clone()), plan.each_skip, sink)
                }));
                if let Err(panic) = read {
                    let message =
                        format!("internal error while reading ({}); rest of the input not read", panic_text(&*panic));
                    sink.item(Item::Event(At::input(&input.name).error(message)));
                }
                if let Some(p) = progress {
                    p.files_done.fetch_add(1, Ordering::Relaxed);
                }
            }
            Entry::Event(e) => sink.item(Item::Event(e.clone())),
            Entry::PassedOver(p) => sink.item(Item::Event(p.event())),
        }
    }
}

/// The message a panic carried.
pub fn panic_text(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "panic".into())
}

pub(crate) fn io_message(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::NotFound => "no such file or directory".into(),
        io::ErrorKind::PermissionDenied => "permission denied".into(),
        io::ErrorKind::IsADirectory => "is a directory".into(),
        _ => e.to_string(),
    }
}

/// `a.jsonl.gz` → `a.jsonl` (lower-case input).
pub(crate) fn strip_compression(name: &str) -> &str {
    for ext in [".gz", ".gzip", ".zst", ".zstd"] {
        if let Some(stem) = name.strip_suffix(ext) {
            return stem;
        }
    }
    name
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Format {
    Jsonl,
    Html,
    Warc,
    Text,
}

/// The format a name says, if it says one.
fn format_of(name: &str) -> Option<Format> {
    let lower = name.to_ascii_lowercase();
    let stem = strip_compression(&lower);
    match stem.rsplit_once('.').map(|(_, e)| e) {
        Some("jsonl" | "ndjson") => Some(Format::Jsonl),
        Some("html" | "htm" | "xhtml") => Some(Format::Html),
        Some("warc" | "arc") => Some(Format::Warc),
        Some("txt" | "text" | "md") => Some(Format::Text),
        _ => None,
    }
}

/// The format the first bytes say: a WARC header or an HTML page; `None` otherwise.
fn sniff(head: &[u8]) -> Option<Format> {
    if head.starts_with(b"WARC/") {
        return Some(Format::Warc);
    }
    let start = head.trim_ascii_start();
    let start = start.strip_prefix(b"\xef\xbb\xbf".as_slice()).unwrap_or(start);
    let lower: Vec<u8> = start.iter().take(15).map(u8::to_ascii_lowercase).collect();
    (lower.starts_with(b"<!doctype html") || lower.starts_with(b"<html")).then_some(Format::Html)
}

/// Reads one input to its end (or its first unrecoverable error).
pub fn read_input(input: &Input, progress: Option<Arc<AtomicU64>>, sink: &mut dyn FnMut(Item)) {
    read_one(input, progress, false, &mut Finishing(sink))
}

/// `each_skip`: see [`Plan::each_skip`].
fn read_one(input: &Input, progress: Option<Arc<AtomicU64>>, each_skip: bool, sink: &mut dyn Out) {
    let name = input.name.as_str();
    let raw: Box<dyn Read> = match &input.path {
        None => Box::new(io::stdin().lock()),
        Some(path) => match File::open(path) {
            Ok(f) => Box::new(f),
            Err(e) => return sink.item(Item::Event(At::input(name).error(io_message(&e)))),
        },
    };
    read_raw(input, raw, progress, each_skip, sink)
}

/// Reads any byte stream as if it were a file called `name` (its format chosen by that
/// name, then by its content; compression by its content). For tests and fuzzing.
pub fn read_stream(name: &str, raw: impl Read + 'static, sink: &mut dyn FnMut(Item)) {
    let input = Input { path: Some(name.into()), name: name.to_string(), size: None };
    read_raw(&input, Box::new(raw), None, false, &mut Finishing(sink))
}

fn read_raw(input: &Input, raw: Box<dyn Read>, progress: Option<Arc<AtomicU64>>, each_skip: bool, sink: &mut dyn Out) {
    let name = input.name.as_str();
    let mut stream = match Stream::open(raw, progress) {
        Ok(s) => s,
        Err(e) => return sink.item(Item::Event(At::input(name).error(io_message(&e)))),
    };
    let head = match stream.reader.fill_buf() {
        Ok(h) => h,
        Err(e) => return sink.item(Item::Event(At::input(name).error(stream.describe(&e)))),
    };
    let format = match (input.path.is_none(), format_of(name)) {
        // stdin: JSON Lines unless it is a WARC archive.
        (true, _) => sniff(head).filter(|&f| f == Format::Warc).unwrap_or(Format::Jsonl),
        (false, Some(f)) => f,
        (false, None) => sniff(head).unwrap_or(Format::Text),
    };
    match format {
        Format::Jsonl => {
            if let Err((e, offset, line)) = jsonl::read_jsonl(&mut *stream.reader, name, sink) {
                let at = At { input: name.to_string(), line: Some(line), offset: Some(offset) };
                sink.item(Item::Event(at.error(stream.describe(&e))));
            }
        }
        Format::Warc => {
            let mut reader = warc::Warc::new(name, stream.members.clone(), each_skip);
            if let Err((e, offset)) = reader.read(&mut *stream.reader, sink) {
                let (at, note) = reader.place(offset);
                let note = note.map(|n| format!("{n}: ")).unwrap_or_default();
                sink.item(Item::Event(at.error(format!("{note}{}", stream.describe(&e)))));
            }
            reader.finish(sink);
        }
        Format::Html | Format::Text => read_whole(&mut stream, input, format, sink),
    }
}

fn read_whole(stream: &mut Stream, input: &Input, format: Format, sink: &mut dyn Out) {
    let name = input.name.as_str();
    let mut bytes = Vec::new();
    if let Err(e) = (&mut stream.reader).take(MAX_DOCUMENT as u64 + 1).read_to_end(&mut bytes) {
        return sink.item(Item::Event(At::byte(name, bytes.len() as u64).error(stream.describe(&e))));
    }
    if bytes.len() > MAX_DOCUMENT {
        let msg = format!("document larger than the {} MiB limit; not read", MAX_DOCUMENT >> 20);
        return sink.item(Item::Event(At::input(name).error(msg)));
    }
    if let Some(at) = memchr::memchr(0, &bytes[..bytes.len().min(SNIFF)]) {
        return sink.item(Item::Event(At::input(name).error(format!("binary file (NUL byte at byte {at}), skipped"))));
    }
    let id = input
        .path
        .as_deref()
        .and_then(Path::file_name)
        .map_or_else(|| name.to_string(), |f| f.to_string_lossy().into_owned());
    if format == Format::Html {
        let doc = Document { id, ..Document::default() };
        let page = PendingPage { bytes, content_type: None, doc, at: At::input(name), label: String::new() };
        return sink.page(page);
    }
    let (text, warning) = charset::utf8_lossy(bytes);
    if let Some(w) = warning {
        sink.item(Item::Event(At::input(name).warning(w)));
    }
    if text.trim().is_empty() {
        sink.item(Item::Event(At::input(name).warning("empty document")));
    }
    sink.item(Item::Document(Document { id, text, ..Document::default() }));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_by_name_then_content() {
        assert_eq!(format_of("a/CC-NEWS-1.warc.gz"), Some(Format::Warc));
        assert_eq!(format_of("b.JSONL.zst"), Some(Format::Jsonl));
        assert_eq!(format_of("c.htm"), Some(Format::Html));
        assert_eq!(format_of("README"), None);
        assert_eq!(sniff(b"WARC/1.1\r\n"), Some(Format::Warc));
        assert_eq!(sniff(b"\n  <!DOCTYPE HTML><html>"), Some(Format::Html));
        assert_eq!(sniff(b"Five killed"), None);
    }

    #[test]
    fn io_errors_in_words() {
        // Root reads anything, so the CLI test drops privileges; the wording is checked here.
        assert_eq!(io_message(&io::Error::from(io::ErrorKind::PermissionDenied)), "permission denied");
        assert_eq!(io_message(&io::Error::from_raw_os_error(13)), "permission denied");
        assert_eq!(io_message(&io::Error::from_raw_os_error(2)), "no such file or directory");
    }

    #[test]
    fn streams_read_like_files() {
        let mut got = Vec::new();
        read_stream("x.html", io::Cursor::new(b"<p>Six died.</p>".to_vec()), &mut |i| {
            if let Item::Document(d) = i {
                got.push(d.text)
            }
        });
        assert_eq!(got, ["Six died."]);
    }
}
