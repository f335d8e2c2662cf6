#!/usr/bin/env python3
"""Turn curl's security advisories into OSV records that `vouch db import` reads.

usage: curl_advisories.py SRC OUT

SRC holds curl's advisories as the curl-www repository keeps them (docs/CVE-YYYY-NNNN.md: a title,
"Project curl Security Advisory, <Month> <day> <year>", then VULNERABILITY, INFO, AFFECTED VERSIONS
and further sections). OUT receives one OSV JSON file per advisory, named CURL-<CVE id>.json as curl
names its own OSV records: summary is the title, details the VULNERABILITY and INFO sections,
published the advisory's date, affected the version range of AFFECTED VERSIONS.

curl's own OSV feed, https://curl.se/docs/vuln.json, imports as it is (`vouch db import`); this
script is for when only the advisory texts are at hand, as in the triage evaluation. They are not
part of this repository; fetch them from https://github.com/curl/curl-www (docs/). Then:

  python3 bench/curl_advisories.py curl-www/docs /tmp/curl-osv
  vouch db import --db /tmp/curl-advisories /tmp/curl-osv
  vouch triage --queue REPORTS --repo CURL --advisories /tmp/curl-advisories
"""
import json
import os
import re
import sys

MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"], 1)}
DATE = re.compile(r"Security Advisory,?\s+([A-Za-z]+)\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})")
HEADING = re.compile(r"^(?:#+\s*)?([A-Z][A-Z ]{3,})\s*$")
VERSION = r"(\d+(?:\.\d+)+)"


def sections(lines):
    """Splits the text at its upper-case headings (underlined or with #)."""
    out, name, body = {}, "", []
    i = 0
    while i < len(lines):
        line = lines[i].rstrip()
        nxt = lines[i + 1].strip() if i + 1 < len(lines) else ""
        m = HEADING.match(line)
        if m and (line.startswith("#") or (nxt and set(nxt) <= set("-="))):
            out[name] = "\n".join(body).strip()
            name, body = m.group(1).strip(), []
            i += 1 if line.startswith("#") else 2
            continue
        body.append(line)
        i += 1
    out[name] = "\n".join(body).strip()
    return out


def affected(text):
    """The range of AFFECTED VERSIONS: first affected, last affected, first fixed."""
    events = []
    m = re.search(r"Affected versions?:[^\n]*?" + VERSION + r"[^\n]*?(?:to and including|to|-)\s*(?:\w+\s+)?" + VERSION, text)
    if m:
        events.append({"introduced": m.group(1)})
    fixed = re.search(r">=\s*" + VERSION, text)
    if fixed:
        events.append({"fixed": fixed.group(1)})
    elif m:
        events.append({"last_affected": m.group(2)})
    if not events:
        return []
    return [{"package": {"name": "curl", "purl": "pkg:generic/curl"}, "ranges": [{"type": "SEMVER", "events": events}]}]


def convert(path):
    text = open(path, encoding="utf-8", errors="replace").read()
    lines = text.splitlines()
    cve = os.path.basename(path)[:-3]
    title = lines[0].strip().lstrip("#").strip() if lines else cve
    m = DATE.search(text)
    published = None
    if m and m.group(1).lower() in MONTHS:
        published = f"{int(m.group(3)):04}-{MONTHS[m.group(1).lower()]:02}-{int(m.group(2)):02}T00:00:00Z"
    secs = sections(lines)
    details = "\n\n".join(secs[k] for k in ("VULNERABILITY", "INFO") if secs.get(k))
    # The boilerplate of every advisory says nothing about the flaw.
    details = "\n".join(l for l in details.splitlines() if "Common Vulnerabilities and Exposures" not in l and "has assigned the name" not in l
                        and not l.startswith(("CWE-", "Severity:")) and cve not in l)
    rec = {
        "schema_version": "1.6.0",
        "id": "CURL-" + cve,
        "modified": published or "1970-01-01T00:00:00Z",
        "aliases": [cve],
        "summary": title,
        "details": details.strip(),
        "affected": affected(secs.get("AFFECTED VERSIONS", "")),
        "references": [{"type": "ADVISORY", "url": f"https://curl.se/docs/{cve}.html"}],
    }
    if published:
        rec["published"] = published
    return rec


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    src, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    n = 0
    for name in sorted(os.listdir(src)):
        if not re.fullmatch(r"CVE-\d{4}-\d{4,7}\.md", name):
            continue
        rec = convert(os.path.join(src, name))
        if "published" not in rec:
            print(f"{name}: no advisory date found; written without one", file=sys.stderr)
        with open(os.path.join(out, rec["id"] + ".json"), "w") as f:
            json.dump(rec, f, indent=1)
        n += 1
    print(f"{n} advisories written to {out}")


if __name__ == "__main__":
    main()
