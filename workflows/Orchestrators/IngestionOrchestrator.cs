using Microsoft.DurableTask;
using Orchestrator.Workflows.Activities;
using Orchestrator.Workflows.Model;

namespace Orchestrator.Workflows.Orchestrators;

/// <summary>
/// Data engineering stage: curate one raw dataset version, once, under <see cref="InstanceIds.DatasetIngestion(IngestionInput)"/>:
/// started by its upload, or by the lifecycle of a run on a version still Pending that no upload started. A first pass profiles the file and splits it in chunks
/// (row ranges, Parquet row groups); the chunks are curated in parallel; a last step merges their statistics,
/// applies the dataset rules and publishes the version, or fails it with the reason.
/// </summary>
public sealed class IngestionOrchestrator : TaskOrchestrator<IngestionInput, IngestionOutput>
{
    public override async Task<IngestionOutput> RunAsync(TaskOrchestrationContext context, IngestionInput input)
    {
        var plan = await context.CallActivityAsync<IngestionPlanResult>(nameof(PlanIngestionActivity), input, RetryPolicies.Storage);
        if (plan.Done is { } done) return done;
        // A sliding window: the next chunk starts when one finishes, so memory does not grow with the file's size.
        var window = plan.ParallelChunks > 0 ? plan.ParallelChunks : plan.Chunks;
        var running = new List<Task<ChunkOutput>>();
        for (var chunk = 0; chunk < plan.Chunks; chunk++)
        {
            if (running.Count >= window)
            {
                var finished = await Task.WhenAny(running);
                running.Remove(finished);
                await finished; // a failed chunk fails the ingestion, as Task.WhenAll would
            }
            running.Add(context.CallActivityAsync<ChunkOutput>(nameof(CurateChunkActivity),
                new ChunkInput(input.Project, input.Dataset, input.Version, chunk), RetryPolicies.Storage));
        }
        await Task.WhenAll(running);
        return await context.CallActivityAsync<IngestionOutput>(nameof(FinishIngestionActivity),
            new FinishIngestionInput(input.Project, input.Dataset, input.Version, plan.Chunks), RetryPolicies.Storage);
    }
}

/// <summary>Retry policies of activities: storage hiccups are retried, bad input is not (activities report it as a result).</summary>
public static class RetryPolicies
{
    public static readonly TaskOptions Storage = TaskOptions.FromRetryPolicy(new RetryPolicy(3, TimeSpan.FromSeconds(2), backoffCoefficient: 2));
}
