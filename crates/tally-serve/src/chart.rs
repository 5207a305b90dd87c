//! Inline SVG charts, drawn on the server: claims per kind over time, and an incident's
//! figures on one scale. No script and no `style` attribute (the CSP forbids both); every
//! label is escaped, and every mark carries a `<title>` so that it can be read aloud.

use crate::highlight::escape;

/// The kinds in the order charts and legends show them, with their colours.
pub const KINDS: [(&str, &str); 6] = [
    ("killed", "#b2182b"),
    ("injured", "#ef8a62"),
    ("missing", "#8c8c8c"),
    ("captured", "#5aae61"),
    ("displaced", "#2166ac"),
    ("damaged", "#7b3294"),
];

fn colour(kind: &str) -> &'static str {
    KINDS.iter().find(|(k, _)| *k == kind).map_or("#444", |(_, c)| c)
}

/// Stacked bars of claims per month (`YYYY-MM`, sorted) and kind, on a time axis with no
/// gaps. A few stray dates years away from the rest (a report recalling 1988) would squash
/// every bar: the months holding the first and last 0.5% of claims are left out, and the
/// chart says how many claims that leaves out.
pub fn timeline(rows: &[(String, String, usize)]) -> String {
    let (months, left_out) = axis_months(rows);
    if months.is_empty() {
        return "<p>No dated claims yet.</p>".into();
    }
    let months: Vec<&str> = months.iter().map(String::as_str).collect();
    let total = |m: &str| rows.iter().filter(|r| r.0 == m).map(|r| r.2).sum::<usize>();
    let max = months.iter().map(|m| total(m)).max().unwrap_or(1).max(1);
    let (w, h, left, bottom) = (900.0, 220.0, 40.0, 24.0);
    let step = (w - left) / months.len() as f64;
    let bar = (step * 0.8).max(1.0);
    let y = |n: f64| (h - bottom) - n / max as f64 * (h - bottom - 10.0);
    let mut svg = format!(
        "<svg class=\"chart\" viewBox=\"0 0 {w} {h}\" role=\"img\" aria-label=\"Claims per kind and month, {} to {}; at most {max} in a month\">",
        escape(months[0]),
        escape(months[months.len() - 1])
    );
    svg += &format!(
        "<text x=\"{}\" y=\"{}\" font-size=\"11\" text-anchor=\"end\">{max}</text><line x1=\"{left}\" x2=\"{w}\" y1=\"{}\" y2=\"{}\" stroke=\"#ccc\"/>",
        left - 4.0, y(max as f64) + 4.0, y(max as f64), y(max as f64)
    );
    for (i, m) in months.iter().enumerate() {
        let x = left + i as f64 * step;
        let mut base = 0usize;
        for (kind, _) in KINDS {
            let Some(n) = rows.iter().find(|r| r.0 == *m && r.1 == kind).map(|r| r.2) else { continue };
            let (top, bottom_y) = (y((base + n) as f64), y(base as f64));
            svg += &format!(
                "<rect x=\"{x:.1}\" y=\"{top:.1}\" width=\"{bar:.1}\" height=\"{:.1}\" fill=\"{}\"><title>{}: {n} {kind}</title></rect>",
                (bottom_y - top).max(0.5),
                colour(kind),
                escape(m)
            );
            base += n;
        }
        // A year label under each January, and under the first month.
        if i == 0 || m.ends_with("-01") {
            svg += &format!(
                "<text x=\"{x:.1}\" y=\"{}\" font-size=\"11\">{}</text>",
                h - 6.0,
                escape(&m[..4.min(m.len())])
            );
        }
    }
    svg += &format!("<line x1=\"{left}\" x2=\"{w}\" y1=\"{0}\" y2=\"{0}\" stroke=\"#333\"/></svg>", h - bottom);
    if left_out > 0 {
        svg += &format!(
            "<p class=\"muted\">{left_out} claims dated outside {} – {} are not drawn.</p>",
            months[0],
            months[months.len() - 1]
        );
    }
    svg + &legend()
}

/// Every month from the one where the first 0.5% of claims ends to the one where the last
/// 0.5% begins, and how many claims fall outside.
fn axis_months(rows: &[(String, String, usize)]) -> (Vec<String>, usize) {
    let mut per_month: Vec<(&str, usize)> = Vec::new();
    for (m, _, n) in rows {
        match per_month.last_mut() {
            Some((last, total)) if *last == m.as_str() => *total += n,
            _ => per_month.push((m, *n)),
        }
    }
    let all: usize = per_month.iter().map(|p| p.1).sum();
    let tail = all / 200;
    let (mut first, mut last) = (0, per_month.len());
    let mut cut = 0;
    while first < last && cut + per_month[first].1 <= tail {
        cut += per_month[first].1;
        first += 1;
    }
    let mut cut_end = 0;
    while last > first && cut_end + per_month[last - 1].1 <= tail {
        cut_end += per_month[last - 1].1;
        last -= 1;
    }
    let Some(start) = per_month.get(first).and_then(|p| month_number(p.0)) else { return (Vec::new(), all) };
    let end = month_number(per_month[last - 1].0).unwrap_or(start);
    let months = (start..=end).map(|n| format!("{:04}-{:02}", n / 12, n % 12 + 1)).collect();
    (months, cut + cut_end)
}

fn month_number(m: &str) -> Option<i64> {
    let (y, mo) = m.split_once('-')?;
    Some(y.parse::<i64>().ok()? * 12 + mo.parse::<i64>().ok()? - 1)
}

/// The kinds and their colours, as HTML.
pub fn legend() -> String {
    let items: String = KINDS
        .iter()
        .map(|(k, c)| {
            format!("<li><svg width=\"12\" height=\"12\" aria-hidden=\"true\"><rect width=\"12\" height=\"12\" fill=\"{c}\"/></svg> {k}</li>")
        })
        .collect();
    format!("<ul class=\"legend\">{items}</ul>")
}

/// One source's figure on a range chart.
pub struct RangeMark {
    pub label: String,
    pub low: Option<u64>,
    pub high: Option<u64>,
    /// `counted`, `superseded`, `subset`, `disputed` or `denied`.
    pub class: &'static str,
}

/// The reconciled low–high band with its best, and under it each source's figure: a dot for
/// a point, a bar for an interval, an arrow for an open-ended "at least".
pub fn range(kind: &str, low: Option<u64>, best: Option<u64>, high: Option<u64>, marks: &[RangeMark]) -> String {
    let top = marks.iter().flat_map(|m| [m.low, m.high]).chain([low, best, high]).flatten().max().unwrap_or(0);
    let scale_max = ((top as f64) * 1.15).max(1.0);
    let (w, left, row) = (760.0, 200.0, 18.0);
    let x = |n: u64| left + (n as f64 / scale_max) * (w - left - 10.0);
    let h = 40.0 + row * marks.len() as f64 + 20.0;
    let mut svg = format!(
        "<svg class=\"range\" viewBox=\"0 0 {w} {h}\" role=\"img\" aria-label=\"{} figures: low {}, best {}, high {}; {} source figures\">",
        escape(kind),
        show(low),
        show(best),
        show(high),
        marks.len()
    );
    if let (Some(l), Some(hi)) = (low, high.or(low)) {
        svg += &format!(
            "<rect class=\"band\" x=\"{:.1}\" y=\"8\" width=\"{:.1}\" height=\"16\" fill=\"#d9e6f2\" stroke=\"#6b8fb3\"><title>low {l} to high {}</title></rect>",
            x(l),
            (x(hi) - x(l)).max(2.0),
            show(high)
        );
    }
    if let Some(b) = best {
        svg += &format!(
            "<line class=\"best\" x1=\"{0:.1}\" x2=\"{0:.1}\" y1=\"4\" y2=\"28\" stroke=\"#000\" stroke-width=\"3\"><title>best {b}</title></line>",
            x(b)
        );
    }
    svg += &format!("<text x=\"{}\" y=\"20\" font-size=\"12\" text-anchor=\"end\">reconciled</text>", left - 8.0);
    for (i, m) in marks.iter().enumerate() {
        let cy = 44.0 + row * i as f64;
        let label = escape(&truncate(&m.label, 30));
        svg += &format!(
            "<text x=\"{}\" y=\"{:.1}\" font-size=\"11\" text-anchor=\"end\">{label}</text>",
            left - 8.0,
            cy + 4.0
        );
        let fill = mark_colour(m.class);
        let title = format!("{}: {} ({})", label, interval(m.low, m.high), m.class);
        match (m.low, m.high) {
            (Some(l), Some(hi)) if hi > l => {
                svg += &format!(
                    "<rect class=\"mark {}\" x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"8\" fill=\"{fill}\"><title>{title}</title></rect>",
                    m.class, x(l), cy - 4.0, x(hi) - x(l)
                );
            }
            (Some(l), None) => {
                svg += &format!(
                    "<path class=\"mark {}\" d=\"M{:.1} {cy:.1}H{:.1}l-6 -5v10l6 -5\" stroke=\"{fill}\" stroke-width=\"3\" fill=\"{fill}\"><title>{title}</title></path>",
                    m.class, x(l), w - 12.0
                );
            }
            (Some(l), _) => {
                svg += &format!(
                    "<circle class=\"mark {}\" cx=\"{:.1}\" cy=\"{cy:.1}\" r=\"5\" fill=\"{fill}\"><title>{title}</title></circle>",
                    m.class, x(l)
                );
            }
            _ => {}
        }
    }
    let axis_y = h - 14.0;
    svg += &format!("<line x1=\"{left}\" x2=\"{}\" y1=\"{axis_y}\" y2=\"{axis_y}\" stroke=\"#333\"/>", w - 10.0);
    for t in ticks(scale_max) {
        svg += &format!("<text x=\"{:.1}\" y=\"{}\" font-size=\"10\" text-anchor=\"middle\">{t}</text>", x(t), h - 2.0);
    }
    svg + "</svg>"
}

fn mark_colour(class: &str) -> &'static str {
    match class {
        "counted" => "#1b6ca8",
        "superseded" | "subset" => "#9bb7cf",
        "disputed" => "#d08c00",
        _ => "#b2182b",
    }
}

/// A figure's interval in words: `70`, `20–30`, `at least 70`.
pub fn interval(low: Option<u64>, high: Option<u64>) -> String {
    match (low, high) {
        (Some(l), Some(h)) if l == h => l.to_string(),
        (Some(l), Some(h)) => format!("{l}–{h}"),
        (Some(l), None) => format!("at least {l}"),
        (None, Some(h)) => format!("at most {h}"),
        (None, None) => "no figure".into(),
    }
}

pub fn show(n: Option<u64>) -> String {
    n.map_or_else(|| "–".into(), |n| n.to_string())
}

fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        s.chars().take(max - 1).collect::<String>() + "…"
    }
}

/// Round tick values from 0 to about `max`.
fn ticks(max: f64) -> Vec<u64> {
    let raw = max / 4.0;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0].iter().map(|m| m * mag).find(|s| *s >= raw).unwrap_or(mag * 10.0).max(1.0);
    (0..).map(|i| (i as f64 * step) as u64).take_while(|t| (*t as f64) <= max).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timeline_stacks_kinds_per_month() {
        let rows = vec![
            ("2020-09".to_string(), "killed".to_string(), 30),
            ("2020-09".to_string(), "injured".to_string(), 10),
            ("2020-10".to_string(), "killed".to_string(), 20),
        ];
        let svg = timeline(&rows);
        assert_eq!(svg.matches("<rect x=").count(), 3);
        assert!(svg.contains("<title>2020-09: 30 killed</title>"));
        assert!(svg.contains("at most 40 in a month"));
        assert!(!svg.contains("style="));
    }

    #[test]
    fn the_axis_has_no_gaps_and_leaves_stray_dates_out() {
        let mut rows = vec![("1988-01".to_string(), "killed".to_string(), 2)];
        rows.extend((1..=12).map(|m| (format!("2016-{m:02}"), "killed".to_string(), if m == 6 { 0 } else { 100 })));
        rows.retain(|r| r.2 > 0);
        let (months, left_out) = axis_months(&rows);
        assert_eq!((months.len(), months[0].as_str(), months[5].as_str()), (12, "2016-01", "2016-06"));
        assert_eq!(left_out, 2);
        assert!(timeline(&rows).contains("2 claims dated outside 2016-01 – 2016-12 are not drawn"));
    }

    #[test]
    fn range_draws_points_intervals_and_open_figures() {
        let marks = [
            RangeMark { label: "Ministry <b>".into(), low: Some(10), high: Some(10), class: "counted" },
            RangeMark { label: "Monitor".into(), low: Some(8), high: Some(12), class: "counted" },
            RangeMark { label: "Army".into(), low: Some(20), high: None, class: "denied" },
        ];
        let svg = range("killed", Some(8), Some(10), Some(20), &marks);
        assert!(svg.contains("<circle class=\"mark counted\""));
        assert!(svg.contains("<rect class=\"mark counted\""));
        assert!(svg.contains("<path class=\"mark denied\""));
        assert!(svg.contains("Ministry &lt;b&gt;"));
        assert!(svg.contains("<title>best 10</title>"));
        assert_eq!(ticks(23.0), vec![0, 10, 20]);
        assert_eq!(interval(Some(20), None), "at least 20");
    }
}
