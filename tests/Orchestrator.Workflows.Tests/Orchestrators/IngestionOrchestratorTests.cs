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
