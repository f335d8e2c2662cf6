#!/usr/bin/env bash
# bench/triage.sh - how long `vouch triage` takes on one report against a repository of curl's
# size (about 200k lines of C), warm (the repository's files in the page cache).
#
# Run from anywhere:   bash bench/triage.sh
#
# It generates a curl-like C project as a git repository with release tags (bench/gen_c_repo.py,
# deterministic), writes a report against its 2.0.0 release that cites a real function, its file
# and line, quotes its code, calls project API from a PoC and carries a sanitizer trace - so every
# check runs (version choice, symbol index, line and snippet matching, meaning and evidence checks,
# the latest-code comparison) - and times `vouch triage REPORT --repo REPO` with hyperfine. It
# also times the same report against the repository as a plain source tree, and a queue of the
# 29 disclosed curl reports against the generated repository, and the report with neither version
# nor date and a function no release has (HEAD, then earlier releases).
#
# Needs python3, git and hyperfine. vouch is not rebuilt: cargo build --release -p vouch first.
#
# Environment knobs (all optional):
#   VOUCH_BIN     vouch binary                     (target/release/vouch)
#   BENCH_LINES   size of the generated project    (200000)
#   BENCH_RUNS    timed runs per command           (20)
#   BENCH_GOAL    seconds one report may take      (2)
#
# Exits 1 when the mean time for one report is above BENCH_GOAL.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

VOUCH=${VOUCH_BIN:-target/release/vouch}
LINES=${BENCH_LINES:-200000}
RUNS=${BENCH_RUNS:-20}
GOAL=${BENCH_GOAL:-2}
CURL_REPORTS=../shared/corpus/reports/curl-2026-resolved

[ -x "$VOUCH" ] || { echo "no vouch binary at $VOUCH (cargo build --release -p vouch, or set VOUCH_BIN)" >&2; exit 2; }
command -v hyperfine >/dev/null || { echo "hyperfine is needed (apt-get install hyperfine)" >&2; exit 2; }
VOUCH=$(realpath "$VOUCH")

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
REPO=$WORK/proj
python3 bench/gen_c_repo.py "$REPO" --lines "$LINES" >/dev/null
echo "repository: $(git -C "$REPO" ls-files | wc -l) files, $(git -C "$REPO" ls-files -z '*.c' '*.h' | xargs -0 -I{} cat "$REPO/{}" | wc -l) lines of C, tags: $(git -C "$REPO" tag | tr '\n' ' ')"

# The report: a function of lib/ with a memcpy, as the release 2.0.0 has it.
python3 - "$REPO" "$WORK/report.md" <<'PY'
import re, subprocess, sys
repo, out = sys.argv[1], sys.argv[2]
tag = "proj-2_0_0"
files = subprocess.run(["git", "-C", repo, "ls-tree", "-r", "--name-only", tag, "lib"], capture_output=True, text=True, check=True).stdout.split()
for path in sorted(f for f in files if f.endswith(".c")):
    text = subprocess.run(["git", "-C", repo, "show", f"{tag}:{path}"], capture_output=True, text=True, check=True).stdout
    lines = text.split("\n")
    for i, l in enumerate(lines):
        if "memcpy(" in l:
            # the function holding it: the nearest line before that opens a definition
            j = i
            while j > 0 and not re.match(r"^[A-Za-z_][A-Za-z0-9_]*\(", lines[j]):
                j -= 1
            m = re.match(r"^([A-Za-z_][A-Za-z0-9_]*)\(", lines[j])
            if not m:
                continue
            fn, n = m.group(1), i + 1
            callers = sorted(set(re.findall(r"\b(Curl_[a-z0-9_]+)\(", text)))[:2] or [fn]
            snippet = "\n".join(lines[i - 2:i + 2])
            break
    else:
        continue
    break
report = f"""# Stack buffer overflow in {fn}()

Tested on proj 2.0.0.

`{fn}()` in `{path}` copies the input into a fixed stack buffer at `{path}:{n}`:

```c
{snippet}
```

The length comes from the server's response, so a malicious server controls how much is
copied (CWE-121).

## Reproduce

```c
int main(void) {{
  {callers[0]}(NULL, "AAAA", 4);
  {fn}(NULL, "AAAA", 4096);
  return 0;
}}
```

```
==1234==ERROR: AddressSanitizer: stack-buffer-overflow on address 0x7ffc1d2e3f40 at pc 0x55a1b2c3d4e5 bp 0x7ffc1d2e3e10 sp 0x7ffc1d2e35b8
WRITE of size 4096 at 0x7ffc1d2e3f40 thread T0
    #0 0x55a1b2c3d4e4 in __asan_memcpy (/tmp/poc+0xd98f2)
    #1 0x55a1b2c8e1a7 in {fn} {path}:{n}:3
    #2 0x55a1b2c8e3c1 in main poc.c:3:3
```
"""
open(out, "w").write(report)
# The same report with neither a version nor a date, naming a function no release has: vouch
# checks HEAD and then looks for that name in earlier releases (the costliest path of a report).
undated = report.replace("Tested on proj 2.0.0.\n", "").replace(
    "copied (CWE-121).", "copied (CWE-121), through `Curl_never_defined_anywhere()`.")
open(out.replace(".md", "-undated.md"), "w").write(undated)
print(f"report: {fn}() at {path}:{n}")
PY

# One run to check it works and show the verdict.
"$VOUCH" triage "$WORK/report.md" --repo "$REPO" --format json --output "$WORK/one.json" || true
python3 - "$WORK/one.json" <<'PY'
import json, sys
t = json.load(open(sys.argv[1]))
s = t["summary"]
print(f"verdict: score {t['score']} flagged {t['flagged']} checked at {t['checked']['label']}; "
      f"claims {s['confirmed']} confirmed / {s['contradicted']} contradicted / {s['unverifiable']} unverifiable")
PY

# A plain source tree of the same release (a tarball).
TREE=$WORK/proj-2.0.0
mkdir -p "$TREE"
git -C "$REPO" archive proj-2_0_0 | tar -x -C "$TREE"

echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)   cpus: $(nproc)"
hyperfine -N -i -w 3 -r "$RUNS" --export-json "$WORK/times.json" \
  -n "one report, git repository" "$VOUCH triage $WORK/report.md --repo $REPO --format json --output /dev/null" \
  -n "one report, source tree" "$VOUCH triage $WORK/report.md --repo $TREE --format json --output /dev/null" \
  -n "queue of 29 curl reports, git repository" "$VOUCH triage --queue $CURL_REPORTS --repo $REPO --format json --output /dev/null" \
  -n "one report without version or date, git repository" "$VOUCH triage $WORK/report-undated.md --repo $REPO --format json --output /dev/null" \
  2>&1 | grep -v "^ *Warning\|non-zero exit\|ignore-failure\|^$" || true
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$WORK/times.json" "$GOAL" <<'PY'
import json, sys
res = json.load(open(sys.argv[1]))["results"]
goal = float(sys.argv[2])
for r in res:
    print(f"{r['command']}: mean {r['mean']:.3f} s, min {r['min']:.3f} s, max {r['max']:.3f} s")
one = res[0]["mean"]
print(f"goal: one report under {goal} s warm -> {'met' if one < goal else 'NOT met'} ({one:.3f} s)")
sys.exit(0 if one < goal else 1)
PY
