#!/usr/bin/env bash
# bench/harfbuzz_eval.sh — a C++ project for `vouch triage`: HarfBuzz, whose tracker
# (github.com/harfbuzz/harfbuzz) holds fuzzer and sanitizer claims about its font-table parsers,
# shaper and subsetter.
#
# What it does
#   1. Gets HarfBuzz release trees: the crates.io crate `harfbuzz-sys` vendors HarfBuzz's source
#      tree in `harfbuzz/`. A tree is used only when the first entry of its NEWS ("Overview of
#      changes leading to X", then the day) is the release expected, and gets that day. Three
#      releases:
#        harfbuzz-sys 0.5.0 -> 2.6.8   2020-06-22
#        harfbuzz-sys 0.6.1 -> 8.4.0   2024-03-29
#        harfbuzz-sys 0.7.0 -> 11.2.0  2025-04-28
#   2. Builds a git repository `$WORK/harfbuzz` with one commit per release, oldest first, tagged
#      `X` as HarfBuzz tags its releases.
#   3. With REPORTS set, runs `vouch triage --queue $REPORTS --repo $WORK/harfbuzz --format json`
#      into $WORK/queue.json and prints one line per report (score, flagged, title).
#
# Usage:   bench/harfbuzz_eval.sh [WORK_DIR]     (default WORK_DIR: /tmp/vouch-harfbuzz-eval)
# Env:     REPORTS (optional), VOUCH_BIN (default target/release/vouch, built when missing).
# Needs:   bash, git, python3, cargo; the crates.io registry unless the crates are cached.

set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=bench/eval_common.sh
. "$ROOT/bench/eval_common.sh"
WORK=${1:-/tmp/vouch-harfbuzz-eval}

# harfbuzz-sys version : NEWS release : release date.
CRATES="0.5.0:2.6.8:2020-06-22 0.6.1:8.4.0:2024-03-29 0.7.0:11.2.0:2025-04-28"

mkdir -p "$WORK"
REPO="$WORK/harfbuzz"
new_repo "$REPO" main "HarfBuzz release"
vendored_releases "$CRATES" "$REPO" "$WORK" harfbuzz-sys harfbuzz HarfBuzz "" NEWS \
  's/^Overview of changes leading to \([0-9.]*\)$/\1/p'
finish_repo "$ROOT" "$REPO" "$WORK"
