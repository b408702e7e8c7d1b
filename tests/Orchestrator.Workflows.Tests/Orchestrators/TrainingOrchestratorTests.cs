using Moq;
using Orchestrator.Workflows.Activities;
using Orchestrator.Workflows.Model;
using Orchestrator.Workflows.Orchestrators;
using Orchestrator.Workflows.Training;

namespace Orchestrator.Workflows.Tests.Orchestrators;

public sealed class TrainingOrchestratorTests
{
    private static TrainingPlan Plans(int n, int? maxFailed = null) =>
        new("grid", Enumerable.Range(1, n).Select(i => new TrialPlan($"t{i:D3}", new CandidateSpec("LightGbm", new Dictionary<string, double> { ["numberOfLeaves"] = i }))).ToList(),
            0, maxFailed, n);

    [Fact]
    public async Task RunAsync_SixPlans_FansOutOneActivityPerCandidateAndPicksTheBest()
    {
        var mocks = new OrchestrationMocks();
        mocks.Activity(nameof(PlanTrialsActivity), _ => Plans(6));
        mocks.Activity(nameof(TrainCandidateActivity), input => OrchestrationMocks.Trial(((TrialInput)input!).TrialId, ((TrialInput)input).TrialId == "t004" ? 0.9 : 0.75));

        var outcome = await new TrainingOrchestrator().RunAsync(mocks.Context.Object,
            new TrainingInput("run-1", "weather", "daily", 1, OrchestrationMocks.RunContext()));

        Assert.Equal(6, mocks.CallCount(nameof(TrainCandidateActivity)));
        Assert.Equal(6, mocks.Calls.Where(c => c.Name == nameof(TrainCandidateActivity)).Select(c => ((TrialInput)c.Input!).TrialId).Distinct().Count());
        Assert.True(outcome.PassedKpis);
        Assert.Equal("t004", outcome.BestTrialId);
        Assert.Equal(6, mocks.RunUpdates.Single(u => u.TrialsTotal is not null).TrialsTotal);
    }

    [Fact]
    public async Task RunAsync_MoreCandidatesThanCap_NeverRunsMoreThanCapAtOnce()
    {
        var mocks = new OrchestrationMocks();
        var pending = new List<(string TrialId, TaskCompletionSource<TrialResult> Completion)>();
        mocks.Activity(nameof(PlanTrialsActivity), _ => Plans(7));
        mocks.ActivityTask(nameof(TrainCandidateActivity), input =>
        {
            var tcs = new TaskCompletionSource<TrialResult>();
            pending.Add((((TrialInput)input!).TrialId, tcs));
            return tcs.Task;
        });

        var run = new TrainingOrchestrator().RunAsync(mocks.Context.Object,
            new TrainingInput("run-1", "weather", "daily", 1, OrchestrationMocks.RunContext(parallel: 2)));
        var maxOutstanding = 0;
        while (!run.IsCompleted)
        {
            var outstanding = pending.Where(p => !p.Completion.Task.IsCompleted).ToList();
            maxOutstanding = Math.Max(maxOutstanding, outstanding.Count);
            // Completing one lets the orchestrator schedule the next trial (continuations run inline).
            outstanding[0].Completion.SetResult(OrchestrationMocks.Trial(outstanding[0].TrialId, 0.8));
        }
        var outcome = await run;

        Assert.Equal(7, mocks.CallCount(nameof(TrainCandidateActivity)));
        Assert.Equal(2, maxOutstanding);
        Assert.Equal(7, outcome.Succeeded);
    }

    [Fact]
    public async Task RunAsync_Halving_PromotesTheBestThirdWithTripleBudgetUntilFullData()
    {
        var mocks = new OrchestrationMocks();
        var first = Enumerable.Range(1, 9).Select(i => new TrialPlan($"t{i:D3}", new CandidateSpec("LightGbm", new Dictionary<string, double> { ["numberOfLeaves"] = i }), 1.0 / 9)).ToList();
        mocks.Activity(nameof(PlanTrialsActivity), _ => new TrainingPlan("halving", first, 3, null, 13));
        // Quality grows with numberOfLeaves, and with budget, so the promoted set is predictable.
        mocks.Activity(nameof(TrainCandidateActivity), input =>
        {
            var t = (TrialInput)input!;
            return OrchestrationMocks.Trial(t.TrialId, 0.5 + t.Candidate.Parameters["numberOfLeaves"] / 100 + t.Budget / 10) with { Rung = t.Rung, Budget = t.Budget };
        });

        var outcome = await new TrainingOrchestrator().RunAsync(mocks.Context.Object,
            new TrainingInput("run-1", "weather", "daily", 1, OrchestrationMocks.RunContext()));

        var trials = mocks.Calls.Where(c => c.Name == nameof(TrainCandidateActivity)).Select(c => (TrialInput)c.Input!).ToList();
        Assert.Equal(9 + 3 + 1, trials.Count);
        Assert.Equal(["t007-r1", "t008-r1", "t009-r1"], trials.Where(t => t.Rung == 1).Select(t => t.TrialId).Order());
        Assert.All(trials.Where(t => t.Rung == 1), t => Assert.Equal(Math.Round(3.0 / 9, 6), t.Budget));
        var final = Assert.Single(trials, t => t.Rung == 2);
        Assert.Equal(("t009-r2", 1.0), (final.TrialId, final.Budget));
        Assert.Equal("t009-r2", outcome.BestTrialId);
        Assert.Equal(13, outcome.Succeeded);
    }

    [Fact]
    public async Task RunAsync_MoreFailuresThanAllowed_StopsSchedulingAndFails()
    {
        var mocks = new OrchestrationMocks();
        mocks.Activity(nameof(PlanTrialsActivity), _ => Plans(10, maxFailed: 1));
        mocks.Activity(nameof(TrainCandidateActivity), input => OrchestrationMocks.Trial(((TrialInput)input!).TrialId, 0, TrialStatus.Failed));

        var outcome = await new TrainingOrchestrator().RunAsync(mocks.Context.Object,
            new TrainingInput("run-1", "weather", "daily", 1, OrchestrationMocks.RunContext(parallel: 1)));

        Assert.Null(outcome.BestTrialId);
        Assert.Contains("maxFailedTrials (1)", outcome.Reason);
        Assert.Equal(2, mocks.CallCount(nameof(TrainCandidateActivity)));
    }

    [Fact]
    public async Task RunAsync_TargetReached_NoNewTrialStartsAndTheRunSaysWhy()
    {
        var mocks = new OrchestrationMocks();
        mocks.Activity(nameof(PlanTrialsActivity), _ => Plans(10) with { StopWhen = new Kpi("microAccuracy", 0.9) });
        mocks.Activity(nameof(TrainCandidateActivity), input =>
        {
            var id = ((TrialInput)input!).TrialId;
            return OrchestrationMocks.Trial(id, id == "t003" ? 0.93 : 0.8);
        });

        var outcome = await new TrainingOrchestrator().RunAsync(mocks.Context.Object,
            new TrainingInput("run-1", "weather", "daily", 1, OrchestrationMocks.RunContext(parallel: 1)));

        Assert.Equal(3, mocks.CallCount(nameof(TrainCandidateActivity)));
        Assert.Equal("t003", outcome.BestTrialId);
        Assert.Contains("t003 reached the target microAccuracy >= 0.9", outcome.StoppedEarly);
        Assert.Contains("Stopped early after 3 trials", mocks.RunUpdates.Single(u => u.SweepNote is not null).SweepNote);
    }

    [Fact]
    public async Task RunAsync_TimeBudgetSpent_StopsSchedulingAndBestSoFarDecides()
    {
        var mocks = new OrchestrationMocks();
        var now = mocks.Now;
        mocks.Context.SetupGet(c => c.CurrentUtcDateTime).Returns(() => now);
        mocks.Activity(nameof(PlanTrialsActivity), _ => Plans(10) with { TimeBudget = TimeSpan.FromMinutes(5) });
        // Each trial takes two minutes of orchestration time.
        mocks.Activity(nameof(TrainCandidateActivity), input => { now = now.AddMinutes(2); return OrchestrationMocks.Trial(((TrialInput)input!).TrialId, 0.8); });

        var outcome = await new TrainingOrchestrator().RunAsync(mocks.Context.Object,
            new TrainingInput("run-1", "weather", "daily", 1, OrchestrationMocks.RunContext(parallel: 1)));

        Assert.Equal(3, mocks.CallCount(nameof(TrainCandidateActivity)));
        Assert.Contains("time budget", outcome.StoppedEarly);
        Assert.Equal("t001", outcome.BestTrialId);
    }

    [Fact]
    public async Task RunAsync_BestBelowKpi_FailsTheGateWithReason()
    {
        var mocks = new OrchestrationMocks();
        mocks.Activity(nameof(PlanTrialsActivity), _ => Plans(3));
        mocks.Activity(nameof(TrainCandidateActivity), input => OrchestrationMocks.Trial(((TrialInput)input!).TrialId, 0.6));

        var outcome = await new TrainingOrchestrator().RunAsync(mocks.Context.Object,
            new TrainingInput("run-1", "weather", "daily", 1, OrchestrationMocks.RunContext()));

        Assert.False(outcome.PassedKpis);
        Assert.Contains("microAccuracy >= 0.7 not met", outcome.Reason);
    }

    [Fact]
    public async Task RunAsync_SomeTrialsFail_SweepGoesOnWithTheRest()
    {
        var mocks = new OrchestrationMocks();
        mocks.Activity(nameof(PlanTrialsActivity), _ => Plans(4));
        mocks.Activity(nameof(TrainCandidateActivity), input =>
        {
            var id = ((TrialInput)input!).TrialId;
            return id is "t001" or "t002" ? OrchestrationMocks.Trial(id, 0, TrialStatus.Failed) : OrchestrationMocks.Trial(id, id == "t003" ? 0.72 : 0.71);
        });

        var outcome = await new TrainingOrchestrator().RunAsync(mocks.Context.Object,
            new TrainingInput("run-1", "weather", "daily", 1, OrchestrationMocks.RunContext()));

        Assert.True(outcome.PassedKpis);
        Assert.Equal(("t003", 2, 2), (outcome.BestTrialId, outcome.Succeeded, outcome.Failed));
    }

    private static TrainingPlan BayesianPlan(int startup, int maxTrials, int? maxFailed = null)
    {
        var space = new SearchSpaceDefinition
        {
            Strategy = SearchSpaceDefinition.Bayesian, MaxTrials = maxTrials, StartupTrials = startup, Seed = 3,
            Trainers = [new TrainerSpace("LightGbm", new Dictionary<string, ParameterRange> { ["numberOfLeaves"] = new(Min: 2, Max: 64) })],
        };
        return new TrainingPlan(SearchSpaceDefinition.Bayesian, Plans(startup).Trials, 0, maxFailed, maxTrials, Space: space);
    }

    private static Task<TrainingOutcome> Train(OrchestrationMocks mocks, int parallel) =>
        new TrainingOrchestrator().RunAsync(mocks.Context.Object, new TrainingInput("run-1", "weather", "daily", 1, OrchestrationMocks.RunContext(parallel: parallel)));

    /// <summary>What the suggestion activity would answer: the ids asked for, numberOfLeaves = the trial's number.</summary>
    private static IReadOnlyList<TrialPlan> Suggested(object? input)
    {
        var s = (SuggestTrialsInput)input!;
        return [.. Enumerable.Range(s.FirstNumber, s.Count).Select(n => new TrialPlan($"t{n:D3}", new CandidateSpec("LightGbm", new Dictionary<string, double> { ["numberOfLeaves"] = n })))];
    }

    private static TrialResult Leaves(TrialInput t, double metric) =>
        OrchestrationMocks.Trial(t.TrialId, metric) with { Parameters = t.Candidate.Parameters };

    [Fact]
    public async Task RunAsync_Bayesian_WavesAskTheActivityWithEveryResultSoFar()
    {
        var mocks = new OrchestrationMocks();
        mocks.Activity(nameof(PlanTrialsActivity), _ => BayesianPlan(startup: 2, maxTrials: 7));
        mocks.Activity(nameof(SuggestTrialsActivity), Suggested);
        // The best trial is in the second suggested wave: every trial competes, not only the last wave's.
        mocks.Activity(nameof(TrainCandidateActivity), input => Leaves((TrialInput)input!, ((TrialInput)input!).TrialId == "t005" ? 0.9 : 0.75));

        var outcome = await Train(mocks, parallel: 2);

        var asks = mocks.Calls.Where(c => c.Name == nameof(SuggestTrialsActivity)).Select(c => (SuggestTrialsInput)c.Input!).ToList();
        Assert.Equal([(3, 2, 2), (5, 2, 4), (7, 1, 6)], asks.Select(a => (a.FirstNumber, a.Count, a.Results.Count)));
        Assert.All(asks, a => Assert.Equal(SearchSpaceDefinition.Bayesian, a.Space.Strategy));
        Assert.All(asks, a => Assert.False(a.LowerIsBetter));
        Assert.Equal([1, 2, 3, 4], asks[1].Results.Select(r => r.Parameters.GetValueOrDefault("numberOfLeaves")));
        Assert.Equal(0.75, asks[1].Results[0].Value);
        Assert.Equal(["t001", "t002", "t003", "t004", "t005", "t006", "t007"], mocks.Calls.Where(c => c.Name == nameof(TrainCandidateActivity)).Select(c => ((TrialInput)c.Input!).TrialId));
        Assert.Equal(("t005", 7, 0), (outcome.BestTrialId, outcome.Succeeded, outcome.Failed));
        Assert.Equal(7, mocks.RunUpdates.Single(u => u.TrialsTotal is not null).TrialsTotal);
    }

    /// <summary>
    /// Replay: a wave's results go to the activity in trial order whatever order they completed in, and the trials come
    /// only from activity answers (recorded in the history), so a replay schedules the same trials.
    /// </summary>
    [Fact]
    public async Task RunAsync_BayesianTrialsCompleteOutOfOrder_ResultsGoInTrialOrderAndReplaySchedulesTheSame()
    {
        async Task<(List<string> Trials, List<SuggestTrialsInput> Asks)> Run()
        {
            var mocks = new OrchestrationMocks();
            var pending = new List<(TrialInput Trial, TaskCompletionSource<TrialResult> Completion)>();
            mocks.Activity(nameof(PlanTrialsActivity), _ => BayesianPlan(startup: 3, maxTrials: 6));
            mocks.Activity(nameof(SuggestTrialsActivity), Suggested);
            mocks.ActivityTask(nameof(TrainCandidateActivity), input =>
            {
                var tcs = new TaskCompletionSource<TrialResult>();
                pending.Add(((TrialInput)input!, tcs));
                return tcs.Task;
            });
            var run = Train(mocks, parallel: 3);
            while (!run.IsCompleted)
            {
                // The latest trial scheduled finishes first.
                var (trial, completion) = pending.Last(p => !p.Completion.Task.IsCompleted);
                completion.SetResult(Leaves(trial, 0.7 + trial.Candidate.Parameters["numberOfLeaves"] / 100));
            }
            await run;
            return ([.. mocks.Calls.Where(c => c.Name == nameof(TrainCandidateActivity)).Select(c => ((TrialInput)c.Input!).Candidate.Key)],
                [.. mocks.Calls.Where(c => c.Name == nameof(SuggestTrialsActivity)).Select(c => (SuggestTrialsInput)c.Input!)]);
        }

        var first = await Run();
        var replay = await Run();

        var ask = Assert.Single(first.Asks);
        Assert.Equal([1, 2, 3], ask.Results.Select(r => r.Parameters["numberOfLeaves"]));
        Assert.Equal(first.Trials, replay.Trials);
        Assert.Equal(6, first.Trials.Count);
    }

    [Fact]
    public async Task RunAsync_BayesianMoreFailuresThanAllowed_AsksForNoFurtherWave()
    {
        var mocks = new OrchestrationMocks();
        mocks.Activity(nameof(PlanTrialsActivity), _ => BayesianPlan(startup: 2, maxTrials: 8, maxFailed: 2));
        mocks.Activity(nameof(SuggestTrialsActivity), Suggested);
        mocks.Activity(nameof(TrainCandidateActivity), input => OrchestrationMocks.Trial(((TrialInput)input!).TrialId, 0, TrialStatus.Failed));

        var outcome = await Train(mocks, parallel: 2);

        Assert.Contains("maxFailedTrials (2)", outcome.Reason);
        Assert.Equal(1, mocks.CallCount(nameof(SuggestTrialsActivity)));
        // The failed trials went to the activity as results without a value.
        Assert.All(((SuggestTrialsInput)mocks.Calls.Single(c => c.Name == nameof(SuggestTrialsActivity)).Input!).Results, r => Assert.Null(r.Value));
        Assert.Equal(4, mocks.CallCount(nameof(TrainCandidateActivity)));
    }

    [Fact]
    public async Task RunAsync_BayesianTargetReachedAtTheEndOfAWave_NoFurtherWave()
    {
        var mocks = new OrchestrationMocks();
        mocks.Activity(nameof(PlanTrialsActivity), _ => BayesianPlan(startup: 2, maxTrials: 8) with { StopWhen = new Kpi("microAccuracy", 0.9) });
        mocks.Activity(nameof(SuggestTrialsActivity), Suggested);
        mocks.Activity(nameof(TrainCandidateActivity), input => Leaves((TrialInput)input!, ((TrialInput)input!).TrialId == "t004" ? 0.95 : 0.8));

        var outcome = await Train(mocks, parallel: 2);

        Assert.Equal(1, mocks.CallCount(nameof(SuggestTrialsActivity)));
        Assert.Equal(4, mocks.CallCount(nameof(TrainCandidateActivity)));
        Assert.Equal("t004", outcome.BestTrialId);
        Assert.Contains("t004 reached the target", outcome.StoppedEarly);
    }

    [Fact]
    public async Task RunAsync_BayesianSpaceExhausted_EndsWithTheTrialsItHasAndSaysSo()
    {
        var mocks = new OrchestrationMocks();
        mocks.Activity(nameof(PlanTrialsActivity), _ => BayesianPlan(startup: 2, maxTrials: 8));
        mocks.Activity<IReadOnlyList<TrialPlan>>(nameof(SuggestTrialsActivity), input => ((SuggestTrialsInput)input!).FirstNumber == 3 ? Suggested(input).Take(1).ToList() : []);
        mocks.Activity(nameof(TrainCandidateActivity), input => Leaves((TrialInput)input!, 0.8));

        var outcome = await Train(mocks, parallel: 2);

        Assert.Equal(3, outcome.Succeeded);
        Assert.Equal([8, 3], mocks.RunUpdates.Where(u => u.TrialsTotal is not null).Select(u => u.TrialsTotal!.Value));
        Assert.Contains("no untried configuration left after 3 trials", mocks.RunUpdates.Single(u => u.SweepNote is not null).SweepNote);
    }
}
