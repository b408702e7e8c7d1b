using Microsoft.DurableTask;
using Moq;
using Orchestrator.Workflows.Activities;
using Orchestrator.Workflows.Model;
using Orchestrator.Workflows.Orchestrators;

namespace Orchestrator.Workflows.Tests.Orchestrators;

public sealed class LifecycleOrchestratorTests
{
    private static readonly LifecycleInput Input = new("run-1", "weather", "daily", 3);

    private static OrchestrationMocks Arrange(IngestionOutput? ingestion = null, TrainingOutcome? training = null, ApprovalOutcome? approval = null,
        PromotionResult? promotion = null, Func<int, IngestionClaim>? claims = null)
    {
        var mocks = new OrchestrationMocks();
        mocks.Activity(nameof(StartRunActivity), _ => OrchestrationMocks.RunContext());
        // By default the version is still Pending and this run is the first to ask: it curates it.
        mocks.Activity(nameof(ClaimIngestionActivity), _ => (claims ?? (_ => new IngestionClaim(null, true)))(mocks.CallCount(nameof(ClaimIngestionActivity)) - 1));
        mocks.SubOrchestrator(nameof(IngestionOrchestrator), _ => ingestion ?? new IngestionOutput(true, null, 10, 10, 0));
        mocks.SubOrchestrator(nameof(TrainingOrchestrator), _ => training ?? new TrainingOutcome(true, "t001", new Dictionary<string, double> { ["microAccuracy"] = 0.8 }, null, 6, 0));
        mocks.SubOrchestrator(nameof(ApprovalOrchestrator), _ => approval ?? new ApprovalOutcome("a1", ApprovalOutcomeStatus.Approved, "sme@example.com", "fine"));
        mocks.Activity(nameof(RegisterModelActivity), _ => 7);
        mocks.SubOrchestrator(nameof(PromotionOrchestrator), _ => promotion ?? new PromotionResult(true, null, null, null));
        mocks.Activity(nameof(BuildModelCardActivity), _ => true);
        return mocks;
    }

    [Fact]
    public async Task RunAsync_Approved_DeploysAndCompletes()
    {
        var mocks = Arrange();
        var result = await new LifecycleOrchestrator().RunAsync(mocks.Context.Object, Input);

        Assert.Equal(RunStatus.Completed, result.Status);
        Assert.Equal(7, result.ModelVersion);
        var deploy = (DeployInput)mocks.Calls.Single(c => c.Name == nameof(RegisterModelActivity)).Input!;
        Assert.Equal(("t001", "sme@example.com", 3), (deploy.TrialId, deploy.ApprovedBy, deploy.DatasetVersion));
        var promotion = (PromotionInput)mocks.Calls.Single(c => c.Name == nameof(PromotionOrchestrator)).Input!;
        Assert.Equal((7, DeploymentEnvironment.Production, "run-1"), (promotion.Version, promotion.Environment, promotion.RequestId));
        Assert.Equal(RunStatus.Completed, mocks.RunUpdates.Last().Status);
        Assert.Equal(7, mocks.RunUpdates.Last().ModelVersion);
        Assert.Equal(
            [nameof(ClaimIngestionActivity), nameof(IngestionOrchestrator), nameof(TrainingOrchestrator), nameof(BuildModelCardActivity), nameof(ApprovalOrchestrator), nameof(RegisterModelActivity), nameof(PromotionOrchestrator)],
            mocks.Calls.Select(c => c.Name).Where(n => n is not (nameof(UpdateRunActivity) or nameof(StartRunActivity))));
    }

    [Fact]
    public async Task RunAsync_SmokeTestFails_EndsFailedWithTheReasonAndTheRegisteredVersion()
    {
        var mocks = Arrange(promotion: new PromotionResult(false, "Smoke test failed: The model does not load: bad zip", null, null));
        var result = await new LifecycleOrchestrator().RunAsync(mocks.Context.Object, Input);

        Assert.Equal(RunStatus.Failed, result.Status);
        Assert.Contains("version 7 was registered but not deployed", result.Error);
        Assert.Contains("does not load", result.Error);
        Assert.Equal(7, mocks.RunUpdates.Single(u => u.ModelVersion is not null).ModelVersion);
    }

    [Fact]
    public async Task RunAsync_Rejected_EndsRejectedWithCommentAndNeverDeploys()
    {
        var mocks = Arrange(approval: new ApprovalOutcome("a1", ApprovalOutcomeStatus.Rejected, "sme@example.com", "drift in March data", "data"));
        var result = await new LifecycleOrchestrator().RunAsync(mocks.Context.Object, Input);

        Assert.Equal(RunStatus.Rejected, result.Status);
        Assert.Contains("drift in March data", result.Error);
        Assert.Contains("reason: data", result.Error);
        Assert.Equal(0, mocks.CallCount(nameof(RegisterModelActivity)));
        Assert.Equal(RunStatus.Rejected, mocks.RunUpdates.Last().Status);
    }

    [Fact]
    public async Task RunAsync_ApprovalTimesOut_EndsTimedOut()
    {
        var mocks = Arrange(approval: new ApprovalOutcome("a1", ApprovalOutcomeStatus.TimedOut, null, null));
        var result = await new LifecycleOrchestrator().RunAsync(mocks.Context.Object, Input);

        Assert.Equal(RunStatus.TimedOut, result.Status);
        Assert.Equal(0, mocks.CallCount(nameof(RegisterModelActivity)));
    }

    [Fact]
    public async Task RunAsync_ChallengerNotBetterThanChampion_EndsNotBetterBeforeApproval()
    {
        var mocks = Arrange();
        mocks.Activity(nameof(StartRunActivity), _ => OrchestrationMocks.RunContext() with { MinImprovement = 0.01 });
        mocks.Activity<ChampionComparison?>(nameof(CompareWithChampionActivity), _ =>
            new ChampionComparison(4, new Dictionary<string, double> { ["microAccuracy"] = 0.795 }, "microAccuracy", 0.8, 0.795, 0.01, false));
        var result = await new LifecycleOrchestrator().RunAsync(mocks.Context.Object, Input);

        Assert.Equal(RunStatus.NotBetter, result.Status);
        Assert.Contains("production v4", result.Error);
        Assert.Equal(0, mocks.CallCount(nameof(ApprovalOrchestrator)));
        Assert.Equal(4, mocks.RunUpdates.Single(u => u.Champion is not null).Champion!.ChampionVersion);
    }

    [Fact]
    public async Task RunAsync_NoMinImprovement_NeverComparesWithChampion()
    {
        var mocks = Arrange();
        await new LifecycleOrchestrator().RunAsync(mocks.Context.Object, Input);
        Assert.Equal(0, mocks.CallCount(nameof(CompareWithChampionActivity)));
    }

    [Fact]
    public async Task RunAsync_ApprovalCancelled_EndsCancelled()
    {
        var mocks = Arrange(approval: new ApprovalOutcome("a1", ApprovalOutcomeStatus.Cancelled, "owner@example.com", "wrong data"));
        var result = await new LifecycleOrchestrator().RunAsync(mocks.Context.Object, Input);

        Assert.Equal(RunStatus.Cancelled, result.Status);
        Assert.Contains("owner@example.com", result.Error);
        Assert.Equal(0, mocks.CallCount(nameof(RegisterModelActivity)));
    }

    [Fact]
    public async Task RunAsync_KpisNotMet_EndsRejectedWithoutAskingAnyone()
    {
        var mocks = Arrange(training: new TrainingOutcome(false, "t002", new Dictionary<string, double> { ["microAccuracy"] = 0.5 }, "No candidate meets the KPIs: microAccuracy >= 0.7 not met.", 6, 0));
        var result = await new LifecycleOrchestrator().RunAsync(mocks.Context.Object, Input);

        Assert.Equal(RunStatus.Rejected, result.Status);
        Assert.Contains("KPIs", result.Error);
        Assert.Equal(0, mocks.CallCount(nameof(ApprovalOrchestrator)));
        Assert.Equal(0, mocks.CallCount(nameof(RegisterModelActivity)));
    }

    [Fact]
    public async Task RunAsync_IngestionFails_EndsFailedBeforeTraining()
    {
        var mocks = Arrange(ingestion: new IngestionOutput(false, "Line 3: expected 6 fields, found 2.", 0, 0, 0));
        var result = await new LifecycleOrchestrator().RunAsync(mocks.Context.Object, Input);

        Assert.Equal(RunStatus.Failed, result.Status);
        Assert.Contains("Line 3", result.Error);
        Assert.Equal(0, mocks.CallCount(nameof(TrainingOrchestrator)));
    }

    [Fact]
    public async Task RunAsync_EveryTrialFailed_EndsFailed()
    {
        var mocks = Arrange(training: new TrainingOutcome(false, null, null, "All 6 trials failed", 0, 6));
        var result = await new LifecycleOrchestrator().RunAsync(mocks.Context.Object, Input);

        Assert.Equal(RunStatus.Failed, result.Status);
        Assert.Equal(0, mocks.CallCount(nameof(ApprovalOrchestrator)));
    }

    private static readonly IngestionOutput Curated = new(true, null, 10, 10, 0);

    [Fact]
    public async Task RunAsync_VersionPendingAndUnclaimed_CuratesItUnderTheVersionsInstanceId()
    {
        var mocks = Arrange();
        var result = await new LifecycleOrchestrator().RunAsync(mocks.Context.Object, Input);

        Assert.Equal(RunStatus.Completed, result.Status);
        mocks.Context.Verify(c => c.CallSubOrchestratorAsync<IngestionOutput>(It.Is<TaskName>(n => n.Name == nameof(IngestionOrchestrator)),
            It.Is<object?>(i => Equals(i, new IngestionInput("weather", "daily", 3))),
            It.Is<TaskOptions?>(o => o is SubOrchestrationOptions && ((SubOrchestrationOptions)o).InstanceId == InstanceIds.DatasetIngestion("weather", "daily", 3))), Times.Once);
    }

    [Fact]
    public async Task RunAsync_VersionAlreadyDecided_TrainsWithoutCuratingAgain()
    {
        var mocks = Arrange(claims: _ => new IngestionClaim(Curated, false));
        var result = await new LifecycleOrchestrator().RunAsync(mocks.Context.Object, Input);

        Assert.Equal(RunStatus.Completed, result.Status);
        Assert.Equal(0, mocks.CallCount(nameof(IngestionOrchestrator)));
        Assert.Equal(1, mocks.CallCount(nameof(TrainingOrchestrator)));
    }

    [Fact]
    public async Task RunAsync_VersionBeingIngestedByItsUpload_WaitsWithTimersAndNeverCuratesIt()
    {
        var mocks = Arrange(claims: call => call < 2 ? new IngestionClaim(null, false) : new IngestionClaim(Curated, false));
        var timers = new List<DateTime>();
        mocks.Context.Setup(c => c.CreateTimer(It.IsAny<DateTime>(), It.IsAny<CancellationToken>()))
            .Returns((DateTime at, CancellationToken _) => { timers.Add(at); return Task.CompletedTask; });

        var result = await new LifecycleOrchestrator().RunAsync(mocks.Context.Object, Input);

        Assert.Equal(RunStatus.Completed, result.Status);
        Assert.Equal(0, mocks.CallCount(nameof(IngestionOrchestrator)));
        Assert.Equal(3, mocks.CallCount(nameof(ClaimIngestionActivity)));
        Assert.Equal([mocks.Now.AddSeconds(1), mocks.Now.AddSeconds(2)], timers);
    }

    [Fact]
    public async Task RunAsync_IngestionElsewhereNeverDecides_EndsFailedAfterTheWait()
    {
        var mocks = Arrange(claims: _ => new IngestionClaim(null, false));
        var now = mocks.Now;
        mocks.Context.SetupGet(c => c.CurrentUtcDateTime).Returns(() => now);
        mocks.Context.Setup(c => c.CreateTimer(It.IsAny<DateTime>(), It.IsAny<CancellationToken>()))
            .Returns((DateTime at, CancellationToken _) => { now = at; return Task.CompletedTask; });

        var result = await new LifecycleOrchestrator().RunAsync(mocks.Context.Object, Input);

        Assert.Equal(RunStatus.Failed, result.Status);
        Assert.Contains("still being ingested", result.Error);
        Assert.True(now >= mocks.Now + LifecycleOrchestrator.IngestionWait);
        Assert.Equal(0, mocks.CallCount(nameof(IngestionOrchestrator)));
        Assert.Equal(0, mocks.CallCount(nameof(TrainingOrchestrator)));
    }
}
