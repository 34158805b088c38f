#!/usr/bin/env bash
# Issue 16's certify targets in one run (needs ../shared beside the repository): U, replayed L, U/L, splits, seconds,
# the issue's target for U/L and whether it is met, and auto_LiRPA's best certified bound from
# ../shared/benchmarks/README.md where it has one (its figures are for output 0; ours are the sup over the outputs).
# Usage: [T=60] bash bench/targets/issue16.sh   → markdown rows; JSON in $OUT (default /tmp/verify-targets)
set -uo pipefail
cd "$(dirname "$0")/../.."
T=${T:-60}
OUT=${OUT:-/tmp/verify-targets}; mkdir -p "$OUT"
dotnet build src/Verifier -c Release 2>&1 | grep -E "rror\(s\)" >/dev/null
V=src/Verifier/bin/Release/net10.0/verify
S=../shared/benchmarks; A=../shared/networks/acasxu; M=../shared/networks/mnistfc
row() { # name timeout target reference args...
  local name=$1 t=$2 target=$3 ref=$4; shift 4
  "$V" certify "$@" --method auto --timeout "$t" --json "$OUT/$name.json" >/dev/null 2>&1
  python3 - "$OUT/$name.json" "$name" "$t" "$target" "$ref" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
U, L = r["supUpper"], r.get("supLower", 0) or 0
ratio = U / L if L > 0 else float("inf")
target = float(sys.argv[4])
met = "met" if ratio <= target else "missed"
print(f"| {sys.argv[2]} | {sys.argv[3]} s | {U:.4g} | {L:.4g} | {ratio:.3g} | {r.get('splits', 0)} | {r['seconds']:.1f} | ≤ {sys.argv[4]}: {met} | {sys.argv[5]} |")
PY
}
echo "| instance | budget | sup U | sup L (replayed) | U/L | splits | seconds | target U/L | auto_LiRPA best U (output 0) |"
echo "|---|---|---|---|---|---|---|---|---|"
row net_2_16_16_1-1e-3 10 1.05 "α-CROWN 2.86 (120×)" --net "$S/net_2_16_16_1.json" --lo -1 --hi 1 --eps 1e-3
row net_5_50x6_5-1e-3 10 50 "α-CROWN 911 (921×)" --net "$S/net_5_50x6_5.json" --lo -1 --hi 1 --eps 1e-3
row net_5_50x6_5-1e-3 "$T" 20 "α-CROWN 911 (921×)" --net "$S/net_5_50x6_5.json" --lo -1 --hi 1 --eps 1e-3
row mnist256x4-prop1-rel1e-2 "$T" 10 – --net "$M/mnist-net_256x4.onnx" --vnnlib "$M/prop_1_0.03.vnnlib" --eps 1e-2 --relative
for f in "$A"/*.nnet; do
  n=$(basename "$f" _batch_2000.nnet); n=${n#ACASXU_run2a_}
  row "acas-N$n-1e-3" "$T" 2 – --net "$f" --box-file "$S/acasxu_prop1_box.json" --eps 1e-3
done
# Norm balls on W_3 of 5-50×6-5 at a fixed x (reduced exactly to an l2 ball on layer 3's pre-activations, docs/normballs.md).
X=0.3,-0.2,0.5,0.1,-0.4
for norm in fro spectral; do for r in 1e-3 1e-2 0.1; do
  target=1.1; [ "$r" = 0.1 ] && target=3
  row "ball-$norm-$r" 10 "$target" – --net "$S/net_5_50x6_5.json" --lo "$X" --hi "$X" --layer-noise 3 --norm "$norm" --ratio "$r"
done; done
