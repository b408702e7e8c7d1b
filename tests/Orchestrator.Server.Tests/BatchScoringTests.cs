using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Storage.Blobs;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Orchestrator.Http.Application.Batches;
using Orchestrator.Workflows.Storage;
using Orchestrator.Http.Security;
using Orchestrator.Workflows.DataLake;

namespace Orchestrator.Server.Tests;

/// <summary>
/// Batch scoring through HTTP on real data: seattle-weather's first 400 rows with the label blanked on 28, a quick
/// model trained on the labelled ones, then the whole version scored — every row, or only the 28 training left out —
/// read back from the Parquet output, with lineage and the status URL.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class BatchScoringTests(ServerFixture server)
{
    private const string Project = "ml-batch";
    private const string Approver = "batch-sme@example.com";
    private static readonly string[] Classes = ["drizzle", "fog", "rain", "snow", "sun"];

    private static byte[] Fixture => File.ReadAllBytes(Path.Combine(AzuriteFixture.RepoRoot, "tests", "Orchestrator.Workflows.Tests", "Fixtures", "seattle-weather-unlabelled.csv"));

    private async Task<int> ProductionModelAsync()
    {
        await server.PutProjectAsync(Project, ServerFixture.QuickWeatherProject(Approver));
        await server.UploadReadyAsync($"/api/projects/{Project}/datasets/weather", Fixture, "text/csv");
        var run = await server.DecideAndWaitAsync(await server.StartRunAsync(Project), Approver, "approve");
        Assert.True(run.GetProperty("status").GetString() == "Completed", run.ToString());
        return run.GetProperty("modelVersion").GetInt32();
    }

    private Task<JsonElement> BatchAsync(int model, object body) => BatchAsync(Project, model, body, 120);

    private async Task<JsonElement> BatchAsync(string project, int model, object body, int seconds)
    {
        using var response = await server.Http.PostAsJsonAsync($"/api/projects/{project}/models/{model}/batch", body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, text);
        var started = JsonDocument.Parse(text).RootElement;
        var statusUrl = started.GetProperty("statusUrl").GetString()!;
        Assert.Equal(statusUrl, response.Headers.Location?.OriginalString);
        Assert.Equal("Running", started.GetProperty("status").GetString());

        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        JsonElement status;
        do
        {
            status = await server.GetJsonAsync(statusUrl);
            if (status.GetProperty("status").GetString() != "Running") return status;
            await Task.Delay(500);
        } while (DateTime.UtcNow < deadline);
        Assert.Fail($"The batch did not end in {seconds} s: {status}");
        return status;
    }

    /// <summary>Every row of the batch's Parquet output parts.</summary>
    private async Task<TabularData> OutputAsync(JsonElement status)
    {
        var predictions = new BlobServiceClient(server.Azurite.ConnectionString).GetBlobContainerClient("predictions");
        var prefix = status.GetProperty("outputPrefix").GetString()!["predictions/".Length..];
        TabularData? data = null;
        await foreach (var blob in predictions.GetBlobsAsync(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, prefix + "part-", default))
        {
            using var stream = new MemoryStream((await predictions.GetBlobClient(blob.Name).DownloadContentAsync()).Value.Content.ToArray());
            if (data is null) data = await ParquetTables.ReadCuratedAsync(stream);
            else await ParquetTables.AppendCuratedAsync(stream, data);
        }
        Assert.NotNull(data);
        Assert.True((await predictions.GetBlobClient(prefix + "manifest.json").ExistsAsync()).Value);
        return data;
    }

    [Fact]
    public async Task BatchScore_SeattleWeatherVersion_EveryRowOrOnlyTheUnlabelledScoredToParquetWithLineage()
    {
        var model = await ProductionModelAsync();

        var all = await BatchAsync(model, new { dataset = "weather", version = 1 });
        Assert.True(all.GetProperty("status").GetString() == "Completed", all.ToString());
        Assert.Equal((1, 1, 400L, 400L), (all.GetProperty("partsTotal").GetInt32(), all.GetProperty("partsDone").GetInt32(),
            all.GetProperty("rowsRead").GetInt64(), all.GetProperty("rowsScored").GetInt64()));
        Assert.Equal(["prediction", .. Classes.Select(c => "score_" + c)], all.GetProperty("predictionColumns").EnumerateArray().Select(c => c.GetString()).Order(StringComparer.Ordinal));
        var output = await OutputAsync(all);
        Assert.Equal(400, output.Rows.Count);
        Assert.Equal(["date", "precipitation", "temp_max", "temp_min", "wind", "weather"], output.Columns.Take(6));
        var prediction = output.IndexOf("prediction");
        Assert.All(output.Rows, r => Assert.Contains(r[prediction], Classes));
        // Each row's scores add up to one, and the prediction is the class scored highest.
        foreach (var row in output.Rows)
        {
            var scores = Classes.ToDictionary(c => c, c => double.Parse(row[output.IndexOf("score_" + c)]!, System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(1, scores.Values.Sum(), 3);
            Assert.Equal(scores.MaxBy(s => s.Value).Key, row[prediction]);
        }
        // Mostly right on the rows it learnt from.
        var weather = output.IndexOf("weather");
        var labelled = output.Rows.Where(r => r[weather] is not null).ToList();
        Assert.InRange(labelled.Count(r => r[weather] == r[prediction]) / (double)labelled.Count, 0.5, 1);

        var unlabelled = await BatchAsync(model, new { dataset = "weather", rows = "unlabelled" });
        Assert.True(unlabelled.GetProperty("status").GetString() == "Completed", unlabelled.ToString());
        Assert.Equal((1, 400L, 28L), (unlabelled.GetProperty("datasetVersion").GetInt32(), unlabelled.GetProperty("rowsRead").GetInt64(), unlabelled.GetProperty("rowsScored").GetInt64()));
        var left = await OutputAsync(unlabelled);
        Assert.Equal(28, left.Rows.Count);
        Assert.All(left.Rows, r => Assert.Null(r[left.IndexOf("weather")]));
        Assert.All(left.Rows, r => Assert.Contains(r[left.IndexOf("prediction")], Classes));

        // Lineage: the batch came from the dataset version and the model version.
        var batchId = unlabelled.GetProperty("batchId").GetString()!;
        var graph = await server.GetJsonAsync($"/api/lineage/batch/{Project}/{batchId}?direction=up&depth=1");
        var edges = graph.GetProperty("edges").EnumerateArray().Select(e => (e.GetProperty("type").GetString(), e.GetProperty("from").GetProperty("id").GetString())).ToList();
        Assert.Contains(("scored-in", $"{Project}/weather/1"), edges);
        Assert.Contains(("scored", $"{Project}/{model}"), edges);
        Assert.Contains(graph.GetProperty("nodes").EnumerateArray(), n => n.GetProperty("url").GetString() == $"/api/batches/{batchId}");

        // A reader may follow it; a role without Predict may not start one.
        using var reader = server.ClientFor("batch-reader@example.com", Roles.Reader);
        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync($"/api/batches/{batchId}")).StatusCode);
        using var engineer = server.ClientFor("batch-de@example.com", Roles.DataEngineer);
        Assert.Equal(HttpStatusCode.Forbidden, (await engineer.PostAsJsonAsync($"/api/projects/{Project}/models/{model}/batch", new { dataset = "weather" })).StatusCode);

        await BadInput_ProblemNamingTheFieldAsync(model, unlabelled.GetProperty("statusUrl").GetString()!);
        await Scheduled_ByTheTimer_OncePerModelAndDatasetVersionAsync();
    }

    private static JsonObject WithBatchScoring(string schedule) =>
        AddBatchScoring(JsonSerializer.SerializeToNode(ServerFixture.QuickWeatherProject(Approver))!.AsObject(), schedule);

    private static JsonObject AddBatchScoring(JsonObject project, string schedule)
    {
        project["batchScoring"] = new JsonObject { ["dataset"] = "weather", ["schedule"] = schedule, ["rows"] = "unlabelled" };
        return project;
    }

    /// <summary>The timer scores the latest ready version with the production model once its schedule comes due, and that pair only once.</summary>
    private async Task Scheduled_ByTheTimer_OncePerModelAndDatasetVersionAsync()
    {
        var batches = server.App.Services.GetRequiredService<BatchService>();
        var client = server.App.Services.GetRequiredService<DurableTaskClient>();
        var projects = server.App.Services.GetRequiredService<ProjectStore>();
        async Task<int> BatchesOfVersion1() =>
            (await server.GetJsonAsync($"/api/lineage/dataset-version/{Project}/weather/1?direction=down&depth=1")).GetProperty("nodes").EnumerateArray()
                .Count(n => n.GetProperty("kind").GetString() == "batch");
        var before = await BatchesOfVersion1();

        // Yearly, on 1 January: not due since the version became ready.
        await server.PutProjectAsync(Project, WithBatchScoring("0 0 0 1 1 *"));
        Assert.Null(await batches.StartDueAsync((await projects.GetProjectAsync(Project))!, DateTimeOffset.UtcNow, client, default));

        await server.PutProjectAsync(Project, WithBatchScoring("* * * * * *"));
        await server.App.Services.GetRequiredService<Orchestrator.Http.RetrainingScheduler>().StartDueRunsAsync(client, DateTimeOffset.UtcNow.AddMinutes(1));
        // The timer started this pair's batch; asked again, it starts nothing.
        Assert.Null(await batches.StartDueAsync((await projects.GetProjectAsync(Project))!, DateTimeOffset.UtcNow.AddMinutes(2), client, default));

        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (await BatchesOfVersion1() == before)
        {
            Assert.True(DateTime.UtcNow < deadline, "The scheduled batch did not finish within 120 s.");
            await Task.Delay(500);
        }
        Assert.Equal(before + 1, await BatchesOfVersion1());
        var node = (await server.GetJsonAsync($"/api/lineage/dataset-version/{Project}/weather/1?direction=down&depth=1")).GetProperty("nodes").EnumerateArray()
            .Where(n => n.GetProperty("kind").GetString() == "batch").Select(n => n.GetProperty("url").GetString()!).ToList();
        var statuses = new List<JsonElement>();
        foreach (var url in node) statuses.Add(await server.GetJsonAsync(url));
        var scheduled = Assert.Single(statuses, s => s.GetProperty("requestedBy").GetString() == "batch-timer");
        Assert.Equal(("Completed", "unlabelled", 28L), (scheduled.GetProperty("status").GetString(), scheduled.GetProperty("rows").GetString(), scheduled.GetProperty("rowsScored").GetInt64()));

        var invalid = await server.Http.PutAsJsonAsync($"/api/projects/{Project}", WithBatchScoring("often"));
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.True(JsonDocument.Parse(await invalid.Content.ReadAsStringAsync()).RootElement.GetProperty("errors").TryGetProperty("batchScoring.schedule", out _));
    }

    private async Task BadInput_ProblemNamingTheFieldAsync(int model, string statusUrl)
    {
        async Task ExpectAsync(string method, string path, object? body, HttpStatusCode status, string? field)
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), path);
            if (body is not null) request.Content = JsonContent.Create(body);
            using var response = await server.Http.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == status, $"{method} {path} {JsonSerializer.Serialize(body)}: {(int)response.StatusCode} {text}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            if (field is not null) Assert.True(JsonDocument.Parse(text).RootElement.GetProperty("errors").TryGetProperty(field, out _), text);
        }
        var path = $"/api/projects/{Project}/models/{model}/batch";
        await ExpectAsync("POST", path, new { }, HttpStatusCode.BadRequest, "dataset");
        await ExpectAsync("POST", path, new { dataset = "Weather!" }, HttpStatusCode.BadRequest, "dataset");
        await ExpectAsync("POST", path, new { dataset = "weather", rows = "some" }, HttpStatusCode.BadRequest, "rows");
        await ExpectAsync("POST", path, new { dataset = "weather", version = 0 }, HttpStatusCode.BadRequest, "version");
        await ExpectAsync("POST", path, new { dataset = "weather", version = "one" }, HttpStatusCode.BadRequest, "version");
        await ExpectAsync("POST", path, new { dataset = "weather", version = 9 }, HttpStatusCode.NotFound, null);
        await ExpectAsync("POST", path, new { dataset = "no-such" }, HttpStatusCode.NotFound, null);
        await ExpectAsync("POST", $"/api/projects/{Project}/models/99/batch", new { dataset = "weather" }, HttpStatusCode.NotFound, null);
        await ExpectAsync("GET", "/api/batches/not.a.batch", null, HttpStatusCode.BadRequest, "id");
        await ExpectAsync("GET", "/api/batches/no-such-batch", null, HttpStatusCode.NotFound, null);

        // A version without a feature the model reads: 422 naming the dataset, and the feature in the detail.
        var lines = File.ReadAllLines(ServerFixture.SeattleWeatherCsv).Take(41).Select(l => string.Join(',', l.Split(',').Where((_, i) => i != 4)));
        await server.UploadReadyAsync($"/api/projects/{Project}/datasets/no-wind", Encoding.UTF8.GetBytes(string.Join('\n', lines) + "\n"), "text/csv");
        using var response = await server.Http.PostAsJsonAsync(path, new { dataset = "no-wind" });
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.UnprocessableEntity && text.Contains("'wind'", StringComparison.Ordinal), text);
        Assert.True(JsonDocument.Parse(text).RootElement.GetProperty("errors").TryGetProperty("dataset", out _), text);

        // A feature of another type (wind as words): 422 before anything is scored.
        var words = File.ReadAllLines(ServerFixture.SeattleWeatherCsv).Take(41)
            .Select((l, row) => row == 0 ? l : string.Join(',', l.Split(',').Select((cell, i) => i == 4 ? (row % 2 == 0 ? "calm" : "gusty") : cell)));
        await server.UploadReadyAsync($"/api/projects/{Project}/datasets/wind-words", Encoding.UTF8.GetBytes(string.Join('\n', words) + "\n"), "text/csv");
        using var retyped = await server.Http.PostAsJsonAsync(path, new { dataset = "wind-words" });
        var retypedText = await retyped.Content.ReadAsStringAsync();
        Assert.True(retyped.StatusCode == HttpStatusCode.UnprocessableEntity && retypedText.Contains("'wind' as number", StringComparison.Ordinal), retypedText);

        // Once the dataset is restricted, only its readers may score it or follow its batches.
        var restrict = await server.Http.PatchAsJsonAsync($"/api/projects/{Project}/datasets/weather", new { restrictedTo = new[] { "group:batch-team" } });
        Assert.True(restrict.IsSuccessStatusCode, await restrict.Content.ReadAsStringAsync());
        using var outsider = server.ClientFor("batch-outsider@example.com", Roles.MlEngineer);
        Assert.Equal(HttpStatusCode.Forbidden, (await outsider.PostAsJsonAsync(path, new { dataset = "weather" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await outsider.GetAsync(statusUrl)).StatusCode);
    }

    [Fact]
    public async Task BatchScore_Flights3m_EveryPartScoredWithBoundedMemory()
    {
        // A quick regression model on flights-2k, then the 3 million rows of flights-3m (three curated parts) scored with it.
        await server.PutProjectAsync("ml-batch-flights", new
        {
            task = "regression", label = "delay", primaryMetric = "rmse", approvers = new[] { Approver },
            candidates = new[] { new { trainer = "LightGbm", parameters = new Dictionary<string, double> { ["numberOfLeaves"] = 8, ["numberOfIterations"] = 20 } } },
        });
        await server.UploadReadyAsync("/api/projects/ml-batch-flights/datasets/sample", await File.ReadAllBytesAsync(ServerFixture.VegaData("flights-2k.json")), "application/json");
        var run = await server.DecideAndWaitAsync(await server.StartRunAsync("ml-batch-flights", "sample"), Approver, "approve");
        Assert.True(run.GetProperty("status").GetString() == "Completed", run.ToString());
        var model = run.GetProperty("modelVersion").GetInt32();
        var landing = new BlobServiceClient(server.Azurite.ConnectionString).GetBlobContainerClient("landing");
        await landing.CreateIfNotExistsAsync();
        await landing.GetBlobClient("ml-batch-flights/faa/flights-3m.parquet").UploadAsync(ServerFixture.VegaData("flights-3m.parquet"), overwrite: true);
        var ingest = await server.Http.PostAsJsonAsync("/api/projects/ml-batch-flights/datasets/flights/ingest", new { blob = "ml-batch-flights/faa/flights-3m.parquet" });
        Assert.True(ingest.IsSuccessStatusCode, await ingest.Content.ReadAsStringAsync());
        var version = await server.WaitForVersionAsync(ingest.Headers.Location!.ToString(), seconds: 600);
        Assert.True(version.GetProperty("status").GetString() == "Ready", version.ToString());

        // The whole test process (server, worker, sidecar, other tests) is sampled; what it already held before the batch
        // depends on the tests that ran before, so the bound is on the growth during the batch: 3 million rows held at
        // once would take several GiB.
        using var sampling = new CancellationTokenSource();
        var baseline = System.Diagnostics.Process.GetCurrentProcess().WorkingSet64;
        long peak = baseline;
        var sampler = Task.Run(async () =>
        {
            var process = System.Diagnostics.Process.GetCurrentProcess();
            while (!sampling.IsCancellationRequested)
            {
                process.Refresh();
                peak = Math.Max(peak, process.WorkingSet64);
                await Task.Delay(50);
            }
        });
        var started = DateTime.UtcNow;
        var status = await BatchAsync("ml-batch-flights", model, new { dataset = "flights" }, 900);
        var seconds = (DateTime.UtcNow - started).TotalSeconds;
        sampling.Cancel();
        await sampler;

        Assert.True(status.GetProperty("status").GetString() == "Completed", status.ToString());
        Assert.Equal((3_000_000L, 3_000_000L), (status.GetProperty("rowsRead").GetInt64(), status.GetProperty("rowsScored").GetInt64()));
        Assert.True(status.GetProperty("partsTotal").GetInt32() > 1, "3 million rows are scored in more than one part");
        Assert.Equal(status.GetProperty("partsTotal").GetInt32(), status.GetProperty("parts").GetArrayLength());
        Assert.True(peak - baseline < 768L * 1024 * 1024, $"working set grew by {(peak - baseline) / (1024 * 1024)} MiB (from {baseline / (1024 * 1024)} MiB)");
        Console.WriteLine($"flights-3m batch: {seconds:F1} s, {3_000_000 / seconds:F0} rows/s, working set {baseline / (1024 * 1024)} → peak {peak / (1024 * 1024)} MiB");
    }
}
