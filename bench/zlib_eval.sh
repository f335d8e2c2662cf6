#!/usr/bin/env bash
# bench/zlib_eval.sh — a ninth C project for `vouch triage`: zlib, whose tracker
# (github.com/madler/zlib) holds many security claims about its library, most of them answered
# by its maintainer (bench/zlib-heldout-1.tsv).
#
# What it does
#   1. Gets zlib release trees: the crates.io crate `libz-sys` vendors zlib in `src/zlib/`, at a
#      release named by ZLIB_VERSION in zlib.h, whose second line gives the release date. Older
#      crates also carry contrib/ and build folders, newer ones only the library; only the
#      library's top-level sources (*.c, *.h) are kept, so that every release holds the same
#      part of zlib. One crate per release: 1.2.11, 1.2.13, 1.3, 1.3.1, 1.3.2, 1.4 (zlib 1.2.12
#      was never vendored). Each crate comes from the cargo registry or `cargo fetch`
#      (bench/eval_common.sh).
#   2. Builds a git repository `$WORK/zlib` with one commit per release, oldest first, tagged
#      `vX.Y.Z` as zlib tags its releases and dated by zlib.h.
#   3. With REPORTS set, runs `vouch triage --queue $REPORTS --repo $WORK/zlib --format json`
#      into $WORK/queue.json and prints one line per report (score, flagged, title).
#
# Usage:   bench/zlib_eval.sh [WORK_DIR]        (default WORK_DIR: /tmp/vouch-zlib-eval)
# Env:     REPORTS (optional), VOUCH_BIN (default target/release/vouch, built when missing).
# Needs:   bash, git, python3, cargo; the crates.io registry unless the crates are cached.

set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=bench/eval_common.sh
. "$ROOT/bench/eval_common.sh"
WORK=${1:-/tmp/vouch-zlib-eval}

# libz-sys version, the zlib release it vendors.
CRATES="1.1.8:1.2.11 1.1.9:1.2.13 1.1.14:1.3 1.1.15:1.3.1 1.1.25:1.3.2 1.1.33:1.4"

# "  version 1.3.1, January 22nd, 2024" -> 2024-01-22
release_date() {
  python3 - "$1" <<'PY'
import re, sys, datetime
m = re.search(r"version [0-9.]+, ([A-Z][a-z]+) ([0-9]+)[a-z]*, ([0-9]{4})", sys.argv[1])
if not m:
    sys.exit(1)
print(datetime.datetime.strptime(f"{m[1]} {m[2]} {m[3]}", "%B %d %Y").date())
PY
}

mkdir -p "$WORK"
REPO="$WORK/zlib"
STAGE="$WORK/stage"
new_repo "$REPO" develop "zlib release"
for pair in $CRATES; do
  crate=${pair%%:*}
  want=${pair#*:}
  src=$(crate_src libz-sys "$crate" "$WORK") || die "libz-sys $crate: not fetched ($(tail -n1 "$WORK/fetch/fetch-libz-sys-$crate.log" 2>/dev/null || echo "not in the registry"))"
  [ -f "$src/src/zlib/zlib.h" ] || die "libz-sys $crate: no src/zlib/zlib.h"
  release=$(sed -n 's/^#define ZLIB_VERSION "\([0-9.]*\)".*/\1/p' "$src/src/zlib/zlib.h" | head -n1)
  [ "$release" = "$want" ] || die "libz-sys $crate: zlib.h says $release, expected $want"
  date=$(release_date "$(sed -n 2p "$src/src/zlib/zlib.h")") || die "libz-sys $crate: no release date in zlib.h"
  rm -rf "$STAGE"
  mkdir -p "$STAGE"
  find "$src/src/zlib" -maxdepth 1 -type f \( -name '*.c' -o -name '*.h' \) -exec cp {} "$STAGE/" \;
  release_commit "$REPO" "$STAGE" "$date" "v$release" "zlib $release (libz-sys $crate)"
  log "zlib $release  v$release  $date  (libz-sys $crate, $(find "$STAGE" -type f | wc -l) files)"
done
rm -rf "$STAGE"
finish_repo "$ROOT" "$REPO" "$WORK"
