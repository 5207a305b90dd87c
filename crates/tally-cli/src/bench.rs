//! `tally bench`: throughput figures. By default, single-thread extraction on a corpus held
//! in memory (the extractor alone). With `--end-to-end`, whole batches through the shared
//! pipeline (reading, HTML main text, decompression, language detection, extraction, JSON
//! output) on inputs generated from the corpus: (a) plain-text files, (b) HTML pages,
//! (c) a WARC.gz archive, each at one thread and at all cores. `--write-warc` writes such an
//! archive of any size, for memory measurements on large inputs (docs/performance.md).

use crate::pipeline::{self, Output};
use crate::progress::Mode;
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;
use tally_core::Document;
use tally_eval::load_corpus;
use tally_extract::Extractor;

#[derive(clap::Args)]
pub struct Args {
    /// Corpus of real text (JSON Lines documents).
    #[arg(default_value = "corpus/fakes.jsonl")]
    corpus: PathBuf,
    /// Megabytes of text to extract from in each round (the corpus is cycled to reach it);
    /// with --end-to-end or --write-warc, megabytes of input of each format.
    #[arg(long, default_value_t = 50)]
    mb: usize,
    /// Rounds to run; the best and the median round are reported, since a shared machine
    /// slows some rounds down.
    #[arg(long, default_value_t = 3)]
    rounds: usize,
    /// Measure whole batches (read → extract → JSON) on generated text files, HTML pages and
    /// a WARC.gz, at one thread and at all cores.
    #[arg(long)]
    end_to_end: bool,
    /// With --end-to-end: the formats to measure.
    #[arg(long, value_delimiter = ',', default_value = "text,html,warc")]
    formats: Vec<String>,
    /// With --end-to-end: thread counts to measure (0 = all cores).
    #[arg(long, value_delimiter = ',', default_value = "1,0")]
    threads: Vec<usize>,
    /// Where the generated inputs go (default: a temporary directory, removed afterwards).
    #[arg(long)]
    dir: Option<PathBuf>,
    /// Write a WARC.gz of --mb megabytes of HTML pages (compressed size is smaller) to this
    /// path and exit.
    #[arg(long, value_name = "PATH")]
    write_warc: Option<PathBuf>,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let docs: Vec<Document> =
        load_corpus(&args.corpus).map_err(anyhow::Error::msg)?.into_iter().map(|d| d.doc).collect();
    anyhow::ensure!(!docs.is_empty(), "{} has no documents", args.corpus.display());
    if let Some(path) = &args.write_warc {
        let (n, bytes) = write_warc(path, &docs, args.mb * 1_000_000)?;
        let stored = std::fs::metadata(path)?.len();
        println!(
            "{}: {n} records, {:.1} MB of HTML, {:.1} MB gzipped",
            path.display(),
            bytes as f64 / 1e6,
            stored as f64 / 1e6
        );
        return Ok(ExitCode::SUCCESS);
    }
    if args.end_to_end {
        return end_to_end(&args, &docs);
    }
    in_memory(&args, &docs)
}

/// Single-thread extraction throughput: the corpus bodies, repeated to `--mb` megabytes.
fn in_memory(args: &Args, docs: &[Document]) -> anyhow::Result<ExitCode> {
    let extractor = Extractor::english();
    let target = args.mb * 1_000_000;
    // Warm up: the lexicons and the gazetteer are loaded outside the timing.
    let warm: usize = docs.iter().map(|d| extractor.extract(d).len()).sum();
    let mut rates = Vec::new();
    let (mut bytes, mut count, mut claims, mut total) = (0usize, 0usize, 0usize, 0f64);
    for _ in 0..args.rounds.max(1) {
        let (mut b, mut n) = (0usize, 0usize);
        let start = Instant::now();
        for d in docs.iter().cycle() {
            if b >= target {
                break;
            }
            claims += extractor.extract(d).len();
            b += d.text.len();
            n += 1;
        }
        let secs = start.elapsed().as_secs_f64();
        rates.push(b as f64 / 1e6 / secs);
        (bytes, count, total) = (bytes + b, count + n, total + secs);
    }
    rates.sort_by(f64::total_cmp);
    let (best, median) = (rates[rates.len() - 1], rates[rates.len() / 2]);
    println!("corpus            {} ({} documents, {} claims per pass)", args.corpus.display(), docs.len(), warm);
    println!("text extracted    {:.1} MB in {count} documents, {} rounds", bytes as f64 / 1e6, rates.len());
    println!("claims            {claims}");
    println!("time              {total:.2} s (1 thread)");
    println!(
        "throughput        {best:.1} MB/s best round, {median:.1} MB/s median, {:.0} documents/s overall",
        count as f64 / total
    );
    if let Some(peak) = peak_rss_kb() {
        println!("peak memory       {:.1} MB", peak as f64 / 1024.0);
    }
    Ok(ExitCode::SUCCESS)
}

fn end_to_end(args: &Args, docs: &[Document]) -> anyhow::Result<ExitCode> {
    let (dir, temporary) = match &args.dir {
        Some(d) => (d.clone(), false),
        None => (std::env::temp_dir().join(format!("tally-bench-{}", std::process::id())), true),
    };
    std::fs::create_dir_all(&dir)?;
    let target = args.mb * 1_000_000;
    let extractor = Extractor::english();
    let _ = extractor.extract(&docs[0]); // load lexicons and gazetteer outside the timing
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!(
        "end to end: read → language → extract → JSON, {} MB of each input, best / median of {} rounds",
        args.mb,
        args.rounds.max(1)
    );
    println!("(MB/s: of the input as stored, gzipped for warc; content MB/s: of the uncompressed pages or text;");
    println!(" text MB/s: of the article text extracted from them)");
    println!(
        "{:<6} {:>7} {:>8} {:>8} {:>8} {:>12} {:>10} {:>8}",
        "input", "threads", "MB", "MB/s", "median", "content MB/s", "text MB/s", "docs/s"
    );
    for format in &args.formats {
        let (input, content) = match format.as_str() {
            "text" => write_files(&dir.join("text"), docs, target, false)?,
            "html" => write_files(&dir.join("html"), docs, target, true)?,
            "warc" => {
                let path = dir.join("pages.warc.gz");
                let (_, bytes) = write_warc(&path, docs, target)?;
                (path, bytes)
            }
            other => anyhow::bail!("unknown format {other:?} (text, html, warc)"),
        };
        for &threads in &args.threads {
            let opts = pipeline::Options { threads, progress: Mode::Quiet, ..Default::default() };
            let inputs = [input.display().to_string()];
            let mut rates = Vec::new();
            let mut last = pipeline::Summary::default();
            let mut secs_total = 0.0;
            for _ in 0..args.rounds.max(1) {
                let mut out = io::sink();
                let start = Instant::now();
                let summary = pipeline::run(&inputs, extractor, &opts, |o| {
                    if let Output::Document(_, claims) = o {
                        for c in &claims {
                            let _ = serde_json::to_writer(&mut out, c);
                        }
                    }
                });
                let secs = start.elapsed().as_secs_f64();
                anyhow::ensure!(summary.failed == 0, "{format}: {} inputs failed", summary.failed);
                rates.push(summary.bytes as f64 / 1e6 / secs);
                secs_total += secs;
                last = summary;
            }
            let mut sorted = rates.clone();
            sorted.sort_by(f64::total_cmp);
            let (best, median) = (sorted[sorted.len() - 1], sorted[sorted.len() / 2]);
            let per_round = secs_total / rates.len() as f64;
            let median_secs = last.bytes as f64 / 1e6 / median;
            println!(
                "{:<6} {:>7} {:>8.1} {:>8.1} {:>8.1} {:>12.1} {:>10.1} {:>8.0}",
                format,
                if threads == 0 { cores } else { threads },
                last.bytes as f64 / 1e6,
                best,
                median,
                content as f64 / 1e6 / median_secs,
                last.text_bytes as f64 / 1e6 / median_secs,
                last.documents as f64 / per_round
            );
        }
    }
    if let Some(peak) = peak_rss_kb() {
        println!("peak memory       {:.1} MB", peak as f64 / 1024.0);
    }
    if temporary {
        std::fs::remove_dir_all(&dir)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// One file per document (`.txt`, or `.html` pages), cycling the corpus to `target` bytes.
/// Returns the directory and the bytes written.
fn write_files(dir: &Path, docs: &[Document], target: usize, html: bool) -> io::Result<(PathBuf, usize)> {
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir)?;
    let mut written = 0;
    for (i, d) in docs.iter().cycle().enumerate() {
        if written >= target {
            break;
        }
        // 100 files a directory, as crawls and saved-page folders spread them.
        let sub = dir.join(format!("{:04}", i / 100));
        if i % 100 == 0 {
            std::fs::create_dir_all(&sub)?;
        }
        let (name, body) =
            if html { (format!("{i:06}.html"), page(d, i)) } else { (format!("{i:06}.txt"), d.text.clone()) };
        std::fs::write(sub.join(name), &body)?;
        written += body.len();
    }
    Ok((dir.to_path_buf(), written))
}

/// A WARC.gz of HTML pages, one gzip member per record as crawlers write them, preceded by
/// a warcinfo record and each response by its request. Returns (records, HTML bytes).
pub fn write_warc(path: &Path, docs: &[Document], target: usize) -> io::Result<(usize, usize)> {
    let mut out = BufWriter::new(File::create(path)?);
    let mut member = |block: &[u8], kind: &str, uri: &str, id: usize, ct: &str| -> io::Result<()> {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        write!(
            gz,
            "WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Date: 2024-03-05T08:00:00Z\r\n\
             WARC-Record-ID: <urn:uuid:00000000-0000-0000-0000-{id:012}>\r\nWARC-Target-URI: {uri}\r\n\
             Content-Type: {ct}\r\nContent-Length: {}\r\n\r\n",
            block.len()
        )?;
        gz.write_all(block)?;
        gz.write_all(b"\r\n\r\n")?;
        out.write_all(&gz.finish()?)
    };
    member(b"software: tally bench\r\nformat: WARC File Format 1.0\r\n", "warcinfo", "", 0, "application/warc-fields")?;
    let (mut written, mut n) = (0, 0);
    for (i, d) in docs.iter().cycle().enumerate() {
        if written >= target {
            break;
        }
        let uri = format!("https://news.example/{}/{i}", d.id);
        let request = format!("GET /{}/{i} HTTP/1.1\r\nHost: news.example\r\n\r\n", d.id);
        member(request.as_bytes(), "request", &uri, 2 * i + 1, "application/http; msgtype=request")?;
        let html = page(d, i);
        let response = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\n\r\n{html}",
            html.len()
        );
        member(response.as_bytes(), "response", &uri, 2 * i + 2, "application/http; msgtype=response")?;
        written += html.len();
        n += 1;
    }
    out.flush()?;
    Ok((n, written))
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// A news page around a corpus article, with what real pages carry around it: a head with
/// OpenGraph and JSON-LD metadata, an inline script, navigation, share buttons, an advert,
/// related articles, readers' comments with a form, and a footer. About 25 KB of HTML for
/// 2-3 KB of article text (real pages run 50-300 KB, mostly scripts, which the reader cuts
/// out in one linear pass).
pub fn page(d: &Document, i: usize) -> String {
    let title = escape(d.title.as_deref().unwrap_or(&d.id));
    let body: String = d
        .text
        .split("\n\n")
        .flat_map(|p| p.split(". ").collect::<Vec<_>>().chunks(3).map(|c| c.join(". ")).collect::<Vec<_>>())
        .filter(|p| !p.trim().is_empty())
        .map(|p| format!("<p>{}</p>\n", escape(p.trim())))
        .collect();
    let nav: String = (0..25).map(|k| format!("<li><a href=\"/section/{k}\">Section {k}</a></li>")).collect();
    let related: String = (1..9)
        .map(|k| format!("<li><a href=\"/story/{}\">Related story number {} of the day</a></li>", i + k, k))
        .collect();
    let script =
        "window.dataLayer = window.dataLayer || []; function track(e){ dataLayer.push({event: e, t: Date.now()}); }\n"
            .repeat(100);
    let footer: String = (0..30).map(|k| format!("<li><a href=\"/about/{k}\">About link {k}</a></li>")).collect();
    format!(
        r##"<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{title} | Example News</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><meta property="og:title" content="{title}">
<meta property="og:site_name" content="Example News"><meta property="article:published_time" content="2017-04-05T10:00:00Z">
<script type="application/ld+json">{{"@context":"https://schema.org","@type":"NewsArticle","headline":"{title}","datePublished":"2017-04-05T10:00:00Z","author":{{"@type":"Person","name":"Staff reporter"}},"publisher":{{"@type":"Organization","name":"Example News"}}}}</script>
<link rel="stylesheet" href="/static/site.css"><style>body{{margin:0;font-family:serif}} .nav li{{display:inline}}</style>
<script>{script}</script></head><body><header class="site-header"><a class="logo" href="/">Example News</a>
<nav class="main-nav"><ul>{nav}</ul></nav></header>
<main><article class="story"><h1>{title}</h1><div class="byline">By Staff reporter</div><time datetime="2017-04-05T10:00:00Z">5 April 2017</time>
<div class="share-buttons"><a href="#">Share on Facebook</a> <a href="#">Share on Twitter</a> <a href="#">Email</a></div>
<div class="article-body">
{body}</div><div class="ad-slot advertisement">Advertisement</div></article>
<aside class="related"><h3>Related articles</h3><ul>{related}</ul></aside>
<section id="comments" class="comments"><h3>Comments</h3><ol class="commentlist"><li class="comment"><div class="comment-author">Reader {i}</div><div class="comment-content"><p>Thank you for reporting this.</p></div></li></ol>
<form class="comment-form"><textarea name="c">Leave a comment</textarea><button>Post</button></form></section></main>
<footer><ul>{footer}</ul><p>Copyright 2017 Example News. All rights reserved.</p></footer><script>{script}</script></body></html>
"##
    )
}

/// Peak resident set size (VmHWM) on Linux.
fn peak_rss_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}
