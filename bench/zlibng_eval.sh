#!/usr/bin/env bash
# bench/zlibng_eval.sh — a C project for `vouch triage`: zlib-ng, whose tracker
# (github.com/zlib-ng/zlib-ng) holds fuzzer, sanitizer and analyser claims about its deflate and
# inflate code.
#
# What it does
#   1. Gets zlib-ng release trees: the crates.io crate `libz-ng-sys` vendors zlib-ng's sources in
#      `src/zlib-ng/` (the library, arch/, test/ and tools/). A tree is used only when
#      ZLIBNG_VERSION in its zlib-ng.h.in (2.0.x: zlib-ng.h) is the release expected (crates whose tree says
#      "2.1.0.devel" hold development snapshots and are left out). Nine releases:
#        libz-ng-sys 1.1.9  -> 2.0.7   2023-03-17 (approximately)
#        libz-ng-sys 1.1.10 -> 2.1.3   2023-06-30 (approximately)
#        libz-ng-sys 1.1.14 -> 2.1.5   2023-12-01 (approximately)
#        libz-ng-sys 1.1.15 -> 2.1.6   2024-01-20 (approximately)
#        libz-ng-sys 1.1.20 -> 2.2.2   2024-09-16 (approximately; packaged 2024-09-17)
#        libz-ng-sys 1.1.21 -> 2.2.3   2025-01-01
#        libz-ng-sys 1.1.22 -> 2.2.4   2025-02-10 (approximately; packaged 2025-02-11)
#        libz-ng-sys 1.1.23 -> 2.2.5   2025-08-15 (approximately; packaged 2025-09-02)
#        libz-ng-sys 1.1.24 -> 2.3.3   2026-02-01 (approximately; after 2.3.1 and 2.3.2)
#      The trees carry no dates. 2.2.3's is the release day as announced downstream; the others
#      are estimates no later than the first downstream packaging seen, so a report within a few
#      weeks of a release may be checked at the release before it.
#   2. Builds a git repository `$WORK/zlib-ng` with one commit per release, oldest first, tagged
#      `X.Y.Z` as zlib-ng tags its releases.
#   3. With REPORTS set, runs `vouch triage --queue $REPORTS --repo $WORK/zlib-ng --format json`
#      into $WORK/queue.json and prints one line per report (score, flagged, title).
#
# Usage:   bench/zlibng_eval.sh [WORK_DIR]         (default WORK_DIR: /tmp/vouch-zlibng-eval)
# Env:     REPORTS (optional), VOUCH_BIN (default target/release/vouch, built when missing).
# Needs:   bash, git, python3, cargo; the crates.io registry unless the crates are cached.

set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=bench/eval_common.sh
. "$ROOT/bench/eval_common.sh"
WORK=${1:-/tmp/vouch-zlibng-eval}

# libz-ng-sys version : zlib-ng release : release date.
CRATES="1.1.9:2.0.7:2023-03-17 1.1.10:2.1.3:2023-06-30 1.1.14:2.1.5:2023-12-01 1.1.15:2.1.6:2024-01-20 1.1.20:2.2.2:2024-09-16
1.1.21:2.2.3:2025-01-01 1.1.22:2.2.4:2025-02-10 1.1.23:2.2.5:2025-08-15 1.1.24:2.3.3:2026-02-01"

mkdir -p "$WORK"
REPO="$WORK/zlib-ng"
new_repo "$REPO" develop "zlib-ng release"
for triple in $CRATES; do
  IFS=: read -r crate want date <<<"$triple"
  # 2.0.x ships zlib-ng.h itself; later releases generate it from zlib-ng.h.in.
  header=zlib-ng.h.in
  [ -f "$(crate_tree libz-ng-sys "$crate" "$WORK" src/zlib-ng)/$header" ] || header=zlib-ng.h
  vendored_release "$REPO" "$WORK" libz-ng-sys "$crate" src/zlib-ng zlib-ng "$want" "$want" "$date" "$header" \
    's/^#define ZLIBNG_VERSION "\([^"]*\)".*/\1/p'
done
finish_repo "$ROOT" "$REPO" "$WORK"
