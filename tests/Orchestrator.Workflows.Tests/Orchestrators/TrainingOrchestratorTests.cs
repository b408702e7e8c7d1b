using Moq;
using Orchestrator.Workflows.Activities;
using Orchestrator.Workflows.Model;
using Orchestrator.Workflows.Orchestrators;

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
}
