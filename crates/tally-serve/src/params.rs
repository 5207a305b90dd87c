//! Query strings to typed ledger filters, shared by the pages and the API.
//!
//! Every endpoint names the parameters it knows; an unknown one, a repeated one, or a value
//! that does not parse is a 400 that says which and why (a typo must not silently widen a
//! query). Empty values count as absent, so that a submitted form with blank fields works.

use crate::Failure;
use tally_core::{Kind, Stance};
use tally_ledger::sources::{SourceFilter, SourceSort};
use tally_ledger::{ClaimFilter, IncidentFilter, IncidentSort};

/// Rows per page unless `limit` says otherwise, and the most it may say.
pub const DEFAULT_LIMIT: usize = 50;
pub const MAX_LIMIT: usize = 1000;
const MAX_VALUE: usize = 1000;

/// The claim filters, as `tally claims` takes them.
pub const CLAIM_PARAMS: &[&str] =
    &["kind", "place", "from", "to", "source", "outlet", "stance", "incident", "doc", "limit", "offset"];
/// The incident filters, as `tally incidents` takes them.
pub const INCIDENT_PARAMS: &[&str] = &[
    "kind",
    "place",
    "from",
    "to",
    "source",
    "outlet",
    "stance",
    "limit",
    "offset",
    "sort",
    "min_sources",
    "min_disagreement",
    "totals",
];
pub const SOURCE_PARAMS: &[&str] = &["role", "name", "sort", "limit", "offset"];
pub const SEARCH_PARAMS: &[&str] = &["q", "limit", "offset"];
pub const PAGE_PARAMS: &[&str] = &["limit", "offset"];

/// A parsed query string.
#[derive(Debug, Default)]
pub struct Params {
    pairs: Vec<(String, String)>,
}

impl Params {
    pub fn parse(raw: Option<&str>, known: &[&str]) -> Result<Params, Failure> {
        let mut pairs: Vec<(String, String)> = Vec::new();
        for (k, v) in form_urlencoded::parse(raw.unwrap_or("").as_bytes()) {
            if !known.contains(&k.as_ref()) {
                return Err(bad(format!("unknown parameter {k:?}; this endpoint takes: {}", known.join(", "))));
            }
            if pairs.iter().any(|(p, _)| *p == k) {
                return Err(bad(format!("parameter {k:?} is given twice")));
            }
            if v.len() > MAX_VALUE {
                return Err(bad(format!("parameter {k:?} is longer than {MAX_VALUE} bytes")));
            }
            let v = v.trim();
            if !v.is_empty() {
                pairs.push((k.into_owned(), v.to_string()));
            }
        }
        Ok(Params { pairs })
    }

    pub fn get(&self, key: &str) -> Option<&str> {
        self.pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
    }

    fn string(&self, key: &str) -> Option<String> {
        self.get(key).map(str::to_string)
    }

    fn number<T: std::str::FromStr>(&self, key: &str, what: &str) -> Result<Option<T>, Failure> {
        self.get(key).map(|v| v.parse().map_err(|_| bad(format!("{key} must be {what}, not {v:?}")))).transpose()
    }

    /// `limit` (1..=1000, default 50) and `offset`.
    pub fn page(&self) -> Result<(usize, usize), Failure> {
        let limit = self.number::<usize>("limit", "a whole number")?.unwrap_or(DEFAULT_LIMIT);
        if limit == 0 || limit > MAX_LIMIT {
            return Err(bad(format!("limit must be between 1 and {MAX_LIMIT}, not {limit}")));
        }
        let offset = self.number::<usize>("offset", "a whole number")?.unwrap_or(0);
        Ok((limit, offset))
    }

    fn date(&self, key: &str) -> Result<Option<String>, Failure> {
        let Some(v) = self.get(key) else { return Ok(None) };
        tally_ledger::query::check_date(v).map_err(|_| bad(format!("{key} must be a date (YYYY-MM-DD), not {v:?}")))?;
        Ok(Some(v.to_string()))
    }

    fn choice<T>(&self, key: &str, parse: impl Fn(&str) -> Option<T>, choices: &str) -> Result<Option<T>, Failure> {
        self.get(key)
            .map(|v| parse(v).ok_or_else(|| bad(format!("{key} must be one of {choices}, not {v:?}"))))
            .transpose()
    }

    pub fn claim_filter(&self) -> Result<ClaimFilter, Failure> {
        let (limit, offset) = self.page()?;
        Ok(ClaimFilter {
            kind: self.choice("kind", Kind::parse, "killed, injured, missing, captured, displaced, damaged")?,
            place: self.string("place"),
            from: self.date("from")?,
            to: self.date("to")?,
            source: self.string("source"),
            outlet: self.string("outlet"),
            stance: self.choice("stance", Stance::parse, "asserted, hedged, disputed, denied")?,
            incident: self.string("incident"),
            doc: self.string("doc"),
            limit: Some(limit),
            offset,
        })
    }

    pub fn incident_filter(&self) -> Result<IncidentFilter, Failure> {
        let sort = self.choice("sort", parse_incident_sort, "sources, disagreement, date")?;
        let min_disagreement = self.number::<f64>("min_disagreement", "a number")?;
        if min_disagreement.is_some_and(|d| !d.is_finite()) {
            return Err(bad("min_disagreement must be a finite number".into()));
        }
        Ok(IncidentFilter {
            claims: self.claim_filter()?,
            min_sources: self.number("min_sources", "a whole number")?.unwrap_or(0),
            min_disagreement,
            totals: self.choice("totals", parse_bool, "true, false")?.unwrap_or(false),
            sort: sort.unwrap_or_default(),
        })
    }

    pub fn source_filter(&self) -> Result<SourceFilter, Failure> {
        let (limit, offset) = self.page()?;
        let role = self.choice("role", |r| ["voice", "outlet"].contains(&r).then(|| r.to_string()), "voice, outlet")?;
        Ok(SourceFilter {
            role,
            name: self.string("name"),
            sort: self.choice("sort", SourceSort::parse, "claims, above, below, name")?.unwrap_or_default(),
            limit: Some(limit),
            offset,
        })
    }

    /// The query string with `key` set to `value` (or removed): for sort links and paging.
    pub fn with(&self, key: &str, value: Option<&str>) -> String {
        self.with_all(&[(key, value)])
    }

    /// The query string with each key set to its value, or removed when the value is None.
    pub fn with_all(&self, changes: &[(&str, Option<&str>)]) -> String {
        let mut out = form_urlencoded::Serializer::new(String::new());
        for (k, v) in self.pairs.iter().filter(|(k, _)| !changes.iter().any(|(c, _)| c == k)) {
            out.append_pair(k, v);
        }
        for (k, v) in changes {
            if let Some(v) = v {
                out.append_pair(k, v);
            }
        }
        out.finish()
    }
}

pub fn parse_incident_sort(s: &str) -> Option<IncidentSort> {
    Some(match s {
        "sources" => IncidentSort::Sources,
        "disagreement" => IncidentSort::Disagreement,
        "date" => IncidentSort::Date,
        _ => return None,
    })
}

fn parse_bool(s: &str) -> Option<bool> {
    match s {
        "true" | "1" | "on" => Some(true),
        "false" | "0" | "off" => Some(false),
        _ => None,
    }
}

fn bad(message: String) -> Failure {
    Failure::BadRequest(message)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(q: &str) -> Result<Params, Failure> {
        Params::parse(Some(q), INCIDENT_PARAMS)
    }

    fn message(r: Result<impl std::fmt::Debug, Failure>) -> String {
        match r.unwrap_err() {
            Failure::BadRequest(m) => m,
            other => panic!("not a bad request: {other:?}"),
        }
    }

    #[test]
    fn filters_parse_and_blank_fields_are_absent() {
        let p = parse("kind=killed&place=Ganja&from=2020-10-01&to=&min_sources=2&sort=disagreement&totals=on").unwrap();
        let f = p.incident_filter().unwrap();
        assert_eq!(f.claims.kind, Some(Kind::Killed));
        assert_eq!(f.claims.place.as_deref(), Some("Ganja"));
        assert_eq!((f.claims.from.as_deref(), f.claims.to.as_deref()), (Some("2020-10-01"), None));
        assert_eq!((f.min_sources, f.sort, f.totals), (2, IncidentSort::Disagreement, true));
        assert_eq!((f.claims.limit, f.claims.offset), (Some(DEFAULT_LIMIT), 0));
    }

    #[test]
    fn bad_values_say_what_is_wrong() {
        assert!(message(parse("kind=dead").unwrap().incident_filter()).contains("kind must be one of killed"));
        assert!(message(parse("from=2020-13-01").unwrap().incident_filter()).contains("from must be a date"));
        assert!(message(parse("limit=0").unwrap().incident_filter()).contains("limit must be between 1 and 1000"));
        assert!(message(parse("limit=x").unwrap().incident_filter()).contains("limit must be a whole number"));
        assert!(message(parse("min_disagreement=NaN").unwrap().incident_filter()).contains("finite"));
        assert!(message(parse("sort=size").unwrap().incident_filter()).contains("sources, disagreement, date"));
        assert!(message(parse("kinds=killed")).contains("unknown parameter \"kinds\""));
        assert!(message(parse("kind=killed&kind=injured")).contains("given twice"));
        assert!(message(parse(&format!("place={}", "a".repeat(1001)))).contains("longer than"));
    }

    #[test]
    fn links_keep_the_other_parameters() {
        let p = parse("kind=killed&sort=date&offset=50").unwrap();
        assert_eq!(p.with("sort", Some("sources")), "kind=killed&offset=50&sort=sources");
        assert_eq!(p.with("offset", None), "kind=killed&sort=date");
        assert_eq!(p.with_all(&[("offset", None), ("sort", Some("date"))]), "kind=killed&sort=date");
    }
}
