use serde::Deserialize;
use std::path::Path;
use tally_core::{Kind, Qualifier, Stance, VictimClass};

#[derive(Debug, Clone, Deserialize)]
pub struct GoldCount {
    pub text: String,
    pub value: Option<u64>,
    pub low: Option<u64>,
    pub high: Option<u64>,
    pub qualifier: Qualifier,
}

#[derive(Debug, Clone, Deserialize)]
pub struct GoldVictims {
    pub text: String,
    pub class: VictimClass,
    #[serde(default)]
    pub groups: Vec<String>,
}

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
    pub count: GoldCount,
    pub victims: GoldVictims,
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
