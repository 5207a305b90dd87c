//! Reconciliation: from an incident's claims to low / best / high figures, with every
//! source's figure laid out and the contradictions named.
//!
//! The rules (docs/reconcile.md explains why):
//! - Figures are compared per kind and victim group (civilians, combatants, all others);
//!   subset figures ("including 10 children") are listed under their parent, not counted.
//! - A *voice* is an independent origin: the named party that makes the claim (the Health
//!   Ministry, a monitoring group), else the agency the document cites as its origin, else
//!   the outlet of the document's copy group (its first copy), else that group alone. Ten
//!   copies of one wire story are one voice, and so are two reports of one outlet.
//! - Asserted and hedged figures count; disputed and denied ones are listed, not averaged.
//!   A voice with several figures counts with its highest (tolls are revised upwards).
//! - `low` and `high` are the extremes of what the counted figures allow (an unbounded "at
//!   least 70" allows 70); `best` is the median of the voices' point figures.
//! - Contradictions: two voices whose intervals cannot both hold; a figure disputed or
//!   denied by a party; a perpetrator named by one voice and denied by another.

use serde::Serialize;
use tally_core::{Count, Kind, Stance, VictimClass};

/// One claim of an incident, with what reconciliation needs from its document.
#[derive(Debug, Clone)]
pub struct Member {
    pub claim: i64,
    pub doc_name: String,
    pub outlet: Option<String>,
    pub published: Option<String>,
    /// The document's copy group (the id of the first document of which it is a copy).
    pub copy_root: i64,
    /// The outlet of that first document: a copy speaks with its origin's voice.
    pub root_outlet: Option<String>,
    /// The agency the document cites as its origin ("(AP)", "Reuters reported"), if any.
    pub wire: Option<String>,
    pub kind: Option<Kind>,
    pub victims: VictimClass,
    pub count: Option<Count>,
    pub subset: bool,
    pub stance: Stance,
    pub source: Option<String>,
    /// The claimant's type (`government`, `ngo`, ...), when a claimant is named.
    pub source_type: Option<String>,
    pub perpetrator: Option<String>,
    pub quote: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reconciliation {
    pub figures: Vec<Figure>,
    pub contradictions: Vec<Contradiction>,
    /// Independent voices among the counted figures.
    pub origins: usize,
    /// Contradictions plus the relative spread of the widest figure: the ranking key of
    /// `tally incidents --sort disagreement`.
    pub disagreement: f64,
}

/// The reconciled figure for one kind and victim group.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Figure {
    pub kind: Kind,
    /// `civilian`, `combatant` or `all`.
    pub victims: &'static str,
    pub low: Option<u64>,
    pub best: Option<u64>,
    pub high: Option<u64>,
    pub voices: usize,
    pub sources: Vec<SourceFigure>,
}

/// What one claim says, and whether it counts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SourceFigure {
    pub claim: i64,
    pub doc: String,
    pub outlet: Option<String>,
    pub published: Option<String>,
    /// The voice's key (`party:…`, `origin:…`, `outlet:…`, `copy:…`).
    pub voice: String,
    /// The voice as shown to a reader.
    pub voice_name: String,
    pub claimant: Option<String>,
    pub claimant_type: Option<String>,
    pub stance: Stance,
    pub count_text: String,
    pub low: Option<u64>,
    pub high: Option<u64>,
    pub counted: bool,
    /// Why a figure is not counted: `disputed`, `denied`, `subset`, `superseded` (its voice
    /// states a higher one).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<&'static str>,
    pub quote: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Contradiction {
    /// `intervals`, `disputed`, `denied`, `perpetrator`.
    pub kind: &'static str,
    pub reason: String,
    pub claims: Vec<i64>,
}

/// The voice of a claim: a stable key and a label to show.
pub fn voice(m: &Member) -> (String, String) {
    if let Some(s) = m.source.as_deref().filter(|s| is_named(s)) {
        return (format!("party:{}", party_key(s)), strip_article(s).to_string());
    }
    if let Some(w) = &m.wire {
        return (format!("origin:{w}"), w.clone());
    }
    match &m.root_outlet {
        Some(outlet) => (format!("outlet:{}", outlet.to_lowercase()), outlet.clone()),
        None => (format!("copy:{}", m.copy_root), m.outlet.clone().unwrap_or_else(|| m.doc_name.clone())),
    }
}

fn strip_article(s: &str) -> &str {
    let t = s.trim();
    ["the ", "The ", "a ", "A "].iter().find_map(|a| t.strip_prefix(a)).unwrap_or(t)
}

/// A party is named when it has a capitalised word after its article ("the Health
/// Ministry", "SOHR"); "activists" or "a source" speak for the document.
fn is_named(s: &str) -> bool {
    strip_article(s).split_whitespace().any(|w| w.starts_with(|c: char| c.is_uppercase()))
}

/// Names of three or more capitalised words are keyed by their initials, so that "the Syrian
/// Observatory for Human Rights" and "SOHR" are one voice; others by their lower-case words.
fn party_key(s: &str) -> String {
    let words: Vec<&str> = strip_article(s).split_whitespace().map(|w| w.trim_end_matches("'s")).collect();
    let caps: Vec<&str> = words.iter().copied().filter(|w| w.starts_with(|c: char| c.is_uppercase())).collect();
    if caps.len() >= 3 {
        return caps.iter().filter_map(|w| w.chars().next()).collect::<String>().to_uppercase();
    }
    if words.len() == 1 && words[0].len() >= 2 && words[0].chars().all(|c| c.is_uppercase() || c == '.') {
        return words[0].replace('.', "");
    }
    words.join(" ").to_lowercase()
}

fn group(v: VictimClass) -> &'static str {
    match v {
        VictimClass::Civilian => "civilian",
        VictimClass::Combatant => "combatant",
        _ => "all",
    }
}

/// A single number standing for a count: its value, else the middle of its interval.
fn point(c: &Count) -> Option<u64> {
    c.value.or_else(|| match (c.low, c.high) {
        (Some(l), Some(h)) => Some((l + h) / 2),
        (l, _) => l,
    })
}

pub fn reconcile(members: &[Member]) -> Reconciliation {
    let mut keys: Vec<(Kind, &'static str)> =
        members.iter().filter(|m| m.count.is_some()).filter_map(|m| Some((m.kind?, group(m.victims)))).collect();
    keys.sort();
    keys.dedup();
    let mut contradictions = Vec::new();
    let mut figures: Vec<Figure> = keys.into_iter().map(|key| figure(members, key, &mut contradictions)).collect();
    figures.sort_by_key(|f| (f.kind, std::cmp::Reverse(f.voices)));
    stance_contradictions(members, &mut contradictions);
    perpetrator_contradictions(members, &mut contradictions);
    let mut voices: Vec<String> =
        figures.iter().flat_map(|f| f.sources.iter().filter(|s| s.counted).map(|s| s.voice.clone())).collect();
    voices.sort();
    voices.dedup();
    let spread =
        figures.iter().filter_map(|f| Some((f.high? - f.low?) as f64 / f.best?.max(1) as f64)).fold(0.0, f64::max);
    Reconciliation {
        origins: voices.len(),
        disagreement: contradictions.len() as f64 + spread,
        figures,
        contradictions,
    }
}

fn figure(members: &[Member], (kind, victims): (Kind, &'static str), out: &mut Vec<Contradiction>) -> Figure {
    let mut sources: Vec<SourceFigure> = Vec::new();
    for m in members.iter().filter(|m| m.kind == Some(kind) && group(m.victims) == victims) {
        let Some(c) = &m.count else { continue };
        let (voice, label) = voice(m);
        let note = match m.stance {
            _ if m.subset => Some("subset"),
            Stance::Disputed => Some("disputed"),
            Stance::Denied => Some("denied"),
            _ => None,
        };
        sources.push(SourceFigure {
            claim: m.claim,
            doc: m.doc_name.clone(),
            outlet: m.outlet.clone(),
            published: m.published.clone(),
            voice,
            voice_name: label,
            claimant: m.source.clone(),
            claimant_type: m.source_type.clone(),
            stance: m.stance,
            count_text: c.text.clone(),
            low: c.low,
            high: c.high,
            counted: note.is_none(),
            note,
            quote: m.quote.clone(),
        });
    }
    // One figure per voice: its highest.
    let mut best_of_voice: Vec<(String, usize)> = Vec::new();
    for (i, s) in sources.iter().enumerate().filter(|(_, s)| s.counted) {
        let p = |s: &SourceFigure| s.high.or(s.low).unwrap_or(0);
        match best_of_voice.iter_mut().find(|(v, _)| *v == s.voice) {
            Some((_, j)) if p(&sources[*j]) >= p(s) => {}
            Some((_, j)) => *j = i,
            None => best_of_voice.push((s.voice.clone(), i)),
        }
    }
    let chosen: Vec<usize> = best_of_voice.iter().map(|(_, i)| *i).collect();
    for (i, s) in sources.iter_mut().enumerate() {
        if s.counted && !chosen.contains(&i) {
            (s.counted, s.note) = (false, Some("superseded"));
        }
    }
    let counted: Vec<&SourceFigure> = chosen.iter().map(|&i| &sources[i]).collect();
    let low = counted.iter().filter_map(|s| s.low).min();
    let high = counted.iter().filter_map(|s| s.high.or(s.low)).max();
    let mut points: Vec<u64> = chosen
        .iter()
        .filter_map(|&i| members.iter().find(|m| m.claim == sources[i].claim).and_then(|m| point(m.count.as_ref()?)))
        .collect();
    points.sort();
    let best = match points.len() {
        0 => None,
        n if n % 2 == 1 => Some(points[n / 2]),
        n => Some((points[n / 2 - 1] + points[n / 2]) / 2),
    };
    interval_contradiction(&counted, kind, victims, out);
    Figure { kind, victims, low, best, high, voices: counted.len(), sources }
}

fn interval_contradiction(counted: &[&SourceFigure], kind: Kind, victims: &str, out: &mut Vec<Contradiction>) {
    let lowest_high = counted.iter().filter(|s| s.high.is_some()).min_by_key(|s| s.high);
    let highest_low = counted.iter().max_by_key(|s| s.low);
    if let (Some(a), Some(b)) = (lowest_high, highest_low) {
        if b.low > a.high {
            out.push(Contradiction {
                kind: "intervals",
                reason: format!(
                    "{} ({}) says \"{}\" {kind} ({victims}) and {} ({}) says \"{}\": both cannot hold",
                    a.voice_label(),
                    a.doc,
                    a.count_text,
                    b.voice_label(),
                    b.doc,
                    b.count_text
                ),
                claims: vec![a.claim, b.claim],
            });
        }
    }
}

impl SourceFigure {
    fn voice_label(&self) -> &str {
        self.claimant.as_deref().map(strip_article).or(self.outlet.as_deref()).unwrap_or(&self.doc)
    }
}

fn stance_contradictions(members: &[Member], out: &mut Vec<Contradiction>) {
    for m in members.iter().filter(|m| matches!(m.stance, Stance::Disputed | Stance::Denied)) {
        let kind = if m.stance == Stance::Denied { "denied" } else { "disputed" };
        let who = m
            .source
            .as_deref()
            .map_or_else(|| "a party the text does not name".into(), |s| format!("\"{}\"", strip_article(s)));
        let reason = format!("{kind} by {who} ({}): \"{}\"", m.doc_name, m.quote.trim());
        out.push(Contradiction { kind, reason, claims: vec![m.claim] });
    }
}

/// Stems of a party's capitalised words ("Russian" and "Russia" share "russi").
fn stems(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.starts_with(|c: char| c.is_uppercase()) && w.len() >= 3)
        .map(|w| w.to_lowercase().chars().take(5).collect())
        .collect()
}

fn perpetrator_contradictions(members: &[Member], out: &mut Vec<Contradiction>) {
    for d in members.iter().filter(|m| m.stance == Stance::Denied) {
        let denier = d.source.as_deref().or(d.perpetrator.as_deref()).map(stems).unwrap_or_default();
        if denier.is_empty() {
            continue;
        }
        let named = members.iter().find(|m| {
            matches!(m.stance, Stance::Asserted | Stance::Hedged)
                && m.perpetrator.as_deref().is_some_and(|p| stems(p).iter().any(|s| denier.contains(s)))
        });
        if let Some(m) = named {
            let (_, voice) = voice(m);
            out.push(Contradiction {
                kind: "perpetrator",
                reason: format!(
                    "{voice} names \"{}\" as perpetrator; denied by \"{}\"",
                    m.perpetrator.as_deref().unwrap_or_default(),
                    d.source.as_deref().map(strip_article).unwrap_or("the accused")
                ),
                claims: vec![m.claim, d.claim],
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tally_core::Qualifier;

    fn member(claim: i64, root: i64, source: Option<&str>, count: Count, stance: Stance) -> Member {
        Member {
            claim,
            doc_name: format!("d{claim}"),
            outlet: Some(format!("outlet{root}")),
            published: None,
            copy_root: root,
            root_outlet: None,
            wire: None,
            kind: Some(Kind::Killed),
            victims: VictimClass::Civilian,
            count: Some(count),
            subset: false,
            stance,
            source: source.map(str::to_string),
            source_type: None,
            perpetrator: None,
            quote: "q".into(),
        }
    }

    fn exact(n: u64) -> Count {
        Count::new(n.to_string(), n, Qualifier::Exact)
    }

    #[test]
    fn copies_are_one_voice_and_best_is_the_median() {
        let ms = vec![
            member(1, 1, None, exact(20), Stance::Asserted),
            member(2, 1, None, exact(20), Stance::Asserted),
            member(3, 3, Some("the Health Ministry"), exact(30), Stance::Asserted),
            member(4, 4, None, Count::new("at least 70".into(), 70, Qualifier::AtLeast), Stance::Asserted),
            member(5, 5, Some("the army"), exact(2), Stance::Denied),
        ];
        let r = reconcile(&ms);
        let f = &r.figures[0];
        assert_eq!((f.low, f.best, f.high, f.voices), (Some(20), Some(30), Some(70), 3));
        assert_eq!(f.sources.iter().filter(|s| s.counted).count(), 3);
        assert_eq!(f.sources[4].note, Some("denied"));
        let kinds: Vec<&str> = r.contradictions.iter().map(|c| c.kind).collect();
        assert_eq!(kinds, ["intervals", "denied"]);
        assert_eq!(r.contradictions[0].claims, vec![1, 4]);
    }

    #[test]
    fn a_named_party_is_one_voice_across_outlets() {
        let ms = vec![
            member(1, 1, Some("the Syrian Observatory for Human Rights"), exact(20), Stance::Asserted),
            member(2, 2, Some("SOHR"), exact(25), Stance::Asserted),
        ];
        let f = &reconcile(&ms).figures[0];
        assert_eq!((f.voices, f.best), (1, Some(25)));
        assert_eq!(f.sources[0].note, Some("superseded"));
    }

    #[test]
    fn perpetrator_named_and_denied() {
        let mut a = member(1, 1, Some("activists"), exact(9), Stance::Asserted);
        a.perpetrator = Some("Russian warplanes".into());
        let mut d = member(2, 2, Some("the Russian Defence Ministry"), exact(9), Stance::Denied);
        d.count = None;
        let r = reconcile(&[a, d]);
        assert!(r.contradictions.iter().any(|c| c.kind == "perpetrator" && c.claims == vec![1, 2]), "{r:?}");
    }
}
