#!/usr/bin/env bash
# bench/nghttp2_eval.sh — a sixth C project for `vouch triage`: nghttp2, whose tracker holds
# security claims about its HTTP/2 library (bench/nghttp2-heldout-1.tsv).
#
# What it does
#   1. Gets nghttp2 release trees: the crates.io crate `libnghttp2-sys` vendors nghttp2's whole
#      source tree (its `nghttp2/` folder: lib/, src/, tests/, doc/, fuzz/) at a release, named by
#      AC_INIT in configure.ac, which must match the crate's `+1.x.y` suffix. Versions 0.1.4 to
#      0.1.13 bundle nghttp2 1.41.0 to 1.68.1 (ten releases). Each crate comes from the cargo
#      registry or `cargo fetch` (bench/eval_common.sh).
#   2. Builds a git repository `$WORK/nghttp2` with one commit per release, oldest first, tagged
#      `vX.Y.Z` as nghttp2 tags its releases, dated by the date the release's manual pages carry
#      (`.TH "NGHTTP" "1" "Mar 18, 2026" "1.68.1"` in doc/nghttp.1). The first commit is marked
#      shallow.
#   3. With REPORTS set, runs `vouch triage --queue $REPORTS --repo $WORK/nghttp2 --format json`
#      into $WORK/queue.json and prints one line per report (score, flagged, title).
#
# Usage:   bench/nghttp2_eval.sh [WORK_DIR]        (default WORK_DIR: /tmp/vouch-nghttp2-eval)
# Env:     REPORTS (optional), VOUCH_BIN (default target/release/vouch, built when missing).
# Needs:   bash, git, python3, cargo; the crates.io registry unless the crates are cached.

set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=bench/eval_common.sh
. "$ROOT/bench/eval_common.sh"
WORK=${1:-/tmp/vouch-nghttp2-eval}


CRATES="0.1.4+1.41.0 0.1.5+1.42.0 0.1.6+1.43.0 0.1.7+1.45.0 0.1.8+1.55.1 0.1.9+1.58.0 0.1.10+1.61.0 0.1.11+1.64.0
0.1.12+1.68.0 0.1.13+1.68.1"

mkdir -p "$WORK"
REPO="$WORK/nghttp2"
new_repo "$REPO" master "nghttp2 release"
for v in $CRATES; do
  tree=$(crate_tree libnghttp2-sys "$v" "$WORK" nghttp2)
  release=$(sed -n 's/^AC_INIT(\[nghttp2\], *\[\([0-9.]*\)\].*/\1/p' "$tree/configure.ac" | head -n1)
  [ "$release" = "${v#*+}" ] || die "libnghttp2-sys $v: configure.ac says ${release:-nothing}"
  when=$(sed -n 's/^\.TH "NGHTTP" "1" "\([^"]*\)" "\([0-9.]*\)".*/\1|\2/p' "$tree/doc/nghttp.1" | head -n1)
  [ "${when#*|}" = "$release" ] || die "nghttp2 $release: doc/nghttp.1 is the manual of ${when#*|}"
  date=$(date -u -d "${when%|*}" +%Y-%m-%d 2>/dev/null) || die "nghttp2 $release: no date in doc/nghttp.1 (${when%|*})"
  release_commit "$REPO" "$tree" "$date" "v$release" "nghttp2 $release (libnghttp2-sys $v)"
  log "nghttp2 $release  v$release  $date  (libnghttp2-sys $v)"
done
finish_repo "$ROOT" "$REPO" "$WORK"
