#!/usr/bin/env bash
# Runs the benchmarks against an Azurite of their own (ports 10100-10102, data in .data/bench-azurite) and writes
# docs/benchmarks.md. Usage: bench/run.sh [scenario] [repetitions] [idle seconds before each decision]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
infra/local/setup.sh
rm -rf .data/bench-azurite
infra/local/azurite.sh "$root/.data/bench-azurite" 10100
trap 'kill "$(cat "$root/.data/bench-azurite/azurite.pid")" 2>/dev/null; sleep 1; kill -9 "$(cat "$root/.data/bench-azurite/azurite.pid")" 2>/dev/null || true' EXIT
export AzureWebJobsStorage="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:10100/devstoreaccount1;QueueEndpoint=http://127.0.0.1:10101/devstoreaccount1;TableEndpoint=http://127.0.0.1:10102/devstoreaccount1;"
dotnet run -c Release --project bench -- "${1:-approval-latency}" "${2:-8}" "${3:-20}"
