use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;
use tally_eval::load_corpus;
use tally_extract::Extractor;

#[derive(clap::Args)]
pub struct Args {
    /// Corpus of real text (JSON Lines documents).
    #[arg(default_value = "corpus/fakes.jsonl")]
    corpus: PathBuf,
    /// Megabytes of text to extract from in each round (the corpus is cycled to reach it).
    #[arg(long, default_value_t = 50)]
    mb: usize,
    /// Rounds to run; the best and the median round are reported, since a shared machine
    /// slows some rounds down.
    #[arg(long, default_value_t = 3)]
    rounds: usize,
}

/// Single-thread extraction throughput: the corpus bodies, repeated to `--mb` megabytes.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let docs = load_corpus(&args.corpus).map_err(anyhow::Error::msg)?;
    anyhow::ensure!(!docs.is_empty(), "{} has no documents", args.corpus.display());
    let extractor = Extractor::english();
    let target = args.mb * 1_000_000;
    // Warm up: the lexicons and the gazetteer are loaded outside the timing.
    let warm: usize = docs.iter().map(|d| extractor.extract(&d.doc).len()).sum();
    let mut rates = Vec::new();
    let (mut bytes, mut count, mut claims, mut total) = (0usize, 0usize, 0usize, 0f64);
    for _ in 0..args.rounds.max(1) {
        let (mut b, mut n) = (0usize, 0usize);
        let start = Instant::now();
        for d in docs.iter().cycle() {
            if b >= target {
                break;
            }
            claims += extractor.extract(&d.doc).len();
            b += d.doc.text.len();
            n += 1;
        }
        let secs = start.elapsed().as_secs_f64();
        rates.push(b as f64 / 1e6 / secs);
        (bytes, count, total) = (bytes + b, count + n, total + secs);
    }
    rates.sort_by(f64::total_cmp);
    let (best, median) = (rates[rates.len() - 1], rates[rates.len() / 2]);
    println!("corpus            {} ({} documents, {} claims per pass)", args.corpus.display(), docs.len(), warm);
    println!("text extracted    {:.1} MB in {count} documents, {} rounds", bytes as f64 / 1e6, rates.len());
    println!("claims            {claims}");
    println!("time              {total:.2} s (1 thread)");
    println!(
        "throughput        {best:.1} MB/s best round, {median:.1} MB/s median, {:.0} documents/s overall",
        count as f64 / total
    );
    if let Some(peak) = peak_rss_kb() {
        println!("peak memory       {:.1} MB", peak as f64 / 1024.0);
    }
    Ok(ExitCode::SUCCESS)
}

/// Peak resident set size (VmHWM) on Linux.
fn peak_rss_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}
