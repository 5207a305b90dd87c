//! `tally`: the command line. Each subcommand parses its flags and calls a library; the
//! logic lives in the tally-* crates.

mod bench;
mod eval;
mod extract;
mod gazetteer;
mod output;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

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
    /// Measure single-thread extraction throughput on a corpus.
    Bench(bench::Args),
    /// Manage gazetteers (place names).
    Gazetteer(gazetteer::Args),
}

/// Exit status: 0 all inputs read, 1 some inputs failed, 2 usage error (clap's own).
fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Extract(a) => extract::run(a),
        Command::Eval(a) => eval::run(a),
        Command::Bench(a) => bench::run(a),
        Command::Gazetteer(a) => gazetteer::run(a),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(1)
        }
    }
}
