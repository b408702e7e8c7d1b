using Microsoft.DurableTask;
using Orchestrator.Workflows.Activities;
using Orchestrator.Workflows.Model;

namespace Orchestrator.Workflows.Orchestrators;

/// <summary>
/// SME approval stage (human interaction pattern): email the approvers, then wait for the decision event raced
/// against a durable timer. No decision in time → <c>TimedOut</c>.
/// </summary>
public sealed class ApprovalOrchestrator : TaskOrchestrator<ApprovalInput, ApprovalOutcome>
{
    public const string TimedOut = "TimedOut";

    public static string InstanceIdFor(string runId) => $"{runId}-approval";

    public override async Task<ApprovalOutcome> RunAsync(TaskOrchestrationContext context, ApprovalInput input)
    {
        var approvalId = context.NewGuid().ToString("N");
        var deadline = context.CurrentUtcDateTime.Add(input.Context.ApprovalTimeout);
        await context.CallActivityAsync<string>(nameof(RequestApprovalActivity),
            new ApprovalRequest(approvalId, input.RunId, input.Project, input.TrialId, context.InstanceId,
                input.Context.Approvers, new DateTimeOffset(deadline, TimeSpan.Zero), input.Context.Kpis), RetryPolicies.Storage);
        await context.CallActivityAsync<bool>(nameof(UpdateRunActivity),
            new RunUpdate(input.RunId, Stage: RunStage.Approval, Status: RunStatus.AwaitingApproval, ApprovalId: approvalId), RetryPolicies.Storage);

        using var timerCancellation = new CancellationTokenSource();
        var decision = context.WaitForExternalEvent<ApprovalDecision>(ApprovalDecision.EventName);
        var timeout = context.CreateTimer(deadline, timerCancellation.Token);
        if (await Task.WhenAny(decision, timeout) == decision)
        {
            timerCancellation.Cancel();
            var d = await decision;
            var status = d.Decision == ApprovalDecision.Approve ? ApprovalStatusNames.Approved : ApprovalStatusNames.Rejected;
            return new ApprovalOutcome(approvalId, status, d.DecidedBy, d.Comment);
        }

        await context.CallActivityAsync<bool>(nameof(CloseApprovalActivity), new CloseApprovalInput(approvalId, ApprovalStatus.Expired), RetryPolicies.Storage);
        return new ApprovalOutcome(approvalId, TimedOut, null, null);
    }
}

/// <summary>Outcome names of the approval stage.</summary>
public static class ApprovalStatusNames
{
    public const string Approved = ApprovalStatus.Approved;
    public const string Rejected = ApprovalStatus.Rejected;
}
