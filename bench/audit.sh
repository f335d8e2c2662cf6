#!/usr/bin/env bash
# bench/audit.sh - measure `vouch audit` and `vouch db import`, and compare vouch with
# cargo-audit on the real Cargo.lock files.
#
# Run from the repo root:   bash bench/audit.sh
#
#   1. Builds vouch (release) unless BENCH_SKIP_BUILD=1.
#   2. Import benchmark: `vouch db import` of every advisory in ../shared/corpus/advisories into a
#      fresh store, under /usr/bin/time -v (wall seconds, peak RSS). Goals: < 5 s, < 200 MiB.
#   3. Audit benchmark: warm `vouch audit` of each real lockfile in ../shared/corpus/lockfiles/real
#      (hyperfine, or a shell loop), and peak RSS. Goal: a 500-package lockfile under 20 ms.
#   4. Differential check with cargo-audit (unless BENCH_SKIP_CARGO_AUDIT=1): installs
#      cargo-audit from crates.io into target/bench-tools (once), converts the corpus's RustSec
#      OSV export back into an advisory-db folder (crates/<name>/<id>.md with TOML front
#      matter; bench/osv_to_rustsec.py), runs `cargo audit --no-fetch --stale --db` on each
#      real Cargo.lock, and compares the advisory id sets with vouch's.
#
# Results: target/bench-audit.md (and raw files in target/bench-audit/).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

log() { printf '[bench-audit] %s\n' "$*" >&2; }
VOUCH=${VOUCH_BIN:-target/release/vouch}
CORPUS=${BENCH_CORPUS:-../shared/corpus}
OUT=target/bench-audit
RUNS=${BENCH_RUNS:-20}
mkdir -p "$OUT"
RESULTS=target/bench-audit.md

if [ -z "${BENCH_SKIP_BUILD:-}" ]; then
  log "building vouch (release)"
  cargo build --release -p vouch >&2
fi
[ -x "$VOUCH" ] || { echo "no vouch binary at $VOUCH" >&2; exit 1; }

TIME=""
if [ -x /usr/bin/time ]; then TIME=/usr/bin/time; fi

# ---------------------------------------------------------------- import ----
STORE="$OUT/store"
rm -rf "$STORE"
log "importing $CORPUS/advisories"
t0=$EPOCHREALTIME
if [ -n "$TIME" ]; then
  $TIME -v -o "$OUT/import.time" "$VOUCH" db import "$CORPUS/advisories" --db "$STORE" >"$OUT/import.log" 2>&1
else
  "$VOUCH" db import "$CORPUS/advisories" --db "$STORE" >"$OUT/import.log" 2>&1
fi
IMPORT_SECS=$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.2f", b - a }')
IMPORT_RSS=$( [ -f "$OUT/import.time" ] && awk -F: '/Maximum resident/ { printf "%.0f", $2 / 1024 }' "$OUT/import.time" || echo "?")
log "import: ${IMPORT_SECS}s, ${IMPORT_RSS} MiB peak RSS"
head -n 1 "$OUT/import.log" >&2

# ----------------------------------------------------------------- audit ----
{
  echo "# vouch audit benchmark ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores)"
  echo
  echo "Import of $CORPUS/advisories: **${IMPORT_SECS} s**, **${IMPORT_RSS} MiB** peak RSS ($(head -n 1 "$OUT/import.log"))."
  echo
  echo "| lockfile | packages | vouch audit (mean, warm) | peak RSS | exit |"
  echo "|---|---|---|---|---|"
} >"$RESULTS"
for lf in "$CORPUS"/lockfiles/real/*; do
  name=$(basename "$lf")
  rc=0
  "$VOUCH" audit "$lf" --db "$STORE" --format json --output "$OUT/$name.json" 2>"$OUT/$name.err" || rc=$?
  pk=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["summary"]["packages"])' "$OUT/$name.json" 2>/dev/null || echo "?")
  if command -v hyperfine >/dev/null; then
    hyperfine -N -i -w 3 -r "$RUNS" --export-json "$OUT/$name.hf.json" \
      "$VOUCH audit $lf --db $STORE --format json --output /dev/null" >/dev/null 2>&1
    mean=$(python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"][0]; print("%.1f ms" % (r["mean"]*1000))' "$OUT/$name.hf.json")
  else
    t0=$EPOCHREALTIME
    for _ in $(seq "$RUNS"); do "$VOUCH" audit "$lf" --db "$STORE" --format json --output /dev/null 2>/dev/null || true; done
    mean=$(awk -v a="$t0" -v b="$EPOCHREALTIME" -v n="$RUNS" 'BEGIN { printf "%.1f ms", (b - a) * 1000 / n }')
  fi
  rss="?"
  if [ -n "$TIME" ]; then
    $TIME -v -o "$OUT/$name.time" "$VOUCH" audit "$lf" --db "$STORE" --format json --output /dev/null 2>/dev/null || true
    rss=$(awk -F: '/Maximum resident/ { printf "%.1f MiB", $2 / 1024 }' "$OUT/$name.time")
  fi
  echo "| $name | $pk | $mean | $rss | $rc |" >>"$RESULTS"
  log "$name: $pk packages, $mean, $rss, exit $rc"
done

# ---------------------------------------------------------- cargo-audit ----
if [ -z "${BENCH_SKIP_CARGO_AUDIT:-}" ]; then
  TOOLS=target/bench-tools
  if [ ! -x "$TOOLS/bin/cargo-audit" ]; then
    log "installing cargo-audit from crates.io into $TOOLS (takes a few minutes)"
    cargo install --locked --root "$TOOLS" cargo-audit >&2
  fi
  ADB="$OUT/advisory-db"
  rm -rf "$ADB"
  python3 bench/osv_to_rustsec.py "$CORPUS/advisories/rustsec-osv" "$ADB" >&2
  {
    echo
    echo "## Differential check with $("$TOOLS/bin/cargo-audit" audit --version 2>/dev/null || echo cargo-audit) (same RustSec data, offline)"
    echo
    echo "| Cargo.lock | cargo-audit | vouch | only cargo-audit | only vouch |"
    echo "|---|---|---|---|---|"
  } >>"$RESULTS"
  for lf in "$CORPUS"/lockfiles/real/*Cargo.lock; do
    name=$(basename "$lf")
    "$TOOLS/bin/cargo-audit" audit --no-fetch --stale --db "$ADB" --file "$lf" --json >"$OUT/$name.cargo-audit.json" 2>"$OUT/$name.cargo-audit.err" || true
    python3 - "$OUT/$name.cargo-audit.json" "$OUT/$name.json" "$name" >>"$RESULTS" <<'PY'
import json, sys
ca = json.load(open(sys.argv[1]))
ids = set()
for v in ca.get("vulnerabilities", {}).get("list", []):
    ids.add((v["package"]["name"], v["package"]["version"], v["advisory"]["id"]))
for kind, items in (ca.get("warnings") or {}).items():
    for w in items:
        if w.get("advisory"):
            ids.add((w["package"]["name"], w["package"]["version"], w["advisory"]["id"]))
vo = json.load(open(sys.argv[2]))
vids = set()
for f in vo["findings"]:
    for i in [f["id"]] + f["aliases"]:
        if i.startswith("RUSTSEC-"):
            vids.add((f["package"]["name"], f["package"]["version"], i))
fmt = lambda s: ", ".join(sorted(f"{n} {v} {i}" for n, v, i in s)) or "-"
print(f"| {sys.argv[3]} | {len(ids)} | {len(vids)} | {fmt(ids - vids)} | {fmt(vids - ids)} |")
PY
  done
fi
log "results in $RESULTS"
cat "$RESULTS"
