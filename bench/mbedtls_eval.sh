#!/usr/bin/env bash
# bench/mbedtls_eval.sh — a tenth C project for `vouch triage`: Mbed TLS, whose tracker
# (github.com/Mbed-TLS/mbedtls) holds many security claims from static analysers, sanitizers
# and readers, each answered by its maintainers (bench/mbedtls-heldout-1.tsv).
#
# What it does
#   1. Gets Mbed TLS release trees: the crates.io crate `mbedtls-sys-auto` vendors Mbed TLS in
#      `vendor/`, at the release named by MBEDTLS_VERSION_STRING (include/mbedtls/version.h, or
#      build_info.h from 3.0), dated by the first "branch released YYYY-MM-DD" line of its
#      ChangeLog. Kept: library/, include/, programs/ and 3rdparty/ (the code a report cites);
#      the tests' data, scripts and build files are left out. One crate per release, on one line
#      of history: 2.4.0, 2.12.0, 2.16.0, 2.18.0, 2.25.0, 2.26.0, 2.28.0, 3.4.0 (the 2.28 LTS
#      releases after 3.4.0 would take the tree back to 2.x, so they are left out). Each crate
#      comes from the cargo registry, `cargo fetch`, or crates.io directly when yanked (3.4.0;
#      bench/eval_common.sh).
#   2. Builds a git repository `$WORK/mbedtls` with one commit per release, oldest first, tagged
#      as Mbed TLS tags its releases (`mbedtls-2.Y.Z`, then `v3.Y.Z`), dated by the ChangeLog.
#   3. With REPORTS set, runs `vouch triage --queue $REPORTS --repo $WORK/mbedtls --format json`
#      into $WORK/queue.json and prints one line per report (score, flagged, title).
#
# Usage:   bench/mbedtls_eval.sh [WORK_DIR]        (default WORK_DIR: /tmp/vouch-mbedtls-eval)
# Env:     REPORTS (optional), VOUCH_BIN (default target/release/vouch, built when missing).
# Needs:   bash, git, python3, cargo; the crates.io registry unless the crates are cached.

set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=bench/eval_common.sh
. "$ROOT/bench/eval_common.sh"
WORK=${1:-/tmp/vouch-mbedtls-eval}

# mbedtls-sys-auto version, the Mbed TLS release it vendors.
CRATES="2.4.0:2.4.0 2.12.0:2.12.0 2.16.0:2.16.0 2.18.5:2.18.0 2.25.2:2.25.0 2.26.1:2.26.0 2.28.0:2.28.0 3.4.0:3.4.0"

mkdir -p "$WORK"
REPO="$WORK/mbedtls"
STAGE="$WORK/stage"
new_repo "$REPO" development "Mbed TLS release"
for pair in $CRATES; do
  crate=${pair%%:*}
  want=${pair#*:}
  vendor=$(crate_tree mbedtls-sys-auto "$crate" "$WORK" vendor)
  release=$(sed -n 's/^#define MBEDTLS_VERSION_STRING *"\([0-9.]*\)".*/\1/p' "$vendor"/include/mbedtls/*.h | head -n1)
  [ "$release" = "$want" ] || die "mbedtls-sys-auto $crate: the headers say ${release:-no version}, expected $want"
  date=$(sed -n 's/^= .* branch released \([0-9-]*\).*/\1/p' "$vendor/ChangeLog" | head -n1)
  [ -n "$date" ] || die "mbedtls-sys-auto $crate: no release date in vendor/ChangeLog"
  rm -rf "$STAGE"
  mkdir -p "$STAGE"
  for dir in library include programs 3rdparty; do
    [ ! -d "$vendor/$dir" ] || cp -R "$vendor/$dir" "$STAGE/"
  done
  cp "$vendor/ChangeLog" "$STAGE/"
  case $release in 2.*) tag="mbedtls-$release" ;; *) tag="v$release" ;; esac
  release_commit "$REPO" "$STAGE" "$date" "$tag" "Mbed TLS $release (mbedtls-sys-auto $crate)"
  log "Mbed TLS $release  $tag  $date  (mbedtls-sys-auto $crate, $(find "$STAGE" -type f | wc -l) files)"
done
rm -rf "$STAGE"
finish_repo "$ROOT" "$REPO" "$WORK"
