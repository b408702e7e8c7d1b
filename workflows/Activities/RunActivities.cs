using Microsoft.DurableTask;
using Microsoft.Extensions.Options;
using Orchestrator.Workflows.Approvals;
using Orchestrator.Workflows.Model;
using Orchestrator.Workflows.Storage;
using Orchestrator.Workflows.Training;

namespace Orchestrator.Workflows.Activities;

/// <summary>Snapshots the project for a run and validates that it can train on the dataset version.</summary>
public sealed class StartRunActivity(MetadataStore metadata, IOptions<ApprovalOptions> approvals) : TaskActivity<LifecycleInput, RunContext>
{
    /// <summary>Upper bound of concurrently running trials, whatever the machine.</summary>
    public const int DefaultMaxParallelTrials = 4;

    public override async Task<RunContext> RunAsync(TaskActivityContext context, LifecycleInput input)
    {
        var project = await metadata.GetProjectAsync(input.Project)
            ?? throw new InvalidOperationException($"Project '{input.Project}' does not exist.");
        var run = await metadata.GetRunAsync(input.RunId);
        var groups = approvals.Value;
        var approvers = groups.Resolve(project.Approvers)
            ?? throw new InvalidOperationException($"An approver group of project '{input.Project}' is not configured (Approvals:Groups).");
        var contacts = groups.Resolve(project.EscalationContacts)
            ?? throw new InvalidOperationException($"An escalation group of project '{input.Project}' is not configured (Approvals:Groups).");
        var policy = new ApprovalPolicy(approvers, Math.Clamp(project.Quorum, 1, Math.Max(1, approvers.Count)), project.RemindAfter,
            project.EscalateAfter, contacts, project.ApprovalTimeout, run?.RequestedBy);
        return new RunContext(project.Task, project.PrimaryMetric, project.Kpis, policy, Math.Clamp(Environment.ProcessorCount, 1, DefaultMaxParallelTrials));
    }
}

/// <summary>Merges a partial update into the run row (idempotent: the same update twice leaves the same row).</summary>
public sealed class UpdateRunActivity(MetadataStore metadata, TimeProvider clock) : TaskActivity<RunUpdate, bool>
{
    public override async Task<bool> RunAsync(TaskActivityContext context, RunUpdate update)
    {
        var run = await metadata.GetRunAsync(update.RunId)
            ?? throw new InvalidOperationException($"Run '{update.RunId}' has no row.");
        await metadata.PutRunAsync(run with
        {
            Stage = update.Stage ?? run.Stage,
            Status = update.Status ?? run.Status,
            TrialsTotal = update.TrialsTotal ?? run.TrialsTotal,
            BestTrialId = update.BestTrialId ?? run.BestTrialId,
            ApprovalId = update.ApprovalId ?? run.ApprovalId,
            ModelVersion = update.ModelVersion ?? run.ModelVersion,
            Error = update.Error ?? run.Error,
            UpdatedAt = clock.GetUtcNow(),
        });
        return true;
    }
}

/// <summary>Turns the project's search space into trials with stable ids.</summary>
public sealed class PlanTrialsActivity(MetadataStore metadata) : TaskActivity<TrainingInput, List<TrialPlan>>
{
    public override async Task<List<TrialPlan>> RunAsync(TaskActivityContext context, TrainingInput input)
    {
        var project = await metadata.GetProjectAsync(input.Project)
            ?? throw new InvalidOperationException($"Project '{input.Project}' does not exist.");
        var run = await metadata.GetRunAsync(input.RunId);
        var candidates = run?.Candidates is { Count: > 0 } overridden ? overridden
            : project.Candidates is { Count: > 0 } declared ? declared : SearchSpace.Default(project.Task);
        return candidates.Select((c, i) => new TrialPlan($"t{i + 1:D3}", c)).ToList();
    }
}
