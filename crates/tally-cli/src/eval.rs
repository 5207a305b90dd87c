use anyhow::{bail, Context};
use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::process::ExitCode;
use tally_eval::{crowd::CrowdScores, load_corpus, load_gold, render_text, score, CorpusDoc};
use tally_extract::Extractor;

#[derive(clap::Args)]
pub struct Args {
    /// Gold claims (tests/gold/claims.jsonl format); every corpus document counts as annotated.
    #[arg(long, conflicts_with = "crowd")]
    gold: Option<PathBuf>,
    /// Compare per-article death figures with FA-KES crowd counts in this corpus instead.
    #[arg(long)]
    crowd: Option<PathBuf>,
    /// The documents the gold set annotates (JSON Lines).
    corpus: Vec<PathBuf>,
    /// Score only documents of this split (`dev` or `test`).
    #[arg(long)]
    split: Option<String>,
    /// List every missed and every spurious claim.
    #[arg(long, short)]
    verbose: bool,
    /// Print the scores as JSON.
    #[arg(long)]
    json: bool,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let extractor = Extractor::english();
    if let Some(path) = &args.crowd {
        return run_crowd(&extractor, &load_corpus(path).map_err(anyhow::Error::msg)?, args.json);
    }
    let Some(gold_path) = &args.gold else { bail!("give --gold FILE with a corpus, or --crowd FILE") };
    if args.corpus.is_empty() {
        bail!("give the corpus the gold set annotates");
    }
    let gold = load_gold(gold_path).map_err(anyhow::Error::msg)?;
    let mut docs: Vec<CorpusDoc> = Vec::new();
    for path in &args.corpus {
        docs.extend(
            load_corpus(path).map_err(anyhow::Error::msg).with_context(|| format!("reading {}", path.display()))?,
        );
    }
    if let Some(split) = &args.split {
        docs.retain(|d| d.split.as_deref() == Some(split.as_str()));
        if docs.is_empty() {
            bail!("no corpus document has split {split:?}");
        }
    }
    let ids: HashSet<String> = docs.iter().map(|d| d.doc.id.clone()).collect();
    let predicted: Vec<_> = docs.iter().flat_map(|d| extractor.extract(&d.doc)).collect();
    let scores = score(&gold, &predicted, &ids);
    if args.json {
        println!("{}", serde_json::to_string_pretty(&scores)?);
    } else {
        let texts: HashMap<&str, &str> = docs.iter().map(|d| (d.doc.id.as_str(), d.doc.text.as_str())).collect();
        println!("{} documents", docs.len());
        print!("{}", render_text(&scores, args.verbose, |id| texts.get(id).map(|t| t.to_string())));
    }
    Ok(ExitCode::SUCCESS)
}

fn run_crowd(extractor: &Extractor, docs: &[CorpusDoc], json: bool) -> anyhow::Result<ExitCode> {
    let mut scores = CrowdScores::default();
    let mut with_counts = 0;
    for d in docs {
        if let Some(crowd) = &d.crowd {
            with_counts += 1;
            scores.add(crowd, &extractor.extract(&d.doc));
        }
    }
    if with_counts == 0 {
        bail!("no document carries crowd counts (a \"fakes\" object with nb_civilians and nb_noncivilians)");
    }
    if json {
        println!("{}", serde_json::to_string_pretty(&scores)?);
    } else {
        let row = |name: &str, a: &tally_eval::crowd::Agreement| {
            println!("{name:<28} {:>4}/{:<4} {:.3}", a.exact, a.articles, a.rate)
        };
        println!("exact match with crowd counts over {} articles:", with_counts);
        row("civilian deaths", &scores.civilian);
        row("  where crowd > 0", &scores.civilian_nonzero);
        row("non-civilian deaths", &scores.noncivilian);
        row("  where crowd > 0", &scores.noncivilian_nonzero);
        if scores.unreadable > 0 {
            println!("unreadable crowd counts: {}", scores.unreadable);
        }
    }
    Ok(ExitCode::SUCCESS)
}
