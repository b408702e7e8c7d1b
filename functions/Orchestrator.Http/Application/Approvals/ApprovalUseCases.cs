using Microsoft.DurableTask.Client;
using Orchestrator.Http.Security;
using Orchestrator.Workflows.Approvals;
using Orchestrator.Workflows.Model;
using Orchestrator.Workflows.Storage;
using Orchestrator.Workflows.Training;

namespace Orchestrator.Http.Application.Approvals;

/// <summary>
/// The SMEs' approvals: what waits for whom, the page of an emailed link, the decision it posts, resending links and
/// withdrawing a request. A decision reaches the run's orchestration only after it was recorded, so it arrives once.
/// </summary>
public sealed class ApprovalUseCases(ApprovalService approvals, ApprovalStore approvalStore, RunStore runStore, TrialStore trialStore,
    ModelStore modelStore, DeploymentStore deploymentStore, DatasetStore datasetStore, ModelCardBuilder modelCards, DataRights rights, TimeProvider clock,
    WebhookDispatcher webhooks)
{
    private const int MaxCommentLength = 4000;

    /// <summary>Requests by status and approver, of the projects the caller may read, but those of runs on datasets restricted from it.</summary>
    public async Task<Outcome<ApprovalsView>> ListAsync(ApprovalsQuery query, AccessContext? access, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var wanted = WireNames.Find<ApprovalStatus>(query.Status);
        if (!string.IsNullOrEmpty(query.Status) && wanted is null) errors["status"] = [$"One of {string.Join(", ", WireNames.All<ApprovalStatus>())}."];
        var page = Checks.Page(query.Offset, query.Limit, DefaultLimit, MaxLimit, errors);
        if (errors.Count > 0) return Failure.Invalid(errors);
        var reader = rights.For(access);
        var visible = new List<ApprovalView>();
        foreach (var a in await approvals.ListAsync(wanted, string.IsNullOrEmpty(query.Approver) ? null : query.Approver, ct))
        {
            if ((!string.IsNullOrEmpty(query.Project) && a.Project != query.Project) || (!string.IsNullOrEmpty(query.Run) && a.RunId != query.Run)) continue;
            if (access?.Allows(Permission.Read, a.Project) != true) continue;
            if (await runStore.GetRunAsync(a.RunId, ct) is { } run && !await reader.MayReadAsync(run.Project, run.Dataset, ct)) continue;
            visible.Add(ApprovalView.Of(a));
        }
        // Newest first: what waits now matters more than what was decided last month.
        visible = [.. visible.OrderByDescending(a => a.CreatedAt ?? a.ExpiresAt).ThenBy(a => a.ApprovalId, StringComparer.Ordinal)];
        return Outcome<ApprovalsView>.Ok(new ApprovalsView(page.Of(visible), visible.Count, page.Offset, page.Limit, page.NextOffset(visible.Count)));
    }

    public const int DefaultLimit = 100;
    public const int MaxLimit = 500;

    /// <summary>
    /// What the link's page shows: the candidate with its metrics, confusion matrix, the champion and the data — or
    /// that it is decided. Forbidden when the token is not valid for this request; the page itself never decides
    /// (mail scanners prefetch links).
    /// </summary>
    public async Task<Outcome<ApprovalReview>> ReviewAsync(string approvalId, string? token, CancellationToken ct)
    {
        var found = Names.IsValidId(approvalId) ? await approvalStore.GetApprovalAsync(approvalId, ct) : null;
        if (found is null) return Failure.NotFound("Approval not found", "This approval does not exist.");
        var approval = found.Value.Approval;
        var (ok, message, claims) = approvals.Check(approval, token, clock.GetUtcNow());
        if (!ok) return Failure.Forbidden(message, "Link not valid");
        var approver = claims!.Approver;
        if (approval.DecisionList.FirstOrDefault(d => string.Equals(d.Approver, approver, StringComparison.OrdinalIgnoreCase)) is { } mine)
            return Outcome<ApprovalReview>.Ok(new ApprovalReview(approval, approver, token!, $"You decided: {mine.Decision} at {mine.At:u}. The request is {approval.Status}."));
        if (approval.Status != ApprovalStatus.Pending)
            return Outcome<ApprovalReview>.Ok(new ApprovalReview(approval, approver, token!,
                $"This request is closed: {approval.Status}{(approval.DecidedBy is null ? "" : " by " + approval.DecidedBy)}."));
        var run = await runStore.GetRunAsync(approval.RunId, ct);
        var trial = await trialStore.GetTrialAsync(approval.RunId, approval.TrialId, ct);
        var production = await deploymentStore.GetProductionVersionAsync(approval.Project, ct) is { } pv ? await modelStore.GetModelVersionAsync(approval.Project, pv, ct) : null;
        // The link names a mailbox, not a signed-in person with groups: only a restriction naming that mailbox (or its
        // owner) shows the approver what the dataset's rows gave; the metrics and KPIs stay, which is what they judge.
        if (run is not null && await datasetStore.GetDatasetAsync(run.Project, run.Dataset, ct) is { } info
            && !new AccessContext(new Caller(approver, [], [], IsService: false), []).CanReadData(info))
            return Outcome<ApprovalReview>.Ok(new ApprovalReview(approval, approver, token!, null, trial is null ? null : trial with { ConfusionMatrix = null, Slices = null },
                run, production, Withheld: info));
        var dataset = run?.DatasetVersion is { } dv ? await datasetStore.GetDatasetVersionAsync(run.Project, run.Dataset, dv, ct) : null;
        var card = run is null ? null : await modelCards.ReadAsync(run.Project, run.RunId, ct);
        return Outcome<ApprovalReview>.Ok(new ApprovalReview(approval, approver, token!, null, trial, run, production, dataset, card));
    }

    /// <summary>
    /// Records one approver's decision (the link's token names them; the audit log records them, not "anonymous") and
    /// hands it to the run's orchestration; once the request is closed, <c>approval.decided</c> is published.
    /// </summary>
    public async Task<Outcome<DecisionView>> DecideAsync(string approvalId, DecisionRequest request, DurableTaskClient client, CancellationToken ct)
    {
        var decision = request.Decision?.Trim().ToLowerInvariant();
        if (decision is not (ApprovalDecision.Approve or ApprovalDecision.Reject)) return Failure.Invalid("decision", "Must be 'approve' or 'reject'.");
        var comment = string.IsNullOrWhiteSpace(request.Comment) ? null : request.Comment.Trim();
        if (comment?.Length > MaxCommentLength) return Failure.Invalid("comment", $"At most {MaxCommentLength} characters.");
        var reason = string.IsNullOrWhiteSpace(request.Reason) ? null : request.Reason.Trim().ToLowerInvariant();
        if (reason is not null && !RejectionReason.All.Contains(reason)) return Failure.Invalid("reason", $"One of {string.Join(", ", RejectionReason.All)}.");
        if (!Names.IsValidId(approvalId)) return Failure.NotFound("Approval not found", "No such approval.");

        var (result, message, approval, recorded, approver) = await approvals.DecideAsync(approvalId, request.Token, decision, reason, comment, clock.GetUtcNow(), ct);
        Outcome<DecisionView> outcome = result switch
        {
            DecisionResult.NotFound => Failure.NotFound("Approval not found", message),
            DecisionResult.Forbidden => Failure.Forbidden(message, "Link not valid"),
            DecisionResult.AlreadyDecided => Failure.Conflict("Already decided", message),
            _ => Outcome<DecisionView>.Ok(new DecisionView(approval!.ApprovalId, approval.RunId, approval.Status, recorded!, message)),
        };
        if (outcome.Succeeded)
        {
            // Raised only after this approver's decision was written: the orchestration receives each decision once.
            await client.RaiseEventAsync(approval!.InstanceId, ApprovalDecision.EventName, new ApprovalDecision(decision, recorded!.Approver, comment, recorded.Reason), ct);
            if (approval.Status != ApprovalStatus.Pending) await AnnounceDecidedAsync(client, approval, ct);
        }
        return outcome with { AuditDetail = $"{decision}: {message}", AuditActor = approver };
    }

    /// <summary>Fresh links to the approvers who have not decided; a conflict when the request is closed, upstream when mail failed.</summary>
    public async Task<Outcome<ResendView>> ResendAsync(string approvalId, CancellationToken ct)
    {
        if (!Names.IsValidId(approvalId)) return Failure.NotFound("Approval not found", "No such approval.");
        var (ok, message, approval) = await approvals.ResendAsync(approvalId, ct);
        if (approval is null) return Failure.NotFound("Approval not found", message);
        if (approval.Status != ApprovalStatus.Pending) return Failure.Conflict("Approval closed", message);
        return ok ? Outcome<ResendView>.Ok(new ResendView(message, ApprovalView.Of(approval))) : new Failure(OutcomeKind.Upstream, "Email not sent", message);
    }

    /// <summary>The run's owner (the signed-in caller) withdraws the request; the run ends Cancelled.</summary>
    public async Task<Outcome<ApprovalView>> CancelAsync(string approvalId, CancelRequest? request, AccessContext? access, DurableTaskClient client, CancellationToken ct)
    {
        if (!Names.IsValidId(approvalId)) return Failure.NotFound("Approval not found", "No such approval.");
        var by = access?.Caller.Id ?? "anonymous";
        var (ok, message, approval) = await approvals.CancelAsync(approvalId, by, request?.Comment, clock.GetUtcNow(), ct);
        if (approval is null) return Failure.NotFound("Approval not found", message);
        if (!ok) return approval.Status == ApprovalStatus.Pending ? Failure.Forbidden(message, "Cannot cancel") : Failure.Conflict("Cannot cancel", message);
        await client.RaiseEventAsync(approval.InstanceId, ApprovalDecision.EventName, new ApprovalDecision(ApprovalDecision.Cancel, by, request?.Comment), ct);
        await AnnounceDecidedAsync(client, approval, ct);
        return Outcome<ApprovalView>.Ok(ApprovalView.Of(approval));
    }

    /// <summary>
    /// <c>approval.decided</c>, published after the orchestration got the decision (the route's work is done whatever
    /// happens to the event), then handed to delivery with the route's own client.
    /// </summary>
    private async Task AnnounceDecidedAsync(DurableTaskClient client, ApprovalInfo approval, CancellationToken ct)
    {
        await approvals.PublishDecidedAsync(approval, ct);
        await webhooks.TryDispatchAsync(client, ct);
    }
}
