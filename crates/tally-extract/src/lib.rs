//! Claim extraction: from a document's text to casualty and damage claims.
//!
//! The pipeline, one module each: `token` (words, numbers, punctuation with byte spans) →
//! `segment` (sentences) → `quantity` (count phrases) → `relate` (which casualty word governs
//! each count) → `assemble` (claim records). Word knowledge lives in `lexicon/en/*.tsv`,
//! loaded once by `lexicon`. Extraction is pure and per document, so callers may run it on
//! any number of threads.

/// What produced a document's claims: the crate version and a fingerprint of the rules,
/// lexicons, gazetteer and claim model it was built from (`build.rs`). A ledger re-analyses a
/// stored document whose claims came from another analyser.
pub const ANALYSER: &str = env!("TALLY_ANALYSER");

pub mod assemble;
pub mod context;
pub mod lexicon;
pub mod quantity;
pub mod relate;
pub mod segment;
pub mod token;
pub mod vocab;

use lexicon::Lexicon;
use tally_core::{Claim, Document};
use tally_gazetteer::Gazetteer;

/// Extracts claims with one lexicon. Cheap to copy; share it across threads.
#[derive(Clone, Copy)]
pub struct Extractor {
    lex: &'static Lexicon,
    gazetteer: &'static Gazetteer,
}

impl Extractor {
    /// The English extractor with tally's built-in lexicon.
    pub fn english() -> Extractor {
        Extractor { lex: lexicon::english(), gazetteer: Gazetteer::builtin() }
    }

    /// The same extractor resolving places in another gazetteer (`tally gazetteer import`).
    pub fn with_gazetteer(self, gazetteer: &'static Gazetteer) -> Extractor {
        Extractor { gazetteer, ..self }
    }

    /// Every claim in `doc`, in text order.
    pub fn extract(&self, doc: &Document) -> Vec<Claim> {
        let mut claims = Vec::new();
        assemble::extract_claims(doc, self.lex, self.gazetteer, &mut |c| claims.push(c));
        claims
    }

    /// Every claim in `doc`, recording on it the date its text gives itself
    /// (`Document::dated`) and the town its lead names most (`Document::located`): what the
    /// ledger stores.
    pub fn analyse(&self, doc: &mut Document) -> Vec<Claim> {
        let mut claims = Vec::new();
        let facts = assemble::extract_claims(doc, self.lex, self.gazetteer, &mut |c| claims.push(c));
        doc.dated = facts.dated.map(tally_core::Date::iso);
        doc.located = facts.located;
        claims
    }

    /// Calls `sink` with each claim of `doc` as soon as its sentence is done, so that memory
    /// does not grow with the number of claims in one document.
    pub fn extract_each(&self, doc: &Document, mut sink: impl FnMut(Claim)) {
        assemble::extract_claims(doc, self.lex, self.gazetteer, &mut sink);
    }
}

/// A `why` entry, `key:value`: built often enough per claim that `format!` shows in profiles.
pub(crate) fn why_tag(key: &str, value: &str) -> String {
    let mut s = String::with_capacity(key.len() + 1 + value.len());
    s.push_str(key);
    s.push(':');
    s.push_str(value);
    s
}
