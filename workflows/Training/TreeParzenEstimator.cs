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
/// Tree-structured Parzen estimator (Bergstra et al., 2011): the results are split into the best quarter (at most 25)
/// and the rest; whole configurations — a trainer, then its parameters, modelled from that trainer's trials only (the
/// tree) — are drawn from the densities of the good results and the one where good over bad is highest, over all its
/// choices together, is kept. Log ranges are modelled in log space, listed values and trainers as categories. A wave
/// of several trials takes its suggestions one after the other, each counted as a bad result until it has run
/// ("constant liar"), so a wave spreads out instead of repeating itself. Pure and seeded: the same input gives the same
/// suggestions, which a retried activity relies on.
/// </summary>
/// <remarks>
/// Scoring each choice on its own (hyperopt's way) kept a search with the trainer that looked best after the start-up
/// trials: on seattle-weather, a seed whose start-up trials gave LightGbm only poor settings stayed with L-BFGS for all
/// its 30 trials. Scored together, a trainer whose trials were all bad still wins where its parameters are far from them.
/// </remarks>
public static class TreeParzenEstimator
{
    /// <summary>Configurations drawn from the good densities per suggestion; the best ratio among them is taken (hyperopt's default count).</summary>
    public const int DrawsPerSuggestion = 24;

    /// <summary>The share of results counted good, and the most of them.</summary>
    public const double GoodShare = 0.25;
    public const int MaxGood = 25;

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
            var candidate = SuggestOne(space, observed, random);
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

        var names = space.Trainers.Select(t => t.Trainer).ToList();
        int[] TrainerIndexes(List<Scored> set) => [.. set.Select(o => names.IndexOf(o.Trainer)).Where(i => i >= 0)];
        var trainer = new Category(names.Count, TrainerIndexes(good), TrainerIndexes(bad));
        // The tree: a trainer's parameters are modelled from its own trials only.
        var dimensions = space.Trainers.Select(t => t.Parameters.OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => Dimension.Of(p.Key, p.Value, good.Where(o => o.Trainer == t.Trainer), bad.Where(o => o.Trainer == t.Trainer))).ToList()).ToList();

        // Whole configurations are drawn from the good densities and scored together (trainer and parameters), so a
        // trainer whose trials were all bad can still win where its parameters are far from those bad trials.
        (int Trainer, double[] Values, double Score) best = (0, [], double.NegativeInfinity);
        for (var draw = 0; draw < DrawsPerSuggestion; draw++)
        {
            var t = names.Count == 1 ? 0 : trainer.Sample(random);
            var score = names.Count == 1 ? 0 : trainer.LogRatio(t);
            var values = new double[dimensions[t].Count];
            for (var d = 0; d < values.Length; d++)
            {
                values[d] = dimensions[t][d].Sample(random);
                score += dimensions[t][d].LogRatio(values[d]);
            }
            if (score > best.Score) best = (t, values, score);
        }
        var parameters = new Dictionary<string, double>();
        for (var d = 0; d < best.Values.Length; d++)
            parameters[dimensions[best.Trainer][d].Name] = SearchStrategies.Quantize(dimensions[best.Trainer][d].Name, dimensions[best.Trainer][d].Value(best.Values[d]));
        return new CandidateSpec(space.Trainers[best.Trainer].Trainer, parameters);
    }

    /// <summary>A category (a trainer, or one of a parameter's listed values): counts plus one for each (the prior).</summary>
    private sealed class Category(int count, int[] good, int[] bad)
    {
        private readonly double[] l = Weights(count, good), g = Weights(count, bad);

        private static double[] Weights(int count, int[] picks)
        {
            var weights = Enumerable.Repeat(1.0, count).ToArray();
            foreach (var p in picks) weights[p]++;
            var sum = weights.Sum();
            return [.. weights.Select(w => w / sum)];
        }

        public int Sample(Random random)
        {
            var u = random.NextDouble();
            var c = 0;
            for (var acc = l[0]; c < l.Length - 1 && u >= acc; acc += l[++c]) { }
            return c;
        }

        public double LogRatio(int c) => Math.Log(l[c]) - Math.Log(g[c]);
    }

    /// <summary>One parameter of a trainer: good and bad densities over its listed values or its range (log space for a log range).</summary>
    private sealed class Dimension
    {
        public required string Name { get; init; }
        public required Func<Random, double> Sample { get; init; }
        public required Func<double, double> LogRatio { get; init; }
        /// <summary>From the modelled value (an index, or a point of the range in model space) to the parameter's value.</summary>
        public required Func<double, double> Value { get; init; }

        public static Dimension Of(string name, ParameterRange range, IEnumerable<Scored> good, IEnumerable<Scored> bad)
        {
            double[] Of(IEnumerable<Scored> set) => [.. set.Where(o => o.Parameters.ContainsKey(name)).Select(o => o.Parameters[name])];
            if (range.Values is { Count: > 0 } values)
            {
                int Nearest(double v) => Enumerable.Range(0, values.Count).MinBy(i => Math.Abs(values[i] - v));
                var category = new Category(values.Count, [.. Of(good).Select(Nearest)], [.. Of(bad).Select(Nearest)]);
                return new Dimension { Name = name, Sample = r => category.Sample(r), LogRatio = c => category.LogRatio((int)c), Value = c => values[(int)c] };
            }
            double min = range.Min!.Value, max = range.Max!.Value;
            Func<double, double> to = range.Log ? Math.Log : v => v;
            var (low, high) = (to(min), to(max));
            if (high <= low) return new Dimension { Name = name, Sample = _ => low, LogRatio = _ => 0, Value = _ => min };
            var l = new Parzen([.. Of(good).Select(to)], low, high);
            var g = new Parzen([.. Of(bad).Select(to)], low, high);
            return new Dimension
            {
                Name = name, Sample = l.Sample, LogRatio = x => l.LogDensity(x) - g.LogDensity(x),
                Value = x => Math.Clamp(range.Log ? Math.Exp(x) : x, min, max),
            };
        }
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
