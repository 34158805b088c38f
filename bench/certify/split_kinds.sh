#!/usr/bin/env bash
# certify's --split auto against --split hybrid on issue 16's networks, each row's two runs back to back on one build
# (needs ../shared beside the repository). Usage: [SPLITS="auto hybrid"] bash bench/certify/split_kinds.sh → markdown rows
set -uo pipefail
cd "$(dirname "$0")/../.."
dotnet build src/Verifier -c Release 2>&1 | grep -E "rror\(s\)" >/dev/null
V=src/Verifier/bin/Release/net10.0/verify
S=../shared/benchmarks; A=../shared/networks/acasxu; M=../shared/networks/mnistfc
J=$(mktemp)
row() { # name timeout args...
  local name=$1 t=$2; shift 2
  for sp in ${SPLITS:-auto hybrid}; do
    "$V" certify "$@" --method auto --split "$sp" --timeout "$t" --json "$J" >/dev/null 2>&1
    python3 - "$J" "$name" "$t" "$sp" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
U, L = r["supUpper"], r.get("supLower") or 0
print(f"| {sys.argv[2]} | {sys.argv[3]} s | {sys.argv[4]} | {U:.4g} | {L:.4g} | {U / L if L else float('inf'):.3g} | {r.get('splits', 0)} | {r['seconds']:.1f} |")
PY
  done
}
echo "| instance | budget | --split | sup U | sup L (replayed) | U/L | splits | seconds |"
echo "|---|---|---|---|---|---|---|---|"
row 5-50x6-5 10 --net "$S/net_5_50x6_5.json" --lo -1 --hi 1 --eps 1e-3
for n in 1_1 2_9 4_1 5_9; do
  row "acas-N$n" 30 --net "$A/ACASXU_run2a_${n}_batch_2000.nnet" --box-file "$S/acasxu_prop1_box.json" --eps 1e-3
done
row mnist256x4-rel1e-2 60 --net "$M/mnist-net_256x4.onnx" --vnnlib "$M/prop_1_0.03.vnnlib" --eps 1e-2 --relative
rm -f "$J"
