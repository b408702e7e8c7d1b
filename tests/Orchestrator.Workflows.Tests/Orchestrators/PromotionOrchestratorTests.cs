using Orchestrator.Workflows.Activities;
using Orchestrator.Workflows.Model;
using Orchestrator.Workflows.Orchestrators;

namespace Orchestrator.Workflows.Tests.Orchestrators;

public sealed class PromotionOrchestratorTests
{
    private static readonly PromotionInput Input = new("weather", 4, DeploymentEnvironment.Production, "ml@example.com", "better recall", "req-1");

    [Fact]
    public async Task RunAsync_SmokeTestPasses_SwitchesTheEnvironment()
    {
        var mocks = new OrchestrationMocks("promote-weather-production-req-1");
        mocks.Activity(nameof(SmokeTestModelActivity), _ => new SmokeTestResult(true, "ok", 20, 0, 5, 1));
        var change = new DeploymentChange("weather", DeploymentEnvironment.Production, DeploymentAction.Promote, 3, 4, "ml@example.com", "better recall", mocks.Now, DeploymentOutcome.Switched, null, "req-1", 2);
        mocks.Activity(nameof(SwitchEnvironmentActivity), _ => change);

        var result = await new PromotionOrchestrator().RunAsync(mocks.Context.Object, Input);

        Assert.True(result.Succeeded);
        Assert.Equal(change, result.Change);
        var switched = (SwitchInput)mocks.Calls.Single(c => c.Name == nameof(SwitchEnvironmentActivity)).Input!;
        Assert.Equal(("weather", 4, DeploymentEnvironment.Production, "req-1"), (switched.Project, switched.Version, switched.Environment, switched.RequestId));
    }

    [Fact]
    public async Task RunAsync_SmokeTestFails_RecordsTheAttemptAndNeverSwitches()
    {
        var mocks = new OrchestrationMocks("promote-weather-production-req-1");
        mocks.Activity(nameof(SmokeTestModelActivity), _ => new SmokeTestResult(false, "3 of 20 predictions differ from those recorded at training.", 20, 3, 5, 1));
        mocks.Activity(nameof(RecordFailedPromotionActivity), _ => true);

        var result = await new PromotionOrchestrator().RunAsync(mocks.Context.Object, Input);

        Assert.False(result.Succeeded);
        Assert.Contains("3 of 20 predictions differ", result.Error);
        Assert.Equal(0, mocks.CallCount(nameof(SwitchEnvironmentActivity)));
        Assert.Equal(Input, ((FailedPromotionInput)mocks.Calls.Single(c => c.Name == nameof(RecordFailedPromotionActivity)).Input!).Promotion);
    }
}
