#!/usr/bin/env bash
# `verify certify --method auto` against `--method z3` on the shared reference networks, on the queries where an
# exact Z3 encoding applies (only the last layer perturbed; a fixed x with one perturbed layer; biases only).
# Usage: bash bench/certify/z3.sh [timeout-seconds=10]   (needs ../shared beside the repository, or SHARED=/path/to/shared; JSON in $OUT)
set -euo pipefail
cd "$(dirname "$0")/../.."
T=${1:-10}
OUT=${OUT:-/tmp/verify-bench-z3}
mkdir -p "$OUT"
dotnet build src/Verifier -c Release 2>&1 | grep -E "rror\(s\)" >/dev/null
V=src/Verifier/bin/Release/net10.0/verify
S=${SHARED:-../shared}/benchmarks
row() { # name method net eps args...
  local name=$1 method=$2 net=$3 eps=$4; shift 4
  local start end file
  file="$OUT/$(echo "$name" | tr -c 'A-Za-z0-9.-' '_')-$method.json"
  rm -f "$file"
  start=$(date +%s.%N)
  "$V" certify --net "$net" "$@" --eps "$eps" --method "$method" --timeout "$T" --json "$file" >/dev/null 2>&1 || true
  end=$(date +%s.%N)
  [ -f "$file" ] || { echo "| $name | $method | failed: $("$V" certify --net "$net" "$@" --eps "$eps" --method "$method" --timeout "$T" 2>&1 | tail -1) |"; return; }
  python3 - "$file" "$name" "$method" "$start" "$end" <<'PY'
import json,sys
r=json.load(open(sys.argv[1])); t=float(sys.argv[5])-float(sys.argv[4])
U=r["upper"][0]; L=(r.get("lower") or [0])[0] or 0
z=r.get("z3"); mode=z["outputs"][0]["mode"]+" / "+z["outputs"][0]["status"]+f" / {z['outputs'][0]['checks']} checks" if z else "-"
print(f"| {sys.argv[2]} | {sys.argv[3]} | {U:.6g} | {L:.6g} | {U/L if L>0 else float('inf'):.4g} | {t:.1f} s | {mode} |")
PY
}
echo "| instance (output 0) | method | U | L | U/L | wall | z3 mode / status |"
echo "|---|---|---|---|---|---|---|"
for m in auto z3; do row "2-16-16-1 last layer, ε=1e-2, [-1,1]^2" $m $S/net_2_16_16_1.json 1e-2 --lo -1 --hi 1 --layers 3; done
for m in auto z3; do row "2-16-16-1 fixed x=(0.5,-0.25), layer 2, ε=1e-2" $m $S/net_2_16_16_1.json 1e-2 --lo 0.5,-0.25 --hi 0.5,-0.25 --layers 2; done
for m in auto z3; do row "2-16-16-1 biases only, ε=1e-2, [-1,1]^2" $m $S/net_2_16_16_1.json 1e-2 --lo -1 --hi 1 --biases-only; done
for m in auto z3; do row "4-50x3-2 last layer, ε=1e-3, [-0.01,0.01]^4" $m $S/net_4_50x3_2.json 1e-3 --lo -0.01 --hi 0.01 --layers 4; done
for m in auto z3; do row "4-50x3-2 last layer, ε=1e-3, [-1,1]^4" $m $S/net_4_50x3_2.json 1e-3 --lo -1 --hi 1 --layers 4; done
for m in auto z3; do row "5-50x6-5 last layer, ε=1e-3, [-0.01,0.01]^5" $m $S/net_5_50x6_5.json 1e-3 --lo -0.01 --hi 0.01 --layers 7; done
for m in auto z3; do row "5-50x6-5 fixed x=0, layer 4, ε=1e-3" $m $S/net_5_50x6_5.json 1e-3 --lo 0 --hi 0 --layers 4; done
