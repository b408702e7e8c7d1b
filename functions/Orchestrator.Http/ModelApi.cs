using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;
using Orchestrator.Http.Security;
using Orchestrator.Workflows.Approvals;
using Orchestrator.Workflows.DataLake;
using Orchestrator.Workflows.Model;
using Orchestrator.Workflows.Monitoring;
using Orchestrator.Workflows.Orchestrators;
using Orchestrator.Workflows.Registry;
using Orchestrator.Workflows.Serving;
using Orchestrator.Workflows.Storage;
using ProductJson = Orchestrator.Workflows.Storage.Json;

namespace Orchestrator.Http;

using static ApiResults;

/// <summary>
/// The ML-engineering routes, written once (both hosts bind to them): the model registry and its environments,
/// promotion (smoke-tested, atomic) and rollback, and serving.
/// </summary>
public sealed class ModelApi(ProjectStore projectStore, ModelStore modelStore, DeploymentStore deploymentStore, ModelRegistry registry,
    ProductionModels serving, PredictionLog log, MonitoringService monitoring,
    RetrainingScheduler scheduler, TimeProvider clock, IOptions<UploadOptions> waits, WebhookDispatcher webhooks, IOptions<ApprovalOptions> approvals)
{
    /// <summary><c>GET /api/projects/{project}/models</c>: versions with their stage, what each environment serves, aliases, and the change history.</summary>
    public async Task<IResult> ListModelsAsync(string project, CancellationToken ct)
    {
        if (CheckName(project, "project") is { } bad) return bad;
        if (await projectStore.GetProjectAsync(project, ct) is null) return ProjectNotFound(project);
        var environments = new Dictionary<string, object?>();
        var aliases = new Dictionary<string, int?>();
        foreach (var environment in ModelStage.Environments)
        {
            var state = await deploymentStore.GetEnvironmentAsync(project, environment, ct);
            environments[environment] = new { version = state.Version, previous = state.Previous, canRollback = state.Previous.Count > 0 };
            aliases[ModelStage.AliasOf(environment)] = state.Version;
        }
        return Json(new
        {
            project, production = aliases["champion"], environments, aliases,
            versions = await modelStore.ListModelVersionsAsync(project, ct),
            history = (await deploymentStore.ListDeploymentChangesAsync(project, ct)).TakeLast(100),
        });
    }

    private sealed record DeploymentRequest(string? Environment, string? Reason);

    private static async Task<(DeploymentRequest? Body, IResult? Error)> ReadDeploymentAsync(HttpRequest request, string project, Permission permission, CancellationToken ct)
    {
        DeploymentRequest? body;
        try { body = await JsonSerializer.DeserializeAsync<DeploymentRequest>(request.Body, ProductJson.Options, ct); }
        catch (JsonException e) { return (null, Invalid(new() { ["body"] = [$"Invalid JSON: {e.Message}"] })); }
        if (body?.Environment is not { } environment || !ModelStage.Environments.Contains(environment))
            return (null, Invalid(new() { ["environment"] = [$"One of {string.Join(", ", ModelStage.Environments)}."] }));
        if (body.Reason is { Length: > 1000 }) return (null, Invalid(new() { ["reason"] = ["At most 1000 characters."] }));
        // Grants can be scoped to one environment: a staging-only ML engineer cannot touch production.
        return AccessGate.Demand(request.HttpContext, permission, project, environment) is { } denied ? (null, denied) : (body, null);
    }

    /// <summary>
    /// <c>POST /api/projects/{project}/models/{version}/promote</c> <c>{ "environment": "production", "reason" }</c>:
    /// runs the promotion orchestration (smoke test, then the switch) and waits for it: 200 with the change, 422 when
    /// the smoke test fails (nothing changed), 202 if it takes longer than <see cref="UploadOptions.WaitSeconds"/>.
    /// </summary>
    public async Task<IResult> PromoteAsync(HttpRequest request, DurableTaskClient client, string project, int version, CancellationToken ct)
    {
        if (CheckName(project, "project") is { } bad) return bad;
        var (body, error) = await ReadDeploymentAsync(request, project, Permission.Promote, ct);
        if (error is not null) return error;
        if (await projectStore.GetProjectAsync(project, ct) is not { } definition) return ProjectNotFound(project);
        if (await modelStore.GetModelVersionAsync(project, version, ct) is not { } model)
            return Problem(404, "Model version not found", $"Project '{project}' has no model version {version}.");
        var by = CallerId(request);
        if (definition.FourEyes && body!.Environment == ModelStage.Production && by is not null
            && (model.ApprovedBy ?? "").Split(',', StringSplitOptions.TrimEntries).Contains(by, StringComparer.OrdinalIgnoreCase))
            return Problem(403, "Four eyes", $"Project '{project}' requires four eyes: {by} approved model version {version}, so someone else promotes it to production.");
        var requestId = Guid.NewGuid().ToString("N");
        var instanceId = InstanceIds.Promotion(project, body!.Environment!, requestId);
        await client.ScheduleNewOrchestrationInstanceAsync(nameof(PromotionOrchestrator),
            new PromotionInput(project, version, body.Environment!, by, body.Reason, requestId), new StartOrchestrationOptions { InstanceId = instanceId }, ct);
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(ct);
        wait.CancelAfter(TimeSpan.FromSeconds(waits.Value.WaitSeconds));
        OrchestrationMetadata? done;
        try { done = await client.WaitForInstanceCompletionAsync(instanceId, getInputsAndOutputs: true, wait.Token); }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested) { done = null; }
        if (done is null || done.RuntimeStatus != OrchestrationRuntimeStatus.Completed)
            return done?.RuntimeStatus == OrchestrationRuntimeStatus.Failed
                ? Problem(500, "Promotion failed", done.FailureDetails?.ErrorMessage ?? "The promotion orchestration failed.")
                : Results.Json(new { project, version, environment = body.Environment, status = "Running", promotionId = instanceId }, ProductJson.Options, statusCode: 202);
        var result = done.ReadOutputAs<PromotionResult>()!;
        await webhooks.TryDispatchAsync(client, ct); // model.promoted, published by the switch, leaves now rather than on the next dispatch
        if (!result.Succeeded)
            return Results.Problem(detail: result.Error, statusCode: 422, title: "The model did not pass the smoke test; nothing changed",
                extensions: new Dictionary<string, object?> { ["smokeTest"] = result.SmokeTest, ["environment"] = body.Environment, ["version"] = version });
        if (body.Environment == ModelStage.Production) await scheduler.EnsureMonitoringAsync(client, definition, ct);
        return Json(new { project, version, environment = body.Environment, change = result.Change, smokeTest = result.SmokeTest });
    }

    /// <summary>
    /// <c>POST /api/projects/{project}/models/rollback</c> <c>{ "environment": "production", "reason" }</c>: the
    /// environment serves the version it served before, in one write; 409 when there is none.
    /// </summary>
    public async Task<IResult> RollbackAsync(HttpRequest request, DurableTaskClient client, string project, CancellationToken ct)
    {
        if (CheckName(project, "project") is { } bad) return bad;
        var (body, error) = await ReadDeploymentAsync(request, project, Permission.Rollback, ct);
        if (error is not null) return error;
        if (await projectStore.GetProjectAsync(project, ct) is null) return ProjectNotFound(project);
        var change = await registry.RollbackAsync(project, body!.Environment!, CallerId(request), body.Reason, ct);
        if (change is not null) await webhooks.TryDispatchAsync(client, ct); // model.rolledback
        return change is null
            ? Problem(409, "Nothing to roll back to", $"The {body.Environment} environment of '{project}' has no previous version.")
            : Json(new { project, environment = body.Environment, change });
    }

    /// <summary><c>POST /api/projects/{project}/predict</c> <c>{ "rows": [ {...} ] }</c> with the production model.</summary>
    public async Task<IResult> PredictAsync(HttpRequest request, string project, CancellationToken ct)
    {
        if (CheckName(project, "project") is { } bad) return bad;
        List<IReadOnlyDictionary<string, string?>> rows;
        try
        {
            using var document = await JsonDocument.ParseAsync(request.Body, cancellationToken: ct);
            if (!document.RootElement.TryGetProperty("rows", out var rowsElement) || rowsElement.ValueKind != JsonValueKind.Array || rowsElement.GetArrayLength() == 0)
                return Invalid(new() { ["rows"] = ["A non-empty array of rows is required."] });
            if (rowsElement.GetArrayLength() > 10_000) return Invalid(new() { ["rows"] = ["At most 10000 rows per request."] });
            rows = [];
            var index = 0;
            foreach (var row in rowsElement.EnumerateArray())
            {
                if (row.ValueKind != JsonValueKind.Object) return Invalid(new() { [$"rows[{index}]"] = ["Each row must be an object."] });
                rows.Add(row.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.ValueKind switch
                {
                    JsonValueKind.Null => null,
                    JsonValueKind.String => p.Value.GetString(),
                    _ => p.Value.GetRawText(),
                }));
                index++;
            }
        }
        catch (JsonException e)
        {
            return Invalid(new() { ["body"] = [$"Invalid JSON: {e.Message}"] });
        }
        if (await serving.GetAsync(project, ModelStage.Production, ct) is not { } production)
            return await projectStore.GetProjectAsync(project, ct) is null
                ? ProjectNotFound(project)
                : Problem(409, "No production model", $"Project '{project}' has no model in production yet.");
        try
        {
            var predictions = production.Model.Predict(rows);
            var now = clock.GetUtcNow();
            var ids = new string[predictions.Count];
            for (var i = 0; i < predictions.Count; i++)
            {
                // Logged in the background (batched to Blob storage); the id lets ground truth be joined later.
                ids[i] = log.NewPredictionId(now);
                log.Log(new PredictionRecord(ids[i], project, production.Version.Version, now, rows[i], MonitoringService.PredictionText(predictions[i].Value),
                    predictions[i].Scores, ModelStage.Production));
            }
            return Json(new
            {
                project, modelVersion = production.Version.Version,
                predictions = predictions.Select((p, i) => new { predictionId = ids[i], value = p.Value, scores = p.Scores }),
            });
        }
        catch (InvalidDataFileException e)
        {
            var field = e.Message.StartsWith("Row ", StringComparison.Ordinal) ? $"rows[{new string(e.Message.Skip(4).TakeWhile(char.IsDigit).ToArray())}]" : "rows";
            return Invalid(new() { [field] = [e.Message] });
        }
    }

    private sealed record FeedbackItem(string? PredictionId, JsonElement Label, string? By);

    /// <summary>
    /// <c>POST /api/projects/{project}/feedback</c> <c>[{ "predictionId", "label" }]</c>: ground truth for logged
    /// predictions (idempotent per prediction id), joined by monitoring to score the model on live traffic.
    /// </summary>
    public async Task<IResult> FeedbackAsync(HttpRequest request, string project, CancellationToken ct)
    {
        if (CheckName(project, "project") is { } bad) return bad;
        List<FeedbackItem>? items;
        try { items = await JsonSerializer.DeserializeAsync<List<FeedbackItem>>(request.Body, ProductJson.Options, ct); }
        catch (JsonException e) { return Invalid(new() { ["body"] = [$"An array of {{predictionId, label}} is expected: {e.Message}"] }); }
        if (items is not { Count: > 0 }) return Invalid(new() { ["body"] = ["A non-empty array of {predictionId, label} is required."] });
        if (items.Count > 10_000) return Invalid(new() { ["body"] = ["At most 10000 items per request."] });
        var errors = new Dictionary<string, string[]>();
        for (var i = 0; i < items.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(items[i].PredictionId)) errors[$"[{i}].predictionId"] = ["Required."];
            if (items[i].Label.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null or JsonValueKind.Object or JsonValueKind.Array)
                errors[$"[{i}].label"] = ["A string, number or boolean."];
        }
        if (errors.Count > 0) return Invalid(errors, "Some feedback items are invalid; none was stored.");
        if (await projectStore.GetProjectAsync(project, ct) is null) return ProjectNotFound(project);
        var now = clock.GetUtcNow();
        var unknown = new Dictionary<string, string[]>();
        for (var i = 0; i < items.Count; i++)
        {
            var label = items[i].Label.ValueKind == JsonValueKind.String ? items[i].Label.GetString()! : items[i].Label.GetRawText();
            if (!await log.AddFeedbackAsync(project, new FeedbackRecord(items[i].PredictionId!, label, now, items[i].By), ct))
                unknown[$"[{i}].predictionId"] = [$"'{items[i].PredictionId}' is not a prediction id of this API."];
        }
        return unknown.Count > 0
            ? Invalid(unknown, $"{items.Count - unknown.Count} feedback items stored; the others name no prediction.")
            : Json(new { project, stored = items.Count });
    }

    /// <summary>
    /// <c>GET /api/projects/{project}/monitoring?from=&amp;to=</c>: the monitoring windows (default: the last 30 days) as
    /// series ready to plot — per-feature drift score and flag, prediction drift, performance — and the alerts.
    /// </summary>
    public async Task<IResult> GetMonitoringAsync(HttpRequest request, string project, CancellationToken ct)
    {
        if (CheckName(project, "project") is { } bad) return bad;
        var errors = new Dictionary<string, string[]>();
        DateTimeOffset? Parse(string key)
        {
            var text = request.Query[key].ToString();
            if (text.Length == 0) return null;
            if (DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var value)) return value;
            errors[key] = ["An ISO 8601 date or time, e.g. 2026-11-27T00:00:00Z."];
            return null;
        }
        var to = Parse("to") ?? clock.GetUtcNow();
        var from = Parse("from") ?? to.AddDays(-30);
        if (errors.Count > 0) return Invalid(errors);
        if (await projectStore.GetProjectAsync(project, ct) is null) return ProjectNotFound(project);
        var reports = await monitoring.ListAsync(project, from, to, ct);
        var features = reports.SelectMany(r => r.Drift?.Features ?? []).Select(f => f.Feature).Distinct().Order().ToList();
        return Json(new
        {
            project, from, to,
            windows = reports.Select(r => new { r.ReportId, r.WindowStart, r.WindowEnd, r.ModelVersion, r.Predictions, r.FeedbackRows, datasetDrift = r.Drift?.DatasetDrift, driftedShare = r.Drift?.DriftedShare, r.Alert, r.AlertReason, r.RetrainRequested }),
            series = features.ToDictionary(f => f, f => reports.Select(r => r.Drift?.Features.FirstOrDefault(x => x.Feature == f)).Select(x => x is null ? null : new { x.Score, x.Drifted, x.Method, x.Threshold, x.PValue, x.Psi })),
            prediction = reports.Select(r => r.Drift?.Prediction is { } p ? new { p.Score, p.Drifted, p.Method } : null),
            performance = reports.Select(r => r.Performance),
            alerts = reports.Where(r => r.Alert).Select(r => new { r.ReportId, r.WindowEnd, r.AlertReason, r.RetrainRequested }),
        });
    }

    private sealed record MonitoringRunRequest(DateTimeOffset? WindowStart, DateTimeOffset? WindowEnd);

    /// <summary>
    /// <c>PUT /api/projects/{project}/monitoring/settings</c> <c>{ "enabled", "window", "interval", "retrainOnDrift", … }</c>:
    /// the ML engineer's part of the project definition (the rest stays the data scientists'); checked like a project
    /// definition (400 naming <c>monitoring.*</c>), applied from the monitoring's next cycle, and monitoring starts when
    /// it is enabled with a model in production.
    /// </summary>
    public async Task<IResult> PutMonitoringSettingsAsync(HttpRequest request, DurableTaskClient client, string project, CancellationToken ct)
    {
        if (CheckName(project, "project") is { } bad) return bad;
        MonitoringSettings? settings;
        try { settings = await JsonSerializer.DeserializeAsync<MonitoringSettings>(request.Body, ProductJson.Options, ct); }
        catch (JsonException e) { return Invalid(new() { [string.IsNullOrEmpty(e.Path) || e.Path == "$" ? "body" : "monitoring." + e.Path.TrimStart('$', '.')] = [$"Invalid JSON: {e.Message}"] }); }
        if (settings is null) return Invalid(new() { ["body"] = ["A monitoring settings object is required."] });
        if (await projectStore.GetProjectAsync(project, ct) is not { } definition) return ProjectNotFound(project);
        // One set of rules for a project definition, whoever changes which part of it.
        var (updated, errors) = ProjectValidation.Parse(project, ProductJson.Serialize(definition with { Monitoring = settings }), approvals.Value);
        if (updated is null) return Invalid(errors, $"The monitoring settings of project '{project}' are invalid.");
        await projectStore.PutProjectAsync(updated, ct);
        await scheduler.EnsureMonitoringAsync(client, updated, ct);
        return Json(new { project, monitoring = updated.Monitoring });
    }

    /// <summary>
    /// <c>POST /api/projects/{project}/monitoring/run</c> <c>{ "windowStart"?, "windowEnd"? }</c>: runs one monitoring
    /// window now (by default the project's window ending now; the monitoring orchestration does the same on its timer)
    /// and returns its report; 409 when nothing is in production.
    /// </summary>
    public async Task<IResult> RunMonitoringAsync(HttpRequest request, string project, CancellationToken ct)
    {
        if (CheckName(project, "project") is { } bad) return bad;
        MonitoringRunRequest? body = null;
        if (request.ContentLength is > 0 || request.Headers.TransferEncoding.Count > 0)
        {
            try { body = await JsonSerializer.DeserializeAsync<MonitoringRunRequest>(request.Body, ProductJson.Options, ct); }
            catch (JsonException e) { return Invalid(new() { ["windowEnd"] = [$"Invalid JSON: {e.Message}"] }); }
        }
        if (body is { WindowStart: { } start, WindowEnd: { } end } && start >= end)
            return Invalid(new() { ["windowStart"] = ["Must be before windowEnd."] });
        if (await projectStore.GetProjectAsync(project, ct) is null) return ProjectNotFound(project);
        var (report, settings) = await monitoring.RunWindowAsync(project, body?.WindowEnd ?? clock.GetUtcNow(), ct, body?.WindowStart);
        return report is null
            ? Problem(409, "Nothing to monitor", settings.Enabled ? $"Project '{project}' has no model in production." : $"Monitoring is off for project '{project}'.")
            : Json(report);
    }
}
