using System.Security.Cryptography;
using System.Text;
using Orchestrator.Workflows.Model;
using Orchestrator.Workflows.Monitoring;

namespace Orchestrator.Workflows.Webhooks;

/// <summary>The events a webhook can subscribe to. The names are part of the API: they never change.</summary>
public static class WebhookEventTypes
{
    /// <summary>A dataset version became Ready (curated table, or an unstructured file kept as-is).</summary>
    public const string DatasetVersionCreated = "dataset.version.created";
    /// <summary>A run moved to another stage or status.</summary>
    public const string RunStageChanged = "run.stage.changed";
    /// <summary>A run's best candidate went to the SMEs for approval.</summary>
    public const string ApprovalRequested = "approval.requested";
    /// <summary>An approval closed: approved, rejected, cancelled or expired.</summary>
    public const string ApprovalDecided = "approval.decided";
    /// <summary>An environment (staging, production) switched to a model version after its smoke test.</summary>
    public const string ModelPromoted = "model.promoted";
    /// <summary>An environment returned to the version it served before.</summary>
    public const string ModelRolledBack = "model.rolledback";
    /// <summary>A monitoring window found data drift or prediction drift.</summary>
    public const string DriftDetected = "drift.detected";

    /// <summary>Every event type, in the order of the lifecycle.</summary>
    public static readonly IReadOnlyList<string> All =
        [DatasetVersionCreated, RunStageChanged, ApprovalRequested, ApprovalDecided, ModelPromoted, ModelRolledBack, DriftDetected];
}

/// <summary>
/// The envelope every webhook carries: a stable id (the same event published twice has the same id, so it is delivered
/// once per subscription and receivers can de-duplicate), its type, the project, when it happened, and small data —
/// ids and API references, never the data itself.
/// </summary>
public sealed record WebhookEvent(string Id, string Type, string Project, DateTimeOffset OccurredAt, IReadOnlyDictionary<string, object?> Data)
{
    /// <summary>Data computed from a dataset's rows: left out of the events of a restricted dataset (<see cref="WithoutDatasetFacts"/>).</summary>
    public static readonly IReadOnlyList<string> DatasetFacts = ["rows", "contentHash", "error", "driftedFeatures"];

    /// <summary>The dataset the event is about or was computed from (not sent): its restriction decides what the event may carry.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string? Dataset { get; init; }

    /// <summary>The event without <see cref="DatasetFacts"/>, marked <c>restricted</c>: subscribers learn that something happened and where to read it.</summary>
    public WebhookEvent WithoutDatasetFacts() => this with
    {
        Data = Data.Where(p => !DatasetFacts.Contains(p.Key)).Append(new("restricted", true)).ToDictionary(p => p.Key, p => p.Value),
    };

    /// <summary>An event whose id derives from <paramref name="key"/>: what makes it this event and no other (e.g. the run, stage and status).</summary>
    public static WebhookEvent Create(string type, string project, string key, DateTimeOffset occurredAt, IReadOnlyDictionary<string, object?> data) =>
        new($"evt-{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{type}\n{project}\n{key}")))[..32]}", type, project, occurredAt, data);

    /// <summary><see cref="WebhookEventTypes.DatasetVersionCreated"/> for a version that is Ready.</summary>
    public static WebhookEvent DatasetVersionCreated(DatasetVersionInfo v, DateTimeOffset now) =>
        Create(WebhookEventTypes.DatasetVersionCreated, v.Project, $"{v.Dataset}:{v.Version}", now, new Dictionary<string, object?>
        {
            ["dataset"] = v.Dataset, ["version"] = v.Version, ["kind"] = v.Kind, ["rows"] = v.RowsOut, ["contentHash"] = v.ContentHash,
            ["url"] = $"/api/projects/{v.Project}/datasets/{v.Dataset}/versions/{v.Version}",
        }) with { Dataset = v.Dataset };

    /// <summary><see cref="WebhookEventTypes.RunStageChanged"/>: a run row about to change from <paramref name="before"/> to <paramref name="after"/>.</summary>
    public static WebhookEvent RunStageChanged(RunInfo before, RunInfo after, DateTimeOffset now) =>
        Create(WebhookEventTypes.RunStageChanged, after.Project, $"{after.RunId}:{after.Stage}:{after.Status}", now, new Dictionary<string, object?>
        {
            ["runId"] = after.RunId, ["stage"] = after.Stage, ["status"] = after.Status, ["previousStage"] = before.Stage, ["previousStatus"] = before.Status,
            ["modelVersion"] = after.ModelVersion, ["error"] = after.Error, ["url"] = $"/api/runs/{after.RunId}",
        }) with { Dataset = after.Dataset };

    /// <summary><see cref="WebhookEventTypes.ApprovalRequested"/>.</summary>
    public static WebhookEvent ApprovalRequested(ApprovalInfo a, DateTimeOffset now) =>
        Create(WebhookEventTypes.ApprovalRequested, a.Project, a.ApprovalId, now, new Dictionary<string, object?>
        {
            ["approvalId"] = a.ApprovalId, ["runId"] = a.RunId, ["trialId"] = a.TrialId, ["quorum"] = a.Quorum, ["expiresAt"] = a.ExpiresAt,
            ["url"] = $"/api/runs/{a.RunId}",
        });

    /// <summary><see cref="WebhookEventTypes.ApprovalDecided"/> for an approval that is no longer pending.</summary>
    public static WebhookEvent ApprovalDecided(ApprovalInfo a, DateTimeOffset now) =>
        Create(WebhookEventTypes.ApprovalDecided, a.Project, a.ApprovalId, now, new Dictionary<string, object?>
        {
            ["approvalId"] = a.ApprovalId, ["runId"] = a.RunId, ["trialId"] = a.TrialId, ["status"] = a.Status, ["decidedBy"] = a.DecidedBy,
            ["reason"] = a.Reason, ["decidedAt"] = a.DecidedAt, ["url"] = $"/api/runs/{a.RunId}",
        });

    /// <summary><see cref="WebhookEventTypes.ModelPromoted"/> or <see cref="WebhookEventTypes.ModelRolledBack"/> for a switch of an environment.</summary>
    public static WebhookEvent ModelChanged(DeploymentChange c, DateTimeOffset now) =>
        Create(c.Action == DeploymentAction.Rollback ? WebhookEventTypes.ModelRolledBack : WebhookEventTypes.ModelPromoted, c.Project,
            $"{c.Environment}:{c.Sequence}", now, new Dictionary<string, object?>
            {
                ["environment"] = c.Environment, ["version"] = c.ToVersion, ["fromVersion"] = c.FromVersion, ["by"] = c.By, ["reason"] = c.Reason,
                ["requestId"] = c.RequestId, ["url"] = $"/api/projects/{c.Project}/models",
            });

    /// <summary><see cref="WebhookEventTypes.DriftDetected"/> for a monitoring window that found drift.</summary>
    public static WebhookEvent DriftDetected(MonitoringReport r, DateTimeOffset now) =>
        Create(WebhookEventTypes.DriftDetected, r.Project, r.ReportId, now, new Dictionary<string, object?>
        {
            ["reportId"] = r.ReportId, ["modelVersion"] = r.ModelVersion, ["windowStart"] = r.WindowStart, ["windowEnd"] = r.WindowEnd,
            ["datasetDrift"] = r.Drift?.DatasetDrift, ["driftedShare"] = r.Drift?.DriftedShare,
            ["driftedFeatures"] = r.Drift?.Features.Where(f => f.Drifted).Select(f => f.Feature).ToList(),
            ["predictionDrift"] = r.Drift?.Prediction?.Drifted, ["retrainRequested"] = r.RetrainRequested,
            ["url"] = $"/api/projects/{r.Project}/monitoring",
        }) with { Dataset = r.Dataset };
}
