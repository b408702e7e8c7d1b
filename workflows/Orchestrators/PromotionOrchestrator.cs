using Microsoft.DurableTask;
using Orchestrator.Workflows.Activities;
using Orchestrator.Workflows.Model;

namespace Orchestrator.Workflows.Orchestrators;

/// <summary>
/// ML engineering: promote a model version to an environment. The model is loaded from Blob storage and scores the
/// rows recorded at training (smoke test); only when it answers as it did then is the environment switched — one
/// atomic write with its history row. On failure nothing changes and the attempt is recorded with the reason.
/// </summary>
public sealed class PromotionOrchestrator : TaskOrchestrator<PromotionInput, PromotionResult>
{
    public override async Task<PromotionResult> RunAsync(TaskOrchestrationContext context, PromotionInput input)
    {
        var smoke = await context.CallActivityAsync<SmokeTestResult>(nameof(SmokeTestModelActivity),
            new SmokeTestInput(input.Project, input.Version), RetryPolicies.Storage);
        if (!smoke.Passed)
        {
            await context.CallActivityAsync<bool>(nameof(RecordFailedPromotionActivity), new FailedPromotionInput(input, smoke.Detail), RetryPolicies.Storage);
            return new PromotionResult(false, $"Smoke test failed: {smoke.Detail}", smoke, null);
        }
        var change = await context.CallActivityAsync<DeploymentChange>(nameof(SwitchEnvironmentActivity),
            new SwitchInput(input.Project, input.Version, input.Environment, input.By, input.Reason, input.RequestId), RetryPolicies.Storage);
        return new PromotionResult(true, null, smoke, change);
    }
}
