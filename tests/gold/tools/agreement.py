#!/usr/bin/env python3
"""Agreement between two independent annotations of the same articles.

Compares tests/gold/second/*.jsonl (a second annotator's lines, same format as annot/) with
the lines of annot/ for the same documents: claims agree when they start at the same
character and have the same kind; fields are compared on agreeing claims the way
`tally eval` compares them (text fields: one normalised text contains the other).
Run from the repository root: python3 tests/gold/tools/agreement.py
"""
import glob, json, re

docs = {json.loads(l)["id"]: json.loads(l)["text"] for l in open("tests/gold/docs.jsonl", encoding="utf-8")}


def load(paths, ids=None):
    out = {}
    for path in paths:
        for line in open(path, encoding="utf-8"):
            if not line.strip():
                continue
            a = json.loads(line)
            if ids is not None and a["doc"] not in ids:
                continue
            text, pos = docs[a["doc"]], -1
            for _ in range(int(a.get("occurrence", 1))):
                pos = text.find(a["anchor"], pos + 1)
            out[(a["doc"], pos + a["anchor"].find(a["count_text"]), a["kind"])] = a
    return out


def norm(s):
    return re.sub(r"[^a-z0-9]", "", s.lower()) if s else None


def same_text(a, b):
    if a is None or b is None:
        return a is None and b is None
    x, y = norm(a), norm(b)
    return bool(x) and bool(y) and (x in y or y in x)


second = load(sorted(glob.glob("tests/gold/second/*.jsonl")))
ids = {k[0] for k in second}
first = load(sorted(glob.glob("tests/gold/annot/*.jsonl")), ids)
both = set(first) & set(second)
f1 = 2 * len(both) / (len(first) + len(second))
print(f"{len(ids)} articles: first {len(first)} claims, second {len(second)}, agreeing {len(both)} (F1 {f1:.3f})")
for field in ["value", "cumulative", "place", "time", "perpetrator", "source", "stance"]:
    exact = field in ("value", "cumulative", "stance")
    ok = sum((first[k].get(field) == second[k].get(field)) if exact else same_text(first[k].get(field), second[k].get(field)) for k in both)
    print(f"  {field:<12} {ok / len(both):.3f}  ({ok}/{len(both)})")
