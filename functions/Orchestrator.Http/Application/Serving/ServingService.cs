using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Orchestrator.Http.Security;
using Orchestrator.Workflows.DataLake;
using Orchestrator.Workflows.Model;
using Orchestrator.Workflows.Monitoring;
using Orchestrator.Workflows.Serving;
using Orchestrator.Workflows.Storage;

namespace Orchestrator.Http.Application.Serving;

/// <summary>Predictions from the production model (each logged for monitoring; a canary share also scored by staging's, in the background), and ground truth for them.</summary>
public sealed class ServingService(ProjectStore projectStore, ProductionModels serving, PredictionLog log, DataRights rights, TimeProvider clock,
    IOptions<ServingOptions> options, ShadowScoring shadow)
{
    /// <summary>
    /// Scores the rows with the production model; invalid naming <c>rows[N]</c> for a row over
    /// <see cref="ServingOptions.MaxRowBytes"/> or one the model cannot read — and why, unless the model was trained on
    /// a dataset restricted from the caller (the reason names its columns). Fields the model does not use are dropped
    /// before scoring and logging, and named in the answer unless that would reveal a restricted model's features.
    /// </summary>
    public async Task<Outcome<PredictionsView>> PredictAsync(string project, PredictRequest request, AccessContext? access, CancellationToken ct)
    {
        if (Checks.Name(project, "project") is { } bad) return bad;
        if (request.Rows is not { Count: > 0 } given) return Failure.Invalid("rows", "A non-empty array of rows is required.");
        if (given.Count > options.Value.MaxRows) return Failure.Invalid("rows", $"At most {options.Value.MaxRows} rows per request.");
        for (var i = 0; i < given.Count; i++)
        {
            if (given[i] is not { } row) return Failure.Invalid($"rows[{i}]", "Each row must be an object.");
            if (RowBytes(row) > options.Value.MaxRowBytes) return Failure.Invalid($"rows[{i}]", $"At most {options.Value.MaxRowBytes} bytes per row (Serving:MaxRowBytes).");
        }
        if (await serving.GetAsync(project, DeploymentEnvironment.Production, ct) is not { } production)
            return await projectStore.GetProjectAsync(project, ct) is null
                ? Failure.ProjectNotFound(project)
                : Failure.Conflict("No production model", $"Project '{project}' has no model in production yet.");
        // Only what the model reads is scored and logged: unknown keys would otherwise grow the log at the caller's will.
        var used = production.Model.Frame.RequiredSources.Select(c => c.Source).ToHashSet(StringComparer.Ordinal);
        var ignored = new SortedSet<string>(StringComparer.Ordinal);
        var rows = new List<IReadOnlyDictionary<string, string?>>(given.Count);
        foreach (var row in given)
        {
            var kept = new Dictionary<string, string?>(StringComparer.Ordinal);
            foreach (var (key, value) in row!)
                if (used.Contains(key)) kept[key] = TextOf(value);
                else ignored.Add(key);
            rows.Add(kept);
        }
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
        await OfferShadowAsync(project, production.Version.Version, now, given, views, ct);
        // Naming the ignored fields of a restricted model would let its features be found by probing.
        var shown = ignored.Count > 0 && await rights.DemandAsync(access, project, production.Version.Dataset, ct) is null ? ignored.ToList() : null;
        return Outcome<PredictionsView>.Ok(new PredictionsView(project, production.Version.Version, views) { IgnoredFields = shown });
    }

    /// <summary>
    /// Queues the predictions the project's canary picks (by id) for the challenger; the answer does not wait for it. The
    /// rows go whole, with every field: the challenger may read fields production does not.
    /// </summary>
    private async Task OfferShadowAsync(string project, int champion, DateTimeOffset at, IReadOnlyList<Dictionary<string, JsonElement>?> given,
        PredictionView[] views, CancellationToken ct)
    {
        var percent = await shadow.CanaryPercentAsync(project, champion, ct);
        if (percent <= 0) return;
        var chosen = new List<ShadowRow>();
        long bytes = 0;
        for (var i = 0; i < views.Length; i++)
        {
            if (!CanarySelection.Selects(views[i].PredictionId, percent)) continue;
            chosen.Add(new ShadowRow(views[i].PredictionId, given[i]!.ToDictionary(f => f.Key, f => TextOf(f.Value), StringComparer.Ordinal),
                MonitoringService.PredictionText(views[i].Value)));
            bytes += RowBytes(given[i]!);
        }
        shadow.Offer(project, champion, at, chosen, bytes);
    }

    /// <summary>The size of a row as JSON: its names and raw values, in UTF-8 bytes.</summary>
    private static long RowBytes(Dictionary<string, JsonElement> row)
    {
        long bytes = 0;
        foreach (var (key, value) in row)
            bytes += Encoding.UTF8.GetByteCount(key) + JsonMarshal.GetRawUtf8Value(value).Length;
        return bytes;
    }

    private static string? TextOf(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Null => null,
        JsonValueKind.String => value.GetString(),
        _ => value.GetRawText(),
    };

    /// <summary>
    /// Ground truth for logged predictions (idempotent per prediction id), joined by monitoring to score the model on
    /// live traffic; invalid naming <c>[i].predictionId</c> for items that name no prediction. Each item is recorded as
    /// sent by <paramref name="caller"/>: an item's own <c>by</c> is accepted but ignored, so no one records feedback in another's name.
    /// </summary>
    public async Task<Outcome<FeedbackView>> FeedbackAsync(string project, IReadOnlyList<FeedbackItem> items, string? caller, CancellationToken ct)
    {
        if (Checks.Name(project, "project") is { } bad) return bad;
        if (items.Count == 0) return Failure.Invalid("body", "A non-empty array of {predictionId, label} is required.");
        if (items.Count > options.Value.MaxRows) return Failure.Invalid("body", $"At most {options.Value.MaxRows} items per request.");
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
