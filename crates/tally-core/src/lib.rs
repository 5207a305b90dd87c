//! The data model shared by every stage of tally: a [`Document`] goes in, [`Claim`]s come out.
//!
//! These types are the public record format (see docs/claims.md): field names and enum
//! spellings are a contract with users' scripts. Stages add information to claims; none of
//! them states a figure as fact, so every claim carries the words it came from (`span`,
//! `count.text`) and the cues that produced it (`why`).

mod claim;
mod date;
mod document;
mod name;

pub use claim::*;
pub use date::*;
pub use document::*;
pub use name::spelling_skeleton;
