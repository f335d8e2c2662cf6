# bench/eval_common.sh — sourced by the evaluation scripts (curl_eval.sh, libssh2_eval.sh,
# cares_eval.sh).

# log MESSAGE / die MESSAGE
#   Print MESSAGE to stderr after the sourcing script's name; die then exits 2. A script may
#   define its own after sourcing this file.
EVAL_NAME=$(basename "${BASH_SOURCE[1]:-$0}" .sh)
log() { printf '%s: %s\n' "$EVAL_NAME" "$*" >&2; }
die() { printf '%s: %s\n' "$EVAL_NAME" "$*" >&2; exit 2; }

# new_repo REPO BRANCH WHO
#   A new, empty git repository at REPO (an earlier one is replaced), committing as WHO.
new_repo() {
  local repo=$1 branch=$2 who=$3
  rm -rf "$repo"
  mkdir -p "$repo"
  git -C "$repo" init -q -b "$branch"
  git -C "$repo" config user.name "$who (vouch bench)"
  git -C "$repo" config user.email "bench@localhost"
  git -C "$repo" config core.autocrlf false
}

# commit_tree REPO TREE DATE MESSAGE
#   Replaces REPO's files with TREE's (a vendored submodule's `.git` file left out) and commits
#   them, dated DATE (YYYY-MM-DD, 08:00 UTC).
commit_tree() {
  local repo=$1 tree=$2 date=$3 message=$4
  find "$repo" -mindepth 1 -maxdepth 1 ! -name .git -exec rm -rf {} +
  tar -C "$tree" --exclude=./.git -cf - . | tar -C "$repo" -xf -
  # From an empty index, forced: the tree's own .gitignore does not apply, and as the crates'
  # files all carry one mtime, a file of the same size as the one it replaces could otherwise
  # pass git's stat check unread.
  git -C "$repo" read-tree --empty
  git -C "$repo" add -A -f
  GIT_AUTHOR_DATE="${date}T08:00:00Z" GIT_COMMITTER_DATE="${date}T08:00:00Z" git -C "$repo" commit -q -m "$message"
}

# release_commit REPO TREE DATE TAG MESSAGE
#   commit_tree, then an annotated tag TAG of the same date.
release_commit() {
  commit_tree "$1" "$2" "$3" "$5"
  GIT_COMMITTER_DATE="${3}T08:00:00Z" git -C "$1" tag -a "$4" -m "$5"
}

# finish_repo ROOT REPO WORK
#   Marks REPO shallow at its first commit, dates it as a clone last updated at its newest
#   commit (clone_as_of), and, with REPORTS set, runs triage_queue on them.
finish_repo() {
  mark_shallow "$2"
  clone_as_of "$2"
  log "repository: $2"
  [ -n "${REPORTS:-}" ] || return 0
  triage_queue "$1" "$2" "$REPORTS" "$3"
}

# clone_as_of REPO
#   Gives git's own files in REPO (HEAD, index, refs, logs) the time of its newest commit or tag,
#   as in a clone last fetched then. The repository holds no code newer than that, like such a
#   clone; vouch then knows, as it would of a real one, that a report written later may cite code
#   the clone lacks (its stale-clone note), rather than taking the build day for the fetch day.
clone_as_of() {
  local t
  t=$(git -C "$1" log -1 --all --format=%ct)
  find "$1/.git" -maxdepth 2 \( -name HEAD -o -name index -o -name packed-refs -o -name FETCH_HEAD -o -name ORIG_HEAD \) \
    -exec touch -d "@$t" {} +
}

# mark_shallow REPO
#   Marks REPO's first commit shallow: vouch then treats the commits and releases it lacks as
#   unknown, as in a shallow clone, rather than absent.
mark_shallow() {
  git -C "$1" rev-list --max-parents=0 HEAD >"$1/.git/shallow"
}
#
# crate_src NAME VERSION WORK
#   Prints the folder of the crates.io crate NAME at exactly VERSION (the crate's own version,
#   with any +build suffix matched by a glob), taken from the cargo registry
#   ($CARGO_HOME/registry/src, else the .crate in registry/cache, extracted under WORK/crates),
#   fetched with `cargo fetch` from a throwaway project in WORK/fetch when neither is there (one
#   crate at a time: -sys crates of one library share a `links` key), or, for a yanked version
#   that cargo will not select, downloaded from static.crates.io with curl. Returns 1, with the last
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
    if (cd "$work/fetch" && cargo fetch --quiet) >"$work/fetch/fetch-$name-${version%%+*}.log" 2>&1; then
      src=$(_crate_found src "")
      crate=$(_crate_found cache ".crate")
    else
      # A yanked version cannot be selected by a new project; crates.io still serves its file.
      crate="$work/fetch/$name-$version.crate"
      curl -sfL -m 300 -o "$crate" "https://static.crates.io/crates/$name/$name-$version.crate" \
        >>"$work/fetch/fetch-$name-${version%%+*}.log" 2>&1 || { rm -f "$crate"; return 1; }
    fi
  fi
  if [ -z "$src" ] && [ -n "$crate" ]; then
    mkdir -p "$work/crates"
    tar -xzf "$crate" -C "$work/crates"
    src=$(compgen -G "$work/crates/$name-$version*" | head -n1 || true)
  fi
  [ -n "$src" ] || return 1
  printf '%s\n' "$src"
}

# crate_tree NAME VERSION WORK SUBDIR
#   Prints the folder SUBDIR of the crate NAME at VERSION (crate_src; SUBDIR `.` for the crate's
#   own folder); dies when the crate cannot be fetched or has no such folder. Use as
#   `tree=$(crate_tree ...)` under `set -e`.
crate_tree() {
  local src
  src=$(crate_src "$1" "$2" "$3") || die "$1 $2: not fetched ($(tail -n1 "$3/fetch/fetch-$1-${2%%+*}.log" 2>/dev/null || echo "not in the registry"))"
  [ -d "$src/$4" ] || die "$1 $2: no $4/ folder"
  printf '%s\n' "$src/$4"
}

# vendored_release REPO WORK CRATE VERSION SUBDIR NAME WANT TAG DATE FILE SED [joined]
#   Commits the release tree the crate CRATE at VERSION vendors in SUBDIR (crate_tree) to REPO as
#   tag TAG dated DATE, after checking that it is release WANT: the first line the sed expression
#   SED prints from FILE (relative to the tree), or with `joined` all the lines it prints joined
#   by dots (a header's MAJOR, MINOR and PATCH macros). NAME is the project's name in messages.
vendored_release() {
  local repo=$1 work=$2 crate=$3 version=$4 subdir=$5 name=$6 want=$7 tag=$8 date=$9 file=${10} expr=${11} join=${12:-} tree release
  tree=$(crate_tree "$crate" "$version" "$work" "$subdir")
  if [ "$join" = joined ]; then
    release=$(sed -n "$expr" "$tree/$file" | paste -sd.)
  else
    release=$(sed -n "$expr" "$tree/$file" | head -n1)
  fi
  [ "$release" = "$want" ] || die "$crate $version: $file says ${release:-no version}, expected $want"
  release_commit "$repo" "$tree" "$date" "$tag" "$name $tag ($crate $version)"
  log "$name $tag  $date  ($crate $version, $(find "$tree" -type f | wc -l) files)"
}

# vendored_releases CRATES REPO WORK CRATE SUBDIR NAME TAG_PREFIX FILE SED [joined]
#   vendored_release for each `crate version:release:date` triple of CRATES (space or newline
#   separated), in order, each tagged TAG_PREFIX followed by the release (`v1.6.44`).
vendored_releases() {
  local crates=$1 repo=$2 work=$3 crate=$4 subdir=$5 name=$6 prefix=$7 file=$8 expr=$9 join=${10:-} triple version want date
  for triple in $crates; do
    IFS=: read -r version want date <<<"$triple"
    vendored_release "$repo" "$work" "$crate" "$version" "$subdir" "$name" "$want" "$prefix$want" "$date" "$file" "$expr" $join
  done
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

# debian_src PACKAGE UPSTREAM WORK
#   Prints the folder of the upstream source tarball (`PACKAGE_UPSTREAM.orig.tar.*`) of Debian's
#   source package PACKAGE, found through the Sources indexes of Debian's current suites
#   (oldstable to experimental, their security and backports suites; fetched once into
#   WORK/debian), downloaded from the Debian archive, checked against the index's SHA-256 and
#   extracted under WORK/debian/src (DEBIAN_CACHE, when set, instead of WORK/debian). Debian's own patches are not applied: the tree is what the
#   project released, less any files Debian strips from it (versions ending +dfsg or +ds).
#   Returns 1 with a message on stderr when no suite lists the tarball or it does not verify.
# debian_cands PKG UPSTREAM DIR [ubuntu]: "URL SHA-256" of PKG_UPSTREAM.orig.tar.* for each
# stanza of the cached Sources indexes that lists it (Debian's, or with `ubuntu` Ubuntu's).
# Prints nothing when none does.
debian_cands() {
  python3 - "$@" <<'PY'
import glob, re, sys
pkg, upstream, d = sys.argv[1:4]
ubuntu = len(sys.argv) > 4
want = re.compile(re.escape(f"{pkg}_{upstream}.orig.tar.") + r"(gz|xz|bz2|lzma)$")
paths = sorted(glob.glob(f"{d}/ubuntu-Sources-*")) if ubuntu else sorted(glob.glob(f"{d}/Sources-*"))
seen = set()
for path in paths:
    if ubuntu:
        host = "http://archive.ubuntu.com/ubuntu"
    else:
        host = "http://security.debian.org/debian-security" if path.endswith("-security") else "http://deb.debian.org/debian"
    for stanza in open(path, encoding="utf-8", errors="replace").read().split("\n\n"):
        if f"\nPackage: {pkg}\n" not in "\n" + stanza + "\n":
            continue
        directory = re.search(r"^Directory: (\S+)", stanza, re.M)
        sums = stanza.split("Checksums-Sha256:", 1)
        if not directory or len(sums) < 2:
            continue
        for line in sums[1].splitlines()[1:]:
            if not line.startswith(" "):
                break
            sha, _size, name = line.split()
            url = f"{host}/{directory.group(1)}/{name}"
            if want.match(name) and url not in seen:
                seen.add(url)
                print(f"{url} {sha}")
sys.exit(0)
PY
}

# fetch_first DIR: reads "URL SHA-256" lines and prints the path under DIR of the first tarball
# that is cached or downloads with that SHA-256; prints nothing when none does.
fetch_first() {
  local dir=$1 url sha file
  while read -r url sha; do
    [ -n "$url" ] || continue
    file="$dir/$(basename "$url")"
    if [ -s "$file" ] && [ "$(sha256sum "$file" | cut -d' ' -f1)" = "$sha" ]; then printf '%s\n' "$file" && return 0; fi
    if curl -sfL -m 600 -o "$file" "$url" && [ "$(sha256sum "$file" | cut -d' ' -f1)" = "$sha" ]; then printf '%s\n' "$file" && return 0; fi
    rm -f "$file"
    printf 'debian_src: %s: download failed or SHA-256 differs from the index\n' "$url" >&2
  done
  return 0
}

debian_src() {
  local pkg=$1 upstream=$2 dir=${DEBIAN_CACHE:-$3/debian} file out
  mkdir -p "$dir/src"
  local suite host
  for suite in bullseye bookworm trixie sid experimental bullseye-backports bookworm-backports trixie-backports \
    bullseye-security bookworm-security trixie-security; do
    [ -s "$dir/Sources-$suite" ] && continue
    case $suite in
      *-security) host=http://security.debian.org/debian-security ;;
      *) host=http://deb.debian.org/debian ;;
    esac
    curl -sfL -m 300 "$host/dists/$suite/main/source/Sources.xz" | xz -dc >"$dir/Sources-$suite.part" 2>/dev/null &&
      mv "$dir/Sources-$suite.part" "$dir/Sources-$suite" || rm -f "$dir/Sources-$suite.part"
  done
  # Candidates, Debian's first: "URL SHA-256" lines from every Sources index in the cache.
  # Debian's pool no longer serves some releases its indexes still list (bullseye's, sid's
  # newest); Ubuntu's pool keeps its own copy of the same `.orig` tarballs, so Ubuntu's indexes
  # (fetched only when no Debian candidate downloads) are the second source.
  file=$(debian_cands "$pkg" "$upstream" "$dir" | fetch_first "$dir")
  if [ -z "$file" ]; then
    for suite in jammy noble plucky questing resolute; do
      for comp in main universe; do
        [ -s "$dir/ubuntu-Sources-$suite-$comp" ] && continue
        curl -sfL -m 300 "http://archive.ubuntu.com/ubuntu/dists/$suite/$comp/source/Sources.xz" | xz -dc >"$dir/ubuntu-Sources-$suite-$comp.part" 2>/dev/null &&
          mv "$dir/ubuntu-Sources-$suite-$comp.part" "$dir/ubuntu-Sources-$suite-$comp" || rm -f "$dir/ubuntu-Sources-$suite-$comp.part"
      done
    done
    file=$(debian_cands "$pkg" "$upstream" "$dir" ubuntu | fetch_first "$dir")
  fi
  [ -n "$file" ] || { printf 'debian_src: no Debian or Ubuntu pool served %s_%s.orig.tar.* with the SHA-256 its index lists\n' "$pkg" "$upstream" >&2; return 1; }
  out="$dir/src/$pkg-$upstream"
  if [ ! -d "$out" ]; then
    mkdir -p "$out.part"
    tar --no-same-owner -xf "$file" -C "$out.part" || { rm -rf "$out.part"; printf 'debian_src: %s: not a tarball\n' "$file" >&2; return 1; }
    mv "$out.part" "$out"
  fi
  # The tarball's one top folder, else the extraction folder itself.
  if [ "$(find "$out" -mindepth 1 -maxdepth 1 | wc -l)" = 1 ] && [ -d "$(find "$out" -mindepth 1 -maxdepth 1)" ]; then
    find "$out" -mindepth 1 -maxdepth 1
  else
    printf '%s\n' "$out"
  fi
}
