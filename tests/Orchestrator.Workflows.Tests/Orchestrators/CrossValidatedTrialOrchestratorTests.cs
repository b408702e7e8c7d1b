using Orchestrator.Workflows.Activities;
using Orchestrator.Workflows.Model;
using Orchestrator.Workflows.Orchestrators;

namespace Orchestrator.Workflows.Tests.Orchestrators;

public sealed class CrossValidatedTrialOrchestratorTests
{
    private static readonly TrialInput Input = new("run-1", "weather", "daily", 1, "t001", new CandidateSpec("LightGbm", new Dictionary<string, double>()), Folds: 3);

    [Fact]
    public async Task RunAsync_ThreeFolds_FansOutFoldsThenRecordsTrialWithMeanAndStd()
    {
        var mocks = new OrchestrationMocks(InstanceIds.CrossValidatedTrial("run-1", "t001"));
        var accuracy = new[] { 0.8, 0.7, 0.9 };
        mocks.Activity<IReadOnlyDictionary<string, double>>(nameof(TrainFoldActivity), input =>
            new Dictionary<string, double> { ["microAccuracy"] = accuracy[((FoldInput)input!).Fold] });
        mocks.Activity(nameof(TrainCandidateActivity), input => OrchestrationMocks.Trial("t001", 0.85));

        await new CrossValidatedTrialOrchestrator().RunAsync(mocks.Context.Object, Input);

        Assert.Equal([0, 1, 2], mocks.Calls.Where(c => c.Name == nameof(TrainFoldActivity)).Select(c => ((FoldInput)c.Input!).Fold).Order());
        var trial = (TrialInput)mocks.Calls.Single(c => c.Name == nameof(TrainCandidateActivity)).Input!;
        Assert.Equal(0.8, trial.CrossValidation!["cv.microAccuracy.mean"], 6);
        Assert.Equal(0.1, trial.CrossValidation["cv.microAccuracy.std"], 6);
    }

    [Fact]
    public async Task RunAsync_FoldFails_TrialStillRecordedWithoutCrossValidation()
    {
        var mocks = new OrchestrationMocks(InstanceIds.CrossValidatedTrial("run-1", "t001"));
        mocks.ActivityTask<IReadOnlyDictionary<string, double>>(nameof(TrainFoldActivity), _ =>
            Task.FromException<IReadOnlyDictionary<string, double>>(new Microsoft.DurableTask.TaskFailedException(nameof(TrainFoldActivity), 1,
                new Microsoft.DurableTask.TaskFailureDetails("ArgumentException", "cannot fit", null, null, null))));
        mocks.Activity(nameof(TrainCandidateActivity), _ => OrchestrationMocks.Trial("t001", 0, TrialStatus.Failed));

        var result = await new CrossValidatedTrialOrchestrator().RunAsync(mocks.Context.Object, Input);

        Assert.Equal(TrialStatus.Failed, result.Status);
        Assert.Null(((TrialInput)mocks.Calls.Single(c => c.Name == nameof(TrainCandidateActivity)).Input!).CrossValidation);
    }
}
