//! Relates each count phrase in a sentence to the casualty or damage word that governs it.
//!
//! Every rule is a short function named for the construction it reads; the first rule that
//! fires decides the kind, and its name goes into the claim's `why`. Order matters: the
//! tightest constructions (the count's own noun, a participle right after it) come before
//! looser ones (a verb to its left, a toll frame, coordination), because a headline such as
//! "6 citizens killed 22 injured" must give 22 to "injured", not to the "killed" before it.

use crate::lexicon::{Cue, Form, Lexicon, NounClass, Trigger};
use crate::quantity::{find_quantities, Quantity, QuantityForm};
use crate::token::{TokKind, Tokens};
use std::ops::Range;
use tally_core::{Kind, VictimClass};

/// Where a subset claim's parent is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Parent {
    /// Another candidate of the same sentence (index into the sentence's candidates).
    Candidate(usize),
    /// The latest earlier claim of this kind in the document ("109 of the dead").
    LatestOfKind(Kind),
    /// The latest earlier claim in the document ("five of them").
    Latest,
}

/// Why a count has the kind it has.
#[derive(Debug, Clone, PartialEq)]
pub struct Relation {
    pub kind: Kind,
    pub ambiguous: bool,
    pub rule: &'static str,
    /// Tokens of the casualty word, when the rule found one.
    pub cue: Option<Range<usize>>,
}

/// The counted things: "Syrian army soldiers", "homes", or nothing.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Head {
    pub tokens: Option<Range<usize>>,
    pub class: Option<VictimClass>,
    pub groups: Vec<Box<str>>,
    /// The head noun is itself a casualty word ("112 deaths").
    pub trigger_noun: Option<(Trigger, Range<usize>)>,
    /// A casualty participle before the noun ("1.2 million displaced people").
    pub premodifier: Option<(Trigger, Range<usize>)>,
    /// A casualty word right after the count or its noun ("13 dead", "12 civilians killed").
    pub postnominal: Option<(Trigger, Range<usize>)>,
    /// The noun makes the number a size, time, measure or event count.
    pub is_unit: bool,
    /// First token after the count phrase and its noun.
    pub end: usize,
}

/// A count phrase with everything the rules learned about it.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub quantity: Quantity,
    pub head: Head,
    pub relation: Option<Relation>,
    pub parent: Option<Parent>,
    pub subset_cue: Option<&'static str>,
    /// The sentence frames the figure as hypothetical or negated.
    pub blocked: bool,
}

impl Candidate {
    fn victims_class(&self) -> Option<VictimClass> {
        self.head.class
    }
}

/// All related count phrases of one sentence (unrelated ones are dropped by the caller).
pub fn relate_sentence(toks: &Tokens, sent: Range<usize>, lex: &Lexicon) -> Vec<Candidate> {
    let mut quantities = find_quantities(toks, sent.clone(), lex);
    quantities.extend(article_quantities(toks, sent.clone(), &quantities, lex));
    quantities.sort_by_key(|q| q.start);
    let mut cands: Vec<Candidate> = quantities
        .into_iter()
        .map(|q| {
            let head = scan_head(toks, &q, sent.end, lex);
            Candidate {
                quantity: q,
                head,
                relation: None,
                parent: None,
                subset_cue: None,
                blocked: false,
            }
        })
        .filter(|c| !c.head.is_unit)
        .collect();
    let starts: Vec<usize> = cands.iter().map(|c| c.quantity.start).collect();
    for i in 0..cands.len() {
        let ctx = Ctx {
            toks,
            lex,
            sent: sent.clone(),
            starts: &starts,
            cands: &cands,
        };
        let (relation, blocked) = ctx.own_relation(i);
        let (parent, subset_cue) = ctx.subset_parent(i);
        let c = &mut cands[i];
        c.relation = relation;
        c.blocked = blocked;
        c.parent = parent;
        c.subset_cue = subset_cue;
    }
    inherit_through_coordination(toks, lex, &mut cands);
    inherit_from_parents(&mut cands);
    cands
}

/// "a child", "an officer": a singular person noun stated with an indefinite article.
fn article_quantities(
    toks: &Tokens,
    sent: Range<usize>,
    taken: &[Quantity],
    lex: &Lexicon,
) -> Vec<Quantity> {
    let inside = |k: usize| taken.iter().any(|q| (q.start..q.end).contains(&k));
    let mut out = Vec::new();
    for k in sent.clone() {
        if !matches!(toks.norm(k), "a" | "an") || inside(k) {
            continue;
        }
        let noun = (k + 1..(k + 4).min(sent.end)).find(|&n| is_singular_person(toks.norm(n), lex));
        let Some(noun) = noun else { continue };
        // Only adjectives may stand between the article and the noun.
        let clean = (k + 1..noun)
            .all(|m| toks.kind(m) == Some(TokKind::Word) && !lex.is_cue(toks, m, Cue::Function));
        if clean {
            let mut end = noun + 1;
            while end < sent.end && is_singular_person(toks.norm(end), lex) {
                end += 1;
            }
            out.push(Quantity {
                start: k,
                end,
                value: Some(1),
                low: 1,
                high: Some(1),
                qualifier: tally_core::Qualifier::Exact,
                form: QuantityForm::Article,
            });
        }
    }
    out
}

fn is_singular_person(word: &str, lex: &Lexicon) -> bool {
    let collective = matches!(
        word,
        "family" | "police" | "elderly" | "personnel" | "more" | "other" | "member"
    );
    !collective
        && !word.ends_with('s')
        && lex
            .noun(word)
            .is_some_and(|n| matches!(n.class, NounClass::Victim(c) if c != VictimClass::Property))
}

/// Reads the noun phrase after a count: modifiers, the head noun, casualty words around it.
fn scan_head(toks: &Tokens, q: &Quantity, end: usize, lex: &Lexicon) -> Head {
    let mut head = Head {
        end: q.end,
        ..Head::default()
    };
    if q.form == QuantityForm::Article {
        let noun_start = (q.start + 1..q.end)
            .find(|&k| lex.noun(toks.norm(k)).is_some())
            .unwrap_or(q.end - 1);
        add_noun_classes(toks, lex, noun_start..q.end, &mut head);
        head.tokens = Some(noun_start..q.end);
        head.postnominal = trigger_after(toks, q.end, end, lex);
        return head;
    }
    let mut k = q.end;
    if toks.norm(k) == "of" && (q.form == QuantityForm::Vague || ends_with_scale(toks, q, lex)) {
        k += 1;
    }
    let start = k;
    let mut noun_end = None;
    let mut steps = 0;
    while k < end && steps < 6 {
        let word = toks.norm(k);
        if let Some((n, trig)) = lex.triggers.longest_at(toks, k, end) {
            match trig.form {
                Form::Noun => {
                    head.trigger_noun = Some((*trig, k..k + n));
                    noun_end = Some(k + n);
                    break;
                }
                Form::Part | Form::Adj if next_is_victim_noun(toks, k + n, lex) => {
                    head.premodifier = Some((*trig, k..k + n));
                    k += n;
                    steps += 1;
                    continue;
                }
                Form::Part | Form::Adj | Form::Intr | Form::Ing
                    if noun_end.is_some() || k == q.end =>
                {
                    head.postnominal = Some((*trig, k..k + n));
                    break;
                }
                _ => break,
            }
        }
        match lex.noun(word).map(|n| &n.class) {
            Some(NounClass::Unit) if noun_end.is_none() && steps <= 1 => {
                head.is_unit = true;
                return head;
            }
            Some(NounClass::Victim(_)) => {
                noun_end = Some(k + 1);
                k += 1;
                steps += 1;
                continue;
            }
            _ => {}
        }
        if noun_end.is_some() || !is_modifier(toks, k, lex) {
            break;
        }
        k += 1;
        steps += 1;
    }
    if let Some(ne) = noun_end {
        add_noun_classes(toks, lex, start..ne, &mut head);
        head.tokens = Some(start..ne);
        head.end = ne;
        if head.postnominal.is_none() && head.trigger_noun.is_none() {
            head.postnominal = trigger_after(toks, ne, end, lex);
        }
    }
    head
}

fn ends_with_scale(toks: &Tokens, q: &Quantity, lex: &Lexicon) -> bool {
    matches!(
        lex.numbers.get(toks.norm(q.end - 1)),
        Some((
            _,
            crate::lexicon::NumRole::Scale | crate::lexicon::NumRole::Dozen
        ))
    )
}

/// A participle or adjective directly after the noun phrase: "12 civilians killed".
fn trigger_after(
    toks: &Tokens,
    k: usize,
    end: usize,
    lex: &Lexicon,
) -> Option<(Trigger, Range<usize>)> {
    let (n, trig) = lex.triggers.longest_at(toks, k, end)?;
    matches!(trig.form, Form::Part | Form::Adj).then(|| (*trig, k..k + n))
}

fn next_is_victim_noun(toks: &Tokens, k: usize, lex: &Lexicon) -> bool {
    lex.noun(toks.norm(k))
        .is_some_and(|n| matches!(n.class, NounClass::Victim(_)))
}

/// Words that may modify a head noun: adjectives, names, hyphen parts ("pro-government").
fn is_modifier(toks: &Tokens, k: usize, lex: &Lexicon) -> bool {
    match toks.kind(k) {
        Some(TokKind::Word) => {
            let w = toks.norm(k);
            let verb_like =
                (w.ends_with("ed") || w.ends_with("ing")) && !lex.is_cue(toks, k, Cue::AdjEd);
            !verb_like
                && !lex.is_cue(toks, k, Cue::Function)
                && !lex.is_cue(toks, k, Cue::Aux)
                && !lex.is_cue(toks, k, Cue::ClauseStop)
                && !lex.is_cue(toks, k, Cue::Modal)
                && !lex.is_cue(toks, k, Cue::Negation)
        }
        Some(TokKind::Punct) => toks.norm(k) == "-" && !toks.get(k).space_before,
        _ => false,
    }
}

fn add_noun_classes(toks: &Tokens, lex: &Lexicon, range: Range<usize>, head: &mut Head) {
    let (mut civilian, mut combatant, mut property, mut unknown) = (false, false, false, false);
    for k in range {
        let Some(noun) = lex.noun(toks.norm(k)) else {
            continue;
        };
        if let NounClass::Victim(c) = noun.class {
            match c {
                VictimClass::Civilian => civilian = true,
                VictimClass::Combatant => combatant = true,
                VictimClass::Property => property = true,
                _ => unknown = true,
            }
        }
        if let Some(g) = &noun.group {
            if !head.groups.contains(g) {
                head.groups.push(g.clone());
            }
        }
    }
    head.class = Some(match (civilian, combatant, property, unknown) {
        (true, true, _, _) => VictimClass::Mixed,
        (true, false, _, _) => VictimClass::Civilian,
        (false, true, _, _) => VictimClass::Combatant,
        (false, false, true, _) => VictimClass::Property,
        _ => VictimClass::Unknown,
    });
}

/// The sentence and its candidates, as the rules see them.
struct Ctx<'a> {
    toks: &'a Tokens,
    lex: &'a Lexicon,
    sent: Range<usize>,
    starts: &'a [usize],
    cands: &'a [Candidate],
}

impl Ctx<'_> {
    /// The first rule that relates candidate `i` to a casualty word, and whether the
    /// sentence blocks it (negated or hypothetical).
    fn own_relation(&self, i: usize) -> (Option<Relation>, bool) {
        let c = &self.cands[i];
        let rules: [fn(&Self, usize) -> Option<(Relation, bool)>; 6] = [
            Self::head_noun,
            Self::postnominal,
            Self::predicate,
            Self::premodifier,
            Self::verb_object,
            Self::toll_frame,
        ];
        for rule in rules {
            if let Some((rel, blocked)) = rule(self, i) {
                if self.compatible(c, rel.kind) {
                    return (Some(rel), blocked);
                }
            }
        }
        (None, false)
    }

    /// Damage counts objects and every other kind counts people.
    fn compatible(&self, c: &Candidate, kind: Kind) -> bool {
        let objects = c.victims_class() == Some(VictimClass::Property);
        if kind.counts_objects() {
            objects
        } else {
            !objects || c.head.trigger_noun.is_some()
        }
    }

    fn rel(trig: &Trigger, cue: Range<usize>, rule: &'static str) -> Relation {
        Relation {
            kind: trig.kind,
            ambiguous: trig.ambiguous,
            rule,
            cue: Some(cue),
        }
    }

    /// "112 deaths", "30 casualties"
    fn head_noun(&self, i: usize) -> Option<(Relation, bool)> {
        let (trig, cue) = self.cands[i].head.trigger_noun.clone()?;
        Some((Self::rel(&trig, cue, "head-noun"), false))
    }

    /// "13 dead", "12 civilians killed", "left a child dead"
    fn postnominal(&self, i: usize) -> Option<(Relation, bool)> {
        let (trig, cue) = self.cands[i].head.postnominal.clone()?;
        Some((Self::rel(&trig, cue, "postnominal"), false))
    }

    /// "1.2 million displaced people", "12 wounded soldiers"
    fn premodifier(&self, i: usize) -> Option<(Relation, bool)> {
        let (trig, cue) = self.cands[i].head.premodifier.clone()?;
        Some((Self::rel(&trig, cue, "premodifier"), false))
    }

    fn candidate_at(&self, k: usize) -> Option<usize> {
        self.starts.iter().position(|&s| s == k)
    }

    /// "27 people, among them nine children, were killed", "4,000 families have fled",
    /// "Dozens were reported missing".
    fn predicate(&self, i: usize) -> Option<(Relation, bool)> {
        let (toks, lex) = (self.toks, self.lex);
        let end = self.sent.end;
        let mut k = self.cands[i].head.end;
        let (mut blocked, mut budget) = (false, 10);
        while k < end && budget > 0 {
            budget -= 1;
            if let Some(n) = lex.cue_at(toks, k, end, Cue::SubsetBefore) {
                k += n;
                if let Some(j) = self.candidate_at(k) {
                    k = self.cands[j].head.end;
                }
                continue;
            }
            if let Some((n, trig)) = lex.triggers.longest_at(toks, k, end) {
                if trig.form.follows_subject() {
                    return Some((Self::rel(trig, k..k + n, "predicate"), blocked));
                }
                return None;
            }
            if self.candidate_at(k).is_some() {
                return None;
            }
            if lex.is_cue(toks, k, Cue::Modal) || lex.is_cue(toks, k, Cue::Negation) {
                blocked = true;
            } else if lex.is_cue(toks, k, Cue::Aux) || lex.is_cue(toks, k, Cue::Function) {
            } else if lex.is_cue(toks, k, Cue::ClauseStop) {
                return None;
            } else {
                match toks.kind(k) {
                    Some(TokKind::Punct) => match toks.norm(k) {
                        "," | "-" | "\"" => {}
                        "(" => {
                            while k < end && toks.norm(k) != ")" {
                                k += 1;
                            }
                        }
                        _ => return None,
                    },
                    Some(TokKind::Word) if is_modifier(toks, k, lex) => {}
                    _ => return None,
                }
            }
            k += 1;
        }
        None
    }

    /// "killing at least 7", "Blast kills six", "killed another 12", "the bodies of 15".
    fn verb_object(&self, i: usize) -> Option<(Relation, bool)> {
        let (toks, lex) = (self.toks, self.lex);
        let q = &self.cands[i].quantity;
        let mut at = q.start;
        for _ in 0..2 {
            if let Some((n, _)) = lex
                .cues
                .longest_ending_at(toks, at.saturating_sub(3).max(self.sent.start), at)
                .filter(|(_, bits)| **bits & Cue::Another as u32 != 0)
            {
                at -= n;
            }
        }
        let lo = at.saturating_sub(6).max(self.sent.start);
        let (n, trig) = lex.triggers.longest_ending_at(toks, lo, at)?;
        if !(trig.form.takes_object() || trig.form == Form::Of) {
            return None;
        }
        let t = at - n;
        let blocked = (t.saturating_sub(3).max(self.sent.start)..t)
            .any(|k| lex.is_cue(toks, k, Cue::Modal) || lex.is_cue(toks, k, Cue::Negation));
        Some((Self::rel(trig, t..at, "verb-object"), blocked))
    }

    /// "the death toll from Tuesday's strike has risen to 112", "a toll of 112".
    fn toll_frame(&self, i: usize) -> Option<(Relation, bool)> {
        let (toks, lex) = (self.toks, self.lex);
        let q = &self.cands[i].quantity;
        let lo = q.start.saturating_sub(12).max(self.sent.start);
        let mut loose = 0;
        for k in (lo..q.start).rev() {
            if self.cands.iter().any(|c| {
                c.quantity.end > k && c.quantity.end <= q.start && c.quantity.start < q.start
            }) {
                return None;
            }
            let toll = lex
                .triggers
                .matches_at(toks, k, q.start)
                .find(|(_, t)| t.form == Form::Toll);
            if let Some((n, trig)) = toll {
                return Some((Self::rel(trig, k..k + n, "toll-frame"), false));
            }
            if lex.is_cue(toks, k, Cue::ClauseStop) && toks.norm(k) != "and"
                || matches!(toks.norm(k), "." | ";" | ":")
            {
                return None;
            }
            if !(lex.is_cue(toks, k, Cue::TollLink)
                || lex.is_cue(toks, k, Cue::Function)
                || lex.is_cue(toks, k, Cue::Aux))
            {
                loose += 1;
                if loose > 4 {
                    return None;
                }
            }
        }
        None
    }

    /// Subset cues: "including 48 women", "five of them", "68 children were among the 126
    /// people killed", "109 of the dead".
    fn subset_parent(&self, i: usize) -> (Option<Parent>, Option<&'static str>) {
        let (toks, lex) = (self.toks, self.lex);
        let c = &self.cands[i];
        let q = &c.quantity;
        let before = lex.cues.longest_ending_at(
            toks,
            q.start.saturating_sub(3).max(self.sent.start),
            q.start,
        );
        if before.is_some_and(|(_, bits)| *bits & Cue::SubsetBefore as u32 != 0) {
            let parent = (0..i).rev().find(|&j| self.cands[j].parent.is_none());
            return (
                parent.map(Parent::Candidate).or(Some(Parent::Latest)),
                Some("subset-before"),
            );
        }
        // Right after the count (or after "were"): "of them", "of the dead", "among the 126".
        let mut k = if toks.norm(q.end) == "of" {
            q.end
        } else {
            c.head.end
        };
        while k < self.sent.end && lex.is_cue(toks, k, Cue::Aux) {
            k += 1;
        }
        let Some(n) = lex.cue_at(toks, k, self.sent.end, Cue::SubsetAfter) else {
            return (None, None);
        };
        let after = k + n;
        if let Some(j) = self.candidate_at(after) {
            return (Some(Parent::Candidate(j)), Some("subset-among"));
        }
        if let Some((_, trig)) = lex.triggers.longest_at(toks, after, self.sent.end) {
            return (Some(Parent::LatestOfKind(trig.kind)), Some("subset-of-the"));
        }
        if matches!(toks.norm(k + 1), "them" | "whom") {
            return (Some(Parent::Latest), Some("subset-of-them"));
        }
        (None, None)
    }
}

/// Counts joined by "and", "or" or commas share the casualty word of their neighbour:
/// "killing 12 civilians and 5 soldiers", "1,200 homes, 14 schools and three hospitals were
/// destroyed".
fn inherit_through_coordination(toks: &Tokens, lex: &Lexicon, cands: &mut [Candidate]) {
    let joined = |a: &Candidate, b: &Candidate| {
        let gap = a.head.end..b.quantity.start;
        !gap.is_empty()
            && gap.len() <= 3
            && gap
                .clone()
                .all(|k| matches!(toks.norm(k), "," | "and" | "or" | "as" | "well" | "plus"))
            || gap.is_empty()
    };
    let _ = lex;
    for pass in 0..2 {
        let order: Vec<usize> = if pass == 0 {
            (1..cands.len()).collect()
        } else {
            (0..cands.len().saturating_sub(1)).rev().collect()
        };
        for i in order {
            if cands[i].relation.is_some() {
                continue;
            }
            let j = if pass == 0 { i - 1 } else { i + 1 };
            let (a, b) = if pass == 0 {
                (&cands[j], &cands[i])
            } else {
                (&cands[i], &cands[j])
            };
            if !joined(a, b) {
                continue;
            }
            let Some(rel) = cands[j].relation.clone() else {
                continue;
            };
            let objects = cands[i].head.class == Some(VictimClass::Property);
            if rel.kind.counts_objects() != objects {
                continue;
            }
            let parent = cands[j].parent;
            let c = &mut cands[i];
            c.relation = Some(Relation {
                rule: "coordination",
                ..rel
            });
            if c.parent.is_none() {
                c.parent = parent;
            }
        }
    }
}

/// A subset takes its parent's kind when it has none of its own.
fn inherit_from_parents(cands: &mut [Candidate]) {
    for i in 0..cands.len() {
        if cands[i].relation.is_some() {
            continue;
        }
        if let Some(Parent::Candidate(j)) = cands[i].parent {
            if let Some(rel) = cands[j].relation.clone() {
                cands[i].relation = Some(Relation {
                    rule: "subset",
                    ..rel
                });
            }
        }
    }
}
