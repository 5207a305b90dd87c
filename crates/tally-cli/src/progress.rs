//! Progress while a batch runs: a bar on a terminal (files, documents, MB/s, ETA), JSON
//! lines for scripts (`--json-progress`), nothing otherwise. Everything goes to stderr and
//! is drawn from the thread that prints events, so a bar never splits an error line.
//!
//! Share, MB/s and ETA are over the inputs' bytes as stored (the compressed size of a `.gz`
//! or `.zst`): the bytes read are counted as they come from the file, below any decompressor,
//! and the total is the files' sizes, so a batch that mixes compressed and plain files is
//! measured in one unit. The ETA assumes the rest costs what the part read did per stored
//! byte; a compressed byte holds several bytes of text, so while plain files are read before
//! compressed ones the ETA runs short, and long the other way round.

use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

/// How progress is shown.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Mode {
    /// A bar when stderr is a terminal, nothing otherwise.
    #[default]
    Auto,
    Quiet,
    /// One JSON object per line on stderr, about once a second.
    Json,
}

/// Where a batch is.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Snapshot {
    pub files_done: u64,
    pub files_total: u64,
    pub documents: u64,
    /// Stored bytes read (compressed bytes for compressed inputs).
    pub bytes: u64,
    /// Total stored bytes, when every input's size is known (not for stdin).
    pub bytes_total: Option<u64>,
}

enum Style {
    Off,
    Bar,
    Json,
}

pub struct Display {
    style: Style,
    start: Instant,
    last: Option<Instant>,
    /// A bar is on the screen (and must be erased before other output).
    drawn: bool,
}

impl Display {
    pub fn new(mode: Mode) -> Display {
        let style = match mode {
            Mode::Quiet => Style::Off,
            Mode::Json => Style::Json,
            Mode::Auto if std::io::stderr().is_terminal() => Style::Bar,
            Mode::Auto => Style::Off,
        };
        Display { style, start: Instant::now(), last: None, drawn: false }
    }

    /// Draws if enough time has passed since the last drawing.
    pub fn tick(&mut self, s: &Snapshot) {
        let every = match self.style {
            Style::Off => return,
            Style::Bar => Duration::from_millis(200),
            Style::Json => Duration::from_secs(1),
        };
        // The first drawing waits too: a batch done in a blink shows no bar.
        let since = self.last.unwrap_or(self.start);
        if since.elapsed() >= every {
            self.draw(s, false);
        }
    }

    /// Erases the bar so that the next line printed stands alone.
    pub fn clear(&mut self) {
        if self.drawn {
            let _ = write!(std::io::stderr(), "\r\x1b[2K");
            self.drawn = false;
        }
    }

    /// The last drawing (JSON: a final line with `"done": true`), then the bar is erased.
    pub fn finish(&mut self, s: &Snapshot) {
        if let Style::Json = self.style {
            self.draw(s, true);
        }
        self.clear();
    }

    fn draw(&mut self, s: &Snapshot, done: bool) {
        self.last = Some(Instant::now());
        let secs = self.start.elapsed().as_secs_f64().max(1e-3);
        let rate = s.bytes as f64 / secs;
        let eta = s.bytes_total.filter(|_| rate > 0.0).map(|t| t.saturating_sub(s.bytes) as f64 / rate);
        let mut err = std::io::stderr().lock();
        match self.style {
            Style::Off => {}
            Style::Json => {
                let line = serde_json::json!({
                    "progress": if done { "done" } else { "running" },
                    "files_done": s.files_done,
                    "files_total": s.files_total,
                    "documents": s.documents,
                    "bytes": s.bytes,
                    "bytes_total": s.bytes_total,
                    "elapsed_s": (secs * 10.0).round() / 10.0,
                    "mb_per_s": (rate / 1e5).round() / 10.0,
                    "eta_s": if done { Some(0.0) } else { eta.map(f64::round) },
                });
                let _ = writeln!(err, "{line}");
            }
            Style::Bar => {
                let _ = write!(err, "\r\x1b[2K{}", bar_line(s, rate, eta));
                let _ = err.flush();
                self.drawn = true;
            }
        }
    }
}

/// `[=======>      ]  45%  12/30 files  5432 docs  12.3 MB/s  ETA 1m20s`
fn bar_line(s: &Snapshot, rate: f64, eta: Option<f64>) -> String {
    const WIDTH: usize = 24;
    let mut line = String::new();
    if let Some(total) = s.bytes_total.filter(|&t| t > 0) {
        let frac = (s.bytes as f64 / total as f64).clamp(0.0, 1.0);
        let filled = (frac * WIDTH as f64) as usize;
        let arrow = if filled < WIDTH { ">" } else { "" };
        line.push_str(&format!(
            "[{}{arrow}{}] {:>3.0}%  ",
            "=".repeat(filled),
            " ".repeat(WIDTH - filled - arrow.len()),
            frac * 100.0
        ));
    }
    line.push_str(&format!("{}/{} files  {} docs  {:.1} MB/s", s.files_done, s.files_total, s.documents, rate / 1e6));
    if let Some(eta) = eta {
        let eta = eta.round() as u64;
        line.push_str(&format!(
            "  ETA {}",
            if eta >= 60 { format!("{}m{:02}s", eta / 60, eta % 60) } else { format!("{eta}s") }
        ));
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bar_shows_share_rate_and_eta() {
        let s = Snapshot { files_done: 12, files_total: 30, documents: 5432, bytes: 45, bytes_total: Some(100) };
        let line = bar_line(&s, 1.5e6, Some(80.0));
        assert_eq!(line, "[==========>             ]  45%  12/30 files  5432 docs  1.5 MB/s  ETA 1m20s");
        let stdin = Snapshot { bytes_total: None, ..s };
        assert_eq!(bar_line(&stdin, 2e6, None), "12/30 files  5432 docs  2.0 MB/s");
    }
}
