#!/usr/bin/env bash
# bench/oniguruma_eval.sh — a twelfth C project for `vouch triage`: oniguruma, whose tracker (github.com/kkos/oniguruma)
# holds many fuzzer, sanitizer and analyser reports, each answered by its maintainer (kkos)
# (bench/oniguruma-heldout-1.tsv).
#
# What it does
#   1. Gets oniguruma release trees: the crates.io crate `onig_sys` vendors the whole source tree
#      in `oniguruma/`, at the release named by AC_INIT(onig, X.Y.Z) in its configure.ac. Seven
#      releases are used. Each is dated by the oniguruma HISTORY file (in the vendored trees):
#        onig_sys 1.0.0   -> 6.0.0       2016-05-09  (HISTORY "2016/05/09: Version 6.0.0")
#        onig_sys 61.3.0  -> 6.1.3       2016-12-11  (HISTORY "2016/12/11: Version 6.1.3")
#        onig_sys 67.1.0  -> 6.7.1       2018-01-26  (HISTORY "2018/01/26: Version 6.7.1")
#        onig_sys 69.2.0  -> 6.9.2       2019-05-07  (the crate holds 6.9.2 RC3 of 2019-04-23; later
#                                                     HISTORY: "2019/05/07: Version 6.9.2 (same as
#                                                     Release Candidate 3)")
#        onig_sys 69.5.1  -> 6.9.5_rev1  2020-04-26  (HISTORY "2020/04/26: Version 6.9.5 revised 1")
#        onig_sys 69.8.1  -> 6.9.8       2022-04-29  (HISTORY "2022/04/2X: Version 6.9.8"; day from
#                                                     the Homebrew bump PR #100384 of 2022-04-29)
#        onig_sys 69.9.1  -> 6.9.10      2025-01-01  (HISTORY "2024/XX/XX: Version 6.9.10", a
#                                                     snapshot taken shortly before the release; day
#                                                     from the Homebrew bump PR #202907 and the
#                                                     Cygwin source tarball, both 2025-01-01)
#      Tags are named as the project tags its releases (v6.9.5_rev1, v6.9.10, ...). Each crate
#      comes from the cargo registry, `cargo fetch`, or crates.io directly (bench/eval_common.sh).
#   2. Builds a git repository `$WORK/oniguruma` with one commit per release, oldest first.
#   3. With REPORTS set, runs `vouch triage --queue $REPORTS --repo $WORK/oniguruma --format json`
#      into $WORK/queue.json and prints one line per report (score, flagged, title).
#
# Usage:   bench/oniguruma_eval.sh [WORK_DIR]   (default WORK_DIR: /tmp/vouch-oniguruma-eval)
# Env:     REPORTS (optional), VOUCH_BIN (default target/release/vouch, built when missing).
# Needs:   bash, git, python3, cargo; the crates.io registry unless the crates are cached.

set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=bench/eval_common.sh
. "$ROOT/bench/eval_common.sh"
WORK=${1:-/tmp/vouch-oniguruma-eval}

# onig_sys version, the oniguruma version in its configure.ac, the release tag, the release date.
CRATES="1.0.0:6.0.0:v6.0.0:2016-05-09
61.3.0:6.1.3:v6.1.3:2016-12-11
67.1.0:6.7.1:v6.7.1:2018-01-26
69.2.0:6.9.2:v6.9.2:2019-05-07
69.5.1:6.9.5:v6.9.5_rev1:2020-04-26
69.8.1:6.9.8:v6.9.8:2022-04-29
69.9.1:6.9.10:v6.9.10:2025-01-01"

mkdir -p "$WORK"
WORK=$(cd "$WORK" && pwd)
REPO="$WORK/oniguruma"
new_repo "$REPO" master "oniguruma release"
for quad in $CRATES; do
  IFS=: read -r crate want tag date <<<"$quad"
  vendored_release "$REPO" "$WORK" onig_sys "$crate" oniguruma oniguruma "$want" "$tag" "$date" configure.ac \
    's/^AC_INIT(onig, *\([0-9.]*\)).*/\1/p'
done
finish_repo "$ROOT" "$REPO" "$WORK"
