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
}
