//! Bytes to text. Plain text and JSON Lines are UTF-8 (invalid bytes replaced, with a
//! warning). Web pages say their charset, or should: a byte-order mark first, then the HTTP
//! header's `charset=` (WARC), then a `<meta>` declaration near the top, then UTF-8 when the
//! bytes are valid UTF-8, then a guess (`chardetng`). An unknown or wrong declaration is a
//! warning, never a reason to drop the page.

use encoding_rs::{Encoding, UTF_8};

/// How far into a page `<meta charset>` is looked for (the HTML standard's prescan reads
/// 1024 bytes; real pages put long `<script>`s before it, so look further).
const META_SCAN: usize = 16 << 10;

/// UTF-8 text with invalid bytes replaced (U+FFFD); the warning names the first bad byte.
pub fn utf8_lossy(bytes: Vec<u8>) -> (String, Option<String>) {
    match String::from_utf8(bytes) {
        Ok(s) => (s, None),
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
            (text, Some(format!("invalid UTF-8 at byte {at}, decoded with replacement characters")))
        }
    }
}

/// A page's text and what was noticed on the way (unknown labels, undeclared guesses,
/// bytes invalid in the declared encoding).
pub fn decode_page(bytes: &[u8], transport: Option<&str>) -> (String, Vec<String>) {
    let mut warnings = Vec::new();
    if let Some((enc, bom)) = Encoding::for_bom(bytes) {
        let (text, bad) = enc.decode_without_bom_handling(&bytes[bom..]);
        if bad {
            warnings.push(format!("bytes invalid in {} (byte-order mark), replaced", enc.name()));
        }
        return (text.into_owned(), warnings);
    }
    let declared = transport
        .and_then(charset_param)
        .map(|l| (l, "the HTTP header"))
        .or_else(|| meta_charset(&bytes[..bytes.len().min(META_SCAN)]).map(|l| (l, "<meta>")));
    let mut encoding = None;
    if let Some((label, whence)) = declared {
        match Encoding::for_label(label.trim().as_bytes()) {
            // A page cannot declare UTF-16 in its own ASCII-compatible bytes; the HTML
            // standard reads such a declaration as UTF-8.
            Some(e) if e == encoding_rs::UTF_16LE || e == encoding_rs::UTF_16BE => encoding = Some(UTF_8),
            Some(e) => encoding = Some(e),
            None => warnings.push(format!("unknown charset {label:?} declared in {whence}, ignored")),
        }
    }
    let encoding = encoding.unwrap_or_else(|| {
        if std::str::from_utf8(bytes).is_ok() {
            return UTF_8;
        }
        let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
        detector.feed(bytes, true);
        let guess = detector.guess(None, chardetng::Utf8Detection::Allow);
        warnings.push(format!("no usable charset declared; decoded as {} (detected)", guess.name()));
        guess
    });
    let (text, bad) = encoding.decode_without_bom_handling(bytes);
    if bad {
        let at = if encoding == UTF_8 { std::str::from_utf8(bytes).err().map(|e| e.valid_up_to()) } else { None };
        warnings.push(match at {
            Some(at) => format!("invalid UTF-8 at byte {at}, decoded with replacement characters"),
            None => format!("bytes invalid in {}, decoded with replacement characters", encoding.name()),
        });
    }
    (text.into_owned(), warnings)
}

/// `charset` in a `Content-Type` value: `text/html; charset="utf-8"` gives `utf-8`.
pub fn charset_param(content_type: &str) -> Option<&str> {
    let lower = content_type.to_ascii_lowercase();
    let at = lower.find("charset")?;
    let rest = content_type[at + 7..].trim_start();
    let rest = rest.strip_prefix('=')?.trim_start();
    let value = rest.trim_start_matches(['"', '\'']);
    let end = value.find(|c: char| matches!(c, '"' | '\'' | ';' | ',' | '>' | '/') || c.is_whitespace());
    Some(&value[..end.unwrap_or(value.len())]).filter(|v| !v.is_empty())
}

/// The charset a `<meta charset>` or `<meta http-equiv content="…; charset=…">` declares.
fn meta_charset(head: &[u8]) -> Option<&str> {
    let mut from = 0;
    while let Some(i) = find_ci(&head[from..], b"<meta") {
        let start = from + i;
        let end = memchr::memchr(b'>', &head[start..]).map_or(head.len(), |e| start + e);
        let tag = String::from_utf8_lossy(&head[start..end]);
        if let Some(label) = charset_param(&tag) {
            let offset = tag.find(label)?;
            // Borrow from `head`, not the lossy copy: same bytes when the tag is ASCII.
            return std::str::from_utf8(&head[start + offset..start + offset + label.len()]).ok();
        }
        from = end;
    }
    None
}

fn find_ci(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w.eq_ignore_ascii_case(needle))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn declared_charsets() {
        let page = b"<html><head><meta charset=\"windows-1251\"></head><body>\xd1\xe8\xf0\xe8\xff</body></html>";
        let (text, w) = decode_page(page, None);
        assert!(text.contains("Сирия"), "{text}");
        assert!(w.is_empty(), "{w:?}");
        let (text, _) = decode_page(b"caf\xe9", Some("text/html; charset=ISO-8859-1"));
        assert_eq!(text, "café");
        let http_equiv = b"<meta http-equiv=\"Content-Type\" content=\"text/html; charset=iso-8859-7\">\xe1";
        assert!(decode_page(http_equiv, None).0.ends_with('α'));
    }

    #[test]
    fn unknown_or_missing_declarations_warn() {
        let (text, w) = decode_page("<meta charset=\"x-klingon\"><p>ok é</p>".as_bytes(), None);
        assert!(text.contains("ok é"));
        assert_eq!(w, ["unknown charset \"x-klingon\" declared in <meta>, ignored"]);
        let (text, w) = decode_page(b"<p>caf\xe9 cr\xe8me br\xfbl\xe9e</p>", None);
        assert!(text.contains("café"), "{text}");
        assert!(w[0].starts_with("no usable charset declared; decoded as windows-1252"), "{w:?}");
        let (_, w) = decode_page(b"<meta charset=utf-8><p>caf\xe9</p>", None);
        assert_eq!(w, ["invalid UTF-8 at byte 26, decoded with replacement characters"]);
    }

    #[test]
    fn content_type_parameter() {
        assert_eq!(charset_param("text/html; Charset='UTF-8'"), Some("UTF-8"));
        assert_eq!(charset_param("text/html"), None);
        assert_eq!(charset_param("text/html; charset="), None);
    }
}
