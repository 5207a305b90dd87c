//! A document's text as HTML, with every claim's figure marked by kind and the words its
//! fields came from (place, time, source, perpetrator) underlined.
//!
//! The text is untrusted: everything between marks goes through [`escape`]. Spans are byte
//! offsets from the extractor; one that is out of range or cuts a character is left
//! unmarked rather than trusted. Marks never nest: a figure wins over a field, and of two
//! overlapping fields the first wins.

use tally_ledger::query::StoredClaim;

/// Escapes text for HTML content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 16);
    s.chars().for_each(|c| push_escaped_char(&mut out, c));
    out
}

/// Pushes one character, escaped for HTML or XML content and quoted attributes.
pub fn push_escaped_char(out: &mut String, c: char) {
    match c {
        '&' => out.push_str("&amp;"),
        '<' => out.push_str("&lt;"),
        '>' => out.push_str("&gt;"),
        '"' => out.push_str("&quot;"),
        '\'' => out.push_str("&#39;"),
        c => out.push(c),
    }
}

struct Mark {
    start: usize,
    end: usize,
    open: String,
    close: &'static str,
}

/// The text with its claims marked; each figure links to `#claim-{id}`.
pub fn highlight(text: &str, claims: &[StoredClaim]) -> String {
    let valid = |[s, e]: [usize; 2]| s < e && e <= text.len() && text.is_char_boundary(s) && text.is_char_boundary(e);
    let mut marks: Vec<Mark> = Vec::new();
    let mut add = |mark: Mark| {
        if valid([mark.start, mark.end]) && !marks.iter().any(|m| m.start < mark.end && mark.start < m.end) {
            marks.push(mark);
        }
    };
    for (n, sc) in claims.iter().enumerate() {
        let c = &sc.claim;
        let kind = c.kind.map_or("answer", |k| k.as_str());
        let title = format!("claim {}: {kind}, {}", n + 1, c.stance.as_str());
        add(Mark {
            start: c.span[0],
            end: c.span[1],
            open: format!(
                "<a class=\"claim k-{kind}\" id=\"span-{id}\" href=\"#claim-{id}\" title=\"{}\">",
                escape(&title),
                id = sc.id
            ),
            close: "</a>",
        });
    }
    for (n, sc) in claims.iter().enumerate() {
        let c = &sc.claim;
        let fields = [
            ("place", c.place.as_ref().map(|p| p.span)),
            ("time", c.time.as_ref().map(|t| t.span)),
            ("source", c.source.as_ref().map(|s| s.span)),
            ("perpetrator", c.perpetrator.as_ref().map(|p| p.span)),
        ];
        for (name, span) in fields {
            let Some([start, end]) = span else { continue };
            add(Mark {
                start,
                end,
                open: format!("<span class=\"field f-{name}\" title=\"{name} of claim {}\">", n + 1),
                close: "</span>",
            });
        }
    }
    marks.sort_by_key(|m| m.start);
    let mut out = String::with_capacity(text.len() + marks.len() * 80);
    let mut at = 0;
    for m in &marks {
        out.push_str(&escape(&text[at..m.start]));
        out.push_str(&m.open);
        out.push_str(&escape(&text[m.start..m.end]));
        out.push_str(m.close);
        at = m.end;
    }
    out.push_str(&escape(&text[at..]));
    out
}

/// A search snippet as HTML: escaped, with the ledger's match marks turned into `<mark>`.
pub fn snippet(s: &str) -> String {
    let mut out = String::new();
    let mut open = false;
    for part in escape(s).split_inclusive([tally_ledger::search::MATCH_START, tally_ledger::search::MATCH_END]) {
        let (words, marker) = match part.chars().last() {
            Some(c @ (tally_ledger::search::MATCH_START | tally_ledger::search::MATCH_END)) => {
                (&part[..part.len() - c.len_utf8()], Some(c))
            }
            _ => (part, None),
        };
        out.push_str(words);
        match marker {
            Some(tally_ledger::search::MATCH_START) if !open => {
                out.push_str("<mark>");
                open = true;
            }
            Some(tally_ledger::search::MATCH_END) if open => {
                out.push_str("</mark>");
                open = false;
            }
            _ => {}
        }
    }
    if open {
        out.push_str("</mark>");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use tally_core::*;

    fn claim(id: i64, span: [usize; 2], place: Option<[usize; 2]>) -> StoredClaim {
        let json = serde_json::json!({
            "doc": "d", "span": span, "sentence": "", "sentence_span": [0, 0], "kind": "killed",
            "count": {"text": "7", "value": 7, "low": 7, "high": 7, "qualifier": "exact"},
            "victims": {"text": "", "class": "unknown", "groups": []}, "cumulative": false, "ambiguous": false,
            "part_of": null, "time": null, "perpetrator": null, "source": null, "stance": "asserted", "why": [],
            "place": place.map(|s| serde_json::json!({"text": "x", "span": s, "name": "x", "geonames_id": null,
                "country": "XX", "admin1": null, "lat": null, "lon": null, "precision": "town"})),
        });
        StoredClaim { id, incident: None, claim: serde_json::from_value::<Claim>(json).unwrap() }
    }

    #[test]
    fn figures_and_fields_are_marked_and_the_rest_escaped() {
        let text = "<b>7 killed</b> in Town & <script>x</script>";
        let html = highlight(text, &[claim(5, [3, 4], Some([19, 23]))]);
        assert_eq!(
            html,
            "&lt;b&gt;<a class=\"claim k-killed\" id=\"span-5\" href=\"#claim-5\" title=\"claim 1: killed, asserted\">7</a> \
             killed&lt;/b&gt; in <span class=\"field f-place\" title=\"place of claim 1\">Town</span> &amp; \
             &lt;script&gt;x&lt;/script&gt;"
        );
    }

    #[test]
    fn bad_and_overlapping_spans_are_left_unmarked() {
        let text = "Şəhər 12 killed";
        // Out of range, inside a character, and a field overlapping the figure.
        let html =
            highlight(text, &[claim(1, [9, 99], None), claim(2, [1, 3], None), claim(3, [9, 11], Some([10, 14]))]);
        assert_eq!(html.matches("<a ").count(), 1);
        assert!(!html.contains("<span"));
        assert!(html.starts_with("Şəhər "));
    }

    #[test]
    fn snippets_mark_matches_and_escape_the_rest() {
        let s = format!("a <i>{}Ganja{} shelled", tally_ledger::search::MATCH_START, tally_ledger::search::MATCH_END);
        assert_eq!(snippet(&s), "a &lt;i&gt;<mark>Ganja</mark> shelled");
        assert_eq!(snippet(&format!("{}x", tally_ledger::search::MATCH_START)), "<mark>x</mark>");
    }
}
