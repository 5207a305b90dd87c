//! An offline SVG base map: country outlines and places, drawn as an inline `<svg>`.
//!
//! The web UI must show where reported events happened without a tile server or any network
//! access, so the country boundaries ship inside the binary: Natural Earth 4.1.0 1:50m Admin 0
//! countries (public domain, <https://www.naturalearthdata.com/>) as TopoJSON from the npm
//! package world-atlas 2.0.2 (ISC, Michael Bostock), in `assets/countries-50m.json` (see NOTICE).
//!
//! The projection is equirectangular: x = longitude, y = -latitude, in viewBox units. Each
//! render keeps only what the view needs (countries whose bounding box meets it, rings clipped
//! to it, points closer than a pixel dropped), so a regional map stays a few tens of KB. The
//! output has no `style` attributes and no scripts, only presentation attributes and classes,
//! so it can be embedded under a strict Content-Security-Policy; all text is XML-escaped.

use std::sync::OnceLock;

use serde::Deserialize;

/// A place to draw.
#[derive(Debug, Clone, PartialEq)]
pub struct MapPoint {
    pub lat: f64,
    pub lon: f64,
    /// Shown as the circle's tooltip (`<title>`); untrusted text, escaped on output.
    pub label: String,
    /// Makes the circle a link; untrusted, escaped, and dropped unless relative or http(s).
    pub href: Option<String>,
    /// Extra CSS class on the circle, next to `map-point`.
    pub class: &'static str,
}

impl MapPoint {
    /// Points with impossible coordinates are skipped rather than stretching the view.
    fn is_drawable(&self) -> bool {
        self.lat.is_finite() && self.lon.is_finite() && self.lat.abs() <= 90.0 && self.lon.abs() <= 180.0
    }

    fn projected(&self) -> Pt {
        (self.lon, -self.lat)
    }
}

/// A position in projected (viewBox) units: (x, y) = (lon, -lat).
type Pt = (f64, f64);

/// An axis-aligned rectangle in projected units.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Rect {
    x0: f64,
    y0: f64,
    x1: f64,
    y1: f64,
}

impl Rect {
    const EMPTY: Rect = Rect { x0: f64::INFINITY, y0: f64::INFINITY, x1: f64::NEG_INFINITY, y1: f64::NEG_INFINITY };

    fn around(pts: impl IntoIterator<Item = Pt>) -> Rect {
        pts.into_iter().fold(Rect::EMPTY, |r, p| r.union(&Rect { x0: p.0, y0: p.1, x1: p.0, y1: p.1 }))
    }

    fn union(&self, o: &Rect) -> Rect {
        Rect { x0: self.x0.min(o.x0), y0: self.y0.min(o.y0), x1: self.x1.max(o.x1), y1: self.y1.max(o.y1) }
    }

    fn width(&self) -> f64 {
        self.x1 - self.x0
    }

    fn height(&self) -> f64 {
        self.y1 - self.y0
    }

    fn intersection(&self, o: &Rect) -> Rect {
        Rect { x0: self.x0.max(o.x0), y0: self.y0.max(o.y0), x1: self.x1.min(o.x1), y1: self.y1.min(o.y1) }
    }

    fn intersects(&self, o: &Rect) -> bool {
        self.x0 <= o.x1 && o.x0 <= self.x1 && self.y0 <= o.y1 && o.y0 <= self.y1
    }

    fn contains(&self, o: &Rect) -> bool {
        self.x0 <= o.x0 && o.x1 <= self.x1 && self.y0 <= o.y0 && o.y1 <= self.y1
    }

    fn expand(&self, d: f64) -> Rect {
        Rect { x0: self.x0 - d, y0: self.y0 - d, x1: self.x1 + d, y1: self.y1 + d }
    }
}

/// The whole world in projected units, which no view may exceed.
const WORLD: Rect = Rect { x0: -180.0, y0: -90.0, x1: 180.0, y1: 90.0 };
/// The view with no points: the inhabited world (84N to 58S). Antarctica would take a sixth of
/// the height and a long coastline for nothing a war reporting tool needs.
const WORLD_VIEW: Rect = Rect { x0: -180.0, y0: -84.0, x1: 180.0, y1: 58.0 };
/// Width over height of fitted views.
const ASPECT: f64 = 1.5;
/// Fraction of the points' extent added on each side so that no point sits on the edge.
const PAD: f64 = 0.15;
/// How far outside the view (in pixels) rings are clipped, so that the stroke along the cut
/// edge falls outside the visible area.
const CLIP_MARGIN_PX: f64 = 8.0;
/// Outlines keep no more detail than a map this many pixels wide shows, so that very wide
/// renders of the world stay under about 250 KB.
const MAX_DETAIL_PX: f64 = 1500.0;
/// Point radius and label font size, in pixels.
const POINT_R_PX: f64 = 4.0;
const LABEL_FONT_PX: f64 = 11.0;
/// A country gets a name label if its largest visible part covers this many square pixels.
const LABEL_MIN_AREA_PX: f64 = 2500.0;

/// One closed ring of a country, projected, with its bounding box for quick culling.
#[derive(Debug)]
struct Ring {
    bbox: Rect,
    pts: Vec<Pt>,
}

impl Ring {
    fn new(pts: Vec<Pt>) -> Ring {
        Ring { bbox: Rect::around(pts.iter().copied()), pts }
    }
}

/// A country: its Natural Earth name and all its rings (exteriors and holes alike; holes are
/// drawn with the even-odd fill rule, which needs no orientation bookkeeping).
#[derive(Debug)]
struct Country {
    name: String,
    bbox: Rect,
    rings: Vec<Ring>,
}

/// The decoded country boundaries, ready to be rendered for any view.
#[derive(Debug)]
pub struct WorldMap {
    countries: Vec<Country>,
}

static WORLD_MAP: OnceLock<WorldMap> = OnceLock::new();

impl WorldMap {
    /// The embedded Natural Earth 1:50m countries, parsed on first use.
    ///
    /// Panics only if the embedded asset is broken, which the unit tests rule out.
    pub fn get() -> &'static WorldMap {
        WORLD_MAP.get_or_init(|| {
            WorldMap::from_topojson(include_str!("../assets/countries-50m.json"))
                .expect("embedded assets/countries-50m.json is valid TopoJSON")
        })
    }

    /// Decodes a TopoJSON topology whose `countries` object is a GeometryCollection of
    /// (Multi)Polygons named by `properties.name`; other geometry types are skipped.
    pub fn from_topojson(json: &str) -> Result<WorldMap, String> {
        let topo: Topology = serde_json::from_str(json).map_err(|e| format!("bad TopoJSON: {e}"))?;
        let arcs = decode_arcs(&topo.arcs, topo.transform.as_ref());
        let collection = topo.objects.countries.ok_or("TopoJSON has no `countries` object")?;
        let mut countries = Vec::with_capacity(collection.geometries.len());
        for geometry in &collection.geometries {
            if let Some(country) = decode_country(geometry, &arcs)? {
                countries.push(country);
            }
        }
        Ok(WorldMap { countries })
    }

    /// Names of all countries, in data order.
    pub fn country_names(&self) -> impl Iterator<Item = &str> {
        self.countries.iter().map(|c| c.name.as_str())
    }

    /// A country's bounding box in degrees, `[min_lon, min_lat, max_lon, max_lat]`.
    pub fn country_bbox(&self, name: &str) -> Option<[f64; 4]> {
        let c = self.countries.iter().find(|c| c.name == name)?;
        Some([c.bbox.x0, -c.bbox.y1, c.bbox.x1, -c.bbox.y0])
    }

    /// An inline `<svg>` string: the countries around `points` (view fitted to the points'
    /// bounding box, padded to at least `min_span_deg` degrees of longitude, aspect 3:2, clamped
    /// to the world), and each point as a circle (with `<title>label</title>`, wrapped in
    /// `<a href>` when href is Some). With no points: the whole (inhabited) world.
    pub fn render(&self, points: &[MapPoint], min_span_deg: f64, width_px: u32) -> String {
        let shown: Vec<&MapPoint> = points.iter().filter(|p| p.is_drawable()).collect();
        let canvas = Canvas::new(fit_view(&shown, min_span_deg), width_px);
        let mut out = String::with_capacity(32 * 1024);
        canvas.open_svg(&mut out, shown.len());
        let mut labels = self.draw_land(&canvas, &mut out);
        // Country names must not cover the places the map is about.
        labels.retain(|l| !canvas.label_hides_a_point(l, &shown));
        canvas.draw_labels(&mut out, &labels);
        canvas.draw_points(&mut out, &shown);
        out.push_str("</svg>");
        out
    }

    /// Writes one `<path>` per visible country and returns the name labels that fit.
    fn draw_land<'a>(&'a self, canvas: &Canvas, out: &mut String) -> Vec<Label<'a>> {
        out.push_str("<g class=\"map-land\" fill=\"#efece4\" stroke=\"#8c8c8c\" stroke-width=\"");
        push_size(out, 0.6 * canvas.unit);
        out.push_str("\" stroke-linejoin=\"round\" fill-rule=\"evenodd\">");
        let mut clip = ClipBuffers::default();
        let mut grid = Vec::new();
        let mut labels = Vec::new();
        for country in self.countries.iter().filter(|c| c.bbox.intersects(&canvas.clip)) {
            if let Some(label) = canvas.draw_country(out, country, &mut clip, &mut grid) {
                labels.push(label);
            }
        }
        out.push_str("</g>");
        labels
    }
}

// ---- TopoJSON decoding ----

#[derive(Deserialize)]
struct Topology {
    #[serde(default)]
    transform: Option<Transform>,
    arcs: Vec<Vec<Position>>,
    objects: Objects,
}

/// One arc position: the first two numbers of a JSON array (TopoJSON allows more; unused here).
/// A fixed-size type rather than `Vec<f64>` saves 80,000 allocations when parsing.
struct Position([f64; 2]);

impl<'de> Deserialize<'de> for Position {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_seq(PositionVisitor)
    }
}

struct PositionVisitor;

impl<'de> serde::de::Visitor<'de> for PositionVisitor {
    type Value = Position;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a position [x, y, ...]")
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Position, A::Error> {
        let x = seq.next_element()?.ok_or_else(|| serde::de::Error::invalid_length(0, &self))?;
        let y = seq.next_element()?.ok_or_else(|| serde::de::Error::invalid_length(1, &self))?;
        while seq.next_element::<serde::de::IgnoredAny>()?.is_some() {}
        Ok(Position([x, y]))
    }
}

#[derive(Deserialize)]
struct Transform {
    scale: [f64; 2],
    translate: [f64; 2],
}

#[derive(Deserialize)]
struct Objects {
    #[serde(default)]
    countries: Option<Collection>,
}

#[derive(Deserialize)]
struct Collection {
    geometries: Vec<Geometry>,
}

#[derive(Deserialize)]
struct Geometry {
    /// `None` for null geometries, which TopoJSON writes as `{"type": null}`.
    #[serde(rename = "type", default)]
    kind: Option<String>,
    #[serde(default)]
    arcs: serde_json::Value,
    #[serde(default)]
    properties: Option<Properties>,
}

#[derive(Deserialize)]
struct Properties {
    #[serde(default)]
    name: Option<String>,
}

/// Arcs to absolute (lon, lat). Quantized topologies (with a `transform`) store each arc's
/// first position as absolute quantized coordinates and the rest as deltas from the previous.
fn decode_arcs(arcs: &[Vec<Position>], transform: Option<&Transform>) -> Vec<Vec<Pt>> {
    arcs.iter().map(|arc| decode_arc(arc, transform)).collect()
}

fn decode_arc(arc: &[Position], transform: Option<&Transform>) -> Vec<Pt> {
    let positions = arc.iter().map(|p| p.0);
    let Some(t) = transform else {
        return positions.map(|p| (p[0], p[1])).collect();
    };
    let (mut qx, mut qy) = (0.0, 0.0);
    positions
        .map(|p| {
            qx += p[0];
            qy += p[1];
            (qx * t.scale[0] + t.translate[0], qy * t.scale[1] + t.translate[1])
        })
        .collect()
}

/// One country from one geometry; `Ok(None)` for geometries that are not (Multi)Polygons.
fn decode_country(geometry: &Geometry, arcs: &[Vec<Pt>]) -> Result<Option<Country>, String> {
    let polygons: Vec<Vec<Vec<i64>>> = match geometry.kind.as_deref() {
        Some("Polygon") => vec![parse_arc_indexes(&geometry.arcs)?],
        Some("MultiPolygon") => parse_arc_indexes(&geometry.arcs)?,
        _ => return Ok(None),
    };
    let name = geometry.properties.as_ref().and_then(|p| p.name.clone()).unwrap_or_default();
    let mut rings = Vec::new();
    for indexes in polygons.iter().flatten() {
        let pts = stitch_ring(indexes, arcs)?;
        if pts.len() >= 3 {
            rings.extend(split_at_antimeridian(pts));
        }
    }
    // Copies shifted past the antimeridian only count where they are on the map.
    let bbox = rings.iter().fold(Rect::EMPTY, |b, r| b.union(&r.bbox.intersection(&WORLD)));
    Ok(Some(Country { name, bbox, rings }))
}

/// Makes a ring drawable on a flat map. Natural Earth keeps Russia's and Fiji's rings whole
/// across the antimeridian (jumping from 180 to -180 and back), which drawn as-is would fill a
/// band across the world. Such a ring is unwrapped into continuous longitudes (beyond 180) and
/// paired with a copy shifted by 360 degrees; clipping to the view then keeps the right parts.
fn split_at_antimeridian(pts: Vec<Pt>) -> Vec<Ring> {
    let Some(ring) = unwrap_longitudes(&pts).map(Ring::new) else {
        return vec![Ring::new(pts)];
    };
    let shift = if ring.bbox.x1 > WORLD.x1 { -360.0 } else { 360.0 };
    let copy = ring.pts.iter().map(|&(x, y)| (x + shift, y)).collect();
    vec![ring, Ring::new(copy)]
}

/// The ring with longitudes made continuous, if it jumps across the antimeridian and back.
/// Rings whose jumps do not cancel (Antarctica's, closed along the pole) are fine as they are.
fn unwrap_longitudes(pts: &[Pt]) -> Option<Vec<Pt>> {
    let (mut offset, mut jumps, mut prev_x) = (0.0, 0, pts.first()?.0);
    let mut out = Vec::with_capacity(pts.len());
    for &(x, y) in pts {
        if (x - prev_x).abs() > 180.0 {
            offset -= 360.0 * (x - prev_x).signum();
            jumps += 1;
        }
        prev_x = x;
        out.push((x + offset, y));
    }
    (jumps > 0 && offset == 0.0).then_some(out)
}

fn parse_arc_indexes<T: serde::de::DeserializeOwned>(arcs: &serde_json::Value) -> Result<T, String> {
    T::deserialize(arcs).map_err(|e| format!("bad arc indexes: {e}"))
}

/// Joins a ring's arcs into projected points. Index `i >= 0` is arc `i` forward, `i < 0` is arc
/// `!i` (= -i-1) reversed; consecutive arcs share an endpoint, so each following arc's first
/// point is skipped.
fn stitch_ring(indexes: &[i64], arcs: &[Vec<Pt>]) -> Result<Vec<Pt>, String> {
    let mut pts: Vec<Pt> = Vec::new();
    for &i in indexes {
        let (n, reversed) = if i >= 0 { (i, false) } else { (!i, true) };
        let arc = usize::try_from(n).ok().and_then(|n| arcs.get(n)).ok_or(format!("arc index {i} out of range"))?;
        let skip = usize::from(!pts.is_empty());
        let project = |&(lon, lat): &Pt| (lon, -lat);
        if reversed {
            pts.extend(arc.iter().rev().skip(skip).map(project));
        } else {
            pts.extend(arc.iter().skip(skip).map(project));
        }
    }
    Ok(pts)
}

// ---- View fitting ----

/// The view for a set of points: their bounding box plus padding, at least `min_span_deg`
/// wide, 3:2, inside the world (which at world scale wins over the aspect).
fn fit_view(points: &[&MapPoint], min_span_deg: f64) -> Rect {
    if points.is_empty() {
        return WORLD_VIEW;
    }
    let min_span = if min_span_deg.is_finite() { min_span_deg.clamp(1.0, 360.0) } else { 10.0 };
    let b = Rect::around(points.iter().map(|p| p.projected()));
    let w = (b.width() * (1.0 + 2.0 * PAD)).max(b.height() * (1.0 + 2.0 * PAD) * ASPECT).max(min_span);
    let (w, h) = (w.min(WORLD.width()), (w / ASPECT).min(WORLD.height()));
    let (cx, cy) = ((b.x0 + b.x1) / 2.0, (b.y0 + b.y1) / 2.0);
    let wanted = Rect { x0: cx - w / 2.0, y0: cy - h / 2.0, x1: cx + w / 2.0, y1: cy + h / 2.0 };
    let x0 = slide_into(wanted.x0, w, WORLD.x0, WORLD.x1);
    let y0 = slide_into(wanted.y0, h, WORLD.y0, WORLD.y1);
    Rect { x0, y0, x1: x0 + w, y1: y0 + h }
}

/// Moves an interval `[start, start+len]` to lie within `[lo, hi]`, or centres it there if too long.
fn slide_into(start: f64, len: f64, lo: f64, hi: f64) -> f64 {
    if len >= hi - lo {
        (lo + hi - len) / 2.0
    } else {
        start.clamp(lo, hi - len)
    }
}

// ---- Rendering ----

/// A visible country's name and where to put it.
struct Label<'a> {
    name: &'a str,
    at: Pt,
}

/// One render's geometry: the view, the clip rectangle, the pixel size, and how coordinates
/// are rounded (a grid of `10^-decimals` view units).
struct Canvas {
    view: Rect,
    clip: Rect,
    /// View units per output pixel.
    unit: f64,
    /// Outline points closer than this (in view units) to the previous one are dropped.
    tolerance: f64,
    decimals: u32,
    grid: f64,
    width_px: u32,
    height_px: u32,
}

impl Canvas {
    fn new(view: Rect, width_px: u32) -> Canvas {
        let width_px = width_px.clamp(64, 8192);
        let unit = view.width() / f64::from(width_px);
        let tolerance = unit.max(view.width() / MAX_DETAIL_PX);
        // As few decimals as keep rounding under about half the tolerance; never more than 2.
        let decimals = if tolerance >= 1.0 {
            0
        } else if tolerance >= 0.1 {
            1
        } else {
            2
        };
        let height_px = (f64::from(width_px) * view.height() / view.width()).round().max(1.0) as u32;
        let clip = view.expand(CLIP_MARGIN_PX * unit);
        Canvas { view, clip, unit, tolerance, decimals, grid: 10f64.powi(decimals as i32), width_px, height_px }
    }

    fn to_grid(&self, v: f64) -> i64 {
        (v * self.grid).round() as i64
    }

    fn push_coord(&self, out: &mut String, v: f64) {
        push_fixed(out, self.to_grid(v), self.decimals);
    }

    fn open_svg(&self, out: &mut String, n_points: usize) {
        let v = &self.view;
        let [x, y, w, h] = [v.x0, v.y0, v.width(), v.height()].map(|n| {
            let mut s = String::new();
            self.push_coord(&mut s, n);
            s
        });
        let aria = match n_points {
            0 => "World map".to_string(),
            1 => "Map of 1 place".to_string(),
            n => format!("Map of {n} places"),
        };
        out.push_str(&format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"map\" role=\"img\" aria-label=\"{aria}\" \
             viewBox=\"{x} {y} {w} {h}\" width=\"{}\" height=\"{}\" preserveAspectRatio=\"xMidYMid meet\">",
            self.width_px, self.height_px
        ));
        out.push_str(&format!(
            "<rect class=\"map-sea\" x=\"{x}\" y=\"{y}\" width=\"{w}\" height=\"{h}\" fill=\"#dbe6ef\"/>"
        ));
    }

    /// Writes one country's visible rings as a `<path>` (nothing if none is visible) and returns
    /// a label if its largest visible part is big enough to hold its name.
    fn draw_country<'a>(
        &self,
        out: &mut String,
        country: &'a Country,
        clip: &mut ClipBuffers,
        grid: &mut Vec<(i64, i64)>,
    ) -> Option<Label<'a>> {
        let start = out.len();
        out.push_str("<path d=\"");
        let path_start = out.len();
        let mut best: Option<(f64, Pt)> = None;
        for ring in country.rings.iter().filter(|r| r.bbox.intersects(&self.clip) && !self.is_subpixel(&r.bbox)) {
            let pts = clip.clip(&ring.pts, &ring.bbox, &self.clip);
            if !self.push_ring(out, pts, grid) {
                continue;
            }
            if let Some((area, at)) = self.label_spot(pts, &country.name) {
                if best.is_none_or(|(a, _)| area > a) {
                    best = Some((area, at));
                }
            }
        }
        if out.len() == path_start {
            out.truncate(start);
            return None;
        }
        out.push_str("\"><title>");
        push_escaped(out, &country.name);
        out.push_str("</title></path>");
        best.map(|(_, at)| Label { name: &country.name, at })
    }

    /// Islands smaller than a pixel would be invisible specks that still cost bytes.
    fn is_subpixel(&self, bbox: &Rect) -> bool {
        bbox.width() < self.tolerance && bbox.height() < self.tolerance
    }

    /// Appends `M x y l dx dy ... z` for a ring, dropping points within a pixel of the previous
    /// kept one. Relative moves on the rounding grid keep numbers short without drift.
    fn push_ring(&self, out: &mut String, pts: &[Pt], grid: &mut Vec<(i64, i64)>) -> bool {
        self.simplify(pts, grid);
        if grid.len() < 3 {
            return false;
        }
        let (mut px, mut py) = grid[0];
        out.push('M');
        push_fixed(out, px, self.decimals);
        push_separated(out, py, self.decimals);
        out.push('l');
        for (i, &(x, y)) in grid[1..].iter().enumerate() {
            if i == 0 {
                push_fixed(out, x - px, self.decimals);
            } else {
                push_separated(out, x - px, self.decimals);
            }
            push_separated(out, y - py, self.decimals);
            (px, py) = (x, y);
        }
        out.push('z');
        true
    }

    /// The ring's points on the rounding grid, at least a pixel (the tolerance) apart, without repeats.
    fn simplify(&self, pts: &[Pt], grid: &mut Vec<(i64, i64)>) {
        grid.clear();
        let tol2 = self.tolerance * self.tolerance;
        let mut last: Option<Pt> = None;
        for &p in pts {
            if last.is_some_and(|l| (p.0 - l.0).powi(2) + (p.1 - l.1).powi(2) < tol2) {
                continue;
            }
            last = Some(p);
            let g = (self.to_grid(p.0), self.to_grid(p.1));
            if grid.last() != Some(&g) {
                grid.push(g);
            }
        }
        // Rings are stored closed; `z` closes them again.
        while grid.len() > 1 && grid.first() == grid.last() {
            grid.pop();
        }
    }

    /// Where a (clipped) ring could carry the country's name: its centroid, if the ring is big
    /// enough in pixels and wide enough for the text, and the text would sit inside the view.
    fn label_spot(&self, pts: &[Pt], name: &str) -> Option<(f64, Pt)> {
        let bbox = Rect::around(pts.iter().copied());
        let px2 = self.unit * self.unit;
        if bbox.width() * bbox.height() < LABEL_MIN_AREA_PX * px2 {
            return None;
        }
        let (area, at) = centroid(pts)?;
        let text = self.label_box(name, at);
        let fits = area / px2 >= LABEL_MIN_AREA_PX
            && text.width() <= 0.9 * bbox.width()
            && self.view.contains(&text.expand(2.0 * self.unit));
        fits.then_some((area, at))
    }

    /// The rectangle a label's text covers, estimated: glyphs average about 0.6 em wide.
    fn label_box(&self, name: &str, at: Pt) -> Rect {
        let half_w = name.chars().count() as f64 * 0.6 * LABEL_FONT_PX * self.unit / 2.0;
        let half_h = LABEL_FONT_PX * self.unit / 2.0;
        Rect { x0: at.0 - half_w, y0: at.1 - half_h, x1: at.0 + half_w, y1: at.1 + half_h }
    }

    fn label_hides_a_point(&self, label: &Label, points: &[&MapPoint]) -> bool {
        let area = self.label_box(label.name, label.at).expand(POINT_R_PX * self.unit);
        points.iter().any(|p| {
            let (x, y) = p.projected();
            area.contains(&Rect { x0: x, y0: y, x1: x, y1: y })
        })
    }

    fn draw_labels(&self, out: &mut String, labels: &[Label]) {
        if labels.is_empty() {
            return;
        }
        out.push_str("<g class=\"map-labels\" fill=\"#6b6b6b\" font-family=\"sans-serif\" font-size=\"");
        push_size(out, LABEL_FONT_PX * self.unit);
        out.push_str("\" text-anchor=\"middle\" dominant-baseline=\"middle\">");
        for label in labels {
            out.push_str("<text class=\"map-label\" x=\"");
            self.push_coord(out, label.at.0);
            out.push_str("\" y=\"");
            self.push_coord(out, label.at.1);
            out.push_str("\">");
            push_escaped(out, label.name);
            out.push_str("</text>");
        }
        out.push_str("</g>");
    }

    fn draw_points(&self, out: &mut String, points: &[&MapPoint]) {
        if points.is_empty() {
            return;
        }
        out.push_str(
            "<g class=\"map-points\" fill=\"#c0392b\" fill-opacity=\"0.85\" stroke=\"#ffffff\" stroke-width=\"",
        );
        push_size(out, self.unit);
        out.push_str("\">");
        let mut r = String::new();
        push_size(&mut r, POINT_R_PX * self.unit);
        for p in points {
            self.draw_point(out, p, &r);
        }
        out.push_str("</g>");
    }

    fn draw_point(&self, out: &mut String, p: &MapPoint, r: &str) {
        let href = p.href.as_deref().and_then(safe_href);
        if let Some(href) = href {
            out.push_str("<a href=\"");
            push_escaped(out, href);
            out.push_str("\">");
        }
        out.push_str("<circle class=\"map-point");
        if !p.class.is_empty() {
            out.push(' ');
            push_escaped(out, p.class);
        }
        let (x, y) = p.projected();
        out.push_str("\" cx=\"");
        self.push_coord(out, x);
        out.push_str("\" cy=\"");
        self.push_coord(out, y);
        out.push_str("\" r=\"");
        out.push_str(r);
        out.push_str("\"><title>");
        push_escaped(out, &p.label);
        out.push_str("</title></circle>");
        if href.is_some() {
            out.push_str("</a>");
        }
    }
}

/// Area and centroid of a polygon (shoelace), computed relative to its first point to
/// keep precision; `None` for degenerate rings.
fn centroid(pts: &[Pt]) -> Option<(f64, Pt)> {
    let &(ox, oy) = pts.first()?;
    let (mut a2, mut cx, mut cy) = (0.0, 0.0, 0.0);
    for (i, &(x0, y0)) in pts.iter().enumerate() {
        let (x1, y1) = pts[(i + 1) % pts.len()];
        let (x0, y0, x1, y1) = (x0 - ox, y0 - oy, x1 - ox, y1 - oy);
        let cross = x0 * y1 - x1 * y0;
        a2 += cross;
        cx += (x0 + x1) * cross;
        cy += (y0 + y1) * cross;
    }
    if a2.abs() < 1e-12 {
        return None;
    }
    Some(((a2 / 2.0).abs(), (ox + cx / (3.0 * a2), oy + cy / (3.0 * a2))))
}

// ---- Clipping ----

/// Reused buffers for Sutherland–Hodgman clipping, so a render allocates them once.
#[derive(Default)]
struct ClipBuffers {
    a: Vec<Pt>,
    b: Vec<Pt>,
}

impl ClipBuffers {
    /// The ring clipped to `r`; the ring itself when it lies wholly inside (the common case).
    fn clip<'a>(&'a mut self, pts: &'a [Pt], bbox: &Rect, r: &Rect) -> &'a [Pt] {
        if r.contains(bbox) {
            return pts;
        }
        let x_at = |a: Pt, b: Pt, x: f64| (x, a.1 + (b.1 - a.1) * (x - a.0) / (b.0 - a.0));
        let y_at = |a: Pt, b: Pt, y: f64| (a.0 + (b.0 - a.0) * (y - a.1) / (b.1 - a.1), y);
        clip_edge(pts, &mut self.a, |p| p.0 >= r.x0, |a, b| x_at(a, b, r.x0));
        clip_edge(&self.a, &mut self.b, |p| p.0 <= r.x1, |a, b| x_at(a, b, r.x1));
        clip_edge(&self.b, &mut self.a, |p| p.1 >= r.y0, |a, b| y_at(a, b, r.y0));
        clip_edge(&self.a, &mut self.b, |p| p.1 <= r.y1, |a, b| y_at(a, b, r.y1));
        &self.b
    }
}

/// One Sutherland–Hodgman pass: keeps the part of the closed ring `input` on the inner side of
/// one edge. `cross` is only called for segments with one end on each side.
fn clip_edge(input: &[Pt], out: &mut Vec<Pt>, inside: impl Fn(Pt) -> bool, cross: impl Fn(Pt, Pt) -> Pt) {
    out.clear();
    let Some(&last) = input.last() else { return };
    let (mut prev, mut prev_in) = (last, inside(last));
    for &cur in input {
        let cur_in = inside(cur);
        if cur_in != prev_in {
            out.push(cross(prev, cur));
        }
        if cur_in {
            out.push(cur);
        }
        (prev, prev_in) = (cur, cur_in);
    }
}

// ---- Output helpers ----

/// Writes `v / 10^decimals` with trailing fractional zeros trimmed (`-1250, 2` -> `-12.5`).
/// Hand-rolled because it runs for every coordinate and `format!` would allocate each time.
fn push_fixed(out: &mut String, v: i64, decimals: u32) {
    let mut digits = [b'0'; 24];
    let mut n = v.unsigned_abs();
    let mut i = digits.len();
    // At least one integer digit and all the fractional ones, least significant first.
    while n > 0 || i > digits.len() - decimals as usize - 1 {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
    }
    let point = digits.len() - decimals as usize;
    let end = digits[point..].iter().rposition(|&d| d != b'0').map_or(point, |k| point + k + 1);
    if v < 0 {
        out.push('-');
    }
    out.extend(digits[i..point].iter().map(|&d| char::from(d)));
    if end > point {
        out.push('.');
        out.extend(digits[point..end].iter().map(|&d| char::from(d)));
    }
}

/// Like [`push_fixed`], with a space first unless the minus sign already separates the numbers.
fn push_separated(out: &mut String, v: i64, decimals: u32) {
    if v >= 0 {
        out.push(' ');
    }
    push_fixed(out, v, decimals);
}

/// A size (stroke width, radius, font size) to three significant digits: these can be far
/// below the coordinate grid when zoomed in.
fn push_size(out: &mut String, v: f64) {
    let decimals = (2 - v.abs().log10().floor() as i32).clamp(0, 6) as usize;
    let s = format!("{v:.decimals$}");
    let s = if s.contains('.') { s.trim_end_matches('0').trim_end_matches('.') } else { &s };
    out.push_str(s);
}

/// XML-escapes untrusted text for element content and double- or single-quoted attributes.
/// Control characters, which XML forbids, are dropped.
fn push_escaped(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '\t' | '\n' | '\r' => out.push(' '),
            c if c.is_control() => {}
            c => crate::highlight::push_escaped_char(out, c),
        }
    }
}

/// A link target, if it is relative or http(s). Escaping alone would let `javascript:` through,
/// and the page's CSP is the only other guard against it.
fn safe_href(href: &str) -> Option<&str> {
    let href = href.trim();
    if href.chars().any(char::is_control) {
        return None;
    }
    match href.find([':', '/', '?', '#']) {
        Some(i) if href.as_bytes()[i] == b':' => {
            let scheme = &href[..i];
            (scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https")).then_some(href)
        }
        _ => Some(href),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn point(lat: f64, lon: f64, label: &str) -> MapPoint {
        MapPoint { lat, lon, label: label.to_string(), href: None, class: "" }
    }

    /// The view rectangle from an svg's `viewBox` attribute.
    fn view_box(svg: &str) -> Rect {
        let v: Vec<f64> = attr_values(svg, "viewBox")[0].split(' ').map(|s| s.parse().unwrap()).collect();
        Rect { x0: v[0], y0: v[1], x1: v[0] + v[2], y1: v[1] + v[3] }
    }

    /// Every value of `name="..."` in `svg`.
    fn attr_values<'a>(svg: &'a str, name: &str) -> Vec<&'a str> {
        let key = format!(" {name}=\"");
        svg.match_indices(&key)
            .map(|(i, _)| {
                let rest = &svg[i + key.len()..];
                &rest[..rest.find('"').unwrap()]
            })
            .collect()
    }

    /// The absolute points of each ring of a path written by `push_ring` (`M x y l dx dy ... z`, repeated).
    fn path_rings(d: &str) -> Vec<Vec<Pt>> {
        let mut rings = Vec::new();
        for ring in d.split('z').filter(|r| !r.is_empty()) {
            let mut pts = Vec::new();
            let (abs, rel) = ring.trim_start_matches('M').split_once('l').unwrap();
            let nums = |s: &str| -> Vec<f64> {
                s.replace('-', " -").split_whitespace().map(|n| n.parse::<f64>().unwrap()).collect()
            };
            let start = nums(abs);
            let (mut x, mut y) = (start[0], start[1]);
            pts.push((x, y));
            for pair in nums(rel).chunks(2) {
                (x, y) = (x + pair[0], y + pair[1]);
                pts.push((x, y));
            }
            rings.push(pts);
        }
        rings
    }

    fn titles(svg: &str) -> Vec<&str> {
        svg.match_indices("<title>").map(|(i, _)| &svg[i + 7..i + 7 + svg[i + 7..].find("</title>").unwrap()]).collect()
    }

    const CAUCASUS: (f64, f64) = (40.0, 46.5);

    fn caucasus_svg() -> String {
        WorldMap::get().render(&[point(CAUCASUS.0, CAUCASUS.1, "Ganja")], 16.0, 800)
    }

    #[test]
    fn decodes_synthetic_topology() {
        // Two arcs sharing the ends (0,0) and (2,2) in quantized units; scale 0.5, translate 10.
        // Ring [0, ~1] walks arc 0 forward then arc 1 reversed, skipping the shared point.
        let json = r#"{"type":"Topology","transform":{"scale":[0.5,0.5],"translate":[10,20]},
            "arcs":[[[0,0],[2,0],[0,2]],[[0,0],[0,2],[2,0]]],
            "objects":{"countries":{"type":"GeometryCollection","geometries":[
              {"type":"Polygon","arcs":[[0,-2]],"properties":{"name":"A"}},
              {"type":null,"properties":{"name":"Nothing"}},
              {"type":"MultiPolygon","arcs":[[[0,-2]],[[1,-1]]],"properties":{"name":"B"}}]}}}"#;
        let map = WorldMap::from_topojson(json).unwrap();
        assert_eq!(map.country_names().collect::<Vec<_>>(), ["A", "B"]);
        let a = &map.countries[0];
        // Arc 0: (10,20) (11,20) (11,21); arc 1: (10,20) (10,21) (11,21); y is -lat.
        let want = [(10.0, -20.0), (11.0, -20.0), (11.0, -21.0), (10.0, -21.0), (10.0, -20.0)];
        assert_eq!(a.rings[0].pts, want);
        assert_eq!(map.country_bbox("A"), Some([10.0, 20.0, 11.0, 21.0]));
        assert_eq!(map.countries[1].rings.len(), 2);
        assert_eq!(map.countries[1].rings[1].pts[..3], [(10.0, -20.0), (10.0, -21.0), (11.0, -21.0)]);
    }

    #[test]
    fn rejects_bad_arc_index() {
        let json = r#"{"type":"Topology","arcs":[[[0,0],[1,0],[0,1]]],
            "objects":{"countries":{"type":"GeometryCollection","geometries":[
              {"type":"Polygon","arcs":[[0,5]],"properties":{"name":"A"}}]}}}"#;
        assert!(WorldMap::from_topojson(json).unwrap_err().contains("out of range"));
    }

    #[test]
    fn known_countries_have_the_right_bbox() {
        let close = |got: [f64; 4], want: [f64; 4]| got.iter().zip(want).all(|(g, w)| (g - w).abs() < 0.2);
        let map = WorldMap::get();
        assert!(map.countries.len() > 200);
        let zw = map.country_bbox("Zimbabwe").unwrap();
        assert!(close(zw, [25.2, -22.4, 33.0, -15.6]), "{zw:?}");
        let az = map.country_bbox("Azerbaijan").unwrap();
        assert!(close(az, [44.8, 38.4, 50.4, 41.9]), "{az:?}");
    }

    #[test]
    fn point_is_drawn_at_its_projected_position_inside_the_view() {
        let svg = caucasus_svg();
        assert_eq!(attr_values(&svg, "cx"), ["46.5"]);
        assert_eq!(attr_values(&svg, "cy"), ["-40"]);
        let v = view_box(&svg);
        assert!(v.x0 < 46.5 && 46.5 < v.x1 && v.y0 < -40.0 && -40.0 < v.y1, "{v:?}");
        assert!((v.width() / v.height() - 1.5).abs() < 0.01, "3:2 aspect: {v:?}");
        assert!(v.width() >= 16.0 - 0.01);
        assert!(svg.contains("<title>Ganja</title></circle>"));
        // A point where Azerbaijan's name would go hides the name; elsewhere the name shows.
        let wide = WorldMap::get().render(&[point(40.34, 47.66, "x")], 16.0, 800);
        assert!(!wide.contains(">Azerbaijan</text>"));
        assert!(WorldMap::get().render(&[point(40.0, 44.5, "x")], 16.0, 800).contains(">Azerbaijan</text>"));
        assert!(svg.starts_with("<svg ") && svg.ends_with("</svg>"));
        assert!(svg.contains(" role=\"img\"") && svg.contains(" aria-label=\"Map of 1 place\""));
    }

    #[test]
    fn zoomed_view_keeps_neighbours_and_drops_far_countries() {
        let zoomed = titles(&caucasus_svg()).into_iter().map(str::to_string).collect::<Vec<_>>();
        for near in ["Azerbaijan", "Armenia", "Georgia", "Iran", "Russia"] {
            assert!(zoomed.iter().any(|t| t == near), "{near} missing from {zoomed:?}");
        }
        assert!(!zoomed.iter().any(|t| t == "Brazil"));
        let world = WorldMap::get().render(&[], 16.0, 800);
        assert!(titles(&world).contains(&"Brazil"));
        assert!(world.contains(" aria-label=\"World map\""));
        assert_eq!(view_box(&world), WORLD_VIEW);
    }

    #[test]
    fn every_zoomed_coordinate_lies_in_the_clip_rectangle() {
        let svg = caucasus_svg();
        let v = view_box(&svg);
        let unit = v.width() / 800.0;
        let clip = v.expand(CLIP_MARGIN_PX * unit + 0.011);
        let ds = attr_values(&svg, "d");
        assert!(ds.len() >= 5);
        let mut n = 0;
        for d in ds {
            for (x, y) in path_rings(d).into_iter().flatten() {
                assert!(clip.x0 <= x && x <= clip.x1 && clip.y0 <= y && y <= clip.y1, "({x}, {y}) outside {clip:?}");
                n += 1;
            }
        }
        assert!(n > 500, "only {n} points");
        // Clipping is what keeps Russia small here: its whole outline would be far bigger.
        let russia = svg.split("<path d=\"").find(|p| p.contains("<title>Russia</title>")).unwrap();
        assert!(russia.len() < 8_000, "Russia path is {} bytes", russia.len());
    }

    #[test]
    fn rings_across_the_antimeridian_do_not_span_the_world() {
        let map = WorldMap::get();
        let ru = map.country_bbox("Russia").unwrap();
        assert!(ru[0] == -180.0 && ru[2] == 180.0 && (ru[1] - 41.2).abs() < 0.3, "{ru:?}");
        // Drawn as stored, Russia's and Fiji's rings would jump 360 degrees and back.
        let world = map.render(&[], 10.0, 960);
        for d in attr_values(&world, "d") {
            for pts in path_rings(d) {
                assert!(pts.windows(2).all(|w| (w[1].0 - w[0].0).abs() < 90.0), "long edge in {d:.80}");
            }
        }
        let ring = vec![(170.0, -60.0), (180.0, -60.0), (-170.0, -61.0), (-180.0, -62.0), (170.0, -62.0)];
        let parts = split_at_antimeridian(ring);
        assert_eq!(parts[0].pts, [(170.0, -60.0), (180.0, -60.0), (190.0, -61.0), (180.0, -62.0), (170.0, -62.0)]);
        assert_eq!(parts[1].pts[2], (-170.0, -61.0));
        let pole = vec![(-180.0, 80.0), (0.0, 70.0), (180.0, 80.0), (180.0, 90.0), (-180.0, 90.0)];
        assert_eq!(split_at_antimeridian(pole.clone())[0].pts, pole);
    }

    #[test]
    fn labels_and_hrefs_are_escaped() {
        let mut p = point(33.5, 36.3, "<script>alert('x')</script> & \"q\"");
        p.href = Some("/incident?id=1&x=\"><script>".to_string());
        p.class = "incident";
        let svg = WorldMap::get().render(&[p], 10.0, 600);
        assert!(svg.contains("<title>&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;</title>"));
        assert!(svg.contains("<a href=\"/incident?id=1&amp;x=&quot;&gt;&lt;script&gt;\">"));
        assert!(svg.contains("class=\"map-point incident\""));
        assert!(!svg.contains("<script"));
    }

    #[test]
    fn unsafe_hrefs_are_dropped() {
        assert_eq!(safe_href("/place/Aleppo"), Some("/place/Aleppo"));
        assert_eq!(safe_href("https://example.org/a:b"), Some("https://example.org/a:b"));
        assert_eq!(safe_href("?q=a:b"), Some("?q=a:b"));
        assert_eq!(safe_href(" JavaScript:alert(1)"), None);
        assert_eq!(safe_href("java\tscript:alert(1)"), None);
        assert_eq!(safe_href("data:text/html,x"), None);
        let mut p = point(33.5, 36.3, "x");
        p.href = Some("javascript:alert(1)".into());
        assert!(!WorldMap::get().render(&[p], 10.0, 600).contains("<a "));
    }

    #[test]
    fn output_has_no_style_and_stays_small() {
        let zoomed = caucasus_svg();
        let world = WorldMap::get().render(&[], 10.0, 960);
        for svg in [&zoomed, &world] {
            assert!(!svg.contains("style="));
            assert!(!svg.contains("<script"));
        }
        assert!(zoomed.len() < 60_000, "zoomed map is {} bytes", zoomed.len());
        assert!(world.len() < 250_000, "world map is {} bytes", world.len());
        let huge = WorldMap::get().render(&[], 10.0, 4000);
        assert!(huge.len() < 250_000, "4000 px world map is {} bytes", huge.len());
    }

    #[test]
    fn big_visible_countries_get_escaped_name_labels() {
        let world = WorldMap::get().render(&[], 10.0, 960);
        let labels: Vec<&str> = world
            .match_indices("<text class=\"map-label\"")
            .map(|(i, _)| {
                let s = &world[i..];
                &s[s.find('>').unwrap() + 1..s.find("</text>").unwrap()]
            })
            .collect();
        assert!(labels.contains(&"Russia") && labels.contains(&"Brazil"), "{labels:?}");
        assert!(!labels.contains(&"Luxembourg"));
        let mut out = String::new();
        push_escaped(&mut out, "Côte d'Ivoire");
        assert_eq!(out, "Côte d&#39;Ivoire");
    }

    #[test]
    fn view_is_clamped_to_the_world() {
        let far_east = [point(64.7, 177.5, "Anadyr")];
        let v = fit_view(&far_east.iter().collect::<Vec<_>>(), 20.0);
        assert!(v.x1 <= 180.0 && (v.width() - 20.0).abs() < 1e-9, "{v:?}");
        let spread = [point(-34.6, -58.4, "Buenos Aires"), point(64.1, 177.5, "Anadyr")];
        let v = fit_view(&spread.iter().collect::<Vec<_>>(), 20.0);
        assert!(WORLD.contains(&v), "{v:?}");
        // A point outside the default crop stays in view.
        let south = [point(-77.8, 166.7, "McMurdo")];
        let v = fit_view(&south.iter().collect::<Vec<_>>(), 10.0);
        assert!(v.y0 <= 77.8 && 77.8 <= v.y1 && WORLD.contains(&v), "{v:?}");
        // Impossible points are ignored, leaving the world view.
        let bad = WorldMap::get().render(&[point(f64::NAN, 1.0, "x"), point(95.0, 1.0, "y")], 10.0, 600);
        assert_eq!(view_box(&bad), WORLD_VIEW);
    }

    #[test]
    fn numbers_are_short() {
        let fixed = |v, d| {
            let mut s = String::new();
            push_fixed(&mut s, v, d);
            s
        };
        assert_eq!(fixed(-1250, 2), "-12.5");
        assert_eq!(fixed(-5, 2), "-0.05");
        assert_eq!(fixed(0, 2), "0");
        assert_eq!(fixed(4650, 2), "46.5");
        assert_eq!(fixed(7, 0), "7");
        assert_eq!(fixed(-18000, 2), "-180");
        assert_eq!(fixed(12305, 2), "123.05");
        assert_eq!(fixed(5, 1), "0.5");
        let size = |v| {
            let mut s = String::new();
            push_size(&mut s, v);
            s
        };
        assert_eq!(size(0.012345), "0.0123");
        assert_eq!(size(2.0), "2");
        assert_eq!(size(123.456), "123");
    }
}
