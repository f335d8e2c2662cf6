#!/usr/bin/env bash
# bench/hdf5_eval.sh — a C project for `vouch triage`: HDF5, whose tracker
# (github.com/HDFGroup/hdf5) holds many fuzzer and CVE claims about the library's object-header,
# datatype and B-tree decoding and about the h5dump/h5repack tools.
#
# What it does
#   1. Gets HDF5 release trees: the crates.io crates `hdf5-src` and `hdf5-metno-src` vendor HDF5's
#      source tree in `ext/hdf5/`. A tree is used only when its README's first line reads
#      "HDF5 version X released on YYYY-MM-DD" for the release expected, and gets that date
#      (trees whose README says "currently under development" are snapshots and are not used).
#      Five releases:
#        hdf5-src 0.8.0       -> 1.10.7    2020-09-11
#        hdf5-metno-src 0.9.0 -> 1.14.4-3  2024-05-22
#        hdf5-metno-src 0.9.4 -> 1.14.5    2024-09-30
#        hdf5-metno-src 0.9.5 -> 1.14.6    2025-02-04
#        hdf5-metno-src 0.10.2 -> 2.1.0    2026-03-02
#   2. Builds a git repository `$WORK/hdf5` with one commit per release, oldest first, tagged as
#      HDF5 tags its releases (hdf5-1_10_7, then hdf5_1.14.4.3, hdf5_1.14.5, hdf5_1.14.6, 2.1.0).
#   3. With REPORTS set, runs `vouch triage --queue $REPORTS --repo $WORK/hdf5 --format json` into
#      $WORK/queue.json and prints one line per report (score, flagged, title).
#
# Usage:   bench/hdf5_eval.sh [WORK_DIR]         (default WORK_DIR: /tmp/vouch-hdf5-eval)
# Env:     REPORTS (optional), VOUCH_BIN (default target/release/vouch, built when missing).
# Needs:   bash, git, python3, cargo; the crates.io registry unless the crates are cached.

set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=bench/eval_common.sh
. "$ROOT/bench/eval_common.sh"
WORK=${1:-/tmp/vouch-hdf5-eval}

# crate : crate version : HDF5 release : release date : tag.
CRATES="hdf5-src:0.8.0:1.10.7:2020-09-11:hdf5-1_10_7 hdf5-metno-src:0.9.0:1.14.4-3:2024-05-22:hdf5_1.14.4.3
hdf5-metno-src:0.9.4:1.14.5:2024-09-30:hdf5_1.14.5 hdf5-metno-src:0.9.5:1.14.6:2025-02-04:hdf5_1.14.6
hdf5-metno-src:0.10.2:2.1.0:2026-03-02:2.1.0"

mkdir -p "$WORK"
REPO="$WORK/hdf5"
new_repo "$REPO" develop "HDF5 release"
for five in $CRATES; do
  IFS=: read -r name crate want date tag <<<"$five"
  tree=$(crate_tree "$name" "$crate" "$WORK" ext/hdf5)
  readme=$(compgen -G "$tree/README.*" | head -n1 || true)
  line=$(grep -m1 -E "^HDF5 version .* (released on|currently under development)" "$readme" 2>/dev/null || true)
  [ "$line" = "HDF5 version $want released on $date" ] || die "$name $crate: README says '${line:-nothing}', expected HDF5 $want released on $date"
  release_commit "$REPO" "$tree" "$date" "$tag" "HDF5 $want ($name $crate)"
  log "HDF5 $want  $tag  $date  ($name $crate, $(find "$tree" -type f | wc -l) files)"
done
finish_repo "$ROOT" "$REPO" "$WORK"
