using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Azure.Storage.Blobs;
using Orchestrator.Server;
using Orchestrator.Workflows.DataLake;

namespace Orchestrator.Bench;

/// <summary>
/// Ingestion through the server (hand-over from the landing container → raw → plan → chunks → report, all durable)
/// against a plain parse of the same file in the same process: rows per second, their ratio, and peak memory.
/// </summary>
public static class Ingestion
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>One file measured: wall seconds per repetition on both sides, and the process's peak working set during ours.</summary>
    public sealed record Result(string File, long Rows, List<double> Ours, List<double> Plain, long PeakBytes, int Chunks);

    /// <summary>
    /// Runs the scenario (options: [repetitions] [files…], or <c>--smoke</c>: seattle-weather.csv once, nothing written)
    /// and returns its figures and docs section.
    /// </summary>
    public static async Task<ScenarioResult> RunScenarioAsync(string storage, string dataDirectory, string[] options)
    {
        var (smoke, rest) = Scenarios.Smoke(options);
        var repetitions = smoke ? 1 : rest.Length > 0 ? int.Parse(rest[0], Inv) : 3;
        var files = rest.Length > 1 ? rest[1..] : smoke ? ["seattle-weather.csv"] : ["seattle-weather.csv", "flights-3m.parquet"];
        var results = new List<Result>();
        foreach (var file in files)
            results.Add(await RunAsync(storage, Path.Combine(dataDirectory, file), file.EndsWith(".parquet", StringComparison.Ordinal) ? Math.Min(repetitions, 2) : repetitions));

        var table = new StringBuilder()
            .AppendLine("| file | rows | chunks | ours: rows/s (median / p95 time) | plain parse: rows/s (median / p95 time) | ratio | target | peak working set |")
            .AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        var figures = new List<Figure>();
        foreach (var r in results)
        {
            double Rate(List<double> seconds) => r.Rows / Stats.Percentile(seconds, 0.5);
            var ratio = Rate(r.Ours) / Rate(r.Plain);
            table.AppendLine(Inv, $"| {r.File} | {r.Rows:N0} | {r.Chunks} | {Rate(r.Ours):N0} ({Stats.Percentile(r.Ours, 0.5):0.00} s / {Stats.Percentile(r.Ours, 0.95):0.00} s) | {Rate(r.Plain):N0} ({Stats.Percentile(r.Plain, 0.5):0.000} s / {Stats.Percentile(r.Plain, 0.95):0.000} s) | {ratio:0.00}× | ≥ 0.5× | {r.PeakBytes / (1024.0 * 1024):N0} MiB (< 1 GiB) |");
            figures.Add(new($"{r.File}, ours", Stats.Median(r.Ours), Stats.Percentile(r.Ours, 0.95), "s"));
            figures.Add(new($"{r.File}, plain parse", Stats.Median(r.Plain), Stats.Percentile(r.Plain, 0.95), "s"));
        }
        Console.WriteLine(table);
        if (smoke) return new ScenarioResult("ingest", figures, table.ToString(), null);
        return new ScenarioResult("ingest", figures, table.ToString(), $"""
            ## Ingestion

            {BenchmarkDoc.MeasuredOn}

            Ours: a source system's file handed over from the `landing` container (`POST .../datasets/(name)/ingest`), copied to
            `raw`, then the durable ingestion (a profiling pass, the chunks curated in parallel — type checks, expectations,
            statistics, Parquet parts — and the report), timed from the request to the version seen Ready (50 ms polls).
            Plain parse: the same file read row by row into cells in the same process (`RecordSource`, no checks, no writes).
            Repetitions: {repetitions} (at most 2 for Parquet); a new dataset each time (the same bytes would return the existing version).
            Peak working set: the whole bench process (server, worker, sidecar) sampled every 50 ms during ours.

            {table}
            For a small file the fixed costs dominate (a blob copy, three activity rounds through the durable backend, report
            and catalog writes): the ratio says little there. For the 3-million-row file the work per row counts, and the
            design reads the file twice: the profiling pass (types, ranges, duplicate and key hashes over every row, so that
            chunks can then be curated independently and de-duplicated globally) costs about 3.4 s on its own, and the
            chunks about 4.6 s of CPU together (coercion, expectations, statistics, Parquet writing), on 2 cores. The
            0.5× target would need a single pass (types from the Parquet schema or a sample, duplicates resolved after
            the chunks) — not done.
            """);
    }

    private static async Task<Result> RunAsync(string storage, string path, int repetitions)
    {
        var format = DataFormat.FromFileName(path)!;
        var plain = new List<double>();
        long rows = 0;
        for (var i = 0; i < repetitions; i++)
        {
            var watch = Stopwatch.StartNew();
            rows = 0;
            await using var stream = File.OpenRead(path);
            await foreach (var _ in RecordSource.ReadAsync(stream, format, RecordSource.Discover())) rows++;
            plain.Add(watch.Elapsed.TotalSeconds);
        }

        var port = ApprovalLatency.FreePort();
        var app = ServerApp.Build([
            $"--AzureWebJobsStorage={storage}", $"--Server:Urls=http://127.0.0.1:{port}", $"--Approvals:PublicBaseUrl=http://127.0.0.1:{port}",
            $"--Approvals:SigningKeys:0={Guid.NewGuid():N}", "--Approvals:AllowUngrantedApprovers=true", $"--extensions:durableTask:hubName=BenchIngest{DateTime.UtcNow:HHmmss}",
            "--Retraining:Schedule=0 0 0 1 1 *", "--Logging:LogLevel:Default=Warning",
            .. BenchAuth.ServerArgs,
        ]);
        await ServerApp.StartAsync(app);
        var ours = new List<double>();
        long peak = 0;
        var chunks = 0;
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromMinutes(20) }.SignedIn();
            var project = "bench-ingest";
            (await http.PutAsJsonAsync($"/api/projects/{project}", new { task = "multiclass", label = LabelOf(path), primaryMetric = "microAccuracy", approvers = new[] { "sme@example.com" } })).EnsureSuccessStatusCode();
            var landing = new BlobServiceClient(storage).GetBlobContainerClient("landing");
            await landing.CreateIfNotExistsAsync();
            var blob = $"{project}/{Path.GetFileName(path)}";
            await landing.GetBlobClient(blob).UploadAsync(path, overwrite: true);

            for (var i = 0; i < repetitions; i++)
            {
                using var sampling = new CancellationTokenSource();
                var sampler = Task.Run(async () =>
                {
                    using var process = Process.GetCurrentProcess();
                    while (!sampling.IsCancellationRequested)
                    {
                        process.Refresh();
                        peak = Math.Max(peak, process.WorkingSet64);
                        await Task.Delay(50);
                    }
                });
                var dataset = $"run-{i}-{Guid.NewGuid():N}"[..20];
                var watch = Stopwatch.StartNew();
                using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/projects/{project}/datasets/{dataset}/ingest") { Content = JsonContent.Create(new { blob }) };
                request.Headers.Add("Prefer", "respond-async");
                var response = await http.SendAsync(request);
                response.EnsureSuccessStatusCode();
                var location = response.Headers.Location!.ToString();
                JsonElement version;
                while ((version = JsonDocument.Parse(await http.GetStringAsync(location)).RootElement).GetProperty("status").GetString() == "Pending")
                    await Task.Delay(50);
                ours.Add(watch.Elapsed.TotalSeconds);
                sampling.Cancel();
                await sampler;
                if (version.GetProperty("status").GetString() != "Ready") throw new InvalidOperationException($"Ingestion failed: {version}");
                chunks = version.GetProperty("report").GetProperty("chunks").GetInt32();
                Console.WriteLine(string.Create(Inv, $"{Path.GetFileName(path)}: {ours[^1]:0.00} s, {chunks} chunks, peak {peak / (1024 * 1024)} MiB"));
            }
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
        return new Result(Path.GetFileName(path), rows, ours, plain, peak, chunks);
    }

    private static string LabelOf(string path) => Path.GetFileName(path) switch
    {
        "flights-3m.parquet" => "delay",
        _ => "weather",
    };
}
