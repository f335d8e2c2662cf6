#!/usr/bin/env bash
# bench/lz4_eval.sh — a fourteenth C project for `vouch triage`: LZ4, whose tracker
# (github.com/lz4/lz4) holds fuzzer, sanitizer and analyser claims about its compression library,
# many answered by its maintainers.
#
# What it does
#   1. Gets LZ4 release trees: the crates.io crate `lz4-sys` vendors LZ4's whole source tree (lib/,
#      programs/, tests/, examples/, contrib/) in `liblz4/`, at the release named by
#      LZ4_VERSION_MAJOR/MINOR/RELEASE in lib/lz4.h. A tree is used only when the first line of its
#      NEWS file names the same release: some crates hold development snapshots whose lz4.h
#      already carries the next version (lz4-sys 1.9.2 and 1.9.3 say 1.9.2 in lz4.h, v1.9.1 in
#      NEWS) and are left out. Six releases:
#        lz4-sys 1.7.5  -> 1.7.5   2017-01-02
#        lz4-sys 1.8.0  -> 1.8.0   2017-08-17
#        lz4-sys 1.8.2  -> 1.8.2   2018-05-07
#        lz4-sys 1.8.3  -> 1.8.3   2018-09-11
#        lz4-sys 1.9.4  -> 1.9.4   2022-08-15
#        lz4-sys 1.11.0 -> 1.10.0  2024-07-22
#      The dates are the days the releases were published (the trees carry none: NEWS has
#      version headings only).
#   2. Builds a git repository `$WORK/lz4` with one commit per release, oldest first, tagged
#      `vX.Y.Z` as LZ4 tags its releases.
#   3. With REPORTS set, runs `vouch triage --queue $REPORTS --repo $WORK/lz4 --format json` into
#      $WORK/queue.json and prints one line per report (score, flagged, title).
#
# Usage:   bench/lz4_eval.sh [WORK_DIR]         (default WORK_DIR: /tmp/vouch-lz4-eval)
# Env:     REPORTS (optional), VOUCH_BIN (default target/release/vouch, built when missing).
# Needs:   bash, git, python3, cargo; the crates.io registry unless the crates are cached.

set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=bench/eval_common.sh
. "$ROOT/bench/eval_common.sh"
WORK=${1:-/tmp/vouch-lz4-eval}

# lz4-sys version : LZ4 release : release date.
CRATES="1.7.5:1.7.5:2017-01-02 1.8.0:1.8.0:2017-08-17 1.8.2:1.8.2:2018-05-07 1.8.3:1.8.3:2018-09-11 1.9.4:1.9.4:2022-08-15 1.11.0:1.10.0:2024-07-22"

mkdir -p "$WORK"
REPO="$WORK/lz4"
new_repo "$REPO" dev "LZ4 release"
for triple in $CRATES; do
  IFS=: read -r crate want date <<<"$triple"
  tree=$(crate_tree lz4-sys "$crate" "$WORK" liblz4)
  release=$(sed -n 's/^#define LZ4_VERSION_\(MAJOR\|MINOR\|RELEASE\) *\([0-9]*\).*/\2/p' "$tree/lib/lz4.h" | paste -sd.)
  [ "$release" = "$want" ] || die "lz4-sys $crate: lib/lz4.h says ${release:-no version}, expected $want"
  news=$(head -n1 "$tree/NEWS" | tr -d '\r')
  [ "$news" = "v$want" ] || die "lz4-sys $crate: NEWS begins with '$news', not v$want (a development snapshot)"
  release_commit "$REPO" "$tree" "$date" "v$release" "LZ4 $release (lz4-sys $crate)"
  log "LZ4 $release  v$release  $date  (lz4-sys $crate, $(find "$tree" -type f | wc -l) files)"
done
finish_repo "$ROOT" "$REPO" "$WORK"
