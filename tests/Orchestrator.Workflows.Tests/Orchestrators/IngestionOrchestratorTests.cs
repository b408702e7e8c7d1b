using Microsoft.DurableTask;
using Orchestrator.Workflows.Activities;
using Orchestrator.Workflows.Model;
using Orchestrator.Workflows.Orchestrators;

namespace Orchestrator.Workflows.Tests.Orchestrators;

public sealed class IngestionOrchestratorTests
{
    private static readonly IngestionInput Input = new("p", "d", 3);

    [Fact]
    public async Task RunAsync_PlanSplitsInChunks_CuratesEveryChunkThenFinishesWithTheirCount()
    {
        var mocks = new OrchestrationMocks("ingest-p-d-v3");
        mocks.Activity(nameof(PlanIngestionActivity), _ => new IngestionPlanResult(null, 3));
        mocks.Activity(nameof(CurateChunkActivity), input => new ChunkOutput(((ChunkInput)input!).Chunk, 10, 9, 1));
        mocks.Activity(nameof(FinishIngestionActivity), _ => new IngestionOutput(true, null, 30, 27, 3));

        var result = await new IngestionOrchestrator().RunAsync(mocks.Context.Object, Input);

        Assert.True(result.Succeeded);
        Assert.Equal([0, 1, 2], mocks.Calls.Where(c => c.Name == nameof(CurateChunkActivity)).Select(c => ((ChunkInput)c.Input!).Chunk).Order());
        var finish = (FinishIngestionInput)mocks.Calls.Single(c => c.Name == nameof(FinishIngestionActivity)).Input!;
        Assert.Equal(new FinishIngestionInput("p", "d", 3, 3), finish);
        Assert.Equal(nameof(FinishIngestionActivity), mocks.Calls[^1].Name);
    }

    [Fact]
    public async Task RunAsync_MoreChunksThanTheWindow_StartsTheNextOnlyWhenOneFinishes()
    {
        var mocks = new OrchestrationMocks("ingest-p-d-v3");
        var pending = new Dictionary<int, TaskCompletionSource<ChunkOutput>>();
        mocks.Activity(nameof(PlanIngestionActivity), _ => new IngestionPlanResult(null, 5, ParallelChunks: 2));
        mocks.ActivityTask(nameof(CurateChunkActivity), input =>
        {
            var chunk = ((ChunkInput)input!).Chunk;
            return (pending[chunk] = new TaskCompletionSource<ChunkOutput>()).Task;
        });
        mocks.Activity(nameof(FinishIngestionActivity), _ => new IngestionOutput(true, null, 50, 50, 0));

        var run = new IngestionOrchestrator().RunAsync(mocks.Context.Object, Input);

        Assert.Equal([0, 1], pending.Keys.Order());
        pending[1].SetResult(new ChunkOutput(1, 10, 10, 0));
        Assert.Equal([0, 1, 2], pending.Keys.Order());
        pending[0].SetResult(new ChunkOutput(0, 10, 10, 0));
        pending[2].SetResult(new ChunkOutput(2, 10, 10, 0));
        Assert.Equal([0, 1, 2, 3, 4], pending.Keys.Order());
        Assert.Equal(0, mocks.CallCount(nameof(FinishIngestionActivity)));
        pending[3].SetResult(new ChunkOutput(3, 10, 10, 0));
        pending[4].SetResult(new ChunkOutput(4, 10, 10, 0));
        Assert.True((await run).Succeeded);
        Assert.Equal(1, mocks.CallCount(nameof(FinishIngestionActivity)));
    }

    [Fact]
    public async Task RunAsync_ChunkFailsWhileOthersWait_FailsWithoutFinishing()
    {
        var mocks = new OrchestrationMocks("ingest-p-d-v3");
        mocks.Activity(nameof(PlanIngestionActivity), _ => new IngestionPlanResult(null, 4, ParallelChunks: 1));
        mocks.ActivityTask(nameof(CurateChunkActivity), input => ((ChunkInput)input!).Chunk == 1
            ? Task.FromException<ChunkOutput>(new TaskFailedException(nameof(CurateChunkActivity), 1, new TaskFailureDetails("RequestFailedException", "storage gone", null, null, null)))
            : Task.FromResult(new ChunkOutput(((ChunkInput)input!).Chunk, 10, 10, 0)));

        await Assert.ThrowsAsync<TaskFailedException>(() => new IngestionOrchestrator().RunAsync(mocks.Context.Object, Input));

        Assert.Equal(0, mocks.CallCount(nameof(FinishIngestionActivity)));
        Assert.Equal(2, mocks.CallCount(nameof(CurateChunkActivity)));
    }

    [Fact]
    public async Task RunAsync_VersionAlreadyDecided_ReturnsItWithoutCuratingAgain()
    {
        var mocks = new OrchestrationMocks(InstanceIds.DatasetIngestion("weather", "daily", 7));
        var failed = new IngestionOutput(false, "The label column 'weather' is missing.", 5, 0, 0);
        mocks.Activity(nameof(PlanIngestionActivity), _ => new IngestionPlanResult(failed, 0));

        var result = await new IngestionOrchestrator().RunAsync(mocks.Context.Object, Input);

        Assert.Equal(failed, result);
        Assert.Equal([nameof(PlanIngestionActivity)], mocks.Calls.Select(c => c.Name));
    }
}
