using Microsoft.DurableTask;
using Orchestrator.Workflows.Activities;
using Orchestrator.Workflows.Model;
using Orchestrator.Workflows.Training;

namespace Orchestrator.Workflows.Orchestrators;

/// <summary>
/// Data science stage: fans out one activity per candidate (at most <see cref="RunContext.MaxParallelTrials"/> at a
/// time; the rest wait in the orchestration, not in memory), fans in, ranks by the primary metric, checks the KPIs.
/// With successive halving each rung is a wave: the best 1/η of a rung train again on η× the rows, until one rung
/// trains on all of them; the final rung decides. A Bayesian search runs its random start-up trials, then waves of
/// <see cref="RunContext.MaxParallelTrials"/> suggested by an activity from every result so far, until <c>maxTrials</c>;
/// all its trials compete. A sweep stops once more than <c>maxFailedTrials</c> trials failed.
/// </summary>
public sealed class TrainingOrchestrator : TaskOrchestrator<TrainingInput, TrainingOutcome>
{
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "DURABLE0011:Unbounded loop without ContinueAsNew", Justification = "Bounded: one turn per rung of the search (successive halving has a few) or per wave of a Bayesian search (maxTrials caps them); the history grows with the trials, which the search plan caps.")]
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
        var bayesian = plan.Strategy == SearchSpaceDefinition.Bayesian && plan.Space is not null;
        var scheduled = wave.Count;
        while (true)
        {
            var (results, stopped) = await RunWaveAsync(context, input, wave, plan.MaxFailedTrials, all.Count(t => t.Status != TrialStatus.Succeeded),
                done => stoppedEarly ??= StopEarly(all.Concat(done)), plan.Folds);
            all.AddRange(results);
            var more = bayesian && scheduled < plan.TotalTrials;
            // A time budget spent (or a target reached) between halving rungs or Bayesian waves also stops the search.
            if ((plan.Strategy == SearchSpaceDefinition.Halving && wave.Count > 1 && wave[0].Budget < 1) || more) stoppedEarly ??= StopEarly(all);
            // Halving's final rung decides (earlier rungs trained on fewer rows); every Bayesian trial competes.
            var contenders = bayesian ? all : results;
            if (stoppedEarly is not null)
            {
                await context.CallActivityAsync<bool>(nameof(UpdateRunActivity),
                    new RunUpdate(input.RunId, SweepNote: $"Stopped early after {all.Count} trials: {stoppedEarly}."), RetryPolicies.Storage);
                var early = ChampionSelector.Select(contenders, input.Context.PrimaryMetric, input.Context.Kpis);
                return early with { Succeeded = all.Count(t => t.Status == TrialStatus.Succeeded), Failed = all.Count(t => t.Status != TrialStatus.Succeeded), StoppedEarly = stoppedEarly };
            }
            if (stopped)
                return new TrainingOutcome(false, null, null,
                    $"{all.Count(t => t.Status != TrialStatus.Succeeded)} trials failed, more than maxFailedTrials ({plan.MaxFailedTrials}); first error: {all.First(t => t.Error is not null).Error}",
                    all.Count(t => t.Status == TrialStatus.Succeeded), all.Count(t => t.Status != TrialStatus.Succeeded));

            if (bayesian)
            {
                wave = more ? [.. await SuggestAsync(context, input, plan, all, scheduled)] : [];
                if (wave.Count > 0)
                {
                    scheduled += wave.Count;
                    continue;
                }
                if (scheduled < plan.TotalTrials)
                    await context.CallActivityAsync<bool>(nameof(UpdateRunActivity), new RunUpdate(input.RunId, TrialsTotal: scheduled,
                        SweepNote: $"The search space had no untried configuration left after {scheduled} trials."), RetryPolicies.Storage);
            }

            var budget = wave.Count > 0 ? wave[0].Budget : 1;
            if (plan.Strategy != SearchSpaceDefinition.Halving || budget >= 1 || wave.Count <= 1)
            {
                var outcome = ChampionSelector.Select(contenders, input.Context.PrimaryMetric, input.Context.Kpis);
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

    /// <summary>
    /// The next Bayesian wave: at most <see cref="RunContext.MaxParallelTrials"/> trials, numbered on from those
    /// scheduled, suggested from every result so far. The results go in trial order, not completion order, so the same
    /// seed gives the same trials however the previous wave's trials interleaved.
    /// </summary>
    private static Task<IReadOnlyList<TrialPlan>> SuggestAsync(TaskOrchestrationContext context, TrainingInput input, TrainingPlan plan, List<TrialResult> all, int scheduled)
    {
        var metric = input.Context.PrimaryMetric;
        var results = all.OrderBy(t => t.TrialId, StringComparer.Ordinal)
            .Select(t => new TrialObservation(t.Trainer, t.Parameters, t.Status == TrialStatus.Succeeded && t.Metrics.TryGetValue(metric, out var v) ? v : null))
            .ToList();
        var count = Math.Min(Math.Max(1, input.Context.MaxParallelTrials), plan.TotalTrials - scheduled);
        return context.CallActivityAsync<IReadOnlyList<TrialPlan>>(nameof(SuggestTrialsActivity),
            new SuggestTrialsInput(plan.Space!, results, Metrics.LowerIsBetter(metric), count, scheduled + 1), RetryPolicies.Storage);
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
