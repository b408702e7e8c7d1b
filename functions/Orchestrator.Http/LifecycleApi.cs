using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using ProductJson = Orchestrator.Workflows.Storage.Json;
using Microsoft.Extensions.Options;
using Orchestrator.Http.Security;
using Orchestrator.Workflows.Approvals;
using Orchestrator.Workflows.DataLake;
using Orchestrator.Workflows.Model;
using Orchestrator.Workflows.Orchestrators;
using Orchestrator.Workflows.Serving;
using Orchestrator.Workflows.Storage;
using Orchestrator.Workflows.Training;

namespace Orchestrator.Http;

using static ApiResults;

/// <summary>
/// The HTTP API v1, written once. Each method is one route; the Functions app and the self-hosted server bind their
/// triggers/endpoints to these methods, so both behave the same. Errors are application/problem+json.
/// </summary>
public sealed class LifecycleApi(
    MetadataTables metadataTables, ProjectStore projectStore, DatasetStore datasetStore, RunStore runStore, TrialStore trialStore,
    ModelStore modelStore, DeploymentStore deploymentStore, ApprovalStore approvalStore, LakeStore lake, ApprovalService approvals, RunLauncher launcher,
    TimeProvider clock, IOptions<ApprovalOptions> approvalOptions, WebhookDispatcher webhooks)
{
    // ---- health ----

    /// <summary><c>GET /healthz</c></summary>
    public async Task<IResult> HealthAsync(CancellationToken ct)
    {
        await metadataTables.EnsureCreatedAsync(ct);
        await lake.EnsureCreatedAsync(ct);
        return Json(new { status = "healthy" });
    }

    // ---- projects ----

    /// <summary><c>PUT /api/projects/{project}</c></summary>
    public async Task<IResult> PutProjectAsync(HttpRequest request, string project, CancellationToken ct)
    {
        if (CheckName(project, "project") is { } bad) return bad;
        using var reader = new StreamReader(request.Body);
        var (definition, errors) = ProjectValidation.Parse(project, await reader.ReadToEndAsync(ct), approvalOptions.Value);
        if (definition is null) return Invalid(errors, $"The definition of project '{project}' is invalid.");
        var existed = await projectStore.GetProjectAsync(project, ct) is not null;
        await projectStore.PutProjectAsync(definition, ct);
        return Json(ProjectView(definition), existed ? 200 : 201);
    }

    /// <summary><c>GET /api/projects/{project}</c></summary>
    public async Task<IResult> GetProjectAsync(string project, CancellationToken ct)
    {
        if (CheckName(project, "project") is { } bad) return bad;
        var definition = await projectStore.GetProjectAsync(project, ct);
        return definition is null ? ProjectNotFound(project) : Json(ProjectView(definition));
    }

    private static object ProjectView(ProjectDefinition p) => new
    {
        name = p.Name, p.Task, p.Label, p.Features, featurization = p.Featurization ?? new Featurization(), p.PrimaryMetric, p.Kpis, p.Approvers, p.Quorum,
        remindAfter = p.RemindAfter, escalateAfter = p.EscalateAfter, p.EscalationContacts, approvalTimeout = p.ApprovalTimeout, p.RetrainSchedule,
        candidates = p.Candidates ?? (p.SearchSpace is null ? SearchSpace.Default(p.Task) : null), p.SearchSpace,
        p.MaxParallelTrials, p.MaxFailedTrials, p.TimeBudget, p.StopWhen, p.MinImprovement, p.CrossValidationFolds, p.TestFraction, p.Seed,
        p.RetrainWhen, monitoring = p.Monitoring ?? new MonitoringSettings(), p.FourEyes,
    };

    // ---- runs ----

    private sealed record StartRunRequest(string? Dataset, int? Version);

    private sealed record RerunRequest(int? Version, IReadOnlyList<CandidateSpec>? Candidates, SearchSpaceDefinition? SearchSpace);

    /// <summary><c>POST /api/projects/{project}/runs</c> <c>{ "dataset": "...", "version": 3 }</c></summary>
    public async Task<IResult> StartRunAsync(HttpRequest request, DurableTaskClient client, string project, CancellationToken ct)
    {
        if (CheckName(project, "project") is { } bad) return bad;
        StartRunRequest? body;
        try
        {
            body = await JsonSerializer.DeserializeAsync<StartRunRequest>(request.Body, ProductJson.Options, ct);
        }
        catch (JsonException e)
        {
            return Invalid(new() { ["body"] = [$"Invalid JSON: {e.Message}"] });
        }
        if (body?.Dataset is null || !Names.IsValidName(body.Dataset))
            return Invalid(new() { ["dataset"] = ["The dataset name is required (lower-case letters, digits and hyphens)."] });
        if (await projectStore.GetProjectAsync(project, ct) is null) return ProjectNotFound(project);
        if (await AccessGate.DemandDataAsync(request.HttpContext, datasetStore, project, body.Dataset, ct) is { } restricted) return restricted;
        var versions = await datasetStore.ListDatasetVersionsAsync(project, body.Dataset, ct);
        var chosen = body.Version is { } v
            ? versions.FirstOrDefault(x => x.Version == v)
            : versions.LastOrDefault(x => x.Status == DatasetStatus.Ready) ?? versions.LastOrDefault(x => x.Status == DatasetStatus.Pending);
        if (chosen is null)
            return Problem(404, "Dataset version not found", body.Version is null
                ? $"Dataset '{body.Dataset}' of project '{project}' has no usable version; upload one first."
                : $"Dataset '{body.Dataset}' of project '{project}' has no version {body.Version}.");
        if (chosen.Status == DatasetStatus.Failed)
            return Problem(409, "Dataset version failed ingestion", $"Version {chosen.Version} of '{body.Dataset}' failed ingestion: {chosen.Error}");
        var run = await launcher.StartAsync(client, project, body.Dataset, chosen.Version, "api", CallerId(request), ct: ct);
        var statusUrl = $"/api/runs/{run.RunId}";
        return Results.Json(new { runId = run.RunId, statusUrl, datasetVersion = chosen.Version }, ProductJson.Options, statusCode: 202).WithLocation(statusUrl);
    }

    /// <summary>
    /// <c>POST /api/runs/{runId}/rerun</c> <c>{ "version": n?, "candidates": [...]?, "searchSpace": {...}?, "requestedBy": "..."? }</c>: a new
    /// attempt of an ended run, linked to it (lineage), with optional overrides of the dataset version and search space.
    /// </summary>
    public async Task<IResult> RerunAsync(HttpRequest request, DurableTaskClient client, string runId, CancellationToken ct)
    {
        if (!Names.IsValidId(runId) || await runStore.GetRunAsync(runId, ct) is not { } previous)
            return Problem(404, "Run not found", $"Run '{runId}' does not exist.");
        RerunRequest? body = null;
        if (request.ContentLength is > 0 || request.Headers.TransferEncoding.Count > 0)
        {
            try { body = await JsonSerializer.DeserializeAsync<RerunRequest>(request.Body, ProductJson.Options, ct); }
            catch (JsonException e) { return Invalid(new() { ["body"] = [$"Invalid JSON: {e.Message}"] }); }
        }
        if (!RunStatus.IsFinal(previous.Status))
            return Problem(409, "Run still active", $"Run '{runId}' is {previous.Status}; rerun it once it has ended (or cancel its approval).");
        var project = await projectStore.GetProjectAsync(previous.Project, ct);
        if (project is null) return ProjectNotFound(previous.Project);
        if (body?.Candidates is { } candidates)
        {
            var errors = SearchSpace.Validate(project.Task, candidates).GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray());
            if (candidates.Count == 0) errors["candidates"] = ["At least one candidate."];
            if (errors.Count > 0) return Invalid(errors);
        }
        if (body?.SearchSpace is { } space)
        {
            var errors = SearchStrategies.Validate(project.Task, space).GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray());
            if (errors.Count > 0) return Invalid(errors);
        }
        var version = body?.Version ?? previous.DatasetVersion ?? 0;
        var info = await datasetStore.GetDatasetVersionAsync(previous.Project, previous.Dataset, version, ct);
        if (info is null) return Problem(404, "Dataset version not found", $"{previous.Project}/{previous.Dataset} has no version {version}.");
        if (info.Status == DatasetStatus.Failed) return Problem(409, "Dataset version failed ingestion", info.Error ?? "");
        if (await AccessGate.DemandDataAsync(request.HttpContext, datasetStore, previous.Project, previous.Dataset, ct) is { } restricted) return restricted;
        var run = await launcher.StartAsync(client, previous.Project, previous.Dataset, version, "rerun", CallerId(request),
            previous: previous, candidates: body?.Candidates ?? (body?.SearchSpace is null ? previous.Candidates : null),
            searchSpace: body?.SearchSpace ?? (body?.Candidates is null ? previous.SearchSpace : null), ct: ct);
        var statusUrl = $"/api/runs/{run.RunId}";
        return Results.Json(new { runId = run.RunId, statusUrl, previousRunId = previous.RunId, attempt = run.Attempt, datasetVersion = version }, ProductJson.Options, statusCode: 202).WithLocation(statusUrl);
    }

    /// <summary><c>GET /api/projects/{project}/runs</c></summary>
    public async Task<IResult> ListRunsAsync(string project, CancellationToken ct)
    {
        if (CheckName(project, "project") is { } bad) return bad;
        return Json(new { project, runs = await runStore.ListRunsAsync(project, ct) });
    }

    /// <summary><c>GET /api/runs/{runId}</c>: stage, status, progress, leaderboard, best, approval, model version, error.</summary>
    public async Task<IResult> GetRunAsync(string runId, CancellationToken ct)
    {
        if (!Names.IsValidId(runId)) return Problem(404, "Run not found", "No such run.");
        var run = await runStore.GetRunAsync(runId, ct);
        if (run is null) return Problem(404, "Run not found", $"Run '{runId}' does not exist.");
        var project = await projectStore.GetProjectAsync(run.Project, ct);
        var trials = await trialStore.ListTrialsAsync(runId, ct);
        var leaderboard = Leaderboard(trials, project?.PrimaryMetric ?? "", descending: project is null || !Metrics.LowerIsBetter(project.PrimaryMetric));
        object? approval = null;
        if (run.ApprovalId is not null && (await approvalStore.GetApprovalAsync(run.ApprovalId, ct))?.Approval is { } a)
            approval = ApprovalView(a);
        // The history of attempts: this run and the ones it re-ran, newest first.
        var attempts = new List<object>();
        for (var at = run; at is not null && attempts.Count < 50; at = at.PreviousRunId is null ? null : await runStore.GetRunAsync(at.PreviousRunId, ct))
            attempts.Add(new { at.RunId, at.Attempt, at.Status, at.DatasetVersion, at.Error, at.CreatedAt });
        return Json(new
        {
            run.RunId, run.Project, run.Dataset, run.DatasetVersion, run.Stage, run.Status,
            progress = new { trialsCompleted = trials.Count, trialsTotal = run.TrialsTotal },
            trials = leaderboard,
            best = trials.FirstOrDefault(t => t.TrialId == run.BestTrialId),
            approval, run.ModelVersion, run.Error, run.Trigger, run.RequestedBy, run.CreatedAt, run.UpdatedAt,
            run.Attempt, run.PreviousRunId, attempts, run.Champion, run.SweepNote,
        });
    }

    /// <summary>Trials best first by <paramref name="metric"/> (final rung of a halving search first), failed ones last.</summary>
    private static List<object> Leaderboard(List<TrialResult> trials, string metric, bool descending)
    {
        var ranked = trials.Where(t => t.Status == TrialStatus.Succeeded && t.Metrics.ContainsKey(metric))
            .OrderByDescending(t => t.Rung)
            .ThenBy(t => descending ? -t.Metrics[metric] : t.Metrics[metric])
            .ThenBy(t => t.TrialId, StringComparer.Ordinal).ToList();
        return ranked.Concat(trials.Except(ranked).OrderBy(t => t.TrialId, StringComparer.Ordinal))
            .Select((t, i) => (object)new
            {
                rank = ranked.Contains(t) ? i + 1 : (int?)null, id = $"{t.RunId}.{t.TrialId}", t.TrialId, t.Trainer, t.Parameters, t.Status,
                t.Metrics, t.Rung, t.Budget, t.Folds, t.Seed, t.TrainingSeconds, t.ModelBytes, t.Error,
            }).ToList();
    }

    /// <summary><c>GET /api/runs/{runId}/trials?sort=metric[:asc|:desc]</c>: the leaderboard.</summary>
    public async Task<IResult> ListTrialsAsync(HttpRequest request, string runId, CancellationToken ct)
    {
        if (!Names.IsValidId(runId) || await runStore.GetRunAsync(runId, ct) is not { } run)
            return Problem(404, "Run not found", $"Run '{runId}' does not exist.");
        var project = await projectStore.GetProjectAsync(run.Project, ct);
        var sort = request.Query["sort"].ToString();
        var parts = sort.Split(':');
        var metric = parts[0].Length > 0 ? parts[0] : project?.PrimaryMetric ?? "";
        var known = Metrics.ByTask.GetValueOrDefault(project?.Task ?? "") ?? [];
        if (!known.Contains(metric) || parts.Length > 2 || (parts.Length == 2 && parts[1] is not ("asc" or "desc")))
            return Invalid(new() { ["sort"] = [$"A metric of this run ({string.Join(", ", known)}), optionally :asc or :desc."] });
        var descending = parts.Length == 2 ? parts[1] == "desc" : !Metrics.LowerIsBetter(metric);
        return Json(new { runId, sort = $"{metric}:{(descending ? "desc" : "asc")}", trials = Leaderboard(await trialStore.ListTrialsAsync(runId, ct), metric, descending) });
    }

    /// <summary><c>GET /api/runs/{runId}/model-card</c>: the model card of the run's best candidate (once training passed the gates).</summary>
    public async Task<IResult> GetModelCardAsync(string runId, CancellationToken ct)
    {
        if (!Names.IsValidId(runId) || await runStore.GetRunAsync(runId, ct) is not { } run)
            return Problem(404, "Run not found", $"Run '{runId}' does not exist.");
        return await ReadModelCardAsync(run, ct) is { } card
            ? Json(card)
            : Problem(404, "No model card", $"Run '{runId}' has no model card: it is written when a candidate passes the KPI gate.");
    }

    private async Task<ModelCard?> ReadModelCardAsync(RunInfo run, CancellationToken ct)
    {
        var path = ModelCardBuilder.CardPath(run.Project, run.RunId);
        return await lake.ExistsAsync(StorageNames.ReportsContainer, path, ct)
            ? ProductJson.Deserialize<ModelCard>(Encoding.UTF8.GetString(await lake.DownloadBytesAsync(StorageNames.ReportsContainer, path, ct)))
            : null;
    }

    /// <summary><c>GET /api/trials/{id}</c> with <c>id</c> = <c>{runId}.{trialId}</c>: one trial, with its confusion matrix and model.</summary>
    public async Task<IResult> GetTrialAsync(string id, CancellationToken ct)
    {
        var dot = id.LastIndexOf('.');
        var (runId, trialId) = dot > 0 ? (id[..dot], id[(dot + 1)..]) : ("", "");
        if (!Names.IsValidId(runId) || !Names.IsValidId(trialId) || await trialStore.GetTrialAsync(runId, trialId, ct) is not { } trial)
            return Problem(404, "Trial not found", $"No trial '{id}' (ids look like {{runId}}.t001).");
        var run = await runStore.GetRunAsync(runId, ct);
        return Json(new
        {
            id, trial.RunId, trial.TrialId, run?.Project, run?.Dataset, run?.DatasetVersion, trial.Trainer, trial.Parameters, trial.Status,
            trial.Metrics, trial.ConfusionMatrix, perClassRecall = ModelCardBuilder.PerClassRecall(trial.ConfusionMatrix), trial.Seed, trial.Folds, trial.Rung, trial.Budget, trial.TrainingSeconds, trial.ModelBytes,
            modelUri = trial.ModelBlob is null ? null : $"{StorageNames.ModelsContainer}/{trial.ModelBlob}", trial.Error,
        });
    }

    private static object ApprovalView(ApprovalInfo a) => new
    {
        a.ApprovalId, a.RunId, a.Project, a.Status, a.Approvers, a.Quorum, a.ExpiresAt, a.DecidedBy, a.DecidedAt, a.Comment, a.Reason,
        decisions = a.DecisionList, notified = a.Notified, a.Escalated, a.Reminders, a.SendError, a.RequestedBy, a.TrialId, a.CreatedAt,
    };

    /// <summary><c>GET /api/approvals?status=pending&amp;approver=</c>: what waits for whom.</summary>
    public async Task<IResult> ListApprovalsAsync(HttpRequest request, CancellationToken ct)
    {
        var status = request.Query["status"].ToString() is { Length: > 0 } st ? st : null;
        var approver = request.Query["approver"].ToString() is { Length: > 0 } ap ? ap : null;
        var wanted = WireNames.Find<ApprovalStatus>(status);
        if (status is not null && wanted is null)
            return Invalid(new() { ["status"] = ["One of pending, approved, rejected, expired, cancelled."] });
        var access = AccessGate.Current(request.HttpContext);
        return Json(new { approvals = (await approvals.ListAsync(wanted, approver, ct)).Where(a => access?.Allows(Permission.Read, a.Project) == true).Select(ApprovalView) });
    }

    /// <summary><c>POST /api/approvals/{approvalId}/resend</c>: fresh links to the approvers who have not decided.</summary>
    public async Task<IResult> ResendApprovalAsync(string approvalId, CancellationToken ct)
    {
        if (!Names.IsValidId(approvalId)) return Problem(404, "Approval not found", "No such approval.");
        var (ok, message, approval) = await approvals.ResendAsync(approvalId, ct);
        if (approval is null) return Problem(404, "Approval not found", message);
        if (approval.Status != ApprovalStatus.Pending) return Problem(409, "Approval closed", message);
        return ok ? Json(new { message, approval = ApprovalView(approval) }) : Problem(502, "Email not sent", message);
    }

    private sealed record CancelBody(string? Comment);

    /// <summary><c>POST /api/approvals/{approvalId}/cancel</c> <c>{ "comment": "..." }</c>: the run's owner (the signed-in caller) withdraws the request; the run ends Cancelled.</summary>
    public async Task<IResult> CancelApprovalAsync(HttpRequest request, DurableTaskClient client, string approvalId, CancellationToken ct)
    {
        if (!Names.IsValidId(approvalId)) return Problem(404, "Approval not found", "No such approval.");
        CancelBody? body = null;
        if (request.ContentLength is > 0 || request.Headers.TransferEncoding.Count > 0)
        {
            try { body = await JsonSerializer.DeserializeAsync<CancelBody>(request.Body, ProductJson.Options, ct); }
            catch (JsonException e) { return Invalid(new() { ["body"] = [$"Invalid JSON: {e.Message}"] }); }
        }
        var by = CallerId(request)!;
        var (ok, message, approval) = await approvals.CancelAsync(approvalId, by, body?.Comment, clock.GetUtcNow(), ct);
        if (approval is null) return Problem(404, "Approval not found", message);
        if (!ok) return Problem(approval.Status == ApprovalStatus.Pending ? 403 : 409, "Cannot cancel", message);
        await client.RaiseEventAsync(approval.InstanceId, ApprovalDecision.EventName, new ApprovalDecision(ApprovalDecision.Cancel, by, body?.Comment), ct);
        await AnnounceDecidedAsync(client, approval, ct);
        return Json(ApprovalView(approval));
    }

    // ---- approvals ----

    /// <summary><c>GET /api/approvals/{approvalId}?token=</c>: an HTML page; it never decides (mail scanners prefetch links).</summary>
    public async Task<IResult> GetApprovalPageAsync(HttpRequest request, string approvalId, CancellationToken ct)
    {
        var token = request.Query["token"].ToString();
        var found = Names.IsValidId(approvalId) ? await approvalStore.GetApprovalAsync(approvalId, ct) : null;
        if (found is null) return ApprovalPages.Message(404, "Approval not found", "This approval does not exist.");
        var approval = found.Value.Approval;
        var (ok, message, claims) = approvals.Check(approval, token, clock.GetUtcNow());
        if (!ok) return ApprovalPages.Message(403, "Link not valid", message);
        if (approval.DecisionList.FirstOrDefault(d => string.Equals(d.Approver, claims!.Approver, StringComparison.OrdinalIgnoreCase)) is { } mine)
            return ApprovalPages.Message(200, "Already decided", $"You decided: {mine.Decision} at {mine.At:u}. The request is {approval.Status}.");
        if (approval.Status != ApprovalStatus.Pending)
            return ApprovalPages.Message(200, "Already decided", $"This request is closed: {approval.Status}{(approval.DecidedBy is null ? "" : " by " + approval.DecidedBy)}.");
        var run = await runStore.GetRunAsync(approval.RunId, ct);
        var trial = await trialStore.GetTrialAsync(approval.RunId, approval.TrialId, ct);
        var production = await deploymentStore.GetProductionVersionAsync(approval.Project, ct) is { } pv ? await modelStore.GetModelVersionAsync(approval.Project, pv, ct) : null;
        var dataset = run?.DatasetVersion is { } dv ? await datasetStore.GetDatasetVersionAsync(run.Project, run.Dataset, dv, ct) : null;
        var card = run is null ? null : await ReadModelCardAsync(run, ct);
        return ApprovalPages.Review(approval, claims!.Approver, token, trial, run, production, dataset, card);
    }

    private sealed record DecisionBody(string? Token, string? Decision, string? Comment, string? Reason);

    /// <summary><c>POST /api/approvals/{approvalId}</c> (form or JSON <c>{token, decision, comment}</c>): decides once.</summary>
    public async Task<IResult> DecideApprovalAsync(HttpRequest request, DurableTaskClient client, string approvalId, CancellationToken ct)
    {
        var isForm = request.HasFormContentType;
        DecisionBody? body;
        if (isForm)
        {
            var form = await request.ReadFormAsync(ct);
            body = new DecisionBody(form["token"].ToString(), form["decision"].ToString(), form["comment"].ToString(), form["reason"].ToString());
        }
        else
        {
            try { body = await JsonSerializer.DeserializeAsync<DecisionBody>(request.Body, ProductJson.Options, ct); }
            catch (JsonException e) { return Invalid(new() { ["body"] = [$"Invalid JSON: {e.Message}"] }); }
        }
        var decision = body?.Decision?.Trim().ToLowerInvariant();
        if (decision is not (ApprovalDecision.Approve or ApprovalDecision.Reject))
            return Invalid(new() { ["decision"] = ["Must be 'approve' or 'reject'."] });
        var comment = string.IsNullOrWhiteSpace(body!.Comment) ? null : body.Comment.Trim();
        if (comment?.Length > 4000) return Invalid(new() { ["comment"] = ["At most 4000 characters."] });
        var reason = string.IsNullOrWhiteSpace(body.Reason) ? null : body.Reason.Trim().ToLowerInvariant();
        if (reason is not null && !RejectionReason.All.Contains(reason))
            return Invalid(new() { ["reason"] = [$"One of {string.Join(", ", RejectionReason.All)}."] });
        if (!Names.IsValidId(approvalId)) return Problem(404, "Approval not found", "No such approval.");

        var (result, message, approval, recorded, approver) = await approvals.DecideAsync(approvalId, body.Token, decision, reason, comment, clock.GetUtcNow(), ct);
        // The link's token names the approver: the audit log records them, not "anonymous".
        if (approver is not null) AccessGate.SetAuditActor(request.HttpContext, approver);
        AccessGate.SetAuditDetail(request.HttpContext, $"{decision}: {message}");
        IResult Reply(int status, string title) => isForm ? ApprovalPages.Message(status, title, message) : Problem(status, title, message);
        switch (result)
        {
            case DecisionResult.NotFound: return Reply(404, "Approval not found");
            case DecisionResult.Forbidden: return Reply(403, "Link not valid");
            case DecisionResult.AlreadyDecided: return Reply(409, "Already decided");
        }
        // Raised only after this approver's decision was written: the orchestration receives each decision once.
        await client.RaiseEventAsync(approval!.InstanceId, ApprovalDecision.EventName,
            new ApprovalDecision(decision, recorded!.Approver, comment, recorded.Reason), ct);
        if (approval.Status != ApprovalStatus.Pending) await AnnounceDecidedAsync(client, approval, ct);
        return isForm
            ? ApprovalPages.Message(200, "Thank you", $"Your decision was recorded. {message}")
            : Json(new { approval.ApprovalId, approval.RunId, approval.Status, decision = recorded, message });
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

internal static class ResultExtensions
{
    /// <summary>Adds a Location header to a result.</summary>
    public static IResult WithLocation(this IResult result, string location) => new LocatedResult(result, location);

    private sealed class LocatedResult(IResult inner, string location) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers.Location = location;
            return inner.ExecuteAsync(httpContext);
        }
    }
}
