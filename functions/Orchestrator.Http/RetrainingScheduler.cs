using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using NCrontab;
using Orchestrator.Http.Application.Runs;
using Orchestrator.Workflows.Lineage;
using Orchestrator.Workflows.Model;
using Orchestrator.Workflows.Monitoring;
using Orchestrator.Workflows.Orchestrators;
using Orchestrator.Workflows.Storage;

namespace Orchestrator.Http;

/// <summary>
/// What the retraining timer does (both hosts), per project: start the run monitoring asked for (drift or a KPI
/// breach, with <c>monitoring.retrainOnDrift</c>); start a scheduled run when <c>retrainSchedule</c> has come due
/// since the last run and there is a newer ready dataset version (or <c>retrainWhen: always</c>); and make sure a
/// production model is watched by its monitoring orchestration; start a scheduled batch scoring when it is due
/// (<see cref="Application.Batches.BatchService.StartDueAsync"/>). Never a second run while one is active.
/// </summary>
public sealed class RetrainingScheduler(ProjectStore projectStore, DatasetStore datasetStore, RunStore runStore, DeploymentStore deploymentStore,
    RunLauncher launcher, MonitoringService monitoring, LineageStore lineage, Application.Batches.BatchService batches, ILogger<RetrainingScheduler> log)
{
    public static bool TryParseSchedule(string? expression, out CrontabSchedule? schedule)
    {
        schedule = expression is null ? null : CrontabSchedule.TryParse(expression, new CrontabSchedule.ParseOptions { IncludingSeconds = true });
        return schedule is not null;
    }

    public async Task<IReadOnlyList<RunInfo>> StartDueRunsAsync(DurableTaskClient client, DateTimeOffset now, CancellationToken ct = default)
    {
        var started = new List<RunInfo>();
        foreach (var project in await projectStore.ListProjectsAsync(ct))
        {
            await EnsureMonitoringAsync(client, project, ct);
            if (await batches.StartDueAsync(project, now, client, ct) is { Succeeded: false, Failure: { } refused })
                log.LogWarning("Scheduled batch scoring of {Project} not started: {Title}: {Detail}", project.Name, refused.Title, refused.Detail);
            var runs = await runStore.ListRunsAsync(project.Name, ct);
            if (runs.Any(r => !RunStatus.IsFinal(r.Status))) continue; // one run at a time per project
            var latest = (await datasetStore.ListProjectDatasetVersionsAsync(project.Name, ct))
                .Where(v => v.Status == DatasetStatus.Ready && v.Kind == DatasetKind.Tabular).MaxBy(v => v.CreatedAt);
            if (latest is null) continue;

            if (await monitoring.GetRetrainRequestAsync(project.Name, ct) is { } request)
            {
                var run = await launcher.StartAsync(client, project.Name, latest.Dataset, latest.Version, "drift", "monitoring", ct: ct);
                await lineage.RecordAsync(LineageEdges.Triggered(project.Name, request.ReportId, run), ct);
                started.Add(run);
                await monitoring.ClearRetrainRequestAsync(project.Name, ct);
                continue;
            }

            if (!TryParseSchedule(project.RetrainSchedule, out var schedule)) continue;
            if (project.RetrainWhen != RetrainCondition.Always && runs.Any(r => r.Dataset == latest.Dataset && r.DatasetVersion == latest.Version))
                continue; // no new data
            var since = runs.Count > 0 ? runs.Max(r => r.CreatedAt) : latest.CreatedAt;
            if (schedule!.GetNextOccurrence(since.UtcDateTime) > now.UtcDateTime) continue; // not due yet
            started.Add(await launcher.StartAsync(client, project.Name, latest.Dataset, latest.Version, "schedule", "retraining-timer", ct: ct));
        }
        return started;
    }

    /// <summary>Starts the project's monitoring orchestration when it has a production model, monitoring is on, and none is running.</summary>
    public async Task<bool> EnsureMonitoringAsync(DurableTaskClient client, ProjectDefinition project, CancellationToken ct = default)
    {
        if (project.Monitoring is { Enabled: false } || await deploymentStore.GetProductionVersionAsync(project.Name, ct) is null) return false;
        var instanceId = InstanceIds.Monitoring(project.Name);
        var existing = await client.GetInstanceAsync(instanceId, ct);
        if (existing?.RuntimeStatus is OrchestrationRuntimeStatus.Running or OrchestrationRuntimeStatus.Pending) return false;
        await client.ScheduleNewOrchestrationInstanceAsync(nameof(MonitoringOrchestrator), new MonitoringState(project.Name),
            new StartOrchestrationOptions { InstanceId = instanceId }, ct);
        return true;
    }
}
