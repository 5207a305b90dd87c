use crate::output::{ClaimWriter, Format};
use std::io::{self, IsTerminal};
use std::process::ExitCode;
use tally_extract::Extractor;
use tally_read::{read_inputs, Event, Item};

#[derive(clap::Args)]
pub struct Args {
    /// Files (.txt, .html, .jsonl), directories, or - for JSON Lines on stdin.
    #[arg(required = true)]
    inputs: Vec<String>,
    /// Output format; default: table on a terminal, jsonl otherwise.
    #[arg(long, value_enum)]
    format: Option<Format>,
    /// Resolve places in this gazetteer (`tally gazetteer import`) instead of the built-in one.
    #[arg(long, env = "TALLY_GAZETTEER")]
    gazetteer: Option<std::path::PathBuf>,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let stdout = io::stdout();
    let format = args.format.unwrap_or(if stdout.is_terminal() { Format::Table } else { Format::Jsonl });
    let mut writer = ClaimWriter::new(io::BufWriter::new(stdout.lock()), format);
    let mut extractor = Extractor::english();
    if let Some(dir) = &args.gazetteer {
        extractor = extractor.with_gazetteer(crate::gazetteer::load(dir)?);
    }
    let (mut docs, mut claims, mut failed) = (0usize, 0usize, Vec::new());
    let mut write_error = None;
    read_inputs(&args.inputs, |item| match item {
        // Once stdout is gone (a closed pipe), reading on only reports problems.
        Item::Document(_) if write_error.is_some() => docs += 1,
        Item::Document(doc) => {
            docs += 1;
            extractor.extract_each(&doc, |claim| {
                claims += 1;
                if let Err(e) = writer.write(&claim) {
                    write_error.get_or_insert(e);
                }
            });
        }
        Item::Event(event) => {
            eprintln!("{event}");
            if let Event::Error { input, line, .. } = &event {
                failed.push(line.map_or(input.clone(), |l| format!("{input}:{l}")));
            }
        }
    });
    let flushed = writer.finish();
    if let Some(e) = write_error.or(flushed.err()) {
        if e.kind() != io::ErrorKind::BrokenPipe {
            return Err(e.into());
        }
    }
    if failed.is_empty() {
        if io::stderr().is_terminal() {
            eprintln!("tally: {docs} documents, {claims} claims");
        }
        Ok(ExitCode::SUCCESS)
    } else {
        eprintln!("tally: {docs} documents, {claims} claims; {} inputs failed: {}", failed.len(), failed.join(", "));
        Ok(ExitCode::from(1))
    }
}
