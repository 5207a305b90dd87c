//! Reading the ledger back: documents, claims and incidents, with filters.
//!
//! A place filter matches a claim whose place is written or resolved as the name given, and
//! every claim inside it: when some claim resolves the name to a region (or a country),
//! the claims in that region (country) match too, so `--place Aleppo` finds the towns of
//! the governorate once any report names the governorate. Date filters match a claim whose
//! time (else its document's publication date) overlaps the range.

use crate::{Error, Ledger, Result};
use rusqlite::types::Value;
use serde::Serialize;
use tally_core::{Claim, Kind, Stance};

/// Filters shared by `tally claims`, `tally incidents` and the API. Empty means "any".
#[derive(Debug, Clone, Default)]
pub struct ClaimFilter {
    pub kind: Option<Kind>,
    pub place: Option<String>,
    /// ISO dates, inclusive.
    pub from: Option<String>,
    pub to: Option<String>,
    /// A part of the claimant's words, case-insensitive.
    pub source: Option<String>,
    pub outlet: Option<String>,
    pub stance: Option<Stance>,
    pub incident: Option<String>,
    pub doc: Option<String>,
    pub limit: Option<usize>,
    pub offset: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum IncidentSort {
    /// Most independent voices first.
    #[default]
    Sources,
    /// Most contradictions and widest spread first.
    Disagreement,
    /// Newest first.
    Date,
}

#[derive(Debug, Clone, Default)]
pub struct IncidentFilter {
    pub claims: ClaimFilter,
    pub min_sources: usize,
    /// Only incidents whose disagreement score is at least this.
    pub min_disagreement: Option<f64>,
    pub totals: bool,
    pub sort: IncidentSort,
}

#[derive(Debug, Clone, Serialize)]
pub struct DocRow {
    pub id: String,
    pub title: Option<String>,
    pub published: Option<String>,
    /// The date the text gives itself at its top, when analysis found one.
    pub dated: Option<String>,
    /// The town its lead names most, when analysis found one (`Document::located`), with the
    /// span of its first mention.
    pub located: Option<tally_core::PlaceRef>,
    pub outlet: Option<String>,
    pub url: Option<String>,
    pub lang: Option<String>,
    pub analysed: bool,
    pub bytes: usize,
    pub claims: usize,
    /// The document this one copies, and how similar they are.
    pub copy_of: Option<String>,
    pub similarity: Option<f64>,
    pub origins: Vec<OriginRow>,
}

#[derive(Debug, Clone, Serialize)]
pub struct OriginRow {
    pub name: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub text: String,
    pub span: [usize; 2],
    pub cue: String,
}

/// A stored claim: its ledger id, its incident and the claim record itself.
#[derive(Debug, Clone, Serialize)]
pub struct StoredClaim {
    pub id: i64,
    pub incident: Option<String>,
    #[serde(flatten)]
    pub claim: Claim,
}

#[derive(Debug, Clone, Serialize)]
pub struct IncidentRow {
    pub id: String,
    pub label: String,
    pub total: bool,
    pub place: Option<String>,
    pub place_variants: Vec<String>,
    pub country: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub date_start: Option<String>,
    pub date_end: Option<String>,
    pub kind: Option<String>,
    pub low: Option<u64>,
    pub best: Option<u64>,
    pub high: Option<u64>,
    pub claims: usize,
    pub docs: usize,
    pub sources: usize,
    pub contradictions: usize,
    pub disagreement: f64,
}

/// An incident with everything known about it: "who says what".
#[derive(Debug, Clone, Serialize)]
pub struct IncidentDetail {
    #[serde(flatten)]
    pub row: IncidentRow,
    pub reconciliation: serde_json::Value,
    pub why: serde_json::Value,
    pub members: Vec<MemberRef>,
}

/// One claim of an incident, as the incident's JSON lists it.
#[derive(Debug, Clone, Serialize)]
pub struct MemberRef {
    pub claim: i64,
    pub doc: String,
    pub kind: Option<String>,
    pub count_text: Option<String>,
    pub stance: String,
    pub span: [usize; 2],
}

/// SQL conditions and their parameters.
#[derive(Default)]
struct Where {
    conds: Vec<String>,
    params: Vec<Value>,
}

impl Where {
    /// Adds a condition whose `{}` marks are its parameters, in order.
    fn add(&mut self, cond: &str, values: impl IntoIterator<Item = Value>) {
        let mut cond = cond.to_string();
        for v in values {
            self.params.push(v);
            cond = cond.replacen("{}", &format!("?{}", self.params.len()), 1);
        }
        self.conds.push(cond);
    }

    fn sql(&self) -> String {
        if self.conds.is_empty() {
            String::new()
        } else {
            format!(" WHERE {}", self.conds.join(" AND "))
        }
    }
}

fn text(s: &str) -> Value {
    Value::Text(s.to_string())
}

fn claim_conditions(f: &ClaimFilter) -> Where {
    let mut w = Where::default();
    if let Some(k) = f.kind {
        w.add("c.kind = {}", [text(k.as_str())]);
    }
    if let Some(p) = &f.place {
        // The subqueries do not depend on `c`: SQLite runs each once, not once per claim.
        w.add(
            "(lower(c.place_text) = lower({}) OR lower(c.place_name) = lower({})
              OR (c.admin1, c.country) IN (SELECT r.admin1, r.country FROM claims r
                 WHERE (lower(r.place_text) = lower({}) OR lower(r.place_name) = lower({}))
                   AND r.place_precision = 'region' AND r.admin1 IS NOT NULL)
              OR c.country IN (SELECT r.country FROM claims r
                 WHERE (lower(r.place_text) = lower({}) OR lower(r.place_name) = lower({}))
                   AND r.place_precision = 'country'))",
            [text(p), text(p), text(p), text(p), text(p), text(p)],
        );
    }
    if let Some(from) = &f.from {
        w.add("COALESCE(c.time_end, d.dated, d.published) >= {}", [text(from)]);
    }
    if let Some(to) = &f.to {
        w.add("COALESCE(c.time_start, d.dated, d.published) <= {}", [text(to)]);
    }
    if let Some(s) = &f.source {
        w.add("instr(lower(c.source_text), lower({})) > 0", [text(s)]);
    }
    if let Some(o) = &f.outlet {
        w.add("lower(d.outlet) = lower({})", [text(o)]);
    }
    if let Some(s) = f.stance {
        w.add("c.stance = {}", [text(s.as_str())]);
    }
    if let Some(i) = &f.incident {
        w.add("c.incident = {}", [text(i)]);
    }
    if let Some(d) = &f.doc {
        w.add("d.name = {}", [text(d)]);
    }
    w
}

fn page(limit: Option<usize>, offset: usize) -> String {
    format!(" LIMIT {} OFFSET {offset}", limit.map_or(-1, |l| l as i64))
}

/// Checks an ISO date given as a filter, so that a typo is an error, not an empty answer.
pub fn check_date(s: &str) -> Result<()> {
    tally_core::Date::parse_iso(s)
        .filter(|_| s.len() == 10)
        .map(|_| ())
        .ok_or_else(|| Error::Invalid(format!("not a date (YYYY-MM-DD): {s:?}")))
}

impl Ledger {
    /// Documents in ingest order.
    pub fn documents(&self, limit: Option<usize>, offset: usize) -> Result<Vec<DocRow>> {
        self.doc_rows("", [], limit, offset)
    }

    /// How many documents the ledger holds.
    pub fn count_documents(&self) -> Result<usize> {
        Ok(self.conn().query_row("SELECT count(*) FROM documents", [], |r| r.get::<_, i64>(0))? as usize)
    }

    /// The documents that copy the document `name` (exactly or nearly), in ingest order.
    pub fn copies_of(&self, name: &str) -> Result<Vec<DocRow>> {
        self.doc_rows(" WHERE d.copy_of = (SELECT id FROM documents WHERE name = ?1)", [name], None, 0)
    }

    /// Document rows matching `cond` (a WHERE clause over `d`, or nothing).
    fn doc_rows<P: rusqlite::Params>(
        &self,
        cond: &str,
        params: P,
        limit: Option<usize>,
        offset: usize,
    ) -> Result<Vec<DocRow>> {
        let sql = format!(
            "SELECT d.id, d.name, d.title, d.published, d.outlet, d.url, d.lang, d.analysed, length(CAST(d.text AS BLOB)),
                    (SELECT count(*) FROM claims c WHERE c.doc = d.id), o.name, d.similarity, d.dated, d.located
             FROM documents d LEFT JOIN documents o ON o.id = d.copy_of{cond} ORDER BY d.id{}",
            page(limit, offset)
        );
        let mut stmt = self.conn().prepare(&sql)?;
        let rows = stmt.query_map(params, |r| {
            Ok((
                r.get::<_, i64>(0)?,
                DocRow {
                    id: r.get(1)?,
                    title: r.get(2)?,
                    published: r.get(3)?,
                    outlet: r.get(4)?,
                    url: r.get(5)?,
                    lang: r.get(6)?,
                    analysed: r.get(7)?,
                    bytes: r.get::<_, i64>(8)? as usize,
                    claims: r.get::<_, i64>(9)? as usize,
                    copy_of: r.get(10)?,
                    similarity: r.get(11)?,
                    dated: r.get(12)?,
                    located: r.get::<_, Option<String>>(13)?.and_then(|json| serde_json::from_str(&json).ok()),
                    origins: Vec::new(),
                },
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (id, mut doc) = row?;
            doc.origins = self.origins_of(id)?;
            out.push(doc);
        }
        Ok(out)
    }

    /// One document by the id it was ingested with, and its text.
    pub fn document(&self, name: &str) -> Result<Option<(DocRow, String)>> {
        let found: Option<(i64, String)> = self
            .conn()
            .query_row("SELECT id, text FROM documents WHERE name = ?1", [name], |r| Ok((r.get(0)?, r.get(1)?)))
            .map(Some)
            .or_else(|e| if e == rusqlite::Error::QueryReturnedNoRows { Ok(None) } else { Err(e) })?;
        let Some((id, text)) = found else { return Ok(None) };
        let row = self.doc_rows(" WHERE d.id = ?1", [id], None, 0)?.into_iter().next();
        Ok(row.map(|r| (r, text)))
    }

    fn origins_of(&self, doc: i64) -> Result<Vec<OriginRow>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT name, type, text, span_start, span_end, cue FROM origins WHERE doc = ?1 ORDER BY span_start",
        )?;
        let rows = stmt.query_map([doc], |r| {
            Ok(OriginRow {
                name: r.get(0)?,
                kind: r.get(1)?,
                text: r.get(2)?,
                span: [r.get::<_, i64>(3)? as usize, r.get::<_, i64>(4)? as usize],
                cue: r.get(5)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Claims matching `f`, in document and text order.
    pub fn claims(&self, f: &ClaimFilter) -> Result<Vec<StoredClaim>> {
        check_filter_dates(f)?;
        let w = claim_conditions(f);
        let sql = format!(
            "SELECT c.id, c.incident, c.json {CLAIMS_FROM}{} ORDER BY c.doc, c.idx{}",
            w.sql(),
            page(f.limit, f.offset)
        );
        let mut stmt = self.conn().prepare(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(&w.params), |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, Option<String>>(1)?, r.get::<_, String>(2)?))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (id, incident, json) = row?;
            let claim: Claim = serde_json::from_str(&json).map_err(|e| Error::Invalid(format!("claim {id}: {e}")))?;
            out.push(StoredClaim { id, incident, claim });
        }
        Ok(out)
    }

    /// How many claims match `f` (its limit and offset aside).
    pub fn count_claims(&self, f: &ClaimFilter) -> Result<usize> {
        check_filter_dates(f)?;
        let w = claim_conditions(f);
        let sql = format!("SELECT count(*) {CLAIMS_FROM}{}", w.sql());
        let n: i64 = self.conn().query_row(&sql, rusqlite::params_from_iter(&w.params), |r| r.get(0))?;
        Ok(n as usize)
    }

    /// How many incidents match `f` (its limit and offset aside).
    pub fn count_incidents(&self, f: &IncidentFilter) -> Result<usize> {
        check_filter_dates(&f.claims)?;
        let (conds, w) = incident_conditions(f);
        let sql = format!("SELECT count(*) FROM incidents i WHERE {conds}");
        let n: i64 = self.conn().query_row(&sql, rusqlite::params_from_iter(&w.params), |r| r.get(0))?;
        Ok(n as usize)
    }

    /// Incidents with a claim matching the filter, ranked.
    pub fn incidents(&self, f: &IncidentFilter) -> Result<Vec<IncidentRow>> {
        check_filter_dates(&f.claims)?;
        let (conds, w) = incident_conditions(f);
        let order = match f.sort {
            IncidentSort::Sources => "i.origins DESC, i.docs DESC, i.claims DESC, i.id",
            IncidentSort::Disagreement => "i.contradictions DESC, i.disagreement DESC, i.origins DESC, i.id",
            IncidentSort::Date => "i.date_start DESC, i.origins DESC, i.id",
        };
        let sql = format!(
            "{INCIDENT_COLUMNS} FROM incidents i WHERE {conds} ORDER BY {order}{}",
            page(f.claims.limit, f.claims.offset)
        );
        let mut stmt = self.conn().prepare(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(&w.params), incident_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// One incident with its reconciliation and members.
    pub fn incident(&self, id: &str) -> Result<Option<IncidentDetail>> {
        let sql = format!("{INCIDENT_COLUMNS}, i.reconciliation, i.why FROM incidents i WHERE i.id = ?1");
        let found = self
            .conn()
            .query_row(&sql, [id], |r| Ok((incident_row(r)?, r.get::<_, String>(19)?, r.get::<_, String>(20)?)));
        let (row, rec, why) = match found {
            Ok(v) => v,
            Err(rusqlite::Error::QueryReturnedNoRows) => return Ok(None),
            Err(e) => return Err(e.into()),
        };
        let json = |s: &str| serde_json::from_str(s).map_err(|e| Error::Invalid(format!("incident {id}: {e}")));
        let mut stmt = self.conn().prepare(
            "SELECT c.id, d.name, c.kind, c.count_text, c.stance, c.span_start, c.span_end
             FROM claims c JOIN documents d ON d.id = c.doc WHERE c.incident = ?1 ORDER BY c.doc, c.idx",
        )?;
        let members = stmt
            .query_map([id], |r| {
                Ok(MemberRef {
                    claim: r.get(0)?,
                    doc: r.get(1)?,
                    kind: r.get(2)?,
                    count_text: r.get(3)?,
                    stance: r.get(4)?,
                    span: [r.get::<_, i64>(5)? as usize, r.get::<_, i64>(6)? as usize],
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(Some(IncidentDetail { row, reconciliation: json(&rec)?, why: json(&why)?, members }))
    }

    /// Counts of documents, claims, incidents (totals excluded) and voices, for summaries.
    pub fn counts(&self) -> Result<Counts> {
        let one = |sql: &str| self.conn().query_row(sql, [], |r| r.get::<_, i64>(0)).map(|n| n as usize);
        Ok(Counts {
            documents: one("SELECT count(*) FROM documents")?,
            copies: one("SELECT count(*) FROM documents WHERE copy_of IS NOT NULL")?,
            claims: one("SELECT count(*) FROM claims")?,
            incidents: one("SELECT count(*) FROM incidents WHERE total = 0")?,
            multi_source: one("SELECT count(*) FROM incidents WHERE total = 0 AND origins > 1")?,
            contradicted: one("SELECT count(*) FROM incidents WHERE total = 0 AND contradictions > 0")?,
        })
    }
}

#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
pub struct Counts {
    pub documents: usize,
    pub copies: usize,
    pub claims: usize,
    pub incidents: usize,
    pub multi_source: usize,
    pub contradicted: usize,
}

const CLAIMS_FROM: &str = "FROM claims c JOIN documents d ON d.id = c.doc";

/// The WHERE conditions of an incident listing, and the parameters of its claim filter.
fn incident_conditions(f: &IncidentFilter) -> (String, Where) {
    let w = claim_conditions(&ClaimFilter { limit: None, offset: 0, ..f.claims.clone() });
    let mut conds = vec![format!("i.origins >= {}", f.min_sources)];
    if !f.totals {
        conds.push("i.total = 0".into());
    }
    if let Some(d) = f.min_disagreement.filter(|d| d.is_finite()) {
        conds.push(format!("i.disagreement >= {d}"));
    }
    if !w.conds.is_empty() {
        conds.push(format!("i.id IN (SELECT c.incident {CLAIMS_FROM}{})", w.sql()));
    }
    (conds.join(" AND "), w)
}

fn check_filter_dates(f: &ClaimFilter) -> Result<()> {
    f.from.iter().chain(&f.to).try_for_each(|d| check_date(d))
}

const INCIDENT_COLUMNS: &str = "SELECT i.id, i.label, i.total, i.place, i.place_variants, i.country, i.lat, i.lon,
    i.date_start, i.date_end, i.main_kind, i.low, i.best, i.high, i.claims, i.docs, i.origins, i.contradictions,
    i.disagreement";

fn incident_row(r: &rusqlite::Row) -> rusqlite::Result<IncidentRow> {
    let count = |i: usize| r.get::<_, i64>(i).map(|n| n as usize);
    let opt = |i: usize| r.get::<_, Option<i64>>(i).map(|n| n.map(|n| n as u64));
    Ok(IncidentRow {
        id: r.get(0)?,
        label: r.get(1)?,
        total: r.get(2)?,
        place: r.get(3)?,
        place_variants: serde_json::from_str(&r.get::<_, String>(4)?).unwrap_or_default(),
        country: r.get(5)?,
        lat: r.get(6)?,
        lon: r.get(7)?,
        date_start: r.get(8)?,
        date_end: r.get(9)?,
        kind: r.get(10)?,
        low: opt(11)?,
        best: opt(12)?,
        high: opt(13)?,
        claims: count(14)?,
        docs: count(15)?,
        sources: count(16)?,
        contradictions: count(17)?,
        disagreement: r.get(18)?,
    })
}
