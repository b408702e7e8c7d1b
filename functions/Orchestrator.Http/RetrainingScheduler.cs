using Microsoft.DurableTask.Client;
using NCrontab;
using Orchestrator.Workflows.Model;
using Orchestrator.Workflows.Storage;

namespace Orchestrator.Http;

/// <summary>
/// What the retraining timer does (both hosts): for each project with a <c>retrainSchedule</c> that has come due
/// since its last run, and whose newest ready dataset version has not been trained on yet, start a run.
/// </summary>
public sealed class RetrainingScheduler(MetadataStore metadata, RunLauncher launcher)
{
    public static bool TryParseSchedule(string? expression, out CrontabSchedule? schedule)
    {
        schedule = expression is null ? null : CrontabSchedule.TryParse(expression, new CrontabSchedule.ParseOptions { IncludingSeconds = true });
        return schedule is not null;
    }

    public async Task<IReadOnlyList<RunInfo>> StartDueRunsAsync(DurableTaskClient client, DateTimeOffset now, CancellationToken ct = default)
    {
        var started = new List<RunInfo>();
        foreach (var project in await metadata.ListProjectsAsync(ct))
        {
            if (!TryParseSchedule(project.RetrainSchedule, out var schedule)) continue;
            var latest = (await metadata.ListProjectDatasetVersionsAsync(project.Name, ct))
                .Where(v => v.Status == DatasetStatus.Ready).MaxBy(v => v.CreatedAt);
            if (latest is null) continue;
            var runs = await metadata.ListRunsAsync(project.Name, ct);
            if (runs.Any(r => r.Dataset == latest.Dataset && r.DatasetVersion == latest.Version)) continue; // no new data
            var since = runs.Count > 0 ? runs.Max(r => r.CreatedAt) : latest.CreatedAt;
            if (schedule!.GetNextOccurrence(since.UtcDateTime) > now.UtcDateTime) continue; // not due yet
            started.Add(await launcher.StartAsync(client, project.Name, latest.Dataset, latest.Version, "schedule", "retraining-timer", ct));
        }
        return started;
    }
}
