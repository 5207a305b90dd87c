//! The HTML pages: overview, incidents, incident, document, sources, search. Each handler
//! asks the ledger, turns rows into view structs of display strings, and renders an askama
//! template (which escapes every value; the only unescaped values are the SVG and text
//! built by `chart`, `map` and `highlight`, which escape their own inputs).

use crate::chart::{self, RangeMark, KINDS};
use crate::highlight::{self, escape};
use crate::map::{MapPoint, WorldMap};
use crate::params::{Params, INCIDENT_PARAMS, SEARCH_PARAMS, SOURCE_PARAMS};
use crate::{App, Failure};
use askama::Template;
use axum::extract::{Path, RawQuery, State};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use serde::Deserialize;
use std::sync::Arc;
use tally_ledger::query::{Counts, OriginRow, StoredClaim};
use tally_ledger::{DocRow, IncidentFilter, IncidentRow, IncidentSort, Ledger};

pub fn routes() -> Router<Arc<App>> {
    Router::new()
        .route("/", get(overview))
        .route("/incidents", get(incidents))
        .route("/incidents/{id}", get(incident))
        .route("/documents/{id}", get(document))
        .route("/sources", get(sources))
        .route("/search", get(search))
}

/// A failure as a page.
pub struct PageError(Failure);

impl<E: Into<Failure>> From<E> for PageError {
    fn from(e: E) -> PageError {
        PageError(e.into())
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    title: String,
    active: &'a str,
    search_value: &'a str,
    status: String,
    message: &'a str,
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let status = self.0.status();
        let page = ErrorPage {
            title: status.to_string(),
            active: "",
            search_value: "",
            status: status.to_string(),
            message: self.0.message(),
        };
        (status, Html(page.render().unwrap_or_else(|e| escape(&e.to_string())))).into_response()
    }
}

pub async fn not_found() -> PageError {
    PageError(Failure::NotFound("There is no page at this address.".into()))
}

type PageResult = Result<Html<String>, PageError>;

fn render(t: impl Template) -> PageResult {
    t.render().map(Html).map_err(|e| PageError(Failure::Internal(format!("rendering the page: {e}"))))
}

/// A path segment with everything but unreserved characters percent-encoded.
fn segment(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

pub fn doc_href(name: &str) -> String {
    format!("/documents/{}", segment(name))
}

pub fn incident_href(id: &str) -> String {
    format!("/incidents/{}", segment(id))
}

fn dates(start: Option<&str>, end: Option<&str>) -> String {
    match (start, end) {
        (Some(s), Some(e)) if s != e => format!("{s} – {e}"),
        (Some(s), _) => s.to_string(),
        _ => "undated".into(),
    }
}

/// An incident as the lists show it.
struct IncidentView {
    href: String,
    label: String,
    total: bool,
    place: String,
    variants: String,
    dates: String,
    low: String,
    best: String,
    high: String,
    sources: usize,
    docs: usize,
    claims: usize,
    contradictions: usize,
    disagreement: String,
}

impl IncidentView {
    fn of(r: &IncidentRow) -> IncidentView {
        let place = r.place.clone().unwrap_or_else(|| "unplaced".into());
        let variants: Vec<&str> = r.place_variants.iter().map(String::as_str).filter(|v| *v != place).collect();
        IncidentView {
            href: incident_href(&r.id),
            label: r.label.clone(),
            total: r.total,
            variants: variants.join(", "),
            place,
            dates: dates(r.date_start.as_deref(), r.date_end.as_deref()),
            low: chart::show(r.low),
            best: chart::show(r.best),
            high: chart::show(r.high),
            sources: r.sources,
            docs: r.docs,
            claims: r.claims,
            contradictions: r.contradictions,
            disagreement: format!("{:.2}", r.disagreement),
        }
    }
}

fn map_points(rows: &[IncidentRow]) -> Vec<MapPoint> {
    rows.iter()
        .filter_map(|r| {
            Some(MapPoint {
                lat: r.lat?,
                lon: r.lon?,
                label: r.label.clone(),
                href: Some(incident_href(&r.id)),
                class: "incident",
            })
        })
        .collect()
}

// ---------------------------------------------------------------- overview

#[derive(Template)]
#[template(path = "overview.html")]
struct OverviewPage {
    title: String,
    active: &'static str,
    search_value: String,
    counts: Counts,
    sources: usize,
    stale: bool,
    chart: String,
    rows: Vec<IncidentView>,
    map: String,
}

async fn overview(State(app): State<Arc<App>>, RawQuery(q): RawQuery) -> PageResult {
    Params::parse(q.as_deref(), &[])?;
    let (counts, sources, stale, timeline, contested, placed) = app
        .readers
        .run(|l| {
            let contested = IncidentFilter {
                claims: tally_ledger::ClaimFilter { limit: Some(10), ..Default::default() },
                min_sources: 2,
                sort: IncidentSort::Disagreement,
                ..Default::default()
            };
            let placed = IncidentFilter {
                claims: tally_ledger::ClaimFilter { limit: Some(300), ..Default::default() },
                ..Default::default()
            };
            Ok((
                l.counts()?,
                // Only the count: no row is needed.
                l.sources(&tally_ledger::sources::SourceFilter { limit: Some(0), ..Default::default() })?.0,
                l.needs_link()?,
                l.timeline()?,
                l.incidents(&contested)?,
                l.incidents(&placed)?,
            ))
        })
        .await?;
    render(OverviewPage {
        title: "Overview".into(),
        active: "overview",
        search_value: String::new(),
        counts,
        sources,
        stale,
        chart: chart::timeline(&timeline),
        rows: contested.iter().map(IncidentView::of).collect(),
        map: WorldMap::get().render(&map_points(&placed), 20.0, 900),
    })
}

// ---------------------------------------------------------------- incidents

struct SortLink {
    label: &'static str,
    href: String,
    current: bool,
}

struct KindOption {
    value: &'static str,
    selected: bool,
}

#[derive(Default)]
struct IncidentForm {
    place: String,
    from: String,
    to: String,
    min_sources: String,
    min_disagreement: String,
    totals: bool,
    sort: String,
}

#[derive(Template)]
#[template(path = "incidents.html")]
struct IncidentsPage {
    title: String,
    active: &'static str,
    search_value: String,
    form: IncidentForm,
    kind_options: Vec<KindOption>,
    sorts: Vec<SortLink>,
    range: String,
    rows: Vec<IncidentView>,
    prev: Option<String>,
    next: Option<String>,
}

/// "Rows 1–50 of 1,234" and the links to the pages around.
fn paging(
    path: &str,
    p: &Params,
    total: usize,
    limit: usize,
    offset: usize,
    shown: usize,
) -> (String, Option<String>, Option<String>) {
    let range = if shown == 0 {
        format!("Nothing on this page ({total} in all).")
    } else {
        format!("{}–{} of {total}", offset + 1, offset + shown)
    };
    let link = |o: usize| format!("{path}?{}", p.with("offset", (o > 0).then(|| o.to_string()).as_deref()));
    let prev = (offset > 0).then(|| link(offset.saturating_sub(limit)));
    let next = (offset + limit < total).then(|| link(offset + limit));
    (range, prev, next)
}

fn sort_links(path: &str, p: &Params, options: &[(&'static str, &'static str)], current: &str) -> Vec<SortLink> {
    options
        .iter()
        .map(|(value, label)| SortLink {
            label,
            // A new order starts again from the first page.
            href: format!("{path}?{}", p.with_all(&[("offset", None), ("sort", Some(value))])),
            current: *value == current,
        })
        .collect()
}

async fn incidents(State(app): State<Arc<App>>, RawQuery(q): RawQuery) -> PageResult {
    let p = Params::parse(q.as_deref(), INCIDENT_PARAMS)?;
    let f = p.incident_filter()?;
    let (limit, offset) = (f.claims.limit.unwrap_or_default(), f.claims.offset);
    let kind = f.claims.kind;
    let sort = match f.sort {
        IncidentSort::Sources => "sources",
        IncidentSort::Disagreement => "disagreement",
        IncidentSort::Date => "date",
    };
    let form = IncidentForm {
        place: p.get("place").unwrap_or_default().into(),
        from: p.get("from").unwrap_or_default().into(),
        to: p.get("to").unwrap_or_default().into(),
        min_sources: p.get("min_sources").unwrap_or_default().into(),
        min_disagreement: p.get("min_disagreement").unwrap_or_default().into(),
        totals: f.totals,
        sort: sort.into(),
    };
    let (total, rows) = app.readers.run(move |l| Ok((l.count_incidents(&f)?, l.incidents(&f)?))).await?;
    let (range, prev, next) = paging("/incidents", &p, total, limit, offset, rows.len());
    render(IncidentsPage {
        title: "Incidents".into(),
        active: "incidents",
        search_value: String::new(),
        kind_options: KINDS
            .iter()
            .map(|(k, _)| KindOption { value: k, selected: kind.is_some_and(|c| c.as_str() == *k) })
            .collect(),
        sorts: sort_links(
            "/incidents",
            &p,
            &[("sources", "independent voices"), ("disagreement", "disagreement"), ("date", "newest")],
            sort,
        ),
        form,
        range,
        rows: rows.iter().map(IncidentView::of).collect(),
        prev,
        next,
    })
}

// ---------------------------------------------------------------- incident

/// The reconciliation as stored with an incident (tally-ledger's `Reconciliation`).
#[derive(Deserialize)]
struct StoredReconciliation {
    figures: Vec<StoredFigure>,
    contradictions: Vec<StoredContradiction>,
}

#[derive(Deserialize)]
struct StoredFigure {
    kind: String,
    victims: String,
    low: Option<u64>,
    best: Option<u64>,
    high: Option<u64>,
    voices: usize,
    sources: Vec<StoredSource>,
}

#[derive(Deserialize)]
struct StoredSource {
    claim: i64,
    doc: String,
    outlet: Option<String>,
    published: Option<String>,
    #[serde(default)]
    voice_name: Option<String>,
    voice: String,
    claimant: Option<String>,
    #[serde(default)]
    claimant_type: Option<String>,
    stance: String,
    count_text: String,
    low: Option<u64>,
    high: Option<u64>,
    counted: bool,
    note: Option<String>,
    quote: String,
}

#[derive(Deserialize)]
struct StoredContradiction {
    kind: String,
    reason: String,
}

struct FigureView {
    heading: String,
    low: String,
    best: String,
    high: String,
    voices: usize,
    bar: String,
    rows: Vec<SourceView>,
}

struct SourceView {
    claim: i64,
    class: &'static str,
    voice: String,
    claimant: String,
    claimant_type: String,
    outlet: String,
    date: String,
    figure: String,
    stance: String,
    counted: String,
    quote: String,
    href: String,
}

struct ContradictionView {
    kind: String,
    reason: String,
}

struct DocLink {
    href: String,
    name: String,
    detail: String,
}

#[derive(Template)]
#[template(path = "incident.html")]
struct IncidentPage {
    title: String,
    active: &'static str,
    search_value: String,
    inc: IncidentView,
    figures: Vec<FigureView>,
    contradictions: Vec<ContradictionView>,
    map: String,
    docs: Vec<DocLink>,
    why: Vec<String>,
}

fn mark_class(s: &StoredSource) -> &'static str {
    match (s.counted, s.note.as_deref()) {
        (true, _) => "counted",
        (false, Some("subset")) => "subset",
        (false, Some("disputed")) => "disputed",
        (false, Some("denied")) => "denied",
        _ => "superseded",
    }
}

fn figure_view(f: &StoredFigure) -> FigureView {
    let victims = match f.victims.as_str() {
        "all" => String::new(),
        v => format!(" ({v}s)"),
    };
    let marks: Vec<RangeMark> = f
        .sources
        .iter()
        .map(|s| RangeMark {
            label: s.voice_name.clone().unwrap_or_else(|| s.voice.clone()),
            low: s.low,
            high: s.high,
            class: mark_class(s),
        })
        .collect();
    let rows = f
        .sources
        .iter()
        .map(|s| SourceView {
            claim: s.claim,
            class: mark_class(s),
            voice: s.voice_name.clone().unwrap_or_else(|| s.voice.clone()),
            claimant: s.claimant.clone().unwrap_or_default(),
            claimant_type: s.claimant_type.clone().unwrap_or_else(|| "–".into()),
            outlet: s.outlet.clone().unwrap_or_else(|| "–".into()),
            date: s.published.clone().unwrap_or_else(|| "–".into()),
            figure: format!("{} ({})", s.count_text, chart::interval(s.low, s.high)),
            stance: s.stance.clone(),
            counted: if s.counted {
                "yes".into()
            } else {
                format!("no: {}", s.note.as_deref().unwrap_or("superseded"))
            },
            quote: s.quote.clone(),
            href: format!("{}#claim-{}", doc_href(&s.doc), s.claim),
        })
        .collect();
    FigureView {
        heading: format!("{}{victims}", f.kind),
        low: chart::show(f.low),
        best: chart::show(f.best),
        high: chart::show(f.high),
        voices: f.voices,
        bar: chart::range(&f.kind, f.low, f.best, f.high, &marks),
        rows,
    }
}

async fn incident(State(app): State<Arc<App>>, Path(id): Path<String>, RawQuery(q): RawQuery) -> PageResult {
    Params::parse(q.as_deref(), &[])?;
    let detail = app.readers.run(move |l| l.incident(&id)).await?;
    let mut detail = detail.ok_or_else(|| Failure::NotFound("There is no incident with this id.".into()))?;
    let rec: StoredReconciliation = serde_json::from_value(detail.reconciliation.take())
        .map_err(|e| Failure::Internal(format!("reading the incident's reconciliation: {e}")))?;
    let mut docs: Vec<DocLink> = Vec::new();
    for f in &rec.figures {
        for s in &f.sources {
            if !docs.iter().any(|d| d.name == s.doc) {
                let detail = [s.outlet.as_deref(), s.published.as_deref()].into_iter().flatten().collect::<Vec<_>>();
                docs.push(DocLink { href: doc_href(&s.doc), name: s.doc.clone(), detail: detail.join(", ") });
            }
        }
    }
    for m in &detail.members {
        if !docs.iter().any(|d| d.name == m.doc) {
            docs.push(DocLink { href: doc_href(&m.doc), name: m.doc.clone(), detail: String::new() });
        }
    }
    let row = &detail.row;
    let map = match (row.lat, row.lon) {
        (Some(lat), Some(lon)) => {
            let label = row.place.clone().unwrap_or_default();
            WorldMap::get().render(&[MapPoint { lat, lon, label, href: None, class: "incident" }], 8.0, 640)
        }
        _ => String::new(),
    };
    let why = detail.why.as_array().map(|a| a.iter().filter_map(|w| w.as_str().map(str::to_string)).collect());
    render(IncidentPage {
        title: row.label.clone(),
        active: "incidents",
        search_value: String::new(),
        inc: IncidentView::of(row),
        figures: rec.figures.iter().map(figure_view).collect(),
        contradictions: rec
            .contradictions
            .into_iter()
            .map(|c| ContradictionView { kind: c.kind, reason: c.reason })
            .collect(),
        map,
        docs,
        why: why.unwrap_or_default(),
    })
}

// ---------------------------------------------------------------- document

/// A document, its text, its claims and the documents that copy it.
pub fn load_document(
    l: &Ledger,
    name: &str,
) -> tally_ledger::Result<Option<(DocRow, String, Vec<StoredClaim>, Vec<DocRow>)>> {
    let Some((doc, text)) = l.document(name)? else { return Ok(None) };
    let claims = l.claims(&tally_ledger::ClaimFilter { doc: Some(name.to_string()), ..Default::default() })?;
    let copies = l.copies_of(name)?;
    Ok(Some((doc, text, claims, copies)))
}

struct FieldView {
    name: &'static str,
    value: String,
    span: String,
}

struct ClaimCard {
    id: i64,
    number: usize,
    summary: String,
    fields: Vec<FieldView>,
    why: Vec<String>,
    incident: Option<String>,
}

#[derive(Template)]
#[template(path = "document.html")]
struct DocumentPage {
    title: String,
    active: &'static str,
    search_value: String,
    heading: String,
    doc: DocRow,
    outlet: String,
    published: String,
    safe_url: Option<String>,
    url_text: String,
    copy_of: Option<DocLink>,
    kinds: Vec<&'static str>,
    text: String,
    cards: Vec<ClaimCard>,
    origins: Vec<OriginRow>,
    copies: Vec<DocLink>,
}

fn span_text([s, e]: [usize; 2]) -> String {
    format!("{s}–{e}")
}

fn claim_card(n: usize, sc: &StoredClaim) -> ClaimCard {
    let c = &sc.claim;
    let mut fields = Vec::new();
    let mut field = |name, value: String, span: Option<[usize; 2]>| {
        fields.push(FieldView { name, value, span: span.map(span_text).unwrap_or_default() });
    };
    let kind = c.kind.map_or("none", |k| k.as_str());
    field("kind", format!("{kind}{}", if c.ambiguous { " (ambiguous wording)" } else { "" }), None);
    match &c.count {
        Some(count) => field(
            "figure",
            format!("“{}”: {} ({})", count.text, chart::interval(count.low, count.high), count.qualifier.as_str()),
            Some(c.span),
        ),
        None => field("figure", "none stated (a denial or dispute)".into(), Some(c.span)),
    }
    let victims = if c.victims.text.is_empty() { "unstated".to_string() } else { format!("“{}”", c.victims.text) };
    field("victims", format!("{victims}, {}", c.victims.class.as_str()), None);
    field("stance", c.stance.as_str().into(), None);
    match &c.place {
        Some(p) => field(
            "place",
            format!(
                "“{}” → {} ({}{}, {})",
                p.text,
                p.name,
                p.country,
                p.admin1.as_deref().map(|a| format!(" {a}")).unwrap_or_default(),
                p.precision.as_str()
            ),
            Some(p.span),
        ),
        None => field("place", "not stated".into(), None),
    }
    match &c.time {
        Some(t) => {
            field("time", format!("“{}” → {}", t.text, dates(t.start.as_deref(), t.end.as_deref())), Some(t.span))
        }
        None => field("time", "not stated".into(), None),
    }
    match &c.source {
        Some(s) => field("source", format!("“{}” ({})", s.text, s.kind.as_str()), Some(s.span)),
        None => field("source", "the document itself".into(), None),
    }
    match &c.perpetrator {
        Some(p) => field("perpetrator", format!("“{}”", p.text), Some(p.span)),
        None => field("perpetrator", "not stated".into(), None),
    }
    if c.cumulative {
        field("cumulative", "a running total".into(), None);
    }
    if let Some(parent) = c.part_of {
        field("part of", format!("claim {} of this document", parent + 1), None);
    }
    field("sentence", c.sentence.clone(), Some(c.sentence_span));
    let summary = match &c.count {
        Some(count) => format!("{} {kind}", count.text),
        None => format!("{} ({kind})", c.stance.as_str()),
    };
    ClaimCard {
        id: sc.id,
        number: n + 1,
        summary,
        fields,
        why: c.why.clone(),
        incident: sc.incident.as_deref().map(incident_href),
    }
}

fn doc_link(d: &DocRow) -> DocLink {
    let mut detail: Vec<String> =
        [d.title.clone(), d.outlet.clone(), d.published.clone()].into_iter().flatten().collect();
    if let Some(s) = d.similarity {
        detail.push(format!("similarity {s:.2}"));
    }
    DocLink { href: doc_href(&d.id), name: d.id.clone(), detail: detail.join(" · ") }
}

/// Only web addresses become links: a `javascript:` or `data:` address is shown as text.
fn safe_url(url: &str) -> Option<String> {
    let lower = url.trim().to_ascii_lowercase();
    (lower.starts_with("http://") || lower.starts_with("https://")).then(|| url.trim().to_string())
}

async fn document(State(app): State<Arc<App>>, Path(id): Path<String>, RawQuery(q): RawQuery) -> PageResult {
    Params::parse(q.as_deref(), &[])?;
    let found = app.readers.run(move |l| load_document(l, &id)).await?;
    let (doc, text, claims, copies) =
        found.ok_or_else(|| Failure::NotFound("There is no document with this id.".into()))?;
    let copy_of = doc.copy_of.as_ref().map(|c| DocLink {
        href: doc_href(c),
        name: c.clone(),
        detail: doc.similarity.map(|s| format!("similarity {s:.2}")).unwrap_or_default(),
    });
    render(DocumentPage {
        title: doc.title.clone().unwrap_or_else(|| doc.id.clone()),
        active: "",
        search_value: String::new(),
        heading: doc.title.clone().unwrap_or_else(|| doc.id.clone()),
        outlet: doc.outlet.clone().unwrap_or_else(|| "–".into()),
        published: doc.published.clone().unwrap_or_else(|| "–".into()),
        safe_url: doc.url.as_deref().and_then(safe_url),
        url_text: doc.url.clone().unwrap_or_else(|| "–".into()),
        copy_of,
        kinds: KINDS.iter().map(|(k, _)| *k).collect(),
        text: highlight::highlight(&text, &claims),
        cards: claims.iter().enumerate().map(|(n, c)| claim_card(n, c)).collect(),
        origins: doc.origins.clone(),
        copies: copies.iter().map(doc_link).collect(),
        doc,
    })
}

// ---------------------------------------------------------------- sources

struct SourceForm {
    role: String,
    name: String,
    sort: String,
}

struct SourceRowView {
    name: String,
    role: String,
    href: String,
    claims: usize,
    incidents: usize,
    compared: usize,
    above: String,
    below: String,
    matching: usize,
    disputed: usize,
    denied: usize,
}

#[derive(Template)]
#[template(path = "sources.html")]
struct SourcesPage {
    title: String,
    active: &'static str,
    search_value: String,
    form: SourceForm,
    sorts: Vec<SortLink>,
    range: String,
    rows: Vec<SourceRowView>,
    prev: Option<String>,
    next: Option<String>,
}

fn share(n: usize, of: usize) -> String {
    if of == 0 {
        "–".into()
    } else {
        format!("{n} ({:.0}%)", n as f64 * 100.0 / of as f64)
    }
}

async fn sources(State(app): State<Arc<App>>, RawQuery(q): RawQuery) -> PageResult {
    let p = Params::parse(q.as_deref(), SOURCE_PARAMS)?;
    let f = p.source_filter()?;
    let (limit, offset) = (f.limit.unwrap_or_default(), f.offset);
    let form = SourceForm {
        role: f.role.clone().unwrap_or_default(),
        name: f.name.clone().unwrap_or_default(),
        sort: p.get("sort").unwrap_or("claims").into(),
    };
    let (total, rows) = app.readers.run(move |l| l.sources(&f)).await?;
    let (range, prev, next) = paging("/sources", &p, total, limit, offset, rows.len());
    let rows = rows
        .into_iter()
        .map(|r| {
            let filter = if r.role == "outlet" { "outlet" } else { "source" };
            let href = format!(
                "/incidents?{}",
                form_urlencoded::Serializer::new(String::new()).append_pair(filter, &r.name).finish()
            );
            SourceRowView {
                href,
                above: share(r.above, r.compared),
                below: share(r.below, r.compared),
                name: r.name,
                role: r.role,
                claims: r.claims,
                incidents: r.incidents,
                compared: r.compared,
                matching: r.matching,
                disputed: r.disputed,
                denied: r.denied,
            }
        })
        .collect();
    render(SourcesPage {
        title: "Sources".into(),
        active: "sources",
        search_value: String::new(),
        sorts: sort_links(
            "/sources",
            &p,
            &[("claims", "claims"), ("above", "most often above"), ("below", "most often below"), ("name", "name")],
            &form.sort,
        ),
        form,
        range,
        rows,
        prev,
        next,
    })
}

// ---------------------------------------------------------------- search

struct HitView {
    href: String,
    title: String,
    detail: String,
    snippet: String,
}

#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage {
    title: String,
    active: &'static str,
    search_value: String,
    range: String,
    hits: Vec<HitView>,
    prev: Option<String>,
    next: Option<String>,
}

async fn search(State(app): State<Arc<App>>, RawQuery(q): RawQuery) -> PageResult {
    let p = Params::parse(q.as_deref(), SEARCH_PARAMS)?;
    let (limit, offset) = p.page()?;
    let query = p.get("q").unwrap_or_default().to_string();
    let (total, hits) = if query.is_empty() {
        (0, Vec::new())
    } else {
        let q = query.clone();
        app.readers.run(move |l| l.search(&q, limit, offset)).await?
    };
    let (range, prev, next) = paging("/search", &p, total, limit, offset, hits.len());
    let hits = hits
        .into_iter()
        .map(|h| {
            let detail: Vec<String> = [h.outlet, h.published].into_iter().flatten().collect();
            HitView {
                href: doc_href(&h.id),
                title: h.title.unwrap_or_else(|| h.id.clone()),
                detail: format!("{} · {} claims", detail.join(", "), h.claims),
                snippet: highlight::snippet(&h.snippet),
            }
        })
        .collect();
    render(SearchPage {
        title: if query.is_empty() { "Search".into() } else { format!("Search: {query}") },
        active: "",
        search_value: query,
        range,
        hits,
        prev,
        next,
    })
}
