using Microsoft.DurableTask;
using Microsoft.Extensions.Options;
using Orchestrator.Workflows.Approvals;
using Orchestrator.Workflows.Lineage;
using Orchestrator.Workflows.Model;
using Orchestrator.Workflows.Storage;
using Orchestrator.Workflows.Training;
using Orchestrator.Workflows.Webhooks;

namespace Orchestrator.Workflows.Activities;

/// <summary>Snapshots the project for a run, validates that it can train on the dataset version, and records the run's lineage.</summary>
public sealed class StartRunActivity(ProjectStore projectStore, RunStore runStore, LineageStore lineage,
    IOptions<ApprovalOptions> approvals) : TaskActivity<LifecycleInput, RunContext>
{
    public override async Task<RunContext> RunAsync(TaskActivityContext context, LifecycleInput input)
    {
        var project = await projectStore.GetProjectAsync(input.Project)
            ?? throw new InvalidOperationException($"Project '{input.Project}' does not exist.");
        var run = await runStore.GetRunAsync(input.RunId);
        if (run is not null) await lineage.RecordAsync(LineageEdges.RunStarted(run)); // the data it trains on, the run it re-attempts
        var groups = approvals.Value;
        var approvers = groups.Resolve(project.Approvers)
            ?? throw new InvalidOperationException($"An approver group of project '{input.Project}' is not configured (Approvals:Groups).");
        var contacts = groups.Resolve(project.EscalationContacts)
            ?? throw new InvalidOperationException($"An escalation group of project '{input.Project}' is not configured (Approvals:Groups).");
        var policy = new ApprovalPolicy(approvers, Math.Clamp(project.Quorum, 1, Math.Max(1, approvers.Count)), project.RemindAfter,
            project.EscalateAfter, contacts, project.ApprovalTimeout, run?.RequestedBy);
        return new RunContext(project.Task, project.PrimaryMetric, project.Kpis, policy,
            project.ParallelTrials(), project.MinImprovement, project.FourEyes);
    }
}

/// <summary>
/// Merges a partial update into the run row (idempotent: the same update twice leaves the same row); a new stage or
/// status is published as <c>run.stage.changed</c> first, so a retry after the write has nothing left to announce.
/// </summary>
public sealed class UpdateRunActivity(RunStore runStore, WebhookPublisher webhooks, TimeProvider clock) : TaskActivity<RunUpdate, bool>
{
    public override async Task<bool> RunAsync(TaskActivityContext context, RunUpdate update)
    {
        var run = await runStore.GetRunAsync(update.RunId)
            ?? throw new InvalidOperationException($"Run '{update.RunId}' has no row.");
        var next = run with
        {
            Stage = update.Stage ?? run.Stage,
            Status = update.Status ?? run.Status,
            TrialsTotal = update.TrialsTotal ?? run.TrialsTotal,
            BestTrialId = update.BestTrialId ?? run.BestTrialId,
            ApprovalId = update.ApprovalId ?? run.ApprovalId,
            ModelVersion = update.ModelVersion ?? run.ModelVersion,
            Error = update.Error ?? run.Error,
            Champion = update.Champion ?? run.Champion,
            SweepNote = update.SweepNote ?? run.SweepNote,
            TrainingRows = update.TrainingRows ?? run.TrainingRows,
            UpdatedAt = clock.GetUtcNow(),
        };
        if (next.Stage != run.Stage || next.Status != run.Status)
            await webhooks.PublishAsync(WebhookEvent.RunStageChanged(run, next, next.UpdatedAt));
        await runStore.PutRunAsync(next);
        return true;
    }
}

/// <summary>
/// Turns the run's candidates (a rerun's override, the project's list, its search space, or the task's defaults) into
/// the first wave of trials with stable ids.
/// </summary>
public sealed class PlanTrialsActivity(ProjectStore projectStore, RunStore runStore) : TaskActivity<TrainingInput, TrainingPlan>
{
    public override async Task<TrainingPlan> RunAsync(TaskActivityContext context, TrainingInput input)
    {
        var project = await projectStore.GetProjectAsync(input.Project)
            ?? throw new InvalidOperationException($"Project '{input.Project}' does not exist.");
        var run = await runStore.GetRunAsync(input.RunId);
        // A rerun's overrides come first: its candidates, then its search space; then the project's.
        var listed = run?.Candidates is { Count: > 0 } overridden ? overridden
            : run?.SearchSpace is null && project.Candidates is { Count: > 0 } declared ? declared : null;
        var space = listed is null ? run?.SearchSpace ?? project.SearchSpace : null;
        var candidates = listed ?? (space is not null ? SearchStrategies.Candidates(space) : SearchSpace.Default(project.Task));
        if (space?.Strategy == SearchSpaceDefinition.Halving)
        {
            var rungs = SearchStrategies.Rungs(candidates.Count, space.Eta, space.MinBudget);
            return new TrainingPlan(space.Strategy, candidates.Select((c, i) => new TrialPlan($"t{i + 1:D3}", c, rungs[0].Budget)).ToList(),
                space.Eta, project.MaxFailedTrials, rungs.Sum(r => r.Count), project.TimeBudget, project.StopWhen, project.CrossValidationFolds);
        }
        // A Bayesian search plans its random start-up trials; the orchestrator asks for the other waves with the space.
        var bayesian = space?.Strategy == SearchSpaceDefinition.Bayesian;
        return new TrainingPlan(space?.Strategy ?? SearchSpaceDefinition.Grid, candidates.Select((c, i) => new TrialPlan($"t{i + 1:D3}", c)).ToList(),
            0, project.MaxFailedTrials, bayesian ? space!.MaxTrials : candidates.Count, project.TimeBudget, project.StopWhen, project.CrossValidationFolds,
            bayesian ? space : null);
    }
}
