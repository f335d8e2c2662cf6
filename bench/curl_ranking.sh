#!/usr/bin/env bash
# bench/curl_ranking.sh — does `vouch triage` separate genuine curl reports from fabricated ones?
#
# Positives: the 29 genuine, disclosed curl reports (GENUINE, default
#            /work/shared/corpus/reports/curl-2026-resolved).
# Negatives: the 20 synthetic "AI slop" reports bench/curl-fabricated/f*.md (FABRICATED; its
#            README.md, which says what each one fabricates, is not queued). Any folder of
#            *.md reports works for either class (a README.md in it is skipped); GENUINE and
#            FABRICATED may each list several folders separated by ':'.
#
# Each folder is ranked with `vouch triage --queue` (separately, so the queue's duplicate search
# does not mix the two classes) in three runs:
#   - git:  the curl release repository built by bench/curl_eval.sh (CURL_REPO, default
#           /tmp/vouch-curl-eval/curl; tags curl-8_1_0 .. curl-8_22_0, marked shallow). It is not rebuilt here:
#           run bench/curl_eval.sh first if it is missing.
#   - same: each report alone against the plain tree (`git archive`) of the release the git run
#           checked it at: the synthetic history lacks curl's real commits and some releases,
#           which a real clone has, so this run shows the scores without those artefacts.
#   - tree: the plain tree of curl 8.20.0 (`git archive curl-8_20_0` of that repository into a
#           temporary folder named curl-8.20.0; no history, every report is checked there).
# For each run it prints the fraction of fabricated reports flagged (goal >= 80 %), the fraction
# of genuine reports flagged, the ROC AUC of `score` with genuine = positive (goal >= 0.9; ties
# count one half), and every report's score and flag.
#
# vouch: VOUCH_BIN, else target/release/vouch (built with `cargo build --release -p vouch` only
# when missing). POLICY=FILE is passed as --policy when set (default: none, like curl_eval.sh), and
# ADVISORIES=STORE as --advisories (a store of `vouch db import`; bench/curl_advisories.py makes
# one's input from curl's advisory texts).
# JSON results are kept in OUT (default /tmp/vouch-curl-ranking). Always exits 0.
#
# Usage: bench/curl_ranking.sh

set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
GENUINE=${GENUINE:-/work/shared/corpus/reports/curl-2026-resolved}
FABRICATED=${FABRICATED:-$ROOT/bench/curl-fabricated}
CURL_REPO=${CURL_REPO:-/tmp/vouch-curl-eval/curl}
TREE_TAG=${TREE_TAG:-curl-8_20_0}
OUT=${OUT:-/tmp/vouch-curl-ranking}

log() { printf '== %s\n' "$*" >&2; }
fail() { printf 'curl_ranking: %s\n' "$*" >&2; exit 0; }

git -C "$CURL_REPO" rev-parse -q --verify "refs/tags/$TREE_TAG" >/dev/null 2>&1 ||
  fail "$CURL_REPO: not a git repository with tag $TREE_TAG (run bench/curl_eval.sh first)"

if [ -n "${VOUCH_BIN:-}" ]; then
  VOUCH=$VOUCH_BIN
else
  VOUCH="$ROOT/target/release/vouch"
  if [ ! -x "$VOUCH" ]; then
    log "cargo build --release -p vouch"
    (cd "$ROOT" && cargo build --release -p vouch --quiet) || fail "cargo build failed"
  fi
fi

mkdir -p "$OUT"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
TREE="$TMP/curl-${TREE_TAG#curl-}"
TREE=${TREE//_/.}
mkdir -p "$TREE"
git -C "$CURL_REPO" archive "$TREE_TAG" | tar -x -C "$TREE" || fail "git archive $TREE_TAG failed"

# A folder may hold a README.md (bench/curl-fabricated does: what each report fabricates), which
# is not a report: queue copies of every other *.md file.
# SRC may list several folders separated by ':'.
queue_copy() { # queue_copy SRC DEST
  mkdir -p "$2"
  local f d n=0 dirs
  IFS=: read -r -a dirs <<<"$1"
  for d in "${dirs[@]}"; do
    for f in "$d"/*.md; do
      [ -e "$f" ] && [ "$(basename "$f")" != README.md ] || continue
      cp "$f" "$2"/ && n=$((n + 1))
    done
  done
  [ "$n" -gt 0 ] || fail "$1: no *.md reports"
}
FABQ="$TMP/curl-fabricated"
GENQ="$TMP/curl-genuine"
queue_copy "$FABRICATED" "$FABQ"
queue_copy "$GENUINE" "$GENQ"

POLICY_ARGS=()
[ -n "${POLICY:-}" ] && POLICY_ARGS=(--policy "$POLICY")
[ -n "${ADVISORIES:-}" ] && POLICY_ARGS+=(--advisories "$ADVISORIES")

# triage NAME FOLDER REPO — vouch exits 1 when it flags something; 2/3 are errors (still reported).
triage() {
  local name=$1 folder=$2 repo=$3 rc=0
  log "vouch triage --queue $folder --repo $repo"
  "$VOUCH" triage --queue "$folder" --repo "$repo" --format json --quiet "${POLICY_ARGS[@]}" \
    --output "$OUT/$name.json" 2>"$OUT/$name.stderr" || rc=$?
  # 3 is "incomplete, nothing above the threshold" (a plain tree of another release than a report's).
  if [ "$rc" -eq 2 ] || [ "$rc" -gt 3 ]; then
    log "$name: vouch exited $rc: $(tail -n 3 "$OUT/$name.stderr")"
  fi
}
triage git-genuine "$GENQ" "$CURL_REPO"
triage git-fabricated "$FABQ" "$CURL_REPO"
triage tree-genuine "$GENQ" "$TREE"
triage tree-fabricated "$FABQ" "$TREE"

# same: each report alone against the plain tree (git archive) of the release the git run checked
# it at (HEAD or a commit: the newest release), so missing commits and releases of the synthetic
# history do not count against it.
same() { # same CLASS
  local class=$1 file id tag rc
  rm -rf "${OUT:?}/same-$class"
  mkdir -p "$OUT/same-$class"
  python3 - "$OUT/git-$class.json" <<'PY' >"$TMP/same-$class.tsv" || return 0
import json, os, re, sys
for r in json.load(open(sys.argv[1])).get("reports", []):
    m = re.match(r"tag (curl-\d+_\d+_\d+)\b", r["checked"]["label"])
    print(f"{r['report']}\t{os.path.splitext(os.path.basename(r['report']))[0]}\t{m.group(1) if m else ''}")
PY
  log "same-$class: each report against the plain tree of its release"
  while IFS=$'\t' read -r file id tag; do
    [ -n "$tag" ] || tag=$(git -C "$CURL_REPO" tag --list 'curl-*' --sort=-v:refname | head -n1)
    local tree="$TMP/trees/${tag//_/.}"
    if [ ! -d "$tree" ]; then
      mkdir -p "$tree"
      git -C "$CURL_REPO" archive "$tag" | tar -x -C "$tree" || { log "git archive $tag failed"; continue; }
    fi
    rc=0
    "$VOUCH" triage "$file" --repo "$tree" --format json --quiet "${POLICY_ARGS[@]}" \
      --output "$OUT/same-$class/$id.json" 2>>"$OUT/same-$class.stderr" || rc=$?
    [ "$rc" -le 1 ] || [ "$rc" -eq 3 ] || log "same-$class $id: vouch exited $rc"
  done <"$TMP/same-$class.tsv"
}
same genuine
same fabricated

python3 - "$OUT" "$CURL_REPO" "$(basename "$TREE")" <<'PY'
import json, os, sys

out, repo, treename = sys.argv[1:4]
rid = lambda r: os.path.splitext(os.path.basename(r["report"]))[0]

def load(name):
    p = os.path.join(out, name)
    if os.path.isdir(p):  # one JSON result per report
        reports, errors = {}, []
        for f in sorted(os.listdir(p)):
            try:
                r = json.load(open(os.path.join(p, f)))
                reports[rid(r)] = r
            except (OSError, ValueError) as e:
                errors.append(f"{f}: {e}")
        return reports, errors
    try:
        d = json.load(open(p + ".json"))
    except (OSError, ValueError) as e:
        print(f"  {name}: no result ({e})")
        return {}, []
    return {rid(r): r for r in d.get("reports", [])}, d.get("errors") or []

def auc(pos, neg):
    if not pos or not neg:
        return float("nan")
    s = 0.0
    for p in pos:
        for n in neg:
            s += 1.0 if p > n else 0.5 if p == n else 0.0
    return s / (len(pos) * len(neg))

def label(r):
    c = r.get("checked") or {}
    return c.get("label", "?").replace("tag ", "").split(" (")[0]

summary = []
for run, desc in (("git", f"git repository {repo} (version per report)"),
                  ("same", "each report alone, plain tree of the release the git run checked"),
                  ("tree", f"plain tree {treename}")):
    gen, gerr = load(f"{run}-genuine")
    fab, ferr = load(f"{run}-fabricated")
    print(f"\n=== {desc}")
    for e in gerr + ferr:
        print(f"  error: {e}")
    if not gen or not fab:
        continue
    rows = [(r["score"], "genuine", k, r) for k, r in gen.items()] + \
           [(r["score"], "FABRICATED", k, r) for k, r in fab.items()]
    rows.sort(key=lambda x: (-x[0], x[1], x[2]))
    print(f"  {'rank':>4} {'report':<8} {'class':<10} {'score':>5} {'flag':<4} {'ok':>3} {'bad':>3} {'?':>3}  {'checked':<12} top reason")
    for i, (score, cls, k, r) in enumerate(rows, 1):
        s = r.get("summary", {})
        reason = (r.get("reasons") or [""])[0]
        reason = reason if len(reason) <= 70 else reason[:69] + "…"
        print(f"  {i:>4} {k:<8} {cls:<10} {score:>5.2f} {'YES' if r['flagged'] else 'no':<4} "
              f"{s.get('confirmed', 0):>3} {s.get('contradicted', 0):>3} {s.get('unverifiable', 0):>3}  "
              f"{label(r)[:12]:<12} {reason}")
    ff = sum(r["flagged"] for r in fab.values()) / len(fab)
    gf = sum(r["flagged"] for r in gen.values()) / len(gen)
    a = auc([r["score"] for r in gen.values()], [r["score"] for r in fab.values()])
    low_gen = min(r["score"] for r in gen.values())
    above = sorted(k for k, r in fab.items() if r["score"] >= low_gen)
    missed = sorted(k for k, r in fab.items() if not r["flagged"])
    print(f"\n  fabricated flagged: {sum(r['flagged'] for r in fab.values())}/{len(fab)} = {100 * ff:.1f} % (goal >= 80 %: {'meets' if ff >= 0.8 else 'FAILS'})")
    print(f"  genuine flagged:    {sum(r['flagged'] for r in gen.values())}/{len(gen)} = {100 * gf:.1f} %")
    print(f"  ROC AUC (score, genuine positive): {a:.3f} (goal >= 0.9: {'meets' if a >= 0.9 else 'FAILS'})")
    print(f"  fabricated not flagged: {', '.join(missed) or '-'}")
    print(f"  fabricated scoring >= the lowest genuine score ({low_gen:.2f}): {', '.join(above) or '-'}")
    summary.append((run, ff, gf, a))

print("\n=== summary")
for run, ff, gf, a in summary:
    print(f"  {run:<5} fabricated flagged {100 * ff:5.1f} %   genuine flagged {100 * gf:5.1f} %   AUC {a:.3f}")
print(f"  JSON: {out}/{{git,tree}}-{{genuine,fabricated}}.json, {out}/same-{{genuine,fabricated}}/")
PY
exit 0
