//! The gazetteer: from a place name as written to the places it may name.
//!
//! Built from GeoNames (CC BY 4.0) by `tools/build_gazetteer.py`: populated places with
//! their alternate names, first-level admin regions and countries, plus a curated table of
//! conflict regions (`data/regions.tsv`). Names are folded (lower case, diacritics and
//! apostrophes removed, hyphens as spaces) so that Shusha / Shushi, Ağdam / Agdam and
//! Kharkiv / Kharkov resolve while the caller keeps the text as written. No variant is
//! preferred: a place's `name` is only GeoNames' label.
//!
//! The data is embedded compressed and unpacked once into hash indexes, so a process pays
//! ~0.4 s once (half of it inflating) and nothing per document. `import_geonames` builds
//! the same files from a full GeoNames dump for users who need every village.

mod import;

pub use import::import_geonames;

use rustc_hash::FxHashMap;
use serde::Serialize;
use std::io::Read;
use std::path::Path;
use std::sync::LazyLock;
use tally_core::spelling_skeleton;

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

/// One place row, its text fields borrowed from the (leaked, process-long) gazetteer text.
#[derive(Debug, Clone, Copy)]
struct Row {
    geonames_id: Option<u64>,
    name: &'static str,
    country: &'static str,
    admin1: &'static str,
    lat: Option<f64>,
    lon: Option<f64>,
    population: u64,
    kind: PlaceKind,
}

impl Row {
    fn parse(line: &'static str) -> Row {
        let [id, name, country, admin1, lat, lon, pop, kind] = tab_fields(line);
        Row {
            geonames_id: id.parse().ok(),
            name,
            country,
            admin1,
            lat: lat.parse().ok(),
            lon: lon.parse().ok(),
            population: pop.parse().unwrap_or(0),
            kind: match kind {
                "country" => PlaceKind::Country,
                "region" => PlaceKind::Region,
                _ => PlaceKind::Town,
            },
        }
    }
}

/// The first N tab-separated fields of a line, "" for those it lacks: one pass over the bytes
/// (a `split` per field cost more than the rest of reading a row).
fn tab_fields<const N: usize>(line: &str) -> [&str; N] {
    let mut out = [""; N];
    let (mut start, mut n) = (0, 0);
    for (i, &b) in line.as_bytes().iter().enumerate() {
        if b == b'\t' && n < N {
            out[n] = &line[start..i];
            (start, n) = (i + 1, n + 1);
        }
    }
    if n < N {
        out[n] = &line[start..];
    }
    out
}

/// How many people a place needs to be read from a name of two consonants.
const SHORT_SKELETON_CITY: u64 = 100_000;

pub struct Gazetteer {
    rows: Vec<Row>,
    /// Folded name → comma-separated row indices.
    names: FxHashMap<&'static str, &'static str>,
    /// First words of names of several words, so a caller tries a longer name only when
    /// one could start here.
    first_words: rustc_hash::FxHashSet<&'static str>,
    /// Names of countries, regions and large cities by their folded primary name: what a
    /// quick scan of a document's words can tell about its country.
    strong: FxHashMap<String, &'static str>,
    /// Per country, the most populous place for each consonant skeleton of a primary name;
    /// built the first time a country is asked for.
    skeletons: std::sync::Mutex<FxHashMap<String, std::sync::Arc<FxHashMap<String, u32>>>>,
    regions: Vec<Place>,
    region_names: FxHashMap<String, Vec<u32>>,
    fold: FxHashMap<char, String>,
    countries: FxHashMap<&'static str, u32>,
    /// Country code → its capital, found the first time one is asked for.
    capitals: std::sync::OnceLock<FxHashMap<&'static str, u32>>,
}

static BUILTIN: LazyLock<Gazetteer> = LazyLock::new(|| {
    let places = gunzip(include_bytes!("../data/places.tsv.gz")).expect("built-in places are valid gzip");
    let names = gunzip(include_bytes!("../data/names.tsv.gz")).expect("built-in names are valid gzip");
    Gazetteer::from_parts(places, names)
});

/// The name index and the first words of its names of several words, built in one pass over
/// the name table, each map sized up front (growing them cost a third of start-up).
fn index_names(names: &'static str) -> (FxHashMap<&'static str, &'static str>, rustc_hash::FxHashSet<&'static str>) {
    let lines = names.bytes().filter(|&b| b == b'\n').count() + 1;
    let mut index = FxHashMap::with_capacity_and_hasher(lines, Default::default());
    let mut first_words = rustc_hash::FxHashSet::with_capacity_and_hasher(lines / 4, Default::default());
    for (name, ids) in names.lines().filter_map(|l| l.split_once('\t')) {
        index.insert(name, ids);
        if let Some((w, _)) = name.split_once(' ') {
            first_words.insert(w);
        }
    }
    (index, first_words)
}

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
    /// with the curated regions added. Its text lives as long as the process.
    pub fn from_dir(dir: &Path) -> std::io::Result<Gazetteer> {
        let places = read_maybe_gz(&dir.join("places.tsv.gz"))?;
        let names = read_maybe_gz(&dir.join("names.tsv.gz"))?;
        Ok(Gazetteer::from_parts(places, names))
    }

    fn from_parts(places: String, names: String) -> Gazetteer {
        // The text backs every lookup for the rest of the process: keep it once, borrow it.
        let places: &'static str = Box::leak(places.into_boxed_str());
        let names: &'static str = Box::leak(names.into_boxed_str());
        let fold = include_str!("../data/fold.tsv")
            .lines()
            .filter_map(|l| {
                let (c, r) = l.split_once('\t')?;
                Some((c.chars().next()?, r.to_string()))
            })
            .collect();
        let rows: Vec<Row> = places.lines().map(Row::parse).collect();
        let countries = rows
            .iter()
            .enumerate()
            .filter(|(_, r)| r.kind == PlaceKind::Country)
            .map(|(i, r)| (r.country, i as u32))
            .collect();
        let (names, first_words) = index_names(names);
        let mut g = Gazetteer {
            rows,
            names,
            first_words,
            strong: FxHashMap::default(),
            skeletons: std::sync::Mutex::new(FxHashMap::default()),
            regions: Vec::new(),
            region_names: FxHashMap::default(),
            fold,
            countries,
            capitals: std::sync::OnceLock::new(),
        };
        for i in 0..g.rows.len() {
            let r = g.rows[i];
            if r.kind != PlaceKind::Town || r.population >= 300_000 {
                let key = g.fold(r.name);
                g.strong.entry(key).or_insert(r.country);
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
            let index = (self.rows.len() + self.regions.len()) as u32;
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
            let country: &'static str = Box::leak(countries[0].to_string().into_boxed_str());
            for variant in std::iter::once(f[1]).chain(f[2].split('|')) {
                let key = self.fold(variant);
                self.strong.entry(key.clone()).or_insert(country);
                if let Some((w, _)) = key.split_once(' ') {
                    let w: &'static str = Box::leak(w.to_string().into_boxed_str());
                    self.first_words.insert(w);
                }
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
        self.fold_cow(name).into_owned()
    }

    /// The folded form, borrowed when the name is already folded (lower-case ASCII words
    /// with single spaces), as most words of English text are.
    pub fn fold_cow<'n>(&self, name: &'n str) -> std::borrow::Cow<'n, str> {
        let plain = name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b' ')
            && !name.starts_with(' ')
            && !name.ends_with(' ')
            && !name.contains("  ");
        if plain {
            return std::borrow::Cow::Borrowed(name);
        }
        if name.is_ascii() {
            return std::borrow::Cow::Owned(self.fold_ascii(name));
        }
        std::borrow::Cow::Owned(self.fold_chars(name))
    }

    /// The folded form, character by character through the table.
    fn fold_chars(&self, name: &str) -> String {
        let mut out = String::with_capacity(name.len());
        for c in name.chars() {
            match self.fold.get(&c) {
                Some(r) => out.push_str(r),
                None => out.extend(c.to_lowercase()),
            }
        }
        out.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    /// `fold_cow` for ASCII text (capitalised English words): one pass over the bytes, the
    /// table consulted only for the few ASCII characters it maps.
    fn fold_ascii(&self, name: &str) -> String {
        let mut out = String::with_capacity(name.len());
        let mut space = false;
        let mut put = |out: &mut String, c: char| {
            if c.is_whitespace() {
                space = !out.is_empty();
            } else {
                if space {
                    out.push(' ');
                    space = false;
                }
                out.push(c);
            }
        };
        for b in name.bytes() {
            let c = b as char;
            if c.is_ascii_alphanumeric() {
                put(&mut out, c.to_ascii_lowercase());
            } else if let Some(r) = self.fold.get(&c) {
                r.chars().for_each(|r| put(&mut out, r));
            } else {
                put(&mut out, c);
            }
        }
        out
    }

    /// Indices of the places a folded name may refer to; curated regions first.
    pub fn lookup(&self, folded: &str) -> Vec<u32> {
        let mut out = self.region_names.get(folded).cloned().unwrap_or_default();
        if let Some(ids) = self.names.get(folded) {
            out.extend(ids.split(',').filter_map(|i| i.parse::<u32>().ok()));
        }
        out
    }

    /// Whether this folded name is a country's own name.
    pub fn names_country(&self, folded: &str) -> bool {
        self.names.get(folded).is_some_and(|ids| {
            ids.split(',').filter_map(|i| i.parse::<u32>().ok()).any(|i| {
                self.rows
                    .get(i as usize)
                    .is_some_and(|r| r.kind == PlaceKind::Country && self.fold_cow(r.name) == folded)
            })
        })
    }

    /// The country of a country, region or large city with this folded name.
    pub fn strong_country(&self, folded: &str) -> Option<&str> {
        self.strong.get(folded).copied()
    }

    /// The place in `country` whose name is spelt like `name` up to vowels, doubled letters,
    /// articles and a final "h" ("Deir Ezour" = Deir ez-Zor, "Tel Abyad" = Tall Abyad, "Atareb"
    /// = Al Atarib), the most populous when several are: for transliterations no table lists.
    pub fn lookup_loose(&self, name: &str, country: &str) -> Option<u32> {
        let key = spelling_skeleton(&self.fold(name));
        if key.len() < 2 {
            return None;
        }
        let index = {
            let mut cache = self.skeletons.lock().unwrap_or_else(|e| e.into_inner());
            cache
                .entry(country.to_string())
                .or_insert_with(|| std::sync::Arc::new(self.skeleton_index(country)))
                .clone()
        };
        // Two consonants ("Raqa") fit many names: only a city is taken for them.
        index.get(&key).copied().filter(|&i| key.len() >= 3 || self.rows[i as usize].population >= SHORT_SKELETON_CITY)
    }

    fn skeleton_index(&self, country: &str) -> FxHashMap<String, u32> {
        let mut map: FxHashMap<String, u32> = FxHashMap::default();
        for (i, r) in self.rows.iter().enumerate() {
            if r.country != country || r.kind == PlaceKind::Country {
                continue;
            }
            let best = map.entry(spelling_skeleton(&self.fold(r.name))).or_insert(i as u32);
            if self.rows[*best as usize].population < r.population {
                *best = i as u32;
            }
        }
        map
    }

    /// Whether some name of several words starts with this folded word.
    pub fn starts_longer_name(&self, folded_word: &str) -> bool {
        self.first_words.contains(folded_word)
    }

    /// Whether a folded name is known, without listing its places.
    pub fn contains(&self, folded: &str) -> bool {
        self.names.contains_key(folded) || self.region_names.contains_key(folded)
    }

    /// Whether `folded` is the place's own GeoNames name rather than one of its alternate
    /// names ("al quds" is Jerusalem's alternate, "jerusalem" its own). Curated regions
    /// count every variant as their own.
    pub fn is_own_name(&self, index: u32, folded: &str) -> bool {
        match self.rows.get(index as usize) {
            Some(r) => self.fold_cow(r.name) == folded,
            None => true,
        }
    }

    /// Kind, population and country of a place, without building it.
    pub fn brief(&self, index: u32) -> (PlaceKind, u64, &str) {
        match self.rows.get(index as usize) {
            Some(r) => (r.kind, r.population, r.country),
            None => {
                let p = &self.regions[index as usize - self.rows.len()];
                (p.kind, p.population, p.country.as_str())
            }
        }
    }

    /// The place with this index.
    pub fn place(&self, index: u32) -> Place {
        let i = index as usize;
        let Some(r) = self.rows.get(i) else {
            return self.regions[i - self.rows.len()].clone();
        };
        Place {
            index,
            geonames_id: r.geonames_id,
            name: r.name.to_string(),
            country: r.country.to_string(),
            admin1: Some(r.admin1.to_string()).filter(|s| !s.is_empty()),
            lat: r.lat,
            lon: r.lon,
            population: r.population,
            kind: r.kind,
        }
    }

    /// The capital of the country with this ISO code ("the Syrian capital" is Damascus).
    /// The built-in table places each country at its capital's coordinates, so the capital
    /// is the most populous town there; a table that places countries elsewhere (an imported
    /// dump's centroids) names no capital.
    pub fn capital(&self, code: &str) -> Option<u32> {
        self.capitals.get_or_init(|| self.find_capitals()).get(code).copied()
    }

    fn find_capitals(&self) -> FxHashMap<&'static str, u32> {
        let seats: FxHashMap<&str, (f64, f64)> = self
            .rows
            .iter()
            .filter(|r| r.kind == PlaceKind::Country)
            .filter_map(|r| Some((r.country, (r.lat?, r.lon?))))
            .collect();
        // (Countries were written with four decimals, towns with five.)
        let at_seat = |r: &Row| {
            let (Some((lat, lon)), Some(a), Some(b)) = (seats.get(r.country), r.lat, r.lon) else { return false };
            (lat - a).abs() < 1.5e-4 && (lon - b).abs() < 1.5e-4
        };
        let mut capitals: FxHashMap<&'static str, u32> = FxHashMap::default();
        for (i, r) in self.rows.iter().enumerate().filter(|(_, r)| r.kind == PlaceKind::Town) {
            if at_seat(r) {
                let best = capitals.entry(r.country).or_insert(i as u32);
                if self.rows[*best as usize].population < r.population {
                    *best = i as u32;
                }
            }
        }
        capitals
    }

    /// The country with this ISO code.
    pub fn country(&self, code: &str) -> Option<Place> {
        self.countries.get(code).map(|&i| self.place(i))
    }

    /// Number of places, curated regions included.
    pub fn len(&self) -> usize {
        self.rows.len() + self.regions.len()
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
    fn transliterations_resolve_loosely_within_a_country() {
        let g = Gazetteer::builtin();
        let name = |n: &str| g.lookup_loose(n, "SY").map(|i| g.place(i).name);
        // Two consonants are trusted for a city only ("Raqa"), not for a town ("Tal", At Tall).
        assert_eq!(name("Raqa").as_deref(), Some("Ar Raqqah"));
        assert_eq!(name("Tal"), None);
        assert!(name("Tel Abyad").is_some_and(|n| n.to_lowercase().contains("aby")), "{:?}", name("Tel Abyad"));
        assert!(name("Deir Ezour").is_some_and(|n| n.starts_with("Deir")), "{:?}", name("Deir Ezour"));
        assert_eq!(g.lookup_loose("Deir Ezour", "AZ"), None, "only in the document's country");
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
    fn the_ascii_fast_path_folds_as_the_table_does() {
        let g = Gazetteer::builtin();
        for name in ["Deir Ez-Zor", "  Al-Bab ", "St. Petersburg", "O'Neill", "Ras al-`Ayn", "A - B", "Tel--Abyad", "X"]
        {
            assert_eq!(g.fold_ascii(name), g.fold_chars(name), "{name:?}");
        }
        assert_eq!(g.fold("  Ras al-`Ayn "), "ras al ayn");
    }

    #[test]
    fn countries_regions_and_false_friends_have_several_readings() {
        let g = Gazetteer::builtin();
        assert_eq!(g.country("SY").unwrap().name, "Syria");
        for (code, capital) in [("SY", "Damascus"), ("AZ", "Baku"), ("AM", "Yerevan"), ("UA", "Kyiv")] {
            assert_eq!(g.capital(code).map(|i| g.place(i).name), Some(capital.to_string()));
        }
        let georgia = places("Georgia");
        assert!(georgia.iter().any(|p| p.kind == PlaceKind::Country && p.country == "GE"));
        assert!(georgia.iter().any(|p| p.country == "US"), "the US state (or a US town) is a reading too");
        let nk = places("Artsakh");
        assert!(nk.iter().any(|p| p.kind == PlaceKind::Region && p.country == "AZ"));
        assert_eq!(places("Daghlig Garabagh")[0].index, nk.iter().find(|p| p.kind == PlaceKind::Region).unwrap().index);
    }
}
