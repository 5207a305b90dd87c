//! Document fingerprints: the exact key of a text and the MinHash sketch that finds near copies.
//!
//! The key is xxh3-128 over the normalised text (lower-case words joined by single spaces),
//! so re-saving a page with other whitespace or capitals gives the same key. Near copies
//! (syndicated wire stories with another header or footer) are found with MinHash over word
//! 5-shingles: 64 slots filled by one-permutation hashing (each shingle hashed once, its
//! top bits pick the slot), banded 16 × 4 for candidate lookup, and a document is a copy
//! when its estimated Jaccard similarity with an earlier one is at least
//! [`COPY_THRESHOLD`]. The figures behind these choices are in docs/reconcile.md.

use xxhash_rust::xxh3::{xxh3_128, xxh3_64};

/// Hash functions in a sketch.
pub const HASHES: usize = 64;
/// Rows per band: a pair at similarity s shares a band with probability 1 - (1 - s^4)^16.
pub const ROWS: usize = 4;
pub const BANDS: usize = HASHES / ROWS;
/// Estimated Jaccard similarity of 5-shingles from which a document counts as a copy.
pub const COPY_THRESHOLD: f64 = 0.5;
const SHINGLE: usize = 5;

/// The words of a text, lower-cased, as one space-separated string.
pub fn normalise(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(word.chars().flat_map(char::to_lowercase));
    }
    out
}

/// The identity of a text: 32 hex digits of xxh3-128 over its normalised form.
pub fn text_key(normalised: &str) -> String {
    format!("{:032x}", xxh3_128(normalised.as_bytes()))
}

/// A MinHash sketch of a normalised text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sketch(pub [u64; HASHES]);

impl Sketch {
    /// One-permutation MinHash: each shingle is hashed once, its top six bits choose a slot
    /// and the slot keeps the least of the rest. Sixty-four hash functions per shingle cost
    /// 60 times as much for the same estimate on texts of more than a few dozen words.
    /// Slots no shingle chose are filled from the next filled slot (densification), so two
    /// short texts still agree slot by slot where they share shingles.
    pub fn of(normalised: &str) -> Sketch {
        // Each word is hashed once; a shingle's hash combines its words' in order.
        let words: Vec<u64> = normalised.split(' ').filter(|w| !w.is_empty()).map(|w| xxh3_64(w.as_bytes())).collect();
        let mut mins = [u64::MAX; HASHES];
        let starts = words.len().saturating_sub(SHINGLE - 1).max(1);
        for i in 0..starts.min(words.len()) {
            let shingle = &words[i..(i + SHINGLE).min(words.len())];
            let h = mix(shingle.iter().fold(0u64, |acc, w| acc.wrapping_mul(0x100000001b3).rotate_left(29) ^ w));
            let slot = (h >> SLOT_SHIFT) as usize;
            mins[slot] = mins[slot].min(h & VALUE_MASK);
        }
        densify(&mut mins);
        Sketch(mins)
    }

    /// The fraction of agreeing hash functions: an estimate of the Jaccard similarity.
    pub fn similarity(&self, other: &Sketch) -> f64 {
        let same = self.0.iter().zip(&other.0).filter(|(a, b)| a == b).count();
        same as f64 / HASHES as f64
    }

    /// One key per band, for the candidate index.
    pub fn bands(&self) -> [i64; BANDS] {
        let mut out = [0i64; BANDS];
        for (b, rows) in self.0.chunks(ROWS).enumerate() {
            let mut bytes = Vec::with_capacity(8 * ROWS + 1);
            bytes.push(b as u8);
            rows.iter().for_each(|r| bytes.extend_from_slice(&r.to_le_bytes()));
            out[b] = xxh3_64(&bytes) as i64;
        }
        out
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        self.0.iter().flat_map(|v| v.to_le_bytes()).collect()
    }

    pub fn from_bytes(bytes: &[u8]) -> Option<Sketch> {
        let mut out = [0u64; HASHES];
        if bytes.len() != 8 * HASHES {
            return None;
        }
        for (o, c) in out.iter_mut().zip(bytes.chunks_exact(8)) {
            *o = u64::from_le_bytes(c.try_into().ok()?);
        }
        Some(Sketch(out))
    }
}

const SLOT_SHIFT: u32 = 64 - HASHES.trailing_zeros();
const VALUE_MASK: u64 = (1 << SLOT_SHIFT) - 1;

/// Fills each empty slot from a filled one (optimal densification, Shrivastava 2017): slot
/// k probes slots in an order fixed by k alone, so two texts borrow alike wherever they
/// agree, and different empty slots borrow from different places, which keeps the estimate
/// as steady as 64 independent hashes. Left empty when every slot is.
fn densify(mins: &mut [u64; HASHES]) {
    if mins.iter().all(|&m| m == u64::MAX) {
        return;
    }
    let own = *mins;
    for (k, slot) in mins.iter_mut().enumerate().filter(|(k, _)| own[*k] == u64::MAX) {
        let mut probe = SEEDS[k];
        let first_filled = || own.iter().copied().find(|&m| m != u64::MAX).unwrap_or_default();
        let borrowed = (0..4 * HASHES)
            .map(|_| {
                probe = mix(probe);
                own[(probe >> SLOT_SHIFT) as usize]
            })
            .find(|&m| m != u64::MAX)
            .unwrap_or_else(first_filled);
        *slot = mix(borrowed ^ SEEDS[k]);
    }
}

/// splitmix64's finaliser: turns `h ^ seed` into an independent-looking permutation of `h`.
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d049bb133111eb);
    z ^ (z >> 31)
}

const SEEDS: [u64; HASHES] = {
    let mut s = [0u64; HASHES];
    let mut i = 0;
    let mut x: u64 = 0x9e3779b97f4a7c15;
    while i < HASHES {
        x = x.wrapping_add(0x9e3779b97f4a7c15);
        s[i] = x;
        i += 1;
    }
    s
};

#[cfg(test)]
mod tests {
    use super::*;

    const STORY: &str = "Government warplanes struck a market in the town on Tuesday, killing at least 27 people \
        and wounding dozens more, a monitoring group said. Rescue workers pulled bodies from the rubble \
        of two buildings as the toll was expected to rise, according to local medics and residents.";

    #[test]
    fn key_ignores_case_punctuation_and_spacing() {
        let a = text_key(&normalise("Ten  killed, in Aleppo."));
        assert_eq!(a, text_key(&normalise("ten killed in\naleppo")));
        assert_ne!(a, text_key(&normalise("Eleven killed in Aleppo.")));
        assert_eq!(a.len(), 32);
    }

    #[test]
    fn wire_copy_with_other_header_and_footer_is_similar() {
        let original = Sketch::of(&normalise(STORY));
        let copy = format!("BEIRUT (Reuters) - {STORY} Reporting by a correspondent; editing by a desk.");
        let other = "Officials opened a new bridge over the river on Sunday, saying traffic would ease \
            across the region and that a second crossing would follow next year after funding is found.";
        let s_copy = original.similarity(&Sketch::of(&normalise(&copy)));
        let s_other = original.similarity(&Sketch::of(&normalise(other)));
        assert!(s_copy >= COPY_THRESHOLD, "copy similarity {s_copy}");
        assert!(s_other < 0.1, "unrelated similarity {s_other}");
        let shared =
            original.bands().iter().zip(Sketch::of(&normalise(&copy)).bands()).filter(|(a, b)| *a == b).count();
        assert!(shared > 0);
    }

    /// Word 5-shingle Jaccard similarity, counted exactly.
    fn jaccard(a: &str, b: &str) -> f64 {
        let shingles = |t: &str| {
            let w: Vec<&str> = t.split(' ').collect();
            w.windows(SHINGLE).map(|s| s.join(" ")).collect::<std::collections::HashSet<_>>()
        };
        let (a, b) = (shingles(a), shingles(b));
        a.intersection(&b).count() as f64 / a.union(&b).count() as f64
    }

    #[test]
    fn sketches_estimate_similarity_for_long_and_short_texts() {
        // Pairs of texts sharing a run of words, at lengths from 20 words (most slots
        // borrowed by densification) to 600, and overlaps from none to all.
        let mut seed = 7u64;
        let mut word = || {
            seed = mix(seed);
            format!("w{}", seed % 5000)
        };
        let (mut error, mut pairs, mut worst) = (0.0, 0, 0.0f64);
        for len in [20usize, 40, 80, 200, 600] {
            for shared_tenths in 0..=10 {
                let shared: Vec<String> = (0..len * shared_tenths / 10).map(|_| word()).collect();
                let text = |own: Vec<String>| [shared.clone(), own].concat().join(" ");
                let a = text((shared.len()..len).map(|_| word()).collect());
                let b = text((shared.len()..len).map(|_| word()).collect());
                let estimate = Sketch::of(&a).similarity(&Sketch::of(&b));
                let d = (estimate - jaccard(&a, &b)).abs();
                (error, pairs, worst) = (error + d, pairs + 1, worst.max(d));
            }
        }
        let mean = error / pairs as f64;
        assert!(mean < 0.06, "mean error {mean}");
        assert!(worst < 0.25, "worst error {worst}");
    }

    #[test]
    fn sketch_round_trips_through_bytes() {
        let s = Sketch::of(&normalise(STORY));
        assert_eq!(Sketch::from_bytes(&s.to_bytes()), Some(s));
        assert_eq!(Sketch::from_bytes(&[1, 2, 3]), None);
    }
}
