//! `tally eval --incidents`: builds an in-memory ledger from the gold corpus, links it, and
//! scores linking against the cross-document gold; then checks how often the reconciled
//! range of an article's main incident holds the FA-KES crowd's death count.

use anyhow::{bail, Context};
use serde::Serialize;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use tally_eval::incidents::{load_gold_links, match_links, score_links, GoldLink, LinkScores, PredictedLink};
use tally_eval::load_corpus;
use tally_extract::Extractor;
use tally_ledger::{ClaimFilter, Ledger};

/// How often low ≤ crowd ≤ high for the main incident of articles the crowd counted.
#[derive(Debug, Default, Serialize)]
pub struct CrowdRange {
    /// Articles with a non-zero crowd civilian death count.
    pub articles: usize,
    /// ... whose main incident has a reconciled death range.
    pub with_range: usize,
    pub within: usize,
    pub rate: f64,
}

#[derive(Serialize)]
struct Report {
    linking: LinkScores,
    crowd_range: CrowdRange,
}

pub fn run(extractor: &Extractor, gold_path: &Path, corpus: &[PathBuf], json: bool) -> anyhow::Result<ExitCode> {
    let gold = load_gold_links(gold_path).map_err(anyhow::Error::msg)?;
    if corpus.is_empty() {
        bail!("give the corpus the incident gold annotates (tests/incidents/docs.jsonl)");
    }
    let mut docs = Vec::new();
    for path in corpus {
        docs.extend(
            load_corpus(path).map_err(anyhow::Error::msg).with_context(|| format!("reading {}", path.display()))?,
        );
    }
    let mut ledger = Ledger::in_memory()?;
    let batch: Vec<_> = docs
        .iter()
        .map(|d| {
            let mut doc = d.doc.clone();
            let claims = extractor.analyse(&mut doc);
            (doc, claims)
        })
        .collect();
    ledger.ingest(&batch)?;
    ledger.link()?;
    let predicted: Vec<PredictedLink> = ledger
        .claims(&ClaimFilter::default())?
        .into_iter()
        .filter_map(|s| {
            Some(PredictedLink {
                doc: s.claim.doc.clone(),
                span: s.claim.span,
                kind: s.claim.kind.map(|k| k.as_str().to_string()),
                incident: s.incident?,
            })
        })
        .collect();
    let linking = score_links(&gold, &predicted);
    let crowd: HashMap<&str, u64> = docs
        .iter()
        .filter_map(|d| Some((d.doc.id.as_str(), d.crowd.as_ref()?.nb_civilians.trim().parse::<u64>().ok()?)))
        .filter(|(_, n)| *n > 0)
        .collect();
    let crowd_range = crowd_range(&ledger, &gold, &predicted, &crowd)?;
    let report = Report { linking, crowd_range };
    if json {
        println!("{}", serde_json::to_string_pretty(&report)?);
        return Ok(ExitCode::SUCCESS);
    }
    let s = &report.linking;
    println!(
        "{} gold claims in {} incidents; {} matched by extraction ({:.3}); {} predicted incidents over them",
        s.gold_claims,
        s.gold_incidents,
        s.matched,
        s.matched as f64 / s.gold_claims.max(1) as f64,
        s.predicted_incidents
    );
    println!("pairwise  P {:.3}  R {:.3}  F1 {:.3}", s.pairwise_precision, s.pairwise_recall, s.pairwise_f1);
    println!("B-cubed   P {:.3}  R {:.3}  F1 {:.3}", s.bcubed_precision, s.bcubed_recall, s.bcubed_f1);
    let c = &report.crowd_range;
    println!(
        "crowd civilian deaths within [low, high] of the article's main incident: {}/{} ({:.3}); {} of {} articles had a range",
        c.within, c.with_range, c.rate, c.with_range, c.articles
    );
    Ok(ExitCode::SUCCESS)
}

/// For each counted article: its main gold incident (the one most of its gold claims speak
/// of), the predicted incident most of those claims went to, and that incident's killed range.
fn crowd_range(
    ledger: &Ledger,
    gold: &[GoldLink],
    predicted: &[PredictedLink],
    crowd: &HashMap<&str, u64>,
) -> anyhow::Result<CrowdRange> {
    let matches = match_links(gold, predicted);
    let mut out = CrowdRange { articles: crowd.len(), ..CrowdRange::default() };
    let mut ids: Vec<&&str> = crowd.keys().collect();
    ids.sort();
    for doc in ids {
        let claims: Vec<(usize, &GoldLink)> =
            gold.iter().enumerate().filter(|(_, g)| g.doc == **doc && !g.incident.starts_with("total:")).collect();
        let Some(main) = majority(claims.iter().map(|(_, g)| g.incident.as_str())) else { continue };
        let linked = claims.iter().filter(|(_, g)| g.incident == main).filter_map(|(i, _)| matches[*i]);
        let Some(incident) = majority(linked.map(|p| predicted[p].incident.as_str())) else { continue };
        let Some(detail) = ledger.incident(incident)? else { continue };
        let figures = detail.reconciliation["figures"].as_array().cloned().unwrap_or_default();
        let killed = |group: &str| figures.iter().find(|f| f["kind"] == "killed" && f["victims"] == group).cloned();
        let Some(f) = killed("all").or_else(|| killed("civilian")) else { continue };
        let (Some(low), Some(high)) = (f["low"].as_u64(), f["high"].as_u64()) else { continue };
        out.with_range += 1;
        out.within += (low..=high).contains(&crowd[*doc]) as usize;
    }
    out.rate = out.within as f64 / out.with_range.max(1) as f64;
    Ok(out)
}

fn majority<'a>(items: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let mut counts: Vec<(&str, usize)> = Vec::new();
    for i in items {
        match counts.iter_mut().find(|(k, _)| *k == i) {
            Some((_, n)) => *n += 1,
            None => counts.push((i, 1)),
        }
    }
    counts.into_iter().max_by_key(|&(k, n)| (n, std::cmp::Reverse(k))).map(|(k, _)| k)
}
