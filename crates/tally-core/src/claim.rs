use serde::{Deserialize, Serialize};
use std::fmt;

/// What happened to the people or objects counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Killed,
    Injured,
    Missing,
    Captured,
    Displaced,
    Damaged,
}

impl Kind {
    pub const ALL: [Kind; 6] =
        [Kind::Killed, Kind::Injured, Kind::Missing, Kind::Captured, Kind::Displaced, Kind::Damaged];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Killed => "killed",
            Kind::Injured => "injured",
            Kind::Missing => "missing",
            Kind::Captured => "captured",
            Kind::Displaced => "displaced",
            Kind::Damaged => "damaged",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Damage counts objects; every other kind counts people.
    pub fn counts_objects(self) -> bool {
        self == Kind::Damaged
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How the text bounds its number. The interval each one allows is in [`Count::new`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Qualifier {
    Exact,
    About,
    AtLeast,
    MoreThan,
    Nearly,
    UpTo,
    FewerThan,
    Range,
    Vague,
}

impl Qualifier {
    pub fn as_str(self) -> &'static str {
        match self {
            Qualifier::Exact => "exact",
            Qualifier::About => "about",
            Qualifier::AtLeast => "at_least",
            Qualifier::MoreThan => "more_than",
            Qualifier::Nearly => "nearly",
            Qualifier::UpTo => "up_to",
            Qualifier::FewerThan => "fewer_than",
            Qualifier::Range => "range",
            Qualifier::Vague => "vague",
        }
    }

    pub fn parse(s: &str) -> Option<Qualifier> {
        use Qualifier::*;
        [Exact, About, AtLeast, MoreThan, Nearly, UpTo, FewerThan, Range, Vague].into_iter().find(|q| q.as_str() == s)
    }
}

/// Figures from which a count of people is a war's or a campaign's total, never one
/// incident's: single incidents, in the reporting tally reads, stay far below it, while totals
/// of a conflict run to hundreds of thousands. Extraction reads such a figure as a running
/// total without a cue; linking never takes one for an incident's updated toll.
pub const WAR_SIZED: u64 = 10_000;

/// A stated number: its words, the number they state, and the interval they allow.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Count {
    pub text: String,
    /// The number the text states; null for ranges and vague amounts.
    pub value: Option<u64>,
    pub low: Option<u64>,
    /// Null means unbounded above.
    pub high: Option<u64>,
    pub qualifier: Qualifier,
}

impl Count {
    /// A count for a stated number under the interval convention of docs/claims.md.
    pub fn new(text: String, value: u64, qualifier: Qualifier) -> Count {
        let tenth = |n: u64| (n as f64 * 0.1).round() as u64;
        let (low, high) = match qualifier {
            Qualifier::Exact | Qualifier::Range | Qualifier::Vague => (value, Some(value)),
            Qualifier::About => (value - tenth(value), Some(value + tenth(value))),
            Qualifier::AtLeast => (value, None),
            Qualifier::MoreThan => (value + 1, None),
            Qualifier::Nearly => (value - tenth(value), Some(value)),
            Qualifier::UpTo => (1.min(value), Some(value)),
            Qualifier::FewerThan => (1.min(value.saturating_sub(1)), Some(value.saturating_sub(1))),
        };
        Count { text, value: Some(value), low: Some(low), high, qualifier }
    }

    /// A count stated only as an interval (a range or a vague amount): it has no value.
    pub fn interval(text: String, low: u64, high: Option<u64>, qualifier: Qualifier) -> Count {
        Count { text, value: None, low: Some(low), high, qualifier }
    }
}

/// Who the victims are said to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VictimClass {
    Civilian,
    Combatant,
    Mixed,
    Unknown,
    Property,
}

impl VictimClass {
    pub fn as_str(self) -> &'static str {
        match self {
            VictimClass::Civilian => "civilian",
            VictimClass::Combatant => "combatant",
            VictimClass::Mixed => "mixed",
            VictimClass::Unknown => "unknown",
            VictimClass::Property => "property",
        }
    }

    pub fn parse(s: &str) -> Option<VictimClass> {
        use VictimClass::*;
        [Civilian, Combatant, Mixed, Unknown, Property].into_iter().find(|c| c.as_str() == s)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Victims {
    /// The head noun phrase as written; empty when the figure has none ("the toll rose to 112").
    pub text: String,
    pub class: VictimClass,
    pub groups: Vec<String>,
}

/// Whether the text asserts the figure or distances itself from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stance {
    Asserted,
    Hedged,
    Disputed,
    Denied,
}

impl Stance {
    pub fn as_str(self) -> &'static str {
        match self {
            Stance::Asserted => "asserted",
            Stance::Hedged => "hedged",
            Stance::Disputed => "disputed",
            Stance::Denied => "denied",
        }
    }

    pub fn parse(s: &str) -> Option<Stance> {
        use Stance::*;
        [Asserted, Hedged, Disputed, Denied].into_iter().find(|k| k.as_str() == s)
    }
}

/// How precisely a place locates an incident.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PlacePrecision {
    Point,
    Town,
    Region,
    Country,
}

impl PlacePrecision {
    pub fn as_str(self) -> &'static str {
        match self {
            PlacePrecision::Point => "point",
            PlacePrecision::Town => "town",
            PlacePrecision::Region => "region",
            PlacePrecision::Country => "country",
        }
    }

    pub fn parse(s: &str) -> Option<PlacePrecision> {
        use PlacePrecision::*;
        [Point, Town, Region, Country].into_iter().find(|p| p.as_str() == s)
    }
}

/// Where a claim's incident happened, as written and as resolved in the gazetteer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlaceRef {
    /// The words of the text, kept as written (Stepanakert or Khankendi).
    pub text: String,
    pub span: [usize; 2],
    /// The gazetteer's label for the place it resolved to; not a "right" spelling.
    pub name: String,
    pub geonames_id: Option<u64>,
    pub country: String,
    pub admin1: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub precision: PlacePrecision,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TimePrecision {
    Day,
    Month,
    Year,
    Range,
}

/// When a claim's incident happened: the words, and the interval they name once resolved
/// against the publication date (null when they cannot be resolved).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TimeRef {
    pub text: String,
    pub span: [usize; 2],
    /// ISO date (YYYY-MM-DD), first day of the interval.
    pub start: Option<String>,
    /// ISO date, last day of the interval (inclusive).
    pub end: Option<String>,
    pub precision: TimePrecision,
}

/// What kind of party makes a claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceType {
    Government,
    Military,
    Ngo,
    International,
    Media,
    Person,
    Unknown,
}

impl SourceType {
    pub fn as_str(self) -> &'static str {
        match self {
            SourceType::Government => "government",
            SourceType::Military => "military",
            SourceType::Ngo => "ngo",
            SourceType::International => "international",
            SourceType::Media => "media",
            SourceType::Person => "person",
            SourceType::Unknown => "unknown",
        }
    }

    pub fn parse(s: &str) -> Option<SourceType> {
        use SourceType::*;
        [Government, Military, Ngo, International, Media, Person, Unknown].into_iter().find(|t| t.as_str() == s)
    }
}

/// Who makes a claim (null on the claim: the document's own voice).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SourceRef {
    pub text: String,
    pub span: [usize; 2],
    #[serde(rename = "type")]
    pub kind: SourceType,
}

/// A party or a thing as written in the text (a perpetrator), with where it was found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Mention {
    pub text: String,
    pub span: [usize; 2],
}

/// One casualty or damage figure that a document states, tied to its bytes; or, with
/// `count` null, a denial or dispute that states no figure of its own.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Claim {
    pub doc: String,
    /// Byte offsets `[start, end)` of the count phrase (for a denial: its cue) in the text.
    pub span: [usize; 2],
    pub sentence: String,
    /// Byte offsets of `sentence` in the document text.
    pub sentence_span: [usize; 2],
    /// Null only on a denial or dispute that answers no claim of a known kind.
    pub kind: Option<Kind>,
    /// Null on a denial or dispute with no figure of its own.
    pub count: Option<Count>,
    pub victims: Victims,
    pub cumulative: bool,
    /// True when the words do not settle the kind ("casualties", "killed or wounded"):
    /// `kind` is then the reading given in docs/claims.md and the figure may include injured.
    pub ambiguous: bool,
    /// Index (in this document's claim list) of the figure this one is a subset of.
    pub part_of: Option<usize>,
    pub place: Option<PlaceRef>,
    pub time: Option<TimeRef>,
    pub perpetrator: Option<Mention>,
    pub source: Option<SourceRef>,
    pub stance: Stance,
    /// For a denial or dispute record: indices of the claims it answers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub answers: Vec<usize>,
    /// The cues and rules that produced this claim, for "why?".
    pub why: Vec<String>,
}

impl Claim {
    /// The figure's kind and count; None for a denial or dispute that states no figure.
    pub fn figure(&self) -> Option<(Kind, &Count)> {
        Some((self.kind?, self.count.as_ref()?))
    }
}
