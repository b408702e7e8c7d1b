using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Orchestrator.Workflows.Model;
using Orchestrator.Workflows.Orchestrators;
using Orchestrator.Workflows.Storage;
using Orchestrator.Workflows.Training;

namespace Orchestrator.Http.Application.Runs;

/// <summary>Starts lifecycle runs (from the API and from the retraining timer): writes the run row, then schedules the orchestration.</summary>
public sealed class RunLauncher(RunStore runStore, TimeProvider clock)
{
    public async Task<RunInfo> StartAsync(DurableTaskClient client, string project, string dataset, int version, string trigger, string? requestedBy,
        RunInfo? previous = null, IReadOnlyList<CandidateSpec>? candidates = null, SearchSpaceDefinition? searchSpace = null, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        var runId = $"{project}-{now:yyyyMMdd-HHmmss}-{Guid.NewGuid().ToString("N")[..6]}";
        var run = new RunInfo(runId, project, dataset, version, RunStage.DataEngineering, RunStatus.Running, 0, null, null, null, null,
            requestedBy, trigger, now, now, previous?.RunId, (previous?.Attempt ?? 0) + 1, candidates, SearchSpace: searchSpace);
        await runStore.PutRunAsync(run, ct);
        await client.ScheduleNewOrchestrationInstanceAsync(nameof(LifecycleOrchestrator),
            new LifecycleInput(runId, project, dataset, version), new StartOrchestrationOptions { InstanceId = InstanceIds.Run(runId) }, ct);
        return run;
    }
}
