using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.Extensions.Options;
using Orchestrator.Workflows.Model;
using Orchestrator.Workflows.Storage;
using Orchestrator.Workflows.Webhooks;

namespace Orchestrator.Workflows.Approvals;

/// <summary>Result of a decision attempt through an approval link.</summary>
public enum DecisionResult { Accepted, NotFound, Forbidden, AlreadyDecided }

/// <summary>
/// Approval requests: creates the approval, emails each approver a link with their own token, records each approver's
/// decision once (ETag-conditional writes, re-read on conflict, so concurrent clicks neither both win nor get lost),
/// reminds, escalates, resends, cancels and expires.
/// </summary>
public sealed class ApprovalService(TrialStore trialStore, ModelStore modelStore, DeploymentStore deploymentStore, ApprovalStore approvalStore,
    ApprovalTokens tokens, ApprovalMailer mailer, IOptions<ApprovalOptions> options, TimeProvider clock,
    WebhookPublisher webhooks)
{
    public string LinkFor(string approvalId, string token) =>
        $"{options.Value.PublicBaseUrl.TrimEnd('/')}/api/approvals/{approvalId}?token={Uri.EscapeDataString(token)}";

    /// <summary>Creates the approval (once) and emails the approvers not yet notified. A send failure is recorded on the approval, which stays open.</summary>
    public async Task<ApprovalInfo> RequestAsync(ApprovalRequest request, CancellationToken ct = default)
    {
        var trial = await trialStore.GetTrialAsync(request.RunId, request.TrialId, ct)
            ?? throw new InvalidOperationException($"Trial {request.TrialId} of run {request.RunId} does not exist.");
        var approval = (await approvalStore.GetApprovalAsync(request.ApprovalId, ct))?.Approval
            ?? new ApprovalInfo(request.ApprovalId, request.RunId, request.Project, request.InstanceId, request.Approvers,
                ApprovalStatus.Pending, request.ExpiresAt, null, null, null, request.TrialId, trial.Metrics, request.Kpis,
                [], null, request.Quorum, [], request.RequestedBy, CreatedAt: clock.GetUtcNow());
        await approvalStore.PutApprovalAsync(approval, ct);
        await webhooks.PublishAsync(WebhookEvent.ApprovalRequested(approval, clock.GetUtcNow()), ct);
        return await SendAsync(approval, approval.Approvers.Where(a => !Mailbox.Contains(approval.Notified ?? [], a)).ToList(), "Approval needed", ct);
    }

    /// <summary>Reminds approvers who have not decided, or (with <paramref name="escalateTo"/>) adds escalation contacts as approvers and sends them links.</summary>
    public async Task<ApprovalInfo?> NotifyAsync(string approvalId, IReadOnlyList<string>? escalateTo, CancellationToken ct = default)
    {
        var found = await approvalStore.GetApprovalAsync(approvalId, ct);
        if (found is not { Approval.Status: ApprovalStatus.Pending }) return found?.Approval;
        var approval = found.Value.Approval;
        if (escalateTo is { Count: > 0 })
        {
            var added = Mailbox.Distinct(escalateTo).Where(c => !Mailbox.Contains(approval.Approvers, c)).ToList();
            approval = approval with { Approvers = [.. approval.Approvers, .. added], Escalated = [.. approval.Escalated ?? [], .. added] };
            await approvalStore.PutApprovalAsync(approval, ct);
            return await SendAsync(approval, added, "Escalated: approval needed", ct);
        }
        approval = approval with { Reminders = approval.Reminders + 1 };
        await approvalStore.PutApprovalAsync(approval, ct);
        return await SendAsync(approval, Undecided(approval), "Reminder: approval needed", ct);
    }

    /// <summary>Sends fresh links to every approver who has not decided (<c>POST /api/approvals/{id}/resend</c>).</summary>
    public async Task<(bool Ok, string Message, ApprovalInfo? Approval)> ResendAsync(string approvalId, CancellationToken ct = default)
    {
        var found = await approvalStore.GetApprovalAsync(approvalId, ct);
        if (found is null) return (false, "No such approval.", null);
        if (found.Value.Approval.Status != ApprovalStatus.Pending) return (false, $"This approval is closed: {found.Value.Approval.Status}.", found.Value.Approval);
        var approval = await SendAsync(found.Value.Approval, Undecided(found.Value.Approval), "Approval needed", ct);
        return (approval.SendError is null, approval.SendError ?? $"Sent to {string.Join(", ", Undecided(approval))}.", approval);
    }

    private static List<string> Undecided(ApprovalInfo approval) =>
        approval.Approvers.Where(a => !approval.DecisionList.Any(d => Mailbox.Same(d.Approver, a))).ToList();

    private async Task<ApprovalInfo> SendAsync(ApprovalInfo approval, IReadOnlyList<string> recipients, string subject, CancellationToken ct)
    {
        var trial = await trialStore.GetTrialAsync(approval.RunId, approval.TrialId, ct);
        var production = await deploymentStore.GetProductionVersionAsync(approval.Project, ct) is { } v ? await modelStore.GetModelVersionAsync(approval.Project, v, ct) : null;
        var notified = new List<string>(approval.Notified ?? []);
        var errors = new List<string>();
        foreach (var approver in recipients)
        {
            var link = LinkFor(approval.ApprovalId, tokens.Create(approval.ApprovalId, approver, approval.ExpiresAt));
            try
            {
                await mailer.SendAsync(Compose(subject, approval, trial, production, approver, link), ct);
                if (!notified.Contains(approver, StringComparer.OrdinalIgnoreCase)) notified.Add(approver);
            }
            catch (Exception e) when (e is IOException or MailKit.ServiceNotConnectedException or MailKit.CommandException or MailKit.ProtocolException or System.Net.Sockets.SocketException or MimeKit.ParseException or ArgumentException)
            {
                errors.Add($"sending to {approver} failed: {e.Message}");
            }
        }
        // Re-read so a decision recorded meanwhile is not overwritten.
        var latest = (await approvalStore.GetApprovalAsync(approval.ApprovalId, ct))?.Approval ?? approval;
        latest = latest with { Notified = notified, SendError = errors.Count == 0 ? null : $"{clock.GetUtcNow():u}: {string.Join("; ", errors)}" };
        await approvalStore.PutApprovalAsync(latest, ct);
        return latest;
    }

    private static EmailMessage Compose(string subject, ApprovalInfo approval, TrialResult? trial, ModelVersionInfo? production, string approver, string link)
    {
        static string F(double v) => v.ToString("0.####", CultureInfo.InvariantCulture);
        string Prod(string metric) => production?.Metrics.TryGetValue(metric, out var p) == true ? F(p) : "-";
        var kpiOf = (string metric) => approval.Kpis.FirstOrDefault(k => k.Metric == metric);
        var metrics = string.Join("\n", approval.Metrics.Select(m =>
            $"  {m.Key}: {F(m.Value)} (production {Prod(m.Key)}{(kpiOf(m.Key) is { } k ? $"; KPI {k}: {(k.IsMetBy(m.Value) ? "met" : "NOT met")}" : "")})"));
        var text = $"""
            A model of project '{approval.Project}' waits for your decision.

            Run: {approval.RunId}
            Candidate: {approval.TrialId} {trial?.Trainer}
            Metrics on the test set, against production{(production is null ? " (none yet)" : $" v{production.Version}")} and the KPIs:
            {metrics}
            Approvals needed: {approval.Quorum}
            Decide before {approval.ExpiresAt:u}:
            {link}

            This link is yours ({approver}); do not forward it.
            """;
        var e = (string? s) => WebUtility.HtmlEncode(s ?? "");
        var html = new StringBuilder()
            .Append("<html><body style=\"font-family:sans-serif\"><p>A model of project <b>").Append(e(approval.Project)).Append("</b> waits for your decision.</p>")
            .Append("<p>Run ").Append(e(approval.RunId)).Append(", candidate ").Append(e(approval.TrialId)).Append(' ').Append(e(trial?.Trainer)).Append("</p>")
            .Append("<table border=\"1\" cellpadding=\"4\" style=\"border-collapse:collapse\"><tr><th>metric</th><th>candidate</th><th>production</th><th>KPI</th></tr>");
        foreach (var m in approval.Metrics)
        {
            var k = kpiOf(m.Key);
            html.Append("<tr><td>").Append(e(m.Key)).Append("</td><td>").Append(F(m.Value)).Append("</td><td>").Append(Prod(m.Key)).Append("</td><td>")
                .Append(k is null ? "" : e($"{k}: {(k.IsMetBy(m.Value) ? "met" : "NOT met")}")).Append("</td></tr>");
        }
        html.Append("</table><p>Decide before ").Append(e(approval.ExpiresAt.ToString("u", CultureInfo.InvariantCulture)))
            .Append(": <a href=\"").Append(e(link)).Append("\">review and decide</a></p><p style=\"color:#666\">This link is yours (")
            .Append(e(approver)).Append("); do not forward it.</p></body></html>");
        return new EmailMessage(approver, $"{subject}: {approval.Project} run {approval.RunId}", text, html.ToString());
    }

    /// <summary>Checks the token, the approver and the approval, then records this approver's decision once.</summary>
    public async Task<(DecisionResult Result, string Message, ApprovalInfo? Approval, ApproverDecision? Decision, string? Approver)> DecideAsync(
        string approvalId, string? token, string decision, string? reason, string? comment, DateTimeOffset now, CancellationToken ct = default)
    {
        for (var attempt = 0; ; attempt++)
        {
            var found = await approvalStore.GetApprovalAsync(approvalId, ct);
            if (found is null) return (DecisionResult.NotFound, "No such approval.", null, null, null);
            var (approval, etag) = found.Value;
            var (ok, message, claims) = Check(approval, token, now);
            if (!ok) return (DecisionResult.Forbidden, message, approval, null, null);
            var approver = claims!.Approver;
            if (approval.DecisionList.FirstOrDefault(d => Mailbox.Same(d.Approver, approver)) is { } mine)
                return (DecisionResult.AlreadyDecided, $"You already decided: {mine.Decision} at {mine.At:u}. The request is {approval.Status}.", approval, mine, approver);
            if (approval.Status != ApprovalStatus.Pending)
                return (DecisionResult.AlreadyDecided, $"This request is closed: {approval.Status}{(approval.DecidedBy is null ? "" : " by " + approval.DecidedBy)}.", approval, null, approver);
            if (Mailbox.Same(approval.RequestedBy, approver))
                return (DecisionResult.Forbidden, "Separation of duties: the person who started the run cannot approve it.", approval, null, approver);

            var recorded = new ApproverDecision(approver, decision, decision == ApprovalDecision.Reject ? reason ?? "other" : null, comment, now);
            var decisions = approval.DecisionList.Append(recorded).ToList();
            // A quorum counts people: address forms of one mailbox are one approval.
            var approvals = Mailbox.Distinct(decisions.Where(d => d.Decision == ApprovalDecision.Approve).Select(d => d.Approver)).Count;
            var status = decision == ApprovalDecision.Reject ? ApprovalStatus.Rejected
                : approvals >= approval.Quorum ? ApprovalStatus.Approved : ApprovalStatus.Pending;
            var updated = approval with
            {
                Decisions = decisions, Status = status,
                DecidedBy = status == ApprovalStatus.Pending ? null : approver,
                Comment = status == ApprovalStatus.Pending ? null : comment,
                Reason = status == ApprovalStatus.Rejected ? recorded.Reason : null,
                DecidedAt = status == ApprovalStatus.Pending ? null : now,
            };
            if (await approvalStore.TryUpdateApprovalAsync(updated, etag, ct))
                return (DecisionResult.Accepted, status == ApprovalStatus.Pending
                    ? $"Recorded: {decision}. {approvals} of {approval.Quorum} approvals so far."
                    : $"Recorded: {status}.", updated, recorded, approver);
            if (attempt >= 10) return (DecisionResult.AlreadyDecided, "The approval is changing too fast; try again.", approval, null, approver);
            // Someone else decided at the same moment: read again and re-check.
        }
    }

    /// <summary>Cancels a pending approval (by the run's owner); false with the reason when it is closed.</summary>
    public async Task<(bool Ok, string Message, ApprovalInfo? Approval)> CancelAsync(string approvalId, string by, string? comment, DateTimeOffset now, CancellationToken ct = default)
    {
        for (var attempt = 0; attempt < 10; attempt++)
        {
            var found = await approvalStore.GetApprovalAsync(approvalId, ct);
            if (found is null) return (false, "No such approval.", null);
            var (approval, etag) = found.Value;
            if (approval.Status != ApprovalStatus.Pending) return (false, $"This approval is closed: {approval.Status}.", approval);
            if (approval.RequestedBy is not null && !Mailbox.Same(approval.RequestedBy, by))
                return (false, $"Only the run's owner ({approval.RequestedBy}) can cancel this approval.", approval);
            var cancelled = approval with { Status = ApprovalStatus.Cancelled, DecidedBy = by, Comment = comment, DecidedAt = now };
            if (await approvalStore.TryUpdateApprovalAsync(cancelled, etag, ct)) return (true, "Cancelled.", cancelled);
        }
        return (false, "The approval is changing too fast; try again.", null);
    }

    /// <summary>Validates a token for an approval: signature, binding, approver still listed, expiry.</summary>
    public (bool Ok, string Message, ApprovalClaims? Claims) Check(ApprovalInfo approval, string? token, DateTimeOffset now)
    {
        var failure = tokens.Verify(approval.ApprovalId, token, now, out var claims);
        var contact = approval.RequestedBy is null ? "the project's data scientists" : approval.RequestedBy;
        // An approval closed by its deadline is expired for every link, even if a timer fired a moment early.
        if (failure == TokenFailure.None && approval.Status == ApprovalStatus.Expired) failure = TokenFailure.Expired;
        return failure switch
        {
            TokenFailure.None when claims is not null && Mailbox.Contains(approval.Approvers, claims.Approver) => (true, "", claims),
            TokenFailure.None => (false, "This link's approver is no longer an approver of this request.", null),
            TokenFailure.Expired => (false, $"This link expired at {(claims?.ExpiresAt ?? approval.ExpiresAt):u}. Contact {contact} to request approval again.", null),
            _ => (false, "This link is not valid for this approval.", null),
        };
    }

    /// <summary>Closes a pending approval (timeout); a decided one stays as it is. Returns the approval as it then is.</summary>
    public async Task<ApprovalInfo?> CloseAsync(string approvalId, ApprovalStatus status, DateTimeOffset now, CancellationToken ct = default)
    {
        var found = await approvalStore.GetApprovalAsync(approvalId, ct);
        var approval = found?.Approval;
        if (found is { Approval.Status: ApprovalStatus.Pending })
        {
            var closed = found.Value.Approval with { Status = status, DecidedAt = now };
            approval = await approvalStore.TryUpdateApprovalAsync(closed, found.Value.ETag, ct) ? closed : (await approvalStore.GetApprovalAsync(approvalId, ct))?.Approval;
        }
        // Published on every call that finds it closed (keyed by the approval): a retry after the write still announces it.
        if (approval is { Status: not ApprovalStatus.Pending }) await PublishDecidedAsync(approval, ct);
        return approval;
    }

    /// <summary>Publishes <c>approval.decided</c> for an approval that is no longer pending (idempotent: one event per approval).</summary>
    public Task PublishDecidedAsync(ApprovalInfo approval, CancellationToken ct = default) =>
        webhooks.PublishAsync(WebhookEvent.ApprovalDecided(approval, clock.GetUtcNow()), ct);

    /// <summary>Publishes <c>approval.decided</c> when the approval is decided (or closed); false when it is missing or still pending.</summary>
    public async Task<bool> AnnounceDecidedAsync(string approvalId, CancellationToken ct = default)
    {
        if ((await approvalStore.GetApprovalAsync(approvalId, ct))?.Approval is not { Status: not ApprovalStatus.Pending } approval) return false;
        await PublishDecidedAsync(approval, ct);
        return true;
    }

    /// <summary>What the orchestration needs to catch up with the table.</summary>
    public static ApprovalSnapshot? Snapshot(ApprovalInfo? approval) =>
        approval is null ? null : new ApprovalSnapshot(approval.Status, approval.DecisionList, approval.DecidedBy, approval.Comment);

    /// <summary>Approvals, newest first, filtered by status and approver.</summary>
    public async Task<List<ApprovalInfo>> ListAsync(ApprovalStatus? status, string? approver, CancellationToken ct = default) =>
        (await approvalStore.ListApprovalsAsync(ct))
            .Where(a => status is null || a.Status == status)
            .Where(a => approver is null || (Mailbox.Contains(a.Approvers, approver)
                && !a.DecisionList.Any(d => Mailbox.Same(d.Approver, approver))))
            .OrderByDescending(a => a.CreatedAt)
            .ToList();
}
