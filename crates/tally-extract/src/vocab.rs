//! The numbered vocabulary of the built-in lexicons.
//!
//! Every word the lexicon files contain gets a number once per process, and every token gets
//! its word's number when it is tokenized (one hash per token). Phrase tables are keyed and
//! compared by these numbers, so the many "does a phrase start here?" questions of the rules
//! cost an array read and integer comparisons instead of hashing and comparing strings.

use crate::token::Tokens;
use rustc_hash::FxHashMap;
use std::sync::{LazyLock, OnceLock};

/// The number of a word no lexicon contains: it starts no phrase and matches no phrase word.
pub const NO_WORD: u32 = u32::MAX;

/// The built-in English lexicon files, by name: the one list the lexicons and the vocabulary
/// are loaded from, so that every lexicon word has a number.
pub(crate) const EN_FILES: [(&str, &str); 12] = [
    ("numbers.tsv", include_str!("../lexicon/en/numbers.tsv")),
    ("vague.tsv", include_str!("../lexicon/en/vague.tsv")),
    ("qualifiers.tsv", include_str!("../lexicon/en/qualifiers.tsv")),
    ("triggers.tsv", include_str!("../lexicon/en/triggers.tsv")),
    ("nouns.tsv", include_str!("../lexicon/en/nouns.tsv")),
    ("cues.tsv", include_str!("../lexicon/en/cues.tsv")),
    ("places.tsv", include_str!("../lexicon/en/places.tsv")),
    ("time.tsv", include_str!("../lexicon/en/time.tsv")),
    ("reporting.tsv", include_str!("../lexicon/en/reporting.tsv")),
    ("stance.tsv", include_str!("../lexicon/en/stance.tsv")),
    ("attacks.tsv", include_str!("../lexicon/en/attacks.tsv")),
    ("actors.tsv", include_str!("../lexicon/en/actors.tsv")),
];

/// The text of the built-in lexicon file `name`.
pub(crate) fn en_file(name: &str) -> &'static str {
    EN_FILES.iter().find(|(n, _)| *n == name).map(|(_, text)| *text).expect("a built-in lexicon file")
}

/// Every token of every file, as the tokenizer normalises it: a superset of the words any
/// table holds (tags and comments are numbered too, which costs nothing).
static VOCAB: LazyLock<Vocab> = LazyLock::new(|| {
    let mut vocab = Vocab::default();
    for (_, text) in EN_FILES {
        let toks = Tokens::unnumbered(text);
        for i in 0..toks.len() {
            vocab.add(toks.norm(i));
        }
    }
    vocab
});

/// The lexicons' words and their numbers (a word's number is its index in `words`).
#[derive(Default)]
struct Vocab {
    ids: FxHashMap<Box<str>, u32>,
    words: Vec<Box<str>>,
}

impl Vocab {
    fn add(&mut self, word: &str) {
        if !self.ids.contains_key(word) {
            self.ids.insert(word.into(), self.words.len() as u32);
            self.words.push(word.into());
        }
    }

    fn get(&self, word: &str) -> Option<u32> {
        self.ids.get(word).copied()
    }
}

/// The number of a normalised word, or `NO_WORD`.
pub fn id(word: &str) -> u32 {
    VOCAB.get(word).unwrap_or(NO_WORD)
}

/// How many words are numbered: every number is below it.
pub fn len() -> usize {
    VOCAB.words.len()
}

/// The number of a lexicon word, which the vocabulary holds by construction.
pub(crate) fn lexicon_id(word: &str) -> u32 {
    match id(word) {
        NO_WORD => panic!("lexicon word {word:?} is missing from the vocabulary"),
        n => n,
    }
}

/// A test on single words, answered once per vocabulary word when first asked and by the
/// test itself only for words no lexicon holds: for the rules that ask it of every token.
pub struct WordTest {
    test: fn(&str) -> bool,
    answers: OnceLock<Vec<bool>>,
}

impl WordTest {
    pub const fn new(test: fn(&str) -> bool) -> WordTest {
        WordTest { test, answers: OnceLock::new() }
    }

    /// The test's answer for token `i` of `toks`.
    #[inline]
    pub fn at(&self, toks: &Tokens, i: usize) -> bool {
        match toks.word(i) {
            NO_WORD => (self.test)(toks.norm(i)),
            n => self.answers.get_or_init(|| self.answer_all())[n as usize],
        }
    }

    fn answer_all(&self) -> Vec<bool> {
        let mut answers = vec![false; len()];
        for (answer, word) in answers.iter_mut().zip(&VOCAB.words) {
            *answer = (self.test)(word);
        }
        answers
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_carry_their_words_numbers() {
        let toks = Tokens::new("The pro-government army said Zzyzxq");
        assert_eq!(toks.word(0), id("the"));
        assert_ne!(toks.word(0), NO_WORD);
        // "pro-government" is three tokens, each numbered like the lexicon's own.
        assert_eq!([toks.word(1), toks.word(2), toks.word(3)], [id("pro"), id("-"), id("government")]);
        assert_eq!(toks.word(6), NO_WORD, "a word no lexicon holds");
        assert_eq!(toks.word(99), NO_WORD, "past the end");
        assert!((toks.word(4) as usize) < len());
    }

    #[test]
    fn a_word_test_answers_for_lexicon_words_and_others_alike() {
        let long = WordTest::new(|w| w.len() > 5);
        let toks = Tokens::new("the government Zzyzxqqq");
        assert_eq!((0..3).map(|i| long.at(&toks, i)).collect::<Vec<_>>(), [false, true, true]);
    }
}
