//! `tally gazetteer import`: a full GeoNames dump (allCountries.txt, a country file such as
//! AZ.txt, or cities500.txt: the `geoname` table, tab-separated, 19 columns) into the two
//! files the gazetteer reads.

use std::collections::BTreeMap;
use std::io::{BufRead, Write};
use std::path::Path;

/// What an import read and wrote.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct ImportSummary {
    pub lines: usize,
    pub places: usize,
    pub names: usize,
    /// Lines that were not 19 tab-separated fields (line numbers, 1-based; the first 20).
    pub bad_lines: Vec<usize>,
    pub bad_count: usize,
}

/// Reads a GeoNames dump and writes `places.tsv.gz` and `names.tsv.gz` into `out`. Keeps
/// populated places (feature class P), first-level admin divisions (ADM1) and independent
/// political entities (PCLI…); every Latin-script alternate name becomes a key.
pub fn import_geonames(
    dump: impl BufRead,
    out: &Path,
    fold: impl Fn(&str) -> String,
) -> std::io::Result<ImportSummary> {
    let mut summary = ImportSummary::default();
    let mut rows: Vec<[String; 8]> = Vec::new();
    let mut keys: Vec<Vec<String>> = Vec::new();
    let mut admin1: BTreeMap<(String, String), String> = BTreeMap::new();
    let mut pending_admin1: Vec<(usize, String, String)> = Vec::new();
    for (n, line) in dump.lines().enumerate() {
        let line = line?;
        summary.lines += 1;
        let f: Vec<&str> = line.split('\t').collect();
        if f.len() != 19 {
            summary.bad_count += 1;
            if summary.bad_lines.len() < 20 {
                summary.bad_lines.push(n + 1);
            }
            continue;
        }
        let (class, code, cc) = (f[6], f[7], f[8]);
        let kind = match (class, code) {
            ("P", _) => "town",
            ("A", "ADM1") => "region",
            ("A", c) if c.starts_with("PCL") => "country",
            _ => continue,
        };
        if kind == "region" {
            admin1.insert((cc.to_string(), f[10].to_string()), f[1].to_string());
        }
        if kind == "town" {
            pending_admin1.push((rows.len(), cc.to_string(), f[10].to_string()));
        }
        rows.push([
            f[0].to_string(),
            f[1].to_string(),
            cc.to_string(),
            if kind == "region" { f[1].to_string() } else { String::new() },
            f[4].to_string(),
            f[5].to_string(),
            f[14].to_string(),
            kind.to_string(),
        ]);
        let mut names: Vec<String> =
            std::iter::once(f[1]).chain(std::iter::once(f[2])).chain(f[3].split(',')).map(&fold).collect();
        names.retain(|k| is_latin_key(k));
        names.sort();
        names.dedup();
        keys.push(names);
    }
    for (row, cc, code) in pending_admin1 {
        if let Some(name) = admin1.get(&(cc, code)) {
            rows[row][3] = name.clone();
        }
    }
    let mut index: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, names) in keys.into_iter().enumerate() {
        for k in names {
            index.entry(k).or_default().push(i);
        }
    }
    std::fs::create_dir_all(out)?;
    let mut places = gz_writer(&out.join("places.tsv.gz"))?;
    for r in &rows {
        writeln!(places, "{}", r.iter().map(|s| s.replace('\t', " ")).collect::<Vec<_>>().join("\t"))?;
    }
    places.finish()?;
    let mut names = gz_writer(&out.join("names.tsv.gz"))?;
    for (k, ids) in &index {
        writeln!(names, "{k}\t{}", ids.iter().map(|i| i.to_string()).collect::<Vec<_>>().join(","))?;
    }
    names.finish()?;
    summary.places = rows.len();
    summary.names = index.len();
    Ok(summary)
}

fn gz_writer(path: &Path) -> std::io::Result<flate2::write::GzEncoder<std::fs::File>> {
    Ok(flate2::write::GzEncoder::new(std::fs::File::create(path)?, flate2::Compression::default()))
}

/// Keys an English text could contain: ASCII letters, digits and spaces, at least one letter.
fn is_latin_key(k: &str) -> bool {
    !k.is_empty()
        && k.bytes().all(|b| b.is_ascii_alphanumeric() || b == b' ')
        && k.bytes().any(|b| b.is_ascii_alphabetic())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Gazetteer, PlaceKind};

    #[test]
    fn a_small_dump_round_trips() {
        let dump = "\
147774\tKhojaly\tKhojaly\tXocalı,Khodzhaly,Ходжалы\t39.91361\t46.79213\tP\tPPLA\tAZ\t\t64\t\t\t\t5810\t\t\tAsia/Baku\t2019-01-01
587084\tXocalı Rayonu\tXocali Rayonu\tKhojaly District\t39.95\t46.8\tA\tADM1\tAZ\t\t64\t\t\t\t0\t\t\tAsia/Baku\t2019-01-01
587116\tAzerbaijan\tAzerbaijan\tAzərbaycan\t40.5\t47.5\tA\tPCLI\tAZ\t\t00\t\t\t\t9000000\t\t\tAsia/Baku\t2019-01-01
1\tA stream\tA stream\t\t1\t1\tH\tSTM\tAZ\t\t\t\t\t\t0\t\t\t\t2019
broken line
";
        let dir = std::env::temp_dir().join(format!("tally-gaz-import-{}", std::process::id()));
        let g = Gazetteer::builtin();
        let summary = import_geonames(dump.as_bytes(), &dir, |s| g.fold(s)).unwrap();
        assert_eq!((summary.lines, summary.places, summary.bad_lines.clone()), (5, 3, vec![5]));
        let imported = Gazetteer::from_dir(&dir).unwrap();
        let khojaly: Vec<_> = imported.lookup("xocali").into_iter().map(|i| imported.place(i)).collect();
        assert_eq!(khojaly.len(), 1);
        assert_eq!(khojaly[0].geonames_id, Some(147774));
        assert_eq!(khojaly[0].admin1.as_deref(), Some("Xocalı Rayonu"));
        assert_eq!(imported.country("AZ").unwrap().kind, PlaceKind::Country);
        std::fs::remove_dir_all(dir).unwrap();
    }
}
