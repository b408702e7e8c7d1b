using Microsoft.DurableTask;
using Orchestrator.Workflows.Activities;
using Orchestrator.Workflows.Model;
using Orchestrator.Workflows.Training;

namespace Orchestrator.Workflows.Orchestrators;

/// <summary>
/// Data science stage: fans out one activity per candidate (at most <see cref="RunContext.MaxParallelTrials"/> at a
/// time; the rest wait in the orchestration, not in memory), fans in, ranks by the primary metric, checks the KPIs.
/// </summary>
public sealed class TrainingOrchestrator : TaskOrchestrator<TrainingInput, TrainingOutcome>
{
    public override async Task<TrainingOutcome> RunAsync(TaskOrchestrationContext context, TrainingInput input)
    {
        var plans = await context.CallActivityAsync<List<TrialPlan>>(nameof(PlanTrialsActivity), input, RetryPolicies.Storage);
        await context.CallActivityAsync<bool>(nameof(UpdateRunActivity), new RunUpdate(input.RunId, TrialsTotal: plans.Count), RetryPolicies.Storage);

        var results = new List<TrialResult>();
        var running = new List<Task<TrialResult>>();
        var cap = Math.Max(1, input.Context.MaxParallelTrials);
        foreach (var plan in plans)
        {
            if (running.Count >= cap)
            {
                var done = await Task.WhenAny(running);
                running.Remove(done);
                results.Add(await done);
            }
            running.Add(context.CallActivityAsync<TrialResult>(nameof(TrainCandidateActivity),
                new TrialInput(input.RunId, input.Project, input.Dataset, input.DatasetVersion, plan.TrialId, plan.Candidate), RetryPolicies.Storage));
        }
        results.AddRange(await Task.WhenAll(running));
        return ChampionSelector.Select(results, input.Context.PrimaryMetric, input.Context.Kpis);
    }
}
