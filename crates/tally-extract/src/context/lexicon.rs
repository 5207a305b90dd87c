//! The context word lists (`lexicon/en/{places,time,reporting,stance,attacks,actors}.tsv`),
//! loaded once into phrase tables like the extraction lexicon.

use crate::lexicon::PhraseTable;
use crate::token::Tokens;
use std::sync::LazyLock;
use tally_core::SourceType;

/// Roles of context cue words, as bit flags.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u32)]
pub enum CtxCue {
    Locative = 1,
    PlaceType = 1 << 1,
    Connector = 1 << 2,
    NotPlace = 1 << 3,
    Weekday = 1 << 4,
    DayPart = 1 << 5,
    Relative = 1 << 6,
    Period = 1 << 7,
    ReportVerbTime = 1 << 8,
    Verb = 1 << 9,
    Frame = 1 << 10,
    Pronoun = 1 << 11,
    Hedged = 1 << 12,
    Disputed = 1 << 13,
    Denied = 1 << 14,
    Attack = 1 << 15,
    Responsibility = 1 << 16,
    Agent = 1 << 17,
    PlaceModifier = 1 << 18,
    Adverb = 1 << 19,
    Inverted = 1 << 20,
    Accuse = 1 << 21,
    Onset = 1 << 22,
    Site = 1 << 23,
    ReportFrame = 1 << 24,
    Anaphor = 1 << 25,
    Publication = 1 << 26,
    Outlet = 1 << 27,
    /// A war or conflict as a whole ("the war that has killed 300,000"): what killed, but
    /// never who.
    War = 1 << 28,
    /// Where a party is posted ("terrorists positioned in X fired shells on Y"): its place is
    /// not the incident's.
    Position = 1 << 29,
    /// A verb that tells an attack ("targeted", "shelled"): a sentence with one tells an
    /// event, whose time later figures about "the attack" take.
    EventVerb = 1 << 30,
}

impl CtxCue {
    fn parse(s: &str) -> Option<CtxCue> {
        use CtxCue::*;
        Some(match s {
            "locative" => Locative,
            "place_type" => PlaceType,
            "connector" => Connector,
            "not_place" => NotPlace,
            "weekday" => Weekday,
            "day_part" => DayPart,
            "relative" => Relative,
            "period" => Period,
            "report_verb_time" => ReportVerbTime,
            "verb" => Verb,
            "frame" => Frame,
            "pronoun" => Pronoun,
            "hedged" => Hedged,
            "disputed" => Disputed,
            "denied" => Denied,
            "attack" => Attack,
            "responsibility" => Responsibility,
            "agent" => Agent,
            "place_modifier" => PlaceModifier,
            "adverb" => Adverb,
            "inverted" => Inverted,
            "accuse" => Accuse,
            "onset" => Onset,
            "site" => Site,
            "report_frame" => ReportFrame,
            "anaphor" => Anaphor,
            "publication" => Publication,
            "outlet" => Outlet,
            "war" => War,
            "position" => Position,
            "event_verb" => EventVerb,
            _ => return None,
        })
    }
}

/// A party named in text: the type it gives a source, and whether it can do harm.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entity {
    pub kind: SourceType,
    pub actor: bool,
}

#[derive(Debug, Default)]
pub struct ContextLexicon {
    cues: PhraseTable<u32>,
    pub entities: PhraseTable<Entity>,
    /// Nationality words and their country's ISO code ("syrian" → SY).
    demonyms: rustc_hash::FxHashMap<String, String>,
}

static EN: LazyLock<ContextLexicon> = LazyLock::new(|| {
    let mut lex = ContextLexicon::default();
    for file in ["places.tsv", "time.tsv", "reporting.tsv", "stance.tsv", "attacks.tsv"] {
        lex.add_cues(file, crate::vocab::en_file(file));
    }
    lex.add_entities(crate::vocab::en_file("actors.tsv"));
    lex
});

/// The English context lexicon shipped with tally.
pub fn english() -> &'static ContextLexicon {
    &EN
}

fn rows(text: &str) -> impl Iterator<Item = (usize, Vec<&str>)> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|(n, l)| (n + 1, l.split('\t').collect()))
}

/// Size of the lower-case word filter, in 64-bit words (8192 bits).
const LOWER_FILTER_WORDS: usize = 128;

/// The two filter bits of a word.
fn filter_bits(w: &str) -> [usize; 2] {
    use std::hash::{Hash, Hasher};
    let mut h = rustc_hash::FxHasher::default();
    w.hash(&mut h);
    let h = h.finish();
    let bits = LOWER_FILTER_WORDS * 64;
    [(h as usize) % bits, ((h >> 32) as usize) % bits]
}

/// Bits of `Cues::bits` beyond the cue roles.
const QUANTITY_STARTS: u32 = 1 << 29;
const ENTITY_STARTS: u32 = 1 << 30;
const TRIGGER_STARTS: u32 = 1 << 31;

/// The context lexicon as seen from one block of tokens: what each token may begin is looked
/// up once, so that the many "is this a …?" questions of the context rules cost an array
/// read unless the answer may be yes.
pub struct Cues<'a> {
    lex: &'a ContextLexicon,
    bits: Vec<u32>,
    /// The words the block writes in lower case, as a two-hash bit filter (a word that is not
    /// there is rarely, about one time in a hundred, taken to be), built the first time a
    /// rule asks: a set of every word cost more than the rest of place reading.
    lower: std::cell::OnceCell<Box<[u64; LOWER_FILTER_WORDS]>>,
}

/// Every vocabulary word's roles as a first word, entity starts and casualty-word starts
/// included: the one table `Cues::new` reads per token.
static FIRST_WORDS: LazyLock<Vec<u32>> = LazyLock::new(|| {
    let lex = english();
    let extract = crate::lexicon::english();
    let mut bits = vec![0u32; crate::vocab::len()];
    for word in lex.cues.first_words() {
        bits[word as usize] |= lex.cues.first_bits(word);
    }
    let starts = [
        (lex.entities.first_words().collect::<Vec<_>>(), ENTITY_STARTS),
        (extract.triggers.first_words().collect(), TRIGGER_STARTS),
        (extract.quantity_start_words().collect(), QUANTITY_STARTS),
    ];
    for (words, bit) in starts {
        for word in words {
            bits[word as usize] |= bit;
        }
    }
    bits
});

impl<'a> Cues<'a> {
    pub fn new(toks: &Tokens, lex: &'a ContextLexicon, extract: &crate::lexicon::Lexicon) -> Cues<'a> {
        let _ = extract;
        let bits = (0..toks.len()).map(|i| FIRST_WORDS.get(toks.word(i) as usize).copied().unwrap_or(0)).collect();
        Cues { lex, bits, lower: std::cell::OnceCell::new() }
    }

    /// Whether the block also writes the word at token `k` in lower case: an ordinary word,
    /// whatever capitals a headline gives it.
    pub fn written_in_lower_case(&self, toks: &Tokens, k: usize) -> bool {
        let lower = self.lower.get_or_init(|| {
            let mut filter = Box::new([0u64; LOWER_FILTER_WORDS]);
            for j in 0..toks.len() {
                if toks.kind(j) == Some(crate::token::TokKind::Word) && !toks.get(j).upper {
                    for b in filter_bits(toks.norm(j)) {
                        filter[b / 64] |= 1 << (b % 64);
                    }
                }
            }
            filter
        });
        filter_bits(toks.norm(k)).iter().all(|&b| lower[b / 64] & (1 << (b % 64)) != 0)
    }

    #[inline]
    fn may(&self, i: usize, bits: u32) -> bool {
        self.bits.get(i).is_some_and(|b| b & bits != 0)
    }

    /// Length of the longest cue with `role` starting at token `i`.
    #[inline]
    pub fn cue_at(&self, toks: &Tokens, i: usize, end: usize, role: CtxCue) -> Option<usize> {
        if !self.may(i, role as u32) {
            return None;
        }
        self.lex.cue_at(toks, i, end, role)
    }

    #[inline]
    pub fn is(&self, toks: &Tokens, i: usize, role: CtxCue) -> bool {
        self.may(i, role as u32) && self.lex.is(toks, i, role)
    }

    #[inline]
    pub fn starts_any(&self, toks: &Tokens, i: usize, roles: u32) -> bool {
        self.may(i, roles) && self.lex.starts_any(toks, i, roles)
    }

    #[inline]
    pub fn entity_at(&self, toks: &Tokens, i: usize, end: usize) -> Option<(usize, Entity)> {
        if !self.may(i, ENTITY_STARTS) {
            return None;
        }
        self.lex.entity_at(toks, i, end)
    }

    /// Whether token `i` is a party's possessive with its apostrophe stripped ("SANAs
    /// correspondent"): the party, not a place of a similar name (Sanaa).
    pub fn party_possessive(&self, toks: &Tokens, i: usize) -> bool {
        let w = toks.norm(i);
        w.len() > 3 && w.ends_with('s') && self.lex.entities.has_word(&w[..w.len() - 1])
    }

    /// The country a nationality word at token `i` names ("Syrian" → SY).
    pub fn demonym(&self, toks: &Tokens, i: usize) -> Option<&str> {
        if !self.may(i, CtxCue::PlaceModifier as u32) {
            return None;
        }
        self.lex.demonyms.get(toks.norm(i)).map(String::as_str)
    }

    /// Whether a count phrase may start with the word at token `i` (numbers aside).
    pub fn quantity_may_start(&self, i: usize) -> bool {
        self.may(i, QUANTITY_STARTS)
    }

    /// Whether a casualty word may start at token `i`.
    pub fn trigger_may_start(&self, i: usize) -> bool {
        self.may(i, TRIGGER_STARTS)
    }
}

impl ContextLexicon {
    fn add_cues(&mut self, file: &str, text: &str) {
        for (n, f) in rows(text) {
            let role = CtxCue::parse(f[0]).unwrap_or_else(|| panic!("lexicon {file}:{n}: unknown role {}", f[0]));
            let phrase = f.get(1).unwrap_or_else(|| panic!("lexicon {file}:{n}: no phrase"));
            self.cues.add_bits(phrase, role as u32);
            if let (CtxCue::PlaceModifier, Some(code)) = (role, f.get(2)) {
                self.demonyms.insert(phrase.to_string(), code.to_string());
            }
        }
    }

    fn add_entities(&mut self, text: &str) {
        for (n, f) in rows(text) {
            let kind = f
                .get(1)
                .and_then(|t| SourceType::parse(t))
                .unwrap_or_else(|| panic!("lexicon actors.tsv:{n}: bad type"));
            self.entities.insert_phrase(f[0], Entity { kind, actor: f.get(2) == Some(&"yes") });
        }
    }

    /// Length of the longest cue with `role` starting at token `i`.
    pub fn cue_at(&self, toks: &Tokens, i: usize, end: usize, role: CtxCue) -> Option<usize> {
        self.cues.matches_at(toks, i, end).find(|(_, bits)| *bits & role as u32 != 0).map(|(n, _)| n)
    }

    /// Whether any cue with a role in `roles` starts at token `i` (one table lookup).
    pub fn starts_any(&self, toks: &Tokens, i: usize, roles: u32) -> bool {
        self.cues.matches_at(toks, i, toks.len()).any(|(_, bits)| *bits & roles != 0)
    }

    pub fn is(&self, toks: &Tokens, i: usize, role: CtxCue) -> bool {
        self.cue_at(toks, i, i + 1, role).is_some()
    }

    /// The longest entity phrase at token `i`. Single words of three letters or fewer ("WHO",
    /// "UN", "IS", "AP") name an entity only when written in capitals; "army" does in any case.
    pub fn entity_at(&self, toks: &Tokens, i: usize, end: usize) -> Option<(usize, Entity)> {
        self.entities
            .matches_at(toks, i, end)
            .find(|(n, _)| *n > 1 || toks.norm(i).len() > 3 || toks.raw_is_upper(i))
            .map(|(n, e)| (n, *e))
    }
}
