#!/usr/bin/env python3
"""Time one command N times and write a small JSON summary.

Uses hyperfine when it is on PATH (and BENCH_NO_HYPERFINE is unset), otherwise
a plain loop with time.perf_counter.  Either way: 1 warm-up run (page cache
warm), non-zero exit codes are expected and recorded, output is discarded.

Usage:
  timeit.py --name NAME --runs N --json OUT.json [--warmup W] -- CMD [ARGS...]

OUT.json: {"name", "command", "runs", "median", "mean", "min", "max",
           "stddev", "exit_codes", "method"}  (times in seconds)
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time


def with_hyperfine(name, cmd, runs, warmup):
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as tmp:
        path = tmp.name
    try:
        hf = [
            "hyperfine", "--style", "basic", "--ignore-failure",
            "--warmup", str(warmup), "--runs", str(runs),
            "--export-json", path, "-n", name, shlex.join(cmd),
        ]
        subprocess.run(hf, check=True, stdout=sys.stderr)
        with open(path) as f:
            r = json.load(f)["results"][0]
    finally:
        os.unlink(path)
    times = r["times"]
    return {
        "median": r.get("median", statistics.median(times)),
        "mean": r["mean"],
        "min": r["min"],
        "max": r["max"],
        "stddev": r.get("stddev") or 0.0,
        "exit_codes": sorted(set(r.get("exit_codes") or [])),
        "method": "hyperfine",
        "times": times,
    }


def with_loop(name, cmd, runs, warmup):
    times, codes = [], set()
    for i in range(warmup + runs):
        t0 = time.perf_counter()
        rc = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL).returncode
        dt = time.perf_counter() - t0
        if i >= warmup:
            times.append(dt)
            codes.add(rc)
    print(f"{name}: median {statistics.median(times):.4f} s over {runs} runs "
          f"(python loop)", file=sys.stderr)
    return {
        "median": statistics.median(times),
        "mean": statistics.fmean(times),
        "min": min(times),
        "max": max(times),
        "stddev": statistics.stdev(times) if len(times) > 1 else 0.0,
        "exit_codes": sorted(codes),
        "method": "python-loop",
        "times": times,
    }


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--name", required=True)
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--warmup", type=int, default=1)
    ap.add_argument("--json", required=True)
    ap.add_argument("cmd", nargs=argparse.REMAINDER)
    a = ap.parse_args()
    cmd = a.cmd[1:] if a.cmd and a.cmd[0] == "--" else a.cmd
    if not cmd:
        ap.error("missing command")
    use_hf = shutil.which("hyperfine") and not os.environ.get("BENCH_NO_HYPERFINE")
    res = (with_hyperfine if use_hf else with_loop)(a.name, cmd, a.runs, a.warmup)
    res.update(name=a.name, command=shlex.join(cmd), runs=a.runs)
    with open(a.json, "w") as f:
        json.dump(res, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
