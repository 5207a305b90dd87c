//! Visible text of an HTML page: tags dropped, block elements turned into line breaks,
//! scripts, styles and other invisible elements skipped, character references decoded.
//! One linear pass, no tree: the fallback when the main-text reader (`html`) finds no
//! article, and the formatter of the comments it sets apart. Boilerplate removal is
//! `html`'s job.

/// The visible text of a page and its `<title>`.
#[derive(Debug, Default, PartialEq)]
pub struct Page {
    pub text: String,
    pub title: Option<String>,
}

/// Elements whose content is never shown.
const HIDDEN: [&str; 7] = ["script", "style", "noscript", "template", "svg", "head", "iframe"];
/// Elements that start a new line of text.
const BLOCKS: [&str; 24] = [
    "p",
    "div",
    "br",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "ul",
    "ol",
    "tr",
    "td",
    "th",
    "table",
    "section",
    "article",
    "header",
    "footer",
    "blockquote",
    "figcaption",
    "hr",
    "title",
];

pub fn html_to_text(html: &str) -> Page {
    let mut page = Page { title: title(html), ..Page::default() };
    let mut out = String::with_capacity(html.len() / 2);
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        push_text(&mut out, &rest[..lt]);
        rest = &rest[lt..];
        if let Some(body) = rest.strip_prefix("<!--") {
            rest = body.find("-->").map_or("", |e| &body[e + 3..]);
            continue;
        }
        let Some(gt) = rest.find('>') else {
            rest = "";
            break;
        };
        let tag = &rest[1..gt];
        rest = &rest[gt + 1..];
        let closing = tag.starts_with('/');
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .map(|c| c.to_ascii_lowercase())
            .collect();
        if !closing && HIDDEN.contains(&name.as_str()) && !tag.ends_with('/') {
            let close = format!("</{name}");
            rest = match find_ci(rest, &close) {
                Some(e) => rest[e..].find('>').map_or("", |g| &rest[e + g + 1..]),
                None => "",
            };
            continue;
        }
        if BLOCKS.contains(&name.as_str()) && !out.ends_with('\n') && !out.is_empty() {
            out.push_str(if matches!(name.as_str(), "p" | "div" | "article" | "section" | "h1" | "h2" | "h3") {
                "\n\n"
            } else {
                "\n"
            });
        }
    }
    push_text(&mut out, rest);
    page.text = out.trim().to_string();
    page
}

fn title(html: &str) -> Option<String> {
    let open = find_ci(html, "<title")?;
    let body = &html[open..];
    let start = body.find('>')? + 1;
    let end = find_ci(body, "</title").filter(|&e| e >= start)?;
    let mut title = String::new();
    push_text(&mut title, &body[start..end]);
    Some(title.trim().to_string()).filter(|t| !t.is_empty())
}

fn find_ci(hay: &str, needle: &str) -> Option<usize> {
    let (h, n) = (hay.as_bytes(), needle.as_bytes());
    h.windows(n.len()).position(|w| w.eq_ignore_ascii_case(n))
}

/// Appends text with runs of whitespace folded to one space and references decoded.
fn push_text(out: &mut String, raw: &str) {
    let mut rest = raw;
    while !rest.is_empty() {
        let c = rest.chars().next().unwrap_or(' ');
        if c.is_whitespace() {
            if !out.is_empty() && !out.ends_with([' ', '\n']) {
                out.push(' ');
            }
            rest = &rest[c.len_utf8()..];
        } else if c == '&' {
            match decode_reference(rest) {
                Some((ch, len)) => {
                    out.push(ch);
                    rest = &rest[len..];
                }
                None => {
                    out.push('&');
                    rest = &rest[1..];
                }
            }
        } else {
            out.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
}

/// A character reference at the start of `s`: the character and the bytes it took.
fn decode_reference(s: &str) -> Option<(char, usize)> {
    let end = s[..s.len().min(12)].find(';')?;
    let body = &s[1..end];
    let ch = if let Some(num) = body.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse().ok()?,
        };
        char::from_u32(code).unwrap_or('\u{fffd}')
    } else {
        match body {
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "quot" => '"',
            "apos" => '\'',
            "nbsp" => '\u{a0}',
            "ndash" => '\u{2013}',
            "mdash" => '\u{2014}',
            "lsquo" => '\u{2018}',
            "rsquo" => '\u{2019}',
            "ldquo" => '\u{201c}',
            "rdquo" => '\u{201d}',
            "hellip" => '\u{2026}',
            "laquo" => '\u{ab}',
            "raquo" => '\u{bb}',
            _ => return None,
        }
    };
    Some((ch, end + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn visible_text_only() {
        let page = html_to_text(
            "<html><head><title>Blast &amp; fire</title><style>p{}</style></head><body>\
             <p>At least 27 people\nwere killed.</p><script>var x = '<p>no</p>';</script>\
             <p>Officials&nbsp;said &#8220;so&#x201d;.<!-- hidden --></p></body></html>",
        );
        assert_eq!(page.title.as_deref(), Some("Blast & fire"));
        assert_eq!(page.text, "At least 27 people were killed.\n\nOfficials\u{a0}said \u{201c}so\u{201d}.");
    }

    #[test]
    fn broken_markup_does_not_panic() {
        assert_eq!(html_to_text("<p>Five died <b>in").text, "Five died in");
        assert_eq!(html_to_text("<script>never closed").text, "");
        assert_eq!(html_to_text("a &bogus; b &#xZZ; c").text, "a &bogus; b &#xZZ; c");
    }
}
