//! Claim writers: JSON Lines, CSV and a terminal table.

use std::io::{self, Write};
use tally_core::Claim;
use tally_ledger::export::csv_line;

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Jsonl,
    Csv,
    Table,
}

/// CSV columns; nested fields are flattened, lists joined with `;`. Columns after `sentence`
/// were added with the context stage (issue 3).
pub const CSV_HEADER: [&str; 31] = [
    "doc",
    "span_start",
    "span_end",
    "kind",
    "count_text",
    "value",
    "low",
    "high",
    "qualifier",
    "victims_text",
    "victims_class",
    "victims_groups",
    "cumulative",
    "ambiguous",
    "part_of",
    "place",
    "time",
    "perpetrator",
    "source",
    "stance",
    "why",
    "sentence",
    "place_name",
    "place_country",
    "place_lat",
    "place_lon",
    "place_precision",
    "time_start",
    "time_end",
    "source_type",
    "answers",
];

pub struct ClaimWriter<W: Write> {
    out: W,
    format: Format,
    started: bool,
    /// Names of columns after the claim's own (CSV only), e.g. the ledger's claim id.
    extra: &'static [&'static str],
}

impl<W: Write> ClaimWriter<W> {
    pub fn new(out: W, format: Format) -> Self {
        ClaimWriter { out, format, started: false, extra: &[] }
    }

    /// A writer whose CSV rows end with `extra` columns, given to [`ClaimWriter::write_with`].
    pub fn with_columns(out: W, format: Format, extra: &'static [&'static str]) -> Self {
        ClaimWriter { extra, ..ClaimWriter::new(out, format) }
    }

    pub fn write(&mut self, c: &Claim) -> io::Result<()> {
        self.write_with(c, &[])
    }

    pub fn write_with(&mut self, c: &Claim, extra: &[String]) -> io::Result<()> {
        match self.format {
            Format::Jsonl => {
                serde_json::to_writer(&mut self.out, c)?;
                self.out.write_all(b"\n")
            }
            Format::Csv => {
                if !self.started {
                    let header: Vec<&str> = CSV_HEADER.iter().chain(self.extra).copied().collect();
                    writeln!(self.out, "{}", header.join(","))?;
                }
                self.started = true;
                let mut row = csv_row(c);
                row.extend_from_slice(extra);
                csv_line(&mut self.out, &row)
            }
            Format::Table => {
                if !self.started {
                    writeln!(
                        self.out,
                        "{:<14} {:<9} {:<18} {:>9} {:>9}  {:<10} {:<22} sentence",
                        "doc", "kind", "count", "low", "high", "class", "victims"
                    )?;
                }
                self.started = true;
                let opt = |v: Option<u64>| v.map_or("-".to_string(), |v| v.to_string());
                let mut kind = c.kind.map_or("-".to_string(), |k| k.to_string());
                if c.cumulative {
                    kind.push('+');
                }
                writeln!(
                    self.out,
                    "{:<14} {:<9} {:<18} {:>9} {:>9}  {:<10} {:<22} {}",
                    clip(&c.doc, 14),
                    kind,
                    clip(
                        &c.count
                            .as_ref()
                            .map_or(c.stance.as_str().to_string(), |n| n.text.replace(char::is_whitespace, " ")),
                        18
                    ),
                    opt(c.count.as_ref().and_then(|n| n.low)),
                    opt(c.count.as_ref().and_then(|n| n.high)),
                    c.victims.class.as_str(),
                    clip(&c.victims.text, 22),
                    clip(&c.sentence.replace(char::is_whitespace, " "), 90)
                )
            }
        }
    }

    pub fn finish(mut self) -> io::Result<()> {
        self.out.flush()
    }
}

pub fn clip(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        s.chars().take(n - 1).chain(std::iter::once('…')).collect()
    }
}

fn csv_row(c: &Claim) -> Vec<String> {
    let opt = |v: Option<u64>| v.map_or(String::new(), |v| v.to_string());
    let text = |m: Option<&str>| m.unwrap_or_default().to_string();
    let count = c.count.as_ref();
    let place = c.place.as_ref();
    vec![
        c.doc.clone(),
        c.span[0].to_string(),
        c.span[1].to_string(),
        c.kind.map_or(String::new(), |k| k.to_string()),
        text(count.map(|n| n.text.as_str())),
        opt(count.and_then(|n| n.value)),
        opt(count.and_then(|n| n.low)),
        opt(count.and_then(|n| n.high)),
        text(count.map(|n| n.qualifier.as_str())),
        c.victims.text.clone(),
        c.victims.class.as_str().to_string(),
        c.victims.groups.join(";"),
        c.cumulative.to_string(),
        c.ambiguous.to_string(),
        c.part_of.map_or(String::new(), |p| p.to_string()),
        text(place.map(|p| p.text.as_str())),
        text(c.time.as_ref().map(|t| t.text.as_str())),
        text(c.perpetrator.as_ref().map(|p| p.text.as_str())),
        text(c.source.as_ref().map(|s| s.text.as_str())),
        c.stance.as_str().to_string(),
        c.why.join(";"),
        c.sentence.clone(),
        text(place.map(|p| p.name.as_str())),
        text(place.map(|p| p.country.as_str())),
        place.and_then(|p| p.lat).map_or(String::new(), |v| v.to_string()),
        place.and_then(|p| p.lon).map_or(String::new(), |v| v.to_string()),
        place.map_or(String::new(), |p| p.precision.as_str().to_string()),
        text(c.time.as_ref().and_then(|t| t.start.as_deref())),
        text(c.time.as_ref().and_then(|t| t.end.as_deref())),
        text(c.source.as_ref().map(|s| s.kind.as_str())),
        c.answers.iter().map(|i| i.to_string()).collect::<Vec<_>>().join(";"),
    ]
}
