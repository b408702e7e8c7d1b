using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Orchestrator.Http;

namespace Orchestrator.Functions;

/// <summary>
/// The retraining timer. The schedule is the app setting <c>Retraining__Schedule</c> (NCRONTAB with seconds, e.g.
/// <c>0 0 * * * *</c> hourly, the server's default); the %...% expression makes that setting required at run time.
/// </summary>
public sealed class TimerFunctions(RetrainingScheduler scheduler, WebhookDispatcher webhooks, ILogger<TimerFunctions> log)
{
    [Function("RetrainingTimer")]
    public async Task RetrainingTimer(
        [TimerTrigger("%Retraining:Schedule%")] TimerInfo timer, [DurableClient] DurableTaskClient client, CancellationToken ct)
    {
        foreach (var run in await scheduler.StartDueRunsAsync(client, DateTimeOffset.UtcNow, ct))
            log.LogInformation("Retraining run {RunId} started for {Project}", run.RunId, run.Project);
    }

    /// <summary>
    /// Hands webhook events published by activities to their delivery orchestrations (routes that publish dispatch at
    /// once; activities have no client here, so their events leave within this period).
    /// </summary>
    [Function("WebhookDispatchTimer")]
    public async Task WebhookDispatchTimer([TimerTrigger(WebhookDispatchSchedule)] TimerInfo timer, [DurableClient] DurableTaskClient client, CancellationToken ct)
    {
        var started = await webhooks.DispatchAsync(client, ct);
        if (started > 0) log.LogInformation("{Count} webhook deliveries started", started);
    }

    /// <summary>Every 15 seconds (NCRONTAB with seconds): events published by activities wait at most this long; a route's own leave at once.</summary>
    public const string WebhookDispatchSchedule = "*/15 * * * * *";
}
