using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Orchestrator.Http.Api;
using Orchestrator.Http.Application.Webhooks;
using Orchestrator.Workflows.Model;
using Orchestrator.Workflows.Storage;
using Orchestrator.Workflows.Webhooks;

namespace Orchestrator.Server.Tests;

/// <summary>
/// Signed webhooks through HTTP: a real listener subscribed to a project receives the lifecycle's events (dataset,
/// stages, approval, promotion, rollback, drift), each signed, once; a receiver that answers 500 ends as a dead letter.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class WebhookTests(ServerFixture server)
{
    private const string Approver = "hooks-sme@example.com";

    private async Task<JsonElement> SubscribeAsync(object body)
    {
        var response = await server.Http.PostAsJsonAsync("/api/webhooks", body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, text);
        return JsonDocument.Parse(text).RootElement;
    }

    private static JsonElement Envelope(ReceivedWebhook r) => JsonDocument.Parse(r.Body).RootElement;

    /// <summary>Signature valid for the secret, headers agree with the envelope, the envelope names the project.</summary>
    private static void AssertSigned(ReceivedWebhook r, string secret, string project)
    {
        Assert.True(WebhookSignature.Verify(secret, r.Signature, r.Body, DateTimeOffset.UtcNow, WebhookSignature.DefaultTolerance), $"bad signature on {r.Event}: {r.Signature}");
        var e = Envelope(r);
        Assert.Equal((r.Event, r.Delivery, project), (e.GetProperty("type").GetString(), e.GetProperty("id").GetString(), e.GetProperty("project").GetString()));
        Assert.True(e.TryGetProperty("occurredAt", out _) && e.GetProperty("data").ValueKind == JsonValueKind.Object, r.Body);
    }

    [Fact]
    public async Task Webhooks_LifecyclePromotionRollbackAndDrift_ListenerReceivesEachEventSignedOnce()
    {
        await using var listener = await WebhookListener.StartAsync();
        await server.PutProjectAsync("hooks", new
        {
            task = "multiclass", label = "weather", primaryMetric = "microAccuracy",
            kpis = new[] { new { metric = "microAccuracy", min = 0.5 } }, approvers = new[] { Approver },
            candidates = new[] { new { trainer = "LbfgsMaximumEntropy", parameters = new Dictionary<string, double> { ["l2Regularization"] = 1 } } },
        });
        const string secret = "whsec_hooks-test-secret-0123456789";
        var all = await SubscribeAsync(new { project = "hooks", url = $"{listener.BaseUrl}/all", secret });
        Assert.Equal((secret, ServerFixture.Tester), (all.GetProperty("secret").GetString(), all.GetProperty("createdBy").GetString()));
        var models = await SubscribeAsync(new { project = "hooks", url = $"{listener.BaseUrl}/models", events = new[] { "model.promoted", "model.rolledback" } });
        var modelsSecret = models.GetProperty("secret").GetString()!;
        Assert.StartsWith("whsec_", modelsSecret); // generated

        // Data engineering, then a run approved and deployed by the lifecycle.
        var rows = MonitoringTests.Lines.Skip(1).ToList();
        var early = rows.Where(r => r.StartsWith("2012") || r.StartsWith("2013")).ToList();
        var version = (await server.UploadReadyAsync("/api/projects/hooks/datasets/weather", Encoding.UTF8.GetBytes(string.Join('\n', early.Prepend(MonitoringTests.Lines[0])) + "\n"), "text/csv"))
            .GetProperty("version").GetInt32();
        var runId = await server.StartRunAsync("hooks");
        var (approvalId, token) = ServerFixture.ParseLink(await server.ApprovalLinkAsync(runId, Approver));
        Assert.True((await server.Http.PostAsJsonAsync($"/api/approvals/{approvalId}", new { token, decision = "approve" })).IsSuccessStatusCode);
        var run = await server.WaitForRunAsync(runId, r => r.GetProperty("status").GetString() == "Completed");
        var v1 = run.GetProperty("modelVersion").GetInt32();

        // A second version of the same model (registered directly), promoted through the API, then rolled back.
        var modelStore = new ModelStore(new TableServiceClient(server.Azurite.ConnectionString));
        var v2 = v1 + 1;
        await modelStore.PutModelVersionAsync((await modelStore.GetModelVersionAsync("hooks", v1))! with { Version = v2, Stage = ModelStage.Registered });
        var promoted = await server.Http.PostAsJsonAsync($"/api/projects/hooks/models/{v2}/promote", new { environment = "production", reason = "webhook test" });
        Assert.True(promoted.IsSuccessStatusCode, await promoted.Content.ReadAsStringAsync());
        var rolledBack = await server.Http.PostAsJsonAsync("/api/projects/hooks/models/rollback", new { environment = "production", reason = "back" });
        Assert.True(rolledBack.IsSuccessStatusCode, await rolledBack.Content.ReadAsStringAsync());

        // Summer days of later years served, then a monitoring window over them: drift.
        var summer = rows.Where(r => (r.StartsWith("2014") || r.StartsWith("2015")) && r[5..7] is "06" or "07" or "08").ToList();
        var start = DateTimeOffset.UtcNow;
        var predicted = await server.Http.PostAsJsonAsync("/api/projects/hooks/predict", new { rows = summer.Select(MonitoringTests.Features) });
        Assert.True(predicted.IsSuccessStatusCode, await predicted.Content.ReadAsStringAsync());
        var window = await server.Http.PostAsJsonAsync("/api/projects/hooks/monitoring/run", new { windowStart = start, windowEnd = DateTimeOffset.UtcNow });
        var report = JsonDocument.Parse(await window.Content.ReadAsStringAsync()).RootElement;
        Assert.True(report.GetProperty("drift").GetProperty("datasetDrift").GetBoolean(), report.ToString());

        string[] expected = [.. WebhookEventTypes.All];
        var received = await listener.WaitForAsync("/all", r => expected.All(t => r.Any(x => x.Event == t))
            && r.Any(x => x.Event == "run.stage.changed" && Envelope(x).GetProperty("data").GetProperty("status").GetString() == "Completed")
            && r.Count(x => x.Event == "model.promoted") == 2);
        foreach (var r in received) AssertSigned(r, secret, "hooks");
        Assert.Equal(received.Count, received.Select(r => r.Delivery).Distinct().Count()); // each event once
        JsonElement Data(string type, Func<JsonElement, bool>? where = null) =>
            received.Select(Envelope).Where(e => e.GetProperty("type").GetString() == type).Select(e => e.GetProperty("data")).First(d => where?.Invoke(d) ?? true);

        var dataset = Data("dataset.version.created");
        Assert.Equal(("weather", version, DatasetKind.Tabular), (dataset.GetProperty("dataset").GetString(), dataset.GetProperty("version").GetInt32(), dataset.GetProperty("kind").GetString()));
        Assert.Equal($"/api/projects/hooks/datasets/weather/versions/{version}", dataset.GetProperty("url").GetString());
        var stages = received.Where(r => r.Event == "run.stage.changed").Select(r => Envelope(r).GetProperty("data"))
            .Select(d => (d.GetProperty("runId").GetString(), d.GetProperty("stage").GetString(), d.GetProperty("status").GetString())).ToList();
        Assert.Contains((runId, "Approval", "AwaitingApproval"), stages);
        Assert.Contains((runId, "Done", "Completed"), stages);
        Assert.Equal((runId, approvalId), (Data("approval.requested").GetProperty("runId").GetString(), Data("approval.requested").GetProperty("approvalId").GetString()));
        var decided = Data("approval.decided");
        Assert.Equal((approvalId, "Approved", Approver), (decided.GetProperty("approvalId").GetString(), decided.GetProperty("status").GetString(), decided.GetProperty("decidedBy").GetString()));
        var toV2 = Data("model.promoted", d => d.GetProperty("version").GetInt32() == v2);
        Assert.Equal(("production", v1, ServerFixture.Tester), (toV2.GetProperty("environment").GetString(), toV2.GetProperty("fromVersion").GetInt32(), toV2.GetProperty("by").GetString()));
        var back = Data("model.rolledback");
        Assert.Equal((v2, v1), (back.GetProperty("fromVersion").GetInt32(), back.GetProperty("version").GetInt32()));
        var drift = Data("drift.detected");
        Assert.Equal(report.GetProperty("reportId").GetString(), drift.GetProperty("reportId").GetString());
        Assert.Contains("temp_max", drift.GetProperty("driftedFeatures").EnumerateArray().Select(f => f.GetString()));

        // The filtered subscription got exactly the model events, signed with its own generated secret.
        var modelEvents = await listener.WaitForAsync("/models", r => r.Count >= 3);
        Assert.Equal(["model.promoted", "model.promoted", "model.rolledback"], modelEvents.Select(r => r.Event!).Order());
        foreach (var r in modelEvents) AssertSigned(r, modelsSecret, "hooks");

        // The API: deliveries recorded as delivered on the first attempt; the list never shows secrets.
        var deliveries = await server.GetJsonAsync($"/api/webhooks/{all.GetProperty("id").GetString()}/deliveries");
        Assert.All(deliveries.GetProperty("deliveries").EnumerateArray(), d => Assert.Equal(("Delivered", 1, 200),
            (d.GetProperty("status").GetString(), d.GetProperty("attempts").GetInt32(), d.GetProperty("lastStatusCode").GetInt32())));
        Assert.Empty(deliveries.GetProperty("deadLetters").EnumerateArray());
        var list = await server.GetJsonAsync("/api/webhooks?project=hooks");
        Assert.Equal(2, list.GetProperty("webhooks").GetArrayLength());
        Assert.DoesNotContain("whsec_", list.ToString());
    }

    [Fact]
    public async Task Webhooks_ReceiverAnswers500_DeadLetterAfterTheConfiguredAttempts()
    {
        await using var listener = await WebhookListener.StartAsync();
        await server.PutProjectAsync("hooks-dead", ServerFixture.WeatherProject);
        var subscription = await SubscribeAsync(new { project = "hooks-dead", url = $"{listener.BaseUrl}/fail", events = new[] { "dataset.version.created" } });
        var id = subscription.GetProperty("id").GetString()!;
        var secret = subscription.GetProperty("secret").GetString()!;
        await server.UploadWeatherAsync("hooks-dead");

        JsonElement deadLetter = default;
        for (var deadline = DateTime.UtcNow.AddSeconds(60); DateTime.UtcNow < deadline; await Task.Delay(300))
        {
            var deliveries = await server.GetJsonAsync($"/api/webhooks/{id}/deliveries?status=DeadLettered");
            if (deliveries.GetProperty("deadLetters").EnumerateArray().FirstOrDefault() is { ValueKind: JsonValueKind.Object } found) { deadLetter = found; break; }
        }
        Assert.True(deadLetter.ValueKind == JsonValueKind.Object, "No dead letter within 60 s.");
        Assert.Equal(("dataset.version.created", 3, 500), (deadLetter.GetProperty("eventType").GetString(), deadLetter.GetProperty("attempts").GetInt32(), deadLetter.GetProperty("lastStatusCode").GetInt32()));
        Assert.Contains("500", deadLetter.GetProperty("lastError").GetString());
        Assert.NotEqual(JsonValueKind.Null, deadLetter.GetProperty("deadLetteredAt").ValueKind);
        Assert.Equal("hooks-dead", deadLetter.GetProperty("event").GetProperty("project").GetString());

        // The receiver saw three signed attempts of the same delivery.
        var attempts = listener.Received.Where(r => r.Path == "/fail").ToList();
        Assert.Equal(3, attempts.Count);
        Assert.Single(attempts.Select(r => r.Delivery).Distinct());
        Assert.All(attempts, r => AssertSigned(r, secret, "hooks-dead"));
    }

    [Fact]
    public async Task Webhooks_InvalidSubscriptions_ProblemNamesTheFieldAndDeleteDeactivates()
    {
        await server.PutProjectAsync("hooks-api", ServerFixture.WeatherProject);
        async Task<(HttpStatusCode Status, JsonElement Body)> Post(object body)
        {
            var response = await server.Http.PostAsJsonAsync("/api/webhooks", body);
            return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement);
        }
        var (relative, relativeBody) = await Post(new { project = "hooks-api", url = "/hooks" });
        Assert.Equal(HttpStatusCode.BadRequest, relative);
        Assert.True(relativeBody.GetProperty("errors").TryGetProperty("url", out _), relativeBody.ToString());
        var (ftp, ftpBody) = await Post(new { project = "hooks-api", url = "ftp://example.com/x" });
        Assert.Equal(HttpStatusCode.BadRequest, ftp);
        Assert.True(ftpBody.GetProperty("errors").TryGetProperty("url", out _));
        var (unknown, unknownBody) = await Post(new { project = "hooks-api", url = "https://example.com/x", events = new[] { "model.promoted", "model.exploded", "run.done" } });
        Assert.Equal(HttpStatusCode.BadRequest, unknown);
        var eventsError = unknownBody.GetProperty("errors").GetProperty("events")[0].GetString();
        Assert.Contains("model.exploded, run.done", eventsError);
        Assert.DoesNotContain("model.promoted,", eventsError!.Split("Known")[0]);
        var (weak, weakBody) = await Post(new { project = "hooks-api", url = "https://example.com/x", secret = "short" });
        Assert.Equal(HttpStatusCode.BadRequest, weak);
        Assert.True(weakBody.GetProperty("errors").TryGetProperty("secret", out _));
        var (badName, badNameBody) = await Post(new { project = "Not A Name", url = "https://example.com/x" });
        Assert.Equal(HttpStatusCode.BadRequest, badName);
        Assert.True(badNameBody.GetProperty("errors").TryGetProperty("project", out _));
        Assert.Equal(HttpStatusCode.NotFound, (await Post(new { project = "no-such-project", url = "https://example.com/x" })).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await server.Http.GetAsync("/api/webhooks?project=no-such-project")).StatusCode);

        var created = await SubscribeAsync(new { project = "hooks-api", url = "https://example.com/hooks" });
        var id = created.GetProperty("id").GetString()!;
        Assert.Equal("https://example.com/hooks", (await server.GetJsonAsync($"/api/webhooks/{id}")).GetProperty("url").GetString());
        Assert.Equal(HttpStatusCode.NoContent, (await server.Http.DeleteAsync($"/api/webhooks/{id}")).StatusCode);
        Assert.Empty((await server.GetJsonAsync("/api/webhooks?project=hooks-api")).GetProperty("webhooks").EnumerateArray());
        Assert.False((await server.GetJsonAsync("/api/webhooks?project=hooks-api&all=true")).GetProperty("webhooks")[0].GetProperty("active").GetBoolean());
        Assert.Equal(HttpStatusCode.NotFound, (await server.Http.DeleteAsync("/api/webhooks/wh-nope")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await server.Http.GetAsync("/api/webhooks/wh-nope/deliveries")).StatusCode);
    }

    [Fact]
    public async Task CreateAsync_HttpUrlWithoutAllowHttp_400HttpsOnly()
    {
        // The fixture allows http for its local listeners; by default only https is accepted.
        var tables = new TableServiceClient(server.Azurite.ConnectionString);
        var webhooks = new WebhookService(new ProjectStore(tables), new WebhookStore(tables), TimeProvider.System, Options.Create(new WebhookOptions()));
        var outcome = await webhooks.CreateAsync(new WebhookRequest("hooks-api", "http://127.0.0.1:9/hooks", null, null, null), access: null, CancellationToken.None);
        Assert.Equal(400, OutcomeResults.StatusOf(outcome.Kind));
        Assert.Contains("https", outcome.Failure!.Errors!["url"][0]);
    }

    [Theory]
    [InlineData("https://LOCALHOST.:9/hooks")]
    [InlineData("https://[::ffff:127.0.0.1]/hooks")]
    [InlineData("https://169.254.169.254/latest/meta-data")]
    [InlineData("https://[64:ff9b::a9fe:a9fe]/hooks")]
    public async Task CreateAsync_NonPublicTargetWithoutAllowPrivateNetworks_400NamesUrl(string url)
    {
        var tables = new TableServiceClient(server.Azurite.ConnectionString);
        var webhooks = new WebhookService(new ProjectStore(tables), new WebhookStore(tables), TimeProvider.System, Options.Create(new WebhookOptions()));
        var outcome = await webhooks.CreateAsync(new WebhookRequest("hooks-api", url, null, null, null), access: null, CancellationToken.None);
        Assert.Equal(400, OutcomeResults.StatusOf(outcome.Kind));
        Assert.Contains("non-public", outcome.Failure!.Errors!["url"][0]);
    }
}
