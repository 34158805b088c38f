#!/usr/bin/env bash
# Benchmark of `verify certify` on the shared reference instances (needs ../shared beside the repository).
# Usage: [ALL_ACAS=1] bash bench/certify/run.sh [timeout-seconds]   → one row per instance; JSON results in $OUT (default /tmp/verify-bench)
set -euo pipefail
cd "$(dirname "$0")/../.."
T=${1:-10}
OUT=${OUT:-/tmp/verify-bench}
mkdir -p "$OUT"
dotnet build src/Verifier -c Release 2>&1 | grep -E "rror\(s\)" >/dev/null
V=src/Verifier/bin/Release/net10.0/verify
S=../shared/benchmarks
row() { # name net eps boxargs...
  local name=$1 net=$2 eps=$3; shift 3
  local start end
  start=$(date +%s.%N)
  "$V" certify --net "$net" "$@" --eps "$eps" --method auto --timeout "$T" --json "$OUT/$name.json" >/dev/null 2>&1 || true
  end=$(date +%s.%N)
  python3 - "$OUT/$name.json" "$name" "$eps" "$start" "$end" <<'PY'
import json,sys
r=json.load(open(sys.argv[1])); name,eps=sys.argv[2],sys.argv[3]; t=float(sys.argv[5])-float(sys.argv[4])
m=r["methods"]; U=r["upper"][0]; L=r.get("lower",[0])[0]
print(f"| {name} | {eps} | {m['analytic']['upper'][0]:.3g} | {m['ibp']['upper'][0]:.3g} | {m['linear']['upper'][0]:.3g} ({m['linear']['seconds']:.2f} s) | {U:.4g} | {L:.4g} | {U/L if L>0 else float('inf'):.3g} | {r['supUpper']:.4g} | {r.get('supLower',0):.4g} | {t:.1f} s |")
PY
}
echo "| instance | ε | analytic | ibp | linear | U_0 | L_0 | U_0/L_0 | sup U | sup L | wall |"
echo "|---|---|---|---|---|---|---|---|---|---|---|"
for net in net_2_16_16_1 net_4_50x3_2 net_5_50x6_5; do
  for eps in 1e-3 1e-2; do
    row "$net-wide-$eps" "$S/$net.json" "$eps" --lo -1 --hi 1
  done
  row "$net-small-1e-3" "$S/$net.json" 1e-3 --lo -0.01 --hi 0.01
done
for eps in 1e-4 1e-3; do
  row "acas-N1_1-$eps" ../shared/networks/acasxu/ACASXU_run2a_1_1_batch_2000.nnet "$eps" --box-file "$S/acasxu_prop1_box.json"
done
# MNIST 784-256×4-10 (VNN-COMP 2021 mnistfc) on its ±0.03 box around image 1, every weight and bias ±1% / ±0.01%.
M=../shared/networks/mnistfc
for eps in 1e-2 1e-4; do
  row "mnist256x4-prop1-rel$eps" "$M/mnist-net_256x4.onnx" "$eps" --vnnlib "$M/prop_1_0.03.vnnlib" --relative
done
# ALL_ACAS=1: the ten shared ACAS Xu networks on the property-1 box at ε = 1e-3 (the issue's U/L ≤ 2 target).
if [ "${ALL_ACAS:-0}" = 1 ]; then
  for f in ../shared/networks/acasxu/*.nnet; do
    n=$(basename "$f" _batch_2000.nnet); n=${n#ACASXU_run2a_}
    row "acas-N$n-1e-3" "$f" 1e-3 --box-file "$S/acasxu_prop1_box.json"
  done
fi
