using Microsoft.DurableTask;
using Moq;
using Orchestrator.Workflows.Activities;
using Orchestrator.Workflows.Orchestrators;
using Orchestrator.Workflows.Serving;

namespace Orchestrator.Workflows.Tests.Orchestrators;

public sealed class BatchScoringOrchestratorTests
{
    private static readonly BatchScoringInput Input = new("b1", "p", 2, "d", 3, BatchRows.All, "ml@example.com", DateTimeOffset.UnixEpoch);

    private static (OrchestrationMocks Mocks, List<BatchProgress> Progress, Dictionary<int, TaskCompletionSource<BatchPartResult>> Parts) Mocks(int parts)
    {
        var mocks = new OrchestrationMocks(InstanceIds.BatchScoring("b1"));
        var progress = new List<BatchProgress>();
        mocks.Context.Setup(c => c.SetCustomStatus(It.IsAny<object?>())).Callback((object? s) => progress.Add((BatchProgress)s!));
        var pending = Enumerable.Range(0, parts).ToDictionary(p => p, _ => new TaskCompletionSource<BatchPartResult>());
        mocks.Activity(nameof(PlanBatchActivity), _ => parts);
        mocks.ActivityTask(nameof(ScoreBatchPartActivity), input => pending[((BatchPartInput)input!).Part].Task);
        mocks.Activity(nameof(FinishBatchActivity), input =>
        {
            var finish = (FinishBatchInput)input!;
            return new BatchManifest(finish.Batch, finish.Parts.Any(p => p.Error is not null) ? BatchStatus.Failed : BatchStatus.Completed, finish.Parts.Count,
                finish.Parts.Sum(p => p.RowsRead), finish.Parts.Sum(p => p.RowsScored), BatchScorer.OutputPrefix("b1"), finish.Parts, [], null, DateTimeOffset.UnixEpoch);
        });
        return (mocks, progress, pending);
    }

    [Fact]
    public async Task RunAsync_TenParts_AtMostFourInFlightEveryPartScoredThenFinished()
    {
        var (mocks, progress, parts) = Mocks(10);

        var run = new BatchScoringOrchestrator().RunAsync(mocks.Context.Object, Input);
        for (var part = 0; part < 10; part++)
        {
            Assert.Equal(Math.Min(10, part + BatchScoringOrchestrator.MaxPartsInFlight), mocks.CallCount(nameof(ScoreBatchPartActivity)));
            parts[part].SetResult(new BatchPartResult(part, 100, 90, BatchScorer.PartPath("b1", part)));
        }
        var manifest = await run;

        Assert.Equal((BatchStatus.Completed, 10, 1000L, 900L), (manifest.Status, manifest.PartsTotal, manifest.RowsRead, manifest.RowsScored));
        Assert.Equal(Enumerable.Range(0, 10), mocks.Calls.Where(c => c.Name == nameof(ScoreBatchPartActivity)).Select(c => ((BatchPartInput)c.Input!).Part));
        Assert.Equal(new BatchProgress(10, 0, 0, 0), progress[0]);
        Assert.Equal(new BatchProgress(10, 10, 1000, 900), progress[^1]);
        Assert.Equal(nameof(FinishBatchActivity), mocks.Calls[^1].Name);
    }

    [Fact]
    public async Task RunAsync_PartFails_NoMorePartsStartAndTheManifestSaysWhy()
    {
        var (mocks, _, parts) = Mocks(10);

        var run = new BatchScoringOrchestrator().RunAsync(mocks.Context.Object, Input);
        parts[0].SetResult(new BatchPartResult(0, 5, 4, null, "Part 0 after 4 scored rows: Row 0, column 'wind': 'x' is not a number."));
        for (var part = 1; part < 4; part++) parts[part].SetResult(new BatchPartResult(part, 100, 100, BatchScorer.PartPath("b1", part)));
        var manifest = await run;

        Assert.Equal(BatchStatus.Failed, manifest.Status);
        Assert.Equal(4, mocks.CallCount(nameof(ScoreBatchPartActivity)));
        Assert.Equal(4, ((FinishBatchInput)mocks.Calls[^1].Input!).Parts.Count);
    }
}
