using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask.Client;
using Orchestrator.Http.Security;

namespace Orchestrator.Http.Api;

/// <summary>The SMEs' approvals: what waits for whom, the emailed link's page and decision, resend, cancel.</summary>
public static class ApprovalsApi
{
    public const string ApprovalsRoute = "approvals";
    public const string ApprovalRoute = "approvals/{approvalId}";
    public const string ResendRoute = ApprovalRoute + "/resend";
    public const string CancelRoute = ApprovalRoute + "/cancel";

    public static readonly ApiResource Resource = new("Approvals", "Subject-matter experts' approvals of candidates, by emailed link.",
    [
        new(nameof(ListApprovals), "GET", ApprovalsRoute, ListApprovals)
        {
            Permission = Permission.Read, Data = DataScope.Derived, Summary = "List approval requests by status and approver", Problems = [400],
        },
        new(nameof(GetApprovalPage), "GET", ApprovalRoute, GetApprovalPage)
        {
            Scope = AccessScope.Anonymous, Data = DataScope.Derived, Summary = "The approval page of an emailed link (HTML; never decides)",
            Problems = [403, 404], OtherContent = new Dictionary<int, string> { [200] = "text/html" },
        },
        new(nameof(DecideApproval), "POST", ApprovalRoute, DecideApproval)
        {
            Scope = AccessScope.Anonymous, Audit = "approval.decide", Summary = "Approve or reject with the link's token (form or JSON)",
            Problems = [400, 403, 404, 409], Accepts = ["application/json", "application/x-www-form-urlencoded"],
        },
        new(nameof(ResendApproval), "POST", ResendRoute, ResendApproval)
        {
            Permission = Permission.ApprovalManage, Scope = AccessScope.Approval, Audit = "approval.resend",
            Summary = "Send fresh links to the approvers who have not decided", Problems = [404, 409, 502],
        },
        new(nameof(CancelApproval), "POST", CancelRoute, CancelApproval)
        {
            Permission = Permission.ApprovalManage, Scope = AccessScope.Approval, Audit = "run.cancel",
            Summary = "Withdraw an approval request; the run ends Cancelled", Problems = [400, 404, 409],
        },
    ]);

    public static Task<IResult> ListApprovals(HttpRequest r, LifecycleApi api, CancellationToken ct) => api.ListApprovalsAsync(r, ct);

    public static Task<IResult> GetApprovalPage(HttpRequest r, string approvalId, LifecycleApi api, CancellationToken ct) => api.GetApprovalPageAsync(r, approvalId, ct);

    public static Task<IResult> DecideApproval(HttpRequest r, string approvalId, LifecycleApi api, DurableTaskClient client, CancellationToken ct) =>
        api.DecideApprovalAsync(r, client, approvalId, ct);

    public static Task<IResult> ResendApproval(string approvalId, LifecycleApi api, CancellationToken ct) => api.ResendApprovalAsync(approvalId, ct);

    public static Task<IResult> CancelApproval(HttpRequest r, string approvalId, LifecycleApi api, DurableTaskClient client, CancellationToken ct) =>
        api.CancelApprovalAsync(r, client, approvalId, ct);
}
