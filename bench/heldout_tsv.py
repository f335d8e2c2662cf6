#!/usr/bin/env python3
"""Writes a held-out TSV from a helper's labels and vouch's queue runs (bench/heldout-brief.md).

Usage: heldout_tsv.py PROJECT HEADER DEBIAN BLINDCOMMIT BLINDJSON [AFTERCOMMIT AFTERJSON] > bench/PROJECT-heldout-1.tsv
Labels are read from $HELDOUT_DIR/PROJECT/labels.tsv (HELDOUT_DIR defaults to /tmp/ho); BLINDJSON may be
empty for a set no repository could score."""
import json, os, sys
p, header, debian, bc, bj = sys.argv[1:6]
after = sys.argv[6:8]
def scores(path):
    out = {}
    if not path: return out
    for r in json.load(open(path))['reports']:
        k = r['report'].rsplit('/', 1)[-1].removesuffix('.md')
        out[k] = (f"{r['score']:.3f}", 'yes' if r['flagged'] else 'no')
    return out
b = scores(bj); a = scores(after[1]) if after else {}
sys.stdout.write(open(header).read())
cols = ['id','created','label','reason','ai','debian','excerpt','kind', f'score_{bc}', f'flagged_{bc}']
if after: cols += [f'score_{after[0]}', f'flagged_{after[0]}']
cols += ['verdict','title']
print('\t'.join(cols))
for line in open(os.path.join(os.environ.get('HELDOUT_DIR', '/tmp/ho'), p, 'labels.tsv'), encoding='utf-8'):
    c = line.rstrip('\n').split('\t')
    if c[0] == 'id' or len(c) < 9: continue
    i, created, label, reason, ai, excerpt, kind, verdict, title = c[:9]
    row = [i, created, label, reason, ai, debian if i in b else '-', excerpt, kind]
    row += list(b.get(i, ('-', '-')))
    if after: row += list(a.get(i, ('-', '-')))
    row += [verdict.replace('\t',' '), title.replace('\t',' ')]
    print('\t'.join(row))
