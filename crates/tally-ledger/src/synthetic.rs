//! A deterministic synthetic ledger, for the scale and load benchmarks: documents of ten
//! claims each, spread over 1,000 days and 2,000 places in 20 countries, with enough
//! reports sharing a place and day that linking has real work to do. Every run builds the
//! same ledger.

use crate::{Ledger, Result};
use std::path::Path;
use tally_core::*;

/// Builds a linked ledger of `docs` synthetic documents at `path` (which must not exist).
pub fn build(path: &Path, docs: usize) -> Result<Ledger> {
    let mut ledger = Ledger::open(path)?;
    let mut batch = Vec::new();
    for d in 0..docs {
        batch.push(document(d));
        if batch.len() == 2000 {
            ledger.ingest(&batch)?;
            batch.clear();
        }
    }
    ledger.ingest(&batch)?;
    ledger.link()?;
    Ok(ledger)
}

/// Deterministic pseudo-random numbers (splitmix64), so every run builds the same ledger.
pub fn rand(seed: u64) -> u64 {
    let mut z = seed.wrapping_add(0x9e3779b97f4a7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d049bb133111eb);
    z ^ (z >> 31)
}

/// Synthetic document number `d` with its ten claims.
pub fn document(d: usize) -> (Document, Vec<Claim>) {
    let r = rand(d as u64);
    let day = Date::new(2015, 1, 1).unwrap().plus((r % 1000) as i64);
    let place = (r >> 10) % 2000;
    let country = format!("C{}", place % 20);
    let text = format!("Report {d}: figures from place {place} on {} in words of its own.", day.iso());
    let claims = (0..10)
        .map(|i| {
            let kind = Kind::ALL[(rand(r + i) % 3) as usize];
            let value = rand(r ^ i) % 200 + 1;
            Claim {
                doc: format!("doc-{d}"),
                span: [i as usize * 3, i as usize * 3 + 2],
                sentence: text.clone(),
                sentence_span: [0, text.len()],
                kind: Some(kind),
                count: Some(Count::new(value.to_string(), value, Qualifier::Exact)),
                victims: Victims { text: "people".into(), class: VictimClass::Unknown, groups: vec![] },
                cumulative: false,
                ambiguous: false,
                part_of: None,
                place: Some(PlaceRef {
                    text: format!("Place {place}"),
                    span: [0, 1],
                    name: format!("Place {place}"),
                    geonames_id: Some(place),
                    country: country.clone(),
                    admin1: Some(format!("{}", place % 50)),
                    lat: Some(30.0),
                    lon: Some(40.0),
                    precision: PlacePrecision::Town,
                }),
                time: Some(TimeRef {
                    text: "on the day".into(),
                    span: [0, 1],
                    start: Some(day.iso()),
                    end: Some(day.iso()),
                    precision: TimePrecision::Day,
                }),
                perpetrator: None,
                source: None,
                stance: Stance::Asserted,
                answers: vec![],
                why: vec![],
            }
        })
        .collect();
    let doc = Document {
        id: format!("doc-{d}"),
        text,
        published: Some(day.plus(1).iso()),
        outlet: Some(format!("outlet{}", r % 40)),
        ..Document::default()
    };
    (doc, claims)
}
