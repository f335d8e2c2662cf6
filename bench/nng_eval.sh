#!/usr/bin/env bash
# bench/nng_eval.sh — a C project for `vouch triage`: NNG (nanomsg-next-generation), whose tracker
# (github.com/nanomsg/nng) holds sanitizer, fuzzer and static-analyser claims about its protocols,
# transports and asynchronous I/O.
#
# What it does
#   1. Gets NNG release trees: the crates.io crate `nng-sys` vendors NNG's source tree in `nng/`. A
#      tree is used only when NNG_MAJOR/MINOR/PATCH_VERSION in include/nng/nng.h name the release
#      expected. The trees carry no date, and the dates below are estimates (each no earlier than
#      the newest copyright year of its sources), so a report within a couple of months of one may
#      be checked at the release before or after. Five releases:
#        nng-sys 1.2.3-rc.1    -> 1.1.1   2019-01-15 (approximately)
#        nng-sys 1.3.0-rc.1    -> 1.3.0   2020-02-24 (approximately)
#        nng-sys 1.3.1-rc.1    -> 1.3.1   2020-07-20 (approximately)
#        nng-sys 1.4.0-rc.0    -> 1.4.0   2021-01-20 (approximately)
#        nng-sys 0.3.0+1.11.0  -> 1.11.0  2025-06-01 (approximately)
#      (nng-sys 0.4.0+2.0.0 vendors NNG 2.0.0, whose date is not known closely enough to be used.)
#   2. Builds a git repository `$WORK/nng` with one commit per release, oldest first, tagged
#      `vX.Y.Z` as NNG tags its releases.
#   3. With REPORTS set, runs `vouch triage --queue $REPORTS --repo $WORK/nng --format json` into
#      $WORK/queue.json and prints one line per report (score, flagged, title).
#
# Usage:   bench/nng_eval.sh [WORK_DIR]          (default WORK_DIR: /tmp/vouch-nng-eval)
# Env:     REPORTS (optional), VOUCH_BIN (default target/release/vouch, built when missing).
# Needs:   bash, git, python3, cargo; the crates.io registry unless the crates are cached.

set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=bench/eval_common.sh
. "$ROOT/bench/eval_common.sh"
WORK=${1:-/tmp/vouch-nng-eval}

# nng-sys version : NNG release : release date (estimated).
CRATES="1.2.3-rc.1:1.1.1:2019-01-15 1.3.0-rc.1:1.3.0:2020-02-24 1.3.1-rc.1:1.3.1:2020-07-20 1.4.0-rc.0:1.4.0:2021-01-20
0.3.0+1.11.0:1.11.0:2025-06-01"

mkdir -p "$WORK"
REPO="$WORK/nng"
new_repo "$REPO" main "NNG release"
vendored_releases "$CRATES" "$REPO" "$WORK" nng-sys nng NNG "v" include/nng/nng.h \
  's/^#define NNG_\(MAJOR\|MINOR\|PATCH\)_VERSION \([0-9]*\).*/\2/p' joined
finish_repo "$ROOT" "$REPO" "$WORK"
