#!/usr/bin/env bash
# Before/after comparison of two builds, back to back, row by row (issue 15's 60 s table and equivalence column).
# Usage: bash bench/certify/before_after.sh BEFORE_REPO AFTER_REPO [timeout-seconds]
#   each *_REPO is a checkout with a Release build (dotnet build src/Verifier -c Release); needs /work/shared.
set -u
PRE=$1; POST=$2; T=${3:-60}
S=${SHARED:-/work/shared}/benchmarks; A=${SHARED:-/work/shared}/networks/acasxu/ACASXU_run2a_1_1_batch_2000.nnet
row() { # name eps args...
  local name=$1 eps=$2; shift 2
  for b in "$PRE" "$POST"; do
    l=$(cut -d' ' -f1 /proc/loadavg)
    "$b/src/Verifier/bin/Release/net10.0/verify" certify "$@" --eps "$eps" --method auto --timeout "$T" --json /tmp/ba.json >/dev/null 2>&1
    python3 - /tmp/ba.json "$name" "$eps" "$(git -C "$b" rev-parse --short HEAD)" "$l" <<'PY'
import json, sys
r = json.load(open(sys.argv[1])); U = r["upper"][0]; L = r.get("lower", [0])[0]
print(f"| {sys.argv[2]} | {sys.argv[3]} | {sys.argv[4]} | {U:.4g} | {L:.4g} | {U/L if L > 0 else float('inf'):.3g} | {r['supUpper']:.4g} | {r.get('splits', 0)} | {r['seconds']:.1f} s | {sys.argv[5]} |")
PY
  done
}
row net_4_50x3_2-wide 1e-3 --net "$S/net_4_50x3_2.json" --lo -1 --hi 1
row net_4_50x3_2-wide 1e-2 --net "$S/net_4_50x3_2.json" --lo -1 --hi 1
row net_5_50x6_5-wide 1e-3 --net "$S/net_5_50x6_5.json" --lo -1 --hi 1
row net_5_50x6_5-wide 1e-2 --net "$S/net_5_50x6_5.json" --lo -1 --hi 1
row net_5_50x6_5-small 1e-3 --net "$S/net_5_50x6_5.json" --lo -0.01 --hi 0.01
row acas-N1_1 1e-4 --net "$A" --box-file "$S/acasxu_prop1_box.json"
row acas-N1_1 1e-3 --net "$A" --box-file "$S/acasxu_prop1_box.json"
here=$(cd "$(dirname "$0")/../.." && pwd)
for b in "$PRE" "$POST"; do
  echo "-- equiv, $(git -C "$b" rev-parse --short HEAD)"
  (cd "$b" && EPS=0.01 TIMEOUT="$T" bash "$here/bench/equiv/acasxu_float16.sh" src/Verifier/bin/Release/net10.0/verify "/tmp/ba-eq-$(basename "$b")")
done
