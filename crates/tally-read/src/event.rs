//! What the reader tells its caller about an input besides documents: errors, warnings and
//! deliberate skips, each naming the input and, where it has one, the line or byte.

use std::fmt;

/// Something worth telling the user about an input.
///
/// `line` is the 1-based line of a JSON Lines record; `offset` the byte where the problem
/// starts: in the input as stored for plain files, in the decompressed stream for `.gz` and
/// `.zst` inputs (WARC records are located by the byte their header starts at, so
/// `tail -c +OFFSET+1` or `zcat | tail -c +OFFSET+1` finds them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// The input could not be read at all, or one record of it was rejected.
    Error { input: String, line: Option<usize>, offset: Option<u64>, message: String },
    /// The input was read, with a caveat (e.g. invalid UTF-8 replaced).
    Warning { input: String, line: Option<usize>, offset: Option<u64>, message: String },
    /// An input or record was deliberately not read (e.g. a WARC response that is an image,
    /// files of other types in a directory): not a failure, but never silent.
    Skipped { input: String, line: Option<usize>, offset: Option<u64>, message: String },
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
        Event::Skipped { input: self.input, line: self.line, offset: self.offset, message: message.into() }
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
    }
}
