//! Parties: who makes a claim (the source) and who is said to have done the harm (the
//! perpetrator), as noun phrases of the text.
//!
//! Sources come from reporting frames: "X said", "said X", "X told Y", "according to X",
//! "(Reuters)". Perpetrators come from agentive patterns only: "killed by X", "blamed on X",
//! "X killed 12", the subject of "…, killing 7", "X claimed responsibility", and attack
//! phrases with an actor in them ("Russian air strikes", "regime shelling"). Nothing is
//! inferred from who the victims are.

use super::lexicon::{ContextLexicon, CtxCue};
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
fn np_word(toks: &Tokens, k: usize, lex: &Lexicon, clex: &ContextLexicon) -> bool {
    match toks.kind(k) {
        Some(TokKind::Word) => {
            let w = toks.norm(k);
            let verb_like = (w.ends_with("ed") || w.ends_with("ing"))
                && !lex.is_cue(toks, k, Cue::AdjEd)
                && !toks.get(k).upper
                && !clex.is(toks, k, CtxCue::Attack);
            let stop = clex.is(toks, k, CtxCue::Verb) && !toks.get(k).upper
                || lex.triggers.longest_at(toks, k, k + 1).is_some()
                || matches!(w, "that" | "which" | "who" | "while" | "but" | "as" | "when" | "after" | "said" | "says" | "was" | "were" | "is" | "are" | "has" | "have" | "had" | "on" | "to" | "with" | "by" | "and");
            !verb_like && !stop
        }
        Some(TokKind::Punct) => matches!(toks.norm(k), "-" | ".") && !toks.get(k).space_before,
        _ => false,
    }
}

/// The noun phrase ending just before `end` (at most 10 tokens, not before `lo`).
pub fn np_before(toks: &Tokens, lo: usize, end: usize, lex: &Lexicon, clex: &ContextLexicon) -> Option<Range<usize>> {
    let mut k = end;
    while k > lo && end - k < 10 && np_word(toks, k - 1, lex, clex) {
        k -= 1;
    }
    trim(toks, k..end, clex)
}

/// The noun phrase starting at `start` (at most 10 tokens, not past `hi`).
pub fn np_after(toks: &Tokens, start: usize, hi: usize, lex: &Lexicon, clex: &ContextLexicon) -> Option<Range<usize>> {
    let mut k = start;
    while k < hi && k - start < 10 && (np_word(toks, k, lex, clex) || (toks.norm(k) == "and" && k > start)) {
        k += 1;
    }
    trim(toks, start..k, clex)
}

/// Drops trailing function words and punctuation; None when nothing names a party.
fn trim(toks: &Tokens, mut r: Range<usize>, clex: &ContextLexicon) -> Option<Range<usize>> {
    while r.end > r.start && (matches!(toks.norm(r.end - 1), "of" | "for" | "at" | "in" | "from" | "the" | "a" | "an" | "-" | "." | "and")) {
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
pub fn source_type(toks: &Tokens, r: Range<usize>, clex: &ContextLexicon) -> SourceType {
    // The first party with a type of its own: "the Syrian Observatory" is an NGO, not Syrian.
    let kinds: Vec<SourceType> = r.clone().filter_map(|k| clex.entity_at(toks, k, r.end).map(|(_, e)| e.kind)).collect();
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

fn is_pronoun(toks: &Tokens, r: &Range<usize>, clex: &ContextLexicon) -> bool {
    clex.cue_at(toks, r.start, r.end, CtxCue::Pronoun) == Some(r.len())
}

/// Every attribution in tokens `sent`.
pub fn attributions(toks: &Tokens, sent: Range<usize>, lex: &Lexicon, clex: &ContextLexicon) -> Vec<Attribution> {
    let mut out = Vec::new();
    let mut k = sent.start;
    while k < sent.end {
        if let Some(n) = clex.cue_at(toks, k, sent.end, CtxCue::Frame) {
            if let Some(np) = np_after(toks, k + n, sent.end, lex, clex) {
                out.push(attribution(toks, np, k..k + n, "according-to", clex));
            }
            k += n;
            continue;
        }
        // "(Reuters)", "(AFP)"
        if toks.norm(k) == "(" && toks.norm(k + 2) == ")" {
            if let Some((1, e)) = clex.entity_at(toks, k + 1, k + 2) {
                if e.kind == SourceType::Media {
                    out.push(Attribution { tokens: k + 1..k + 2, cue: k..k + 3, kind: e.kind, rule: "parenthetical", pronoun: false });
                }
            }
        }
        if clex.is(toks, k, CtxCue::Verb) && toks.norm(k) != "according" {
            let subject = np_before(toks, sent.start, k, lex, clex)
                .or_else(|| pronoun_before(toks, sent.start, k, clex));
            match subject {
                Some(np) => out.push(attribution(toks, np, k..k + 1, "subject-said", clex)),
                // '"…" said the Observatory', 'said Rami Abdel Rahman'
                None => {
                    if let Some(np) = np_after(toks, k + 1, sent.end, lex, clex) {
                        out.push(attribution(toks, np, k..k + 1, "said-subject", clex));
                    }
                }
            }
        }
        k += 1;
    }
    out
}

fn pronoun_before(toks: &Tokens, lo: usize, end: usize, clex: &ContextLexicon) -> Option<Range<usize>> {
    (end.saturating_sub(2).max(lo)..end).find(|&s| clex.cue_at(toks, s, end, CtxCue::Pronoun) == Some(end - s)).map(|s| s..end)
}

fn attribution(toks: &Tokens, np: Range<usize>, cue: Range<usize>, rule: &'static str, clex: &ContextLexicon) -> Attribution {
    let pronoun = is_pronoun(toks, &np, clex);
    let kind = if pronoun { SourceType::Unknown } else { source_type(toks, np.clone(), clex) };
    Attribution { tokens: np, cue, kind, rule, pronoun }
}

/// Whether a phrase names someone able to do harm: a known actor, or a means of attack.
fn names_actor(toks: &Tokens, r: &Range<usize>, clex: &ContextLexicon) -> bool {
    r.clone().any(|k| clex.entity_at(toks, k, r.end).is_some_and(|(_, e)| e.actor) || clex.cue_at(toks, k, r.end, CtxCue::Attack).is_some())
}

/// An attack phrase with an actor in it: "Russian air strikes", "regime shelling".
fn attack_phrase(toks: &Tokens, k: usize, end: usize, lex: &Lexicon, clex: &ContextLexicon) -> Option<Range<usize>> {
    let n = clex.cue_at(toks, k, end, CtxCue::Attack)?;
    let np = np_before(toks, k.saturating_sub(5), k, lex, clex)?;
    let phrase = np.start..k + n;
    let actor = np.clone().any(|m| clex.entity_at(toks, m, np.end).is_some_and(|(_, e)| e.actor));
    actor.then_some(phrase)
}

/// What the perpetrator search knows of a claim.
pub struct ClaimSite {
    /// Tokens of the count and its noun phrase.
    pub figure: Range<usize>,
    /// Tokens of the casualty word, when a rule found one.
    pub cue: Option<Range<usize>>,
    /// The casualty word takes the victims as its object ("X killed 12", "killing 7").
    pub active: bool,
}

/// Who the sentence says did the harm counted at `site`, and the rule that found it.
pub fn perpetrator(toks: &Tokens, sent: Range<usize>, site: &ClaimSite, lex: &Lexicon, clex: &ContextLexicon) -> Option<(Range<usize>, &'static str)> {
    let not_victims = |r: &Range<usize>| r.end <= site.figure.start || r.start >= site.figure.end;
    let after = site.cue.as_ref().map_or(site.figure.end, |c| c.end.max(site.figure.end));
    // "killed by government shelling", "blamed on the rebels"
    for k in after..sent.end.min(after + 8) {
        if let Some(n) = clex.cue_at(toks, k, sent.end, CtxCue::Agent) {
            if let Some(np) = np_after(toks, k + n, sent.end, lex, clex) {
                let count_frame = (np.start..np.end + 1).any(|m| toks.norm(m) == "count" || toks.norm(m).ends_with("'s"));
                if names_actor(toks, &np, clex) && !count_frame && not_victims(&np) {
                    return Some((np, "agent-by"));
                }
            }
        }
        if lex.is_cue(toks, k, Cue::ClauseStop) && toks.norm(k) != "and" {
            break;
        }
    }
    // "Russian air strikes killed 23", "ISIS executed three people"
    if let Some(cue) = site.cue.as_ref().filter(|_| site.active) {
        let direct = np_before(toks, sent.start, cue.start, lex, clex).filter(|np| names_actor(toks, np, clex) && not_victims(np));
        if let Some(np) = direct {
            return Some((np, "subject"));
        }
        // "Terrorists fired rocket shells on the town, killing two": the clause's subject.
        let subject = (sent.start..cue.start).find_map(|k| {
            let np = np_after(toks, k, cue.start, lex, clex)?;
            (names_actor(toks, &np, clex) && not_victims(&np) && toks.get(np.start).upper || k == sent.start).then_some(np)
        });
        if let Some(np) = subject.filter(|np| names_actor(toks, np, clex) && not_victims(np)) {
            return Some((np, "clause-subject"));
        }
    }
    // "Daesh claimed responsibility for the attack"
    for k in sent.clone() {
        if let Some(n) = clex.cue_at(toks, k, sent.end, CtxCue::Responsibility) {
            if let Some(np) = np_before(toks, sent.start, k, lex, clex).filter(not_victims) {
                return Some((np, "claimed-responsibility"));
            }
            let _ = n;
        }
    }
    // "in regime shelling", "government warplanes struck …": the nearest attack phrase.
    let centre = site.figure.start;
    sent.clone()
        .filter_map(|k| attack_phrase(toks, k, sent.end, lex, clex))
        .filter(not_victims)
        .min_by_key(|r| r.start.abs_diff(centre))
        .map(|r| (r, "attack-phrase"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::context::lexicon::english;
    use crate::lexicon::english as lexicon;

    fn text_of(text: &str, toks: &Tokens, r: Range<usize>) -> String {
        let [s, e] = toks.span(r.start, r.end);
        text[s..e].to_string()
    }

    fn sources(text: &str) -> Vec<(String, SourceType)> {
        let toks = Tokens::new(text);
        attributions(&toks, 0..toks.len(), lexicon(), english()).into_iter().map(|a| (text_of(text, &toks, a.tokens), a.kind)).collect()
    }

    #[test]
    fn reporting_frames() {
        use SourceType::*;
        assert_eq!(sources("At least 27 people were killed, the health ministry said."), vec![("the health ministry".into(), Government)]);
        assert_eq!(sources("The Syrian Observatory for Human Rights said 12 died."), vec![("The Syrian Observatory for Human Rights".into(), Ngo)]);
        assert_eq!(sources("Five died according to state news agency SANA."), vec![("state news agency SANA".into(), Media)]);
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
        let site = ClaimSite { figure: find(figure), cue: Some(find(cue)), active };
        perpetrator(&toks, 0..toks.len(), &site, lexicon(), english()).map(|(r, rule)| (text_of(text, &toks, r), rule))
    }

    #[test]
    fn perpetrators_from_agentive_patterns_only() {
        assert_eq!(perp("Twelve civilians were killed by government shelling in Aleppo.", "Twelve civilians", "killed", false), Some(("government shelling".into(), "agent-by")));
        assert_eq!(perp("Russian air strikes killed 23 civilians.", "23 civilians", "killed", true), Some(("Russian air strikes".into(), "subject")));
        assert_eq!(
            perp("Terrorists fired rocket shells on the town killing two children.", "two children", "killing", true).map(|p| p.0),
            Some("Terrorists".into())
        );
        assert_eq!(perp("Nine rebels were killed near Hama.", "Nine rebels", "killed", false), None, "never from the victims");
        assert_eq!(perp("Five soldiers died, the Observatory said.", "Five soldiers", "died", false), None);
    }
}
