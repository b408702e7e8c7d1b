using System.Net.Http.Json;
using System.Text.Json;
using Azure.Data.Tables;
using Microsoft.AspNetCore.Builder;
using Orchestrator.Workflows.Model;
using Orchestrator.Workflows.Storage;

namespace Orchestrator.Server.Tests;

/// <summary>A sweep survives its server stopping mid-fan-out: another server on the same task hub finishes it, with exactly one row per trial.</summary>
[Collection(ServerCollection.Name)]
public sealed class WorkerRestartTests(ServerFixture server)
{
    private async Task<(WebApplication App, HttpClient Http)> StartAsync(string hub)
    {
        var url = $"http://127.0.0.1:{AzuriteFixture.FreePort()}";
        var app = ServerApp.Build([
            $"--AzureWebJobsStorage={server.Azurite.ConnectionString}", $"--Server:Urls={url}", $"--Approvals:PublicBaseUrl={url}",
            $"--Approvals:SigningKeys:0={Guid.NewGuid():N}", $"--Email:PickupDirectory={server.Outbox}", $"--extensions:durableTask:hubName={hub}",
            "--Server:WorkItemVisibilityTimeout=00:00:10",
            "--Server:ControlQueueVisibilityTimeout=00:00:10",
            "--Retraining:Schedule=0 0 0 1 1 *",
            // Like the shared test server: the sweep's project names an approver without granting the role.
            "--Approvals:AllowUngrantedApprovers=true",
            "--Auth:Development:Enabled=true", $"--Auth:Development:Key={server.Issuer.Key}",
        ]);
        await ServerApp.StartAsync(app);
        var http = new HttpClient { BaseAddress = new Uri(url) };
        http.DefaultRequestHeaders.Authorization = new("Bearer", server.Token(ServerFixture.Tester, [Orchestrator.Http.Security.Roles.Admin]));
        return (app, http);
    }

    private static async Task<JsonElement> RunAsync(HttpClient http, string runId) =>
        JsonDocument.Parse(await http.GetStringAsync($"/api/runs/{runId}")).RootElement;

    [Fact]
    public async Task Sweep_ServerStopsMidFanOut_AnotherServerFinishesWithOneRowPerTrial()
    {
        const int trials = 10;
        var hub = "RestartHub" + Guid.NewGuid().ToString("N")[..6];
        var (first, http) = await StartAsync(hub);
        string runId;
        try
        {
            (await http.PutAsJsonAsync("/api/projects/ds-restart", new
            {
                task = "multiclass", label = "weather", primaryMetric = "microAccuracy", approvers = new[] { "sme@example.com" }, maxParallelTrials = 1,
                candidates = Enumerable.Range(1, trials).Select(i => new { trainer = "LightGbm", parameters = new Dictionary<string, double> { ["numberOfLeaves"] = 4 + i, ["numberOfIterations"] = 150 } }),
            })).EnsureSuccessStatusCode();
            using (var csv = new StreamContent(File.OpenRead(ServerFixture.SeattleWeatherCsv)))
            {
                csv.Headers.ContentType = new("text/csv");
                (await http.PostAsync("/api/projects/ds-restart/datasets/weather", csv)).EnsureSuccessStatusCode();
            }
            var start = await http.PostAsJsonAsync("/api/projects/ds-restart/runs", new { dataset = "weather" });
            runId = JsonDocument.Parse(await start.Content.ReadAsStringAsync()).RootElement.GetProperty("runId").GetString()!;
            var deadline = DateTime.UtcNow.AddSeconds(90);
            while ((await RunAsync(http, runId)).GetProperty("progress").GetProperty("trialsCompleted").GetInt32() < 3)
            {
                Assert.True(DateTime.UtcNow < deadline, "The sweep did not get going.");
                await Task.Delay(100);
            }
        }
        finally
        {
            await first.StopAsync();
            await first.DisposeAsync();
            http.Dispose();
        }

        var completedBefore = (await new TrialStore(new TableServiceClient(server.Azurite.ConnectionString)).ListTrialsAsync(runId)).Count;
        Assert.InRange(completedBefore, 3, trials - 1);

        var (second, http2) = await StartAsync(hub);
        try
        {
            var deadline = DateTime.UtcNow.AddMinutes(3);
            JsonElement run;
            while ((run = await RunAsync(http2, runId)).GetProperty("status").GetString() == "Running")
            {
                Assert.True(DateTime.UtcNow < deadline, $"The sweep did not resume: {run}");
                await Task.Delay(500);
            }
            Assert.Equal("AwaitingApproval", run.GetProperty("status").GetString());
            var rows = await new TrialStore(new TableServiceClient(server.Azurite.ConnectionString)).ListTrialsAsync(runId);
            Assert.Equal(trials, rows.Count);
            Assert.Equal(Enumerable.Range(1, trials).Select(i => $"t{i:D3}"), rows.Select(r => r.TrialId).Order());
            Assert.All(rows, r => Assert.Equal(TrialStatus.Succeeded, r.Status));
        }
        finally
        {
            await second.StopAsync();
            await second.DisposeAsync();
            http2.Dispose();
        }
    }
}
