using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask.Client;
using Orchestrator.Http.Application.Approvals;
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
            Permission = Permission.Read, Data = DataScope.Derived, Summary = "List approval requests by status, approver, project and run, newest first, a page at a time", Problems = [400],
        },
        new(nameof(GetApprovalPage), "GET", ApprovalRoute, GetApprovalPage)
        {
            Scope = AccessScope.Anonymous, Data = DataScope.Derived, Summary = "The approval page of an emailed link (HTML; never decides)",
            Problems = [403, 404], OtherContent = new Dictionary<int, string> { [200] = "text/html" },
        },
        new(nameof(DecideApproval), "POST", ApprovalRoute, DecideApproval)
        {
            Scope = AccessScope.Anonymous, Audit = "approval.decide", Summary = "Approve or reject with the link's token (form or JSON)",
            Problems = [400, 403, 404, 409], Accepts = ["application/json", "application/x-www-form-urlencoded"], Body = typeof(DecisionRequest),
            OtherContent = new Dictionary<int, string> { [200] = "text/html" },
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

    public static Task<ApiResult<ApprovalsView>> ListApprovals(HttpContext context, string? status, string? approver, string? project, string? run,
        string? offset, string? limit, ApprovalUseCases approvals, CancellationToken ct) =>
        approvals.ListAsync(new ApprovalsQuery(status, approver, project, run, offset, limit), AccessGate.Current(context), ct).ToApi();

    public static async Task<IResult> GetApprovalPage(string approvalId, string? token, ApprovalUseCases approvals, CancellationToken ct) =>
        ApprovalPages.Of(await approvals.ReviewAsync(approvalId, token, ct));

    // The page's form post answers a page; a JSON post (a client, a test) answers JSON or problem+json.
    public static async Task<ApiResult<DecisionView>> DecideApproval(HttpContext context, string approvalId, ApprovalUseCases approvals,
        DurableTaskClient client, CancellationToken ct)
    {
        var request = context.Request;
        if (!request.HasFormContentType)
            return await approvals.DecideAsync(approvalId, (await JsonBody<DecisionRequest>.ReadAsync(context, optional: false))!.Value, client, ct).ToApi();
        var form = await request.ReadFormAsync(ct);
        var decision = new DecisionRequest(form["token"].ToString(), form["decision"].ToString(), form["comment"].ToString(), form["reason"].ToString());
        return await approvals.DecideAsync(approvalId, decision, client, ct).ToApi(ApprovalPages.Of);
    }

    public static Task<ApiResult<ResendView>> ResendApproval(string approvalId, ApprovalUseCases approvals, CancellationToken ct) =>
        approvals.ResendAsync(approvalId, ct).ToApi();

    public static Task<ApiResult<ApprovalView>> CancelApproval(HttpContext context, string approvalId, JsonBody<CancelRequest>? body, ApprovalUseCases approvals,
        DurableTaskClient client, CancellationToken ct) =>
        approvals.CancelAsync(approvalId, body?.Value, AccessGate.Current(context), client, ct).ToApi();
}
