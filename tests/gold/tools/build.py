#!/usr/bin/env python3
"""Build tests/gold/claims.jsonl from the hand annotations in tests/gold/annot/*.jsonl.

Locates each annotation by its anchor (n-th occurrence) and the count text inside it, turns
character positions into UTF-8 byte offsets, resolves `part_of` references to claim indices
(0-based, in document order of the built claims), and checks every field. Exits non-zero and
names file:line for any annotation it cannot place, so a typo never becomes a silent gap.
With --check it only validates.
"""
import glob, json, sys

KINDS = {"killed", "injured", "missing", "captured", "displaced", "damaged"}
QUALS = {"exact", "about", "at_least", "more_than", "nearly", "up_to", "fewer_than", "range", "vague"}
CLASSES = {"civilian", "combatant", "mixed", "unknown", "property"}
STANCES = {"asserted", "hedged", "disputed", "denied"}
STYPES = {"government", "military", "ngo", "international", "media", "person", "unknown"}

def find_nth(text, needle, n):
    pos = -1
    for _ in range(n):
        pos = text.find(needle, pos + 1)
        if pos < 0:
            return -1
    return pos

def main():
    docs = {json.loads(l)["id"]: json.loads(l) for l in open("tests/gold/docs.jsonl", encoding="utf-8")}
    errors, rows = [], []
    for path in sorted(glob.glob("tests/gold/annot/*.jsonl")):
        for ln, line in enumerate(open(path, encoding="utf-8"), 1):
            if not line.strip():
                continue
            where = f"{path}:{ln}"
            try:
                a = json.loads(line)
            except json.JSONDecodeError as e:
                errors.append(f"{where}: bad JSON: {e}"); continue
            doc = docs.get(a.get("doc"))
            if doc is None:
                errors.append(f"{where}: unknown doc {a.get('doc')!r}"); continue
            text = doc["text"]
            at = find_nth(text, a["anchor"], int(a.get("occurrence", 1)))
            if at < 0:
                errors.append(f"{where}: anchor not found: {a['anchor']!r}"); continue
            inner = a["anchor"].find(a["count_text"])
            if inner < 0:
                errors.append(f"{where}: count_text {a['count_text']!r} not in anchor"); continue
            cstart = at + inner
            cend = cstart + len(a["count_text"])
            bstart = len(text[:cstart].encode("utf-8"))
            bend = bstart + len(a["count_text"].encode("utf-8"))
            for field, allowed in (("kind", KINDS), ("qualifier", QUALS), ("victims_class", CLASSES), ("stance", STANCES)):
                if a.get(field) not in allowed:
                    errors.append(f"{where}: {field}={a.get(field)!r} not in {sorted(allowed)}")
            if a.get("source_type") is not None and a["source_type"] not in STYPES:
                errors.append(f"{where}: source_type={a['source_type']!r}")
            rows.append((a["doc"], cstart, cend, bstart, bend, a, where))
    rows.sort(key=lambda r: (r[0], r[1]))
    index, claims = {}, []
    per_doc = {}
    for doc, cstart, cend, bstart, bend, a, where in rows:
        i = per_doc.get(doc, 0)
        per_doc[doc] = i + 1
        index[(doc, a["anchor"], a["count_text"])] = i
    for doc, cstart, cend, bstart, bend, a, where in rows:
        parent = None
        if a.get("part_of"):
            anchor, _, ctext = a["part_of"].rpartition("|")
            parent = index.get((doc, anchor, ctext))
            if parent is None:
                errors.append(f"{where}: part_of {a['part_of']!r} names no claim of {doc}")
        sentence_hint = docs[doc]["text"][max(0, cstart - 80):cend + 80]
        claims.append({
            "doc": doc, "span": [bstart, bend], "split": docs[doc]["split"],
            "kind": a["kind"],
            "count": {"text": a["count_text"], "value": a.get("value"), "low": a.get("low"),
                      "high": a.get("high"), "qualifier": a["qualifier"]},
            "victims": {"text": a.get("victims_text", ""), "class": a["victims_class"],
                        "groups": a.get("groups", [])},
            "cumulative": bool(a.get("cumulative", False)),
            "ambiguous": bool(a.get("ambiguous", False)),
            "part_of": parent,
            "place": a.get("place"), "time": a.get("time"), "perpetrator": a.get("perpetrator"),
            "source": None if a.get("source") is None else {"text": a["source"], "type": a.get("source_type") or "unknown"},
            "stance": a.get("stance", "asserted"),
            "context": sentence_hint,
        })
    if errors:
        print("\n".join(errors), file=sys.stderr)
        sys.exit(1)
    if "--check" not in sys.argv:
        with open("tests/gold/claims.jsonl", "w", encoding="utf-8") as f:
            for c in claims:
                f.write(json.dumps(c, ensure_ascii=False) + "\n")
    print(f"{len(claims)} claims in {len(per_doc)} documents ({len(docs)} annotated)", file=sys.stderr)

if __name__ == "__main__":
    main()
