using Microsoft.DurableTask;
using Orchestrator.Workflows.Approvals;
using Orchestrator.Workflows.DataLake;
using Orchestrator.Workflows.Model;
using Orchestrator.Workflows.Monitoring;
using Orchestrator.Workflows.Registry;
using Orchestrator.Workflows.Storage;
using Orchestrator.Workflows.Training;

namespace Orchestrator.Workflows.Activities;

/// <summary>A version's outcome when decided; otherwise claims its ingestion for the caller unless another one holds it (one curation per version).</summary>
public sealed class ClaimIngestionActivity(DatasetIngestion ingestion) : TaskActivity<IngestionInput, IngestionClaim>
{
    public override Task<IngestionClaim> RunAsync(TaskActivityContext context, IngestionInput input) => ingestion.ClaimAsync(input);
}

/// <summary>First pass over a raw dataset version: columns, types, duplicates, chunks (or the version is already decided).</summary>
public sealed class PlanIngestionActivity(DatasetIngestion ingestion) : TaskActivity<IngestionInput, IngestionPlanResult>
{
    public override Task<IngestionPlanResult> RunAsync(TaskActivityContext context, IngestionInput input) => ingestion.PlanAsync(input);
}

/// <summary>Curates one chunk of a dataset version: curated Parquet part, quarantine part, statistics.</summary>
public sealed class CurateChunkActivity(DatasetIngestion ingestion) : TaskActivity<ChunkInput, ChunkOutput>
{
    public override Task<ChunkOutput> RunAsync(TaskActivityContext context, ChunkInput input) => ingestion.CurateChunkAsync(input);
}

/// <summary>Merges the chunks of a version, applies the dataset rules, publishes it (Ready) or fails it with the reason.</summary>
public sealed class FinishIngestionActivity(DatasetIngestion ingestion) : TaskActivity<FinishIngestionInput, IngestionOutput>
{
    public override Task<IngestionOutput> RunAsync(TaskActivityContext context, FinishIngestionInput input) => ingestion.FinishAsync(input);
}

/// <summary>Trains and evaluates one candidate; records the trial.</summary>
public sealed class TrainCandidateActivity(TrialRunner runner) : TaskActivity<TrialInput, TrialResult>
{
    public override Task<TrialResult> RunAsync(TaskActivityContext context, TrialInput input) => runner.RunAsync(input);
}

/// <summary>Trains and evaluates one cross-validation fold of a trial.</summary>
public sealed class TrainFoldActivity(FoldRunner runner) : TaskActivity<FoldInput, IReadOnlyDictionary<string, double>>
{
    public override Task<IReadOnlyDictionary<string, double>> RunAsync(TaskActivityContext context, FoldInput input) => runner.RunAsync(input);
}

/// <summary>Evaluates the production model on the run's test set against the best candidate (null when none is in production).</summary>
public sealed class CompareWithChampionActivity(ChampionEvaluator evaluator) : TaskActivity<CompareInput, ChampionComparison?>
{
    public override Task<ChampionComparison?> RunAsync(TaskActivityContext context, CompareInput input) => evaluator.CompareAsync(input);
}

/// <summary>Writes the model card of the run's best candidate (reports container).</summary>
public sealed class BuildModelCardActivity(ModelCardBuilder builder) : TaskActivity<ModelCardInput, bool>
{
    public override async Task<bool> RunAsync(TaskActivityContext context, ModelCardInput input)
    {
        await builder.BuildAsync(input.RunId, input.TrialId);
        return true;
    }
}

/// <summary>Creates the approval and emails the approvers their links.</summary>
public sealed class RequestApprovalActivity(ApprovalService approvals) : TaskActivity<ApprovalRequest, string>
{
    public override async Task<string> RunAsync(TaskActivityContext context, ApprovalRequest input) =>
        (await approvals.RequestAsync(input)).ApprovalId;
}

/// <summary>Reminds approvers who have not decided, or sends escalation contacts their own links.</summary>
public sealed class NotifyApproversActivity(ApprovalService approvals) : TaskActivity<NotifyApprovalInput, ApprovalSnapshot?>
{
    public override async Task<ApprovalSnapshot?> RunAsync(TaskActivityContext context, NotifyApprovalInput input) =>
        ApprovalService.Snapshot(await approvals.NotifyAsync(input.ApprovalId, input.EscalateTo));
}

/// <summary>Closes an approval nobody decided in time.</summary>
public sealed class CloseApprovalActivity(ApprovalService approvals, TimeProvider clock) : TaskActivity<CloseApprovalInput, ApprovalSnapshot?>
{
    public override async Task<ApprovalSnapshot?> RunAsync(TaskActivityContext context, CloseApprovalInput input) =>
        ApprovalService.Snapshot(await approvals.CloseAsync(input.ApprovalId, input.Status, clock.GetUtcNow()));
}

/// <summary>Publishes <c>approval.decided</c> for a decided approval (idempotent: keyed by the approval); false while it is still pending.</summary>
public sealed class AnnounceApprovalDecidedActivity(ApprovalService approvals) : TaskActivity<string, bool>
{
    public override Task<bool> RunAsync(TaskActivityContext context, string approvalId) => approvals.AnnounceDecidedAsync(approvalId);
}

/// <summary>Registers the approved model as a new version and makes it the production model.</summary>
public sealed class RegisterModelActivity(ModelRegistry registry) : TaskActivity<DeployInput, int>
{
    public override async Task<int> RunAsync(TaskActivityContext context, DeployInput input) =>
        (await registry.RegisterAsync(input)).Version;
}

/// <summary>Loads a model version as serving would and checks it answers as it did at training.</summary>
public sealed class SmokeTestModelActivity(SmokeTester tester) : TaskActivity<SmokeTestInput, SmokeTestResult>
{
    public override Task<SmokeTestResult> RunAsync(TaskActivityContext context, SmokeTestInput input) => tester.TestAsync(input);
}

/// <summary>Points an environment at a version, atomically with its history row; idempotent per request.</summary>
public sealed class SwitchEnvironmentActivity(ModelRegistry registry) : TaskActivity<SwitchInput, DeploymentChange>
{
    public override Task<DeploymentChange> RunAsync(TaskActivityContext context, SwitchInput input) => registry.SwitchAsync(input);
}

/// <summary>Points an environment back at the version it served before; idempotent per request, null when there is none.</summary>
public sealed class RollbackEnvironmentActivity(ModelRegistry registry) : TaskActivity<RollbackInput, DeploymentChange?>
{
    public override Task<DeploymentChange?> RunAsync(TaskActivityContext context, RollbackInput input) => registry.RollbackAsync(input);
}

/// <summary>Records a promotion that stopped before the switch, with why.</summary>
public sealed class RecordFailedPromotionActivity(DeploymentStore deploymentStore, TimeProvider clock) : TaskActivity<FailedPromotionInput, bool>
{
    public override async Task<bool> RunAsync(TaskActivityContext context, FailedPromotionInput input)
    {
        var p = input.Promotion;
        var current = (await deploymentStore.GetEnvironmentAsync(p.Project, p.Environment)).Version;
        await deploymentStore.RecordDeploymentAttemptAsync(new DeploymentChange(p.Project, p.Environment, DeploymentAction.Promote, current, p.Version,
            p.By, p.Reason, clock.GetUtcNow(), DeploymentOutcome.SmokeTestFailed, input.Detail, p.RequestId));
        return true;
    }
}

/// <summary>One monitoring cycle: drift and performance over the window ending at the given time, alert, retraining request.</summary>
public sealed class MonitorWindowActivity(MonitoringService monitoring) : TaskActivity<MonitorWindowInput, MonitoringCycle>
{
    public override async Task<MonitoringCycle> RunAsync(TaskActivityContext context, MonitorWindowInput input)
    {
        var windowEnd = new DateTimeOffset(DateTime.SpecifyKind(input.WindowEnd, DateTimeKind.Utc));
        var (report, settings) = await monitoring.RunWindowAsync(input.Project, windowEnd);
        return new MonitoringCycle(report is not null, settings.EffectiveInterval, report?.ReportId, report?.Alert ?? false);
    }
}
