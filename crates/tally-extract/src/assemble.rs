//! Turns related count phrases into claim records: spans, counts, victims, running totals,
//! subset links across the document, and the `why` trail.

use crate::lexicon::{Cue, Lexicon};
use crate::relate::{relate_sentence, Candidate, Parent};
use crate::segment::{blocks, sentences};
use crate::token::Tokens;
use std::ops::Range;
use tally_core::{Claim, Document, Kind, Stance, VictimClass, Victims};

/// How far back (in sentences) "five of them" or "109 of the dead" may find its parent.
const PARENT_WINDOW: usize = 3;

/// A claim being built, with what is needed to resolve its parent.
struct Draft {
    claim: Claim,
    sentence: usize,
    parent: Option<Parent>,
    /// (sentence, candidate index) of this draft, for `Parent::Candidate` links.
    origin: (usize, usize),
}

pub fn extract_claims(doc: &Document, lex: &Lexicon) -> Vec<Claim> {
    let text = doc.text.as_str();
    let mut drafts: Vec<Draft> = Vec::new();
    let mut si = 0;
    for block in blocks(text) {
        let toks = Tokens::at(&text[block.clone()], block.start);
        for sent in sentences(&toks, lex) {
            let cands = relate_sentence(&toks, sent.clone(), lex);
            for (ci, cand) in cands.iter().enumerate() {
                if let Some(draft) = draft(doc, &toks, lex, &sent, si, ci, cand, &drafts) {
                    drafts.push(draft);
                }
            }
            si += 1;
        }
    }
    resolve_parents(drafts)
}

#[allow(clippy::too_many_arguments)]
fn draft(
    doc: &Document,
    toks: &Tokens,
    lex: &Lexicon,
    sent: &Range<usize>,
    si: usize,
    ci: usize,
    cand: &Candidate,
    earlier: &[Draft],
) -> Option<Draft> {
    if cand.blocked {
        return None;
    }
    let text = doc.text.as_str();
    let (kind, ambiguous, rule, cue) = match &cand.relation {
        Some(r) => (r.kind, r.ambiguous, r.rule, r.cue.clone()),
        None => {
            // "five of them": the kind is the parent's.
            let parent = find_parent(earlier, cand.parent?, si)?;
            (earlier[parent].claim.kind, earlier[parent].claim.ambiguous, "subset", None)
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
        sentence: si,
        parent: cand.parent,
        origin: (si, ci),
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

fn find_parent(drafts: &[Draft], parent: Parent, sentence: usize) -> Option<usize> {
    let recent = |d: &&Draft| d.sentence + PARENT_WINDOW >= sentence && d.parent.is_none();
    match parent {
        Parent::Candidate(_) => None,
        Parent::LatestOfKind(kind) => drafts.iter().rposition(|d| recent(&d) && d.claim.kind == kind),
        Parent::Latest => drafts.iter().rposition(|d| recent(&d)),
    }
}

/// Turns parent references into indices of the document's claim list.
fn resolve_parents(mut drafts: Vec<Draft>) -> Vec<Claim> {
    for i in 0..drafts.len() {
        let Some(parent) = drafts[i].parent else {
            continue;
        };
        let (si, _) = drafts[i].origin;
        let found = match parent {
            Parent::Candidate(cj) => drafts.iter().position(|d| d.origin == (si, cj)),
            other => find_parent(&drafts[..i], other, drafts[i].sentence),
        };
        drafts[i].claim.part_of = found.filter(|&p| p != i && drafts[p].claim.kind == drafts[i].claim.kind);
    }
    drafts.into_iter().map(|d| d.claim).collect()
}
