using Moq;
using Orchestrator.Workflows.Activities;
using Orchestrator.Workflows.Model;
using Orchestrator.Workflows.Orchestrators;

namespace Orchestrator.Workflows.Tests.Orchestrators;

public sealed class ApprovalOrchestratorTests
{
    private static ApprovalPolicy Policy(int quorum = 1, string[]? approvers = null, string[]? contacts = null) =>
        new(approvers ?? ["sme@example.com"], quorum, TimeSpan.FromHours(24), TimeSpan.FromHours(72), contacts ?? [], TimeSpan.FromDays(7), "owner@example.com");

    /// <summary>
    /// Decisions arrive in order as the orchestrator waits for them; timers are named by their offset from the start and
    /// fire when the test says so. Everything else never completes.
    /// </summary>
    private sealed class Scenario
    {
        public OrchestrationMocks Mocks { get; } = new(InstanceIds.Approval("run-1"));
        public Queue<Task<ApprovalDecision>> Decisions { get; } = new();
        public Dictionary<TimeSpan, Task> Timers { get; } = new();
        public List<TimeSpan> TimersCreated { get; } = [];

        public Scenario()
        {
            Mocks.Activity(nameof(RequestApprovalActivity), input => ((ApprovalRequest)input!).ApprovalId);
            Mocks.Activity<ApprovalSnapshot?>(nameof(NotifyApproversActivity), _ => null);
            Mocks.Activity<ApprovalSnapshot?>(nameof(CloseApprovalActivity), _ => new ApprovalSnapshot(ApprovalStatus.Expired, [], null, null));
            Mocks.Activity(nameof(AnnounceApprovalDecidedActivity), _ => true);
            Mocks.Context.Setup(c => c.WaitForExternalEvent<ApprovalDecision>(ApprovalDecision.EventName, It.IsAny<CancellationToken>()))
                .Returns(() => Decisions.Count > 0 ? Decisions.Dequeue() : new TaskCompletionSource<ApprovalDecision>().Task);
            Mocks.Context.Setup(c => c.CreateTimer(It.IsAny<DateTime>(), It.IsAny<CancellationToken>()))
                .Returns((DateTime at, CancellationToken _) =>
                {
                    var offset = at - Mocks.Now;
                    TimersCreated.Add(offset);
                    return Timers.TryGetValue(offset, out var t) ? t : new TaskCompletionSource().Task;
                });
        }

        public void Decide(string decision, string by, string? comment = null, string? reason = null) =>
            Decisions.Enqueue(Task.FromResult(new ApprovalDecision(decision, by, comment, reason)));

        public Task<ApprovalOutcome> RunAsync(ApprovalPolicy policy) =>
            new ApprovalOrchestrator().RunAsync(Mocks.Context.Object, new ApprovalInput("run-1", "weather", "t001", OrchestrationMocks.RunContext(policy: policy)));
    }

    [Fact]
    public async Task RunAsync_ApproveEventBeforeTimer_Approved()
    {
        var s = new Scenario();
        s.Decide(ApprovalDecision.Approve, "sme@example.com", "ok");
        var outcome = await s.RunAsync(Policy());

        Assert.Equal((ApprovalOutcomeStatus.Approved, "sme@example.com"), (outcome.Status, outcome.DecidedBy));
        Assert.Equal(0, s.Mocks.CallCount(nameof(CloseApprovalActivity)));
        var request = (ApprovalRequest)s.Mocks.Calls.Single(c => c.Name == nameof(RequestApprovalActivity)).Input!;
        Assert.Equal((InstanceIds.Approval("run-1"), "owner@example.com", 1), (request.InstanceId, request.RequestedBy, request.Quorum));
        Assert.Equal(["sme@example.com"], request.Approvers);
        Assert.Equal(RunStatus.AwaitingApproval, s.Mocks.RunUpdates.Single().Status);
        // approval.decided is announced by the orchestration too, so a crashed decision route cannot lose it.
        Assert.Equal(request.ApprovalId, s.Mocks.Calls.Single(c => c.Name == nameof(AnnounceApprovalDecidedActivity)).Input);
    }

    [Fact]
    public async Task RunAsync_RejectEvent_RejectedWithCommentAndReason()
    {
        var s = new Scenario();
        s.Decide(ApprovalDecision.Reject, "sme@example.com", "bias", "fairness");
        var outcome = await s.RunAsync(Policy());

        Assert.Equal((ApprovalOutcomeStatus.Rejected, "bias", "fairness"), (outcome.Status, outcome.Comment, outcome.Reason));
    }

    [Fact]
    public async Task RunAsync_QuorumOfTwo_WaitsForTwoDistinctApprovers()
    {
        var s = new Scenario();
        s.Decide(ApprovalDecision.Approve, "a@example.com");
        s.Decide(ApprovalDecision.Approve, "a@example.com"); // the same approver twice counts once
        s.Decide(ApprovalDecision.Approve, "b@example.com");
        var outcome = await s.RunAsync(Policy(quorum: 2, approvers: ["a@example.com", "b@example.com", "c@example.com"]));

        Assert.Equal(ApprovalOutcomeStatus.Approved, outcome.Status);
        Assert.Equal(["a@example.com", "b@example.com"], outcome.ApprovedBy);
    }

    [Fact]
    public async Task RunAsync_OneApprovalThenReject_Rejected()
    {
        var s = new Scenario();
        s.Decide(ApprovalDecision.Approve, "a@example.com");
        s.Decide(ApprovalDecision.Reject, "b@example.com", "data from a broken sensor", "data");
        var outcome = await s.RunAsync(Policy(quorum: 2, approvers: ["a@example.com", "b@example.com"]));

        Assert.Equal((ApprovalOutcomeStatus.Rejected, "b@example.com", "data"), (outcome.Status, outcome.DecidedBy, outcome.Reason));
    }

    [Fact]
    public async Task RunAsync_CancelEvent_Cancelled()
    {
        var s = new Scenario();
        s.Decide(ApprovalDecision.Cancel, "owner@example.com", "wrong dataset");
        var outcome = await s.RunAsync(Policy());
        Assert.Equal((ApprovalOutcomeStatus.Cancelled, "owner@example.com"), (outcome.Status, outcome.DecidedBy));
    }

    [Fact]
    public async Task RunAsync_ReminderAndEscalationFire_NotifiesThenApprovedByContact()
    {
        var s = new Scenario();
        var escalated = new TaskCompletionSource();
        s.Timers[TimeSpan.FromHours(24)] = Task.CompletedTask;
        s.Timers[TimeSpan.FromHours(72)] = escalated.Task;
        // The contact decides only after the escalation went out.
        var decision = new TaskCompletionSource<ApprovalDecision>();
        s.Decisions.Enqueue(decision.Task);
        s.Mocks.Activity<ApprovalSnapshot?>(nameof(NotifyApproversActivity), input =>
        {
            if (((NotifyApprovalInput)input!).EscalateTo is not null) decision.SetResult(new ApprovalDecision(ApprovalDecision.Approve, "boss@example.com", null));
            else escalated.SetResult();
            return null;
        });

        var outcome = await s.RunAsync(Policy(contacts: ["boss@example.com"]));

        Assert.Equal((ApprovalOutcomeStatus.Approved, "boss@example.com"), (outcome.Status, outcome.DecidedBy));
        var notices = s.Mocks.Calls.Where(c => c.Name == nameof(NotifyApproversActivity)).Select(c => (NotifyApprovalInput)c.Input!).ToList();
        Assert.Equal(2, notices.Count);
        Assert.Null(notices[0].EscalateTo);
        Assert.Equal(["boss@example.com"], notices[1].EscalateTo);
    }

    [Fact]
    public async Task RunAsync_NoEscalationContacts_NoEscalationTimer()
    {
        var s = new Scenario();
        s.Decide(ApprovalDecision.Approve, "sme@example.com");
        await s.RunAsync(Policy());
        Assert.Equal([TimeSpan.FromDays(7), TimeSpan.FromHours(24)], s.TimersCreated);
    }

    [Fact]
    public async Task RunAsync_DeadlineFiresFirst_TimedOutAndApprovalClosed()
    {
        var s = new Scenario();
        s.Timers[TimeSpan.FromDays(7)] = Task.CompletedTask;
        var outcome = await s.RunAsync(Policy());

        Assert.Equal(ApprovalOutcomeStatus.TimedOut, outcome.Status);
        var close = (CloseApprovalInput)s.Mocks.Calls.Single(c => c.Name == nameof(CloseApprovalActivity)).Input!;
        Assert.Equal(ApprovalStatus.Expired, close.Status);
    }

    [Fact]
    public async Task RunAsync_DecisionRecordedButEventLost_ReminderCatchesUp()
    {
        var s = new Scenario();
        s.Timers[TimeSpan.FromHours(24)] = Task.CompletedTask;
        s.Mocks.Activity<ApprovalSnapshot?>(nameof(NotifyApproversActivity), _ => new ApprovalSnapshot(ApprovalStatus.Approved,
            [new ApproverDecision("sme@example.com", ApprovalDecision.Approve, null, "fine", s.Mocks.Now)], "sme@example.com", "fine"));

        var outcome = await s.RunAsync(Policy());

        Assert.Equal((ApprovalOutcomeStatus.Approved, "sme@example.com"), (outcome.Status, outcome.DecidedBy));
    }

    [Fact]
    public async Task RunAsync_RejectRecordedButEventLost_DeadlineStillRejects()
    {
        var s = new Scenario();
        s.Timers[TimeSpan.FromDays(7)] = Task.CompletedTask;
        s.Mocks.Activity<ApprovalSnapshot?>(nameof(CloseApprovalActivity), _ => new ApprovalSnapshot(ApprovalStatus.Rejected,
            [new ApproverDecision("sme@example.com", ApprovalDecision.Reject, "data", "stale data", s.Mocks.Now)], "sme@example.com", "stale data"));

        var outcome = await s.RunAsync(Policy());

        Assert.Equal((ApprovalOutcomeStatus.Rejected, "data"), (outcome.Status, outcome.Reason));
    }

    [Fact]
    public async Task RunAsync_OneOfTwoApprovalsWhenDeadlineFires_TimedOut()
    {
        var s = new Scenario();
        s.Decide(ApprovalDecision.Approve, "a@example.com");
        s.Timers[TimeSpan.FromDays(7)] = Task.CompletedTask;
        s.Mocks.Activity<ApprovalSnapshot?>(nameof(CloseApprovalActivity), _ => new ApprovalSnapshot(ApprovalStatus.Expired,
            [new ApproverDecision("a@example.com", ApprovalDecision.Approve, null, null, s.Mocks.Now)], null, null));

        var outcome = await s.RunAsync(Policy(quorum: 2, approvers: ["a@example.com", "b@example.com"]));

        Assert.Equal(ApprovalOutcomeStatus.TimedOut, outcome.Status);
        Assert.Equal(["a@example.com"], outcome.ApprovedBy);
    }
}
