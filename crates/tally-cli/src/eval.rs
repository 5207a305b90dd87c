use anyhow::{bail, Context};
use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::process::ExitCode;
use tally_eval::{crowd::CrowdScores, load_corpus, load_gold, render_report, score, CorpusDoc};
use tally_extract::Extractor;

#[derive(clap::Args)]
pub struct Args {
    /// Gold claims (tests/gold/claims.jsonl format); every corpus document counts as annotated.
    #[arg(long, conflicts_with = "crowd")]
    gold: Option<PathBuf>,
    /// Compare per-article death figures with FA-KES crowd counts in this corpus instead.
    #[arg(long, conflicts_with = "muc")]
    crowd: Option<PathBuf>,
    /// Score incident linking against this cross-document gold (tests/incidents/claims.jsonl)
    /// over the corpus given (tests/incidents/docs.jsonl).
    #[arg(long, conflicts_with_all = ["gold", "crowd", "muc"])]
    incidents: Option<PathBuf>,
    /// Compare claim context with these MUC-3/4 answer keys (corpus/muc/*-keys.jsonl) over
    /// the corpus given (corpus/muc/tst3.jsonl).
    #[arg(long)]
    muc: Option<PathBuf>,
    /// The documents the gold set annotates (JSON Lines).
    corpus: Vec<PathBuf>,
    /// Score only documents of this split (`dev` or `test`).
    #[arg(long)]
    split: Option<String>,
    /// List every missed and every spurious claim.
    #[arg(long, short)]
    verbose: bool,
    /// List every matched claim whose FIELD (place, time, perpetrator, source, stance, ...)
    /// disagrees with the gold. Read this on the dev split only: test is held back.
    #[arg(long, value_name = "FIELD")]
    field: Option<String>,
    /// Print the scores as JSON.
    #[arg(long)]
    json: bool,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let extractor = Extractor::english();
    if let Some(path) = &args.crowd {
        return run_crowd(&extractor, &load_corpus(path).map_err(anyhow::Error::msg)?, args.json);
    }
    if let Some(gold) = &args.incidents {
        return crate::eval_incidents::run(&extractor, gold, &args.corpus, args.json);
    }
    if let Some(keys) = &args.muc {
        return run_muc(&extractor, keys, &args.corpus, args.json);
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
        print!(
            "{}",
            render_report(&scores, args.verbose, args.field.as_deref(), |id| texts.get(id).map(|t| t.to_string()))
        );
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
        row("place of the main claim", &scores.place);
        row("actor of the main claim", &scores.actor);
        if scores.unreadable > 0 {
            println!("unreadable crowd counts: {}", scores.unreadable);
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn run_muc(extractor: &Extractor, keys: &std::path::Path, corpus: &[PathBuf], json: bool) -> anyhow::Result<ExitCode> {
    let text = std::fs::read_to_string(keys).with_context(|| format!("reading {}", keys.display()))?;
    let keys: Vec<serde_json::Value> = text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(n, l)| serde_json::from_str(l).with_context(|| format!("{}:{}", keys.display(), n + 1)))
        .collect::<anyhow::Result<_>>()?;
    let mut docs = HashMap::new();
    for path in corpus {
        for d in load_corpus(path).map_err(anyhow::Error::msg)? {
            docs.insert(d.doc.id.clone(), d.doc);
        }
    }
    if docs.is_empty() {
        bail!("give the MUC corpus the keys annotate (corpus/muc/tst3.jsonl)");
    }
    let gaz = tally_gazetteer::Gazetteer::builtin();
    let scores = tally_eval::muc::score_muc(
        &keys,
        |id| docs.get(id).map(|d| extractor.extract(d)).unwrap_or_default(),
        |cc| gaz.country(cc).map(|p| p.name).unwrap_or_default(),
    );
    if json {
        println!("{}", serde_json::to_string_pretty(&scores)?);
    } else {
        println!("{} key templates of relevant incidents, {} linked to a claim", scores.templates, scores.linked);
        println!(
            "{:<16} {:>4} {:>4} {:>4} {:>4} {:>4}   {:<6} {:<6} {:<6}",
            "slot", "COR", "PAR", "INC", "MIS", "SPU", "R", "P", "F"
        );
        for (name, s) in &scores.slots {
            println!(
                "{name:<16} {:>4} {:>4} {:>4} {:>4} {:>4}   {:.3}  {:.3}  {:.3}",
                s.correct, s.partial, s.incorrect, s.missing, s.spurious, s.recall, s.precision, s.f1
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
