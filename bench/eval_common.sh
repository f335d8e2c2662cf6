# bench/eval_common.sh — sourced by the evaluation scripts (curl_eval.sh, libssh2_eval.sh,
# cares_eval.sh).
#
# crate_src NAME VERSION WORK
#   Prints the folder of the crates.io crate NAME at exactly VERSION (the crate's own version,
#   with any +build suffix matched by a glob), taken from the cargo registry
#   ($CARGO_HOME/registry/src, else the .crate in registry/cache, extracted under WORK/crates),
#   fetched with `cargo fetch` from a throwaway project in WORK/fetch when neither is there (one
#   crate at a time: -sys crates of one library share a `links` key). Returns 1, with the last
#   line of cargo's output in WORK/fetch/fetch-NAME-VERSION.log (VERSION without its +suffix), when it cannot be fetched.

crate_src() {
  local name=$1 version=$2 work=$3
  local home=${CARGO_HOME:-$HOME/.cargo}
  local src crate
  _crate_found() { compgen -G "$home/registry/$1/*/$name-$version$2" | head -n1 || true; }
  src=$(_crate_found src "")
  crate=$(_crate_found cache ".crate")
  if [ -z "$src" ] && [ -z "$crate" ]; then
    mkdir -p "$work/fetch/src"
    echo 'fn main() {}' >"$work/fetch/src/main.rs"
    cat >"$work/fetch/Cargo.toml" <<EOF
[package]
name = "vouch-eval-fetch"
version = "0.1.0"
edition = "2021"
publish = false
[workspace]
[dependencies]
$name = { version = "=${version%%+*}", default-features = false }
EOF
    rm -f "$work/fetch/Cargo.lock"
    (cd "$work/fetch" && cargo fetch --quiet) >"$work/fetch/fetch-$name-${version%%+*}.log" 2>&1 || return 1
    src=$(_crate_found src "")
    crate=$(_crate_found cache ".crate")
  fi
  if [ -z "$src" ] && [ -n "$crate" ]; then
    mkdir -p "$work/crates"
    tar -xzf "$crate" -C "$work/crates"
    src=$(compgen -G "$work/crates/$name-$version*" | head -n1 || true)
  fi
  [ -n "$src" ] || return 1
  printf '%s\n' "$src"
}

# triage_queue ROOT REPO REPORTS WORK
#   Runs `vouch triage --queue REPORTS --repo REPO --format json` into WORK/queue.json (VOUCH_BIN,
#   else ROOT/target/release/vouch, built when missing) and prints one line per report: file,
#   score, flagged, title. Returns 2 when vouch fails (exit code above 1).
triage_queue() {
  local root=$1 repo=$2 reports=$3 work=$4
  local vouch=${VOUCH_BIN:-$root/target/release/vouch}
  if [ ! -x "$vouch" ]; then
    (cd "$root" && cargo build --release -p vouch --quiet)
  fi
  local rc=0
  "$vouch" triage --queue "$reports" --repo "$repo" --format json --output "$work/queue.json" --quiet || rc=$?
  [ "$rc" -le 1 ] || { printf 'vouch triage exited %s\n' "$rc" >&2; return 2; }
  python3 - "$work/queue.json" <<'EOF'
import json, os, sys
d = json.load(open(sys.argv[1]))
for r in d["reports"]:
    print(f'{os.path.basename(r["report"])}\t{r["score"]:.3f}\t{"flagged" if r["flagged"] else "-"}\t{r.get("title") or ""}')
for e in d.get("errors", []):
    print("error:", e)
EOF
}
