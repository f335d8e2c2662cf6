#!/usr/bin/env bash
# bench/tidy_eval.sh — a C project for `vouch triage`: HTML Tidy (tidy-html5), whose tracker
# (github.com/htacg/tidy-html5) holds crash, hang and sanitizer claims about libtidy and the tidy
# program.
#
# What it does
#   1. Gets the one release tree crates.io has: the crate `tidy-sys` (every version from 0.1.0 to
#      0.8.5) vendors tidy-html5 5.8.0 in `vendor/tidy.5.8.0/` (include/, src/, console/, the
#      regression tests and the build files). The tree is used only when its version.txt names
#      5.8.0 and the release date 2021.07.10, the date the commit gets.
#   2. Builds a git repository `$WORK/tidy-html5` with that one commit, tagged `5.8.0` as
#      tidy-html5 tags its releases. With one release, every report is checked at 5.8.0: reports
#      older than it are checked at the first release after them (vouch says so), where code they
#      cite may already have been fixed, so this repository suits reports from mid-2021 on best.
#   3. With REPORTS set, runs `vouch triage --queue $REPORTS --repo $WORK/tidy-html5 --format json`
#      into $WORK/queue.json and prints one line per report (score, flagged, title).
#
# Usage:   bench/tidy_eval.sh [WORK_DIR]         (default WORK_DIR: /tmp/vouch-tidy-eval)
# Env:     REPORTS (optional), VOUCH_BIN (default target/release/vouch, built when missing).
# Needs:   bash, git, python3, cargo; the crates.io registry unless the crate is cached.

set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=bench/eval_common.sh
. "$ROOT/bench/eval_common.sh"
WORK=${1:-/tmp/vouch-tidy-eval}

mkdir -p "$WORK"
REPO="$WORK/tidy-html5"
new_repo "$REPO" next "tidy-html5 release"
tree=$(crate_tree tidy-sys 0.8.5 "$WORK" vendor/tidy.5.8.0)
stamp=$(tr '\n' ' ' <"$tree/version.txt")
[ "$stamp" = "5.8.0 2021.07.10 " ] || die "tidy-sys 0.8.5: version.txt says '$stamp', expected 5.8.0 2021.07.10"
release_commit "$REPO" "$tree" 2021-07-10 5.8.0 "tidy-html5 5.8.0 (tidy-sys 0.8.5)"
log "tidy-html5 5.8.0  2021-07-10  (tidy-sys 0.8.5, $(find "$tree" -type f | wc -l) files)"
finish_repo "$ROOT" "$REPO" "$WORK"
