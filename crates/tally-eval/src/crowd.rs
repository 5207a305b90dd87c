//! Comparison with FA-KES crowd counts: one civilian and one non-civilian death figure per
//! article, compared for exact equality with the crowd's `nb_civilians` / `nb_noncivilians`.
//!
//! Choosing one figure per article (docs/evaluation.md): among the article's `killed`
//! claims that are not subsets (`part_of` null) and not running totals (`cumulative`
//! false), the civilian figure is the first stated value in text order whose victims are
//! civilian, unknown or mixed; the non-civilian figure is the first whose victims are
//! combatants. News puts the incident's figure first (headline, then lead); later figures
//! are updates, breakdowns and background. No such claim means 0, as the crowd codes an
//! article without deaths.

use serde::{Deserialize, Serialize};
use tally_core::{Claim, Kind, VictimClass};

/// The crowd's counts for one article, as carried in corpus/fakes.jsonl under "fakes".
#[derive(Debug, Clone, Deserialize)]
pub struct CrowdCounts {
    pub nb_civilians: String,
    pub nb_noncivilians: String,
    /// Governorate or city, lower case ("aleppo", "deir ezzor").
    #[serde(default)]
    pub location: String,
    /// One of FA-KES's seven actor categories.
    #[serde(default)]
    pub actor: String,
}

#[derive(Debug, Clone, Copy, Default, Serialize, PartialEq)]
pub struct Agreement {
    pub articles: usize,
    pub exact: usize,
    pub rate: f64,
}

impl Agreement {
    fn add(&mut self, ok: bool) {
        self.articles += 1;
        self.exact += ok as usize;
        self.rate = self.exact as f64 / self.articles as f64;
    }
}

#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct CrowdScores {
    pub civilian: Agreement,
    /// Only articles where the crowd counted at least one civilian death.
    pub civilian_nonzero: Agreement,
    pub noncivilian: Agreement,
    pub noncivilian_nonzero: Agreement,
    /// Articles whose crowd counts could not be read as numbers.
    pub unreadable: usize,
    /// The main claim's place (name, admin region or words) names the crowd's location.
    pub place: Agreement,
    /// The main claim's perpetrator falls in the crowd's actor category.
    pub actor: Agreement,
}

/// The article's main claim: the one whose figure `article_figures` reports as civilian,
/// else its first death figure, else its first figure.
pub fn main_claim(claims: &[Claim]) -> Option<&Claim> {
    let figures = || claims.iter().filter(|c| c.count.is_some());
    let top = |c: &&Claim| c.kind == Some(Kind::Killed) && c.part_of.is_none() && !c.cumulative;
    figures()
        .filter(top)
        .find(|c| c.victims.class != VictimClass::Combatant && c.count.as_ref().is_some_and(|n| n.value.is_some()))
        .or_else(|| figures().find(|c| c.kind == Some(Kind::Killed)))
        .or_else(|| figures().next())
}

/// A spelling-proof key for place names: lower case, ASCII letters only, no vowels after the
/// first letter, no doubled letters, no article or trailing "h" ("Deir ez-Zor" = "deir ezzor",
/// "Al-Hasakah" = "hasakeh", "Ar-Raqqah" = "raqqa", "Latakia" = "lattakia").
fn skeleton(name: &str) -> String {
    let lower = name.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_ascii_alphabetic())
        .filter(|w| !w.is_empty() && !matches!(*w, "al" | "ar" | "as" | "ad" | "governorate" | "province" | "city"))
        .collect();
    let joined = words.concat();
    let mut out = String::new();
    for (i, c) in joined.chars().enumerate() {
        let vowel = matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y');
        if (i == 0 || !vowel) && !out.ends_with(c) {
            out.push(c);
        }
    }
    out.trim_end_matches('h').to_string()
}

/// Whether a claim's place names the crowd's location.
pub fn place_agrees(claim: &Claim, location: &str) -> bool {
    let want = skeleton(location);
    claim.place.as_ref().is_some_and(|p| {
        [Some(p.name.as_str()), p.admin1.as_deref(), Some(p.text.as_str())]
            .into_iter()
            .flatten()
            .any(|n| skeleton(n) == want)
    })
}

/// The crowd actor category of a perpetrator phrase (data/fakes-actors.tsv).
pub fn actor_category(perpetrator: Option<&str>) -> &'static str {
    static TABLE: std::sync::LazyLock<Vec<(String, &'static str)>> = std::sync::LazyLock::new(|| {
        include_str!("../data/fakes-actors.tsv")
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .filter_map(|l| l.split_once('\t'))
            .map(|(k, c)| (format!(" {k} "), c))
            .collect()
    });
    let Some(text) = perpetrator else { return "unknown" };
    let words: String = text.to_lowercase().chars().map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' }).collect();
    let padded = format!(" {} ", words.split_whitespace().collect::<Vec<_>>().join(" "));
    TABLE.iter().find(|(k, _)| padded.contains(k.as_str())).map_or("unknown", |(_, c)| c)
}

/// The (civilian, non-civilian) death figures tally reports for one article.
pub fn article_figures(claims: &[Claim]) -> (u64, u64) {
    let top: Vec<&Claim> =
        claims.iter().filter(|c| c.kind == Some(Kind::Killed) && c.part_of.is_none() && !c.cumulative).collect();
    let first = |keep: &dyn Fn(VictimClass) -> bool| {
        top.iter().filter(|c| keep(c.victims.class)).find_map(|c| c.count.as_ref()?.value).unwrap_or(0)
    };
    let civilian = first(&|v| matches!(v, VictimClass::Civilian | VictimClass::Unknown | VictimClass::Mixed));
    let combatant = first(&|v| v == VictimClass::Combatant);
    (civilian, combatant)
}

impl CrowdScores {
    /// Adds one article: the crowd's counts and the claims tally extracted from it.
    pub fn add(&mut self, crowd: &CrowdCounts, claims: &[Claim]) -> Option<(u64, u64)> {
        let parse = |s: &str| s.trim().parse::<u64>().ok();
        let (Some(civ), Some(non)) = (parse(&crowd.nb_civilians), parse(&crowd.nb_noncivilians)) else {
            self.unreadable += 1;
            return None;
        };
        let (c, n) = article_figures(claims);
        let main = main_claim(claims);
        self.place.add(main.is_some_and(|m| place_agrees(m, &crowd.location)));
        let actor = actor_category(main.and_then(|m| m.perpetrator.as_ref()).map(|p| p.text.as_str()));
        self.actor.add(actor == crowd.actor);
        self.civilian.add(c == civ);
        self.noncivilian.add(n == non);
        if civ > 0 {
            self.civilian_nonzero.add(c == civ);
        }
        if non > 0 {
            self.noncivilian_nonzero.add(n == non);
        }
        Some((civ, non))
    }
}
