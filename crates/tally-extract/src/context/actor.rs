//! Parties: who makes a claim (the source) and who is said to have done the harm (the
//! perpetrator), as noun phrases of the text.
//!
//! Sources come from reporting frames: "X said", "said X", "X told Y", "according to X",
//! "(Reuters)". Perpetrators come from agentive patterns only: "killed by X", "blamed on X",
//! "X killed 12", the subject of "…, killing 7", "X claimed responsibility", and attack
//! phrases with an actor in them ("Russian air strikes", "regime shelling"). Nothing is
//! inferred from who the victims are.

use super::lexicon::{CtxCue, Cues};
use crate::lexicon::{Cue, Lexicon};
use crate::token::{TokKind, Tokens};
use std::ops::Range;
use tally_core::SourceType;

/// A statement's attribution in a sentence.
#[derive(Debug, Clone, PartialEq)]
pub struct Attribution {
    pub tokens: Range<usize>,
    /// Tokens of the reporting verb or frame.
    pub cue: Range<usize>,
    pub kind: SourceType,
    pub rule: &'static str,
    /// "he said", "the group said": to be replaced by the latest named source.
    pub pronoun: bool,
}

/// Whether token `k` may sit inside a party's name or description.
fn np_word(toks: &Tokens, k: usize, lex: &Lexicon, clex: &Cues) -> bool {
    // "monitoring group", "news agency": a known party's words, whatever their ending.
    if clex.entity_at(toks, k, k + 3).is_some()
        || (k > 0 && clex.entity_at(toks, k - 1, k + 2).is_some_and(|(n, _)| n >= 2))
    {
        return true;
    }
    match toks.kind(k) {
        Some(TokKind::Word) => {
            let w = toks.norm(k);
            let verb_like = (w.ends_with("ed") || w.ends_with("ing"))
                && !lex.is_cue(toks, k, Cue::AdjEd)
                && !toks.get(k).upper
                && !clex.is(toks, k, CtxCue::Attack)
                && !clex.is(toks, k, CtxCue::War);
            let stop = clex.is(toks, k, CtxCue::Verb) && !toks.get(k).upper
                || clex.trigger_may_start(k) && lex.triggers.longest_at(toks, k, k + 1).is_some()
                || matches!(
                    w,
                    "that"
                        | "which"
                        | "who"
                        | "while"
                        | "but"
                        | "as"
                        | "when"
                        | "after"
                        | "said"
                        | "says"
                        | "was"
                        | "were"
                        | "is"
                        | "are"
                        | "has"
                        | "have"
                        | "had"
                        | "on"
                        | "to"
                        | "with"
                        | "by"
                        | "and"
                        | "since"
                        | "during"
                        | "until"
                        | "because"
                        | "although"
                        | "though"
                        // An attack verb that is also its past: "the coalition hit gas supplies",
                        // "Suicide bombers struck outside a shrine".
                        | "hit"
                        | "hits"
                        | "struck"
                );
            // "Late March media reported": a date is not part of the speaker.
            let date_word = clex.is(toks, k, CtxCue::Weekday) || super::time::is_month(w);
            !verb_like && !stop && !date_word
        }
        Some(TokKind::Punct) => matches!(toks.norm(k), "-" | ".") && !toks.get(k).space_before,
        _ => false,
    }
}

/// The noun phrase ending just before `end` (at most 10 tokens, not before `lo`).
pub fn np_before(toks: &Tokens, lo: usize, end: usize, lex: &Lexicon, clex: &Cues) -> Option<Range<usize>> {
    let mut k = end;
    // "Moscow and Syrian official media": "and" between two named parties.
    let joins = |k: usize| {
        toks.norm(k) == "and" && k > lo && (toks.get(k - 1).upper || clex.entity_at(toks, k - 1, k).is_some())
    };
    // "a source in Damascus said": a speaker phrase runs back through "in", "at" or "from"
    // only from a word naming a party; otherwise the place belongs to the clause before.
    let party_preposition =
        |k: usize| matches!(toks.norm(k), "in" | "at" | "from") && k > lo && clex.entity_at(toks, k - 1, k).is_some();
    // "a spokesman at the hospital in Kafr Takharim in Idlib said": a bare place name after
    // "in" is no speaker, so the phrase may run on back to a party word before it.
    let bare_place = |r: Range<usize>| {
        r.clone().all(|j| toks.get(j).upper || toks.kind(j) != Some(TokKind::Word))
            && r.clone().all(|j| clex.entity_at(toks, j, r.end).is_none())
    };
    let mut crossed: Option<usize> = None;
    let mut apposed: Option<usize> = None;
    while k > lo && end - k < 14 && (np_word(toks, k - 1, lex, clex) || joins(k - 1)) {
        if matches!(toks.norm(k - 1), "in" | "at" | "from") && !party_preposition(k - 1) {
            if !(k > lo + 1 && bare_place(k..crossed.map_or(end, |c| c - 1))) {
                break;
            }
            crossed = Some(k);
        } else if end - k >= 10 && crossed.is_none() && apposed.is_none() {
            // (A name before its description may run on: "The Syrian Observatory for Human
            // Rights a Britain-based monitoring group said".)
            break;
        }
        k -= 1;
        // A determiner starts its phrase: "eastern Ghouta [the Observatory] reported".
        if matches!(toks.norm(k), "the" | "a" | "an")
            && !(k > lo && matches!(toks.norm(k - 1), "of" | "for" | "at" | "in" | "from"))
        {
            // "The Syrian Center for Policy Research an NGO said": a name before an
            // indefinite description is the party it describes (checked below).
            let indefinite = matches!(toks.norm(k), "a" | "an") && !toks.get(k).upper;
            let named_before = k > lo && toks.get(k - 1).upper && !clex.is(toks, k - 1, CtxCue::Adverb);
            if !(indefinite && apposed.is_none() && named_before) {
                break;
            }
            apposed = Some(k);
        }
    }
    if let Some(description) = apposed {
        let located = k > lo && matches!(toks.norm(k - 1), "in" | "at" | "from" | "on" | "near" | "of" | "to");
        let names = (k..description).filter(|&j| toks.get(j).upper).count() >= 2
            || (k..description).any(|j| clex.entity_at(toks, j, description).is_some());
        if located || !names {
            k = description;
        }
    }
    if let Some(first) = crossed {
        // Only a party before the places makes them part of a speaker phrase.
        let party = (k..first).any(|j| clex.entity_at(toks, j, first).is_some());
        if !party {
            k = first;
        }
    }
    // "… killed 58 civilians in eastern Syria UNICEF said": a phrase that is a preposition's
    // object is where the clause before happened; the speaker is the party named after it.
    let object = k > lo && matches!(toks.norm(k - 1), "in" | "within" | "near" | "across" | "throughout");
    if object {
        if let Some(party) = (k + 1..end).find(|&j| toks.get(j).upper && clex.entity_at(toks, j, end).is_some()) {
            k = party;
        }
    }
    trim(toks, k..end, clex)
}

/// The noun phrase starting at `start` (at most 10 tokens, not past `hi`).
pub fn np_after(toks: &Tokens, start: usize, hi: usize, lex: &Lexicon, clex: &Cues) -> Option<Range<usize>> {
    let mut k = start;
    // After the head of a phrase, "reports" and "claims" are nouns: "according to media reports".
    let noun_use = |k: usize| {
        k > start && clex.is(toks, k, CtxCue::Verb) && toks.norm(k).ends_with('s') && !toks.norm(k).ends_with("ss")
    };
    // "according to the U.N. The Syrian Center …": a capital "The" inside starts a new sentence
    // (in text written in capitals, "THE" says nothing).
    let new_sentence = |k: usize| k > start && toks.norm(k) == "the" && toks.get(k).upper && !toks.raw_is_upper(k);
    while k < hi
        && k - start < 10
        && !new_sentence(k)
        && (np_word(toks, k, lex, clex) || noun_use(k) || (toks.norm(k) == "and" && k > start))
    {
        k += 1;
    }
    trim(toks, start..k, clex)
}

/// Drops trailing function words and punctuation; None when nothing names a party.
fn trim(toks: &Tokens, mut r: Range<usize>, clex: &Cues) -> Option<Range<usize>> {
    while r.end > r.start
        && (matches!(
            toks.norm(r.end - 1),
            "of" | "for" | "at" | "in" | "from" | "the" | "a" | "an" | "-" | "." | "and"
        ))
    {
        r.end -= 1;
    }
    while r.start < r.end && matches!(toks.norm(r.start), "and" | "-" | ".") {
        r.start += 1;
    }
    let names_someone = r.clone().any(|k| toks.get(k).upper || clex.entity_at(toks, k, r.end).is_some());
    (!r.is_empty() && names_someone).then_some(r)
}

/// The source type a phrase gives: its first known party, else a person for a capitalised
/// name, else unknown.
pub fn source_type(toks: &Tokens, r: Range<usize>, clex: &Cues) -> SourceType {
    // The first party with a type of its own: "the Syrian Observatory" is an NGO, not Syrian.
    let kinds: Vec<SourceType> =
        r.clone().filter_map(|k| clex.entity_at(toks, k, r.end).map(|(_, e)| e.kind)).collect();
    if let Some(kind) = kinds.iter().find(|k| **k != SourceType::Unknown).or(kinds.first()) {
        return *kind;
    }
    let capitalised = r.clone().filter(|&k| toks.kind(k) == Some(TokKind::Word) && toks.get(k).upper).count();
    if capitalised >= 2 {
        SourceType::Person
    } else {
        SourceType::Unknown
    }
}

fn is_pronoun(toks: &Tokens, r: &Range<usize>, clex: &Cues) -> bool {
    clex.cue_at(toks, r.start, r.end, CtxCue::Pronoun) == Some(r.len())
}

/// Every attribution in tokens `sent`.
pub fn attributions(toks: &Tokens, sent: Range<usize>, lex: &Lexicon, clex: &Cues) -> Vec<Attribution> {
    let mut out = Vec::new();
    // "Syrian opposition: 1300 killed": a headline's speaker before a colon.
    if let Some(colon) = (sent.start..sent.end.min(sent.start + 8)).find(|&k| toks.norm(k) == ":") {
        if let Some(np) = np_before(toks, sent.start, colon, lex, clex)
            .filter(|np| np.start == sent.start || np.start <= sent.start + 6)
        {
            out.push(attribution(toks, np, colon..colon + 1, "headline-colon", clex));
        }
    }
    let mut k = sent.start;
    while k < sent.end {
        if let Some(n) = clex.cue_at(toks, k, sent.end, CtxCue::Frame) {
            // After "according to" any phrase names the speaker: "preliminary reports"; but
            // "according to a new toll from the Observatory", "according to information
            // provided by a police source": the party the figures come from.
            let np =
                np_after(toks, k + n, sent.end, lex, clex).or_else(|| plain_np_after(toks, k + n, sent.end, lex, clex));
            let origin = np.as_ref().and_then(|np| figures_from(toks, np.clone(), sent.end, lex, clex));
            if let Some(np) = origin.or(np) {
                out.push(attribution(toks, np, k..k + n, "according-to", clex));
            }
            k += n;
            continue;
        }
        // "(Reuters)", "(AFP)"
        if toks.norm(k) == "(" && toks.norm(k + 2) == ")" {
            if let Some((1, e)) = clex.entity_at(toks, k + 1, k + 2) {
                if e.kind == SourceType::Media {
                    out.push(Attribution {
                        tokens: k + 1..k + 2,
                        cue: k..k + 3,
                        kind: e.kind,
                        rule: "parenthetical",
                        pronoun: false,
                    });
                }
            }
        }
        // A reporting verb, not inside a casualty phrase ("claimed the lives of") and not
        // passive ("were reported killed").
        let verb = clex.cue_at(toks, k, sent.end, CtxCue::Verb).is_some() && toks.norm(k) != "according";
        let passive =
            || k > sent.start && matches!(toks.norm(k - 1), "was" | "were" | "is" | "are" | "be" | "been" | "being");
        let in_trigger = || {
            (k.saturating_sub(2).max(sent.start)..=k)
                .any(|s| lex.triggers.longest_at(toks, s, sent.end).is_some_and(|(n, _)| s + n > k))
        };
        // "The reporter quoted a source at the Police Command as saying": the one quoted speaks.
        if toks.norm(k) == "quoted" {
            let quoted = np_after(toks, k + 1, sent.end, lex, clex)
                .filter(|np| toks.norm(np.end) == "as" && toks.norm(np.end + 1) == "saying");
            if let Some(np) = quoted {
                let cue = np.end..np.end + 2;
                k = cue.end;
                out.push(attribution(toks, np, cue, "quoted-as-saying", clex));
                continue;
            }
        }
        if verb && !passive() && !in_trigger() {
            let subject_end = before_verb(toks, sent.start, k, lex, clex);
            // "… killed a nurse and two soldiers said Observatory director Abdel Rahman": a
            // counted phrase before the verb is the victims, and the speaker follows it.
            // '"… in Homs today" said the director': a quotation closing on the verb is what
            // was said, and the speaker follows.
            let quotation_before = toks.norm(k - 1) == "\"" && k > sent.start + 1;
            // "The IS lost at least 28 jihadist fighters he said": a personal pronoun right
            // before the verb is the whole subject.
            let personal = subject_end > sent.start
                && matches!(toks.norm(subject_end - 1), "he" | "she" | "they" | "it")
                && clex.is(toks, subject_end - 1, CtxCue::Pronoun);
            let subject = np_before(toks, sent.start, subject_end, lex, clex)
                .filter(|_| !quotation_before && !personal)
                .and_then(|np| after_victims(toks, np, lex))
                .and_then(|np| past_object(toks, np, clex))
                .map(|np| without_adverbs(toks, np, clex))
                .or_else(|| pronoun_before(toks, sent.start, subject_end, clex).filter(|_| !quotation_before));
            match subject {
                Some(np) if !np.is_empty() => out.push(attribution(toks, np, k..k + 1, "subject-said", clex)),
                // '"…," said the Observatory', 'said Rami Abdel Rahman'
                _ => {
                    let after_quote = k > sent.start && matches!(toks.norm(k - 1), "\"" | ",");
                    let named = |m: usize| toks.get(m).upper || clex.entity_at(toks, m, sent.end).is_some();
                    let named_next = (k + 1..(k + 3).min(sent.end)).any(named);
                    // "said the head of the Britain-based group": a title's "of" leads on to
                    // the party.
                    let titled = || {
                        matches!(toks.norm(k + 1), "the" | "a")
                            && toks.norm(k + 3) == "of"
                            && (k + 4..(k + 7).min(sent.end)).any(named)
                    };
                    if clex.is(toks, k, CtxCue::Inverted) && (after_quote || named_next || titled()) {
                        if let Some(np) = np_after(toks, k + 1, sent.end, lex, clex) {
                            out.push(attribution(toks, np, k..k + 1, "said-subject", clex));
                        }
                    }
                }
            }
        }
        k += 1;
    }
    out
}

/// "Hundreds dead as Islamic State seizes Syrian air base: monitor", "… ambush - NGO": a
/// headline's credit, a party after its last colon or spaced dash that ends it (a byline's
/// name may follow: ": monitor Sylvia Westall").
pub fn headline_credit(toks: &Tokens, sent: &Range<usize>, clex: &Cues) -> Option<Attribution> {
    // (Every sentence is asked: the token kind is looked at before its words.)
    let separator = |k: usize| {
        toks.kind(k) == Some(TokKind::Punct) && (toks.norm(k) == ":" || toks.norm(k) == "-" && toks.get(k).space_before)
    };
    let sep = (sent.start + 3..sent.end).rev().find(|&k| separator(k))?;
    let (n, entity) = clex.entity_at(toks, sep + 1, sent.end)?;
    let credit = sep + 1..sep + 1 + n;
    let rest: Vec<usize> = (credit.end..sent.end).filter(|&k| toks.kind(k) != Some(TokKind::Punct)).collect();
    let byline = rest.len() <= 3 && rest.iter().all(|&k| toks.kind(k) == Some(TokKind::Word) && toks.get(k).upper);
    byline.then_some(Attribution {
        tokens: credit,
        cue: sep..sep + 1,
        kind: entity.kind,
        rule: "headline-credit",
        pronoun: false,
    })
}

/// A phrase after "on", "at", "against" and the like is what was hit ("fired rockets on
/// several parts of Douma said Rami Abdel Rahman"), not who speaks: the speaker is a party
/// named at its end, else none, and a speaker after the verb is looked for. ("in" and "of"
/// also run inside speakers' phrases: "Activists in the district of Alwaer in Homs said".)
fn past_object(toks: &Tokens, np: Range<usize>, clex: &Cues) -> Option<Range<usize>> {
    let target =
        np.start > 0 && matches!(toks.norm(np.start - 1), "on" | "at" | "against" | "into" | "over" | "across");
    if !target {
        return Some(np);
    }
    let party = np.clone().find(|&k| clex.entity_at(toks, k, np.end).is_some())?;
    Some(party..np.end)
}

/// A speaker phrase without the counted victims that run into it: "… killed two soldiers said
/// X" has no speaker before "said", "killing four civilians two residents said" has "residents".
fn after_victims(toks: &Tokens, np: Range<usize>, lex: &Lexicon) -> Option<Range<usize>> {
    let counted = |m: usize| toks.kind(m) == Some(TokKind::Number) || lex.numbers.contains_key(toks.norm(m));
    // The count may sit just before the phrase ("two soldiers" where "two" ended it).
    let lo = if np.start > 0 && counted(np.start - 1) { np.start - 1 } else { np.start };
    let Some(last) = (lo..np.end).rev().find(|&m| counted(m)) else {
        return Some(np);
    };
    let start = last + 1;
    let victim_noun = start < np.end && lex.noun(toks.norm(start)).is_some();
    if victim_noun && start + 1 < np.end {
        // "four civilians residents": the count's noun goes with it.
        return Some(start + 1..np.end);
    }
    // A last word after a second count is the speaker ("four civilians two residents"); after
    // the only count, or one listed with "and", it is the victims' noun ("a nurse and two
    // soldiers").
    let listed = last > lo && matches!(toks.norm(last - 1), "and" | "," | "including");
    (start < np.end && ((last > lo && !listed) || !victim_noun)).then_some(start..np.end)
}

/// Where a speaker phrase ends before its reporting verb, past auxiliaries, adverbs, quotes
/// and a bracketed acronym: "the Observatory (SOHR) earlier said", 'The Observatory "has
/// documented'.
fn before_verb(toks: &Tokens, lo: usize, verb: usize, lex: &Lexicon, clex: &Cues) -> usize {
    let mut end = verb;
    loop {
        if end <= lo {
            return end;
        }
        let w = toks.norm(end - 1);
        if matches!(
            w,
            "has" | "have" | "had" | "also" | "earlier" | "later" | "reportedly" | "\"" | "previously" | "further"
        ) || clex.is(toks, end - 1, CtxCue::Adverb) && !toks.get(end - 1).upper
        {
            end -= 1;
        } else if w == ")" {
            match (lo..end - 1).rev().find(|&m| toks.norm(m) == "(") {
                Some(open) if end - open <= 4 => end = open,
                _ => return end,
            }
        } else if w == "," {
            // "Officials in Stepanakert, which Azerbaijan calls Khankendi, reported": the
            // speaker is before the relative clause.
            let opening = (lo.max(end.saturating_sub(14))..end - 1)
                .rev()
                .find(|&m| toks.norm(m) == "," && matches!(toks.norm(m + 1), "which" | "who" | "where"));
            match opening {
                Some(comma) => end = comma,
                None => return end,
            }
        } else if let Some(relative) = relative_clause(toks, lo, end, clex) {
            end = relative;
        } else {
            let _ = lex;
            return end;
        }
    }
}

/// "Syrian state television which said", "the aid group that supports it said": a relative
/// clause without commas between a party and the reporting verb. Returns where it starts; the
/// speaker is the party before it.
fn relative_clause(toks: &Tokens, lo: usize, end: usize, clex: &Cues) -> Option<usize> {
    let start = (end.saturating_sub(4).max(lo + 1)..end)
        .find(|&m| matches!(toks.norm(m), "that" | "which" | "who") && !toks.get(m).upper)?;
    let party_before = (start.saturating_sub(3).max(lo)..start)
        .any(|j| clex.entity_at(toks, j, start).is_some_and(|(n, _)| j + n == start));
    let plain = (start + 1..end).all(|j| toks.kind(j) == Some(TokKind::Word) && !clex.is(toks, j, CtxCue::Verb));
    (party_before && plain).then_some(start)
}

/// A plain noun phrase with no name in it ("preliminary reports"), after a frame.
fn plain_np_after(toks: &Tokens, start: usize, hi: usize, lex: &Lexicon, clex: &Cues) -> Option<Range<usize>> {
    let mut k = start;
    let noun_use = |k: usize| k > start && clex.is(toks, k, CtxCue::Verb);
    while k < hi && k - start < 6 && (np_word(toks, k, lex, clex) || noun_use(k)) {
        k += 1;
    }
    let mut r = start..k;
    while r.end > r.start && matches!(toks.norm(r.end - 1), "of" | "for" | "at" | "in" | "from" | "the" | "a" | "an") {
        r.end -= 1;
    }
    (!r.is_empty()).then_some(r)
}

/// The party after "from" or "provided by" that a phrase of figures comes from ("a new toll
/// from the Syrian Observatory", "earlier information provided by a source at the Police
/// Command"), when the phrase names no party of its own.
fn figures_from(toks: &Tokens, np: Range<usize>, hi: usize, lex: &Lexicon, clex: &Cues) -> Option<Range<usize>> {
    if np.clone().any(|k| clex.entity_at(toks, k, np.end).is_some()) {
        return None;
    }
    let from = (np.end..hi.min(np.end + 4)).find(|&k| {
        toks.norm(k) == "from" || toks.norm(k) == "by" && k > np.start && toks.norm(k - 1).ends_with("ed")
    })?;
    np_after(toks, from + 1, hi, lex, clex).filter(|p| p.clone().any(|k| clex.entity_at(toks, k, p.end).is_some()))
}

/// "Meanwhile the Observatory" → "the Observatory".
fn without_adverbs(toks: &Tokens, mut np: Range<usize>, clex: &Cues) -> Range<usize> {
    while let Some(n) = clex.cue_at(toks, np.start, np.end, CtxCue::Adverb).filter(|&n| n < np.len()) {
        np.start += n;
    }
    np
}

fn pronoun_before(toks: &Tokens, lo: usize, end: usize, clex: &Cues) -> Option<Range<usize>> {
    (end.saturating_sub(2).max(lo)..end)
        .find(|&s| clex.cue_at(toks, s, end, CtxCue::Pronoun) == Some(end - s))
        .map(|s| s..end)
}

fn attribution(toks: &Tokens, np: Range<usize>, cue: Range<usize>, rule: &'static str, clex: &Cues) -> Attribution {
    let pronoun = is_pronoun(toks, &np, clex);
    // "he", "it" say nothing of who speaks; "the ministry" does.
    let personal = matches!(toks.norm(np.start), "he" | "she" | "it" | "they");
    let kind = if personal { SourceType::Unknown } else { source_type(toks, np.clone(), clex) };
    Attribution { tokens: np, cue, kind, rule, pronoun }
}

/// A perpetrator phrase ends where a place begins: "government shelling [in Aleppo]".
fn before_place(toks: &Tokens, np: Range<usize>, clex: &Cues) -> Option<Range<usize>> {
    let end = np
        .clone()
        .find(|&k| {
            k > np.start && matches!(toks.norm(k), "in" | "on" | "near" | "at" | "inside" | "outside" | "across")
        })
        .unwrap_or(np.end);
    trim(toks, np.start..end, clex)
}

/// Whether a phrase names someone able to do harm: a known actor ("the regime", "Russian
/// jets", "a suicide bomber"). A means alone ("the air strikes", "the attack") names nobody.
pub fn names_actor(toks: &Tokens, r: &Range<usize>, clex: &Cues) -> bool {
    // "a rebel-held Syrian town", "opposition-controlled areas": a place described by who
    // holds it names no one.
    let place_word =
        |k: usize| !toks.get(k).upper && (clex.is(toks, k, CtxCue::PlaceType) || clex.is(toks, k, CtxCue::Site));
    // … and so does "the Syrian city of Homs".
    let place_head = r.end > r.start && place_word(r.end - 1)
        || r.clone().any(|k| place_word(k) && toks.norm(k + 1) == "of" && k + 1 < r.end);
    let holder = |k: usize| toks.norm(k + 1) == "-" && !toks.get(k + 1).space_before && holds_place(toks.norm(k + 2));
    // "the Syrian military conflict": a war names nobody, whoever fights it.
    let war = r.end > r.start && clex.is(toks, r.end - 1, CtxCue::War);
    // An empty phrase names nobody (and any() over it is false).
    !place_head && !war && r.clone().any(|k| !holder(k) && clex.entity_at(toks, k, r.end).is_some_and(|(_, e)| e.actor))
}

/// Participles that say who holds a place ("rebel-held", "areas controlled by the regime").
fn holds_place(w: &str) -> bool {
    matches!(w, "held" | "controlled" | "run" | "occupied" | "dominated")
}

/// Prepositions a perpetrator phrase does not run through.
fn is_preposition(w: &str) -> bool {
    matches!(w, "in" | "on" | "at" | "near" | "from" | "of" | "for" | "into" | "across" | "over" | "against" | "around")
}

/// An attack phrase with an actor in it: "Russian air strikes", "regime shelling".
fn attack_phrase(toks: &Tokens, k: usize, end: usize, lex: &Lexicon, clex: &Cues) -> Option<Range<usize>> {
    let n = clex.cue_at(toks, k, end, CtxCue::Attack)?;
    let mut start = k;
    // "regime and Russian bombings": two parties share the means.
    let joins_party =
        |m: usize| m > 0 && toks.norm(m) == "and" && clex.entity_at(toks, m - 1, m).is_some_and(|(_, e)| e.actor);
    // (A full stop before a spaced capitalised word ends a sentence the segmenter ran on: "…
    // AFP. The rebel fire"; one after an initial is an abbreviation's: "U.S. air strikes".)
    let full_stop = |m: usize| {
        toks.norm(m) == "."
            && toks.get(m + 1).space_before
            && toks.get(m + 1).upper
            && m > 0
            && toks.norm(m - 1).len() > 1
    };
    while start > k.saturating_sub(5)
        && (np_word(toks, start - 1, lex, clex) && !is_preposition(toks.norm(start - 1)) && !full_stop(start - 1)
            || joins_party(start - 1))
    {
        start -= 1;
    }
    // "defected to join opposition forces": the object of an infinitive did nothing.
    let names_party = |m: usize| clex.entity_at(toks, m, k).is_some() || clex.demonym(toks, m).is_some();
    if start > 0 && toks.norm(start - 1) == "to" && start < k && !names_party(start) && !toks.get(start).upper {
        return None;
    }
    // "Some 120 ISIS fighters and 60 mercenaries were killed": a counted phrase is victims;
    // so is one listed with them ("including civilians and rebel fighters").
    let victim_word =
        |m: usize| matches!(lex.noun(toks.norm(m)).map(|n| &n.class), Some(crate::lexicon::NounClass::Victim(_)));
    let joined_to_victims = |m: usize| m >= 1 && matches!(toks.norm(m), "and" | "or") && victim_word(m - 1);
    let listed = start >= 2 && (toks.norm(start - 1) == "including" || joined_to_victims(start - 1))
        || (start + 1..k).any(joined_to_victims);
    // ("7 December 2014 Terrorist rocket attack": a date's year counts nothing.)
    let year = start >= 2 && super::time::is_month(toks.norm(start - 2));
    let counted = start > 0 && toks.kind(start - 1) == Some(TokKind::Number) && !year || listed;
    let phrase = start..k + n;
    // "Members of government forces", "the Russian forces' members": a party the victims
    // belong to.
    let membership = start >= 2
        && toks.norm(start - 1) == "of"
        && matches!(toks.norm(start - 2), "members" | "ranks" | "fighters" | "soldiers" | "troops" | "personnel");
    // "when ISIS fighters were ambushed": the subject of a passive is acted on.
    (names_actor(toks, &(start..k), clex) && !counted && !membership && !acted_on(toks, k + n)).then_some(phrase)
}

/// Whether a passive starts at token `k` ("were ambushed", "was shot down", "had been hit"):
/// the phrase before it was acted on.
fn acted_on(toks: &Tokens, k: usize) -> bool {
    let mut k = k;
    while matches!(toks.norm(k), "has" | "have" | "had") {
        k += 1;
    }
    let participle =
        |w: &str| w.ends_with("ed") || matches!(w, "shot" | "hit" | "struck" | "blown" | "brought" | "taken");
    matches!(toks.norm(k), "was" | "were" | "is" | "are" | "been" | "being") && participle(toks.norm(k + 1))
}

/// "rockets that fell", "fighting that left dozens dead": a verb right after "that" makes it a
/// relative pronoun, not the start of a reported clause ("said that terrorists killed").
fn relative_verb(w: &str) -> bool {
    w.ends_with("ed") || matches!(w, "fell" | "hit" | "struck" | "tore" | "blew" | "left" | "killed")
}

/// Verbs whose object is a figure of harm they caused: "leaving 3 killed", "causing dozens
/// dead", "inflicting tens of casualties".
pub fn causes(w: &str) -> bool {
    matches!(w, "leaving" | "left" | "leaves" | "causing" | "caused" | "causes" | "inflicting" | "inflicted")
}

/// What the perpetrator search knows of a claim.
pub struct ClaimSite {
    /// Tokens of the count and its noun phrase.
    pub figure: Range<usize>,
    /// Tokens of the casualty word, when a rule found one.
    pub cue: Option<Range<usize>>,
    /// The casualty word takes the victims as its object ("X killed 12", "killing 7").
    pub active: bool,
    /// The casualty word is an -ing participle ("…, killing 7"): its subject is the clause's.
    pub participle: bool,
    /// The casualty word's subject suffered the losses ("DAESH has lost 463 fighters").
    pub own_losses: bool,
}

/// The subject of a verb starting at `verb`: past auxiliaries ("had killed") and a relative
/// pronoun ("the government that killed"), including a prepositional phrase of the subject
/// ("rebel fire on regime-held areas killed").
fn subject_of(toks: &Tokens, lo: usize, verb: usize, lex: &Lexicon, clex: &Cues) -> Option<Range<usize>> {
    let mut end = verb;
    // "a U.S.-led coalition mistakenly killed": an adverb sits between subject and verb.
    let adverb = |k: usize| {
        let w = toks.norm(k);
        w.len() > 5 && w.ends_with("ly") && !toks.get(k).upper && lex.noun(w).is_none()
    };
    while end > lo
        && (lex.is_cue(toks, end - 1, Cue::Aux)
            || matches!(toks.norm(end - 1), "that" | "which" | "who")
            || adverb(end - 1))
    {
        end -= 1;
    }
    let np = np_before(toks, lo, end, lex, clex)?;
    if np.start > lo + 1 && is_preposition(toks.norm(np.start - 1)) {
        if let Some(head) = np_before(toks, lo, np.start - 1, lex, clex) {
            if names_actor(toks, &head, clex) || clex.cue_at(toks, head.end - 1, head.end, CtxCue::Attack).is_some() {
                return Some(head.start..np.end);
            }
        }
    }
    Some(before_participle(toks, np, clex))
}

/// The party after "by" in a passive clause starting at `start` ("a toxic gas believed to be
/// chlorine was released by a helicopter"), within 12 words and before the clause ends.
fn passive_agent(toks: &Tokens, start: usize, hi: usize, lex: &Lexicon, clex: &Cues) -> Option<Range<usize>> {
    let end = hi.min(start + 12);
    let aux = (start..end).find(|&k| lex.is_cue(toks, k, Cue::Aux))?;
    let by = (aux + 1..end).take_while(|&k| !lex.is_cue(toks, k, Cue::ClauseStop)).find(|&k| toks.norm(k) == "by")?;
    let np = np_after(toks, by + 1, hi, lex, clex).and_then(|np| before_place(toks, np, clex))?;
    names_actor(toks, &np, clex).then_some(np)
}

/// "a U.S.-led coalition fighting Daesh": a party followed by a participle clause is the party.
fn before_participle(toks: &Tokens, np: Range<usize>, clex: &Cues) -> Range<usize> {
    // Not a means of attack ("Russian shelling", "regime bombing").
    let participle =
        |k: usize| toks.norm(k).ends_with("ing") && !toks.get(k).upper && !clex.is(toks, k, CtxCue::Attack);
    (np.start + 1..np.end)
        .find(|&k| participle(k) && names_actor(toks, &(np.start..k), clex))
        .map_or(np.clone(), |k| np.start..k)
}

/// Who the sentence says did the harm counted at `site`, and the rule that found it.
pub fn perpetrator(
    toks: &Tokens,
    sent: Range<usize>,
    site: &ClaimSite,
    lex: &Lexicon,
    clex: &Cues,
) -> Option<(Range<usize>, &'static str)> {
    // Between the figure and its casualty word is more of the victims: "170 members of
    // government forces had died", "45 militants and 20 Kurdish fighters were killed".
    let victims_end = site.cue.as_ref().filter(|c| c.start >= site.figure.end).map_or(site.figure.end, |c| c.start);
    let not_victims = |r: &Range<usize>| r.end <= site.figure.start || r.start >= victims_end;
    let after = site.cue.as_ref().map_or(site.figure.end, |c| c.end.max(site.figure.end));
    // "killed by government shelling", "blamed on the rebels"
    for k in after..sent.end.min(after + 8) {
        // "in areas held by a rebel alliance": "by" after a participle of holding names who
        // holds the place, not who did the harm.
        let holds = |m: usize| m > 0 && (holds_place(toks.norm(m - 1)) || toks.norm(m - 1) == "besieged");
        if let Some(n) = clex.cue_at(toks, k, sent.end, CtxCue::Agent).filter(|_| !holds(k)) {
            if let Some(np) = np_after(toks, k + n, sent.end, lex, clex).and_then(|np| before_place(toks, np, clex)) {
                let count_frame =
                    (np.start..np.end + 1).any(|m| toks.norm(m) == "count" || toks.norm(m).ends_with("'s"));
                if names_actor(toks, &np, clex) && !count_frame && not_victims(&np) {
                    return Some((np, "agent-by"));
                }
            }
        }
        // "17 troops were killed in fighting with the Daesh group": the side fought against;
        // "three soldiers were killed fighting Islamic State": the side they fought.
        let fought =
            if matches!(toks.norm(k), "fighting" | "clashes" | "battles" | "battle" | "combat" | "confrontations")
                && matches!(toks.norm(k + 1), "with" | "against")
            {
                Some(k + 2)
            } else if matches!(toks.norm(k), "fighting" | "battling")
                && k == after + (toks.norm(after) == "while") as usize
            {
                Some(k + 1)
            } else {
                None
            };
        if let Some(start) = fought {
            if let Some(np) = np_after(toks, start, sent.end, lex, clex).and_then(|np| before_place(toks, np, clex)) {
                if names_actor(toks, &np, clex) && not_victims(&np) {
                    return Some((np, "fought-with"));
                }
            }
        }
        // "killed when Assad's air force pounded the district", "after a suicide bomber blew
        // himself up", "as the terrorist groups targeted the neighbourhood": the subject of a
        // time clause acting on its own (not "when they were hit"). ("As well as", "such as"
        // and "as many as" are no clause.)
        let as_clause = toks.norm(k) == "as"
            && !matches!(toks.norm(k.saturating_sub(1)), "well" | "such" | "same" | "so")
            && !matches!(toks.norm(k + 1), "many" | "much" | "well" | "high" | "a" | "an" | "part" | "of");
        if matches!(toks.norm(k), "when" | "after") || as_clause {
            if let Some(np) = np_after(toks, k + 1, sent.end, lex, clex) {
                if names_actor(toks, &np, clex) && not_victims(&np) && !lex.is_cue(toks, np.end, Cue::Aux) {
                    return Some((np, "when-clause"));
                }
            }
            // "… after a toxic gas was released by a helicopter belonging to the regime":
            // the agent of a passive time clause.
            if let Some(np) = passive_agent(toks, k + 1, sent.end, lex, clex).filter(not_victims) {
                return Some((np, "when-clause"));
            }
        }
        if lex.is_cue(toks, k, Cue::ClauseStop) && toks.norm(k) != "and" {
            break;
        }
    }
    // "fierce fighting that left dozens dead", "a war that has killed 290000": the figure's
    // verb is said of the fighting, and the text names no one, whoever the sentence's subject is.
    if relative_before(toks, &sent, site.figure.start).is_some_and(|k| clex.is(toks, k - 1, CtxCue::War)) {
        return None;
    }
    if let Some(cue) = site.cue.as_ref().filter(|_| site.active && !site.own_losses) {
        // The clause of the casualty word starts after a reporting verb ("X said the attack
        // killed …"), "that", or a contrast ("… while government air strikes killed 82").
        let clause = (sent.start..cue.start)
            .rev()
            .find(|&k| {
                clex.is(toks, k, CtxCue::Verb)
                    || toks.norm(k) == "that"
                        && k + 1 < cue.start
                        && !lex.is_cue(toks, k + 1, Cue::Aux)
                        && !relative_verb(toks.norm(k + 1))
                    || matches!(toks.norm(k), "while" | "whereas" | ";")
            })
            .map_or(sent.start, |k| k + 1);
        // "A Russian air strike hit the hospital, officials said, injuring 17": a participle
        // right after a speaker's parenthesis belongs to the clause before it.
        let clause = if site.participle && !(clause..cue.start).any(|k| toks.kind(k) == Some(TokKind::Word)) {
            sent.start
        } else {
            clause
        };
        // "Russian air strikes killed 23", "the rebels had killed 69"; "a war that has killed
        // 290000": the war killed, and the text names no one.
        if !site.participle {
            let subject = subject_of(toks, clause, cue.start, lex, clex);
            if subject.as_ref().is_some_and(|np| np.end > np.start && clex.is(toks, np.end - 1, CtxCue::War)) {
                return None;
            }
            if let Some(np) = subject.filter(|np| names_actor(toks, np, clex) && not_victims(np)) {
                return Some((np, "subject"));
            }
        }
        // "Terrorists fired rocket shells on the town, killing two": the clause's subject.
        let phrase_start = |k: usize| k == clause || toks.get(k).upper || matches!(toks.norm(k), "the" | "a" | "an");
        // "The coalition denied responsibility for the strike, which killed 12": the party
        // denying is not the one the figure is blamed on.
        let denies = |np: &Range<usize>| (np.end..np.end + 2).any(|m| clex.is(toks, m, CtxCue::Denied));
        // "A Russian military helicopter was shot down …, killing all five on board": the
        // subject of a passive was acted on.
        // (The phrase is judged without the place it runs into: "attacked a mainly Kurdish town
        // in northeastern Syria" names no one.)
        let subject = (clause..cue.start).filter(|&k| phrase_start(k)).find_map(|k| {
            let np = np_after(toks, k, cue.start, lex, clex)?;
            let np = before_place(toks, np.clone(), clex).unwrap_or(np);
            (names_actor(toks, &np, clex)
                && not_victims(&np)
                && !denies(&np)
                && !acted_on(toks, np.end)
                && (toks.get(np.start).upper || k == clause))
                .then_some(np)
        });
        if let Some(np) = subject {
            return Some((np, "clause-subject"));
        }
        // "A shell fired by regime troops hit the school, killing five": the means the clause
        // starts with names who used it.
        let fired_by = (clause..cue.start).find_map(|k| {
            let n = clex.cue_at(toks, k, cue.start, CtxCue::Agent)?;
            let participle = k > clause && toks.norm(k - 1).ends_with("ed");
            let np = np_after(toks, k + n, cue.start, lex, clex).and_then(|np| before_place(toks, np, clex))?;
            (participle && names_actor(toks, &np, clex) && not_victims(&np)).then_some(np)
        });
        if let Some(np) = fired_by {
            return Some((np, "agent-by"));
        }
    }
    for k in sent.clone() {
        // "The Islamic State group claims the double suicide bomb attack": claiming an attack
        // is claiming responsibility.
        // So is committing or carrying one out: "The Assad regime committed a horrific massacre
        // in the village … where 18 civilians were killed".
        let claims_attack = matches!(
            toks.norm(k),
            "claims" | "claimed" | "claiming" | "committed" | "commits" | "perpetrated" | "conducted" | "staged"
        ) && (k + 1..sent.end.min(k + 6))
            .take_while(|&m| toks.kind(m) == Some(TokKind::Word) && !clex.is(toks, m, CtxCue::Verb))
            .any(|m| clex.is(toks, m, CtxCue::Attack));
        if claims_attack {
            let party =
                np_before(toks, sent.start, k, lex, clex).filter(|np| not_victims(np) && names_actor(toks, np, clex));
            if let Some(np) = party {
                return Some((np, "claimed-responsibility"));
            }
        }
        // "Daesh claimed responsibility for the attack"
        if clex.cue_at(toks, k, sent.end, CtxCue::Responsibility).is_some() {
            if let Some(np) = np_before(toks, sent.start, k, lex, clex).filter(not_victims) {
                return Some((np, "claimed-responsibility"));
            }
        }
        // "…, blaming the Syrian army", "accusing government forces of"
        if let Some(n) = clex.cue_at(toks, k, sent.end, CtxCue::Accuse) {
            if let Some(np) = np_after(toks, k + n, sent.end, lex, clex)
                .and_then(|np| before_place(toks, np, clex))
                .filter(not_victims)
            {
                if names_actor(toks, &np, clex) {
                    return Some((np, "accused"));
                }
            }
        }
    }
    // "the coalition acknowledged the deaths of 735 civilians in its strikes": a possessive
    // pronoun's means are its subject's.
    let owned_attack = (sent.start + 1..sent.end)
        .find(|&k| matches!(toks.norm(k - 1), "its" | "their") && clex.is(toks, k, CtxCue::Attack));
    if let Some(k) = owned_attack {
        let owner = (sent.start..k - 1)
            .filter(|&m| m == sent.start || toks.get(m).upper || matches!(toks.norm(m), "the" | "a" | "an"))
            .find_map(|m| {
                np_after(toks, m, k - 1, lex, clex).filter(|np| names_actor(toks, np, clex) && not_victims(np))
            });
        if let Some(np) = owner {
            return Some((np, "owned-attack"));
        }
    }
    // "in regime shelling", "government warplanes struck …": an attack phrase near the figure.
    let centre = site.figure.start;
    // Near the figure or its casualty word: "15 people were killed … in government air strikes".
    let anchors = [site.figure.clone(), site.cue.clone().unwrap_or(site.figure.clone())];
    let near = |r: &Range<usize>| anchors.iter().any(|a| r.start.abs_diff(a.start).min(r.end.abs_diff(a.end)) <= 10);
    // "after similar attacks by coalition fighter jets", "due to the attack which was launched
    // by the terrorist organizations": whom the means is said to be by.
    // (Only words near enough can start a means: `near` allows ten words from either anchor.)
    let window = anchors.iter().map(|a| a.start).min().unwrap_or(centre).saturating_sub(12).max(sent.start)
        ..(anchors.iter().map(|a| a.end).max().unwrap_or(centre) + 12).min(sent.end);
    let attack_by = window
        .filter_map(|k| Some(k..k + clex.cue_at(toks, k, sent.end, CtxCue::Attack)?))
        .filter(|r| not_victims(r) && near(r))
        .filter_map(|r| {
            let np = party_after_means(toks, r.end, sent.end, lex, clex)?;
            (not_victims(&np) && names_actor(toks, &np, clex)).then_some((r.start.abs_diff(centre), np))
        })
        .min_by_key(|(d, _)| *d);
    if let Some((_, np)) = attack_by {
        return Some((np, "attack-by"));
    }
    sent.clone()
        .filter_map(|k| attack_phrase(toks, k, sent.end, lex, clex))
        .filter(|r| not_victims(r) && near(r))
        .min_by_key(|r| r.start.abs_diff(centre))
        .map(|r| (r, "attack-phrase"))
}

/// The party after a means of attack ending at `k`: "attacks by X", "strikes carried out by X",
/// "the attack which was launched by X".
fn party_after_means(toks: &Tokens, mut k: usize, end: usize, lex: &Lexicon, clex: &Cues) -> Option<Range<usize>> {
    if matches!(toks.norm(k), "which" | "that") {
        k += 1;
        if matches!(toks.norm(k), "was" | "were") {
            k += 1;
        }
    }
    if k < end && toks.norm(k).ends_with("ed") {
        k += 1 + (toks.norm(k + 1) == "out") as usize;
    }
    let n = clex.cue_at(toks, k, end, CtxCue::Agent)?;
    np_after(toks, k + n, end, lex, clex).and_then(|np| before_place(toks, np, clex))
}

/// The relative pronoun of a clause whose verb governs the figure: "fighting that left dozens
/// dead", "a war that has killed 290000".
fn relative_before(toks: &Tokens, sent: &Range<usize>, figure: usize) -> Option<usize> {
    let lo = figure.saturating_sub(4).max(sent.start + 1);
    (lo..figure)
        .rev()
        .find(|&k| matches!(toks.norm(k), "that" | "which"))
        .filter(|&k| (k + 1..figure).all(|m| toks.kind(m) == Some(TokKind::Word) && !toks.get(m).upper))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::context::lexicon::{english, Cues};
    use crate::lexicon::english as lexicon;

    fn text_of(text: &str, toks: &Tokens, r: Range<usize>) -> String {
        let [s, e] = toks.span(r.start, r.end);
        text[s..e].to_string()
    }

    fn sources(text: &str) -> Vec<(String, SourceType)> {
        let toks = Tokens::new(text);
        attributions(&toks, 0..toks.len(), lexicon(), &Cues::new(&toks, english(), crate::lexicon::english()))
            .into_iter()
            .map(|a| (text_of(text, &toks, a.tokens), a.kind))
            .collect()
    }

    #[test]
    fn reporting_frames() {
        use SourceType::*;
        assert_eq!(
            sources("At least 27 people were killed, the health ministry said."),
            vec![("the health ministry".into(), Government)]
        );
        assert_eq!(
            sources("The Syrian Observatory for Human Rights said 12 died."),
            vec![("The Syrian Observatory for Human Rights".into(), Ngo)]
        );
        assert_eq!(
            sources("Five died according to state news agency SANA."),
            vec![("state news agency SANA".into(), Media)]
        );
        assert_eq!(sources("\"They shelled us,\" said Rami Abdel Rahman."), vec![("Rami Abdel Rahman".into(), Person)]);
        assert_eq!(sources("Ten people died (Reuters)."), vec![("Reuters".into(), Media)]);
        let he = sources("He told AFP that 9 were killed.");
        assert_eq!(he[0].0, "He");
    }

    fn perp(text: &str, figure: &str, cue: &str, active: bool) -> Option<(String, &'static str)> {
        let toks = Tokens::new(text);
        let find = |w: &str| {
            let first = w.split(' ').next().unwrap().to_lowercase();
            let k = (0..toks.len()).find(|&k| toks.norm(k) == first).unwrap();
            k..k + w.split(' ').count()
        };
        let site = ClaimSite {
            figure: find(figure),
            cue: Some(find(cue)),
            active,
            participle: cue.ends_with("ing"),
            own_losses: cue == "lost",
        };
        perpetrator(&toks, 0..toks.len(), &site, lexicon(), &Cues::new(&toks, english(), crate::lexicon::english()))
            .map(|(r, rule)| (text_of(text, &toks, r), rule))
    }

    #[test]
    fn perpetrators_from_agentive_patterns_only() {
        assert_eq!(
            perp("Twelve civilians were killed by government shelling in Aleppo.", "Twelve civilians", "killed", false),
            Some(("government shelling".into(), "agent-by"))
        );
        assert_eq!(
            perp("Russian air strikes killed 23 civilians.", "23 civilians", "killed", true),
            Some(("Russian air strikes".into(), "subject"))
        );
        assert_eq!(
            perp("Terrorists fired rocket shells on the town killing two children.", "two children", "killing", true)
                .map(|p| p.0),
            Some("Terrorists".into())
        );
        assert_eq!(
            perp("Nine rebels were killed near Hama.", "Nine rebels", "killed", false),
            None,
            "never from the victims"
        );
        assert_eq!(perp("Five soldiers died, the Observatory said.", "Five soldiers", "died", false), None);
    }
}
