#!/usr/bin/env bash
# bench/zstd_eval.sh — a seventh C project for `vouch triage`: Zstandard, whose tracker holds
# security claims about its library (bench/zstd-heldout-1.tsv).
#
# What it does
#   1. Gets zstd release trees: the crates.io crate `zstd-sys` vendors zstd's library (its
#      `zstd/` folder: lib/ and contrib/; no programs/, tests/ or docs) at a release, named by
#      ZSTD_VERSION_MAJOR/MINOR/RELEASE in lib/zstd.h, which must match the crate's `+zstd.1.x.y`
#      suffix. One crate per release, 1.4.4 to 1.5.7 (1.4.6 and 1.5.3 were never released). Each
#      crate comes from the cargo registry or `cargo fetch` (bench/eval_common.sh).
#   2. Builds a git repository `$WORK/zstd` with one commit per release, oldest first, tagged
#      `vX.Y.Z` as zstd tags its releases. The library's tree carries no release dates, so each
#      is dated by zstd's release history (approximate, within a few days).
#   3. With REPORTS set, runs `vouch triage --queue $REPORTS --repo $WORK/zstd --format json`
#      into $WORK/queue.json and prints one line per report (score, flagged, title).
#
# Usage:   bench/zstd_eval.sh [WORK_DIR]        (default WORK_DIR: /tmp/vouch-zstd-eval)
# Env:     REPORTS (optional), VOUCH_BIN (default target/release/vouch, built when missing).
# Needs:   bash, git, python3, cargo; the crates.io registry unless the crates are cached.

set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=bench/eval_common.sh
. "$ROOT/bench/eval_common.sh"
WORK=${1:-/tmp/vouch-zstd-eval}


CRATES="1.4.15+zstd.1.4.4 1.4.17+zstd.1.4.5 1.4.18+zstd.1.4.7 1.4.19+zstd.1.4.8 1.4.20+zstd.1.4.9 1.6.1+zstd.1.5.0
1.6.2+zstd.1.5.1 2.0.6+zstd.1.5.2 2.0.7+zstd.1.5.4 2.0.9+zstd.1.5.5 2.0.13+zstd.1.5.6 2.0.16+zstd.1.5.7"
# zstd's release history (approximate).
declare -A DATE=([1.4.4]=2019-11-05 [1.4.5]=2020-05-22 [1.4.7]=2020-12-16 [1.4.8]=2020-12-18 [1.4.9]=2021-03-02
  [1.5.0]=2021-05-13 [1.5.1]=2021-12-20 [1.5.2]=2022-01-20 [1.5.4]=2023-02-09 [1.5.5]=2023-04-04 [1.5.6]=2024-03-30
  [1.5.7]=2025-02-19)

mkdir -p "$WORK"
REPO="$WORK/zstd"
new_repo "$REPO" dev "zstd release"
for v in $CRATES; do
  tree=$(crate_tree zstd-sys "$v" "$WORK" zstd)
  [ -f "$tree/lib/zstd.h" ] || die "zstd-sys $v: no zstd/lib/zstd.h"
  part() { sed -n "s/^#define ZSTD_VERSION_$1 *\([0-9]*\).*/\1/p" "$tree/lib/zstd.h" | head -n1; }
  release="$(part MAJOR).$(part MINOR).$(part RELEASE)"
  [ "$release" = "${v#*+zstd.}" ] || die "zstd-sys $v: lib/zstd.h says $release"
  date=${DATE[$release]:-}
  [ -n "$date" ] || die "zstd $release: no release date known"
  release_commit "$REPO" "$tree" "$date" "v$release" "zstd $release (zstd-sys $v)"
  log "zstd $release  v$release  $date  (zstd-sys $v)"
done
finish_repo "$ROOT" "$REPO" "$WORK"
