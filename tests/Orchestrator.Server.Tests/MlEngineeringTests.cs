using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Storage.Blobs;
using Microsoft.Extensions.DependencyInjection;
using Orchestrator.Workflows.Model;
using Orchestrator.Workflows.Registry;

namespace Orchestrator.Server.Tests;

/// <summary>ML engineering through HTTP: environments, smoke-tested promotion, rollback, serving while models swap.</summary>
[Collection(ServerCollection.Name)]
public sealed class MlEngineeringTests(ServerFixture server)
{
    private const string Approver = "mlops-sme@example.com";

    private static object Project => ServerFixture.QuickWeatherProject(Approver);

    private static readonly object Row = new { date = "2015-07-01", precipitation = 0, temp_max = 27.2, temp_min = 14.4, wind = 2.9 };

    /// <summary>Runs the lifecycle once and approves it: returns the model version it deployed to production.</summary>
    private async Task<int> DeployOnceAsync(string project)
    {
        var run = await server.DecideAndWaitAsync(await server.StartRunAsync(project), Approver, "approve");
        Assert.True(run.GetProperty("status").GetString() == "Completed", run.ToString());
        return run.GetProperty("modelVersion").GetInt32();
    }

    private async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(string path, object body)
    {
        var response = await server.Http.PostAsJsonAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JsonDocument.Parse(text).RootElement);
    }

    [Fact]
    public async Task Promotion_SmokeTestRollbackAndStaging_ProductionOnlyChangesWhenTheModelAnswersAsAtTraining()
    {
        await server.PutProjectAsync("mlops", Project);
        await server.UploadWeatherAsync("mlops");
        var v1 = await DeployOnceAsync("mlops");
        var v2 = await DeployOnceAsync("mlops");
        var models = await server.GetJsonAsync("/api/projects/mlops/models");
        Assert.Equal(v2, models.GetProperty("environments").GetProperty("production").GetProperty("version").GetInt32());
        Assert.Equal([v1], models.GetProperty("environments").GetProperty("production").GetProperty("previous").EnumerateArray().Select(v => v.GetInt32()));

        // Tamper with what v1 answered at training: the smoke test must catch it, and production must not move.
        var v1Info = models.GetProperty("versions").EnumerateArray().Single(v => v.GetProperty("version").GetInt32() == v1);
        var modelBlob = v1Info.GetProperty("modelBlob").GetString()!;
        var sample = new BlobServiceClient(server.Azurite.ConnectionString).GetBlobContainerClient("models").GetBlobClient(modelBlob[..(modelBlob.LastIndexOf('/') + 1)] + "smoke.json");
        var recorded = JsonNode.Parse((await sample.DownloadContentAsync()).Value.Content.ToString())!;
        foreach (var prediction in recorded["predictions"]!.AsArray()) prediction!["value"] = prediction["value"]!.GetValue<string>() == "sun" ? "rain" : "sun";
        await sample.UploadAsync(new BinaryData(Encoding.UTF8.GetBytes(recorded.ToJsonString())), overwrite: true);

        var (status, failed) = await PostAsync($"/api/projects/mlops/models/{v1}/promote", new { environment = "production", reason = "back to v1" });
        Assert.True(status == HttpStatusCode.UnprocessableEntity, failed.ToString());
        Assert.Contains("predictions differ from those recorded at training", failed.GetProperty("detail").GetString());
        models = await server.GetJsonAsync("/api/projects/mlops/models");
        Assert.Equal(v2, models.GetProperty("production").GetInt32());
        var attempt = models.GetProperty("history").EnumerateArray().Last();
        Assert.Equal(("SmokeTestFailed", ServerFixture.Tester, v1), (attempt.GetProperty("outcome").GetString(), attempt.GetProperty("by").GetString(), attempt.GetProperty("toVersion").GetInt32()));

        // Rollback needs no smoke test: the previous version served production before.
        var (rolled, rollback) = await PostAsync("/api/projects/mlops/models/rollback", new { environment = "production", reason = "v2 misbehaves" });
        Assert.True(rolled == HttpStatusCode.OK, rollback.ToString());
        Assert.Equal((v2, v1, "rollback"), (rollback.GetProperty("change").GetProperty("fromVersion").GetInt32(), rollback.GetProperty("change").GetProperty("toVersion").GetInt32(), rollback.GetProperty("change").GetProperty("action").GetString()));
        var predicted = await PostAsync("/api/projects/mlops/predict", new { rows = new[] { Row } });
        Assert.Equal(v1, predicted.Body.GetProperty("modelVersion").GetInt32());
        // The rollback's activity retried after a crash (same request id) finds its change: nothing rolls back twice.
        var requestId = rollback.GetProperty("change").GetProperty("requestId").GetString()!;
        var retried = await server.App.Services.GetRequiredService<ModelRegistry>().RollbackAsync(new RollbackInput("mlops", "production", ServerFixture.Tester, "v2 misbehaves", requestId));
        Assert.Equal((v2, v1), (retried!.FromVersion, retried.ToVersion));
        var history = (await server.GetJsonAsync("/api/projects/mlops/models")).GetProperty("history").EnumerateArray();
        Assert.Single(history, c => c.GetProperty("requestId").GetString() == requestId);
        var (none, _) = await PostAsync("/api/projects/mlops/models/rollback", new { environment = "production" });
        Assert.Equal(HttpStatusCode.Conflict, none);

        var (staged, staging) = await PostAsync($"/api/projects/mlops/models/{v2}/promote", new { environment = "staging", reason = "try again in staging" });
        Assert.True(staged == HttpStatusCode.OK, staging.ToString());
        Assert.True(staging.GetProperty("smokeTest").GetProperty("passed").GetBoolean());
        models = await server.GetJsonAsync("/api/projects/mlops/models");
        Assert.Equal((v1, v2), (models.GetProperty("aliases").GetProperty("champion").GetInt32(), models.GetProperty("aliases").GetProperty("challenger").GetInt32()));
        var stages = models.GetProperty("versions").EnumerateArray().ToDictionary(v => v.GetProperty("version").GetInt32(), v => v.GetProperty("stage").GetString());
        Assert.Equal(("production", "staging"), (stages[v1], stages[v2]));
        Assert.All(models.GetProperty("history").EnumerateArray(), c => Assert.False(string.IsNullOrEmpty(c.GetProperty("at").GetString())));

        var (badEnvironment, problem) = await PostAsync($"/api/projects/mlops/models/{v2}/promote", new { environment = "prod" });
        Assert.Equal(HttpStatusCode.BadRequest, badEnvironment);
        Assert.True(problem.GetProperty("errors").TryGetProperty("environment", out _));
        var (missing, _) = await PostAsync("/api/projects/mlops/models/99/promote", new { environment = "production" });
        Assert.Equal(HttpStatusCode.NotFound, missing);
    }

    [Fact]
    public async Task Serving_ProductionSwapsUnderConcurrentRequests_NoRequestFails()
    {
        await server.PutProjectAsync("mlops-swap", Project);
        await server.UploadWeatherAsync("mlops-swap");
        var v1 = await DeployOnceAsync("mlops-swap");
        var v2 = await DeployOnceAsync("mlops-swap");
        Assert.Equal(HttpStatusCode.OK, (await PostAsync("/api/projects/mlops-swap/models/rollback", new { environment = "production" })).Status);

        using var stop = new CancellationTokenSource();
        var failures = new List<string>();
        var versionsSeen = new HashSet<int>();
        var clients = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var response = await server.Http.PostAsJsonAsync("/api/projects/mlops-swap/predict", new { rows = new[] { Row } });
                var text = await response.Content.ReadAsStringAsync();
                lock (failures)
                {
                    if (!response.IsSuccessStatusCode) failures.Add($"{(int)response.StatusCode}: {text}");
                    else versionsSeen.Add(JsonDocument.Parse(text).RootElement.GetProperty("modelVersion").GetInt32());
                }
            }
        })).ToList();
        await Task.Delay(500);
        var (promoted, body) = await PostAsync($"/api/projects/mlops-swap/models/{v2}/promote", new { environment = "production", reason = "swap under load" });
        Assert.True(promoted == HttpStatusCode.OK, body.ToString());
        await Task.Delay(1000);
        var (rolledBack, _) = await PostAsync("/api/projects/mlops-swap/models/rollback", new { environment = "production" });
        Assert.Equal(HttpStatusCode.OK, rolledBack);
        await Task.Delay(500);
        stop.Cancel();
        await Task.WhenAll(clients);

        Assert.Empty(failures);
        Assert.Equal([v1, v2], versionsSeen.Order());
    }
}
