using Orchestrator.Workflows.Model;
using Orchestrator.Workflows.Training;

namespace Orchestrator.Workflows.Tests.Training;

public sealed class SearchStrategiesTests
{
    private static SearchSpaceDefinition Space(string strategy, int maxTrials = 24, int seed = 1) => new()
    {
        Strategy = strategy, MaxTrials = maxTrials, Seed = seed,
        Trainers =
        [
            new TrainerSpace("LightGbm", new Dictionary<string, ParameterRange>
            {
                ["numberOfLeaves"] = new(Values: [8, 16, 31]),
                ["learningRate"] = strategy == SearchSpaceDefinition.Grid ? new(Values: [0.05, 0.2]) : new(Min: 0.01, Max: 0.3, Log: true),
            }),
            new TrainerSpace("LbfgsMaximumEntropy", new Dictionary<string, ParameterRange> { ["l2Regularization"] = new(Values: [0.1, 1]) }),
        ],
    };

    [Fact]
    public void EnumerateGrid_TwoTrainers_EveryCombinationExactlyOnce()
    {
        var grid = SearchStrategies.EnumerateGrid(Space(SearchSpaceDefinition.Grid));

        Assert.Equal(3 * 2 + 2, grid.Count);
        Assert.Equal(grid.Count, grid.Select(c => c.Key).Distinct().Count());
        Assert.Contains(grid, c => c.Key == "LightGbm(learningRate=0.2,numberOfLeaves=31)");
        Assert.Contains(grid, c => c.Key == "LbfgsMaximumEntropy(l2Regularization=0.1)");
    }

    [Fact]
    public void EnumerateGrid_MaxTrials_Caps()
    {
        Assert.Equal(5, SearchStrategies.EnumerateGrid(Space(SearchSpaceDefinition.Grid, maxTrials: 5)).Count);
    }

    [Fact]
    public void Sample_SameSeed_SameCandidates_OtherSeed_Others()
    {
        var a = SearchStrategies.Sample(Space(SearchSpaceDefinition.Random, 10, seed: 7)).Select(c => c.Key).ToList();
        var b = SearchStrategies.Sample(Space(SearchSpaceDefinition.Random, 10, seed: 7)).Select(c => c.Key).ToList();
        var c = SearchStrategies.Sample(Space(SearchSpaceDefinition.Random, 10, seed: 8)).Select(c => c.Key).ToList();

        Assert.Equal(10, a.Count);
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
        Assert.Equal(a.Count, a.Distinct().Count());
    }

    [Fact]
    public void Sample_Ranges_StayInsideAndIntegersAreWhole()
    {
        var space = Space(SearchSpaceDefinition.Random, 40) with
        {
            Trainers = [new TrainerSpace("LightGbm", new Dictionary<string, ParameterRange>
            {
                ["learningRate"] = new(Min: 0.01, Max: 0.3, Log: true), ["numberOfIterations"] = new(Min: 20, Max: 200),
            })],
        };
        var samples = SearchStrategies.Sample(space);
        Assert.All(samples, s => Assert.InRange(s.Parameters["learningRate"], 0.01, 0.3));
        Assert.All(samples, s => Assert.Equal(Math.Round(s.Parameters["numberOfIterations"]), s.Parameters["numberOfIterations"]));
    }

    [Fact]
    public void Rungs_NineConfigsEtaThree_NineThreeOneWithGrowingBudget()
    {
        Assert.Equal([(9, Math.Round(1.0 / 9, 6)), (3, Math.Round(3.0 / 9, 6)), (1, 1.0)], SearchStrategies.Rungs(9, 3, 1.0 / 9));
        Assert.Equal([(24, 0.25), (8, 0.75), (3, 1.0)], SearchStrategies.Rungs(24, 3, 0.25));
    }

    [Fact]
    public void Validate_GridWithRange_NamesTheParameter()
    {
        var space = Space(SearchSpaceDefinition.Grid) with
        {
            Trainers = [new TrainerSpace("LightGbm", new Dictionary<string, ParameterRange> { ["learningRate"] = new(Min: 0.01, Max: 0.3) })],
        };
        var error = Assert.Single(SearchStrategies.Validate(MlTask.Multiclass, space));
        Assert.Equal("searchSpace.trainers[0].parameters.learningRate", error.Field);
        Assert.Contains(SearchStrategies.Validate(MlTask.Regression, Space(SearchSpaceDefinition.Random)), e => e.Field == "searchSpace.trainers[1].trainer");
    }

    [Fact]
    public void Candidates_Bayesian_TheRandomSearchsFirstStartupTrials()
    {
        var space = Space(SearchSpaceDefinition.Bayesian, maxTrials: 12, seed: 4);

        Assert.Equal(SearchStrategies.Sample(space with { MaxTrials = 5 }).Select(c => c.Key), SearchStrategies.Candidates(space).Select(c => c.Key));
        Assert.Equal(2, SearchStrategies.Candidates(space with { StartupTrials = 2 }).Count);
        Assert.Equal(3, SearchStrategies.Candidates(space with { MaxTrials = 3 }).Count);
    }

    [Fact]
    public void Validate_Bayesian_NamesTheFieldOfEachProblem()
    {
        static List<string> Fields(SearchSpaceDefinition space) => [.. SearchStrategies.Validate(MlTask.Multiclass, space).Select(e => e.Field)];
        var space = Space(SearchSpaceDefinition.Bayesian, maxTrials: 8);

        Assert.Empty(Fields(space with { StartupTrials = 8 }));
        Assert.Equal(["searchSpace.maxTrials"], Fields(space with { MaxTrials = SearchStrategies.MaxBayesianTrials + 1 }));
        Assert.Equal(["searchSpace.startupTrials"], Fields(space with { StartupTrials = 9 }));
        Assert.Equal(["searchSpace.startupTrials"], Fields(space with { StartupTrials = 0 }));
        Assert.Equal(["searchSpace.startupTrials"], Fields(Space(SearchSpaceDefinition.Random) with { StartupTrials = 2 }));
        Assert.Equal(["searchSpace.trainers[0].parameters"],
            Fields(space with { Trainers = [new TrainerSpace("LightGbm", new Dictionary<string, ParameterRange>())] }));
        Assert.Equal(["searchSpace.trainers[0].parameters.learningRate"],
            Fields(space with { Trainers = [new TrainerSpace("LightGbm", new Dictionary<string, ParameterRange> { ["learningRate"] = new(Min: 0.01, Max: double.PositiveInfinity) })] }));
    }
}
