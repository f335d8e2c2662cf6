#!/usr/bin/env bash
# bench/libjpeg_turbo_eval.sh — an eleventh C project for `vouch triage`: libjpeg-turbo, whose
# tracker (github.com/libjpeg-turbo/libjpeg-turbo) holds many fuzzer, sanitizer and analyser
# reports, each answered by its maintainer (bench/libjpeg-turbo-heldout-1.tsv).
#
# What it does
#   1. Gets libjpeg-turbo release trees: the crates.io crate `turbojpeg-sys` vendors the whole
#      source tree in `libjpeg-turbo/`, at the release named by `set(VERSION ...)` in its
#      CMakeLists.txt. Three releases are vendored: 2.1.3, 3.0.1 and 3.1.0. The tree carries no
#      release date, so each is dated from outside: 2.1.3 by its GitHub release (2022-02-25),
#      3.0.1 and 3.1.0 by the earliest downstream updates to them in the public GitHub-thread
#      index (2023-10-23, 2024-12-12), which the releases cannot postdate. Build files, docs,
#      test images and the Java binding are kept as they are: reports cite the tools and
#      test programs as well as the library. Each crate comes from the cargo registry, `cargo
#      fetch`, or crates.io directly when yanked (bench/eval_common.sh).
#   2. Builds a git repository `$WORK/libjpeg-turbo` with one commit per release, oldest first,
#      tagged as the project tags its releases (`2.1.3`).
#   3. With REPORTS set, runs `vouch triage --queue $REPORTS --repo $WORK/libjpeg-turbo --format
#      json` into $WORK/queue.json and prints one line per report (score, flagged, title).
#
# Usage:   bench/libjpeg_turbo_eval.sh [WORK_DIR]   (default WORK_DIR: /tmp/vouch-libjpeg-turbo-eval)
# Env:     REPORTS (optional), VOUCH_BIN (default target/release/vouch, built when missing).
# Needs:   bash, git, python3, cargo; the crates.io registry unless the crates are cached.

set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=bench/eval_common.sh
. "$ROOT/bench/eval_common.sh"
WORK=${1:-/tmp/vouch-libjpeg-turbo-eval}

# turbojpeg-sys version, the libjpeg-turbo release it vendors, the release's date.
CRATES="0.2.3:2.1.3:2022-02-25 1.0.1:3.0.1:2023-10-23 1.2.0:3.1.0:2024-12-12"

mkdir -p "$WORK"
REPO="$WORK/libjpeg-turbo"
new_repo "$REPO" main "libjpeg-turbo release"
vendored_releases "$CRATES" "$REPO" "$WORK" turbojpeg-sys libjpeg-turbo libjpeg-turbo "" CMakeLists.txt \
  's/^set(VERSION \([0-9.]*\)).*/\1/p'
finish_repo "$ROOT" "$REPO" "$WORK"
