#!/usr/bin/env bash
# bench/libevent_eval.sh — a C project for `vouch triage`: libevent, whose tracker
# (github.com/libevent/libevent) holds sanitizer, fuzzer and static-analyser claims about its
# buffers, bufferevents, HTTP and DNS code.
#
# What it does
#   1. Gets libevent release trees: the crates.io crate `libevent-sys` vendors libevent's source
#      tree in `libevent/` from version 0.2.3 on. A tree is used only when the first entry of its
#      ChangeLog ("Changes in version X (DD Mon YYYY)") is the release expected, and gets that
#      date. Two releases:
#        libevent-sys 0.2.3 -> 2.1.11-stable  2019-08-01
#        libevent-sys 0.2.5 -> 2.1.12-stable  2020-07-05
#   2. Builds a git repository `$WORK/libevent` with one commit per release, oldest first, tagged
#      `release-X` as libevent tags its releases.
#   3. With REPORTS set, runs `vouch triage --queue $REPORTS --repo $WORK/libevent --format json`
#      into $WORK/queue.json and prints one line per report (score, flagged, title).
#
# Usage:   bench/libevent_eval.sh [WORK_DIR]     (default WORK_DIR: /tmp/vouch-libevent-eval)
# Env:     REPORTS (optional), VOUCH_BIN (default target/release/vouch, built when missing).
# Needs:   bash, git, python3, cargo; the crates.io registry unless the crates are cached.

set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=bench/eval_common.sh
. "$ROOT/bench/eval_common.sh"
WORK=${1:-/tmp/vouch-libevent-eval}

# libevent-sys version : ChangeLog release : release date.
CRATES="0.2.3:2.1.11-stable:2019-08-01 0.2.5:2.1.12-stable:2020-07-05"

mkdir -p "$WORK"
REPO="$WORK/libevent"
new_repo "$REPO" master "libevent release"
vendored_releases "$CRATES" "$REPO" "$WORK" libevent-sys libevent libevent "release-" ChangeLog \
  's/^Changes in version \([^ ]*\) .*/\1/p'
finish_repo "$ROOT" "$REPO" "$WORK"
