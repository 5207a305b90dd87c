//! The language of a document, so that extraction (English rules) runs on English text and
//! other languages are kept and reported as "not analysed" rather than misread or dropped.
//!
//! `whatlang` is fast but unreliable on a sentence or two, so it sees up to
//! [`SAMPLE`] bytes of the whole document, and a document counts as another language only
//! when the detector is confident (or the script is not Latin). A short or mixed text stays
//! English: analysing it costs little, while dropping an English report loses claims.
//! English is recognised first by its function words (one pass over a few KB), since
//! `whatlang`'s trigram scoring cost a third of the whole pipeline's time when run on every
//! document; the detector sees only the documents that are not plainly English.

use whatlang::Script;

/// Bytes of text the detector looks at (from the start, cut at a character boundary).
pub const SAMPLE: usize = 4 << 10;

/// Words that make up a fifth of running English and are rare as words in other languages
/// written in Latin script.
const ENGLISH: [&str; 24] = [
    "the", "of", "and", "to", "in", "was", "were", "is", "are", "that", "for", "on", "with", "said", "by", "as", "at",
    "from", "has", "have", "it", "his", "their", "which",
];

/// The language of `text` as an ISO 639-3 code (`eng`, `ara`, `rus` …), or `None` when the
/// detector cannot tell with confidence.
pub fn detect(text: &str) -> Option<&'static str> {
    let mut end = text.len().min(SAMPLE);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let sample = &text[..end];
    if plainly_english(sample) {
        return Some("eng");
    }
    let info = whatlang::detect(sample)?;
    let sure = info.is_reliable() || (info.script() != Script::Latin && info.confidence() > 0.5);
    sure.then(|| info.lang().code())
}

/// At least 20 words, and one in eight of them an English function word.
fn plainly_english(sample: &str) -> bool {
    let (mut words, mut hits) = (0usize, 0usize);
    for w in sample.split(|c: char| !c.is_ascii_alphabetic()).filter(|w| !w.is_empty()) {
        words += 1;
        if w.len() <= 5 && ENGLISH.iter().any(|e| e.eq_ignore_ascii_case(w)) {
            hits += 1;
        }
    }
    words >= 20 && hits * 8 >= words
}

/// Whether a document in `lang` (as given or detected) is analysed: English, or unknown.
pub use tally_core::is_english;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_in_other_languages() {
        let en = "At least 27 people were killed and 60 wounded when shells hit the market in the \
                  centre of the city on Friday morning, the health ministry said in a statement.";
        assert_eq!(detect(en), Some("eng"));
        let ar = "قتل ما لا يقل عن سبعة وعشرين شخصا وأصيب ستون آخرون عندما سقطت قذائف على السوق في وسط المدينة";
        assert_eq!(detect(ar), Some("ara"));
        let fr = "Au moins vingt-sept personnes ont été tuées et soixante blessées lorsque des obus sont \
                  tombés sur le marché du centre-ville vendredi matin, a indiqué le ministère de la santé.";
        assert_eq!(detect(fr), Some("fra"));
        let ru = "По меньшей мере двадцать семь человек погибли и шестьдесят получили ранения при обстреле рынка";
        assert_eq!(detect(ru), Some("rus"));
        let es = "Al menos veintisiete personas murieron y sesenta resultaron heridas cuando los proyectiles \
                  cayeron sobre el mercado del centro de la ciudad el viernes por la mañana, dijo el ministerio.";
        assert_eq!(detect(es), Some("spa"));
        // Words split by non-ASCII letters must not look English.
        let de =
            "Mindestens siebenundzwanzig Menschen wurden getötet und sechzig verletzt, als Granaten am Freitagmorgen \
                  auf dem Markt im Zentrum der Stadt einschlugen, teilte das Gesundheitsministerium mit.";
        assert_eq!(detect(de), Some("deu"));
    }

    #[test]
    fn short_text_is_not_judged() {
        assert_eq!(detect("Nine soldiers were killed."), None);
        assert!(is_english(None) && is_english(Some("en-GB")) && is_english(Some("eng")));
        assert!(!is_english(Some("ar")) && !is_english(Some("fra")));
    }
}
