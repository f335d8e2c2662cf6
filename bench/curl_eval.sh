#!/usr/bin/env bash
# bench/curl_eval.sh — how does `vouch triage` score genuine curl reports against real curl source?
#
# What it does
#   1. Gets curl source trees for a range of releases. curl itself is not downloadable here, but
#      the crates.io crate `curl-sys` vendors curl's source tree (its `curl/` folder: lib/, src/,
#      include/, ... — NOT docs/ or tests/, so claims citing those would fail here) at a release tag; its build metadata names the release
#      (`0.4.91+curl-8.22.0`). Before 0.4.28 it bundled a git checkout of curl without build
#      metadata (0.4.10 to 0.4.27: curl 7.61.1 to 7.68.0); such a checkout counts as the release
#      its curlver.h names only when crates.io published it on or after that release's day.
#      Versions `=0.4.$CURL_SYS_MIN ..= 0.4.$CURL_SYS_MAX` are fetched with
#      `cargo fetch` from a throwaway cargo project (the normal CARGO_HOME registry is reused: a
#      crate already in ~/.cargo/registry/src or registry/cache is not downloaded again). The
#      release a tree holds is read from its include/curl/curlver.h; several curl-sys versions
#      bundle the same release (identical trees) and several releases have no curl-sys at all
#      (8.0.x, 8.1.1, 8.7.x, 8.9.1, 8.11.1, 8.13.0, 8.14.0, 8.16.0 for the default range).
#      Or set CURL_TREES to a folder of already-extracted curl trees (one sub-folder per release,
#      any names; each must hold include/curl/curlver.h) and nothing is fetched.
#   2. Builds a git repository `$WORK/curl` (the folder is named `curl` because vouch takes the
#      project's name from it) with one commit per release, oldest first, each tagged as curl tags
#      releases (annotated tag `curl-8_19_0`), marked shallow (its first commit in .git/shallow):
#      vouch then treats the curl commits and releases it lacks as unknown, as in a shallow clone. Author, committer and tagger dates are the
#      release's date at 08:00 UTC (table RELEASE_DATE below; the trees carry no date: curlver.h
#      says "[unreleased]" in git checkouts and RELEASE-NOTES has none). An earlier `$WORK/curl`
#      made by this script is replaced.
#   3. Builds vouch (`cargo build --release -p vouch`, the repository's own target/; set VOUCH_BIN
#      to use another binary and skip the build), runs
#        vouch triage --queue $REPORTS --repo $WORK/curl --format json --output $WORK/queue-git.json
#      (timed), then two control runs that use plain folders (no git history):
#        - "same": each report alone against the plain tree of the release the git run chose for
#          it ($WORK/same/ID.json). The synthetic repository has none of curl's real commits and
#          lacks the releases curl-sys never bundled, so commit ids and versions such as 8.7.1 that
#          a report cites are "contradicted" there although they are real; in a plain tree vouch
#          calls them unverifiable, so this run shows the score without those harness artefacts.
#          It is stricter in one way: a plain tree has no other versions to consult, while the
#          git run also tries the default branch at the report's date and HEAD for claims that
#          fail at the chosen release.
#        - "tree": the queue against the newest tree as a plain folder ($WORK/queue-tree.json).
#   4. Prints a table per report (id, version checked, score, flagged, confirmed/contradicted/
#      unverifiable counts, top reasons, and the scores of the two control runs), the contradicted
#      claims of every report flagged by any run with their evidence, and a summary: flagged /
#      total per run, the score distribution and the wall time of the queue run.
#
# Usage:   bench/curl_eval.sh [WORK_DIR]          (default WORK_DIR: /tmp/vouch-curl-eval)
# Env:     REPORTS (default /work/shared/corpus/reports/curl-2026-resolved), CURL_TREES,
#          CURL_SYS_MIN (62; 10 reaches back to curl 7.61.1) / CURL_SYS_MAX (91), VOUCH_BIN.
# Needs:   bash, git, python3, cargo; network access to the crates.io registry unless every
#          curl-sys version is already in the cargo registry or CURL_TREES is set.
# Runtime: fetching 30 curl-sys crates ~1-2 min cold, nothing when cached; building the git
#          repository ~20 s; building vouch 0-4 min; the three triage runs ~10 s (the queue of 29
#          reports against the git repository takes ~3-4 s). About 35 s end to end when cached.
# Bar:     the reports are genuine, disclosed curl vulnerabilities: at most 5 % may be flagged.

set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=bench/eval_common.sh
. "$ROOT/bench/eval_common.sh"
WORK=${1:-/tmp/vouch-curl-eval}
REPORTS=${REPORTS:-/work/shared/corpus/reports/curl-2026-resolved}
CURL_SYS_MIN=${CURL_SYS_MIN:-62}
CURL_SYS_MAX=${CURL_SYS_MAX:-91}
CARGO_HOME_DIR=${CARGO_HOME:-$HOME/.cargo}

# Release dates (UTC). 7.61.1 (curl-sys 0.4.10, CURL_SYS_MIN=10; 0.4.11 to 0.4.13 are skipped) up to 8.18.0: curl's release history (curl.se/docs/releases.html); 8.18.0's
# also appears as "Release-Date: 2026-01-07" in the `curl -V` output quoted by report 3584903.
# 8.19.0, 8.20.0, 8.21.0: the day curl disclosed that release's CVEs (the "Disclosed" dates of the
# reports in the corpus: 2026-03-11, 2026-04-29, 2026-06-24; curl publishes advisories on release
# day), each a few days before crates.io published the matching curl-sys.
# 8.22.0: approximation. Its RELEASE-NOTES cite wcurl v2026.08.30 (so after 2026-08-30) and
# curl-sys 0.4.91+curl-8.22.0 was published on 2026-10-08; we use the Wednesday before that
# (curl releases on Wednesdays). No report in the corpus is about 8.22.0.
# A release missing here falls back to the crates.io publication date of its first curl-sys
# (read from the local index cache), else it is skipped with a warning.
declare -A RELEASE_DATE=(
  [7.61.1]=2018-09-05 [7.62.0]=2018-10-31 [7.63.0]=2018-12-12 [7.64.0]=2019-02-06 [7.64.1]=2019-03-27
  [7.65.0]=2019-05-22 [7.65.1]=2019-06-05 [7.65.3]=2019-07-19 [7.66.0]=2019-09-11 [7.67.0]=2019-11-06
  [7.68.0]=2020-01-08 [7.69.0]=2020-03-04 [7.69.1]=2020-03-11 [7.70.0]=2020-04-29
  [7.71.0]=2020-06-24 [7.71.1]=2020-07-01 [7.72.0]=2020-08-19 [7.73.0]=2020-10-14
  [7.74.0]=2020-12-09 [7.75.0]=2021-02-03 [7.76.0]=2021-03-31 [7.76.1]=2021-04-14
  [7.77.0]=2021-05-26 [7.78.0]=2021-07-21 [7.79.0]=2021-09-15 [7.79.1]=2021-09-22
  [7.80.0]=2021-11-10 [7.81.0]=2022-01-05 [7.82.0]=2022-03-05 [7.83.0]=2022-04-27
  [7.83.1]=2022-05-11 [7.84.0]=2022-06-27 [7.85.0]=2022-08-31 [7.86.0]=2022-10-26
  [7.87.0]=2022-12-21 [7.88.0]=2023-02-15 [7.88.1]=2023-02-20
  [8.0.0]=2023-03-20 [8.0.1]=2023-03-20 [8.1.0]=2023-05-17 [8.1.1]=2023-05-23
  [8.1.2]=2023-05-30 [8.2.0]=2023-07-19 [8.2.1]=2023-07-26 [8.3.0]=2023-09-13
  [8.4.0]=2023-10-11 [8.5.0]=2023-12-06 [8.6.0]=2024-01-31 [8.7.0]=2024-03-27 [8.7.1]=2024-03-27
  [8.8.0]=2024-05-22 [8.9.0]=2024-07-24 [8.9.1]=2024-07-31 [8.10.0]=2024-09-11
  [8.10.1]=2024-09-18 [8.11.0]=2024-11-06 [8.11.1]=2024-12-11 [8.12.0]=2025-02-05
  [8.12.1]=2025-02-13 [8.13.0]=2025-04-02 [8.14.0]=2025-05-28 [8.14.1]=2025-06-04
  [8.15.0]=2025-07-16 [8.16.0]=2025-09-10 [8.17.0]=2025-11-05 [8.18.0]=2026-01-07
  [8.19.0]=2026-03-11 [8.20.0]=2026-04-29 [8.21.0]=2026-06-24 [8.22.0]=2026-10-07
)

log() { printf '== %s\n' "$*" >&2; }
die() { printf 'curl_eval: %s\n' "$*" >&2; exit 2; }

for tool in git python3 cargo; do command -v "$tool" >/dev/null || die "$tool is needed"; done
[ -d "$REPORTS" ] || die "$REPORTS: no such report folder"
mkdir -p "$WORK"
WORK=$(cd "$WORK" && pwd)
case "$WORK/" in "$ROOT"/*) die "the work dir must be outside the repository ($ROOT)";; esac

# "VERSION<TAB>YYYY-MM-DD" for every published version of crate $1, from the local index cache.
crate_pubtimes() {
  local idx
  idx=$(compgen -G "$CARGO_HOME_DIR/registry/index/*/.cache/${1:0:2}/${1:2:2}/$1" | head -n1 || true)
  [ -n "$idx" ] || return 0
  python3 - "$idx" <<'PY'
import json, sys
for raw in open(sys.argv[1], "rb").read().split(b"\0"):
    i = raw.find(b"{")
    if i < 0:
        continue
    try:
        d = json.loads(raw[i:])
    except ValueError:
        continue
    if d.get("pubtime"):
        print(d.get("vers", "") + "\t" + d["pubtime"][:10])
PY
}

# crates.io publication date of crate $1 at exactly version $2.
crate_pubdate() { crate_pubtimes "$1" | awk -F'\t' -v v="$2" '$1 == v { print $2; exit }'; }

# The release in a curl tree: LIBCURL_VERSION without "-DEV".
tree_version() {
  sed -n 's/^#define LIBCURL_VERSION "\([0-9.]*\).*"/\1/p' "$1/include/curl/curlver.h" 2>/dev/null | head -n1
}

# ---------------------------------------------------------------------------------------------
# 1. curl trees: $WORK/trees/curl-X.Y.Z -> a tree (symlink), one per release.
# ---------------------------------------------------------------------------------------------
TREES="$WORK/trees"
rm -rf "$TREES"
mkdir -p "$TREES"

add_tree() { # add_tree DIR ORIGIN
  local dir=$1 origin=$2 v
  v=$(tree_version "$dir")
  if [ -z "$v" ]; then log "skip $dir: no include/curl/curlver.h"; return; fi
  if [ -e "$TREES/curl-$v" ]; then
    # Same release bundled again (curl-sys repackaging): keep the first, note if it differs.
    if ! diff -rq "$TREES/curl-$v/" "$dir/" >/dev/null 2>&1; then log "note: $origin differs from the other tree of curl $v; keeping the first"; fi
    return
  fi
  ln -s "$dir" "$TREES/curl-$v"
  printf '%s\t%s\n' "$v" "$origin" >>"$WORK/trees.tsv"
}
: >"$WORK/trees.tsv"

if [ -n "${CURL_TREES:-}" ]; then
  log "curl trees from CURL_TREES=$CURL_TREES"
  for d in "$CURL_TREES"/*/; do add_tree "${d%/}" "$(basename "$d")"; done
else
  log "curl-sys =0.4.$CURL_SYS_MIN ..= 0.4.$CURL_SYS_MAX from crates.io (cargo registry: $CARGO_HOME_DIR)"
  for n in $(seq "$CURL_SYS_MIN" "$CURL_SYS_MAX"); do
    # From 0.4.28 on, the version's build metadata names the bundled release (`0.4.29+curl-7.68.0`).
    pattern="0.4.$n+curl-*"
    [ "$n" -ge 28 ] || pattern="0.4.$n"
    if ! src=$(crate_src curl-sys "$pattern" "$WORK"); then
      log "curl-sys 0.4.$n: not fetched ($(tail -n1 "$WORK/fetch/fetch-curl-sys-0.4.$n.log" 2>/dev/null || echo "not in the registry"))"
      continue
    fi
    [ -n "$src" ] && [ -d "$src/curl" ] || { log "curl-sys 0.4.$n: no curl/ folder"; continue; }
    if [ "$n" -lt 28 ]; then
      # Before 0.4.28 curl-sys bundled a git checkout of curl, whose curlver.h always says
      # "X.Y.Z-DEV". Published on or after release X.Y.Z's day, the checkout is taken as that
      # release (0.4.25, of 2020-01-08, has lib/ byte for byte as 7.68.0's release tree); published
      # before it, it is development code on the way to X.Y.Z (0.4.11 to 0.4.13 say 7.62.0-DEV in
      # September 2018, before 7.62.0 shipped) and is skipped.
      v=$(tree_version "$src/curl")
      published=$(crate_pubdate curl-sys "0.4.$n")
      released=${RELEASE_DATE[$v]:-}
      if [ -z "$released" ] || [ -z "$published" ] || [[ "$published" < "$released" ]]; then
        log "curl-sys 0.4.$n: a development checkout before curl $v (published ${published:-?}, release ${released:-unknown}); skipped"
        continue
      fi
    fi
    add_tree "$src/curl" "$(basename "$src")"
  done
fi
[ -s "$WORK/trees.tsv" ] || die "no curl tree found"

# crates.io publication date of the first curl-sys bundling release $1 (fallback for RELEASE_DATE).
pubdate() {
  crate_pubtimes curl-sys | awk -F'\t' -v s="+curl-$1" 'length($1) > length(s) && substr($1, length($1) - length(s) + 1) == s { print $2 }' | sort | head -n1
}

# ---------------------------------------------------------------------------------------------
# 2. The git repository: one commit and one annotated tag per release, in version order.
# ---------------------------------------------------------------------------------------------
REPO="$WORK/curl"
if [ -e "$REPO" ]; then
  [ -f "$REPO/.git/vouch-curl-eval" ] || die "$REPO exists and was not made by this script; remove it or pick another work dir"
  rm -rf "$REPO"
fi
mkdir -p "$REPO"
git -C "$REPO" init -q -b master
touch "$REPO/.git/vouch-curl-eval"
git -C "$REPO" config user.name "curl release (vouch curl_eval)"
git -C "$REPO" config user.email "curl_eval@localhost"
git -C "$REPO" config core.autocrlf false
: >"$WORK/tags.tsv"
log "building $REPO"
while IFS=$'\t' read -r v origin; do
  date=${RELEASE_DATE[$v]:-}
  case $v in
    8.19.0 | 8.20.0 | 8.21.0) how="CVE disclosure day" ;;
    8.22.0) how="approximation" ;;
    *) how="release history" ;;
  esac
  if [ -z "$date" ]; then
    date=$(pubdate "$v")
    how="crates.io publication of curl-sys (approximation)"
  fi
  if [ -z "$date" ]; then log "curl $v: no release date known; skipped"; continue; fi
  tag="curl-${v//./_}"
  stamp="${date}T08:00:00Z"
  git -C "$REPO" read-tree --empty
  git -C "$REPO" -c core.safecrlf=false --work-tree="$TREES/curl-$v/" add -A -f .
  GIT_AUTHOR_DATE=$stamp GIT_COMMITTER_DATE=$stamp git -C "$REPO" commit -q --allow-empty -m "curl $v" -m "Source: $origin"
  GIT_COMMITTER_DATE=$stamp git -C "$REPO" tag -a "$tag" -m "curl $v"
  printf '%s\t%s\t%s\t%s\t%s\n' "$v" "$tag" "$date" "$how" "$origin" >>"$WORK/tags.tsv"
done < <(sort -t$'\t' -k1,1V "$WORK/trees.tsv")
git -C "$REPO" checkout -q -f master
# Mark the history as cut off, as in a shallow clone (`.git/shallow` names the first commit): it
# is curl's history reduced to one commit per release, so a commit or release tag it lacks is
# unknown here, not proof that the report invented it.
git -C "$REPO" rev-list --max-parents=0 HEAD >"$REPO/.git/shallow"
NEWEST=$(sort -t$'\t' -k1,1V "$WORK/tags.tsv" | tail -n1 | cut -f1)
PLAIN="$TREES/curl-$NEWEST/"
{
  printf '%-8s %-13s %-10s %s\n' release tag date source
  sort -t$'\t' -k1,1V "$WORK/tags.tsv" | while IFS=$'\t' read -r v tag date how origin; do
    printf '%-8s %-13s %-10s %s (%s)\n' "$v" "$tag" "$date" "$origin" "$how"
  done
} | tee "$WORK/tags.txt" >&2

# ---------------------------------------------------------------------------------------------
# 3. vouch, and the runs.
# ---------------------------------------------------------------------------------------------
if [ -n "${VOUCH_BIN:-}" ]; then
  VOUCH=$VOUCH_BIN
else
  log "cargo build --release -p vouch"
  (cd "$ROOT" && cargo build --release -p vouch --quiet)
  VOUCH="$ROOT/target/release/vouch"
fi

triage() { # triage ARGS... — vouch exits 1 when reports are flagged; 2 is an error.
  local rc=0
  "$VOUCH" triage --format json --quiet "$@" || rc=$?
  [ "$rc" -le 1 ] || die "vouch triage $* failed (exit $rc)"
}
log "vouch triage --queue $REPORTS --repo $REPO"
t0=$(date +%s.%N)
triage --queue "$REPORTS" --repo "$REPO" --output "$WORK/queue-git.json"
t1=$(date +%s.%N)
WALL=$(python3 -c "print(f'{$t1 - $t0:.2f}')")

log "control: each report against the plain tree of the release the git run chose"
rm -rf "$WORK/same"
mkdir -p "$WORK/same"
python3 - "$WORK/queue-git.json" "$NEWEST" >"$WORK/same.tsv" <<'PY'
import json, os, re, sys
for r in json.load(open(sys.argv[1]))["reports"]:
    m = re.match(r"tag curl-(\d+)_(\d+)_(\d+)\b", r["checked"]["label"])
    v = ".".join(m.groups()) if m else sys.argv[2]  # HEAD / a commit: the newest release
    print(f"{r['report']}\t{os.path.splitext(os.path.basename(r['report']))[0]}\t{v}")
PY
while IFS=$'\t' read -r file id v; do
  triage "$file" --repo "$TREES/curl-$v/" --output "$WORK/same/$id.json"
done <"$WORK/same.tsv"

PLAIN="$TREES/curl-$NEWEST/"
log "control: the queue against the plain curl $NEWEST tree"
triage --queue "$REPORTS" --repo "$PLAIN" --output "$WORK/queue-tree.json"

# ---------------------------------------------------------------------------------------------
# 4. Table and summary.
# ---------------------------------------------------------------------------------------------
python3 - "$WORK" "$WALL" "$NEWEST" <<'PY'
import json, os, statistics, sys

work, wall, newest = sys.argv[1], sys.argv[2], sys.argv[3]
rid = lambda r: os.path.splitext(os.path.basename(r["report"]))[0]
gd = json.load(open(f"{work}/queue-git.json"))
git = {rid(r): r for r in gd["reports"]}
tree = {rid(r): r for r in json.load(open(f"{work}/queue-tree.json"))["reports"]}
same = {}
for f in os.listdir(f"{work}/same"):
    r = json.load(open(f"{work}/same/{f}"))
    same[rid(r)] = r

def short(s, n):
    return s if len(s) <= n else s[: n - 1] + "…"

def label(r):
    return r["checked"]["label"].replace("tag ", "").split(" (")[0]

def col(r):
    return f"{r['score']:.2f}{'!' if r['flagged'] else ' '}" if r else "  -  "

print()
print(f"{'report':<8} {'checked':<12} {'score':>5} {'flag':<4} {'ok':>3} {'bad':>3} {'?':>3} {'same':>6} {'tree':>6}  top reasons (git run)")
for k in sorted(git):
    r, s = git[k], git[k]["summary"]
    reasons = " | ".join(short(x, 60) for x in r.get("reasons", [])[:2])
    print(f"{k:<8} {short(label(r), 12):<12} {r['score']:>5.2f} {'YES' if r['flagged'] else 'no':<4} "
          f"{s['confirmed']:>3} {s['contradicted']:>3} {s['unverifiable']:>3} {col(same.get(k)):>6} {col(tree.get(k)):>6}  {reasons}")
print(f"(ok/bad/? = confirmed/contradicted/unverifiable claims in the git run; same = the report alone against the\n"
      f" plain tree of the release checked, no history; tree = the queue against the plain curl-{newest} tree; ! = flagged)")

runs = (("git", git), ("same", same), ("tree", tree))
anyflag = [k for k in sorted(git) if any(rs.get(k, {}).get("flagged") for _, rs in runs)]
if anyflag:
    print("\nContradicted claims of the reports flagged by any run (git run; `same` run when it differs):")
    for k in anyflag:
        for name, rs in runs[:2]:
            r = rs.get(k)
            if not r or (name == "same" and not r["flagged"]):
                continue
            print(f"\n{k} [{name}]  score {r['score']:.2f}{'  FLAGGED' if r['flagged'] else ''}  checked at {r['checked']['label']} — {r['checked']['how']}")
            for c in r["claims"]:
                if c["status"] == "contradicted":
                    print(f"  ✗ {c['kind']:<8} `{short(c['text'], 60)}` [report line {c['report_line']}, {c['origin']}]")
                    print(f"      {c['evidence']}")

n = len(git)
bar = 0.05 * n
names = {"git": "git repository (version per report)", "same": "plain tree at the release checked (no history)",
         "tree": f"plain curl-{newest} tree"}
for name, rs in runs:
    scores = [r["score"] for r in rs.values()]
    edges = [0.0, 0.2, 0.4, 0.6, 0.8]
    counts = [sum(1 for x in scores if lo <= x < (edges[i + 1] if i + 1 < len(edges) else 2)) for i, lo in enumerate(edges)]
    hist = "  ".join(f"{lo:.1f}-{(edges[i + 1] if i + 1 < len(edges) else 1.0):.1f}:{c}" for i, (lo, c) in enumerate(zip(edges, counts)))
    nf = sum(1 for r in rs.values() if r["flagged"])
    print(f"\n{names[name]}: flagged {nf} / {len(rs)} ({100 * nf / max(len(rs), 1):.1f} %; bar <= 5 % = {int(bar)}: {'meets' if nf <= bar else 'FAILS'})")
    print(f"  scores: min {min(scores):.2f}  median {statistics.median(scores):.2f}  mean {statistics.mean(scores):.2f}  max {max(scores):.2f}")
    print(f"  distribution: {hist}")
print(f"\nqueue run against the git repository: {n} reports, wall time {wall} s, {len(gd.get('errors') or [])} error(s)")
for e in gd.get("errors") or []:
    print(f"  error: {e}")
PY
