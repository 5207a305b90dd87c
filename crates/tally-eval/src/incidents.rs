//! Linking evaluation: predicted incidents against the cross-document gold (tests/incidents).
//!
//! A gold claim is matched to the predicted claim of the same document whose span overlaps
//! it (same kind preferred); linking is then scored over the matched claims, with pairwise
//! precision / recall / F1 (over pairs of claims put in one incident) and B-cubed
//! precision / recall / F1 (per claim, the overlap of its predicted and gold incidents).
//! Gold claims that extraction missed are reported as coverage, not counted as linking
//! errors: this measures linking, given extraction.

use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// A gold claim with its incident (tests/incidents/claims.jsonl).
#[derive(Debug, Clone, Deserialize)]
pub struct GoldLink {
    pub doc: String,
    pub span: [usize; 2],
    pub kind: String,
    pub incident: String,
}

/// A predicted claim with the incident linking gave it.
#[derive(Debug, Clone)]
pub struct PredictedLink {
    pub doc: String,
    pub span: [usize; 2],
    pub kind: Option<String>,
    pub incident: String,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct LinkScores {
    pub gold_claims: usize,
    pub matched: usize,
    pub gold_incidents: usize,
    pub predicted_incidents: usize,
    pub pairwise_precision: f64,
    pub pairwise_recall: f64,
    pub pairwise_f1: f64,
    pub bcubed_precision: f64,
    pub bcubed_recall: f64,
    pub bcubed_f1: f64,
}

pub fn load_gold_links(path: &std::path::Path) -> Result<Vec<GoldLink>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| serde_json::from_str(l).map_err(|e| format!("{}:{}: {e}", path.display(), i + 1)))
        .collect()
}

/// For each gold claim, the index of its predicted claim (if any), one to one.
pub fn match_links(gold: &[GoldLink], predicted: &[PredictedLink]) -> Vec<Option<usize>> {
    let mut by_doc: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, p) in predicted.iter().enumerate() {
        by_doc.entry(p.doc.as_str()).or_default().push(i);
    }
    let mut taken = vec![false; predicted.len()];
    gold.iter()
        .map(|g| {
            let cands = by_doc.get(g.doc.as_str())?;
            let overlaps =
                |&&i: &&usize| predicted[i].span[0] < g.span[1] && g.span[0] < predicted[i].span[1] && !taken[i];
            let best = cands
                .iter()
                .filter(overlaps)
                .max_by_key(|&&i| (predicted[i].kind.as_deref() == Some(g.kind.as_str()), std::cmp::Reverse(i)))?;
            taken[*best] = true;
            Some(*best)
        })
        .collect()
}

fn f1(p: f64, r: f64) -> f64 {
    if p + r == 0.0 {
        0.0
    } else {
        2.0 * p * r / (p + r)
    }
}

/// Pairwise and B-cubed scores of the predicted incidents over the matched gold claims.
pub fn score_links(gold: &[GoldLink], predicted: &[PredictedLink]) -> LinkScores {
    let matches = match_links(gold, predicted);
    let items: Vec<(&str, &str)> = gold
        .iter()
        .zip(&matches)
        .filter_map(|(g, m)| Some((g.incident.as_str(), predicted[(*m)?].incident.as_str())))
        .collect();
    let n = items.len();
    let mut gold_size: HashMap<&str, usize> = HashMap::new();
    let mut pred_size: HashMap<&str, usize> = HashMap::new();
    let mut both: HashMap<(&str, &str), usize> = HashMap::new();
    for &(g, p) in &items {
        *gold_size.entry(g).or_default() += 1;
        *pred_size.entry(p).or_default() += 1;
        *both.entry((g, p)).or_default() += 1;
    }
    let pairs = |k: usize| (k * k.saturating_sub(1) / 2) as f64;
    let same_both: f64 = both.values().map(|&k| pairs(k)).sum();
    let same_pred: f64 = pred_size.values().map(|&k| pairs(k)).sum();
    let same_gold: f64 = gold_size.values().map(|&k| pairs(k)).sum();
    let ratio = |a: f64, b: f64| if b == 0.0 { 1.0 } else { a / b };
    let (pp, pr) = (ratio(same_both, same_pred), ratio(same_both, same_gold));
    let (mut bp, mut br) = (0.0, 0.0);
    for &(g, p) in &items {
        let overlap = both[&(g, p)] as f64;
        bp += overlap / pred_size[p] as f64;
        br += overlap / gold_size[g] as f64;
    }
    let (bp, br) = if n == 0 { (0.0, 0.0) } else { (bp / n as f64, br / n as f64) };
    let mut gold_incidents: Vec<&str> = gold.iter().map(|g| g.incident.as_str()).collect();
    gold_incidents.sort();
    gold_incidents.dedup();
    LinkScores {
        gold_claims: gold.len(),
        matched: n,
        gold_incidents: gold_incidents.len(),
        predicted_incidents: pred_size.len(),
        pairwise_precision: pp,
        pairwise_recall: pr,
        pairwise_f1: f1(pp, pr),
        bcubed_precision: bp,
        bcubed_recall: br,
        bcubed_f1: f1(bp, br),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn g(doc: &str, at: usize, inc: &str) -> GoldLink {
        GoldLink { doc: doc.into(), span: [at, at + 2], kind: "killed".into(), incident: inc.into() }
    }

    fn p(doc: &str, at: usize, inc: &str) -> PredictedLink {
        PredictedLink { doc: doc.into(), span: [at, at + 2], kind: Some("killed".into()), incident: inc.into() }
    }

    #[test]
    fn perfect_linking_scores_one() {
        let gold = [g("a", 0, "x"), g("b", 0, "x"), g("c", 0, "y")];
        let pred = [p("a", 1, "1"), p("b", 0, "1"), p("c", 0, "2")];
        let s = score_links(&gold, &pred);
        assert_eq!((s.matched, s.pairwise_f1, s.bcubed_f1), (3, 1.0, 1.0));
    }

    #[test]
    fn a_merge_costs_precision_and_a_split_recall() {
        let gold = [g("a", 0, "x"), g("b", 0, "x"), g("c", 0, "y"), g("d", 0, "y")];
        let merged = [p("a", 0, "1"), p("b", 0, "1"), p("c", 0, "1"), p("d", 0, "1")];
        let s = score_links(&gold, &merged);
        assert_eq!((s.bcubed_precision, s.bcubed_recall), (0.5, 1.0));
        assert!((s.pairwise_precision - 2.0 / 6.0).abs() < 1e-9);
        let split = [p("a", 0, "1"), p("b", 0, "2"), p("c", 0, "3"), p("d", 0, "3")];
        let s = score_links(&gold, &split);
        assert_eq!((s.bcubed_precision, s.bcubed_recall), (1.0, 0.75));
        assert_eq!(s.pairwise_recall, 0.5);
    }

    #[test]
    fn unmatched_gold_claims_are_coverage_not_links() {
        let gold = [g("a", 0, "x"), g("b", 50, "x")];
        let pred = [p("a", 0, "1")];
        let s = score_links(&gold, &pred);
        assert_eq!((s.gold_claims, s.matched), (2, 1));
    }
}
