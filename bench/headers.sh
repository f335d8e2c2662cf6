#!/usr/bin/env bash
# bench/headers.sh - scan part 2 goal: a 10 GB safetensors file and a large GGUF file are scanned
# in under 50 ms each, reading only their headers. Files are sparse (no disk space used).
# usage (repo root): bash bench/headers.sh   [VOUCH_BIN=target/release/vouch]
set -euo pipefail
cd "$(dirname "$0")/.."
VOUCH_BIN=${VOUCH_BIN:-target/release/vouch}
[ -x "$VOUCH_BIN" ] || cargo build --release -p vouch
DATA=target/bench-data
python3 bench/gen_sparse.py "$DATA" >/dev/null
for f in "$DATA/sparse-10g.safetensors" "$DATA/sparse-8g.gguf"; do
  size=$(stat -c %s "$f")
  read_bytes=$("$VOUCH_BIN" scan "$f" --format json --hash never | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["summary"]["bytes_read"], d["files"][0]["verdict"], d["files"][0]["format"])')
  rss=$( { /usr/bin/time -f "%M" "$VOUCH_BIN" scan "$f" --format json --hash never -o /dev/null; } 2>&1 | tail -1)
  if command -v hyperfine >/dev/null; then
    t=$(hyperfine -N -i --warmup 3 --runs 30 --export-json /tmp/hf.json "$VOUCH_BIN scan $f --format json --hash never -o /dev/null" >/dev/null && python3 -c 'import json; r=json.load(open("/tmp/hf.json"))["results"][0]; print("%.1f ms median (min %.1f)" % (r["median"]*1e3, r["min"]*1e3))')
  else
    t="hyperfine missing"
  fi
  echo "$(basename "$f"): size $size bytes; read $read_bytes; peak RSS ${rss} KiB; $t"
done
