#!/usr/bin/env bash
# bench/lcms2_eval.sh — a fifteenth C project for `vouch triage`: Little CMS (lcms2), whose
# tracker (github.com/mm2/Little-CMS) holds fuzzer, sanitizer and analyser claims about its colour
# management library, most of them answered by its maintainer.
#
# What it does
#   1. Gets lcms2 release trees: the crates.io crate `lcms2-sys` vendors the library (`vendor/src`
#      and `vendor/include`) at the release named by LCMS_VERSION and the "Version" line of
#      include/lcms2.h. Crates holding an alpha or release candidate are not used. One crate per
#      release:
#        lcms2-sys 2.4.8  -> 2.8     2016-07-22      lcms2-sys 4.0.0 -> 2.14  2022-11-01
#        lcms2-sys 3.1.4  -> 2.10    2020-05-26      lcms2-sys 4.0.1 -> 2.15  2023-03-10
#        lcms2-sys 3.1.5  -> 2.11    2020-06-16      lcms2-sys 4.0.2 -> 2.16  2023-12-04
#        lcms2-sys 3.1.7  -> 2.12    2021-02-04      lcms2-sys 4.0.6 -> 2.17  2025-02-03
#        lcms2-sys 3.1.10 -> 2.13.1  2022-02-03
#      The dates are approximate release days (neither the trees nor the project's ChangeLog carry
#      dates); reports about lcms2 mostly name the version they are about, which the dates do not
#      affect. 2.9 was never vendored; lcms2-sys 4.0.7 (2.19) is left out, its date being unknown.
#      Each crate comes from the cargo registry, `cargo fetch`, or crates.io directly (yanked
#      versions; bench/eval_common.sh).
#   2. Builds a git repository `$WORK/Little-CMS` with one commit per release, oldest first, tagged
#      `lcms2.X` as Little CMS tags its releases.
#   3. With REPORTS set, runs `vouch triage --queue $REPORTS --repo $WORK/Little-CMS --format json`
#      into $WORK/queue.json and prints one line per report (score, flagged, title).
#
# Usage:   bench/lcms2_eval.sh [WORK_DIR]       (default WORK_DIR: /tmp/vouch-lcms2-eval)
# Env:     REPORTS (optional), VOUCH_BIN (default target/release/vouch, built when missing).
# Needs:   bash, git, python3, cargo; the crates.io registry unless the crates are cached.

set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=bench/eval_common.sh
. "$ROOT/bench/eval_common.sh"
WORK=${1:-/tmp/vouch-lcms2-eval}

# lcms2-sys version : lcms2 release : release date.
CRATES="2.4.8:2.8:2016-07-22 3.1.4:2.10:2020-05-26 3.1.5:2.11:2020-06-16 3.1.7:2.12:2021-02-04 3.1.10:2.13.1:2022-02-03
4.0.0:2.14:2022-11-01 4.0.1:2.15:2023-03-10 4.0.2:2.16:2023-12-04 4.0.6:2.17:2025-02-03"

mkdir -p "$WORK"
REPO="$WORK/Little-CMS"
STAGE="$WORK/stage"
new_repo "$REPO" master "Little CMS release"
for triple in $CRATES; do
  IFS=: read -r crate want date <<<"$triple"
  src=$(crate_tree lcms2-sys "$crate" "$WORK" .)
  header="$src/vendor/include/lcms2.h"
  [ -f "$header" ] || die "lcms2-sys $crate: no vendor/include/lcms2.h"
  release=$(grep -m1 -oE '^//[[:space:]]+Version 2\.[0-9.]+[a-z0-9]*' "$header" | grep -oE '2\.[0-9.]+[a-z0-9]*$' || true)
  [ "$release" = "$want" ] || die "lcms2-sys $crate: lcms2.h says ${release:-no version}, expected $want"
  rm -rf "$STAGE"
  mkdir -p "$STAGE"
  cp -r "$src/vendor/src" "$src/vendor/include" "$STAGE/"
  release_commit "$REPO" "$STAGE" "$date" "lcms$release" "Little CMS $release (lcms2-sys $crate)"
  log "Little CMS $release  lcms$release  $date  (lcms2-sys $crate, $(find "$STAGE" -type f | wc -l) files)"
done
rm -rf "$STAGE"
finish_repo "$ROOT" "$REPO" "$WORK"
