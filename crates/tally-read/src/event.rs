//! What the reader tells its caller about an input besides documents: errors, warnings and
//! deliberate skips, each naming the input and, where it has one, the line or byte.

use std::fmt;

/// Something worth telling the user about an input.
///
/// `line` is the 1-based line of a JSON Lines record; `offset` the byte where the problem
/// starts: in the input as stored for plain files, in the decompressed stream for `.gz` and
/// `.zst` inputs other than WARC. A WARC record is located by the byte its header starts
/// at: in a plain `.warc`, `tail -c +OFFSET+1` finds it; in a `.warc.gz` (`.warc.zst`) the
/// offset is the stored byte of the gzip member (zstd frame) the record is in, which is
/// the record's own member when there is one per record (as crawlers write them, and as
/// Common Crawl's CDX index addresses them: `tail -c +OFFSET+1 | zcat` starts with the
/// record). When the record does not start its member (a single gzip stream over all
/// records, where every offset is 0), the message says how far into the member's
/// decompressed data it starts: `record 7 (decompressed byte 5120 of its gzip member)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// The input could not be read at all, or one record of it was rejected.
    Error { input: String, line: Option<usize>, offset: Option<u64>, message: String },
    /// The input was read, with a caveat (e.g. invalid UTF-8 replaced).
    Warning { input: String, line: Option<usize>, offset: Option<u64>, message: String },
    /// Inputs or records deliberately not read (e.g. WARC responses that are images, files
    /// of other types in a directory): not a failure, but never silent. `count` is how many
    /// the event stands for: one line may sum up many (see [`Event::count`]).
    Skipped { input: String, line: Option<usize>, offset: Option<u64>, message: String, count: u64 },
}

impl Event {
    pub fn is_error(&self) -> bool {
        matches!(self, Event::Error { .. })
    }

    pub fn input(&self) -> &str {
        match self {
            Event::Error { input, .. } | Event::Warning { input, .. } | Event::Skipped { input, .. } => input,
        }
    }

    pub fn line(&self) -> Option<usize> {
        match self {
            Event::Error { line, .. } | Event::Warning { line, .. } | Event::Skipped { line, .. } => *line,
        }
    }

    pub fn offset(&self) -> Option<u64> {
        match self {
            Event::Error { offset, .. } | Event::Warning { offset, .. } | Event::Skipped { offset, .. } => *offset,
        }
    }

    /// How many inputs or records the event is about: 1, except for a skipped event that
    /// sums up several (the files of other types in a directory, the WARC records of one
    /// input that are not documents).
    pub fn count(&self) -> u64 {
        match self {
            Event::Skipped { count, .. } => *count,
            _ => 1,
        }
    }

    pub fn message(&self) -> &str {
        match self {
            Event::Error { message, .. } | Event::Warning { message, .. } | Event::Skipped { message, .. } => message,
        }
    }

    /// `error`, `warning` or `skipped`: the word that starts the event's line on stderr.
    pub fn level(&self) -> &'static str {
        match self {
            Event::Error { .. } => "error",
            Event::Warning { .. } => "warning",
            Event::Skipped { .. } => "skipped",
        }
    }

    /// Where the event is, as printed: `file:line`, `file: byte N` or `file`.
    pub fn location(&self) -> String {
        match (self.line(), self.offset()) {
            (Some(l), _) => format!("{}:{l}", self.input()),
            (None, Some(o)) => format!("{}: byte {o}", self.input()),
            (None, None) => self.input().to_string(),
        }
    }
}

impl fmt::Display for Event {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}: {}", self.level(), self.location(), self.message())
    }
}

/// The place an event is about: an input and optionally a line and a byte offset.
#[derive(Debug, Clone, Default)]
pub(crate) struct At {
    pub input: String,
    pub line: Option<usize>,
    pub offset: Option<u64>,
}

impl At {
    pub fn input(input: &str) -> At {
        At { input: input.to_string(), ..At::default() }
    }

    pub fn byte(input: &str, offset: u64) -> At {
        At { input: input.to_string(), line: None, offset: Some(offset) }
    }

    pub fn error(self, message: impl Into<String>) -> Event {
        Event::Error { input: self.input, line: self.line, offset: self.offset, message: message.into() }
    }

    pub fn warning(self, message: impl Into<String>) -> Event {
        Event::Warning { input: self.input, line: self.line, offset: self.offset, message: message.into() }
    }

    pub fn skipped(self, message: impl Into<String>) -> Event {
        self.skipped_many(1, message)
    }

    /// A skipped event that stands for `count` inputs or records.
    pub fn skipped_many(self, count: u64, message: impl Into<String>) -> Event {
        Event::Skipped { input: self.input, line: self.line, offset: self.offset, message: message.into(), count }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn printed_with_line_or_byte() {
        let e = At { input: "a.jsonl".into(), line: Some(3), offset: Some(120) }.error("malformed JSON");
        assert_eq!(e.to_string(), "error: a.jsonl:3: malformed JSON");
        let w = At::byte("c.warc.gz", 4096).skipped("response is image/png");
        assert_eq!(w.to_string(), "skipped: c.warc.gz: byte 4096: response is image/png");
        assert_eq!(At::input("x").warning("empty document").to_string(), "warning: x: empty document");
        assert!(e.is_error() && !w.is_error());
        assert_eq!((e.count(), w.count()), (1, 1));
        assert_eq!(At::input("d").skipped_many(12, "12 files").count(), 12);
    }
}
