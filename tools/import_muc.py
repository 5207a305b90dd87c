#!/usr/bin/env python3
"""Convert the MUC-4 TST3 and TST4 test sets (texts + answer keys) into tally's formats.

Source: ../shared/data/muc34 (see its PROVENANCE.md), files
  TASK/CORPORA/tst3/tst3-muc4 + key-tst3.v2, TASK/CORPORA/tst4/tst4-muc4 + key-tst4.v2.
Writes corpus/muc/{tst3,tst4}.jsonl (documents) and corpus/muc/{tst3,tst4}-keys.jsonl
(one object per answer-key template). Standard library only. Usage:

    python3 tools/import_muc.py [--src DIR] [--out DIR] [--mixed-case]

DOCUMENTS ({tst3,tst4}.jsonl), one per message, in file order:
  {"id": "TST3-MUC4-0001", "text": ..., "published": "1989-11-16"?, "outlet": "EFE"?}
  * The text files are runs of "<ID line>\\n<message>"; "text" is everything between the ID
    line and the next ID line with the surrounding blank lines removed (str.strip("\\n")), so
    it starts with the indented dateline ("   LIMA, 20 AUG 88 (EFE) -- [EXCERPTS] ...") and is
    an exact substring of the corpus file. Nothing inside is changed (line breaks, the fixed
    indentation and the [BRACKETED] FBIS notes all stay).
  * "published" is the dateline date "DD MMM YY" (format: TASK/CORPORA/dev/text-headers-info),
    YY read as 19YY. Datelines with "NO DATE" give no "published".
  * "outlet" is the "(SOURCE)" of the dateline (wire service / station), when present.
  * tst4-muc4 is all upper case (the version used in the evaluation); tst4-muc4.mixed-case
    is the same text in original case, and tst4-muc4 == mixed_case.upper() byte for byte, so
    spans are interchangeable. --mixed-case writes the mixed-case TST4 text instead.
    TST3 exists in upper case only.

KEYS ({tst3,tst4}-keys.jsonl). A key file is a run of templates separated by blank lines;
each template is 25 numbered slot lines "N.  SLOT NAME   filler" (filler from column 35);
a slot with several fillers continues on following lines indented to column 35, one filler
per line. Notation (TASK/TASKDOC/templ-doc-basic/template-doc-part1.v7, sections 3 and 4.2):
  "-"  null: no filler. Parsed as [] (or null start/end for the date).
  "*"  inapplicable: the slot never applies to this incident type (e.g. PHYS TGT slots of a
       KIDNAPPING) or the message is irrelevant. Parsed as null (distinct from []).
  "A / B"  alternatives for ONE filler: any one of them is a correct answer. Kept as a list
       ("alts"). In the DATE and LOCATION slots, alternatives are usually parenthesised,
       "(EL SALVADOR: SAN SALVADOR (CITY)) / (EL SALVADOR)"; once only part of a location is
       alternated, "COLOMBIA: (MEDELLIN (CITY) - DORADAL (TOWN)) / (DORADAL (TOWN))" -- there
       an alternative without a country gets the country of the other alternatives.
  "? X"  (also "?X") the filler is optional: null is also correct. "optional": true on that
       filler (for DATE/LOCATION on the slot object).
  "2 (OPTIONAL)" after the template number: the whole template is optional ("significant
       doubt whether the incident belongs in the database"); "optional": true on the template.
  'SET: "STRING"'  a set-fill value with a cross-reference to the filler of another slot
       (PERP: ORGANIZATION CONFIDENCE -> ORGANIZATION ID, HUM TGT: NUMBER/EFFECT -> NAME or
       DESCRIPTION, PHYS TGT: NUMBER/EFFECT -> PHYS TGT: ID). Both sides may have alternatives:
       'REPORTED AS FACT / POSSIBLE: "ELN" / "POPULAR LIBERATION ARMY"' ->
       {"alts": ["REPORTED AS FACT", "POSSIBLE"], "ref": ["ELN", "POPULAR LIBERATION ARMY"]}.
       The dummy reference "-" (no referent) is kept as the string "-".
  Strings are in double quotes with \\" for an inner quote; they are unescaped here.

One key object per template:
  {"doc", "template": int, "optional": bool,
   "incident_type": ["ATTACK"] (alternatives), "stage": ["ACCOMPLISHED"],
   "date": {"raw", "optional", "start", "end", "alts": [{"raw", "start", "end"}]},
   "location": {"raw", "optional", "places": [names], "alts": [{"raw", "country", "path"}]},
   "perp_individual": [{"alts": [str], "optional"}], "perp_org": [{"alts": [str], "optional"}],
   "perp_org_confidence": [{"alts": [set values], "ref": [org strings], "optional"}],
   "hum_tgt_number": [{"alts", "ref", "optional", "values": [{"raw", "min", "max", "approx"}]}],
   "hum_tgt_effect": [{"alts", "ref", "optional"}], "phys_tgt_effect": [...same...],
   "raw": {"INCIDENT: DATE": ["16 NOV 89"], ...}  every slot's filler lines as in the key
          (slots 1-24, keyed by slot name; leading/trailing blanks removed)}
  A message whose only template has "*" as template number (irrelevant, no incident) gives
  {"doc", "template": 0, "irrelevant": true, "raw": {...}}.
Date parsing (slot 2, section 7.3): "DD MMM YY" -> start = end; "DD MMM YY - DD MMM YY" ->
  start, end ("on or between"); "- DD MMM YY" -> start null, end ("on or before"; the key uses
  it for dates defaulted from the dateline); "-" -> null. YY is 19YY, except "00", which the
  key uses once for an unknown year ("? 12 AUG 00", TST3-MUC4-0033): start/end null there
  and "year_unknown": true. With alternatives, top-level start/end is the hull of the
  alternatives (earliest start, latest end; null if any alternative is open on that side).
Location parsing (slot 3, section 7.4): "COUNTRY: NAME (TYPE): NAME (TYPE) ..." in increasing
  specificity; "A (TYPE) - B (TYPE)" = between two places. "path" is a list of levels, each a
  list of {"name", "type"} (two entries for a range; the country has type "COUNTRY").
  "places" lists every name (countries included) over all alternatives, first seen first.
Numbers (HUM TGT: NUMBER, section 7.22): "N" -> min=max=N; "N -" = at least N (documented);
  "- N" (not documented, occurs in TST4) read as at most N; "N - M" range; "~N" approx N;
  "PLURAL" -> min 2, max null.
"""
import argparse, datetime, json, os, re, sys

MONTHS = {m: i for i, m in enumerate(
    "JAN FEB MAR APR MAY JUN JUL AUG SEP OCT NOV DEC".split(), 1)}
SETS = ("tst3", "tst4")
SLOT_RE = re.compile(r"^(\d{1,2})\.\s+([A-Z][A-Z ]*: [A-Z][A-Z ]*?)(?:\s{2,}(.*?))?\s*$")
ID_RE = re.compile(r"^(TST\d-MUC4-\d{4})$", re.M)
SLOT_NAMES = {}  # slot number -> name as written in the key files, e.g. 2 -> "INCIDENT: DATE"
DATELINE_RE = re.compile(
    r"^\s*(?P<place>[^,\n]+),\s+(?:(?P<d>\d{1,2}) (?P<m>[A-Za-z]{3})(?: (?P<y>\d{2}))?|NO DATE)"
    r"\s*(?:\((?P<src>[^)]*)\))?\s*--", re.I)


class KeyError_(Exception):
    pass


# ---------------------------------------------------------------- texts

def read_texts(path):
    raw = open(path, encoding="ascii").read()
    parts = ID_RE.split(raw)
    if parts[0].strip():
        raise KeyError_(f"{path}: text before the first message id")
    docs = []
    for mid, body in zip(parts[1::2], parts[2::2]):
        text = body.strip("\n")
        doc = {"id": mid, "text": text}
        m = DATELINE_RE.match(text)
        if not m:
            print(f"warning: {mid}: no dateline", file=sys.stderr)
        else:
            if m.group("y"):
                doc["published"] = datetime.date(
                    1900 + int(m.group("y")), MONTHS[m.group("m").upper()], int(m.group("d"))).isoformat()
            if m.group("src"):
                doc["outlet"] = m.group("src").strip()
        docs.append(doc)
    return docs


# ---------------------------------------------------------------- key files

def read_templates(path):
    """Yields (line_no, {slot_no: [filler lines]}) per template."""
    cur, slot, start = None, None, 0
    for n, line in enumerate(open(path, encoding="ascii").read().split("\n"), 1):
        if not line.strip():
            continue
        m = SLOT_RE.match(line)
        if m:
            k = int(m.group(1))
            if k == 0:
                if cur is not None:
                    yield start, cur
                cur, start = {}, n
            elif cur is None or k != slot + 1:
                raise KeyError_(f"{path}:{n}: slot {k} out of order")
            slot = k
            if SLOT_NAMES.setdefault(k, m.group(2)) != m.group(2):
                raise KeyError_(f"{path}:{n}: slot {k} is {m.group(2)!r}, expected {SLOT_NAMES[k]!r}")
            cur[k] = [(m.group(3) or "").strip()]
        elif line.startswith(" " * 20) and cur is not None:
            cur[slot].append(line.strip())
        else:
            raise KeyError_(f"{path}:{n}: cannot read line {line!r}")
    if cur is not None:
        yield start, cur


def split_top(s, sep="/"):
    """Splits s on sep outside double quotes and parentheses."""
    out, depth, q, buf, i = [], 0, False, [], 0
    while i < len(s):
        c = s[i]
        if q:
            buf.append(c)
            if c == "\\" and i + 1 < len(s):
                buf.append(s[i + 1]); i += 1
            elif c == '"':
                q = False
        elif c == '"':
            q = True; buf.append(c)
        elif c == "(":
            depth += 1; buf.append(c)
        elif c == ")":
            depth -= 1; buf.append(c)
        elif c == sep and depth == 0:
            out.append("".join(buf)); buf = []
        else:
            buf.append(c)
        i += 1
    out.append("".join(buf))
    return [x.strip() for x in out]


def unparen(s):
    s = s.strip()
    while s.startswith("(") and s.endswith(")") and balanced(s[1:-1]):
        s = s[1:-1].strip()
    return s


def balanced(s):
    d = 0
    for c in s:
        d += (c == "(") - (c == ")")
        if d < 0:
            return False
    return d == 0


def take_optional(s):
    s = s.strip()
    if s.startswith("?"):
        return True, s[1:].strip()
    return False, s


def parse_strings(s, where):
    """'"A" / "B \\"C\\""' -> ['A', 'B "C"']."""
    out, i = [], 0
    while True:
        while i < len(s) and s[i] == " ":
            i += 1
        if i >= len(s) or s[i] != '"':
            raise KeyError_(f"{where}: expected a quoted string in {s!r}")
        i += 1; buf = []
        while i < len(s) and s[i] != '"':
            if s[i] == "\\" and i + 1 < len(s):
                i += 1
            buf.append(s[i]); i += 1
        if i >= len(s):
            raise KeyError_(f"{where}: unterminated string in {s!r}")
        out.append("".join(buf)); i += 1
        while i < len(s) and s[i] == " ":
            i += 1
        if i >= len(s):
            return out
        if s[i] != "/":
            raise KeyError_(f"{where}: unexpected {s[i:]!r} in {s!r}")
        i += 1


def parse_filler(line, where, has_ref):
    """One filler line of a string slot (has_ref False) or a 'SET: "REF"' slot."""
    optional, s = take_optional(line)
    q = s.find('"')
    head, tail = (s, "") if q < 0 else (s[:q], s[q:])
    head = head.strip()
    if has_ref:
        if not head.endswith(":"):
            raise KeyError_(f"{where}: no cross-reference in {line!r}")
        alts = [a.strip() for a in head[:-1].split("/") if a.strip()]
        return {"alts": alts, "ref": parse_strings(tail, where) if tail else [], "optional": optional}
    if head:
        raise KeyError_(f"{where}: unexpected {head!r} in {line!r}")
    return {"alts": parse_strings(tail, where), "optional": optional}


def parse_slot(lines, where, has_ref=False):
    if lines == ["*"]:
        return None
    if lines == ["-"]:
        return []
    return [parse_filler(l, where, has_ref) for l in lines]


def set_alts(lines, where):
    if lines == ["*"]:
        return None
    if len(lines) != 1:
        raise KeyError_(f"{where}: expected one filler, got {lines!r}")
    return [a.strip() for a in lines[0].split("/")]


# ---- dates

DATE = r"(\d{1,2}) ([A-Z]{3}) (\d{2})"


def iso(d, m, y):
    if y == "00":
        return None
    return datetime.date(1900 + int(y), MONTHS[m], int(d)).isoformat()


def parse_date_alt(s, where):
    s = " ".join(s.split())
    out = {"raw": s, "start": None, "end": None}
    if s == "-":
        return out
    m = re.fullmatch(DATE, s)
    if m:
        out["start"] = out["end"] = iso(*m.groups())
    elif (m := re.fullmatch(DATE + " - " + DATE, s)):
        out["start"], out["end"] = iso(*m.groups()[:3]), iso(*m.groups()[3:])
    elif (m := re.fullmatch("- " + DATE, s)):
        out["end"] = iso(*m.groups())
    elif (m := re.fullmatch(DATE + " -", s)):
        out["start"] = iso(*m.groups())
    else:
        raise KeyError_(f"{where}: cannot parse date {s!r}")
    if re.search(r"[A-Z]{3} 00\b", s):
        out["year_unknown"] = True
    return out


def parse_date(lines, where):
    if lines == ["*"]:
        return None
    if len(lines) != 1:
        raise KeyError_(f"{where}: several date fillers {lines!r}")
    optional, s = take_optional(lines[0])
    alts = [parse_date_alt(unparen(a), where) for a in split_top(s)]
    starts = [a["start"] for a in alts]
    ends = [a["end"] for a in alts]
    unknown = any(a.get("year_unknown") for a in alts)
    out = {"raw": lines[0], "optional": optional,
           "start": None if unknown or None in starts else min(starts),
           "end": None if unknown or None in ends else max(ends),
           "alts": alts}
    return out


# ---- locations

class LocParser:
    """alts := seq ('/' seq)* ; seq := item (':' item)* ;
    item := '(' alts ')' | place (' - ' place)* ; place := NAME ['(' TYPE ')']"""

    def __init__(self, s, where):
        self.s, self.i, self.where = " ".join(s.split()), 0, where

    def err(self, msg):
        raise KeyError_(f"{self.where}: {msg} at {self.i} in location {self.s!r}")

    def ws(self):
        while self.i < len(self.s) and self.s[self.i] == " ":
            self.i += 1

    def peek(self):
        self.ws()
        return self.s[self.i] if self.i < len(self.s) else ""

    def parse(self):
        r = self.alts()
        if self.peek():
            self.err("trailing text")
        return r

    def alts(self):
        paths = self.seq()
        while self.peek() == "/":
            self.i += 1
            paths += self.seq()
        return paths

    def seq(self):
        paths = self.item()
        while self.peek() == ":":
            self.i += 1
            nxt = self.item()
            paths = [p + q for p in paths for q in nxt]
        return paths

    def item(self):
        if self.peek() == "(":
            self.i += 1
            r = self.alts()
            if self.peek() != ")":
                self.err("expected )")
            self.i += 1
            return r
        level = [self.place()]
        while self.peek() == "-":
            self.i += 1
            level.append(self.place())
        return [[level]]

    def place(self):
        self.ws()
        j = self.i
        while self.i < len(self.s) and self.s[self.i] not in "():/" and not self.s.startswith(" - ", self.i):
            self.i += 1
        name = self.s[j:self.i].strip()
        if not name:
            self.err("expected a place name")
        typ = None
        if self.peek() == "(":
            k = self.s.find(")", self.i)
            if k < 0:
                self.err("unclosed type")
            typ = self.s[self.i + 1:k].strip()
            self.i = k + 1
        return {"name": name, "type": typ}


def show_path(path):
    return ": ".join(" - ".join(p["name"] + (f" ({p['type']})" if p["type"] and p["type"] != "COUNTRY" else "")
                                for p in level) for level in path)


def parse_location(lines, where, countries):
    if lines == ["*"]:
        return None
    if len(lines) != 1:
        raise KeyError_(f"{where}: several location fillers {lines!r}")
    optional, s = take_optional(lines[0])
    if s == "-":
        return {"raw": lines[0], "optional": optional, "places": [], "alts": []}
    paths = LocParser(s, where).parse()
    for path in paths:
        for level in path:
            for p in level:
                if p["type"] is None:
                    if p["name"] not in countries:
                        print(f"warning: {where}: {p['name']!r} has no type and is not a country", file=sys.stderr)
                    else:
                        p["type"] = "COUNTRY"
    # an alternative lacking the country the others share inherits it
    heads = {p[0][0]["name"] for p in paths if p[0][0]["type"] == "COUNTRY"}
    if len(heads) == 1:
        country = heads.pop()
        paths = [p if p[0][0]["type"] == "COUNTRY" else [[{"name": country, "type": "COUNTRY"}]] + p
                 for p in paths]
    alts, places = [], []
    for path in paths:
        country = path[0][0]["name"] if path[0][0]["type"] == "COUNTRY" else None
        alts.append({"raw": show_path(path), "country": country, "path": path})
        for level in path:
            for p in level:
                if p["name"] not in places:
                    places.append(p["name"])
    return {"raw": lines[0], "optional": optional, "places": places, "alts": alts}


# ---- numbers

def parse_number(v):
    v = " ".join(v.split())
    out = {"raw": v, "min": None, "max": None, "approx": False}
    if v == "PLURAL":
        out["min"] = 2
    elif (m := re.fullmatch(r"~ ?(\d+)", v)):
        out["min"] = out["max"] = int(m.group(1)); out["approx"] = True
    elif (m := re.fullmatch(r"(\d+)", v)):
        out["min"] = out["max"] = int(m.group(1))
    elif (m := re.fullmatch(r"(\d+) ?- ?(\d+)", v)):
        out["min"], out["max"] = int(m.group(1)), int(m.group(2))
    elif (m := re.fullmatch(r"(\d+) ?-", v)):
        out["min"] = int(m.group(1))
    elif (m := re.fullmatch(r"- ?(\d+)", v)):
        out["max"] = int(m.group(1))
    else:
        print(f"warning: cannot parse number {v!r}", file=sys.stderr)
    return out


# ---- templates

def convert_template(slots, where, countries):
    doc = slots[0][0]
    raw = {SLOT_NAMES[k]: v for k, v in sorted(slots.items()) if k != 0}
    tmpl = slots[1][0]
    if tmpl == "*":
        return {"doc": doc, "template": 0, "irrelevant": True, "raw": raw}
    m = re.fullmatch(r"(\d+)\s*(\(OPTIONAL\))?", tmpl)
    if not m:
        raise KeyError_(f"{where}: bad template number {tmpl!r}")
    hum_number = parse_slot(slots[21], where, has_ref=True)
    for f in hum_number or []:
        f["values"] = [parse_number(v) for v in f["alts"]]
    return {
        "doc": doc,
        "template": int(m.group(1)),
        "optional": bool(m.group(2)),
        "incident_type": set_alts(slots[4], where),
        "stage": set_alts(slots[5], where),
        "date": parse_date(slots[2], where),
        "location": parse_location(slots[3], where, countries),
        "perp_individual": parse_slot(slots[9], where),
        "perp_org": parse_slot(slots[10], where),
        "perp_org_confidence": parse_slot(slots[11], where, has_ref=True),
        "hum_tgt_number": hum_number,
        "hum_tgt_effect": parse_slot(slots[23], where, has_ref=True),
        "phys_tgt_effect": parse_slot(slots[16], where, has_ref=True),
        "raw": raw,
    }


def read_countries(src):
    path = os.path.join(src, "TASK/TASKDOC/templ-doc-basic/set-list-foreign-nation.v5")
    names, on = set(), False
    for line in open(path, encoding="ascii"):
        if line.startswith("1.0"):
            on = True
        elif line.startswith("2.0"):
            break
        elif on and re.fullmatch(r"[A-Z][A-Z .'()-]*", line.strip()):
            names.add(line.strip())
    return names


def write_jsonl(path, rows):
    with open(path, "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")


def main():
    repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--src", default=os.path.join(os.path.dirname(repo), "shared/data/muc34"))
    ap.add_argument("--out", default=os.path.join(repo, "corpus/muc"))
    ap.add_argument("--mixed-case", action="store_true", help="TST4 text in original case")
    args = ap.parse_args()
    countries = read_countries(args.src)
    os.makedirs(args.out, exist_ok=True)
    corpora = os.path.join(args.src, "TASK/CORPORA")
    key_files = {"tst3": "key-tst3.v2", "tst4": "key-tst4.v2"}
    ok = True
    for name in SETS:
        text_file = f"{name}-muc4" + (".mixed-case" if args.mixed_case and name == "tst4" else "")
        docs = read_texts(os.path.join(corpora, name, text_file))
        keys = []
        key_path = os.path.join(corpora, name, key_files[name])
        for line_no, slots in read_templates(key_path):
            if len(slots) != 25:
                raise KeyError_(f"{key_path}:{line_no}: {len(slots)} slots")
            keys.append(convert_template(slots, f"{key_path}:{line_no}", countries))
        write_jsonl(os.path.join(args.out, f"{name}.jsonl"), docs)
        write_jsonl(os.path.join(args.out, f"{name}-keys.jsonl"), keys)

        ids = [d["id"] for d in docs]
        key_ids = {k["doc"] for k in keys}
        if set(ids) != key_ids or len(set(ids)) != len(ids):
            ok = False
            print(f"error: {name}: text ids and key ids differ: "
                  f"{sorted(set(ids) ^ key_ids)}", file=sys.stderr)
        irrelevant = [k for k in keys if k.get("irrelevant")]
        tmpl = [k for k in keys if not k.get("irrelevant")]
        opt = sum(k["optional"] for k in tmpl)
        mixed = {k["doc"] for k in irrelevant} & {k["doc"] for k in tmpl}
        if mixed:
            ok = False
            print(f"error: {name}: messages both irrelevant and with templates: {sorted(mixed)}", file=sys.stderr)
        n_pub = sum("published" in d for d in docs)
        with_org = sum(bool(k["perp_org"]) for k in tmpl)
        conf = {}
        for k in tmpl:
            for f in k["perp_org_confidence"] or []:
                for a in f["alts"]:
                    conf[a] = conf.get(a, 0) + 1
        dated = sum(k["date"] is not None and (k["date"]["start"] or k["date"]["end"]) is not None for k in tmpl)
        print(f"{name}: {len(docs)} messages ({n_pub} with a dateline date), "
              f"{len(keys)} key templates: {len(irrelevant)} irrelevant messages, "
              f"{len(tmpl)} incident templates in {len({k['doc'] for k in tmpl})} messages "
              f"({opt} optional); {dated} with a parsed date, {with_org} with a PERP: ORGANIZATION ID; "
              f"confidence values (alternatives counted each): "
              + ", ".join(f"{v} {c}" for c, v in sorted(conf.items(), key=lambda x: -x[1])))
    print(f"wrote {args.out}/{{tst3,tst4}}.jsonl and {{tst3,tst4}}-keys.jsonl"
          + (" (TST4 mixed case)" if args.mixed_case else ""))
    return 0 if ok else 1


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyError_ as e:
        print(f"error: {e}", file=sys.stderr)
        sys.exit(1)
