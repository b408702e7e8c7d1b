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
if [ "$skipped" -gt 0 ]; then echo "$passed passed, $failed failed, $skipped skipped"; else echo "$passed passed, $failed failed"; fi
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ]
