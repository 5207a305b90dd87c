#!/usr/bin/env python3
"""Pick the FA-KES articles of the claim-level gold set.

Stratified random sample (seed 20261122): outlets are visited round-robin in a shuffled
order and an unseen article (by text) is drawn from each until N articles are chosen, so
every outlet is represented. Chosen articles alternate between `dev` (tune) and `test`
(held back) in draw order; with an odd number of outlets each outlet alternates too.
Writes tests/gold/docs.jsonl.
"""
import json, random, sys, collections

N = int(sys.argv[1]) if len(sys.argv) > 1 else 100
rng = random.Random(20261122)
docs = [json.loads(l) for l in open("corpus/fakes.jsonl", encoding="utf-8")]
by_outlet = collections.defaultdict(list)
for d in docs:
    by_outlet[d["outlet"]].append(d)
for v in by_outlet.values():
    rng.shuffle(v)
outlets = sorted(by_outlet)
rng.shuffle(outlets)
seen, chosen, per_outlet = set(), [], collections.Counter()
while len(chosen) < N:
    for o in outlets:
        while by_outlet[o] and len(chosen) < N:
            d = by_outlet[o].pop()
            if d["text"] in seen:
                continue
            seen.add(d["text"])
            d["split"] = "dev" if len(chosen) % 2 == 0 else "test"
            per_outlet[o] += 1
            chosen.append(d)
            break
chosen.sort(key=lambda d: d["id"])
with open("tests/gold/docs.jsonl", "w", encoding="utf-8") as f:
    for d in chosen:
        d.pop("fakes", None)
        f.write(json.dumps(d, ensure_ascii=False) + "\n")
print(dict(per_outlet), collections.Counter(d["split"] for d in chosen), file=sys.stderr)
