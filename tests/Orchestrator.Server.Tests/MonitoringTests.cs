using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Orchestrator.Http;
using Orchestrator.Workflows.Orchestrators;
using Orchestrator.Workflows.Serving;

namespace Orchestrator.Server.Tests;

/// <summary>
/// Monitoring through HTTP on real data: a model trained on seattle-weather 2012–2013 serves rows; a window drawn from
/// its own training years shows no drift, a window of 2014–2015 summer days shows drift on the temperatures, alerts by
/// email and asks for retraining, which the timer starts once.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class MonitoringTests(ServerFixture server)
{
    private const string Approver = "monitor-sme@example.com";

    internal static readonly string[] Lines = File.ReadAllLines(ServerFixture.SeattleWeatherCsv);

    /// <summary>A seattle-weather CSV line as a row to predict.</summary>
    internal static Dictionary<string, object?> Features(string line)
    {
        var f = line.Split(',');
        double D(string s) => double.Parse(s, CultureInfo.InvariantCulture);
        return new() { ["date"] = f[0], ["precipitation"] = D(f[1]), ["temp_max"] = D(f[2]), ["temp_min"] = D(f[3]), ["wind"] = D(f[4]) };
    }

    private async Task<List<string>> PredictAsync(string project, IEnumerable<string> lines)
    {
        var response = await server.Http.PostAsJsonAsync($"/api/projects/{project}/predict", new { rows = lines.Select(Features) });
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        return JsonDocument.Parse(text).RootElement.GetProperty("predictions").EnumerateArray().Select(p => p.GetProperty("predictionId").GetString()!).ToList();
    }

    private async Task<JsonElement> RunWindowAsync(string project, DateTimeOffset start, DateTimeOffset end)
    {
        var response = await server.Http.PostAsJsonAsync($"/api/projects/{project}/monitoring/run", new { windowStart = start, windowEnd = end });
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        return JsonDocument.Parse(text).RootElement;
    }

    private static Dictionary<string, bool> Drifted(JsonElement report) =>
        report.GetProperty("drift").GetProperty("features").EnumerateArray().ToDictionary(f => f.GetProperty("feature").GetString()!, f => f.GetProperty("drifted").GetBoolean());

    [Fact]
    public async Task Monitoring_SummerRowsAgainstEarlierYears_DriftOnTemperaturesAlertAndOneRetrainingRun()
    {
        await server.PutProjectAsync("monitored", new
        {
            task = "multiclass", label = "weather", primaryMetric = "microAccuracy",
            kpis = new[] { new { metric = "microAccuracy", min = 0.5 } }, approvers = new[] { Approver },
            candidates = new[] { new { trainer = "LbfgsMaximumEntropy", parameters = new Dictionary<string, double> { ["l2Regularization"] = 1 } } },
            monitoring = new { retrainOnDrift = true, cooldown = "1.00:00:00" },
        });
        var rows = Lines.Skip(1).ToList();
        var early = rows.Where(r => r.StartsWith("2012") || r.StartsWith("2013")).ToList();
        var summer = rows.Where(r => (r.StartsWith("2014") || r.StartsWith("2015")) && r[5..7] is "06" or "07" or "08").ToList();
        await server.UploadReadyAsync("/api/projects/monitored/datasets/weather", Encoding.UTF8.GetBytes(string.Join('\n', early.Prepend(Lines[0])) + "\n"), "text/csv");
        var runId = await server.StartRunAsync("monitored");
        var (approvalId, token) = ServerFixture.ParseLink(await server.ApprovalLinkAsync(runId, Approver));
        Assert.True((await server.Http.PostAsJsonAsync($"/api/approvals/{approvalId}", new { token, decision = "approve" })).IsSuccessStatusCode);
        await server.WaitForRunAsync(runId, r => r.GetProperty("status").GetString() == "Completed");

        // A window of rows from the training years themselves: no drift, no alert.
        var t0 = DateTimeOffset.UtcNow;
        await PredictAsync("monitored", early.Where((_, i) => i % 3 == 0));
        var t1 = DateTimeOffset.UtcNow;
        var calm = await RunWindowAsync("monitored", t0, t1);
        Assert.Equal(244, calm.GetProperty("predictions").GetInt32());
        Assert.DoesNotContain(Drifted(calm), f => f.Value && f.Key != "date");
        Assert.False(calm.GetProperty("alert").GetBoolean(), calm.ToString());

        // Summer days of later years, with ground truth for half of them.
        var ids = await PredictAsync("monitored", summer);
        var feedback = ids.Zip(summer).Where((_, i) => i % 2 == 0).Select(x => new { predictionId = x.First, label = x.Second.Split(',')[5] }).ToList();
        var stored = await server.Http.PostAsJsonAsync("/api/projects/monitored/feedback", feedback);
        Assert.True(stored.IsSuccessStatusCode, await stored.Content.ReadAsStringAsync());
        // Who gave feedback is the caller, whatever the body claims.
        using var giver = server.ClientFor("feedback-giver@example.com", Orchestrator.Http.Security.Roles.MlEngineer);
        var claimed = await giver.PostAsJsonAsync("/api/projects/monitored/feedback", new[] { new { predictionId = ids[0], label = summer[0].Split(',')[5], by = "someone-else@example.com" } });
        Assert.True(claimed.IsSuccessStatusCode, await claimed.Content.ReadAsStringAsync());
        var entity = await new Azure.Data.Tables.TableServiceClient(server.Azurite.ConnectionString).GetTableClient(Orchestrator.Workflows.Storage.StorageNames.FeedbackTable)
            .GetEntityAsync<Azure.Data.Tables.TableEntity>("monitored", ids[0]);
        Assert.Equal("feedback-giver@example.com", Orchestrator.Workflows.Storage.Json.Deserialize<FeedbackRecord>(entity.Value.GetString("Json")).By);
        var t2 = DateTimeOffset.UtcNow;
        var hot = await RunWindowAsync("monitored", t1, t2);

        Assert.Equal(summer.Count, hot.GetProperty("predictions").GetInt32());
        var drifted = Drifted(hot);
        Assert.True(drifted["temp_max"] && drifted["temp_min"], hot.GetProperty("drift").ToString());
        Assert.True(hot.GetProperty("alert").GetBoolean());
        Assert.True(hot.GetProperty("retrainRequested").GetBoolean());
        Assert.Equal(feedback.Count, hot.GetProperty("feedbackRows").GetInt32());
        Assert.InRange(hot.GetProperty("performance").GetProperty("microAccuracy").GetDouble(), 0, 1);
        Assert.Contains(Directory.GetFiles(server.Outbox, "*.eml").Select(f => MimeKit.MimeMessage.Load(f)), m => (m.Subject ?? "").StartsWith("[monitored] monitoring alert", StringComparison.Ordinal));

        // The series, ready to plot: one point per window and feature.
        var series = await server.GetJsonAsync($"/api/projects/monitored/monitoring?from={Uri.EscapeDataString(t0.AddMinutes(-1).ToString("O"))}");
        Assert.Equal(2, series.GetProperty("windows").GetArrayLength());
        Assert.Equal(2, series.GetProperty("series").GetProperty("temp_max").GetArrayLength());
        Assert.Single(series.GetProperty("alerts").EnumerateArray());
        // Each feature's histogram comes from the newest window: the summer one, its mass in temp_max's warmer bins.
        var histogram = series.GetProperty("histograms").GetProperty("temp_max");
        Assert.Equal(hot.GetProperty("reportId").GetString(), histogram.GetProperty("reportId").GetString());
        var bins = histogram.GetProperty("bins").EnumerateArray().ToList();
        Assert.Equal(1, bins.Sum(b => b.GetProperty("window").GetDouble()), 9);
        Assert.Equal(summer.Count, bins.Sum(b => b.GetProperty("windowCount").GetInt64()));
        Assert.True(bins.Skip(bins.Count / 2).Sum(b => b.GetProperty("window").GetDouble()) > bins.Skip(bins.Count / 2).Sum(b => b.GetProperty("baseline").GetDouble()));
        // The table row, whose property holds at most 32K characters, keeps no histogram: the report's blob does.
        var row = await new Azure.Data.Tables.TableServiceClient(server.Azurite.ConnectionString).GetTableClient(Orchestrator.Workflows.Monitoring.MonitoringService.Table)
            .GetEntityAsync<Azure.Data.Tables.TableEntity>("monitored", hot.GetProperty("reportId").GetString());
        Assert.DoesNotContain("\"bins\"", row.Value.GetString("Json"), StringComparison.Ordinal);

        // Fields the model does not use are dropped before scoring and logging, and named in the answer.
        var junkRow = Features(summer[0]);
        junkRow["junk"] = new string('x', 4096);
        junkRow["other"] = 1;
        var beforeJunk = DateTimeOffset.UtcNow;
        var withJunk = await server.Http.PostAsJsonAsync("/api/projects/monitored/predict", new { rows = new[] { junkRow } });
        var answer = JsonDocument.Parse(await withJunk.Content.ReadAsStringAsync()).RootElement;
        Assert.True(withJunk.IsSuccessStatusCode, answer.ToString());
        Assert.Equal(["junk", "other"], answer.GetProperty("ignoredFields").EnumerateArray().Select(f => f.GetString()!).ToArray());
        var log = server.App.Services.GetRequiredService<PredictionLog>();
        await log.FlushAsync();
        var logged = new List<PredictionRecord>();
        await foreach (var record in log.ReadAsync("monitored", beforeJunk.AddSeconds(-1), DateTimeOffset.UtcNow.AddMinutes(1))) logged.Add(record);
        var junkRecord = Assert.Single(logged, r => r.PredictionId == answer.GetProperty("predictions")[0].GetProperty("predictionId").GetString());
        Assert.Equal(Features(summer[0]).Keys.Order(), junkRecord.Features.Keys.Order());
        var clean = await server.Http.PostAsJsonAsync("/api/projects/monitored/predict", new { rows = new[] { Features(summer[0]) } });
        Assert.False(JsonDocument.Parse(await clean.Content.ReadAsStringAsync()).RootElement.TryGetProperty("ignoredFields", out _));

        // The timer starts the requested retraining run once, and never a second while it is active.
        var scheduler = server.App.Services.GetRequiredService<RetrainingScheduler>();
        var client = server.App.Services.GetRequiredService<DurableTaskClient>();
        var started = await scheduler.StartDueRunsAsync(client, DateTimeOffset.UtcNow);
        var retrain = Assert.Single(started, r => r.Project == "monitored");
        Assert.Equal(("drift", "monitoring"), (retrain.Trigger, retrain.RequestedBy));
        // Lineage: the report that asked for the run is upstream of it, next to the data it trains on.
        var origin = await server.GetJsonAsync($"/api/lineage/run/{retrain.RunId}?direction=up&depth=1");
        Assert.Contains(origin.GetProperty("edges").EnumerateArray(), e => e.GetProperty("type").GetString() == "triggered"
            && e.GetProperty("from").GetProperty("id").GetString() == $"monitored/{hot.GetProperty("reportId").GetString()}");
        Assert.DoesNotContain(await scheduler.StartDueRunsAsync(client, DateTimeOffset.UtcNow), r => r.Project == "monitored");
        // Production is watched by its eternal monitoring orchestration.
        var monitor = await client.GetInstanceAsync(InstanceIds.Monitoring("monitored"));
        Assert.NotNull(monitor);

        // Ground truth that contradicts the model on rows of its own years: no drift, but the KPI (microAccuracy ≥ 0.5)
        // breaks, and that alone alerts.
        var t3 = DateTimeOffset.UtcNow;
        var again = await PredictAsync("monitored", early.Where((_, i) => i % 3 == 1));
        var contradicted = again.Select(id => new { predictionId = id, label = "snow" }).ToList();
        Assert.True((await server.Http.PostAsJsonAsync("/api/projects/monitored/feedback", contradicted)).IsSuccessStatusCode);
        var breach = await RunWindowAsync("monitored", t3, DateTimeOffset.UtcNow);
        Assert.DoesNotContain(Drifted(breach), f => f.Value && f.Key != "date");
        Assert.Contains(breach.GetProperty("kpiBreaches").EnumerateArray(), k => k.GetString()!.StartsWith("microAccuracy ", StringComparison.Ordinal));
        Assert.True(breach.GetProperty("alert").GetBoolean());
        Assert.Contains("KPI breach", breach.GetProperty("alertReason").GetString());
    }

    [Fact]
    public async Task Monitoring_DriftOnRestrictedDataset_EmailNamesNoColumnAndHistogramsOnlyForItsReaders()
    {
        const string project = "monitored-restricted";
        const string watcher = "restricted-watch@example.com";
        await server.PutProjectAsync(project, new
        {
            task = "multiclass", label = "weather", primaryMetric = "microAccuracy", approvers = new[] { Approver },
            candidates = new[] { new { trainer = "LbfgsMaximumEntropy", parameters = new Dictionary<string, double> { ["l2Regularization"] = 1 } } },
            monitoring = new { alertEmails = new[] { watcher } },
        });
        var restrict = await server.Http.PatchAsJsonAsync($"/api/projects/{project}/datasets/weather", new { restrictedTo = new[] { "group:weather-team" } });
        Assert.True(restrict.IsSuccessStatusCode, await restrict.Content.ReadAsStringAsync());
        var rows = Lines.Skip(1).ToList();
        var early = rows.Where(r => r.StartsWith("2012") || r.StartsWith("2013")).ToList();
        var summer = rows.Where(r => (r.StartsWith("2014") || r.StartsWith("2015")) && r[5..7] is "06" or "07" or "08").ToList();
        await server.UploadReadyAsync($"/api/projects/{project}/datasets/weather", Encoding.UTF8.GetBytes(string.Join('\n', early.Prepend(Lines[0])) + "\n"), "text/csv");
        var runId = await server.StartRunAsync(project);
        var (approvalId, token) = ServerFixture.ParseLink(await server.ApprovalLinkAsync(runId, Approver));
        Assert.True((await server.Http.PostAsJsonAsync($"/api/approvals/{approvalId}", new { token, decision = "approve" })).IsSuccessStatusCode);
        await server.WaitForRunAsync(runId, r => r.GetProperty("status").GetString() == "Completed");

        var start = DateTimeOffset.UtcNow;
        await PredictAsync(project, summer);
        var hot = await RunWindowAsync(project, start, DateTimeOffset.UtcNow);

        // The API's report names the columns to whoever may read the dataset (the admin here)…
        Assert.True(hot.GetProperty("alert").GetBoolean(), hot.ToString());
        Assert.Contains("temp_max", hot.GetProperty("alertReason").GetString());
        // …the email, which no access check guards, says how many drifted and where to look.
        var mail = Directory.GetFiles(server.Outbox, "*.eml").Select(f => MimeKit.MimeMessage.Load(f))
            .Single(m => (m.Subject ?? "").StartsWith($"[{project}] monitoring alert", StringComparison.Ordinal));
        Assert.Equal(watcher, mail.To.Mailboxes.Single().Address);
        var text = mail.Subject + "\n" + mail.TextBody;
        Assert.Matches(@"data drift on \d+ of \d+ features \(the dataset is restricted", text);
        foreach (var column in new[] { "temp_max", "temp_min", "precipitation" }) // ("wind" is in "window")
            Assert.DoesNotContain(column, text, StringComparison.Ordinal);

        // The histograms are row-derived: a member of the dataset's group sees them, a reader outside it sees no window at all.
        async Task<JsonElement> ViewAsync(string user, string group)
        {
            using var client = server.ClientFor(null);
            client.DefaultRequestHeaders.Authorization = new("Bearer", server.Token(user, [Orchestrator.Http.Security.Roles.Reader], [group]));
            var answer = await client.GetAsync($"/api/projects/{project}/monitoring?from={Uri.EscapeDataString(start.AddMinutes(-1).ToString("O"))}");
            var body = await answer.Content.ReadAsStringAsync();
            Assert.True(answer.IsSuccessStatusCode, body);
            return JsonDocument.Parse(body).RootElement;
        }
        var member = await ViewAsync("weather-reader@example.com", "weather-team");
        Assert.True(member.GetProperty("histograms").TryGetProperty("temp_max", out var bins), member.ToString());
        Assert.Equal(summer.Count, bins.GetProperty("bins").EnumerateArray().Sum(b => b.GetProperty("windowCount").GetInt64()));
        var outsider = await ViewAsync("other-reader@example.com", "other-team");
        Assert.Empty(outsider.GetProperty("histograms").EnumerateObject());
        Assert.Empty(outsider.GetProperty("windows").EnumerateArray());
        Assert.DoesNotContain("temp_max", outsider.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Predict_RowNotAnObject_400NamesTheRow()
    {
        await server.PutProjectAsync("monitored-rows", ServerFixture.WeatherProject);
        var response = await server.Http.PostAsJsonAsync("/api/projects/monitored-rows/predict", new { rows = new object?[] { Features(Lines[1]), 5 } });
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True(problem.GetProperty("errors").TryGetProperty("rows[1]", out _), problem.ToString());

        var empty = await server.Http.PostAsJsonAsync("/api/projects/monitored-rows/predict", new { rows = Array.Empty<object>() });
        var emptyProblem = JsonDocument.Parse(await empty.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("A non-empty array of rows is required.", emptyProblem.GetProperty("errors").GetProperty("rows")[0].GetString());
    }

    [Fact]
    public async Task GetMonitoring_FromNotADate_400NamesTheQueryParameter()
    {
        await server.PutProjectAsync("monitored-range", ServerFixture.WeatherProject);
        var response = await server.Http.GetAsync("/api/projects/monitored-range/monitoring?from=yesterday&to=2026-11-27T00:00:00Z");
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["from"], problem.GetProperty("errors").EnumerateObject().Select(e => e.Name).ToArray());
    }

    [Theory]
    [InlineData("from=2006-01-01T00:00:00Z&to=2026-01-01T00:00:00Z", "from")]
    [InlineData("from=2026-01-01T00:00:00Z&to=2025-01-01T00:00:00Z", "from")]
    public async Task GetMonitoring_WindowPastTheLimit_400NamesTheField(string query, string field)
    {
        await server.PutProjectAsync("monitored-window", ServerFixture.WeatherProject);
        var response = await server.Http.GetAsync($"/api/projects/monitored-window/monitoring?{query}");
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal([field], problem.GetProperty("errors").EnumerateObject().Select(e => e.Name).ToArray());
    }

    [Fact]
    public async Task RunMonitoring_WindowOfTwentyYears_400NamesWindowStart()
    {
        await server.PutProjectAsync("monitored-window-run", ServerFixture.WeatherProject);
        var now = DateTimeOffset.UtcNow;
        var response = await server.Http.PostAsJsonAsync("/api/projects/monitored-window-run/monitoring/run", new { windowStart = now.AddYears(-20), windowEnd = now });
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("92 days", problem.GetProperty("errors").GetProperty("windowStart")[0].GetString());
    }

    [Fact]
    public async Task Feedback_UnknownOrMalformed_400NamesTheItem()
    {
        await server.PutProjectAsync("monitored-feedback", ServerFixture.WeatherProject);
        var response = await server.Http.PostAsJsonAsync("/api/projects/monitored-feedback/feedback", new object[] { new { predictionId = "nope", label = "sun" }, new { label = "rain" } });
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True(problem.GetProperty("errors").TryGetProperty("[1].predictionId", out _), problem.ToString());

        var unknown = await server.Http.PostAsJsonAsync("/api/projects/monitored-feedback/feedback", new[] { new { predictionId = "nope", label = "sun" } });
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        var nothing = await server.Http.PostAsJsonAsync("/api/projects/monitored-feedback/monitoring/run", new { });
        Assert.Equal(HttpStatusCode.Conflict, nothing.StatusCode);
    }
}
