//! Full-text search over documents (SQLite FTS5 over `documents`' titles and texts). Link
//! indexes the documents stored since the last link, so search, like incidents, answers as
//! of the last link; a replaced document's entry is updated at once by a trigger.
//!
//! A query is a list of words, all of which a document must contain (in its title or text,
//! case and accents ignored); a word ending in `*` matches as a prefix. FTS5's own query
//! syntax (AND, NEAR, column filters, quotes) is not exposed: every word is quoted, so no
//! query can be a syntax error, whatever a user types.

use crate::{Error, Ledger, Result};
use serde::Serialize;

/// Marks around matched words in a snippet: private-use characters that cannot occur in
/// stored text's meaning, so that a page can escape the snippet and then turn them into tags.
pub const MATCH_START: char = '\u{E000}';
pub const MATCH_END: char = '\u{E001}';

#[derive(Debug, Clone, Serialize)]
pub struct SearchHit {
    pub id: String,
    pub title: Option<String>,
    pub outlet: Option<String>,
    pub published: Option<String>,
    pub claims: usize,
    /// Words around the first match, matches between [`MATCH_START`] and [`MATCH_END`].
    pub snippet: String,
}

/// The FTS5 expression for a user's query; an error when it has no word.
pub fn fts_query(q: &str) -> Result<String> {
    let terms: Vec<String> = q
        .split(|c: char| !(c.is_alphanumeric() || c == '*'))
        .filter_map(|w| {
            let prefix = w.ends_with('*');
            let word: String = w.chars().filter(|c| c.is_alphanumeric()).collect();
            (!word.is_empty()).then(|| format!("\"{word}\"{}", if prefix { "*" } else { "" }))
        })
        .collect();
    if terms.is_empty() {
        return Err(Error::Invalid(format!("a search needs at least one word: {q:?}")));
    }
    Ok(terms.join(" "))
}

impl Ledger {
    /// Documents containing every word of `q`, best match first, and how many there are.
    pub fn search(&self, q: &str, limit: usize, offset: usize) -> Result<(usize, Vec<SearchHit>)> {
        let expr = fts_query(q)?;
        let total: i64 =
            self.conn()
                .query_row("SELECT count(*) FROM documents_fts WHERE documents_fts MATCH ?1", [&expr], |r| r.get(0))?;
        let sql = format!(
            "SELECT d.name, d.title, d.outlet, d.published, (SELECT count(*) FROM claims c WHERE c.doc = d.id),
                    snippet(documents_fts, 1, '{MATCH_START}', '{MATCH_END}', ' … ', 24)
             FROM documents_fts JOIN documents d ON d.id = documents_fts.rowid
             WHERE documents_fts MATCH ?1 ORDER BY rank LIMIT {limit} OFFSET {offset}"
        );
        let mut stmt = self.conn().prepare(&sql)?;
        let hits = stmt
            .query_map([&expr], |r| {
                Ok(SearchHit {
                    id: r.get(0)?,
                    title: r.get(1)?,
                    outlet: r.get(2)?,
                    published: r.get(3)?,
                    claims: r.get::<_, i64>(4)? as usize,
                    snippet: r.get(5)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok((total as usize, hits))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_are_quoted_words() {
        assert_eq!(fts_query("Ganja shelling").unwrap(), "\"Ganja\" \"shelling\"");
        assert_eq!(fts_query("kill* AND (\"x").unwrap(), "\"kill\"* \"AND\" \"x\"");
        assert_eq!(fts_query("Khojalı").unwrap(), "\"Khojalı\"");
        assert!(fts_query(" \"()* ").is_err());
    }

    fn doc(id: &str, text: &str) -> (tally_core::Document, Vec<tally_core::Claim>) {
        (tally_core::Document { id: id.into(), text: text.into(), ..Default::default() }, Vec::new())
    }

    fn hits(l: &Ledger, q: &str) -> Vec<String> {
        l.search(q, 10, 0).unwrap().1.into_iter().map(|h| h.id).collect()
    }

    #[test]
    fn link_indexes_new_texts_and_replacements_update_at_once() {
        let mut l = Ledger::in_memory().unwrap();
        l.ingest(&[doc("a", "Shelling in Ganja killed seven."), doc("b", "Nothing here.")]).unwrap();
        assert!(hits(&l, "Ganja").is_empty(), "not indexed before link");
        l.link().unwrap();
        assert_eq!(hits(&l, "ganja"), ["a"]);
        assert_eq!(hits(&l, "shell*"), ["a"]);
        // Replacing an indexed text updates its entry without a link.
        l.ingest(&[doc("a", "Strikes on Tartar wounded three.")]).unwrap();
        assert!(hits(&l, "Ganja").is_empty());
        assert_eq!(hits(&l, "tartar wounded"), ["a"]);
        // A document replaced before it was ever indexed is indexed once, as it is now.
        l.ingest(&[doc("c", "First words.")]).unwrap();
        l.ingest(&[doc("c", "Second words.")]).unwrap();
        l.link().unwrap();
        assert_eq!(hits(&l, "words"), ["c"]);
        assert!(hits(&l, "first").is_empty());
        let (total, found) = l.search("words", 10, 0).unwrap();
        assert_eq!(total, 1);
        assert_eq!(found[0].snippet, format!("Second {MATCH_START}words{MATCH_END}."));
    }
}
