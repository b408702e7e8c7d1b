using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Orchestrator.Http.Application.Serving;
using Orchestrator.Workflows.Serving;
using Orchestrator.Workflows.Storage;

namespace Orchestrator.Server.Tests;

/// <summary>
/// Canary traffic on seattle-weather: production answers, a hashed share of its predictions is scored by staging's
/// model in the background under the same ids, and the comparison joins both with feedback.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class CanaryTrafficTests(ServerFixture server)
{
    private const string Approver = "canary-sme@example.com";
    private const string Project = "canary-weather";
    private const double Percent = 50;

    private static object Definition(object candidate, object? deployment = null) => new
    {
        task = "multiclass", label = "weather", primaryMetric = "microAccuracy",
        kpis = new[] { new { metric = "microAccuracy", min = 0.5 } }, approvers = new[] { Approver },
        candidates = new[] { candidate }, deployment = deployment ?? new { canaryPercent = Percent },
    };

    private static readonly object Lbfgs = new { trainer = "LbfgsMaximumEntropy", parameters = new Dictionary<string, double> { ["l2Regularization"] = 1 } };
    private static readonly object LightGbm = new { trainer = "LightGbm", parameters = new Dictionary<string, double> { ["numberOfLeaves"] = 4, ["numberOfIterations"] = 10 } };

    private async Task<int> DeployOnceAsync()
    {
        var run = await server.DecideAndWaitAsync(await server.StartRunAsync(Project), Approver, "approve");
        Assert.True(run.GetProperty("status").GetString() == "Completed", run.ToString());
        return run.GetProperty("modelVersion").GetInt32();
    }

    /// <summary>Rows of seattle-weather spread over its four years: the features, and the true weather apart.</summary>
    private static List<(Dictionary<string, string> Row, string Weather)> WeatherRows(int count, string label = "weather")
    {
        var lines = File.ReadAllLines(ServerFixture.SeattleWeatherCsv);
        var header = lines[0].Split(',');
        return lines.Skip(1).Where((_, i) => i % 23 == 0).Take(count).Select(line =>
        {
            var cells = line.Split(',');
            var row = header.Zip(cells).Where(c => c.First != label).ToDictionary(c => c.First, c => c.Second);
            return (row, cells[Array.IndexOf(header, label)]);
        }).ToList();
    }

    // System.Linq.Async and .NET 10 both define ToListAsync here.
    private static async Task<List<PredictionRecord>> ListAsync(IAsyncEnumerable<PredictionRecord> records)
    {
        var list = new List<PredictionRecord>();
        await foreach (var record in records) list.Add(record);
        return list;
    }

    private async Task<JsonElement> CompareAsync() => await server.GetJsonAsync($"/api/projects/{Project}/models/compare");

    [Fact]
    public async Task CompareModels_HalfCanaryOnSeattleWeather_ShadowedByTheHashRuleAnsweredByProductionAndBothMetricsWithFeedback()
    {
        await server.PutProjectAsync(Project, Definition(Lbfgs));
        Assert.Equal(Percent, (await server.GetJsonAsync($"/api/projects/{Project}")).GetProperty("deployment").GetProperty("canaryPercent").GetDouble());
        await server.UploadWeatherAsync(Project);
        var champion = await DeployOnceAsync();
        await server.PutProjectAsync(Project, Definition(LightGbm));
        var challenger = await DeployOnceAsync();
        Assert.True((await server.Http.PostAsJsonAsync($"/api/projects/{Project}/models/rollback", new { environment = "production" })).IsSuccessStatusCode);
        var staged = await server.Http.PostAsJsonAsync($"/api/projects/{Project}/models/{challenger}/promote", new { environment = "staging", reason = "shadow it" });
        Assert.True(staged.IsSuccessStatusCode, await staged.Content.ReadAsStringAsync());

        // 60 rows in 20 requests of 3: every answer is production's, and has nothing of the challenger's.
        var rows = WeatherRows(60);
        var served = new List<(string Id, string Value, string Weather)>();
        foreach (var chunk in rows.Chunk(3))
        {
            var response = await server.Http.PostAsJsonAsync($"/api/projects/{Project}/predict", new { rows = chunk.Select(c => c.Row) });
            var body = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.True(response.IsSuccessStatusCode, body.ToString());
            Assert.Equal(champion, body.GetProperty("modelVersion").GetInt32());
            Assert.Equal(["modelVersion", "predictions", "project"], body.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
            served.AddRange(body.GetProperty("predictions").EnumerateArray().Zip(chunk, (p, c) =>
                (p.GetProperty("predictionId").GetString()!, p.GetProperty("value").GetString()!, c.Weather)));
        }
        var selected = served.Where(s => CanarySelection.Selects(s.Id, Percent)).ToList();
        Assert.InRange(selected.Count, 15, 45); // about half; exactly the ids the rule picks

        // The shadow is scored off the request path: wait until this server's queue has scored it.
        var compare = await CompareAsync();
        for (var i = 0; i < 120 && compare.GetProperty("shadowed").GetInt64() < selected.Count; i++, await Task.Delay(250)) compare = await CompareAsync();
        Assert.Equal((champion, challenger), (compare.GetProperty("champion").GetInt32(), compare.GetProperty("challenger").GetInt32()));
        Assert.Equal(selected.Count, compare.GetProperty("shadowed").GetInt64());
        var instance = compare.GetProperty("thisInstance");
        Assert.Equal((0, selected.Count, 0, 0), (instance.GetProperty("pending").GetInt64(), instance.GetProperty("scored").GetInt64(),
            instance.GetProperty("skipped").GetInt64(), instance.GetProperty("failed").GetInt64()));

        // The shadow log holds the chosen ids, each with production's answer next to staging's; the served log only what callers got.
        var log = server.App.Services.GetRequiredService<PredictionLog>();
        var (from, to) = (DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddMinutes(1));
        var shadow = await ListAsync(log.ReadShadowAsync(Project, from, to));
        Assert.Equal(selected.Select(s => s.Id).Order(StringComparer.Ordinal), shadow.Select(r => r.PredictionId).Order(StringComparer.Ordinal));
        var servedById = served.ToDictionary(s => s.Id);
        Assert.All(shadow, r =>
        {
            Assert.Equal((challenger, "staging", champion, servedById[r.PredictionId].Value), (r.ModelVersion, r.Environment, r.Champion!.ModelVersion, r.Champion.Prediction));
            Assert.Equal(["date", "precipitation", "temp_max", "temp_min", "wind"], r.Features.Keys.Order(StringComparer.Ordinal));
        });
        var logged = await ListAsync(log.ReadAsync(Project, from, to));
        Assert.Equal(served.Select(s => s.Id).Order(StringComparer.Ordinal), logged.Select(r => r.PredictionId).Order(StringComparer.Ordinal));
        Assert.All(logged, r => Assert.Equal((champion, (ChampionAnswer?)null), (r.ModelVersion, r.Champion)));
        var agreement = Math.Round(shadow.Count(r => r.Prediction == r.Champion!.Prediction) / (double)shadow.Count, 6);
        Assert.Equal(agreement, compare.GetProperty("agreement").GetDouble());
        Assert.Equal(JsonValueKind.Null, compare.GetProperty("meanAbsoluteDifference").ValueKind);
        Assert.Equal(0, compare.GetProperty("feedbackRows").GetInt64());
        Assert.Empty(compare.GetProperty("championMetrics").EnumerateObject());

        // Feedback for every served prediction: both models are scored on the shadowed rows, the same rows for both.
        var feedback = await server.Http.PostAsJsonAsync($"/api/projects/{Project}/feedback", served.Select(s => new { predictionId = s.Id, label = s.Weather }));
        Assert.True(feedback.IsSuccessStatusCode, await feedback.Content.ReadAsStringAsync());
        compare = await CompareAsync();
        Assert.Equal(selected.Count, compare.GetProperty("feedbackRows").GetInt64());
        var truth = served.ToDictionary(s => s.Id, s => s.Weather);
        var championAccuracy = Math.Round(selected.Count(s => s.Value == s.Weather) / (double)selected.Count, 6);
        var challengerAccuracy = Math.Round(shadow.Count(r => r.Prediction == truth[r.PredictionId]) / (double)shadow.Count, 6);
        Assert.Equal(championAccuracy, compare.GetProperty("championMetrics").GetProperty("microAccuracy").GetDouble());
        Assert.Equal(challengerAccuracy, compare.GetProperty("challengerMetrics").GetProperty("microAccuracy").GetDouble());
        Assert.True(compare.GetProperty("challengerMetrics").TryGetProperty("macroAccuracy", out _));

        using var badWindow = await server.Http.GetAsync($"/api/projects/{Project}/models/compare?from=yesterday");
        Assert.Equal(HttpStatusCode.BadRequest, badWindow.StatusCode);
        Assert.True((await badWindow.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("from", out _));
        using var missing = await server.Http.GetAsync("/api/projects/canary-nowhere/models/compare");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task CompareModels_RegressionAtHundredPercent_MeanAbsoluteDifferenceAndBothErrorsOnTheSameRows()
    {
        const string project = "canary-temperature";
        object Regression(object candidate) => new
        {
            task = "regression", label = "temp_max", primaryMetric = "rmse", kpis = new[] { new { metric = "rmse", max = 10.0 } },
            approvers = new[] { Approver }, candidates = new[] { candidate }, deployment = new { canaryPercent = 100 },
        };
        async Task<int> DeployAsync()
        {
            var run = await server.DecideAndWaitAsync(await server.StartRunAsync(project), Approver, "approve");
            Assert.True(run.GetProperty("status").GetString() == "Completed", run.ToString());
            return run.GetProperty("modelVersion").GetInt32();
        }
        await server.PutProjectAsync(project, Regression(new { trainer = "Sdca", parameters = new Dictionary<string, double>() }));
        await server.UploadWeatherAsync(project);
        var champion = await DeployAsync();
        await server.PutProjectAsync(project, Regression(new { trainer = "FastTree", parameters = new Dictionary<string, double> { ["numberOfTrees"] = 10 } }));
        var challenger = await DeployAsync();
        Assert.True((await server.Http.PostAsJsonAsync($"/api/projects/{project}/models/rollback", new { environment = "production" })).IsSuccessStatusCode);
        Assert.True((await server.Http.PostAsJsonAsync($"/api/projects/{project}/models/{challenger}/promote", new { environment = "staging" })).IsSuccessStatusCode);

        var rows = WeatherRows(20, "temp_max");
        var response = await server.Http.PostAsJsonAsync($"/api/projects/{project}/predict", new { rows = rows.Select(r => r.Row) });
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.IsSuccessStatusCode, body.ToString());
        var ids = body.GetProperty("predictions").EnumerateArray().Select(p => p.GetProperty("predictionId").GetString()!).ToList();

        var compare = await server.GetJsonAsync($"/api/projects/{project}/models/compare");
        for (var i = 0; i < 120 && compare.GetProperty("shadowed").GetInt64() < rows.Count; i++, await Task.Delay(250))
            compare = await server.GetJsonAsync($"/api/projects/{project}/models/compare");
        Assert.Equal(rows.Count, compare.GetProperty("shadowed").GetInt64());
        Assert.Equal(JsonValueKind.Null, compare.GetProperty("agreement").ValueKind);
        var shadow = await ListAsync(server.App.Services.GetRequiredService<PredictionLog>().ReadShadowAsync(project, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddMinutes(1)));
        static double Value(string? text) => double.Parse(text!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(Math.Round(shadow.Average(r => Math.Abs(Value(r.Prediction) - Value(r.Champion!.Prediction))), 6), compare.GetProperty("meanAbsoluteDifference").GetDouble());

        var truth = ids.Zip(rows, (id, r) => (id, r.Weather)).ToDictionary(x => x.id, x => Value(x.Weather));
        var feedback = await server.Http.PostAsJsonAsync($"/api/projects/{project}/feedback", truth.Select(t => new { predictionId = t.Key, label = t.Value }));
        Assert.True(feedback.IsSuccessStatusCode, await feedback.Content.ReadAsStringAsync());
        compare = await server.GetJsonAsync($"/api/projects/{project}/models/compare");
        Assert.Equal(rows.Count, compare.GetProperty("feedbackRows").GetInt64());
        Assert.Equal(Math.Round(shadow.Average(r => Math.Abs(Value(r.Champion!.Prediction) - truth[r.PredictionId])), 6), compare.GetProperty("championMetrics").GetProperty("mae").GetDouble(), 6);
        Assert.Equal(Math.Round(Math.Sqrt(shadow.Average(r => Math.Pow(Value(r.Prediction) - truth[r.PredictionId], 2))), 6), compare.GetProperty("challengerMetrics").GetProperty("rmse").GetDouble(), 6);
    }

    [Theory]
    [InlineData("150")]
    [InlineData("-1")]
    [InlineData("\"half\"")]
    public async Task PutProject_BadCanaryPercent_400NamingIt(string value)
    {
        var definition = JsonSerializer.Serialize(Definition(Lbfgs)).Replace($"\"canaryPercent\":{Percent}", $"\"canaryPercent\":{value}", StringComparison.Ordinal);
        using var content = new StringContent(definition, System.Text.Encoding.UTF8, "application/json");
        using var response = await server.Http.PutAsync("/api/projects/canary-bad", content);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, body);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(JsonDocument.Parse(body).RootElement.GetProperty("errors").TryGetProperty("deployment.canaryPercent", out _), body);
    }

    [Fact]
    public async Task Offer_QueueFull_SkippedAndCountedWithoutWaiting()
    {
        var services = server.App.Services;
        await using var shadow = new ShadowScoring(services.GetRequiredService<ProjectStore>(), services.GetRequiredService<ProductionModels>(),
            services.GetRequiredService<PredictionLog>(), Options.Create(new ServingOptions { ShadowQueueBytes = 100 }), TimeProvider.System,
            NullLogger<ShadowScoring>.Instance);
        var row = new ShadowRow("2026120419-0000000000000000000000000000000a", new Dictionary<string, string?> { ["wind"] = "2.9" }, "sun");
        Assert.False(shadow.Offer("canary-full", 1, DateTimeOffset.UtcNow, [row, row], 101));
        Assert.Equal(new ShadowCounts(0, 0, 2, 0), shadow.CountsFor("canary-full"));
    }
}
