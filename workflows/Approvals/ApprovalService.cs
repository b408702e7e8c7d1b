using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.Extensions.Options;
using Orchestrator.Workflows.Model;
using Orchestrator.Workflows.Storage;

namespace Orchestrator.Workflows.Approvals;

/// <summary>Result of a decision attempt through an approval link.</summary>
public enum DecisionResult { Accepted, NotFound, Forbidden, AlreadyDecided }

/// <summary>
/// Approval requests: creates the approval, emails each approver a link with their own token, and records a decision
/// once (an ETag-conditional write, so two clicks cannot both win).
/// </summary>
public sealed class ApprovalService(MetadataStore metadata, ApprovalTokens tokens, ApprovalMailer mailer, IOptions<ApprovalOptions> options)
{
    public string LinkFor(string approvalId, string token) =>
        $"{options.Value.PublicBaseUrl.TrimEnd('/')}/api/approvals/{approvalId}?token={Uri.EscapeDataString(token)}";

    /// <summary>Creates the approval (once) and emails the approvers not yet notified.</summary>
    public async Task<ApprovalInfo> RequestAsync(ApprovalRequest request, CancellationToken ct = default)
    {
        var trial = await metadata.GetTrialAsync(request.RunId, request.TrialId, ct)
            ?? throw new InvalidOperationException($"Trial {request.TrialId} of run {request.RunId} does not exist.");
        var approval = (await metadata.GetApprovalAsync(request.ApprovalId, ct))?.Approval
            ?? new ApprovalInfo(request.ApprovalId, request.RunId, request.Project, request.InstanceId, request.Approvers,
                ApprovalStatus.Pending, request.ExpiresAt, null, null, null, request.TrialId, trial.Metrics, request.Kpis, [], null);
        await metadata.PutApprovalAsync(approval, ct);

        var notified = new List<string>(approval.Notified ?? []);
        string? sendError = null;
        foreach (var approver in request.Approvers.Where(a => !notified.Contains(a)))
        {
            var link = LinkFor(approval.ApprovalId, tokens.Create(approval.ApprovalId, approver, approval.ExpiresAt));
            try
            {
                await mailer.SendAsync(Compose(approval, trial, approver, link), ct);
                notified.Add(approver);
            }
            catch (Exception e) when (e is IOException or MailKit.ServiceNotConnectedException or MailKit.Net.Smtp.SmtpCommandException or MailKit.Net.Smtp.SmtpProtocolException or System.Net.Sockets.SocketException)
            {
                sendError = $"Sending to {approver} failed: {e.Message}";
            }
        }
        approval = approval with { Notified = notified, SendError = sendError };
        await metadata.PutApprovalAsync(approval, ct);
        // Surfaced to the activity's retry policy; the approval itself is kept either way.
        if (sendError is not null) throw new InvalidOperationException(sendError);
        return approval;
    }

    private static EmailMessage Compose(ApprovalInfo approval, TrialResult trial, string approver, string link)
    {
        static string F(double v) => v.ToString("0.####", CultureInfo.InvariantCulture);
        var metrics = string.Join("\n", trial.Metrics.Select(m => $"  {m.Key}: {F(m.Value)}"));
        var kpis = string.Join("\n", approval.Kpis.Select(k => $"  {k}: {(trial.Metrics.TryGetValue(k.Metric, out var v) && k.IsMetBy(v) ? "met" : "NOT met")}"));
        var text = $"""
            A model of project '{approval.Project}' waits for your approval.

            Run: {approval.RunId}
            Candidate: {trial.TrialId} {trial.Trainer}
            Metrics on the test set:
            {metrics}
            KPIs:
            {kpis}
            Decide before {approval.ExpiresAt:u}:
            {link}
            """;
        var e = (string s) => WebUtility.HtmlEncode(s);
        var html = new StringBuilder()
            .Append("<html><body><p>A model of project <b>").Append(e(approval.Project)).Append("</b> waits for your approval.</p>")
            .Append("<p>Run ").Append(e(approval.RunId)).Append(", candidate ").Append(e(trial.TrialId)).Append(' ').Append(e(trial.Trainer)).Append("</p><table>");
        foreach (var m in trial.Metrics) html.Append("<tr><td>").Append(e(m.Key)).Append("</td><td>").Append(F(m.Value)).Append("</td></tr>");
        html.Append("</table><p>Decide before ").Append(e(approval.ExpiresAt.ToString("u", CultureInfo.InvariantCulture)))
            .Append(": <a href=\"").Append(e(link)).Append("\">review and decide</a></p></body></html>");
        return new EmailMessage(approver, $"Approval needed: {approval.Project} run {approval.RunId}", text, html.ToString());
    }

    /// <summary>Checks the token and the approval, then records the decision once.</summary>
    public async Task<(DecisionResult Result, string Message, ApprovalInfo? Approval)> DecideAsync(
        string approvalId, string? token, string decision, string? comment, DateTimeOffset now, CancellationToken ct = default)
    {
        var found = await metadata.GetApprovalAsync(approvalId, ct);
        if (found is null) return (DecisionResult.NotFound, "No such approval.", null);
        var (approval, etag) = found.Value;
        var (ok, message, claims) = Check(approval, token, now);
        if (!ok) return (DecisionResult.Forbidden, message, approval);
        if (approval.Status != ApprovalStatus.Pending)
            return (DecisionResult.AlreadyDecided, $"This approval was already closed: {approval.Status} by {approval.DecidedBy ?? "the system"}.", approval);
        var decided = approval with
        {
            Status = decision == ApprovalDecision.Approve ? ApprovalStatus.Approved : ApprovalStatus.Rejected,
            DecidedBy = claims!.Approver, Comment = comment, DecidedAt = now,
        };
        return await metadata.TryUpdateApprovalAsync(decided, etag, ct)
            ? (DecisionResult.Accepted, $"Recorded: {decided.Status}.", decided)
            : (DecisionResult.AlreadyDecided, "This approval was decided a moment ago by someone else.", approval);
    }

    /// <summary>Validates a token for an approval: signature, binding, approver still listed, expiry.</summary>
    public (bool Ok, string Message, ApprovalClaims? Claims) Check(ApprovalInfo approval, string? token, DateTimeOffset now)
    {
        var failure = tokens.Verify(approval.ApprovalId, token, now, out var claims);
        return failure switch
        {
            TokenFailure.None when claims is not null && approval.Approvers.Contains(claims.Approver) => (true, "", claims),
            TokenFailure.None => (false, "This link's approver is no longer an approver of this request.", null),
            TokenFailure.Expired => (false, $"This link expired at {claims!.ExpiresAt:u}. Ask the project's data scientists to request approval again.", null),
            _ => (false, "This link is not valid for this approval.", null),
        };
    }

    /// <summary>Closes a pending approval (timeout); a decided one stays as it is.</summary>
    public async Task CloseAsync(string approvalId, string status, DateTimeOffset now, CancellationToken ct = default)
    {
        var found = await metadata.GetApprovalAsync(approvalId, ct);
        if (found is not { Approval.Status: ApprovalStatus.Pending }) return;
        await metadata.TryUpdateApprovalAsync(found.Value.Approval with { Status = status, DecidedAt = now }, found.Value.ETag, ct);
    }
}
