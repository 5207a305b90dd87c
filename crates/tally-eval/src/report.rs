//! Scores and their plain-text report.

use crate::GoldClaim;
use crate::{count, kind};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write;
use tally_core::{Claim, Kind};

#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Prf {
    pub gold: usize,
    pub predicted: usize,
    pub matched: usize,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
}

impl Prf {
    pub fn new(gold: usize, predicted: usize, matched: usize) -> Prf {
        let ratio = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
        let (p, r) = (ratio(matched, predicted), ratio(matched, gold));
        let f1 = if p + r == 0.0 { 0.0 } else { 2.0 * p * r / (p + r) };
        Prf { gold, predicted, matched, precision: p, recall: r, f1 }
    }
}

/// Accuracy of one field over matched claim pairs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldScore {
    pub field: &'static str,
    pub correct: usize,
    pub total: usize,
    pub accuracy: f64,
    /// The matched pairs this field got wrong, for reading dev misses.
    #[serde(skip)]
    pub wrong: Vec<FieldMiss>,
}

/// One matched claim whose field disagrees with the gold.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldMiss {
    pub doc: String,
    pub span: [usize; 2],
    pub gold: String,
    pub predicted: String,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Scores {
    pub overall: Prf,
    pub per_kind: BTreeMap<Kind, Prf>,
    pub fields: Vec<FieldScore>,
    #[serde(skip)]
    pub misses: Vec<GoldClaim>,
    #[serde(skip)]
    pub spurious: Vec<Claim>,
}

/// Index of each claim within its own document's list, as `part_of` counts.
fn local_indices<T>(items: &[&T], doc: impl Fn(&T) -> &str) -> Vec<(String, usize)> {
    let mut seen: HashMap<&str, usize> = HashMap::new();
    items
        .iter()
        .map(|c| {
            let d = doc(c);
            let n = seen.entry(d).or_default();
            *n += 1;
            (d.to_string(), *n - 1)
        })
        .collect()
}

fn same_text(gold: &Option<String>, pred: Option<&str>) -> bool {
    let norm = |s: &str| s.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect::<String>();
    match (gold, pred) {
        (None, None) => true,
        (Some(g), Some(p)) => {
            let (g, p) = (norm(g), norm(p));
            !g.is_empty() && !p.is_empty() && (g.contains(&p) || p.contains(&g))
        }
        _ => false,
    }
}

pub(crate) fn field_scores(gold: &[&GoldClaim], predicted: &[&Claim], pairs: &[(usize, usize)]) -> Vec<FieldScore> {
    let gold_local = local_indices(gold, |g| g.doc.as_str());
    let pred_local = local_indices(predicted, |p| p.doc.as_str());
    let gold_global: HashMap<(String, usize), usize> =
        gold_local.iter().cloned().enumerate().map(|(i, k)| (k, i)).collect();
    let pred_global: HashMap<(String, usize), usize> =
        pred_local.iter().cloned().enumerate().map(|(i, k)| (k, i)).collect();
    let pair_of_gold: HashMap<usize, usize> = pairs.iter().copied().collect();
    let part_of_ok = |g: &GoldClaim, p: &Claim| match (g.part_of, p.part_of) {
        (None, None) => true,
        (Some(gp), Some(pp)) => {
            let gp = gold_global.get(&(g.doc.clone(), gp));
            let pp = pred_global.get(&(p.doc.clone(), pp));
            gp.and_then(|gp| pair_of_gold.get(gp)) == pp
        }
        _ => false,
    };
    type Check<'a> = (&'static str, Box<dyn Fn(&GoldClaim, &Claim) -> bool + 'a>);
    let checks: Vec<Check> = vec![
        ("qualifier", Box::new(|g, p| g.count.qualifier == count(p).qualifier)),
        ("interval", Box::new(|g, p| (g.count.low, g.count.high) == (count(p).low, count(p).high))),
        ("victims.class", Box::new(|g, p| g.victims.class == p.victims.class)),
        (
            "victims.groups",
            Box::new(|g, p| {
                let (mut a, mut b) = (g.victims.groups.clone(), p.victims.groups.clone());
                a.sort();
                b.sort();
                a == b
            }),
        ),
        ("cumulative", Box::new(|g, p| g.cumulative == p.cumulative)),
        ("ambiguous", Box::new(|g, p| g.ambiguous == p.ambiguous)),
        ("part_of", Box::new(part_of_ok)),
        ("place", Box::new(|g, p| same_text(&g.place, p.place.as_ref().map(|m| m.text.as_str())))),
        ("time", Box::new(|g, p| same_text(&g.time, p.time.as_ref().map(|m| m.text.as_str())))),
        ("perpetrator", Box::new(|g, p| same_text(&g.perpetrator, p.perpetrator.as_ref().map(|m| m.text.as_str())))),
        (
            "source",
            Box::new(|g, p| {
                same_text(&g.source.as_ref().map(|s| s.text.clone()), p.source.as_ref().map(|m| m.text.as_str()))
            }),
        ),
        (
            "source.type",
            Box::new(|g, p| g.source.as_ref().map(|s| s.kind.as_str()) == p.source.as_ref().map(|s| s.kind.as_str())),
        ),
        ("stance", Box::new(|g, p| g.stance == p.stance)),
    ];
    checks
        .into_iter()
        .map(|(field, check)| {
            let wrong: Vec<FieldMiss> = pairs
                .iter()
                .filter(|&&(g, p)| !check(gold[g], predicted[p]))
                .map(|&(g, p)| field_miss(field, gold[g], predicted[p]))
                .collect();
            let total = pairs.len();
            let correct = total - wrong.len();
            let accuracy = if total == 0 { 0.0 } else { correct as f64 / total as f64 };
            FieldScore { field, correct, total, accuracy, wrong }
        })
        .collect()
}

/// The gold and predicted values of a field, as a reader wants to compare them.
fn field_miss(field: &str, g: &GoldClaim, p: &Claim) -> FieldMiss {
    let show = |s: Option<&str>| s.map_or_else(|| "null".to_string(), |s| format!("{s:?}"));
    let (gold, predicted) = match field {
        "place" => (show(g.place.as_deref()), show(p.place.as_ref().map(|m| m.text.as_str()))),
        "time" => (show(g.time.as_deref()), show(p.time.as_ref().map(|m| m.text.as_str()))),
        "perpetrator" => (show(g.perpetrator.as_deref()), show(p.perpetrator.as_ref().map(|m| m.text.as_str()))),
        "source" | "source.type" => (
            g.source.as_ref().map_or("null".into(), |s| format!("{:?} ({})", s.text, s.kind.as_str())),
            p.source.as_ref().map_or("null".into(), |s| format!("{:?} ({})", s.text, s.kind.as_str())),
        ),
        "stance" => (g.stance.as_str().to_string(), p.stance.as_str().to_string()),
        "cumulative" => (g.cumulative.to_string(), p.cumulative.to_string()),
        "victims.class" | "victims.groups" => (format!("{:?}", g.victims), format!("{:?}", p.victims)),
        _ => (format!("{:?}", g.count), format!("{:?}", count(p))),
    };
    FieldMiss { doc: g.doc.clone(), span: g.span, gold, predicted }
}

/// The human-readable report; with `verbose`, every miss and spurious claim.
pub fn render_text(s: &Scores, verbose: bool, doc_text: impl Fn(&str) -> Option<String>) -> String {
    render_report(s, verbose, None, doc_text)
}

/// [`render_text`], and with `field` every matched claim whose field is wrong.
pub fn render_report(
    s: &Scores,
    verbose: bool,
    field: Option<&str>,
    doc_text: impl Fn(&str) -> Option<String>,
) -> String {
    let mut out = String::new();
    let line = |out: &mut String, name: &str, p: &Prf| {
        let _ = writeln!(
            out,
            "{name:<12} {:>5} {:>5} {:>5}   {:.3}   {:.3}   {:.3}",
            p.gold, p.predicted, p.matched, p.precision, p.recall, p.f1
        );
    };
    let _ =
        writeln!(out, "{:<12} {:>5} {:>5} {:>5}   {:<5}   {:<5}   {:<5}", "", "gold", "pred", "match", "P", "R", "F1");
    line(&mut out, "overall", &s.overall);
    for (k, p) in &s.per_kind {
        line(&mut out, k.as_str(), p);
    }
    let _ = writeln!(out, "\nfield accuracy on {} matched claims:", s.overall.matched);
    for f in &s.fields {
        let _ = writeln!(out, "  {:<16} {:.3}  ({}/{})", f.field, f.accuracy, f.correct, f.total);
    }
    for f in s.fields.iter().filter(|f| Some(f.field) == field) {
        let _ = writeln!(out, "\nwrong {} ({}):", f.field, f.wrong.len());
        for w in &f.wrong {
            let excerpt = doc_text(&w.doc).map(|t| excerpt(&t, w.span)).unwrap_or_default();
            let _ = writeln!(
                out,
                "  {} [{}..{}] gold {} | tally {}\n      {}",
                w.doc, w.span[0], w.span[1], w.gold, w.predicted, excerpt
            );
        }
    }
    if verbose {
        let _ = writeln!(out, "\nmissed ({}):", s.misses.len());
        for g in &s.misses {
            let excerpt = doc_text(&g.doc).map(|t| excerpt(&t, g.span)).unwrap_or_default();
            let _ =
                writeln!(out, "  {} [{}..{}] {} {:?}  {}", g.doc, g.span[0], g.span[1], g.kind, g.count.text, excerpt);
        }
        let _ = writeln!(out, "\nspurious ({}):", s.spurious.len());
        for p in &s.spurious {
            let excerpt = doc_text(&p.doc).map(|t| excerpt(&t, p.span)).unwrap_or_default();
            let _ = writeln!(
                out,
                "  {} [{}..{}] {} {:?} ({})  {}",
                p.doc,
                p.span[0],
                p.span[1],
                kind(p),
                count(p).text,
                p.why.join(" "),
                excerpt
            );
        }
    }
    out
}

/// Up to 60 bytes either side of a span, on char boundaries, with the span in brackets.
fn excerpt(text: &str, [s, e]: [usize; 2]) -> String {
    let floor = |mut i: usize| {
        while !text.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    let (a, b) = (floor(s.saturating_sub(60)), floor((e + 60).min(text.len())));
    if e > text.len() || s > e {
        return String::new();
    }
    format!("…{}[{}]{}…", &text[a..s], &text[s..e], &text[e..b]).replace('\n', " ")
}
