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
}

static EN: LazyLock<ContextLexicon> = LazyLock::new(|| {
    let mut lex = ContextLexicon::default();
    for (file, text) in [
        ("places.tsv", include_str!("../../lexicon/en/places.tsv")),
        ("time.tsv", include_str!("../../lexicon/en/time.tsv")),
        ("reporting.tsv", include_str!("../../lexicon/en/reporting.tsv")),
        ("stance.tsv", include_str!("../../lexicon/en/stance.tsv")),
        ("attacks.tsv", include_str!("../../lexicon/en/attacks.tsv")),
    ] {
        lex.add_cues(file, text);
    }
    lex.add_entities(include_str!("../../lexicon/en/actors.tsv"));
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

impl ContextLexicon {
    fn add_cues(&mut self, file: &str, text: &str) {
        for (n, f) in rows(text) {
            let role = CtxCue::parse(f[0]).unwrap_or_else(|| panic!("lexicon {file}:{n}: unknown role {}", f[0]));
            let phrase = f.get(1).unwrap_or_else(|| panic!("lexicon {file}:{n}: no phrase"));
            self.cues.add_bits(phrase, role as u32);
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

    pub fn is(&self, toks: &Tokens, i: usize, role: CtxCue) -> bool {
        self.cue_at(toks, i, i + 1, role).is_some()
    }

    /// The longest entity phrase at token `i`. Short single words ("WHO", "UN", "IS", "AP")
    /// name an entity only when written in capitals.
    pub fn entity_at(&self, toks: &Tokens, i: usize, end: usize) -> Option<(usize, Entity)> {
        self.entities
            .matches_at(toks, i, end)
            .find(|(n, _)| *n > 1 || toks.norm(i).len() > 4 || toks.raw_is_upper(i))
            .map(|(n, e)| (n, *e))
    }
}
