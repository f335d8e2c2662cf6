#!/usr/bin/env bash
# bench/cares_eval.sh — a third C project for `vouch triage`: c-ares, whose tracker holds security
# claims of both kinds (bench/cares-heldout-1.tsv).
#
# What it does
#   1. Gets c-ares release trees: the crates.io crate `c-ares-sys` vendors c-ares's source tree
#      (its `c-ares/` folder, with src/, include/, test/, docs/) at a release. Versions 6.0.0 to
#      13.0.0 bundle c-ares 1.20.1 to 1.34.9 (ARES_VERSION_MAJOR/MINOR/PATCH in include/ares_version.h name the release); several
#      crates bundle the same release, and some releases (1.24.0, 1.26.0, 1.34.0, 1.34.2, 1.34.4,
#      1.34.8) have none. Each crate comes from the cargo registry or `cargo fetch`
#      (bench/eval_common.sh).
#   2. Builds a git repository `$WORK/c-ares` with one commit per release, oldest first, tagged
#      `vX.Y.Z` as c-ares tags its releases, dated by the release notes' date (the first line of
#      RELEASE-NOTES.md) or, for the releases whose notes carry none (1.20.1 to 1.25.0), by
#      c-ares's release history (approximate). The first commit is marked shallow.
#   3. With REPORTS set, runs `vouch triage --queue $REPORTS --repo $WORK/c-ares --format json`
#      into $WORK/queue.json and prints one line per report (score, flagged, title).
#
# Usage:   bench/cares_eval.sh [WORK_DIR]        (default WORK_DIR: /tmp/vouch-cares-eval)
# Env:     REPORTS (optional), VOUCH_BIN (default target/release/vouch, built when missing).
# Needs:   bash, git, python3, cargo; the crates.io registry unless the crates are cached.

set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=bench/eval_common.sh
. "$ROOT/bench/eval_common.sh"
WORK=${1:-/tmp/vouch-cares-eval}


CRATES="6.0.1 8.0.0 8.1.0 8.1.1 8.3.0 8.4.0 9.0.0 9.1.0 9.1.1 9.2.1 9.3.0 9.4.0 9.5.0 9.5.1 9.5.2 9.5.3
10.0.0 10.0.1 10.1.0 10.1.2 10.1.3 11.0.0 12.0.2 13.0.0"
# Releases whose release notes give no date (c-ares's release history; approximate).
declare -A DATE=([1.20.1]=2023-10-08 [1.21.0]=2023-10-31 [1.22.0]=2023-11-14 [1.22.1]=2023-11-19
  [1.23.0]=2023-12-04 [1.25.0]=2024-01-03)

mkdir -p "$WORK"
REPO="$WORK/c-ares"
new_repo "$REPO" main "c-ares release"
last=""
for v in $CRATES; do
  tree=$(crate_tree c-ares-sys "$v" "$WORK" c-ares)
  [ -f "$tree/include/ares_version.h" ] || die "c-ares-sys $v: no c-ares/include/ares_version.h"
  part() { sed -n "s/^#define ARES_VERSION_$1 *\([0-9]*\).*/\1/p" "$tree/include/ares_version.h" | head -n1; }
  release="$(part MAJOR).$(part MINOR).$(part PATCH)"
  [[ "$release" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || die "c-ares-sys $v: no ARES_VERSION_MAJOR/MINOR/PATCH ($release)"
  [ "$release" != "$last" ] || continue
  last=$release
  date=${DATE[$release]:-}
  if [ -z "$date" ]; then
    # "## c-ares version 1.34.5 - April 8 2025" (also "Octover").
    when=$(head -n3 "$tree/RELEASE-NOTES.md" | sed -n 's/.*c-ares version [0-9.]* - \(.*\)$/\1/p' | head -n1 | sed 's/Octover/October/')
    date=$(date -u -d "$when" +%Y-%m-%d 2>/dev/null) || die "c-ares $release: no date in RELEASE-NOTES.md ($when)"
  fi
  release_commit "$REPO" "$tree" "$date" "v$release" "c-ares $release (c-ares-sys $v)"
  log "c-ares $release  v$release  $date  (c-ares-sys $v)"
done
finish_repo "$ROOT" "$REPO" "$WORK"
