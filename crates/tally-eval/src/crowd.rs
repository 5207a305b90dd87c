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
