//! Sources: every voice (who claims) and outlet (who publishes) with its claims, and how its
//! figures sit against the reconciled best of the incidents it speaks of.
//!
//! Written by `link` from the reconciliations it has just made, so that the sources page
//! and `/api/sources` read a small table instead of every incident. A figure is *compared*
//! only where at least two voices make the best: against a best of one voice, a source
//! would only be compared with itself. A figure is *above* when its lowest reading exceeds
//! the best, *below* when its highest reading is under it, else *matching*. Subset figures
//! ("including 10 children") are not compared; disputed and denied ones are counted apart.

use crate::reconcile::{Reconciliation, SourceFigure};
use rustc_hash::{FxHashMap, FxHashSet};
use serde::Serialize;
use std::cmp::Ordering;
use tally_core::Stance;

/// One voice or outlet, as the sources table stores it.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct SourceRow {
    /// `voice` or `outlet`.
    pub role: String,
    pub name: String,
    pub claims: usize,
    pub incidents: usize,
    pub compared: usize,
    pub above: usize,
    pub below: usize,
    pub matching: usize,
    pub disputed: usize,
    pub denied: usize,
}

/// Accumulates [`SourceRow`]s over the reconciliations of a link.
#[derive(Default)]
pub struct SourceTally {
    rows: FxHashMap<(&'static str, String), (SourceRow, FxHashSet<String>)>,
}

impl SourceTally {
    pub fn add(&mut self, incident: &str, rec: &Reconciliation) {
        for figure in &rec.figures {
            let best = figure.best.filter(|_| figure.voices > 1);
            for sf in &figure.sources {
                let position = best.and_then(|b| position(sf, b));
                // A voice is keyed as reconciliation keys it ("SOHR" and "Syrian Observatory
                // for Human Rights" are one); an outlet by its lower-cased name.
                self.count(("voice", sf.voice.clone()), &sf.voice_name, incident, sf, position);
                if let Some(outlet) = &sf.outlet {
                    self.count(("outlet", outlet.to_lowercase()), outlet, incident, sf, position);
                }
            }
        }
    }

    fn count(
        &mut self,
        key: (&'static str, String),
        name: &str,
        incident: &str,
        sf: &SourceFigure,
        at: Option<Ordering>,
    ) {
        let role = key.0;
        let (row, incidents) = self.rows.entry(key).or_insert_with(|| {
            (SourceRow { role: role.to_string(), name: name.to_string(), ..SourceRow::default() }, Default::default())
        });
        row.claims += 1;
        incidents.insert(incident.to_string());
        match sf.stance {
            Stance::Disputed => row.disputed += 1,
            Stance::Denied => row.denied += 1,
            _ => {}
        }
        if let Some(at) = at {
            row.compared += 1;
            match at {
                Ordering::Greater => row.above += 1,
                Ordering::Less => row.below += 1,
                Ordering::Equal => row.matching += 1,
            }
        }
    }

    /// The rows, most claims first.
    pub fn rows(self) -> Vec<(String, SourceRow)> {
        let mut out: Vec<(String, SourceRow)> = self
            .rows
            .into_iter()
            .map(|((_, key), (mut row, incidents))| {
                row.incidents = incidents.len();
                (key, row)
            })
            .collect();
        out.sort_by(|a, b| b.1.claims.cmp(&a.1.claims).then_with(|| (&a.1.role, &a.0).cmp(&(&b.1.role, &b.0))));
        out
    }
}

/// Where a figure sits against `best`; None when it is not comparable.
fn position(sf: &SourceFigure, best: u64) -> Option<Ordering> {
    if sf.note == Some("subset") || !matches!(sf.stance, Stance::Asserted | Stance::Hedged) {
        return None;
    }
    let low = sf.low?;
    if low > best {
        Some(Ordering::Greater)
    } else if sf.high.is_some_and(|h| h < best) {
        Some(Ordering::Less)
    } else {
        Some(Ordering::Equal)
    }
}

/// Which sources to list, and in which order.
#[derive(Debug, Clone, Default)]
pub struct SourceFilter {
    /// `voice` or `outlet`; None for both.
    pub role: Option<String>,
    /// A part of the name, case-insensitive.
    pub name: Option<String>,
    /// `claims` (default), `above`, `below` (the share of compared figures), `name`.
    pub sort: SourceSort,
    pub limit: Option<usize>,
    pub offset: usize,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum SourceSort {
    #[default]
    Claims,
    Above,
    Below,
    Name,
}

impl SourceSort {
    pub fn parse(s: &str) -> Option<SourceSort> {
        Some(match s {
            "claims" => SourceSort::Claims,
            "above" => SourceSort::Above,
            "below" => SourceSort::Below,
            "name" => SourceSort::Name,
            _ => return None,
        })
    }
}

impl crate::Ledger {
    /// Sources as the last link counted them, and how many match the filter.
    pub fn sources(&self, f: &SourceFilter) -> crate::Result<(usize, Vec<SourceRow>)> {
        let conds = "(?1 IS NULL OR role = ?1) AND (?2 IS NULL OR instr(lower(name), lower(?2)) > 0)";
        let params = rusqlite::params![f.role, f.name];
        let total: i64 =
            self.conn().query_row(&format!("SELECT count(*) FROM sources WHERE {conds}"), params, |r| r.get(0))?;
        // Shares need a floor of compared figures, or one figure out of one tops the list.
        let order = match f.sort {
            SourceSort::Claims => "claims DESC, key",
            SourceSort::Above => "CAST(above AS REAL) / max(compared, 3) DESC, compared DESC, key",
            SourceSort::Below => "CAST(below AS REAL) / max(compared, 3) DESC, compared DESC, key",
            SourceSort::Name => "key, role",
        };
        let sql = format!(
            "SELECT role, name, claims, incidents, compared, above, below, matching, disputed, denied
             FROM sources WHERE {conds} ORDER BY {order} LIMIT {} OFFSET {}",
            f.limit.map_or(-1, |l| l as i64),
            f.offset
        );
        let mut stmt = self.conn().prepare(&sql)?;
        let n = |r: &rusqlite::Row, i: usize| r.get::<_, i64>(i).map(|v| v as usize);
        let rows = stmt
            .query_map(params, |r| {
                Ok(SourceRow {
                    role: r.get(0)?,
                    name: r.get(1)?,
                    claims: n(r, 2)?,
                    incidents: n(r, 3)?,
                    compared: n(r, 4)?,
                    above: n(r, 5)?,
                    below: n(r, 6)?,
                    matching: n(r, 7)?,
                    disputed: n(r, 8)?,
                    denied: n(r, 9)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok((total as usize, rows))
    }

    /// Claims per month (YYYY-MM) and kind, as the last link counted them, oldest first.
    pub fn timeline(&self) -> crate::Result<Vec<(String, String, usize)>> {
        let mut stmt = self.conn().prepare("SELECT month, kind, claims FROM timeline ORDER BY month, kind")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get::<_, i64>(2)? as usize)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reconcile::Figure;
    use tally_core::Kind;

    fn source(voice: &str, outlet: &str, low: u64, high: Option<u64>, stance: Stance) -> SourceFigure {
        SourceFigure {
            claim: 0,
            doc: "d".into(),
            outlet: Some(outlet.into()),
            published: None,
            voice: format!("party:{}", voice.to_lowercase()),
            voice_name: voice.into(),
            claimant: None,
            claimant_type: None,
            stance,
            count_text: low.to_string(),
            low: Some(low),
            high,
            counted: true,
            note: None,
            quote: String::new(),
        }
    }

    fn rec(best: u64, voices: usize, sources: Vec<SourceFigure>) -> Reconciliation {
        let figure =
            Figure { kind: Kind::Killed, victims: "all", low: None, best: Some(best), high: None, voices, sources };
        Reconciliation { figures: vec![figure], contradictions: vec![], origins: voices, disagreement: 0.0 }
    }

    #[test]
    fn figures_are_set_against_a_shared_best() {
        let mut tally = SourceTally::default();
        tally.add(
            "i1",
            &rec(
                20,
                3,
                vec![
                    source("Ministry", "Outlet A", 30, Some(30), Stance::Asserted),
                    source("Monitor", "Outlet A", 10, Some(12), Stance::Asserted),
                    source("Army", "Outlet B", 20, None, Stance::Hedged),
                    source("Army", "Outlet B", 5, Some(5), Stance::Denied),
                ],
            ),
        );
        // One voice alone: its figure is its own best, so it is not compared.
        tally.add("i2", &rec(7, 1, vec![source("ministry", "outlet a", 7, Some(7), Stance::Asserted)]));
        let rows: FxHashMap<(String, String), SourceRow> =
            tally.rows().into_iter().map(|(k, r)| ((r.role.clone(), k), r)).collect();
        let ministry = &rows[&("voice".into(), "party:ministry".into())];
        assert_eq!((ministry.claims, ministry.incidents, ministry.compared, ministry.above), (2, 2, 1, 1));
        assert_eq!(ministry.name, "Ministry");
        let monitor = &rows[&("voice".into(), "party:monitor".into())];
        assert_eq!((monitor.below, monitor.above, monitor.matching), (1, 0, 0));
        let army = &rows[&("voice".into(), "party:army".into())];
        assert_eq!((army.claims, army.compared, army.matching, army.denied), (2, 1, 1, 1));
        let outlet_a = &rows[&("outlet".into(), "outlet a".into())];
        assert_eq!((outlet_a.claims, outlet_a.incidents, outlet_a.above, outlet_a.below), (3, 2, 1, 1));
    }
}
