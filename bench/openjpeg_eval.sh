#!/usr/bin/env bash
# bench/openjpeg_eval.sh — a thirteenth C project for `vouch triage`: OpenJPEG, whose tracker
# (github.com/uclouvain/openjpeg) holds many fuzzer, sanitizer and CVE reports against its JPEG 2000
# codec library.
#
# What it does
#   1. Gets OpenJPEG release trees: the crates.io crate `openjpeg-sys` vendors the source in
#      `vendor/`. Only the codec library, `src/lib/openjp2/`, is kept (the older crates also carry
#      the command-line tools, the newer ones only the library), so that every release holds the
#      same part of OpenJPEG. One crate per release:
#        openjpeg-sys 1.0.0  -> 2.3.1  2019-04-02  (CMakeLists.txt 2.3.1; CHANGELOG.md's date)
#        openjpeg-sys 1.0.3  -> 2.4.0  2020-12-28  (CMakeLists.txt 2.4.0; CHANGELOG.md's date)
#        openjpeg-sys 1.0.10 -> 2.5.0  2022-05-13  (CMakeLists.txt 2.5.0; CHANGELOG.md's date; 1.0.4
#                                                   to 1.0.9 hold development snapshots between
#                                                   2.4.0 and 2.5.0 and are not used)
#        openjpeg-sys 1.0.11 -> 2.5.2  2024-02-28  (config/opj_config_private.h; release day)
#        openjpeg-sys 1.0.12 -> 2.5.3  2024-12-09  (config/opj_config_private.h; release day)
#      Each crate comes from the cargo registry, `cargo fetch`, or crates.io directly (yanked
#      versions; bench/eval_common.sh).
#   2. Builds a git repository `$WORK/openjpeg` with one commit per release, oldest first, tagged
#      `vX.Y.Z` as OpenJPEG tags its releases.
#   3. With REPORTS set, runs `vouch triage --queue $REPORTS --repo $WORK/openjpeg --format json`
#      into $WORK/queue.json and prints one line per report (score, flagged, title).
#
# Usage:   bench/openjpeg_eval.sh [WORK_DIR]    (default WORK_DIR: /tmp/vouch-openjpeg-eval)
# Env:     REPORTS (optional), VOUCH_BIN (default target/release/vouch, built when missing).
# Needs:   bash, git, python3, cargo; the crates.io registry unless the crates are cached.

set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=bench/eval_common.sh
. "$ROOT/bench/eval_common.sh"
WORK=${1:-/tmp/vouch-openjpeg-eval}

# openjpeg-sys version : OpenJPEG release : release date.
CRATES="1.0.0:2.3.1:2019-04-02 1.0.3:2.4.0:2020-12-28 1.0.10:2.5.0:2022-05-13 1.0.11:2.5.2:2024-02-28 1.0.12:2.5.3:2024-12-09"

# The release a crate's tree holds: CMakeLists.txt's OPENJPEG_VERSION_* when it has one, else
# OPJ_PACKAGE_VERSION of the crate's own config header.
release_of() {
  local src=$1
  if [ -f "$src/vendor/CMakeLists.txt" ]; then
    sed -n 's/^set(OPENJPEG_VERSION_\(MAJOR\|MINOR\|BUILD\) \([0-9]*\)).*/\2/p' "$src/vendor/CMakeLists.txt" | paste -sd.
  else
    sed -n 's/^#define OPJ_PACKAGE_VERSION "\([0-9.]*\)".*/\1/p' "$src/config/opj_config_private.h" | head -n1
  fi
}

mkdir -p "$WORK"
REPO="$WORK/openjpeg"
STAGE="$WORK/stage"
new_repo "$REPO" master "OpenJPEG release"
for triple in $CRATES; do
  IFS=: read -r crate want date <<<"$triple"
  src=$(crate_tree openjpeg-sys "$crate" "$WORK" .)
  [ -d "$src/vendor/src/lib/openjp2" ] || die "openjpeg-sys $crate: no vendor/src/lib/openjp2/"
  release=$(release_of "$src")
  [ "$release" = "$want" ] || die "openjpeg-sys $crate: the tree says ${release:-no version}, expected $want"
  rm -rf "$STAGE"
  mkdir -p "$STAGE/src/lib"
  cp -r "$src/vendor/src/lib/openjp2" "$STAGE/src/lib/"
  release_commit "$REPO" "$STAGE" "$date" "v$release" "OpenJPEG $release (openjpeg-sys $crate)"
  log "OpenJPEG $release  v$release  $date  (openjpeg-sys $crate, $(find "$STAGE" -type f | wc -l) files)"
done
rm -rf "$STAGE"
finish_repo "$ROOT" "$REPO" "$WORK"
