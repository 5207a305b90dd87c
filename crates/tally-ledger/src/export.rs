//! Exports of the reconciled incidents: JSON Lines, CSV, UCDP GED-style CSV and GeoJSON.
//!
//! `ucdp-csv` uses the UCDP GED column names where they apply: `best`, `low`, `high` are
//! the reconciled death figures (kind `killed`, all victims; `deaths_civilians` the
//! civilian figure's best), `source_article` lists each document as "outlet, date, id",
//! `source_original` the independent voices, `number_of_sources` their count. Running
//! totals are not events and are left out of `ucdp-csv` and `geojson`.

use crate::query::{IncidentDetail, IncidentFilter};
use crate::{Ledger, Result};
use serde_json::{json, Value};
use std::io::Write;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    Jsonl,
    Csv,
    UcdpCsv,
    Geojson,
}

/// Quotes a CSV field when it needs it (RFC 4180).
pub fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// One CSV row of `fields`, quoted as needed.
pub fn csv_line(out: &mut impl Write, fields: &[String]) -> std::io::Result<()> {
    let line: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
    writeln!(out, "{}", line.join(","))
}

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

const CSV_HEADER: [&str; 17] = [
    "id",
    "label",
    "total",
    "place",
    "place_variants",
    "country",
    "latitude",
    "longitude",
    "date_start",
    "date_end",
    "kind",
    "low",
    "best",
    "high",
    "sources",
    "documents",
    "contradictions",
];

const UCDP_HEADER: [&str; 14] = [
    "id",
    "country",
    "where_description",
    "latitude",
    "longitude",
    "date_start",
    "date_end",
    "deaths_civilians",
    "best",
    "low",
    "high",
    "source_article",
    "source_original",
    "number_of_sources",
];

/// The figure of `kind` and victim group in an incident's reconciliation.
fn figure<'a>(d: &'a IncidentDetail, kind: &str, victims: &str) -> Option<&'a Value> {
    d.reconciliation["figures"].as_array()?.iter().find(|f| f["kind"] == kind && f["victims"] == victims)
}

fn sources(d: &IncidentDetail) -> (Vec<String>, Vec<String>) {
    let mut articles: Vec<String> = Vec::new();
    let mut voices: Vec<String> = Vec::new();
    for f in d.reconciliation["figures"].as_array().into_iter().flatten() {
        for s in f["sources"].as_array().into_iter().flatten() {
            let str_of = |k: &str| s[k].as_str().unwrap_or_default().to_string();
            let article = format!("{}, {}, {}", str_of("outlet"), str_of("published"), str_of("doc"));
            if !articles.contains(&article) {
                articles.push(article);
            }
            let voice = s["claimant"].as_str().map(str::to_string).unwrap_or_else(|| str_of("outlet"));
            if s["counted"] == true && !voice.is_empty() && !voices.contains(&voice) {
                voices.push(voice);
            }
        }
    }
    (articles, voices)
}

impl Ledger {
    /// Writes every incident matching `filter` in `format`.
    pub fn export(&self, filter: &IncidentFilter, format: ExportFormat, out: &mut impl Write) -> Result<usize> {
        let rows = self.incidents(filter)?;
        let io = |e: std::io::Error| crate::Error::Invalid(format!("writing the export: {e}"));
        match format {
            ExportFormat::Csv => csv_line(out, &CSV_HEADER.map(String::from)).map_err(io)?,
            ExportFormat::UcdpCsv => csv_line(out, &UCDP_HEADER.map(String::from)).map_err(io)?,
            _ => {}
        }
        let mut features = Vec::new();
        let mut n = 0;
        for row in rows {
            let Some(d) = self.incident(&row.id)? else { continue };
            let r = &d.row;
            match format {
                ExportFormat::Jsonl => {
                    serde_json::to_writer(&mut *out, &d).map_err(|e| io(e.into()))?;
                    writeln!(out).map_err(io)?;
                }
                ExportFormat::Csv => csv_line(
                    out,
                    &[
                        r.id.clone(),
                        r.label.clone(),
                        r.total.to_string(),
                        opt(r.place.clone()),
                        r.place_variants.join(";"),
                        opt(r.country.clone()),
                        opt(r.lat),
                        opt(r.lon),
                        opt(r.date_start.clone()),
                        opt(r.date_end.clone()),
                        opt(r.kind.clone()),
                        opt(r.low),
                        opt(r.best),
                        opt(r.high),
                        r.sources.to_string(),
                        r.docs.to_string(),
                        r.contradictions.to_string(),
                    ],
                )
                .map_err(io)?,
                ExportFormat::UcdpCsv => {
                    if r.total {
                        continue;
                    }
                    let all = figure(&d, "killed", "all").or_else(|| figure(&d, "killed", "civilian"));
                    let civ = figure(&d, "killed", "civilian");
                    let num = |f: Option<&Value>, k: &str| {
                        f.and_then(|f| f[k].as_u64()).map(|v| v.to_string()).unwrap_or_default()
                    };
                    let (articles, voices) = sources(&d);
                    csv_line(
                        out,
                        &[
                            r.id.clone(),
                            opt(r.country.clone()),
                            opt(r.place.clone()),
                            opt(r.lat),
                            opt(r.lon),
                            opt(r.date_start.clone()),
                            opt(r.date_end.clone()),
                            num(civ, "best"),
                            num(all, "best"),
                            num(all, "low"),
                            num(all, "high"),
                            articles.join("; "),
                            voices.join("; "),
                            r.sources.to_string(),
                        ],
                    )
                    .map_err(io)?;
                }
                ExportFormat::Geojson => {
                    let (Some(lat), Some(lon)) = (r.lat, r.lon) else { continue };
                    if r.total {
                        continue;
                    }
                    features.push(json!({
                        "type": "Feature",
                        "geometry": {"type": "Point", "coordinates": [lon, lat]},
                        "properties": {
                            "id": r.id, "label": r.label, "place": r.place, "date_start": r.date_start,
                            "date_end": r.date_end, "kind": r.kind, "low": r.low, "best": r.best, "high": r.high,
                            "sources": r.sources, "contradictions": r.contradictions,
                        },
                    }));
                }
            }
            n += 1;
        }
        if format == ExportFormat::Geojson {
            n = features.len();
            serde_json::to_writer(&mut *out, &json!({"type": "FeatureCollection", "features": features}))
                .map_err(|e| io(e.into()))?;
            writeln!(out).map_err(io)?;
        }
        Ok(n)
    }
}
