#!/usr/bin/env python3
"""Writes a RustSec advisory-db folder (crates/<name>/<id>.md with TOML front matter) from
RustSec's OSV export, so that cargo-audit and vouch can be compared on the same data offline.

usage: osv_to_rustsec.py OSV_FOLDER OUT_FOLDER

OSV SEMVER events become RustSec version requirements: each range [introduced, fixed) leaves the
versions below `introduced` unaffected and the versions from `fixed` up to the next `introduced`
patched; `last_affected: X` becomes patched `> X`. Withdrawn advisories are skipped (cargo-audit
would not report them either).
"""
import glob
import json
import os
import re
import sys


def key(v):
    m = re.match(r"^(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:-(.*))?$", v.split("+")[0])
    if not m:
        return ((0, 0, 0), (1,))
    main = tuple(int(x or 0) for x in m.groups()[:3])
    pre = m.group(4)
    return (main, (1,) if pre is None else (0, pre))


def toml_list(items):
    return "[" + ", ".join(json.dumps(i) for i in items) + "]"


def main(src, out):
    n = 0
    for f in sorted(glob.glob(os.path.join(src, "**", "*.json"), recursive=True)):
        d = json.load(open(f))
        if d.get("withdrawn") or not d.get("id", "").startswith("RUSTSEC-"):
            continue
        for a in d.get("affected", []):
            pkg = (a.get("package") or {}).get("name")
            if not pkg or (a.get("package") or {}).get("ecosystem") != "crates.io":
                continue
            patched, unaffected = [], []
            for r in a.get("ranges", []):
                if r.get("type") != "SEMVER":
                    continue
                evs = []
                for e in r["events"]:
                    (k, v), = e.items()
                    evs.append((k, v))
                evs.sort(key=lambda kv: ((0,),) if kv[1] == "0" else ((1,), key(kv[1])))
                first = True
                pending = None  # lower bound of a patched interval, waiting for the next introduced
                for k, v in evs:
                    if k == "introduced":
                        if first and v != "0":
                            unaffected.append(f"< {v}")
                        if pending:
                            patched.append(f"{pending}, < {v}")
                            pending = None
                        first = False
                    elif k == "fixed":
                        pending = f">= {v}"
                    elif k == "last_affected":
                        pending = f"> {v}"
                if pending:
                    patched.append(pending)
            info = (d.get("database_specific") or {}).get("informational")
            date = (d.get("published") or d.get("modified") or "1970-01-01")[:10]
            lines = [
                "```toml",
                "[advisory]",
                f'id = "{d["id"]}"',
                f"package = {json.dumps(pkg)}",
                f'date = "{date}"',
                f"aliases = {toml_list([x for x in d.get('aliases', []) if not x.startswith('RUSTSEC')])}",
            ]
            if info:
                lines.append(f"informational = {json.dumps(info)}")
            lines += ["", "[versions]", f"patched = {toml_list(patched)}", f"unaffected = {toml_list(unaffected)}", "```", ""]
            title = (d.get("summary") or d["id"]).replace("\n", " ")
            lines += [f"# {title}", "", d.get("details") or title, ""]
            path = os.path.join(out, "crates", pkg)
            os.makedirs(path, exist_ok=True)
            with open(os.path.join(path, d["id"] + ".md"), "w") as fh:
                fh.write("\n".join(lines))
            n += 1
            break
    print(f"wrote {n} advisories to {out}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
