using Microsoft.DurableTask;
using Orchestrator.Workflows.Activities;
using Orchestrator.Workflows.Model;
using Orchestrator.Workflows.Registry;

namespace Orchestrator.Workflows.Orchestrators;

/// <summary>
/// The ML lifecycle of one run: data engineering → data science (KPI gate) → SME approval → deployment.
/// Each stage is a sub-orchestration or activity; the run row in Table storage follows every transition.
/// The instance id is the run id.
/// </summary>
public sealed class LifecycleOrchestrator : TaskOrchestrator<LifecycleInput, LifecycleResult>
{
    public override async Task<LifecycleResult> RunAsync(TaskOrchestrationContext context, LifecycleInput input)
    {
        try
        {
            var run = await context.CallActivityAsync<RunContext>(nameof(StartRunActivity), input, RetryPolicies.Storage);

            // 1. Data engineering
            var ingestion = await IngestOnceAsync(context, new IngestionInput(input.Project, input.Dataset, input.DatasetVersion));
            if (!ingestion.Succeeded)
                return await EndAsync(context, input, RunStatus.Failed, $"Data engineering failed: {ingestion.Error}");

            // 2. Data science
            await UpdateAsync(context, new RunUpdate(input.RunId, Stage: RunStage.DataScience));
            var training = await context.CallSubOrchestratorAsync<TrainingOutcome>(nameof(TrainingOrchestrator),
                new TrainingInput(input.RunId, input.Project, input.Dataset, input.DatasetVersion, run), new SubOrchestrationOptions { InstanceId = InstanceIds.Training(input.RunId) });
            await UpdateAsync(context, new RunUpdate(input.RunId, BestTrialId: training.BestTrialId, TrainingRows: training.TrainingRows));
            if (training.BestTrialId is null)
                return await EndAsync(context, input, RunStatus.Failed, training.Reason);
            if (!training.PassedKpis)
                return await EndAsync(context, input, RunStatus.Rejected, training.Reason);
            if (run.MinImprovement is { } minImprovement)
            {
                var comparison = await context.CallActivityAsync<ChampionComparison?>(nameof(CompareWithChampionActivity),
                    new CompareInput(input.RunId, input.Project, input.Dataset, input.DatasetVersion, training.BestTrialId, run.PrimaryMetric, minImprovement), RetryPolicies.Storage);
                if (comparison is not null)
                {
                    await UpdateAsync(context, new RunUpdate(input.RunId, Champion: comparison));
                    if (!comparison.Better)
                        return await EndAsync(context, input, RunStatus.NotBetter,
                            $"The challenger ({comparison.Metric} {comparison.Challenger}) does not beat production v{comparison.ChampionVersion} ({comparison.Champion}) by {comparison.MinImprovement} on the same test set.");
                }
            }

            await context.CallActivityAsync<bool>(nameof(BuildModelCardActivity), new ModelCardInput(input.RunId, training.BestTrialId), RetryPolicies.Storage);

            // 3. SME approval
            var approval = await context.CallSubOrchestratorAsync<ApprovalOutcome>(nameof(ApprovalOrchestrator),
                new ApprovalInput(input.RunId, input.Project, training.BestTrialId, run),
                new SubOrchestrationOptions { InstanceId = InstanceIds.Approval(input.RunId) });
            if (approval.Status == ApprovalOutcomeStatus.TimedOut)
                return await EndAsync(context, input, RunStatus.TimedOut, $"No approval decision within {run.Approval.ExpireAfter}.");
            if (approval.Status == ApprovalOutcomeStatus.Cancelled)
                return await EndAsync(context, input, RunStatus.Cancelled, $"Cancelled by {approval.DecidedBy}{(string.IsNullOrWhiteSpace(approval.Comment) ? "" : ": " + approval.Comment)}");
            if (approval.Status != ApprovalOutcomeStatus.Approved)
                return await EndAsync(context, input, RunStatus.Rejected,
                    $"Rejected by {approval.DecidedBy} (reason: {approval.Reason ?? "other"}): {(string.IsNullOrWhiteSpace(approval.Comment) ? "no comment" : approval.Comment)}");

            // 4. Deployment
            await UpdateAsync(context, new RunUpdate(input.RunId, Stage: RunStage.Deployment, Status: RunStatus.Running));
            var approvedBy = string.Join(", ", approval.ApprovedBy is { Count: > 0 } all ? all : [approval.DecidedBy ?? ""]);
            var version = await context.CallActivityAsync<int>(nameof(RegisterModelActivity),
                new DeployInput(input.RunId, input.Project, input.Dataset, input.DatasetVersion, training.BestTrialId, approvedBy), RetryPolicies.Storage);
            await UpdateAsync(context, new RunUpdate(input.RunId, ModelVersion: version));
            // Four eyes: the approvers' decision alone does not reach production; someone else promotes from staging.
            var environment = FourEyes.EnvironmentForApproved(run.FourEyes);
            var promotion = await context.CallSubOrchestratorAsync<PromotionResult>(nameof(PromotionOrchestrator),
                new PromotionInput(input.Project, version, environment, approvedBy, $"approved in run {input.RunId}", input.RunId),
                new SubOrchestrationOptions { InstanceId = InstanceIds.RunPromotion(input.RunId) });
            if (!promotion.Succeeded)
                return await EndAsync(context, input, RunStatus.Failed, $"Model version {version} was registered but not deployed: {promotion.Error}");
            await UpdateAsync(context, new RunUpdate(input.RunId, Stage: RunStage.Done, Status: RunStatus.Completed, ModelVersion: version));
            return new LifecycleResult(RunStatus.Completed, null, version);
        }
        catch (TaskFailedException e)
        {
            // An activity or stage failed after its retries: the run explains itself instead of hanging in Running.
            var reason = e.FailureDetails.ErrorMessage;
            return await EndAsync(context, input, RunStatus.Failed, $"{e.TaskName} failed: {reason}");
        }
    }

    /// <summary>How long a run waits for another caller's ingestion of its version before it fails.</summary>
    public static readonly TimeSpan IngestionWait = TimeSpan.FromHours(2);

    /// <summary>The first wait between two looks at a version being ingested by another caller; it doubles up to <see cref="MaxIngestionPoll"/>.</summary>
    public static readonly TimeSpan FirstIngestionPoll = TimeSpan.FromSeconds(1);

    public static readonly TimeSpan MaxIngestionPoll = TimeSpan.FromSeconds(30);

    /// <summary>
    /// One curation per version, whoever asks first: a decided version is used as it is; a Pending one is curated here
    /// (under the version's own instance id) when this run claims it, or else waited for (durable timers) while the
    /// ingestion its upload started runs.
    /// </summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "DURABLE0011:Unbounded loop without ContinueAsNew", Justification = "Bounded: it gives up at the ingestion deadline, polling with doubling timers (a handful of turns).")]
    private static async Task<IngestionOutput> IngestOnceAsync(TaskOrchestrationContext context, IngestionInput version)
    {
        var deadline = context.CurrentUtcDateTime + IngestionWait;
        var poll = FirstIngestionPoll;
        while (true)
        {
            var claim = await context.CallActivityAsync<IngestionClaim>(nameof(ClaimIngestionActivity), version, RetryPolicies.Storage);
            if (claim.Done is { } done) return done;
            if (claim.Claimed)
                return await context.CallSubOrchestratorAsync<IngestionOutput>(nameof(IngestionOrchestrator), version,
                    new SubOrchestrationOptions { InstanceId = InstanceIds.DatasetIngestion(version) });
            if (context.CurrentUtcDateTime >= deadline)
                return new IngestionOutput(false, $"Version {version.Version} of {version.Project}/{version.Dataset} was still being ingested after {IngestionWait}.", 0, 0, 0);
            await context.CreateTimer(context.CurrentUtcDateTime + poll, CancellationToken.None);
            poll = TimeSpan.FromTicks(Math.Min(poll.Ticks * 2, MaxIngestionPoll.Ticks));
        }
    }

    private static Task<bool> UpdateAsync(TaskOrchestrationContext context, RunUpdate update) =>
        context.CallActivityAsync<bool>(nameof(UpdateRunActivity), update, RetryPolicies.Storage);

    private static async Task<LifecycleResult> EndAsync(TaskOrchestrationContext context, LifecycleInput input, RunStatus status, string? error)
    {
        await UpdateAsync(context, new RunUpdate(input.RunId, Stage: RunStage.Done, Status: status, Error: error));
        return new LifecycleResult(status, error, null);
    }
}
