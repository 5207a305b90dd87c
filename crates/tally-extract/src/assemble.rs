//! Turns related count phrases into claim records: spans, counts, victims, running totals,
//! subset links across the document, and the `why` trail.

use crate::context::lexicon::Cues;
use crate::context::{self, Block, DocContext};
use crate::lexicon::{Cue, Lexicon};
use crate::relate::{relate_sentence, Candidate, Parent};
use crate::segment::{blocks, sentences};
use crate::token::Tokens;
use crate::why_tag;
use std::collections::VecDeque;
use std::ops::Range;
use tally_core::{Claim, Document, Kind, Mention, SourceRef, Stance, TimeRef, VictimClass, Victims, WAR_SIZED};
use tally_gazetteer::Gazetteer;

/// How far back (in sentences) "five of them" or "109 of the dead" may find its parent.
const PARENT_WINDOW: usize = 3;

/// A claim being built, with what is needed to resolve its parent.
struct Draft {
    claim: Claim,
    parent: Option<Parent>,
    /// Index of the candidate in its sentence, for `Parent::Candidate` links.
    candidate: usize,
}

/// What later sentences need to know of an emitted claim to find a subset's parent.
struct Emitted {
    index: usize,
    sentence: usize,
    kind: Kind,
    ambiguous: bool,
    top_level: bool,
    whole: Whole,
}

/// What a part of a figure said without it ("Among the dead were 22 children") shares with
/// its whole: the same voice gives it, of the same harm, done at the same time.
#[derive(Default, Clone)]
struct Whole {
    source: Option<SourceRef>,
    perpetrator: Option<Mention>,
    time: Option<TimeRef>,
}

impl Whole {
    fn of(c: &Claim) -> Whole {
        Whole { source: c.source.clone(), perpetrator: c.perpetrator.clone(), time: c.time.clone() }
    }

    /// Fills what `part` does not say itself.
    fn share(self, part: &mut Claim) {
        if let (None, Some(source)) = (&part.source, self.source) {
            part.source = Some(source);
            part.why.push("source:part-of".into());
        }
        if let (None, Some(perpetrator)) = (&part.perpetrator, self.perpetrator) {
            part.perpetrator = Some(perpetrator);
            part.why.push("perpetrator:part-of".into());
        }
        if let (None, Some(time)) = (&part.time, self.time) {
            part.time = Some(time);
            part.why.push("time:part-of".into());
        }
    }
}

/// The claims a subset's parent may be among: this sentence's drafts so far, then the
/// recent sentences' claims, latest first.
struct Known<'a> {
    current: &'a [Draft],
    first_index: usize,
    recent: &'a VecDeque<Emitted>,
    sentence: usize,
}

impl Known<'_> {
    /// (claim index, kind, ambiguous) of the latest top-level claim that `parent` allows.
    fn latest(&self, parent: Parent) -> Option<(usize, Kind, bool)> {
        let wanted = |kind: Kind| match parent {
            Parent::LatestOfKind(k) => k == kind,
            Parent::Latest => true,
            Parent::Candidate(_) => false,
        };
        let here = self.current.iter().enumerate().rev().find_map(|(i, d)| {
            let kind = d.claim.kind?;
            (d.parent.is_none() && d.claim.count.is_some() && wanted(kind)).then_some((i, kind, d.claim.ambiguous))
        });
        if let Some((i, kind, ambiguous)) = here {
            return Some((self.first_index + i, kind, ambiguous));
        }
        self.recent
            .iter()
            .rev()
            .take_while(|e| e.sentence + PARENT_WINDOW >= self.sentence)
            .find(|e| e.top_level && wanted(e.kind))
            .map(|e| (e.index, e.kind, e.ambiguous))
    }
}

/// Hands claims to the caller one sentence late, so that a sentence such as "The figures
/// could not be independently verified" can still mark the figures before it.
struct Emitter<'a> {
    sink: &'a mut dyn FnMut(Claim),
    pending: Vec<(usize, Claim)>,
    recent: VecDeque<Emitted>,
    next_index: usize,
}

impl Emitter<'_> {
    fn flush(&mut self) {
        for (_, claim) in self.pending.drain(..) {
            (self.sink)(claim);
        }
    }

    /// Queues this sentence's claims (their indices were given when they were drafted).
    fn push(&mut self, drafts: Vec<Draft>, sentence: usize) {
        self.flush();
        for d in drafts {
            let kind = d.claim.kind.unwrap_or(Kind::Killed);
            let top_level = d.parent.is_none() && d.claim.count.is_some();
            let index = self.next_index;
            // Only a top-level figure is ever a later part's whole.
            let whole = if top_level { Whole::of(&d.claim) } else { Whole::default() };
            let ambiguous = d.claim.ambiguous;
            self.recent.push_back(Emitted { index, sentence, kind, ambiguous, top_level, whole });
            self.pending.push((index, d.claim));
            self.next_index += 1;
        }
        while self.recent.front().is_some_and(|e| e.sentence + PARENT_WINDOW < sentence) {
            self.recent.pop_front();
        }
    }

    /// "… could not be independently verified" after the figures it speaks of.
    fn dispute_pending(&mut self, cue: &str) {
        for (_, c) in self.pending.iter_mut().filter(|(_, c)| c.count.is_some()) {
            c.stance = Stance::Disputed;
            c.why.push(format!("stance:{cue} (next sentence)"));
        }
    }
}

/// Calls `sink` with every claim of `doc`, in text order, as each sentence is done (one
/// sentence late); memory holds one block of tokens and a few sentences of claims, however
/// long the document. Returns what the reading found about the document as a whole.
pub fn extract_claims(doc: &Document, lex: &Lexicon, gaz: &'static Gazetteer, sink: &mut dyn FnMut(Claim)) -> DocFacts {
    let text = doc.text.as_str();
    let mut out = Emitter { sink, pending: Vec::new(), recent: VecDeque::new(), next_index: 0 };
    let mut context: Option<DocContext> = None;
    let mut si = 0;
    for block in blocks(text) {
        let toks = Tokens::at(&text[block.clone()], block.start);
        let sents = sentences(&toks, lex);
        let cues = Cues::new(&toks, context::lexicon::english(), lex);
        let dc = context.get_or_insert_with(|| DocContext::new(doc, &toks, gaz, &cues));
        dc.start_block();
        for sent in sents {
            let cands = relate_sentence(&toks, sent.clone(), lex, &cues);
            let has_figures = cands.iter().any(|c| c.relation.is_some() || c.parent.is_some());
            let block = Block { text, toks: &toks, cues: &cues, lex };
            let sc = dc.read_sentence(&block, sent.clone(), si, has_figures);
            let mut drafts: Vec<Draft> = Vec::new();
            for (ci, cand) in cands.iter().enumerate() {
                let known = Known { current: &drafts, first_index: out.next_index, recent: &out.recent, sentence: si };
                if let Some(mut draft) = draft(doc, &toks, lex, &sent, ci, cand, &known) {
                    dc.attach(&block, &mut draft.claim, cand, &sc, &sent);
                    drafts.push(draft);
                }
            }
            resolve_parents(&mut drafts, out.next_index, &out.recent, si);
            share_running_total(&toks, lex, &cands, &mut drafts);
            if let (Some(cue), true) = (&sc.stance.disputed, drafts.is_empty()) {
                let [s, e] = toks.span(cue.start, cue.end);
                out.dispute_pending(&text[s..e]);
            }
            if let Some(cue) = &sc.stance.denied {
                let record = denial(doc, &block, &sent, cue, &drafts, &out, dc, si);
                drafts.push(Draft { claim: record, parent: None, candidate: usize::MAX });
            }
            out.push(drafts, si);
            dc.finish_sentence(&sc, si);
            si += 1;
        }
        dc.finish_block(&Block { text, toks: &toks, cues: &cues, lex });
    }
    out.flush();
    context.map_or_else(DocFacts::default, |dc| DocFacts { dated: dc.dated, located: dc.located() })
}

/// What extraction learns about a document as a whole.
#[derive(Debug, Default)]
pub struct DocFacts {
    /// The date the text gives itself at its top (`Document::dated`).
    pub dated: Option<tally_core::Date>,
    /// The town its lead names most (`Document::located`).
    pub located: Option<tally_core::PlaceRef>,
}

/// A denial with no figure of its own: "Russia denied carrying out the raids". It answers the
/// figures of its sentence and of the two before it in the paragraph.
#[allow(clippy::too_many_arguments)]
fn denial(
    doc: &Document,
    block: &Block,
    sent: &Range<usize>,
    cue: &Range<usize>,
    drafts: &[Draft],
    out: &Emitter,
    dc: &DocContext,
    sentence: usize,
) -> Claim {
    let toks = block.toks;
    let text = doc.text.as_str();
    let here = (0..drafts.len())
        .filter(|&i| drafts[i].claim.count.is_some())
        .map(|i| (out.next_index + i, drafts[i].claim.kind));
    let before =
        out.recent.iter().filter(|e| e.sentence + 2 >= sentence && e.top_level).map(|e| (e.index, Some(e.kind)));
    let answered: Vec<(usize, Option<Kind>)> = before.chain(here).collect();
    let span = toks.span(cue.start, cue.end);
    let sentence_span = toks.span(sent.start, sent.end);
    let mut why = vec!["rule:denial".to_string(), why_tag("cue", slice(text, span))];
    let source = dc.denier(block, sent, cue);
    if source.is_some() {
        why.push("source:denier".into());
    }
    Claim {
        doc: doc.id.clone(),
        span,
        sentence: slice(text, sentence_span).to_string(),
        sentence_span,
        kind: answered.iter().find_map(|(_, k)| *k),
        count: None,
        victims: Victims { text: String::new(), class: VictimClass::Unknown, groups: Vec::new() },
        cumulative: false,
        ambiguous: false,
        part_of: None,
        place: None,
        time: None,
        perpetrator: None,
        source,
        stance: Stance::Denied,
        answers: answered.iter().map(|(i, _)| *i).collect(),
        why,
    }
}

#[allow(clippy::too_many_arguments)]
fn draft(
    doc: &Document,
    toks: &Tokens,
    lex: &Lexicon,
    sent: &Range<usize>,
    ci: usize,
    cand: &Candidate,
    known: &Known,
) -> Option<Draft> {
    if cand.blocked || cand.nested {
        return None;
    }
    let text = doc.text.as_str();
    let (kind, ambiguous, rule, cue) = match &cand.relation {
        Some(r) => (r.kind, r.ambiguous, r.rule, r.cue.clone()),
        None => {
            // "five of them": the kind is the parent's.
            let (_, kind, ambiguous) = known.latest(cand.parent?)?;
            (kind, ambiguous, "subset", None)
        }
    };
    let q = &cand.quantity;
    let span = toks.span(q.start, q.end);
    let sentence_span = toks.span(sent.start, sent.end);
    let mut why = vec![why_tag("count", q.form.as_str()), why_tag("rule", rule)];
    if q.qualifier != tally_core::Qualifier::Exact {
        why.push(why_tag("qualifier", q.qualifier.as_str()));
    }
    if let Some(cue) = &cue {
        why.push(why_tag("cue", slice(text, toks.span(cue.start, cue.end))));
    }
    let victims = victims(text, toks, cand, kind);
    if let Some(h) = &cand.head.tokens {
        why.push(format!("victims:{}={}", slice(text, toks.span(h.start, h.end)), victims.class.as_str()));
    }
    let cumulative = cumulative_cue(toks, lex, sent, cand).or_else(|| war_sized(cand));
    if let Some(c) = &cumulative {
        why.push(why_tag("cumulative", c));
    }
    if let Some(s) = cand.subset_cue {
        why.push(why_tag("subset", s));
    }
    if cand.relation.as_ref().is_some_and(|r| r.converted) {
        why.push("kind:damage-word-on-fighters=killed".into());
    }
    if ambiguous {
        why.push("ambiguous:killed-or-injured".into());
    }
    Some(Draft {
        claim: Claim {
            doc: doc.id.clone(),
            span,
            sentence: slice(text, sentence_span).to_string(),
            sentence_span,
            kind: Some(kind),
            count: Some(q.to_count(slice(text, span).to_string())),
            victims,
            cumulative: cumulative.is_some(),
            ambiguous,
            part_of: None,
            place: None,
            time: None,
            perpetrator: None,
            source: None,
            stance: Stance::Asserted,
            answers: Vec::new(),
            why,
        },
        parent: cand.parent,
        candidate: ci,
    })
}

fn slice(text: &str, [s, e]: [usize; 2]) -> &str {
    &text[s..e]
}

fn victims(text: &str, toks: &Tokens, cand: &Candidate, kind: Kind) -> Victims {
    let head = &cand.head;
    let text = head.tokens.as_ref().map_or(String::new(), |h| slice(text, toks.span(h.start, h.end)).to_string());
    let class = if kind.counts_objects() { VictimClass::Property } else { head.class.unwrap_or(VictimClass::Unknown) };
    Victims { text, class, groups: head.groups.iter().map(|g| g.to_string()).collect() }
}

/// "More than 300000 people have been killed", "the death toll may be as high as 400000": a
/// war-sized figure (`WAR_SIZED`), as the least it allows or as the number it names, is a
/// running total even with no cue.
fn war_sized(cand: &Candidate) -> Option<String> {
    let q = &cand.quantity;
    (q.low.max(q.value.unwrap_or(0)) >= WAR_SIZED).then(|| format!("at-least-{WAR_SIZED}"))
}

/// A running-total cue near the count: "raising the toll to", "since the war began".
fn cumulative_cue(toks: &Tokens, lex: &Lexicon, sent: &Range<usize>, cand: &Candidate) -> Option<String> {
    let lo = cand.quantity.start.saturating_sub(8).max(sent.start);
    // "… killed 12 while the war has killed 300000": a contrast starts another clause.
    let hi = (cand.head.end..(cand.head.end + 24).min(sent.end))
        .find(|&k| matches!(toks.norm(k), "while" | "whereas" | "but" | ";"))
        .unwrap_or((cand.head.end + 24).min(sent.end));
    (lo..hi).find_map(|k| {
        let n = lex.cue_at(toks, k, hi, Cue::Cumulative)?;
        // "the deadliest attack since the war began", "the first … since 2011", "killing five
        // in the deadliest incident … in the war": the war is what the incident is compared with.
        let from = if k > cand.head.end { cand.head.end } else { k.saturating_sub(6).max(sent.start) };
        // "the first explosion to hit the heart of the town since the outbreak of the civil
        // war": a "since" after the superlative reaches further back.
        let since = (k.saturating_sub(6).max(sent.start)..k).find(|&m| toks.norm(m) == "since");
        let from = since.map_or(from, |s| from.min(s.saturating_sub(12).max(sent.start)));
        let compares = (from..k).any(|m| lex.is_cue(toks, m, Cue::Superlative));
        (!compares).then(|| (k..k + n).map(|m| toks.norm(m)).collect::<Vec<_>>().join(" "))
    })
}

/// Longest gap between two figures of one running-total clause.
const SHARED_CLAUSE_GAP: usize = 12;

/// "The conflict has killed more than 280000 people and displaced millions": a figure in the
/// same clause as a running total, joined to it by "and" alone, totals the same period.
fn share_running_total(toks: &Tokens, lex: &Lexicon, cands: &[Candidate], drafts: &mut [Draft]) {
    for i in 1..drafts.len() {
        // A part ("including five children") is counted with its whole, total or not.
        if drafts[i].claim.cumulative || drafts[i].claim.count.is_none() || drafts[i].claim.part_of.is_some() {
            continue;
        }
        let Some(b) = cands.get(drafts[i].candidate) else { continue };
        let shared = (0..i).rev().find(|&j| {
            let Some(a) = cands.get(drafts[j].candidate).filter(|_| drafts[j].claim.cumulative) else { return false };
            let gap = a.quantity.end..b.quantity.start;
            gap.len() <= SHARED_CLAUSE_GAP
                && gap.clone().all(|k| toks.norm(k) == "and" || !lex.is_cue(toks, k, Cue::ClauseStop))
                && !gap.clone().any(|k| matches!(toks.norm(k), ";" | "." | "\"" | "(" | ")"))
        });
        if shared.is_some() {
            drafts[i].claim.cumulative = true;
            drafts[i].claim.why.push("cumulative:shared-clause".into());
        }
    }
}

/// Turns this sentence's parent references into claim indices; a subset keeps its link only
/// when the parent has the same kind.
fn resolve_parents(drafts: &mut [Draft], first_index: usize, recent: &VecDeque<Emitted>, sentence: usize) {
    for i in 0..drafts.len() {
        let Some(parent) = drafts[i].parent else { continue };
        let found = match parent {
            Parent::Candidate(cj) => drafts
                .iter()
                .position(|d| d.candidate == cj)
                .and_then(|p| Some((first_index + p, drafts[p].claim.kind?))),
            other => {
                let known = Known { current: &drafts[..i], first_index, recent, sentence };
                known.latest(other).map(|(index, kind, _)| (index, kind))
            }
        };
        let own = first_index + i;
        drafts[i].claim.part_of =
            found.filter(|&(p, kind)| p != own && Some(kind) == drafts[i].claim.kind).map(|(p, _)| p);
        let Some(p) = drafts[i].claim.part_of else { continue };
        let whole = match p.checked_sub(first_index) {
            Some(here) => drafts.get(here).map(|d| Whole::of(&d.claim)),
            None => recent.iter().find(|e| e.index == p).map(|e| e.whole.clone()),
        };
        whole.unwrap_or_default().share(&mut drafts[i].claim);
    }
}
