using Microsoft.DurableTask;
using Orchestrator.Workflows.Activities;
using Orchestrator.Workflows.Model;

namespace Orchestrator.Workflows.Orchestrators;

/// <summary>
/// SME approval stage (human interaction pattern): email the approvers, then wait for decisions raced against durable
/// timers — a reminder to those who have not decided (<c>remindAfter</c>), links for the escalation contacts
/// (<c>escalateAfter</c>), and the final deadline (<c>approvalTimeout</c>) → <c>TimedOut</c>. Approved once
/// <c>quorum</c> distinct approvers approve; any reject decides reject; the run's owner may cancel. Decisions are
/// recorded in the table before their event is raised; at each reminder, escalation and the deadline the
/// orchestration also reads the table, so a decision whose event was lost still counts.
/// </summary>
public sealed class ApprovalOrchestrator : TaskOrchestrator<ApprovalInput, ApprovalOutcome>
{
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "DURABLE0011:Unbounded loop without ContinueAsNew", Justification = "Bounded: the loop ends when the quorum decides or the expiry timer fires, and each turn is a decision, a reminder or the one escalation.")]
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
        ApprovalOutcome? Apply(ApprovalDecision d) => d.Decision switch
        {
            ApprovalDecision.Cancel => new ApprovalOutcome(approvalId, ApprovalOutcomeStatus.Cancelled, d.DecidedBy, d.Comment, null, approvedBy),
            ApprovalDecision.Reject => new ApprovalOutcome(approvalId, ApprovalOutcomeStatus.Rejected, d.DecidedBy, d.Comment, d.Reason, approvedBy),
            _ => Approve(d),
        };
        ApprovalOutcome? Approve(ApprovalDecision d)
        {
            if (!Mailbox.Contains(approvedBy, d.DecidedBy)) approvedBy.Add(Mailbox.Normalize(d.DecidedBy));
            return approvedBy.Count >= policy.Quorum ? new ApprovalOutcome(approvalId, ApprovalOutcomeStatus.Approved, d.DecidedBy, d.Comment, null, approvedBy) : null;
        }
        // Decisions the table holds but no event delivered (the API records first, then raises).
        ApprovalOutcome? CatchUp(ApprovalSnapshot? snapshot)
        {
            if (snapshot is null) return null;
            foreach (var d in snapshot.Decisions.Where(d => d.Decision == ApprovalDecision.Reject || !Mailbox.Contains(approvedBy, d.Approver)))
                if (Apply(new ApprovalDecision(d.Decision, d.Approver, d.Comment, d.Reason)) is { } outcome) return outcome;
            return snapshot.Status == ApprovalStatus.Cancelled
                ? new ApprovalOutcome(approvalId, ApprovalOutcomeStatus.Cancelled, snapshot.DecidedBy, snapshot.Comment, null, approvedBy)
                : null;
        }

        Task<ApprovalDecision>? decision = null;
        while (true)
        {
            decision ??= context.WaitForExternalEvent<ApprovalDecision>(ApprovalDecision.EventName);
            var waiting = new List<Task> { decision, expiry };
            if (reminder is not null) waiting.Add(reminder);
            if (escalation is not null) waiting.Add(escalation);
            var fired = await Task.WhenAny(waiting);

            ApprovalOutcome? outcome;
            if (fired == decision)
            {
                outcome = Apply(await decision);
                decision = null;
            }
            else if (fired == reminder)
            {
                reminder = null;
                outcome = CatchUp(await context.CallActivityAsync<ApprovalSnapshot?>(nameof(NotifyApproversActivity), new NotifyApprovalInput(approvalId), RetryPolicies.Storage));
            }
            else if (fired == escalation)
            {
                escalation = null;
                outcome = CatchUp(await context.CallActivityAsync<ApprovalSnapshot?>(nameof(NotifyApproversActivity),
                    new NotifyApprovalInput(approvalId, policy.EscalationContacts), RetryPolicies.Storage));
            }
            else
            {
                var closed = await context.CallActivityAsync<ApprovalSnapshot?>(nameof(CloseApprovalActivity), new CloseApprovalInput(approvalId, ApprovalStatus.Expired), RetryPolicies.Storage);
                outcome = CatchUp(closed) ?? new ApprovalOutcome(approvalId, ApprovalOutcomeStatus.TimedOut, null, null, null, approvedBy);
            }

            if (outcome is not null)
            {
                timers.Cancel();
                // approval.decided again, from here: the decision route publishes it too, but a crash between its
                // write and its publish would lose it; this retried activity cannot (one event per approval).
                await context.CallActivityAsync<bool>(nameof(AnnounceApprovalDecidedActivity), approvalId, RetryPolicies.Storage);
                return outcome;
            }
        }
    }
}
