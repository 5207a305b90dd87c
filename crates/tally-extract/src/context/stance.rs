//! Stance cues in a sentence: hedges ("reportedly"), disputes ("could not be independently
//! verified", "inflated") and denials ("denied responsibility").

use super::lexicon::{ContextLexicon, CtxCue};
use crate::token::Tokens;
use std::ops::Range;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct StanceCues {
    pub hedged: Option<Range<usize>>,
    pub disputed: Option<Range<usize>>,
    pub denied: Option<Range<usize>>,
}

/// The first cue of each kind in tokens `sent`.
pub fn stance_cues(toks: &Tokens, sent: Range<usize>, lex: &ContextLexicon) -> StanceCues {
    let mut cues = StanceCues::default();
    for k in sent.clone() {
        for (role, slot) in [
            (CtxCue::Hedged, &mut cues.hedged),
            (CtxCue::Disputed, &mut cues.disputed),
            (CtxCue::Denied, &mut cues.denied),
        ] {
            if slot.is_none() {
                if let Some(n) = lex.cue_at(toks, k, sent.end, role) {
                    *slot = Some(k..k + n);
                }
            }
        }
    }
    cues
}
