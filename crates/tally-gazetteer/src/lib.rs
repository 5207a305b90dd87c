//! The gazetteer: from a place name as written to the places it may name.
//!
//! Built from GeoNames (CC BY 4.0) by `tools/build_gazetteer.py`: populated places with
//! their alternate names, first-level admin regions and countries, plus a curated table of
//! conflict regions (`data/regions.tsv`). Names are folded (lower case, diacritics and
//! apostrophes removed, hyphens as spaces) so that Shusha / Shushi, Ağdam / Agdam and
//! Kharkiv / Kharkov resolve while the caller keeps the text as written. No variant is
//! preferred: a place's `name` is only GeoNames' label.
//!
//! The data is embedded compressed and unpacked once; lookups binary-search a sorted name
//! index, so a process pays ~0.2 s once and nothing per document. `import_geonames` builds
//! the same files from a full GeoNames dump for users who need every village.

mod import;

pub use import::import_geonames;

use rustc_hash::FxHashMap;
use serde::Serialize;
use std::io::Read;
use std::path::Path;
use std::sync::LazyLock;

/// How precisely a place locates an incident.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PlaceKind {
    Town,
    Region,
    Country,
}

/// One entry of the gazetteer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Place {
    pub index: u32,
    pub geonames_id: Option<u64>,
    pub name: String,
    /// ISO 3166-1 alpha-2 code.
    pub country: String,
    pub admin1: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub population: u64,
    pub kind: PlaceKind,
}

/// Lines of a text file, addressable by number without splitting the text up.
struct Lines {
    text: String,
    starts: Vec<u32>,
}

impl Lines {
    fn new(text: String) -> Lines {
        let mut starts = vec![0u32];
        starts.extend(text.match_indices('\n').map(|(i, _)| i as u32 + 1).filter(|&i| (i as usize) < text.len()));
        Lines { text, starts }
    }

    fn len(&self) -> usize {
        self.starts.len()
    }

    fn get(&self, i: usize) -> &str {
        let start = self.starts[i] as usize;
        let end = self.starts.get(i + 1).map_or(self.text.len(), |&e| e as usize);
        self.text[start..end].trim_end_matches('\n')
    }
}

pub struct Gazetteer {
    places: Lines,
    names: Lines,
    regions: Vec<Place>,
    region_names: FxHashMap<String, Vec<u32>>,
    fold: FxHashMap<char, String>,
    countries: FxHashMap<String, u32>,
}

static BUILTIN: LazyLock<Gazetteer> = LazyLock::new(|| {
    let places = gunzip(include_bytes!("../data/places.tsv.gz")).expect("built-in places are valid gzip");
    let names = gunzip(include_bytes!("../data/names.tsv.gz")).expect("built-in names are valid gzip");
    Gazetteer::from_parts(places, names)
});

fn gunzip(bytes: &[u8]) -> std::io::Result<String> {
    let mut out = String::with_capacity(bytes.len() * 3);
    flate2::read::GzDecoder::new(bytes).read_to_string(&mut out)?;
    Ok(out)
}

fn read_maybe_gz(path: &Path) -> std::io::Result<String> {
    let bytes = std::fs::read(path)?;
    if bytes.starts_with(&[0x1f, 0x8b]) {
        gunzip(&bytes)
    } else {
        String::from_utf8(bytes).map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))
    }
}

impl Gazetteer {
    /// The gazetteer shipped with tally.
    pub fn builtin() -> &'static Gazetteer {
        &BUILTIN
    }

    /// A gazetteer written by `import_geonames` (places.tsv.gz and names.tsv.gz in `dir`),
    /// with the curated regions added.
    pub fn from_dir(dir: &Path) -> std::io::Result<Gazetteer> {
        let places = read_maybe_gz(&dir.join("places.tsv.gz"))?;
        let names = read_maybe_gz(&dir.join("names.tsv.gz"))?;
        Ok(Gazetteer::from_parts(places, names))
    }

    fn from_parts(places: String, names: String) -> Gazetteer {
        let fold = include_str!("../data/fold.tsv")
            .lines()
            .filter_map(|l| {
                let (c, r) = l.split_once('\t')?;
                Some((c.chars().next()?, r.to_string()))
            })
            .collect();
        let mut g = Gazetteer {
            places: Lines::new(places),
            names: Lines::new(names),
            regions: Vec::new(),
            region_names: FxHashMap::default(),
            fold,
            countries: FxHashMap::default(),
        };
        for i in 0..g.places.len() {
            let line = g.places.get(i);
            if line.ends_with("\tcountry") {
                let cc = line.split('\t').nth(2).unwrap_or_default().to_string();
                g.countries.insert(cc, i as u32);
            }
        }
        g.add_regions(include_str!("../data/regions.tsv"));
        g
    }

    fn add_regions(&mut self, tsv: &str) {
        for line in tsv.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()) {
            let f: Vec<&str> = line.split('\t').collect();
            if f.len() < 7 {
                continue;
            }
            let index = (self.places.len() + self.regions.len()) as u32;
            let countries: Vec<&str> = f[3].split('|').collect();
            self.regions.push(Place {
                index,
                geonames_id: None,
                name: f[1].to_string(),
                country: countries[0].to_string(),
                admin1: None,
                lat: f[4].parse().ok(),
                lon: f[5].parse().ok(),
                population: 0,
                kind: PlaceKind::Region,
            });
            for variant in std::iter::once(f[1]).chain(f[2].split('|')) {
                let key = self.fold(variant);
                if !key.is_empty() {
                    let entry = self.region_names.entry(key).or_default();
                    if !entry.contains(&index) {
                        entry.push(index);
                    }
                }
            }
        }
    }

    /// The folded form of a name: the key every lookup uses.
    pub fn fold(&self, name: &str) -> String {
        let mut out = String::with_capacity(name.len());
        for c in name.chars() {
            match self.fold.get(&c) {
                Some(r) => out.push_str(r),
                None => out.extend(c.to_lowercase()),
            }
        }
        out.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    /// Indices of the places a folded name may refer to; curated regions first.
    pub fn lookup(&self, folded: &str) -> Vec<u32> {
        let mut out = self.region_names.get(folded).cloned().unwrap_or_default();
        let (mut lo, mut hi) = (0, self.names.len());
        while lo < hi {
            let mid = (lo + hi) / 2;
            let line = self.names.get(mid);
            let name = line.split('\t').next().unwrap_or_default();
            match name.as_bytes().cmp(folded.as_bytes()) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => {
                    let ids = line.split('\t').nth(1).unwrap_or_default();
                    out.extend(ids.split(',').filter_map(|i| i.parse::<u32>().ok()));
                    break;
                }
            }
        }
        out
    }

    /// The place with this index.
    pub fn place(&self, index: u32) -> Place {
        let i = index as usize;
        if i >= self.places.len() {
            return self.regions[i - self.places.len()].clone();
        }
        let f: Vec<&str> = self.places.get(i).split('\t').collect();
        let field = |k: usize| f.get(k).copied().unwrap_or_default();
        Place {
            index,
            geonames_id: field(0).parse().ok(),
            name: field(1).to_string(),
            country: field(2).to_string(),
            admin1: Some(field(3).to_string()).filter(|s| !s.is_empty()),
            lat: field(4).parse().ok(),
            lon: field(5).parse().ok(),
            population: field(6).parse().unwrap_or(0),
            kind: match field(7) {
                "country" => PlaceKind::Country,
                "region" => PlaceKind::Region,
                _ => PlaceKind::Town,
            },
        }
    }

    /// The country with this ISO code.
    pub fn country(&self, code: &str) -> Option<Place> {
        self.countries.get(code).map(|&i| self.place(i))
    }

    /// Number of places, curated regions included.
    pub fn len(&self) -> usize {
        self.places.len() + self.regions.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn places(name: &str) -> Vec<Place> {
        let g = Gazetteer::builtin();
        g.lookup(&g.fold(name)).into_iter().map(|i| g.place(i)).collect()
    }

    fn best(name: &str) -> Place {
        places(name).into_iter().max_by_key(|p| p.population).unwrap_or_else(|| panic!("{name} not found"))
    }

    #[test]
    fn variants_resolve_to_one_place() {
        for (a, b) in [
            ("Shusha", "Shushi"),
            ("Aghdam", "Ağdam"),
            ("Aleppo", "Halab"),
            ("Kharkiv", "Kharkov"),
            ("Stepanakert", "Khankendi"),
        ] {
            assert_eq!(best(a).geonames_id, best(b).geonames_id, "{a} / {b}");
        }
        let aleppo = best("Aleppo");
        assert_eq!((aleppo.country.as_str(), aleppo.kind), ("SY", PlaceKind::Town));
        assert!(aleppo.lat.unwrap() > 36.0 && aleppo.lon.unwrap() > 37.0);
    }

    #[test]
    fn folding_ignores_case_diacritics_and_hyphens() {
        let g = Gazetteer::builtin();
        assert_eq!(g.fold("Xocalı"), "xocali");
        assert_eq!(g.fold("Nagorno-Karabakh"), "nagorno karabakh");
        assert_eq!(g.fold("Ag'dam"), "agdam");
        assert_eq!(g.fold("Kəlbəcər"), "kelbecer");
    }

    #[test]
    fn countries_regions_and_false_friends_have_several_readings() {
        let g = Gazetteer::builtin();
        assert_eq!(g.country("SY").unwrap().name, "Syria");
        let georgia = places("Georgia");
        assert!(georgia.iter().any(|p| p.kind == PlaceKind::Country && p.country == "GE"));
        assert!(georgia.iter().any(|p| p.country == "US"), "the US state (or a US town) is a reading too");
        let nk = places("Artsakh");
        assert!(nk.iter().any(|p| p.kind == PlaceKind::Region && p.country == "AZ"));
        assert_eq!(places("Daghlig Garabagh")[0].index, nk.iter().find(|p| p.kind == PlaceKind::Region).unwrap().index);
    }
}
