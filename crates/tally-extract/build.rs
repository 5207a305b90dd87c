//! Fingerprints what decides the claims tally extracts: this crate's rules and lexicons, the
//! gazetteer and the claim model. A ledger stores the fingerprint with each document, so that
//! re-ingesting a document after an upgrade re-analyses it instead of keeping old claims.

use std::path::{Path, PathBuf};

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            files(&p, out);
        } else {
            out.push(p);
        }
    }
}

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let dirs = [
        root.join("src"),
        root.join("lexicon"),
        root.join("../tally-gazetteer/src"),
        root.join("../tally-gazetteer/data"),
        root.join("../tally-core/src"),
    ];
    let mut all = Vec::new();
    for d in &dirs {
        println!("cargo:rerun-if-changed={}", d.display());
        files(d, &mut all);
    }
    all.sort();
    // FNV-1a over each file's path (relative to the crate) and bytes: stable across builds.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut feed = |bytes: &[u8]| {
        for &b in bytes {
            h = (h ^ b as u64).wrapping_mul(0x0100_0000_01b3);
        }
    };
    for f in &all {
        feed(f.strip_prefix(&root).unwrap_or(f).to_string_lossy().as_bytes());
        feed(&std::fs::read(f).unwrap_or_default());
    }
    println!("cargo:rustc-env=TALLY_ANALYSER={}+{:016x}", std::env::var("CARGO_PKG_VERSION").unwrap_or_default(), h);
}
