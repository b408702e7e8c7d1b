#!/usr/bin/env bash
# Runs the benchmarks against an Azurite of their own (ports 10100-10102, data in .data/bench-azurite); each scenario
# rewrites its own section of docs/benchmarks.md.
# Usage: bench/run.sh [scenario] [scenario options]
#   bench/run.sh all                                   every scenario with its defaults (the default)
#   bench/run.sh approval-latency [repetitions] [idle]  SME decision latency (8 repetitions, 20 s idle; ~8 minutes)
#   bench/run.sh sweep [repetitions]                   durable sweeps vs in-process Parallel.ForEach: 24 short trials on
#                                                      seattle-weather, 8 of seconds each on flights-200k (3 repetitions; ~5 minutes)
#   bench/run.sh search [seeds] [trials]               Bayesian vs random search: best logLoss after N trials, over seeds
#                                                      (10 seeds × 30 trials on seattle-weather, in-process; ~5 minutes)
#   bench/run.sh ingest [repetitions] [files…]         ingestion vs plain parse (seattle-weather.csv, flights-3m.parquet)
#   bench/run.sh engine [--repetitions N] [--tuning-repetitions N] [--sizes 100,1000] [--with-5000] [--chain N]
#                       [--lifecycles N] [--no-tuning] [--timeout s] [--payload characters]
#                       [--two-level-sizes 1000,5000,10000] [--group 100] [--groups-at-a-time 4]
#                                                      engine throughput: fan-out/fan-in, the same in two levels
#                                                      (sub-orchestrations), chain, 50 concurrent small lifecycles, then
#                                                      settings and payload sizes side by side (2 repetitions; ~20
#                                                      minutes, ~10 more with --with-5000)
#   bench/run.sh predict                               predict endpoint vs pooled PredictionEngine in-process (about 2 minutes)
#   bench/run.sh portal [--trials 1000] [--repetitions 3]  the portal: shell size (gzip), first render of Home and of a
#                                                      run page with 1,000 trials in headless chromium (bench/portal.mjs)
#   bench/run.sh faults [--trials 12] [--only c1,c2]   faults injected into real server processes (kill -9 during
#                                                      ingestion, mid-sweep, awaiting the SME, during a promotion;
#                                                      storage stopped; two servers, one killed), what was lost and how
#                                                      long recovery took, then load (below, with its defaults):
#                                                      docs/reliability.md (~10 minutes)
#   bench/run.sh load [--lifecycles 20] [--rate 200] [--candidates 2]
#                                                      20 lifecycles at once while predict is called at 200 req/s and the
#                                                      catalog read in a loop: ends, 5xx, predict p99, predictions logged
#                                                      vs answered (bench/load.mjs; a few minutes): docs/reliability.md
#   bench/run.sh <scenario> --smoke                    any scenario once at a tiny size: prints its table, docs untouched
#                                                      (./test.sh runs every one this way, in tests/Orchestrator.Bench.Tests)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
infra/local/setup.sh
if [ "${1:-}" = "portal" ] || [ "${1:-}" = "faults" ] || [ "${1:-}" = "load" ]; then
  # Their own Azurite and server processes (the browser tests' harness), the Debug build the tests use.
  dotnet build functions/Orchestrator.Server -nologo -v quiet -clp:ErrorsOnly
  scenario="$1"
  shift
  if [ "$scenario" = "faults" ]; then
    # The reliability page has both: the faults, then the load (its options are the faults'; --smoke goes to both).
    node bench/faults.mjs "$@"
    smoke=()
    for arg in "$@"; do [ "$arg" = "--smoke" ] && smoke=(--smoke); done
    exec node bench/load.mjs "${smoke[@]}"
  fi
  exec node "bench/$scenario.mjs" "$@"
fi
rm -rf .data/bench-azurite
# BENCH_AZURITE_PORT moves the three ports (blob, queue, table = port, port+1, port+2), e.g. when another checkout benches too.
port="${BENCH_AZURITE_PORT:-10100}"
infra/local/azurite.sh "$root/.data/bench-azurite" "$port"
trap 'kill "$(cat "$root/.data/bench-azurite/azurite.pid")" 2>/dev/null; sleep 1; kill -9 "$(cat "$root/.data/bench-azurite/azurite.pid")" 2>/dev/null || true' EXIT
export AzureWebJobsStorage="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:$port/devstoreaccount1;QueueEndpoint=http://127.0.0.1:$((port + 1))/devstoreaccount1;TableEndpoint=http://127.0.0.1:$((port + 2))/devstoreaccount1;"
# The sweep scenario reports Azurite's CPU time next to the server's.
export BENCH_AZURITE_PID="$(cat "$root/.data/bench-azurite/azurite.pid" 2>/dev/null || true)"
dotnet run -c Release --project bench -- "${@:-all}"
