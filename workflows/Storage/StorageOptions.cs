namespace Orchestrator.Workflows.Storage;

/// <summary>Where the lake and the metadata tables live. Bound from the <c>AzureWebJobsStorage</c> setting.</summary>
public sealed class StorageOptions
{
    /// <summary>Storage connection string; Azurite's well-known development account by default.</summary>
    public string ConnectionString { get; set; } = "UseDevelopmentStorage=true";
}

/// <summary>Names of the blob containers (lake zones, artifact stores) and tables.</summary>
public static class StorageNames
{
    /// <summary>Where source systems drop files to hand over (read by the pipeline, never changed by it).</summary>
    public const string LandingContainer = "landing";
    public const string RawContainer = "raw";
    public const string CuratedContainer = "curated";
    public const string QuarantineContainer = "quarantine";
    public const string ModelsContainer = "models";
    public const string ReportsContainer = "reports";
    /// <summary>Logged predictions: hourly JSON Lines append blobs <c>{project}/{yyyy-MM-dd}/{HH}/{instance}.jsonl</c>.</summary>
    public const string PredictionsContainer = "predictions";

    public static readonly IReadOnlyList<string> Containers =
        [LandingContainer, RawContainer, CuratedContainer, QuarantineContainer, ModelsContainer, ReportsContainer, PredictionsContainer];

    public const string ProjectsTable = "projects";
    public const string DatasetsTable = "datasets";
    public const string RunsTable = "runs";
    public const string TrialsTable = "trials";
    public const string ModelsTable = "models";
    public const string ApprovalsTable = "approvals";
    /// <summary>Ground truth of logged predictions: PartitionKey = project, RowKey = prediction id.</summary>
    public const string FeedbackTable = "feedback";

    public static readonly IReadOnlyList<string> Tables =
        [ProjectsTable, DatasetsTable, RunsTable, TrialsTable, ModelsTable, ApprovalsTable, FeedbackTable];
}
