#!/usr/bin/env bash
# Coverage-guided fuzzing of one reader with SharpFuzz + AFL++ (persistent mode, see TESTING.md).
#
#   bash fuzz/run.sh READER [LIMIT]
#
# READER: json | nnet | onnx | vnnlib | box | suite
# LIMIT:  N or Ns = run N seconds (default 60s); Nx = stop after about N executions (e.g. 1000000x).
# Needs AFL++ (Debian: apt-get install -y afl++). Builds and publishes fuzz/Verify.Fuzz, instruments the reader
# code (verify.dll: Io, Specs, Suites, Model; Intervals; YamlDotNet; Google.Protobuf), runs afl-fuzz under
# `nice -n 10` with the seeds in fuzz/seeds/READER, and prints executions, seconds and crashes. Findings are kept
# in fuzz/findings/READER (ignored by git); replay one with
#   dotnet fuzz/out/published/Verify.Fuzz.dll READER FILE...   (the instrumented copy only runs under afl-fuzz)
# A crash worth keeping goes to tests/Verifier.Tests/Data/fuzz/READER/ (FuzzRegressionTests replays every file there).
set -euo pipefail
cd "$(dirname "$0")/.."
reader=${1:?usage: fuzz/run.sh json|nnet|onnx|vnnlib|box|suite [Ns|Nx]}
limit=${2:-60s}
case "$reader" in json|nnet|onnx|vnnlib|box|suite) ;; *) echo "unknown reader '$reader'" >&2; exit 64;; esac
case "$limit" in
  *x) stop=(-E "${limit%x}") ;;
  *s) stop=(-V "${limit%s}") ;;
  *[0-9]) stop=(-V "$limit") ;;
  *) echo "limit must be Ns (seconds) or Nx (executions)" >&2; exit 64;;
esac
command -v afl-fuzz >/dev/null || { echo "afl-fuzz not found: apt-get install -y afl++" >&2; exit 69; }

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
published=fuzz/out/published    # the uninstrumented build; FUZZ_SKIP_BUILD=1 reuses it (several readers at once)
bin=fuzz/out/$reader            # one instrumented copy per reader, so several readers can be fuzzed at once
findings=fuzz/findings/$reader
rm -rf "$bin" "$findings"; mkdir -p fuzz/findings
if [ "${FUZZ_SKIP_BUILD:-0}" != 1 ] || [ ! -f "$published/Verify.Fuzz.dll" ]; then
  rm -rf "$published"
  dotnet publish fuzz/Verify.Fuzz -c Release -o "$published" 2>&1 | grep -E " error |warn" || true
fi
[ -f "$published/Verify.Fuzz.dll" ] || { echo "build failed" >&2; exit 70; }
cp -r "$published" "$bin"
(cd fuzz && dotnet tool restore >/dev/null)
sharpfuzz() { (cd fuzz && DOTNET_ROLL_FORWARD=Major dotnet sharpfuzz "$@"); }
sharpfuzz "$PWD/$bin/verify.dll" Verify.Io Verify.Specs Verify.Suites Verify.Model
sharpfuzz "$PWD/$bin/Intervals.dll"
sharpfuzz "$PWD/$bin/YamlDotNet.dll"
sharpfuzz "$PWD/$bin/Google.Protobuf.dll"

# dotnet is not an AFL-instrumented binary (SharpFuzz feeds the map): skip that check; no CPU pinning on a shared
# machine; the runtime's start-up needs a long first timeout; 2 s per input is a hang.
export AFL_SKIP_BIN_CHECK=1 AFL_NO_AFFINITY=1 AFL_SKIP_CPUFREQ=1 AFL_NO_UI=1 AFL_FORKSRV_INIT_TMOUT=120000 \
       AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1
start=$(date +%s)
nice -n 10 afl-fuzz -i "fuzz/seeds/$reader" -o "$findings" -t 2000 -m none "${stop[@]}" \
  -- dotnet "$bin/Verify.Fuzz.dll" "$reader" > "fuzz/out/$reader.log" 2>&1 || { tail -n 30 "fuzz/out/$reader.log"; exit 70; }
stats=$findings/default/fuzzer_stats
stat() { sed -n "s/^$1 *: *//p" "$stats"; }
crashes=$(find "$findings/default/crashes" -type f -name 'id:*' | wc -l)
hangs=$(find "$findings/default/hangs" -type f -name 'id:*' | wc -l)
echo "reader=$reader executions=$(stat execs_done) seconds=$(( $(date +%s) - start )) execs_per_sec=$(stat execs_per_sec)" \
     "corpus=$(stat corpus_count) edges=$(stat edges_found) crashes=$crashes hangs=$hangs"
if [ $((crashes + hangs)) -gt 0 ]; then
  echo "replay (uninstrumented build): dotnet $published/Verify.Fuzz.dll $reader $findings/default/crashes/id:* $findings/default/hangs/id:*"
fi
