using Moq;
using Orchestrator.Workflows.Model;
using Orchestrator.Workflows.Orchestrators;

namespace Orchestrator.Workflows.Tests.Orchestrators;

public sealed class ApprovalOrchestratorTests
{
    private static readonly ApprovalInput Input = new("run-1", "weather", "t001", OrchestrationMocks.RunContext(TimeSpan.FromHours(72)));

    private static OrchestrationMocks Arrange(Task<ApprovalDecision> decision, Task timer, Action<DateTime>? timerAt = null)
    {
        var mocks = new OrchestrationMocks("run-1-approval");
        mocks.Activity("RequestApprovalActivity", input => ((ApprovalRequest)input!).ApprovalId);
        mocks.Activity("CloseApprovalActivity", _ => true);
        mocks.Context.Setup(c => c.WaitForExternalEvent<ApprovalDecision>(ApprovalDecision.EventName, It.IsAny<CancellationToken>())).Returns(decision);
        mocks.Context.Setup(c => c.CreateTimer(It.IsAny<DateTime>(), It.IsAny<CancellationToken>()))
            .Returns((DateTime at, CancellationToken _) => { timerAt?.Invoke(at); return timer; });
        return mocks;
    }

    [Fact]
    public async Task RunAsync_ApproveEventBeforeTimer_Approved()
    {
        var mocks = Arrange(Task.FromResult(new ApprovalDecision(ApprovalDecision.Approve, "sme@example.com", "ok")), new TaskCompletionSource().Task);
        var outcome = await new ApprovalOrchestrator().RunAsync(mocks.Context.Object, Input);

        Assert.Equal((ApprovalStatus.Approved, "sme@example.com"), (outcome.Status, outcome.DecidedBy));
        Assert.Equal(0, mocks.CallCount("CloseApprovalActivity"));
        var request = (ApprovalRequest)mocks.Calls.Single(c => c.Name == "RequestApprovalActivity").Input!;
        Assert.Equal("run-1-approval", request.InstanceId);
        Assert.Equal(["sme@example.com"], request.Approvers);
        Assert.Equal(RunStatus.AwaitingApproval, mocks.RunUpdates.Single().Status);
    }

    [Fact]
    public async Task RunAsync_RejectEvent_RejectedWithComment()
    {
        var mocks = Arrange(Task.FromResult(new ApprovalDecision(ApprovalDecision.Reject, "sme@example.com", "bias")), new TaskCompletionSource().Task);
        var outcome = await new ApprovalOrchestrator().RunAsync(mocks.Context.Object, Input);

        Assert.Equal((ApprovalStatus.Rejected, "bias"), (outcome.Status, outcome.Comment));
    }

    [Fact]
    public async Task RunAsync_TimerFiresFirst_TimedOutAndApprovalClosed()
    {
        DateTime? deadline = null;
        var mocks = Arrange(new TaskCompletionSource<ApprovalDecision>().Task, Task.CompletedTask, at => deadline = at);
        var outcome = await new ApprovalOrchestrator().RunAsync(mocks.Context.Object, Input);

        Assert.Equal(ApprovalOrchestrator.TimedOut, outcome.Status);
        Assert.Equal(mocks.Now.AddHours(72), deadline);
        var close = (CloseApprovalInput)mocks.Calls.Single(c => c.Name == "CloseApprovalActivity").Input!;
        Assert.Equal(ApprovalStatus.Expired, close.Status);
    }
}
