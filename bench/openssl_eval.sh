#!/usr/bin/env bash
# bench/openssl_eval.sh — a large C project for `vouch triage`: OpenSSL 3.x, whose tracker holds
# security claims of both kinds (bench/openssl-heldout-1.tsv), and whose 550k lines of C are
# well above the speed goal's curl-sized repository.
#
# What it does
#   1. Gets OpenSSL release trees: the crates.io crate `openssl-src` vendors OpenSSL's source tree
#      (its `openssl/` folder, with crypto/, ssl/, providers/, apps/, include/, test/, doc/) at a
#      release; versions 300.0.x to 300.6.x bundle OpenSSL 3.0.0 to 3.6.3 (the `+3.x.y` suffix and
#      VERSION.dat name the release). One crate per release is taken (the last crate that bundles
#      it); releases 3.6.0 and 3.6.1 have none, and 3.0.6 (withdrawn by OpenSSL) only a yanked
#      one. Each crate comes from the cargo registry or `cargo fetch` (bench/eval_common.sh).
#   2. Builds a git repository `$WORK/openssl` with one commit per release, oldest first, tagged
#      `openssl-X.Y.Z` as OpenSSL tags its releases, dated by VERSION.dat's RELEASE_DATE. The first
#      commit is marked shallow. The crate follows OpenSSL's newest series only, so the history is
#      linear: maintenance releases of older series after a newer series' first release are absent.
#   3. With REPORTS set, runs `vouch triage --queue $REPORTS --repo $WORK/openssl --format json`
#      into $WORK/queue.json and prints one line per report (score, flagged, title).
#
# Usage:   bench/openssl_eval.sh [WORK_DIR]        (default WORK_DIR: /tmp/vouch-openssl-eval)
# Env:     REPORTS (optional), VOUCH_BIN (default target/release/vouch, built when missing).
# Needs:   bash, git, python3, cargo; the crates.io registry unless the crates are cached
#          (28 crates, about 10 MB each).

set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=bench/eval_common.sh
. "$ROOT/bench/eval_common.sh"
WORK=${1:-/tmp/vouch-openssl-eval}


CRATES="300.0.3+3.0.0 300.0.4+3.0.1 300.0.5+3.0.2 300.0.7+3.0.3 300.0.8+3.0.4 300.0.9+3.0.5
300.0.11+3.0.7 300.0.13+3.0.8 300.1.1+3.1.0 300.1.2+3.1.1 300.1.4+3.1.2 300.1.5+3.1.3 300.1.6+3.1.4
300.2.1+3.2.0 300.2.3+3.2.1 300.3.0+3.3.0 300.3.1+3.3.1 300.3.2+3.3.2 300.4.1+3.4.0 300.4.2+3.4.1
300.5.0+3.5.0 300.5.1+3.5.1 300.5.2+3.5.2 300.5.4+3.5.4 300.5.5+3.5.5 300.6.0+3.6.2 300.6.1+3.6.3"

mkdir -p "$WORK"
REPO="$WORK/openssl"
new_repo "$REPO" master "OpenSSL release"
for v in $CRATES; do
  tree=$(crate_tree openssl-src "$v" "$WORK" openssl)
  [ -f "$tree/VERSION.dat" ] || die "openssl-src $v: no openssl/VERSION.dat"
  field() { sed -n "s/^$1=\"\{0,1\}\([^\"]*\)\"\{0,1\}$/\1/p" "$tree/VERSION.dat" | head -n1; }
  release="$(field MAJOR).$(field MINOR).$(field PATCH)"
  [ "$release" = "${v#*+}" ] || die "openssl-src $v: VERSION.dat says $release"
  date=$(date -u -d "$(field RELEASE_DATE)" +%Y-%m-%d 2>/dev/null) || die "OpenSSL $release: no RELEASE_DATE in VERSION.dat"
  release_commit "$REPO" "$tree" "$date" "openssl-$release" "OpenSSL $release (openssl-src $v)"
  log "OpenSSL $release  openssl-$release  $date  (openssl-src $v)"
done
finish_repo "$ROOT" "$REPO" "$WORK"
