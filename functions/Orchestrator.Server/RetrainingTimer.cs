using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;
using NCrontab;
using Orchestrator.Http;

namespace Orchestrator.Server;

/// <summary>
/// The server's counterpart of the Functions timer trigger: on <c>Retraining:Schedule</c>, start due retraining runs —
/// on one server per tick (<see cref="TimerTickClaims"/>).
/// </summary>
public sealed class RetrainingTimer(IOptions<RetrainingOptions> options, RetrainingScheduler scheduler, DurableTaskClient client,
    TimerTickClaims ticks, TimeProvider clock, ILogger<RetrainingTimer> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var schedule = CrontabSchedule.Parse(options.Value.Schedule, new CrontabSchedule.ParseOptions { IncludingSeconds = true });
        while (!stoppingToken.IsCancellationRequested)
        {
            var next = schedule.GetNextOccurrence(clock.GetUtcNow().UtcDateTime);
            // Sleep in steps of at most a day: a yearly schedule would exceed what one timer can wait.
            for (var wait = next - clock.GetUtcNow().UtcDateTime; wait > TimeSpan.Zero; wait = next - clock.GetUtcNow().UtcDateTime)
                await Task.Delay(wait < TimeSpan.FromDays(1) ? wait : TimeSpan.FromDays(1), clock, stoppingToken);
            try
            {
                if (!await ticks.TryClaimAsync(nameof(RetrainingTimer), next, stoppingToken)) continue; // another server runs this tick
                foreach (var run in await scheduler.StartDueRunsAsync(client, clock.GetUtcNow(), stoppingToken))
                    log.LogInformation("Retraining run {RunId} started for {Project}", run.RunId, run.Project);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogError(e, "Retraining check failed; next attempt on schedule");
            }
        }
    }
}
