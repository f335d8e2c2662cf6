#!/usr/bin/env python3
"""Pools the scores that the held-out sets record, as they were measured.

Usage:  python3 bench/heldout_pool.py [--after] [--files] [TSV ...]

Each bench/*-heldout-*.tsv records, per report, vouch's score and flag at one or more commits: the
first pair of `score_COMMIT` / `flagged_COMMIT` columns is the blind measurement (the code current
when the set was collected, before anyone read it); the last pair is the newest one recorded,
after the set was read. Their header row is `id ...` or, in the older files, `# id ...`.

This reads those columns; it runs nothing, so it needs neither the report texts (third-party,
not in the repository) nor the evaluation repositories. GENUINE and GENUINE_CVE reports are the
positive class and FABRICATED the negative one; other labels (ACCURATE, NOCODE), and reports a set
lists without a score (`-`: no repository for their project), are left out.
Prints, for the blind columns (with --after, the last recorded ones): how many of each class were
flagged, and the ROC AUC of the score with genuine above fabricated (ties count half), pooled over
the sets; --files prints each set's line too. With no TSV given, every bench/*-heldout-*.tsv.
"""
import bisect
import glob
import os
import sys

POSITIVE = {"GENUINE", "GENUINE_CVE"}
NEGATIVE = {"FABRICATED"}


def read_set(path, after):
    """(label, score, flagged) rows of one set, from its blind (or last) score columns."""
    header = None
    rows = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            cols = line.split("\t")
            if cols[0] in ("id", "# id"):
                header = cols
                continue
            if line.startswith("#") or not line.strip():
                continue
            rows.append(cols)
    if header is None:
        raise ValueError(f"{path}: no header row (`id` or `# id`)")
    pairs = [(i, header.index("flagged_" + h[len("score_"):])) for i, h in enumerate(header) if h.startswith("score_")]
    if not pairs:
        raise ValueError(f"{path}: no score_COMMIT column")
    s, fl = pairs[-1] if after else pairs[0]
    label_at = header.index("label")
    out = []
    for cols in rows:
        if len(cols) <= max(s, fl, label_at):
            raise ValueError(f"{path}: short row for {cols[0]}")
        # `-`: a report the set lists but could not score (no repository for its project).
        if cols[s] == "-":
            continue
        try:
            score = float(cols[s])
        except ValueError:
            raise ValueError(f"{path}: {cols[0]}: score {cols[s]!r} is not a number") from None
        out.append((cols[label_at], score, cols[fl] == "yes"))
    return out, header[s][len("score_"):]


def auc(rows):
    pos = [r[1] for r in rows if r[0] in POSITIVE]
    neg = [r[1] for r in rows if r[0] in NEGATIVE]
    if not pos or not neg:
        return None
    neg.sort()
    total = 0.0
    for p in pos:
        lo = bisect.bisect_left(neg, p)
        hi = bisect.bisect_right(neg, p)
        total += lo + 0.5 * (hi - lo)
    return total / (len(pos) * len(neg))


def summary(rows):
    pos = [r for r in rows if r[0] in POSITIVE]
    neg = [r for r in rows if r[0] in NEGATIVE]
    a = auc(rows)
    return (
        f"genuine flagged {sum(r[2] for r in pos)}/{len(pos)}, fabricated flagged {sum(r[2] for r in neg)}/{len(neg)}, "
        f"ROC AUC {'-' if a is None else f'{a:.3f}'}"
    )


def main(argv):
    after = "--after" in argv
    per_file = "--files" in argv
    paths = [a for a in argv if not a.startswith("--")]
    if not paths:
        here = os.path.dirname(os.path.abspath(__file__))
        paths = sorted(glob.glob(os.path.join(here, "*-heldout-*.tsv")))
    if not paths:
        sys.exit("no held-out sets found")
    pooled = []
    for path in paths:
        try:
            rows, commit = read_set(path, after)
        except (OSError, ValueError) as e:
            sys.exit(f"heldout_pool: {e}")
        pooled.extend(rows)
        if per_file:
            print(f"{os.path.basename(path)} at {commit}: {summary(rows)}")
    which = "last recorded" if after else "blind"
    print(f"{len(paths)} sets, {which} columns: {summary(pooled)}")


if __name__ == "__main__":
    main(sys.argv[1:])
