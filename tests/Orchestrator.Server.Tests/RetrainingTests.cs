using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Orchestrator.Http;

namespace Orchestrator.Server.Tests;

/// <summary>What the retraining timer does, driven directly against the running server's services.</summary>
[Collection(ServerCollection.Name)]
public sealed class RetrainingTests(ServerFixture server)
{
    [Fact]
    public async Task StartDueRuns_ScheduledProjectWithNewData_StartsOneRunThenWaitsForNewData()
    {
        await server.PutProjectAsync("weather-retrain", new
        {
            task = "multiclass", label = "weather", primaryMetric = "microAccuracy",
            kpis = new[] { new { metric = "microAccuracy", min = 0.99 } }, // ends quickly, no approval needed
            approvers = new[] { "sme@example.com" }, retrainSchedule = "0 * * * * *",
        });
        await server.PutProjectAsync("weather-manual", new
        {
            task = "multiclass", label = "weather", primaryMetric = "microAccuracy", approvers = new[] { "sme@example.com" },
        });
        var version = await server.UploadWeatherAsync("weather-retrain");
        await server.UploadWeatherAsync("weather-manual");
        var scheduler = server.App.Services.GetRequiredService<RetrainingScheduler>();
        var client = server.App.Services.GetRequiredService<DurableTaskClient>();

        var started = await scheduler.StartDueRunsAsync(client, DateTimeOffset.UtcNow.AddMinutes(2));
        var run = Assert.Single(started, r => r.Project.StartsWith("weather-"));
        Assert.Equal(("weather-retrain", version, "schedule"), (run.Project, run.DatasetVersion!.Value, run.Trigger));

        var again = await scheduler.StartDueRunsAsync(client, DateTimeOffset.UtcNow.AddMinutes(4));
        Assert.DoesNotContain(again, r => r.Project is "weather-retrain" or "weather-manual");
        await server.WaitForRunAsync(run.RunId, r => r.GetProperty("status").GetString() != "Running");
    }

    [Fact]
    public async Task StartDueRuns_RetrainWhenAlways_StartsAgainOnTheSameDataOnlyAfterTheRunEnds()
    {
        await server.PutProjectAsync("retrain-always", new
        {
            task = "multiclass", label = "weather", primaryMetric = "microAccuracy",
            kpis = new[] { new { metric = "microAccuracy", min = 0.99 } }, // ends quickly, no approval needed
            approvers = new[] { "sme@example.com" }, retrainSchedule = "0 * * * * *", retrainWhen = "always",
            candidates = new[] { new { trainer = "LbfgsMaximumEntropy", parameters = new Dictionary<string, double> { ["l2Regularization"] = 1 } } },
        });
        var version = await server.UploadWeatherAsync("retrain-always");
        var scheduler = server.App.Services.GetRequiredService<RetrainingScheduler>();
        var client = server.App.Services.GetRequiredService<DurableTaskClient>();

        var first = Assert.Single(await scheduler.StartDueRunsAsync(client, DateTimeOffset.UtcNow.AddMinutes(2)), r => r.Project == "retrain-always");
        // One run at a time: while the first is active, nothing else starts however due.
        Assert.DoesNotContain(await scheduler.StartDueRunsAsync(client, DateTimeOffset.UtcNow.AddMinutes(4)), r => r.Project == "retrain-always");
        await server.WaitForRunAsync(first.RunId, r => r.GetProperty("status").GetString() != "Running");

        var second = Assert.Single(await scheduler.StartDueRunsAsync(client, DateTimeOffset.UtcNow.AddMinutes(6)), r => r.Project == "retrain-always");
        Assert.Equal((version, version, "schedule"), (first.DatasetVersion!.Value, second.DatasetVersion!.Value, second.Trigger));
        await server.WaitForRunAsync(second.RunId, r => r.GetProperty("status").GetString() != "Running");
    }
}
