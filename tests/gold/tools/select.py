#!/usr/bin/env python3
"""Pick the FA-KES articles of the claim-level gold set.

Stratified random sample (seed 20261122): outlets are visited round-robin in a shuffled
order and an unseen article (by text) is drawn from each until N articles are chosen, so
every outlet is represented. Chosen articles alternate between `dev` (tune) and `test`
(held back) in draw order; with an odd number of outlets each outlet alternates too.

`--dev-from K` (the 2026-11-23 extension, run as `select.py 220 --dev-from 160`): articles
drawn after the K-th are all `dev`, so the held-back half stays the same 80 articles and its
figures stay comparable, and an article that is a near copy of one already chosen (word
5-gram Jaccard >= 0.3, e.g. a repost of a held-back story) is skipped, so tuning never reads
a held-back text under another id. The first K draws are unchanged.
Writes tests/gold/docs.jsonl.
"""
import json, random, re, sys, collections

args = sys.argv[1:]
DEV_FROM = None
if "--dev-from" in args:
    i = args.index("--dev-from")
    DEV_FROM = int(args[i + 1])
    del args[i:i + 2]
N = int(args[0]) if args else 100


def shingles(text):
    words = re.findall(r"\w+", text.lower())
    return {tuple(words[i:i + 5]) for i in range(max(0, len(words) - 4))}


def near_copy(text, chosen_shingles):
    s = shingles(text)
    return any(s and c and len(s & c) / len(s | c) >= 0.3 for c in chosen_shingles)

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
chosen_shingles = []
while len(chosen) < N:
    for o in outlets:
        while by_outlet[o] and len(chosen) < N:
            d = by_outlet[o].pop()
            if d["text"] in seen:
                continue
            extension = DEV_FROM is not None and len(chosen) >= DEV_FROM
            if extension and near_copy(d["text"], chosen_shingles):
                continue
            seen.add(d["text"])
            chosen_shingles.append(shingles(d["text"]))
            d["split"] = "dev" if len(chosen) % 2 == 0 or extension else "test"
            per_outlet[o] += 1
            chosen.append(d)
            break
chosen.sort(key=lambda d: d["id"])
with open("tests/gold/docs.jsonl", "w", encoding="utf-8") as f:
    for d in chosen:
        d.pop("fakes", None)
        f.write(json.dumps(d, ensure_ascii=False) + "\n")
print(dict(per_outlet), collections.Counter(d["split"] for d in chosen), file=sys.stderr)
