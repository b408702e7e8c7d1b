using Orchestrator.Workflows.Model;
using Orchestrator.Workflows.Training;

namespace Orchestrator.Workflows.Tests.Training;

public sealed class TreeParzenEstimatorTests
{
    private static SearchSpaceDefinition Space(int seed = 1, int maxTrials = 30, int startup = 5) => new()
    {
        Strategy = SearchSpaceDefinition.Bayesian, MaxTrials = maxTrials, Seed = seed, StartupTrials = startup,
        Trainers =
        [
            new TrainerSpace(SearchSpace.LightGbm, new Dictionary<string, ParameterRange>
            {
                ["learningRate"] = new(Min: 0.001, Max: 1, Log: true),
                ["numberOfLeaves"] = new(Min: 2, Max: 128),
                ["numberOfIterations"] = new(Values: [50, 100, 200, 400]),
            }),
            new TrainerSpace(SearchSpace.LbfgsMaximumEntropy, new Dictionary<string, ParameterRange> { ["l2Regularization"] = new(Min: 0.001, Max: 10, Log: true) }),
        ],
    };

    /// <summary>
    /// A smooth synthetic metric to maximise (0 at best): LightGbm at learningRate 0.05 (log scale), 40 leaves and 200
    /// iterations; L-BFGS at best 1.5 below LightGbm's best.
    /// </summary>
    private static double Metric(CandidateSpec c)
    {
        var p = c.Parameters;
        if (c.Trainer == SearchSpace.LbfgsMaximumEntropy) return -1.5 - Math.Pow(Math.Log10(p["l2Regularization"]), 2);
        return -Math.Pow(Math.Log10(p["learningRate"] / 0.05), 2) - Math.Pow((p["numberOfLeaves"] - 40) / 40, 2)
            - (p["numberOfIterations"] == 200 ? 0 : 0.3);
    }

    private static List<TrialObservation> Observe(IEnumerable<CandidateSpec> candidates, Func<CandidateSpec, double>? metric = null) =>
        [.. candidates.Select(c => new TrialObservation(c.Trainer, c.Parameters, (metric ?? Metric)(c)))];

    /// <summary>The sweep as the orchestrator runs it: the start-up trials, then waves of <paramref name="parallel"/> suggestions.</summary>
    private static List<TrialObservation> Sweep(SearchSpaceDefinition space, int parallel, Func<CandidateSpec, double>? metric = null)
    {
        var results = Observe(SearchStrategies.Candidates(space), metric);
        while (results.Count < space.MaxTrials)
        {
            var wave = TreeParzenEstimator.Suggest(space, results, lowerIsBetter: false, Math.Min(parallel, space.MaxTrials - results.Count), results.Count + 1);
            if (wave.Count == 0) break;
            results.AddRange(Observe(wave, metric));
        }
        return results;
    }

    [Fact]
    public void Suggest_SameInput_SameSuggestions_OtherSeed_Others()
    {
        var results = Observe(SearchStrategies.Candidates(Space(seed: 4)));

        var a = TreeParzenEstimator.Suggest(Space(seed: 4), results, false, 4, 6).Select(c => c.Key).ToList();
        var b = TreeParzenEstimator.Suggest(Space(seed: 4), results, false, 4, 6).Select(c => c.Key).ToList();
        var other = TreeParzenEstimator.Suggest(Space(seed: 5), results, false, 4, 6).Select(c => c.Key).ToList();

        Assert.Equal(4, a.Count);
        Assert.Equal(a, b);
        Assert.NotEqual(a, other);
        Assert.Equal(Sweep(Space(seed: 4), 2).Select(r => new CandidateSpec(r.Trainer, r.Parameters).Key), Sweep(Space(seed: 4), 2).Select(r => new CandidateSpec(r.Trainer, r.Parameters).Key));
    }

    [Fact]
    public void Suggest_Wave_NumbersOnFromTheFirstAndRepeatsNothing()
    {
        var space = Space();
        var results = Observe(SearchStrategies.Candidates(space));

        var wave = TreeParzenEstimator.Suggest(new SuggestTrialsInput(space, results, false, 4, 6));

        Assert.Equal(["t006", "t007", "t008", "t009"], wave.Select(t => t.TrialId));
        var keys = results.Select(r => new CandidateSpec(r.Trainer, r.Parameters).Key).Concat(wave.Select(t => t.Candidate.Key)).ToList();
        Assert.Equal(keys.Count, keys.Distinct().Count());
    }

    [Fact]
    public void Suggest_Ranges_StayInsideListedValuesAndWholeIntegers()
    {
        var suggested = Sweep(Space(maxTrials: 40), 4).Skip(5).ToList();

        Assert.All(suggested.Where(s => s.Trainer == SearchSpace.LightGbm), s =>
        {
            Assert.InRange(s.Parameters["learningRate"], 0.001, 1);
            Assert.InRange(s.Parameters["numberOfLeaves"], 2, 128);
            Assert.Equal(Math.Round(s.Parameters["numberOfLeaves"]), s.Parameters["numberOfLeaves"]);
            Assert.Contains(s.Parameters["numberOfIterations"], new double[] { 50, 100, 200, 400 });
        });
        Assert.All(suggested.Where(s => s.Trainer == SearchSpace.LbfgsMaximumEntropy), s => Assert.InRange(s.Parameters["l2Regularization"], 0.001, 10));
    }

    [Fact]
    public void Suggest_FailedTrials_CountAsWorseThanAnyThatRan()
    {
        var space = Space();
        var startup = SearchStrategies.Candidates(space);
        // Every LightGbm trial failed: the suggestions move to the trainer that ran.
        var results = startup.Select(c => new TrialObservation(c.Trainer, c.Parameters, c.Trainer == SearchSpace.LightGbm ? null : -1.0))
            .Append(new TrialObservation(SearchSpace.LbfgsMaximumEntropy, new Dictionary<string, double> { ["l2Regularization"] = 1 }, -1.2))
            .Append(new TrialObservation(SearchSpace.LightGbm, new Dictionary<string, double> { ["learningRate"] = 0.05, ["numberOfLeaves"] = 40, ["numberOfIterations"] = 200 }, null))
            .ToList();

        var wave = TreeParzenEstimator.Suggest(space, results, false, 4, results.Count + 1);

        Assert.True(wave.Count(c => c.Trainer == SearchSpace.LbfgsMaximumEntropy) >= 3, string.Join(", ", wave.Select(c => c.Key)));
    }

    [Fact]
    public void Suggest_DiscreteSpaceTriedWhole_SuggestsNothing()
    {
        var space = new SearchSpaceDefinition
        {
            Strategy = SearchSpaceDefinition.Bayesian, MaxTrials = 10, StartupTrials = 1,
            Trainers = [new TrainerSpace(SearchSpace.LightGbm, new Dictionary<string, ParameterRange> { ["numberOfLeaves"] = new(Values: [8, 16]) })],
        };
        static TrialObservation Leaves(double leaves) => new(SearchSpace.LightGbm, new Dictionary<string, double> { ["numberOfLeaves"] = leaves }, 0.8);

        var wave = TreeParzenEstimator.Suggest(space, [Leaves(8)], false, 3, 2);
        Assert.Equal(["LightGbm(numberOfLeaves=16)"], wave.Select(c => c.Key));
        Assert.Empty(TreeParzenEstimator.Suggest(space, [Leaves(8), Leaves(16)], false, 3, 3));
    }

    /// <summary>
    /// A 2-D synthetic metric (LightGbm's learningRate on a log range, numberOfLeaves), on the same budget: 30 trials,
    /// the same seeded 5 random start-up trials, waves of 2. Over 100 seeds the estimator's shortfall from the optimum is
    /// on average under half the random search's (measured: a ninth, 0.013 against 0.117), and it is ahead on most
    /// (measured: 90). Seeded and pure, so the figures are the same on every run.
    /// </summary>
    [Fact]
    public void Suggest_SyntheticMetric_BeatsRandomSearchOnTheSameBudget()
    {
        static SearchSpaceDefinition TwoD(int seed) => new()
        {
            Strategy = SearchSpaceDefinition.Bayesian, MaxTrials = 30, Seed = seed, StartupTrials = 5,
            Trainers = [new TrainerSpace(SearchSpace.LightGbm, new Dictionary<string, ParameterRange>
            {
                ["learningRate"] = new(Min: 0.001, Max: 1, Log: true), ["numberOfLeaves"] = new(Min: 2, Max: 128),
            })],
        };
        static double Metric2D(CandidateSpec c) =>
            -Math.Pow(Math.Log10(c.Parameters["learningRate"] / 0.05), 2) - Math.Pow((c.Parameters["numberOfLeaves"] - 40) / 40, 2);
        var seeds = Enumerable.Range(1, 100).ToList();
        var bayesian = seeds.Select(s => -Sweep(TwoD(s), 2, Metric2D).Max(r => r.Value!.Value)).ToList();
        var random = seeds.Select(s => -SearchStrategies.Sample(TwoD(s) with { Strategy = SearchSpaceDefinition.Random }).Max(Metric2D)).ToList();

        var ahead = seeds.Count(i => bayesian[i - 1] < random[i - 1]);
        Assert.True(bayesian.Average() < 0.5 * random.Average(), $"shortfall: bayesian {bayesian.Average():0.0000}, random {random.Average():0.0000}");
        Assert.True(ahead >= 70, $"bayesian ahead on {ahead} of 100 seeds");
    }

    /// <summary>
    /// Trainers as a category: when one trainer is better wherever it is tried, most suggestions after the start-up
    /// trials use it (measured: 99 % over 10 seeds; random search would give each trainer half).
    /// </summary>
    [Fact]
    public void Suggest_OneTrainerBetter_MostSuggestionsUseIt()
    {
        var seeds = Enumerable.Range(1, 10).ToList();
        static double Better(CandidateSpec c) => c.Trainer == SearchSpace.LightGbm ? Metric(c) : -6 + Metric(c);
        var share = seeds.Average(s => Sweep(Space(seed: s), 2, Better).Skip(5).Average(r => r.Trainer == SearchSpace.LightGbm ? 1.0 : 0.0));

        Assert.True(share > 0.8, $"LightGbm in {share:P0} of the suggestions");
    }

    /// <summary>
    /// The trainer that looks worse after the start-up trials is the better one (L-BFGS is easy to get right but tops
    /// out 1.5 below LightGbm's best): scoring whole configurations keeps LightGbm in play, so over 100 seeds the
    /// search still ends clearly ahead of random search on average (measured: 0.19 against random's 0.35; scoring each
    /// choice on its own fell behind random search on this function).
    /// </summary>
    [Fact]
    public void Suggest_BetterTrainerLooksWorseAtFirst_StillAheadOfRandomSearch()
    {
        var seeds = Enumerable.Range(1, 100).ToList();
        var bayesian = seeds.Select(s => -Sweep(Space(seed: s), parallel: 2).Max(r => r.Value!.Value)).ToList();
        var random = seeds.Select(s => -SearchStrategies.Sample(Space(seed: s) with { Strategy = SearchSpaceDefinition.Random }).Max(Metric)).ToList();

        Assert.True(bayesian.Average() < 0.8 * random.Average(), $"shortfall: bayesian {bayesian.Average():0.0000}, random {random.Average():0.0000}");
    }
}
