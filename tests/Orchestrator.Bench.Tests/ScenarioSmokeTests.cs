using Orchestrator.Server.Tests;

namespace Orchestrator.Bench.Tests;

/// <summary>
/// Every benchmark scenario runs once at a tiny size (<c>--smoke</c>) against one real Azurite and reports a row with a
/// figure: the scenarios keep working between the (long, manual) measurement runs. Nothing is timed against a target.
/// </summary>
public sealed class ScenarioSmokeTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    /// <summary>Every scenario bench/run.sh knows, so a new one gets its smoke test without being listed here.</summary>
    public static TheoryData<string> AllScenarios => new(Scenarios.Names);

    [Theory]
    [MemberData(nameof(AllScenarios))]
    public async Task RunAsync_Smoke_ReportsRowWithPositiveFigure(string scenario)
    {
        var result = await Scenarios.RunAsync(scenario, azurite.ConnectionString, Scenarios.RepoRoot(), ["--smoke"]);

        Assert.Equal(scenario, result.Scenario);
        Assert.Null(result.Section); // a smoke run writes nothing to docs/benchmarks.md
        Assert.Contains("|---", result.Table);
        Assert.NotEmpty(result.Figures);
        Assert.Contains(result.Figures, f => f.Median > 0 && f.P95 >= f.Median);
    }
}
