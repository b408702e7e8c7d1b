using Orchestrator.Workflows.Activities;
using Orchestrator.Workflows.Model;
using Orchestrator.Workflows.Orchestrators;

namespace Orchestrator.Workflows.Tests.Orchestrators;

public sealed class RollbackOrchestratorTests
{
    [Fact]
    public async Task RunAsync_PreviousVersion_TheActivitysChangeWithTheRequestId()
    {
        var mocks = new OrchestrationMocks(InstanceIds.Rollback("weather", "production", "r1"));
        var change = new DeploymentChange("weather", "production", DeploymentAction.Rollback, 2, 1, "ml@example.com", "v2 misbehaves",
            mocks.Now, DeploymentOutcome.Switched, null, "r1");
        mocks.Activity<DeploymentChange?>(nameof(RollbackEnvironmentActivity), _ => change);
        var input = new RollbackInput("weather", "production", "ml@example.com", "v2 misbehaves", "r1");

        var result = await new RollbackOrchestrator().RunAsync(mocks.Context.Object, input);

        Assert.Same(change, result);
        Assert.Equal(input, mocks.Calls.Single(c => c.Name == nameof(RollbackEnvironmentActivity)).Input);
    }
}
