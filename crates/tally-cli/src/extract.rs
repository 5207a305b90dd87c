//! `tally extract`: claims from files, directories, archives or stdin, written as JSON Lines,
//! CSV or a table, through the shared batch pipeline (parallel, in input order); problems on
//! stderr as they come, a summary line at the end, and the exit status saying whether every
//! input was read.

use crate::output::{ClaimWriter, Format};
use crate::pipeline::{self, Output, Summary};
use crate::progress::Mode;
use std::io::{self, IsTerminal};
use std::process::ExitCode;
use tally_extract::Extractor;

/// Input selection and progress flags, shared with `tally ingest` and `tally bench`.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct BatchArgs {
    /// Extraction threads (0 = one per core).
    #[arg(short = 'j', long = "threads", default_value_t = 0)]
    pub threads: usize,
    /// No progress display, and no summary line when every input was read.
    #[arg(long, conflicts_with = "json_progress")]
    pub quiet: bool,
    /// Progress as JSON lines on stderr (about one a second, and a last one when done); events
    /// and the summary become JSON lines too.
    #[arg(long)]
    pub json_progress: bool,
    /// Read only files below directories that match this glob (repeatable; default: the
    /// document types .txt .html .htm .jsonl .ndjson .warc, optionally .gz / .zst).
    #[arg(long, value_name = "GLOB")]
    pub include: Vec<String>,
    /// Skip files and subdirectories below directories that match this glob (repeatable).
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,
    /// Report each WARC record that is not a document (not HTTP, not 2xx, not HTML or text)
    /// on its own line; by default one line per input sums them up by reason.
    #[arg(long)]
    pub verbose: bool,
}

impl BatchArgs {
    pub fn options(&self, progress_allowed: bool) -> pipeline::Options {
        let progress = if self.quiet {
            Mode::Quiet
        } else if self.json_progress {
            Mode::Json
        } else if progress_allowed {
            Mode::Auto
        } else {
            Mode::Quiet
        };
        pipeline::Options {
            threads: self.threads,
            progress,
            include: self.include.clone(),
            exclude: self.exclude.clone(),
            each_skip: self.verbose,
        }
    }

    /// Prints an event on stderr: its line, or with `--json-progress` a JSON object
    /// (`{"level", "input", "line", "offset", "message", "count"}`, `count` being how many
    /// inputs or records it stands for) so that stderr stays JSON lines.
    pub fn report(&self, event: &tally_read::Event) {
        if self.json_progress {
            let json = serde_json::json!({
                "level": event.level(),
                "input": event.input(),
                "line": event.line(),
                "offset": event.offset(),
                "message": event.message(),
                "count": event.count(),
            });
            eprintln!("{json}");
        } else {
            eprintln!("{event}");
        }
    }

    /// Prints the summary line (stderr) and returns the exit status: 0 every input read, 1
    /// some failed.
    pub fn finish(&self, s: &Summary, failed: &[String]) -> ExitCode {
        if self.json_progress {
            eprintln!("{}", summary_json(s, failed));
        } else if !(self.quiet && s.failed == 0) {
            eprintln!("{}", summary_line(s, failed));
        }
        if s.failed == 0 {
            ExitCode::SUCCESS
        } else {
            ExitCode::from(1)
        }
    }
}

#[derive(clap::Args)]
pub struct Args {
    /// Files (.txt, .html, .jsonl, .warc, each optionally .gz or .zst), directories, or - for
    /// JSON Lines (or a WARC archive) on stdin.
    #[arg(required = true)]
    inputs: Vec<String>,
    /// Output format; default: table on a terminal, jsonl otherwise.
    #[arg(long, value_enum)]
    format: Option<Format>,
    /// Resolve places in this gazetteer (`tally gazetteer import`) instead of the built-in one.
    #[arg(long, env = "TALLY_GAZETTEER")]
    gazetteer: Option<std::path::PathBuf>,
    #[command(flatten)]
    batch: BatchArgs,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let stdout = io::stdout();
    let to_terminal = stdout.is_terminal();
    let format = args.format.unwrap_or(if to_terminal { Format::Table } else { Format::Jsonl });
    let opts = args.batch.options(!to_terminal);
    if let Err(e) = opts.validate() {
        eprintln!("error: {e}");
        return Ok(ExitCode::from(2));
    }
    let mut writer = ClaimWriter::new(io::BufWriter::new(stdout.lock()), format);
    let mut extractor = Extractor::english();
    if let Some(dir) = &args.gazetteer {
        extractor = extractor.with_gazetteer(crate::gazetteer::load(dir)?);
    }
    let mut failed = Vec::new();
    let mut write_error = None;
    let summary = pipeline::run(&args.inputs, extractor, &opts, |o| match o {
        // Once stdout is gone (a closed pipe), reading on only reports problems.
        Output::Document(..) if write_error.is_some() => {}
        Output::Document(_, claims) => {
            for claim in &claims {
                if let Err(e) = writer.write(claim) {
                    write_error.get_or_insert(e);
                    break;
                }
            }
        }
        Output::Event(event) => {
            args.batch.report(&event);
            if event.is_error() {
                failed.push(event.location());
            }
        }
    });
    let flushed = writer.finish();
    if let Some(e) = write_error.or(flushed.err()) {
        if e.kind() != io::ErrorKind::BrokenPipe {
            return Err(e.into());
        }
    }
    Ok(args.batch.finish(&summary, &failed))
}

/// `tally: 12 documents (1 not analysed: not English), 30 claims; 2 skipped; 1 inputs failed: a.txt`
pub fn summary_line(s: &Summary, failed: &[String]) -> String {
    let mut line = format!("tally: {} documents", s.documents);
    if s.not_analysed > 0 {
        line.push_str(&format!(" ({} not analysed: not English)", s.not_analysed));
    }
    line.push_str(&format!(", {} claims", s.claims));
    if s.skipped > 0 {
        line.push_str(&format!("; {} skipped", s.skipped));
    }
    if s.failed > 0 {
        const SHOWN: usize = 10;
        let more = failed.len().saturating_sub(SHOWN);
        let list = failed.iter().take(SHOWN).cloned().collect::<Vec<_>>().join(", ");
        line.push_str(&format!("; {} inputs failed: {list}", s.failed));
        if more > 0 {
            line.push_str(&format!(" and {more} more"));
        }
    }
    line
}

fn summary_json(s: &Summary, failed: &[String]) -> serde_json::Value {
    serde_json::json!({
        "summary": {
            "files": s.files,
            "documents": s.documents,
            "not_analysed": s.not_analysed,
            "claims": s.claims,
            "skipped": s.skipped,
            "failed": s.failed,
            "warnings": s.warnings,
            "bytes": s.bytes,
            "failed_inputs": failed,
        }
    })
}
