using Orchestrator.Workflows.Model;
using Orchestrator.Workflows.Tests.Orchestrators;
using Orchestrator.Workflows.Training;

namespace Orchestrator.Workflows.Tests.Training;

public sealed class ChampionSelectorTests
{
    private static TrialResult Trial(string id, string metric, double value) =>
        new("r", id, "FastTree", new Dictionary<string, double>(), TrialStatus.Succeeded, new Dictionary<string, double> { [metric] = value }, "m", 0, null);

    [Fact]
    public void Rank_LowerIsBetterMetric_SmallestFirst()
    {
        var ranked = ChampionSelector.Rank([Trial("t1", "rmse", 3), Trial("t2", "rmse", 1), Trial("t3", "rmse", 2)], "rmse");
        Assert.Equal(["t2", "t3", "t1"], ranked.Select(t => t.TrialId));
    }

    [Fact]
    public void Rank_Ties_BrokenByTrialId()
    {
        var ranked = ChampionSelector.Rank([Trial("t9", "auc", 0.9), Trial("t2", "auc", 0.9)], "auc");
        Assert.Equal(["t2", "t9"], ranked.Select(t => t.TrialId));
    }

    [Fact]
    public void Select_AllFailed_NoBestAndTheFirstError()
    {
        var outcome = ChampionSelector.Select([OrchestrationMocks.Trial("t1", 0, TrialStatus.Failed)], "microAccuracy", []);
        Assert.Null(outcome.BestTrialId);
        Assert.Contains("boom", outcome.Reason);
    }

    [Fact]
    public void Select_MaxKpiExceeded_FailsGate()
    {
        var outcome = ChampionSelector.Select([Trial("t1", "rmse", 5)], "rmse", [new Kpi("rmse", Max: 4)]);
        Assert.False(outcome.PassedKpis);
        Assert.Contains("rmse <= 4 not met", outcome.Reason);
    }
}
