using Microsoft.DurableTask.Client;
using Orchestrator.Http.Security;
using Orchestrator.Workflows.Model;
using Orchestrator.Workflows.Orchestrators;
using Orchestrator.Workflows.Serving;
using Orchestrator.Workflows.Storage;

namespace Orchestrator.Http.Application.Batches;

/// <summary>
/// Batch scoring: checks a request against the model version and the dataset version it names (the features the model
/// reads must be columns of the version), starts the batch scoring orchestration and answers where to follow it;
/// the status of a batch from its orchestration (progress) and its manifest (result).
/// </summary>
public sealed class BatchService(ProjectStore projectStore, ModelStore modelStore, DatasetStore datasetStore, DeploymentStore deploymentStore, ModelCache models,
    BatchScorer scorer, DataRights rights, TimeProvider clock)
{
    public static string StatusUrl(string batchId) => $"/api/batches/{batchId}";

    /// <summary>Starts scoring a dataset version with model version <paramref name="version"/>: 202 with the status URL.</summary>
    public Task<Outcome<BatchView>> StartAsync(string project, int version, BatchRequest request, AccessContext? access, DurableTaskClient client, CancellationToken ct) =>
        StartAsync(project, version, request, access, Guid.NewGuid().ToString("N"), access?.Caller.Id, client, ct);

    /// <summary>
    /// The project's scheduled batch (<c>batchScoring</c>), when it is due: its schedule came due after the dataset's
    /// latest ready version did, production serves a model, and that pair was not scored yet (the batch id is derived
    /// from it, so a timer that fires twice starts it once). Null when nothing is due; the timer scores for the system,
    /// as the retraining timer trains, so no caller's data rights apply.
    /// </summary>
    public async Task<Outcome<BatchView>?> StartDueAsync(ProjectDefinition project, DateTimeOffset now, DurableTaskClient client, CancellationToken ct)
    {
        if (project.BatchScoring is not { Dataset: { } dataset } batch || !Http.RetrainingScheduler.TryParseSchedule(batch.Schedule, out var schedule)) return null;
        if (await deploymentStore.GetProductionVersionAsync(project.Name, ct) is not { } version) return null;
        if ((await datasetStore.GetDatasetAsync(project.Name, dataset, ct))?.LatestVersion is not { } latest
            || await datasetStore.GetDatasetVersionAsync(project.Name, dataset, latest, ct) is not { Status: DatasetStatus.Ready } ready) return null;
        if (schedule!.GetNextOccurrence((ready.ReadyAt ?? ready.CreatedAt).UtcDateTime) > now.UtcDateTime) return null;
        var rows = batch.Rows ?? BatchRows.All;
        var batchId = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(
            System.Text.Encoding.UTF8.GetBytes($"{project.Name}|{version}|{dataset}|{ready.Version}|{rows}")))[..32];
        if (await client.GetInstanceAsync(InstanceIds.BatchScoring(batchId), ct) is not null) return null;
        return await StartAsync(project.Name, version, new BatchRequest(dataset, ready.Version, rows), access: null, batchId, "batch-timer", client, ct);
    }

    private async Task<Outcome<BatchView>> StartAsync(string project, int version, BatchRequest request, AccessContext? access, string batchId, string? requestedBy,
        DurableTaskClient client, CancellationToken ct)
    {
        if (Checks.Name(project, "project") is { } bad) return bad;
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrEmpty(request.Dataset)) errors["dataset"] = ["The dataset to score (its name in this project)."];
        else if (!Names.IsValidName(request.Dataset)) errors["dataset"] = [$"'{request.Dataset}' is not a valid name: lower-case letters, digits and hyphens, 2-63 characters."];
        if (request.Version is < 1) errors["version"] = ["A dataset version number, 1 or more (the latest when absent)."];
        var rows = request.Rows ?? BatchRows.All;
        if (!BatchRows.Choices.Contains(rows)) errors["rows"] = [$"One of {string.Join(", ", BatchRows.Choices)}."];
        if (errors.Count > 0) return Failure.Invalid(errors);

        if (await projectStore.GetProjectAsync(project, ct) is null) return Failure.ProjectNotFound(project);
        if (await modelStore.GetModelVersionAsync(project, version, ct) is not { } model)
            return Failure.NotFound("Model version not found", $"Project '{project}' has no model version {version}.");
        var dataset = request.Dataset!;
        if (await datasetStore.GetDatasetAsync(project, dataset, ct) is not { } info)
            return Failure.NotFound("Dataset not found", $"Project '{project}' has no dataset '{dataset}'.");
        // The batch reads every row of the dataset, and its predictions come from the model's training data (the timer,
        // without a caller, scores for the system).
        if (access is not null && await rights.DemandAsync(access, project, dataset, ct) is { } restricted) return restricted;
        if (access is not null && await rights.DemandAsync(access, project, model.Dataset, ct) is { } trainedOn) return trainedOn;
        if ((request.Version ?? info.LatestVersion) is not { } number || await datasetStore.GetDatasetVersionAsync(project, dataset, number, ct) is not { } target)
            return Failure.NotFound("Dataset version not found", $"Dataset '{project}/{dataset}' has no version {request.Version?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "yet"}.");
        if (target.Kind != DatasetKind.Tabular)
            return Unprocessable("dataset", $"Version {target.Version} of '{dataset}' is a {target.Kind} kept as-is, not a table: there are no rows to score.");
        if (target.Status != DatasetStatus.Ready)
            return Failure.Conflict("Dataset version not ready", $"Version {target.Version} of '{dataset}' is {target.Status}: only a curated (Ready) version can be scored.");

        var loaded = await models.GetAsync(model);
        var schema = await scorer.ReadSchemaAsync(new BatchScoringInput("check", project, version, dataset, target.Version, rows, null, default), ct);
        var missing = loaded.Frame.RequiredSources.Select(c => c.Source).Where(s => schema.Find(s) is null).ToList();
        if (missing.Count > 0)
            return Unprocessable("dataset", $"Model version {version} reads {string.Join(", ", missing.Select(m => $"'{m}'"))}, which version {target.Version} of '{dataset}' does not have.");
        // Numbers and dates must stay numbers and dates; any column reads as text or a category.
        var retyped = loaded.Frame.RequiredSources.Select(c => (c.Source, c.SourceType, Type: schema.Find(c.Source)!.Type))
            .Where(c => c.SourceType != c.Type && (ColumnType.IsNumeric(c.SourceType) || c.SourceType == ColumnType.Boolean)
                && !(c.SourceType is ColumnType.Number or ColumnType.Boolean && c.Type is ColumnType.Number or ColumnType.Boolean))
            .ToList();
        if (retyped.Count > 0)
            return Unprocessable("dataset", $"Model version {version} reads {string.Join(", ", retyped.Select(c => $"'{c.Source}' as {c.SourceType}"))}; "
                + $"in version {target.Version} of '{dataset}' {(retyped.Count == 1 ? "it is" : "they are")} {string.Join(", ", retyped.Select(c => c.Type))}.");

        var input = new BatchScoringInput(batchId, project, version, dataset, target.Version, rows, requestedBy, clock.GetUtcNow());
        await client.ScheduleNewOrchestrationInstanceAsync(nameof(BatchScoringOrchestrator), input,
            new Microsoft.DurableTask.StartOrchestrationOptions { InstanceId = InstanceIds.BatchScoring(batchId) }, ct);
        return Outcome<BatchView>.Accepted(Running(input, null), StatusUrl(batchId)) with
        {
            AuditDetail = $"batch {batchId}: model version {version} on {dataset} v{target.Version}, rows {rows}",
        };
    }

    /// <summary>A batch's status: running with its progress, or its result from the manifest.</summary>
    public async Task<Outcome<BatchView>> GetAsync(string id, AccessContext? access, DurableTaskClient client, CancellationToken ct)
    {
        if (!Names.IsValidId(id)) return Failure.Invalid("id", $"'{id}' is not a batch id.");
        var instance = await client.GetInstanceAsync(InstanceIds.BatchScoring(id), getInputsAndOutputs: true, ct);
        if (instance is not { Name: nameof(BatchScoringOrchestrator) } || instance.ReadInputAs<BatchScoringInput>() is not { } input)
            return Failure.NotFound("Batch not found", $"There is no batch '{id}'.");
        if (Checks.Access<BatchView>(access, Permission.Read, input.Project) is { } refused) return refused;
        if (await rights.DemandAsync(access, input.Project, input.Dataset, ct) is { } restricted) return restricted;

        switch (instance.RuntimeStatus)
        {
            case OrchestrationRuntimeStatus.Completed when instance.ReadOutputAs<BatchManifest>() is { } manifest:
                return Outcome<BatchView>.Ok(Running(input, null) with
                {
                    Status = manifest.Status, PartsTotal = manifest.PartsTotal, PartsDone = manifest.Parts.Count,
                    RowsRead = manifest.RowsRead, RowsScored = manifest.RowsScored,
                    Manifest = $"{StorageNames.PredictionsContainer}/{manifest.OutputPrefix}{BatchScorer.ManifestFile}",
                    PredictionColumns = manifest.PredictionColumns, Parts = manifest.Parts.Select(p => p with { Columns = null }).ToList(), Error = manifest.Error, CompletedAt = manifest.CompletedAt,
                });
            case OrchestrationRuntimeStatus.Failed or OrchestrationRuntimeStatus.Terminated or OrchestrationRuntimeStatus.Completed:
                return Outcome<BatchView>.Ok(Running(input, instance.ReadCustomStatusAs<BatchProgress>()) with
                {
                    Status = BatchStatus.Failed, Error = instance.FailureDetails?.ErrorMessage ?? $"The batch scoring orchestration is {instance.RuntimeStatus}.",
                    CompletedAt = instance.LastUpdatedAt,
                });
            default:
                return Outcome<BatchView>.Ok(Running(input, instance.ReadCustomStatusAs<BatchProgress>()));
        }
    }

    private static BatchView Running(BatchScoringInput input, BatchProgress? progress) =>
        new(input.BatchId, input.Project, input.ModelVersion, input.Dataset, input.DatasetVersion, input.Rows, "Running",
            progress?.PartsTotal, progress?.PartsDone ?? 0, progress?.RowsRead ?? 0, progress?.RowsScored ?? 0,
            $"{StorageNames.PredictionsContainer}/{BatchScorer.OutputPrefix(input.BatchId)}", StatusUrl(input.BatchId), input.By, input.RequestedAt);

    private static Failure Unprocessable(string field, string message) =>
        new(OutcomeKind.Unprocessable, "The dataset version cannot be scored by this model", message, new Dictionary<string, string[]> { [field] = [message] });
}
