using Microsoft.DurableTask;
using Orchestrator.Workflows.Activities;
using Orchestrator.Workflows.Model;

namespace Orchestrator.Workflows.Orchestrators;

/// <summary>
/// SME approval stage (human interaction pattern): email the approvers, then wait for decisions raced against durable
/// timers — a reminder to those who have not decided (<c>remindAfter</c>), links for the escalation contacts
/// (<c>escalateAfter</c>), and the final deadline (<c>approvalTimeout</c>) → <c>TimedOut</c>. Approved once
/// <c>quorum</c> distinct approvers approve; any reject decides reject; the run's owner may cancel.
/// </summary>
public sealed class ApprovalOrchestrator : TaskOrchestrator<ApprovalInput, ApprovalOutcome>
{
    public const string TimedOut = "TimedOut";

    public static string InstanceIdFor(string runId) => $"{runId}-approval";

    public override async Task<ApprovalOutcome> RunAsync(TaskOrchestrationContext context, ApprovalInput input)
    {
        var policy = input.Context.Approval;
        var approvalId = context.NewGuid().ToString("N");
        var start = context.CurrentUtcDateTime;
        var deadline = start.Add(policy.ExpireAfter);
        await context.CallActivityAsync<string>(nameof(RequestApprovalActivity),
            new ApprovalRequest(approvalId, input.RunId, input.Project, input.TrialId, context.InstanceId,
                policy.Approvers, new DateTimeOffset(deadline, TimeSpan.Zero), input.Context.Kpis, policy.Quorum, policy.RequestedBy), RetryPolicies.Storage);
        await context.CallActivityAsync<bool>(nameof(UpdateRunActivity),
            new RunUpdate(input.RunId, Stage: RunStage.Approval, Status: RunStatus.AwaitingApproval, ApprovalId: approvalId), RetryPolicies.Storage);

        using var timers = new CancellationTokenSource();
        var expiry = context.CreateTimer(deadline, timers.Token);
        // Reminder and escalation only when they come before the deadline (and, for escalation, when someone is there to escalate to).
        Task? reminder = policy.RemindAfter > TimeSpan.Zero && start.Add(policy.RemindAfter) < deadline
            ? context.CreateTimer(start.Add(policy.RemindAfter), timers.Token) : null;
        Task? escalation = policy.EscalationContacts.Count > 0 && policy.EscalateAfter > TimeSpan.Zero && start.Add(policy.EscalateAfter) < deadline
            ? context.CreateTimer(start.Add(policy.EscalateAfter), timers.Token) : null;

        var approvedBy = new List<string>();
        Task<ApprovalDecision>? decision = null;
        while (true)
        {
            decision ??= context.WaitForExternalEvent<ApprovalDecision>(ApprovalDecision.EventName);
            var waiting = new List<Task> { decision, expiry };
            if (reminder is not null) waiting.Add(reminder);
            if (escalation is not null) waiting.Add(escalation);
            var fired = await Task.WhenAny(waiting);

            if (fired == decision)
            {
                var d = await decision;
                decision = null;
                switch (d.Decision)
                {
                    case ApprovalDecision.Cancel:
                        timers.Cancel();
                        return new ApprovalOutcome(approvalId, ApprovalStatus.Cancelled, d.DecidedBy, d.Comment, null, approvedBy);
                    case ApprovalDecision.Reject:
                        timers.Cancel();
                        return new ApprovalOutcome(approvalId, ApprovalStatus.Rejected, d.DecidedBy, d.Comment, d.Reason, approvedBy);
                    default:
                        if (!approvedBy.Contains(d.DecidedBy)) approvedBy.Add(d.DecidedBy);
                        if (approvedBy.Count >= policy.Quorum)
                        {
                            timers.Cancel();
                            return new ApprovalOutcome(approvalId, ApprovalStatus.Approved, d.DecidedBy, d.Comment, null, approvedBy);
                        }
                        continue;
                }
            }
            if (fired == reminder)
            {
                reminder = null;
                await context.CallActivityAsync<bool>(nameof(NotifyApproversActivity), new NotifyApprovalInput(approvalId), RetryPolicies.Storage);
                continue;
            }
            if (fired == escalation)
            {
                escalation = null;
                await context.CallActivityAsync<bool>(nameof(NotifyApproversActivity), new NotifyApprovalInput(approvalId, policy.EscalationContacts), RetryPolicies.Storage);
                continue;
            }

            timers.Cancel();
            await context.CallActivityAsync<bool>(nameof(CloseApprovalActivity), new CloseApprovalInput(approvalId, ApprovalStatus.Expired), RetryPolicies.Storage);
            return new ApprovalOutcome(approvalId, TimedOut, null, null, null, approvedBy);
        }
    }
}
