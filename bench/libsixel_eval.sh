#!/usr/bin/env bash
# bench/libsixel_eval.sh — a C project for `vouch triage`: libsixel, whose trackers
# (github.com/saitoha/libsixel, and its continuation github.com/libsixel/libsixel) hold many
# fuzzer claims and CVE requests about its image loaders, quantiser and the img2sixel and
# sixel2png programs.
#
# What it does
#   1. Gets libsixel release trees: the crates.io crate `sixel-sys` vendors libsixel's source tree
#      in `libsixel/`. A tree is used only when its configure.ac's AC_INIT names the release
#      expected. The trees carry no release day; each gets the date of the newest entry of its
#      ChangeLog, which is no later than the release. Two releases:
#        sixel-sys 0.4.0 -> 1.7.3  2016-12-08
#        sixel-sys 0.5.0 -> 1.8.6  2020-01-12
#   2. Builds a git repository `$WORK/libsixel` with one commit per release, oldest first, tagged
#      `vX` as libsixel tags its releases.
#   3. With REPORTS set, runs `vouch triage --queue $REPORTS --repo $WORK/libsixel --format json`
#      into $WORK/queue.json and prints one line per report (score, flagged, title).
#
# Usage:   bench/libsixel_eval.sh [WORK_DIR]     (default WORK_DIR: /tmp/vouch-libsixel-eval)
# Env:     REPORTS (optional), VOUCH_BIN (default target/release/vouch, built when missing).
# Needs:   bash, git, python3, cargo; the crates.io registry unless the crates are cached.

set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=bench/eval_common.sh
. "$ROOT/bench/eval_common.sh"
WORK=${1:-/tmp/vouch-libsixel-eval}

# sixel-sys version : AC_INIT release : date of the newest ChangeLog entry.
CRATES="0.4.0:1.7.3:2016-12-08 0.5.0:1.8.6:2020-01-12"

mkdir -p "$WORK"
REPO="$WORK/libsixel"
new_repo "$REPO" master "libsixel release"
for triple in $CRATES; do
  IFS=: read -r crate want date <<<"$triple"
  tree=$(crate_tree sixel-sys "$crate" "$WORK" libsixel)
  newest=$(grep -m1 -oE '^[0-9]{4}-[0-9]{2}-[0-9]{2}' "$tree/ChangeLog" || true)
  [ "$newest" = "$date" ] || die "sixel-sys $crate: ChangeLog's newest entry is of ${newest:-no date}, expected $date"
  vendored_release "$REPO" "$WORK" sixel-sys "$crate" libsixel libsixel "$want" "v$want" "$date" configure.ac \
    's/^AC_INIT(\[sixel\], \[\([0-9.]*\)\].*/\1/p'
done
finish_repo "$ROOT" "$REPO" "$WORK"
