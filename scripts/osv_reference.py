#!/usr/bin/env python3
"""Independent reference for `vouch audit` tests: which advisories of ../shared/corpus/advisories
affect the packages of the real lockfiles in ../shared/corpus/lockfiles/real.

Written separately from the Rust implementation (a plain transcription of the OSV schema's
evaluation pseudocode, with packaging.version for PEP 440 and a small SemVer key for crates), so
that crates/vouch-audit/tests/corpus.rs checks vouch against something it does not share code
with. Needs `packaging` and `PyYAML` (pip install packaging pyyaml). Its output is kept in
crates/vouch-audit/tests/data/reference.txt (regenerate: python3 scripts/osv_reference.py > that file).
Prints one line per lockfile:
    <file> <packages> <sorted list of (name, version, advisory id)>
"""
import glob
import json
import os
import re
import sys

from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version
import yaml

CORPUS = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "..", "shared", "corpus")


def semver_key(s):
    s = s.split("+")[0]
    m = re.match(r"^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:-(.*))?$", s)
    if not m:
        return None
    main = tuple(int(x or 0) for x in m.groups()[:3])
    pre = m.group(4)
    if pre is None:
        return (main, (1,))
    return (main, (0, tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in pre.split("."))))


def pep440_key(s):
    try:
        return Version(s)
    except InvalidVersion:
        return None


def affected(version, entry, key):
    v = key(version)
    for r in entry.get("ranges", []):
        if r["type"] == "GIT":
            continue
        rkey = semver_key if r["type"] == "SEMVER" else key
        rv = rkey(version)
        if rv is None:
            continue
        limits = [e["limit"] for e in r["events"] if "limit" in e]
        if limits and not any(l == "*" or rv < rkey(l) for l in limits):
            continue
        events = []
        for e in r["events"]:
            (k, val), = e.items()
            if k == "limit":
                continue
            if k == "introduced" and val == "0":
                events.append(((0,), k, val, None))
            else:
                ek = rkey(val)
                if ek is None:
                    break
                events.append(((1,), k, val, ek))
        else:
            events.sort(key=lambda x: (x[0],) if x[3] is None else (x[0], x[3]))
            vulnerable = False
            for _, k, val, ek in events:
                if k == "introduced" and (ek is None or rv >= ek):
                    vulnerable = True
                elif k == "fixed" and rv >= ek:
                    vulnerable = False
                elif k == "last_affected" and rv > ek:
                    vulnerable = False
            if vulnerable:
                return True
    for listed in entry.get("versions", []):
        if listed == version or (key(listed) is not None and v is not None and key(listed) == v):
            return True
    return False


def load(eco_dir, eco, norm):
    out = {}
    for f in glob.glob(os.path.join(CORPUS, "advisories", eco_dir, "**", "*"), recursive=True):
        if f.endswith(".json"):
            d = json.load(open(f))
        elif f.endswith(".yaml"):
            d = yaml.safe_load(open(f))
        else:
            continue
        if not isinstance(d, dict) or "id" not in d or d.get("withdrawn"):
            continue
        for a in d.get("affected", []):
            p = a.get("package") or {}
            if p.get("ecosystem") == eco:
                out.setdefault(norm(p["name"]), []).append((d["id"], a))
    return out


def report(path, pkgs, advs, norm, key):
    hits = set()
    for n, v in pkgs:
        for i, a in advs.get(norm(n), []):
            if affected(v, a, key):
                hits.add((n, v, i))
    print(os.path.basename(path), len(pkgs), sorted(hits))


crates = load("rustsec-osv", "crates.io", lambda n: n)
golang = load("go", "Go", lambda n: n)
pypi = load("pypa", "PyPI", lambda n: canonicalize_name(n))
real = os.path.join(CORPUS, "lockfiles", "real")
for lf in sorted(glob.glob(os.path.join(real, "*Cargo.lock"))):
    pk = re.findall(r'\[\[package\]\]\nname = "([^"]+)"\nversion = "([^"]+)"', open(lf).read())
    report(lf, pk, crates, lambda n: n, semver_key)
for lf in sorted(glob.glob(os.path.join(real, "*.uv.lock")) + glob.glob(os.path.join(real, "*.poetry.lock"))):
    pk = re.findall(r'\[\[package\]\]\nname = "([^"]+)"\nversion = "([^"]+)"', open(lf).read())
    report(lf, pk, pypi, canonicalize_name, pep440_key)
for lf in sorted(glob.glob(os.path.join(real, "*requirements.txt"))):
    pk = re.findall(r"^([A-Za-z0-9_.\-]+)(?:\[[^\]]*\])?==([^\s;#\\]+)", open(lf).read(), re.M)
    report(lf, pk, pypi, canonicalize_name, pep440_key)

# The synthetic old-version fixtures of crates/vouch-audit/tests/data.
data = os.path.join(os.path.dirname(__file__), "..", "crates", "vouch-audit", "tests", "data")
pk = re.findall(r"^([A-Za-z0-9_.\-]+)(?:\[[^\]]*\])?==([^\s;#\\]+)", open(os.path.join(data, "old-requirements.txt")).read(), re.M)
report("old-requirements.txt", pk, pypi, canonicalize_name, pep440_key)
pk = re.findall(r'\[\[package\]\]\nname = "([^"]+)"\nversion = "([^"]+)"\nsource', open(os.path.join(data, "old.Cargo.lock")).read())
report("old.Cargo.lock", pk, crates, lambda n: n, semver_key)
pk = re.findall(r"^\s+(\S+) (v\S+)", open(os.path.join(data, "old.go.mod")).read(), re.M) + [("stdlib", "1.21")]
report("old.go.mod", pk, golang, lambda n: n, semver_key)
