#!/usr/bin/env bash
# Issue 16 item 6: the mean-value form (--method meanvalue) against linear and auto at the same budgets, back to back.
# Usage: bash bench/targets/meanvalue.sh [verify-binary]   (Release build; needs /work/shared or SHARED=...)
# Prints one markdown row per run: query, method, budget, sup U, sup L (replayed), U/L, splits, seconds, load.
# "--gap 0" rows run certify's anytime branch and bound with the method's leaf (auto: linear; meanvalue: min(linear,
# mean-value)) for the whole budget: the leaves compared on one engine.
set -u
here=$(cd "$(dirname "$0")/../.." && pwd)
V=${1:-$here/src/Verifier/bin/Release/net10.0/verify}
SH=${SHARED:-/work/shared}
NET5=$SH/benchmarks/net_5_50x6_5.json
X=0.3,-0.2,0.5,0.1,-0.4
ACAS=$here/examples/networks/ACASXU_run2a_1_1_batch_2000.nnet
MN=$SH/networks/mnistfc
row() { # name method timeout args...
  local name=$1 method=$2 t=$3; shift 3
  local extra=()
  case $method in *+gap) extra=(--gap 0); method=${method%+gap};; esac
  local l; l=$(cut -d' ' -f1 /proc/loadavg)
  "$V" certify "$@" --method "$method" "${extra[@]}" --timeout "$t" --json /tmp/mvbench.json >/dev/null 2>&1
  python3 - /tmp/mvbench.json "$name" "$method${extra[*]:+ ${extra[*]}}" "$t" "$l" <<'PY'
import json, sys
r = json.load(open(sys.argv[1])); U = r["supUpper"]; L = r.get("supLower") or 0
splits = max(r.get("splits", 0), (r.get("search") or {}).get("splits", 0))  # input splitting's, or branch and bound's (--gap)
print(f"| {sys.argv[2]} | {sys.argv[3]} | {sys.argv[4]} s | {U:.4g} | {L:.4g} | {U/L if L > 0 else float('inf'):.3g} | {splits} | {r['seconds']:.1f} | {sys.argv[5]} |")
PY
}
methods=${METHODS:-"linear auto meanvalue auto+gap meanvalue+gap"}
echo "| query | method | budget | sup U | sup L | U/L | splits | s | load |"
echo "|---|---|---|---|---|---|---|---|---|"
for m in $methods; do row "5-50x6-5 [-1,1]^5 eps 1e-3" "$m" 10 --net "$NET5" --lo -1 --hi 1 --eps 1e-3; done
for m in $methods; do row "5-50x6-5 fixed x eps 1e-3" "$m" 10 --net "$NET5" --lo $X --hi $X --eps 1e-3; done
for m in $methods; do row "5-50x6-5 fixed x eps 1e-4" "$m" 10 --net "$NET5" --lo $X --hi $X --eps 1e-4; done
for m in $methods; do row "2-16-16-1 [-1,1]^2 eps 1e-3" "$m" 10 --net "$here/examples/networks/net_2_16_16_1.json" --lo -1 --hi 1 --eps 1e-3; done
for m in $methods; do row "ACAS N1_1 prop1 eps 1e-3" "$m" 10 --net "$ACAS" --box-file "$here/examples/boxes/acasxu_prop1_box.json" --eps 1e-3; done
for m in ${MNIST_METHODS:-linear auto meanvalue}; do
  row "mnist 256x4 prop_1_0.03 rel 1e-2" "$m" 30 --net "$MN/mnist-net_256x4.onnx" --vnnlib "$MN/prop_1_0.03.vnnlib" --eps 1e-2 --relative
  row "mnist 256x4 prop_1_0.03 rel 1e-4" "$m" 30 --net "$MN/mnist-net_256x4.onnx" --vnnlib "$MN/prop_1_0.03.vnnlib" --eps 1e-4 --relative
done
