#!/usr/bin/env bash
# How much looser `verify certify --execution F` is than the exact-arithmetic bound (bound values, not timings).
# Usage: bash bench/execution/bounds.sh   → one markdown row per (instance, method): sup_j U_j exact, float32, float16, bfloat16
# auto runs a fixed number of bisections (--max-splits 200), so the values do not depend on the machine's load.
set -euo pipefail
cd "$(dirname "$0")/../.."
dotnet build src/Verifier -c Release 2>&1 | grep -E "rror\(s\)" >/dev/null
V=src/Verifier/bin/Release/net10.0/verify
J=$(mktemp)
trap 'rm -f "$J"' EXIT
sup() { # method eps format args... → sup U (or "null: overflow")
  local method=$1 eps=$2 fmt=$3; shift 3
  local extra=(); [ "$method" = auto ] && extra=(--max-splits 200 --timeout 600)
  local ex=(); [ "$fmt" != exact ] && ex=(--execution "$fmt")
  "$V" certify "$@" --eps "$eps" --method "$method" --attack-restarts 0 "${extra[@]}" "${ex[@]}" --json "$J" >/dev/null 2>&1 || true
  python3 -c "import json; print(json.load(open('$J'))['supUpper'])"
}
echo "| instance | method | exact | float32 | float16 | bfloat16 |"
echo "|---|---|---|---|---|---|"
row() { # name eps args...
  local name=$1 eps=$2; shift 2
  for method in linear auto; do
    local cells=()
    for fmt in exact float32 float16 bfloat16; do cells+=("$(sup $method "$eps" $fmt "$@")"); done
    echo "| $name, ε = $eps | $method | ${cells[0]} | ${cells[1]} | ${cells[2]} | ${cells[3]} |"
  done
}
for eps in 0 1e-3; do
  row "2-16-16-1 [−1,1]²" $eps --net examples/networks/net_2_16_16_1.json --lo -1 --hi 1
  row "5-50×6-5 [−1,1]⁵" $eps --net examples/networks/net_5_50x6_5.json --lo -1 --hi 1
done
for eps in 0 1e-4; do
  row "ACAS N1_1 prop-1" $eps --net examples/networks/ACASXU_run2a_1_1_batch_2000.nnet --box-file examples/boxes/acasxu_prop1_box.json
done
