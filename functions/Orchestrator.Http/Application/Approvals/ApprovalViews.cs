using Orchestrator.Workflows.Model;
using Orchestrator.Workflows.Training;

namespace Orchestrator.Http.Application.Approvals;

/// <summary>An approval request as its readers see it (never its tokens): status, approvers and quorum, decisions, who was notified.</summary>
public sealed record ApprovalView(
    string ApprovalId, string RunId, string Project, ApprovalStatus Status, IReadOnlyList<string> Approvers, int Quorum, DateTimeOffset ExpiresAt,
    string? DecidedBy, DateTimeOffset? DecidedAt, string? Comment, string? Reason, IReadOnlyList<ApproverDecision> Decisions,
    IReadOnlyList<string>? Notified, IReadOnlyList<string>? Escalated, int Reminders, string? SendError, string? RequestedBy, string TrialId,
    DateTimeOffset? CreatedAt)
{
    public static ApprovalView Of(ApprovalInfo a) => new(a.ApprovalId, a.RunId, a.Project, a.Status, a.Approvers, a.Quorum, a.ExpiresAt, a.DecidedBy,
        a.DecidedAt, a.Comment, a.Reason, a.DecisionList, a.Notified, a.Escalated, a.Reminders, a.SendError, a.RequestedBy, a.TrialId, a.CreatedAt);
}

/// <summary>Approval requests the caller may read.</summary>
public sealed record ApprovalsView(IReadOnlyList<ApprovalView> Approvals, int Total, int Offset, int Limit, int? NextOffset);

/// <summary>Which approval requests to list (query parameters, kept as text so a bad value is a 400 naming it).</summary>
public sealed record ApprovalsQuery(string? Status = null, string? Approver = null, string? Project = null, string? Run = null, string? Offset = null,
    string? Limit = null);

/// <summary>Fresh links were sent: to whom, and the request as it is now.</summary>
public sealed record ResendView(string Message, ApprovalView Approval);

/// <summary>The run's owner withdraws the request, saying why.</summary>
public sealed record CancelRequest(string? Comment);

/// <summary>An approver's decision with the link's token: <c>approve</c> or <c>reject</c>, a comment, and for a rejection its reason.</summary>
public sealed record DecisionRequest(string? Token, string? Decision, string? Comment, string? Reason);

/// <summary>A recorded decision: the request's status after it, the decision as stored, and what it means (quorum reached, waiting for more).</summary>
public sealed record DecisionView(string ApprovalId, string RunId, ApprovalStatus Status, ApproverDecision Decision, string Message);

/// <summary>
/// What the page of an emailed link shows its approver: the candidate to review, or — when the approver or the request
/// has decided already — only that (<see cref="Closed"/>). When the run trained on a dataset restricted from the
/// approver, what its rows gave (confusion matrix, recall per class, feature importance, the version's figures) is left
/// out and <see cref="Withheld"/> names the dataset.
/// </summary>
public sealed record ApprovalReview(
    ApprovalInfo Approval, string Approver, string Token, string? Closed, TrialResult? Trial = null, RunInfo? Run = null,
    ModelVersionInfo? Production = null, DatasetVersionInfo? Dataset = null, ModelCard? Card = null, DatasetInfo? Withheld = null);
