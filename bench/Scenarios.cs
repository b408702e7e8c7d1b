namespace Orchestrator.Bench;

/// <summary>One row of a scenario's table reduced to its headline figure: the median and p95 over its repetitions.</summary>
/// <param name="Row">The row, as the table names it (scenario and setting).</param>
/// <param name="Median">Median over the repetitions (or requests, for latencies).</param>
/// <param name="P95">95th percentile over the same samples.</param>
/// <param name="Unit">Unit of both figures ("s", "ms").</param>
public sealed record Figure(string Row, double Median, double P95, string Unit);

/// <summary>What one scenario run gives back.</summary>
/// <param name="Scenario">The scenario's name (<see cref="Scenarios.Names"/>).</param>
/// <param name="Figures">One figure per row of its table.</param>
/// <param name="Table">The table it printed (Markdown).</param>
/// <param name="Section">Its section of docs/benchmarks.md; null for a smoke run, which writes nothing.</param>
public sealed record ScenarioResult(string Scenario, IReadOnlyList<Figure> Figures, string Table, string? Section);

/// <summary>The scenarios by name, as <c>bench/run.sh</c> and the smoke tests run them.</summary>
public static class Scenarios
{
    /// <summary>Every scenario, in the order of docs/benchmarks.md.</summary>
    public static readonly IReadOnlyList<string> Names = ["approval-latency", "sweep", "search", "ingest", "engine", "predict"];

    /// <summary>Runs one scenario with its options (see the header of Program.cs) against the storage account given.</summary>
    /// <param name="root">The repository root: the sample data is read from infra/local/node_modules/vega-datasets.</param>
    public static Task<ScenarioResult> RunAsync(string name, string storage, string root, string[] options)
    {
        var data = Path.Combine(root, "infra", "local", "node_modules", "vega-datasets", "data");
        var seattle = Path.Combine(data, "seattle-weather.csv");
        return name switch
        {
            "approval-latency" => ApprovalLatency.RunScenarioAsync(storage, seattle, options),
            "sweep" => Sweep.RunScenarioAsync(storage, data, options),
            "search" => Search.RunScenarioAsync(seattle, options),
            "ingest" => Ingestion.RunScenarioAsync(storage, data, options),
            "engine" => Engine.RunScenarioAsync(storage, options),
            "predict" => Predict.RunScenarioAsync(storage, seattle, options),
            _ => throw new ArgumentException($"Unknown scenario '{name}'. Scenarios: {string.Join(", ", Names)}", nameof(name)),
        };
    }

    /// <summary>The directory holding Orchestrator.sln above this assembly (the current directory if none).</summary>
    public static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Orchestrator.sln"))) dir = dir.Parent;
        return dir?.FullName ?? Directory.GetCurrentDirectory();
    }

    /// <summary>Splits <c>--smoke</c> from a scenario's positional options.</summary>
    internal static (bool Smoke, string[] Others) Smoke(string[] options) =>
        (options.Contains("--smoke"), options.Where(o => o != "--smoke").ToArray());
}
