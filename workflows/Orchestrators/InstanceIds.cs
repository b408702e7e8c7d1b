using Orchestrator.Workflows.Model;

namespace Orchestrator.Workflows.Orchestrators;

/// <summary>
/// Every orchestration instance id, built in one place: an id names the work it does, so asking twice for the same
/// work (an upload and a run both wanting a version curated, a webhook event dispatched twice) finds one instance.
/// </summary>
public static class InstanceIds
{
    /// <summary>A lifecycle run: its run id.</summary>
    public static string Run(string runId) => runId;

    /// <summary>The curation of one dataset version, whoever asks first (the upload, or a run on a version still Pending).</summary>
    public static string DatasetIngestion(string project, string dataset, int version) => $"ingest-{project}-{dataset}-v{version}";

    /// <inheritdoc cref="DatasetIngestion(string, string, int)"/>
    public static string DatasetIngestion(IngestionInput input) => DatasetIngestion(input.Project, input.Dataset, input.Version);

    /// <summary>The training (data science) stage of a run.</summary>
    public static string Training(string runId) => $"{runId}-train";

    /// <summary>One cross-validated trial of a run's sweep.</summary>
    public static string CrossValidatedTrial(string runId, string trialId) => $"{runId}-{trialId}-cv";

    /// <summary>The SME approval of a run.</summary>
    public static string Approval(string runId) => $"{runId}-approval";

    /// <summary>The promotion a run's lifecycle starts once approved.</summary>
    public static string RunPromotion(string runId) => $"{runId}-promote";

    /// <summary>A promotion requested through the API.</summary>
    public static string Promotion(string project, string environment, string requestId) => $"promote-{project}-{environment}-{requestId}";

    /// <summary>A rollback requested through the API.</summary>
    public static string Rollback(string project, string environment, string requestId) => $"rollback-{project}-{environment}-{requestId}";

    /// <summary>The monitoring of a project's production model (one per project, continued as new each window).</summary>
    public static string Monitoring(string project) => $"monitor-{project}";

    /// <summary>The delivery of one webhook event to one subscription.</summary>
    public static string WebhookDelivery(string subscriptionId, string eventId) => $"webhook-{subscriptionId}-{eventId}";

    /// <summary>A batch scoring: its batch id.</summary>
    public static string BatchScoring(string batchId) => $"batch-{batchId}";
}
