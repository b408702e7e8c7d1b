using DurableTask.Core;

namespace Orchestrator.Server;

/// <summary>
/// Keeps a running activity's queue message invisible. The gRPC sidecar's dispatcher never renews an activity's lock
/// (its <c>RenewWorkItemAsync</c> is not called), so without this a message becomes visible again once the work-item
/// visibility timeout passes and a long activity (a training trial) would run twice; with it, the timeout can be short
/// and the activities of a killed server run again soon after. Renewal and completion of one work item never overlap:
/// the Azure Storage provider changes the message's pop receipt when it renews.
/// </summary>
public sealed class ActivityLockKeeper(TimeSpan renewEvery, TimeProvider clock)
{
    private readonly Dictionary<string, Kept> _kept = [];
    private readonly Lock _gate = new();
    private bool _stopped;

    /// <summary>Keeps work items again (the orchestration service started).</summary>
    public void Resume()
    {
        lock (_gate) _stopped = false;
    }

    private sealed class Kept
    {
        public CancellationTokenSource Stop { get; } = new();
        public SemaphoreSlim Turn { get; } = new(1, 1);
        public Task? Loop { get; set; }
    }

    /// <summary>Starts renewing the work item's lock every <c>renewEvery</c> through <paramref name="renew"/>.</summary>
    public void Keep(TaskActivityWorkItem workItem, Func<TaskActivityWorkItem, Task<TaskActivityWorkItem>> renew)
    {
        var kept = new Kept();
        lock (_gate)
        {
            // A work item fetched while the server stops is not kept: it must come back to another server.
            if (_stopped) return;
            _kept[workItem.Id] = kept;
        }
        kept.Loop = Task.Run(async () =>
        {
            while (!kept.Stop.IsCancellationRequested)
            {
                try { await Task.Delay(renewEvery, clock, kept.Stop.Token); }
                catch (OperationCanceledException) { return; }
                await kept.Turn.WaitAsync();
                try
                {
                    if (!kept.Stop.IsCancellationRequested) await renew(workItem);
                }
                catch (Exception) when (!kept.Stop.IsCancellationRequested)
                {
                    // The message may be gone (completed elsewhere); the next renewal or the completion says so.
                }
                finally { kept.Turn.Release(); }
            }
        });
    }

    /// <summary>Stops renewing (waiting for a renewal in flight), then runs <paramref name="finish"/> (complete or abandon).</summary>
    public async Task ReleaseAsync(TaskActivityWorkItem workItem, Func<Task> finish)
    {
        Kept? kept;
        lock (_gate)
            if (_kept.Remove(workItem.Id, out kept)) kept.Stop.Cancel();
        if (kept is null)
        {
            await finish();
            return;
        }
        await kept.Turn.WaitAsync();
        try { await finish(); }
        finally
        {
            kept.Turn.Release();
            kept.Stop.Dispose();
        }
    }

    /// <summary>
    /// Stops every renewal (the orchestration service stops): a stopped server must not keep its activities' messages
    /// hidden, or another server could never take them over.
    /// </summary>
    public void StopAll()
    {
        lock (_gate)
        {
            _stopped = true;
            foreach (var kept in _kept.Values) kept.Stop.Cancel();
            _kept.Clear();
        }
    }

    /// <summary>How many work items are being kept (for tests).</summary>
    public int Count
    {
        get { lock (_gate) return _kept.Count; }
    }
}
