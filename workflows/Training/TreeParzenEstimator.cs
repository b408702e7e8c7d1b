using Orchestrator.Workflows.Model;

namespace Orchestrator.Workflows.Training;

/// <summary>A finished trial as a Bayesian search sees it: the configuration and its primary metric (null when it failed).</summary>
public sealed record TrialObservation(string Trainer, IReadOnlyDictionary<string, double> Parameters, double? Value);

/// <summary>
/// Asks for the next wave of a Bayesian search: the run's space, every result so far, which way the primary metric is
/// better, how many trials the wave has and the number of its first trial (ids go on from there).
/// </summary>
public sealed record SuggestTrialsInput(SearchSpaceDefinition Space, IReadOnlyList<TrialObservation> Results, bool LowerIsBetter, int Count, int FirstNumber);

/// <summary>
/// Tree-structured Parzen estimator (Bergstra et al., 2011), univariate as in hyperopt: the results are split into the
/// best quarter (at most 25) and the rest; every choice — the trainer, then each of its parameters — is drawn from the
/// density of the good results and kept where good over bad is highest, among a few draws. Log ranges are modelled in
/// log space, listed values and trainers as categories. A wave of several trials takes its suggestions one after the
/// other, each counted as a bad result until it has run ("constant liar"), so a wave spreads out instead of repeating
/// itself. A share of the suggestions (<see cref="RandomShare"/>) is drawn from the whole space instead, as BOHB does
/// (Falkner et al., 2018): the estimator alone keeps to whatever looked best after the start-up trials — on
/// seattle-weather, a seed whose start-up trials gave LightGbm only poor settings stayed with L-BFGS for all its trials.
/// Pure and seeded: the same input gives the same suggestions, which a retried activity relies on.
/// </summary>
public static class TreeParzenEstimator
{
    /// <summary>Draws from the good density per choice; the best ratio among them is taken (hyperopt's default).</summary>
    public const int DrawsPerChoice = 24;

    /// <summary>The share of results counted good, and the most of them.</summary>
    public const double GoodShare = 0.25;
    public const int MaxGood = 25;

    /// <summary>The share of suggestions drawn at random from the whole space (BOHB's default).</summary>
    public const double RandomShare = 1.0 / 3;

    /// <summary>The next <see cref="SuggestTrialsInput.Count"/> trials, numbered on from <see cref="SuggestTrialsInput.FirstNumber"/>;
    /// fewer when the space has no configuration left that was not tried.</summary>
    public static IReadOnlyList<TrialPlan> Suggest(SuggestTrialsInput input) =>
        Suggest(input.Space, input.Results, input.LowerIsBetter, input.Count, input.FirstNumber)
            .Select((c, i) => new TrialPlan($"t{input.FirstNumber + i:D3}", c)).ToList();

    /// <summary>
    /// The next <paramref name="count"/> candidates (fewer when the space has none left that was not tried). The wave's
    /// first trial number <paramref name="firstNumber"/> and the space's seed seed the wave.
    /// </summary>
    public static IReadOnlyList<CandidateSpec> Suggest(SearchSpaceDefinition space, IReadOnlyList<TrialObservation> results, bool lowerIsBetter, int count, int firstNumber)
    {
        var random = new Random(WaveSeed(space.Seed, firstNumber));
        // Lower is better from here on; a failed trial is worse than any that ran.
        var observed = results.Select(r => new Scored(r.Trainer, r.Parameters, r.Value is { } v && double.IsFinite(v) ? (lowerIsBetter ? v : -v) : double.PositiveInfinity)).ToList();
        var tried = results.Select(r => new CandidateSpec(r.Trainer, r.Parameters).Key).ToHashSet(StringComparer.Ordinal);
        var suggestions = new List<CandidateSpec>();
        for (var attempt = 0; suggestions.Count < count && attempt < count * 20; attempt++)
        {
            var candidate = random.NextDouble() < RandomShare ? SearchStrategies.Draw(random, space) : SuggestOne(space, observed, random);
            // A suggestion counts as bad until it has run; so does a repeat, which moves the next draw away from it.
            observed.Add(new Scored(candidate.Trainer, candidate.Parameters, double.PositiveInfinity));
            if (tried.Add(candidate.Key)) suggestions.Add(candidate);
        }
        return suggestions;
    }

    private sealed record Scored(string Trainer, IReadOnlyDictionary<string, double> Parameters, double Loss);

    /// <summary>A seed of its own per wave (SplitMix64's finalizer over the space's seed and the wave's first trial).</summary>
    private static int WaveSeed(int seed, int firstNumber)
    {
        unchecked
        {
            var z = ((ulong)(uint)seed << 32 | (uint)firstNumber) + 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return (int)(z ^ (z >> 31)) & int.MaxValue;
        }
    }

    private static CandidateSpec SuggestOne(SearchSpaceDefinition space, List<Scored> observed, Random random)
    {
        // Ties keep the order of the input (List.Sort is not stable; OrderBy is).
        var ranked = observed.Select((o, i) => (o, i)).OrderBy(x => x.o.Loss).ThenBy(x => x.i).Select(x => x.o).ToList();
        var finite = ranked.Count(o => double.IsFinite(o.Loss));
        var goodCount = finite == 0 ? 0 : Math.Min(MaxGood, Math.Max(1, (int)Math.Ceiling(GoodShare * finite)));
        var good = ranked.Take(goodCount).ToList();
        var bad = ranked.Skip(goodCount).ToList();

        var trainers = space.Trainers.Select(t => t.Trainer).ToList();
        var trainer = space.Trainers[trainers.Count == 1 ? 0
            : ChooseCategory(random, trainers.Count, Indexes(good, o => trainers.IndexOf(o.Trainer)), Indexes(bad, o => trainers.IndexOf(o.Trainer)))];

        var parameters = new Dictionary<string, double>();
        foreach (var (name, range) in trainer.Parameters.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            // A parameter's results are those of its own trainer (the tree: parameters hang off the trainer chosen).
            double[] Of(List<Scored> set) => [.. set.Where(o => o.Trainer == trainer.Trainer && o.Parameters.ContainsKey(name)).Select(o => o.Parameters[name])];
            double value;
            if (range.Values is { Count: > 0 } values)
            {
                int Nearest(double v) => Enumerable.Range(0, values.Count).MinBy(i => Math.Abs(values[i] - v));
                value = values[ChooseCategory(random, values.Count, [.. Of(good).Select(Nearest)], [.. Of(bad).Select(Nearest)])];
            }
            else value = ChooseNumber(random, range, Of(good), Of(bad));
            parameters[name] = SearchStrategies.Quantize(name, value);
        }
        return new CandidateSpec(trainer.Trainer, parameters);
    }

    private static int[] Indexes(List<Scored> set, Func<Scored, int> index) => [.. set.Select(index).Where(i => i >= 0)];

    /// <summary>A category: counts plus one for each (the prior), good over bad at its best among the draws.</summary>
    private static int ChooseCategory(Random random, int count, int[] good, int[] bad)
    {
        static double[] Weights(int count, int[] picks)
        {
            var weights = Enumerable.Repeat(1.0, count).ToArray();
            foreach (var p in picks) weights[p]++;
            var sum = weights.Sum();
            return [.. weights.Select(w => w / sum)];
        }
        var (l, g) = (Weights(count, good), Weights(count, bad));
        var (best, bestScore) = (0, double.NegativeInfinity);
        for (var draw = 0; draw < DrawsPerChoice; draw++)
        {
            var u = random.NextDouble();
            var c = 0;
            for (var acc = l[0]; c < count - 1 && u >= acc; acc += l[++c]) { }
            var score = Math.Log(l[c]) - Math.Log(g[c]);
            if (score > bestScore) (best, bestScore) = (c, score);
        }
        return best;
    }

    /// <summary>A number from a range: Parzen densities of good and bad values (log space for a log range).</summary>
    private static double ChooseNumber(Random random, ParameterRange range, double[] good, double[] bad)
    {
        double min = range.Min!.Value, max = range.Max!.Value;
        if (max <= min) return min;
        Func<double, double> to = range.Log ? Math.Log : v => v;
        var (low, high) = (to(min), to(max));
        var l = new Parzen([.. good.Select(to)], low, high);
        var g = new Parzen([.. bad.Select(to)], low, high);
        var (best, bestScore) = (l.Sample(random), double.NegativeInfinity);
        for (var draw = 0; draw < DrawsPerChoice; draw++)
        {
            var x = draw == 0 ? best : l.Sample(random);
            var score = l.LogDensity(x) - g.LogDensity(x);
            if (score > bestScore) (best, bestScore) = (x, score);
        }
        return Math.Clamp(range.Log ? Math.Exp(best) : best, min, max);
    }

    /// <summary>
    /// hyperopt's adaptive Parzen estimator on [low, high]: a normal at each value plus one for the prior (centre,
    /// the whole width); each value's width is the larger gap to its neighbours, clipped to [width / min(100, n + 1), width].
    /// The normals are truncated to the range.
    /// </summary>
    private sealed class Parzen
    {
        private readonly double low, high;
        private readonly double[] mus, sigmas, masses;

        public Parzen(double[] values, double low, double high)
        {
            (this.low, this.high) = (low, high);
            var width = high - low;
            var points = values.Select(v => (Mu: Math.Clamp(v, low, high), Prior: false)).Append((Mu: (low + high) / 2, Prior: true)).OrderBy(p => p.Mu).ToList();
            var minSigma = width / Math.Min(100, points.Count);
            mus = [.. points.Select(p => p.Mu)];
            sigmas = new double[points.Count];
            for (var i = 0; i < points.Count; i++)
            {
                if (points[i].Prior) { sigmas[i] = width; continue; }
                var left = i > 0 ? mus[i] - mus[i - 1] : 0;
                var right = i < points.Count - 1 ? mus[i + 1] - mus[i] : 0;
                sigmas[i] = Math.Clamp(Math.Max(left, right), minSigma, width);
            }
            masses = [.. mus.Select((mu, i) => Math.Max(1e-12, NormalCdf((high - mu) / sigmas[i]) - NormalCdf((low - mu) / sigmas[i])))];
        }

        public double Sample(Random random)
        {
            var component = random.Next(mus.Length);
            for (var attempt = 0; attempt < 100; attempt++)
            {
                // Box–Muller; 1 - NextDouble() is in (0, 1], so the logarithm is finite.
                var z = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
                var x = mus[component] + sigmas[component] * z;
                if (x >= low && x <= high) return x;
            }
            return Math.Clamp(mus[component], low, high);
        }

        public double LogDensity(double x)
        {
            var sum = 0.0;
            for (var i = 0; i < mus.Length; i++)
            {
                var z = (x - mus[i]) / sigmas[i];
                sum += Math.Exp(-0.5 * z * z) / (sigmas[i] * Math.Sqrt(2 * Math.PI) * masses[i]);
            }
            return Math.Log(Math.Max(sum / mus.Length, 1e-300));
        }
    }

    /// <summary>Φ(z) through erf (Abramowitz and Stegun 7.1.26, error below 1.5e-7).</summary>
    private static double NormalCdf(double z)
    {
        var x = Math.Abs(z) / Math.Sqrt(2);
        var t = 1 / (1 + 0.3275911 * x);
        var erf = 1 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.Exp(-x * x);
        return z >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
    }
}
