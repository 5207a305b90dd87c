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
    /// Megabytes of text to extract from (the corpus is cycled to reach it).
    #[arg(long, default_value_t = 50)]
    mb: usize,
}

/// Single-thread extraction throughput: the corpus bodies, repeated to `--mb` megabytes.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let docs = load_corpus(&args.corpus).map_err(anyhow::Error::msg)?;
    anyhow::ensure!(!docs.is_empty(), "{} has no documents", args.corpus.display());
    let extractor = Extractor::english();
    let target = args.mb * 1_000_000;
    // Warm up: the lexicon is built and caches are filled outside the timing.
    let warm: usize = docs.iter().map(|d| extractor.extract(&d.doc).len()).sum();
    let (mut bytes, mut count, mut claims) = (0usize, 0usize, 0usize);
    let start = Instant::now();
    for d in docs.iter().cycle() {
        if bytes >= target {
            break;
        }
        claims += extractor.extract(&d.doc).len();
        bytes += d.doc.text.len();
        count += 1;
    }
    let secs = start.elapsed().as_secs_f64();
    println!("corpus            {} ({} documents, {} claims per pass)", args.corpus.display(), docs.len(), warm);
    println!("text extracted    {:.1} MB in {count} documents", bytes as f64 / 1e6);
    println!("claims            {claims}");
    println!("time              {secs:.2} s (1 thread)");
    println!("throughput        {:.1} MB/s, {:.0} documents/s", bytes as f64 / 1e6 / secs, count as f64 / secs);
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
