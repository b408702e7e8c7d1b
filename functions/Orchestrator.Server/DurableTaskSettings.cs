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
    /// <summary>
    /// Control-queue messages a server buffers before its poller waits (1 s) to dequeue more: the provider's default,
    /// 64. A fan-in of many activities completes in batches of at most this many per partition.
    /// </summary>
    public int ControlQueueBufferThreshold { get; set; } = 64;
    // host.json's workItemQueueVisibilityTimeout and controlQueueVisibilityTimeout are the Functions host's; the server
    // has its own (ServerSettings), since it renews running activities itself.
}

/// <summary>Server settings (section <c>Server</c>).</summary>
public sealed class ServerSettings
{
    /// <summary>Where the API listens; the Functions port by default.</summary>
    public string Urls { get; set; } = "http://127.0.0.1:7071";
    /// <summary>Loopback port of the gRPC sidecar; 0 picks a free one.</summary>
    public int SidecarPort { get; set; }

    /// <summary>
    /// The server's work-item visibility timeout, in place of host.json's (which the Functions host keeps at its
    /// 5-minute default): a killed server's activities run again this long after the kill. Running activities renew
    /// their lock every third of it (<see cref="ActivityLockKeeper"/>), so a trial may take longer than this.
    /// </summary>
    public TimeSpan WorkItemVisibilityTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The server's control-queue visibility timeout: orchestration messages a killed server had dequeued come back
    /// after this. Nothing renews them, so it must exceed the longest wait of a dequeued message for its episode (its
    /// buffer and one replay), measured in docs/reliability.md.
    /// </summary>
    public TimeSpan ControlQueueVisibilityTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// How long a server's hold on a control-queue partition lasts without renewal (the provider's default, 30 s; blob
    /// leases allow 15–60 s). A killed server's partitions go to another server this long after its last renewal; it
    /// renews, and looks for partitions to take, every third of it.
    /// </summary>
    public TimeSpan PartitionLeaseInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// This process's name in the task hub's partition leases. The provider defaults to the machine name, which two
    /// servers on one machine share — then neither can tell its leases from the other's; the process id tells them apart.
    /// </summary>
    public string WorkerId { get; set; } = $"{Environment.MachineName}-{Environment.ProcessId}";
}
