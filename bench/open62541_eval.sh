#!/usr/bin/env bash
# bench/open62541_eval.sh — a C project for `vouch triage`: open62541 (OPC UA), whose tracker
# (github.com/open62541/open62541) holds fuzzer, sanitizer and static-analyser claims about its
# binary decoder, server and client.
#
# What it does
#   1. Gets open62541 release trees: the crates.io crate `open62541-sys` vendors open62541's source
#      tree in `open62541/` (src, include, plugins, arch, deps, tools, tests, examples). A tree is
#      used only when OPEN62541_VER_MAJOR/MINOR/PATCH in its CMakeLists.txt name the release
#      expected. The trees carry no date; each release is dated the day of the open62541-sys
#      version that first vendored it (its CHANGELOG.md), which is on or after the upstream
#      release, usually within days. Twenty-two releases (1.3.9, then 1.4.0 to 1.4.17 as
#      open62541-sys took them, then 1.5.5 to 1.5.10), from open62541-sys 0.1.3 (2024-01-12) to
#      0.6.6 (2026-11-02); the list is below.
#   2. Builds a git repository `$WORK/open62541` with one commit per release, oldest first, tagged
#      `vX.Y.Z` as open62541 tags its releases.
#   3. With REPORTS set, runs `vouch triage --queue $REPORTS --repo $WORK/open62541 --format json`
#      into $WORK/queue.json and prints one line per report (score, flagged, title).
#
# Usage:   bench/open62541_eval.sh [WORK_DIR]    (default WORK_DIR: /tmp/vouch-open62541-eval)
# Env:     REPORTS (optional), VOUCH_BIN (default target/release/vouch, built when missing).
# Needs:   bash, git, python3, cargo; the crates.io registry unless the crates are cached.

set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=bench/eval_common.sh
. "$ROOT/bench/eval_common.sh"
WORK=${1:-/tmp/vouch-open62541-eval}

# open62541-sys version : open62541 release : date of that open62541-sys version.
CRATES="0.1.3:1.3.9:2024-01-12 0.4.0-pre.4:1.4.0:2024-04-29 0.4.0-pre.5:1.4.1:2024-05-30 0.4.0-pre.6:1.4.2:2024-07-04
0.4.1:1.4.3:2024-07-29 0.4.2:1.4.4:2024-08-09 0.4.3:1.4.6:2024-10-14 0.4.4:1.4.7:2024-11-15 0.4.7:1.4.8:2024-11-25
0.4.11:1.4.10:2025-02-06 0.4.13:1.4.11:2025-03-19 0.4.16:1.4.12:2025-05-30 0.4.18:1.4.13:2025-08-18
0.5.1:1.4.14:2025-10-21 0.5.2:1.4.15:2026-02-17 0.5.3:1.4.16:2026-02-23 0.5.5:1.4.17:2026-07-02
0.6.0:1.5.5:2026-07-13 0.6.1:1.5.6:2026-07-30 0.6.2:1.5.7:2026-08-26 0.6.3:1.5.8:2026-09-09 0.6.4:1.5.9:2026-10-09
0.6.6:1.5.10:2026-11-02"

mkdir -p "$WORK"
REPO="$WORK/open62541"
new_repo "$REPO" master "open62541 release"
vendored_releases "$CRATES" "$REPO" "$WORK" open62541-sys open62541 open62541 "v" CMakeLists.txt \
  's/^set(OPEN62541_VER_\(MAJOR\|MINOR\|PATCH\) \([0-9]*\)).*/\2/p' joined
finish_repo "$ROOT" "$REPO" "$WORK"
