//! Turns related count phrases into claim records: spans, counts, victims, running totals,
//! subset links across the document, and the `why` trail.

use crate::lexicon::{Cue, Lexicon};
use crate::relate::{relate_sentence, Candidate, Parent};
use crate::segment::{blocks, sentences};
use crate::token::Tokens;
use std::collections::VecDeque;
use std::ops::Range;
use tally_core::{Claim, Document, Kind, Stance, VictimClass, Victims};

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
        let here = self.current.iter().enumerate().rev().find(|(_, d)| d.parent.is_none() && wanted(d.claim.kind));
        if let Some((i, d)) = here {
            return Some((self.first_index + i, d.claim.kind, d.claim.ambiguous));
        }
        self.recent
            .iter()
            .rev()
            .take_while(|e| e.sentence + PARENT_WINDOW >= self.sentence)
            .find(|e| e.top_level && wanted(e.kind))
            .map(|e| (e.index, e.kind, e.ambiguous))
    }
}

/// Calls `sink` with every claim of `doc`, in text order, as each sentence is done; memory
/// holds one block of tokens and a few sentences of claims, however long the document.
pub fn extract_claims(doc: &Document, lex: &Lexicon, sink: &mut dyn FnMut(Claim)) {
    let text = doc.text.as_str();
    let mut recent: VecDeque<Emitted> = VecDeque::new();
    let (mut si, mut next_index) = (0, 0);
    for block in blocks(text) {
        let toks = Tokens::at(&text[block.clone()], block.start);
        for sent in sentences(&toks, lex) {
            let cands = relate_sentence(&toks, sent.clone(), lex);
            let mut drafts: Vec<Draft> = Vec::new();
            for (ci, cand) in cands.iter().enumerate() {
                let known = Known { current: &drafts, first_index: next_index, recent: &recent, sentence: si };
                if let Some(draft) = draft(doc, &toks, lex, &sent, ci, cand, &known) {
                    drafts.push(draft);
                }
            }
            resolve_parents(&mut drafts, next_index, &recent, si);
            for d in drafts {
                let top_level = d.parent.is_none();
                recent.push_back(Emitted {
                    index: next_index,
                    sentence: si,
                    kind: d.claim.kind,
                    ambiguous: d.claim.ambiguous,
                    top_level,
                });
                sink(d.claim);
                next_index += 1;
            }
            while recent.front().is_some_and(|e| e.sentence + PARENT_WINDOW < si) {
                recent.pop_front();
            }
            si += 1;
        }
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
    let mut why = vec![format!("count:{}", q.form.as_str()), format!("rule:{rule}")];
    if q.qualifier != tally_core::Qualifier::Exact {
        why.push(format!("qualifier:{}", q.qualifier.as_str()));
    }
    if let Some(cue) = &cue {
        why.push(format!("cue:{}", slice(text, toks.span(cue.start, cue.end))));
    }
    let victims = victims(text, toks, cand, kind);
    if let Some(h) = &cand.head.tokens {
        why.push(format!("victims:{}={}", slice(text, toks.span(h.start, h.end)), victims.class.as_str()));
    }
    let cumulative = cumulative_cue(toks, lex, sent, cand);
    if let Some(c) = &cumulative {
        why.push(format!("cumulative:{c}"));
    }
    if let Some(s) = cand.subset_cue {
        why.push(format!("subset:{s}"));
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
            kind,
            count: q.to_count(slice(text, span).to_string()),
            victims,
            cumulative: cumulative.is_some(),
            ambiguous,
            part_of: None,
            place: None,
            time: None,
            perpetrator: None,
            source: None,
            stance: Stance::Asserted,
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

/// A running-total cue near the count: "raising the toll to", "since the war began".
fn cumulative_cue(toks: &Tokens, lex: &Lexicon, sent: &Range<usize>, cand: &Candidate) -> Option<String> {
    let lo = cand.quantity.start.saturating_sub(8).max(sent.start);
    let hi = (cand.head.end + 8).min(sent.end);
    (lo..hi).find_map(|k| {
        lex.cue_at(toks, k, hi, Cue::Cumulative).map(|n| (k..k + n).map(|m| toks.norm(m)).collect::<Vec<_>>().join(" "))
    })
}

/// Turns this sentence's parent references into claim indices; a subset keeps its link only
/// when the parent has the same kind.
fn resolve_parents(drafts: &mut [Draft], first_index: usize, recent: &VecDeque<Emitted>, sentence: usize) {
    for i in 0..drafts.len() {
        let Some(parent) = drafts[i].parent else { continue };
        let found = match parent {
            Parent::Candidate(cj) => {
                drafts.iter().position(|d| d.candidate == cj).map(|p| (first_index + p, drafts[p].claim.kind))
            }
            other => {
                let known = Known { current: &drafts[..i], first_index, recent, sentence };
                known.latest(other).map(|(index, kind, _)| (index, kind))
            }
        };
        let own = first_index + i;
        drafts[i].claim.part_of = found.filter(|&(p, kind)| p != own && kind == drafts[i].claim.kind).map(|(p, _)| p);
    }
}
