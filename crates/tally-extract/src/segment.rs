//! Sentence boundaries over tokens.
//!
//! A period ends a sentence unless it follows a known abbreviation, an initial ("U.S."), or
//! sits inside a number; after an abbreviation or initial, a capitalised determiner or subject
//! pronoun ("… by the U.N. The monitor said") still starts a new one. Paragraph breaks always
//! end one. A single line break ends one only after terminal punctuation or after a short line
//! with no verb-like ending (a headline); otherwise it is a wrapped line and the sentence goes
//! on.

use crate::lexicon::{Cue, Lexicon};
use crate::token::{TokKind, Tokens};
use std::ops::Range;

/// Largest block of text tokenized at once; documents are cut into blocks so that memory
/// stays flat however long a document (or a single line) is.
pub const MAX_BLOCK: usize = 64 * 1024;

/// Byte ranges of the blocks of `text`: cut at a paragraph break, else after a sentence
/// end, else at whitespace, else at a character boundary, never longer than `MAX_BLOCK`.
pub fn blocks(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::with_capacity(text.len() / MAX_BLOCK + 1);
    let mut pos = 0;
    while text.len() - pos > MAX_BLOCK {
        let mut limit = pos + MAX_BLOCK;
        while !text.is_char_boundary(limit) {
            limit -= 1;
        }
        let window = &text[pos..limit];
        let half = window.len() / 2;
        let space = window.char_indices().rev().find(|(_, c)| c.is_whitespace()).map(|(i, c)| (i, c.len_utf8()));
        let cut = [window.rfind("\n\n").map(|i| (i, 2)), window.rfind(". ").map(|i| (i, 2)), space]
            .into_iter()
            .flatten()
            .find(|&(at, _)| at > half)
            .map_or(limit, |(at, sep)| pos + at + sep);
        out.push(pos..cut);
        pos = cut;
    }
    if pos < text.len() || out.is_empty() {
        out.push(pos..text.len());
    }
    out
}

/// Token ranges of the sentences in `toks`.
pub fn sentences(toks: &Tokens, lex: &Lexicon) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    for i in 0..toks.len() {
        if i > start && breaks_before(toks, i, start) {
            out.push(start..i);
            start = i;
        }
        if ends_sentence(toks, i, lex) {
            // Closing quotes and brackets stay with the sentence they close.
            let mut end = i + 1;
            while matches!(toks.norm(end), "\"" | "'" | ")") && !toks.get(end).space_before {
                end += 1;
            }
            if end < toks.len() && starts_sentence(toks, end) {
                out.push(start..end);
                start = end;
            }
        }
    }
    if start < toks.len() {
        out.push(start..toks.len());
    }
    out
}

fn ends_sentence(toks: &Tokens, i: usize, lex: &Lexicon) -> bool {
    match toks.norm(i) {
        "!" | "?" => true,
        "." => {
            if i == 0 {
                return false;
            }
            let prev = toks.get(i - 1);
            let single_letter = prev.kind == TokKind::Word && toks.norm(i - 1).chars().count() == 1;
            !single_letter && !lex.is_cue(toks, i - 1, Cue::Abbrev) || opens_sentence(toks, i + 1)
        }
        _ => false,
    }
}

/// "… according to the U.N. The Syrian Center said": after an initial or an abbreviation, a
/// capitalised word that only opens sentences (a determiner or a subject pronoun) still
/// starts one; a name ("U.S. officials", "St. Louis") does not.
pub(crate) fn opens_sentence(toks: &Tokens, i: usize) -> bool {
    i < toks.len()
        && toks.get(i).upper
        && toks.norm(i + 1) != "."
        && matches!(toks.norm(i), "the" | "a" | "an" | "he" | "she" | "it" | "they" | "we" | "this" | "these")
}

fn starts_sentence(toks: &Tokens, i: usize) -> bool {
    let t = toks.get(i);
    t.space_before
        && (t.upper
            || matches!(t.kind, TokKind::Number | TokKind::Alnum)
            || matches!(toks.norm(i), "\"" | "'" | "(" | "-"))
}

/// A break before token `i` from line structure alone.
fn breaks_before(toks: &Tokens, i: usize, start: usize) -> bool {
    let t = toks.get(i);
    match t.newlines_before {
        0 => false,
        1 => {
            let prev = toks.norm(i - 1);
            let after_terminal = matches!(prev, "." | "!" | "?" | ":" | "\"");
            let short_line = line_length(toks, i, start) < 12;
            t.upper && (after_terminal || short_line)
        }
        _ => true,
    }
}

/// Tokens on the line that ends before token `i`.
fn line_length(toks: &Tokens, i: usize, start: usize) -> usize {
    let mut n = 0;
    for k in (start..i).rev() {
        n += 1;
        if toks.get(k).newlines_before > 0 {
            break;
        }
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lexicon::english;

    fn split(text: &str) -> Vec<String> {
        let toks = Tokens::new(text);
        sentences(&toks, english())
            .into_iter()
            .map(|r| {
                let [s, e] = toks.span(r.start, r.end);
                text[s..e].to_string()
            })
            .collect()
    }

    #[test]
    fn abbreviations_and_initials_do_not_split() {
        assert_eq!(
            split("Mr. Smith met U.S. officials on Feb. 26 in St. Louis. Dr. Jones left. Then 12 died."),
            ["Mr. Smith met U.S. officials on Feb. 26 in St. Louis.", "Dr. Jones left.", "Then 12 died."]
        );
        // A word that only opens sentences ends the one before, even after an initial.
        assert_eq!(
            split("The toll was given by the U.N. The monitor said 12 died. He met Gen. A. Smith."),
            ["The toll was given by the U.N.", "The monitor said 12 died.", "He met Gen. A. Smith."]
        );
    }

    #[test]
    fn quotes_stay_with_their_sentence() {
        assert_eq!(split("\"We lost 12 men.\" He said so."), ["\"We lost 12 men.\"", "He said so."]);
    }

    #[test]
    fn headlines_and_wrapped_lines() {
        assert_eq!(
            split("Blast kills six in Aleppo\nA car bomb went off in the\nmarket on Friday.\n\nMore later"),
            ["Blast kills six in Aleppo", "A car bomb went off in the\nmarket on Friday.", "More later"]
        );
    }

    #[test]
    fn blocks_cover_the_text_and_stay_small() {
        let text = "Twelve people were killed. ".repeat(10_000);
        let b = blocks(&text);
        assert!(b.len() > 3);
        assert_eq!(b[0].start, 0);
        assert_eq!(b.last().unwrap().end, text.len());
        assert!(b.windows(2).all(|w| w[0].end == w[1].start));
        assert!(b.iter().all(|r| r.len() <= MAX_BLOCK && text[r.clone()].starts_with("Twelve")));
        assert_eq!(blocks(""), vec![0..0]);
    }

    #[test]
    fn decimals_do_not_split() {
        assert_eq!(split("Some 1.2 million fled. Others stayed."), ["Some 1.2 million fled.", "Others stayed."]);
    }
}
