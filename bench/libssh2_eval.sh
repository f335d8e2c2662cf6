#!/usr/bin/env bash
# bench/libssh2_eval.sh — a second C project for `vouch triage`: libssh2, whose tracker holds
# security claims of both kinds (bench/libssh2-heldout-1.tsv).
#
# What it does
#   1. Gets libssh2 source trees: the crates.io crate `libssh2-sys` vendors libssh2's tree (its
#      `libssh2/` folder, with src/, include/, tests/, docs/) as a git snapshot, not a release:
#        0.3.0  "1.10.1_DEV"  (after 1.10.0)
#        0.3.3  "1.11.1_DEV"  (just before 1.11.1)
#        0.3.4  "1.11.2_DEV"  (master of mid-2026, after the `_libssh2_*` -> `ssh2_*` rename of PR #1961)
#      Each is fetched with `cargo fetch` from a throwaway cargo project, one at a time (the
#      crates share `links = "ssh2"`), reusing the normal cargo registry.
#   2. Builds a git repository `$WORK/libssh2` (named so that vouch takes the project's name from
#      it) with one commit per snapshot, oldest first. The first two are tagged as the releases
#      they stand closest to, `libssh2-1.10.0` (2021-08-29) and `libssh2-1.11.1` (2024-10-16); the
#      third is HEAD, dated 2026-06-15 (an approximation). The first commit is marked shallow, so
#      commits and releases the repository lacks are unknown to vouch rather than absent.
#   3. With REPORTS set, runs `vouch triage --queue $REPORTS --repo $WORK/libssh2 --format json`
#      into $WORK/queue.json and prints one line per report (score, flagged, title).
#
# The snapshots are approximations of the releases: a report against code between them may cite
# a function that none of the three trees has (code newer than the 2026 snapshot is the common
# case), which vouch then contradicts. Read such flags with that in mind.
#
# Usage:   bench/libssh2_eval.sh [WORK_DIR]        (default WORK_DIR: /tmp/vouch-libssh2-eval)
# Env:     REPORTS (a folder of reports; optional), VOUCH_BIN (default: target/release/vouch,
#          built when missing).
# Needs:   bash, git, python3, cargo; the crates.io registry unless the crates are cached.
# Runtime: about 10 s when the crates are cached.

set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=bench/eval_common.sh
. "$ROOT/bench/eval_common.sh"
WORK=${1:-/tmp/vouch-libssh2-eval}


mkdir -p "$WORK"

# version of libssh2-sys, tag or "" for HEAD, commit date
SNAPSHOTS="0.3.0 libssh2-1.10.0 2021-08-29
0.3.3 libssh2-1.11.1 2024-10-16
0.3.4 - 2026-06-15"

tree_of() {
  crate_tree libssh2-sys "$1" "$WORK" libssh2
}

REPO="$WORK/libssh2"
new_repo "$REPO" master "libssh2 snapshot"
while read -r v tag date; do
  tree=$(tree_of "$v")
  version=$(sed -n 's/^#define LIBSSH2_VERSION[[:space:]]*"\(.*\)"/\1/p' "$tree/include/libssh2.h")
  commit_tree "$REPO" "$tree" "$date" "libssh2 $version snapshot (libssh2-sys $v)"
  if [ "$tag" != "-" ]; then
    GIT_COMMITTER_DATE="${date}T08:00:00Z" git -C "$REPO" tag -a "$tag" -m "$tag (approximation: the libssh2-sys $v snapshot, $version)"
  fi
  log "libssh2-sys $v: $version ${tag/-/HEAD} $date"
done <<<"$SNAPSHOTS"
finish_repo "$ROOT" "$REPO" "$WORK"
