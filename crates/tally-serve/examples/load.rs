//! Load benchmark for `tally serve`: the incident page and the API's incident endpoint on a
//! synthetic ledger, hit by concurrent keep-alive connections on loopback for a fixed time.
//! Reports throughput and latency percentiles per route.
//!
//! `cargo run --release -p tally-serve --example load -- [--docs 100000] [--connections 32]
//!  [--seconds 10] [--db PATH]`
//!
//! The ledger (`--docs` documents of ten claims each: 100,000 documents make 1,000,000
//! claims) is built once at PATH (default: the temp dir) and reused by later runs. Requests
//! ask for incidents drawn at random from the 2,000 with most voices and from all others,
//! half each. The load generator runs on the same 2 cores as the server, as wrk would.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tally_ledger::synthetic::rand;
use tally_ledger::{ClaimFilter, IncidentFilter, Ledger};
use tally_serve::client::Client;

struct Args {
    docs: usize,
    connections: usize,
    seconds: u64,
    db: PathBuf,
}

fn args() -> Args {
    let mut a = Args { docs: 100_000, connections: 32, seconds: 10, db: PathBuf::new() };
    let mut db = None;
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it.next().unwrap_or_else(|| panic!("{flag} needs a value"));
        match flag.as_str() {
            "--docs" => a.docs = value.parse().expect("--docs N"),
            "--connections" => a.connections = value.parse().expect("--connections N"),
            "--seconds" => a.seconds = value.parse().expect("--seconds N"),
            "--db" => db = Some(PathBuf::from(value)),
            other => panic!("unknown flag {other}"),
        }
    }
    a.db = db.unwrap_or_else(|| std::env::temp_dir().join(format!("tally-load-{}.db", a.docs)));
    a
}

fn main() {
    let a = args();
    if !a.db.exists() {
        let t = Instant::now();
        eprintln!("building {} ({} documents)...", a.db.display(), a.docs);
        tally_ledger::synthetic::build(&a.db, a.docs).expect("building the ledger");
        eprintln!("built in {:.1} s", t.elapsed().as_secs_f64());
    }
    let ids = incident_ids(&a.db);
    let ledger = Ledger::open_reader(&a.db).unwrap();
    let counts = ledger.counts().unwrap();
    println!(
        "ledger: {} documents, {} claims, {} incidents; {} connections, {} s per route",
        counts.documents, counts.claims, counts.incidents, a.connections, a.seconds
    );
    let config = tally_serve::Config {
        db: a.db.clone(),
        bind: ([127, 0, 0, 1], 0).into(),
        write_token: None,
        max_body: 1 << 20,
    };
    let server = tally_serve::start(config).expect("starting the server");
    println!(
        "{:<24} {:>9} {:>10} {:>8} {:>8} {:>8} {:>8} {:>7}",
        "route", "requests", "req/s", "p50 ms", "p90 ms", "p99 ms", "max ms", "errors"
    );
    for route in ["/incidents/{id}", "/api/incidents/{id}"] {
        run(server.addr, route, &ids, a.connections, Duration::from_secs(1));
        let r = run(server.addr, route, &ids, a.connections, Duration::from_secs(a.seconds));
        println!(
            "{:<24} {:>9} {:>10.0} {:>8.2} {:>8.2} {:>8.2} {:>8.2} {:>7}",
            route, r.requests, r.per_second, r.p50, r.p90, r.p99, r.max, r.errors
        );
    }
}

/// Half the most-voiced incidents (the largest pages), half all the others.
fn incident_ids(db: &std::path::Path) -> (Vec<String>, Vec<String>) {
    let ledger = Ledger::open_reader(db).unwrap();
    let top = IncidentFilter { claims: ClaimFilter { limit: Some(2000), ..Default::default() }, ..Default::default() };
    let all =
        IncidentFilter { claims: ClaimFilter { limit: Some(200_000), ..Default::default() }, ..Default::default() };
    let ids = |f| ledger.incidents(&f).unwrap().into_iter().map(|i| i.id).collect::<Vec<_>>();
    (ids(top), ids(all))
}

struct Report {
    requests: usize,
    per_second: f64,
    p50: f64,
    p90: f64,
    p99: f64,
    max: f64,
    errors: usize,
}

fn run(
    addr: std::net::SocketAddr,
    route: &str,
    ids: &(Vec<String>, Vec<String>),
    connections: usize,
    time: Duration,
) -> Report {
    let stop = Arc::new(AtomicBool::new(false));
    let ids = Arc::new(ids.clone());
    let start = Instant::now();
    let workers: Vec<_> = (0..connections)
        .map(|w| {
            let (stop, ids, route) = (stop.clone(), ids.clone(), route.to_string());
            std::thread::spawn(move || {
                let mut client = Client::new(addr);
                let (mut latencies, mut errors) = (Vec::new(), 0usize);
                let mut n = w as u64 * 1_000_003;
                while !stop.load(Ordering::Relaxed) {
                    n += 1;
                    let r = rand(n);
                    let pool = if r % 2 == 0 { &ids.0 } else { &ids.1 };
                    let path = route.replace("{id}", &pool[(r >> 8) as usize % pool.len()]);
                    let t = Instant::now();
                    match client.get(&path) {
                        Ok(reply) if reply.status == 200 => latencies.push(t.elapsed().as_secs_f64() * 1e3),
                        _ => errors += 1,
                    }
                }
                (latencies, errors)
            })
        })
        .collect();
    std::thread::sleep(time);
    stop.store(true, Ordering::Relaxed);
    let mut latencies = Vec::new();
    let mut errors = 0;
    for w in workers {
        let (l, e) = w.join().unwrap();
        latencies.extend(l);
        errors += e;
    }
    let elapsed = start.elapsed().as_secs_f64();
    latencies.sort_by(f64::total_cmp);
    let pct = |p: f64| {
        latencies
            .get(((latencies.len() as f64 * p) as usize).min(latencies.len().saturating_sub(1)))
            .copied()
            .unwrap_or(0.0)
    };
    Report {
        requests: latencies.len(),
        per_second: latencies.len() as f64 / elapsed,
        p50: pct(0.50),
        p90: pct(0.90),
        p99: pct(0.99),
        max: latencies.last().copied().unwrap_or(0.0),
        errors,
    }
}
