use anyhow::Context;
use std::io::BufReader;
use std::path::PathBuf;
use std::process::ExitCode;
use tally_gazetteer::{import_geonames, Gazetteer};

#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(clap::Subcommand)]
enum Command {
    /// Build a gazetteer from a full GeoNames dump (allCountries.txt, a country file such as
    /// AZ.txt, or cities500.txt), for `tally extract --gazetteer DIR`.
    Import {
        /// The GeoNames dump (tab-separated `geoname` table, 19 columns).
        dump: PathBuf,
        /// Directory to write places.tsv.gz and names.tsv.gz into.
        #[arg(long)]
        out: PathBuf,
    },
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    match args.command {
        Command::Import { dump, out } => {
            let file = std::fs::File::open(&dump).with_context(|| format!("{}: cannot open", dump.display()))?;
            let builtin = Gazetteer::builtin();
            let summary = import_geonames(BufReader::new(file), &out, |s| builtin.fold(s))
                .with_context(|| format!("importing {} into {}", dump.display(), out.display()))?;
            println!(
                "{}: {} lines, {} places, {} names written to {}",
                dump.display(),
                summary.lines,
                summary.places,
                summary.names,
                out.display()
            );
            if summary.bad_count > 0 {
                let shown: Vec<String> = summary.bad_lines.iter().map(|l| l.to_string()).collect();
                eprintln!(
                    "warning: {}: {} lines are not 19 tab-separated fields (lines {}…)",
                    dump.display(),
                    summary.bad_count,
                    shown.join(", ")
                );
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// The gazetteer `--gazetteer DIR` names, loaded once for the process.
pub fn load(dir: &std::path::Path) -> anyhow::Result<&'static Gazetteer> {
    let g = Gazetteer::from_dir(dir)
        .with_context(|| format!("{}: not a gazetteer directory (places.tsv.gz, names.tsv.gz)", dir.display()))?;
    Ok(Box::leak(Box::new(g)))
}
