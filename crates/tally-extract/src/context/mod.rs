//! Context of claims: where and when the incident happened, who did it, who says so, and
//! how the text frames the figure.
//!
//! `DocContext` reads a document sentence by sentence beside the claim rules: it resolves
//! place names with what the document has said so far (a pre-pass over the first block
//! gives the main country), keeps the paragraph's latest place and the latest named speaker,
//! and attaches to each claim the fields of its own sentence, falling back to the paragraph
//! and then the headline for places. Each field found adds a `why` entry.

pub mod actor;
pub mod lexicon;
pub mod place;
pub mod stance;
pub mod time;

use crate::lexicon::{Form, Lexicon};
use crate::relate::Candidate;
use crate::token::Tokens;
use actor::{Attribution, ClaimSite};
use lexicon::Cues;
use place::{Evidence, PlaceCue};
use stance::StanceCues;
use std::ops::Range;
use tally_core::{
    Claim, Document, Mention, PlacePrecision, PlaceRef, SourceRef, SourceType, Stance, TimePrecision, TimeRef,
};
use tally_gazetteer::{Gazetteer, Place, PlaceKind};
use time::Date;

/// One block of a document as the context rules read it: its text, tokens, cue bitmap and
/// the extraction lexicon.
#[derive(Clone, Copy)]
pub struct Block<'a> {
    pub text: &'a str,
    pub toks: &'a Tokens,
    pub cues: &'a Cues<'a>,
    pub lex: &'a Lexicon,
}

/// A time expression of a sentence, with what it may date.
#[derive(Debug)]
struct TimeCandidate {
    tokens: Range<usize>,
    time: TimeRef,
    /// It dates the start of a conflict ("which began in 2011"): only a running total's period.
    onset: bool,
}

/// What one sentence says about context, found once and shared by its claims.
#[derive(Debug, Default)]
pub struct SentenceContext {
    places: Vec<(Range<usize>, PlaceRef, PlaceCue)>,
    times: Vec<TimeCandidate>,
    sources: Vec<(Attribution, SourceRef)>,
    pub stance: StanceCues,
    /// The sentence is a quotation without its own speaker.
    quoted: bool,
    /// The sentence's place in the document.
    index: usize,
    /// The sentence names an event already told ("the attack").
    told_event: bool,
    /// A page's tag list run into the sentence ("Tags Syria Khan Sheikhun Idlib airstrikes").
    tags: Option<Range<usize>>,
}

/// How many sentences on an incident's time still dates figures without their own.
const TIME_CARRY: usize = 2;

/// How many recent named speakers a description ("the ministry") may refer back to.
const MAX_NAMED_SOURCES: usize = 32;

/// How many sentences from the top make a story's lead: where it names the town it is about.
const LEAD_SENTENCES: usize = 4;

/// How many of its claims' towns a document's lead is searched for.
const MAX_CLAIM_TOWNS: usize = 4;

/// The document-level state of context reading.
pub struct DocContext {
    gaz: &'static Gazetteer,
    /// The towns (and spots) the lead names, with the index of their sentence: what
    /// `located` is chosen from.
    lead_towns: Vec<(usize, PlaceRef)>,
    /// Lead sentences without figures in this block, read at its end only if needed.
    lead_unread: Vec<(Range<usize>, usize)>,
    /// The first towns the claims so far are placed at (up to `MAX_CLAIM_TOWNS`).
    claim_towns: Vec<PlaceRef>,
    /// Whether a claim that is no running total has a place yet: only such claims are linked
    /// by place.
    placed_claims: bool,
    /// The date the text gives itself at its top (`Document::dated`).
    pub dated: Option<Date>,
    /// What relative times are read against: `dated`, else the metadata's, else a date line.
    published: Option<Date>,
    caps: bool,
    evidence: Evidence,
    /// Each country the first block names, with its first mention: where a war-sized
    /// running total is said to be.
    country_words: Vec<(String, [usize; 2])>,
    headline_place: Option<PlaceRef>,
    paragraph_place: Option<PlaceRef>,
    /// The latest incident time of an earlier sentence with figures: later figures of the
    /// same story ("The toll rose to 16") are dated by it unless they carry their own.
    recent_time: Option<(TimeRef, usize)>,
    /// Sentences without figures since `recent_time` was set, in this block, with their
    /// index: one that tells an event ("A rocket bomb exploded … on Saturday evening") dates
    /// later figures too, and is read for its time only when a figure needs one.
    untimed: Vec<(Range<usize>, usize)>,
    /// The places of the sentence that gave `recent_time`: a later sentence that names only
    /// these goes on with the same story.
    recent_places: Vec<String>,
    last_source: Option<SourceRef>,
    /// Every named speaker so far, for descriptions that refer back ("the ministry").
    named_sources: Vec<SourceRef>,
    quote_speaker: Option<SourceRef>,
    quote_open: bool,
    /// The perpetrator of the latest figure that named one: "the attack" of a later sentence
    /// is that party's.
    told_perpetrator: Option<Mention>,

    /// Sentences without figures since the paragraph's latest known place, in this block.
    unread: Vec<Range<usize>>,
}

fn is_town(p: &PlaceRef) -> bool {
    matches!(p.precision, PlacePrecision::Town | PlacePrecision::Point)
}

/// Whether `name` occurs in `words` as whole words.
fn names_word(words: &str, name: &str) -> bool {
    let boundary = |c: Option<char>| c.is_none_or(|c| !c.is_alphanumeric());
    words
        .match_indices(name)
        .any(|(i, _)| boundary(words[..i].chars().next_back()) && boundary(words[i + name.len()..].chars().next()))
}

/// The same town: the same GeoNames id, else the same name.
fn same_town(a: &PlaceRef, b: &PlaceRef) -> bool {
    match (a.geonames_id, b.geonames_id) {
        (Some(x), Some(y)) => x == y,
        (None, None) => a.name.eq_ignore_ascii_case(&b.name),
        _ => false,
    }
}

fn text_of(text: &str, [s, e]: [usize; 2]) -> String {
    text[s..e].to_string()
}

impl DocContext {
    /// Starts reading `doc`. The first block's words give the document's country: names of
    /// countries, regions and large cities, looked up one by one (a possessive "Syria's" or
    /// "Syrias" included), so that the first town named is already read in its country.
    pub fn new(doc: &Document, first: &Tokens, gaz: &'static Gazetteer, clex: &Cues) -> DocContext {
        // Relative times were written against the date the text gives itself, which outranks
        // the metadata's (a feed's or a curator's date may be weeks off the text's own).
        let dated = time::publication_line(first, clex);
        let published = dated
            .or_else(|| doc.published.as_deref().and_then(Date::parse_iso))
            .or_else(|| time::date_line(first, clex));
        let caps = mostly_capitals(&doc.text);
        let mut evidence = Evidence::default();
        let mut country_words: Vec<(String, [usize; 2])> = Vec::new();
        let mut not_country_names: Vec<String> = Vec::new();
        let capital = |k: usize| first.kind(k) == Some(crate::token::TokKind::Word) && (caps || first.get(k).upper);
        for k in 0..first.len() {
            if !capital(k) {
                continue;
            }
            let key = gaz.fold_cow(first.norm(k));
            let own = gaz.strong_country(&key);
            let possessive = own.is_none();
            let Some(c) = own.or_else(|| key.strip_suffix('s').and_then(|s| gaz.strong_country(s))) else {
                continue;
            };
            // "BEIRUT (AP) -": a dateline is where the story was filed, not where it happened.
            let dateline = !caps && first.raw_is_upper(k) && first.norm(k).len() > 3;
            // "Kfar Batna" is no evidence of Batna, Algeria; a country's name always is.
            let inner = k > 0
                && capital(k - 1)
                && !caps
                && first.get(k).newlines_before == 0
                && !clex.is(first, k - 1, lexicon::CtxCue::PlaceModifier);
            if dateline || inner && !gaz.names_country(&key) {
                continue;
            }
            // "in Syria", "Syria's war" say where the story is; "Russia and Iran" name parties.
            let located = possessive || k > 0 && clex.is(first, k - 1, lexicon::CtxCue::Locative);
            evidence.add_country(c, if located { 2 } else { 1 });
            // (Each name is looked up once: a city's many mentions are no country's name.)
            if country_words.iter().any(|(known, _)| known == c) || not_country_names.iter().any(|n| *n == key) {
                continue;
            }
            let names_it =
                gaz.names_country(&key) || possessive && key.strip_suffix('s').is_some_and(|s| gaz.names_country(s));
            if names_it {
                country_words.push((c.to_string(), first.span(k, k + 1)));
            } else {
                not_country_names.push(key.into_owned());
            }
        }
        // "Syrian Army Kills over 60 ISIL Terrorists in Deir Ezour": with no place to go by,
        // the nationality words say in which country the names are to be read.
        if evidence.main_country().is_none() {
            for k in (0..first.len()).filter(|&k| capital(k)) {
                if let Some(c) = clex.demonym(first, k) {
                    evidence.add_country(c, 1);
                }
            }
        }
        DocContext {
            gaz,
            dated,
            published,
            caps,
            evidence,
            country_words,
            headline_place: None,
            paragraph_place: None,
            recent_time: None,
            untimed: Vec::new(),
            recent_places: Vec::new(),
            unread: Vec::new(),
            last_source: None,
            named_sources: Vec::new(),
            quote_speaker: None,
            quote_open: false,
            told_perpetrator: None,
            lead_towns: Vec::new(),
            lead_unread: Vec::new(),
            claim_towns: Vec::new(),
            placed_claims: false,
        }
    }

    /// The town the story's lead names most, the first of those tied (`Document::located`).
    pub fn located(&self) -> Option<PlaceRef> {
        let count = |p: &PlaceRef| self.lead_towns.iter().filter(|(_, q)| same_town(q, p)).count();
        let most = self.lead_towns.iter().map(|(_, p)| count(p)).max()?;
        let first = self.lead_towns.iter().filter(|(_, p)| count(p) == most).min_by_key(|(i, _)| *i);
        first.map(|(_, p)| p.clone())
    }

    /// Remembers the towns a lead sentence names. A sentence without figures waits for the
    /// end of its block: linking needs the lead's town only when the claims name no town or
    /// several, and reading every lead sentence's places cost 10 % of extraction.
    fn note_lead_towns(&mut self, sent: &Range<usize>, index: usize, sc: &SentenceContext, has_figures: bool) {
        if index >= LEAD_SENTENCES {
            return;
        }
        if has_figures || index == 0 {
            let named = sc.places.iter().filter(|(_, p, cue)| !cue.describes() && is_town(p));
            self.lead_towns.extend(named.map(|(_, p, _)| (index, p.clone())));
        } else {
            self.lead_unread.push((sent.clone(), index));
        }
    }

    /// The block's tokens are about to go: reads its waiting lead sentences if the claims so
    /// far name no town or more than one.
    pub fn finish_block(&mut self, b: &Block) {
        let waiting = std::mem::take(&mut self.lead_unread);
        if !self.placed_claims || self.claim_towns.len() == 1 {
            return;
        }
        if self.claim_towns.len() > 1 {
            // Claims in several towns: the lead decides among those, so only their names as
            // written are looked for (a search of the words, not a reading of the places).
            for (sent, index) in waiting {
                let [s, e] = b.toks.span(sent.start, sent.end);
                let words = &b.text[s..e];
                let named: Vec<PlaceRef> =
                    self.claim_towns.iter().filter(|t| names_word(words, &t.text)).cloned().collect();
                self.lead_towns.extend(named.into_iter().map(|t| (index, t)));
            }
            return;
        }
        for (sent, index) in waiting {
            let found = place::find_places(b.toks, sent, self.gaz, b.cues, self.caps);
            // (Resolving a name costs more than finding it: countries and regions are passed over.)
            let may_be_town = |m: &place::PlaceMention| {
                m.candidates.is_empty()
                    || m.candidates.iter().any(|&i| self.gaz.brief(i).0 == tally_gazetteer::PlaceKind::Town)
            };
            for m in found.iter().filter(|m| !m.dateline && may_be_town(m)) {
                if let Some(p) = self.place_of(m, b.toks, b.text).filter(is_town) {
                    self.lead_towns.push((index, p));
                }
            }
        }
    }

    /// A new block of tokens begins: sentences of the previous one can no longer be read back.
    pub fn start_block(&mut self) {
        self.unread.clear();
        self.untimed.clear();
    }

    /// The latest incident time told before this sentence: of a sentence with figures, or of
    /// a later one without that tells an event (read now, latest first).
    fn latest_time(&mut self, b: &Block) -> Option<&(TimeRef, usize)> {
        let (toks, clex) = (b.toks, b.cues);
        let tells_event = lexicon::CtxCue::Anaphor as u32 | lexicon::CtxCue::EventVerb as u32;
        while let Some((sent, index)) = self.untimed.pop() {
            if !sent.clone().any(|k| clex.starts_any(toks, k, tells_event)) {
                continue;
            }
            let times = self.incident_times(b, &sent, index);
            if let Some(t) = dating(&times) {
                self.recent_time = Some((t.time.clone(), index));
                self.untimed.clear();
                // (Its places were not read: only a sentence with none goes on with it.)
                self.recent_places.clear();
            }
        }
        self.recent_time.as_ref()
    }

    /// The document's settled country, for telling a state abroad from the story's own. Text
    /// in capitals gives none: its words cannot be told from names ("EL SALVADOR" is read word
    /// by word, and "SALVADOR" is a Brazilian city), and filtering by it emptied the fallback
    /// places of MUC stories (location F 0.542 → 0.300 on TST3).
    fn home_country(&self) -> Option<&str> {
        self.evidence.settled_country().filter(|_| !self.caps)
    }

    /// The nearest place in the sentences since the paragraph's latest known place, read now
    /// that a figure needs it (sentences without figures are not searched as they pass).
    fn backfill_place(&mut self, text: &str, toks: &Tokens, clex: &Cues) {
        while let Some(sent) = self.unread.pop() {
            let found = place::find_places(toks, sent, self.gaz, clex, self.caps);
            let places: Vec<(PlaceRef, PlaceCue)> = found
                .iter()
                .filter(|m| !m.dateline)
                .filter_map(|m| Some((self.place_of(m, toks, text)?, m.cue)))
                .collect();
            let home = self.home_country();
            if let Some(p) = best_fallback(places.iter().map(|(p, cue)| (p, *cue)), home, self.gaz).cloned() {
                self.paragraph_place = Some(p);
                self.unread.clear();
                return;
            }
        }
    }

    /// The record of a place mention: resolved in the gazetteer, or kept as written.
    fn place_of(&self, m: &place::PlaceMention, toks: &Tokens, text: &str) -> Option<PlaceRef> {
        let span = toks.span(m.tokens.start, m.tokens.end);
        if m.candidates.is_empty() {
            // A name no table lists may still be a transliteration of one in the document's
            // country ("Deir Ezour", "Tel Abyad"); a capitalised weekday is not a place.
            let words = text_of(text, span);
            if time::is_calendar_word(&words.to_lowercase()) {
                return None;
            }
            let loose = |c: &str| self.gaz.lookup_loose(&words, c).filter(|_| !place::names_a_part(toks, m));
            if let Some(i) = self.evidence.main_country().and_then(loose) {
                return Some(place_ref(words, span, &self.gaz.place(i)));
            }
            if m.loose_only {
                return None;
            }
            let country = self.evidence.main_country().unwrap_or_default().to_string();
            let precision = if m.cue == PlaceCue::Region { PlacePrecision::Region } else { PlacePrecision::Town };
            return Some(unresolved_place(text_of(text, span), span, country, precision));
        }
        let mut found = place::resolve(m, self.gaz, &self.evidence).map(|p| place_ref(text_of(text, span), span, &p));
        // "al-Karak neighborhood" in a story from Daraa: a quarter of a town of the story's
        // country that no table lists, not the town abroad its name happens to spell.
        if let Some(home) = self.home_country().filter(|h| found.as_ref().is_none_or(|p| p.country != *h)) {
            if place::names_a_part(toks, m) {
                return Some(unresolved_place(text_of(text, span), span, home.to_string(), PlacePrecision::Town));
            }
        }
        if let Some(p) = found.as_mut().filter(|_| m.inside) {
            p.precision = PlacePrecision::Point;
        }
        found
    }

    /// Reads the context of sentence `sent` (the `index`-th of the document).
    pub fn read_sentence(&mut self, b: &Block, sent: Range<usize>, index: usize, has_figures: bool) -> SentenceContext {
        let Block { text, toks, cues: clex, lex } = *b;
        if index > 0 && toks.get(sent.start).newlines_before >= 2 {
            self.paragraph_place = None;
            self.unread.clear();
        }
        let gaz = self.gaz;
        let mut sc = SentenceContext {
            stance: stance::stance_cues(toks, sent.clone(), clex),
            index,
            ..SentenceContext::default()
        };
        // Places are read in sentences with figures (and the headline); the others wait in
        // `unread` until a figure needs the paragraph's latest place.
        let found = if has_figures || index == 0 {
            place::find_places(toks, sent.clone(), gaz, clex, self.caps)
        } else {
            self.unread.push(sent.clone());
            Vec::new()
        };
        // Without figures, a sentence only needs its places for the evidence and for the
        // paragraph's latest place (and the headline's first).
        for m in found.iter().filter(|m| !m.dateline) {
            if let Some(p) = self.place_of(m, toks, text) {
                sc.places.push((m.tokens.clone(), p, m.cue));
            }
        }

        // A described place ("in a northern village") stands in for a name the sentence lacks;
        // a definite one ("in the northwestern province") keeps its words and takes the place
        // it refers back to.
        if has_figures && sc.places.is_empty() {
            let descriptions = place::find_descriptions(toks, sent.clone(), clex);
            if descriptions.iter().any(|d| d.definite) {
                self.backfill_place(text, toks, clex);
            }
            let antecedent = self.paragraph_place.clone().or_else(|| self.headline_place.clone());
            let country = self.evidence.main_country().unwrap_or_default().to_string();
            for d in descriptions {
                let span = toks.span(d.tokens.start, d.tokens.end);
                let words = text_of(text, span);
                let (p, cue) = match (&antecedent, d.definite) {
                    (Some(a), true) => (PlaceRef { text: words, span, ..a.clone() }, PlaceCue::RefersBack),
                    (None, true) => continue,
                    (_, false) => (unresolved_place(words, span, country.clone(), d.precision), PlaceCue::Described),
                };
                sc.places.push((d.tokens, p, cue));
            }
        }
        if has_figures && sc.places.is_empty() {
            self.backfill_place(text, toks, clex);
        }
        if has_figures {
            sc.times = self.incident_times(b, &sent, index);
            sc.told_event = refers_to_told_event(toks, clex, &sent);
        } else {
            self.untimed.push((sent.clone(), index));
        }
        // (A headline's credit only matters to the headline's own figures.)
        let credit = has_figures.then(|| actor::headline_credit(toks, &sent, clex)).flatten();
        for a in credit.into_iter().chain(actor::attributions(toks, sent.clone(), lex, clex)) {
            let span = toks.span(a.tokens.start, a.tokens.end);
            let mut source = SourceRef { text: text_of(text, span), span, kind: a.kind };
            // "Baku denied", "Moscow said": a country or its capital speaks as its government.
            if source.kind == SourceType::Unknown && names_a_state(&source.text, gaz) {
                source.kind = SourceType::Government;
            }
            if a.pronoun {
                // "he said" becomes the latest named speaker; "the ministry said" keeps its
                // words and takes the type of the latest party it fits ("the Defence
                // Ministry": military), else its own, else the latest speaker's.
                let personal = matches!(toks.norm(a.tokens.start), "he" | "she" | "it" | "they");
                let fitting = self.named_sources.iter().rev().find(|n| refers_to(&source.text, &n.text));
                match &self.last_source {
                    Some(named) if personal => source = SourceRef { kind: named.kind, ..named.clone() },
                    None if personal => continue,
                    _ => match fitting {
                        Some(party) => source.kind = party.kind,
                        None if source.kind == SourceType::Unknown => {
                            source.kind = self.last_source.as_ref().map_or(source.kind, |n| n.kind)
                        }
                        None => {}
                    },
                }
            }
            sc.sources.push((a, source));
        }
        // A state named as a party is no place, here or for the sentences after: the whole
        // speaker ("Moscow said") or the agent ("airstrikes launched by Russia and the regime").
        let agent = |r: &Range<usize>| {
            let by = |k: usize| k > sent.start && toks.norm(k - 1) == "by";
            (by(r.start) || toks.norm(r.start.saturating_sub(1)) == "the" && by(r.start - 1))
                && names_a_state(&text_of(text, toks.span(r.start, r.end)), gaz)
        };
        // "Sabra said in Turkey the attack had killed 1300": where the saying was done.
        let said_there = |r: &Range<usize>| {
            r.start >= sent.start + 2
                && matches!(toks.norm(r.start - 1), "in" | "from")
                && sc.sources.iter().any(|(a, _)| a.cue.end == r.start - 1)
        };
        // "opposition figure George Sabra said": an uncued name running on into another
        // capitalised word inside a speaker's phrase is part of a person's name.
        // (Text in capitals says nothing of names.)
        let in_name = |r: &Range<usize>, cue: PlaceCue| {
            !self.caps
                && cue == PlaceCue::None
                && toks.kind(r.end) == Some(crate::token::TokKind::Word)
                && toks.get(r.end).upper
                && sc.sources.iter().any(|(a, _)| a.tokens.start < r.start && r.end < a.tokens.end)
                && !clex.starts_any(
                    toks,
                    r.start - 1,
                    lexicon::CtxCue::Locative as u32 | lexicon::CtxCue::PlaceModifier as u32,
                )
        };
        // "Tags Syria Khan Sheikhun Idlib airstrikes At least 11 …": a page's tag list run
        // into the text names what the page is filed under, not where anything happened.
        let tags = if sc.places.is_empty() { None } else { tag_list(b, &sent) };
        let tagged = |r: &Range<usize>| tags.as_ref().is_some_and(|t| t.start <= r.start && r.end <= t.end);
        sc.tags = tags.clone();
        sc.places.retain(|(r, _, cue)| {
            !names_speaker(r, &sc.sources) && !agent(r) && !said_there(r) && !in_name(r, *cue) && !tagged(r)
        });
        let quotes = sent.clone().filter(|&k| toks.norm(k) == "\"").count();
        sc.quoted = (self.quote_open || toks.norm(sent.start) == "\"") && sc.sources.is_empty();
        if quotes % 2 == 1 {
            self.quote_open = !self.quote_open;
        }
        self.note_lead_towns(&sent, index, &sc, has_figures);
        sc
    }

    /// The times of sentence `sent` that may date an incident: not a date line or a credit's
    /// date, not the day of a saying; a conflict's onset marked, and after "since" a period
    /// that runs to the report.
    fn incident_times(&self, b: &Block, sent: &Range<usize>, index: usize) -> Vec<TimeCandidate> {
        let Block { text, toks, cues: clex, lex } = *b;
        let mut out = Vec::new();
        for mut t in time::find_times(toks, sent.clone(), clex, self.published) {
            let introduced =
                t.tokens.start > sent.start && matches!(toks.norm(t.tokens.start - 1), "on" | "in" | "since" | "of");
            let date_line = t.full_date && !introduced && (index == 0 || t.start == self.published);
            // "MOSCOW, October 1 (RIA Novosti) -", a caption's "June 18 2016 (Reuters)": the
            // date of a credit line.
            let credit = t.is_calendar(toks) && toks.norm(t.tokens.end) == "(";
            if date_line
                || credit
                || reports_when(toks, clex, sent, &t.tokens)
                || compares_since(toks, lex, sent, &t.tokens)
            {
                continue;
            }
            let onset = onset_of(toks, clex, sent, &t);
            if let Some(since) = onset.filter(|&k| toks.norm(k) == "since") {
                // "since the conflict began in March 2011": the period runs to the report.
                t = time::TimeMention {
                    tokens: since..t.tokens.end,
                    end: self.published,
                    precision: TimePrecision::Range,
                    ..t
                };
            }
            let span = toks.span(t.tokens.start, t.tokens.end);
            let time = TimeRef {
                text: text_of(text, span),
                span,
                start: t.start.map(Date::iso),
                end: t.end.map(Date::iso),
                precision: t.precision,
            };
            out.push(TimeCandidate { tokens: t.tokens, time, onset: onset.is_some() });
        }
        out
    }

    /// Remembers what later sentences may fall back on.
    pub fn finish_sentence(&mut self, sc: &SentenceContext, index: usize) {
        if let Some(t) = dating(&sc.times) {
            self.recent_time = Some((t.time.clone(), index));
            self.untimed.clear();
            self.recent_places = sc.places.iter().map(|(_, p, _)| p.name.clone()).collect();
        }
        if let Some(p) = best_fallback(sc.places.iter().map(|(_, p, cue)| (p, *cue)), self.home_country(), self.gaz) {
            if index == 0 && self.headline_place.is_none() {
                self.headline_place = Some(p.clone());
            }
            self.paragraph_place = Some(p.clone());
            self.unread.clear();
        }
        if let Some((a, s)) = sc.sources.iter().rev().find(|(a, _)| !a.pronoun) {
            let _ = a;
            self.last_source = Some(s.clone());
            // A bounded memory: a description refers to a recent party, and a huge document
            // must not make each lookup slower.
            if self.named_sources.len() == MAX_NAMED_SOURCES {
                self.named_sources.remove(0);
            }
            self.named_sources.push(s.clone());
        }
        if let Some((_, s)) = sc.sources.last() {
            self.quote_speaker = Some(s.clone());
        }
    }

    /// "More than 300000 people have been killed": a war-sized running total with no place of
    /// its own is the document's country's, as its first mention wrote it, not the last town
    /// or the conference city of the paragraph before.
    fn war_country(&self, text: &str, claim: &Claim, q: &crate::quantity::Quantity) -> Option<PlaceRef> {
        if !claim.cumulative || q.low.max(q.value.unwrap_or(0)) < tally_core::WAR_SIZED {
            return None;
        }
        let code = self.evidence.main_country()?;
        let (_, span) = self.country_words.iter().find(|(c, _)| c == code)?;
        Some(place_ref(text_of(text, *span), *span, &self.gaz.country(code)?))
    }

    /// Fills the context fields of `claim`, found for candidate `cand` in a sentence read as `sc`.
    pub fn attach(
        &mut self,
        b: &Block,
        claim: &mut Claim,
        cand: &Candidate,
        sc: &SentenceContext,
        sent: &Range<usize>,
    ) {
        let Block { text, toks, cues: clex, lex } = *b;
        let q = &cand.quantity;
        let relation = cand.relation.as_ref();
        // The casualty word's lexicon entry, looked up once for what it says of its subject.
        let trigger = relation
            .and_then(|r| r.cue.as_ref())
            .and_then(|c| lex.triggers.longest_at(toks, c.start, c.end))
            .map(|(_, t)| t);
        let active = relation.is_some_and(|r| matches!(r.rule, "verb-object" | "list-object" | "coordination"))
            || trigger.is_some_and(|t| matches!(t.form, Form::Ing | Form::S | Form::Base));
        let participle = trigger.is_some_and(|t| t.form == Form::Ing);
        let own_losses = trigger.is_some_and(|t| t.own_losses);
        let mut site = ClaimSite {
            figure: q.start..cand.head.end.max(q.end),
            cue: relation.and_then(|r| r.cue.clone()),
            active,
            participle,
            own_losses,
        };
        // "… launched a rocket attack, leaving at least three killed", "causing several dozen
        // dead": the verb that caused the figure acts for its casualty word.
        // ("… leaving at least three killed and 30 wounded": a count listed after the first.)
        let listed = |m: usize| {
            matches!(toks.norm(m), "and" | "," | "at" | "least" | "more" | "than" | "some" | "about")
                || toks.kind(m) == Some(crate::token::TokKind::Number)
                || lex.numbers.contains_key(toks.norm(m))
                || lex.triggers.longest_at(toks, m, m + 1).is_some()
        };
        let causing = (q.start.saturating_sub(8).max(sent.start)..q.start)
            .rev()
            .take_while(|&m| actor::causes(toks.norm(m)) || listed(m))
            .find(|&m| actor::causes(toks.norm(m)));
        if let Some(verb) = causing.filter(|_| !active) {
            site.cue = Some(verb..verb + 1);
            site.active = true;
            site.participle = toks.norm(verb).ends_with("ing");
        }
        let perpetrator = actor::perpetrator(toks, sent.clone(), &site, lex, clex)
            .and_then(|(r, rule)| Some((without_leading_places(toks, clex, r, sc)?, rule)));
        claim.perpetrator = perpetrator.as_ref().map(|(r, rule)| {
            claim.why.push(crate::why_tag("perpetrator", rule));
            let span = toks.span(r.start, r.end);
            Mention { text: text_of(text, span), span }
        });
        let centre = q.start;
        let near = |r: &Range<usize>| if r.start >= q.end { r.start - q.end } else { centre.saturating_sub(r.end) + 1 };
        let source_tokens: Vec<Range<usize>> = sc.sources.iter().map(|(a, _)| a.tokens.clone()).collect();
        let in_source = |r: &Range<usize>| source_tokens.iter().any(|s| s.start <= r.start && r.end <= s.end);
        // A place between the count and its casualty word describes the victims ("mercenaries
        // from Tunisia … were killed in the Euphrates Valley"): the incident is elsewhere.
        let trigger_start = cand.relation.as_ref().and_then(|r| r.cue.as_ref()).map_or(q.end, |c| c.start);
        let among_victims = |r: &Range<usize>| r.start >= q.end && r.end <= trigger_start;
        // A place in the speaker's phrase ("activists in Alwaer said") is where they are,
        // which is the incident's place only when the sentence names no other; a possessive
        // there ("Iraq's human rights minister") is whose office speaks, never the place.
        // A place that is the whole speaker ("Moscow said") or doer ("air strikes launched by
        // Russia") names a party, not where the harm was done; "Syrian warplanes" still says
        // in which country.
        let is_perpetrator = |r: &Range<usize>| perpetrator.as_ref().is_some_and(|(p, _)| is_whole_phrase(r, p));
        // "terrorists positioned in al-Rashidin fired rockets that fell in al-Ramouseh": where
        // a party is posted (not "a hospital located in Douma": where a site is).
        let posted = |r: &Range<usize>| {
            (r.start.saturating_sub(3).max(sent.start + 1)..r.start).any(|k| {
                clex.is(toks, k, lexicon::CtxCue::Position)
                    && !clex.is(toks, k - 1, lexicon::CtxCue::Site)
                    && !clex.is(toks, k - 1, lexicon::CtxCue::PlaceType)
                    && (k + 1..r.start).all(|m| matches!(toks.norm(m), "in" | "at" | "on" | "the"))
            })
        };
        // "Kafr Takharim in Idlib": the second place only says where the first one is.
        let container = |r: &Range<usize>| sc.places.iter().any(|(q, _, _)| contains_next(toks, clex, q, r));
        let usable: Vec<&(Range<usize>, PlaceRef, PlaceCue)> = sc
            .places
            .iter()
            .filter(|(r, p, cue)| {
                // (Whole speakers left the sentence's places when it was read.) "A source in
                // the province said": where the speaker is, told again, is nothing new.
                let speakers_again = in_source(r) && (possessive(p) || *cue == PlaceCue::RefersBack);
                !(speakers_again || is_perpetrator(r) || container(r) || seat_of_a_party(p, self.gaz))
            })
            .collect();
        // "… destroyed in the area of Mayadeen the ministry said adding that another 40 were
        // killed around Albu Kamal": a saying between a place and the figure parts their clauses.
        let across_saying = |r: &Range<usize>| {
            let (lo, hi) = if r.end <= q.start { (r.end, q.start) } else { (q.end, r.start) };
            sc.sources.iter().any(|(a, _)| lo <= a.cue.start && a.cue.end <= hi)
        };
        let own = usable.iter().min_by_key(|&&&(ref r, ref p, cue)| {
            let penalty = if cue == PlaceCue::None { 6 } else { 0 }
                + if across_saying(r) { 10 } else { 0 }
                + if possessive(p) { 8 } else { 0 }
                + if among_victims(r) || posted(r) { 12 } else { 0 }
                + if in_source(r) { 40 } else { 0 };
            (near(r) + penalty, r.start < q.start)
        });
        let refers_back = own.is_some_and(|(_, _, cue)| *cue == PlaceCue::RefersBack);
        claim.place = if let Some((r, p, _)) = own {
            // (Words of the sentence that name an earlier place: "in the city".)
            claim.why.push(if refers_back { "place:refers-back" } else { "place:sentence" }.into());
            let mut p = p.clone();
            // "al-Jamilia neighborhood in Aleppo city": a name no table lists lies in the
            // region of the place that contains it.
            let unlisted = p.geonames_id.is_none() && p.admin1.is_none();
            if let Some(o) = unlisted.then(|| listed_container(toks, clex, &sc.places, r)).flatten() {
                p.admin1 = o.admin1.clone();
                p.country = o.country.clone();
                claim.why.push("place:within-next".into());
            }
            Some(p)
        } else if let Some(p) = self.war_country(text, claim, q) {
            claim.why.push("place:war-total".into());
            Some(p)
        } else if let Some(p) = &self.paragraph_place {
            claim.why.push("place:paragraph".into());
            Some(p.clone())
        } else if let Some(p) = &self.headline_place {
            claim.why.push("place:headline".into());
            Some(p.clone())
        } else {
            None
        };
        // (A running total is linked to its period, never by its place.)
        self.placed_claims |= claim.place.is_some() && !claim.cumulative;
        // (The lead is searched for a town's name as written, not for "the city".)
        let town = if refers_back {
            self.paragraph_place.as_ref().or(self.headline_place.as_ref())
        } else {
            claim.place.as_ref()
        };
        if let Some(p) = town.filter(|p| is_town(p) && self.claim_towns.len() < MAX_CLAIM_TOWNS) {
            if !self.claim_towns.iter().any(|t| same_town(t, p)) {
                self.claim_towns.push(p.clone());
            }
        }
        claim.time = sc
            .times
            .iter()
            .filter(|t| (!t.onset || claim.cumulative) && !dates_saying(&t.tokens, sent, &sc.sources, q.start))
            .min_by_key(|t| near(&t.tokens))
            .map(|t| t.time.clone());
        if claim.time.is_some() {
            claim.why.push("time:sentence".into());
        } else if !claim.cumulative
            && sc.places.iter().all(|(_, p, cue)| *cue == PlaceCue::RefersBack || self.recent_places.contains(&p.name))
        {
            claim.time = self.latest_time(b).filter(|(_, at)| sc.index <= at + TIME_CARRY).map(|(t, _)| t.clone());
            if claim.time.is_some() {
                claim.why.push("time:earlier-sentence".into());
            }
        }
        let told_event = !claim.cumulative && sc.told_event;
        if claim.time.is_none() && told_event {
            claim.time = self.latest_time(b).map(|(t, _)| t.clone());
            if claim.time.is_some() {
                claim.why.push("time:event-anaphor".into());
            }
        }
        if claim.perpetrator.is_some() {
            self.told_perpetrator = claim.perpetrator.clone();
        } else if told_event && !own_losses && self.told_perpetrator.is_some() {
            // (Who did the attack is not who inflicted an attacker's own losses in it.)
            claim.perpetrator = self.told_perpetrator.clone();
            claim.why.push("perpetrator:event-anaphor".into());
        }
        // A speaker in the sentence's own words outranks an outlet's "(Reuters)" credit.
        claim.source =
            sc.sources.iter().min_by_key(|(a, _)| (a.rule == "parenthetical", near(&a.cue))).map(|(a, s)| {
                claim.why.push(crate::why_tag("source", a.rule));
                s.clone()
            });
        if claim.source.is_none() && sc.quoted {
            claim.source = self.quote_speaker.clone();
            if claim.source.is_some() {
                claim.why.push("source:quotation".into());
            }
        }
        claim.stance = stance_of(&sc.stance, toks, text, &mut claim.why);
    }

    /// The party denying, for a denial record: the phrase before the cue.
    pub fn denier(&self, b: &Block, sent: &Range<usize>, cue: &Range<usize>) -> Option<SourceRef> {
        let Block { text, toks, cues: clex, lex } = *b;
        let np = actor::np_before(toks, sent.start, cue.start, lex, clex)?;
        let span = toks.span(np.start, np.end);
        let mut source = SourceRef { text: text_of(text, span), span, kind: actor::source_type(toks, np, clex) };
        if source.kind == SourceType::Unknown && names_a_state(&source.text, self.gaz) {
            source.kind = SourceType::Government;
        }
        Some(source)
    }
}

/// The tokens of a tag list in `sent`: "Tags" and the words after it, up to punctuation, a
/// number or a capitalised word that opens text again (a function word, a subject pronoun,
/// the start of a count: "At least 11 civilians …").
fn tag_list(b: &Block, sent: &Range<usize>) -> Option<Range<usize>> {
    let (toks, lex, clex) = (b.toks, b.lex, b.cues);
    let at = sent.clone().find(|&k| toks.get(k).upper && toks.norm(k) == "tags" && toks.get(k + 1).upper)?;
    let opens_text = |k: usize| {
        toks.get(k).upper
            && (crate::segment::opens_sentence(toks, k)
                || lex.is_cue(toks, k, crate::lexicon::Cue::Function)
                || clex.quantity_may_start(k))
    };
    let limit = sent.end.min(at + 24);
    let end = (at + 1..limit).find(|&k| toks.kind(k) != Some(crate::token::TokKind::Word) || opens_text(k));
    Some(at..end.unwrap_or(limit))
}

/// The time of a sentence that dates the figures after it: its last that is neither a
/// conflict's onset nor a period.
fn dating(times: &[TimeCandidate]) -> Option<&TimeCandidate> {
    times.iter().rev().find(|t| !t.onset && t.time.precision != TimePrecision::Range)
}

/// "the attack", "this explosion": a definite noun for an event, which a sentence uses of the
/// one already told.
fn refers_to_told_event(toks: &Tokens, clex: &Cues, sent: &Range<usize>) -> bool {
    (sent.start..sent.end.saturating_sub(1)).any(|k| {
        matches!(toks.norm(k), "the" | "this" | "that")
            && clex.cue_at(toks, k + 1, sent.end, lexicon::CtxCue::Anaphor).is_some()
    })
}

/// "the war which began in 2011", "since the outbreak of the war in 2011": a year or month
/// dating the start of a conflict. Returns where the phrase starts: at "since" when there is
/// one, else at the onset word.
fn onset_of(toks: &Tokens, clex: &Cues, sent: &Range<usize>, t: &time::TimeMention) -> Option<usize> {
    if !t.is_year_or_month() {
        return None;
    }
    let lo = t.tokens.start.saturating_sub(8).max(sent.start);
    let cue = (lo..t.tokens.start).find(|&k| clex.cue_at(toks, k, t.tokens.start, lexicon::CtxCue::Onset).is_some())?;
    Some((lo..cue).rev().find(|&k| toks.norm(k) == "since").unwrap_or(cue))
}

/// The first place out along the chain of places containing `inner` ("Iskandaron Street in
/// al-Jamilyeh neighborhood in Aleppo city") whose region a table lists.
fn listed_container<'a>(
    toks: &Tokens,
    clex: &Cues,
    places: &'a [(Range<usize>, PlaceRef, PlaceCue)],
    mut inner: &'a Range<usize>,
) -> Option<&'a PlaceRef> {
    while let Some((outer, p, _)) = places.iter().find(|(o, _, _)| contains_next(toks, clex, inner, o)) {
        if p.admin1.is_some() {
            return Some(p);
        }
        inner = outer;
    }
    None
}

/// Whether `outer` comes right after `inner` to say where it is: "Kafr Takharim in Idlib",
/// "Daraya town in Damascus Countryside" (past the word saying what the first one is).
fn contains_next(toks: &Tokens, clex: &Cues, inner: &Range<usize>, outer: &Range<usize>) -> bool {
    outer.start > 1
        && matches!(toks.norm(outer.start - 1), "in" | ",")
        && inner.end + 1 + clex.is(toks, inner.end, lexicon::CtxCue::PlaceType) as usize == outer.start
}

/// "the first explosion to hit the town since the outbreak of the war in 2011", "the deadliest
/// attack since 2011": what the incident is compared with, not when it happened.
fn compares_since(toks: &Tokens, lex: &Lexicon, sent: &Range<usize>, t: &Range<usize>) -> bool {
    let since = (t.start.saturating_sub(8).max(sent.start)..=t.start).rev().find(|&k| toks.norm(k) == "since");
    since.is_some_and(|k| {
        (k.saturating_sub(12).max(sent.start)..k).any(|m| lex.is_cue(toks, m, crate::lexicon::Cue::Superlative))
    })
}

/// "On Sunday a monitor said that 82 were killed": a time just before the speaker of a
/// later figure dates the saying.
/// Only a time that opens the sentence ("On Sunday", "Moreover on March 22"): in "… struck a
/// hospital on Wednesday, officials said, injuring 17" the day is the strike's.
fn dates_saying(
    time: &Range<usize>,
    sent: &Range<usize>,
    sources: &[(actor::Attribution, SourceRef)],
    figure: usize,
) -> bool {
    time.start <= sent.start + 2
        && sources
            .iter()
            .any(|(a, _)| a.cue.end <= figure && time.end <= a.tokens.start && a.tokens.start - time.end <= 1)
}

/// "said on Friday", "told AFP on Sunday": the day of the report, not of the incident.
fn reports_when(toks: &Tokens, clex: &Cues, sent: &Range<usize>, t: &Range<usize>) -> bool {
    let lo = t.start.saturating_sub(4).max(sent.start);
    if (lo..t.start).any(|k| clex.is(toks, k, lexicon::CtxCue::ReportVerbTime)) {
        return true;
    }
    // "said in a statement on Thursday": only the words of a statement's frame between.
    let mut k = t.start;
    while k > sent.start && k + 8 > t.start && clex.is(toks, k - 1, lexicon::CtxCue::ReportFrame) {
        k -= 1;
    }
    k > sent.start && clex.is(toks, k - 1, lexicon::CtxCue::ReportVerbTime)
}

/// "Moscow said", "the United States announced": a place that is the whole speaker phrase.
fn names_speaker(place: &Range<usize>, sources: &[(Attribution, SourceRef)]) -> bool {
    sources.iter().any(|(a, _)| is_whole_phrase(place, &a.tokens))
}

/// "Aleppo ISIS attacks", "BEIRUT Syrian government air strikes": a place named in front of
/// the party (a headline's, a dateline) is no part of it; a state may be a party itself
/// ("Russia or Syrian warplanes"). A page's tag list is none either ("Tags Syria Eastern
/// Ghouta Douma Syrian regime bombing …"), and a phrase all inside one names no one.
fn without_leading_places(
    toks: &Tokens,
    clex: &Cues,
    mut r: Range<usize>,
    sc: &SentenceContext,
) -> Option<Range<usize>> {
    if let Some(t) = sc.tags.as_ref().filter(|t| t.start <= r.start && r.start < t.end) {
        if r.end <= t.end || !actor::names_actor(toks, &(t.end..r.end), clex) {
            return None;
        }
        r.start = t.end;
    }
    // ("US-led coalition": a name glued to a hyphen is part of a word.)
    let glued = |p: &Range<usize>| toks.norm(p.end) == "-" && !toks.get(p.end).space_before;
    let place_only = |p: &Range<usize>| {
        clex.entity_at(toks, p.start, p.end).is_none() && !matches!(toks.norm(p.end), "and" | "or") && !glued(p)
    };
    while let Some((p, _, _)) = sc.places.iter().find(|(p, _, _)| p.start == r.start && p.end < r.end) {
        if !place_only(p) || !actor::names_actor(toks, &(p.end..r.end), clex) {
            break;
        }
        r.start = p.end;
    }
    Some(r)
}

/// Whether a place is all of a party's phrase, an article before it aside ("the United States").
fn is_whole_phrase(place: &Range<usize>, phrase: &Range<usize>) -> bool {
    phrase.end == place.end && place.start <= phrase.start + 1
}

/// Whether a description ("the ministry") fits a named party ("the Russian Defence Ministry"):
/// the party's words include the description's last word.
fn refers_to(description: &str, named: &str) -> bool {
    let head = description.rsplit(' ').next().unwrap_or(description).to_lowercase();
    named.to_lowercase().split(|c: char| !c.is_alphanumeric()).any(|w| w == head)
}

/// Whether a speaker phrase is only the name of a country or of a capital ("Baku", "the
/// United States").
fn names_a_state(text: &str, gaz: &Gazetteer) -> bool {
    let bare = text.strip_prefix("the ").or_else(|| text.strip_prefix("The ")).unwrap_or(text);
    let key = gaz.fold(bare);
    gaz.lookup(&key).into_iter().any(|i| {
        let (kind, population, _) = gaz.brief(i);
        kind == PlaceKind::Country
            || (kind == PlaceKind::Town && population >= 300_000 && bare.chars().next().is_some_and(char::is_uppercase))
    })
}

/// The stance the sentence gives its figures; a denial in the sentence disputes them.
fn stance_of(cues: &StanceCues, toks: &Tokens, text: &str, why: &mut Vec<String>) -> Stance {
    let cue_text = |r: &Range<usize>| {
        let [s, e] = toks.span(r.start, r.end);
        text[s..e].to_string()
    };
    if let Some(r) = cues.disputed.as_ref().or(cues.denied.as_ref()) {
        why.push(format!("stance:{}", cue_text(r)));
        Stance::Disputed
    } else if let Some(r) = &cues.hedged {
        why.push(format!("stance:{}", cue_text(r)));
        Stance::Hedged
    } else {
        Stance::Asserted
    }
}

/// The place a later sentence falls back on: the first one named as a place ("in X", "the
/// village of X", "X province"), a town or region before a whole country, else the first.
fn best_fallback<'p>(
    places: impl Iterator<Item = (&'p PlaceRef, PlaceCue)>,
    home: Option<&str>,
    gaz: &Gazetteer,
) -> Option<&'p PlaceRef> {
    // A described place ("a clinic") is the sentence's own; later sentences need a name.
    // Once the story's country is settled, another state or its capital ("the ministry in
    // Moscow said", "Iraq") is a party or a mention in passing, not where the story's later
    // figures happened.
    let abroad = |p: &PlaceRef| {
        home.is_some_and(|c| p.country != c)
            && (p.geonames_id.is_some() || p.precision == PlacePrecision::Country)
            && names_a_state(&p.text, gaz)
    };
    places
        .filter(|(p, cue)| !cue.describes() && !abroad(p) && !seat_of_a_party(p, gaz))
        .min_by_key(|(p, cue)| (p.precision == PlacePrecision::Country, *cue == PlaceCue::None))
        .map(|(p, _)| p)
}

/// "Syria's civil war", "Syrias warring sides": a place owning something is seldom where the
/// incident is.
fn possessive(p: &PlaceRef) -> bool {
    let text = p.text.trim_end_matches(['\'', '’']);
    // ("Damascuss": a name ending in "s" with its possessive "s" after it.)
    text.len() == p.name.len() + 1 && text.ends_with('s') && (!p.name.ends_with('s') || text.ends_with("ss"))
        || p.text.ends_with("'s")
        || p.text.ends_with("’s")
}

/// "Damascus's ally Russia", "Moscow's intervention": a capital owning something is its
/// government, a party, not where anything happened.
fn seat_of_a_party(p: &PlaceRef, gaz: &Gazetteer) -> bool {
    possessive(p)
        && p.precision == PlacePrecision::Town
        && p.geonames_id.is_some()
        && gaz.capital(&p.country).is_some_and(|i| gaz.place(i).geonames_id == p.geonames_id)
}

/// A place the gazetteer does not know: its words, the document's country, no coordinates.
fn unresolved_place(text: String, span: [usize; 2], country: String, precision: PlacePrecision) -> PlaceRef {
    PlaceRef {
        name: text.clone(),
        text,
        span,
        geonames_id: None,
        country,
        admin1: None,
        lat: None,
        lon: None,
        precision,
    }
}

fn place_ref(text: String, span: [usize; 2], p: &Place) -> PlaceRef {
    PlaceRef {
        text,
        span,
        name: p.name.clone(),
        geonames_id: p.geonames_id,
        country: p.country.clone(),
        admin1: p.admin1.clone(),
        lat: p.lat,
        lon: p.lon,
        precision: match p.kind {
            PlaceKind::Town => PlacePrecision::Town,
            PlaceKind::Region => PlacePrecision::Region,
            PlaceKind::Country => PlacePrecision::Country,
        },
    }
}

/// Text set in capitals (wire copy of the 1980s, MUC): capitalisation then tells nothing.
fn mostly_capitals(text: &str) -> bool {
    let (mut upper, mut letters) = (0u32, 0u32);
    // Branch-free over a fixed prefix, so the compiler can vectorise it.
    for &b in &text.as_bytes()[..text.len().min(2048)] {
        let letter = (b | 0x20).wrapping_sub(b'a') < 26;
        letters += letter as u32;
        upper += (letter & (b < b'a')) as u32;
    }
    letters > 40 && upper * 10 > letters * 8
}
