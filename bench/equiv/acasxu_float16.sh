#!/usr/bin/env bash
# ACAS Xu networks against their float16 copies on the property-1 box (docs/equiv.md).
# Usage: bench/equiv/acasxu_float16.sh [VERIFY] [OUTDIR]   (VERIFY defaults to a Release build's `verify`)
set -u
VERIFY=${1:-src/Verifier/bin/Release/net10.0/verify}
OUT=${2:-/tmp/equiv-bench}
NETS=${NETS:-/work/shared/networks/acasxu}
BOX=${BOX:-/work/shared/benchmarks/acasxu_prop1_box.json}
TIMEOUT=${TIMEOUT:-60}
mkdir -p "$OUT"
printf "%-6s %-6s %-10s %-9s %-8s %-8s %-12s %-12s\n" net eps verdict seconds cpu_s splits upper lower
for f in "$NETS"/ACASXU_run2a_*_batch_2000.nnet; do
  n=$(basename "$f" | sed -E 's/ACASXU_run2a_([0-9])_([0-9])_batch_2000.nnet/N\1_\2/')
  "$VERIFY" round --net "$f" --to float16 --out "$OUT/$n.f16.nnet" > /dev/null || exit 70
  for eps in ${EPS:-0.05 0.01}; do
    start=$(date +%s.%N)
    /usr/bin/time -f "%U %S" -o "$OUT/$n.$eps.time" "$VERIFY" equiv --net "$f" --net2 "$OUT/$n.f16.nnet" --box-file "$BOX" \
      --eps "$eps" --timeout "$TIMEOUT" --quiet --json "$OUT/$n.$eps.json" > /dev/null
    cpu=$(tail -n 1 "$OUT/$n.$eps.time" | awk '{printf "%.1f", $1+$2}')
    python3 - "$OUT/$n.$eps.json" "$n" "$eps" "$cpu" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
print(f"{sys.argv[2]:<6} {sys.argv[3]:<6} {r['verdict']:<10} {r['seconds']:<9.2f} {sys.argv[4]:<8} {r['splits']:<8} {str(r['upper']):<12.12} {r['lower']:<12.4g}")
PY
  done
done
