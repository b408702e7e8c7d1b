using Microsoft.DurableTask;
using Orchestrator.Workflows.Activities;
using Orchestrator.Workflows.Model;

namespace Orchestrator.Workflows.Orchestrators;

/// <summary>Data engineering stage: curate one raw dataset version (started on upload, and again as the lifecycle's first stage).</summary>
public sealed class IngestionOrchestrator : TaskOrchestrator<IngestionInput, IngestionOutput>
{
    public override Task<IngestionOutput> RunAsync(TaskOrchestrationContext context, IngestionInput input) =>
        context.CallActivityAsync<IngestionOutput>(nameof(IngestDatasetActivity), input, RetryPolicies.Storage);
}

/// <summary>Retry policies of activities: storage hiccups are retried, bad input is not (activities report it as a result).</summary>
public static class RetryPolicies
{
    public static readonly TaskOptions Storage = TaskOptions.FromRetryPolicy(new RetryPolicy(3, TimeSpan.FromSeconds(2), backoffCoefficient: 2));
}
