using Microsoft.DurableTask;
using Orchestrator.Workflows.Activities;
using Orchestrator.Workflows.Model;
using Orchestrator.Workflows.Training;

namespace Orchestrator.Workflows.Orchestrators;

/// <summary>
/// Data science stage: fans out one activity per candidate (at most <see cref="RunContext.MaxParallelTrials"/> at a
/// time; the rest wait in the orchestration, not in memory), fans in, ranks by the primary metric, checks the KPIs.
/// With successive halving each rung is a wave: the best 1/η of a rung train again on η× the rows, until one rung
/// trains on all of them; the final rung decides. A sweep stops once more than <c>maxFailedTrials</c> trials failed.
/// </summary>
public sealed class TrainingOrchestrator : TaskOrchestrator<TrainingInput, TrainingOutcome>
{
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "DURABLE0011:Unbounded loop without ContinueAsNew", Justification = "Bounded: one turn per rung of the search (successive halving has a few); the history grows with the trials, which the search plan caps.")]
    public override async Task<TrainingOutcome> RunAsync(TaskOrchestrationContext context, TrainingInput input)
    {
        var plan = await context.CallActivityAsync<TrainingPlan>(nameof(PlanTrialsActivity), input, RetryPolicies.Storage);
        await context.CallActivityAsync<bool>(nameof(UpdateRunActivity), new RunUpdate(input.RunId, TrialsTotal: plan.TotalTrials), RetryPolicies.Storage);

        var all = new List<TrialResult>();
        var wave = plan.Trials.ToList();
        var deadline = plan.TimeBudget is { } budgetTime ? context.CurrentUtcDateTime.Add(budgetTime) : (DateTime?)null;
        string? stoppedEarly = null;
        string? StopEarly(IEnumerable<TrialResult> done)
        {
            if (plan.StopWhen is { } target && done.FirstOrDefault(t => t.Status == TrialStatus.Succeeded && t.Metrics.TryGetValue(target.Metric, out var v) && target.IsMetBy(v)) is { } hit)
                return $"{hit.TrialId} reached the target {target}";
            return deadline is { } d && context.CurrentUtcDateTime >= d ? $"the time budget of {plan.TimeBudget} was spent" : null;
        }
        while (true)
        {
            var (results, stopped) = await RunWaveAsync(context, input, wave, plan.MaxFailedTrials, all.Count(t => t.Status != TrialStatus.Succeeded),
                done => stoppedEarly ??= StopEarly(all.Concat(done)), plan.Folds);
            all.AddRange(results);
            // A time budget spent between halving rungs also stops the search.
            if (plan.Strategy == SearchSpaceDefinition.Halving && wave.Count > 1 && wave[0].Budget < 1) stoppedEarly ??= StopEarly(all);
            if (stoppedEarly is not null)
            {
                await context.CallActivityAsync<bool>(nameof(UpdateRunActivity),
                    new RunUpdate(input.RunId, SweepNote: $"Stopped early after {all.Count} trials: {stoppedEarly}."), RetryPolicies.Storage);
                var early = ChampionSelector.Select(results, input.Context.PrimaryMetric, input.Context.Kpis);
                return early with { Succeeded = all.Count(t => t.Status == TrialStatus.Succeeded), Failed = all.Count(t => t.Status != TrialStatus.Succeeded), StoppedEarly = stoppedEarly };
            }
            if (stopped)
                return new TrainingOutcome(false, null, null,
                    $"{all.Count(t => t.Status != TrialStatus.Succeeded)} trials failed, more than maxFailedTrials ({plan.MaxFailedTrials}); first error: {all.First(t => t.Error is not null).Error}",
                    all.Count(t => t.Status == TrialStatus.Succeeded), all.Count(t => t.Status != TrialStatus.Succeeded));

            var budget = wave.Count > 0 ? wave[0].Budget : 1;
            if (plan.Strategy != SearchSpaceDefinition.Halving || budget >= 1 || wave.Count <= 1)
            {
                // The final wave decides; earlier rungs trained on fewer rows and are not comparable.
                var outcome = ChampionSelector.Select(results, input.Context.PrimaryMetric, input.Context.Kpis);
                return outcome with { Succeeded = all.Count(t => t.Status == TrialStatus.Succeeded), Failed = all.Count(t => t.Status != TrialStatus.Succeeded) };
            }

            var rung = wave[0].Rung + 1;
            var nextBudget = SearchStrategies.NextBudget(budget, plan.Eta);
            var promoted = ChampionSelector.Rank(results, input.Context.PrimaryMetric).Take(SearchStrategies.Survivors(wave.Count, plan.Eta));
            wave = promoted.Select(t => new TrialPlan($"{t.TrialId.Split('-')[0]}-r{rung}", wave.First(w => w.TrialId == t.TrialId).Candidate, nextBudget, rung)).ToList();
            if (wave.Count == 0)
                return ChampionSelector.Select(results, input.Context.PrimaryMetric, input.Context.Kpis);
        }
    }

    private static async Task<(List<TrialResult> Results, bool Stopped)> RunWaveAsync(
        TaskOrchestrationContext context, TrainingInput input, IReadOnlyList<TrialPlan> wave, int? maxFailed, int failedBefore, Func<IEnumerable<TrialResult>, string?> stopEarly, int? folds)
    {
        var results = new List<TrialResult>();
        var running = new List<Task<TrialResult>>();
        var cap = Math.Max(1, input.Context.MaxParallelTrials);
        bool TooManyFailures() => maxFailed is { } max && failedBefore + results.Count(r => r.Status != TrialStatus.Succeeded) > max;
        foreach (var plan in wave)
        {
            while (running.Count >= cap)
            {
                var done = await Task.WhenAny(running);
                running.Remove(done);
                results.Add(await done);
            }
            // Trials already scheduled finish; no new one starts once the failure budget, the time budget or the target is reached.
            if (TooManyFailures()) break;
            if (results.Count > 0 && stopEarly(results) is not null) break;
            var trial = new TrialInput(input.RunId, input.Project, input.Dataset, input.DatasetVersion, plan.TrialId, plan.Candidate, plan.Budget, plan.Rung, folds);
            running.Add(folds is null
                ? context.CallActivityAsync<TrialResult>(nameof(TrainCandidateActivity), trial, RetryPolicies.Storage)
                : context.CallSubOrchestratorAsync<TrialResult>(nameof(CrossValidatedTrialOrchestrator), trial,
                    new SubOrchestrationOptions { InstanceId = InstanceIds.CrossValidatedTrial(input.RunId, plan.TrialId) }));
        }
        results.AddRange(await Task.WhenAll(running));
        return (results, TooManyFailures());
    }
}
