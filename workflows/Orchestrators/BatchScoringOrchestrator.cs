using Microsoft.DurableTask;
using Orchestrator.Workflows.Activities;
using Orchestrator.Workflows.Serving;

namespace Orchestrator.Workflows.Orchestrators;

/// <summary>
/// ML engineering: batch scoring of a whole dataset version, under <see cref="InstanceIds.BatchScoring"/>. One activity
/// per curated part, at most <see cref="MaxPartsInFlight"/> at a time (each holds a row group and a model in memory, so
/// a version of any size scores within a bound); progress is the custom status after each part; a last activity
/// writes the manifest and records lineage. A part the model cannot read fails the batch, naming the row and column.
/// </summary>
public sealed class BatchScoringOrchestrator : TaskOrchestrator<BatchScoringInput, BatchManifest>
{
    /// <summary>Parts scored at the same time.</summary>
    public const int MaxPartsInFlight = 4;

    public override async Task<BatchManifest> RunAsync(TaskOrchestrationContext context, BatchScoringInput input)
    {
        var total = await context.CallActivityAsync<int>(nameof(PlanBatchActivity), input, RetryPolicies.Storage);
        var done = new List<BatchPartResult>(total);
        var running = new List<Task<BatchPartResult>>();
        context.SetCustomStatus(new BatchProgress(total, 0, 0, 0));
        var next = 0;
        void StartParts()
        {
            // After a failed part no more start: the batch fails with its reason.
            while (next < total && running.Count < MaxPartsInFlight && done.TrueForAll(d => d.Error is null))
                running.Add(context.CallActivityAsync<BatchPartResult>(nameof(ScoreBatchPartActivity), new BatchPartInput(input, next++), RetryPolicies.Storage));
        }
        StartParts();
        while (running.Count > 0)
        {
            var finished = await Task.WhenAny(running);
            running.Remove(finished);
            done.Add(await finished);
            context.SetCustomStatus(new BatchProgress(total, done.Count, done.Sum(d => d.RowsRead), done.Sum(d => d.RowsScored)));
            StartParts();
        }
        return await context.CallActivityAsync<BatchManifest>(nameof(FinishBatchActivity), new FinishBatchInput(input, done), RetryPolicies.Storage);
    }
}
