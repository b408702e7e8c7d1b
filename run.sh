#!/usr/bin/env bash
# Sets up and runs the ML lifecycle on real sample data with Azurite:
# installs local dependencies, builds, starts Azurite and the self-hosted server, defines the project
# `seattle-weather`, uploads vega-datasets' seattle-weather.csv, starts a run and prints each stage.
#   ./run.sh            stops at the SME approval and prints the emailed link and the portal's address; the server
#                       runs until Ctrl+C
#   ./run.sh --approve  approves through that link itself, then prints a prediction of the production model
#   ./run.sh token --user alice@contoso.com --role DataScientist [--role …] [--group …] [--service] [--hours 8]
#                       prints a token of the local development issuer (key in .data/auth-signing.key)
#   ./run.sh openapi    regenerates docs/openapi.json from the route table (the build generates it; a test compares)
#                       and the Python client's operation table and result types from it
set -euo pipefail
root="$(cd "$(dirname "$0")" && pwd)"
cd "$root"
command -v dotnet >/dev/null || { echo "The .NET 10 SDK is required" >&2; exit 1; }
# Locally the server accepts tokens of its development issuer; on Azure, Auth:Authority names Entra ID instead.
export Auth__Development__Enabled="${Auth__Development__Enabled:-true}"
server_dll=functions/Orchestrator.Server/bin/Release/net10.0/Orchestrator.Server.dll

if [ "${1:-}" = "token" ]; then
  shift
  dotnet build functions/Orchestrator.Server -c Release -nologo -v quiet -clp:ErrorsOnly >&2
  exec dotnet "$server_dll" token "$@"
fi

if [ "${1:-}" = "openapi" ]; then
  dotnet build functions/Orchestrator.Server -nologo -v quiet -clp:ErrorsOnly
  cp functions/Orchestrator.Server/obj/openapi/openapi.json docs/openapi.json
  echo "docs/openapi.json regenerated"
  python3 clients/python/tools/generate.py
  exit 0
fi

infra/local/setup.sh
echo "== building"
dotnet build functions/Orchestrator.Server -c Release -nologo -v quiet -clp:ErrorsOnly
started_azurite=false
if ! (echo > /dev/tcp/127.0.0.1/10000) 2>/dev/null; then started_azurite=true; fi
infra/local/azurite.sh "$root/.data/azurite" 10000

export AzureWebJobsStorage="${AzureWebJobsStorage:-UseDevelopmentStorage=true}"
export Server__Urls="${Server__Urls:-http://127.0.0.1:7071}"
export Approvals__PublicBaseUrl="${Approvals__PublicBaseUrl:-$Server__Urls}"
# The local demo names approvers without granting them the Approver role (refused by default).
export Approvals__AllowUngrantedApprovers="${Approvals__AllowUngrantedApprovers:-true}"
mkdir -p .data
echo "== starting the server on $Server__Urls (log: .data/server.log; API reference: $Server__Urls/api-docs)"
dotnet "$server_dll" > .data/server.log 2>&1 &
server=$!
cleanup() {
  kill "$server" 2>/dev/null || true
  # Stop Azurite only if this script started it; its data stays in .data/azurite.
  if $started_azurite; then
    local pid; pid="$(cat "$root/.data/azurite/azurite.pid")"
    kill "$pid" 2>/dev/null || true
    # Azurite closes its services on SIGTERM but its process can linger; do not leave it behind.
    for _ in 1 2 3 4 5 6; do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.5; done
    kill -9 "$pid" 2>/dev/null || true
  fi
}
trap cleanup EXIT INT TERM

# The demo acts as three people, each with the role of their step.
token() { dotnet "$server_dll" token --user "$1" --role "$2"; }
export DEMO_ENGINEER_TOKEN DEMO_SCIENTIST_TOKEN DEMO_MLOPS_TOKEN
DEMO_ENGINEER_TOKEN="$(token dana@example.com DataEngineer)"
DEMO_SCIENTIST_TOKEN="$(token sam@example.com DataScientist)"
DEMO_MLOPS_TOKEN="$(token mia@example.com MlEngineer)"
node infra/local/demo.mjs "$Server__Urls" "$root/.data/outbox" "$@"

echo "== the portal: $Server__Urls/  (sign in with the development sign-in: pick Data engineer, Data scientist,"
echo "   SME (approver: sme@example.com), ML engineer, Admin or Reader; the run above belongs to project seattle-weather)"
if [[ " $* " != *" --approve "* ]]; then
  echo "The server keeps running on $Server__Urls; Ctrl+C stops it."
  wait $server
fi
