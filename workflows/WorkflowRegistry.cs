using Microsoft.DurableTask;
using Orchestrator.Workflows.Activities;
using Orchestrator.Workflows.Orchestrators;

namespace Orchestrator.Workflows;

/// <summary>Registers the lifecycle's orchestrators and activities with a Durable Task worker.</summary>
public static class WorkflowRegistry
{
    /// <summary>Every orchestrator of the lifecycle.</summary>
    public static readonly IReadOnlyList<Type> Orchestrators =
    [
        typeof(LifecycleOrchestrator), typeof(IngestionOrchestrator), typeof(TrainingOrchestrator), typeof(CrossValidatedTrialOrchestrator), typeof(ApprovalOrchestrator), typeof(PromotionOrchestrator), typeof(RollbackOrchestrator), typeof(MonitoringOrchestrator),
        typeof(WebhookDeliveryOrchestrator), typeof(BatchScoringOrchestrator),
    ];

    /// <summary>Every activity of the lifecycle.</summary>
    public static readonly IReadOnlyList<Type> Activities =
    [
        typeof(StartRunActivity), typeof(UpdateRunActivity), typeof(PlanTrialsActivity), typeof(SuggestTrialsActivity), typeof(ClaimIngestionActivity), typeof(PlanIngestionActivity), typeof(CurateChunkActivity), typeof(FinishIngestionActivity),
        typeof(TrainCandidateActivity), typeof(TrainFoldActivity), typeof(CompareWithChampionActivity), typeof(BuildModelCardActivity), typeof(RequestApprovalActivity), typeof(NotifyApproversActivity), typeof(CloseApprovalActivity), typeof(AnnounceApprovalDecidedActivity), typeof(RegisterModelActivity), typeof(SmokeTestModelActivity), typeof(SwitchEnvironmentActivity), typeof(RollbackEnvironmentActivity), typeof(RecordFailedPromotionActivity), typeof(MonitorWindowActivity),
        typeof(DeliverWebhookActivity), typeof(DeadLetterWebhookActivity),
        typeof(PlanBatchActivity), typeof(ScoreBatchPartActivity), typeof(FinishBatchActivity),
    ];

    /// <summary>Adds all lifecycle tasks: orchestrators are created without DI, activities with constructor DI.</summary>
    public static DurableTaskRegistry AddWorkflows(this DurableTaskRegistry registry)
    {
        foreach (var type in Orchestrators) registry.AddOrchestrator(type);
        foreach (var type in Activities) registry.AddActivity(type);
        return registry;
    }
}
