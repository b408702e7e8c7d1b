#!/usr/bin/env bash
# Sets up and runs every test: installs local dependencies (Azurite, sample data), restores, builds with warnings as
# errors, runs the unit, integration (own Azurite on free ports) and end-to-end tests. Ends with "N passed, N failed".
set -uo pipefail
root="$(cd "$(dirname "$0")" && pwd)"
cd "$root"
command -v dotnet >/dev/null || { echo "The .NET 10 SDK is required" >&2; exit 1; }
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

infra/local/setup.sh || { echo "0 passed, 1 failed"; exit 1; }

echo "== build"
if ! dotnet build Orchestrator.sln -nologo -v quiet -clp:ErrorsOnly; then
  echo "build failed"
  echo "0 passed, 1 failed"
  exit 1
fi

echo "== test"
log="$(mktemp)"
dotnet test Orchestrator.sln --no-build -nologo 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

sum() { grep -E '^(Passed|Failed)!' "$log" | sed -E "s/.*$1: *([0-9]+).*/\\1/" | awk '{s+=$1} END {print s+0}'; }
passed=$(sum Passed); failed=$(sum Failed); skipped=$(sum Skipped)
# A test host that crashed reports no summary: count it as a failure rather than hide it.
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
rm -f "$log"

# Suites outside .NET (the portal in a real browser, the Python client) end with their own "N passed, N failed[, N skipped]".
suite() {
  local name="$1" script="$2" out line p f s
  echo "== $name"
  out="$(mktemp)"
  "$script" 2>&1 | tee "$out"
  local rc=${PIPESTATUS[0]}
  line="$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$out" | tail -1)"
  rm -f "$out"
  p=$(sed -E 's/^([0-9]+) passed.*/\1/' <<<"${line:-0 passed}")
  f=$(sed -E 's/.* ([0-9]+) failed.*/\1/' <<<"${line:-0 failed}")
  s=$(grep -oE '[0-9]+ skipped' <<<"$line" | grep -oE '[0-9]+' || echo 0)
  [ -z "$line" ] || [ "$rc" -ne 0 ] && [ "${f:-0}" -eq 0 ] && f=1
  passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + ${s:-0}))
  [ "$rc" -eq 0 ] || status=1
}
[ -x tests/portal/run.sh ] && suite "portal (headless chromium)" tests/portal/run.sh
[ -x tests/python/run.sh ] && suite "python client" tests/python/run.sh
if [ "$skipped" -gt 0 ]; then echo "$passed passed, $failed failed, $skipped skipped"; else echo "$passed passed, $failed failed"; fi
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ]
