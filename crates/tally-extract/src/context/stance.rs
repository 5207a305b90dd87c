//! Stance cues in a sentence: hedges ("reportedly"), disputes ("could not be independently
//! verified", "inflated") and denials ("denied responsibility").

use super::lexicon::{CtxCue, Cues};
use crate::token::Tokens;
use std::ops::Range;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct StanceCues {
    pub hedged: Option<Range<usize>>,
    pub disputed: Option<Range<usize>>,
    pub denied: Option<Range<usize>>,
}

/// The first cue of each kind in tokens `sent`.
pub fn stance_cues(toks: &Tokens, sent: Range<usize>, lex: &Cues) -> StanceCues {
    let mut cues = StanceCues::default();
    let any = CtxCue::Hedged as u32 | CtxCue::Disputed as u32 | CtxCue::Denied as u32;
    for k in sent.clone() {
        if !lex.starts_any(toks, k, any) {
            continue;
        }
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
