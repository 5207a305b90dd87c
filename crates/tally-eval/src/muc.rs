//! Comparison of claim context with the MUC-3/4 answer keys (docs/muc.md).
//!
//! MUC keys record incidents, not claims. Each key template is linked to the document's
//! claims whose kind agrees with its effects (DEATH → killed, INJURY → injured, DESTROYED or
//! SOME DAMAGE → damaged, KIDNAPPING → captured), preferring a claim whose count fits the
//! key's number. For linked templates, four slots are scored the MUC way (correct, partial,
//! incorrect, missing, spurious; optional keys are not missing when tally is silent):
//! place ↔ INCIDENT: LOCATION, time ↔ INCIDENT: DATE, perpetrator ↔ PERP: ORGANIZATION ID and
//! source + stance ↔ PERP: ORGANIZATION CONFIDENCE. Recall = (COR + ½PAR) / POS, precision =
//! (COR + ½PAR) / ACT (Chinchor 1992).

use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;
use tally_core::{Claim, Kind, SourceType, Stance};

/// Counts of one slot.
#[derive(Debug, Clone, Copy, Default, Serialize, PartialEq)]
pub struct SlotScore {
    pub correct: usize,
    pub partial: usize,
    pub incorrect: usize,
    pub missing: usize,
    pub spurious: usize,
    pub recall: f64,
    pub precision: f64,
    pub f1: f64,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Verdict {
    Correct,
    Partial,
    Incorrect,
    Missing,
    Spurious,
    /// Optional key, nothing said: not counted.
    Skip,
}

impl SlotScore {
    fn add(&mut self, v: Verdict) {
        match v {
            Verdict::Correct => self.correct += 1,
            Verdict::Partial => self.partial += 1,
            Verdict::Incorrect => self.incorrect += 1,
            Verdict::Missing => self.missing += 1,
            Verdict::Spurious => self.spurious += 1,
            Verdict::Skip => {}
        }
        let credit = self.correct as f64 + 0.5 * self.partial as f64;
        let possible = (self.correct + self.partial + self.incorrect + self.missing) as f64;
        let actual = (self.correct + self.partial + self.incorrect + self.spurious) as f64;
        self.recall = if possible > 0.0 { credit / possible } else { 0.0 };
        self.precision = if actual > 0.0 { credit / actual } else { 0.0 };
        let (p, r) = (self.precision, self.recall);
        self.f1 = if p + r > 0.0 { 2.0 * p * r / (p + r) } else { 0.0 };
    }
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct MucScores {
    /// Key templates of relevant incidents, and how many of them a claim links to.
    pub templates: usize,
    pub linked: usize,
    pub slots: BTreeMap<&'static str, SlotScore>,
}

/// Upper case without accents or punctuation, for comparing names.
fn norm(s: &str) -> String {
    let folded: String = s
        .chars()
        .map(|c| match c {
            'á' | 'à' | 'â' | 'ä' | 'Á' => 'a',
            'é' | 'è' | 'ê' | 'ë' | 'É' => 'e',
            'í' | 'ì' | 'î' | 'ï' | 'Í' => 'i',
            'ó' | 'ò' | 'ô' | 'ö' | 'Ó' => 'o',
            'ú' | 'ù' | 'û' | 'ü' | 'Ú' => 'u',
            'ñ' | 'Ñ' => 'n',
            c if c.is_alphanumeric() => c,
            _ => ' ',
        })
        .collect();
    folded.to_uppercase().split_whitespace().collect::<Vec<_>>().join(" ")
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array().into_iter().flatten().filter_map(|s| s.as_str().map(String::from)).collect()
}

/// Each filler of a list slot: its alternatives and whether it is optional.
fn fillers(v: &Value) -> Vec<(Vec<String>, bool)> {
    v.as_array()
        .into_iter()
        .flatten()
        .map(|f| (strings(&f["alts"]), f["optional"].as_bool().unwrap_or(false)))
        .collect()
}

fn kinds_of(key: &Value) -> Vec<Kind> {
    let mut out = Vec::new();
    for (effects, _) in fillers(&key["hum_tgt_effect"]) {
        for e in effects {
            match e.as_str() {
                "DEATH" => out.push(Kind::Killed),
                "INJURY" => out.push(Kind::Injured),
                _ => {}
            }
        }
    }
    for (effects, _) in fillers(&key["phys_tgt_effect"]) {
        if effects.iter().any(|e| e.contains("DESTROYED") || e.contains("DAMAGE")) {
            out.push(Kind::Damaged);
        }
    }
    if strings(&key["incident_type"]).iter().any(|t| t.contains("KIDNAPPING")) {
        out.push(Kind::Captured);
    }
    out
}

/// Whether a claim's count fits one of the key's numbers.
fn number_fits(key: &Value, claim: &Claim) -> bool {
    let Some(count) = &claim.count else { return false };
    key["hum_tgt_number"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|f| f["values"].as_array().into_iter().flatten())
        .any(|v| {
            let (min, max) = (v["min"].as_u64(), v["max"].as_u64());
            match (count.value, min) {
                (Some(n), Some(lo)) => n >= lo && max.is_none_or(|hi| n <= hi),
                _ => false,
            }
        })
}

/// Scores the claims of every document against the key templates.
pub fn score_muc(
    keys: &[Value],
    claims_of: impl Fn(&str) -> Vec<Claim>,
    country_name: impl Fn(&str) -> String,
) -> MucScores {
    let mut scores = MucScores::default();
    let mut by_doc: BTreeMap<&str, Vec<&Value>> = BTreeMap::new();
    for k in keys.iter().filter(|k| !k["irrelevant"].as_bool().unwrap_or(false)) {
        by_doc.entry(k["doc"].as_str().unwrap_or_default()).or_default().push(k);
    }
    for (doc, templates) in by_doc {
        let claims = claims_of(doc);
        for key in templates {
            let optional = key["optional"].as_bool().unwrap_or(false);
            let kinds = kinds_of(key);
            let linked: Vec<&Claim> = claims.iter().filter(|c| c.kind.is_some_and(|k| kinds.contains(&k))).collect();
            if !optional {
                scores.templates += 1;
            }
            let Some(claim) = linked.iter().find(|c| number_fits(key, c)).or(linked.first()).copied() else {
                continue;
            };
            if !optional {
                scores.linked += 1;
            }
            let slots = [
                ("location", location(key, claim, &country_name)),
                ("date", date(key, claim)),
                ("perp_org", perp_org(key, claim)),
                ("perp_confidence", confidence(key, claim)),
            ];
            for (name, verdict) in slots {
                scores.slots.entry(name).or_default().add(verdict);
            }
        }
    }
    scores
}

fn location(key: &Value, claim: &Claim, country_name: &impl Fn(&str) -> String) -> Verdict {
    let loc = &key["location"];
    if loc["raw"].as_str().is_none_or(|r| r == "-") {
        return if claim.place.is_some() { Verdict::Spurious } else { Verdict::Skip };
    }
    let Some(place) = &claim.place else {
        return if loc["optional"].as_bool().unwrap_or(false) { Verdict::Skip } else { Verdict::Missing };
    };
    let ours = [norm(&place.text), norm(&place.name), place.admin1.as_deref().map(norm).unwrap_or_default()];
    let alts = loc["alts"].as_array().cloned().unwrap_or_default();
    let mut country_agrees = false;
    for alt in &alts {
        let country = norm(alt["country"].as_str().unwrap_or_default());
        let specific: Vec<String> = alt["path"]
            .as_array()
            .into_iter()
            .flatten()
            .flat_map(|level| level.as_array().into_iter().flatten())
            .filter(|p| p["type"].as_str() != Some("COUNTRY"))
            .filter_map(|p| p["name"].as_str().map(norm))
            .collect();
        if specific
            .iter()
            .any(|name| ours.iter().any(|o| !o.is_empty() && (o.contains(name.as_str()) || name.contains(o.as_str()))))
        {
            return Verdict::Correct;
        }
        let our_country = norm(&country_name(&place.country));
        if !country.is_empty() && (our_country == country || ours.contains(&country)) {
            if specific.is_empty() {
                return Verdict::Correct;
            }
            country_agrees = true;
        }
    }
    if country_agrees {
        Verdict::Partial
    } else {
        Verdict::Incorrect
    }
}

fn date(key: &Value, claim: &Claim) -> Verdict {
    let d = &key["date"];
    if d["year_unknown"].as_bool().unwrap_or(false) || d["raw"].as_str().is_none_or(|r| r == "-") {
        return Verdict::Skip;
    }
    let interval = claim.time.as_ref().and_then(|t| Some((t.start.clone()?, t.end.clone()?)));
    let Some((start, end)) = interval else {
        return if d["optional"].as_bool().unwrap_or(false) { Verdict::Skip } else { Verdict::Missing };
    };
    let mut best = Verdict::Incorrect;
    let alts = d["alts"].as_array().cloned().unwrap_or_default();
    for alt in &alts {
        let (ks, ke) = (alt["start"].as_str(), alt["end"].as_str());
        let verdict = match (ks, ke) {
            (Some(ks), Some(ke)) if ks <= start.as_str() && end.as_str() <= ke => Verdict::Correct,
            (Some(ks), Some(ke)) if start.as_str() <= ke && ks <= end.as_str() => Verdict::Partial,
            // "- D": on or before D, a default the guidelines score as partial at best
            (None, Some(ke)) if start.as_str() <= ke => Verdict::Partial,
            _ => Verdict::Incorrect,
        };
        if verdict == Verdict::Correct {
            return verdict;
        }
        if verdict == Verdict::Partial {
            best = verdict;
        }
    }
    best
}

/// The verdict when the key or the response is empty; None when both have fillers.
fn presence<T>(keyed: &[(Vec<String>, bool)], ours: &Option<T>) -> Option<Verdict> {
    match (keyed.is_empty(), ours.is_some()) {
        (true, false) => Some(Verdict::Skip),
        (true, true) => Some(Verdict::Spurious),
        (false, false) if keyed.iter().all(|(_, optional)| *optional) => Some(Verdict::Skip),
        (false, false) => Some(Verdict::Missing),
        (false, true) => None,
    }
}

fn perp_org(key: &Value, claim: &Claim) -> Verdict {
    let orgs = fillers(&key["perp_org"]);
    let ours = claim.perpetrator.as_ref().map(|p| norm(&p.text));
    if let Some(v) = presence(&orgs, &ours) {
        return v;
    }
    match ours {
        None => Verdict::Skip,
        Some(ours) => {
            let alts: Vec<String> = orgs.iter().flat_map(|(a, _)| a.iter().map(|s| norm(s))).collect();
            if alts.iter().any(|a| !a.is_empty() && ours.contains(a.as_str())) {
                Verdict::Correct
            } else if alts.iter().any(|a| a.contains(ours.as_str()) && !ours.is_empty()) {
                Verdict::Partial
            } else {
                Verdict::Incorrect
            }
        }
    }
}

/// tally's reading of how the text holds the perpetrator responsible, in MUC's terms.
fn our_confidence(claim: &Claim) -> Option<&'static str> {
    let perp = claim.perpetrator.as_ref()?;
    let source = claim.source.as_ref();
    let by_perpetrator =
        source.is_some_and(|s| norm(&s.text).contains(&norm(&perp.text)) || norm(&perp.text).contains(&norm(&s.text)));
    let authority = source.is_some_and(|s| matches!(s.kind, SourceType::Government | SourceType::Military));
    Some(if by_perpetrator {
        "CLAIMED OR ADMITTED"
    } else if claim.stance == Stance::Hedged || source.is_some_and(|s| !matches!(s.kind, SourceType::Media)) {
        if authority {
            "SUSPECTED OR ACCUSED BY AUTHORITIES"
        } else {
            "SUSPECTED OR ACCUSED"
        }
    } else {
        "REPORTED AS FACT"
    })
}

fn confidence(key: &Value, claim: &Claim) -> Verdict {
    let keyed = fillers(&key["perp_org_confidence"]);
    let ours = our_confidence(claim);
    if let Some(v) = presence(&keyed, &ours) {
        return v;
    }
    match ours {
        None => Verdict::Skip,
        Some(ours) => {
            let alts: Vec<&String> = keyed.iter().flat_map(|(a, _)| a.iter()).collect();
            if alts.iter().any(|a| a.as_str() == ours) {
                Verdict::Correct
            } else if ours.starts_with("SUSPECTED") && alts.iter().any(|a| a.starts_with("SUSPECTED")) {
                Verdict::Partial
            } else {
                Verdict::Incorrect
            }
        }
    }
}
