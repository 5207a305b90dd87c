//! Evaluation: how well extracted claims agree with hand-annotated gold claims
//! ([`score`]) and with FA-KES crowd counts per article ([`crowd`]).
//!
//! The gold format is documented in tests/gold/README.md. A predicted claim matches a gold
//! claim when document, kind and count agree and their spans overlap; matching is one to
//! one, so a figure found twice counts once.

pub mod crowd;
mod gold;
pub mod incidents;
pub mod muc;
mod report;

pub use gold::{load_gold, GoldClaim};
pub use report::{render_report, render_text, FieldMiss, FieldScore, Prf, Scores};

use std::collections::{BTreeMap, HashMap, HashSet};
use tally_core::{Claim, Kind};

/// Scores `predicted` against `gold` over the documents in `docs` (all of which count as
/// annotated, so a prediction in a document without gold claims is spurious).
pub fn score(gold: &[GoldClaim], predicted: &[Claim], docs: &HashSet<String>) -> Scores {
    let gold: Vec<&GoldClaim> = gold.iter().filter(|g| docs.contains(&g.doc)).collect();
    // Denial and dispute records without a figure are not scored as claims.
    let predicted: Vec<&Claim> = predicted.iter().filter(|p| docs.contains(&p.doc) && p.figure().is_some()).collect();
    let pairs = match_claims(&gold, &predicted);
    let mut scores = Scores::default();
    let matched_gold: HashSet<usize> = pairs.iter().map(|&(g, _)| g).collect();
    let matched_pred: HashSet<usize> = pairs.iter().map(|&(_, p)| p).collect();
    let mut per_kind: BTreeMap<Kind, (usize, usize, usize)> = BTreeMap::new();
    for g in &gold {
        per_kind.entry(g.kind).or_default().0 += 1;
    }
    for p in &predicted {
        per_kind.entry(kind(p)).or_default().1 += 1;
    }
    for &(g, _) in &pairs {
        per_kind.entry(gold[g].kind).or_default().2 += 1;
    }
    scores.overall = Prf::new(gold.len(), predicted.len(), pairs.len());
    scores.per_kind = per_kind.into_iter().map(|(k, (g, p, m))| (k, Prf::new(g, p, m))).collect();
    scores.fields = report::field_scores(&gold, &predicted, &pairs);
    scores.misses = (0..gold.len()).filter(|i| !matched_gold.contains(i)).map(|i| gold[i].clone()).collect();
    scores.spurious =
        (0..predicted.len()).filter(|i| !matched_pred.contains(i)).map(|i| predicted[i].clone()).collect();
    scores
}

/// Whether two counts state the same figure: the same value, or for ranges and vague
/// amounts (no value) the same interval.
pub fn counts_agree(g: &tally_core::Count, p: &tally_core::Count) -> bool {
    match (g.value, p.value) {
        (Some(a), Some(b)) => a == b,
        (None, None) => g.low == p.low && g.high == p.high,
        _ => false,
    }
}

/// The kind of a figure claim (`score` keeps only figures).
pub(crate) fn kind(p: &Claim) -> Kind {
    p.figure().map(|(k, _)| k).expect("scored claims are figures")
}

/// The count of a figure claim.
pub(crate) fn count(p: &Claim) -> &tally_core::Count {
    p.figure().map(|(_, c)| c).expect("scored claims are figures")
}

fn overlap(a: [usize; 2], b: [usize; 2]) -> usize {
    a[1].min(b[1]).saturating_sub(a[0].max(b[0]))
}

/// One-to-one pairs (gold index, predicted index): each gold claim takes the unmatched
/// prediction that agrees with it and overlaps it most.
fn match_claims(gold: &[&GoldClaim], predicted: &[&Claim]) -> Vec<(usize, usize)> {
    let mut by_doc: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, p) in predicted.iter().enumerate() {
        by_doc.entry(p.doc.as_str()).or_default().push(i);
    }
    let mut taken = vec![false; predicted.len()];
    let mut pairs = Vec::new();
    for (gi, g) in gold.iter().enumerate() {
        let best = by_doc
            .get(g.doc.as_str())
            .into_iter()
            .flatten()
            .copied()
            .filter(|&pi| !taken[pi])
            .filter(|&pi| {
                let p = predicted[pi];
                kind(p) == g.kind && counts_agree(&g.count, count(p)) && overlap(p.span, g.span) > 0
            })
            .max_by_key(|&pi| overlap(predicted[pi].span, g.span));
        if let Some(pi) = best {
            taken[pi] = true;
            pairs.push((gi, pi));
        }
    }
    pairs
}

/// A document of an evaluation corpus with its annotations' metadata.
#[derive(Debug, Clone)]
pub struct CorpusDoc {
    pub doc: tally_core::Document,
    /// `dev` or `test` in the gold corpus.
    pub split: Option<String>,
    /// FA-KES crowd counts, in corpus/fakes.jsonl.
    pub crowd: Option<crowd::CrowdCounts>,
}

/// Reads an evaluation corpus (JSON Lines documents); errors name the file and line.
pub fn load_corpus(path: &std::path::Path) -> Result<Vec<CorpusDoc>, String> {
    #[derive(serde::Deserialize)]
    struct Line {
        #[serde(flatten)]
        doc: tally_core::Document,
        split: Option<String>,
        fakes: Option<crowd::CrowdCounts>,
    }
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(n, l)| {
            let line: Line = serde_json::from_str(l).map_err(|e| format!("{}:{}: {e}", path.display(), n + 1))?;
            Ok(CorpusDoc { doc: line.doc, split: line.split, crowd: line.fakes })
        })
        .collect()
}
