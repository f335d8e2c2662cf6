#!/usr/bin/env python3
"""Turn the raw measurements of bench/run.sh into a Markdown report.

Reads OUT_DIR/{versions.tsv, corpus-*.json, large-*.json, large-*.time,
large-*.rc, large-vouch-report.json}, prints the report and writes it to
--results.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import re
import shutil
import zipfile

PEERS = ["picklescan", "modelscan", "modelaudit", "fickling"]
TARGET_SPEEDUP = 50


def load_json(path):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def parse_gnu_time(path):
    """Wall seconds, max RSS (KiB) and exit status from /usr/bin/time -v output."""
    try:
        text = open(path).read()
    except OSError:
        return None
    out = {}
    m = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", text)
    if m:
        secs = 0.0
        for part in m.group(1).split(":"):
            secs = secs * 60 + float(part)
        out["wall"] = secs
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", text)
    if m:
        out["rss_kib"] = int(m.group(1))
    m = re.search(r"Exit status: (\d+)", text)
    if m:
        out["exit"] = int(m.group(1))
    return out


def fmt_s(x):
    if x is None:
        return "n/a"
    return f"{x:.3f}" if x < 10 else f"{x:.1f}"


def fmt_mb(kib):
    return "n/a" if kib is None else f"{kib / 1024:.0f}"


def fmt_x(x):
    return "n/a" if x is None else f"{x:.1f}x"


def dir_stats(path):
    n = size = 0
    for root, _, files in os.walk(path):
        for f in files:
            n += 1
            size += os.path.getsize(os.path.join(root, f))
    return n, size


def cpu_name():
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out-dir", required=True)
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--large", required=True)
    ap.add_argument("--no-large", action="store_true")
    ap.add_argument("--peer-timeout", type=int, default=300)
    ap.add_argument("--results", required=True)
    a = ap.parse_args()
    od = a.out_dir

    versions = {}
    try:
        for line in open(os.path.join(od, "versions.tsv")):
            parts = line.rstrip("\n").split("\t")
            if len(parts) >= 3:
                versions[parts[0]] = (parts[1], parts[2])
    except OSError:
        pass

    def ver(tool):
        v, status = versions.get(tool, ("?", "?"))
        return v if status.startswith("ok") else f"{v} ({status})"

    L = []
    L.append("# vouch benchmark")
    L.append("")
    method = "hyperfine" if shutil.which("hyperfine") and not os.environ.get(
        "BENCH_NO_HYPERFINE") else "python loop"
    L.append(f"- date: {datetime.datetime.now().isoformat(timespec='seconds')}")
    L.append(f"- machine: {cpu_name()}, {os.cpu_count()} CPUs, Linux {platform.release()}")
    L.append(f"- timing: {method}, 1 warm-up run, page cache warm; wall-clock seconds")
    try:
        L.append(f"- load average at report time: {open('/proc/loadavg').read().split()[:3]}"
                 " (other work on the machine makes the figures noisy)")
    except OSError:
        pass
    vstat = versions.get("vouch", ("-", "missing"))
    L.append(f"- vouch: {vstat[0]} [{vstat[1]}]")
    L.append("")

    # ------------------------------------------------------------ corpus --
    n_files, n_bytes = dir_stats(a.corpus)
    L.append(f"## Corpus: `{a.corpus}` ({n_files} files, {n_bytes / 1e6:.1f} MB)")
    L.append("")
    rows = {}
    for tool in ["vouch"] + PEERS:
        r = load_json(os.path.join(od, f"corpus-{tool}.json"))
        if r:
            rows[tool] = r
    peers_done = {t: r for t, r in rows.items() if t != "vouch"}
    fastest = min(peers_done, key=lambda t: peers_done[t]["median"]) if peers_done else None
    vouch_med = rows["vouch"]["median"] if "vouch" in rows else None
    L.append("| tool | version | median s | min s | max s | runs | exit codes | vouch speedup |")
    L.append("|---|---|---:|---:|---:|---:|---|---:|")
    for tool, r in rows.items():
        sp = (r["median"] / vouch_med) if (vouch_med and tool != "vouch") else None
        L.append(
            f"| {tool} | {ver(tool)} | {fmt_s(r['median'])} | {fmt_s(r['min'])} | "
            f"{fmt_s(r['max'])} | {r['runs']} | {','.join(map(str, r['exit_codes']))} | "
            f"{'-' if tool == 'vouch' else fmt_x(sp)} |"
        )
    for tool in PEERS:
        if tool not in rows:
            L.append(f"| {tool} | {ver(tool)} | not run | | | | | |")
    L.append("")
    if fastest:
        fm = peers_done[fastest]["median"]
        L.append(f"- fastest peer: **{fastest}** {fmt_s(fm)} s "
                 f"(a {TARGET_SPEEDUP}x target means vouch <= {fm / TARGET_SPEEDUP * 1000:.1f} ms)")
        if vouch_med:
            L.append(f"- **vouch speedup over the fastest peer: {fm / vouch_med:.1f}x** "
                     f"(vouch median {fmt_s(vouch_med)} s)")
        else:
            L.append("- vouch was not measured (binary missing)")
    L.append("")

    # ------------------------------------------------------------- large --
    if not a.no_large and os.path.exists(a.large):
        fsize = os.path.getsize(a.large)
        try:
            with zipfile.ZipFile(a.large) as zf:
                n_tensors = sum(n.startswith("archive/data/") for n in zf.namelist())
        except (OSError, zipfile.BadZipFile):
            n_tensors = "?"
        L.append(f"## Large file: `{a.large}` ({fsize / 1e9:.2f} GB, "
                 f"torch.save-style zip, {n_tensors} tensors)")
        L.append("")
        vt = load_json(os.path.join(od, "large-vouch.json"))
        vtime = parse_gnu_time(os.path.join(od, "large-vouch.time")) or {}
        rep = load_json(os.path.join(od, "large-vouch-report.json")) or {}
        bytes_read = (rep.get("summary") or {}).get("bytes_read") if isinstance(rep, dict) else None
        L.append("| tool | version | wall s | peak RSS MB | exit | vouch speedup |")
        L.append("|---|---|---:|---:|---|---:|")
        vwall = vt["median"] if vt else None
        if vt:
            rc = open(os.path.join(od, "large-vouch.rc")).read().strip() if os.path.exists(
                os.path.join(od, "large-vouch.rc")) else "?"
            L.append(f"| vouch (median of {vt['runs']}) | {ver('vouch')} | {fmt_s(vwall)} | "
                     f"{fmt_mb(vtime.get('rss_kib'))} | {rc} | - |")
        peer_walls = {}
        for tool in PEERS:
            rcp = os.path.join(od, f"large-{tool}.rc")
            if not os.path.exists(rcp):
                if tool in versions:
                    L.append(f"| {tool} | {ver(tool)} | not run | | | |")
                continue
            rc = int(open(rcp).read().strip() or -1)
            gt = parse_gnu_time(os.path.join(od, f"large-{tool}.time")) or {}
            j = load_json(os.path.join(od, f"large-{tool}.json"))
            if j:  # timed again: median of several runs beats the single run
                wall, how = j["median"], f"median of {j['runs']}"
            else:
                wall, how = gt.get("wall"), "1 run"
            timed_out = rc in (124, 137)
            if timed_out:
                wall_s = f">{a.peer_timeout} (timeout)"
                sp = f">{a.peer_timeout / vwall:.0f}x" if vwall else "n/a"
            else:
                wall_s = fmt_s(wall)
                sp = fmt_x(wall / vwall) if (vwall and wall) else "n/a"
                if wall:
                    peer_walls[tool] = wall
            L.append(f"| {tool} ({how}) | {ver(tool)} | {wall_s} | "
                     f"{fmt_mb(gt.get('rss_kib'))} | {rc} | {sp} |")
        L.append("")
        if vt or vtime:
            if bytes_read is not None:
                L.append(f"- vouch bytes read: {bytes_read:,} of {fsize:,} "
                         f"({bytes_read / fsize:.6%} of the file; ratio 1:{fsize / max(bytes_read, 1):,.0f})")
            else:
                L.append(f"- vouch bytes read: n/a (no summary.bytes_read in its JSON report); "
                         f"file size {fsize:,}")
            L.append(f"- vouch peak RSS: {fmt_mb(vtime.get('rss_kib'))} MB")
        if peer_walls:
            ft = min(peer_walls, key=peer_walls.get)
            L.append(f"- fastest peer: **{ft}** {fmt_s(peer_walls[ft])} s "
                     f"(a {TARGET_SPEEDUP}x target means vouch <= "
                     f"{peer_walls[ft] / TARGET_SPEEDUP * 1000:.1f} ms)")
            if vwall:
                L.append(f"- **vouch speedup over the fastest peer: "
                         f"{peer_walls[ft] / vwall:.1f}x**")
        L.append("")
    text = "\n".join(L)
    print(text)
    with open(a.results, "w") as f:
        f.write(text + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
