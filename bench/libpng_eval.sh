#!/usr/bin/env bash
# bench/libpng_eval.sh — a C project for `vouch triage`: libpng, whose tracker
# (github.com/pnggroup/libpng, formerly glennrp/libpng) holds fuzzer, sanitizer and CVE claims,
# some of them disputed, about the library and its contrib programs.
#
# What it does
#   1. Gets libpng release trees: the crates.io crate `libpng-sys` vendors libpng's library
#      sources in `vendor/` (png*.c, png*.h, arm/, scripts/; from 1.6.44 on a few contrib/
#      folders; not the contrib programs pngimage, pngcp and the like, nor the tests). A tree is
#      used only when PNG_LIBPNG_VER_STRING in png.h names the release expected. Three releases:
#        libpng-sys 1.1.8  -> 1.6.37  2019-04-14 (the date png.h gives)
#        libpng-sys 1.1.10 -> 1.6.44  2024-09-12 (the release day; png.h gives none)
#        libpng-sys 1.1.11 -> 1.6.50  2025-07-01 (the release day; png.h gives none)
#   2. Builds a git repository `$WORK/libpng` with one commit per release, oldest first, tagged
#      `vX.Y.Z` as libpng tags its releases.
#   3. With REPORTS set, runs `vouch triage --queue $REPORTS --repo $WORK/libpng --format json`
#      into $WORK/queue.json and prints one line per report (score, flagged, title).
#
# Usage:   bench/libpng_eval.sh [WORK_DIR]         (default WORK_DIR: /tmp/vouch-png-eval)
# Env:     REPORTS (optional), VOUCH_BIN (default target/release/vouch, built when missing).
# Needs:   bash, git, python3, cargo; the crates.io registry unless the crates are cached.

set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=bench/eval_common.sh
. "$ROOT/bench/eval_common.sh"
WORK=${1:-/tmp/vouch-png-eval}

# libpng-sys version : libpng release : release date.
CRATES="1.1.8:1.6.37:2019-04-14 1.1.10:1.6.44:2024-09-12 1.1.11:1.6.50:2025-07-01"

mkdir -p "$WORK"
REPO="$WORK/libpng"
new_repo "$REPO" libpng16 "libpng release"
vendored_releases "$CRATES" "$REPO" "$WORK" libpng-sys vendor libpng "v" png.h \
  's/^#define PNG_LIBPNG_VER_STRING "\([^"]*\)".*/\1/p'
finish_repo "$ROOT" "$REPO" "$WORK"
