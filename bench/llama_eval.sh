#!/usr/bin/env bash
# bench/llama_eval.sh — llama.cpp (with ggml, GGUF loading, llama-server and its tools) for
# `vouch triage`, whose tracker (github.com/ggml-org/llama.cpp) holds many crash, sanitizer and
# security claims, some of them written by language models.
#
# What it does
#   1. Gets llama.cpp source trees from PyPI: the source distribution of `llama-cpp-python`
#      vendors llama.cpp's whole tree in `vendor/llama.cpp/` (src/, ggml/, tools/, common/,
#      tests/, examples/, ...) at the commit that release was built against. Neither Debian's
#      llama.cpp tarball nor a crate was reachable here. The JSON API (pypi.org/pypi/NAME/json)
#      gives each sdist's address and SHA-256, which is checked; the upload date dates the tree.
#      llama.cpp numbers its builds (`b6123`) and the sdist does not say which build it vendors,
#      so the tags are named after the llama-cpp-python release (`llama-cpp-python-0.3.16`): a
#      build number a report names matches no tag, and a report is checked at the tree current
#      at its date. Thirteen releases, 2023-07 to 2026-10 (VERSIONS below).
#   2. Builds a git repository `$WORK/llama.cpp` with one commit per tree, oldest first.
#   3. With REPORTS set, runs `vouch triage --queue $REPORTS --repo $WORK/llama.cpp --format json`
#      into $WORK/queue.json and prints one line per report (score, flagged, title).
#
# Usage:   bench/llama_eval.sh [WORK_DIR]       (default WORK_DIR: /tmp/vouch-llama-eval)
# Env:     REPORTS (optional), VOUCH_BIN (default target/release/vouch, built when missing),
#          PYPI (default https://pypi.org).
# Needs:   bash, git, python3, curl, tar; PyPI.

set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=bench/eval_common.sh
. "$ROOT/bench/eval_common.sh"
WORK=${1:-/tmp/vouch-llama-eval}
PYPI=${PYPI:-https://pypi.org}

VERSIONS="0.1.70 0.2.11 0.2.27 0.2.56 0.2.77 0.2.90 0.3.5 0.3.8 0.3.14 0.3.16 0.3.20 0.3.28 0.3.36"

mkdir -p "$WORK/sdist"
curl -sfL -m 120 "$PYPI/pypi/llama-cpp-python/json" -o "$WORK/sdist/index.json" || die "$PYPI: no llama-cpp-python index"
REPO="$WORK/llama.cpp"
new_repo "$REPO" master "llama.cpp release"
for v in $VERSIONS; do
  # address (absolute, or relative to the JSON's own), SHA-256 and upload date of the sdist
  read -r url sha date < <(python3 - "$WORK/sdist/index.json" "$v" "$PYPI/pypi/llama-cpp-python/json" <<'PY'
import json, sys, urllib.parse
d = json.load(open(sys.argv[1]))
for f in d["releases"].get(sys.argv[2], []):
    if f["packagetype"] == "sdist":
        print(urllib.parse.urljoin(sys.argv[3], f["url"]), f["digests"]["sha256"], f["upload_time"][:10])
        break
PY
  ) || die "llama-cpp-python $v: no sdist in the index"
  file="$WORK/sdist/llama_cpp_python-$v.tar.gz"
  if [ ! -s "$file" ] || [ "$(sha256sum "$file" | cut -d' ' -f1)" != "$sha" ]; then
    curl -sfL -m 600 -o "$file" "$url" || die "llama-cpp-python $v: $url: download failed"
  fi
  [ "$(sha256sum "$file" | cut -d' ' -f1)" = "$sha" ] || die "llama-cpp-python $v: SHA-256 differs from the index"
  out="$WORK/src/$v"
  if [ ! -d "$out" ]; then
    mkdir -p "$out.part"
    tar --no-same-owner -xzf "$file" -C "$out.part" --wildcards '*/vendor/llama.cpp/*' || die "llama-cpp-python $v: no vendor/llama.cpp"
    mv "$out.part" "$out"
  fi
  tree=$(find "$out" -mindepth 3 -maxdepth 3 -type d -path '*/vendor/llama.cpp' | head -n1)
  [ -f "$tree/CMakeLists.txt" ] && { [ -d "$tree/ggml" ] || [ -f "$tree/ggml.c" ]; } || die "llama-cpp-python $v: vendor/llama.cpp is not a llama.cpp tree"
  release_commit "$REPO" "$tree" "$date" "llama-cpp-python-$v" "llama.cpp as vendored by llama-cpp-python $v"
  log "llama.cpp (llama-cpp-python $v)  $date  ($(find "$tree" -type f | wc -l) files)"
done
finish_repo "$ROOT" "$REPO" "$WORK"
