//! What will be read, decided before reading starts: paths expanded (directories walked in
//! name order, filtered by `--include` / `--exclude`), sizes summed for progress and ETA,
//! and problems found on the way (a missing path, an unreadable directory) kept in order.

use crate::event::{At, Event};
use crate::glob::Glob;
use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

/// File name endings read from directories when no `--include` is given (compression
/// suffixes `.gz`, `.zst` allowed after each).
pub const DOCUMENT_EXTENSIONS: [&str; 10] =
    ["txt", "text", "html", "htm", "xhtml", "jsonl", "ndjson", "warc", "arc", "md"];

/// Which files of a directory are read.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Globs a file below a directory must match (default: the document extensions).
    pub include: Vec<String>,
    /// Globs that exclude files below a directory, and whole subdirectories.
    pub exclude: Vec<String>,
}

/// One input to read: a file, or standard input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Input {
    /// `None` for standard input.
    pub path: Option<PathBuf>,
    /// The name events and document ids use.
    pub name: String,
    /// Size in bytes when known (files; not stdin).
    pub size: Option<u64>,
}

/// Files of other types a directory held, not read (reported, not silent).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PassedOver {
    pub dir: String,
    pub count: u64,
    /// Counts per extension, e.g. `.png 12, .css 3`.
    pub by_extension: String,
}

impl PassedOver {
    pub fn event(&self) -> Event {
        At::input(&self.dir).skipped_many(
            self.count,
            format!("{} files that are not documents ({}); --include reads them", self.count, self.by_extension),
        )
    }
}

/// One step of the plan, in command-line order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry {
    Input(Input),
    Event(Event),
    PassedOver(PassedOver),
}

#[derive(Debug, Clone, Default)]
pub struct Plan {
    pub entries: Vec<Entry>,
    /// Files (and stdin) to read.
    pub files: u64,
    /// Their total size, when every size is known.
    pub bytes: Option<u64>,
    /// Report each WARC record that is not a document (not HTTP, not 2xx, not HTML or
    /// text) as its own skipped event; by default each input's are summed up in one event,
    /// after its last record.
    pub each_skip: bool,
}

/// Expands `inputs` into the files to read. Bad globs are a usage error (`Err`).
pub fn plan(inputs: &[String], options: &Options) -> Result<Plan, String> {
    let compile = |globs: &[String]| -> Result<Vec<Glob>, String> {
        globs.iter().map(|g| Glob::new(g).map_err(|e| format!("bad glob {g:?}: {e}"))).collect()
    };
    let (include, exclude) = (compile(&options.include)?, compile(&options.exclude)?);
    let mut plan = Plan { bytes: Some(0), ..Plan::default() };
    for input in inputs {
        if input == "-" {
            plan.push(Input { path: None, name: "<stdin>".into(), size: None });
            continue;
        }
        let path = Path::new(input);
        match std::fs::metadata(path) {
            Err(e) => plan.entries.push(Entry::Event(At::input(input).error(crate::io_message(&e)))),
            Ok(m) if m.is_dir() => walk(path, &include, &exclude, &mut plan),
            Ok(m) => plan.push(Input { path: Some(path.to_path_buf()), name: input.clone(), size: Some(m.len()) }),
        }
    }
    Ok(plan)
}

impl Plan {
    fn push(&mut self, input: Input) {
        self.files += 1;
        self.bytes = match (self.bytes, input.size) {
            (Some(b), Some(s)) => Some(b + s),
            _ => None,
        };
        self.entries.push(Entry::Input(input));
    }
}

/// Whether `name` ends in a document extension, possibly followed by `.gz` / `.zst`.
pub fn is_document_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    let stem = crate::strip_compression(&lower);
    stem.rsplit_once('.').is_some_and(|(_, ext)| DOCUMENT_EXTENSIONS.contains(&ext))
}

/// Files below `dir`, depth first in name order, so runs are deterministic.
fn walk(dir: &Path, include: &[Glob], exclude: &[Glob], plan: &mut Plan) {
    let mut other: BTreeMap<String, u64> = BTreeMap::new();
    let mut seen = HashSet::new();
    if let Ok(m) = std::fs::metadata(dir) {
        seen.insert(dir_key(&m));
    }
    let mut walker = Walker { include, exclude, plan, other: &mut other, seen: &mut seen };
    walker.dir(dir, "");
    if !other.is_empty() {
        let mut by: Vec<_> = other.into_iter().collect();
        by.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let count = by.iter().map(|(_, n)| n).sum();
        let by_extension = by.iter().map(|(e, n)| format!("{e} {n}")).collect::<Vec<_>>().join(", ");
        plan.entries.push(Entry::PassedOver(PassedOver { dir: dir.display().to_string(), count, by_extension }));
    }
}

struct Walker<'a> {
    include: &'a [Glob],
    exclude: &'a [Glob],
    plan: &'a mut Plan,
    other: &'a mut BTreeMap<String, u64>,
    /// Directories entered, by (device, inode): a symbolic link back up the tree is not
    /// followed twice.
    seen: &'a mut HashSet<(u64, u64)>,
}

impl Walker<'_> {
    fn error(&mut self, path: &Path, e: &std::io::Error) {
        self.plan.entries.push(Entry::Event(At::input(&path.display().to_string()).error(crate::io_message(e))));
    }

    fn dir(&mut self, d: &Path, rel: &str) {
        let entries = match std::fs::read_dir(d) {
            Ok(e) => e,
            Err(e) => return self.error(d, &e),
        };
        let mut names = Vec::new();
        for entry in entries {
            match entry {
                Ok(e) => names.push(e),
                Err(e) => self.error(d, &e),
            }
        }
        names.sort_by_key(|e| e.file_name());
        for entry in names {
            let name = entry.file_name().to_string_lossy().into_owned();
            let relative = if rel.is_empty() { name.clone() } else { format!("{rel}/{name}") };
            let path = entry.path();
            if self.exclude.iter().any(|g| g.matches(&relative)) {
                continue;
            }
            // Follows symbolic links, as reading the file would.
            let meta = match std::fs::metadata(&path) {
                Ok(m) => m,
                Err(e) => {
                    self.error(&path, &e);
                    continue;
                }
            };
            if meta.is_dir() {
                if self.seen.insert(dir_key(&meta)) {
                    self.dir(&path, &relative);
                }
                continue;
            }
            let wanted = if self.include.is_empty() {
                is_document_name(&name)
            } else {
                self.include.iter().any(|g| g.matches(&relative))
            };
            if wanted {
                let input =
                    Input { path: Some(path.clone()), name: path.display().to_string(), size: Some(meta.len()) };
                self.plan.push(input);
            } else if self.include.is_empty() {
                let ext = name
                    .rsplit_once('.')
                    .map_or("(no extension)".to_string(), |(_, e)| format!(".{}", e.to_ascii_lowercase()));
                *self.other.entry(ext).or_default() += 1;
            }
        }
    }
}

#[cfg(unix)]
fn dir_key(m: &std::fs::Metadata) -> (u64, u64) {
    use std::os::unix::fs::MetadataExt;
    (m.dev(), m.ino())
}

#[cfg(not(unix))]
fn dir_key(_: &std::fs::Metadata) -> (u64, u64) {
    // Without inode numbers every directory counts as new; link loops are rare there.
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    (0, NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn document_names() {
        for n in ["a.txt", "b.HTML", "c.jsonl.gz", "CC-NEWS-1.warc.gz", "d.ndjson.zst", "e.warc"] {
            assert!(is_document_name(n), "{n}");
        }
        for n in ["a.png", "style.css", "app.js", "README", "x.gz"] {
            assert!(!is_document_name(n), "{n}");
        }
    }
}
