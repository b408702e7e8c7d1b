namespace Orchestrator.Workflows.Storage;

/// <summary>Where the lake and the metadata tables live. Bound from the <c>AzureWebJobsStorage</c> setting.</summary>
public sealed class StorageOptions
{
    /// <summary>Storage connection string; Azurite's well-known development account by default.</summary>
    public string ConnectionString { get; set; } = "UseDevelopmentStorage=true";

    // The SDK's defaults (3 retries from 0.8 s, 100 s per try) keep a request waiting for minutes on storage that does
    // not answer; the API answers 503 instead, and activities retry through their durable retry policy.
    /// <summary>Retries of one storage call after the first try.</summary>
    public int MaxRetries { get; set; } = 3;
    /// <summary>The first retry's delay (exponential after it).</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(500);
    /// <summary>How long one try may take.</summary>
    public TimeSpan NetworkTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Applies the retry settings to a storage client's options.</summary>
    public T Apply<T>(T options) where T : Azure.Core.ClientOptions
    {
        options.Retry.MaxRetries = MaxRetries;
        options.Retry.Delay = RetryDelay;
        options.Retry.NetworkTimeout = NetworkTimeout;
        return options;
    }
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
