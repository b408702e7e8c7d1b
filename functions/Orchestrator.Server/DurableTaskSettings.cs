namespace Orchestrator.Server;

/// <summary>
/// The <c>extensions:durableTask</c> section of host.json, read by the server as the Functions host reads it,
/// so both hosts use the same task hub and tuning.
/// </summary>
public sealed class DurableTaskSettings
{
    public const string Section = "extensions:durableTask";

    public string HubName { get; set; } = "OrchestratorHub";
    public int MaxConcurrentActivityFunctions { get; set; } = 8;
    public int MaxConcurrentOrchestratorFunctions { get; set; } = 8;
    public StorageProviderSettings StorageProvider { get; set; } = new();
}

/// <summary>The <c>storageProvider</c> part of the durableTask section (Azure Storage provider settings).</summary>
public sealed class StorageProviderSettings
{
    public int PartitionCount { get; set; } = 4;
    public TimeSpan MaxQueuePollingInterval { get; set; } = TimeSpan.FromSeconds(30);
    public int ControlQueueBatchSize { get; set; } = 32;
    /// <summary>How long a dequeued activity message stays invisible; after a worker dies, its activity runs again after this.</summary>
    public TimeSpan WorkItemQueueVisibilityTimeout { get; set; } = TimeSpan.FromMinutes(5);
    /// <summary>The same for orchestration (control queue) messages.</summary>
    public TimeSpan ControlQueueVisibilityTimeout { get; set; } = TimeSpan.FromMinutes(5);
}

/// <summary>Server settings (section <c>Server</c>).</summary>
public sealed class ServerSettings
{
    /// <summary>Where the API listens; the Functions port by default.</summary>
    public string Urls { get; set; } = "http://127.0.0.1:7071";
    /// <summary>Loopback port of the gRPC sidecar; 0 picks a free one.</summary>
    public int SidecarPort { get; set; }
}
