#!/usr/bin/env bash
# bench/libzmq_eval.sh — a C++ project for `vouch triage`: libzmq (ZeroMQ), whose tracker
# (github.com/zeromq/libzmq) holds fuzzer, sanitizer and assertion claims about its protocol
# decoders, engines and sockets.
#
# What it does
#   1. Gets libzmq release trees: the crates.io crate `zeromq-src` vendors libzmq's source tree in
#      `vendor/`. A tree is used only when ZMQ_VERSION_MAJOR/MINOR/PATCH in include/zmq.h name the
#      release expected and the first line of its NEWS announces it ("0MQ version X stable,
#      released on YYYY/MM/DD"); it gets that date. Four releases:
#        zeromq-src 0.1.5+4.3.1 -> 4.3.1  2019-01-12
#        zeromq-src 0.1.7+4.3.2 -> 4.3.2  2019-07-08
#        zeromq-src 0.2.0+4.3.4 -> 4.3.4  2021-01-17 (its NEWS says 2020/01/17, a slip of the
#                                                    year: 4.3.3 came out in 2020-09)
#        zeromq-src 0.3.0+4.3.5 -> 4.3.5  2023-10-09
#      (zeromq-src 0.1.4+4.2.1 holds the 4.3.1 tree; 4.3.3 is in no crate.)
#   2. Builds a git repository `$WORK/libzmq` with one commit per release, oldest first, tagged
#      `vX.Y.Z` as libzmq tags its releases.
#   3. With REPORTS set, runs `vouch triage --queue $REPORTS --repo $WORK/libzmq --format json`
#      into $WORK/queue.json and prints one line per report (score, flagged, title).
#
# Usage:   bench/libzmq_eval.sh [WORK_DIR]       (default WORK_DIR: /tmp/vouch-libzmq-eval)
# Env:     REPORTS (optional), VOUCH_BIN (default target/release/vouch, built when missing).
# Needs:   bash, git, python3, cargo; the crates.io registry unless the crates are cached.

set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=bench/eval_common.sh
. "$ROOT/bench/eval_common.sh"
WORK=${1:-/tmp/vouch-libzmq-eval}

# zeromq-src version : libzmq release : date NEWS gives : release date.
CRATES="0.1.5+4.3.1:4.3.1:2019/01/12:2019-01-12 0.1.7+4.3.2:4.3.2:2019/07/08:2019-07-08 0.2.0+4.3.4:4.3.4:2020/01/17:2021-01-17
0.3.0+4.3.5:4.3.5:2023/10/09:2023-10-09"

mkdir -p "$WORK"
REPO="$WORK/libzmq"
new_repo "$REPO" master "libzmq release"
for quad in $CRATES; do
  IFS=: read -r crate want news date <<<"$quad"
  tree=$(crate_tree zeromq-src "$crate" "$WORK" vendor)
  head=$(head -n1 "$tree/NEWS" | tr -d '\r')
  [ "$head" = "0MQ version $want stable, released on $news" ] || die "zeromq-src $crate: NEWS begins with '$head', not the $want release"
  vendored_release "$REPO" "$WORK" zeromq-src "$crate" vendor libzmq "$want" "v$want" "$date" include/zmq.h \
    's/^#define ZMQ_VERSION_\(MAJOR\|MINOR\|PATCH\) \([0-9]*\).*/\2/p' joined
done
finish_repo "$ROOT" "$REPO" "$WORK"
