#!/usr/bin/env bash
# bench/capstone_eval.sh — a C project for `vouch triage`: Capstone, whose tracker
# (github.com/capstone-engine/capstone) holds fuzzer and sanitizer claims about its disassembler
# architectures (arch/*), cs.c and the cstool program.
#
# What it does
#   1. Gets Capstone release trees: the crates.io crate `capstone-sys` vendors Capstone's source
#      tree in `capstone/`. Most capstone-sys versions vendor snapshots of the development branch;
#      a tree is used only when the first entry of its ChangeLog ("Version X: <date>") is the
#      release expected, and gets the date that entry gives. Three releases:
#        capstone-sys 0.9.1  -> 3.0.5      2018-07-18
#        capstone-sys 0.16.0 -> 5.0.0-rc2  2022-02-28  (tagged 5.0-rc2, as Capstone tags it)
#        capstone-sys 0.18.0 -> 5.0.6      2025-03-23
#      (capstone-sys 0.10.0 to 0.15.0 vendor v4 and next-branch snapshots between releases; 4.0.x
#      releases are therefore missing, and a report about one is checked against a neighbour.)
#   2. Builds a git repository `$WORK/capstone` with one commit per release, oldest first, tagged as
#      Capstone tags its releases.
#   3. With REPORTS set, runs `vouch triage --queue $REPORTS --repo $WORK/capstone --format json`
#      into $WORK/queue.json and prints one line per report (score, flagged, title).
#
# Usage:   bench/capstone_eval.sh [WORK_DIR]     (default WORK_DIR: /tmp/vouch-capstone-eval)
# Env:     REPORTS (optional), VOUCH_BIN (default target/release/vouch, built when missing).
# Needs:   bash, git, python3, cargo; the crates.io registry unless the crates are cached.

set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=bench/eval_common.sh
. "$ROOT/bench/eval_common.sh"
WORK=${1:-/tmp/vouch-capstone-eval}

# capstone-sys version : ChangeLog release : release date : tag.
CRATES="0.9.1:3.0.5:2018-07-18:3.0.5 0.16.0:5.0.0-rc2:2022-02-28:5.0-rc2 0.18.0:5.0.6:2025-03-23:5.0.6"

mkdir -p "$WORK"
REPO="$WORK/capstone"
new_repo "$REPO" next "Capstone release"
for quad in $CRATES; do
  IFS=: read -r crate want date tag <<<"$quad"
  vendored_release "$REPO" "$WORK" capstone-sys "$crate" capstone Capstone "$want" "$tag" "$date" ChangeLog 's/^Version \([^:]*\):.*/\1/p'
done
finish_repo "$ROOT" "$REPO" "$WORK"
