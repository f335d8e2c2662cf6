#!/usr/bin/env bash
# bench/wolfssl_eval.sh — a C project for `vouch triage`: wolfSSL, whose tracker
# (github.com/wolfSSL/wolfssl) holds memory-safety, side-channel and certificate-checking claims
# about its TLS library and wolfCrypt.
#
# What it does
#   1. Gets wolfSSL release trees from the crates.io crate `wolfssl-sys`: versions 0.1.0 to 0.1.14
#      carry the release tarball (`vendor/wolfssl-X.Y.Z-stable.tar.gz`), later ones the unpacked
#      tree (`wolfssl-src/`). A tree is used only when LIBWOLFSSL_VERSION_STRING in
#      wolfssl/version.h names the release expected; its date is the one its own ChangeLog.md
#      gives in the heading of that release. Thirteen releases:
#        wolfssl-sys 0.1.0  -> 5.2.0     wolfssl-sys 0.1.13 -> 5.5.3
#        wolfssl-sys 0.1.3  -> 5.3.0     wolfssl-sys 0.1.14 -> 5.5.4
#        wolfssl-sys 0.1.5  -> 5.4.0     wolfssl-sys 0.1.15 -> 5.6.6
#        wolfssl-sys 0.1.8  -> 5.5.0     wolfssl-sys 2.0.0  -> 5.7.4
#        wolfssl-sys 0.1.10 -> 5.5.1     wolfssl-sys 3.0.0  -> 5.8.4
#        wolfssl-sys 0.1.12 -> 5.5.2     wolfssl-sys 4.0.0  -> 5.9.1
#                                        wolfssl-sys 5.0.0  -> 5.9.4
#   2. Builds a git repository `$WORK/wolfssl` with one commit per release, oldest first, tagged
#      `vX.Y.Z-stable` as wolfSSL tags its releases.
#   3. With REPORTS set, runs `vouch triage --queue $REPORTS --repo $WORK/wolfssl --format json`
#      into $WORK/queue.json and prints one line per report (score, flagged, title).
#
# Usage:   bench/wolfssl_eval.sh [WORK_DIR]         (default WORK_DIR: /tmp/vouch-wolfssl-eval)
# Env:     REPORTS (optional), VOUCH_BIN (default target/release/vouch, built when missing).
# Needs:   bash, git, python3, tar, cargo; the crates.io registry unless the crates are cached.

set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=bench/eval_common.sh
. "$ROOT/bench/eval_common.sh"
WORK=${1:-/tmp/vouch-wolfssl-eval}

# wolfssl-sys version : wolfSSL release.
CRATES="0.1.0:5.2.0 0.1.3:5.3.0 0.1.5:5.4.0 0.1.8:5.5.0 0.1.10:5.5.1 0.1.12:5.5.2 0.1.13:5.5.3 0.1.14:5.5.4 0.1.15:5.6.6
2.0.0:5.7.4 3.0.0:5.8.4 4.0.0:5.9.1 5.0.0:5.9.4"

# The date (YYYY-MM-DD) ChangeLog.md in TREE gives for release VERSION, from a heading such as
# "# wolfSSL Release 5.5.3 (Nov 2, 2022)" or "(May 3rd, 2022)" or "(Apr. 8, 2026)".
release_date() {
  python3 - "$1/ChangeLog.md" "$2" <<'PY'
import re, sys, datetime
path, version = sys.argv[1], sys.argv[2]
for line in open(path, encoding="utf-8", errors="replace"):
    m = re.match(r"#\s*wolfSSL Release (\S+) \(([A-Za-z]+)\.? (\d+)(?:st|nd|rd|th)?,? (\d{4})\)", line)
    if m and m.group(1) == version:
        month = datetime.datetime.strptime(m.group(2)[:3], "%b").month
        print(f"{int(m.group(4)):04d}-{month:02d}-{int(m.group(3)):02d}")
        break
PY
}

mkdir -p "$WORK"
REPO="$WORK/wolfssl"
new_repo "$REPO" master "wolfSSL release"
for pair in $CRATES; do
  IFS=: read -r crate want <<<"$pair"
  src=$(crate_tree wolfssl-sys "$crate" "$WORK" .)
  if [ -d "$src/wolfssl-src" ]; then
    tree="$src/wolfssl-src"
  else
    tarball=$(compgen -G "$src/vendor/wolfssl-*-stable.tar.gz" | head -n1 || true)
    [ -n "$tarball" ] || die "wolfssl-sys $crate: neither wolfssl-src/ nor a vendor tarball"
    rm -rf "$WORK/trees/$want"
    mkdir -p "$WORK/trees/$want"
    tar -xzf "$tarball" -C "$WORK/trees/$want" --strip-components=1
    tree="$WORK/trees/$want"
  fi
  release=$(sed -n 's/^#define LIBWOLFSSL_VERSION_STRING "\([^"]*\)".*/\1/p' "$tree/wolfssl/version.h" | head -n1)
  [ "$release" = "$want" ] || die "wolfssl-sys $crate: wolfssl/version.h says ${release:-no version}, expected $want"
  date=$(release_date "$tree" "$want")
  [ -n "$date" ] || die "wolfssl-sys $crate: ChangeLog.md has no dated heading for $want"
  release_commit "$REPO" "$tree" "$date" "v$want-stable" "wolfSSL $want (wolfssl-sys $crate)"
  log "wolfSSL $want  v$want-stable  $date  (wolfssl-sys $crate, $(find "$tree" -type f | wc -l) files)"
done
rm -rf "$WORK/trees"
finish_repo "$ROOT" "$REPO" "$WORK"
