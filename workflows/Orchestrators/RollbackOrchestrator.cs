using Microsoft.DurableTask;
using Orchestrator.Workflows.Activities;
using Orchestrator.Workflows.Model;

namespace Orchestrator.Workflows.Orchestrators;

/// <summary>
/// ML engineering: return an environment to the version it served before. One retried activity, so a crash after the
/// switch still records its stages and announces <c>model.rolledback</c>; null when there is nothing to roll back to.
/// </summary>
public sealed class RollbackOrchestrator : TaskOrchestrator<RollbackInput, DeploymentChange?>
{
    public override Task<DeploymentChange?> RunAsync(TaskOrchestrationContext context, RollbackInput input) =>
        context.CallActivityAsync<DeploymentChange?>(nameof(RollbackEnvironmentActivity), input, RetryPolicies.Storage);
}
