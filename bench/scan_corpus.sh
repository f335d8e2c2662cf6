#!/usr/bin/env bash
# bench/scan_corpus.sh - vouch against picklescan on the whole corpus folder, in one hyperfine
# run so that both see the same machine load, and the speed ratio between them.
#
# Run from the repo root:   bash bench/scan_corpus.sh
#
# Needs hyperfine and picklescan in the bench venv (bash bench/run.sh creates it; or
# python3 -m venv target/bench-venv && target/bench-venv/bin/pip install 'picklescan[7z]==1.0.5').
# vouch is not rebuilt: build it first (cargo build --release -p vouch).
#
# Environment knobs (all optional):
#   VOUCH_BIN      vouch binary                        (target/release/vouch)
#   BENCH_VENV     venv holding picklescan             (target/bench-venv)
#   BENCH_CORPUS   corpus folder                       (../shared/corpus/models)
#   VOUCH_RUNS     timed vouch runs                    (100)
#   PEER_RUNS      timed picklescan runs               (20)
#   BENCH_GOAL     required speed-up over picklescan   (50)
#
# Prints the machine load before and after, both timings (mean, min), and the ratio of
# picklescan's mean to vouch's mean. Exits 1 when the ratio is below BENCH_GOAL.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

VOUCH=${VOUCH_BIN:-target/release/vouch}
VENV=${BENCH_VENV:-target/bench-venv}
CORPUS=${BENCH_CORPUS:-../shared/corpus/models}
VOUCH_RUNS=${VOUCH_RUNS:-100}
PEER_RUNS=${PEER_RUNS:-20}
GOAL=${BENCH_GOAL:-50}

[ -x "$VOUCH" ] || { echo "no vouch binary at $VOUCH (cargo build --release -p vouch, or set VOUCH_BIN)" >&2; exit 2; }
[ -x "$VENV/bin/picklescan" ] || { echo "no picklescan in $VENV (see the header of this script)" >&2; exit 2; }
command -v hyperfine >/dev/null || { echo "hyperfine is needed (apt-get install hyperfine)" >&2; exit 2; }
[ -d "$CORPUS" ] || { echo "corpus folder $CORPUS not found" >&2; exit 2; }

OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)   cpus: $(nproc)   files: $(find "$CORPUS" -type f | wc -l)"
# -N: no shell in between; -i: scanners exit non-zero on a malicious corpus.
hyperfine -N -i -w 5 \
  -r "$VOUCH_RUNS" "$VOUCH scan $CORPUS --format json --output /dev/null" \
  --export-json "$OUT/vouch.json" >/dev/null 2>"$OUT/vouch.err" || { cat "$OUT/vouch.err" >&2; exit 2; }
hyperfine -N -i -w 2 \
  -r "$PEER_RUNS" "$VENV/bin/picklescan --path $CORPUS" \
  --export-json "$OUT/picklescan.json" >/dev/null 2>"$OUT/picklescan.err" || { cat "$OUT/picklescan.err" >&2; exit 2; }
echo "load after:  $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$OUT" "$GOAL" <<'EOF'
import json, sys, statistics
out, goal = sys.argv[1], float(sys.argv[2])
r = {}
for tool in ("vouch", "picklescan"):
    t = json.load(open(f"{out}/{tool}.json"))["results"][0]["times"]
    r[tool] = (statistics.mean(t) * 1e3, min(t) * 1e3, statistics.median(t) * 1e3)
    print(f"{tool:<11} mean {r[tool][0]:8.2f} ms   median {r[tool][2]:8.2f} ms   min {r[tool][1]:8.2f} ms   ({len(t)} runs)")
ratio = r["picklescan"][0] / r["vouch"][0]
print(f"speed-up (picklescan mean / vouch mean): {ratio:.1f}x   (goal {goal:g}x: {'met' if ratio >= goal else 'NOT met'})")
print(f"speed-up (medians): {r['picklescan'][2] / r['vouch'][2]:.1f}x   (minimums: {r['picklescan'][1] / r['vouch'][1]:.1f}x)")
sys.exit(0 if ratio >= goal else 1)
EOF
