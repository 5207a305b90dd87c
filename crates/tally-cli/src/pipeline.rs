//! The batch pipeline shared by `tally extract` and `tally ingest`: read inputs on one
//! thread; reduce web pages to their article, detect each document's language and extract
//! claims on `threads` workers; and hand results to the caller on its own thread in input
//! order, whatever the thread count.
//!
//! Memory stays bounded: at most [`MAX_IN_FLIGHT`] items and [`MAX_BYTES_IN_FLIGHT`] bytes of
//! text are between the reader and the caller (one larger document is let through alone), so
//! a slow document holds the reader back instead of letting finished ones pile up.
//! Documents in other languages than English come out with no claims and `lang` set
//! ("not analysed"); a panic while extracting one document is reported as an error on that
//! document and the batch goes on.

use crate::progress::{self, Display, Snapshot};
use std::collections::BTreeMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::Ordering;
use std::sync::mpsc::{channel, sync_channel, Receiver, RecvTimeoutError};
use std::sync::{Condvar, Mutex};
use std::time::Duration;
use tally_core::{Claim, Document};
use tally_extract::Extractor;
use tally_read::{lang, Event, Item, Plan, Progress, Raw};

/// Items (documents and events) between the reader and the caller at most.
pub const MAX_IN_FLIGHT: usize = 256;
/// Bytes of document text between the reader and the caller at most.
pub const MAX_BYTES_IN_FLIGHT: usize = 64 << 20;

#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Extraction threads; 0 = one per core.
    pub threads: usize,
    pub progress: progress::Mode,
    /// Globs for files below directories (see `tally_read::Options`).
    pub include: Vec<String>,
    pub exclude: Vec<String>,
    /// Report each WARC record that is not a document (`--verbose`), rather than one line
    /// per input summing them up.
    pub each_skip: bool,
}

impl Options {
    /// The globs compile (a bad one is a usage error).
    pub fn validate(&self) -> Result<(), String> {
        for g in self.include.iter().chain(&self.exclude) {
            tally_read::Glob::new(g).map_err(|e| format!("bad glob {g:?}: {e}"))?;
        }
        Ok(())
    }

    fn worker_count(&self) -> usize {
        match self.threads {
            0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
            n => n,
        }
    }
}

/// What the caller receives, in input order.
pub enum Output {
    /// A document and its claims (none when it is not analysed: see [`analysed`]).
    Document(Document, Vec<Claim>),
    Event(Event),
}

/// What a batch did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// Inputs (files, stdin) read or tried.
    pub files: u64,
    /// Documents read (analysed or not).
    pub documents: u64,
    /// Documents stored but not analysed: their language is not English.
    pub not_analysed: u64,
    pub claims: u64,
    /// Inputs and records deliberately not read (counted per file or record, also when one
    /// event sums up many: `Event::count`).
    pub skipped: u64,
    /// Inputs and records that could not be read (each error event).
    pub failed: u64,
    pub warnings: u64,
    /// Stored bytes read (compressed size for compressed inputs).
    pub bytes: u64,
    /// Bytes of document text.
    pub text_bytes: u64,
}

/// Whether extraction ran on `doc`: its language is English or unknown.
pub fn analysed(doc: &Document) -> bool {
    doc.is_analysed()
}

/// Reads `inputs`, extracts claims, and calls `out` with each result in input order.
pub fn run(inputs: &[String], extractor: Extractor, opts: &Options, mut out: impl FnMut(Output)) -> Summary {
    let mut summary = Summary::default();
    let read_opts = tally_read::Options { include: opts.include.clone(), exclude: opts.exclude.clone() };
    let mut plan = match tally_read::plan(inputs, &read_opts) {
        Ok(p) => p,
        Err(message) => {
            let e = Event::Error { input: "--include/--exclude".into(), line: None, offset: None, message };
            summary.count(&Output::Event(e.clone()));
            out(Output::Event(e));
            return summary;
        }
    };
    plan.each_skip = opts.each_skip;
    summary.files = plan.files;
    let progress = Progress::default();
    let mut display = Display::new(opts.progress);
    let snapshot = |s: &Summary| Snapshot {
        files_done: progress.files_done.load(Ordering::Relaxed),
        files_total: plan.files,
        documents: s.documents,
        bytes: progress.stored_bytes.load(Ordering::Relaxed),
        bytes_total: plan.bytes,
    };
    // `None`: nothing new, but time to redraw the progress.
    let mut deliver = |o: Option<Output>, summary: &mut Summary, display: &mut Display| {
        if let Some(o) = o {
            summary.count(&o);
            if let Output::Event(_) = o {
                display.clear();
            }
            out(o);
        }
        display.tick(&snapshot(summary));
    };
    let threads = opts.worker_count();
    if threads <= 1 {
        // One thread does everything: the honest single-core figure, and no hand-offs.
        tally_read::read_plan_deferred(&plan, Some(&progress), &mut |raw| {
            for o in process(raw, extractor) {
                deliver(Some(o), &mut summary, &mut display);
            }
        });
    } else {
        parallel(&plan, &progress, extractor, threads, &mut |o| deliver(o, &mut summary, &mut display));
    }
    summary.bytes = progress.stored_bytes.load(Ordering::Relaxed);
    display.finish(&snapshot(&summary));
    summary
}

impl Summary {
    fn count(&mut self, o: &Output) {
        match o {
            Output::Document(d, claims) => {
                self.documents += 1;
                self.text_bytes += d.text.len() as u64;
                self.claims += claims.len() as u64;
                if !analysed(d) {
                    self.not_analysed += 1;
                }
            }
            Output::Event(Event::Error { .. }) => self.failed += 1,
            Output::Event(Event::Warning { .. }) => self.warnings += 1,
            // One line may stand for many: files passed over in a directory, the WARC records
            // of one input that are not documents.
            Output::Event(e @ Event::Skipped { .. }) => self.skipped += e.count(),
        }
    }
}

/// One item through page reduction, language detection and extraction: the outputs it
/// gives, in order (a page's warnings before its document). A panic on one item becomes an
/// error on it, and the batch goes on.
fn process(raw: Raw, extractor: Extractor) -> Vec<Output> {
    let label = match &raw {
        Raw::Item(Item::Document(d)) => Some(d.id.clone()),
        Raw::Page(p) => Some(p.id().to_string()),
        Raw::Item(Item::Event(_)) => None,
    };
    let run = || match raw {
        Raw::Item(Item::Event(e)) => vec![Output::Event(e)],
        Raw::Item(Item::Document(doc)) => vec![analyse(doc, extractor)],
        Raw::Page(page) => {
            let (doc, events) = page.finish();
            let mut out: Vec<Output> = events.into_iter().map(Output::Event).collect();
            out.push(analyse(doc, extractor));
            out
        }
    };
    catch_unwind(AssertUnwindSafe(run)).unwrap_or_else(|panic| {
        let id = label.unwrap_or_default();
        let message = format!("document {id}: internal error ({}); not analysed", tally_read::panic_text(&*panic));
        vec![Output::Event(Event::Error { input: id, line: None, offset: None, message })]
    })
}

fn analyse(mut doc: Document, extractor: Extractor) -> Output {
    if doc.lang.is_none() {
        doc.lang = lang::detect(&doc.text).map(String::from);
    }
    if !analysed(&doc) {
        return Output::Document(doc, Vec::new());
    }
    let claims = extractor.analyse(&mut doc);
    Output::Document(doc, claims)
}

/// Counts what is between the reader and the caller, and holds the reader back when full.
struct Budget {
    state: Mutex<(usize, usize)>,
    freed: Condvar,
}

impl Budget {
    fn acquire(&self, bytes: usize) {
        let mut s = self.state.lock().unwrap_or_else(|p| p.into_inner());
        while s.0 > 0 && (s.0 >= MAX_IN_FLIGHT || s.1 + bytes > MAX_BYTES_IN_FLIGHT) {
            s = self.freed.wait(s).unwrap_or_else(|p| p.into_inner());
        }
        s.0 += 1;
        s.1 += bytes;
    }

    fn release(&self, bytes: usize) {
        let mut s = self.state.lock().unwrap_or_else(|p| p.into_inner());
        s.0 -= 1;
        s.1 -= bytes;
        self.freed.notify_all();
    }
}

fn size_of(raw: &Raw) -> usize {
    match raw {
        Raw::Item(Item::Document(d)) => d.text.len(),
        Raw::Item(Item::Event(_)) => 0,
        Raw::Page(p) => p.len(),
    }
}

/// Reader thread → workers → the calling thread, which puts results back in input order.
fn parallel(
    plan: &Plan,
    progress: &Progress,
    extractor: Extractor,
    threads: usize,
    deliver: &mut dyn FnMut(Option<Output>),
) {
    let budget = Budget { state: Mutex::new((0, 0)), freed: Condvar::new() };
    let (work_tx, work_rx) = sync_channel::<(u64, usize, Raw)>(threads * 2);
    let work_rx = Mutex::new(work_rx);
    std::thread::scope(|s| {
        let (done_tx, done_rx) = channel::<(u64, usize, Vec<Output>)>();
        let budget = &budget;
        s.spawn(move || {
            let mut seq = 0u64;
            tally_read::read_plan_deferred(plan, Some(progress), &mut |raw| {
                let bytes = size_of(&raw);
                budget.acquire(bytes);
                // The receiver only goes when the caller stops early: nothing left to do.
                let _ = work_tx.send((seq, bytes, raw));
                seq += 1;
            });
        });
        for _ in 0..threads {
            let (work_rx, done_tx) = (&work_rx, done_tx.clone());
            s.spawn(move || loop {
                let next = work_rx.lock().unwrap_or_else(|p| p.into_inner()).recv();
                let Ok((seq, bytes, raw)) = next else { break };
                if done_tx.send((seq, bytes, process(raw, extractor))).is_err() {
                    break;
                }
            });
        }
        drop(done_tx);
        in_order(&done_rx, budget, deliver);
    });
}

/// Delivers results by sequence number; waits at most a moment so progress keeps drawing.
fn in_order(done_rx: &Receiver<(u64, usize, Vec<Output>)>, budget: &Budget, deliver: &mut dyn FnMut(Option<Output>)) {
    let mut pending: BTreeMap<u64, (usize, Vec<Output>)> = BTreeMap::new();
    let mut next = 0u64;
    loop {
        match done_rx.recv_timeout(Duration::from_millis(200)) {
            Ok((seq, bytes, o)) => {
                pending.insert(seq, (bytes, o));
                while let Some((bytes, outputs)) = pending.remove(&next) {
                    for o in outputs {
                        deliver(Some(o));
                    }
                    budget.release(bytes);
                    next += 1;
                }
            }
            Err(RecvTimeoutError::Timeout) => deliver(None),
            Err(RecvTimeoutError::Disconnected) => break,
        }
    }
}
