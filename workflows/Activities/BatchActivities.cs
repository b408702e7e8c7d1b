using Microsoft.DurableTask;
using Orchestrator.Workflows.Serving;

namespace Orchestrator.Workflows.Activities;

/// <summary>How many curated parts the version to score has.</summary>
public sealed class PlanBatchActivity(BatchScorer scorer) : TaskActivity<BatchScoringInput, int>
{
    public override async Task<int> RunAsync(TaskActivityContext context, BatchScoringInput input) => (await scorer.PartsAsync(input)).Count;
}

/// <summary>Scores one curated part and writes its output part, keyed by the part's index.</summary>
public sealed class ScoreBatchPartActivity(BatchScorer scorer) : TaskActivity<BatchPartInput, BatchPartResult>
{
    public override Task<BatchPartResult> RunAsync(TaskActivityContext context, BatchPartInput input) => scorer.ScorePartAsync(input);
}

/// <summary>Writes a batch's manifest and records its lineage.</summary>
public sealed class FinishBatchActivity(BatchScorer scorer) : TaskActivity<FinishBatchInput, BatchManifest>
{
    public override Task<BatchManifest> RunAsync(TaskActivityContext context, FinishBatchInput input) => scorer.FinishAsync(input.Batch, input.Parts);
}
