using DurableTask.Core;

namespace Orchestrator.Server.Tests;

/// <summary>The server renews running activities' locks itself (the sidecar does not), never during their completion.</summary>
public sealed class ActivityLockKeeperTests
{
    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The condition did not hold within 10 s.");
            await Task.Delay(10);
        }
    }

    [Fact]
    public async Task Keep_RunningActivity_RenewsUntilReleasedThenStops()
    {
        var keeper = new ActivityLockKeeper(TimeSpan.FromMilliseconds(20), TimeProvider.System);
        var workItem = new TaskActivityWorkItem { Id = "a1" };
        var renewals = 0;
        keeper.Keep(workItem, w => { Interlocked.Increment(ref renewals); return Task.FromResult(w); });

        await WaitUntilAsync(() => Volatile.Read(ref renewals) >= 3);
        var completed = false;
        await keeper.ReleaseAsync(workItem, () => { completed = true; return Task.CompletedTask; });
        var atRelease = Volatile.Read(ref renewals);
        await Task.Delay(200);

        Assert.True(completed);
        Assert.Equal(atRelease, Volatile.Read(ref renewals));
        Assert.Equal(0, keeper.Count);
    }

    [Fact]
    public async Task ReleaseAsync_RenewalInFlight_CompletesOnlyAfterIt()
    {
        var keeper = new ActivityLockKeeper(TimeSpan.FromMilliseconds(10), TimeProvider.System);
        var workItem = new TaskActivityWorkItem { Id = "a2" };
        var inFlight = 0;
        var renewing = new TaskCompletionSource();
        keeper.Keep(workItem, async w =>
        {
            Interlocked.Exchange(ref inFlight, 1);
            renewing.TrySetResult();
            await Task.Delay(150);
            Interlocked.Exchange(ref inFlight, 0);
            return w;
        });
        await renewing.Task.WaitAsync(TimeSpan.FromSeconds(10));

        var overlapped = true;
        await keeper.ReleaseAsync(workItem, () => { overlapped = Volatile.Read(ref inFlight) == 1; return Task.CompletedTask; });

        Assert.False(overlapped);
    }

    [Fact]
    public async Task StopAll_ServerStopping_NoMoreRenewals()
    {
        var keeper = new ActivityLockKeeper(TimeSpan.FromMilliseconds(20), TimeProvider.System);
        var renewals = 0;
        keeper.Keep(new TaskActivityWorkItem { Id = "a3" }, w => { Interlocked.Increment(ref renewals); return Task.FromResult(w); });
        await WaitUntilAsync(() => Volatile.Read(ref renewals) >= 1);

        keeper.StopAll();
        await Task.Delay(100); // a renewal already past its delay may still finish
        var atStop = Volatile.Read(ref renewals);
        await Task.Delay(200);

        Assert.Equal(atStop, Volatile.Read(ref renewals));
        Assert.Equal(0, keeper.Count);
    }

    [Fact]
    public async Task ReleaseAsync_WorkItemNeverKept_StillFinishes()
    {
        var keeper = new ActivityLockKeeper(TimeSpan.FromSeconds(10), TimeProvider.System);
        var finished = false;
        await keeper.ReleaseAsync(new TaskActivityWorkItem { Id = "unknown" }, () => { finished = true; return Task.CompletedTask; });
        Assert.True(finished);
    }
}
