#!/usr/bin/env bash
# The attack's replayed lower bound L on the reference instances, before and after a change, back to back:
# `--method linear` runs the whole attack (no deadline cuts it) and one linear pass, so L is the attack's alone.
# Usage: bash bench/certify/lower.sh BEFORE_VERIFY AFTER_VERIFY   (needs ../shared beside the repository)
set -uo pipefail
cd "$(dirname "$0")/../.."
S=../shared/benchmarks; A=../shared/networks/acasxu; M=../shared/networks/mnistfc
OUT=${OUT:-/tmp/verify-lower}; mkdir -p "$OUT"
one() { # verify name args...
  local v=$1 name=$2; shift 2
  local t0=$(date +%s.%N)
  "$v" certify "$@" --method linear --json "$OUT/$name.json" >/dev/null 2>&1
  python3 -c "import json,sys; r=json.load(open(sys.argv[1])); print(f\"{r.get('supLower') or 0:.4g} ({float(sys.argv[2]):.1f} s)\", end='')" "$OUT/$name.json" "$(echo "$(date +%s.%N) - $t0" | bc)"
}
row() { # name args...
  local name=$1; shift
  printf "| %s | " "$name"; one "$BEFORE" "$name.before" "$@"; printf " | "; one "$AFTER" "$name.after" "$@"; echo " |"
}
BEFORE=$1; AFTER=$2
echo "| instance | L before (wall) | L after (wall) |"
echo "|---|---|---|"
row net_2_16_16_1-1e-3 --net "$S/net_2_16_16_1.json" --lo -1 --hi 1 --eps 1e-3
row net_4_50x3_2-1e-2 --net "$S/net_4_50x3_2.json" --lo -1 --hi 1 --eps 1e-2
row net_5_50x6_5-1e-3 --net "$S/net_5_50x6_5.json" --lo -1 --hi 1 --eps 1e-3
row mnist256x4-prop1-rel1e-2 --net "$M/mnist-net_256x4.onnx" --vnnlib "$M/prop_1_0.03.vnnlib" --eps 1e-2 --relative
for f in "$A"/*.nnet; do
  n=$(basename "$f" _batch_2000.nnet); n=${n#ACASXU_run2a_}
  row "acas-N$n-1e-3" --net "$f" --box-file "$S/acasxu_prop1_box.json" --eps 1e-3
done
