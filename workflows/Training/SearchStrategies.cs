using System.Globalization;
using Orchestrator.Workflows.Model;

namespace Orchestrator.Workflows.Training;

/// <summary>The values a hyperparameter may take: a list, or a range (log-uniform when <see cref="Log"/>).</summary>
public sealed record ParameterRange(IReadOnlyList<double>? Values = null, double? Min = null, double? Max = null, bool Log = false);

/// <summary>One trainer and the ranges of its hyperparameters.</summary>
public sealed record TrainerSpace(string Trainer, IReadOnlyDictionary<string, ParameterRange> Parameters);

/// <summary>How to search: <c>grid</c> (every combination of listed values), <c>random</c> (seeded samples),
/// <c>halving</c> (successive halving: many random configs on a share of the training rows, the best 1/η go on with η× the rows)
/// or <c>bayesian</c> (a few random start-up trials, then waves suggested by a tree-structured Parzen estimator from the results so far).</summary>
public sealed record SearchSpaceDefinition
{
    public const string Grid = "grid";
    public const string Random = "random";
    public const string Halving = "halving";
    public const string Bayesian = "bayesian";
    public static readonly IReadOnlyList<string> Strategies = [Grid, Random, Halving, Bayesian];

    public string Strategy { get; init; } = Grid;
    public IReadOnlyList<TrainerSpace> Trainers { get; init; } = [];
    /// <summary>Grid: upper bound; random: how many samples; halving: configurations on the first rung; bayesian: how many trials in all.</summary>
    public int MaxTrials { get; init; } = 24;
    public int Seed { get; init; } = 1;
    /// <summary>Halving: keep the best 1/η of each rung and give them η× the training rows.</summary>
    public double Eta { get; init; } = 3;
    /// <summary>Halving: share of the training rows on the first rung.</summary>
    public double MinBudget { get; init; } = 0.25;
    /// <summary>Bayesian: random trials before the estimator suggests any (default min(5, maxTrials)).</summary>
    public int? StartupTrials { get; init; }
}

/// <summary>Turns a search space into candidates; deterministic for a given definition (seeded).</summary>
public static class SearchStrategies
{
    /// <summary>
    /// The most trials one sweep may ask for. The sweep is one orchestration whose history grows with its trials (each
    /// fan-in replays it), so the cap bounds replay cost; 1,000 is the size the portal is measured at (docs/benchmarks.md).
    /// </summary>
    public const int MaxTrialsPerSweep = 1000;

    /// <summary>
    /// The most trials of a Bayesian search: each wave's suggestion activity is given every result so far, so its inputs
    /// in the history grow with the square of the trials; 200 keeps them under a megabyte at one trial per wave.
    /// </summary>
    public const int MaxBayesianTrials = 200;

    /// <summary>Random trials a Bayesian search starts with.</summary>
    public static int StartupTrials(SearchSpaceDefinition space) => Math.Clamp(space.StartupTrials ?? 5, 1, Math.Max(1, space.MaxTrials));

    private static readonly HashSet<string> IntegerParameters =
        ["numberOfLeaves", "numberOfIterations", "numberOfTrees", "minimumExampleCountPerLeaf", "maximumNumberOfIterations"];

    /// <summary>The first wave of candidates of a search (a Bayesian search's random start-up trials).</summary>
    public static IReadOnlyList<CandidateSpec> Candidates(SearchSpaceDefinition space) => space.Strategy switch
    {
        SearchSpaceDefinition.Grid => EnumerateGrid(space),
        SearchSpaceDefinition.Bayesian => Sample(space with { MaxTrials = StartupTrials(space) }),
        _ => Sample(space),
    };

    /// <summary>Every combination of the listed values, trainer by trainer, in declaration order, at most <c>MaxTrials</c>.</summary>
    public static IReadOnlyList<CandidateSpec> EnumerateGrid(SearchSpaceDefinition space)
    {
        var result = new List<CandidateSpec>();
        foreach (var trainer in space.Trainers)
        {
            IEnumerable<Dictionary<string, double>> combos = [new Dictionary<string, double>()];
            foreach (var (name, range) in trainer.Parameters)
            {
                var values = range.Values ?? throw new ArgumentException($"Grid search needs a list of values for {trainer.Trainer}.{name}.");
                combos = combos.SelectMany(c => values.Select(v => new Dictionary<string, double>(c) { [name] = v })).ToList();
            }
            result.AddRange(combos.Select(c => new CandidateSpec(trainer.Trainer, c)));
        }
        return result.Take(space.MaxTrials).ToList();
    }

    /// <summary>Seeded samples: a trainer uniformly, then each parameter from its values or range; duplicates skipped.</summary>
    public static IReadOnlyList<CandidateSpec> Sample(SearchSpaceDefinition space)
    {
        var random = new Random(space.Seed);
        var result = new List<CandidateSpec>();
        var seen = new HashSet<string>();
        for (var attempt = 0; result.Count < space.MaxTrials && attempt < space.MaxTrials * 20; attempt++)
        {
            var candidate = Draw(random, space);
            if (seen.Add(candidate.Key)) result.Add(candidate);
        }
        return result;
    }

    /// <summary>One configuration drawn from the whole space: a trainer uniformly, then each of its parameters.</summary>
    private static CandidateSpec Draw(Random random, SearchSpaceDefinition space)
    {
        var trainer = space.Trainers[random.Next(space.Trainers.Count)];
        var parameters = new Dictionary<string, double>();
        foreach (var (name, range) in trainer.Parameters.OrderBy(p => p.Key, StringComparer.Ordinal))
            parameters[name] = Draw(random, name, range);
        return new CandidateSpec(trainer.Trainer, parameters);
    }

    private static double Draw(Random random, string name, ParameterRange range)
    {
        double value;
        if (range.Values is { Count: > 0 } values) value = values[random.Next(values.Count)];
        else if (range.Min is { } min && range.Max is { } max)
            value = range.Log ? Math.Exp(Math.Log(min) + random.NextDouble() * (Math.Log(max) - Math.Log(min))) : min + random.NextDouble() * (max - min);
        else throw new ArgumentException($"Parameter {name} needs values or min and max.");
        return Quantize(name, value);
    }

    /// <summary>A drawn value as trials get it: whole for integer parameters, six decimals otherwise.</summary>
    internal static double Quantize(string name, double value) => IntegerParameters.Contains(name) ? Math.Round(value) : Math.Round(value, 6);

    /// <summary>How many configurations go on to the next rung: ⌈n/η⌉, at least one.</summary>
    public static int Survivors(int count, double eta) => Math.Max(1, (int)Math.Ceiling(count / eta));

    /// <summary>The next rung's share of the training rows: η× this one, 1 at most (and 1 when rounding leaves it a hair short).</summary>
    public static double NextBudget(double budget, double eta)
    {
        var next = budget * eta;
        return next >= 0.999 ? 1 : Math.Round(next, 6);
    }

    /// <summary>Rungs of a successive-halving search: (configurations, share of training rows) per rung.</summary>
    public static List<(int Count, double Budget)> Rungs(int initial, double eta, double minBudget)
    {
        var rungs = new List<(int, double)>();
        var (count, budget) = (initial, Math.Clamp(minBudget, 0.01, 1));
        while (true)
        {
            rungs.Add((count, Math.Round(budget, 6)));
            if (budget >= 1 || count <= 1) return rungs;
            (count, budget) = (Survivors(count, eta), NextBudget(budget, eta));
        }
    }

    /// <summary>Problems with a search space, as (field, message) pairs.</summary>
    public static IEnumerable<(string Field, string Message)> Validate(string task, SearchSpaceDefinition space)
    {
        if (!SearchSpaceDefinition.Strategies.Contains(space.Strategy))
            yield return ("searchSpace.strategy", $"One of {string.Join(", ", SearchSpaceDefinition.Strategies)}.");
        if (space.Trainers is not { Count: > 0 }) yield return ("searchSpace.trainers", "At least one trainer.");
        var bayesian = space.Strategy == SearchSpaceDefinition.Bayesian;
        var maxTrials = bayesian ? MaxBayesianTrials : MaxTrialsPerSweep;
        if (space.MaxTrials < 1 || space.MaxTrials > maxTrials)
            yield return ("searchSpace.maxTrials", bayesian ? $"Between 1 and {maxTrials} for a Bayesian search (each wave is given every result so far)." : $"Between 1 and {maxTrials}.");
        if (space.StartupTrials is { } startup && (!bayesian || startup < 1 || startup > Math.Max(1, space.MaxTrials)))
            yield return ("searchSpace.startupTrials", bayesian ? "Between 1 and maxTrials." : "Only a Bayesian search has start-up trials.");
        if (bayesian && space.Trainers is { Count: 1 } && space.Trainers[0].Parameters is not { Count: > 0 })
            yield return ("searchSpace.trainers[0].parameters", "A Bayesian search needs something to search: a parameter with values or a range, or a second trainer.");
        if (space.Strategy == SearchSpaceDefinition.Halving && space.Eta < 2) yield return ("searchSpace.eta", "At least 2.");
        if (space.Strategy == SearchSpaceDefinition.Halving && space.MinBudget is <= 0 or > 1) yield return ("searchSpace.minBudget", "Between 0 and 1.");
        var trainers = SearchSpace.TrainersByTask.GetValueOrDefault(task) ?? [];
        for (var i = 0; i < (space.Trainers?.Count ?? 0); i++)
        {
            var t = space.Trainers![i];
            if (!trainers.Contains(t.Trainer))
            {
                yield return ($"searchSpace.trainers[{i}].trainer", $"'{t.Trainer}' is not a {task} trainer; use one of {string.Join(", ", trainers)}.");
                continue;
            }
            foreach (var (name, range) in t.Parameters ?? new Dictionary<string, ParameterRange>())
            {
                var field = $"searchSpace.trainers[{i}].parameters.{name}";
                if (!SearchSpace.ParametersByTrainer[t.Trainer].Contains(name))
                    yield return (field, $"{t.Trainer} has no parameter '{name}'; it takes {string.Join(", ", SearchSpace.ParametersByTrainer[t.Trainer])}.");
                else if (range.Values is not { Count: > 0 } && (range.Min is not { } min || range.Max is not { } max || !double.IsFinite(min) || !double.IsFinite(max) || min > max))
                    yield return (field, "Give values, or finite min <= max.");
                else if (range.Values is not { Count: > 0 } && space.Strategy == SearchSpaceDefinition.Grid)
                    yield return (field, "Grid search needs a list of values.");
                else if (range.Log && range.Min <= 0)
                    yield return (field, "A log range needs min > 0.");
            }
        }
    }

    public static string Describe(double budget) => budget.ToString("0.###", CultureInfo.InvariantCulture);
}
