//! Cited origins: the agencies, broadcasters and bodies a report says its facts come from.
//!
//! "(AP, Feb. 2)", "Reuters reported", "told Al Jazeera", "state news agency SANA said",
//! "according to the WHO". The names are data (`data/origins.tsv`); a name counts only next
//! to a citation cue, so "the AP style" or "Reuters' office" is not an origin. Each origin
//! keeps its bytes and the cue that made it one, for "why?".

use rustc_hash::FxHashMap;
use std::sync::LazyLock;

/// What kind of party an origin is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OriginType {
    /// A news agency (wire service or national agency).
    Agency,
    /// A broadcaster or newspaper.
    Outlet,
    /// An organisation reporting its own findings (UN bodies, NGOs).
    Body,
}

impl OriginType {
    pub fn as_str(self) -> &'static str {
        match self {
            OriginType::Agency => "agency",
            OriginType::Outlet => "outlet",
            OriginType::Body => "body",
        }
    }
}

/// One cited origin in a document.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct CitedOrigin {
    /// The canonical name from `data/origins.tsv`.
    pub name: String,
    #[serde(rename = "type")]
    pub kind: OriginType,
    /// The name as written, and its bytes in the text.
    pub text: String,
    pub span: [usize; 2],
    /// The citation cue: `dateline`, `reported`, `told`, `according_to`, `agency`, `citing`.
    pub cue: &'static str,
}

struct Entry {
    name: String,
    kind: OriginType,
}

struct Table {
    entries: Vec<Entry>,
    /// First word of an alias → (alias words, entry index), longest alias first.
    aliases: FxHashMap<String, Vec<(Vec<String>, usize)>>,
}

static TABLE: LazyLock<Table> = LazyLock::new(|| Table::parse(include_str!("../data/origins.tsv")));

impl Table {
    fn parse(tsv: &str) -> Table {
        let mut entries = Vec::new();
        let mut aliases: FxHashMap<String, Vec<(Vec<String>, usize)>> = FxHashMap::default();
        for line in tsv.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()) {
            let mut f = line.split('\t');
            let (name, kind, names) = (f.next().unwrap_or_default(), f.next().unwrap_or_default(), f.next());
            let kind = match kind {
                "agency" => OriginType::Agency,
                "outlet" => OriginType::Outlet,
                _ => OriginType::Body,
            };
            for alias in names.unwrap_or(name).split('|') {
                let words: Vec<String> = words(alias).map(|(w, _)| w.to_string()).collect();
                if let Some(first) = words.first() {
                    aliases.entry(first.clone()).or_default().push((words, entries.len()));
                }
            }
            entries.push(Entry { name: name.to_string(), kind });
        }
        aliases.values_mut().for_each(|v| v.sort_by_key(|(w, _)| std::cmp::Reverse(w.len())));
        Table { entries, aliases }
    }
}

/// Words and single punctuation marks with their byte offsets. Dots inside a word stay in it
/// ("U.N.", "Report.az"), a final dot does not, unless the word is an initialism ("U.N.").
fn words(text: &str) -> impl Iterator<Item = (&str, usize)> {
    let bytes = text.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        if i >= bytes.len() {
            return None;
        }
        let start = i;
        let c = text[i..].chars().next()?;
        if !c.is_alphanumeric() {
            i += c.len_utf8();
            return Some((&text[start..i], start));
        }
        while let Some(c) = text[i..].chars().next() {
            let inner = matches!(c, '.' | '-' | '\'' | '/') && text[i + 1..].starts_with(char::is_alphanumeric);
            if c.is_alphanumeric() || inner {
                i += c.len_utf8();
            } else {
                break;
            }
        }
        // "U.N." keeps its last dot: a dot after a single capital.
        if text[i..].starts_with('.') && i - start >= 1 && text[start..i].ends_with(|c: char| c.is_ascii_uppercase()) {
            let prev = text[..i].chars().rev().nth(1);
            if prev == Some('.') {
                i += 1;
            }
        }
        Some((&text[start..i], start))
    })
}

const VERBS_AFTER: &[&str] = &[
    "said",
    "says",
    "reported",
    "reports",
    "quoted",
    "quotes",
    "cited",
    "cites",
    "added",
    "confirmed",
    "stated",
    "announced",
    "published",
    "tweeted",
    "wrote",
    "showed",
    "broadcast",
    "aired",
    "learned",
    "learnt",
];
const NOUNS_AFTER: &[&str] = &["correspondent", "reporter", "reporters", "journalist", "report", "reported"];

/// Every cited origin in `text`, in text order.
pub fn cited_origins(text: &str) -> Vec<CitedOrigin> {
    let table = &*TABLE;
    let toks: Vec<(&str, usize)> = words(text).collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        let Some(found) = table.aliases.get(toks[i].0).and_then(|cands| {
            cands.iter().find(|(w, _)| toks.len() >= i + w.len() && w.iter().zip(&toks[i..]).all(|(a, b)| a == b.0))
        }) else {
            i += 1;
            continue;
        };
        let (alias_words, entry) = found;
        let end = i + alias_words.len();
        if let Some(cue) = citation_cue(&toks, i, end) {
            let last = toks[end - 1];
            let span = [toks[i].1, last.1 + last.0.len()];
            let e = &table.entries[*entry];
            out.push(CitedOrigin {
                name: e.name.clone(),
                kind: e.kind,
                text: text[span[0]..span[1]].to_string(),
                span,
                cue,
            });
        }
        i = end;
    }
    out
}

/// The cue that makes the name at `toks[start..end]` a citation, if any.
fn citation_cue(toks: &[(&str, usize)], start: usize, end: usize) -> Option<&'static str> {
    let word = |i: usize| toks.get(i).map(|t| t.0.to_ascii_lowercase());
    let before = |n: usize| start.checked_sub(n).and_then(word);
    let after = |n: usize| word(end + n - 1);
    let b1 = before(1).unwrap_or_default();
    let a1 = after(1).unwrap_or_default();
    if b1 == "(" && matches!(a1.as_str(), ")" | "," | "/" | "-") {
        return Some("dateline");
    }
    if b1 == "told" || (b1 == "to" && before(2).as_deref() == Some("told")) {
        return Some("told");
    }
    if b1 == "to" && before(2).as_deref() == Some("according") {
        return Some("according_to");
    }
    if b1 == "the" && before(2).as_deref() == Some("to") && before(3).as_deref() == Some("according") {
        return Some("according_to");
    }
    if matches!(b1.as_str(), "citing" | "via")
        || (b1 == "by" && matches!(before(2).as_deref(), Some(w) if VERBS_AFTER.contains(&w) || w == "released"))
    {
        return Some("citing");
    }
    if b1 == "agency" || (a1 == "news" && after(2).as_deref() == Some("agency")) {
        return Some("agency");
    }
    let verb_at =
        |n: usize| after(n).is_some_and(|w| VERBS_AFTER.contains(&w.as_str()) || NOUNS_AFTER.contains(&w.as_str()));
    // "Reuters reported", "AFP's correspondent", "the WHO said on Tuesday".
    if verb_at(1) || (a1 == "'" || a1 == "’") && verb_at(3) || a1 == "'s" && verb_at(2) {
        return Some("reported");
    }
    if before(1).is_some_and(|w| w == "the") && before(2).is_some_and(|w| w == "to") && verb_at(1) {
        return Some("reported");
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(text: &str) -> Vec<(String, &'static str)> {
        cited_origins(text).into_iter().map(|o| (o.name, o.cue)).collect()
    }

    #[test]
    fn citation_cues_make_origins() {
        assert_eq!(names("BEIRUT (AP, Feb. 2) - Ten people died."), [("Associated Press".into(), "dateline")]);
        assert_eq!(names("Ten people died, Reuters reported."), [("Reuters".into(), "reported")]);
        assert_eq!(names("A medic told Al Jazeera that ten died."), [("Al Jazeera".into(), "told")]);
        assert_eq!(names("state news agency SANA said ten died"), [("SANA".into(), "agency")]);
        assert_eq!(
            names("according to the World Health Organization, ten died"),
            [("World Health Organization".into(), "according_to")]
        );
        assert_eq!(names("the U.N. said"), [("United Nations".into(), "reported")]);
    }

    #[test]
    fn names_without_a_cue_are_not_origins() {
        assert!(names("He studied the AP style guide and later joined Reuters in 2001.").is_empty());
        assert!(names("WHO said").len() == 1 && names("who said").is_empty());
    }

    #[test]
    fn spans_point_at_the_name() {
        let text = "Officials told Agence France-Presse on Monday.";
        let o = &cited_origins(text)[0];
        assert_eq!(&text[o.span[0]..o.span[1]], "Agence France-Presse");
        assert_eq!(o.kind, OriginType::Agency);
    }
}
