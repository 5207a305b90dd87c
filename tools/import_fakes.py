#!/usr/bin/env python3
"""Convert FA-KES (../shared/data/fakes/fakes.csv) into tally's JSONL document format.

The CSV is cp1252/latin-1; bytes undefined in cp1252 are kept as their latin-1 code point.
Document ids are `fakes-NNNN`, the 1-based row number in fakes.csv (unit_id is not unique).
The crowd's counts travel along under "fakes" so eval tools can compare against them.
"""
import csv, io, json, sys, datetime

def decode(raw: bytes) -> str:
    out = []
    for b in raw:
        try:
            out.append(bytes([b]).decode("cp1252"))
        except UnicodeDecodeError:
            out.append(chr(b))
    return "".join(out)

def main(src, dst):
    text = decode(open(src, "rb").read())
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    with open(dst, "w", encoding="utf-8") as f:
        for i, r in enumerate(rows, 1):
            m, d, y = (int(x) for x in r["date"].split("/"))
            doc = {
                "id": f"fakes-{i:04d}",
                "title": r["article_title"],
                "text": r["article_content"],
                "published": datetime.date(2000 + y, m, d).isoformat(),
                "outlet": r["source"],
                "fakes": {k: r[k] for k in ("unit_id", "location", "actor", "cause_of_death",
                                             "nb_children", "nb_civilians", "nb_noncivilians",
                                             "nb_women", "label")},
            }
            f.write(json.dumps(doc, ensure_ascii=False) + "\n")
    print(f"wrote {len(rows)} documents to {dst}", file=sys.stderr)

if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "../shared/data/fakes/fakes.csv",
         sys.argv[2] if len(sys.argv) > 2 else "corpus/fakes.jsonl")
