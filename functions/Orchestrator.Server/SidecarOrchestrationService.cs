using DurableTask.Core;
using DurableTask.Core.History;

namespace Orchestrator.Server;

/// <summary>
/// Sits between the gRPC sidecar and the Azure Storage provider. The sidecar records sub-orchestration starts with its
/// own event subclass and protobuf tag maps; the provider's history table writer only knows DurableTask.Core's types
/// and writes a row without an event type, which makes the parent orchestration unloadable. Before a work item is
/// committed, such events are replaced by their DurableTask.Core equivalents. Everything else passes through.
/// Running activities keep their lock (<see cref="ActivityLockKeeper"/>): the sidecar never renews it.
/// </summary>
public sealed class SidecarOrchestrationService(IOrchestrationService inner, ActivityLockKeeper locks) : IOrchestrationService
{
    private static readonly System.Reflection.Assembly Core = typeof(HistoryEvent).Assembly;

    public Task CompleteTaskOrchestrationWorkItemAsync(TaskOrchestrationWorkItem workItem, OrchestrationRuntimeState newOrchestrationRuntimeState,
        IList<TaskMessage> outboundMessages, IList<TaskMessage> orchestratorMessages, IList<TaskMessage> timerMessages,
        TaskMessage continuedAsNewMessage, OrchestrationState orchestrationState)
    {
        Normalize(newOrchestrationRuntimeState);
        if (!ReferenceEquals(workItem.OrchestrationRuntimeState, newOrchestrationRuntimeState)) Normalize(workItem.OrchestrationRuntimeState);
        foreach (var message in orchestratorMessages)
            if (message.Event is ExecutionStartedEvent started && started.Tags is not null && started.Tags.GetType().Assembly != typeof(Dictionary<,>).Assembly)
                started.Tags = new Dictionary<string, string>(started.Tags);
        return inner.CompleteTaskOrchestrationWorkItemAsync(workItem, newOrchestrationRuntimeState, outboundMessages, orchestratorMessages, timerMessages, continuedAsNewMessage, orchestrationState);
    }

    private static void Normalize(OrchestrationRuntimeState? state)
    {
        if (state is null) return;
        Replace(state.NewEvents);
        Replace(state.Events);
    }

    private static void Replace(IList<HistoryEvent> events)
    {
        for (var i = 0; i < events.Count; i++)
            if (events[i] is SubOrchestrationInstanceCreatedEvent created && created.GetType().Assembly != Core)
                events[i] = new SubOrchestrationInstanceCreatedEvent(created.EventId)
                {
                    Name = created.Name, Version = created.Version, InstanceId = created.InstanceId, Input = created.Input,
                    ClientSpanId = created.ClientSpanId, Timestamp = created.Timestamp, IsPlayed = created.IsPlayed,
                    Tags = created.Tags is null ? null : new Dictionary<string, string>(created.Tags),
                };
    }

    private volatile bool _started;

    public async Task StartAsync()
    {
        locks.Resume();
        await inner.StartAsync();
        _started = true;
    }

    // The sidecar stops its backend when the application stops, started or not; the Azure Storage provider's StopAsync
    // throws NullReferenceException on a service it never started, on a thread-pool thread, which ends the process (a
    // server stopped during its start-up). A service that was never started has nothing to stop.
    public Task StopAsync() => StopAsync(isForced: false);

    public Task StopAsync(bool isForced)
    {
        locks.StopAll();
        if (!_started) return Task.CompletedTask;
        _started = false;
        return inner.StopAsync(isForced);
    }
    public Task CreateAsync() => inner.CreateAsync();
    public Task CreateAsync(bool recreateInstanceStore) => inner.CreateAsync(recreateInstanceStore);
    public Task CreateIfNotExistsAsync() => inner.CreateIfNotExistsAsync();
    public Task DeleteAsync() => inner.DeleteAsync();
    public Task DeleteAsync(bool deleteInstanceStore) => inner.DeleteAsync(deleteInstanceStore);
    public bool IsMaxMessageCountExceeded(int currentMessageCount, OrchestrationRuntimeState runtimeState) => inner.IsMaxMessageCountExceeded(currentMessageCount, runtimeState);
    public int GetDelayInSecondsAfterOnProcessException(Exception exception) => inner.GetDelayInSecondsAfterOnProcessException(exception);
    public int GetDelayInSecondsAfterOnFetchException(Exception exception) => inner.GetDelayInSecondsAfterOnFetchException(exception);
    public int TaskOrchestrationDispatcherCount => inner.TaskOrchestrationDispatcherCount;
    public int MaxConcurrentTaskOrchestrationWorkItems => inner.MaxConcurrentTaskOrchestrationWorkItems;
    public BehaviorOnContinueAsNew EventBehaviourForContinueAsNew => inner.EventBehaviourForContinueAsNew;
    public Task<TaskOrchestrationWorkItem> LockNextTaskOrchestrationWorkItemAsync(TimeSpan receiveTimeout, CancellationToken cancellationToken) => inner.LockNextTaskOrchestrationWorkItemAsync(receiveTimeout, cancellationToken);
    public Task RenewTaskOrchestrationWorkItemLockAsync(TaskOrchestrationWorkItem workItem) => inner.RenewTaskOrchestrationWorkItemLockAsync(workItem);
    public Task AbandonTaskOrchestrationWorkItemAsync(TaskOrchestrationWorkItem workItem) => inner.AbandonTaskOrchestrationWorkItemAsync(workItem);
    public Task ReleaseTaskOrchestrationWorkItemAsync(TaskOrchestrationWorkItem workItem) => inner.ReleaseTaskOrchestrationWorkItemAsync(workItem);
    public int TaskActivityDispatcherCount => inner.TaskActivityDispatcherCount;
    public int MaxConcurrentTaskActivityWorkItems => inner.MaxConcurrentTaskActivityWorkItems;
    public async Task<TaskActivityWorkItem> LockNextTaskActivityWorkItem(TimeSpan receiveTimeout, CancellationToken cancellationToken)
    {
        var workItem = await inner.LockNextTaskActivityWorkItem(receiveTimeout, cancellationToken);
        if (workItem is not null) locks.Keep(workItem, inner.RenewTaskActivityWorkItemLockAsync);
        return workItem!;
    }

    public Task<TaskActivityWorkItem> RenewTaskActivityWorkItemLockAsync(TaskActivityWorkItem workItem) => inner.RenewTaskActivityWorkItemLockAsync(workItem);
    public Task CompleteTaskActivityWorkItemAsync(TaskActivityWorkItem workItem, TaskMessage responseMessage) =>
        locks.ReleaseAsync(workItem, () => inner.CompleteTaskActivityWorkItemAsync(workItem, responseMessage));
    public Task AbandonTaskActivityWorkItemAsync(TaskActivityWorkItem workItem) => locks.ReleaseAsync(workItem, () => inner.AbandonTaskActivityWorkItemAsync(workItem));
}
