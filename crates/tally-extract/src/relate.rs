//! Relates each count phrase in a sentence to the casualty or damage word that governs it.
//!
//! Every rule is a short function named for the construction it reads; the first rule that
//! fires decides the kind, and its name goes into the claim's `why`. Order matters: the
//! tightest constructions (the count's own noun, a participle right after it) come before
//! looser ones (a verb to its left, a toll frame, coordination), because a headline such as
//! "6 citizens killed 22 injured" must give 22 to "injured", not to the "killed" before it.

use crate::context::lexicon::Cues;
use crate::lexicon::{Cue, Form, Lexicon, NounClass, NumRole, Trigger};
use crate::quantity::{find_quantities_where, Quantity, QuantityForm};
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
    /// A damage word read as deaths because it counts fighters ("80 fighters destroyed").
    pub converted: bool,
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
    /// Part of another count's phrase ("members of one family"): never a claim.
    pub nested: bool,
}

/// All related count phrases of one sentence (unrelated ones are dropped by the caller).
pub fn relate_sentence(toks: &Tokens, sent: Range<usize>, lex: &Lexicon, cues: &Cues) -> Vec<Candidate> {
    let mut quantities = find_quantities_where(toks, sent.clone(), lex, |i| cues.quantity_may_start(i));
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
                nested: false,
            }
        })
        .filter(|c| !c.head.is_unit)
        .collect();
    // "Five members of one family", "5 of 12 passengers": a count after "of" that continues
    // another count's phrase is part of that phrase, not a figure of its own.
    for j in 1..cands.len() {
        let s = cands[j].quantity.start;
        // (And "13 rebels from the six families were among the dead": where the counted come
        // from is no figure of its own.)
        let from = if toks.norm(s - 1) == "the" { s.saturating_sub(2) } else { s - 1 };
        let link = if toks.norm(from) == "from" { from } else { s - 1 };
        if matches!(toks.norm(link), "of" | "from") && cands[..j].iter().any(|c| c.head.end == link) {
            cands[j].nested = true;
        }
    }
    let starts: Vec<usize> = cands.iter().map(|c| c.quantity.start).collect();
    for i in 0..cands.len() {
        let ctx = Ctx { toks, lex, sent: sent.clone(), starts: &starts, cands: &cands };
        let (relation, blocked) = ctx.own_relation(i);
        let (parent, subset_cue) = ctx.subset_parent(i);
        let c = &mut cands[i];
        c.relation = relation;
        c.blocked = blocked;
        c.parent = parent;
        c.subset_cue = subset_cue;
    }
    // A subset's kind may come from its parent, and a coordinated count's from a subset:
    // "including 1733 children 969 women and 3110 men".
    for _ in 0..2 {
        inherit_through_coordination(toks, &mut cands);
        inherit_from_parents(toks, &mut cands);
    }
    inherit_through_ellipsis(toks, &mut cands);
    cands
}

/// "a child", "an officer", "another child": a singular person noun stated with an
/// indefinite article.
fn article_quantities(toks: &Tokens, sent: Range<usize>, taken: &[Quantity], lex: &Lexicon) -> Vec<Quantity> {
    let inside = |k: usize| taken.iter().any(|q| (q.start..q.end).contains(&k));
    let mut out = Vec::new();
    for k in sent.clone() {
        if !matches!(toks.norm(k), "a" | "an" | "another") || inside(k) {
            continue;
        }
        // (A hyphenated name between counts as one word: "an Al-Nusra commander".)
        let glued = (k + 1..(k + 6).min(sent.end)).any(|m| toks.norm(m) == "-" && !toks.get(m).space_before);
        let reach = if glued { k + 6 } else { k + 4 };
        let noun = (k + 1..reach.min(sent.end)).find(|&n| is_singular_person(toks.norm(n), lex));
        let Some(noun) = noun else { continue };
        // Only adjectives may stand between the article and the noun.
        // (A number between is a count of its own: "another three people".)
        let clean = (k + 1..noun).all(|m| {
            let hyphen = toks.norm(m) == "-" && !toks.get(m).space_before;
            let word = toks.kind(m) == Some(TokKind::Word) && !lex.numbers.contains_key(toks.norm(m));
            hyphen || (word && !lex.is_cue(toks, m, Cue::Function))
        });
        let mut end = noun + 1;
        while end < sent.end && is_singular_person(toks.norm(end), lex) {
            end += 1;
        }
        // "a terrorist attack", "a civilian car": the noun modifies another, it counts nothing.
        let is_head =
            end >= sent.end || !is_modifier(toks, end, lex) || lex.triggers.longest_at(toks, end, sent.end).is_some();
        if clean && is_head {
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
    let collective = matches!(word, "family" | "police" | "elderly" | "personnel" | "more" | "other" | "member");
    !collective
        && !word.ends_with('s')
        && lex.noun(word).is_some_and(|n| matches!(n.class, NounClass::Victim(c) if c != VictimClass::Property))
}

/// Reads the noun phrase after a count: modifiers, the head noun, casualty words around it.
fn scan_head(toks: &Tokens, q: &Quantity, end: usize, lex: &Lexicon) -> Head {
    let mut head = Head { end: q.end, ..Head::default() };
    if q.form == QuantityForm::Article {
        let noun_start = (q.start + 1..q.end).find(|&k| lex.noun(toks.norm(k)).is_some()).unwrap_or(q.end - 1);
        add_noun_classes(toks, lex, noun_start..q.end, &mut head);
        head.tokens = Some(noun_start..q.end);
        head.postnominal = trigger_after(toks, q.end, end, lex);
        return head;
    }
    let mut k = q.end;
    // "dozens of people", "thousands of their vehicles", "14 of IS military vehicles"
    if toks.norm(k) == "of"
        && (q.form == QuantityForm::Vague || ends_with_scale(toks, q, lex) || of_objects(toks, k + 1, end, lex))
    {
        k += 1;
        while matches!(toks.norm(k), "the" | "their" | "its" | "his" | "her") {
            k += 1;
        }
    }
    let start = k;
    let (mut noun_end, mut last_word, mut steps, mut last_unit) = (None, None, 0, false);
    while k < end && steps < 8 {
        // "some 120 Daesh (banned in Russia) militants"
        if toks.norm(k) == "(" && noun_end.is_none() {
            let close = aside_end(toks, k, end);
            if close > k {
                k = close + 1;
                continue;
            }
        }
        // The longest reading usable after a count: "bodies" (a noun) rather than the frame
        // "bodies of".
        let usable = |(_, t): &(usize, &Trigger)| !matches!(t.form, Form::Of | Form::Toll);
        let mut readings = lex.triggers.matches_at(toks, k, end).peekable();
        if readings.peek().is_some() {
            let Some((n, trig)) = readings.find(usable) else { break };
            match trig.form {
                Form::Noun => {
                    head.trigger_noun = Some((*trig, k..k + n));
                    noun_end = Some(k + n);
                }
                Form::Part | Form::Adj if next_is_victim_noun(toks, k + n, lex) => {
                    head.premodifier = Some((*trig, k..k + n));
                    k += n;
                    steps += 1;
                    continue;
                }
                Form::Part | Form::Adj | Form::Intr => head.postnominal = Some((*trig, k..k + n)),
                Form::Ing if displacement_in_progress(toks, trig, k + n, end, lex) => {
                    head.postnominal = Some((*trig, k..k + n))
                }
                _ => {}
            }
            break;
        }
        // A unit noun makes the phrase a size or an event count ("three air raids", "5 km")
        // unless a victim noun follows it ("two mortar positions").
        if is_dateline(toks, k) {
            break;
        }
        match lex.noun(toks.norm(k)).map(|n| &n.class) {
            Some(NounClass::Unit) if noun_end.is_none() => {
                if steps == 0 && !next_is_victim_noun(toks, k + 1, lex) {
                    head.is_unit = true;
                    return head;
                }
                last_unit = true;
            }
            Some(NounClass::Victim(_)) => {
                last_unit = false;
                noun_end = Some(k + 1);
                k += 1;
                steps += 1;
                continue;
            }
            _ => {}
        }
        let new_count = toks.kind(k) == Some(TokKind::Number)
            || lex.numbers.contains_key(toks.norm(k))
            || lex.vague.longest_at(toks, k, end).is_some()
            || lex.qualifiers.longest_at(toks, k, end).is_some();
        if new_count {
            break;
        }
        // "regime and rebel fighters", "civilians and soldiers": one coordinated phrase.
        if matches!(toks.norm(k), "and" | "or" | "&") && continues_phrase(toks, k + 1, end, lex) {
            k += 1;
            steps += 1;
            continue;
        }
        if noun_end.is_some() || !is_modifier(toks, k, lex) {
            break;
        }
        k += 1;
        if toks.kind(k - 1) == Some(TokKind::Word) {
            last_word = Some(k);
        }
        steps += 1;
    }
    if last_unit && noun_end.is_none() {
        head.is_unit = true;
        return head;
    }
    // A noun tally does not know ("VBIEDs", "heads") still names what was counted.
    let known = noun_end.is_some();
    if let Some(ne) = noun_end.or(last_word) {
        if known {
            add_noun_classes(toks, lex, start..ne, &mut head);
        }
        if head.class == Some(VictimClass::Unknown) && names_armed_org(toks, start, ne, end, lex) {
            head.class = Some(VictimClass::Combatant);
        }
        head.tokens = Some(start..ne);
        head.end = ne;
        if head.postnominal.is_none() && head.trigger_noun.is_none() {
            head.postnominal = trigger_after(toks, ne, end, lex);
        }
    }
    head
}

/// "23 DAESH members", "18 members of the Syrian Democratic Forces": people counted as
/// members of an armed organisation are combatants.
fn names_armed_org(toks: &Tokens, start: usize, head_end: usize, end: usize, lex: &Lexicon) -> bool {
    let of_phrase =
        if toks.norm(head_end) == "of" { head_end + 1..(head_end + 8).min(end) } else { head_end..head_end };
    let limit = of_phrase.end.max(head_end);
    (start..head_end).chain(of_phrase).any(|k| lex.cue_at(toks, k, limit, Cue::ArmedOrg).is_some())
}

/// After "of": a phrase whose noun is an object ("of IS military vehicles"), so the count
/// counts those objects rather than a subset of people.
fn of_objects(toks: &Tokens, k: usize, end: usize, lex: &Lexicon) -> bool {
    (k..end.min(k + 6))
        .take_while(|&m| is_modifier(toks, m, lex) || matches!(toks.norm(m), "the" | "their" | "its"))
        .any(|m| lex.noun(toks.norm(m)).is_some_and(|n| n.class == NounClass::Victim(VictimClass::Property)))
}

fn ends_with_scale(toks: &Tokens, q: &Quantity, lex: &Lexicon) -> bool {
    matches!(lex.numbers.get(toks.norm(q.end - 1)), Some((_, NumRole::Scale | NumRole::Dozen)))
}

/// A participle or adjective directly after the noun phrase: "12 civilians killed".
fn trigger_after(toks: &Tokens, k: usize, end: usize, lex: &Lexicon) -> Option<(Trigger, Range<usize>)> {
    let (n, trig) = lex.triggers.longest_at(toks, k, end)?;
    matches!(trig.form, Form::Part | Form::Adj).then(|| (*trig, k..k + n))
}

fn next_is_victim_noun(toks: &Tokens, k: usize, lex: &Lexicon) -> bool {
    lex.noun(toks.norm(k)).is_some_and(|n| matches!(n.class, NounClass::Victim(_)))
}

fn w_is_acronym(toks: &Tokens, k: usize) -> bool {
    let len = toks.norm(k).len();
    (2..=5).contains(&len) && toks.raw_is_upper(k)
}

/// "MOSCOW (Sputnik)", "BEIRUT -": a dateline names where a story was filed, and ends any
/// phrase before it.
fn is_dateline(toks: &Tokens, k: usize) -> bool {
    let w = toks.norm(k);
    let t = toks.get(k.min(toks.len() - 1));
    let all_caps = toks.kind(k) == Some(TokKind::Word) && t.upper && w.len() >= 3 && toks.raw_is_upper(k);
    all_caps && matches!(toks.norm(k + 1), "(" | "-")
}

/// A count or a determiner starts at `k`: what follows an -ing verb is its object.
fn starts_object(toks: &Tokens, k: usize, end: usize, lex: &Lexicon) -> bool {
    toks.kind(k) == Some(TokKind::Number)
        || lex.numbers.contains_key(toks.norm(k))
        || lex.vague.longest_at(toks, k, end).is_some()
        || matches!(toks.norm(k), "a" | "an" | "the" | "all" | "many" | "some" | "others" | "other")
}

/// "4,000 people fleeing the fighting": an -ing form after its subject reports displacement;
/// "4 citizens injuring many others" is a verb with its own object.
fn displacement_in_progress(toks: &Tokens, trig: &Trigger, after: usize, end: usize, lex: &Lexicon) -> bool {
    trig.kind == Kind::Displaced && !starts_object(toks, after, end, lex)
}

/// After "and": the noun phrase goes on ("rebel fighters"), rather than a new count or verb.
fn continues_phrase(toks: &Tokens, k: usize, end: usize, lex: &Lexicon) -> bool {
    k < end
        && toks.kind(k) == Some(TokKind::Word)
        && !starts_object(toks, k, end, lex)
        && lex.triggers.longest_at(toks, k, end).is_none()
        && (next_is_victim_noun(toks, k, lex) || is_modifier(toks, k, lex))
}

/// The last token of an aside opened at `k` by "(" or a spaced dash, or `k` itself.
fn aside_end(toks: &Tokens, k: usize, end: usize) -> usize {
    let close = match toks.norm(k) {
        "(" => ")",
        "-" if toks.get(k).space_before => "-",
        _ => return k,
    };
    (k + 1..end.min(k + 14)).find(|&m| toks.norm(m) == close).unwrap_or(k)
}

/// Words that may modify a head noun: adjectives, names, hyphen parts ("pro-government").
fn is_modifier(toks: &Tokens, k: usize, lex: &Lexicon) -> bool {
    match toks.kind(k) {
        // Acronyms name things: "IS", "SDF", "YPG".
        Some(TokKind::Word) if w_is_acronym(toks, k) => true,
        Some(TokKind::Word) => {
            let w = toks.norm(k);
            // "foreign-sponsored", "US-backed": a participle glued to a hyphen is an adjective.
            let compound =
                k > 0 && toks.norm(k - 1) == "-" && !toks.get(k - 1).space_before && !toks.get(k).space_before;
            let verb_like = (w.ends_with("ed") || w.ends_with("ing")) && !compound && !lex.is_cue(toks, k, Cue::AdjEd);
            let closed = Cue::Function as u32
                | Cue::SubsetBefore as u32
                | Cue::Include as u32
                | Cue::Aux as u32
                | Cue::ClauseStop as u32
                | Cue::Modal as u32
                | Cue::Negation as u32;
            !verb_like && lex.cues.longest_at(toks, k, k + 1).is_none_or(|(_, bits)| bits & closed == 0)
        }
        // "pro-government", and editors' brackets: "up to 80 [Daesh] fighters"
        Some(TokKind::Punct) => (toks.norm(k) == "-" && !toks.get(k).space_before) || matches!(toks.norm(k), "[" | "]"),
        _ => false,
    }
}

fn add_noun_classes(toks: &Tokens, lex: &Lexicon, range: Range<usize>, head: &mut Head) {
    let (mut civilian, mut combatant, mut property) = (false, false, false);
    for k in range {
        let Some(noun) = lex.noun(toks.norm(k)) else { continue };
        match noun.class {
            NounClass::Victim(VictimClass::Civilian) => civilian = true,
            NounClass::Victim(VictimClass::Combatant) => combatant = true,
            NounClass::Victim(VictimClass::Property) => property = true,
            _ => {}
        }
        if let Some(g) = &noun.group {
            if !head.groups.contains(g) {
                head.groups.push(g.clone());
            }
        }
    }
    head.class = Some(match (civilian, combatant, property) {
        (true, true, _) => VictimClass::Mixed,
        (true, false, _) => VictimClass::Civilian,
        (false, true, _) => VictimClass::Combatant,
        (false, false, true) => VictimClass::Property,
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

type Rule<'a> = fn(&Ctx<'a>, usize) -> Option<(Relation, bool)>;

impl<'a> Ctx<'a> {
    /// The first rule that relates candidate `i` to a casualty word, and whether the
    /// sentence blocks it (negated or hypothetical).
    fn own_relation(&self, i: usize) -> (Option<Relation>, bool) {
        if self.after_non_event(i) {
            return (None, false);
        }
        let rules: [Rule<'a>; 9] = [
            Self::head_noun,
            Self::postnominal,
            Self::adjacent_verb_object,
            Self::predicate,
            Self::premodifier,
            Self::include_frame,
            Self::verb_object,
            Self::toll_frame,
            Self::list_object,
        ];
        for rule in rules {
            if let Some((rel, blocked)) = rule(self, i) {
                if let Some(rel) = fit(&self.cands[i].head, rel) {
                    return (Some(rel), blocked);
                }
            }
        }
        (None, false)
    }

    fn rel(trig: &Trigger, cue: Range<usize>, rule: &'static str) -> Relation {
        Relation { kind: trig.kind, ambiguous: trig.ambiguous, rule, cue: Some(cue), converted: false }
    }

    /// Start of the words in front of a count, past "another", "all", "a further".
    fn before_extras(&self, start: usize) -> usize {
        let mut at = start;
        for _ in 0..2 {
            let lo = at.saturating_sub(3).max(self.sent.start);
            match self.lex.cue_ending_at(self.toks, lo, at, Cue::Another) {
                Some(n) => at -= n,
                None => break,
            }
        }
        at
    }

    /// "released 250 detainees", "saved the lives of 100": not harm done.
    fn after_non_event(&self, i: usize) -> bool {
        let at = self.before_extras(self.cands[i].quantity.start);
        at > self.sent.start && self.lex.is_cue(self.toks, at - 1, Cue::NonEvent)
    }

    /// "112 deaths", "30 casualties"
    fn head_noun(&self, i: usize) -> Option<(Relation, bool)> {
        let (trig, cue) = self.cands[i].head.trigger_noun.clone()?;
        Some((Self::rel(&trig, cue, "head-noun"), false))
    }

    /// "13 dead", "12 civilians killed", "left a child dead". In "killed 30 people injured 90"
    /// the word after the noun has an object of its own, and the verb before the count wins.
    fn postnominal(&self, i: usize) -> Option<(Relation, bool)> {
        let (trig, cue) = self.cands[i].head.postnominal.clone()?;
        if starts_object(self.toks, cue.end, self.sent.end, self.lex) && self.verb_object(i).is_some() {
            return None;
        }
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

    /// Past an inserted subset ("among them nine children", "including women"), from its cue,
    /// and past a list of them: "including five children and two women", "including a child
    /// and a woman".
    fn skip_insertion(&self, k: usize) -> Option<usize> {
        let n = self.lex.cue_at(self.toks, k, self.sent.end, Cue::SubsetBefore)?;
        let mut k = k + n;
        if let Some(j) = self.candidate_at(k) {
            let mut end = self.cands[j].head.end;
            while matches!(self.toks.norm(end), "and" | ",") {
                match self.candidate_at(end + 1) {
                    Some(next) => end = self.cands[next].head.end,
                    None => break,
                }
            }
            return Some(end);
        }
        let mut words = 0;
        while words < 6 && (next_is_victim_noun(self.toks, k, self.lex) || matches!(self.toks.norm(k), "and" | ",")) {
            k += 1;
            words += 1;
        }
        Some(k)
    }

    /// "27 people, among them nine children, were killed", "4,000 families have fled",
    /// "Dozens were reported missing", "6786 individuals who had died".
    fn predicate(&self, i: usize) -> Option<(Relation, bool)> {
        let (toks, lex) = (self.toks, self.lex);
        let end = self.sent.end;
        let head_end = self.cands[i].head.end;
        // "(200) 2510 The US missile strike … killed four children": a bare number before a
        // capitalised determiner ends something else (a page's view counter) and counts
        // nothing of the sentence that starts there. ("Bringing to 45 the number killed" is
        // a toll.)
        if self.cands[i].head.tokens.is_none() && head_end < end && crate::segment::opens_sentence(toks, head_end) {
            return None;
        }
        let (mut k, mut blocked, mut content, mut seen) = (head_end, false, 0, 0);
        while k < end && seen < 18 {
            seen += 1;
            if let Some(next) = self.skip_insertion(k) {
                k = next;
                continue;
            }
            if let Some((n, trig)) = lex.triggers.longest_at(toks, k, end) {
                let active = trig.form == Form::Ing && !displacement_in_progress(toks, trig, k + n, end, lex);
                return (trig.form.follows_subject() && !active)
                    .then(|| (Self::rel(trig, k..k + n, "predicate"), blocked));
            }
            if let Some(j) = self.candidate_at(k) {
                if !self.cands[j].nested {
                    return None;
                }
                k = self.cands[j].head.end;
                continue;
            }
            let w = toks.norm(k);
            if lex.is_cue(toks, k, Cue::Subject) || is_dateline(toks, k) {
                return None;
            } else if lex.is_cue(toks, k, Cue::Modal) || lex.is_cue(toks, k, Cue::Negation) {
                blocked = true;
            } else if lex.is_cue(toks, k, Cue::Aux) || lex.is_cue(toks, k, Cue::Function) {
            } else if k == head_end && matches!(w, "who" | "that" | "which") {
                // A relative clause on the counted people: "individuals who had died" reads on;
                // "fighters who guarded the buses were killed" resumes at its main verb.
                if let Some(resume) = self.after_relative_clause(k + 1) {
                    k = resume;
                    continue;
                }
            } else if matches!(w, "and" | "or") && continues_phrase(toks, k + 1, end, lex) {
            } else if lex.is_cue(toks, k, Cue::ClauseStop) {
                return None;
            } else {
                match toks.kind(k) {
                    Some(TokKind::Punct) => match w {
                        "," | "\"" => {}
                        "(" | "-" => k = aside_end(toks, k, end),
                        _ => return None,
                    },
                    Some(TokKind::Number | TokKind::Alnum) => {}
                    Some(TokKind::Word) if is_modifier(toks, k, lex) => {
                        content += 1;
                        if content > 8 {
                            return None;
                        }
                    }
                    _ => return None,
                }
            }
            k += 1;
        }
        None
    }

    /// Where the main clause resumes after a relative clause starting at `k` that has a verb
    /// of its own: the first auxiliary followed (through more auxiliaries) by a casualty word.
    fn after_relative_clause(&self, k: usize) -> Option<usize> {
        let (toks, lex, end) = (self.toks, self.lex, self.sent.end);
        if lex.is_cue(toks, k, Cue::Aux) || lex.triggers.longest_at(toks, k, end).is_some() {
            return None;
        }
        (k + 1..end.min(k + 9)).take_while(|&m| self.candidate_at(m).is_none()).find(|&m| {
            let mut a = m;
            while a < end && lex.is_cue(toks, a, Cue::Aux) {
                a += 1;
            }
            a > m && lex.triggers.longest_at(toks, a, end).is_some_and(|(_, t)| t.form.follows_subject())
        })
    }

    /// "Among the dead were 22 children", "Victims include 8 children".
    fn include_frame(&self, i: usize) -> Option<(Relation, bool)> {
        let (trig, cue) = self.included_in(i)?;
        Some((Self::rel(&trig, cue, "include-frame"), false))
    }

    /// The casualty word of an include frame before count `i` ("Those killed overnight
    /// included 12", "Among the wounded in al-Baath city were four"), up to four words back.
    fn included_in(&self, i: usize) -> Option<(Trigger, Range<usize>)> {
        let k = self.include_start(i)?;
        let lo = k.saturating_sub(6).max(self.sent.start);
        (lo..k).rev().take_while(|&t| k - t <= 6 && self.candidate_at(t).is_none()).find_map(|t| {
            let (n, trig) = self.lex.triggers.longest_at(self.toks, t, k)?;
            let plain =
                (t + n..k).all(|m| is_modifier(self.toks, m, self.lex) || self.lex.is_cue(self.toks, m, Cue::Function));
            (matches!(trig.form, Form::Noun | Form::Adj | Form::Part) && plain).then(|| (*trig, t..t + n))
        })
    }

    /// Where the "were" / "include" words in front of count `i` start, if there are any.
    fn include_start(&self, i: usize) -> Option<usize> {
        let mut k = self.cands[i].quantity.start;
        let mut skipped = 0;
        while skipped < 2 && k > self.sent.start && self.lex.is_cue(self.toks, k - 1, Cue::Include) {
            k -= 1;
            skipped += 1;
        }
        (skipped > 0).then_some(k)
    }

    /// A verb right before the count takes it as object before any reading to its right:
    /// "killed 14 people including three children fleeing across the river".
    fn adjacent_verb_object(&self, i: usize) -> Option<(Relation, bool)> {
        let (rel, blocked) = self.verb_object(i)?;
        let at = self.before_extras(self.cands[i].quantity.start);
        (rel.cue.as_ref().is_some_and(|c| c.end == at) && rel.rule == "verb-object").then_some((rel, blocked))
    }

    /// "killing at least 7", "Blast kills six", "killed another 12", "the bodies of 15".
    fn verb_object(&self, i: usize) -> Option<(Relation, bool)> {
        let (toks, lex) = (self.toks, self.lex);
        let at = self.before_extras(self.cands[i].quantity.start);
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

    /// A count further down a verb's list of objects: "destroyed a tank two rocket launchers
    /// and three cannons", "killed a man and his two sons". Only nouns, their modifiers,
    /// articles, numbers, "and" and commas may stand between the verb and the count.
    fn list_object(&self, i: usize) -> Option<(Relation, bool)> {
        let (toks, lex) = (self.toks, self.lex);
        if !self.after_list_item(i) {
            return None;
        }
        let q = &self.cands[i].quantity;
        let lo = q.start.saturating_sub(12).max(self.sent.start);
        let mut k = q.start;
        while k > lo {
            let m = k - 1;
            if let Some((n, trig)) =
                lex.triggers.longest_ending_where(toks, m.saturating_sub(3).max(lo), k, |t| t.form.takes_object())
            {
                return (k < q.start).then(|| (Self::rel(trig, k - n..k, "list-object"), false));
            }
            let w = toks.norm(m);
            let item = matches!(w, "a" | "an" | "and" | "," | "his" | "her" | "their" | "its")
                || toks.kind(m) == Some(TokKind::Number)
                || lex.numbers.contains_key(w)
                || (is_modifier(toks, m, lex) && !lex.is_cue(toks, m, Cue::Month) && !is_dateline(toks, m));
            if !item {
                return None;
            }
            k = m;
        }
        None
    }

    /// The words before count `i` end a list item: a known noun, "and" or a comma.
    fn after_list_item(&self, i: usize) -> bool {
        let q = self.cands[i].quantity.start;
        q > self.sent.start && {
            let w = self.toks.norm(q - 1);
            matches!(w, "and" | ",") || self.lex.noun(w).is_some()
        }
    }

    /// "the death toll from Tuesday's strike has risen to 112", "a toll of 112", "the number
    /// of members of the Russian forces killed in Syria to 18".
    fn toll_frame(&self, i: usize) -> Option<(Relation, bool)> {
        let (toks, lex) = (self.toks, self.lex);
        let q = &self.cands[i].quantity;
        // "has risen to 82", "stands at 70": a linking word right before the count lets the
        // toll stand further back.
        let linked = q.start > self.sent.start
            && matches!(toks.norm(q.start - 1), "to" | "at" | "reached" | "reaching" | "hit" | "topped" | "exceeded");
        let (reach, max_loose) = if linked { (28, 16) } else { (16, 6) };
        let lo = q.start.saturating_sub(reach).max(self.sent.start);
        let (mut loose, mut inner) = (0, None);
        for k in (lo..q.start).rev() {
            // A count between ends the reach, unless it counts nothing ("the death toll in the
            // attack on buses from two besieged towns has risen to 112").
            let between = |c: &Candidate| c.quantity.end > k && c.quantity.end <= q.start;
            if self.cands.iter().any(|c| between(c) && (c.relation.is_some() || !linked)) {
                return None;
            }
            // The longest toll phrase whose last word is `k`: "death toll", not just "toll".
            let from = k.saturating_sub(3).max(self.sent.start);
            if let Some((n, trig)) = lex.triggers.longest_ending_where(toks, from, k + 1, |t| t.form == Form::Toll) {
                return Some((Self::rel(trig, k + 1 - n..k + 1, "toll-frame"), false));
            }
            if lex.is_cue(toks, k, Cue::TollHead) && toks.norm(k + 1) == "of" {
                return inner.map(|(trig, cue)| (Self::rel(&trig, cue, "toll-frame"), false));
            }
            if let Some((n, trig)) = lex.triggers.longest_at(toks, k, q.start) {
                if matches!(trig.form, Form::Part | Form::Adj | Form::Noun) {
                    inner = Some((*trig, k..k + n));
                }
            }
            let w = toks.norm(k);
            if (lex.is_cue(toks, k, Cue::ClauseStop) && w != "and") || matches!(w, "." | ";" | ":") {
                return None;
            }
            let linking = [Cue::TollLink, Cue::Function, Cue::Aux].into_iter().any(|c| lex.is_cue(toks, k, c));
            if !linking {
                loose += 1;
                if loose > max_loose {
                    return None;
                }
            }
        }
        None
    }

    /// Subset cues: "including 48 women", "five of them", "68 children were among the 126
    /// people killed", "109 of the dead", "Among the dead were 22 children".
    fn subset_parent(&self, i: usize) -> (Option<Parent>, Option<&'static str>) {
        let (toks, lex) = (self.toks, self.lex);
        let c = &self.cands[i];
        let q = &c.quantity;
        let lo = q.start.saturating_sub(3).max(self.sent.start);
        if lex.cue_ending_at(toks, lo, q.start, Cue::SubsetBefore).is_some() {
            let parent = (0..i).rev().find(|&j| self.cands[j].parent.is_none());
            return (parent.map(Parent::Candidate).or(Some(Parent::Latest)), Some("subset-before"));
        }
        // "including five children and two women": the list goes on under the same parent.
        if let Some(prev) = i.checked_sub(1).map(|j| &self.cands[j]).filter(|p| p.subset_cue == Some("subset-before")) {
            let gap = prev.head.end..q.start;
            let listed = gap.len() <= 2 && gap.clone().all(|k| matches!(toks.norm(k), "and" | ","));
            if listed && prev.parent.is_none_or(|p| may_hold(self.cands, p, q)) {
                return (prev.parent, Some("subset-before"));
            }
        }
        if let Some(kind) = self.among_the_dead(i) {
            return (Some(Parent::LatestOfKind(kind)), Some("subset-among-the"));
        }
        // After the count (past "were" and insertions): "of them", "of the dead", "among the 126".
        let mut k = if toks.norm(q.end) == "of" { q.end } else { c.head.end };
        loop {
            if let Some(next) = self.skip_insertion(k) {
                k = next;
            } else if k < self.sent.end && lex.is_cue(toks, k, Cue::Aux) {
                k += 1;
            } else {
                break;
            }
        }
        let Some(n) = lex.cue_at(toks, k, self.sent.end, Cue::SubsetAfter) else { return (None, None) };
        let after = k + n;
        if let Some(j) = self.candidate_at(after).filter(|&j| j != i) {
            return (Some(Parent::Candidate(j)), Some("subset-among"));
        }
        if let Some((_, trig)) = lex.triggers.longest_at(toks, after, self.sent.end) {
            return (Some(Parent::LatestOfKind(trig.kind)), Some("subset-of-the"));
        }
        if matches!(toks.norm(k + 1), "them" | "whom") {
            // "killed 12 people, five of them children": the parent is the count before.
            let before = (0..i).rev().find(|&j| self.cands[j].parent.is_none());
            return (Some(before.map_or(Parent::Latest, Parent::Candidate)), Some("subset-of-them"));
        }
        (None, None)
    }

    /// "Among the dead were 22 children": the kind of the dead the count is among.
    fn among_the_dead(&self, i: usize) -> Option<Kind> {
        let (trig, cue) = self.included_in(i)?;
        let mut t = cue.start;
        if t > self.sent.start && matches!(self.toks.norm(t - 1), "the" | "those") {
            t -= 1;
        }
        (t > self.sent.start && self.toks.norm(t - 1) == "among").then_some(trig.kind)
    }
}

/// Whether a relation fits what was counted: damage counts objects, every other kind
/// counts people. A damage verb on fighters ("80 fighters were destroyed") reports deaths.
fn fit(head: &Head, rel: Relation) -> Option<Relation> {
    let objects = head.class == Some(VictimClass::Property) || (head.class.is_none() && head.tokens.is_some());
    if rel.kind.counts_objects() {
        if objects {
            Some(rel)
        } else if head.class == Some(VictimClass::Combatant) {
            Some(Relation { kind: Kind::Killed, converted: true, ..rel })
        } else {
            None
        }
    } else if head.class == Some(VictimClass::Property) && head.trigger_noun.is_none() {
        None
    } else {
        Some(rel)
    }
}

/// Whether `parent` may hold `part` as a subset: a count larger than its parent is no part of
/// it ("killed 12 civilians including three children and 40 soldiers").
fn may_hold(cands: &[Candidate], parent: Parent, part: &Quantity) -> bool {
    match parent {
        Parent::Candidate(m) => cands[m].quantity.low >= part.low,
        _ => true,
    }
}

/// Counts joined by "and", "or" or commas share the casualty word of their neighbour:
/// "killing 12 civilians and 5 soldiers", "1,200 homes, 14 schools and three hospitals were
/// destroyed".
fn inherit_through_coordination(toks: &Tokens, cands: &mut [Candidate]) {
    let joined = |a: &Candidate, b: &Candidate| {
        let mut k = a.head.end;
        if toks.norm(k) == "(" {
            k = aside_end(toks, k, b.quantity.start) + 1;
        }
        let gap = k..b.quantity.start;
        if gap.is_empty() {
            // "kill 120 ISIS fighters over 60 foreign mercenaries": two noun phrases in a row
            return a.head.tokens.is_some() && b.head.tokens.is_some();
        }
        // ("A woman and her three children": a possessive before the next count; "… in
        // addition to five patients".)
        let in_addition = gap.len() == 3 && gap.clone().map(|k| toks.norm(k)).eq(["in", "addition", "to"]);
        if in_addition
            || gap.len() <= 3
                && gap.clone().all(|k| {
                    matches!(toks.norm(k), "," | "and" | "or" | "as" | "well" | "plus" | "&" | "her" | "his" | "their")
                })
        {
            return true;
        }
        // "22 children had been killed along with six teachers": the second count shares
        // the fate the first one's casualty word just told.
        let companion = |k: usize| matches!(toks.norm(k), "along" | "together") && toks.norm(k + 1) == "with";
        let told = |cue: &Range<usize>| {
            gap.start <= cue.start
                && cue.end + 2 == gap.end
                && (gap.start..cue.start)
                    .all(|k| matches!(toks.norm(k), "had" | "have" | "has" | "been" | "were" | "was"))
        };
        companion(gap.end.saturating_sub(2)) && a.relation.as_ref().and_then(|r| r.cue.as_ref()).is_some_and(told)
    };
    for forward in [true, false] {
        let order: Vec<usize> =
            if forward { (1..cands.len()).collect() } else { (0..cands.len().saturating_sub(1)).rev().collect() };
        for i in order {
            if cands[i].relation.is_some() || cands[i].blocked {
                continue;
            }
            let j = if forward { i - 1 } else { i + 1 };
            let (a, b) = if forward { (&cands[j], &cands[i]) } else { (&cands[i], &cands[j]) };
            if !joined(a, b) {
                continue;
            }
            let Some(rel) = cands[j].relation.clone() else { continue };
            let Some(rel) = fit(&cands[i].head, Relation { rule: "coordination", ..rel }) else { continue };
            let parent = cands[j].parent.filter(|&p| may_hold(cands, p, &cands[i].quantity));
            let c = &mut cands[i];
            c.relation = Some(rel);
            if c.parent.is_none() {
                c.parent = parent;
            }
        }
    }
}

/// A bare count followed by a place, after a related one, shares its kind: "150 bodies were
/// counted in Hammouriya, 100 in Kfar Batna", "killed 45 civilians in Aleppo and 22 in Idlib".
fn inherit_through_ellipsis(toks: &Tokens, cands: &mut [Candidate]) {
    for i in 1..cands.len() {
        let c = &cands[i];
        let stated = matches!(c.quantity.form, QuantityForm::Digits | QuantityForm::Words);
        if c.relation.is_some() || c.blocked || c.head.tokens.is_some() || !stated {
            continue;
        }
        if !matches!(toks.norm(c.quantity.end), "in" | "at" | "near" | "from" | "on" | "inside") {
            continue;
        }
        let near = |j: usize| c.quantity.start - cands[j].quantity.end <= 12;
        let Some(j) = (0..i)
            .rev()
            .take_while(|&j| near(j))
            .find(|&j| cands[j].relation.as_ref().is_some_and(|r| !r.kind.counts_objects()))
        else {
            continue;
        };
        let rel = cands[j].relation.clone().map(|r| Relation { rule: "ellipsis", ..r });
        cands[i].relation = rel;
    }
}

/// A subset takes its parent's kind when it has none of its own, when it counts things
/// tally has no class for ("nine natives ... were destroyed" under "80 fighters"), or when
/// its own word only tells what its people were doing ("killed 14 people including three
/// children fleeing across the river": the children were killed, not displaced).
fn inherit_from_parents(toks: &Tokens, cands: &mut [Candidate]) {
    for i in 0..cands.len() {
        let unknown_things = cands[i].head.tokens.is_some() && cands[i].head.class.is_none();
        let doing = cands[i].relation.as_ref().is_some_and(|r| {
            r.rule == "postnominal" && r.cue.as_ref().is_some_and(|c| toks.norm(c.start).ends_with("ing"))
        });
        if cands[i].relation.is_some() && !unknown_things && !doing {
            continue;
        }
        if let Some(Parent::Candidate(j)) = cands[i].parent {
            if let Some(rel) = cands[j].relation.clone() {
                cands[i].relation = Some(Relation { rule: "subset", ..rel });
            }
        }
    }
}
