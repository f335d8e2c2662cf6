#!/usr/bin/env bash
# bench/luajit_eval.sh — a C project for `vouch triage`: LuaJIT, whose tracker
# (github.com/LuaJIT/LuaJIT) holds fuzzer, sanitizer and assertion claims about its VM, parser,
# JIT compiler and FFI.
#
# What it does
#   1. Gets LuaJIT trees: LuaJIT 2.1 has no releases after 2.1.0-beta3 (2017); it is a rolling
#      branch whose version is "2.1.<commit time>". The crates.io crate `luajit-src` vendors a
#      commit of that branch in `luajit2/` from version 210.5.0 on (earlier versions vendor the
#      OpenResty fork), with the commit in its version's build suffix; from 210.6.0 on it also
#      ships the commit's time (`luajit_relver.txt`, the number LuaJIT's own `.relver` gets on
#      export), which dates the commit. Twelve commits, 210.6.0 (2025-04-10) to 210.7.4
#      (2026-09-08); the older crate versions carry no time and are not used.
#   2. Builds a git repository `$WORK/luajit` on branch v2.1 with one commit per tree, oldest
#      first, committed at that time, untagged (as upstream, which tags none of them).
#   3. With REPORTS set, runs `vouch triage --queue $REPORTS --repo $WORK/luajit --format json`
#      into $WORK/queue.json and prints one line per report (score, flagged, title).
#
# Usage:   bench/luajit_eval.sh [WORK_DIR]       (default WORK_DIR: /tmp/vouch-luajit-eval)
# Env:     REPORTS (optional), VOUCH_BIN (default target/release/vouch, built when missing).
# Needs:   bash, git, python3, cargo; the crates.io registry unless the crates are cached.

set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=bench/eval_common.sh
. "$ROOT/bench/eval_common.sh"
WORK=${1:-/tmp/vouch-luajit-eval}

CRATES="210.6.0+eec7a80 210.6.1+f9140a6 210.6.2+25a61a1 210.6.3+eba91fc 210.6.4+e17ee83 210.6.5+7152e15 210.6.6+707c12b
210.7.0+fbb36bb 210.7.1+18b087c 210.7.2+b925b3e 210.7.3+1ee778a 210.7.4+c6ffc14"

mkdir -p "$WORK"
REPO="$WORK/luajit"
new_repo "$REPO" v2.1 "LuaJIT"
for crate in $CRATES; do
  src=$(crate_tree luajit-src "$crate" "$WORK" .)
  relver=$(tr -dc 0-9 <"$src/luajit_relver.txt")
  [ -n "$relver" ] || die "luajit-src $crate: luajit_relver.txt holds no commit time"
  [ -f "$src/luajit2/src/lj_parse.c" ] || die "luajit-src $crate: no LuaJIT tree in luajit2/"
  find "$REPO" -mindepth 1 -maxdepth 1 ! -name .git -exec rm -rf {} +
  tar -C "$src/luajit2" -cf - . | tar -C "$REPO" -xf -
  git -C "$REPO" read-tree --empty
  git -C "$REPO" add -A -f
  GIT_AUTHOR_DATE="@$relver +0000" GIT_COMMITTER_DATE="@$relver +0000" \
    git -C "$REPO" commit -q -m "LuaJIT 2.1.$relver (commit ${crate#*+}, luajit-src ${crate%%+*})"
  log "LuaJIT 2.1.$relver  $(date -u -d "@$relver" +%F)  (luajit-src $crate, $(find "$src/luajit2" -type f | wc -l) files)"
done
finish_repo "$ROOT" "$REPO" "$WORK"
