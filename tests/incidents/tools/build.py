#!/usr/bin/env python3
"""Build tests/incidents/claims.jsonl and docs.jsonl from the hand annotations.

Inputs:  tests/incidents/annot.jsonl      one line per claim mention (anchor-located)
         tests/incidents/incidents.jsonl  one line per incident id
         corpus/fakes.jsonl               the FA-KES articles
Outputs: tests/incidents/claims.jsonl     {"doc","span":[start,end],"count_text","kind","incident"}
                                          span = UTF-8 byte offsets of count_text in the text
         tests/incidents/docs.jsonl       the member articles, copied verbatim, in id order

Each annotation is located by its anchor (the `occurrence`-th match, default 1); the claim's
span is the first occurrence of count_text inside the anchor. Any anchor that is not found,
any count_text not inside its anchor, an unknown doc / kind / incident, two annotations on
the same span, or an incidents.jsonl entry whose `docs` or `total` flag disagrees with the
annotations is an error: all errors are printed with file:line and the script exits 1.
Nothing is written unless everything checks out. With --check it only validates.

Run from anywhere:  python3 tests/incidents/tools/build.py [--check]
"""
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent          # tests/incidents/tools
SET = HERE.parent                               # tests/incidents
ROOT = SET.parent.parent                        # repository root
CORPUS = ROOT / "corpus" / "fakes.jsonl"
ANNOT = SET / "annot.jsonl"
INCIDENTS = SET / "incidents.jsonl"
CLAIMS = SET / "claims.jsonl"
DOCS = SET / "docs.jsonl"

KINDS = {"killed", "injured", "missing", "captured", "displaced", "damaged"}


def find_nth(text, needle, n):
    pos = -1
    for _ in range(n):
        pos = text.find(needle, pos + 1)
        if pos < 0:
            return -1
    return pos


def rel(p):
    try:
        return p.relative_to(ROOT)
    except ValueError:
        return p


def main():
    check_only = "--check" in sys.argv[1:]
    errors = []

    corpus = {}
    order = []
    with open(CORPUS, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                d = json.loads(line)
                corpus[d["id"]] = (d, line.rstrip("\n"))
                order.append(d["id"])

    incidents = {}
    with open(INCIDENTS, encoding="utf-8") as f:
        for ln, line in enumerate(f, 1):
            if not line.strip():
                continue
            where = f"{rel(INCIDENTS)}:{ln}"
            try:
                inc = json.loads(line)
            except json.JSONDecodeError as e:
                errors.append(f"{where}: bad JSON: {e}")
                continue
            for field in ("id", "label", "place", "date_start", "date_end", "kind_note", "total", "docs"):
                if field not in inc:
                    errors.append(f"{where}: missing field {field!r}")
            iid = inc.get("id")
            if iid in incidents:
                errors.append(f"{where}: duplicate incident id {iid!r}")
            if bool(inc.get("total")) != str(iid).startswith("total:"):
                errors.append(f"{where}: total={inc.get('total')!r} but id is {iid!r} (total:* ids and only they are totals)")
            incidents[iid] = (inc, where)

    claims, seen = [], {}
    inc_docs = {}
    with open(ANNOT, encoding="utf-8") as f:
        for ln, line in enumerate(f, 1):
            if not line.strip():
                continue
            where = f"{rel(ANNOT)}:{ln}"
            try:
                a = json.loads(line)
            except json.JSONDecodeError as e:
                errors.append(f"{where}: bad JSON: {e}")
                continue
            missing = [k for k in ("doc", "anchor", "count_text", "kind", "incident") if k not in a]
            if missing:
                errors.append(f"{where}: missing field(s) {missing}")
                continue
            if a["doc"] not in corpus:
                errors.append(f"{where}: unknown doc {a['doc']!r}")
                continue
            if a["kind"] not in KINDS:
                errors.append(f"{where}: kind={a['kind']!r} not in {sorted(KINDS)}")
            if a["incident"] not in incidents:
                errors.append(f"{where}: incident {a['incident']!r} is not in {rel(INCIDENTS)}")
            text = corpus[a["doc"]][0]["text"]
            occ = int(a.get("occurrence", 1))
            at = find_nth(text, a["anchor"], occ)
            if at < 0:
                errors.append(f"{where}: anchor not found (occurrence {occ}) in {a['doc']}: {a['anchor']!r}")
                continue
            inner = a["anchor"].find(a["count_text"])
            if not a["count_text"] or inner < 0:
                errors.append(f"{where}: count_text {a['count_text']!r} is not inside anchor {a['anchor']!r}")
                continue
            cstart = at + inner
            bstart = len(text[:cstart].encode("utf-8"))
            bend = bstart + len(a["count_text"].encode("utf-8"))
            key = (a["doc"], bstart)
            if key in seen:
                errors.append(f"{where}: same span as {seen[key]} ({a['doc']} bytes {bstart}-{bend})")
                continue
            seen[key] = where
            inc_docs.setdefault(a["incident"], set()).add(a["doc"])
            claims.append({"doc": a["doc"], "span": [bstart, bend], "count_text": a["count_text"],
                           "kind": a["kind"], "incident": a["incident"]})

    for iid, (inc, where) in incidents.items():
        used = inc_docs.get(iid)
        if not used:
            errors.append(f"{where}: incident {iid!r} has no claim in {rel(ANNOT)}")
        elif sorted(used) != sorted(inc.get("docs") or []):
            errors.append(f"{where}: docs {inc.get('docs')} != docs with claims {sorted(used)}")

    if errors:
        for e in errors:
            print(e, file=sys.stderr)
        print(f"{len(errors)} error(s); nothing written", file=sys.stderr)
        sys.exit(1)

    member = {c["doc"] for c in claims}
    claims.sort(key=lambda c: (c["doc"], c["span"][0]))
    n_multi = sum(1 for iid, ds in inc_docs.items() if not iid.startswith("total:") and len(ds) > 1)
    n_events = sum(1 for iid in inc_docs if not iid.startswith("total:"))
    summary = (f"{len(claims)} claims in {len(member)} articles; {len(inc_docs)} incident ids "
               f"({n_events} events, {len(inc_docs) - n_events} totals); "
               f"{n_multi} events reported by 2+ articles")
    if check_only:
        print("ok:", summary)
        return
    with open(CLAIMS, "w", encoding="utf-8") as f:
        for c in claims:
            f.write(json.dumps(c, ensure_ascii=False) + "\n")
    with open(DOCS, "w", encoding="utf-8") as f:
        for did in sorted(member):
            f.write(corpus[did][1] + "\n")
    print(f"wrote {rel(CLAIMS)} and {rel(DOCS)}: {summary}")


if __name__ == "__main__":
    main()
