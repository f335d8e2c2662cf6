#!/usr/bin/env bash
# bench/libuv_eval.sh — a seventeenth C project for `vouch triage`: libuv, whose tracker
# (github.com/libuv/libuv) holds crash, sanitizer and security claims about its event loop
# library.
#
# What it does
#   1. Gets libuv release trees: the crates.io crate `libuv-sys2` vendors libuv's source tree in
#      `libuv/` (src/, include/, test/, docs/, ...) at the release named by UV_VERSION_MAJOR,
#      UV_VERSION_MINOR and UV_VERSION_PATCH in include/uv/version.h (UV_VERSION_IS_RELEASE 1).
#      The release's date is the first entry of the tree's ChangeLog ("2024.02.07, Version 1.48.0
#      (Stable)"), which must name the same release. Twelve releases, one crate each, 1.30.1 to
#      1.53.0 (see CRATES below).
#      Each crate comes from the cargo registry, `cargo fetch`, or crates.io directly
#      (bench/eval_common.sh).
#   2. Builds a git repository `$WORK/libuv` with one commit per release, oldest first, tagged
#      `vX.Y.Z` as libuv tags its releases.
#   3. With REPORTS set, runs `vouch triage --queue $REPORTS --repo $WORK/libuv --format json` into
#      $WORK/queue.json and prints one line per report (score, flagged, title).
#
# Usage:   bench/libuv_eval.sh [WORK_DIR]       (default WORK_DIR: /tmp/vouch-libuv-eval)
# Env:     REPORTS (optional), VOUCH_BIN (default target/release/vouch, built when missing).
# Needs:   bash, git, python3, cargo; the crates.io registry unless the crates are cached.

set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=bench/eval_common.sh
. "$ROOT/bench/eval_common.sh"
WORK=${1:-/tmp/vouch-libuv-eval}

# libuv-sys2 version : libuv release.
CRATES="1.30.1:1.30.1 1.34.4:1.34.2 1.38.1:1.38.1 1.41.1:1.41.1 1.44.2:1.44.2 1.46.1:1.46.0 1.48.0:1.48.0
1.49.2:1.49.2 1.50.0:1.50.0 1.51.0:1.51.0 1.52.3:1.52.1 1.53.1:1.53.0"

mkdir -p "$WORK"
REPO="$WORK/libuv"
new_repo "$REPO" v1.x "libuv release"
for pair in $CRATES; do
  crate=${pair%%:*}
  want=${pair#*:}
  tree=$(crate_tree libuv-sys2 "$crate" "$WORK" libuv)
  release=$(sed -n 's/^#define UV_VERSION_\(MAJOR\|MINOR\|PATCH\) *\([0-9]*\).*/\2/p' "$tree/include/uv/version.h" | paste -sd.)
  [ "$release" = "$want" ] || die "libuv-sys2 $crate: version.h says ${release:-no version}, expected $want"
  head=$(grep -m1 -E '^[0-9]{4}\.[0-9]{2}\.[0-9]{2}, Version ' "$tree/ChangeLog")
  case "$head" in
    *"Version $want "*) ;;
    *) die "libuv-sys2 $crate: ChangeLog begins with '$head', not version $want" ;;
  esac
  date=$(printf '%s\n' "$head" | cut -c1-10 | tr . -)
  release_commit "$REPO" "$tree" "$date" "v$release" "libuv $release (libuv-sys2 $crate)"
  log "libuv $release  v$release  $date  (libuv-sys2 $crate, $(find "$tree" -type f | wc -l) files)"
done
finish_repo "$ROOT" "$REPO" "$WORK"
