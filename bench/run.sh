#!/usr/bin/env bash
# bench/run.sh - time vouch against the peer pickle/model scanners.
#
# Run from the repo root:   bash bench/run.sh
#
# What it does (details in bench/README.md):
#   1. Creates a venv (${BENCH_VENV:-target/bench-venv}) and pip-installs the
#      pinned peers: picklescan, modelscan, fickling, modelaudit.  A peer that
#      cannot be installed is reported and skipped; the others still run.
#   2. Builds vouch (cargo build --release -p vouch).  If the build fails and
#      target/release/vouch does not exist, only the peers are measured.
#   3. Corpus benchmark: each tool scans the whole ../shared/corpus/models
#      folder; median wall time over N runs (hyperfine if present, else a
#      Python loop), 1 warm-up run each, page cache warm.
#   4. Large-file benchmark: bench/gen_checkpoint.py makes (once, cached in
#      target/bench-data/) a ~2 GB torch.save-style zip checkpoint; vouch is
#      timed on it (median of N runs) and run once more under /usr/bin/time -v
#      for peak RSS and its JSON report's summary.bytes_read.  Each peer scans
#      the file once under /usr/bin/time -v with a timeout (wall, peak RSS);
#      a peer that finishes in under 30 s is then also timed like vouch.
#   5. Prints a Markdown table and writes it to target/bench-results.md
#      (raw measurements: target/bench-out/).
#
# Non-zero exit codes of the scanners are expected (malicious corpus) and are
# recorded, not treated as failures.  Peers run offline: telemetry off, no
# hub look-ups, modelaudit's result cache disabled.
#
# Environment knobs (all optional):
#   BENCH_VENV          venv directory                   (target/bench-venv)
#   BENCH_CORPUS        corpus folder                    (../shared/corpus/models)
#   BENCH_RUNS          timed runs per tool, corpus      (10)
#   BENCH_LARGE_RUNS    timed vouch runs, large file     (5)
#   BENCH_PEER_TIMEOUT  seconds per peer on large file   (300)
#   BENCH_LARGE_FILE    large checkpoint path            (target/bench-data/checkpoint-2g.pt)
#   BENCH_LARGE_BYTES   tensor bytes in that checkpoint  (2147483648)
#   BENCH_SKIP_INSTALL  =1: use the venv as it is (no pip, no apt)
#   BENCH_SKIP_BUILD    =1: do not run cargo build
#   BENCH_SKIP_LARGE    =1: corpus benchmark only
#   BENCH_NO_HYPERFINE  =1: use the Python timing loop even if hyperfine exists
#   VOUCH_BIN           vouch binary                     (target/release/vouch)
#   PYTHON              interpreter used to create the venv (python3)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

log() { printf '[bench] %s\n' "$*" >&2; }
warn() { printf '[bench] WARNING: %s\n' "$*" >&2; }
die() { printf '[bench] ERROR: %s\n' "$*" >&2; exit 1; }

VENV=${BENCH_VENV:-target/bench-venv}
CORPUS=${BENCH_CORPUS:-../shared/corpus/models}
RUNS=${BENCH_RUNS:-10}
LARGE_RUNS=${BENCH_LARGE_RUNS:-5}
PEER_TIMEOUT=${BENCH_PEER_TIMEOUT:-300}
LARGE_FILE=${BENCH_LARGE_FILE:-target/bench-data/checkpoint-2g.pt}
LARGE_BYTES=${BENCH_LARGE_BYTES:-2147483648}
VOUCH=${VOUCH_BIN:-target/release/vouch}
PYTHON=${PYTHON:-python3}
OUT=target/bench-out
RESULTS=target/bench-results.md

# Pinned peers (versions the harness was written and tested with).  Extras
# give each peer the optional parsers it needs for the corpus (7z, HDF5, ...)
# without pulling torch or tensorflow.
PEERS=(picklescan modelscan modelaudit fickling)
declare -A PIN=(
  [picklescan]='picklescan[7z]==1.0.5'
  [modelscan]='modelscan[h5py]==0.8.8'
  [modelaudit]='modelaudit[h5,sevenzip,safetensors,dill,onnx]==0.2.54'
  [fickling]='fickling[archive]==0.1.12'
)

# Keep the peers offline and free of side effects.
export PROMPTFOO_DISABLE_TELEMETRY=1 NO_ANALYTICS=1 HF_HUB_OFFLINE=1 \
  TRANSFORMERS_OFFLINE=1 HF_HUB_DISABLE_TELEMETRY=1 PIP_DISABLE_PIP_VERSION_CHECK=1

[ -d "$CORPUS" ] || die "corpus folder '$CORPUS' not found (expected ../shared/corpus/models relative to the repo root; set BENCH_CORPUS)"

rm -rf "$OUT"
mkdir -p "$OUT" "$(dirname "$LARGE_FILE")"

# ---------------------------------------------------------------- tools -----
apt_install() { # apt_install PKG: only as root with apt-get; never fatal
  [ -n "${BENCH_SKIP_INSTALL:-}" ] && return 1
  [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null || return 1
  log "installing $1 with apt-get"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$1" >/dev/null 2>&1 && return 0
  apt-get update -qq >/dev/null 2>&1 || true
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$1" >/dev/null 2>&1
}
if [ -z "${BENCH_NO_HYPERFINE:-}" ] && ! command -v hyperfine >/dev/null; then
  apt_install hyperfine || warn "hyperfine unavailable: using the Python timing loop"
fi
if [ ! -x /usr/bin/time ]; then
  apt_install time || warn "/usr/bin/time unavailable: no peak-RSS figures"
fi
HAVE_GNU_TIME=0
[ -x /usr/bin/time ] && HAVE_GNU_TIME=1

# ---------------------------------------------------------------- venv ------
if [ ! -x "$VENV/bin/python" ]; then
  log "creating venv $VENV"
  "$PYTHON" -m venv "$VENV" || warn "could not create venv $VENV"
fi
if [ -x "$VENV/bin/python" ]; then
  HPY="$VENV/bin/python"   # helper scripts need only the stdlib
else
  HPY="$PYTHON"
fi

if [ -z "${BENCH_SKIP_INSTALL:-}" ] && [ -x "$VENV/bin/python" ]; then
  log "installing peers: ${PIN[*]}"
  "$VENV/bin/python" -m pip install -q --upgrade pip >/dev/null 2>&1 || true
  if ! "$VENV/bin/python" -m pip install -q "${PIN[@]}" >"$OUT/pip.log" 2>&1; then
    warn "installing all peers at once failed; trying one by one (see $OUT/pip.log)"
    for p in "${PEERS[@]}"; do
      "$VENV/bin/python" -m pip install -q "${PIN[$p]}" >>"$OUT/pip.log" 2>&1 \
        || warn "$p (${PIN[$p]}) could not be installed; continuing without it"
    done
  fi
fi

# Peer availability and versions; peer_cmd below gives each peer's command line.
: >"$OUT/versions.tsv"
AVAILABLE=()
for p in "${PEERS[@]}"; do
  ver=$("$HPY" -c "import importlib.metadata as m; print(m.version('$p'))" 2>/dev/null || true)
  case $p in
    fickling) probe=("$VENV/bin/python" -c 'import fickling.loader') ;;
    *) probe=("$VENV/bin/$p" --help) ;;
  esac
  if [ -n "$ver" ] && "${probe[@]}" >/dev/null 2>&1; then
    AVAILABLE+=("$p")
    printf '%s\t%s\tok\n' "$p" "$ver" >>"$OUT/versions.tsv"
    log "peer $p $ver ready"
  else
    printf '%s\t%s\tnot installed\n' "$p" "${ver:-?}" >>"$OUT/versions.tsv"
    warn "peer $p is not usable; skipped"
  fi
done

peer_cmd() { # peer_cmd PEER PATH -> sets global array CMD
  case $1 in
    picklescan) CMD=("$VENV/bin/picklescan" --path "$2") ;;
    modelscan) CMD=("$VENV/bin/modelscan" -p "$2") ;;
    # modelaudit refuses --output /dev/null; its JSON goes to stdout (discarded).
    modelaudit) CMD=("$VENV/bin/modelaudit" scan --no-cache --format json "$2") ;;
    fickling) CMD=("$VENV/bin/python" bench/fickling_driver.py --quiet "$2") ;;
  esac
}

# ---------------------------------------------------------------- vouch -----
HAVE_VOUCH=0
BUILD_NOTE=""
if [ -z "${BENCH_SKIP_BUILD:-}" ]; then
  log "cargo build --release -p vouch"
  if ! cargo build --release -p vouch; then
    BUILD_NOTE="cargo build failed"
    warn "$BUILD_NOTE"
  fi
fi
if [ -x "$VOUCH" ]; then
  HAVE_VOUCH=1
  [ -n "$BUILD_NOTE" ] && warn "using the existing (possibly stale) $VOUCH"
  vver=$("$VOUCH" --version 2>/dev/null | head -n1 || true)
  printf 'vouch\t%s\tok%s\n' "${vver:-unknown}" "${BUILD_NOTE:+ ($BUILD_NOTE, stale binary)}" >>"$OUT/versions.tsv"
else
  warn "$VOUCH not found: measuring the peers only"
  printf 'vouch\t-\tmissing%s\n' "${BUILD_NOTE:+ ($BUILD_NOTE)}" >>"$OUT/versions.tsv"
fi

# ---------------------------------------------------------------- corpus ----
log "corpus benchmark on $CORPUS ($RUNS runs each)"
if [ "$HAVE_VOUCH" = 1 ]; then
  "$HPY" bench/timeit.py --name vouch --runs "$RUNS" --json "$OUT/corpus-vouch.json" -- \
    "$VOUCH" scan "$CORPUS" --format json --output /dev/null
fi
for p in "${AVAILABLE[@]}"; do
  peer_cmd "$p" "$CORPUS"
  "$HPY" bench/timeit.py --name "$p" --runs "$RUNS" --json "$OUT/corpus-$p.json" -- "${CMD[@]}" \
    || warn "timing $p on the corpus failed"
done

# ---------------------------------------------------------------- large -----
run_once() { # run_once NAME CMD...: one run, timeout, /usr/bin/time -v if present
  local name=$1; shift
  local rc=0 t0=$EPOCHREALTIME
  if [ "$HAVE_GNU_TIME" = 1 ]; then
    /usr/bin/time -v -o "$OUT/large-$name.time" \
      timeout -k 10 "$PEER_TIMEOUT" "$@" >"$OUT/large-$name.log" 2>&1 || rc=$?
  else
    "$HPY" bench/timeit.py --name "$name" --runs 1 --warmup 0 --json "$OUT/large-$name.json" -- \
      timeout -k 10 "$PEER_TIMEOUT" "$@" || rc=$?
  fi
  echo "$rc" >"$OUT/large-$name.rc"
  ONCE_SECS=$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.2f", b - a }')
  ONCE_RC=$rc
  log "$name on large file: ${ONCE_SECS}s, exit $rc"
}

if [ -z "${BENCH_SKIP_LARGE:-}" ]; then
  log "large-file benchmark: $LARGE_FILE"
  "$HPY" bench/gen_checkpoint.py --out "$LARGE_FILE" --target-bytes "$LARGE_BYTES"
  cat "$LARGE_FILE" >/dev/null  # warm the page cache for everyone
  if [ "$HAVE_VOUCH" = 1 ]; then
    "$HPY" bench/timeit.py --name vouch --runs "$LARGE_RUNS" --json "$OUT/large-vouch.json" -- \
      "$VOUCH" scan "$LARGE_FILE" --format json --output /dev/null
    # One more run for peak RSS and the JSON report (summary.bytes_read).
    rc=0
    if [ "$HAVE_GNU_TIME" = 1 ]; then
      /usr/bin/time -v -o "$OUT/large-vouch.time" \
        "$VOUCH" scan "$LARGE_FILE" --format json --output "$OUT/large-vouch-report.json" \
        >"$OUT/large-vouch.log" 2>&1 || rc=$?
    else
      "$VOUCH" scan "$LARGE_FILE" --format json --output "$OUT/large-vouch-report.json" \
        >"$OUT/large-vouch.log" 2>&1 || rc=$?
    fi
    echo "$rc" >"$OUT/large-vouch.rc"
  fi
  for p in "${AVAILABLE[@]}"; do
    peer_cmd "$p" "$LARGE_FILE"
    log "$p on large file (timeout ${PEER_TIMEOUT}s)"
    run_once "$p" "${CMD[@]}"
    # A single sub-second run is noisy: a peer that finished well inside the
    # timeout is timed again like vouch (median of BENCH_LARGE_RUNS).
    if [ "$ONCE_RC" != 124 ] && [ "$ONCE_RC" != 137 ] \
      && awk -v s="$ONCE_SECS" 'BEGIN { exit !(s < 30) }'; then
      "$HPY" bench/timeit.py --name "$p" --runs "$LARGE_RUNS" --json "$OUT/large-$p.json" -- \
        "${CMD[@]}" || warn "timing $p on the large file failed"
    fi
  done
fi

# ---------------------------------------------------------------- report ----
"$HPY" bench/report.py --out-dir "$OUT" --corpus "$CORPUS" \
  --large "$LARGE_FILE" ${BENCH_SKIP_LARGE:+--no-large} \
  --peer-timeout "$PEER_TIMEOUT" --results "$RESULTS"
log "results written to $RESULTS (raw data in $OUT/)"

# ------------------------------------------------- header-only formats ----
# Scan part 2: a sparse 10 GB safetensors file and a large GGUF file, headers only.
if [ -z "${BENCH_SKIP_LARGE:-}" ] && [ -x "$VOUCH" ]; then
  log "header-only formats (bench/headers.sh)"
  VOUCH_BIN="$VOUCH" bash bench/headers.sh | tee -a "$RESULTS"
fi
