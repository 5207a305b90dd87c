//! Linking: which claims, across documents, speak of the same incident.
//!
//! Two steps, both greedy and near-linear. First each document's claims are grouped into
//! *events*: claims agree when their places are compatible (the same place, or one inside
//! the other) and their times overlap; a claim without a place or time takes the document's
//! (its most frequent specific place; the two days up to publication). Then events are
//! linked across documents in time order: an event joins the best incident that overlaps
//! it in time, sits in a compatible place and shares a kind with compatible victims
//! (civilians and soldiers are not the same figure). A place known only to its country
//! links only when one incident in that country fits, so vague reports do not glue
//! unrelated incidents together. Running totals ("the toll has risen to 385") go to one
//! total per country and kind (apart by the year their period starts in, the region they
//! tell of, or a recent period's week), and subset claims (women, children) follow their
//! parent.
//! The rules and their reasons are in docs/reconcile.md.

use rustc_hash::FxHashMap;
use tally_core::{Kind, PlacePrecision, VictimClass, WAR_SIZED};
use xxhash_rust::xxh3::xxh3_64;

/// The fields of a claim that linking looks at.
#[derive(Debug, Clone)]
pub struct LinkClaim {
    pub id: i64,
    pub doc: i64,
    /// Stable identity of the document (its name as ingested), for stable incident ids.
    pub doc_key: String,
    pub idx: u32,
    pub span_start: usize,
    pub kind: Option<Kind>,
    pub victims: VictimClass,
    pub cumulative: bool,
    pub part_of: Option<u32>,
    pub answers: Vec<u32>,
    pub place: Option<LinkPlace>,
    /// Days since 1970-01-01, inclusive.
    pub time: Option<(i64, i64)>,
    pub published: Option<i64>,
    /// How big the figure is: the least it allows, or the number it names when that is more
    /// ("as high as 400000" allows 1 and names 400000).
    pub size: Option<u64>,
    /// The town its document's lead names most (`Document::located`).
    pub located: Option<LinkPlace>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct LinkPlace {
    /// GeoNames id, or the folded name when the gazetteer has none.
    pub key: String,
    pub country: String,
    pub admin1: Option<String>,
    pub precision: PlacePrecision,
    /// For a name the gazetteer does not know ("Zubdiya"), the key of the known town its
    /// document is about: a neighbourhood or village is taken to lie there.
    pub within: Option<String>,
    /// A town named like its first-level region ("Idlib", "Aleppo"): the words may mean the
    /// province as well, so any town of that region may be the same place.
    pub names_region: bool,
}

impl LinkPlace {
    /// A name the gazetteer does not know, keyed "country:name".
    fn unresolved(&self) -> bool {
        self.key.contains(':')
    }
}

/// One incident: its stable id and member claims.
#[derive(Debug, Clone, PartialEq)]
pub struct Incident {
    pub id: String,
    /// A running total for a conflict period, not a single incident.
    pub total: bool,
    pub claims: Vec<i64>,
    pub place: Option<LinkPlace>,
    pub start: Option<i64>,
    pub end: Option<i64>,
    /// Why the documents were linked: one reason per joined event.
    pub why: Vec<String>,
}

/// How long a stated time may be and still date an incident; longer ones ("last month")
/// date a period, and the claim falls back to its document's days.
const MAX_INCIDENT_DAYS: i64 = 3;
/// Days before publication that an undated report may speak of.
const UNDATED_LOOKBACK: i64 = 2;
/// The longest period (a month) that still bounds where an incident is looked for.
const MAX_PERIOD_DAYS: i64 = 31;
/// Days by which two reports of one place may disagree on an incident's date.
const DATE_SLACK: i64 = 1;

/// Groups claims (of any number of documents, in any order) into incidents.
pub fn link(mut claims: Vec<LinkClaim>) -> Vec<Incident> {
    claims.sort_by(|a, b| (a.doc, a.idx).cmp(&(b.doc, b.idx)));
    let mut events = Vec::new();
    let mut totals: FxHashMap<TotalKey, Vec<usize>> = FxHashMap::default();
    let mut start = 0;
    while start < claims.len() {
        let end = start + claims[start..].iter().take_while(|c| c.doc == claims[start].doc).count();
        doc_events(&claims, start..end, &mut events, &mut totals);
        start = end;
    }
    // Precisely placed and dated events first, so that vaguer reports ("earlier this week")
    // find the incidents they join rather than seed incidents that other days join.
    let precision = |e: &Event| e.place.as_ref().map_or(9, |p| rank(p.precision));
    events.sort_by(|a, b| {
        (precision(a), !a.dated, a.start, &a.anchor_key, a.anchor_span).cmp(&(
            precision(b),
            !b.dated,
            b.start,
            &b.anchor_key,
            b.anchor_span,
        ))
    });
    let mut incidents = join_events(&claims, events);
    for (key, members) in merge_unstarted_totals(totals) {
        incidents.push(total_incident(&claims, key, members));
    }
    incidents.sort_by(|a, b| a.id.cmp(&b.id));
    // Two anchors hashing alike would share an id: number the later ones.
    for i in 1..incidents.len() {
        if incidents[i].id.starts_with(&incidents[i - 1].id[..11.min(incidents[i - 1].id.len())]) && !incidents[i].total
        {
            let n = incidents[..i].iter().filter(|o| o.id.starts_with(&incidents[i].id[..11])).count();
            incidents[i].id = format!("{}-{}", &incidents[i].id[..11], n + 1);
        }
    }
    incidents
}

/// Claims of one document that tell of one incident.
#[derive(Debug)]
struct Event {
    members: Vec<usize>,
    place: Option<LinkPlace>,
    /// The place of each of its claims that gave one: a later report may meet any of them.
    places: Vec<LinkPlace>,
    start: i64,
    end: i64,
    dated: bool,
    anchor_key: String,
    anchor_span: usize,
    published: Option<i64>,
    /// Some of its claims are read at the town the document's lead names, not where they say.
    at_lead_town: bool,
}

/// What `why` says of an event some of whose claims were read at the lead's town.
const AT_LEAD_TOWN: &str = "figures without a town of their own read at the town its lead names (`located`)";

fn doc_events(
    claims: &[LinkClaim],
    range: std::ops::Range<usize>,
    events: &mut Vec<Event>,
    totals: &mut FxHashMap<TotalKey, Vec<usize>>,
) {
    let doc = &claims[range.clone()];
    let main = main_place(doc, false);
    let default_place = with_located(doc, main.clone(), doc[0].located.as_ref());
    let lead_town = default_place.as_ref().filter(|d| main.as_ref().is_none_or(|m| m.key != d.key));
    let known_place = main_place(doc, true);
    let country = main_country(doc);
    let published = doc[0].published;
    let first_event = events.len();
    let mut event_of: FxHashMap<u32, usize> = FxHashMap::default();
    let mut total_of: FxHashMap<u32, TotalKey> = FxHashMap::default();
    let mut pending = Vec::new();
    // "The death toll from the attack has risen to 86": in a story that reports an incident
    // of the same kind, an incident-sized toll with an incident's time updates that incident.
    let incident_kinds: Vec<Kind> = doc.iter().filter(|c| !c.cumulative).filter_map(|c| c.kind).collect();
    let updates_incident = |c: &LinkClaim| {
        c.size.is_some_and(|n| n < WAR_SIZED)
            && c.time.is_none_or(|(s, e)| e - s < MAX_INCIDENT_DAYS)
            && c.kind.is_some_and(|k| incident_kinds.contains(&k))
    };
    for (offset, c) in doc.iter().enumerate() {
        let i = range.start + offset;
        // A part of a running total ("including 1733 children") is in that total.
        let whole = c.part_of.and_then(|p| total_of.get(&p)).cloned();
        let over_a_period = c
            .time
            .is_some_and(|(s, e)| e - s >= PERIOD_TOTAL_DAYS && published.is_some_and(|p| p - s <= RECENT_PERIOD_DAYS));
        if (c.cumulative && !updates_incident(c)) || whole.is_some() || over_a_period {
            let key = whole.unwrap_or_else(|| total_key(c, &country, default_place.as_ref()));
            totals.entry(key.clone()).or_default().push(i);
            total_of.insert(c.idx, key);
            continue;
        }
        let parent = c.part_of.or_else(|| c.answers.first().copied()).and_then(|p| event_of.get(&p).copied());
        if let Some(e) = parent {
            events[e].members.push(i);
            event_of.insert(c.idx, e);
            continue;
        }
        if c.kind.is_none() {
            pending.push(i);
            continue;
        }
        let place = claim_place(c.place.as_ref(), default_place.as_ref(), known_place.as_ref());
        let at_lead_town = lead_town.is_some_and(|l| {
            place.as_ref().is_some_and(|p| p.key == l.key) && c.place.as_ref().is_none_or(|own| own.key != l.key)
        });
        let (start, end, dated) = match c.time {
            Some((s, e)) if e - s < MAX_INCIDENT_DAYS => (s, e, true),
            // "Earlier this week", "in August 2013": the incident lies somewhere in the period,
            // which bounds it better than the document's days.
            Some((s, e))
                if e - s < MAX_PERIOD_DAYS && published.is_none_or(|p| e < p - UNDATED_LOOKBACK || e - s < 8) =>
            {
                (s, e, false)
            }
            _ => match published {
                Some(p) => (p - UNDATED_LOOKBACK, p, false),
                None => (i64::MIN / 4, i64::MAX / 4, false),
            },
        };
        let found = (first_event..events.len()).find(|&e| {
            let ev = &events[e];
            ev.start <= end && start <= ev.end && place_fit(ev.place.as_ref(), place.as_ref()).is_some()
        });
        let e = match found {
            Some(e) => {
                let ev = &mut events[e];
                if dated && !ev.dated || dated && start.max(ev.start) <= end.min(ev.end) {
                    (ev.start, ev.end) = if ev.dated { (start.max(ev.start), end.min(ev.end)) } else { (start, end) };
                    ev.dated = true;
                }
                ev.places.extend(place.iter().cloned());
                ev.place = more_specific(ev.place.take(), place);
                ev.members.push(i);
                ev.at_lead_town |= at_lead_town;
                e
            }
            None => {
                events.push(Event {
                    members: vec![i],
                    places: place.iter().cloned().collect(),
                    place,
                    start,
                    end,
                    dated,
                    anchor_key: c.doc_key.clone(),
                    anchor_span: c.span_start,
                    published,
                    at_lead_town,
                });
                events.len() - 1
            }
        };
        event_of.insert(c.idx, e);
    }
    // An event is where most of its most precisely placed claims say ("Maaret al-Numan" three
    // times over "Khan Sheikhun" once), then where the whole document says most, not where
    // its first precise claim happened to be.
    let in_doc = |p: &LinkPlace| doc.iter().filter(|c| c.place.as_ref().is_some_and(|q| q.key == p.key)).count();
    for ev in &mut events[first_event..] {
        let best = ev.places.iter().map(|p| rank(p.precision)).min();
        let count = |p: &LinkPlace| ev.places.iter().filter(|q| q.key == p.key).count();
        let main = ev
            .places
            .iter()
            .enumerate()
            .filter(|(_, p)| Some(rank(p.precision)) == best)
            .max_by_key(|&(i, p)| (count(p), in_doc(p), std::cmp::Reverse(i)))
            .map(|(_, p)| p);
        if let Some(p) = main {
            ev.place = Some(p.clone());
        }
    }
    // Denials that answer no figure belong to the document's main event.
    if !pending.is_empty() {
        let main = (first_event..events.len()).max_by_key(|&e| (events[e].members.len(), std::cmp::Reverse(e)));
        match main {
            Some(e) => events[e].members.extend(pending),
            None => events.push(Event {
                anchor_key: claims[pending[0]].doc_key.clone(),
                anchor_span: claims[pending[0]].span_start,
                members: pending,
                places: default_place.iter().cloned().collect(),
                place: default_place,
                start: published.map_or(i64::MIN / 4, |p| p - UNDATED_LOOKBACK),
                end: published.unwrap_or(i64::MAX / 4),
                dated: false,
                published,
                at_lead_town: false,
            }),
        }
    }
}

/// Where a claim of a document about `main` happened, for linking: a bare country ("in
/// Syria", or "Russia" and "Turkey" named as parties in a report from Aleppo) is the
/// document's place; a name the gazetteer does not know lies within `known`, the document's
/// main place the gazetteer knows ("Tall Tawil" in "Hassakeh province").
fn claim_place(place: Option<&LinkPlace>, main: Option<&LinkPlace>, known: Option<&LinkPlace>) -> Option<LinkPlace> {
    let Some(p) = place else { return main.cloned() };
    if let Some(m) = main.filter(|_| p.precision == PlacePrecision::Country) {
        if m.precision != PlacePrecision::Country || m.country == p.country {
            return Some(m.clone());
        }
    }
    match known {
        // A curated region ("Eastern Ghouta") has no first-level region to compare: like an
        // unknown name, it is taken to hold the document's town.
        Some(m)
            if (p.unresolved() || p.precision == PlacePrecision::Region && p.admin1.is_none())
                && (p.country.is_empty() || p.country == m.country) =>
        {
            Some(LinkPlace {
                country: m.country.clone(),
                admin1: m.admin1.clone(),
                within: (m.precision != PlacePrecision::Country).then(|| m.key.clone()),
                ..p.clone()
            })
        }
        _ => Some(p.clone()),
    }
}

/// The document's most frequent place among its most specific ones, a place the gazetteer
/// knows before one it does not (with `known_only`, only places it knows).
fn main_place(doc: &[LinkClaim], known_only: bool) -> Option<LinkPlace> {
    let places: Vec<&LinkPlace> = doc
        .iter()
        .filter(|c| !c.cumulative)
        .filter_map(|c| c.place.as_ref())
        .filter(|p| !(known_only && p.unresolved()))
        .collect();
    let order = |p: &LinkPlace| (rank(p.precision), p.unresolved());
    let best = places.iter().map(|p| order(p)).min()?;
    let specific: Vec<&&LinkPlace> = places.iter().filter(|p| order(p) == best).collect();
    let count = |p: &LinkPlace| specific.iter().filter(|q| q.key == p.key).count();
    specific.iter().max_by_key(|p| count(p)).map(|p| (**p).clone())
}

/// A document is about the town its lead names most: read there when its claims name no
/// town ("kill 47 in east Syria … the raids hit the town of Al-Quriyah") and the town lies in
/// their country, and preferred when its claims name it among others ("48 people killed in a
/// Syrian village … in the village of Rityan", later "129 loyalists … in Aleppo").
fn with_located(doc: &[LinkClaim], main: Option<LinkPlace>, located: Option<&LinkPlace>) -> Option<LinkPlace> {
    let Some(town) = located else { return main };
    let named = || doc.iter().filter_map(|c| c.place.as_ref()).any(|p| p.key == town.key);
    match &main {
        None => Some(town.clone()),
        Some(m)
            if rank(m.precision) >= rank(PlacePrecision::Region)
                && (m.country == town.country || m.country.is_empty()) =>
        {
            Some(town.clone())
        }
        Some(m) if rank(m.precision) == rank(town.precision) && named() => {
            doc.iter().filter_map(|c| c.place.as_ref()).find(|p| p.key == town.key).cloned()
        }
        _ => main,
    }
}

/// The country most of the document's places are in: what its running totals are about.
fn main_country(doc: &[LinkClaim]) -> String {
    let mut counts: Vec<(&str, usize)> = Vec::new();
    for p in doc.iter().filter_map(|c| c.place.as_ref()) {
        match counts.iter_mut().find(|(c, _)| *c == p.country) {
            Some((_, n)) => *n += 1,
            None => counts.push((&p.country, 1)),
        }
    }
    counts.iter().max_by_key(|(c, n)| (*n, std::cmp::Reverse(*c))).map_or(String::new(), |(c, _)| c.to_string())
}

fn rank(p: PlacePrecision) -> u8 {
    match p {
        PlacePrecision::Point => 0,
        PlacePrecision::Town => 1,
        PlacePrecision::Region => 2,
        PlacePrecision::Country => 3,
    }
}

/// How well two places fit one incident: 3 the same place, 2 one inside the other's region,
/// 1 only the same country or two towns of one region (a day's bombardment of a province is
/// often one report); None when they cannot be the same place. A missing place fits
/// anything: within a document that means the document's place.
fn place_fit(a: Option<&LinkPlace>, b: Option<&LinkPlace>) -> Option<u8> {
    let (Some(a), Some(b)) = (a, b) else { return Some(0) };
    if a.key == b.key {
        return Some(3);
    }
    // A place the gazetteer does not know is keyed "country:name"; its country is only the
    // document's guess, so the same name in an unknown country is the same place.
    let name = |k: &str| k.split_once(':').map(|(_, n)| n.to_string());
    if name(&a.key).is_some() && name(&a.key) == name(&b.key) {
        return Some(3);
    }
    if a.within.as_ref() == Some(&b.key) || b.within.as_ref() == Some(&a.key) {
        return Some(2);
    }
    if a.country.is_empty() || b.country.is_empty() {
        return Some(1);
    }
    if a.country != b.country {
        return None;
    }
    let (wide, narrow) = if rank(a.precision) >= rank(b.precision) { (a, b) } else { (b, a) };
    match wide.precision {
        PlacePrecision::Country => Some(1),
        PlacePrecision::Region if wide.admin1.is_some() && wide.admin1 == narrow.admin1 => Some(2),
        _ if wide.admin1.is_some() && wide.admin1 == narrow.admin1 && (wide.names_region || narrow.names_region) => {
            Some(2)
        }
        _ if wide.admin1.is_some() && wide.admin1 == narrow.admin1 => Some(1),
        _ => None,
    }
}

/// The more precise of two places; a town named like its region ("Idlib") may mean the
/// region, so a town with a name of its own ("Khan Sheikhoun") is more precise.
fn more_specific(a: Option<LinkPlace>, b: Option<LinkPlace>) -> Option<LinkPlace> {
    let precision = |p: &LinkPlace| (rank(p.precision), p.names_region);
    match (a, b) {
        (Some(a), Some(b)) => Some(if precision(&b) < precision(&a) { b } else { a }),
        (a, b) => a.or(b),
    }
}

fn victims_fit(a: VictimClass, b: VictimClass) -> bool {
    use VictimClass::*;
    a == b
        || matches!(
            (a, b),
            (Unknown | Mixed, Civilian | Combatant | Unknown | Mixed) | (Civilian | Combatant, Unknown | Mixed)
        )
}

/// The incident each event joins, in time order.
fn join_events(claims: &[LinkClaim], events: Vec<Event>) -> Vec<Incident> {
    struct Open {
        incident: Incident,
        figures: Vec<(Kind, VictimClass)>,
        /// Every place its reports gave: a later report may meet any of them ("Zubdiya"
        /// where the incident's own place is its town).
        places: Vec<LinkPlace>,
        dated: bool,
        docs: usize,
    }
    let mut open: Vec<Open> = Vec::new();
    let mut by_day: FxHashMap<(String, i64), Vec<usize>> = FxHashMap::default();
    for ev in events {
        let figures: Vec<(Kind, VictimClass)> =
            ev.members.iter().filter_map(|&m| Some((claims[m].kind?, claims[m].victims))).collect();
        let country = ev.place.as_ref().map(|p| p.country.clone());
        // Candidates as (fit, documents, index): the best fit wins, then the most reported.
        let mut cands: Vec<(u8, usize, usize)> = Vec::new();
        if let (Some(country), Some(place)) = (&country, &ev.place) {
            let mut seen = Vec::new();
            for day in ev.start - DATE_SLACK..=(ev.end + DATE_SLACK).min(ev.start + MAX_PERIOD_DAYS) {
                // Unknown countries ("") meet every incident of the day; known ones their own
                // country's and those of unknown country.
                let keys: Vec<(String, i64)> = if country.is_empty() {
                    vec![(ANY.into(), day)]
                } else {
                    vec![(country.clone(), day), (String::new(), day)]
                };
                for &o in keys.iter().flat_map(|k| by_day.get(k)).flatten() {
                    if seen.contains(&o) {
                        continue;
                    }
                    seen.push(o);
                    let inc = &open[o].incident;
                    let (s, e) = (inc.start.unwrap_or(i64::MIN), inc.end.unwrap_or(i64::MAX));
                    let shares = figures
                        .iter()
                        .any(|(k, v)| open[o].figures.iter().any(|(k2, v2)| k == k2 && victims_fit(*v, *v2)));
                    let near = s <= ev.end + DATE_SLACK && ev.start - DATE_SLACK <= e;
                    if !near || !shares {
                        continue;
                    }
                    let overlaps = s <= ev.end && ev.start <= e;
                    let places = &open[o].places;
                    let fit = if places.is_empty() {
                        place_fit(None, Some(place))
                    } else {
                        places.iter().filter_map(|p| place_fit(Some(p), Some(place))).max()
                    };
                    // A day apart is the same incident only in the same place: reports date an
                    // incident by the day they learn of it, or by the day of the latest toll.
                    let Some(fit) = fit.filter(|&f| overlaps || f >= 3) else { continue };
                    cands.push((fit, open[o].docs, o));
                }
            }
        }
        // A weak fit (same country, or another town of the region) is trusted only when one
        // candidate is reported more widely than every other.
        cands.sort_by(|a, b| (b.0, b.1, a.2).cmp(&(a.0, a.1, b.2)));
        let chosen = match cands.as_slice() {
            [] => None,
            [(fit, _, o), rest @ ..] if *fit >= 2 || rest.first().is_none_or(|r| r.0 < *fit) => Some((*fit, *o)),
            [(fit, docs, o), next, ..] if next.1 < *docs => Some((*fit, *o)),
            _ => None,
        };
        let o = match chosen {
            Some((fit, o)) => {
                let inc = &mut open[o];
                let doc = claims[ev.members[0]].doc;
                inc.incident.why.push(format!(
                    "doc {doc}: {} place, overlapping days, a shared kind{}",
                    FIT[fit as usize],
                    if ev.at_lead_town { format!("; {AT_LEAD_TOWN}") } else { String::new() }
                ));
                inc.incident.claims.extend(ev.members.iter().map(|&m| claims[m].id));
                inc.incident.place = more_specific(inc.incident.place.take(), ev.place.clone());
                if ev.dated && !inc.dated {
                    (inc.incident.start, inc.incident.end, inc.dated) = (Some(ev.start), Some(ev.end), true);
                } else if ev.dated == inc.dated {
                    let (s, e) = (
                        inc.incident.start.unwrap_or(ev.start).max(ev.start),
                        inc.incident.end.unwrap_or(ev.end).min(ev.end),
                    );
                    if s <= e {
                        (inc.incident.start, inc.incident.end) = (Some(s), Some(e));
                    }
                }
                inc.figures.extend(figures);
                for p in &ev.places {
                    if !inc.places.contains(p) {
                        inc.places.push(p.clone());
                    }
                }
                inc.docs += 1;
                o
            }
            None => {
                let dated = ev.dated;
                let bounded = ev.published.is_some() || dated;
                open.push(Open {
                    incident: Incident {
                        id: incident_id(&ev.anchor_key, ev.anchor_span),
                        total: false,
                        claims: ev.members.iter().map(|&m| claims[m].id).collect(),
                        place: ev.place.clone(),
                        start: bounded.then_some(ev.start),
                        end: bounded.then_some(ev.end),
                        why: ev
                            .at_lead_town
                            .then(|| format!("doc {}: {AT_LEAD_TOWN}", claims[ev.members[0]].doc))
                            .into_iter()
                            .collect(),
                    },
                    figures,
                    places: ev.places.clone(),
                    dated,
                    docs: 1,
                });
                open.len() - 1
            }
        };
        if let (Some(country), Some(s), Some(e)) = (country, open[o].incident.start, open[o].incident.end) {
            for day in s..=e.min(s + MAX_PERIOD_DAYS) {
                for key in [country.clone(), ANY.into()] {
                    let list = by_day.entry((key, day)).or_default();
                    if !list.contains(&o) {
                        list.push(o);
                    }
                }
            }
        }
    }
    open.into_iter().map(|o| o.incident).collect()
}

/// The day index's key for "every country".
const ANY: &str = "*";

const FIT: [&str; 4] = ["no", "same country", "contained", "same"];

fn incident_id(doc_key: &str, span_start: usize) -> String {
    format!("i{:010x}", xxh3_64(format!("{doc_key}:{span_start}").as_bytes()) >> 24)
}

/// Which running total a cumulative claim adds to: the conflict's, per country and kind, or
/// for a recent period ("since Thursday", "in the past seven days") that period's, per
/// first-level region and the week it starts in.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct TotalKey {
    country: String,
    kind: Option<Kind>,
    period: Option<(String, i64)>,
    /// For a longer period, the year it is said to start in ("since September 2014", "over the
    /// past year"); `None` when the text gives no start ("since the conflict began").
    since: Option<i32>,
    /// For a longer period, the first-level region of a total told of a town or region
    /// ("13000 people have fled Manbij"): that place's total, not the country's. A war-sized
    /// figure stays the country's wherever its sentence stands.
    area: Option<String>,
}

impl TotalKey {
    fn long_period(&self) -> (String, Option<Kind>, Option<String>) {
        (self.country.clone(), self.kind, self.area.clone())
    }
}

/// A figure over a stated period this long ("Seven days of airstrikes had left 75 dead", "In
/// May more than 60 were killed") adds up the period's incidents: a total, not one incident.
const PERIOD_TOTAL_DAYS: i64 = 7;

/// Periods starting at most this many days before the report are totals of a campaign or a
/// week's bombing, not of the war.
const RECENT_PERIOD_DAYS: i64 = 60;

fn total_key(c: &LinkClaim, country: &str, main: Option<&LinkPlace>) -> TotalKey {
    let recent_start = match (c.time, c.published) {
        (Some((start, _)), Some(published)) if published - start <= RECENT_PERIOD_DAYS => Some(start),
        _ => None,
    };
    let period = recent_start.map(|start| {
        let region = c.place.as_ref().or(main).and_then(|p| p.admin1.clone()).unwrap_or_default();
        (region, start.div_euclid(7))
    });
    // "More than 290000 people have been killed since Syria's conflict erupted", in a report
    // from Turkey: a total that names its country is that country's.
    let own = c.place.as_ref().filter(|p| p.precision == PlacePrecision::Country && !p.country.is_empty());
    let country = own.map_or(country, |p| p.country.as_str());
    let (since, area) = match period {
        Some(_) => (None, None),
        None => (
            c.time.map(|(start, _)| tally_core::Date::from_days(start).y),
            c.place
                .as_ref()
                .filter(|p| p.precision != PlacePrecision::Country && c.size.is_none_or(|n| n < WAR_SIZED))
                .map(|p| p.admin1.clone().unwrap_or_else(|| p.key.clone())),
        ),
    };
    TotalKey { country: country.to_string(), kind: c.kind, period, since, area }
}

/// "735 civilians killed by the coalition since 2014" and "more than 300000 killed since the
/// conflict began in 2011" are different totals of one country: long-period totals stay apart
/// by the year they start in. A total that gives no start is the country's most reported
/// one, the conflict's: it joins the year most of that country's totals of its kind start in.
fn merge_unstarted_totals(totals: FxHashMap<TotalKey, Vec<usize>>) -> Vec<(TotalKey, Vec<usize>)> {
    let mut usual_start: FxHashMap<_, (usize, i32)> = FxHashMap::default();
    for (key, members) in totals.iter().filter(|(k, _)| k.period.is_none()) {
        let Some(year) = key.since else { continue };
        let slot = usual_start.entry(key.long_period()).or_insert((0, year));
        if (members.len(), std::cmp::Reverse(year)) > (slot.0, std::cmp::Reverse(slot.1)) {
            *slot = (members.len(), year);
        }
    }
    let mut merged: FxHashMap<TotalKey, Vec<usize>> = FxHashMap::default();
    for (mut key, members) in totals {
        if key.period.is_none() {
            let usual = usual_start.get(&key.long_period()).map(|u| u.1);
            // The conflict's own total keeps the plain id; other start years are named by year.
            key.since = if key.since.is_none() || key.since == usual { None } else { key.since };
        }
        merged.entry(key).or_default().extend(members);
    }
    let mut out: Vec<(TotalKey, Vec<usize>)> = merged.into_iter().collect();
    for (_, members) in &mut out {
        members.sort_unstable();
    }
    out
}

fn total_incident(claims: &[LinkClaim], key: TotalKey, members: Vec<usize>) -> Incident {
    let kind_name = key.kind.map_or("any", Kind::as_str);
    let times: Vec<(i64, i64)> = members.iter().filter_map(|&m| claims[m].time).collect();
    let country = if key.country.is_empty() { "xx".into() } else { key.country.to_ascii_lowercase() };
    let (id, why) = match &key.period {
        None => {
            let mut id = format!("t-{country}-{kind_name}");
            let mut why = format!("running totals of {kind_name} figures in country {:?}", key.country);
            if let Some(area) = &key.area {
                id += &format!("-{:08x}", xxh3_64(format!("area:{area}").as_bytes()) as u32);
                why += &format!(", told of places in region {area:?}");
            }
            if let Some(year) = key.since {
                id += &format!("-since-{year}");
                why += &format!(", over a period starting in {year}");
            }
            (id, why)
        }
        Some((region, week)) => (
            format!("t-{country}-{kind_name}-{:08x}", xxh3_64(format!("{region}@{week}").as_bytes()) as u32),
            format!(
                "running totals of {kind_name} figures in region {region:?} of country {:?} over a period \
                 starting in the week from {}",
                key.country,
                tally_core::Date::from_days(week * 7).iso()
            ),
        ),
    };
    Incident {
        id,
        total: true,
        claims: members.iter().map(|&m| claims[m].id).collect(),
        place: None,
        start: times.iter().map(|t| t.0).min(),
        end: times.iter().map(|t| t.1).max(),
        why: vec![why],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn place(key: &str, admin1: &str, precision: PlacePrecision) -> Option<LinkPlace> {
        Some(LinkPlace {
            key: key.into(),
            country: "SY".into(),
            admin1: Some(admin1.into()),
            precision,
            within: None,
            names_region: false,
        })
    }

    fn claim(id: i64, doc: i64, kind: Kind, victims: VictimClass, p: Option<LinkPlace>, day: Option<i64>) -> LinkClaim {
        LinkClaim {
            id,
            doc,
            doc_key: format!("key{doc}"),
            idx: id as u32,
            span_start: id as usize * 10,
            kind: Some(kind),
            victims,
            cumulative: false,
            part_of: None,
            answers: vec![],
            place: p,
            time: day.map(|d| (d, d)),
            published: Some(100),
            size: Some(10),
            located: None,
        }
    }

    fn groups(incidents: &[Incident]) -> Vec<Vec<i64>> {
        let mut g: Vec<Vec<i64>> = incidents.iter().map(|i| i.claims.clone()).collect();
        g.iter_mut().for_each(|v| v.sort());
        g.sort();
        g
    }

    #[test]
    fn same_town_same_day_links_across_documents() {
        use Kind::*;
        use VictimClass::*;
        let town = || place("1", "09", PlacePrecision::Town);
        let other = || place("2", "05", PlacePrecision::Town);
        let claims = vec![
            claim(1, 1, Killed, Civilian, town(), Some(99)),
            claim(2, 1, Injured, Unknown, None, None),
            claim(3, 2, Killed, Unknown, town(), None),
            claim(4, 3, Killed, Civilian, other(), Some(99)),
            claim(5, 4, Killed, Civilian, town(), Some(90)),
        ];
        assert_eq!(groups(&link(claims)), vec![vec![1, 2, 3], vec![4], vec![5]]);
    }

    #[test]
    fn a_report_is_read_at_the_town_its_lead_names() {
        let killed = |id, doc, p, day| claim(id, doc, Kind::Killed, VictimClass::Civilian, p, day);
        let country = || place("163843", "", PlacePrecision::Country);
        let village = || place("12345", "09", PlacePrecision::Town);
        let city = || place("170063", "05", PlacePrecision::Town);
        let located = |mut c: LinkClaim| {
            c.located = village();
            c
        };
        let incident_of = |claims: Vec<LinkClaim>, id: i64| {
            let incidents = link(claims);
            let mut members = incidents.iter().find(|i| i.claims.contains(&id)).unwrap().claims.clone();
            members.sort();
            members
        };
        // That day a city of another region and the village each had an incident.
        let day = vec![killed(1, 1, city(), Some(100)), killed(2, 2, village(), Some(100))];
        // A report placing its figures only "in a Syrian village", whose lead names the village.
        let report = || vec![killed(3, 3, country(), Some(100)), killed(4, 3, None, Some(100))];
        let read = |located_report: bool| {
            let mut claims = day.clone();
            claims.extend(report().into_iter().map(|c| if located_report { located(c) } else { c }));
            incident_of(claims, 3)
        };
        assert_eq!(read(true), vec![2, 3, 4]);
        let mut claims = day.clone();
        claims.extend(report().into_iter().map(located));
        let incidents = link(claims);
        let why = &incidents.iter().find(|i| i.claims.contains(&3)).unwrap().why;
        assert!(why.iter().any(|w| w.starts_with("doc 3:") && w.contains("`located`")), "{why:?}");
        assert_ne!(read(false), vec![2, 3, 4], "without its lead's town the report is only in the country");
        // A report naming the village once and the city twice, at the same precision: the
        // lead's village is where its place-less figures are read.
        let mut claims = day.clone();
        let naming_both = [
            killed(5, 4, village(), Some(100)),
            killed(6, 4, None, Some(100)),
            killed(7, 4, city(), Some(100)),
            killed(8, 4, city(), Some(100)),
        ];
        claims.extend(naming_both.into_iter().map(located));
        assert!(incident_of(claims.clone(), 6).contains(&2), "the place-less figure is the village's");
        let unlocated: Vec<LinkClaim> = claims.into_iter().map(|c| LinkClaim { located: None, ..c }).collect();
        assert!(!incident_of(unlocated, 6).contains(&2), "without it, the city named more often");
    }

    #[test]
    fn an_event_is_where_most_of_its_claims_say() {
        let killed = |id, doc, p, day| claim(id, doc, Kind::Killed, VictimClass::Civilian, p, day);
        let (market, tagged) = (|| place("1", "09", PlacePrecision::Town), || place("2", "09", PlacePrecision::Town));
        let claims = vec![
            // One report names the market town three times, and once a town of its tags line.
            killed(1, 1, tagged(), Some(100)),
            killed(2, 1, market(), None),
            killed(3, 1, market(), None),
            killed(4, 1, market(), None),
            // The next day's toll from the market town is the same incident.
            killed(5, 2, market(), Some(101)),
        ];
        let incidents = link(claims);
        assert_eq!(groups(&incidents), vec![vec![1, 2, 3, 4, 5]]);
        assert_eq!(incidents[0].place.as_ref().map(|p| p.key.as_str()), Some("1"));
    }

    #[test]
    fn a_report_dated_only_by_its_week_joins_the_dated_incident() {
        let killed = |id, doc, p, day| claim(id, doc, Kind::Killed, VictimClass::Civilian, p, day);
        let (town, neighbour) = (|| place("1", "09", PlacePrecision::Town), || place("2", "09", PlacePrecision::Town));
        // "Earlier this week" in the town, the town's incident on day 98, and another town of
        // the region on day 96: the week's report belongs with the town's day, and must not
        // seed an incident that the other town's day joins first.
        let mut week = killed(1, 1, town(), None);
        (week.time, week.published) = (Some((94, 99)), Some(100));
        let claims = vec![week, killed(2, 2, town(), Some(98)), killed(3, 3, neighbour(), Some(96))];
        assert_eq!(groups(&link(claims)), vec![vec![1, 2], vec![3]]);
    }

    #[test]
    fn a_total_that_names_its_country_is_that_countrys() {
        let syria = || place("163843", "", PlacePrecision::Country);
        let turkey = |id| {
            Some(LinkPlace {
                key: format!("tr{id}"),
                country: "TR".into(),
                ..place("", "34", PlacePrecision::Town).unwrap()
            })
        };
        let total = |id, doc, p| {
            let mut c = claim(id, doc, Kind::Killed, VictimClass::Unknown, p, None);
            (c.cumulative, c.size) = (true, Some(290_000));
            c
        };
        // A report from Turkey (its incident in a Turkish town) gives Syria's war toll.
        let claims = vec![
            claim(1, 1, Kind::Killed, VictimClass::Civilian, turkey(1), Some(99)),
            claim(2, 1, Kind::Killed, VictimClass::Civilian, turkey(1), Some(99)),
            total(3, 1, syria()),
            total(4, 2, syria()),
        ];
        let incidents = link(claims);
        let war = incidents.iter().find(|i| i.total).unwrap();
        assert_eq!((war.id.as_str(), war.claims.len()), ("t-sy-killed", 2));
    }

    #[test]
    fn a_town_named_like_its_region_is_the_less_precise_place() {
        let idlib = || Some(LinkPlace { names_region: true, ..place("idlib", "09", PlacePrecision::Town).unwrap() });
        let town = || place("ks", "09", PlacePrecision::Town);
        let killed = |id, doc, p| claim(id, doc, Kind::Killed, VictimClass::Civilian, p, Some(95));
        let incidents = link(vec![killed(1, 1, idlib()), killed(2, 2, town())]);
        assert_eq!(groups(&incidents), vec![vec![1, 2]]);
        assert_eq!(incidents[0].place.as_ref().map(|p| p.key.as_str()), Some("ks"));
    }

    #[test]
    fn a_toll_as_high_as_a_wars_is_no_incidents_update() {
        let town = || place("1", "09", PlacePrecision::Town);
        let mut war = claim(2, 1, Kind::Killed, VictimClass::Unknown, town(), None);
        // "the death toll may be as high as 400000": it allows 1, and names a war's toll.
        (war.cumulative, war.size) = (true, Some(400_000));
        let claims = vec![claim(1, 1, Kind::Killed, VictimClass::Civilian, town(), Some(99)), war];
        let incidents = link(claims);
        assert_eq!(groups(&incidents), vec![vec![1], vec![2]]);
        assert!(incidents.iter().any(|i| i.total && i.claims == vec![2]));
    }

    #[test]
    fn a_day_apart_links_in_the_same_place_only_and_a_week_bounds_an_incident() {
        let killed = |id, doc, p, day| claim(id, doc, Kind::Killed, VictimClass::Civilian, p, day);
        let town = || place("1", "09", PlacePrecision::Town);
        let neighbour = || place("2", "09", PlacePrecision::Town);
        // "Earlier this week", in a report two days after the week's incident.
        let mut week = killed(4, 4, town(), None);
        week.time = Some((90, 96));
        week.published = Some(98);
        let claims = vec![
            killed(1, 1, town(), Some(95)),
            // The next day's toll in the same town is the same incident; in another town of
            // the region it is not.
            killed(2, 2, town(), Some(96)),
            killed(3, 3, neighbour(), Some(96)),
            week,
        ];
        assert_eq!(groups(&link(claims)), vec![vec![1, 2, 4], vec![3]]);
    }

    #[test]
    fn a_part_of_a_total_stays_in_it_and_a_party_country_is_the_documents_place() {
        let town = || place("1", "09", PlacePrecision::Town);
        let abroad =
            Some(LinkPlace { country: "TR".into(), admin1: None, ..place("tr", "", PlacePrecision::Country).unwrap() });
        let mut total = claim(1, 1, Kind::Killed, VictimClass::Unknown, town(), None);
        (total.cumulative, total.size) = (true, Some(300_000));
        let mut children = claim(2, 1, Kind::Killed, VictimClass::Civilian, town(), None);
        children.part_of = Some(1);
        let claims = vec![
            total,
            children,
            claim(3, 1, Kind::Killed, VictimClass::Civilian, town(), Some(99)),
            // "Fifteen victims were brought to Turkey": still the document's incident.
            claim(4, 1, Kind::Injured, VictimClass::Civilian, abroad, Some(99)),
            claim(5, 2, Kind::Injured, VictimClass::Civilian, town(), Some(99)),
        ];
        assert_eq!(groups(&link(claims)), vec![vec![1, 2], vec![3, 4, 5]]);
    }

    #[test]
    fn civilians_and_soldiers_are_not_one_figure() {
        let town = || place("1", "09", PlacePrecision::Town);
        let claims = vec![
            claim(1, 1, Kind::Killed, VictimClass::Civilian, town(), Some(99)),
            claim(2, 2, Kind::Killed, VictimClass::Combatant, town(), Some(99)),
        ];
        assert_eq!(groups(&link(claims)).len(), 2);
    }

    #[test]
    fn a_town_links_inside_its_region_and_a_country_to_the_most_reported() {
        use PlacePrecision::*;
        let killed = |id, doc, p| claim(id, doc, Kind::Killed, VictimClass::Civilian, p, Some(99));
        let claims = vec![
            killed(1, 1, place("1", "09", Town)),
            killed(2, 2, place("r09", "09", Region)),
            killed(4, 4, place("7", "05", Town)),
            killed(3, 3, place("sy", "", Country)),
        ];
        // The region report joins its town; the country report joins the incident with two
        // documents rather than the one with one.
        assert_eq!(groups(&link(claims.clone())), vec![vec![1, 2, 3], vec![4]]);
        let tie: Vec<LinkClaim> = claims.into_iter().filter(|c| c.id != 2).collect();
        assert_eq!(groups(&link(tie)), vec![vec![1], vec![3], vec![4]], "a tie leaves the country report apart");
    }

    #[test]
    fn totals_and_subsets() {
        let town = || place("1", "09", PlacePrecision::Town);
        let mut total = claim(2, 1, Kind::Killed, VictimClass::Unknown, town(), None);
        (total.cumulative, total.size) = (true, Some(300_000));
        let mut subset =
            claim(3, 1, Kind::Killed, VictimClass::Civilian, place("9", "01", PlacePrecision::Town), Some(50));
        subset.part_of = Some(1);
        let claims = vec![claim(1, 1, Kind::Killed, VictimClass::Unknown, town(), Some(99)), total, subset];
        let incidents = link(claims);
        assert_eq!(groups(&incidents), vec![vec![1, 3], vec![2]]);
        let t = incidents.iter().find(|i| i.total).unwrap();
        assert_eq!((t.id.as_str(), t.claims.as_slice()), ("t-sy-killed", &[2][..]));
    }

    #[test]
    fn a_bare_country_or_an_unknown_name_is_read_as_the_documents_town() {
        use PlacePrecision::*;
        let killed = |id, doc, p| claim(id, doc, Kind::Killed, VictimClass::Civilian, p, Some(99));
        let unknown = |name: &str| {
            Some(LinkPlace {
                key: format!("SY:{name}"),
                country: "SY".into(),
                admin1: None,
                precision: Town,
                within: None,
                names_region: false,
            })
        };
        let claims = vec![
            // Document 1 is about town 1 and also says "in Syria".
            killed(1, 1, place("1", "09", Town)),
            killed(2, 1, place("sy", "", Country)),
            // Document 2 names only a neighbourhood the gazetteer lacks, and town 1.
            killed(3, 2, unknown("zubdiya")),
            killed(4, 2, place("1", "09", Town)),
            // Document 3 names the neighbourhood alone: it meets document 2 by name.
            killed(5, 3, unknown("zubdiya")),
            // Document 4: another unknown name in another town is not the same place.
            killed(6, 4, unknown("hass")),
            killed(7, 4, place("2", "05", Town)),
        ];
        assert_eq!(groups(&link(claims)), vec![vec![1, 2, 3, 4, 5], vec![6, 7]]);
    }

    #[test]
    fn a_recent_period_total_is_not_the_wars() {
        let town = || place("1", "09", PlacePrecision::Town);
        let total = |id, doc, time: Option<(i64, i64)>| {
            let mut c = claim(id, doc, Kind::Killed, VictimClass::Unknown, town(), None);
            (c.cumulative, c.time) = (true, time);
            c
        };
        // Published on day 100: since day 15000 days ago (the war) vs since day 97 ("since Thursday").
        let claims = vec![
            total(1, 1, Some((-15_000, 100))),
            total(2, 2, None),
            total(3, 3, Some((97, 100))),
            total(4, 4, Some((96, 100))),
        ];
        let incidents = link(claims);
        assert_eq!(groups(&incidents), vec![vec![1, 2], vec![3, 4]]);
        assert!(incidents.iter().all(|i| i.total));
        let recent = incidents.iter().find(|i| i.claims.contains(&3)).unwrap();
        assert!(recent.id.starts_with("t-sy-killed-") && recent.why[0].contains("region \"09\""), "{recent:?}");
    }

    #[test]
    fn long_period_totals_part_by_start_year_and_by_the_place_they_tell_of() {
        let country = || place("sy", "", PlacePrecision::Country);
        let total = |id, place, time: Option<(i64, i64)>| {
            let mut c = claim(id, id, Kind::Killed, VictimClass::Unknown, place, None);
            let published = tally_core::Date::new(2016, 6, 1).unwrap().days();
            (c.cumulative, c.time, c.size, c.published) = (true, time, Some(200_000), Some(published));
            c
        };
        let since =
            |y| (tally_core::Date::new(y, 1, 1).unwrap().days(), tally_core::Date::new(2016, 6, 1).unwrap().days());
        let (since_2011, since_2014) = (since(2011), since(2014));
        let mut manbij = total(6, place("9", "05", PlacePrecision::Town), Some(since_2014));
        manbij.size = Some(5_000);
        let claims = vec![
            total(1, country(), Some(since_2011)),
            total(2, country(), Some(since_2011)),
            total(3, country(), None),
            total(4, country(), Some(since_2014)),
            total(5, country(), Some(since_2014)),
            manbij,
        ];
        let incidents = link(claims);
        assert_eq!(groups(&incidents), vec![vec![1, 2, 3], vec![4, 5], vec![6]], "{incidents:?}");
        let id_of = |claim: i64| incidents.iter().find(|i| i.claims.contains(&claim)).unwrap().id.clone();
        // A total without a start is the conflict's: it keeps the plain id of the usual start.
        assert_eq!(id_of(3), "t-sy-killed");
        assert_eq!(id_of(4), "t-sy-killed-since-2014");
        // The only total told of its region: its start is that region's usual one.
        assert!(id_of(6).starts_with("t-sy-killed-") && !id_of(6).contains("since"), "{}", id_of(6));
        let manbij = incidents.iter().find(|i| i.claims.contains(&6)).unwrap();
        assert!(manbij.why[0].contains("region \"05\""), "{:?}", manbij.why);
    }

    #[test]
    fn a_figure_over_a_recent_month_is_a_total_of_that_period() {
        let town = || place("1", "09", PlacePrecision::Town);
        let over = |id, doc, time: (i64, i64)| {
            let mut c = claim(id, doc, Kind::Killed, VictimClass::Civilian, town(), None);
            c.time = Some(time);
            c
        };
        // Published on day 100: "In September more than 3000 were killed" (days 70..99), the
        // same month in another report, and a month long before the report.
        let claims = vec![over(1, 1, (70, 99)), over(2, 2, (70, 99)), over(3, 3, (-500, -471))];
        let incidents = link(claims);
        assert_eq!(groups(&incidents), vec![vec![1, 2], vec![3]]);
        let month = incidents.iter().find(|i| i.claims.contains(&1)).unwrap();
        assert!(month.total, "{month:?}");
        assert!(!incidents.iter().find(|i| i.claims.contains(&3)).unwrap().total);
    }

    #[test]
    fn a_rising_toll_updates_the_incident_its_story_reports() {
        let town = || place("1", "09", PlacePrecision::Town);
        let toll = |id, doc, low| {
            let mut c = claim(id, doc, Kind::Killed, VictimClass::Unknown, town(), Some(99));
            (c.cumulative, c.size) = (true, Some(low));
            c
        };
        let claims = vec![
            // "A chemical attack killed 58 …; the death toll has since risen to 86."
            claim(1, 1, Kind::Killed, VictimClass::Civilian, town(), Some(99)),
            toll(2, 1, 86),
            // A report with no incident of its own: its toll is a running total.
            toll(3, 2, 86),
            // War-sized: the conflict's total, whatever the story.
            toll(4, 1, 300_000),
        ];
        let incidents = link(claims);
        assert_eq!(groups(&incidents), vec![vec![1, 2], vec![3, 4]]);
        assert!(incidents.iter().find(|i| i.claims.contains(&3)).unwrap().total);
    }

    #[test]
    fn ids_are_stable_under_input_order() {
        let town = || place("1", "09", PlacePrecision::Town);
        let a = vec![
            claim(1, 1, Kind::Killed, VictimClass::Civilian, town(), Some(99)),
            claim(2, 2, Kind::Killed, VictimClass::Civilian, town(), Some(99)),
        ];
        let mut b = a.clone();
        b.reverse();
        assert_eq!(link(a), link(b));
    }
}
