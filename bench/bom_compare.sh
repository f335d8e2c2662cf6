#!/usr/bin/env bash
# bench/bom_compare.sh - what vouch's AI BOM captures versus cdxgen's, on the same model folders.
#
#   1. bench/gen_model_fixtures.py writes five small model repositories into target/bom-compare/.
#   2. vouch bom (CycloneDX 1.6) and cdxgen (npm package @cyclonedx/cdxgen, installed once into
#      target/bench-tools/cdxgen; run with --profile ml --spec-version 1.6 --no-install-deps, no
#      network needed; `-t python`: the ML profile alone also runs the .NET extractor, which needs the network) write a BOM for each folder.
#   3. A table of what each BOM records: ML-model component and model card, datasets, base models
#      (pedigree), licenses, hashed files, parameter count, quantization.
# Results: target/bom-compare.md
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
VOUCH=${VOUCH_BIN:-target/release/vouch}
OUT=target/bom-compare
rm -rf "$OUT"; mkdir -p "$OUT"
[ -x "$VOUCH" ] || cargo build --release -p vouch >&2
python3 bench/gen_model_fixtures.py "$OUT/models" >&2
CDX=target/bench-tools/cdxgen/node_modules/.bin/cdxgen
if [ ! -x "$CDX" ]; then
  mkdir -p target/bench-tools/cdxgen
  (cd target/bench-tools/cdxgen && npm install --no-audit --no-fund @cyclonedx/cdxgen >&2)
fi
for m in "$OUT"/models/*; do
  n=$(basename "$m")
  "$VOUCH" bom "$m" --spec 1.6 -o "$OUT/$n.vouch.json" 2>"$OUT/$n.vouch.err" || true
  CDXGEN_DEBUG_MODE= FETCH_LICENSE=false "$CDX" -t python --profile ml --spec-version 1.6 --no-install-deps --no-validate -o "$OUT/$n.cdxgen.json" "$m" >"$OUT/$n.cdxgen.log" 2>&1 || true
done
python3 - "$OUT" >target/bom-compare.md <<'PY'
import json, os, sys
out = sys.argv[1]
def load(p):
    try:
        return json.load(open(p))
    except Exception:
        return None
def facts(b):
    if not b:
        return "no BOM"
    comps = list(b.get("components", []))
    meta = (b.get("metadata") or {}).get("component")
    if meta:
        comps.append(meta)
    def walk(cs):
        for c in cs:
            yield c
            yield from walk(c.get("components", []))
    comps = list(walk(comps))
    ml = [c for c in comps if c.get("type") == "machine-learning-model"]
    card = [c for c in ml if c.get("modelCard")]
    data = [c for c in comps if c.get("type") == "data"]
    anc = sum(len((c.get("pedigree") or {}).get("ancestors", [])) for c in comps)
    lic = sorted({(l.get("license") or {}).get("id") or (l.get("license") or {}).get("name") or l.get("expression") or "?" for c in comps for l in c.get("licenses", [])})
    hashed = sum(1 for c in comps if c.get("hashes"))
    props = {p.get("name"): p.get("value") for c in ml for p in c.get("properties", [])}
    params = next((v for k, v in props.items() if "parameter" in (k or "")), "-")
    quant = next((v for k, v in props.items() if "quant" in (k or "")), "-")
    return f"ml-model {len(ml)}, card {len(card)}, datasets {len(data)}, ancestors {anc}, licenses {', '.join(lic) or '-'}, hashed {hashed}, params {params}, quant {quant}"
print("# vouch bom vs cdxgen (same folders, CycloneDX 1.6)\n")
print("| model | vouch | cdxgen |\n|---|---|---|")
for n in sorted(os.listdir(os.path.join(out, "models"))):
    print(f"| {n} | {facts(load(os.path.join(out, n + '.vouch.json')))} | {facts(load(os.path.join(out, n + '.cdxgen.json')))} |")
PY
cat target/bom-compare.md
