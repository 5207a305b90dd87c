//! The ledger commands: `ingest`, `link`, `docs`, `claims`, `incidents`, `incident`, `export`
//! and `demo`. Each opens the ledger (`--db`, `TALLY_DB`, else ./tally.db), calls
//! tally-ledger, and prints.

use crate::output::{clip, ClaimWriter, Format};
use crate::pipeline::{self, Output};
use anyhow::Context;
use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use tally_core::{Document, Kind, Stance};
use tally_extract::Extractor;
use tally_ledger::export::{csv_line, ExportFormat};
use tally_ledger::{ClaimFilter, IncidentFilter, IncidentSort, Ledger};

#[derive(clap::Args)]
pub struct Db {
    /// The ledger file (SQLite).
    #[arg(long, env = "TALLY_DB", default_value = "tally.db", global = true)]
    db: PathBuf,
}

impl Db {
    fn open(&self) -> anyhow::Result<Ledger> {
        let ledger = Ledger::open(&self.db).with_context(|| format!("opening the ledger {}", self.db.display()))?;
        if ledger.needs_link()? {
            eprintln!("warning: {} has documents not yet linked into incidents; run `tally link`", self.db.display());
        }
        Ok(ledger)
    }
}

#[derive(clap::Args)]
pub struct IngestArgs {
    /// Files, directories, or - for JSON Lines on stdin (as for `tally extract`).
    #[arg(required = true)]
    inputs: Vec<String>,
    #[command(flatten)]
    db: Db,
    /// Documents per transaction.
    #[arg(long, default_value_t = 500)]
    batch: usize,
    /// Store only; leave linking to a later `tally link`.
    #[arg(long)]
    no_link: bool,
    /// Print the summary as JSON.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    read: crate::extract::BatchArgs,
}

/// Reads, extracts and stores documents in batches; then links. Exit 1 if any input failed.
pub fn ingest(args: IngestArgs) -> anyhow::Result<ExitCode> {
    let mut ledger =
        Ledger::open(&args.db.db).with_context(|| format!("opening the ledger {}", args.db.db.display()))?;
    let opts = args.read.options(std::io::stderr().is_terminal());
    opts.validate().map_err(anyhow::Error::msg)?;
    let (stats, failed) = ingest_inputs(&mut ledger, &args.inputs, args.batch.max(1), &opts)?;
    let link = if args.no_link { None } else { Some(ledger.link()?) };
    if args.json {
        println!("{}", serde_json::json!({"ingest": stats, "link": link, "failed": failed}));
    } else {
        eprintln!(
            "tally: {} documents added, {} unchanged, {} replaced, {} re-analysed ({} copies of earlier ones, {} not analysed); {} claims",
            stats.added,
            stats.unchanged,
            stats.replaced,
            stats.reanalysed,
            stats.copies,
            stats.not_analysed,
            stats.claims
        );
        if let Some(l) = link {
            eprintln!(
                "tally: {} incidents ({} with several voices, {} with contradictions), {} running totals",
                l.incidents, l.corroborated, l.contradicted, l.totals
            );
        }
    }
    if !failed.is_empty() {
        eprintln!("tally: {} inputs failed: {}", failed.len(), failed.join(", "));
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

/// Reads and extracts through the shared pipeline (parallel, in input order) and stores
/// the documents in batches of `batch_size`, one transaction each.
fn ingest_inputs(
    ledger: &mut Ledger,
    inputs: &[String],
    batch_size: usize,
    opts: &pipeline::Options,
) -> anyhow::Result<(tally_ledger::IngestStats, Vec<String>)> {
    ledger.set_analyser(tally_extract::ANALYSER);
    let mut stats = tally_ledger::IngestStats::default();
    let mut failed = Vec::new();
    let mut batch: Vec<(Document, Vec<tally_core::Claim>)> = Vec::new();
    let mut store_error = None;
    pipeline::run(inputs, Extractor::english(), opts, |item| match item {
        Output::Document(doc, claims) => {
            if store_error.is_some() {
                return;
            }
            batch.push((doc, claims));
            if batch.len() >= batch_size {
                match ledger.ingest(&batch) {
                    Ok(s) => stats.add(s),
                    Err(e) => store_error = Some(e),
                }
                batch.clear();
            }
        }
        Output::Event(event) => {
            eprintln!("{event}");
            if event.is_error() {
                failed.push(event.location());
            }
        }
    });
    if let Some(e) = store_error {
        return Err(e).context("storing documents");
    }
    stats.add(ledger.ingest(&batch).context("storing documents")?);
    Ok((stats, failed))
}

#[derive(clap::Args)]
pub struct LinkArgs {
    #[command(flatten)]
    db: Db,
}

pub fn link(args: LinkArgs) -> anyhow::Result<ExitCode> {
    let mut ledger = Ledger::open(&args.db.db)?;
    let l = ledger.link()?;
    eprintln!("tally: {} claims in {} incidents and {} running totals", l.claims, l.incidents, l.totals);
    Ok(ExitCode::SUCCESS)
}

/// Filters shared by the listing commands.
#[derive(clap::Args, Default)]
pub struct Filters {
    #[arg(long, value_parser = parse_kind)]
    kind: Option<Kind>,
    /// A place as written or resolved; includes places inside it when a report names it as a region.
    #[arg(long)]
    place: Option<String>,
    /// From this date (YYYY-MM-DD), by the claim's time or else its document's date.
    #[arg(long)]
    from: Option<String>,
    /// Up to this date (YYYY-MM-DD).
    #[arg(long)]
    to: Option<String>,
    /// Claimant's words contain this (case-insensitive).
    #[arg(long)]
    source: Option<String>,
    #[arg(long)]
    outlet: Option<String>,
    #[arg(long, value_parser = parse_stance)]
    stance: Option<Stance>,
    #[arg(long)]
    limit: Option<usize>,
    #[arg(long, default_value_t = 0)]
    offset: usize,
}

fn parse_kind(s: &str) -> Result<Kind, String> {
    Kind::parse(s).ok_or_else(|| format!("not a kind: {s} (killed, injured, missing, captured, displaced, damaged)"))
}

fn parse_stance(s: &str) -> Result<Stance, String> {
    Stance::parse(s).ok_or_else(|| format!("not a stance: {s} (asserted, hedged, disputed, denied)"))
}

impl Filters {
    fn claim_filter(&self) -> ClaimFilter {
        ClaimFilter {
            kind: self.kind,
            place: self.place.clone(),
            from: self.from.clone(),
            to: self.to.clone(),
            source: self.source.clone(),
            outlet: self.outlet.clone(),
            stance: self.stance,
            limit: self.limit,
            offset: self.offset,
            ..ClaimFilter::default()
        }
    }
}

fn default_format(format: Option<Format>) -> Format {
    format.unwrap_or(if io::stdout().is_terminal() { Format::Table } else { Format::Jsonl })
}

#[derive(clap::Args)]
pub struct DocsArgs {
    #[command(flatten)]
    db: Db,
    #[arg(long, value_enum)]
    format: Option<Format>,
    #[arg(long)]
    limit: Option<usize>,
    #[arg(long, default_value_t = 0)]
    offset: usize,
}

pub fn docs(args: DocsArgs) -> anyhow::Result<ExitCode> {
    let ledger = args.db.open()?;
    let rows = ledger.documents(args.limit, args.offset)?;
    let mut out = io::BufWriter::new(io::stdout().lock());
    match default_format(args.format) {
        Format::Jsonl => rows.iter().try_for_each(|r| json_line(&mut out, r))?,
        Format::Csv => {
            writeln!(out, "id,published,outlet,lang,analysed,bytes,claims,copy_of,similarity,origins,title")?;
            for r in &rows {
                let origins: Vec<&str> = r.origins.iter().map(|o| o.name.as_str()).collect();
                let fields = [
                    r.id.clone(),
                    opt(&r.published),
                    opt(&r.outlet),
                    opt(&r.lang),
                    r.analysed.to_string(),
                    r.bytes.to_string(),
                    r.claims.to_string(),
                    opt(&r.copy_of),
                    r.similarity.map_or(String::new(), |s| format!("{s:.2}")),
                    origins.join(";"),
                    opt(&r.title),
                ];
                csv_line(&mut out, &fields)?;
            }
        }
        Format::Table => {
            writeln!(
                out,
                "{:<16} {:<10} {:<12} {:>6}  {:<16} title",
                "id", "published", "outlet", "claims", "copy of"
            )?;
            for r in &rows {
                writeln!(
                    out,
                    "{:<16} {:<10} {:<12} {:>6}  {:<16} {}",
                    clip(&r.id, 16),
                    opt(&r.published),
                    clip(&opt(&r.outlet), 12),
                    r.claims,
                    clip(&opt(&r.copy_of), 16),
                    clip(&opt(&r.title), 70)
                )?;
            }
        }
    }
    finish(out)
}

#[derive(clap::Args)]
pub struct ClaimsArgs {
    #[command(flatten)]
    db: Db,
    #[command(flatten)]
    filters: Filters,
    /// Only the claims of this incident.
    #[arg(long)]
    incident: Option<String>,
    /// Only the claims of this document (its id as ingested).
    #[arg(long)]
    doc: Option<String>,
    #[arg(long, value_enum)]
    format: Option<Format>,
}

pub fn claims(args: ClaimsArgs) -> anyhow::Result<ExitCode> {
    let ledger = args.db.open()?;
    let filter = ClaimFilter { incident: args.incident, doc: args.doc, ..args.filters.claim_filter() };
    let rows = ledger.claims(&filter)?;
    let format = default_format(args.format);
    let mut out = io::BufWriter::new(io::stdout().lock());
    if format == Format::Jsonl {
        rows.iter().try_for_each(|r| json_line(&mut out, r))?;
        return finish(out);
    }
    let mut writer = ClaimWriter::with_columns(&mut out, format, &["claim_id", "incident"]);
    for r in &rows {
        writer.write_with(&r.claim, &[r.id.to_string(), opt(&r.incident)])?;
    }
    writer.finish()?;
    finish(out)
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum Sort {
    Sources,
    Disagreement,
    Date,
}

#[derive(clap::Args)]
pub struct IncidentsArgs {
    #[command(flatten)]
    db: Db,
    #[command(flatten)]
    filters: Filters,
    /// Rank by number of independent voices, by disagreement, or newest first.
    #[arg(long, value_enum, default_value = "sources")]
    sort: Sort,
    /// Only incidents with at least this many independent voices.
    #[arg(long, default_value_t = 0)]
    min_sources: usize,
    /// Only incidents whose disagreement score (contradictions plus relative spread) is at least this.
    #[arg(long)]
    min_disagreement: Option<f64>,
    /// Include running totals (conflict-period tolls).
    #[arg(long)]
    totals: bool,
    #[arg(long, value_enum)]
    format: Option<Format>,
}

impl IncidentsArgs {
    fn filter(&self) -> IncidentFilter {
        IncidentFilter {
            claims: self.filters.claim_filter(),
            min_sources: self.min_sources,
            min_disagreement: self.min_disagreement,
            totals: self.totals,
            sort: match self.sort {
                Sort::Sources => IncidentSort::Sources,
                Sort::Disagreement => IncidentSort::Disagreement,
                Sort::Date => IncidentSort::Date,
            },
        }
    }
}

pub fn incidents(args: IncidentsArgs) -> anyhow::Result<ExitCode> {
    let ledger = args.db.open()?;
    let format = default_format(args.format);
    let mut out = io::BufWriter::new(io::stdout().lock());
    print_incidents(&ledger, &args.filter(), format, &mut out)?;
    finish(out)
}

fn print_incidents(
    ledger: &Ledger,
    filter: &IncidentFilter,
    format: Format,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    match format {
        Format::Jsonl => {
            for row in ledger.incidents(filter)? {
                let detail = ledger.incident(&row.id)?.context("incident vanished while listing")?;
                json_line(out, &detail)?;
            }
        }
        Format::Csv => {
            ledger.export(filter, ExportFormat::Csv, out)?;
        }
        Format::Table => {
            let rows = ledger.incidents(filter)?;
            writeln!(
                out,
                "{:<12} {:>7} {:>7} {:>7}  {:>7} {:>4} {:>6}  label",
                "id", "low", "best", "high", "sources", "docs", "contra"
            )?;
            for r in rows {
                let n = |v: Option<u64>| v.map_or("-".into(), |v| v.to_string());
                writeln!(
                    out,
                    "{:<12} {:>7} {:>7} {:>7}  {:>7} {:>4} {:>6}  {}",
                    r.id,
                    n(r.low),
                    n(r.best),
                    n(r.high),
                    r.sources,
                    r.docs,
                    r.contradictions,
                    clip(&r.label, 70)
                )?;
            }
        }
    }
    Ok(())
}

#[derive(clap::Args)]
pub struct IncidentArgs {
    /// The incident id (from `tally incidents`).
    id: String,
    #[command(flatten)]
    db: Db,
    #[arg(long, value_enum)]
    format: Option<Format>,
}

/// "Who says what": one line per source with figure, stance, outlet, date and quote.
pub fn incident(args: IncidentArgs) -> anyhow::Result<ExitCode> {
    let ledger = args.db.open()?;
    let Some(d) = ledger.incident(&args.id)? else {
        eprintln!("error: no incident {:?} in {}", args.id, args.db.db.display());
        return Ok(ExitCode::from(1));
    };
    let mut out = io::BufWriter::new(io::stdout().lock());
    match default_format(args.format) {
        Format::Jsonl => json_line(&mut out, &d)?,
        Format::Csv => {
            writeln!(
                out,
                "kind,victims,voice,claimant,outlet,published,doc,count_text,low,high,stance,counted,note,quote"
            )?;
            for (f, s) in who_says_what(&d) {
                let fields = [
                    str_of(f, "kind"),
                    str_of(f, "victims"),
                    str_of(s, "voice"),
                    str_of(s, "claimant"),
                    str_of(s, "outlet"),
                    str_of(s, "published"),
                    str_of(s, "doc"),
                    str_of(s, "count_text"),
                    num_of(s, "low"),
                    num_of(s, "high"),
                    str_of(s, "stance"),
                    s["counted"].to_string(),
                    str_of(s, "note"),
                    str_of(s, "quote"),
                ];
                csv_line(&mut out, &fields)?;
            }
        }
        Format::Table => {
            let r = &d.row;
            writeln!(out, "{}  {}", r.id, r.label)?;
            if r.place_variants.len() > 1 {
                writeln!(out, "place as written: {}", r.place_variants.join(" / "))?;
            }
            for f in d.reconciliation["figures"].as_array().into_iter().flatten() {
                writeln!(
                    out,
                    "\n{} ({}): low {}  best {}  high {}  from {} voices",
                    str_of(f, "kind"),
                    str_of(f, "victims"),
                    num_of(f, "low"),
                    num_of(f, "best"),
                    num_of(f, "high"),
                    num_of(f, "voices")
                )?;
                for s in f["sources"].as_array().into_iter().flatten() {
                    let who = s["claimant"].as_str().map_or_else(|| str_of(s, "outlet"), str::to_string);
                    let note = s["note"].as_str().map_or(String::new(), |n| format!(" [{n}]"));
                    writeln!(
                        out,
                        "  {:<28} {:<14} {:<10} {:<12} {:<9}{}  \"{}\"",
                        clip(&who, 28),
                        clip(&str_of(s, "count_text"), 14),
                        str_of(s, "published"),
                        clip(&str_of(s, "outlet"), 12),
                        str_of(s, "stance"),
                        note,
                        clip(&str_of(s, "quote").replace(char::is_whitespace, " "), 100)
                    )?;
                }
            }
            let contradictions = d.reconciliation["contradictions"].as_array().cloned().unwrap_or_default();
            if !contradictions.is_empty() {
                writeln!(out, "\ncontradictions:")?;
                for c in contradictions {
                    writeln!(out, "  {}: {}", str_of(&c, "kind"), str_of(&c, "reason"))?;
                }
            }
        }
    }
    finish(out)
}

fn who_says_what(d: &tally_ledger::query::IncidentDetail) -> Vec<(&serde_json::Value, &serde_json::Value)> {
    let figures = d.reconciliation["figures"].as_array().map(Vec::as_slice).unwrap_or_default();
    figures.iter().flat_map(|f| f["sources"].as_array().into_iter().flatten().map(move |s| (f, s))).collect()
}

fn str_of(v: &serde_json::Value, k: &str) -> String {
    v[k].as_str().unwrap_or_default().to_string()
}

fn num_of(v: &serde_json::Value, k: &str) -> String {
    v[k].as_u64().map_or("-".into(), |n| n.to_string())
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum ExportKind {
    Jsonl,
    Csv,
    UcdpCsv,
    Geojson,
}

#[derive(clap::Args)]
pub struct ExportArgs {
    #[command(flatten)]
    db: Db,
    #[arg(long, value_enum)]
    format: ExportKind,
    #[command(flatten)]
    filters: Filters,
    /// Include running totals (jsonl and csv only).
    #[arg(long)]
    totals: bool,
    /// Write to this file instead of stdout.
    #[arg(long, short)]
    out: Option<PathBuf>,
}

pub fn export(args: ExportArgs) -> anyhow::Result<ExitCode> {
    let ledger = args.db.open()?;
    let filter =
        IncidentFilter { claims: args.filters.claim_filter(), totals: args.totals, ..IncidentFilter::default() };
    let format = match args.format {
        ExportKind::Jsonl => ExportFormat::Jsonl,
        ExportKind::Csv => ExportFormat::Csv,
        ExportKind::UcdpCsv => ExportFormat::UcdpCsv,
        ExportKind::Geojson => ExportFormat::Geojson,
    };
    let n = match &args.out {
        Some(path) => {
            let mut f = io::BufWriter::new(
                std::fs::File::create(path).with_context(|| format!("creating {}", path.display()))?,
            );
            let n = ledger.export(&filter, format, &mut f)?;
            f.flush()?;
            n
        }
        None => {
            let mut out = io::BufWriter::new(io::stdout().lock());
            let n = ledger.export(&filter, format, &mut out)?;
            finish(out)?;
            n
        }
    };
    eprintln!("tally: exported {n} incidents");
    Ok(ExitCode::SUCCESS)
}

#[derive(clap::Args)]
pub struct DemoArgs {
    /// Where to build the demo ledger.
    #[arg(long, default_value = "tally-demo.db")]
    db: PathBuf,
    /// How many of the most contested incidents to print.
    #[arg(long, default_value_t = 15)]
    top: usize,
    /// Then serve the web UI over the demo ledger (see `tally serve`).
    #[arg(long)]
    serve: bool,
    #[command(flatten)]
    server: crate::serve::ServerArgs,
}

/// The bundled corpus: FA-KES (CC BY 4.0, see NOTICE).
const BUNDLED: &str = "corpus/fakes.jsonl";

/// Builds a ledger from the bundled corpus and prints its most contested incidents.
pub fn demo(args: DemoArgs) -> anyhow::Result<ExitCode> {
    let corpus = find_bundled()?;
    let mut ledger = Ledger::open(&args.db).with_context(|| format!("opening {}", args.db.display()))?;
    let opts = pipeline::Options { progress: crate::progress::Mode::Quiet, ..pipeline::Options::default() };
    let (stats, failed) = ingest_inputs(&mut ledger, &[corpus.display().to_string()], 500, &opts)?;
    let link = ledger.link()?;
    let counts = ledger.counts()?;
    eprintln!(
        "tally: ledger {}: {} documents ({} new, {} copies), {} claims, {} incidents ({} with several voices, {} contradicted)",
        args.db.display(),
        counts.documents,
        stats.added,
        counts.copies,
        counts.claims,
        link.incidents,
        counts.multi_source,
        counts.contradicted
    );
    let filter = IncidentFilter {
        claims: ClaimFilter { limit: Some(args.top), ..ClaimFilter::default() },
        min_sources: 2,
        sort: IncidentSort::Disagreement,
        ..IncidentFilter::default()
    };
    let mut out = io::BufWriter::new(io::stdout().lock());
    writeln!(out, "The most contested incidents (tally incident ID --db {} shows who says what):", args.db.display())?;
    print_incidents(&ledger, &filter, Format::Table, &mut out)?;
    finish(out)?;
    if !failed.is_empty() {
        return Ok(ExitCode::from(1));
    }
    if args.serve {
        drop(ledger);
        return args.server.run(args.db);
    }
    Ok(ExitCode::SUCCESS)
}

/// The corpus next to the working directory or the binary (a checkout's target/ dir).
fn find_bundled() -> anyhow::Result<PathBuf> {
    let mut candidates = vec![PathBuf::from(BUNDLED)];
    if let Ok(exe) = std::env::current_exe() {
        candidates.extend(exe.ancestors().skip(1).map(|d| d.join(BUNDLED)));
    }
    candidates
        .into_iter()
        .find(|p| p.is_file())
        .with_context(|| format!("{BUNDLED} not found: run from a tally checkout"))
}

fn opt(s: &Option<String>) -> String {
    s.clone().unwrap_or_default()
}

fn json_line(out: &mut impl Write, v: &impl serde::Serialize) -> io::Result<()> {
    serde_json::to_writer(&mut *out, v)?;
    out.write_all(b"\n")
}

/// Flushes stdout; a closed pipe (`| head`) is not an error.
fn finish(mut out: impl Write) -> anyhow::Result<ExitCode> {
    match out.flush() {
        Err(e) if e.kind() != io::ErrorKind::BrokenPipe => Err(e.into()),
        _ => Ok(ExitCode::SUCCESS),
    }
}
