#!/usr/bin/env bash
# `certify --top1` on mnistfc 784-256×4-10 (VNN-COMP 2021) at the images of the shared properties, --eps-of-range P
# on one layer at a time (issue 16's table). Needs ../shared beside the repository.
# Usage: [T=60] [PS="0.001 0.005 0.01"] [LAYERS="1 2 3 4 5"] [VERIFY=path/to/verify] [M=path/to/mnistfc]
#        bash bench/top1/grid.sh  → one line per query, then counts. Without VERIFY this checkout is built and used
#        (VERIFY=/other/checkout/.../verify measures another build, e.g. main's, before and after a change).
set -uo pipefail
cd "$(dirname "$0")/../.."
T=${T:-60}; PS=${PS:-"0.001 0.005 0.01"}; LAYERS=${LAYERS:-"1 2 3 4 5"}
OUT=${OUT:-/tmp/verify-top1}; mkdir -p "$OUT"
if [ -z "${VERIFY:-}" ]; then dotnet build src/Verifier -c Release 2>&1 | grep -E "rror\(s\)" >/dev/null; fi
V=${VERIFY:-src/Verifier/bin/Release/net10.0/verify}
M=${M:-../shared/networks/mnistfc}
for prop in "$M"/prop_*_0.03.vnnlib; do
  # The image is the centre of the ±0.03 box before clipping to [0, 1]: recovered from whichever side was not clipped.
  python3 - "$prop" > "$OUT/$(basename "$prop" .vnnlib).x" <<'PY'
import re, sys
lo, hi = {}, {}
for m in re.finditer(r"\(assert \((<=|>=) X_(\d+) ([-+0-9.eE]+)\)\)", open(sys.argv[1]).read()):
    (hi if m.group(1) == "<=" else lo)[int(m.group(2))] = float(m.group(3))
x = [lo[i] + 0.03 if lo[i] > 0 else max(hi[i] - 0.03, 0.0) for i in range(len(lo))]
print(",".join(repr(min(max(v, 0.0), 1.0)) for v in x))
PY
done
printf "%-6s %-6s %-5s %-10s %-8s %s\n" prop p layer verdict seconds worst_margin
for p in $PS; do for layer in $LAYERS; do for xf in "$OUT"/prop_*_0.03.x; do
  name=$(basename "$xf" _0.03.x)
  "$V" certify --top1 --net "$M/mnist-net_256x4.onnx" --x "$(cat "$xf")" --eps-of-range "$p" --layers "$layer" \
    --method auto --timeout "$T" --json "$OUT/$name.$p.$layer.json" > /dev/null 2>&1
  python3 - "$OUT/$name.$p.$layer.json" "$name" "$p" "$layer" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
m = [v for v in r.get("marginLower", []) if v is not None]
print(f"{sys.argv[2]:<6} {sys.argv[3]:<6} {sys.argv[4]:<5} {r['verdict']:<10} {r['seconds']:<8.2f} {min(m) if m else float('nan'):.4g}")
PY
done; done; done | tee "$OUT/rows.txt"
echo; echo "p layer verified falsified unknown"
awk '{k=$2" "$3; c[k" "$4]++; keys[k]=1} END {for (k in keys) print k, c[k" verified"]+0, c[k" falsified"]+0, c[k" unknown"]+0}' "$OUT/rows.txt" | sort
