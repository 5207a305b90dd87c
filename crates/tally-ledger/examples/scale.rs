//! Linking at scale: a generated ledger of N claims (default 1,000,000), stored through the
//! normal ingest path, then linked. Prints ingest and link time and peak memory.
//!
//! `cargo run --release -p tally-ledger --example scale -- 100000 300000 1000000`
//!
//! Documents are synthetic: 10 claims each, spread over 1,000 days and 2,000 places in 20
//! countries, with a quarter of the reports of each incident copying its place and day, so
//! linking has real work to do. Each size uses a fresh ledger in a temporary directory.

use std::time::Instant;
use tally_ledger::synthetic::document;
use tally_ledger::Ledger;

fn main() {
    let sizes: Vec<usize> = std::env::args().skip(1).filter_map(|a| a.parse().ok()).collect();
    for n in if sizes.is_empty() { vec![1_000_000] } else { sizes } {
        run(n);
    }
}

fn run(n_claims: usize) {
    let dir = std::env::temp_dir().join(format!("tally-scale-{n_claims}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let mut ledger = Ledger::open(&dir.join("ledger.db")).unwrap();
    let t = Instant::now();
    let docs = n_claims / 10;
    let mut batch = Vec::new();
    for d in 0..docs {
        batch.push(document(d));
        if batch.len() == 2000 {
            ledger.ingest(&batch).unwrap();
            batch.clear();
        }
    }
    ledger.ingest(&batch).unwrap();
    let ingest = t.elapsed();
    let t = Instant::now();
    let stats = ledger.link().unwrap();
    let link = t.elapsed();
    println!(
        "{n_claims} claims ({docs} documents): ingest {:.1} s, link {:.1} s ({} incidents), peak RSS {} MB",
        ingest.as_secs_f64(),
        link.as_secs_f64(),
        stats.incidents,
        peak_rss_mb()
    );
    let _ = std::fs::remove_dir_all(&dir);
}

fn peak_rss_mb() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.split_whitespace().next()?.parse::<u64>().ok())
        .map_or(0, |kb| kb / 1024)
}
