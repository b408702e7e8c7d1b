using System.Text.Json;
using Orchestrator.Http.Security;
using Orchestrator.Workflows.DataLake;
using Orchestrator.Workflows.Model;
using Orchestrator.Workflows.Monitoring;
using Orchestrator.Workflows.Serving;
using Orchestrator.Workflows.Storage;

namespace Orchestrator.Http.Application.Serving;

/// <summary>Predictions from the production model (each logged for monitoring), and ground truth for them.</summary>
public sealed class ServingService(ProjectStore projectStore, ProductionModels serving, PredictionLog log, DataRights rights, TimeProvider clock)
{
    public const int MaxRows = 10_000;

    /// <summary>
    /// Scores the rows with the production model; invalid naming <c>rows[N]</c> for a row the model cannot read — and
    /// why, unless the model was trained on a dataset restricted from the caller (the reason names its columns).
    /// </summary>
    public async Task<Outcome<PredictionsView>> PredictAsync(string project, PredictRequest request, AccessContext? access, CancellationToken ct)
    {
        if (Checks.Name(project, "project") is { } bad) return bad;
        if (request.Rows is not { Count: > 0 } given) return Failure.Invalid("rows", "A non-empty array of rows is required.");
        if (given.Count > MaxRows) return Failure.Invalid("rows", $"At most {MaxRows} rows per request.");
        var rows = new List<IReadOnlyDictionary<string, string?>>(given.Count);
        for (var i = 0; i < given.Count; i++)
        {
            if (given[i] is not { } row) return Failure.Invalid($"rows[{i}]", "Each row must be an object.");
            rows.Add(row.ToDictionary(p => p.Key, p => p.Value.ValueKind switch
            {
                JsonValueKind.Null => null,
                JsonValueKind.String => p.Value.GetString(),
                _ => p.Value.GetRawText(),
            }));
        }
        if (await serving.GetAsync(project, DeploymentEnvironment.Production, ct) is not { } production)
            return await projectStore.GetProjectAsync(project, ct) is null
                ? Failure.ProjectNotFound(project)
                : Failure.Conflict("No production model", $"Project '{project}' has no model in production yet.");
        IReadOnlyList<Prediction> predictions;
        try { predictions = production.Model.Predict(rows); }
        catch (InvalidDataFileException e)
        {
            var field = e.Row is { } row ? $"rows[{row}]" : "rows";
            return await rights.DemandAsync(access, project, production.Version.Dataset, ct) is null
                ? Failure.Invalid(field, e.Message)
                : Failure.Invalid(field, "The row does not fit the model's features; they are not shown to you: the model was trained on a restricted dataset.");
        }
        var now = clock.GetUtcNow();
        var views = new PredictionView[predictions.Count];
        for (var i = 0; i < predictions.Count; i++)
        {
            // Logged in the background (batched to Blob storage); the id lets ground truth be joined later.
            var id = log.NewPredictionId(now);
            log.Log(new PredictionRecord(id, project, production.Version.Version, now, rows[i], MonitoringService.PredictionText(predictions[i].Value),
                predictions[i].Scores, DeploymentEnvironment.Production));
            views[i] = new PredictionView(id, predictions[i].Value, predictions[i].Scores);
        }
        return Outcome<PredictionsView>.Ok(new PredictionsView(project, production.Version.Version, views));
    }

    /// <summary>
    /// Ground truth for logged predictions (idempotent per prediction id), joined by monitoring to score the model on
    /// live traffic; invalid naming <c>[i].predictionId</c> for items that name no prediction. Each item is recorded as
    /// sent by <paramref name="caller"/>: an item's own <c>by</c> is accepted but ignored, so no one records feedback in another's name.
    /// </summary>
    public async Task<Outcome<FeedbackView>> FeedbackAsync(string project, IReadOnlyList<FeedbackItem> items, string? caller, CancellationToken ct)
    {
        if (Checks.Name(project, "project") is { } bad) return bad;
        if (items.Count == 0) return Failure.Invalid("body", "A non-empty array of {predictionId, label} is required.");
        if (items.Count > MaxRows) return Failure.Invalid("body", $"At most {MaxRows} items per request.");
        var errors = new Dictionary<string, string[]>();
        for (var i = 0; i < items.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(items[i].PredictionId)) errors[$"[{i}].predictionId"] = ["Required."];
            if (items[i].Label.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null or JsonValueKind.Object or JsonValueKind.Array)
                errors[$"[{i}].label"] = ["A string, number or boolean."];
        }
        if (errors.Count > 0) return Failure.Invalid(errors, "Some feedback items are invalid; none was stored.");
        if (await projectStore.GetProjectAsync(project, ct) is null) return Failure.ProjectNotFound(project);
        var now = clock.GetUtcNow();
        var unknown = new Dictionary<string, string[]>();
        for (var i = 0; i < items.Count; i++)
        {
            var label = items[i].Label.ValueKind == JsonValueKind.String ? items[i].Label.GetString()! : items[i].Label.GetRawText();
            if (!await log.AddFeedbackAsync(project, new FeedbackRecord(items[i].PredictionId!, label, now, caller), ct))
                unknown[$"[{i}].predictionId"] = [$"'{items[i].PredictionId}' is not a prediction id of this API."];
        }
        return unknown.Count > 0
            ? Failure.Invalid(unknown, $"{items.Count - unknown.Count} feedback items stored; the others name no prediction.")
            : Outcome<FeedbackView>.Ok(new FeedbackView(project, items.Count));
    }
}
