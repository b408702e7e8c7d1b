using Microsoft.DurableTask;
using Orchestrator.Workflows.Activities;
using Orchestrator.Workflows.Model;

namespace Orchestrator.Workflows.Orchestrators;

/// <summary>
/// A cross-validated trial: k fold activities fanned out (on the training rows only), then the trial itself trains
/// on the whole training split, is evaluated on the test set and recorded with <c>cv.{metric}.mean</c>/<c>.std</c>.
/// A fold that cannot train makes the trial fail like any trial.
/// </summary>
public sealed class CrossValidatedTrialOrchestrator : TaskOrchestrator<TrialInput, TrialResult>
{
    public override async Task<TrialResult> RunAsync(TaskOrchestrationContext context, TrialInput input)
    {
        var folds = input.Folds ?? 5;
        Dictionary<string, double>? summary = null;
        try
        {
            var results = await Task.WhenAll(Enumerable.Range(0, folds).Select(fold =>
                context.CallActivityAsync<IReadOnlyDictionary<string, double>>(nameof(TrainFoldActivity), new FoldInput(input, fold, folds), RetryPolicies.Storage)));
            summary = [];
            foreach (var metric in results[0].Keys)
            {
                var values = results.Select(r => r[metric]).ToList();
                var mean = values.Average();
                summary[$"cv.{metric}.mean"] = Math.Round(mean, 6);
                summary[$"cv.{metric}.std"] = Math.Round(Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / Math.Max(1, values.Count - 1)), 6);
            }
        }
        catch (TaskFailedException)
        {
            // The trial activity below reports the trainer's own error when it cannot fit either.
        }
        return await context.CallActivityAsync<TrialResult>(nameof(TrainCandidateActivity), input with { CrossValidation = summary }, RetryPolicies.Storage);
    }
}
