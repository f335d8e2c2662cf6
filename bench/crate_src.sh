# bench/crate_src.sh — sourced by the evaluation scripts (curl_eval.sh, libssh2_eval.sh).
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
