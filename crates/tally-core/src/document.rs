use serde::{Deserialize, Serialize};

/// One input document. `text` is the text every byte span points into.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Document {
    pub id: String,
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// ISO date (YYYY-MM-DD) of publication, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<String>,
    /// ISO date the text gives itself at its top ("Date of publication 3 October 2017",
    /// "Posted on April 2 2017", a byline's "AFP Sunday 26 Nov 2017"), found by analysis.
    /// The text's relative times ("on Saturday") were written against it, so they are read
    /// against it before `published`, which a feed or a curator may have set weeks off.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dated: Option<String>,
    /// The town (or spot) the story's lead names most, the first of those tied, found by
    /// analysis: "the raids hit the town of Al-Quriyah" in a report whose figures say only
    /// "in east Syria". Linking reads such figures there; each claim keeps its own place.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub located: Option<crate::PlaceRef>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outlet: Option<String>,
    /// The byline, when the page names one (HTML `<meta name="author">`, JSON-LD `author`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    /// The document's language: as given by the input, or detected (an ISO 639-3 code such
    /// as `eng`, `ara`, `rus`). `None` when neither says. Extraction runs on English only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
    /// Byte ranges of `text` that are readers' comments under an article rather than the
    /// article itself: a distinct voice, kept and marked rather than dropped.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub comments: Vec<[usize; 2]>,
}

impl Document {
    /// Whether extraction runs on this document: its language is English, or not known.
    pub fn is_analysed(&self) -> bool {
        is_english(self.lang.as_deref())
    }
}

/// Whether a language code (as given or detected: `en`, `en-GB`, `eng`) is English; an
/// absent or empty one counts as English, since most input is.
pub fn is_english(lang: Option<&str>) -> bool {
    let Some(code) = lang.map(str::trim).filter(|c| !c.is_empty()) else {
        return true;
    };
    let primary = code.split(['-', '_']).next().unwrap_or(code).to_ascii_lowercase();
    matches!(primary.as_str(), "en" | "eng" | "english")
}
