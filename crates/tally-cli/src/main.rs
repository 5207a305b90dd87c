//! `tally`: the command line. Each subcommand parses its flags and calls a library; the
//! logic lives in the tally-* crates.

mod bench;
mod eval;
mod eval_incidents;
mod extract;
mod gazetteer;
mod ledger;
mod output;
mod pipeline;
mod progress;
mod serve;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// Extraction allocates many small strings and vectors per document (tokens, claims, their
/// fields); mimalloc serves them faster than the system allocator (docs/performance.md).
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(name = "tally", version, about = "A ledger of casualty and damage claims from war reporting")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Extract casualty and damage claims from documents.
    Extract(extract::Args),
    /// Score extraction against a gold set, or against FA-KES crowd counts.
    Eval(eval::Args),
    /// Measure throughput: extraction alone (one thread), or whole batches (--end-to-end).
    Bench(bench::Args),
    /// Manage gazetteers (place names).
    Gazetteer(gazetteer::Args),
    /// Add documents and their claims to the ledger, then link incidents.
    Ingest(ledger::IngestArgs),
    /// Recompute the ledger's incidents.
    Link(ledger::LinkArgs),
    /// List the ledger's documents.
    Docs(ledger::DocsArgs),
    /// List the ledger's claims, filtered.
    Claims(ledger::ClaimsArgs),
    /// List incidents, ranked by sources or by disagreement.
    Incidents(ledger::IncidentsArgs),
    /// Who says what about one incident.
    Incident(ledger::IncidentArgs),
    /// Export incidents (jsonl, csv, ucdp-csv, geojson).
    Export(ledger::ExportArgs),
    /// Build a ledger from the bundled corpus and print the most contested incidents.
    Demo(ledger::DemoArgs),
    /// Serve the web UI and JSON API over a ledger.
    Serve(serve::ServeArgs),
}

/// Exit status: 0 all inputs read, 1 some inputs failed, 2 usage error (clap's own).
fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Extract(a) => extract::run(a),
        Command::Eval(a) => eval::run(a),
        Command::Bench(a) => bench::run(a),
        Command::Gazetteer(a) => gazetteer::run(a),
        Command::Ingest(a) => ledger::ingest(a),
        Command::Link(a) => ledger::link(a),
        Command::Docs(a) => ledger::docs(a),
        Command::Claims(a) => ledger::claims(a),
        Command::Incidents(a) => ledger::incidents(a),
        Command::Incident(a) => ledger::incident(a),
        Command::Export(a) => ledger::export(a),
        Command::Demo(a) => ledger::demo(a),
        Command::Serve(a) => serve::serve(a),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(1)
        }
    }
}
