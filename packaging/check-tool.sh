#!/usr/bin/env bash
# Packs the `verify` .NET tool, checks that the package holds the Z3 shim next to the assemblies, installs it the way
# a user would (a --tool-path install and a local tool manifest), runs `verify certify --method z3` on a bundled
# example from the tool store, and uninstalls. Everything goes to a temporary folder (its own NuGet cache too, so a
# re-packed 0.1.0 is never shadowed by an older cached copy). Exit 0 when every step passed.
#
#   bash packaging/check-tool.sh            (Linux; several minutes: the package is about 200 MB)
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export NUGET_PACKAGES=$work/nuget DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
fail() { echo "FAIL: $*" >&2; exit 1; }

echo "== dotnet pack src/Verifier -c Release -o $work/nupkg"
dotnet pack src/Verifier -c Release -o "$work/nupkg" > "$work/pack.log" 2>&1 || { grep -E "error" "$work/pack.log" | sort -u; fail "dotnet pack failed"; }
pkg=$(find "$work/nupkg" -name 'Verify.*.nupkg' | head -n 1)
[ -n "$pkg" ] || fail "no Verify package was produced"
listing=$(unzip -l "$pkg")
for f in verify.dll Intervals.dll Microsoft.Z3.dll libz3.so; do
  grep -qE " tools/net10.0/any/$f\$" <<<"$listing" || fail "the package has no tools/net10.0/any/$f"
done
grep -qE "DotnetToolSettings.xml" <<<"$listing" || fail "not a tool package (no DotnetToolSettings.xml)"
echo "package: $(basename "$pkg") ($(du -h "$pkg" | cut -f1)), holds tools/net10.0/any/libz3.so (the Z3 shim)"

# the example runs Z3 on the last layer; any 'z3 y[0]: ... checks' line shows the shim loaded and Z3 answered
run_z3() {
  local out rc=0
  out=$("$@" certify --net "$repo/examples/networks/net_2_16_16_1.json" --lo -1 --hi 1 --eps 1e-2 --layers 3 \
        --method z3 --timeout 20 2>&1) || rc=$?
  echo "$out" | tail -n 3
  [ "$rc" -eq 0 ] || [ "$rc" -eq 2 ] || fail "verify certify --method z3 exited $rc"
  grep -qE "^z3 y\[0\]: .*checks" <<<"$out" || fail "no Z3 answer in the output"
}

echo "== dotnet tool install --tool-path $work/tools --add-source $work/nupkg Verify"
dotnet tool install --tool-path "$work/tools" --add-source "$work/nupkg" Verify
shim=$(find "$work/tools/.store" -name libz3.so -path "*tools/net10.0/any/*" | head -n 1)
[ -n "$shim" ] || fail "the installed tool has no libz3.so next to verify.dll"
(cd "$work" && run_z3 "$work/tools/verify")
dotnet tool uninstall --tool-path "$work/tools" Verify
[ ! -e "$work/tools/verify" ] || fail "uninstall left $work/tools/verify"

echo "== local tool manifest: dotnet new tool-manifest; dotnet tool install --local --add-source ... Verify"
mkdir -p "$work/project"
(cd "$work/project" && dotnet new tool-manifest >/dev/null && dotnet tool install --local --add-source "$work/nupkg" Verify \
   && run_z3 dotnet tool run verify && dotnet tool uninstall --local Verify)
echo "OK: the packaged tool installs, finds the Z3 shim in the tool store, and uninstalls"
