using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Orchestrator.Server.Tests;

/// <summary>The whole lifecycle through HTTP on the self-hosted server, on Azurite, with real ML.NET training.</summary>
[Collection(ServerCollection.Name)]
public sealed class LifecycleEndToEndTests(ServerFixture server)
{
    private static readonly string[] Classes = ["drizzle", "fog", "rain", "snow", "sun"];

    private static object Project(string approver, string timeout = "72:00:00", double minAccuracy = 0.7) => new
    {
        task = "multiclass", label = "weather", primaryMetric = "microAccuracy",
        kpis = new[] { new { metric = "microAccuracy", min = minAccuracy } },
        approvers = new[] { approver }, approvalTimeout = timeout,
    };

    [Fact]
    public async Task ModelCard_TestSplitOverTenThousandRows_ImportanceFromASampleRanksTheSignalFirst()
    {
        // 60,000 rows: a test split of about 12,000, so the importance is scored on a sample of 10,000 against that
        // sample's own baseline. y follows x; noise is unrelated to y.
        var random = new Random(7);
        var csv = new System.Text.StringBuilder("x,noise,y\n");
        for (var i = 0; i < 60_000; i++)
        {
            var x = random.NextDouble() * 10;
            csv.Append(System.Globalization.CultureInfo.InvariantCulture, $"{x:0.###},{random.NextDouble() * 10:0.###},{3 * x + random.NextDouble():0.###}\n");
        }
        await server.PutProjectAsync("card-sampled", new
        {
            task = "regression", label = "y", primaryMetric = "rmse", kpis = new[] { new { metric = "rmse", max = 5.0 } },
            approvers = new[] { "sme@example.com" },
            candidates = new[] { new { trainer = "LightGbm", parameters = new Dictionary<string, double> { ["numberOfLeaves"] = 8, ["numberOfIterations"] = 20 } } },
        });
        await server.UploadReadyAsync("/api/projects/card-sampled/datasets/weather", System.Text.Encoding.UTF8.GetBytes(csv.ToString()), "text/csv");
        var runId = await server.StartRunAsync("card-sampled");
        var waiting = await server.WaitForRunAsync(runId, r => r.GetProperty("status").GetString() != "Running");
        Assert.Equal("AwaitingApproval", waiting.GetProperty("status").GetString());

        var card = await server.GetJsonAsync($"/api/runs/{runId}/model-card");
        var importance = card.GetProperty("featureImportance").EnumerateArray()
            .ToDictionary(f => f.GetProperty("feature").GetString()!, f => f.GetProperty("drop").GetDouble());
        Assert.Equal(["noise", "x"], importance.Keys.Order());
        Assert.True(importance["x"] > 5, $"shuffling x should raise the rmse by several units: {card}");
        Assert.True(Math.Abs(importance["noise"]) < 0.5, $"shuffling the noise should change little on the sample's own baseline: {card}");
    }

    [Fact]
    public async Task Lifecycle_Approved_DeploysToProductionAndPredicts()
    {
        await server.PutProjectAsync("weather-approve", Project("sme@example.com"));
        var version = await server.UploadWeatherAsync("weather-approve");
        var runId = await server.StartRunAsync("weather-approve");

        var waiting = await server.WaitForRunAsync(runId, r => r.GetProperty("status").GetString() != "Running");
        Assert.Equal("AwaitingApproval", waiting.GetProperty("status").GetString());
        Assert.Equal(version, waiting.GetProperty("datasetVersion").GetInt32());
        Assert.Equal(6, waiting.GetProperty("progress").GetProperty("trialsCompleted").GetInt32());
        Assert.Equal(6, waiting.GetProperty("trials").GetArrayLength());
        Assert.True(waiting.GetProperty("best").GetProperty("metrics").GetProperty("microAccuracy").GetDouble() >= 0.7);
        Assert.Contains(waiting.GetProperty("trials").EnumerateArray().Select(t => t.GetProperty("trainer").GetString()), t => t == "LbfgsMaximumEntropy");

        var card = await server.GetJsonAsync($"/api/runs/{runId}/model-card");
        Assert.Equal(waiting.GetProperty("best").GetProperty("trialId").GetString(), card.GetProperty("trialId").GetString());
        Assert.Equal(1461, card.GetProperty("rowsUsed").GetInt32());
        Assert.Equal(Classes, card.GetProperty("perClassRecall").EnumerateObject().Select(p => p.Name).Order());
        var importance = card.GetProperty("featureImportance").EnumerateArray().ToList();
        Assert.Equal(["date", "precipitation", "temp_max", "temp_min", "wind"], importance.Select(f => f.GetProperty("feature").GetString()).Order());
        var drops = importance.Select(f => f.GetProperty("drop").GetDouble()).ToList();
        Assert.Equal(drops.OrderDescending(), drops);
        Assert.True(drops[0] > 0.05, $"shuffling the most important column should cost accuracy: {card}");

        var link = await server.ApprovalLinkAsync(runId, "sme@example.com");
        // GET shows the page and decides nothing (mail scanners prefetch links).
        var page = await server.Http.GetAsync(link.PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("microAccuracy", await page.Content.ReadAsStringAsync());
        Assert.Equal("AwaitingApproval", (await server.GetJsonAsync($"/api/runs/{runId}")).GetProperty("status").GetString());

        var (approvalId, token) = ServerFixture.ParseLink(link);
        var decide = await server.Http.PostAsync($"/api/approvals/{approvalId}", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["token"] = token, ["decision"] = "approve", ["comment"] = "Looks right for the season.",
        }));
        Assert.Equal(HttpStatusCode.OK, decide.StatusCode);
        var replay = await server.Http.PostAsJsonAsync($"/api/approvals/{approvalId}", new { token, decision = "approve" });
        Assert.Equal(HttpStatusCode.Conflict, replay.StatusCode);
        Assert.Equal("application/problem+json", replay.Content.Headers.ContentType!.MediaType);

        var done = await server.WaitForRunAsync(runId, r => r.GetProperty("status").GetString() is not ("Running" or "AwaitingApproval"));
        Assert.Equal("Completed", done.GetProperty("status").GetString());
        Assert.Equal("sme@example.com", done.GetProperty("approval").GetProperty("decidedBy").GetString());

        var models = await server.GetJsonAsync("/api/projects/weather-approve/models");
        var model = Assert.Single(models.GetProperty("versions").EnumerateArray());
        Assert.Equal("production", model.GetProperty("stage").GetString());
        Assert.Equal(runId, model.GetProperty("runId").GetString());
        Assert.Equal(version, model.GetProperty("datasetVersion").GetInt32());
        Assert.Equal(done.GetProperty("modelVersion").GetInt32(), models.GetProperty("production").GetInt32());

        // Lineage from the data side: the version knows which run trained on it and which model came out.
        var used = Assert.Single((await server.GetJsonAsync($"/api/projects/weather-approve/datasets/weather/versions/{version}")).GetProperty("usedBy").EnumerateArray());
        Assert.Equal((runId, model.GetProperty("version").GetInt32()), (used.GetProperty("runId").GetString(), used.GetProperty("modelVersion").GetInt32()));

        var predict = await server.Http.PostAsJsonAsync("/api/projects/weather-approve/predict", new
        {
            rows = new object[] { new { date = "2015-07-01", precipitation = 0, temp_max = 27.2, temp_min = 14.4, wind = 2.9 } },
        });
        var body = JsonDocument.Parse(await predict.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(HttpStatusCode.OK, predict.StatusCode);
        Assert.Equal(model.GetProperty("version").GetInt32(), body.GetProperty("modelVersion").GetInt32());
        Assert.Contains(body.GetProperty("predictions")[0].GetProperty("value").GetString(), Classes);

        var invalid = await server.Http.PostAsJsonAsync("/api/projects/weather-approve/predict", new { rows = new object[] { new { date = "2015-07-01" } } });
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Contains("precipitation", await invalid.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Lifecycle_Rejected_EndsRejectedWithCommentAndNothingDeployed()
    {
        await server.PutProjectAsync("weather-reject", Project("reviewer@example.com"));
        await server.UploadWeatherAsync("weather-reject");
        var runId = await server.StartRunAsync("weather-reject");
        var link = await server.ApprovalLinkAsync(runId, "reviewer@example.com");
        var (approvalId, token) = ServerFixture.ParseLink(link);

        // A forged token and another approval's token are refused; the approval stays open.
        var forged = await server.Http.PostAsJsonAsync($"/api/approvals/{approvalId}", new { token = token[..^4] + "AAAA", decision = "approve" });
        Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
        var elsewhere = await server.Http.GetAsync($"/api/approvals/0123456789abcdef0123456789abcdef?token={Uri.EscapeDataString(token)}");
        Assert.True(elsewhere.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Forbidden);

        var reject = await server.Http.PostAsJsonAsync($"/api/approvals/{approvalId}", new { token, decision = "reject", comment = "Fog is under-predicted." });
        Assert.Equal(HttpStatusCode.OK, reject.StatusCode);

        var done = await server.WaitForRunAsync(runId, r => r.GetProperty("status").GetString() is not ("Running" or "AwaitingApproval"));
        Assert.Equal("Rejected", done.GetProperty("status").GetString());
        Assert.Contains("Fog is under-predicted.", done.GetProperty("error").GetString());
        Assert.Empty((await server.GetJsonAsync("/api/projects/weather-reject/models")).GetProperty("versions").EnumerateArray());

        var predict = await server.Http.PostAsJsonAsync("/api/projects/weather-reject/predict", new { rows = new object[] { new { date = "2015-07-01" } } });
        Assert.Equal(HttpStatusCode.Conflict, predict.StatusCode);
    }

    [Fact]
    public async Task Lifecycle_KpiOutOfReach_RejectedBeforeAnyEmail()
    {
        await server.PutProjectAsync("weather-kpi", Project("kpi@example.com", minAccuracy: 0.99));
        await server.UploadWeatherAsync("weather-kpi");
        var runId = await server.StartRunAsync("weather-kpi");

        var done = await server.WaitForRunAsync(runId, r => r.GetProperty("status").GetString() != "Running");
        Assert.Equal("Rejected", done.GetProperty("status").GetString());
        Assert.Contains("microAccuracy >= 0.99 not met", done.GetProperty("error").GetString());
        Assert.Equal(JsonValueKind.Null, done.GetProperty("approval").ValueKind);
    }

    [Fact]
    public async Task Lifecycle_NoDecisionInTime_TimedOutAndLinkExpired()
    {
        await server.PutProjectAsync("weather-timeout", Project("late@example.com", timeout: "00:00:08"));
        await server.UploadWeatherAsync("weather-timeout");
        var runId = await server.StartRunAsync("weather-timeout");
        var link = await server.ApprovalLinkAsync(runId, "late@example.com");

        var done = await server.WaitForRunAsync(runId, r => r.GetProperty("status").GetString() is not ("Running" or "AwaitingApproval"));
        Assert.Equal("TimedOut", done.GetProperty("status").GetString());
        Assert.Equal("Expired", done.GetProperty("approval").GetProperty("status").GetString());

        var (approvalId, token) = ServerFixture.ParseLink(link);
        var late = await server.Http.PostAsJsonAsync($"/api/approvals/{approvalId}", new { token, decision = "approve" });
        Assert.Equal(HttpStatusCode.Forbidden, late.StatusCode);
        Assert.Contains("expired", await late.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Lifecycle_JsonUploadWithSourceColumnNames_TrainsAndPredictsFromRawRows()
    {
        await server.PutProjectAsync("penguins", new
        {
            task = "multiclass", label = "Species", primaryMetric = "macroAccuracy",
            kpis = new[] { new { metric = "macroAccuracy", min = 0.9 } }, approvers = new[] { "biologist@example.com" },
        });
        var json = Path.Combine(Path.GetDirectoryName(ServerFixture.SeattleWeatherCsv)!, "penguins.json");
        using var content = new StreamContent(File.OpenRead(json));
        content.Headers.ContentType = new("application/json");
        var upload = await server.Http.PostAsync("/api/projects/penguins/datasets/palmer", content);
        Assert.Equal(HttpStatusCode.Created, upload.StatusCode);

        var runId = await server.StartRunAsync("penguins", "palmer");
        var link = await server.ApprovalLinkAsync(runId, "biologist@example.com");
        var version = await server.GetJsonAsync(upload.Headers.Location!.ToString());
        Assert.Equal(344, version.GetProperty("rowsIn").GetInt32());
        // Rows with missing measurements are kept (the model replaces missing numbers); the schema says so.
        Assert.Equal(344, version.GetProperty("rowsOut").GetInt32());
        var beak = version.GetProperty("report").GetProperty("schema").GetProperty("columns").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "Beak Length (mm)");
        Assert.Equal(("number", true), (beak.GetProperty("type").GetString(), beak.GetProperty("nullable").GetBoolean()));
        var (approvalId, token) = ServerFixture.ParseLink(link);
        Assert.Equal(HttpStatusCode.OK, (await server.Http.PostAsJsonAsync($"/api/approvals/{approvalId}", new { token, decision = "approve" })).StatusCode);
        await server.WaitForRunAsync(runId, r => r.GetProperty("status").GetString() == "Completed");

        var predict = await server.Http.PostAsJsonAsync("/api/projects/penguins/predict", new
        {
            rows = new[]
            {
                new Dictionary<string, object?> { ["Island"] = "Biscoe", ["Beak Length (mm)"] = 47.5, ["Beak Depth (mm)"] = 15.0, ["Flipper Length (mm)"] = 218, ["Body Mass (g)"] = 4950, ["Sex"] = "MALE" },
                new Dictionary<string, object?> { ["Island"] = "Torgersen", ["Beak Length (mm)"] = 38.6, ["Beak Depth (mm)"] = 21.2, ["Flipper Length (mm)"] = 191, ["Body Mass (g)"] = 3800, ["Sex"] = null },
            },
        });
        var body = JsonDocument.Parse(await predict.Content.ReadAsStringAsync()).RootElement;
        Assert.True(predict.StatusCode == HttpStatusCode.OK, body.ToString());
        Assert.Equal(["Gentoo", "Adelie"], body.GetProperty("predictions").EnumerateArray().Select(p => p.GetProperty("value").GetString()));
    }
}
