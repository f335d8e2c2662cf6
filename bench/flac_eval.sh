#!/usr/bin/env bash
# bench/flac_eval.sh — a C project for `vouch triage`: FLAC, whose tracker (github.com/xiph/flac)
# holds fuzzer, sanitizer and CVE claims about libFLAC and the flac and metaflac programs.
#
# What it does
#   1. Gets FLAC release trees: the crates.io crate `libflac-sys` vendors FLAC's sources in
#      `flac/` (include/, src/libFLAC, src/flac, src/metaflac, src/share; not libFLAC++, the test
#      programs or the examples). A tree is used only when the date in its FLAC__VENDOR_STRING
#      (src/libFLAC/format.c, "reference libFLAC <version> <YYYYMMDD>") is the release's date,
#      which is also the date the repository commit gets. Four releases:
#        libflac-sys 0.1.0 -> 1.3.3  2019-08-04
#        libflac-sys 0.3.0 -> 1.4.2  2022-10-22
#        libflac-sys 0.3.1 -> 1.4.3  2023-06-23
#        libflac-sys 0.3.3 -> 1.5.0  2025-02-11
#      (libflac-sys 0.2.x hold the same 1.3.3 tree with fewer files, 0.3.2 and 0.3.4 repeat 1.4.3
#      and 1.5.0.)
#   2. Builds a git repository `$WORK/flac` with one commit per release, oldest first, tagged
#      `X.Y.Z` as FLAC tags its releases.
#   3. With REPORTS set, runs `vouch triage --queue $REPORTS --repo $WORK/flac --format json` into
#      $WORK/queue.json and prints one line per report (score, flagged, title).
#
# Usage:   bench/flac_eval.sh [WORK_DIR]         (default WORK_DIR: /tmp/vouch-flac-eval)
# Env:     REPORTS (optional), VOUCH_BIN (default target/release/vouch, built when missing).
# Needs:   bash, git, python3, cargo; the crates.io registry unless the crates are cached.

set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=bench/eval_common.sh
. "$ROOT/bench/eval_common.sh"
WORK=${1:-/tmp/vouch-flac-eval}

# libflac-sys version : FLAC release : release date.
CRATES="0.1.0:1.3.3:2019-08-04 0.3.0:1.4.2:2022-10-22 0.3.1:1.4.3:2023-06-23 0.3.3:1.5.0:2025-02-11"

mkdir -p "$WORK"
REPO="$WORK/flac"
new_repo "$REPO" master "FLAC release"
for triple in $CRATES; do
  IFS=: read -r crate want date <<<"$triple"
  tree=$(crate_tree libflac-sys "$crate" "$WORK" flac)
  stamp=$(sed -n 's/.*"reference libFLAC " PACKAGE_VERSION " \([0-9]\{8\}\)".*/\1/p' "$tree/src/libFLAC/format.c" | head -n1)
  [ "$stamp" = "${date//-/}" ] || die "libflac-sys $crate: format.c's vendor string is dated ${stamp:-nothing}, expected ${date//-/} for $want"
  release_commit "$REPO" "$tree" "$date" "$want" "FLAC $want (libflac-sys $crate)"
  log "FLAC $want  $date  (libflac-sys $crate, $(find "$tree" -type f | wc -l) files)"
done
finish_repo "$ROOT" "$REPO" "$WORK"
