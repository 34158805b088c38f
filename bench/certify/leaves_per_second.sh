#!/usr/bin/env bash
# Throughput of `certify --method auto`'s input-splitting leaves, two builds back to back, runs alternating
# (issue 16, item 1). The attack is off (--attack-restarts 0) so the cores go to the leaves.
# Usage: bash bench/certify/leaves_per_second.sh BEFORE_DIR AFTER_DIR [runs]
#   each *_DIR holds a built verify (e.g. src/Verifier/bin/Release/net10.0, or a copy of it); needs /work/shared
#   (or SHARED=...). Rows: splits, seconds of the auto stage, bisections per second, sup U, CPU seconds, load.
# Each bisection bounds two leaves, so leaves per second = 2 × bisections per second.
set -u
PRE=$1; POST=$2; RUNS=${3:-3}
S=${SHARED:-/work/shared}/benchmarks
here=$(cd "$(dirname "$0")/../.." && pwd)
NET=$S/net_5_50x6_5.json
ACAS=$here/examples/networks/ACASXU_run2a_1_1_batch_2000.nnet
BOX=$here/examples/boxes/acasxu_prop1_box.json
echo "| query | build | splits | auto s | splits/s | sup U | CPU s | load |"
echo "|---|---|---|---|---|---|---|---|"
row() { # name args...
  local name=$1; shift
  for ((r = 1; r <= RUNS; r++)); do
    for b in "$PRE" "$POST"; do
      l=$(cut -d' ' -f1 /proc/loadavg)
      /usr/bin/time -f "%U %S" -o /tmp/lps.time "$b/verify" certify "$@" --method auto --attack-restarts 0 --json /tmp/lps.json >/dev/null 2>&1
      python3 - /tmp/lps.json /tmp/lps.time "$name" "$b" "$l" <<'PY'
import json, sys
r = json.load(open(sys.argv[1])); u, s = map(float, open(sys.argv[2]).read().split()[-2:])
a = r["methods"]["auto"]; sec = a["seconds"]
print(f"| {sys.argv[3]} | {sys.argv[4]} | {r['splits']} | {sec:.2f} | {r['splits'] / sec:.1f} | {r['supUpper']!r} | {u + s:.1f} | {sys.argv[5]} |")
PY
    done
  done
}
row "5-50x6-5 [-1,1]^5 eps 1e-3, 400 splits" --net "$NET" --lo -1 --hi 1 --eps 1e-3 --max-splits 400 --timeout 600
row "5-50x6-5 [-1,1]^5 eps 1e-3, 10 s" --net "$NET" --lo -1 --hi 1 --eps 1e-3 --timeout 10
row "ACAS Xu N1_1 prop-1 box eps 1e-3, 200 splits" --net "$ACAS" --box-file "$BOX" --eps 1e-3 --max-splits 200 --timeout 600
row "ACAS Xu N1_1 prop-1 box eps 1e-3, 10 s" --net "$ACAS" --box-file "$BOX" --eps 1e-3 --timeout 10
