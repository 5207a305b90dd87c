//! Linking at scale: a generated ledger of N claims (default 1,000,000), stored through the
//! normal ingest path, then linked. Prints ingest and link time and peak memory.
//!
//! `cargo run --release -p tally-ledger --example scale -- 100000 300000 1000000`
//!
//! Documents are synthetic: 10 claims each, spread over 1,000 days and 2,000 places in 20
//! countries, with a quarter of the reports of each incident copying its place and day, so
//! linking has real work to do. Each size uses a fresh ledger in a temporary directory.

use std::time::Instant;
use tally_core::*;
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

/// Deterministic pseudo-random numbers (splitmix64), so every run builds the same ledger.
fn rand(seed: u64) -> u64 {
    let mut z = seed.wrapping_add(0x9e3779b97f4a7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d049bb133111eb);
    z ^ (z >> 31)
}

fn document(d: usize) -> (Document, Vec<Claim>) {
    let r = rand(d as u64);
    let day = Date::new(2015, 1, 1).unwrap().plus((r % 1000) as i64);
    let place = (r >> 10) % 2000;
    let country = format!("C{}", place % 20);
    let text = format!("Report {d}: figures from place {place} on {} in words of its own.", day.iso());
    let claims = (0..10)
        .map(|i| {
            let kind = Kind::ALL[(rand(r + i) % 3) as usize];
            let value = rand(r ^ i) % 200 + 1;
            Claim {
                doc: format!("doc-{d}"),
                span: [i as usize * 3, i as usize * 3 + 2],
                sentence: text.clone(),
                sentence_span: [0, text.len()],
                kind: Some(kind),
                count: Some(Count::new(value.to_string(), value, Qualifier::Exact)),
                victims: Victims { text: "people".into(), class: VictimClass::Unknown, groups: vec![] },
                cumulative: false,
                ambiguous: false,
                part_of: None,
                place: Some(PlaceRef {
                    text: format!("Place {place}"),
                    span: [0, 1],
                    name: format!("Place {place}"),
                    geonames_id: Some(place),
                    country: country.clone(),
                    admin1: Some(format!("{}", place % 50)),
                    lat: Some(30.0),
                    lon: Some(40.0),
                    precision: PlacePrecision::Town,
                }),
                time: Some(TimeRef {
                    text: "on the day".into(),
                    span: [0, 1],
                    start: Some(day.iso()),
                    end: Some(day.iso()),
                    precision: TimePrecision::Day,
                }),
                perpetrator: None,
                source: None,
                stance: Stance::Asserted,
                answers: vec![],
                why: vec![],
            }
        })
        .collect();
    let doc = Document {
        id: format!("doc-{d}"),
        text,
        published: Some(day.plus(1).iso()),
        outlet: Some(format!("outlet{}", r % 40)),
        ..Document::default()
    };
    (doc, claims)
}

fn peak_rss_mb() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.split_whitespace().next()?.parse::<u64>().ok())
        .map_or(0, |kb| kb / 1024)
}
