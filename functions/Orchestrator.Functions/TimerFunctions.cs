using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Orchestrator.Http;

namespace Orchestrator.Functions;

/// <summary>
/// The retraining timer. The schedule is the app setting <c>Retraining__Schedule</c> (NCRONTAB with seconds, e.g.
/// <c>0 0 * * * *</c> hourly, the server's default); the %...% expression makes that setting required at run time.
/// </summary>
public sealed class TimerFunctions(RetrainingScheduler scheduler, ILogger<TimerFunctions> log)
{
    [Function("RetrainingTimer")]
    public async Task RetrainingTimer(
        [TimerTrigger("%Retraining:Schedule%")] TimerInfo timer, [DurableClient] DurableTaskClient client, CancellationToken ct)
    {
        foreach (var run in await scheduler.StartDueRunsAsync(client, DateTimeOffset.UtcNow, ct))
            log.LogInformation("Retraining run {RunId} started for {Project}", run.RunId, run.Project);
    }
}
