using Microsoft.DurableTask;
using Orchestrator.Workflows.Model;
using Orchestrator.Workflows.Training;

namespace Orchestrator.Workflows.Activities;

/// <summary>
/// The next wave of a Bayesian search, from the results so far (<see cref="TreeParzenEstimator"/>). An activity, not
/// orchestrator code, so the suggestions are recorded in the history once and replay reads them back; it reads nothing
/// but its input, so a retry answers the same trials.
/// </summary>
public sealed class SuggestTrialsActivity : TaskActivity<SuggestTrialsInput, IReadOnlyList<TrialPlan>>
{
    public override Task<IReadOnlyList<TrialPlan>> RunAsync(TaskActivityContext context, SuggestTrialsInput input) =>
        Task.FromResult(TreeParzenEstimator.Suggest(input));
}
