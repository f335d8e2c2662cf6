#!/usr/bin/env bash
# bench/libgit2_eval.sh — a fifth C project for `vouch triage`: libgit2, whose tracker holds
# security claims of both kinds (bench/libgit2-heldout-1.tsv).
#
# What it does
#   1. Gets libgit2 release trees: the crates.io crate `libgit2-sys` vendors libgit2's source
#      (its `libgit2/` folder: src/, include/, deps/, cmake/; no tests or docs) at a release, named
#      by LIBGIT2_VERSION in include/git2/version.h, which must match the crate's `+1.x.y` suffix
#      (some crates, such as 0.13.1+1.4.2 and 0.13.3+1.4.2, bundle another release or a
#      development snapshot). The first crate of each release, 1.4.1 to 1.9.7, is taken;
#      maintenance releases of an older series published after a newer series began (1.4.5
#      after 1.5.0) are left out, so the history stays linear. Each crate comes from the cargo
#      registry or `cargo fetch` (bench/eval_common.sh).
#   2. Builds a git repository `$WORK/libgit2` with one commit per release, oldest first, tagged
#      `vX.Y.Z` as libgit2 tags its releases. libgit2's tree carries no release dates, so each
#      is dated by the entry of the first crate that bundled it in the newest crate's
#      CHANGELOG.md (`## 0.18.8+1.9.7 - 2026-08-21`): the day Rust's binding took it up, at most a
#      few weeks after libgit2's release. The first commit is marked shallow.
#   3. With REPORTS set, runs `vouch triage --queue $REPORTS --repo $WORK/libgit2 --format json`
#      into $WORK/queue.json and prints one line per report (score, flagged, title).
#
# Usage:   bench/libgit2_eval.sh [WORK_DIR]        (default WORK_DIR: /tmp/vouch-libgit2-eval)
# Env:     REPORTS (optional), VOUCH_BIN (default target/release/vouch, built when missing).
# Needs:   bash, git, python3, cargo; the crates.io registry unless the crates are cached.

set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=bench/eval_common.sh
. "$ROOT/bench/eval_common.sh"
WORK=${1:-/tmp/vouch-libgit2-eval}


CRATES="0.13.0+1.4.1 0.13.2+1.4.2 0.14.0+1.5.0 0.14.2+1.5.1 0.15.0+1.6.3 0.15.1+1.6.4 0.16.1+1.7.1 0.16.2+1.7.2
0.17.0+1.8.1 0.18.0+1.9.0 0.18.2+1.9.1 0.18.3+1.9.2 0.18.4+1.9.3 0.18.5+1.9.4 0.18.6+1.9.5 0.18.7+1.9.6 0.18.8+1.9.7"
NEWEST=0.18.8+1.9.7

mkdir -p "$WORK"
newest=$(dirname "$(crate_tree libgit2-sys "$NEWEST" "$WORK" libgit2)")
# crate version -> the date of its entry.
declare -A DATE=()
while read -r crate date; do
  DATE[$crate]=$date
done < <(sed -n 's/^## \([0-9.]*+[0-9.]*\) - \([0-9-]*\)$/\1 \2/p' "$newest/CHANGELOG.md")

REPO="$WORK/libgit2"
new_repo "$REPO" main "libgit2 release"
for v in $CRATES; do
  tree=$(crate_tree libgit2-sys "$v" "$WORK" libgit2)
  release=$(sed -n 's/^#define LIBGIT2_VERSION *"\([0-9.]*\)".*/\1/p' "$tree/include/git2/version.h" | head -n1)
  [ "$release" = "${v#*+}" ] || die "libgit2-sys $v: include/git2/version.h says ${release:-nothing}"
  date=${DATE[$v]:-}
  [ -n "$date" ] || die "libgit2-sys $v: no entry in libgit2-sys $NEWEST's CHANGELOG.md"
  release_commit "$REPO" "$tree" "$date" "v$release" "libgit2 $release (libgit2-sys $v)"
  log "libgit2 $release  v$release  $date  (libgit2-sys $v)"
done
finish_repo "$ROOT" "$REPO" "$WORK"
