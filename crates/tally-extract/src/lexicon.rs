//! Word lists loaded from `lexicon/en/*.tsv` (compiled into the binary) into lookup tables.
//!
//! The lists describe English, not any document: every rule in `relate` asks the lexicon
//! which class a word belongs to instead of naming words itself. Loaded once per process.

use crate::token::Tokens;
use rustc_hash::FxHashMap;
use std::sync::LazyLock;
use tally_core::{Kind, Qualifier, VictimClass};

static EN: LazyLock<Lexicon> = LazyLock::new(|| {
    use crate::vocab::en_file;
    Lexicon::parse(&Sources {
        numbers: en_file("numbers.tsv"),
        vague: en_file("vague.tsv"),
        qualifiers: en_file("qualifiers.tsv"),
        triggers: en_file("triggers.tsv"),
        nouns: en_file("nouns.tsv"),
        cues: en_file("cues.tsv"),
    })
    .expect("built-in English lexicon is valid")
});

/// The English lexicon shipped with tally.
pub fn english() -> &'static Lexicon {
    &EN
}

/// The text of each lexicon file. Only the built-in files can be parsed: their words are the
/// vocabulary that phrase tables are keyed by (`vocab`).
pub(crate) struct Sources<'a> {
    pub numbers: &'a str,
    pub vague: &'a str,
    pub qualifiers: &'a str,
    pub triggers: &'a str,
    pub nouns: &'a str,
    pub cues: &'a str,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumRole {
    Unit,
    Tens,
    Hundred,
    Scale,
    Dozen,
}

/// How a casualty word relates to the count it governs (see triggers.tsv).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    Part,
    Ing,
    S,
    Base,
    Intr,
    Adj,
    Noun,
    Of,
    Toll,
}

impl Form {
    /// Verb forms that take the victims as object: "killing 7", "kills six", "killed 12".
    pub fn takes_object(self) -> bool {
        matches!(self, Form::Part | Form::Ing | Form::S | Form::Base)
    }

    /// Forms that follow the victims: "12 people were killed", "13 dead", "4,000 fled".
    pub fn follows_subject(self) -> bool {
        matches!(self, Form::Part | Form::Intr | Form::Adj | Form::Ing)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Trigger {
    pub kind: Kind,
    pub form: Form,
    pub ambiguous: bool,
    /// "DAESH has lost 463 fighters": the verb's subject is the side that suffered the
    /// losses, never who inflicted them.
    pub own_losses: bool,
}

/// What a head noun says about the counted things.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NounClass {
    Victim(VictimClass),
    /// Time, money, measures, weapons, events: a number before it is not a victim count.
    Unit,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Noun {
    pub class: NounClass,
    pub group: Option<Box<str>>,
}

/// Roles of the closed-class cue words (cues.tsv), as bit flags.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u32)]
pub enum Cue {
    Aux = 1,
    Modal = 1 << 1,
    Negation = 1 << 2,
    SubsetBefore = 1 << 3,
    SubsetAfter = 1 << 4,
    ClauseStop = 1 << 5,
    TollLink = 1 << 6,
    Cumulative = 1 << 7,
    Designator = 1 << 8,
    Month = 1 << 9,
    YearContext = 1 << 10,
    NonEvent = 1 << 11,
    LeaveVerb = 1 << 12,
    Abbrev = 1 << 13,
    Function = 1 << 14,
    AdjEd = 1 << 15,
    Another = 1 << 16,
    Include = 1 << 17,
    TollHead = 1 << 18,
    Subject = 1 << 19,
    ArmedOrg = 1 << 20,
    Superlative = 1 << 21,
    QuantityStart = 1 << 22,
}

impl Cue {
    fn parse(s: &str) -> Option<Cue> {
        Some(match s {
            "aux" => Cue::Aux,
            "modal" => Cue::Modal,
            "negation" => Cue::Negation,
            "subset_before" => Cue::SubsetBefore,
            "subset_after" => Cue::SubsetAfter,
            "clause_stop" => Cue::ClauseStop,
            "toll_link" => Cue::TollLink,
            "cumulative" => Cue::Cumulative,
            "designator" => Cue::Designator,
            "month" => Cue::Month,
            "year_context" => Cue::YearContext,
            "non_event" => Cue::NonEvent,
            "leave_verb" => Cue::LeaveVerb,
            "abbrev" => Cue::Abbrev,
            "function" => Cue::Function,
            "adj_ed" => Cue::AdjEd,
            "another" => Cue::Another,
            "include" => Cue::Include,
            "toll_head" => Cue::TollHead,
            "subject" => Cue::Subject,
            "armed_org" => Cue::ArmedOrg,
            "superlative" => Cue::Superlative,
            "quantity_start" => Cue::QuantityStart,
            _ => return None,
        })
    }
}

/// The words of a lexicon phrase, as vocabulary numbers.
type Phrase = Box<[u32]>;

/// The words of a lexicon phrase as the tokenizer splits text, so that "multi-front" and
/// "pro-government" in a table match the three tokens the text gives.
fn phrase_words(phrase: &str) -> Phrase {
    let toks = Tokens::new(phrase);
    (0..toks.len()).map(|i| crate::vocab::lexicon_id(toks.norm(i))).collect()
}

/// Multi-word phrases grouped by their first word; matched against the tokens' vocabulary
/// numbers.
#[derive(Debug)]
pub struct PhraseTable<T> {
    /// Per vocabulary word, 1 + the index in `groups` of the phrases it starts (0: none).
    first: Vec<u32>,
    /// Phrases with the same first word, longest first.
    groups: Vec<Vec<(Phrase, T)>>,
}

impl<T> Default for PhraseTable<T> {
    fn default() -> Self {
        PhraseTable { first: Vec::new(), groups: Vec::new() }
    }
}

impl<T> PhraseTable<T> {
    /// The index in `groups` of the phrases starting with vocabulary word `word`.
    #[inline]
    fn group_index(&self, word: u32) -> Option<usize> {
        self.first.get(word as usize).and_then(|&g| (g as usize).checked_sub(1))
    }

    /// The phrases starting with vocabulary word `word`.
    #[inline]
    fn group(&self, word: u32) -> &[(Phrase, T)] {
        self.group_index(word).map_or(&[], |g| &self.groups[g])
    }

    /// The first words of all phrases.
    pub fn first_words(&self) -> impl Iterator<Item = u32> + '_ {
        self.groups.iter().map(|g| g[0].0[0])
    }

    /// Whether `word` alone is a phrase.
    pub fn has_word(&self, word: &str) -> bool {
        self.group(crate::vocab::id(word)).iter().any(|(w, _)| w.len() == 1)
    }
}

impl PhraseTable<u32> {
    /// The roles of all phrases starting with vocabulary word `word`: what it may begin.
    pub fn first_bits(&self, word: u32) -> u32 {
        self.group(word).iter().fold(0, |acc, (_, b)| acc | *b)
    }

    /// Adds role bits to a phrase, creating it when new.
    pub fn add_bits(&mut self, phrase: &str, bits: u32) {
        match self.get_mut(phrase) {
            Some(b) => *b |= bits,
            None => self.insert(phrase, bits),
        }
    }
}

impl<T> PhraseTable<T> {
    pub fn insert_phrase(&mut self, phrase: &str, value: T) {
        self.insert(phrase, value)
    }

    fn insert(&mut self, phrase: &str, value: T) {
        let words = phrase_words(phrase);
        if self.first.is_empty() {
            self.first = vec![0; crate::vocab::len()];
        }
        let slot = &mut self.first[words[0] as usize];
        if *slot == 0 {
            self.groups.push(Vec::new());
            *slot = self.groups.len() as u32;
        }
        let group = &mut self.groups[*slot as usize - 1];
        group.push((words, value));
        group.sort_by_key(|(w, _)| std::cmp::Reverse(w.len()));
    }

    fn get_mut(&mut self, phrase: &str) -> Option<&mut T> {
        let words = phrase_words(phrase);
        let g = self.group_index(words[0])?;
        self.groups[g].iter_mut().find(|(w, _)| *w == words).map(|(_, v)| v)
    }

    /// Every phrase starting at token `i` (ending before `end`), longest first, with its length.
    #[inline]
    pub fn matches_at<'a>(
        &'a self,
        toks: &'a Tokens,
        i: usize,
        end: usize,
    ) -> impl Iterator<Item = (usize, &'a T)> + 'a {
        self.group(toks.word(i)).iter().filter_map(move |(words, v)| {
            let n = words.len();
            (i + n <= end && words[1..].iter().enumerate().all(|(k, &w)| toks.word(i + 1 + k) == w)).then_some((n, v))
        })
    }

    /// The longest phrase starting at token `i`.
    pub fn longest_at<'a>(&'a self, toks: &'a Tokens, i: usize, end: usize) -> Option<(usize, &'a T)> {
        self.matches_at(toks, i, end).next()
    }

    /// The longest phrase satisfying `keep` that ends just before token `end`.
    pub fn longest_ending_where<'a>(
        &'a self,
        toks: &'a Tokens,
        start: usize,
        end: usize,
        keep: impl Fn(&T) -> bool,
    ) -> Option<(usize, &'a T)> {
        (start..end).find_map(|i| self.matches_at(toks, i, end).find(|(n, v)| i + n == end && keep(v)))
    }

    /// The longest phrase ending just before token `end` (and starting at or after `start`).
    pub fn longest_ending_at<'a>(&'a self, toks: &'a Tokens, start: usize, end: usize) -> Option<(usize, &'a T)> {
        (start..end).find_map(|i| self.matches_at(toks, i, end).find(|(n, _)| i + n == end))
    }
}

/// All of tally's word knowledge for one language.
#[derive(Debug, Default)]
pub struct Lexicon {
    pub numbers: FxHashMap<Box<str>, (u64, NumRole)>,
    pub vague: PhraseTable<(u64, Option<u64>)>,
    pub qualifiers: PhraseTable<Qualifier>,
    pub triggers: PhraseTable<Trigger>,
    pub nouns: FxHashMap<Box<str>, Noun>,
    pub cues: PhraseTable<u32>,
    /// Words that may begin a count phrase.
    quantity_starts: rustc_hash::FxHashSet<u32>,
}

/// A lexicon file line that could not be read.
#[derive(Debug)]
pub struct LexiconError {
    pub file: &'static str,
    pub line: usize,
    pub message: String,
}

impl std::fmt::Display for LexiconError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "lexicon {}:{}: {}", self.file, self.line, self.message)
    }
}

/// The tab-separated fields of each non-comment line, with its line number.
fn rows<'a>(text: &'a str) -> impl Iterator<Item = (usize, Vec<&'a str>)> + 'a {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|(n, l)| (n + 1, l.split('\t').map(str::trim).collect()))
}

impl Lexicon {
    pub(crate) fn parse(src: &Sources) -> Result<Lexicon, LexiconError> {
        let mut lex = Lexicon::default();
        let err = |file, line, message: String| LexiconError { file, line, message };
        for (n, f) in rows(src.numbers) {
            let value =
                f.get(1).and_then(|v| v.parse().ok()).ok_or_else(|| err("numbers.tsv", n, "bad value".into()))?;
            let role = match f.get(2).copied() {
                Some("unit") => NumRole::Unit,
                Some("tens") => NumRole::Tens,
                Some("hundred") => NumRole::Hundred,
                Some("scale") => NumRole::Scale,
                Some("dozen") => NumRole::Dozen,
                other => return Err(err("numbers.tsv", n, format!("bad role {other:?}"))),
            };
            lex.numbers.insert(f[0].into(), (value, role));
        }
        for (n, f) in rows(src.vague) {
            let low = f.get(1).and_then(|v| v.parse().ok()).ok_or_else(|| err("vague.tsv", n, "bad low".into()))?;
            let high = match f.get(2).copied() {
                Some("-") => None,
                Some(h) => Some(h.parse().map_err(|_| err("vague.tsv", n, "bad high".into()))?),
                None => return Err(err("vague.tsv", n, "missing high".into())),
            };
            lex.vague.insert(f[0], (low, high));
        }
        for (n, f) in rows(src.qualifiers) {
            let q = f
                .get(1)
                .and_then(|q| Qualifier::parse(q))
                .ok_or_else(|| err("qualifiers.tsv", n, "bad qualifier".into()))?;
            lex.qualifiers.insert(f[0], q);
        }
        for (n, f) in rows(src.triggers) {
            let kind =
                f.get(1).and_then(|k| Kind::parse(k)).ok_or_else(|| err("triggers.tsv", n, "bad kind".into()))?;
            let form = match f.get(2).copied() {
                Some("part") => Form::Part,
                Some("ing") => Form::Ing,
                Some("s") => Form::S,
                Some("base") => Form::Base,
                Some("intr") => Form::Intr,
                Some("adj") => Form::Adj,
                Some("noun") => Form::Noun,
                Some("of") => Form::Of,
                Some("toll") => Form::Toll,
                other => return Err(err("triggers.tsv", n, format!("bad form {other:?}"))),
            };
            let ambiguous = f.get(3) == Some(&"ambiguous");
            let own_losses = f.get(3) == Some(&"own_losses");
            lex.triggers.insert(f[0], Trigger { kind, form, ambiguous, own_losses });
        }
        for (n, f) in rows(src.nouns) {
            let class = match f.get(1).copied() {
                Some("unit") => NounClass::Unit,
                Some(c) => NounClass::Victim(
                    VictimClass::parse(c).ok_or_else(|| err("nouns.tsv", n, format!("bad class {c}")))?,
                ),
                None => return Err(err("nouns.tsv", n, "missing class".into())),
            };
            lex.nouns.insert(f[0].into(), Noun { class, group: f.get(2).map(|g| (*g).into()) });
        }
        for (n, f) in rows(src.cues) {
            let role = Cue::parse(f[0]).ok_or_else(|| err("cues.tsv", n, format!("bad role {}", f[0])))?;
            let phrase = f.get(1).ok_or_else(|| err("cues.tsv", n, "missing phrase".into()))?;
            match lex.cues.get_mut(phrase) {
                Some(bits) => *bits |= role as u32,
                None => lex.cues.insert(phrase, role as u32),
            }
        }
        let quantity_cues = lex.cues.first_words().filter(|&w| lex.cues.first_bits(w) & Cue::QuantityStart as u32 != 0);
        lex.quantity_starts = lex
            .numbers
            .keys()
            .map(|w| crate::vocab::lexicon_id(w))
            .chain(lex.vague.first_words())
            .chain(lex.qualifiers.first_words())
            .chain(quantity_cues)
            .collect();
        Ok(lex)
    }

    /// Length of the longest cue phrase with `role` starting at token `i`.
    #[inline]
    pub fn cue_at(&self, toks: &Tokens, i: usize, end: usize, role: Cue) -> Option<usize> {
        self.cues.matches_at(toks, i, end).find(|(_, bits)| *bits & role as u32 != 0).map(|(n, _)| n)
    }

    /// Length of the longest cue phrase with `role` ending just before token `end`.
    pub fn cue_ending_at(&self, toks: &Tokens, start: usize, end: usize, role: Cue) -> Option<usize> {
        (start..end).find_map(|i| {
            self.cues
                .matches_at(toks, i, end)
                .find(|(n, bits)| i + n == end && *bits & role as u32 != 0)
                .map(|(n, _)| n)
        })
    }

    /// Whether the single token `i` is a cue word with `role`.
    #[inline]
    pub fn is_cue(&self, toks: &Tokens, i: usize, role: Cue) -> bool {
        self.cue_at(toks, i, i + 1, role).is_some()
    }

    /// Whether a count phrase may start with vocabulary word `word`.
    pub fn starts_quantity(&self, word: u32) -> bool {
        self.quantity_starts.contains(&word)
    }

    /// The vocabulary words a count phrase may start with, numbers aside.
    pub fn quantity_start_words(&self) -> impl Iterator<Item = u32> + '_ {
        self.quantity_starts.iter().copied()
    }

    pub fn noun(&self, word: &str) -> Option<&Noun> {
        self.nouns.get(word)
    }
}
