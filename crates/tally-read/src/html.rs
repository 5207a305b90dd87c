//! A web page's article: its main text without navigation, ads, share widgets, comment
//! forms and related-article lists; readers' comments kept apart and marked; and its
//! metadata (title, publication date, author, outlet) from JSON-LD, `<meta>` and `<time>`.
//!
//! Main text is `dom_smoothie`, a port of Firefox's Readability (chosen over growing the
//! hand-written reducer in `visible`, see docs/performance.md: it is what reader views use on
//! real, messy pages, and at ~60 MB/s of HTML it is not the bottleneck). Before the page is
//! parsed, script and style bodies are cut out by a linear scan (`strip_scripts`), so a
//! 50 MB inline script costs one `memchr` pass, not a 50 MB DOM text node.
//!
//! The text is a function of the page's bytes (and of this reader's version): the same page
//! always gives the same text, and claims' byte spans point into that stored text.
//! Comments follow the article, one paragraph each, and `comments` holds their byte ranges.

use crate::visible::html_to_text;

/// What a page yields.
#[derive(Debug, Default, PartialEq)]
pub struct Article {
    pub text: String,
    pub title: Option<String>,
    /// `YYYY-MM-DD`.
    pub published: Option<String>,
    pub author: Option<String>,
    pub outlet: Option<String>,
    /// `<html lang>`, as declared (often a template default: detection decides).
    pub lang: Option<String>,
    /// Byte ranges of `text` holding readers' comments.
    pub comments: Vec<[usize; 2]>,
    /// The page had no article that Readability could find: `text` is all visible text.
    pub fallback: bool,
}

impl Article {
    /// Gives `doc` the page's text and comments, and the metadata the input did not already give.
    pub fn fill(self, doc: &mut tally_core::Document) {
        doc.text = self.text;
        doc.title = doc.title.take().or(self.title);
        doc.published = doc.published.take().or(self.published);
        doc.author = doc.author.take().or(self.author);
        doc.outlet = doc.outlet.take().or(self.outlet);
        doc.comments = self.comments;
    }
}

/// Elements readers' comments sit in. Their text is kept, after the article's.
const COMMENT_BODIES: &str = ".comment-content, .comment-text, .comment__text, .comment-body, .comment__body, \
     [itemprop=comment] [itemprop=text], .fyre-comment";
/// Comment sections, forms and widgets: removed before the article is looked for.
const COMMENT_AREAS: &str = "#comments, .comments, .comments-area, #disqus_thread, .comment-list, .commentlist, \
     #respond, .comment-respond, form.comment-form, [itemprop=comment]";

/// Page parts that are never the article, dropped before Readability looks (which, on a
/// short page, may otherwise take the whole body). Not `form`: ASP.NET pages wrap the
/// whole body in one.
const NEVER_ARTICLE: &str = "nav, aside, footer, [role=navigation], [role=complementary], [role=contentinfo]";

/// The article of `html` (already decoded). `url` is the page's address when known.
pub fn article(html: &str, url: Option<&str>) -> Article {
    let stripped = strip_scripts(html);
    let doc = dom_query::Document::from(stripped.as_str());
    let lang = doc.select("html").attr("lang").map(|l| l.trim().to_string()).filter(|l| !l.is_empty());
    let time = first_attr(&doc, "article time[datetime], time[itemprop=datePublished], time[datetime]", "datetime")
        .or_else(|| first_attr(&doc, "[itemprop=datePublished]", "content"));
    let ld = json_ld(&doc);
    let comments = comment_texts(&doc);
    doc.select(COMMENT_AREAS).remove();
    doc.select(NEVER_ARTICLE).remove();
    let cfg = dom_smoothie::Config { text_mode: dom_smoothie::TextMode::Formatted, ..Default::default() };
    // Readability rejects relative URLs; a bad one only costs link resolution.
    let url = url.filter(|u| u.starts_with("http://") || u.starts_with("https://"));
    let parsed = dom_smoothie::Readability::with_document(doc, url, Some(cfg.clone()))
        .or_else(|_| dom_smoothie::Readability::with_document(dom_query::Document::from(""), None, Some(cfg)))
        .ok()
        .and_then(|mut r| r.parse().ok());
    let mut out = Article { lang, ..Article::default() };
    match parsed {
        Some(a) if !a.text_content.trim().is_empty() => {
            out.text = tidy(&a.text_content);
            out.title = Some(a.title.trim().to_string()).filter(|t| !t.is_empty());
            out.author = a.byline.map(|b| b.trim().to_string()).filter(|b| !b.is_empty());
            out.outlet = a.site_name.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
            out.published = a.published_time.as_deref().and_then(iso_date);
        }
        _ => {
            // No article found (a short page, a list): the visible text, less the parts
            // that are never the article (parsed again: Readability consumed the tree).
            let doc = dom_query::Document::from(stripped.as_str());
            doc.select(COMMENT_AREAS).remove();
            doc.select(NEVER_ARTICLE).remove();
            let page = html_to_text(&doc.html());
            out.text = page.text;
            out.title = page.title;
            out.fallback = true;
        }
    }
    // JSON-LD is the page's own structured account: it wins over what Readability inferred.
    out.published = ld.published.as_deref().and_then(iso_date).or(out.published);
    out.author = ld.author.or(out.author);
    out.outlet = ld.publisher.or(out.outlet);
    out.title = out.title.or(ld.headline);
    if out.published.is_none() {
        out.published = time.as_deref().and_then(iso_date);
    }
    for c in comments {
        if !out.text.is_empty() {
            out.text.push_str("\n\n");
        }
        let start = out.text.len();
        out.text.push_str(&c);
        out.comments.push([start, out.text.len()]);
    }
    out
}

/// What a page's JSON-LD says of its article (`NewsArticle`, `Article`, `ReportageNewsArticle`
/// …, also inside `@graph` arrays, which Readability's own reading skips).
#[derive(Debug, Default, PartialEq)]
struct LinkedData {
    headline: Option<String>,
    published: Option<String>,
    author: Option<String>,
    publisher: Option<String>,
}

fn json_ld(doc: &dom_query::Document) -> LinkedData {
    for script in doc.select("script[type=\"application/ld+json\"]").iter() {
        let text = script.text();
        let text = text.trim().trim_start_matches("<![CDATA[").trim_end_matches("]]>");
        let Ok(value) = serde_json::from_str::<serde_json::Value>(text) else { continue };
        if let Some(article) = find_article(&value, 0) {
            let name = |v: &serde_json::Value| match v {
                serde_json::Value::String(s) => Some(s.trim().to_string()),
                serde_json::Value::Object(o) => o.get("name").and_then(|n| n.as_str()).map(|s| s.trim().to_string()),
                _ => None,
            };
            let author = match article.get("author") {
                Some(serde_json::Value::Array(a)) => {
                    Some(a.iter().filter_map(name).collect::<Vec<_>>().join(", ")).filter(|s| !s.is_empty())
                }
                Some(v) => name(v),
                None => None,
            };
            let string = |k: &str| article.get(k).and_then(|v| v.as_str()).map(|s| s.trim().to_string());
            return LinkedData {
                headline: string("headline").filter(|s| !s.is_empty()),
                published: string("datePublished"),
                author: author.filter(|s| !s.is_empty()),
                publisher: article.get("publisher").and_then(name).filter(|s| !s.is_empty()),
            };
        }
    }
    LinkedData::default()
}

/// The first object whose `@type` names an article kind, depth first (bounded: JSON-LD
/// nests a few levels, a hostile page could nest thousands).
fn find_article(v: &serde_json::Value, depth: usize) -> Option<&serde_json::Map<String, serde_json::Value>> {
    if depth > 8 {
        return None;
    }
    match v {
        serde_json::Value::Object(o) => {
            let is_article =
                |t: &serde_json::Value| t.as_str().is_some_and(|t| t.ends_with("Article") || t == "NewsArticle");
            let typed = match o.get("@type") {
                Some(serde_json::Value::Array(ts)) => ts.iter().any(is_article),
                Some(t) => is_article(t),
                None => false,
            };
            if typed {
                return Some(o);
            }
            o.get("@graph").and_then(|g| find_article(g, depth + 1))
        }
        serde_json::Value::Array(items) => items.iter().find_map(|i| find_article(i, depth + 1)),
        _ => None,
    }
}

fn first_attr(doc: &dom_query::Document, selector: &str, attr: &str) -> Option<String> {
    doc.select(selector).iter().find_map(|s| s.attr(attr)).map(|v| v.trim().to_string()).filter(|v| !v.is_empty())
}

/// Each comment's text, in page order; a body nested in another body (a quoted reply) is
/// left to its outer one so no text comes twice.
fn comment_texts(doc: &dom_query::Document) -> Vec<String> {
    let bodies = doc.select(COMMENT_BODIES);
    let mut out = Vec::new();
    for body in bodies.iter() {
        if body.ancestors(None).iter().any(|a| a.is(COMMENT_BODIES)) {
            continue;
        }
        let text = html_to_text(&body.inner_html()).text;
        let text = tidy(&text);
        if !text.is_empty() {
            out.push(text);
        }
    }
    out
}

/// Runs of spaces folded, lines trimmed, at most one blank line between paragraphs.
fn tidy(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank = 0;
    for line in text.lines() {
        let line = line.split_whitespace().collect::<Vec<_>>().join(" ");
        if line.is_empty() {
            blank += 1;
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank > 0 { "\n\n" } else { "\n" });
        }
        blank = 0;
        out.push_str(&line);
    }
    out
}

/// `2017-04-05T10:00:00Z`, `2017-04-05` → `2017-04-05`; anything else → `None`.
pub fn iso_date(s: &str) -> Option<String> {
    let s = s.trim();
    let b = s.as_bytes();
    let ok = b.len() >= 10
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[4] == b'-'
        && b[5..7].iter().all(u8::is_ascii_digit)
        && b[7] == b'-'
        && b[8..10].iter().all(u8::is_ascii_digit)
        && (b.len() == 10 || !b[10].is_ascii_digit());
    ok.then(|| s[..10].to_string())
}

/// The page with the bodies of `<script>` (except JSON-LD, which holds metadata) and
/// `<style>` removed; tags stay so the structure is unchanged. Linear in the page.
pub fn strip_scripts(html: &str) -> String {
    let bytes = html.as_bytes();
    let mut out = String::with_capacity(html.len() / 2);
    let mut copied = 0;
    let mut at = 0;
    while let Some(i) = memchr::memchr(b'<', &bytes[at..]) {
        let open = at + i;
        let name = tag_name(&bytes[open + 1..]);
        let is_script = name.eq_ignore_ascii_case(b"script");
        if !(is_script || name.eq_ignore_ascii_case(b"style")) {
            at = open + 1;
            continue;
        }
        let Some(gt) = memchr::memchr(b'>', &bytes[open..]).map(|g| open + g) else { break };
        let head = &html[open..gt];
        if is_script && head.to_ascii_lowercase().contains("ld+json") {
            at = gt + 1;
            continue;
        }
        let close: &[u8] = if is_script { b"</script" } else { b"</style" };
        let end = find_ci(&bytes[gt + 1..], close).map_or(bytes.len(), |e| gt + 1 + e);
        out.push_str(&html[copied..gt + 1]);
        copied = end;
        at = end.max(gt + 1);
        if end == bytes.len() {
            break;
        }
    }
    out.push_str(&html[copied..]);
    out
}

fn tag_name(b: &[u8]) -> &[u8] {
    let end = b.iter().position(|c| !c.is_ascii_alphanumeric()).unwrap_or(b.len());
    &b[..end]
}

/// Case-insensitive search for an ASCII `needle` starting with `<`: `memchr` to each `<`.
fn find_ci(hay: &[u8], needle: &[u8]) -> Option<usize> {
    let mut at = 0;
    while let Some(i) = memchr::memchr(needle[0], &hay[at..]) {
        let p = at + i;
        if hay.len() - p >= needle.len() && hay[p..p + needle.len()].eq_ignore_ascii_case(needle) {
            return Some(p);
        }
        at = p + 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = r##"<!DOCTYPE html><html lang="en"><head><title>Shelling kills 12 | Example News</title>
<meta property="og:site_name" content="Example News">
<script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle","headline":"Shelling kills 12","datePublished":"2024-03-05T08:00:00Z","author":{"@type":"Person","name":"Jane Doe"},"publisher":{"@type":"Organization","name":"Example News"}}</script>
<script>var ad = "<p>99 killed</p>";</script></head><body>
<header><nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li><li><a href="/sport">Sport</a></li></ul></nav></header>
<main><article><h1>Shelling kills 12</h1>
<div class="share"><a href="#">Share on Facebook</a> <a href="#">Tweet</a></div>
<div class="article-body"><p>Shelling killed 12 civilians in the market of the town on Tuesday, local officials said, in the
deadliest attack on the area this year. Rescue workers were still searching the rubble late in the evening.</p>
<p>A further 30 people were wounded and taken to the two hospitals still working in the district, according
to the health directorate, which said that several of them were in a critical condition overnight.</p>
<p>The army denied that its artillery had fired on the town and blamed the other side for the attack, which
came a day after talks on a ceasefire broke down in the capital without any agreement.</p></div>
<div class="advertisement">Advertisement</div></article>
<aside class="related"><h3>Related</h3><ul><li><a href="/a">Five killed in blast elsewhere</a></li><li><a href="/b">Talks fail</a></li></ul></aside>
<section id="comments"><h3>3 comments</h3><ol class="commentlist">
<li class="comment"><div class="comment-author">Reader1</div><div class="comment-content"><p>My cousin says 15 died, not 12.</p></div></li>
</ol><form class="comment-form"><textarea>Leave a reply</textarea><button>Post comment</button></form></section>
</main><footer><p>Copyright Example News</p></footer></body></html>"##;

    #[test]
    fn main_text_metadata_and_comments() {
        let a = article(PAGE, Some("https://example.com/news/1"));
        assert!(!a.fallback);
        assert!(a.text.starts_with("Shelling killed 12 civilians"), "{}", a.text);
        for boilerplate in
            ["Home", "Share on Facebook", "Advertisement", "Five killed", "Copyright", "99 killed", "Leave a reply"]
        {
            assert!(!a.text.contains(boilerplate), "{boilerplate} in {}", a.text);
        }
        assert!(a.text.contains("deadliest attack on the area this year. Rescue workers"));
        assert!(a.text.contains(
            "this year. Rescue workers were still searching the rubble late in the evening.\n\nA further 30"
        ));
        assert_eq!(a.title.as_deref(), Some("Shelling kills 12"));
        assert_eq!(a.published.as_deref(), Some("2024-03-05"));
        assert_eq!(a.author.as_deref(), Some("Jane Doe"));
        assert_eq!(a.outlet.as_deref(), Some("Example News"));
        assert_eq!(a.lang.as_deref(), Some("en"));
        assert_eq!(a.comments.len(), 1);
        let [s, e] = a.comments[0];
        assert_eq!(&a.text[s..e], "My cousin says 15 died, not 12.");
        assert_eq!(e, a.text.len(), "comments come after the article");
    }

    #[test]
    fn json_ld_alone_gives_the_metadata() {
        let page = PAGE
            .replace("<meta property=\"og:site_name\" content=\"Example News\">", "")
            .replace("<title>Shelling kills 12 | Example News</title>", "<title>Example News - World</title>");
        let a = article(&page, None);
        assert_eq!(a.title.as_deref(), Some("Shelling kills 12"), "headline");
        assert_eq!(a.published.as_deref(), Some("2024-03-05"), "datePublished");
        assert_eq!(a.author.as_deref(), Some("Jane Doe"), "author");
        assert_eq!(a.outlet.as_deref(), Some("Example News"), "publisher");
    }

    #[test]
    fn json_ld_in_a_graph() {
        let ld = r#"{"@context":"https://schema.org","@graph":[{"@type":"WebSite","name":"Site"},
            {"@type":["NewsArticle"],"headline":"Ceasefire broken","datePublished":"2023-10-08T06:00:00+03:00",
             "author":[{"@type":"Person","name":"A. Writer"},{"@type":"Person","name":"B. Writer"}],
             "publisher":{"@type":"Organization","name":"The Daily"}}]}"#;
        let page = PAGE.replace(
            r#"<script type="application/ld+json">{"@context""#,
            &format!(
                r#"<script type="application/ld+json">{ld}</script><script type="application/ld+json">{{"@context""#
            ),
        );
        let a = article(&page, None);
        assert_eq!(a.published.as_deref(), Some("2023-10-08"));
        assert_eq!(a.author.as_deref(), Some("A. Writer, B. Writer"));
        assert_eq!(a.outlet.as_deref(), Some("The Daily"));
    }

    #[test]
    fn time_element_when_no_other_date() {
        let page = PAGE.replace("\"datePublished\":\"2024-03-05T08:00:00Z\",", "").replace(
            "<h1>Shelling kills 12</h1>",
            "<h1>Shelling kills 12</h1><time datetime=\"2024-03-06\">6 March</time>",
        );
        assert_eq!(article(&page, None).published.as_deref(), Some("2024-03-06"));
    }

    #[test]
    fn short_pages_fall_back_to_visible_text() {
        let a = article("<html><head><title>T</title><script>var x='9 killed';</script></head><body><p>Blast kills six in Aleppo</p></body></html>", None);
        assert_eq!(a.text, "Blast kills six in Aleppo");
        let a = article("<nav><a>Home</a> <a>World</a></nav><h1>Raid</h1><p>Gunmen abducted 20 villagers.</p><footer>(c) News</footer>", None);
        assert_eq!(a.text, "Raid\n\nGunmen abducted 20 villagers.", "fallback {}", a.fallback);
    }

    #[test]
    fn scripts_are_cut_linearly() {
        let big = format!("<p>before</p><SCRIPT>{}</script ><p>after</p><style>p{{}}</style>", "x<y ".repeat(1000));
        assert_eq!(strip_scripts(&big), "<p>before</p><SCRIPT></script ><p>after</p><style></style>");
        assert_eq!(strip_scripts("<script>never closed"), "<script>");
        assert_eq!(strip_scripts("<scriptx>a</scriptx>"), "<scriptx>a</scriptx>");
        let ld = r#"<script type="application/ld+json">{"a":1}</script>"#;
        assert_eq!(strip_scripts(ld), ld);
    }

    #[test]
    fn broken_nesting_still_reads() {
        let a = article(
            "<div><p>Five soldiers <b>were <i>killed</b> in</i> the raid.<p>Two more <div>died</p></span>",
            None,
        );
        assert!(a.text.contains("Five soldiers were killed in the raid."), "{}", a.text);
        assert!(a.text.contains("Two more"), "{}", a.text);
    }

    #[test]
    fn dates() {
        assert_eq!(iso_date("2017-04-05T10:00:00Z").as_deref(), Some("2017-04-05"));
        assert_eq!(iso_date("2017-04-05").as_deref(), Some("2017-04-05"));
        assert_eq!(iso_date("April 5, 2017"), None);
        assert_eq!(iso_date("2017-04-051"), None);
    }
}
