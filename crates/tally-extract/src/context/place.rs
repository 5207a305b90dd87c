//! Place mentions: capitalised runs of words (with "al-", "ez-" and the like inside) that the
//! gazetteer knows, resolved to one place using the rest of the document.
//!
//! A name must earn its reading: countries, regions and large towns stand on their own; a
//! small town needs a cue ("in", "the village of", "… province") or the document's own
//! country. A name glued to a person's name ("Michael Jordan"), used as an adjective
//! ("Britain-based", "Iran-backed") or listed as not a place ("President") is not a place.
//! Among readings, the document's main country, the cue word ("province" → a region) and the
//! population decide: "Georgia" is the country in a story about the Caucasus and the US
//! state in a story about Atlanta.

use super::lexicon::{CtxCue, Cues};
use crate::token::{TokKind, Tokens};
use rustc_hash::FxHashMap;
use std::ops::Range;
use tally_core::PlacePrecision;
use tally_gazetteer::{Gazetteer, Place, PlaceKind};

/// How many people make a town known enough to need no cue.
const LARGE_TOWN: u64 = 50_000;
/// How many people make a town abroad known by its other names too ("Halab" for Aleppo in
/// a report about Iraq); a lesser one met by an alternate name in a document about another
/// country is a false friend ("Orum" for Orem, Utah, in a report from Aleppo).
const WORLD_CITY: u64 = 300_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlaceCue {
    None,
    /// "in Aleppo", "the town of Kafr Nubl"
    Locative,
    /// "Idlib province"; the word itself tells region or town
    Region,
    Town,
    /// "in a northern village", "at a clinic": a place told by description, not by name.
    Described,
    /// "in the city", "in the northwestern province": a description that refers back to a
    /// place already named, and takes it.
    RefersBack,
}

impl PlaceCue {
    /// A description rather than a name.
    pub fn describes(self) -> bool {
        matches!(self, PlaceCue::Described | PlaceCue::RefersBack)
    }
}

/// A place told by description: "in a northern village", "on opposition-held towns across
/// the country", "at a clinic"; or, definite, "in the northwestern province", which refers
/// back to a place already named.
#[derive(Debug, Clone)]
pub struct PlaceDescription {
    pub tokens: Range<usize>,
    pub precision: PlacePrecision,
    pub definite: bool,
}

/// Prepositions that put an incident in a described place ("from", "to" and "of" do not),
/// and verbs of striking whose object is where it happened ("the bombing hit a western
/// district", "air strikes targeted a market").
fn introduces_description(w: &str) -> bool {
    matches!(
        w,
        "in" | "at"
            | "near"
            | "inside"
            | "outside"
            | "around"
            | "across"
            | "throughout"
            | "on"
            | "hit"
            | "hits"
            | "struck"
            | "strikes"
            | "targeted"
            | "targeting"
            | "shelled"
            | "bombed"
            | "pounded"
            | "stormed"
    )
}

/// Every described place in tokens `range`: a preposition, "a", "an", "the" or no
/// determiner, at most three lower-case modifiers and a place word (`place_type` or `site`
/// in `places.tsv`). A definite one ("the town", "the besieged region") refers back to a
/// place already named.
pub fn find_descriptions(toks: &Tokens, range: Range<usize>, lex: &Cues) -> Vec<PlaceDescription> {
    let mut out = Vec::new();
    for k in range.clone() {
        if !introduces_description(toks.norm(k)) {
            continue;
        }
        let start = k + 1;
        let definite = toks.norm(start) == "the";
        let first = if matches!(toks.norm(start), "a" | "an" | "the") { start + 1 } else { start };
        // Up to three modifiers, and the hyphens inside them ("a jihadist-held northern town").
        let Some((head, precision)) =
            (first..range.end.min(first + 6)).find_map(|h| Some((h, place_word(toks, h, lex)?)))
        else {
            continue;
        };
        // "regime-held": a hyphen inside a word is part of it.
        let glued_hyphen = |m: usize| toks.norm(m) == "-" && !toks.get(m).space_before && m > first;
        // "a Kurdish-held town", "a rebel-held Syrian town": a capitalised word may describe
        // when it is glued to a hyphen or names a party, never when it may be a name.
        let described_by_party = |m: usize| {
            toks.norm(m + 1) == "-" && !toks.get(m + 1).space_before
                || lex.entity_at(toks, m, m + 1).is_some_and(|(_, e)| e.actor)
        };
        let modifier = |m: usize| {
            glued_hyphen(m)
                || toks.kind(m) == Some(TokKind::Word)
                    && (!toks.get(m).upper || described_by_party(m))
                    && !lex.is(toks, m, CtxCue::Attack)
                    && !lex.is(toks, m, CtxCue::Locative)
                    && !matches!(
                        toks.norm(m),
                        "the"
                            | "a"
                            | "an"
                            | "this"
                            | "that"
                            | "these"
                            | "those"
                            | "its"
                            | "their"
                            | "his"
                            | "her"
                            | "of"
                            | "and"
                            | "or"
                            | "with"
                            | "by"
                            | "for"
                            | "to"
                            | "from"
                    )
                    && !introduces_description(toks.norm(m))
        };
        // "the town of Kafr Nubl" is a name's cue, not a description.
        let of_name = toks.norm(head + 1) == "of" && toks.get(head + 2).upper;
        let words = (first..head).filter(|&m| !glued_hyphen(m)).count();
        if !(first..head).all(modifier) || of_name || words > 3 + (head - first - words) {
            continue;
        }
        // "taken to hospitals across the border": the far side of a border is no place of its own.
        if toks.norm(head) == "border" && toks.norm(k) == "across" {
            continue;
        }
        out.push(PlaceDescription { tokens: start..head + 1, precision, definite });
    }
    out
}

/// The precision a place word gives a description: "clinic" a point, "village" a town,
/// "province" a region.
fn place_word(toks: &Tokens, k: usize, lex: &Cues) -> Option<PlacePrecision> {
    if lex.is(toks, k, CtxCue::Site) {
        Some(PlacePrecision::Point)
    } else if lex.is(toks, k, CtxCue::PlaceType) {
        Some(if region_word(toks.norm(k)) { PlacePrecision::Region } else { PlacePrecision::Town })
    } else {
        None
    }
}

fn region_word(w: &str) -> bool {
    matches!(
        w,
        "province"
            | "provinces"
            | "governorate"
            | "region"
            | "oblast"
            | "district"
            | "districts"
            | "countryside"
            | "raion"
            | "rayon"
            | "county"
            | "state"
            | "area"
            | "areas"
            | "valley"
            | "desert"
            | "border"
    )
}

/// A place name found in a sentence, before it is resolved.
#[derive(Debug, Clone)]
pub struct PlaceMention {
    pub tokens: Range<usize>,
    pub candidates: Vec<u32>,
    pub cue: PlaceCue,
    /// A dateline ("BEIRUT (Reuters) -"): where the story was filed, not where it happened.
    pub dateline: bool,
    /// Preceded by another capitalised word that is not part of the name ("Michael Jordan").
    pub in_longer_name: bool,
    /// A single word at the start of a sentence, capitalised whatever it is.
    pub initial_word: bool,
    /// The folded name the gazetteer matched (empty for a name it does not know).
    pub key: String,
    /// Inside a run of capitalised words some of which are ordinary ("Strikes Kill 21
    /// Civilians"): a headline, where capitals and cue words tell nothing.
    pub headline: bool,
    /// Followed by a site word ("Al-Quds hospital"): the name of a building, which names a
    /// place only when one in the document's country is meant.
    pub facility: bool,
    /// "the Shahba neighbourhood of Aleppo": a point inside the place the candidates name.
    pub inside: bool,
    /// A name no table lists, in a title-case headline ("… Terrorists in Deir Ezzor"): a
    /// place only as a transliteration of one in the document's country.
    pub loose_only: bool,
}

/// What the document has said so far about where it is: countries by weight, and the order
/// they were first named in, which settles a tie (the headline's country first).
#[derive(Debug, Default, Clone)]
pub struct Evidence {
    countries: FxHashMap<String, (u32, usize)>,
}

impl Evidence {
    pub fn add(&mut self, place: &Place) {
        let weight = match place.kind {
            PlaceKind::Country => 2,
            _ => 1,
        };
        self.add_country(&place.country, weight);
    }

    pub fn add_country(&mut self, country: &str, weight: u32) {
        // (A country already counted is the common case: no key to allocate.)
        if let Some((w, _)) = self.countries.get_mut(country) {
            *w += weight;
            return;
        }
        let order = self.countries.len();
        self.countries.insert(country.to_string(), (weight, order));
    }

    /// The main country, when more than a passing mention makes it so ("Moscow said" alone
    /// does not put a story in Russia).
    pub fn settled_country(&self) -> Option<&str> {
        self.main_country().filter(|c| self.countries.get(*c).is_some_and(|(weight, _)| *weight >= 2))
    }

    pub fn main_country(&self) -> Option<&str> {
        let rank = |(weight, order): &(u32, usize)| (*weight, std::cmp::Reverse(*order));
        self.countries.iter().max_by_key(|(_, v)| rank(v)).map(|(c, _)| c.as_str())
    }
}

/// Every place name in tokens `range`. `caps` says the text is written in capitals, so that
/// capitalisation tells nothing and a cue word is required.
pub fn find_places(toks: &Tokens, range: Range<usize>, gaz: &Gazetteer, lex: &Cues, caps: bool) -> Vec<PlaceMention> {
    let mut out = Vec::new();
    let scan = Scan { toks, gaz, lex, caps, shape: Shape::of(toks, &range), sent: range.clone() };
    let mut k = range.start;
    while k < range.end {
        match match_at(&scan, k) {
            Some(m) => {
                k = m.tokens.end;
                out.push(m);
            }
            None => k += 1,
        }
    }
    out
}

fn is_name_word(toks: &Tokens, k: usize, caps: bool) -> bool {
    toks.kind(k) == Some(TokKind::Word) && (caps || toks.get(k).upper)
}

fn is_connector(toks: &Tokens, k: usize, lex: &Cues) -> bool {
    lex.is(toks, k, CtxCue::Connector) && toks.norm(k + 1) == "-" && !toks.get(k + 1).space_before
}

/// One sentence being read for names, and what reading it needs.
struct Scan<'s, 'c> {
    toks: &'s Tokens,
    gaz: &'s Gazetteer,
    lex: &'s Cues<'c>,
    caps: bool,
    shape: Shape,
    sent: Range<usize>,
}

fn match_at(scan: &Scan, k: usize) -> Option<PlaceMention> {
    let Scan { toks, gaz, lex, caps, shape, .. } = *scan;
    let sent = scan.sent.clone();
    if !(is_name_word(toks, k, caps) || is_connector(toks, k, lex)) {
        return None;
    }
    // The longest run of name words, connectors and inner hyphens, up to six tokens.
    let mut run_end = k;
    while run_end < sent.end && run_end < k + 6 {
        let glued_hyphen = toks.norm(run_end) == "-" && !toks.get(run_end).space_before && run_end > k;
        if is_name_word(toks, run_end, caps)
            || is_connector(toks, run_end, lex)
            || lex.is(toks, run_end, CtxCue::Connector) && run_end > k
            || glued_hyphen
        {
            run_end += 1;
        } else {
            break;
        }
    }
    // A name of several words can only start with a word that starts one in the gazetteer.
    let first = gaz.fold_cow(toks.norm(k));
    let longer = gaz.starts_longer_name(&first) || (is_connector(toks, k, lex) && k + 2 < run_end);

    // "the Bab Sharqi area of Old Damascus": a run of names before a word for a part of a
    // town names that part, however well the gazetteer knows its first word ("Bab"); a
    // possessive first word ("Aleppos Marjeh district") is still the town it belongs to.
    let names_a_part = run_end > k + 1 && sub_place_word(toks.norm(run_end));
    for end in (k + 1..=run_end).rev() {
        if end > k + 1 && !longer {
            continue;
        }
        let possessive = || end == k + 1 && toks.norm(k).ends_with('s') && !gaz.contains(&gaz.fold_cow(toks.norm(k)));
        if names_a_part && end < run_end && !possessive() {
            continue;
        }

        if !is_name_word(toks, end - 1, caps) {
            continue;
        }
        let single = end == k + 1;
        let acronym = toks.raw_is_upper(k) && toks.norm(k).len() <= 3;
        // A lone "Al" or "El" is the article of a name the gazetteer does not know.
        let article = lex.is(toks, k, CtxCue::Connector);
        let party = || lex.party_possessive(toks, k) && possessive();
        if single
            && (lex.is(toks, k, CtxCue::NotPlace)
                || lex.is(toks, k, CtxCue::PlaceModifier)
                || acronym
                || article
                || party())
        {
            // "the Syrian capital"
            if let Some(m) = capital(scan, k).filter(|_| toks.norm(end) == "capital") {
                return Some(m);
            }
            continue;
        }
        let (candidates, key) = lookup_span(toks, k, end, gaz);
        if candidates.is_empty() {
            continue;
        }
        // "near Syria capital"
        if toks.norm(end) == "capital" {
            if let Some(m) = capital(scan, k) {
                return Some(m);
            }
        }
        // "Britain-based", "Iran-backed", "US-led": an adjective, not a place; "Al Mayadeen TV",
        // "the Idlib Media Center": an outlet's name.
        if toks.norm(end) == "-" && !toks.get(end).space_before || names_outlet(scan, end) {
            return None;
        }
        // "Tall Tawil": a lesser town's name followed by a word that can only continue a
        // name is the start of a longer name the gazetteer does not know.
        if single && candidates.iter().all(|&i| lesser_town(gaz, i)) && continues_name(toks, end, lex, gaz) {
            break;
        }
        let mut m = mention(toks, k, end, sent.clone(), candidates, lex, gaz, shape);
        m.key = key;
        return qualified(scan, m);
    }
    let m = unknown_place(toks, k, run_end, sent, lex, gaz, shape)?;
    qualified(scan, m)
}

/// "the Syrian capital", "near Syria capital": a country's capital named by the country (its
/// nationality word or its name). "The Syrian capital Damascus" names it itself, "the
/// provincial capital" has no country, and "the Islamic State group's de facto Syrian capital"
/// is a group's.
fn capital(scan: &Scan, k: usize) -> Option<PlaceMention> {
    let Scan { toks, gaz, lex, caps, shape, .. } = *scan;
    if toks.norm(k + 1) != "capital" || k + 1 >= scan.sent.end || is_name_word(toks, k + 2, caps) {
        return None;
    }
    let before = k.checked_sub(1).filter(|&b| b >= scan.sent.start);
    if !before.is_some_and(|b| toks.norm(b) == "the" || lex.is(toks, b, CtxCue::Locative)) {
        return None;
    }
    let country = match lex.demonym(toks, k) {
        Some(code) => code,
        None => {
            let key = gaz.fold_cow(toks.norm(k));
            let i = gaz.lookup(&key).into_iter().find(|&i| gaz.brief(i).0 == PlaceKind::Country)?;
            gaz.brief(i).2
        }
    };
    let seat = gaz.capital(country)?;
    let start = if k > scan.sent.start && toks.norm(k - 1) == "the" { k - 1 } else { k };
    Some(mention(toks, start, k + 2, scan.sent.clone(), vec![seat], lex, gaz, shape))
}

/// Whether the capitalised word at `k` (after a name) makes the name an outlet's.
fn names_outlet(scan: &Scan, k: usize) -> bool {
    k < scan.sent.end && (scan.toks.get(k).upper || scan.caps) && scan.lex.is(scan.toks, k, CtxCue::Outlet)
}

/// Words that make the name before them a part of a place: "the Shahba neighbourhood of
/// Aleppo", "the Bab Sharqi area of Old Damascus".
fn sub_place_word(w: &str) -> bool {
    matches!(w, "neighbourhood" | "neighborhood" | "district" | "quarter" | "area" | "suburb" | "outskirts")
}

/// What the words after a name make of it: "the Shahba neighbourhood of Aleppo" is a point
/// in Aleppo; in "the Shiite towns of Fua and Kefraya" the name is an adjective and no place.
fn qualified(scan: &Scan, m: PlaceMention) -> Option<PlaceMention> {
    let Scan { toks, lex, caps, .. } = *scan;
    let end = m.tokens.end;
    if toks.norm(end + 1) != "of" || end + 2 >= scan.sent.end {
        return Some(m);
    }
    if sub_place_word(toks.norm(end)) {
        // "the Sulaymaniyah neighbourhood of the Syrian city of Aleppo": the outer place may
        // come with its own type.
        let typed = (end + 3..(end + 6).min(scan.sent.end))
            .find(|&k| toks.norm(k) == "of" && lex.is(toks, k - 1, CtxCue::PlaceType))
            .filter(|_| toks.norm(end + 2) == "the");
        let outer_at = typed.map_or(end + 2, |k| k + 1);
        return match match_at(scan, outer_at) {
            Some(outer) if !outer.candidates.is_empty() && !outer.inside => Some(PlaceMention {
                tokens: m.tokens.start..outer.tokens.end,
                cue: PlaceCue::Locative,
                inside: true,
                in_longer_name: m.in_longer_name,
                initial_word: false,
                ..outer
            }),
            _ => Some(m),
        };
    }
    let names_follow = toks.get(end + 2).upper || caps;
    if lex.is(toks, end, CtxCue::PlaceType) && names_follow {
        return None;
    }
    Some(m)
}

/// Whether a mention names a part of a town ("the southern district of Midan", "the Shahba
/// neighbourhood"): a name no table lists there is a quarter, not a transliteration of some
/// town elsewhere.
/// ("The market area of Atareb", "the Mayadeen area" and "the suburb of Jaramana" are
/// towns' surroundings: only words for a town's quarters count.)
pub fn names_a_part(toks: &Tokens, m: &PlaceMention) -> bool {
    let quarter = |w: &str| matches!(w, "neighbourhood" | "neighborhood" | "quarter" | "district");
    let k = m.tokens.start;
    k >= 2 && toks.norm(k - 1) == "of" && quarter(toks.norm(k - 2)) || quarter(toks.norm(m.tokens.end))
}

/// Whether the word at `k` can only continue a name: capitalised, and neither a cue, a
/// place, a date word nor an ordinary word capitalised by a headline.
fn continues_name(toks: &Tokens, k: usize, lex: &Cues, gaz: &Gazetteer) -> bool {
    // "Orum al-Kubrah"
    if is_connector(toks, k, lex) && toks.get(k + 2).upper {
        return true;
    }
    toks.kind(k) == Some(TokKind::Word)
        && toks.get(k).upper
        && !toks.raw_is_upper(k)
        && looks_like_a_name(toks.norm(k))
        && !super::time::is_calendar_word(toks.norm(k))
        && ![
            CtxCue::NotPlace,
            CtxCue::PlaceModifier,
            CtxCue::Locative,
            CtxCue::PlaceType,
            CtxCue::Site,
            CtxCue::Connector,
        ]
        .into_iter()
        .any(|cue| lex.is(toks, k, cue))
        && lex.entity_at(toks, k, toks.len()).is_none()
        && !lex.written_in_lower_case(toks, k)
        && !names_a_standing_place(toks, k, gaz)
}

/// Whether the word at `k` names a place that stands on its own (a country, a region, a town
/// of 50,000 or more) or starts a longer known name: "Khan Tuman" runs on through a word that
/// names only hamlets; "Kafr Takharim Idlib" stops at Idlib, "Saraqeb Khan Sheikhoun" at Khan
/// Sheikhoun.
fn names_a_standing_place(toks: &Tokens, k: usize, gaz: &Gazetteer) -> bool {
    let key = gaz.fold_cow(toks.norm(k));
    let standing = gaz.contains(&key) && gaz.lookup(&key).into_iter().any(|i| !needs_cue(gaz, i));
    standing || gaz.starts_longer_name(&key) && (k + 2..k + 4).any(|end| !lookup_span(toks, k, end, gaz).0.is_empty())
}

/// A town too small to stand on its own, without a cue or the document's country.
fn needs_cue(gaz: &Gazetteer, i: u32) -> bool {
    let (kind, population, _) = gaz.brief(i);
    kind == PlaceKind::Town && population < LARGE_TOWN
}

/// A town too small to be known abroad by all its names.
fn lesser_town(gaz: &Gazetteer, i: u32) -> bool {
    let (kind, population, _) = gaz.brief(i);
    kind == PlaceKind::Town && population < WORLD_CITY
}

/// Whether tokens `k..end` sit in a headline: a run of capitalised words (numbers and short
/// function words between them) with at least two more besides the name, one of which —
/// or a word of the name — is an ordinary word (an attack word, or one the block writes in
/// lower case).
fn in_headline(toks: &Tokens, k: usize, end: usize, sent: &Range<usize>, lex: &Cues) -> bool {
    let capital = |m: usize| toks.kind(m) == Some(TokKind::Word) && toks.get(m).upper;
    let joins = |m: usize| {
        toks.kind(m) == Some(TokKind::Number)
            || matches!(toks.norm(m), "in" | "on" | "of" | "at" | "for" | "to" | "and" | "the" | "a" | "by" | "-")
    };
    let mut words = Vec::new();
    let mut m = k;
    while m > sent.start && (capital(m - 1) || joins(m - 1)) {
        m -= 1;
        words.push(m);
    }
    let mut m = end;
    while m < sent.end && (capital(m) || joins(m)) {
        words.push(m);
        m += 1;
    }
    // A sentence's first word and a capitalised "In" tell nothing.
    words.retain(|&m| capital(m) && !joins(m) && m != sent.start);
    if words.len() < 2 {
        return false;
    }
    // Names of parties ("Syrian Observatory for Human Rights") are runs of capitals too.
    let no_party = |m: usize| !lex.is(toks, m, CtxCue::NotPlace) && lex.entity_at(toks, m, sent.end).is_none();
    words.extend((k..end).filter(|&m| capital(m)));
    // An attack word first: it needs no look at the rest of the block.
    words.iter().any(|&m| lex.is(toks, m, CtxCue::Attack) && no_party(m))
        || words.iter().any(|&m| lex.written_in_lower_case(toks, m) && no_party(m))
}

/// A name the gazetteer does not know, in a frame that can only hold a place: "the village of
/// Hass", "al-Salehia village", "Raqa province", "in Atareb". Kept as written, unresolved.
fn unknown_place(
    toks: &Tokens,
    k: usize,
    run_end: usize,
    sent: Range<usize>,
    lex: &Cues,
    gaz: &Gazetteer,
    shape: Shape,
) -> Option<PlaceMention> {
    let mut end = run_end;
    while end > k && !toks.get(end - 1).upper {
        end -= 1;
    }
    if end <= k || k == sent.start || toks.raw_is_upper(k) && toks.norm(k).len() <= 3 {
        return None;
    }
    // "the city of Ashara Syrian Observatory …": the name stops at the first ordinary word.
    let ordinary = |m: usize| {
        lex.is(toks, m, CtxCue::NotPlace)
            || lex.is(toks, m, CtxCue::PlaceModifier)
            || lex.entity_at(toks, m, sent.end).is_some()
    };
    if let Some(stop) = (k..end).find(|&m| ordinary(m)) {
        end = stop;
    }
    while end > k && !toks.get(end - 1).upper {
        end -= 1;
    }
    // In a title-case headline every word is capitalised: only a short name right after "in"
    // may be one, and only if it spells a place of the document's country (`loose_only`).
    let headline_name = shape.title_case && end - k <= 3 && matches!(toks.norm(k - 1), "in" | "near");
    if end <= k || shape.title_case && !headline_name {
        return None;
    }
    // "the village of Hass": the words that frame a name as a place.
    let frame_word = |m: usize| {
        matches!(
            toks.norm(m),
            "village"
                | "town"
                | "city"
                | "neighborhood"
                | "neighbourhood"
                | "district"
                | "suburb"
                | "camp"
                | "area"
                | "province"
                | "governorate"
                | "part"
                | "parts"
                | "outskirts"
        )
    };
    let framed = k >= sent.start + 2 && toks.norm(k - 1) == "of" && frame_word(k - 2);
    let typed = lex.is(toks, end, CtxCue::PlaceType) || (end - k > 1 && lex.is(toks, end - 1, CtxCue::PlaceType));
    let after_preposition = matches!(toks.norm(k - 1), "in" | "near" | "outside" | "at");
    if !(framed || typed || after_preposition) {
        return None;
    }
    let mut m = mention(toks, k, end, sent, Vec::new(), lex, gaz, shape);
    if m.in_longer_name || m.headline && !headline_name {
        return None;
    }
    m.loose_only = headline_name;
    m.cue = if typed && matches!(toks.norm(end), "province" | "governorate" | "region" | "district" | "countryside") {
        PlaceCue::Region
    } else {
        PlaceCue::Town
    };
    Some(m)
}

/// The Arabic article written as pronounced before a "sun letter", as transliterations
/// often do: "jisr al shughur" → "jisr ash shughur", "al raqqa" → "ar raqqa".
fn assimilated(key: &str) -> Option<String> {
    let words: Vec<&str> = key.split(' ').collect();
    let at = words.iter().position(|w| *w == "al")?;
    let next = words.get(at + 1)?;
    let onset = ["sh", "th", "dh", "t", "d", "r", "z", "s", "n", "l"].into_iter().find(|o| next.starts_with(o))?;
    let mut out: Vec<String> = words.iter().map(|w| w.to_string()).collect();
    out[at] = format!("a{onset}");
    Some(out.join(" "))
}

/// Gazetteer readings of tokens `k..end`: as written, without a leading "al-", and for a
/// possessive ("Syria's", or "Syrias" where apostrophes were stripped) without its "s".
/// Most capitalised words are no place: a name is checked before any list is built. Returns
/// the places and the folded name that found them.
fn lookup_span(toks: &Tokens, k: usize, end: usize, gaz: &Gazetteer) -> (Vec<u32>, String) {
    let known = |key: &str| if gaz.contains(key) { gaz.lookup(key) } else { Vec::new() };
    let key = if end == k + 1 {
        gaz.fold_cow(toks.norm(k))
    } else {
        let words: Vec<&str> = (k..end).map(|i| toks.norm(i)).filter(|w| *w != "-").collect();
        std::borrow::Cow::Owned(gaz.fold(&words.join(" ")))
    };
    let found = known(&key);
    if !found.is_empty() {
        return (found, key.into_owned());
    }
    if let Some(variant) = assimilated(&key) {
        let found = known(&variant);
        if !found.is_empty() {
            return (found, variant);
        }
    }
    if let Some((first, rest)) = key.split_once(' ') {
        if matches!(first, "al" | "el" | "ad" | "ar" | "as" | "ash" | "az") {
            let found = known(rest);
            if !found.is_empty() {
                return (found, rest.to_string());
            }
        }
    }
    match key.strip_suffix('s').filter(|s| s.len() >= 4) {
        Some(stem) => {
            let found = known(stem).into_iter().filter(|&i| !needs_cue(gaz, i)).collect();
            (found, stem.to_string())
        }
        None => (Vec::new(), String::new()),
    }
}

#[allow(clippy::too_many_arguments)]
fn mention(
    toks: &Tokens,
    k: usize,
    end: usize,
    sent: Range<usize>,
    candidates: Vec<u32>,
    lex: &Cues,
    gaz: &Gazetteer,
    shape: Shape,
) -> PlaceMention {
    let before = k.checked_sub(1).filter(|&b| b >= sent.start);
    let locative = before.is_some_and(|b| lex.is(toks, b, CtxCue::Locative));
    // "the nearby town of Suluk": the place word before "of" says what the name is.
    let typed_before =
        before.is_some_and(|b| toks.norm(b) == "of" && b > sent.start && lex.is(toks, b - 1, CtxCue::PlaceType));
    let cue = match toks.norm(end) {
        w if region_word(w) && !matches!(w, "area" | "areas" | "valley" | "desert" | "border") => PlaceCue::Region,
        _ if lex.is(toks, end, CtxCue::PlaceType) => PlaceCue::Town,
        _ if typed_before && region_word(toks.norm(k - 2)) => PlaceCue::Region,
        _ if typed_before => PlaceCue::Town,
        _ if locative => PlaceCue::Locative,
        _ => PlaceCue::None,
    };
    let caps_name = toks.raw_is_upper(k) && toks.norm(k).len() > 3 && end == k + 1;
    let dateline = caps_name && (k == sent.start && matches!(toks.norm(end), "(" | "-" | ",") || !shape.all_caps);
    let initial = k == sent.start || matches!(toks.norm(k - 1), "\"" | "-" | "(");
    // "Michael Jordan": a capitalised word before the name that is neither a cue, a qualifier
    // ("Northern Syria") nor a place itself. Title-case headlines capitalise everything, so
    // there it tells nothing.
    let in_longer_name = !shape.title_case
        && before.is_some_and(|b| {
            toks.kind(b) == Some(TokKind::Word)
                && toks.get(b).upper
                && (b > sent.start || looks_like_a_name(toks.norm(b)))
                && !lex.is(toks, b, CtxCue::Locative)
                && !lex.is(toks, b, CtxCue::NotPlace)
                && !lex.is(toks, b, CtxCue::PlaceModifier)
                && !names_a_known_place(toks, b, gaz)
        });
    // Only a name that needs a cue can lose one to a headline.
    let headline =
        !shape.all_caps && candidates.iter().all(|&i| needs_cue(gaz, i)) && in_headline(toks, k, end, &sent, lex);
    PlaceMention {
        tokens: k..end,
        candidates,
        cue,
        dateline,
        in_longer_name,
        initial_word: initial && end == k + 1,
        key: String::new(),
        headline,
        facility: lex.is(toks, end, CtxCue::Site),
        inside: false,
        loose_only: false,
    }
}

/// How a sentence is capitalised, worked out once for all its names.
#[derive(Clone, Copy)]
struct Shape {
    /// Every word in capitals (MUC-style wire copy): an all-caps name is no dateline here.
    all_caps: bool,
    /// A title-case headline: a capitalised word before a name tells nothing.
    title_case: bool,
}

impl Shape {
    fn of(toks: &Tokens, sent: &Range<usize>) -> Shape {
        let (mut words, mut upper, mut capital) = (0usize, 0usize, 0usize);
        for k in sent.clone().filter(|&k| toks.kind(k) == Some(TokKind::Word) && toks.norm(k).len() > 3) {
            words += 1;
            upper += toks.raw_is_upper(k) as usize;
            capital += toks.get(k).upper as usize;
        }
        Shape {
            all_caps: words > 0 && upper * 10 >= words * 8,
            title_case: words >= 3 && capital * 10 >= words * 85 / 10,
        }
    }
}

/// A sentence's first word is capitalised anyway: it is part of a name only if it does not
/// look like an ordinary word ("Shelling", "Residents").
fn looks_like_a_name(w: &str) -> bool {
    !(w.ends_with("ing") || w.ends_with("ed") || w.ends_with('s') || w.len() <= 3)
}

fn names_a_known_place(toks: &Tokens, k: usize, gaz: &Gazetteer) -> bool {
    let key = gaz.fold_cow(toks.norm(k));
    let key = key.strip_suffix('s').filter(|_| !gaz.contains(&key)).unwrap_or(&key);
    if !gaz.contains(key) {
        return false;
    }
    gaz.lookup(key).into_iter().any(|i| !needs_cue(gaz, i))
}

/// The place a mention names, or None when no reading is credible.
pub fn resolve(m: &PlaceMention, gaz: &Gazetteer, evidence: &Evidence) -> Option<Place> {
    if m.in_longer_name {
        return None;
    }
    let main = evidence.main_country();
    let home = evidence.settled_country();
    let credible = m.candidates.iter().copied().filter(|&i| {
        let (kind, population, country) = gaz.brief(i);
        let abroad = home.is_some_and(|c| c != country);
        if abroad && (m.facility || lesser_town(gaz, i) && !m.key.is_empty() && !gaz.is_own_name(i, &m.key)) {
            return false;
        }
        // A village abroad ("on Orum", Ørum in Denmark, in a report from Aleppo) must be
        // called one ("the town of X"); a mere preposition is not enough.
        let typed = matches!(m.cue, PlaceCue::Town | PlaceCue::Region);
        if abroad && needs_cue(gaz, i) && !typed {
            return false;
        }
        let standing = matches!(kind, PlaceKind::Country | PlaceKind::Region) || population >= LARGE_TOWN;
        let supported = m.cue != PlaceCue::None && !m.headline || (main == Some(country) && !m.initial_word);
        standing || supported
    });
    let best = credible.max_by(|&a, &b| score(gaz.brief(a), m, main).total_cmp(&score(gaz.brief(b), m, main)))?;
    Some(gaz.place(best))
}

fn score((kind, population, country): (PlaceKind, u64, &str), m: &PlaceMention, main: Option<&str>) -> f64 {
    // A country's name means the country ("from Lebanon" is not Lebanon, Tennessee, however
    // the town scores on population and cue) unless the document is about the country where
    // a place of that name lies (Georgia, the US state, in a report from Atlanta).
    let base = match kind {
        PlaceKind::Country => 10.0,
        PlaceKind::Region => 5.0,
        PlaceKind::Town => 2.0 + (population as f64 + 1.0).log10(),
    };
    let home = if main == Some(country) { 6.0 } else { 0.0 };
    let cue = match (m.cue, kind) {
        (PlaceCue::Region, PlaceKind::Region) => 4.0,
        (PlaceCue::Town, PlaceKind::Town) => 3.0,
        _ => 0.0,
    };
    base + home + cue
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::context::lexicon::{english, Cues};

    /// (text as written, resolved name, country) of each place in `text`, with evidence
    /// gathered from the text itself first.
    fn places(text: &str) -> Vec<(String, String, String)> {
        let toks = Tokens::new(text);
        let gaz = Gazetteer::builtin();
        let found =
            find_places(&toks, 0..toks.len(), gaz, &Cues::new(&toks, english(), crate::lexicon::english()), false);
        let mut ev = Evidence::default();
        for m in &found {
            if let Some(p) = resolve(m, gaz, &Evidence::default()) {
                ev.add(&p);
            }
        }
        found
            .iter()
            .filter(|m| !m.dateline)
            .filter_map(|m| {
                let p = resolve(m, gaz, &ev)?;
                let [s, e] = toks.span(m.tokens.start, m.tokens.end);
                Some((text[s..e].to_string(), p.name, p.country))
            })
            .collect()
    }

    #[test]
    fn variants_keep_their_text_and_resolve_to_one_place() {
        let a = places("Shelling hit Stepanakert on Sunday.");
        let b = places("Shelling hit Khankendi on Sunday.");
        assert_eq!(a[0].0, "Stepanakert");
        assert_eq!(b[0].0, "Khankendi");
        assert_eq!((a[0].1.clone(), a[0].2.clone()), (b[0].1.clone(), b[0].2.clone()));
        assert_eq!(places("Shells fell on Shusha and Aghdam in Azerbaijan.").len(), 3);
    }

    #[test]
    fn names_with_articles_hyphens_and_possessives() {
        let p = places("Fighting in Deir ez-Zor and al-Raqqa spread to Syrias north.");
        let names: Vec<&str> = p.iter().map(|x| x.0.as_str()).collect();
        assert_eq!(names, ["Deir ez-Zor", "al-Raqqa", "Syrias"]);
        assert!(p.iter().all(|x| x.2 == "SY"), "{p:?}");
    }

    #[test]
    fn false_friends_are_rejected() {
        assert_eq!(places("Michael Jordan said the match was over."), vec![]);
        assert_eq!(places("The Britain-based monitor said so."), vec![]);
        let us = places("Storms hit Atlanta, Georgia and Savannah in the United States.");
        assert!(us.iter().any(|p| p.0 == "Georgia" && p.2 == "US"), "{us:?}");
        let caucasus = places("Russia and Georgia fought over South Ossetia in 2008; Tbilisi was bombed.");
        assert!(caucasus.iter().any(|p| p.0 == "Georgia" && p.2 == "GE"), "{caucasus:?}");
    }

    #[test]
    fn a_hamlets_name_runs_on_into_a_longer_one() {
        // "Khan" alone is a hamlet near Homs; "Khan Tuman" is a town no table lists.
        let found = places("An air strike hit a clinic in Khan Tuman in Aleppo province.");
        assert!(found.iter().all(|p| p.0 != "Khan"), "{found:?}");
        // A known longer name after a lesser town's name is not part of it.
        let list = places("Air strikes hit Saraqeb Khan Sheikhoun and Idlib.");
        assert!(list.iter().any(|p| p.0 == "Saraqeb" && p.1 == "Saraqib"), "{list:?}");
    }

    #[test]
    fn datelines_are_marked() {
        let toks = Tokens::new("BEIRUT (Reuters) - Twelve people were killed in Aleppo.");
        let found = find_places(
            &toks,
            0..toks.len(),
            Gazetteer::builtin(),
            &Cues::new(&toks, english(), crate::lexicon::english()),
            false,
        );
        assert!(found[0].dateline);
        assert!(!found[1].dateline);
    }
}
