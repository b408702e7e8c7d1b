using System.Diagnostics;
using System.Globalization;
using System.Text;
using Orchestrator.Workflows.Model;
using Orchestrator.Workflows.Training;

namespace Orchestrator.Bench;

/// <summary>
/// Bayesian search (tree-structured Parzen estimator) against random search on the same budget: the best primary metric
/// after N trials, over several seeds, on seattle-weather with real ML.NET training and on a synthetic 2-D function.
/// Both searches start from the same seeded random trials (a Bayesian search's start-up trials are the random search's
/// first ones); the Bayesian waves are what <c>SuggestTrialsActivity</c> answers, in waves of <c>maxParallelTrials</c>.
/// </summary>
public static class Search
{
    private const double TestFraction = 0.2;
    private const int TrainingSeed = 1;
    private const string Metric = "logLoss";
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>The run's settings: trials per search, start-up trials, wave size, seeds, checkpoints to report at.</summary>
    private sealed record Budget(int Trials, int Startup, int Wave, IReadOnlyList<int> Seeds, IReadOnlyList<int> Checkpoints);

    /// <summary>A multiclass space over both kinds of trainer, ranges wide enough that a bad setting costs something.</summary>
    public static SearchSpaceDefinition WeatherSpace(string strategy, int seed, int trials, int startup) => new()
    {
        Strategy = strategy, Seed = seed, MaxTrials = trials, StartupTrials = strategy == SearchSpaceDefinition.Bayesian ? startup : null,
        Trainers =
        [
            new TrainerSpace(SearchSpace.LightGbm, new Dictionary<string, ParameterRange>
            {
                ["numberOfLeaves"] = new(Min: 2, Max: 64),
                ["learningRate"] = new(Min: 0.005, Max: 0.5, Log: true),
                ["numberOfIterations"] = new(Min: 10, Max: 300),
                ["minimumExampleCountPerLeaf"] = new(Min: 1, Max: 100),
            }),
            new TrainerSpace(SearchSpace.LbfgsMaximumEntropy, new Dictionary<string, ParameterRange>
            {
                ["l1Regularization"] = new(Min: 0.001, Max: 10, Log: true),
                ["l2Regularization"] = new(Min: 0.001, Max: 10, Log: true),
            }),
        ],
    };

    /// <summary>The synthetic function (to minimise, 0 at best): a log-scale learning rate and a leaf count.</summary>
    private static SearchSpaceDefinition SyntheticSpace(string strategy, int seed, int trials, int startup) => new()
    {
        Strategy = strategy, Seed = seed, MaxTrials = trials, StartupTrials = strategy == SearchSpaceDefinition.Bayesian ? startup : null,
        Trainers = [new TrainerSpace(SearchSpace.LightGbm, new Dictionary<string, ParameterRange>
        {
            ["learningRate"] = new(Min: 0.001, Max: 1, Log: true), ["numberOfLeaves"] = new(Min: 2, Max: 128),
        })],
    };

    private static double Synthetic(CandidateSpec c) =>
        Math.Pow(Math.Log10(c.Parameters["learningRate"] / 0.05), 2) + Math.Pow((c.Parameters["numberOfLeaves"] - 40) / 40, 2);

    /// <summary>
    /// Runs the scenario (options: [seeds (10)] [trials (30)], or <c>--smoke</c>: 4 trials, 2 of them start-up, one seed,
    /// nothing written) and returns its figures and docs section.
    /// </summary>
    public static Task<ScenarioResult> RunScenarioAsync(string seattleCsv, string[] options)
    {
        var (smoke, rest) = Scenarios.Smoke(options);
        var seeds = smoke ? 1 : rest.Length > 0 ? int.Parse(rest[0], Inv) : 10;
        var trials = smoke ? 4 : rest.Length > 1 ? int.Parse(rest[1], Inv) : 30;
        var startup = smoke ? 2 : 5;
        var wave = 2;
        // After the start-up trials, every ten trials, and at the end.
        var checkpoints = Enumerable.Range(1, trials / 10).Select(i => i * 10).Prepend(startup).Append(trials).Distinct().Order().ToList();
        var budget = new Budget(trials, startup, wave, [.. Enumerable.Range(1, seeds)], checkpoints);

        var (frame, csv) = Sweep.Prepare(seattleCsv);
        // Training is deterministic (same data, split and seed): a configuration both searches try trains once.
        var cache = new Dictionary<string, double>(StringComparer.Ordinal);
        var trainings = 0;
        var watch = Stopwatch.StartNew();
        double Train(CandidateSpec c)
        {
            if (cache.TryGetValue(c.Key, out var known)) return known;
            trainings++;
            var value = ModelTrainer.Train(frame, csv, c, TestFraction, TrainingSeed).Metrics[Metric];
            return cache[c.Key] = value;
        }
        Console.WriteLine($"search: seattle-weather, {seeds} seeds × {trials} trials × (random, bayesian), waves of {wave}…");
        var weather = Compare(budget, WeatherSpace, Train, lowerIsBetter: true, progress: true);
        var weatherSeconds = watch.Elapsed.TotalSeconds;

        var synthetic = smoke ? null : Compare(budget with { Trials = 30, Seeds = [.. Enumerable.Range(1, 50)] },
            SyntheticSpace, Synthetic, lowerIsBetter: true, progress: false);

        var table = Table(weather, budget.Checkpoints, "logLoss");
        Console.WriteLine();
        Console.WriteLine(table);
        var last = budget.Checkpoints[^1];
        Figure Of(string strategy) => new($"seattle-weather, best logLoss after {last} trials, {strategy}",
            Stats.Median(weather[strategy].Select(s => s[last - 1])), Stats.Percentile(weather[strategy].Select(s => s[last - 1]), 0.95), "logLoss");
        Figure[] figures = [Of(SearchSpaceDefinition.Random), Of(SearchSpaceDefinition.Bayesian)];
        return Task.FromResult(new ScenarioResult("search", figures, table,
            smoke ? null : Section(budget, weather, table, synthetic!, trainings, weatherSeconds)));
    }

    /// <summary>Per strategy, per seed: the best value after each trial (lower is better), as the search ran.</summary>
    private static Dictionary<string, List<double[]>> Compare(Budget budget, Func<string, int, int, int, SearchSpaceDefinition> space,
        Func<CandidateSpec, double> metric, bool lowerIsBetter, bool progress)
    {
        var result = new Dictionary<string, List<double[]>> { [SearchSpaceDefinition.Random] = [], [SearchSpaceDefinition.Bayesian] = [] };
        foreach (var seed in budget.Seeds)
        {
            var random = SearchStrategies.Sample(space(SearchSpaceDefinition.Random, seed, budget.Trials, budget.Startup)).Select(metric).ToList();
            var bayesian = Bayesian(space(SearchSpaceDefinition.Bayesian, seed, budget.Trials, budget.Startup), budget.Wave, metric, lowerIsBetter);
            result[SearchSpaceDefinition.Random].Add(BestSoFar(random, lowerIsBetter));
            result[SearchSpaceDefinition.Bayesian].Add(BestSoFar(bayesian, lowerIsBetter));
            if (progress)
                Console.WriteLine($"  seed {seed}: random {result[SearchSpaceDefinition.Random][^1][^1].ToString("0.0000", Inv)}, bayesian {result[SearchSpaceDefinition.Bayesian][^1][^1].ToString("0.0000", Inv)}");
        }
        return result;
    }

    /// <summary>The Bayesian sweep as the orchestrator runs it: start-up trials, then waves suggested from every result so far.</summary>
    private static List<double> Bayesian(SearchSpaceDefinition space, int wave, Func<CandidateSpec, double> metric, bool lowerIsBetter)
    {
        var trials = SearchStrategies.Candidates(space).ToList();
        var values = trials.Select(metric).ToList();
        while (trials.Count < space.MaxTrials)
        {
            var results = trials.Select((c, i) => new TrialObservation(c.Trainer, c.Parameters, values[i])).ToList();
            var next = TreeParzenEstimator.Suggest(new SuggestTrialsInput(space, results, lowerIsBetter, Math.Min(wave, space.MaxTrials - trials.Count), trials.Count + 1));
            if (next.Count == 0) break;
            trials.AddRange(next.Select(t => t.Candidate));
            values.AddRange(next.Select(t => metric(t.Candidate)));
        }
        return values;
    }

    private static double[] BestSoFar(List<double> values, bool lowerIsBetter)
    {
        var best = new double[values.Count];
        for (var i = 0; i < values.Count; i++)
            best[i] = i == 0 ? values[0] : lowerIsBetter ? Math.Min(best[i - 1], values[i]) : Math.Max(best[i - 1], values[i]);
        return best;
    }

    /// <summary>Best value after N trials: median and mean over the seeds per strategy, and on how many seeds Bayesian was ahead.</summary>
    private static string Table(Dictionary<string, List<double[]>> runs, IReadOnlyList<int> checkpoints, string metric, string format = "0.0000")
    {
        var (random, bayesian) = (runs[SearchSpaceDefinition.Random], runs[SearchSpaceDefinition.Bayesian]);
        string F(double v) => v.ToString(format, Inv);
        var table = new StringBuilder()
            .AppendLine(Inv, $"| after N trials | random: median best {metric} | random: mean | bayesian: median best {metric} | bayesian: mean | seeds bayesian ahead / tied / behind |")
            .AppendLine("|---|---|---|---|---|---|");
        foreach (var n in checkpoints)
        {
            var r = random.Select(s => s[Math.Min(n, s.Length) - 1]).ToList();
            var b = bayesian.Select(s => s[Math.Min(n, s.Length) - 1]).ToList();
            var ahead = r.Zip(b).Count(x => x.Second < x.First - 1e-12);
            var behind = r.Zip(b).Count(x => x.Second > x.First + 1e-12);
            table.AppendLine(Inv, $"| {n} | {F(Stats.Median(r))} | {F(r.Average())} | {F(Stats.Median(b))} | {F(b.Average())} | {ahead} / {r.Count - ahead - behind} / {behind} |");
        }
        return table.ToString();
    }

    private static string Section(Budget budget, Dictionary<string, List<double[]>> weather, string table, Dictionary<string, List<double[]>> synthetic, int trainings, double seconds)
    {
        var syntheticTable = Table(synthetic, [5, 10, 20, 30], "shortfall");
        return $"""
            ## Bayesian search vs random search

            {BenchmarkDoc.MeasuredOn}

            The best primary metric after N trials on the same budget, over {budget.Seeds.Count} seeds (1–{budget.Seeds.Count}): `searchSpace.strategy`
            `random` against `bayesian` ({budget.Startup} random start-up trials, then waves of {budget.Wave} — `maxParallelTrials` {budget.Wave} —
            each suggested by the tree-structured Parzen estimator from every result so far, as `SuggestTrialsActivity` answers
            the training orchestration). With the same seed both start from the same random trials. The trials are trained
            in-process with `ModelTrainer.Train` (the durable fan-out's cost per trial is the `sweep` scenario's subject), one at a
            time; a configuration both searches tried trained once ({trainings} trainings in {seconds.ToString("0", Inv)} s).

            **seattle-weather**, multiclass, primary metric `logLoss` (lower is better), test fraction {TestFraction}, training seed
            {TrainingSeed}. The space: LightGbm (numberOfLeaves 2–64, learningRate 0.005–0.5 log, numberOfIterations 10–300,
            minimumExampleCountPerLeaf 1–100) or LbfgsMaximumEntropy (l1Regularization and l2Regularization 0.001–10 log).

            {table}
            **Synthetic** (no training, 50 seeds, 30 trials, 5 start-up, waves of {budget.Wave}): LightGbm's learningRate 0.001–1 (log) and
            numberOfLeaves 2–128, shortfall = (log10(learningRate / 0.05))² + ((numberOfLeaves − 40) / 40)², 0 at best — the
            function of the unit test `Suggest_SyntheticMetric_BeatsRandomSearchOnTheSameBudget`.

            {syntheticTable}
            Both searches are seeded and the training is seeded too: a run of this scenario repeats the trials of the last.
            """;
    }
}
