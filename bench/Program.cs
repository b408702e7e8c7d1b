using Orchestrator.Bench;

// dotnet run -c Release --project bench -- <approval-latency|sweep|ingest|engine|predict|all> [scenario options]
//   approval-latency [repetitions (8)] [idle seconds before each decision (20)]
//   sweep [repetitions (3)]   (BENCH_VERBOSE=1 also prints every trial's training time on both sides)
//   ingest [repetitions (3)] [files… (seattle-weather.csv flights-3m.parquet)]
//   engine [--repetitions N (2)] [--tuning-repetitions N (2)] [--sizes 100,1000] [--with-5000 (~5 more minutes)] [--chain N (100)]
//          [--lifecycles N (50)] [--no-tuning] [--timeout seconds per instance (480)]
//          fan-out/fan-in, sequential chain and concurrent small lifecycles of no-op activities, then fan-out 1,000 and
//          the chain under a few provider/worker settings (about 8 minutes with the defaults; 5,000 only with --with-5000, once).
//   engine --smoke: fan-out 10, chain 5, 3 concurrent lifecycles once; prints the table, does not write the docs.
//   predict [--smoke]   predict endpoint over HTTP (1/4/16 clients, open loop 500 req/s) vs a pooled PredictionEngine in-process;
//                       --smoke runs everything once at a tiny size, prints the table and writes nothing.
//   all: every scenario with its defaults.
// Each scenario rewrites its own section of docs/benchmarks.md and keeps the others.
// Needs AzureWebJobsStorage (bench/run.sh starts an Azurite and sets it) and the sample data from infra/local.
string[] scenarios = ["approval-latency", "sweep", "ingest", "engine", "predict"];
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
var root = FindRoot();
var seattle = Path.Combine(root, "infra", "local", "node_modules", "vega-datasets", "data", "seattle-weather.csv");
var doc = Path.Combine(root, "docs", "benchmarks.md");

foreach (var name in scenario == "all" ? scenarios : [scenario])
{
    var section = name switch
    {
        "engine" => await Engine.RunScenarioAsync(storage, options),
        "approval-latency" => await ApprovalLatency.RunScenarioAsync(storage, seattle, options),
        "ingest" => await Ingestion.RunScenarioAsync(storage, Path.GetDirectoryName(seattle)!, options),
        "predict" => await Predict.RunScenarioAsync(storage, seattle, options),
        _ => await Sweep.RunScenarioAsync(storage, seattle, options),
    };
    if (section is null)
    {
        Console.WriteLine($"{name}: smoke run, {doc} not written");
        continue;
    }
    BenchmarkDoc.Update(doc, name, section, scenarios);
    Console.WriteLine(section);
    Console.WriteLine($"Wrote the {name} section of {doc}");
}
return 0;

static string FindRoot()
{
    var dir = new DirectoryInfo(AppContext.BaseDirectory);
    while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Orchestrator.sln"))) dir = dir.Parent;
    return dir?.FullName ?? Directory.GetCurrentDirectory();
}
