#!/usr/bin/env python3
"""Scores a `vouch triage --queue ... --format json` run against a held-out set's labels.

Usage:  python3 bench/heldout_score.py QUEUE.json LABELS.tsv [--exclude ID,ID,...] [--list]

LABELS.tsv is one of bench/*-heldout-*.tsv (or any TSV whose first column is the report's file
name without `.md` and whose third column is its label; `#` lines and an `id` header are
skipped). GENUINE and GENUINE_CVE reports are the positive class, FABRICATED the negative one;
other labels (ACCURATE, NOCODE) are counted on their own. Prints, per label, how many reports
vouch flagged, and the ROC AUC of the score with genuine above fabricated (ties count half).
--exclude leaves out items (such as those citing files the evaluation repository lacks);
--list prints every report, lowest score first. Reports of the run without a label, and labelled
items the run lacks, are named on stderr.
"""
import json
import os
import sys


def main(argv):
    args = [a for a in argv if not a.startswith("--")]
    if len(args) != 2:
        sys.exit(__doc__)
    queue, labels_path = args
    exclude = set()
    for a in argv:
        if a.startswith("--exclude="):
            exclude |= {x for x in a.split("=", 1)[1].split(",") if x}
    labels = {}
    with open(labels_path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            cols = line.rstrip("\n").split("\t")
            if cols[0] == "id" or len(cols) < 3:
                continue
            labels[cols[0]] = cols[2]
    with open(queue, encoding="utf-8") as f:
        run = json.load(f)
    rows = []
    for r in run["reports"]:
        rid = os.path.basename(r["report"])
        rid = rid[:-3] if rid.endswith(".md") else rid
        if rid in exclude:
            continue
        if rid not in labels:
            print(f"not labelled: {rid}", file=sys.stderr)
            continue
        rows.append((rid, labels[rid], r["score"], bool(r["flagged"]), r.get("title") or ""))
    seen = {r[0] for r in rows}
    for rid in sorted(set(labels) - seen - exclude):
        print(f"not in the run: {rid}", file=sys.stderr)
    by = {}
    for r in rows:
        by.setdefault(r[1], []).append(r)
    for label in sorted(by):
        n = len(by[label])
        k = sum(r[3] for r in by[label])
        print(f"{label}: {k}/{n} flagged ({100 * k / n:.0f} %)")
    pos = [r for r in rows if r[1] in ("GENUINE", "GENUINE_CVE")]
    neg = [r for r in rows if r[1] == "FABRICATED"]
    if pos and neg:
        auc = sum((p[2] > q[2]) + 0.5 * (p[2] == q[2]) for p in pos for q in neg) / (len(pos) * len(neg))
        print(f"ROC AUC (genuine above fabricated): {auc:.3f} over {len(pos)} genuine and {len(neg)} fabricated")
    if "--list" in argv:
        for r in sorted(rows, key=lambda r: r[2]):
            print(f"  {r[0]:12} {r[1]:12} {r[2]:.3f} {'FLAGGED' if r[3] else '       '} {r[4][:80]}")


if __name__ == "__main__":
    main(sys.argv[1:])
