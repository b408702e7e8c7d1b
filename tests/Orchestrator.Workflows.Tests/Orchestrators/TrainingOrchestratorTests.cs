using Orchestrator.Workflows.Model;
using Orchestrator.Workflows.Orchestrators;

namespace Orchestrator.Workflows.Tests.Orchestrators;

public sealed class TrainingOrchestratorTests
{
    private static List<TrialPlan> Plans(int n) =>
        Enumerable.Range(1, n).Select(i => new TrialPlan($"t{i:D3}", new CandidateSpec("LightGbm", new Dictionary<string, double> { ["numberOfLeaves"] = i }))).ToList();

    [Fact]
    public async Task RunAsync_SixPlans_FansOutOneActivityPerCandidateAndPicksTheBest()
    {
        var mocks = new OrchestrationMocks();
        mocks.Activity("PlanTrialsActivity", _ => Plans(6));
        mocks.Activity("TrainCandidateActivity", input => OrchestrationMocks.Trial(((TrialInput)input!).TrialId, ((TrialInput)input).TrialId == "t004" ? 0.9 : 0.75));

        var outcome = await new TrainingOrchestrator().RunAsync(mocks.Context.Object,
            new TrainingInput("run-1", "weather", "daily", 1, OrchestrationMocks.RunContext()));

        Assert.Equal(6, mocks.CallCount("TrainCandidateActivity"));
        Assert.Equal(6, mocks.Calls.Where(c => c.Name == "TrainCandidateActivity").Select(c => ((TrialInput)c.Input!).TrialId).Distinct().Count());
        Assert.True(outcome.PassedKpis);
        Assert.Equal("t004", outcome.BestTrialId);
        Assert.Equal(6, mocks.RunUpdates.Single(u => u.TrialsTotal is not null).TrialsTotal);
    }

    [Fact]
    public async Task RunAsync_MoreCandidatesThanCap_NeverRunsMoreThanCapAtOnce()
    {
        var mocks = new OrchestrationMocks();
        var pending = new List<(string TrialId, TaskCompletionSource<TrialResult> Completion)>();
        mocks.Activity("PlanTrialsActivity", _ => Plans(7));
        mocks.ActivityTask("TrainCandidateActivity", input =>
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

        Assert.Equal(7, mocks.CallCount("TrainCandidateActivity"));
        Assert.Equal(2, maxOutstanding);
        Assert.Equal(7, outcome.Succeeded);
    }

    [Fact]
    public async Task RunAsync_BestBelowKpi_FailsTheGateWithReason()
    {
        var mocks = new OrchestrationMocks();
        mocks.Activity("PlanTrialsActivity", _ => Plans(3));
        mocks.Activity("TrainCandidateActivity", input => OrchestrationMocks.Trial(((TrialInput)input!).TrialId, 0.6));

        var outcome = await new TrainingOrchestrator().RunAsync(mocks.Context.Object,
            new TrainingInput("run-1", "weather", "daily", 1, OrchestrationMocks.RunContext()));

        Assert.False(outcome.PassedKpis);
        Assert.Contains("microAccuracy >= 0.7 not met", outcome.Reason);
    }

    [Fact]
    public async Task RunAsync_SomeTrialsFail_SweepGoesOnWithTheRest()
    {
        var mocks = new OrchestrationMocks();
        mocks.Activity("PlanTrialsActivity", _ => Plans(4));
        mocks.Activity("TrainCandidateActivity", input =>
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
