using Orchestrator.Bench;

// dotnet run -c Release --project bench -- <approval-latency|sweep|search|ingest|engine|predict|all> [scenario options]
//   approval-latency [repetitions (8)] [idle seconds before each decision (20)]
//   sweep [repetitions (3)]   (BENCH_VERBOSE=1 also prints every trial's training time on both sides)
//   search [seeds (10)] [trials (30)]   Bayesian vs random search, best logLoss after N trials on seattle-weather (in-process
//          training, no storage) and on a synthetic function (about 5 minutes on 2 cores with the defaults).
//   ingest [repetitions (3)] [files… (seattle-weather.csv flights-3m.parquet)]
//   engine [--repetitions N (2)] [--tuning-repetitions N (2)] [--sizes 100,1000] [--with-5000 (~10 more minutes)] [--chain N (100)]
//          [--lifecycles N (50)] [--no-tuning] [--timeout seconds per instance (480)] [--payload characters each way (0)]
//          [--two-level-sizes 1000,5000,10000] [--group activities per sub-orchestration (100)] [--groups-at-a-time (4)]
//          fan-out/fan-in (flat, and in two levels of sub-orchestrations), sequential chain and concurrent small
//          lifecycles of no-op activities, then fan-out 1,000 and
//          the chain under a few provider/worker settings and payload sizes (about 10 minutes with the defaults;
//          5,000 only with --with-5000, as many repetitions as the other sizes).
//   predict             predict endpoint over HTTP (1/4/16 clients, open loop 500 req/s) vs a pooled PredictionEngine in-process;
//                       the open loop's generator is this program again, in a process of its own (open-loop-client, OpenLoopClient.cs).
//   all: every scenario with its defaults.
// Each scenario rewrites its own section of docs/benchmarks.md and keeps the others (and the hand-written one).
// <scenario> --smoke: once at a tiny size, prints the table, writes nothing (what ./test.sh runs, through tests/Orchestrator.Bench.Tests):
//   approval-latency: host.json's polling only, 1 decision, no idle wait; sweep: 4 trials on seattle-weather and 2 on flights-2k, 1 run per side, no warm-up;
//   search: 4 trials (2 start-up), 1 seed, no synthetic table;
//   ingest: seattle-weather.csv once; engine: fan-out 10 (and 10 × 1 KiB payloads), 20 in two levels of 5, chain 5, 3 concurrent lifecycles once, no tuning;
//   predict: 5 requests per client, open loop 50 req/s for 1 s.
// Needs AzureWebJobsStorage (bench/run.sh starts an Azurite and sets it) and the sample data from infra/local.
// The predict scenario's load generator runs in a process of its own (OpenLoopClient).
if (args.FirstOrDefault() == OpenLoopClient.Command) return await OpenLoopClient.RunAsync(args[1..]);
var scenarios = Scenarios.Names;
var scenario = args.FirstOrDefault() ?? "all";
if (scenario != "all" && !scenarios.Contains(scenario))
{
    Console.Error.WriteLine($"Unknown scenario '{scenario}'. Scenarios: {string.Join(", ", scenarios)}, all");
    return 2;
}
if (scenario == "all" && args.Length > 1)
{
    Console.Error.WriteLine("Options are per scenario; 'all' runs every scenario with its defaults.");
    return 2;
}
var options = args.Skip(1).ToArray();
var storage = Environment.GetEnvironmentVariable("AzureWebJobsStorage") ?? "UseDevelopmentStorage=true";
var root = Scenarios.RepoRoot();
var doc = Path.Combine(root, "docs", "benchmarks.md");

foreach (var name in scenario == "all" ? scenarios : [scenario])
{
    var result = await Scenarios.RunAsync(name, storage, root, options);
    if (result.Section is null)
    {
        Console.WriteLine($"{name}: smoke run, {doc} not written");
        continue;
    }
    BenchmarkDoc.Update(doc, name, result.Section, scenarios);
    Console.WriteLine(result.Section);
    Console.WriteLine($"Wrote the {name} section of {doc}");
}
return 0;
