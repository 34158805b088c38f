#!/usr/bin/env bash
# Two builds of `verify` on the ACAS Xu float16 benchmark (docs/equiv.md), net by net, both runs of a net AT THE SAME
# TIME, so that on a shared, loaded machine both see the same load (their wall times are then comparable to each
# other, not to an idle machine's).
# Usage: bench/equiv/compare_float16.sh OLD_VERIFY NEW_VERIFY [OUTDIR]   (EPS, TIMEOUT, NETS, BOX, ONLY as in acasxu_float16.sh;
#        ONLY="1_1 4_5" narrows the networks)
set -u
OLD=$1; NEW=$2; OUT=${3:-/tmp/equiv-compare}
NETS=${NETS:-/work/shared/networks/acasxu}
BOX=${BOX:-/work/shared/benchmarks/acasxu_prop1_box.json}
TIMEOUT=${TIMEOUT:-60}
EPS=${EPS:-0.01}
ONLY=${ONLY:-"1_1 1_2 1_9 2_1 2_9 3_3 4_1 4_5 5_1 5_9"}
mkdir -p "$OUT"
run() { # build tag net eps
  /usr/bin/time -f "%U %S" -o "$OUT/$2.$3.$4.time" "$1" equiv --net "$NETS/ACASXU_run2a_$3_batch_2000.nnet" --net2 "$OUT/N$3.f16.nnet" \
    --box-file "$BOX" --eps "$4" --timeout "$TIMEOUT" --quiet --json "$OUT/$2.$3.$4.json" > /dev/null
}
printf "%-4s %-6s %-6s %-10s %-9s %-8s %-8s %-12s\n" run net eps verdict seconds cpu_s splits upper
for n in $ONLY; do
  "$OLD" round --net "$NETS/ACASXU_run2a_${n}_batch_2000.nnet" --to float16 --out "$OUT/N$n.f16.nnet" > /dev/null || exit 70
  for eps in $EPS; do
    run "$OLD" old "$n" "$eps" & a=$!
    run "$NEW" new "$n" "$eps" & b=$!
    wait $a $b
    for tag in old new; do
      cpu=$(tail -n 1 "$OUT/$tag.$n.$eps.time" | awk '{printf "%.1f", $1+$2}')
      python3 - "$OUT/$tag.$n.$eps.json" "$tag" "N$n" "$eps" "$cpu" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
print(f"{sys.argv[2]:<4} {sys.argv[3]:<6} {sys.argv[4]:<6} {r['verdict']:<10} {r['seconds']:<9.2f} {sys.argv[5]:<8} {r['splits']:<8} {str(r['upper']):<12.12}")
PY
    done
  done
done
