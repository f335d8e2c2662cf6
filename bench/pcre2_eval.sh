#!/usr/bin/env bash
# bench/pcre2_eval.sh — a sixteenth C project for `vouch triage`: PCRE2, whose tracker
# (github.com/PCRE2Project/pcre2) holds fuzzer, sanitizer and analyser claims about its regular
# expression library.
#
# What it does
#   1. Gets PCRE2 release trees: the crates.io crate `pcre2-sys` vendors PCRE2, the whole tree in
#      `pcre2/` (older crates) or `upstream/src`, `upstream/include` and `upstream/deps` (newer
#      ones). Only the library is kept: `src/` (with the JIT compiler in src/sljit/) without the
#      programs and test drivers that the newer crates leave out (pcre2test, pcre2grep, the POSIX
#      wrapper's source, the fuzzer driver, the demo and the JIT and POSIX tests), and `deps/` and
#      `include/` (the generated pcre2.h, which older trees have as src/pcre2.h.generic) where the
#      crate has them (10.46, whose JIT compiler moved to deps/sljit/ as upstream moved
#      it), so that every release holds the same part of PCRE2. Reports about those programs
#      cannot be checked against this repository. The release and its date come from the tree: pcre2_major, pcre2_minor and pcre2_date
#      in configure.ac (older crates) or PCRE2_MAJOR, PCRE2_MINOR and PCRE2_DATE in pcre2.h (newer).
#      One crate per release: 0.1.0 -> 10.31 (2018-02-12), 0.2.0 -> 10.32 (2018-09-10),
#      0.2.6 -> 10.42 (2022-12-11), 0.2.9 -> 10.43 (2024-02-16), 0.2.10 -> 10.46 (2025-08-27).
#      Each crate comes from the cargo registry, `cargo fetch`, or crates.io directly
#      (bench/eval_common.sh).
#   2. Builds a git repository `$WORK/pcre2` with one commit per release, oldest first, tagged
#      `pcre2-X.Y` as PCRE2 tags its releases.
#   3. With REPORTS set, runs `vouch triage --queue $REPORTS --repo $WORK/pcre2 --format json`
#      into $WORK/queue.json and prints one line per report (score, flagged, title).
#
# Usage:   bench/pcre2_eval.sh [WORK_DIR]       (default WORK_DIR: /tmp/vouch-pcre2-eval)
# Env:     REPORTS (optional), VOUCH_BIN (default target/release/vouch, built when missing).
# Needs:   bash, git, python3, cargo; the crates.io registry unless the crates are cached.

set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=bench/eval_common.sh
. "$ROOT/bench/eval_common.sh"
WORK=${1:-/tmp/vouch-pcre2-eval}

# pcre2-sys version : PCRE2 release.
CRATES="0.1.0:10.31 0.2.0:10.32 0.2.6:10.42 0.2.9:10.43 0.2.10:10.46"

# "MAJOR.MINOR DATE" of the tree at $1 (a crate's vendored folder).
release_of() {
  local dir=$1
  if [ -f "$dir/configure.ac" ]; then
    sed -n 's/^m4_define(pcre2_\(major\|minor\|date\), \[\([^]]*\)\]).*/\2/p' "$dir/configure.ac" | paste -sd' ' | awk '{print $1"."$2" "$3}'
  else
    sed -n 's/^#define PCRE2_\(MAJOR\|MINOR\|DATE\) *\([0-9-]*\).*/\2/p' "$dir/include/pcre2.h" | paste -sd' ' | awk '{print $1"."$2" "$3}'
  fi
}

mkdir -p "$WORK"
REPO="$WORK/pcre2"
STAGE="$WORK/stage"
new_repo "$REPO" master "PCRE2 release"
for pair in $CRATES; do
  crate=${pair%%:*}
  want=${pair#*:}
  src=$(crate_tree pcre2-sys "$crate" "$WORK" .)
  if [ -d "$src/pcre2/src" ]; then dir="$src/pcre2"; elif [ -d "$src/upstream/src" ]; then dir="$src/upstream"; else die "pcre2-sys $crate: no pcre2/ or upstream/ folder"; fi
  read -r release date <<<"$(release_of "$dir")"
  [ "$release" = "$want" ] || die "pcre2-sys $crate: the tree says ${release:-no version}, expected $want"
  rm -rf "$STAGE"
  mkdir -p "$STAGE"
  cp -r "$dir/src" "$STAGE/"
  if [ -d "$dir/deps" ]; then cp -r "$dir/deps" "$STAGE/"; fi
  if [ -d "$dir/include" ]; then cp -r "$dir/include" "$STAGE/"; fi
  rm -f "$STAGE"/src/pcre2test.c "$STAGE"/src/pcre2test_inc.h "$STAGE"/src/pcre2grep.c "$STAGE"/src/pcre2posix.c \
    "$STAGE"/src/pcre2_fuzzsupport.c "$STAGE"/src/pcre2demo.c "$STAGE"/src/pcre2_jit_test.c "$STAGE"/src/pcre2posix_test.c
  release_commit "$REPO" "$STAGE" "$date" "pcre2-$release" "PCRE2 $release (pcre2-sys $crate)"
  log "PCRE2 $release  pcre2-$release  $date  (pcre2-sys $crate, $(find "$STAGE" -type f | wc -l) files)"
done
rm -rf "$STAGE"
finish_repo "$ROOT" "$REPO" "$WORK"
