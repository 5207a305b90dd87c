use serde::Deserialize;
use std::path::Path;
use tally_core::{Count, Kind, Stance, Victims};

#[derive(Debug, Clone, Deserialize)]
pub struct GoldSource {
    pub text: String,
    #[serde(rename = "type")]
    pub kind: String,
}

/// One line of tests/gold/claims.jsonl.
#[derive(Debug, Clone, Deserialize)]
pub struct GoldClaim {
    pub doc: String,
    pub span: [usize; 2],
    #[serde(default)]
    pub split: Option<String>,
    pub kind: Kind,
    pub count: Count,
    pub victims: Victims,
    #[serde(default)]
    pub cumulative: bool,
    #[serde(default)]
    pub ambiguous: bool,
    pub part_of: Option<usize>,
    pub place: Option<String>,
    pub time: Option<String>,
    pub perpetrator: Option<String>,
    pub source: Option<GoldSource>,
    pub stance: Stance,
    #[serde(default)]
    pub context: Option<String>,
}

/// Reads a gold claims file; errors name the file and line.
pub fn load_gold(path: &Path) -> Result<Vec<GoldClaim>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(n, l)| serde_json::from_str(l).map_err(|e| format!("{}:{}: {e}", path.display(), n + 1)))
        .collect()
}
