#!/usr/bin/env bash
# bench/openh264_eval.sh — a C++ project for `vouch triage`: OpenH264, whose tracker
# (github.com/cisco/openh264) holds fuzzer, sanitizer and CVE claims about its decoder and encoder.
#
# What it does
#   1. Gets OpenH264 release trees: the crates.io crate `openh264-sys2` vendors OpenH264's source
#      tree in `upstream/` (codec/, without the tests and the build files). A tree is used only
#      when codec/api/{svc,wels}/codec_ver.h's version string ("OpenH264 version:X.Y.Z.YYMM") names the
#      release expected. The trees carry no day: each release is dated the first day of the
#      month its version's last field (YYMM) names, so a report from that month may be checked at
#      the release before. Eight releases:
#        openh264-sys2 0.1.8  -> 2.1.0  2020-02-01
#        openh264-sys2 0.2.12 -> 2.2.0  2022-01-01
#        openh264-sys2 0.2.14 -> 2.3.0  2022-06-01
#        openh264-sys2 0.4.4  -> 2.4.0  2023-10-01
#        openh264-sys2 0.6.0  -> 2.4.1  2024-01-01
#        openh264-sys2 0.6.4  -> 2.5.0  2024-11-01
#        openh264-sys2 0.8.0  -> 2.6.0  2025-02-01
#        openh264-sys2 0.9.9  -> 2.7.0  2026-10-01
#      (later crate versions of a release carry the crate's own patches and are not used.)
#   2. Builds a git repository `$WORK/openh264` with one commit per release, oldest first, tagged
#      `vX.Y.Z` as OpenH264 tags its releases.
#   3. With REPORTS set, runs `vouch triage --queue $REPORTS --repo $WORK/openh264 --format json`
#      into $WORK/queue.json and prints one line per report (score, flagged, title).
#
# Usage:   bench/openh264_eval.sh [WORK_DIR]     (default WORK_DIR: /tmp/vouch-openh264-eval)
# Env:     REPORTS (optional), VOUCH_BIN (default target/release/vouch, built when missing).
# Needs:   bash, git, python3, cargo; the crates.io registry unless the crates are cached.

set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=bench/eval_common.sh
. "$ROOT/bench/eval_common.sh"
WORK=${1:-/tmp/vouch-openh264-eval}

# openh264-sys2 version : OpenH264 release and YYMM : release date.
CRATES="0.1.8:2.1.0.2002:2020-02-01 0.2.12:2.2.0.2201:2022-01-01 0.2.14:2.3.0.2206:2022-06-01 0.4.4:2.4.0.2310:2023-10-01
0.6.0:2.4.1.2401:2024-01-01 0.6.4:2.5.0.2411:2024-11-01 0.8.0:2.6.0.2502:2025-02-01 0.9.9:2.7.0.2610:2026-10-01"

mkdir -p "$WORK"
REPO="$WORK/openh264"
new_repo "$REPO" master "OpenH264 release"
for triple in $CRATES; do
  IFS=: read -r crate want date <<<"$triple"
  # codec_ver.h moved from codec/api/svc to codec/api/wels in 2.2.0.
  ver=codec/api/wels/codec_ver.h
  [ -f "$(crate_tree openh264-sys2 "$crate" "$WORK" upstream)/$ver" ] || ver=codec/api/svc/codec_ver.h
  vendored_release "$REPO" "$WORK" openh264-sys2 "$crate" upstream OpenH264 "$want" "v${want%.*}" "$date" \
    "$ver" 's/.*"OpenH264 version:\([0-9.]*\)".*/\1/p'
done
finish_repo "$ROOT" "$REPO" "$WORK"
