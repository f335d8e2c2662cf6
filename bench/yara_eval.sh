#!/usr/bin/env bash
# bench/yara_eval.sh — a C project for `vouch triage`: YARA, whose tracker
# (github.com/VirusTotal/yara) holds fuzzer and sanitizer claims about libyara's file-format
# modules (pe, elf, dotnet, macho) and its scanner.
#
# What it does
#   1. Gets YARA release trees: the crates.io crate `yara-sys` vendors YARA's source tree in
#      `yara/` (libyara, cli, tests, docs; from yara-sys 0.6.0 on, except 0.9 to 0.11). A tree is
#      used only when YR_MAJOR/MINOR/MICRO_VERSION in libyara/include/yara/libyara.h name the
#      release expected. Ten releases:
#        yara-sys 0.6.0  -> 4.1.0  2021-04-27
#        yara-sys 0.12.0 -> 4.1.3  2021-10-01 (approximately)
#        yara-sys 0.14.0 -> 4.2.0  2022-03-09 (approximately)
#        yara-sys 0.16.0 -> 4.2.3  2022-08-10 (approximately)
#        yara-sys 0.19.0 -> 4.3.0  2023-03-14 (approximately)
#        yara-sys 0.20.0 -> 4.3.1  2023-04-21
#        yara-sys 0.25.0 -> 4.5.0  2024-03-12
#        yara-sys 0.28.0 -> 4.5.1  2024-05-24 (approximately)
#        yara-sys 0.29.0 -> 4.5.2  2024-09-10
#        yara-sys 0.31.0 -> 4.5.5  2025-10-01 (approximately)
#      The trees carry no dates. The dates without a note are the days downstream packagers
#      announced the release (no later than it by more than a day or two); the others are
#      estimates, so a report within weeks of one of those may be checked at the release before.
#   2. Builds a git repository `$WORK/yara` with one commit per release, oldest first, tagged
#      `vX.Y.Z` as YARA tags its releases.
#   3. With REPORTS set, runs `vouch triage --queue $REPORTS --repo $WORK/yara --format json` into
#      $WORK/queue.json and prints one line per report (score, flagged, title).
#
# Usage:   bench/yara_eval.sh [WORK_DIR]         (default WORK_DIR: /tmp/vouch-yara-eval)
# Env:     REPORTS (optional), VOUCH_BIN (default target/release/vouch, built when missing).
# Needs:   bash, git, python3, cargo; the crates.io registry unless the crates are cached.

set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=bench/eval_common.sh
. "$ROOT/bench/eval_common.sh"
WORK=${1:-/tmp/vouch-yara-eval}

# yara-sys version : YARA release : release date.
CRATES="0.6.0:4.1.0:2021-04-27 0.12.0:4.1.3:2021-10-01 0.14.0:4.2.0:2022-03-09 0.16.0:4.2.3:2022-08-10 0.19.0:4.3.0:2023-03-14
0.20.0:4.3.1:2023-04-21 0.25.0:4.5.0:2024-03-12 0.28.0:4.5.1:2024-05-24 0.29.0:4.5.2:2024-09-10 0.31.0:4.5.5:2025-10-01"

mkdir -p "$WORK"
REPO="$WORK/yara"
new_repo "$REPO" master "YARA release"
vendored_releases "$CRATES" "$REPO" "$WORK" yara-sys yara YARA "v" libyara/include/yara/libyara.h \
  's/^#define YR_\(MAJOR\|MINOR\|MICRO\)_VERSION *\([0-9]*\).*/\2/p' joined
finish_repo "$ROOT" "$REPO" "$WORK"
